"""The mediation file as people's-mediation rules ask: studios, sessions, agreement, visits."""

import pghistory
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import TallyingQuerySet, apply_fact_changes
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned
from disputes.models.disputes import DisputeCase

__all__ = ["MediationStudio", "MediationSession", "MediationAgreement", "ReturnVisit"]


class StudioQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_mediationstudioevent"})
class MediationStudio(Versioned):
    """调解工作室."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="studios"
    )
    name = models.CharField(_("name"), max_length=64)
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=100)
    mediators = models.TextField(_("mediators"), help_text=_("One name a line."))

    objects = StudioQuerySet.as_manager()

    class Meta:
        db_table = "governance_mediationstudio"
        verbose_name = _("mediation studio")
        verbose_name_plural = _("mediation studios")
        ordering = ["unit__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("governance:studio_detail", kwargs={"pk": self.pk})

    def mediator_names(self) -> list[str]:
        return [line.strip() for line in self.mediators.splitlines() if line.strip()]


class _ChangesCaseFacts(models.Model):
    """A row of a case's file whose presence changes the case's tallied facts."""

    objects = TallyingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            case = DisputeCase.objects.select_for_update().get(pk=self.case_id)
            old = case.tally_facts()
            super().save(*args, **kwargs)
            apply_fact_changes(old, case.tally_facts())

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            case = DisputeCase.objects.select_for_update().get(pk=self.case_id)
            old = case.tally_facts()
            result = super().delete(*args, **kwargs)
            apply_fact_changes(old, case.tally_facts())
        return result

    def facts_touched(self):
        return DisputeCase.objects.get(pk=self.case_id).tally_facts()


@pghistory.track(meta={"db_table": "governance_mediationsessionevent"})
class MediationSession(_ChangesCaseFacts):
    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    studio = models.ForeignKey(
        MediationStudio,
        verbose_name=_("mediation studio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    mediators = models.CharField(_("mediators"), max_length=200)
    record = models.TextField(_("record"))

    class Meta:
        db_table = "governance_mediationsession"
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


@pghistory.track(meta={"db_table": "governance_mediationagreementevent"})
class MediationAgreement(Versioned):
    case = models.OneToOneField(DisputeCase, on_delete=models.CASCADE, related_name="agreement")
    signed_on = models.DateField(_("signed on"))
    facts = models.TextField(_("facts of the dispute"))
    terms = models.TextField(_("what was agreed"))
    performance_method = models.CharField(_("how it is performed"), max_length=200)
    performance_place = models.CharField(_("where it is performed"), max_length=200, blank=True)
    perform_by = models.DateField(_("performed by"))
    photo = models.ImageField(
        _("photo of the signed agreement"), upload_to="agreements/%Y/", blank=True
    )

    class Meta:
        db_table = "governance_mediationagreement"
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self) -> str:
        return f"{self.case}"


@pghistory.track(meta={"db_table": "governance_returnvisitevent"})
class ReturnVisit(models.Model):
    """回访: whether the agreement was performed."""

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="return_visits")
    visited_on = models.DateField(_("visited on"))
    performed = models.BooleanField(_("agreement performed"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        db_table = "governance_returnvisit"
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.visited_on}"
