"""Drill-through: the records behind a figure. For a count or a stock the list's length is the
figure; for a sum (person-times) its total is; for a rate the list is the denominator's records,
with a column saying which are in the numerator."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from core.metrics.registry import Period

__all__ = ["Column", "Drill", "register_drill", "drill_for"]


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable  # record -> shown value (never raw personal data)
    link: bool = False


@dataclass(frozen=True)
class Drill:
    records: Callable  # (unit, period) -> queryset, already limited to the unit's subtree
    columns: tuple[Column, ...]
    date_field: str
    total: Callable | None = None  # queryset -> the figure, when it is a sum
    extra: tuple[Column, ...] = field(default_factory=tuple)


_drills: dict[str, Drill] = {}


def register_drill(*keys: str, drill: Drill) -> None:
    for key in keys:
        _drills[key] = drill


def drill_for(key: str) -> Drill | None:
    return _drills.get(key)


def _in(unit, path: str = "unit__path") -> Q:
    return Q(**{f"{path}__startswith": unit.path})


def _cases(unit, period: Period, **filters):
    from core.models import DisputeCase

    return DisputeCase.objects.filter(_in(unit), **filters).select_related("unit", "category")


CASE_COLUMNS = (
    Column(_("Case number"), lambda c: c.number, link=True),
    Column(_("Received on"), lambda c: c.received_on),
    Column(_("Unit"), lambda c: c.unit.name),
    Column(_("Category"), lambda c: c.category.name),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Settled at"), lambda c: c.get_settled_level_display() if c.settled_level else "—"),
    Column(_("Closed on"), lambda c: c.resolved_on or "—"),
)


def _register() -> None:
    from core.models import AdministrativeUnit, Hazard, LegalService, ServicePoint

    between = lambda name, p: {f"{name}__gte": p.start, f"{name}__lte": p.end}  # noqa: E731
    register_drill(
        "disputes.received",
        "disputes.resolution_rate",
        drill=Drill(
            lambda u, p: _cases(u, p, **between("received_on", p)), CASE_COLUMNS, "received_on"
        ),
    )
    register_drill(
        "disputes.resolved",
        "disputes.settled_in_grid",
        "disputes.settled_in_street",
        "disputes.days_to_resolve",
        drill=Drill(
            lambda u, p: _cases(u, p, status="resolved", **between("resolved_on", p)),
            CASE_COLUMNS,
            "resolved_on",
        ),
    )
    register_drill(
        "petitions.received",
        "petitions.year_on_year",
        drill=Drill(
            lambda u, p: _cases(u, p, source="petition", **between("received_on", p)),
            CASE_COLUMNS,
            "received_on",
        ),
    )
    register_drill(
        "studios.cases",
        drill=Drill(
            lambda u, p: (
                _cases(u, p)
                .annotate(
                    first_studio=Min("sessions__held_on", filter=Q(sessions__studio__isnull=False))
                )
                .filter(first_studio__gte=p.start, first_studio__lte=p.end)
            ),
            CASE_COLUMNS,
            "received_on",
        ),
    )
    hazard_columns = (
        Column(_("Found on"), lambda h: h.found_on, link=True),
        Column(_("Unit"), lambda h: h.unit.name),
        Column(_("Category"), lambda h: h.get_category_display()),
        Column(_("Place"), lambda h: h.place),
        Column(_("Rectify by"), lambda h: h.deadline),
        Column(_("Rectified on"), lambda h: h.rectified_on or "—"),
    )
    hazards = lambda u: Hazard.objects.filter(_in(u)).select_related("unit")  # noqa: E731
    register_drill(
        "hazards.found",
        drill=Drill(
            lambda u, p: hazards(u).filter(**between("found_on", p)), hazard_columns, "found_on"
        ),
    )
    register_drill(
        "hazards.rectified",
        drill=Drill(
            lambda u, p: hazards(u).filter(**between("rectified_on", p)), hazard_columns, "found_on"
        ),
    )
    register_drill(
        "hazards.overdue",
        drill=Drill(
            lambda u, p: (
                hazards(u)
                .filter(deadline__lt=p.end)
                .filter(Q(rectified_on__isnull=True) | Q(rectified_on__gt=p.end))
            ),
            hazard_columns,
            "found_on",
        ),
    )
    register_drill(
        "legal.people",
        drill=Drill(
            lambda u, p: LegalService.objects.filter(
                _in(u), **between("held_on", p)
            ).select_related("unit"),
            (
                Column(_("Date"), lambda r: r.held_on),
                Column(_("Unit"), lambda r: r.unit.name),
                Column(_("Kind"), lambda r: r.get_kind_display()),
                Column(_("Person-times reached"), lambda r: r.people_reached),
            ),
            "held_on",
            total=lambda qs: sum(qs.values_list("people_reached", flat=True)),
        ),
    )
    for kind in ServicePoint.Kind.values:
        register_drill(
            f"points.{kind}",
            drill=Drill(
                lambda u, p, kind=kind: (
                    ServicePoint.objects.filter(_in(u), kind=kind, opened_on__lte=p.end)
                    .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=p.end))
                    .select_related("unit")
                ),
                (
                    Column(_("Name"), lambda s: s.name),
                    Column(_("Unit"), lambda s: s.unit.name),
                    Column(_("Address"), lambda s: s.address),
                    Column(_("Opening hours"), lambda s: s.hours),
                ),
                "opened_on",
            ),
        )
    for level in ("street", "community", "village", "grid"):
        register_drill(
            f"units.{level}",
            drill=Drill(
                lambda u, p, level=level: AdministrativeUnit.objects.filter(
                    path__startswith=u.path, level=level, created_on__lte=p.end
                ).filter(Q(retired_on__isnull=True) | Q(retired_on__gt=p.end)),
                (
                    Column(_("Name"), lambda x: x.name, link=True),
                    Column(_("Statistical division code"), lambda x: x.code),
                    Column(_("Established on"), lambda x: x.created_on),
                ),
                "created_on",
            ),
        )


_register()
