"""Satisfaction surveys: codes are handed out per household, and each answers once. A used code,
an unknown code or a burst of guesses from one address is refused with a message, nothing saved."""

import pghistory
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_pages import public_changed
from disclosure.models import Survey, SurveyAnswer, SurveyCode
from disclosure.models.surveys import new_code

__all__ = ["MAX_FAILED_TRIES", "normalise_code", "survey_answer", "survey_create"]

MAX_FAILED_TRIES = 10  # per address and survey within an hour: codes cannot be guessed in bulk
FAILED_WINDOW = 3600


def normalise_code(text: str) -> str:
    return "".join(text.split()).upper().replace("-", "")


def survey_create(*, by, households: int, **fields) -> Survey:
    with transaction.atomic(), pghistory.context(user=by.pk, reason="survey_create"):
        survey = Survey.objects.create(**fields)
        codes: set[str] = set()
        while len(codes) < households:
            codes.add(new_code())
        SurveyCode.objects.bulk_create(SurveyCode(survey=survey, code=c) for c in sorted(codes))
        public_changed()
    return survey


def _failed_key(survey: Survey, address: str) -> str:
    return f"survey:failed:{survey.pk}:{address}"


def survey_answer(*, survey: Survey, code: str, rating: str, address: str = "") -> SurveyAnswer:
    key = _failed_key(survey, address)
    if cache.get(key, 0) >= MAX_FAILED_TRIES:
        raise ValidationError(
            {"code": _("Too many wrong codes from this connection; try again in an hour.")}
        )
    if not survey.is_open():
        raise ValidationError(_("This survey is not open."))
    try:
        with transaction.atomic():
            slip = (
                SurveyCode.objects.select_for_update()
                .filter(survey=survey, code=normalise_code(code))
                .first()
            )
            if slip is None:
                raise ValidationError({"code": _("This code is not one of this survey's codes.")})
            if slip.used_at is not None:
                raise ValidationError({"code": _("This code has already been used to answer.")})
            slip.used_at = timezone.now()
            slip.save(update_fields=["used_at"])
            answer = SurveyAnswer(
                survey=survey,
                code=slip,
                unit_id=survey.unit_id,
                rating=rating,
                answered_on=timezone.localdate(),
            )
            answer.save()
            public_changed()
    except ValidationError:
        if cache.add(key, 1, FAILED_WINDOW) is False:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, FAILED_WINDOW)
        raise
    except IntegrityError as error:  # two answers with one code at the same instant
        raise ValidationError({"code": _("This code has already been used to answer.")}) from error
    return answer
