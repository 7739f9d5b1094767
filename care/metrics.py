"""Figures of care (一老一小), registered with core's metric registry from CareConfig.ready():
people in care by kind, visits due / on time / overdue, alerts received, taken within the
district's minutes, the median minutes to take one (a histogram "care.ack_minutes.<n>", as
consultation's days to delivery), and escalations."""

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models import (
    ACK_MINUTES_CAP,
    MAINTENANCE_KINDS,
    Alert,
    AlertStep,
    CarePerson,
    ChildActivity,
    Visit,
    ack_minutes_key,
)
from core.groups import Group
from core.metrics.drills import Column, Drill, register_drill
from core.metrics.registry import Metric, register, register_source
from core.privacy import masked_field

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
        basis=_("of alerts received in the period, taken as of today"),
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
    Metric(
        "care.children_served",
        _("Children in care served by volunteer activities"),
        _(
            "Times in the period a child in care (left-behind, in difficulty) took part in a "
            "volunteer activity (暑期托管, 关爱), by the day it was held: one child in three "
            "activities counts 3."
        ),
        "count",
        ("care.children_served",),
        _("person-times"),
        order=56,
        group=Group.GRID,
        phrase=_("volunteer activities served children in care %(value)s times"),
    ),
]

for item in CARE_METRICS:
    register(item)

register_source(CarePerson, lambda: CarePerson.objects.select_related("kind"))
register_source(Visit)
register_source(Alert)
register_source(
    AlertStep, lambda: AlertStep.objects.select_related("alert"), unit_path="alert__unit__path"
)
register_source(ChildActivity)


# Drill-throughs: the records behind each figure, personal data masked, nothing linked (the
# district reads the figures but opens no one's record).


def _in(unit, path: str = "unit__path") -> Q:
    return Q(**{f"{path}__startswith": unit.path})


def _between(name: str, p) -> dict:
    return {f"{name}__gte": p.start, f"{name}__lte": p.end}


def _people_at_end(unit, p, code: str | None = None):
    people = CarePerson.objects.filter(_in(unit), registered_on__lte=p.end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=p.end)
    )
    if code:
        people = people.filter(kind__code=code)
    return people.select_related("unit", "kind")


PERSON_COLUMNS = (
    Column(_("Person"), lambda x: masked_field(x, "name")),
    Column(_("Kind of care"), lambda x: x.kind.name),
    Column(_("Grid"), lambda x: x.unit.name),
    Column(_("Registered on"), lambda x: x.registered_on),
)
VISIT_COLUMNS = (
    Column(_("Date of the visit"), lambda v: v.visited_on),
    Column(_("Due on"), lambda v: v.due_on),
    Column(_("Person"), lambda v: masked_field(v.person, "name")),
    Column(_("Grid"), lambda v: v.unit.name),
    Column(_("How the person was found"), lambda v: v.get_finding_display()),
)
ALERT_COLUMNS = (
    Column(_("Received at"), lambda a: timezone.localtime(a.received_at)),
    Column(_("Kind of alert"), lambda a: a.get_kind_display()),
    Column(_("Grid"), lambda a: a.unit.name),
    Column(
        _("Minutes to take"),
        lambda a: "—" if a.acknowledged_at is None else a.minutes_to_acknowledge,
    ),
    Column(_("Outcome"), lambda a: a.get_outcome_display() or "—"),
)


def _occasions(unit, p, late_only: bool = False):
    """People with visits due in the period, and how many: the visits made for a due day in the
    period (late ones only, for overdue) and the one still awaited when its day is in it."""
    made = Q(visits__due_on__gte=p.start, visits__due_on__lte=p.end)
    awaited = (Q(left_on__isnull=True) | Q(next_visit_due__lt=F("left_on"))) & Q(
        next_visit_due__gte=p.start, next_visit_due__lte=p.end
    )
    if late_only:
        made &= Q(visits__visited_on__gt=F("visits__due_on"))
        awaited &= Q(overdue=True)
    return (
        CarePerson.objects.filter(_in(unit))
        .annotate(
            occasions=Count("visits", filter=made)
            + Case(When(awaited, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .filter(occasions__gt=0)
        .select_related("unit", "kind")
    )


def _occasion_total(people) -> int:
    return sum(people.values_list("occasions", flat=True))


OCCASION_COLUMNS = (
    Column(_("Person"), lambda x: masked_field(x, "name")),
    Column(_("Grid"), lambda x: x.unit.name),
    Column(_("Next visit due"), lambda x: x.next_visit_due),
    Column(_("Visits"), lambda x: x.occasions),
)


def _urgent_alerts(unit, p):
    return (
        Alert.objects.filter(_in(unit), **_between("received_on", p))
        .exclude(kind__in=MAINTENANCE_KINDS)
        .select_related("unit")
    )


def _register_drills() -> None:
    register_drill(
        "care.people",
        drill=Drill(lambda u, p: _people_at_end(u, p), PERSON_COLUMNS, "registered_on"),
    )
    for code, _label in KIND_CODES:
        register_drill(
            f"care.people.{code}",
            drill=Drill(
                lambda u, p, code=code: _people_at_end(u, p, code), PERSON_COLUMNS, "registered_on"
            ),
        )
    register_drill(
        "care.visits",
        drill=Drill(
            lambda u, p: Visit.objects.filter(_in(u), **_between("visited_on", p)).select_related(
                "person", "unit"
            ),
            VISIT_COLUMNS,
            "visited_on",
        ),
    )
    register_drill(
        "care.visits_on_time",
        drill=Drill(
            lambda u, p: Visit.objects.filter(
                _in(u), visited_on__lte=F("due_on"), **_between("due_on", p)
            ).select_related("person", "unit"),
            VISIT_COLUMNS,
            "due_on",
        ),
    )
    register_drill(
        "care.visits_due",
        drill=Drill(_occasions, OCCASION_COLUMNS, "registered_on", total=_occasion_total),
    )
    register_drill(
        "care.visits_overdue",
        drill=Drill(
            lambda u, p: _occasions(u, p, late_only=True),
            OCCASION_COLUMNS,
            "registered_on",
            total=_occasion_total,
        ),
    )
    register_drill(
        "care.alerts",
        "care.alerts_in_window",
        "care.ack_minutes",
        drill=Drill(_urgent_alerts, ALERT_COLUMNS, "received_on"),
    )
    register_drill(
        "care.escalations",
        drill=Drill(
            lambda u, p: (
                Alert.objects.filter(_in(u))
                .annotate(
                    climbs=Count(
                        "steps",
                        filter=Q(steps__step="escalated", steps__at__date__gte=p.start)
                        & Q(steps__at__date__lte=p.end),
                    )
                )
                .filter(climbs__gt=0)
                .select_related("unit")
            ),
            (*ALERT_COLUMNS, Column(_("Escalations"), lambda a: a.climbs)),
            "received_on",
            total=lambda alerts: sum(alerts.values_list("climbs", flat=True)),
        ),
    )
    register_drill(
        "care.children_served",
        drill=Drill(
            lambda u, p: ChildActivity.objects.filter(
                _in(u), **_between("held_on", p)
            ).select_related("person__kind", "unit"),
            (
                Column(_("Date of the activity"), lambda x: x.held_on),
                Column(_("Child"), lambda x: masked_field(x.person, "name")),
                Column(_("Kind of care"), lambda x: x.person.kind.name),
                Column(_("Grid"), lambda x: x.unit.name),
            ),
            "held_on",
        ),
    )


_register_drills()
