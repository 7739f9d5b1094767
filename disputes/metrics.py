"""Figures of disputes, mediation, legal service, hazards and service points."""

from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from core.groups import Group
from core.metrics.drills import Column, Drill, register_drill
from core.metrics.registry import Metric, Period, register, register_source
from disputes.models import DisputeCase, Hazard, LegalService, ServicePoint

DISPUTE_METRICS = [
    Metric(
        "disputes.received",
        _("Disputes received"),
        _("Dispute cases received in the period (by date received)."),
        "count",
        ("disputes.received",),
        _("cases"),
        order=10,
        group=Group.DISPUTES,
        phrase=_("%(value)s disputes received"),
    ),
    Metric(
        "disputes.resolved",
        _("Disputes resolved"),
        _("Dispute cases resolved with a closing date in the period."),
        "count",
        ("disputes.resolved",),
        _("cases"),
        order=11,
        group=Group.DISPUTES,
        phrase=_("%(value)s resolved"),
    ),
    Metric(
        "disputes.resolution_rate",
        _("Resolution rate"),
        _("Of the disputes received in the period, the share resolved by the report date."),
        "rate",
        ("disputes.received_resolved", "disputes.received"),
        "%",
        order=12,
        group=Group.DISPUTES,
        headline=True,
        phrase=_("a resolution rate of %(value)s%%"),
        basis=_("of cases received in the period, resolved as of today"),
    ),
    Metric(
        "disputes.settled_in_grid",
        _("Settled inside the grid"),
        _(
            "Of the disputes resolved in the period, the share settled at grid level "
            "(小事不出网格)."
        ),
        "rate",
        ("disputes.settled_grid", "disputes.resolved"),
        "%",
        order=13,
        group=Group.DISPUTES,
        headline=True,
        phrase=_("%(value)s%% settled inside the grid"),
        basis=_("of cases resolved in the period"),
    ),
    Metric(
        "disputes.settled_in_street",
        _("Settled inside the street"),
        _(
            "Of the disputes resolved in the period, the share settled at street level or below "
            "(大事不出街道)."
        ),
        "rate",
        ("disputes.settled_street", "disputes.resolved"),
        "%",
        order=14,
        group=Group.DISPUTES,
        basis=_("of cases resolved in the period"),
    ),
    Metric(
        "disputes.days_to_resolve",
        _("Average days to resolve"),
        _("For disputes resolved in the period: days from receipt to closing, averaged."),
        "mean",
        ("disputes.resolution_days", "disputes.resolved"),
        _("days"),
        order=15,
        group=Group.DISPUTES,
        basis=_("of cases resolved in the period"),
    ),
    Metric(
        "petitions.received",
        _("Petition cases"),
        _("Dispute cases whose source is a petition (信访), received in the period."),
        "count",
        ("petitions.received",),
        _("cases"),
        order=16,
        group=Group.DISPUTES,
    ),
    Metric(
        "petitions.year_on_year",
        _("Petitions, year on year"),
        _(
            "Petitions received in the period against the same period a year before, "
            "as (this − last) ÷ last."
        ),
        "yoy",
        ("petitions.received",),
        "%",
        order=17,
        group=Group.DISPUTES,
        headline=True,
        phrase=_("petition cases %(direction)s %(value)s%% year on year"),
        basis=_("petitions received in the period, against the same period last year"),
    ),
    Metric(
        "studios.cases",
        _("Cases mediated by studios"),
        _("Dispute cases that a mediation studio first took up in the period."),
        "count",
        ("studios.cases",),
        _("cases"),
        order=18,
        group=Group.DISPUTES,
        phrase=_("%(value)s disputes mediated by mediation studios"),
    ),
    Metric(
        "legal.people",
        _("Legal-service person-times"),
        _(
            "Person-times reached by pro bono legal service in the period "
            "(attendances, not people)."
        ),
        "count",
        ("legal.people",),
        _("person-times"),
        order=30,
        group=Group.DISPUTES,
        phrase=_("%(value)s person-times of pro bono legal service"),
    ),
    Metric(
        "hazards.found",
        _("Hazards found"),
        _("Safety hazards found in the period."),
        "count",
        ("hazards.found",),
        _("items"),
        order=40,
        group=Group.GRID,
    ),
    Metric(
        "hazards.rectified",
        _("Hazards handled"),
        _("Safety hazards rectified with a rectification date in the period."),
        "count",
        ("hazards.rectified",),
        _("items"),
        order=41,
        group=Group.GRID,
        headline=True,
        phrase=_("%(value)s safety hazards handled"),
    ),
    Metric(
        "hazards.overdue",
        _("Hazards overdue"),
        _("Hazards past their deadline and not rectified, as of the end of the period."),
        "stock",
        ("hazards.overdue",),
        _("items"),
        order=42,
        group=Group.GRID,
    ),
]

POINT_METRICS = [
    Metric(
        f"points.{kind}",
        label,
        _("Service points of this kind open at the end of the period."),
        "stock",
        (f"points.{kind}",),
        _("points"),
        order=50 + n,
        group=Group.GRID,
    )
    for n, (kind, label) in enumerate(
        [
            ("grid_station", _("Grid stations")),
            ("worker_station", _("Stations for couriers and drivers")),
            ("canteen", _("Charity canteens")),
            ("mediation", _("Mediation studios")),
        ]
    )
]

for item in DISPUTE_METRICS + POINT_METRICS:
    register(item)


def _cases_with_studio_day():
    return DisputeCase.objects.annotate(
        first_studio_session_on=Min("sessions__held_on", filter=Q(sessions__studio__isnull=False))
    )


register_source(DisputeCase, _cases_with_studio_day)
register_source(Hazard)
register_source(LegalService)
register_source(ServicePoint)


def _in(unit, path: str = "unit__path") -> Q:
    return Q(**{f"{path}__startswith": unit.path})


def _cases(unit, period: Period, **filters):
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


def _register_drills() -> None:
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
    hazards = lambda u: Hazard.objects.counted().filter(_in(u)).select_related("unit")  # noqa: E731
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


_register_drills()
