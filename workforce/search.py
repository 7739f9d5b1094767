"""The search box's searcher for community workers (registered in apps.py)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from core.models import UnitLevel, units_for
from core.search import Hit, ranked
from workforce.models import Worker
from workforce.roles import Action

__all__ = ["find_workers", "worker_list_url"]

LIST_QUERY_LENGTH = 32  # what the worker list's name filter takes


def find_workers(user, query: str, limit: int) -> list[Hit]:
    """By name: the whole name first, then names that contain the query."""
    workers = Worker.objects.for_user(user).select_related("unit", "position")
    found = ranked(
        workers,
        exact=Q(name=query),
        contains=Q(name__contains=query),
        order=("unit__code", "name", "id"),
        limit=limit,
    )
    return [
        Hit(
            label=worker.name,
            url=worker.get_absolute_url(),
            detail=" · ".join(
                [worker.position.name, worker.unit.name, worker.get_status_display()]
            ),
        )
        for worker in found
    ]


def worker_list_url(user, query: str) -> str | None:
    """The worker list filtered by name, for those who may open it."""
    if len(query) > LIST_QUERY_LENGTH:
        return None
    if not units_for(user, Action.VIEW).exclude(level=UnitLevel.GRID).exists():
        return None
    return f"{reverse('governance:worker_list')}?{urlencode({'q': query})}"
