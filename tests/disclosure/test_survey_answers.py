"""Satisfaction surveys: one answer per household code; a used code, an unknown code or a run of
guesses is refused with a message and nothing counted; satisfaction is
(非常满意 + 满意) ÷ valid answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Survey, SurveyAnswer
from disclosure.services.surveys import MAX_FAILED_TRIES, survey_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def survey(district, people) -> Survey:
    today = timezone.localdate()
    return survey_create(
        by=people.village_clerk,
        households=20,
        unit=district.liuqiaoyu,
        title="2026年村务公开满意度",
        question="您对本村村务公开工作满意吗？",
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=10),
    )


def answer(client, survey, code, rating="very"):
    return client.post(
        reverse("public:survey", args=[survey.unit.code, survey.pk]),
        {"code": code, "rating": rating},
    )


def test_a_household_answers_once_with_its_code(client, survey):
    code = survey.codes.first().code
    assert answer(client, survey, code.lower()).status_code == 302
    again = answer(client, survey, code, "no")
    assert again.status_code == 400
    assert "already been used" in again.content.decode() or "已被使用" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1 and SurveyAnswer.objects.get().rating == "very"


def test_unknown_codes_and_codes_of_another_survey_are_refused(client, survey, district, people):
    other = survey_create(
        by=people.village_clerk,
        households=1,
        unit=district.liuqiaoyu,
        title="另一次调查",
        question="?",
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
    )
    assert answer(client, survey, "AAAAAAAAAA").status_code == 400
    assert answer(client, survey, other.codes.get().code).status_code == 400
    assert SurveyAnswer.objects.count() == 0


def test_guessing_codes_in_bulk_is_cut_off(client, survey):
    for n in range(MAX_FAILED_TRIES):
        answer(client, survey, f"WRONG{n:05d}")
    good = survey.codes.first().code
    refused = answer(client, survey, good)
    assert refused.status_code == 400 and SurveyAnswer.objects.count() == 0


def test_satisfaction_is_the_share_of_very_satisfied_and_satisfied(client, survey):
    codes = list(survey.codes.values_list("code", flat=True))
    for code, rating in zip(codes, ["very"] * 10 + ["satisfied"] * 9 + ["no"], strict=True):
        answer(client, survey, code, rating)
    results = survey.results()
    assert results["total"] == 20 and results["share"] == 95.0
    page = client.get(reverse("public:village", args=[survey.unit.code])).content.decode()
    assert "95.0%" in page


def test_a_closed_survey_takes_no_answers(client, survey):
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()
    assert answer(client, survey, survey.codes.first().code).status_code == 400
    assert SurveyAnswer.objects.count() == 0


def test_the_clerk_prints_unused_codes_and_the_committee_does_not_see_them(
    survey, people, client_for
):
    clerk_page = client_for(people.village_clerk).get(survey.get_absolute_url())
    assert clerk_page.context["codes"].count() == 20
    assert client_for(people.supervisor).get(survey.get_absolute_url()).context["codes"] is None
