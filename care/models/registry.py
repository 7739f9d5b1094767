"""The care registry (一老一小): the kinds of care, the people each grid looks after, the visit
plan the district sets, and the log of every opening of a person's record."""

from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from core.models.scope import ScopedQuerySet
from core.models.tallies import TallyingQuerySet
from core.privacy import personal_data, validate_id_number

__all__ = [
    "DEFAULT_INTERVAL_DAYS",
    "CareAccess",
    "CareKind",
    "CarePerson",
    "CareSettings",
    "LeaveReason",
    "RiskLevel",
    "UnitScoped",
    "VisitPlanRule",
]

# A kind and level the district has not planned yet is visited monthly.
DEFAULT_INTERVAL_DAYS = 30


class UnitScoped(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


class LeaveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible")


@pghistory.track()
class CareKind(models.Model):
    """独居, 空巢, 高龄, 失能/半失能, 留守儿童, 困境儿童: the district edits the list."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    for_children = models.BooleanField(_("for children"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of care")
        verbose_name_plural = _("kinds of care")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class VisitPlanRule(models.Model):
    """How often a person of a kind and risk level is visited (探访关爱), set by the district."""

    kind = models.ForeignKey(
        CareKind, verbose_name=_("kind of care"), on_delete=models.CASCADE, related_name="rules"
    )
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    interval_days = models.PositiveSmallIntegerField(_("visit every (days)"))

    class Meta:
        verbose_name = _("visit plan rule")
        verbose_name_plural = _("visit plan rules")
        ordering = ["kind__order", "risk_level"]
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "risk_level"), name="%(app_label)s_%(class)s_kind_level"
            ),
            models.CheckConstraint(
                condition=models.Q(interval_days__gte=1, interval_days__lte=366),
                name="%(app_label)s_%(class)s_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.get_risk_level_display()} · {self.interval_days}"


def interval_for(kind_id: int, risk_level: str) -> int:
    rule = VisitPlanRule.objects.filter(kind_id=kind_id, risk_level=risk_level).first()
    return rule.interval_days if rule else DEFAULT_INTERVAL_DAYS


@pghistory.track()
class CareSettings(models.Model):
    """The district's one row: how long an alert may wait for someone to take it before it
    climbs a level (grid → community → street)."""

    ack_minutes = models.PositiveSmallIntegerField(
        _("minutes before an alert climbs a level"), default=5
    )

    class Meta:
        verbose_name = _("care settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ack_minutes__gte=1, ack_minutes__lte=120),
                name="%(app_label)s_%(class)s_ack_minutes_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.ack_minutes)

    @classmethod
    def current(cls) -> "CareSettings":
        found = cls.objects.order_by("pk").first()
        return found or cls.objects.create()


@personal_data(
    name="name",
    id_number="id_number",
    phone="phone",
    address="address",
    guardian_name="name",
    guardian_phone="phone",
)
@pghistory.track()
class CarePerson(Versioned, Tallied):
    """Someone a grid looks after. `kind` is the main kind (the visit plan and the figures go by
    it); `other_kinds` are the further ones that apply."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="care_people",
    )
    kind = models.ForeignKey(
        CareKind, verbose_name=_("kind of care"), on_delete=models.PROTECT, related_name="people"
    )
    other_kinds = models.ManyToManyField(
        CareKind, verbose_name=_("also"), blank=True, related_name="also_people"
    )
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    guardian_name = models.CharField(_("guardian or family contact"), max_length=64)
    guardian_relation = models.CharField(_("relation"), max_length=16, blank=True)
    guardian_phone = models.CharField(_("contact's phone"), max_length=20)
    consent = models.BooleanField(_("consent to be registered"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    left_on = models.DateField(_("left care on"), null=True, blank=True)
    left_reason = models.CharField(
        _("why they left care"), max_length=16, choices=LeaveReason.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # The next visit the plan asks for, and whether it passed without one (set each night).
    next_visit_due = models.DateField(_("next visit due"), editable=False)
    overdue = models.BooleanField(_("visit overdue"), default=False, editable=False)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("person in care")
        verbose_name_plural = _("people in care")
        ordering = ["next_visit_due", "pk"]
        indexes = [models.Index(fields=["next_visit_due"], name="care_person_due")]

    def __str__(self) -> str:
        from core.privacy import mask

        return mask(self.name, "name")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("care:person", kwargs={"pk": self.pk})

    @property
    def in_care(self) -> bool:
        return self.left_on is None

    def plan_next_visit(self, last_visit: date | None) -> None:
        start = last_visit or self.registered_on
        self.next_visit_due = start + timedelta(days=interval_for(self.kind_id, self.risk_level))
        self.overdue = self.next_visit_due < timezone.localdate()

    def tally_facts(self) -> list[Fact]:
        unit, start = self.unit_id, self.registered_on
        facts = [
            Fact(unit, start, "care.people", 1),
            Fact(unit, start, f"care.people.{self.kind.code}", 1),
        ]
        if self.left_on:
            facts += [
                Fact(unit, self.left_on, "care.people", -1),
                Fact(unit, self.left_on, f"care.people.{self.kind.code}", -1),
            ]
        if self.next_visit_due and self.awaited_visit_counts:
            # The visit the plan asks for next: due on its day; overdue once the day passed.
            # One whose day passed before the person left stays counted as it was.
            facts.append(Fact(unit, self.next_visit_due, "care.visits_due", 1))
            if self.overdue:
                facts.append(Fact(unit, self.next_visit_due, "care.visits_overdue", 1))
        return facts

    @property
    def awaited_visit_counts(self) -> bool:
        """The awaited visit is in the figures while the person is in care, and after they
        left when its day had passed before they left (a missed visit stays missed)."""
        return self.left_on is None or self.next_visit_due < self.left_on


class CareAccess(models.Model):
    """Each opening of a person's record: who, whom, when. Never edited."""

    person = models.ForeignKey(
        CarePerson, verbose_name=_("person"), on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    # What was shown unmasked beyond the record itself: the phones, when asked for to call.
    revealed = models.CharField(_("revealed"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("opening of a record")
        verbose_name_plural = _("openings of records")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.person_id} {self.at:%Y-%m-%d %H:%M}"
