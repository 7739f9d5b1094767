"""An answered demand can still go to a 民情分析会 and be taken up as a project, and its answer
can be changed: each change kept in the history with who and why, the demand counted as answered
once, on the day it was first answered."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultation.models import Demand, DemandStatus, MeetingKind
from consultation.services.consultation import (
    demand_answer,
    demand_answer_amend,
    project_propose,
)
from core.metrics import Period, evaluate
from core.models import StaleVersion
from core.timeline import timeline_for
from tests.consultation.helpers import category, make_demand, make_meeting, today

pytestmark = pytest.mark.django_db

FIRST = "已联系物业，近期修补路面。"


@pytest.fixture
def worker(people):
    return people.meiyuan_worker


@pytest.fixture
def answered(worker, district):
    demand = make_demand(worker, district.meiyuan, days_ago=10)
    return demand_answer(
        by=worker,
        demand=demand,
        answer=FIRST,
        answered_on=today() - timedelta(days=3),
        version=demand.version,
    )


def answered_count(district) -> int:
    period = Period(today() - timedelta(days=60), today())
    return evaluate(district.aishan, period)["consultation.demands_answered"]


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="amend_{field}_error">([^<]+)<', html)
    assert match, f"no error next to {field}"
    return match.group(1)


# --- to a 民情分析会 ---------------------------------------------------------------------------


def test_the_meeting_form_offers_an_answered_demand(answered, worker, client_for):
    form = client_for(worker).get(reverse("governance:meeting_create")).content.decode()
    assert f'value="{answered.pk}"' in form and "已答复" in form


def test_answered_demands_never_crowd_an_open_one_out_of_the_meeting_form(
    worker, district, client_for
):
    still_open = make_demand(worker, district.meiyuan, days_ago=30)
    for _n in range(60):
        demand = make_demand(worker, district.meiyuan, days_ago=2)
        demand_answer(
            by=worker, demand=demand, answer="已答复", answered_on=today(), version=demand.version
        )
    form = client_for(worker).get(reverse("governance:meeting_create")).content.decode()
    assert f'value="{still_open.pk}"' in form


def test_an_answered_demand_goes_on_the_agenda_and_is_taken_up_as_a_project(
    answered, worker, district, client_for
):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.ANALYSIS, demands=[answered])
    page = client_for(worker).get(meeting.get_absolute_url()).content.decode()
    assert 'id="propose_demands' in page  # the meeting may propose a project from it
    project = project_propose(
        by=worker,
        meeting=meeting,
        title="修缮小区门口道路",
        category=category(),
        unit=district.meiyuan,
        demands=[answered],
    )
    demand = Demand.objects.get(pk=answered.pk)
    assert demand.status == DemandStatus.PROJECT and demand.project == project
    # Still answered once, on the day it was answered.
    assert demand.answer == FIRST and demand.answered_on == answered.answered_on
    assert answered_count(district) == 1
    detail = client_for(worker).get(demand.get_absolute_url()).content.decode()
    assert meeting.held_on.isoformat() in detail and "民情分析会" in detail


def test_a_demand_in_a_project_is_not_proposed_again(answered, worker, district):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.ANALYSIS, demands=[answered])
    propose = {
        "by": worker,
        "meeting": meeting,
        "title": "修缮小区门口道路",
        "category": category(),
        "unit": district.meiyuan,
        "demands": [answered],
    }
    project_propose(**propose)
    with pytest.raises(ValidationError) as refused:
        project_propose(**{**propose, "title": "再次立项"})
    assert "demands" in refused.value.message_dict


# --- changing the answer ------------------------------------------------------------------


def test_an_answer_is_changed_with_who_and_why_kept_in_the_history(answered, worker, district):
    changed = demand_answer_amend(
        by=worker,
        demand=answered,
        answer="物业已于本周修补路面。",
        reason="补充办理结果",
        version=answered.version,
    )
    assert changed.answer == "物业已于本周修补路面。"
    assert changed.answered_on == answered.answered_on and changed.status == DemandStatus.ANSWERED
    assert answered_count(district) == 1
    [latest, *_] = timeline_for(changed)
    assert latest.reason == "补充办理结果" and latest.who == str(worker)
    assert any(change.old == FIRST for change in latest.changes)


def test_a_change_without_a_reason_is_refused_next_to_the_field(answered, worker, client_for):
    url = reverse("governance:demand_answer_amend", args=[answered.pk])
    client = client_for(worker)
    refused = client.post(url, {"answer": "新的答复", "reason": "", "version": answered.version})
    assert refused.status_code == 200
    assert field_error(refused.content.decode(), "reason")
    same = client.post(url, {"answer": FIRST, "reason": "核对", "version": answered.version})
    assert same.status_code == 200 and field_error(same.content.decode(), "answer")
    assert Demand.objects.get(pk=answered.pk).answer == FIRST


def test_the_change_goes_through_the_page_and_shows_in_its_history(answered, worker, client_for):
    client = client_for(worker)
    page = client.get(answered.get_absolute_url()).content.decode()
    assert reverse("governance:demand_answer_amend", args=[answered.pk]) in page
    done = client.post(
        reverse("governance:demand_answer_amend", args=[answered.pk]),
        {"answer": "物业已修补路面。", "reason": "居民反映答复不具体", "version": answered.version},
    )
    assert done.status_code == 302
    page = client.get(answered.get_absolute_url()).content.decode()
    assert "物业已修补路面。" in page and "居民反映答复不具体" in page and FIRST in page


def test_a_stale_change_conflicts_and_keeps_the_first(answered, worker, client_for):
    url = reverse("governance:demand_answer_amend", args=[answered.pk])
    client = client_for(worker)
    opened = {"version": answered.version, "reason": "更正"}
    assert client.post(url, {**opened, "answer": "第一次更正"}).status_code == 302
    late = client.post(url, {**opened, "answer": "第二次更正"})
    assert late.status_code == 409 and "第一次更正" in late.content.decode()
    assert Demand.objects.get(pk=answered.pk).answer == "第一次更正"


def test_an_unanswered_demand_has_no_answer_to_change(worker, district, client_for):
    demand = make_demand(worker, district.meiyuan)
    with pytest.raises(ValidationError):
        demand_answer_amend(
            by=worker, demand=demand, answer="x", reason="y", version=demand.version
        )
    page = client_for(worker).get(demand.get_absolute_url()).content.decode()
    assert "answer/amend/" not in page


def test_someone_outside_the_unit_cannot_change_the_answer(answered, people, client_for):
    url = reverse("governance:demand_answer_amend", args=[answered.pk])
    post = {"answer": "越权", "reason": "x", "version": answered.version}
    assert client_for(people.wenyuan_official).post(url, post).status_code == 404
    assert Demand.objects.get(pk=answered.pk).answer == FIRST


def test_the_stale_version_error_is_raised_by_the_service(answered, worker):
    demand_answer_amend(
        by=worker, demand=answered, answer="一", reason="r", version=answered.version
    )
    with pytest.raises(StaleVersion):
        demand_answer_amend(
            by=worker, demand=answered, answer="二", reason="r", version=answered.version
        )


def test_a_double_submit_of_the_same_change_saves_it_once(answered, worker, client_for):
    url = reverse("governance:demand_answer_amend", args=[answered.pk])
    client = client_for(worker)
    post = {"answer": "物业已修补路面。", "reason": "补充", "version": answered.version}
    assert client.post(url, post).status_code == 302
    assert client.post(url, post).status_code == 409  # the version moved: nothing saved twice
    assert len([e for e in timeline_for(answered) if e.reason == "补充"]) == 1


def test_tallies_equal_a_recomputation_after_answering_changing_and_delivering(
    answered, worker, district
):
    from core.metrics.rebuild import (
        recomputed_facts,
        recomputed_subtree_sums,
        stored_facts,
        stored_subtree_sums,
    )
    from tests.consultation.helpers import deliver

    changed = demand_answer_amend(
        by=worker, demand=answered, answer="补充答复", reason="补充", version=answered.version
    )
    meeting = make_meeting(
        worker, district.meiyuan, MeetingKind.ANALYSIS, days_ago=8, demands=[changed]
    )
    project = project_propose(
        by=worker,
        meeting=meeting,
        title="修缮小区门口道路",
        category=category(),
        unit=district.meiyuan,
        demands=[changed],
    )
    deliver(worker, project)
    assert stored_facts() == recomputed_facts()
    assert stored_subtree_sums() == recomputed_subtree_sums()
    assert answered_count(district) == 1
    # The project's own answer replaced the earlier one; both stay in the history.
    demand = Demand.objects.get(pk=answered.pk)
    assert "修缮小区门口道路" in demand.answer
    olds = [change.old for entry in timeline_for(demand) for change in entry.changes]
    assert "补充答复" in olds and FIRST in olds
