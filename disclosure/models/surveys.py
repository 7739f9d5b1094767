"""Satisfaction surveys of a village: one-time answer codes handed out per household, so an
answer cannot be stuffed; satisfaction = (非常满意 + 满意) ÷ valid answers."""

import secrets

import pghistory
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit

__all__ = ["Rating", "Survey", "SurveyAnswer", "SurveyCode", "new_code", "CODE_ALPHABET"]

# No 0/O, 1/I/L: codes are read off a paper slip.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Rating(models.TextChoices):
    VERY_SATISFIED = "very", _("Very satisfied (非常满意)")
    SATISFIED = "satisfied", _("Satisfied (满意)")
    FAIRLY = "fairly", _("Fairly satisfied (基本满意)")
    DISSATISFIED = "no", _("Dissatisfied (不满意)")


SATISFIED_RATINGS = {Rating.VERY_SATISFIED, Rating.SATISFIED}


class SurveyQuerySet(ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_surveyevent"})
class Survey(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.CharField(_("question"), max_length=300)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))

    objects = SurveyQuerySet.as_manager()

    class Meta:
        db_table = "governance_survey"
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:survey_detail", kwargs={"pk": self.pk})

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def results(self) -> dict:
        counts = dict(self.answers.values_list("rating").annotate(n=models.Count("id")).order_by())
        total = sum(counts.values())
        satisfied = sum(counts.get(r, 0) for r in SATISFIED_RATINGS)
        rows = [(label, counts.get(value, 0)) for value, label in Rating.choices]
        share = round(100 * satisfied / total, 1) if total else None
        return {"rows": rows, "total": total, "satisfied": satisfied, "share": share}


class SurveyCode(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "governance_surveycode"
        verbose_name = _("answer code")
        verbose_name_plural = _("answer codes")
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return self.code


class SurveyAnswerQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "survey__unit__path"


class SurveyAnswer(Tallied):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    # One answer per code, held by the database as well as by the service.
    code = models.OneToOneField(SurveyCode, on_delete=models.PROTECT, related_name="answer")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    answered_on = models.DateField(default=timezone.localdate)

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        db_table = "governance_surveyanswer"
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return self.get_rating_display()

    def tally_facts(self) -> list[Fact]:
        facts = [Fact(self.unit_id, self.answered_on, "survey.answers", 1)]
        if self.rating in SATISFIED_RATINGS:
            facts.append(Fact(self.unit_id, self.answered_on, "survey.satisfied", 1))
        return facts
