"""Figures of care (一老一小), registered with core's metric registry from CareConfig.ready():
people in care by kind, visits due / on time / overdue, alerts received, taken within the
district's minutes, the median minutes to take one (a histogram "care.ack_minutes.<n>", as
consultation's days to delivery), and escalations."""

from django.utils.translation import gettext_lazy as _

from care.models import ACK_MINUTES_CAP, Alert, AlertStep, CarePerson, Visit, ack_minutes_key
from core.groups import Group
from core.metrics.registry import Metric, register, register_source

__all__ = ["ACK_MINUTES_KEYS", "CARE_METRICS", "KIND_CODES"]

ACK_MINUTES_KEYS = tuple(ack_minutes_key(n) for n in range(ACK_MINUTES_CAP + 1))

# The kinds the district starts with (care/migrations/0002): each has its own figure; a kind the
# district adds later counts in the total.
KIND_CODES = [
    ("living_alone", _("Older people living alone in care")),
    ("empty_nest", _("Empty-nest older people in care")),
    ("very_old", _("Very old people in care")),
    ("disabled", _("Disabled or semi-disabled people in care")),
    ("left_behind", _("Left-behind children in care")),
    ("in_difficulty", _("Children in difficulty in care")),
]

CARE_METRICS = [
    Metric(
        "care.people",
        _("People in care"),
        _("People on the care registry (一老一小) at the end of the period, every kind."),
        "stock",
        ("care.people",),
        _("people"),
        order=40,
        group=Group.GRID,
        phrase=_("%(value)s people in care"),
    ),
    *[
        Metric(
            f"care.people.{code}",
            label,
            _("People in care whose main kind is this one, at the end of the period."),
            "stock",
            (f"care.people.{code}",),
            _("people"),
            order=41 + n,
            group=Group.GRID,
        )
        for n, (code, label) in enumerate(KIND_CODES)
    ],
    Metric(
        "care.visits",
        _("Care visits made"),
        _("Visits to people in care made in the period (by the day of the visit)."),
        "count",
        ("care.visits",),
        _("visits"),
        order=48,
        group=Group.GRID,
        phrase=_("%(value)s care visits"),
    ),
    Metric(
        "care.visits_due",
        _("Care visits due"),
        _(
            "Visits the plan asked for with a due day in the period: made, or still awaited "
            "(by the due day)."
        ),
        "count",
        ("care.visits_due",),
        _("visits"),
        order=49,
        group=Group.GRID,
    ),
    Metric(
        "care.visits_on_time",
        _("Care visits on time"),
        _("Visits due in the period that were made on or before their due day."),
        "count",
        ("care.visits_on_time",),
        _("visits"),
        order=50,
        group=Group.GRID,
    ),
    Metric(
        "care.visits_overdue",
        _("Care visits overdue"),
        _(
            "Visits due in the period that were made after their due day, or whose due day "
            "passed without one (counted the night after)."
        ),
        "count",
        ("care.visits_overdue",),
        _("visits"),
        order=51,
        group=Group.GRID,
    ),
    Metric(
        "care.alerts",
        _("Bracelet alerts received"),
        _(
            "SOS, fall, no movement, abnormal heart rate and left-the-safe-area alerts received "
            "in the period (low battery and offline are maintenance, not counted)."
        ),
        "count",
        ("care.alerts",),
        _("alerts"),
        order=52,
        group=Group.GRID,
        phrase=_("%(value)s bracelet alerts received"),
    ),
    Metric(
        "care.alerts_in_window",
        _("Alerts taken in time"),
        _(
            "Alerts received in the period and taken within the minutes the district allowed "
            "when they arrived ÷ alerts received."
        ),
        "rate",
        ("care.alerts_ack_in_window", "care.alerts"),
        "%",
        order=53,
        group=Group.GRID,
    ),
    Metric(
        "care.ack_minutes",
        _("Median minutes to take an alert"),
        _(
            "For alerts received in the period and taken: the median of the whole minutes from "
            "arrival to being taken."
        ),
        "median",
        ACK_MINUTES_KEYS,
        _("minutes"),
        order=54,
        group=Group.GRID,
    ),
    Metric(
        "care.escalations",
        _("Alert escalations"),
        _("Times in the period an untaken alert climbed a level (to the community, the street)."),
        "count",
        ("care.escalations",),
        _("times"),
        order=55,
        group=Group.GRID,
    ),
]

for item in CARE_METRICS:
    register(item)

register_source(CarePerson, lambda: CarePerson.objects.select_related("kind"))
register_source(Visit)
register_source(Alert)
register_source(AlertStep, lambda: AlertStep.objects.select_related("alert"))
