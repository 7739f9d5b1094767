"""Figures of the workforce: training 人次, the share of workers trained, grids without a grid
worker, competition entrants (definitions as DOMAIN.md gives them)."""

from django.utils.translation import gettext_lazy as _

from core.groups import Group
from core.metrics.registry import Metric, register, register_source
from workforce.models import Attendance, Entrant, GridCoverage, Worker

WORKFORCE_METRICS = [
    Metric(
        "training.person_times",
        _("Training person-times"),
        _(
            "Attendances at training sessions held in the period, counted at the worker's unit: "
            "attendances, not people (one worker at three sessions is 3 person-times)."
        ),
        "count",
        ("training.person_times",),
        _("person-times"),
        order=60,
        group=Group.WORKFORCE,
        phrase=_("%(value)s person-times of training"),
    ),
    Metric(
        "training.trained_share",
        _("Workers trained this year"),
        _(
            "Of the workers on the roster in the year, the share who attended at least one "
            "training session in it. Read over a period that starts on 1 January."
        ),
        "rate",
        ("training.workers_trained", "workforce.roster"),
        "%",
        order=61,
        group=Group.WORKFORCE,
        basis=_("of workers on the roster in the year, trained since 1 January"),
    ),
    Metric(
        "workforce.roster",
        _("Workers on the roster"),
        _(
            "Community and grid workers on the roster at the end of the period: joined on or "
            "before it and not left by then. In a monthly table, each month's value is the "
            "roster at that month's end."
        ),
        "stock",
        ("workforce.on_roster",),
        _("people"),
        order=62,
        group=Group.WORKFORCE,
    ),
    Metric(
        "workforce.grids_uncovered",
        _("Grids without a grid worker"),
        _(
            "Active grids that no grid worker in post or on leave covers, as of the end of "
            "the period."
        ),
        "stock",
        ("workforce.grids_uncovered",),
        _("grids"),
        order=63,
        group=Group.WORKFORCE,
    ),
    Metric(
        "competition.entrants",
        _("Competition entrants"),
        _("Entrants of skills competitions held in the period, counted at the worker's unit."),
        "count",
        ("competition.entrants",),
        _("people"),
        order=64,
        group=Group.WORKFORCE,
        phrase=_("%(value)s workers entered the skills competition"),
    ),
]

for item in WORKFORCE_METRICS:
    register(item)

register_source(Worker)
register_source(GridCoverage, unit_path="grid__path")
register_source(
    Attendance,
    lambda: Attendance.objects.select_related("worker", "session"),
    unit_path="worker__unit__path",
)
register_source(
    Entrant,
    lambda: Entrant.objects.select_related("worker", "competition"),
    unit_path="worker__unit__path",
)


def _register_drills() -> None:
    from datetime import date

    from django.db.models import Count, Exists, OuterRef, Q

    from core.metrics.drills import Column, Drill, register_drill
    from workforce.models import TrainingSession

    def between(name, p):
        return {f"{name}__gte": p.start, f"{name}__lte": p.end}

    def sessions(u, p):
        mine = Q(attendances__attended=True, attendances__worker__unit__path__startswith=u.path)
        return (
            TrainingSession.objects.filter(**between("held_on", p))
            .select_related("programme")
            .annotate(person_times=Count("attendances", filter=mine))
            .filter(person_times__gt=0)
        )

    register_drill(
        "training.person_times",
        drill=Drill(
            sessions,
            (
                Column(_("Date"), lambda s: s.held_on),
                Column(_("Session"), lambda s: s.title, link=True),
                Column(_("Programme"), lambda s: s.programme.name),
                Column(_("Place"), lambda s: s.place),
                Column(_("Person-times"), lambda s: s.person_times),
            ),
            "held_on",
            total=lambda qs: sum(qs.values_list("person_times", flat=True)),
        ),
    )

    def roster(u, p):
        first_year = date(p.start.year, 1, 1)
        trained = Attendance.objects.filter(
            worker=OuterRef("pk"), attended=True, **between("session__held_on", p)
        )
        return (
            Worker.objects.filter(unit__path__startswith=u.path, joined_on__lte=p.end)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=first_year))
            .select_related("unit", "position")
            .annotate(trained=Exists(trained))
        )

    yes, no = _("yes"), _("no")
    register_drill(
        "workforce.roster",
        drill=Drill(
            lambda u, p: (
                Worker.objects.filter(unit__path__startswith=u.path, joined_on__lte=p.end)
                .filter(Q(left_on__isnull=True) | Q(left_on__gt=p.end))
                .select_related("unit", "position")
            ),
            (
                Column(_("Full name"), lambda w: w.name, link=True),
                Column(_("Position"), lambda w: w.position.name),
                Column(_("Unit"), lambda w: w.unit.name),
                Column(_("In post since"), lambda w: w.joined_on),
            ),
            "joined_on",
        ),
    )
    register_drill(
        "training.trained_share",
        drill=Drill(
            roster,
            (
                Column(_("Full name"), lambda w: w.name, link=True),
                Column(_("Position"), lambda w: w.position.name),
                Column(_("Unit"), lambda w: w.unit.name),
                Column(_("Trained in the period"), lambda w: yes if w.trained else no),
            ),
            "joined_on",
        ),
    )
    register_drill(
        "workforce.grids_uncovered",
        drill=Drill(
            lambda u, p: GridCoverage.objects.filter(
                grid__path__startswith=u.path, uncovered_since__lte=p.end
            ).select_related("grid__parent"),
            (
                Column(_("Grid"), lambda g: g.grid.name),
                Column(_("Community or village"), lambda g: g.grid.parent.name),
                Column(_("Without a grid worker since"), lambda g: g.uncovered_since),
            ),
            "uncovered_since",
        ),
    )

    def entrants(u, p):
        entered = Q(
            entries__competition__held_on__gte=p.start, entries__competition__held_on__lte=p.end
        )
        return (
            Worker.objects.filter(unit__path__startswith=u.path)
            .select_related("unit", "position")
            .annotate(entered=Count("entries", filter=entered))
            .filter(entered__gt=0)
        )

    register_drill(
        "competition.entrants",
        drill=Drill(
            entrants,
            (
                Column(_("Full name"), lambda w: w.name, link=True),
                Column(_("Position"), lambda w: w.position.name),
                Column(_("Unit"), lambda w: w.unit.name),
                Column(_("Competitions entered"), lambda w: w.entered),
            ),
            "joined_on",
            total=lambda qs: sum(qs.values_list("entered", flat=True)),
        ),
    )


_register_drills()
