"""Consultation (三会协商): residents' demands (诉求), the three meetings that weigh them
(民情分析会 → 阳光议事会 → 协商推进会), and the livelihood projects (民生实事) they deliver."""

import secrets

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet, grant_paths
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit, UnitLevel
from core.models.versioning import Versioned
from core.privacy import personal_data

__all__ = [
    "Demand",
    "DemandSource",
    "DemandStatus",
    "Platform",
    "ProjectCategory",
    "Meeting",
    "MeetingKind",
    "AgendaItem",
    "LivelihoodProject",
    "ProjectStage",
    "StageMove",
    "ProgressEntry",
    "ProjectRating",
    "Satisfaction",
    "DELIVERY_DAYS_CAP",
    "delivery_days_key",
    "new_tracking_code",
]

# The tracking code: 12 characters from an alphabet without look-alikes (0/O, 1/I/L),
# about 59 bits of randomness: unguessable, and easy to read out over the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12

# Days from demand to delivery are tallied per day up to a cap (a histogram), so a median
# can be read from tallies over any unit and period.
DELIVERY_DAYS_CAP = 730


def delivery_days_key(days: int) -> str:
    return f"consultation.delivery_days.{min(max(days, 0), DELIVERY_DAYS_CAP):03d}"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class DemandSource(models.TextChoices):
    ONLINE = "online", _("Resident online")
    GRID = "grid", _("Grid worker")
    MEETING = "meeting", _("Public-sentiment analysis meeting")
    HOTLINE = "12345", _("12345 hotline")
    VISIT = "visit", _("Residents' visit")


class DemandStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROJECT = "project", _("Taken up as a livelihood project")
    ANSWERED = "answered", _("Answered")


class MeetingKind(models.TextChoices):
    ANALYSIS = "analysis", _("民情分析会 (public-sentiment analysis)")
    DELIBERATION = "deliberation", _("阳光议事会 (open deliberation)")
    PROMOTION = "promotion", _("协商推进会 (delivery follow-up)")


class ProjectStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    UNDER_WAY = "under_way", _("Under way")
    DELIVERED = "delivered", _("Delivered")
    DROPPED = "dropped", _("Dropped")


# The order stages follow, and the meeting kind that makes each move (None: no meeting).
STAGE_ORDER = [
    ProjectStage.PROPOSED,
    ProjectStage.AGREED,
    ProjectStage.UNDER_WAY,
    ProjectStage.DELIVERED,
]
STAGE_MEETING = {
    ProjectStage.PROPOSED: MeetingKind.ANALYSIS,
    ProjectStage.AGREED: MeetingKind.DELIBERATION,
    ProjectStage.UNDER_WAY: MeetingKind.PROMOTION,
    ProjectStage.DELIVERED: None,
}


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neutral")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class _ListQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(active=True)


@pghistory.track(meta={"db_table": "governance_projectcategoryevent"})
class ProjectCategory(models.Model):
    """The editable list of project categories (电动车充电车棚, 道路修缮, 电梯加装 ...)."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = _ListQuerySet.as_manager()

    class Meta:
        db_table = "governance_projectcategory"
        verbose_name = _("project category")
        verbose_name_plural = _("project categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PlatformQuerySet(_ListQuerySet, ScopedQuerySet):
    def serving(self, unit: AdministrativeUnit):
        """Platforms a meeting at `unit` may use: those of the unit and of the units above it."""
        codes = unit.path.strip("/").split("/")
        return self.filter(unit__code__in=codes)


@pghistory.track(meta={"db_table": "governance_platformevent"})
class Platform(models.Model):
    """A consultation platform a unit runs (社区半月谈, 12345商量最靠谱 ...): an editable list
    per unit, shared with the units below it."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=40)
    active = models.BooleanField(_("in use"), default=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        db_table = "governance_platform"
        verbose_name = _("consultation platform")
        verbose_name_plural = _("consultation platforms")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=("unit", "name"), name="governance_%(class)s_unit_name")
        ]

    def __str__(self) -> str:
        return self.name


class DemandQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def for_user(self, user, action: str = "view"):
        """The subtree rule, plus one: a grid worker also sees the demands that arrived at the
        community or village their grid belongs to (its inbox, where residents send them)."""
        scoped = super().for_user(user, action)
        if user is None or not user.is_authenticated or user.is_superuser:
            return scoped
        grids = AdministrativeUnit.objects.filter(
            path__in=grant_paths(user, action), level=UnitLevel.GRID
        ).values_list("path", flat=True)
        parents = {path.rstrip("/").rsplit("/", 1)[0] + "/" for path in grids}
        if not parents:
            return scoped
        return self.filter(Q(pk__in=scoped.values("pk")) | Q(unit__path__in=parents))

    def open(self):
        return self.filter(status=DemandStatus.RECEIVED)


