"""Figures of the volunteer service, registered with core's metric registry (and their
drill-throughs) from VolunteersConfig.ready(): core never imports this app."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.groups import Group
from core.metrics.drills import Column, Drill, register_drill
from core.metrics.registry import Metric, register, register_source
from volunteers.models import (
    Activity,
    EntryKind,
    NetworkLevel,
    NetworkNode,
    PointEntry,
    ServiceHours,
    Team,
    Volunteer,
    VolunteerStatus,
)

METRICS = [
    Metric(
        "volunteers.registered",
        _("Registered volunteers"),
        _(
            "Volunteers registered in the unit on or before the end of the period, whatever "
            "their status: those paused or left by then are included. Registered = active + "
            "paused + left."
        ),
        "stock",
        ("volunteers.registered",),
        _("people"),
        order=200,
        group=Group.VOLUNTEERING,
        headline=True,
        phrase=_("%(value)s registered volunteers"),
        parts=("volunteers.active", "volunteers.paused", "volunteers.left"),
    ),
    Metric(
        "volunteers.active",
        _("Active volunteers"),
        _(
            "Registered volunteers whose status is active at the end of the period "
            "(not paused, not left): the registered less the paused and those who left."
        ),
        "stock",
        ("volunteers.active",),
        _("people"),
        order=201,
        group=Group.VOLUNTEERING,
    ),
    Metric(
        "volunteers.paused",
        _("Paused volunteers"),
        _(
            "Registered volunteers whose service is paused at the end of the period "
            "(paused on or before it, not since returned or left)."
        ),
        "stock",
        ("volunteers.paused",),
        _("people"),
        order=202,
        group=Group.VOLUNTEERING,
    ),
    Metric(
        "volunteers.left",
        _("Volunteers who left"),
        _("Registered volunteers who had left by the end of the period."),
        "stock",
        ("volunteers.left",),
        _("people"),
        order=203,
        group=Group.VOLUNTEERING,
    ),
    Metric(
        "volunteers.teams",
        _("Volunteer teams"),
        _("Volunteer teams founded on or before the end of the period."),
        "stock",
        ("volunteers.teams",),
        _("teams"),
        order=204,
        group=Group.VOLUNTEERING,
        phrase=_("%(value)s volunteer teams"),
    ),
    Metric(
        "volunteers.activities",
        _("Volunteer activities"),
        _("Volunteer activities held in the period (by the day they began)."),
        "count",
        ("volunteers.activities",),
        _("activities"),
        order=205,
        group=Group.VOLUNTEERING,
        phrase=_("%(value)s volunteer activities"),
    ),
    Metric(
        "volunteers.served",
        _("Person-times served"),
        _(
            "Person-times served by volunteer activities held in the period "
            "(attendances, not people)."
        ),
        "count",
        ("volunteers.served",),
        _("person-times"),
        order=206,
        group=Group.VOLUNTEERING,
        phrase=_("serving %(value)s person-times"),
    ),
    Metric(
        "volunteers.hours",
        _("Verified service hours"),
        _("The sum of verified volunteer hours of activities held in the period."),
        "count",
        ("volunteers.hours_tenths",),
        _("hours"),
        order=207,
        group=Group.VOLUNTEERING,
        headline=True,
        phrase=_("%(value)s verified service hours"),
        divisor=10,
    ),
    Metric(
        "volunteers.points_issued",
        _("Points issued"),
        _(
            "Points credited in the period for verified hours and good deeds, "
            "net of corrections (by the day of the ledger entry)."
        ),
        "count",
        ("volunteers.points_issued",),
        pgettext_lazy("unit of volunteer points", "points"),
        order=208,
        group=Group.VOLUNTEERING,
    ),
    Metric(
        "volunteers.points_redeemed",
        _("Points redeemed"),
        _("Points spent on goods at points supermarkets in the period."),
        "count",
        ("volunteers.points_redeemed",),
        pgettext_lazy("unit of volunteer points", "points"),
        order=209,
        group=Group.VOLUNTEERING,
    ),
] + [
    Metric(
        f"volunteers.{level}",
        label,
        _(
            "Organisations of the volunteer network at this level whose home unit lies in the "
            "area, as of the end of the period; each is counted once, however many units it serves."
        ),
        "stock",
        (f"volunteers.{level}",),
        _("organisations"),
        order=210 + n,
        group=Group.VOLUNTEERING,
    )
    for n, (level, label) in enumerate(
        [
            (NetworkLevel.FEDERATION, _("District volunteer federations")),
            (NetworkLevel.STREET, _("Street volunteer alliances")),
            (NetworkLevel.COMMUNITY, _("Community volunteer alliances")),
            (NetworkLevel.VILLAGE, _("Village volunteer service points")),
        ]
    )
]

for item in METRICS:
    register(item)

register_source(NetworkNode)
register_source(Volunteer)
register_source(Team)
register_source(Activity)
register_source(ServiceHours)
register_source(PointEntry)


def _in(unit, path: str = "unit__path") -> Q:
    return Q(**{f"{path}__startswith": unit.path})


def _between(name: str, period) -> dict:
    return {f"{name}__gte": period.start, f"{name}__lte": period.end}


VOLUNTEER_COLUMNS = (
    Column(_("Volunteer"), lambda v: str(v), link=True),
    Column(_("Registered at"), lambda v: v.unit.name),
    Column(_("Joined on"), lambda v: v.joined_on),
    Column(_("Status"), lambda v: v.get_status_display()),
)
ACTIVITY_COLUMNS = (
    Column(_("Activity"), lambda a: a.title, link=True),
    Column(_("Date"), lambda a: a.day),
    Column(_("Organising unit"), lambda a: a.unit.name),
    Column(_("Team"), lambda a: a.team.name),
    Column(_("Theme"), lambda a: a.theme.name),
    Column(_("Person-times served"), lambda a: a.served),
)


def _register_drills() -> None:
    register_drill(
        "volunteers.registered",
        drill=Drill(
            lambda u, p: Volunteer.objects.filter(_in(u), joined_on__lte=p.end).select_related(
                "unit"
            ),
            VOLUNTEER_COLUMNS,
            "joined_on",
        ),
    )
    register_drill(
        "volunteers.active",
        drill=Drill(
            lambda u, p: (
                Volunteer.objects.filter(_in(u), joined_on__lte=p.end)
                .filter(
                    Q(status=VolunteerStatus.ACTIVE)
                    | Q(status_since__gt=p.end)
                    | Q(status_since__isnull=True, joined_on__gt=p.end)
                )
                .select_related("unit")
            ),
            VOLUNTEER_COLUMNS,
            "joined_on",
        ),
    )
    for status in (VolunteerStatus.PAUSED, VolunteerStatus.LEFT):
        register_drill(
            f"volunteers.{status.value}",
            drill=Drill(
                lambda u, p, status=status: (
                    Volunteer.objects.filter(_in(u), joined_on__lte=p.end, status=status)
                    .filter(Q(status_since__isnull=True) | Q(status_since__lte=p.end))
                    .select_related("unit")
                ),
                VOLUNTEER_COLUMNS + (Column(_("Status since"), lambda v: v.status_since),),
                "joined_on",
            ),
        )
    register_drill(
        "volunteers.teams",
        drill=Drill(
            lambda u, p: Team.objects.filter(_in(u), founded_on__lte=p.end).select_related("unit"),
            (
                Column(_("Team"), lambda t: t.name, link=True),
                Column(_("Unit"), lambda t: t.unit.name),
                Column(_("Founded on"), lambda t: t.founded_on),
            ),
            "founded_on",
        ),
    )
    activities = lambda u, p: Activity.objects.filter(  # noqa: E731
        _in(u), **_between("held_on", p)
    ).select_related("unit", "team", "theme")
    register_drill(
        "volunteers.activities",
        drill=Drill(activities, ACTIVITY_COLUMNS, "held_on"),
    )
    register_drill(
        "volunteers.served",
        drill=Drill(
            activities,
            ACTIVITY_COLUMNS,
            "held_on",
            total=lambda qs: sum(qs.values_list("served", flat=True)),
        ),
    )
    register_drill(
        "volunteers.hours",
        drill=Drill(
            lambda u, p: ServiceHours.objects.filter(
                _in(u), status="verified", **_between("served_on", p)
            ).select_related("activity", "volunteer"),
            (
                Column(_("Date"), lambda h: h.served_on),
                Column(_("Activity"), lambda h: h.activity.title),
                Column(_("Volunteer"), lambda h: str(h.volunteer)),
                Column(_("Hours"), lambda h: h.hours),
            ),
            "served_on",
            total=lambda qs: sum(qs.values_list("hours", flat=True)),
        ),
    )
    ledger_columns = (
        Column(_("At"), lambda e: e.at),
        Column(_("Volunteer"), lambda e: str(e.volunteer)),
        Column(_("Reason"), lambda e: e.reason),
        Column(_("Points"), lambda e: e.delta),
    )
    register_drill(
        "volunteers.points_issued",
        drill=Drill(
            lambda u, p: (
                PointEntry.objects.filter(_in(u), **_between("day", p))
                .exclude(kind=EntryKind.REDEMPTION)
                .select_related("volunteer")
            ),
            ledger_columns,
            "day",
            total=lambda qs: sum(qs.values_list("delta", flat=True)),
        ),
    )
    register_drill(
        "volunteers.points_redeemed",
        drill=Drill(
            lambda u, p: PointEntry.objects.filter(
                _in(u), kind=EntryKind.REDEMPTION, **_between("day", p)
            ).select_related("volunteer"),
            ledger_columns,
            "day",
            total=lambda qs: -sum(qs.values_list("delta", flat=True)),
        ),
    )
    for level in NetworkLevel.values:
        register_drill(
            f"volunteers.{level}",
            drill=Drill(
                lambda u, p, level=level: (
                    NetworkNode.objects.filter(_in(u), level=level, founded_on__lte=p.end)
                    .select_related("unit")
                    .prefetch_related("serves")
                ),
                (
                    Column(_("Name"), lambda n: n.name),
                    Column(_("Home unit"), lambda n: n.unit.name),
                    Column(_("Units served"), lambda n: "、".join(u.name for u in n.serves.all())),
                    Column(_("Founded on"), lambda n: n.founded_on),
                ),
                "founded_on",
            ),
        )


_register_drills()
