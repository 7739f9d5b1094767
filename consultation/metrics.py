"""Figures of consultation (三会协商): demands, meetings by type, projects delivered, the median
days from demand to delivery, and residents' satisfaction with delivered projects.

The median is not additive, so it is not tallied as a number: each delivered project tallies
one fact "consultation.delivery_days.<n>" (n = days from its earliest demand to delivery,
capped at DELIVERY_DAYS_CAP), a histogram that does add up over units and days. The registry's
"median" kind reads the histogram's sums for a unit's subtree and period and takes their median,
so the figure is exact (to the day) for any unit and any period, still from tallies alone.
Projects with no demand behind them have no such fact and are not in the median."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consultation.models import (
    DELIVERY_DAYS_CAP,
    Demand,
    LivelihoodProject,
    Meeting,
    MeetingKind,
    ProjectRating,
    delivery_days_key,
)
from core.groups import Group
from core.metrics.drills import Column, Drill, register_drill
from core.metrics.registry import Metric, Period, register, register_source

__all__ = ["CONSULTATION_METRICS", "DELIVERY_DAYS_KEYS"]

DELIVERY_DAYS_KEYS = tuple(delivery_days_key(n) for n in range(DELIVERY_DAYS_CAP + 1))

CONSULTATION_METRICS = [
    Metric(
        "consultation.demands_received",
        _("Demands received"),
        _("Residents' demands received in the period, from every source (by date received)."),
        "count",
        ("consultation.demands_received",),
        _("cases"),
        order=60,
        group=Group.CONSULTATION,
        phrase=_("%(value)s residents' demands received"),
    ),
    Metric(
        "consultation.demands_answered",
        _("Demands answered"),
        _(
            "Demands whose answer reached the resident in the period: answered directly, or "
            "when the project behind them was delivered or dropped."
        ),
        "count",
        ("consultation.demands_answered",),
        _("cases"),
        order=61,
        group=Group.CONSULTATION,
    ),
    *[
        Metric(
            f"consultation.meetings.{kind}",
            label,
            _("Meetings of this type held in the period."),
            "count",
            (f"consultation.meetings.{kind}",),
            _("meetings"),
            order=62 + n,
            group=Group.CONSULTATION,
        )
        for n, (kind, label) in enumerate(
            [
                (MeetingKind.ANALYSIS, _("民情分析会 held")),
                (MeetingKind.DELIBERATION, _("阳光议事会 held")),
                (MeetingKind.PROMOTION, _("协商推进会 held")),
            ]
        )
    ],
    Metric(
        "consultation.projects_delivered",
        _("Livelihood projects delivered"),
        _("Livelihood projects completed with a completion date in the period."),
        "count",
        ("consultation.projects_delivered",),
        _("cases"),
        order=65,
        group=Group.CONSULTATION,
        headline=True,
        phrase=_("%(value)s livelihood projects delivered"),
    ),
    Metric(
        "consultation.days_to_delivery",
        _("Median days from demand to delivery"),
        _(
            "For projects delivered in the period with demands behind them: the median of the "
            "days from the earliest demand to delivery."
        ),
        "median",
        DELIVERY_DAYS_KEYS,
        _("days"),
        order=66,
        group=Group.CONSULTATION,
        basis=_("of projects delivered in the period"),
    ),
    Metric(
        "consultation.ratings",
        _("Ratings of delivered projects"),
        _("Residents' ratings of delivered projects given in the period (one per demand)."),
        "count",
        ("consultation.ratings",),
        _("cases"),
        order=67,
        group=Group.CONSULTATION,
    ),
    Metric(
        "consultation.satisfaction",
        _("Satisfaction with delivered projects"),
        _(
            "Residents' ratings of delivered projects given in the period: (very satisfied + "
            "satisfied) ÷ all ratings."
        ),
        "rate",
        ("consultation.satisfied", "consultation.ratings"),
        "%",
        order=68,
        group=Group.CONSULTATION,
        basis=_("of ratings given in the period"),
    ),
]

for item in CONSULTATION_METRICS:
    register(item)

register_source(Demand)
register_source(Meeting)
register_source(LivelihoodProject)
register_source(ProjectRating, lambda: ProjectRating.objects.all())


def _between(name: str, p: Period) -> dict:
    return {f"{name}__gte": p.start, f"{name}__lte": p.end}


def _in(unit) -> Q:
    return Q(unit__path__startswith=unit.path)


DEMAND_COLUMNS = (
    Column(_("Received on"), lambda d: d.received_on, link=True),
    Column(_("Unit"), lambda d: d.unit.name),
    Column(_("Source"), lambda d: d.get_source_display()),
    Column(_("Status"), lambda d: d.get_status_display()),
    Column(pgettext_lazy("demand", "Answered on"), lambda d: d.answered_on or "—"),
)
MEETING_COLUMNS = (
    Column(_("Meeting date"), lambda m: m.held_on, link=True),
    Column(_("Unit"), lambda m: m.unit.name),
    Column(_("Platform"), lambda m: m.platform.name if m.platform else "—"),
    Column(_("Place"), lambda m: m.place),
)
PROJECT_COLUMNS = (
    Column(_("Title"), lambda p: p.title, link=True),
    Column(_("Unit"), lambda p: p.unit.name),
    Column(_("Category"), lambda p: p.category.name),
    Column(_("Delivered on"), lambda p: p.delivered_on),
    Column(_("Days from demand"), lambda p: p.delivery_days() if p.first_demand_on else "—"),
)

register_drill(
    "consultation.demands_received",
    drill=Drill(
        lambda u, p: Demand.objects.filter(_in(u), **_between("received_on", p)).select_related(
            "unit"
        ),
        DEMAND_COLUMNS,
        "received_on",
    ),
)
register_drill(
    "consultation.demands_answered",
    drill=Drill(
        lambda u, p: Demand.objects.filter(_in(u), **_between("answered_on", p)).select_related(
            "unit"
        ),
        DEMAND_COLUMNS,
        "answered_on",
    ),
)
for _kind in MeetingKind.values:
    register_drill(
        f"consultation.meetings.{_kind}",
        drill=Drill(
            lambda u, p, kind=_kind: Meeting.objects.filter(
                _in(u), kind=kind, **_between("held_on", p)
            ).select_related("unit", "platform"),
            MEETING_COLUMNS,
            "held_on",
        ),
    )
register_drill(
    "consultation.projects_delivered",
    drill=Drill(
        lambda u, p: (
            LivelihoodProject.objects.delivered()
            .filter(_in(u), **_between("delivered_on", p))
            .select_related("unit", "category")
        ),
        PROJECT_COLUMNS,
        "delivered_on",
    ),
)
register_drill(
    "consultation.days_to_delivery",
    drill=Drill(
        lambda u, p: (
            LivelihoodProject.objects.delivered()
            .filter(_in(u), first_demand_on__isnull=False, **_between("delivered_on", p))
            .select_related("unit", "category")
        ),
        PROJECT_COLUMNS,
        "delivered_on",
    ),
)
register_drill(
    "consultation.ratings",
    "consultation.satisfaction",
    drill=Drill(
        lambda u, p: ProjectRating.objects.filter(_in(u), **_between("rated_on", p)).select_related(
            "project", "unit"
        ),
        (
            Column(_("Rated on"), lambda r: r.rated_on),
            Column(_("Project"), lambda r: r.project.title),
            Column(_("Unit"), lambda r: r.unit.name),
            Column(_("How satisfied"), lambda r: r.get_score_display()),
            Column(_("Satisfied"), lambda r: "✓" if r.score >= 4 else ""),
        ),
        "rated_on",
    ),
)