# The address is where the problem is (a broken lamp at 梅苑小区7号楼), not where the resident
# lives: not personal data, shown to the staff who handle the demand.
@personal_data(contact_name="name", contact_phone="phone")
@pghistory.track(meta={"db_table": "governance_demandevent"})
class Demand(Versioned, Tallied):
    """A resident's demand (诉求), from the public form, a grid worker, a meeting or 12345."""

    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=new_tracking_code, editable=False
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="demands"
    )
    source = models.CharField(_("source"), max_length=16, choices=DemandSource.choices)
    ticket_number = models.CharField(
        _("12345 ticket number"), max_length=40, unique=True, null=True, blank=True
    )
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("what the demand is"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    photo = models.ImageField(_("photo"), upload_to="demands/%Y/", blank=True)
    # Where the resident's app placed it (Open311 lat/long, WGS-84 degrees).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.RECEIVED
    )
    project = models.ForeignKey(
        "consultation.LivelihoodProject",
        verbose_name=_("livelihood project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
    )
    answer = models.TextField(_("answer to the resident"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)

    objects = DemandQuerySet.as_manager()

    class Meta:
        db_table = "governance_demand"
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="governance_demand_received"),
            # Open311 lists demands by when they were logged (its requested_datetime).
            models.Index(fields=["-created_at", "-id"], name="consultation_demand_created"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} · {self.description[:20]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:demand_detail", kwargs={"pk": self.pk})

    def tracking_url(self) -> str:
        from django.urls import reverse

        return reverse("public:demand_track", kwargs={"code": self.tracking_code})

    def tally_facts(self) -> list[Fact]:
        facts = [Fact(self.unit_id, self.received_on, "consultation.demands_received", 1)]
        if self.answered_on:
            facts.append(Fact(self.unit_id, self.answered_on, "consultation.demands_answered", 1))
        return facts


class MeetingQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_meetingevent"})
class Meeting(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("meeting type"), max_length=16, choices=MeetingKind.choices)
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, null=True, blank=True
    )
    held_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=100)
    host = models.CharField(_("host"), max_length=64)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    representatives = models.PositiveIntegerField(_("residents' representatives"), default=0)
    party_members = models.PositiveIntegerField(_("Party members"), default=0)
    businesses = models.PositiveIntegerField(_("property companies and businesses"), default=0)
    departments = models.PositiveIntegerField(_("departments"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="meetings/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = MeetingQuerySet.as_manager()

    PARTICIPANT_FIELDS = (
        "residents",
        "representatives",
        "party_members",
        "businesses",
        "departments",
    )

    class Meta:
        db_table = "governance_meeting"
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:meeting_detail", kwargs={"pk": self.pk})

    @property
    def participants(self) -> int:
        return sum(getattr(self, f) for f in self.PARTICIPANT_FIELDS)

    def tally_facts(self) -> list[Fact]:
        return [Fact(self.unit_id, self.held_on, f"consultation.meetings.{self.kind}", 1)]


class ProjectQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def delivered(self):
        return self.filter(stage=ProjectStage.DELIVERED)


@pghistory.track(meta={"db_table": "governance_livelihoodprojectevent"})
class LivelihoodProject(Versioned, Tallied):
    title = models.CharField(_("title"), max_length=100)
    category = models.ForeignKey(
        ProjectCategory, verbose_name=_("category"), on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=ProjectStage.choices, default=ProjectStage.PROPOSED
    )
    proposed_at = models.ForeignKey(
        Meeting, verbose_name=_("proposed at"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.ForeignKey(
        Meeting,
        verbose_name=_("agreed at"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    started_at = models.ForeignKey(
        Meeting,
        verbose_name=_("followed at"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    proposed_on = models.DateField(_("proposed on"))
    first_demand_on = models.DateField(
        _("first demand received on"), null=True, blank=True, editable=False
    )
    cost = models.DecimalField(
        _("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    photo_before = models.ImageField(_("photo before"), upload_to="projects/%Y/", blank=True)
    photo_after = models.ImageField(_("photo after delivery"), upload_to="projects/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        db_table = "governance_livelihoodproject"
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["stage", "delivered_on"], name="governance_project_stage")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:project_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.stage in (ProjectStage.DELIVERED, ProjectStage.DROPPED)

    def next_stage(self) -> str | None:
        if self.stage not in STAGE_ORDER or self.stage == ProjectStage.DELIVERED:
            return None
        return STAGE_ORDER[STAGE_ORDER.index(self.stage) + 1]

    def delivery_days(self) -> int | None:
        if (
            self.stage != ProjectStage.DELIVERED
            or not self.delivered_on
            or not self.first_demand_on
        ):
            return None
        return (self.delivered_on - self.first_demand_on).days

    def tally_facts(self) -> list[Fact]:
        if self.stage != ProjectStage.DELIVERED or not self.delivered_on:
            return []
        facts = [Fact(self.unit_id, self.delivered_on, "consultation.projects_delivered", 1)]
        days = self.delivery_days()
        if days is not None:
            facts.append(Fact(self.unit_id, self.delivered_on, delivery_days_key(days), 1))
        return facts


class AgendaItem(models.Model):
    """What a meeting took up: a demand, a project, or both (a demand raised for a project)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    project = models.ForeignKey(
        LivelihoodProject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        db_table = "governance_agendaitem"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(demand__isnull=False) | Q(project__isnull=False),
                name="governance_%(class)s_names_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.demand_id or ''} {self.project_id or ''}"


class StageMove(models.Model):
    """Each stage a project entered, when, at which meeting, by whom and why."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=16, choices=ProjectStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=ProjectStage.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on = models.DateField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "governance_stagemove"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.to_stage}"


@pghistory.track(meta={"db_table": "governance_progressentryevent"})
class ProgressEntry(models.Model):
    project = models.ForeignKey(
        LivelihoodProject, on_delete=models.CASCADE, related_name="progress"
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "governance_progressentry"
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:20]}"


class ProjectRating(Tallied):
    """A resident's rating of a delivered project: one per demand (its tracking code)."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="ratings")
    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, related_name="rating")
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", editable=False
    )
    score = models.PositiveSmallIntegerField(_("how satisfied"), choices=Satisfaction.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_on = models.DateField(_("rated on"), default=timezone.localdate)

    class Meta:
        db_table = "governance_projectrating"
        ordering = ["-rated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.score}"

    def tally_facts(self) -> list[Fact]:
        facts = [Fact(self.unit_id, self.rated_on, "consultation.ratings", 1)]
        if self.score >= Satisfaction.SATISFIED:
            facts.append(Fact(self.unit_id, self.rated_on, "consultation.satisfied", 1))
        return facts
