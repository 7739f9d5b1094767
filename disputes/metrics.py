"""Figures of disputes, mediation, legal service, hazards and service points."""

from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from core.metrics.registry import Metric, register, register_source
from core.models import DisputeCase, Hazard, LegalService, ServicePoint

DISPUTE_METRICS = [
    Metric(
        "disputes.received",
        _("Disputes received"),
        _("Dispute cases received in the period (by date received)."),
        "count",
        ("disputes.received",),
        _("cases"),
        order=10,
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
        phrase=_("a resolution rate of %(value)s%%"),
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
        phrase=_("%(value)s%% settled inside the grid"),
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
    ),
    Metric(
        "disputes.days_to_resolve",
        _("Average days to resolve"),
        _("For disputes resolved in the period: days from receipt to closing, averaged."),
        "mean",
        ("disputes.resolution_days", "disputes.resolved"),
        _("days"),
        order=15,
    ),
    Metric(
        "petitions.received",
        _("Petition cases"),
        _("Dispute cases whose source is a petition (信访), received in the period."),
        "count",
        ("petitions.received",),
        _("cases"),
        order=16,
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
        phrase=_("petition cases %(direction)s %(value)s%% year on year"),
    ),
    Metric(
        "studios.cases",
        _("Cases mediated by studios"),
        _("Dispute cases that a mediation studio first took up in the period."),
        "count",
        ("studios.cases",),
        _("cases"),
        order=18,
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
    ),
    Metric(
        "hazards.rectified",
        _("Hazards handled"),
        _("Safety hazards rectified with a rectification date in the period."),
        "count",
        ("hazards.rectified",),
        _("items"),
        order=41,
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
