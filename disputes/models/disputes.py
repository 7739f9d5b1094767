"""Dispute cases (矛盾纠纷): intake, parties, workflow, escalation, mediation file."""

from datetime import timedelta

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit, UnitLevel
from core.models.versioning import Versioned
from core.privacy import personal_data

__all__ = [
    "CaseCategory",
    "CaseSource",
    "CaseStatus",
    "HandlingLevel",
    "DisputeCase",
    "CaseParty",
    "CaseEvent",
    "CaseNumberCounter",
    "OPEN_DAYS_FLAG",
]

OPEN_DAYS_FLAG = 30


class CaseSource(models.TextChoices):
    GRID_SCREENING = "grid", _("Grid screening")
    WALK_IN = "visit", _("Residents' visit")
    HOTLINE = "12345", _("12345 hotline")
    PETITION = "petition", _("Petition (信访)")
    ASSIGNED = "assigned", _("Assigned from above")
    ANALYSIS_MEETING = "meeting", _("Public-sentiment analysis meeting")


class CaseStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    MEDIATING = "mediating", _("Under mediation")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVED = "unresolved", _("Not resolved (referred)")


class HandlingLevel(models.TextChoices):
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community or village")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


LEVEL_ORDER = [
    HandlingLevel.GRID,
    HandlingLevel.COMMUNITY,
    HandlingLevel.STREET,
    HandlingLevel.DISTRICT,
]


def level_of(unit: AdministrativeUnit) -> str:
    return {
        UnitLevel.GRID: HandlingLevel.GRID,
        UnitLevel.COMMUNITY: HandlingLevel.COMMUNITY,
        UnitLevel.VILLAGE: HandlingLevel.COMMUNITY,
        UnitLevel.STREET: HandlingLevel.STREET,
        UnitLevel.DISTRICT: HandlingLevel.DISTRICT,
    }[unit.level]


