"""The search box's searchers for demands and livelihood projects (registered in apps.py)."""

from django.db.models import Q

from consultation.models import Demand, LivelihoodProject
from core.redaction import redact
from core.search import Hit, as_pk, ranked

__all__ = ["find_demands", "find_projects"]


def find_demands(user, query: str, limit: int) -> list[Hit]:
    """By the resident's tracking code or the 12345 ticket number, then by what was asked."""
    demands = Demand.objects.for_user(user).select_related("unit")
    found = ranked(
        demands,
        exact=Q(tracking_code=query.upper()) | Q(ticket_number=query),
        contains=Q(description__contains=query),
        order=("-received_on", "-id"),
        limit=limit,
    )
    return [
        Hit(
            label=redact(demand.description[:40]),
            url=demand.get_absolute_url(),
            detail=" · ".join(
                part
                for part in (
                    demand.ticket_number or demand.tracking_code,
                    demand.unit.name,
                    str(demand.get_status_display()),
                )
                if part
            ),
        )
        for demand in found
    ]


def find_projects(user, query: str, limit: int) -> list[Hit]:
    """By the project's number ("#12"), then by its title."""
    projects = LivelihoodProject.objects.for_user(user).select_related("unit")
    pk = as_pk(query)
    found = ranked(
        projects,
        exact=Q(pk=pk) if pk is not None else None,
        contains=Q(title__contains=query),
        order=("-proposed_on", "-id"),
        limit=limit,
    )
    return [
        Hit(
            label=redact(project.title),
            url=project.get_absolute_url(),
            detail=" · ".join([f"#{project.pk}", project.unit.name, project.get_stage_display()]),
        )
        for project in found
    ]
