"""The search box's searchers for dispute cases and safety hazards (registered in apps.py)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from core.redaction import redact
from core.search import Hit, as_pk, ranked
from disputes.models import DisputeCase, Hazard

__all__ = ["find_cases", "find_hazards"]


def find_cases(user, query: str, limit: int) -> list[Hit]:
    """By the case number (whole, or its tail "2026-00012"), then by what the case is about."""
    cases = DisputeCase.objects.for_user(user).select_related("unit")
    found = ranked(
        cases,
        exact=Q(number=query.upper()),
        contains=Q(number__contains=query.upper()) | Q(description__contains=query),
        order=("-received_on", "-id"),
        limit=limit,
    )
    return [
        Hit(
            label=case.number,
            url=case.get_absolute_url(),
            detail=" · ".join(
                [case.unit.name, case.get_status_display(), redact(case.description[:40])]
            ),
        )
        for case in found
    ]


def find_hazards(user, query: str, limit: int) -> list[Hit]:
    """By the hazard's number ("#37"), then by its place or description."""
    hazards = Hazard.objects.for_user(user).select_related("unit")
    pk = as_pk(query)
    found = ranked(
        hazards,
        exact=Q(pk=pk) if pk is not None else None,
        contains=Q(place__contains=query) | Q(description__contains=query),
        order=("-found_on", "-id"),
        limit=limit,
    )
    return [
        Hit(
            label=redact(str(hazard)),
            url=hazard.get_absolute_url(),
            detail=" · ".join(
                [
                    f"#{hazard.pk}",
                    hazard.unit.name,
                    _("Rectified") if hazard.rectified_on else _("Not rectified"),
                ]
            ),
        )
        for hazard in found
    ]