class Referral(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    OTHER_BODY = "other", _("Another body")


class CategoryQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(active=True)


@pghistory.track(meta={"db_table": "governance_casecategoryevent"})
class CaseCategory(models.Model):
    """The editable list of dispute categories (邻里, 婚姻家庭, 物业 ...)."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        db_table = "governance_casecategory"
        verbose_name = _("dispute category")
        verbose_name_plural = _("dispute categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CaseNumberCounter(models.Model):
    """The last case number handed out per street and year; locked while a case is created,
    so numbers stay gap-free even when two officials save at the same moment."""

    street = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "governance_casenumbercounter"
        constraints = [
            models.UniqueConstraint(
                fields=("street", "year"), name="governance_%(class)s_street_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.street_id}/{self.year}: {self.last}"

    @staticmethod
    def numbering(street_code: str, year: int) -> tuple[str, list]:
        """The WITH item `case_number(street_id, number)`: the street's id and the number of its
        next case for the year, counted as it is read, and its parameters. The counter row stays
        locked until the caller's transaction commits."""
        return (
            """
            case_number AS (
                INSERT INTO governance_casenumbercounter (street_id, year, last)
                SELECT id, %s, 1 FROM governance_administrativeunit WHERE code = %s
                ON CONFLICT (street_id, year)
                DO UPDATE SET last = governance_casenumbercounter.last + 1
                RETURNING street_id, %s || lpad(last::text, greatest(5, length(last::text)), '0')
                    AS number
            )""",
            [year, street_code, f"{street_code[:9]}-{year}-"],
        )


class CaseQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def open(self):
        return self.filter(status__in=[CaseStatus.ACCEPTED, CaseStatus.MEDIATING])

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(received_on__lt=today - timedelta(days=OPEN_DAYS_FLAG))

    def escalated(self):
        """Cases that reached their present level by escalation from below."""
        return self.filter(
            Exists(
                CaseEvent.objects.filter(
                    case=OuterRef("pk"),
                    kind=CaseEvent.Kind.ESCALATED,
                    to_level=OuterRef("handling_level"),
                )
            )
        )


@pghistory.track(meta={"db_table": "governance_disputecaseevent"})
class DisputeCase(Versioned, Tallied):
    number = models.CharField(_("case number"), max_length=32, unique=True, editable=False)
    street = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="dispute_cases",
    )
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    category = models.ForeignKey(CaseCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACCEPTED
    )
    handling_level = models.CharField(_("handled at"), max_length=16, choices=HandlingLevel.choices)
    settled_level = models.CharField(
        _("settled at"), max_length=16, choices=HandlingLevel.choices, blank=True
    )
    resolved_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    referral = models.CharField(
        _("referred to"), max_length=16, choices=Referral.choices, blank=True
    )
    referred_body = models.CharField(_("referred where"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        db_table = "governance_disputecase"
        verbose_name = _("dispute case")
        verbose_name_plural = _("dispute cases")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="governance_case_received"),
            models.Index(fields=["status", "received_on"], name="governance_case_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:case_detail", kwargs={"number": self.number})

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)

    def days_open(self, today=None) -> int:
        end = self.resolved_on or today or timezone.localdate()
        return (end - self.received_on).days

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.days_open() > OPEN_DAYS_FLAG

    def first_studio_day(self):
        """The day a mediation studio first took the case up (annotated in bulk by rebuilds)."""
        if hasattr(self, "first_studio_session_on"):
            return self.first_studio_session_on
        if self.pk is None:
            return None
        sessions = self.sessions.filter(studio__isnull=False).order_by("held_on")
        return sessions.values_list("held_on", flat=True).first()

    def tally_facts(self) -> list[Fact]:
        return self._facts(self.first_studio_day())

    def saved_facts(self, *, created: bool) -> list[Fact]:
        # A case just inserted has no mediation session yet.
        return self._facts(None if created else self.first_studio_day())

    def _facts(self, studio_day) -> list[Fact]:
        facts = [Fact(self.unit_id, self.received_on, "disputes.received", 1)]
        if self.source == CaseSource.PETITION:
            facts.append(Fact(self.unit_id, self.received_on, "petitions.received", 1))
        if self.status == CaseStatus.RESOLVED and self.resolved_on:
            day = self.resolved_on
            facts += [
                Fact(self.unit_id, self.received_on, "disputes.received_resolved", 1),
                Fact(self.unit_id, day, "disputes.resolved", 1),
                Fact(self.unit_id, day, "disputes.resolution_days", (day - self.received_on).days),
            ]
            if self.settled_level == HandlingLevel.GRID:
                facts.append(Fact(self.unit_id, day, "disputes.settled_grid", 1))
            if self.settled_level in (
                HandlingLevel.GRID,
                HandlingLevel.COMMUNITY,
                HandlingLevel.STREET,
            ):
                facts.append(Fact(self.unit_id, day, "disputes.settled_street", 1))
        if studio_day:
            facts.append(Fact(self.unit_id, studio_day, "studios.cases", 1))
        return facts


@personal_data(
    organisation="is_organisation",
    name="name",
    phone="phone",
    id_number="id_number",
    address="address",
)
@pghistory.track(meta={"db_table": "governance_casepartyevent"})
class CaseParty(models.Model):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")
        OTHER = "other", _("Other party")

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation (a company, a 村委会…)")

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices, default=Side.APPLICANT)
    kind = models.CharField(
        _("person or organisation"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.PERSON,
        db_default=Kind.PERSON,
    )
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        db_table = "governance_caseparty"
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]

    def __str__(self) -> str:
        from core.privacy import masked_field

        return masked_field(self, "name")

    @property
    def is_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION


class CaseEvent(models.Model):
    """Workflow events: what history cannot say (why a case was escalated or reopened)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        MEDIATION_STARTED = "mediating", _("mediation started")
        RESOLVED = "resolved", _("resolved")
        REFERRED = "referred", _("not resolved, referred")
        ESCALATED = "escalated", _("escalated")
        REOPENED = "reopened", _("reopened")

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="events_log")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_level = models.CharField(max_length=16, choices=HandlingLevel.choices, blank=True)
    to_level = models.CharField(max_length=16, choices=HandlingLevel.choices, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "governance_caseevent"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
