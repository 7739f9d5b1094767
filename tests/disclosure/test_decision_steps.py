"""四议两公开: six steps in order, none skipped; the Party members' meeting needs two thirds
present and a majority in favour; the villagers' (representatives') meeting its quorum; a
meeting without quorum is refused and changes nothing; a failed vote stops the decision; the
two disclosure steps link to published posts of the village that publish that decision, one post
for each step, and the picker tells a post's editions apart."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosure.forms.decisions import StepForm
from disclosure.models import Decision, DecisionStatus, DecisionStep
from disclosure.services.decisions import quorum_error, step_posts, step_record
from tests.disclosure.helpers import draft_post, published_post

pytestmark = pytest.mark.django_db


def meeting(kind, day, expected, present, votes_for, against=0, abstain=0, reps=True):
    return {
        "kind": kind,
        "held_on": day,
        "expected": expected,
        "present": present,
        "votes_for": votes_for,
        "votes_against": against,
        "abstentions": abstain,
        "representatives": reps,
        "post": None,
        "notes": "",
    }


@pytest.fixture
def decision(district, people):
    return Decision.objects.create(
        unit=district.liuqiaoyu,
        title="村集体果园承包",
        summary="将果园对外承包",
        project="果园产业项目",
        created_by=people.village_clerk,
    )


def decision_post(district, people, title, *, category="resolutions", **fields):
    return published_post(
        district.liuqiaoyu,
        people.village_clerk,
        people.supervisor,
        title=f"关于村集体果园承包的{title}",
        category=category,
        lines=(),
        **fields,
    )


def disclose(decision, clerk, kind, post):
    return step_record(
        decision=decision,
        by=clerk,
        data={"kind": kind, "held_on": post.published_on, "post": post, "notes": ""},
    )


def first_four(decision, clerk):
    step_record(decision=decision, by=clerk, data=meeting("proposal", date(2026, 3, 1), 5, 5, 5))
    step_record(decision=decision, by=clerk, data=meeting("committees", date(2026, 3, 3), 9, 8, 7))
    step_record(
        decision=decision, by=clerk, data=meeting("party_meeting", date(2026, 3, 8), 30, 20, 15)
    )
    step_record(
        decision=decision, by=clerk, data=meeting("villagers", date(2026, 3, 15), 45, 30, 28)
    )


def test_six_steps_in_order_complete_the_decision(district, people, decision):
    clerk = people.village_clerk
    first_four(decision, clerk)
    resolution = decision_post(district, people, "决议公开")
    result = decision_post(district, people, "实施结果公开", category="industry")
    for kind, post in [("resolution_public", resolution), ("result_public", result)]:
        step_record(
            decision=decision,
            by=clerk,
            data={"kind": kind, "held_on": post.published_on, "post": post, "notes": ""},
        )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.COMPLETED
    assert decision.completed_on == result.published_on
    assert list(decision.steps.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_a_step_cannot_be_skipped_or_come_out_of_order(people, decision):
    clerk = people.village_clerk
    with pytest.raises(ValidationError) as refused:
        step_record(
            decision=decision, by=clerk, data=meeting("party_meeting", date(2026, 3, 1), 30, 30, 30)
        )
    assert "kind" in refused.value.message_dict
    step_record(decision=decision, by=clerk, data=meeting("proposal", date(2026, 3, 5), 5, 5, 5))
    with pytest.raises(ValidationError) as earlier:
        step_record(
            decision=decision, by=clerk, data=meeting("committees", date(2026, 3, 4), 9, 9, 9)
        )
    assert "held_on" in earlier.value.message_dict
    assert decision.steps.count() == 1


@pytest.mark.parametrize(
    "kind, expected, present, reps, quorate",
    [
        ("party_meeting", 30, 20, True, True),  # exactly two thirds
        ("party_meeting", 30, 19, True, False),
        ("villagers", 45, 30, True, True),  # representatives: two thirds
        ("villagers", 45, 29, True, False),
        ("villagers", 800, 401, False, True),  # all villagers: more than half
        ("villagers", 800, 400, False, False),
        ("committees", 9, 5, False, True),
        ("committees", 9, 4, False, False),
        ("proposal", 5, 6, False, False),  # more present than entitled
    ],
)
def test_quorum_rules(kind, expected, present, reps, quorate):
    assert (quorum_error(kind, expected, present, reps) is None) is quorate


def test_a_party_meeting_without_two_thirds_is_refused_and_changes_nothing(people, decision):
    clerk = people.village_clerk
    step_record(decision=decision, by=clerk, data=meeting("proposal", date(2026, 3, 1), 5, 5, 5))
    step_record(decision=decision, by=clerk, data=meeting("committees", date(2026, 3, 3), 9, 8, 7))
    with pytest.raises(ValidationError) as refused:
        step_record(
            decision=decision, by=clerk, data=meeting("party_meeting", date(2026, 3, 8), 30, 19, 19)
        )
    assert "present" in refused.value.message_dict
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS and decision.steps.count() == 2


def test_a_vote_without_a_majority_in_favour_stops_the_decision(people, decision):
    clerk = people.village_clerk
    step_record(decision=decision, by=clerk, data=meeting("proposal", date(2026, 3, 1), 5, 5, 5))
    step_record(decision=decision, by=clerk, data=meeting("committees", date(2026, 3, 3), 9, 8, 7))
    step = step_record(
        decision=decision,
        by=clerk,
        data=meeting("party_meeting", date(2026, 3, 8), 30, 24, 12, against=10, abstain=2),
    )
    assert step.passed is False  # 12 of 24 is not a majority
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.STOPPED and decision.next_kind() is None
    with pytest.raises(ValidationError):
        step_record(
            decision=decision, by=clerk, data=meeting("villagers", date(2026, 3, 9), 45, 40, 40)
        )


def test_more_votes_than_people_present_are_refused(people, decision):
    with pytest.raises(ValidationError) as refused:
        step_record(
            decision=decision,
            by=people.village_clerk,
            data=meeting("proposal", date(2026, 3, 1), 5, 4, 4, against=1),
        )
    assert "votes_for" in refused.value.message_dict


def test_a_disclosure_step_needs_a_published_post_of_the_village(district, people, decision):
    clerk = people.village_clerk
    first_four(decision, clerk)
    draft = draft_post(district.liuqiaoyu, clerk)
    for post in [None, draft]:
        with pytest.raises(ValidationError) as refused:
            step_record(
                decision=decision,
                by=clerk,
                data={"kind": "resolution_public", "held_on": date(2026, 3, 20), "post": post},
            )
        assert "post" in refused.value.message_dict
    assert decision.steps.count() == 4


def test_the_step_form_shows_errors_next_to_the_fields_and_saves_nothing(
    district, people, client_for, decision
):
    clerk = client_for(people.village_clerk)
    url = reverse("governance:step_add", args=[decision.pk])
    page = clerk.post(
        url,
        {
            "kind": "committees",
            "held_on": "2026-03-01",
            "expected": "5",
            "present": "5",
            "votes_for": "5",
            "votes_against": "0",
            "abstentions": "0",
        },
    )
    assert page.status_code == 200 and page.context["form"].errors["kind"]
    bad = clerk.post(url, {"kind": "proposal", "held_on": "not a date", "present": "-3"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert DecisionStep.objects.count() == 0
    ok = clerk.post(
        url,
        {
            "kind": "proposal",
            "held_on": "2026-03-01",
            "expected": "5",
            "present": "5",
            "votes_for": "5",
            "votes_against": "0",
            "abstentions": "0",
        },
    )
    assert ok.status_code == 302 and DecisionStep.objects.count() == 1
    # The supervision committee reads the chain but records nothing.
    committee = client_for(people.supervisor)
    assert committee.get(decision.get_absolute_url()).context["form"] is None
    assert committee.post(url, {}).status_code == 404


def test_an_unrelated_finance_post_discloses_neither_step(district, people, decision):
    """The bug of issue 18: both disclosure steps accepted the same quarterly finance post."""
    clerk = people.village_clerk
    first_four(decision, clerk)
    finance = published_post(district.liuqiaoyu, clerk, people.supervisor)
    assert finance not in step_posts(decision, "resolution_public")
    with pytest.raises(ValidationError) as refused:
        disclose(decision, clerk, "resolution_public", finance)
    assert "村民会议决定事项" in str(refused.value.message_dict["post"])
    disclose(decision, clerk, "resolution_public", decision_post(district, people, "决议公开"))
    assert finance not in step_posts(decision, "result_public")
    with pytest.raises(ValidationError):
        disclose(decision, clerk, "result_public", finance)
    assert decision.steps.count() == 5


def test_one_post_cannot_disclose_both_the_resolution_and_the_result(district, people, decision):
    clerk = people.village_clerk
    first_four(decision, clerk)
    resolution = decision_post(district, people, "决议公开")
    disclose(decision, clerk, "resolution_public", resolution)
    assert resolution not in step_posts(decision, "result_public")
    with pytest.raises(ValidationError) as refused:
        disclose(decision, clerk, "result_public", resolution)
    assert "post" in refused.value.message_dict
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS and decision.steps.count() == 5


def test_a_post_that_discloses_another_decision_is_neither_offered_nor_accepted(
    district, people, decision
):
    clerk = people.village_clerk
    first_four(decision, clerk)
    other = Decision.objects.create(
        unit=district.liuqiaoyu, title="村内主干道硬化", summary="硬化主干道", created_by=clerk
    )
    first_four(other, clerk)
    theirs = published_post(
        district.liuqiaoyu,
        clerk,
        people.supervisor,
        title="关于村内主干道硬化的决议公开",
        category="resolutions",
        lines=(),
    )
    disclose(other, clerk, "resolution_public", theirs)
    ours = decision_post(district, people, "决议公开")
    assert list(step_posts(decision, "resolution_public")) == [ours]
    with pytest.raises(ValidationError) as refused:
        disclose(decision, clerk, "resolution_public", theirs)
    assert "村内主干道硬化" in str(refused.value.message_dict["post"])


def test_the_picker_tells_a_posts_editions_apart(district, people, decision, client_for):
    from django.utils import translation

    from disclosure.services.disclosure import post_correct, post_review, post_submit

    clerk = people.village_clerk
    first_four(decision, clerk)
    first = decision_post(district, people, "决议公开")
    correction = post_correct(post=first, by=clerk, reason="更正承包年限")
    submitted = post_submit(post=correction, by=clerk)
    second = post_review(post=submitted, by=people.supervisor, decision="approved")
    with translation.override("zh-hans"):
        labels = dict(StepForm(decision=decision).fields["post"].choices)
    day = f"{second.published_on:%Y-%m-%d}"
    assert labels[second.pk] == f"关于村集体果园承包的决议公开 · 第2版 · {day}"
    assert (
        labels[first.pk] == f"关于村集体果园承包的决议公开 · 第1版 · {first.published_on:%Y-%m-%d}"
    )
    # Once one edition discloses the resolution, no edition of it can disclose the result.
    disclose(decision, clerk, "resolution_public", second)
    assert not step_posts(decision, "result_public").filter(pk__in=[first.pk, second.pk])


def test_the_step_form_refuses_an_unoffered_post_next_to_the_field(
    district, people, client_for, decision
):
    clerk = people.village_clerk
    first_four(decision, clerk)
    finance = published_post(district.liuqiaoyu, clerk, people.supervisor)
    page = client_for(clerk).post(
        reverse("governance:step_add", args=[decision.pk]),
        {"kind": "resolution_public", "held_on": "2026-10-20", "post": finance.pk},
    )
    assert page.status_code == 200 and page.context["form"].errors["post"]
    assert decision.steps.count() == 4
