"""四议两公开: a village decision goes through six steps, in order, none skipped. A step that fails
its vote stops the decision; a meeting without its quorum is not a step at all."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned
from disclosure.models.disclosure import DisclosureCategory, DisclosurePost

__all__ = [
    "Decision",
    "DecisionStatus",
    "DecisionStep",
    "StepKind",
    "STEP_ORDER",
    "STEP_POST_CATEGORIES",
]


class StepKind(models.TextChoices):
    PROPOSAL = "proposal", _("Party branch proposes (党组织提议)")
    COMMITTEES = "committees", _("Two committees discuss (两委会商议)")
    PARTY_MEETING = "party_meeting", _("Party members' meeting reviews (党员大会审议)")
    VILLAGERS = (
        "villagers",
        _("Villagers' (representatives') meeting resolves (村民(代表)会议决议)"),
    )
    RESOLUTION_PUBLIC = "resolution_public", _("Resolution disclosed (决议公开)")
    RESULT_PUBLIC = "result_public", _("Result disclosed (实施结果公开)")


STEP_ORDER = [kind.value for kind in StepKind]
MEETING_STEPS = STEP_ORDER[:4]
DISCLOSURE_STEPS = STEP_ORDER[4:]

# The posts that can disclose each step: 决议公开 publishes the villagers' meeting's decision
# itself; 实施结果公开 the result, which a village publishes as a decision matter, as the project or
# as the use of its funds. A periodic finance statement, Party affairs or relief lists publish no
# decision.
STEP_POST_CATEGORIES = {
    StepKind.RESOLUTION_PUBLIC.value: (DisclosureCategory.RESOLUTIONS,),
    StepKind.RESULT_PUBLIC.value: (
        DisclosureCategory.RESOLUTIONS,
        DisclosureCategory.INDUSTRY,
        DisclosureCategory.FUNDS,
        DisclosureCategory.VILLAGE,
    ),
}


class DecisionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class DecisionQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_decisionevent"})
class Decision(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("matter"), max_length=200)
    summary = models.TextField(_("what is proposed"))
    project = models.CharField(
        _("project it started"),
        max_length=200,
        blank=True,
        help_text=_("The livelihood or industry project this decision started, if any."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DecisionStatus.choices,
        default=DecisionStatus.IN_PROGRESS,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        db_table = "governance_decision"
        verbose_name = _("四议两公开 decision")
        verbose_name_plural = _("四议两公开 decisions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", kwargs={"pk": self.pk})

    def next_kind(self) -> str | None:
        if self.status != DecisionStatus.IN_PROGRESS:
            return None
        done = self.steps.count()
        return STEP_ORDER[done] if done < len(STEP_ORDER) else None

    def tally_facts(self) -> list[Fact]:
        if self.status == DecisionStatus.COMPLETED and self.completed_on:
            return [Fact(self.unit_id, self.completed_on, "decisions.completed", 1)]
        return []


@pghistory.track(meta={"db_table": "governance_decisionstepevent"})
class DecisionStep(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    number = models.PositiveSmallIntegerField(_("step number"))
    held_on = models.DateField(_("date"))
    # Meetings: who should attend (members, representatives or villagers), who did, how they voted.
    expected = models.PositiveIntegerField(_("entitled to attend"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    representatives = models.BooleanField(
        _("representatives' meeting"),
        default=True,
        help_text=_(
            "A villagers' representatives' meeting rather than a meeting of all villagers."
        ),
    )
    passed = models.BooleanField(_("passed"))
    post = models.ForeignKey(
        DisclosurePost,
        verbose_name=_("disclosure post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        db_table = "governance_decisionstep"
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=("decision", "number"), name="governance_%(class)s_decision_number"
            ),
            models.UniqueConstraint(
                fields=("decision", "kind"), name="governance_%(class)s_decision_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_kind_display()}"

    @property
    def is_meeting(self) -> bool:
        return self.kind in MEETING_STEPS
