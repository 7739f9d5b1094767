"""Village supervision (村务监督): the committee's members and the construction observers
(村居建设观察员), their findings, and each finding's rectification up to the committee's
sign-off."""

from datetime import timedelta

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned
from core.privacy import personal_data

__all__ = ["Finding", "FindingState", "MemberKind", "SupervisionMember"]


class MemberKind(models.TextChoices):
    COMMITTEE = "committee", _("Supervision-committee member")
    OBSERVER = "observer", _("Construction observer (村居建设观察员)")


class SupervisionQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def serving(self, day=None):
        day = day or timezone.localdate()
        return self.filter(since__lte=day).filter(
            models.Q(until__isnull=True) | models.Q(until__gt=day)
        )


@personal_data(name="name")
@pghistory.track(meta={"db_table": "governance_supervisionmemberevent"})
class SupervisionMember(Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("serves as"), max_length=16, choices=MemberKind.choices)
    since = models.DateField(_("serving since"))
    until = models.DateField(_("served until"), null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        db_table = "governance_supervisionmember"
        verbose_name = _("supervisor or observer")
        verbose_name_plural = _("supervisors and observers")
        ordering = ["kind", "since", "id"]

    def __str__(self) -> str:
        from core.privacy import mask

        return f"{mask(self.name, 'name')} · {self.get_kind_display()}"

    def tally_facts(self) -> list[Fact]:
        key = f"supervision.{self.kind}s"
        facts = [Fact(self.unit_id, self.since, key, 1)]
        if self.until:
            facts.append(Fact(self.unit_id, self.until, key, -1))
        return facts


class FindingState(models.TextChoices):
    OPEN = "open", _("Awaiting rectification")
    RESPONDED = "responded", _("Response awaiting sign-off")
    RECTIFIED = "rectified", _("Rectified (signed off)")


class FindingQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"

    def rectified(self):
        return self.filter(signed_off_on__isnull=False)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(signed_off_on__isnull=True, deadline__lt=today)


@personal_data(assignee="name")
@pghistory.track(meta={"db_table": "governance_findingevent"})
class Finding(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("what was found"), max_length=200)
    description = models.TextField(_("details"))
    found_on = models.DateField(_("found on"))
    found_by = models.ForeignKey(
        SupervisionMember,
        verbose_name=_("found by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    photo = models.ImageField(_("photo"), upload_to="findings/%Y/", blank=True)
    assignee = models.CharField(_("assigned to"), max_length=40)
    deadline = models.DateField(_("rectify by"))
    response = models.TextField(_("what was done"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    photo_after = models.ImageField(_("photo after"), upload_to="findings/%Y/", blank=True)
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        db_table = "governance_finding"
        verbose_name = _("supervision finding")
        verbose_name_plural = _("supervision findings")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:finding_detail", kwargs={"pk": self.pk})

    @property
    def state(self) -> str:
        if self.signed_off_on:
            return FindingState.RECTIFIED
        if self.responded_on:
            return FindingState.RESPONDED
        return FindingState.OPEN

    def get_state_display(self) -> str:
        return FindingState(self.state).label

    @property
    def is_overdue(self) -> bool:
        return self.signed_off_on is None and self.deadline < timezone.localdate()

    def tally_facts(self) -> list[Fact]:
        facts = [Fact(self.unit_id, self.found_on, "findings.opened", 1)]
        # Open is a stock: from the day found until the sign-off.
        facts.append(Fact(self.unit_id, self.found_on, "findings.open", 1))
        if self.signed_off_on:
            facts.append(Fact(self.unit_id, self.signed_off_on, "findings.open", -1))
            facts.append(Fact(self.unit_id, self.signed_off_on, "findings.rectified", 1))
        overdue_from = self.deadline + timedelta(days=1)
        if self.signed_off_on is None or self.signed_off_on >= overdue_from:
            facts.append(Fact(self.unit_id, overdue_from, "findings.overdue", 1))
            if self.signed_off_on is not None:
                facts.append(Fact(self.unit_id, self.signed_off_on, "findings.overdue", -1))
        return facts
