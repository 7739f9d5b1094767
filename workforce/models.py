"""Workforce (建强骨干队伍): community and grid workers, their training (三维培训), the skills
competition (职业能力大赛) and incentives (激励保障).

Figures fed from here (DOMAIN.md, "How figures are defined"):
- training 人次: attendances, not people: one worker at three sessions is 3 人次. Each ticked
  attendance is one fact, at the worker's unit, on the session's day.
- workers trained: per worker and calendar year, one fact on the day of their first attended
  session that year; the roster: per worker, one fact on 1 January of every year they are on it.
- workers on the roster (a stock): +1 on the day a worker joined, −1 on the day they left.
- grids without a worker: one fact per active grid that no active grid worker covers, from the
  day it lost (or never had) one; a stock.
- competition entrants: one fact per entrant, on the competition's day.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned
from core.privacy import personal_data

__all__ = [
    "WorkerPosition",
    "WorkerStatus",
    "Qualification",
    "Worker",
    "GridAssignment",
    "GridCoverage",
    "Organiser",
    "TrainingProgramme",
    "TrainingSession",
    "Attendance",
    "Competition",
    "CompetitionRound",
    "RoundKind",
    "RoundJudge",
    "Entrant",
    "Score",
    "Award",
    "Incentive",
]


@pghistory.track(meta={"db_table": "governance_workerpositionevent"})
class WorkerPosition(models.Model):
    """The editable list of positions (社区书记, 社区工作者, 专职网格员, 兼职网格员 ...)."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    is_grid = models.BooleanField(
        _("grid worker"),
        default=False,
        help_text=_("Holders of this position cover grids, and must name at least one."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        db_table = "governance_workerposition"
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", _("In post")
    LEAVE = "leave", _("On leave")
    LEFT = "left", _("Left")


COVERING = (WorkerStatus.ACTIVE, WorkerStatus.LEAVE)


class Qualification(models.TextChoices):
    SW_ASSISTANT = "sw_assistant", _("Assistant social worker (助理社会工作师)")
    SW = "sw", _("Social worker (社会工作师)")
    SW_SENIOR = "sw_senior", _("Senior social worker (高级社会工作师)")
    MEDIATOR = "mediator", _("People's mediator (人民调解员)")
    LEGAL = "legal", _("Legal professional qualification")


class WorkerQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def current(self):
        return self.exclude(status=WorkerStatus.LEFT)


@personal_data(phone="phone")
@pghistory.track(meta={"db_table": "governance_workerevent"})
class Worker(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="workers"
    )
    name = models.CharField(_("name"), max_length=32)
    position = models.ForeignKey(
        WorkerPosition, verbose_name=_("position"), on_delete=models.PROTECT
    )
    grids = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("grids"),
        through="GridAssignment",
        related_name="grid_workers",
        blank=True,
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    qualifications = ArrayField(
        models.CharField(max_length=16, choices=Qualification.choices),
        verbose_name=_("qualifications"),
        default=list,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=8, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE
    )
    joined_on = models.DateField(_("in post since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        db_table = "governance_worker"
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["unit__code", "position__order", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:worker_detail", kwargs={"pk": self.pk})

    def qualification_labels(self) -> list[str]:
        labels = dict(Qualification.choices)
        return [str(labels.get(q, q)) for q in self.qualifications]

    def roster_years(self) -> range:
        """The years the worker is on the roster; the coming year too, so the share of workers
        trained has its denominator on 1 January (rebuild_tallies extends it once a year)."""
        last = self.left_on.year if self.left_on else timezone.localdate().year + 1
        return range(self.joined_on.year, max(last, self.joined_on.year) + 1)

    def first_trained_days(self) -> list[date]:
        if self.pk is None:
            return []
        rows = (
            Attendance.objects.filter(worker_id=self.pk, attended=True)
            .values("session__held_on__year")
            .annotate(first=models.Min("session__held_on"))
            .order_by()
        )
        return sorted(row["first"] for row in rows)

    def roster_facts(self) -> list[Fact]:
        """The year's roster, one fact each 1 January (the share trained is taken over it), and
        the roster as a stock: one in from the day the worker joined, out from the day they left."""
        facts = [
            Fact(self.unit_id, date(year, 1, 1), "workforce.roster", 1)
            for year in self.roster_years()
        ]
        facts.append(Fact(self.unit_id, self.joined_on, "workforce.on_roster", 1))
        if self.left_on:
            left = max(self.left_on, self.joined_on)
            facts.append(Fact(self.unit_id, left, "workforce.on_roster", -1))
        return facts

    def tally_facts(self) -> list[Fact]:
        facts = self.roster_facts()
        facts += [
            Fact(self.unit_id, day, "training.workers_trained", 1)
            for day in self.first_trained_days()
        ]
        return facts


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.DeleteEvent(),
    meta={"db_table": "governance_gridassignmentevent"},
)
class GridAssignment(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="assignments")
    grid = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "governance_gridassignment"
        constraints = [
            models.UniqueConstraint(
                fields=("worker", "grid"), name="governance_%(class)s_worker_grid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} → {self.grid_id}"


class GridCoverage(Tallied):
    """Whether a grid has a grid worker: kept by `refresh_grid_coverage` whenever a roster
    changes or a grid is added or retired; feeds the stock 'grids without a worker'."""

    grid = models.OneToOneField(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    uncovered_since = models.DateField(null=True, blank=True)

    objects = TallyingQuerySet.as_manager()

    class Meta:
        db_table = "governance_gridcoverage"

    def __str__(self) -> str:
        return f"{self.grid_id}: {self.uncovered_since or 'covered'}"

    def tally_facts(self) -> list[Fact]:
        if self.uncovered_since is None:
            return []
        return [Fact(self.grid_id, self.uncovered_since, "workforce.grids_uncovered", 1)]


class Organiser(models.TextChoices):
    SOCIAL_WORK = "social_work", _("District social-work department (区委社会工作部)")
    POLITICAL_LEGAL = "political_legal", _("Political-legal committee (政法委)")
    ORGANISATION = "organisation", _("Organisation department (组织部)")
    PARTY_SCHOOL = "party_school", _("Party school (党校)")


class ProgrammeQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_trainingprogrammeevent"})
class TrainingProgramme(Versioned):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("organised for"),
        on_delete=models.PROTECT,
        related_name="training_programmes",
    )
    name = models.CharField(_("name"), max_length=64)
    organisers = ArrayField(
        models.CharField(max_length=16, choices=Organiser.choices),
        verbose_name=_("organisers"),
        default=list,
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        db_table = "governance_trainingprogramme"
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:programme_detail", kwargs={"pk": self.pk})

    def organiser_labels(self) -> list[str]:
        labels = dict(Organiser.choices)
        return [str(labels.get(o, o)) for o in self.organisers]


class SessionQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_trainingsessionevent"})
class TrainingSession(Versioned):
    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("organised for"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("One per line: handouts, slides, links.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        db_table = "governance_trainingsession"
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:session_detail", kwargs={"pk": self.pk})

    def material_lines(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


class AttendanceQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "session__unit__path"


@pghistory.track(meta={"db_table": "governance_attendanceevent"})
class Attendance(Tallied):
    """A worker invited to a session, and whether they came (one 人次 when ticked)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="attendances")
    attended = models.BooleanField(_("attended"), default=False)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        db_table = "governance_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["worker__unit__code", "worker__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=("session", "worker"), name="governance_%(class)s_session_worker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.worker_id}: {self.attended}"

    def tally_facts(self) -> list[Fact]:
        if not self.attended:
            return []
        return [Fact(self.worker.unit_id, self.session.held_on, "training.person_times", 1)]


class CompetitionQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_competitionevent"})
class Competition(Versioned):
    class Status(models.TextChoices):
        SCORING = "scoring", _("Scoring")
        PUBLISHED = "published", _("Results published")

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("organised for"),
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    name = models.CharField(_("name"), max_length=64)
    held_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCORING
    )
    first_prizes = models.PositiveSmallIntegerField(_("first prizes"), default=1)
    second_prizes = models.PositiveSmallIntegerField(_("second prizes"), default=2)
    third_prizes = models.PositiveSmallIntegerField(_("third prizes"), default=3)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        db_table = "governance_competition"
        verbose_name = _("skills competition")
        verbose_name_plural = _("skills competitions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:competition_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class RoundKind(models.TextChoices):
    WRITTEN = "written", _("Written test (笔试)")
    INTERVIEW = "interview", _("Interview (面试)")
    CASE = "case", _("Case presentation (案例汇报)")


@pghistory.track(meta={"db_table": "governance_competitionroundevent"})
class CompetitionRound(Versioned):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("round"), max_length=16, choices=RoundKind.choices)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, help_text=_("The weights add up to 100.")
    )
    min_score = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2, default=0)
    max_score = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2, default=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="RoundJudge", related_name="judged_rounds", blank=True
    )

    class Meta:
        db_table = "governance_competitionround"
        verbose_name = _("competition round")
        verbose_name_plural = _("competition rounds")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=("competition", "kind"), name="governance_%(class)s_competition_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def weighted(self, mean: Decimal) -> Decimal:
        """A round's share of the total: its mean score on a 0-1 scale, times its weight."""
        span = self.max_score - self.min_score
        return (mean - self.min_score) / span * self.weight


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.DeleteEvent(),
    meta={"db_table": "governance_roundjudgeevent"},
)
class RoundJudge(models.Model):
    round = models.ForeignKey(CompetitionRound, on_delete=models.CASCADE)
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "governance_roundjudge"
        constraints = [
            models.UniqueConstraint(
                fields=("round", "judge"), name="governance_%(class)s_round_judge"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.judge_id}"


class Award(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    MERIT = "merit", _("Merit award")


class EntrantQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "competition__unit__path"


@pghistory.track(meta={"db_table": "governance_entrantevent"})
class Entrant(Tallied):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entrants")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveSmallIntegerField(_("entrant number"))
    # Written when the results are published; never edited by hand.
    total = models.DecimalField(
        _("total"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, editable=False)
    tied = models.BooleanField(_("tied"), default=False, editable=False)
    award = models.CharField(_("award"), max_length=8, choices=Award.choices, blank=True)

    objects = EntrantQuerySet.as_manager()

    class Meta:
        db_table = "governance_entrant"
        verbose_name = _("entrant")
        verbose_name_plural = _("entrants")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=("competition", "worker"), name="governance_%(class)s_competition_worker"
            ),
            models.UniqueConstraint(
                fields=("competition", "number"), name="governance_%(class)s_competition_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number:03d}"

    def tally_facts(self) -> list[Fact]:
        return [Fact(self.worker.unit_id, self.competition.held_on, "competition.entrants", 1)]


@pghistory.track(meta={"db_table": "governance_scoreevent"})
class Score(Versioned):
    round = models.ForeignKey(CompetitionRound, on_delete=models.CASCADE, related_name="scores")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        db_table = "governance_score"
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=("round", "entrant", "judge"),
                name="governance_%(class)s_round_entrant_judge",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.entrant_id}/{self.judge_id}: {self.value}"


def quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


class IncentiveQuerySet(ScopedQuerySet):
    scope_path = "worker__unit__path"


@pghistory.track(meta={"db_table": "governance_incentiveevent"})
class Incentive(models.Model):
    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("Commendation")
        ALLOWANCE = "allowance", _("Allowance")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="incentives")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    granted_on = models.DateField(_("granted on"))
    granted_by = models.CharField(_("granted by"), max_length=64)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = IncentiveQuerySet.as_manager()

    class Meta:
        db_table = "governance_incentive"
        verbose_name = _("incentive")
        verbose_name_plural = _("incentives")
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return self.title
