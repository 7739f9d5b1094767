"""A reopened case: its outcome leaves the record and moves into history, shown as an earlier
outcome; its figures count it as open again and once when it closes anew."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.metrics import Period, evaluate
from disputes.models import CaseStatus, MediationAgreement, ReturnVisit
from disputes.services import case_move, earlier_outcomes
from tests.disputes.helpers import log_case

pytestmark = pytest.mark.django_db

TODAY = date.today()
YEAR = Period(TODAY.replace(month=1, day=1), TODAY)
OUTCOME = "双方达成和解，赔偿款已履行"


def resolved_case(official, unit):
    case = log_case(official, unit, received_on=TODAY)
    return case_move(
        by=official,
        case=case,
        move="resolve",
        version=case.version,
        resolved_on=TODAY,
        outcome=OUTCOME,
    )


def reopen(official, case, reason="协议未履行，当事人再次来访"):
    return case_move(by=official, case=case, move="reopen", version=case.version, reason=reason)


def earlier_section(html: str) -> tuple[str, str]:
    """The page split into the earlier-outcome section and everything else."""
    start = html.index('<section class="earlier-outcomes"')
    end = html.index("</section>", start)
    return html[start:end], html[:start] + html[end:]


def test_reopening_clears_the_outcome_from_the_record(district, people):
    case = reopen(people.aishan_official, resolved_case(people.aishan_official, district.meiyuan))
    assert case.status == CaseStatus.MEDIATING
    assert (case.outcome, case.resolved_on, case.settled_level) == ("", None, "")


def test_the_earlier_outcome_is_read_back_from_history_with_who_and_why(district, people):
    case = reopen(people.aishan_official, resolved_case(people.aishan_official, district.meiyuan))
    [earlier] = earlier_outcomes(case)
    assert earlier.outcome == OUTCOME
    assert earlier.closed_on == TODAY
    assert earlier.status == str(CaseStatus.RESOLVED.label)
    assert earlier.settled_level  # the level it was settled at, by name
    assert earlier.reason == "协议未履行，当事人再次来访"
    assert earlier.reopened_by == str(people.aishan_official)


def test_a_referral_set_aside_keeps_where_it_was_referred(district, people):
    official = people.aishan_official
    case = log_case(official, district.meiyuan)
    case = case_move(
        by=official,
        case=case,
        move="refer",
        version=case.version,
        reason="调解不成",
        resolved_on=TODAY,
        referral="litigation",
        referred_body="钢城区人民法院",
    )
    case = reopen(official, case, reason="法院委派调解")
    assert (case.referral, case.referred_body) == ("", "")
    [earlier] = earlier_outcomes(case)
    assert earlier.referred_body == "钢城区人民法院" and earlier.referral


def test_two_reopenings_keep_both_outcomes_newest_first(district, people):
    official = people.aishan_official
    case = reopen(official, resolved_case(official, district.meiyuan), reason="第一次")
    case = case_move(
        by=official,
        case=case,
        move="resolve",
        version=case.version,
        resolved_on=TODAY,
        outcome="第二次和解",
    )
    case = reopen(official, case, reason="第二次")
    assert [(o.outcome, o.reason) for o in earlier_outcomes(case)] == [
        ("第二次和解", "第二次"),
        (OUTCOME, "第一次"),
    ]


def test_a_case_never_reopened_has_no_earlier_outcome(district, people, client_for):
    case = resolved_case(people.aishan_official, district.meiyuan)
    assert earlier_outcomes(case) == []
    html = client_for(people.aishan_official).get(case.get_absolute_url()).content.decode()
    assert "earlier-outcomes" not in html and OUTCOME in html


def test_the_page_shows_the_old_outcome_only_as_history(district, people, client_for):
    official = people.aishan_official
    case = resolved_case(official, district.meiyuan)
    MediationAgreement.objects.create(
        case=case,
        signed_on=TODAY,
        facts="楼上漏水",
        terms="楼上住户维修并赔偿",
        performance_method="一次性履行",
        perform_by=TODAY,
    )
    ReturnVisit.objects.create(case=case, visited_on=TODAY, performed=True, notes="协议已履行")
    case = reopen(official, case)
    html = client_for(official).get(case.get_absolute_url()).content.decode()
    earlier, rest = earlier_section(html)
    assert OUTCOME in earlier and "此前结果" in earlier and "协议未履行，当事人再次来访" in earlier
    assert OUTCOME not in rest.split('<section class="card" id="sessions">')[0]
    assert "调解中" in html
    # The agreement and the visit that found it performed belong to the outcome set aside.
    assert "重新办理前签订" in html
    visits = html[html.index('id="visits"') :]
    assert "重新办理前" in visits.split("协议已履行")[0]


def test_a_visit_after_the_reopening_is_current(district, people, client_for):
    official = people.aishan_official
    case = log_case(official, district.meiyuan, received_on=TODAY - timedelta(days=5))
    case = case_move(
        by=official,
        case=case,
        move="resolve",
        version=case.version,
        resolved_on=TODAY - timedelta(days=4),
        outcome=OUTCOME,
    )
    case = reopen(official, case)
    # The reopening was two days ago; the visit that followed it was yesterday.
    case.events_log.filter(kind="reopened").update(at=timezone.now() - timedelta(days=2))
    ReturnVisit.objects.create(
        case=case, visited_on=TODAY - timedelta(days=1), performed=False, notes="再次回访"
    )
    html = client_for(official).get(case.get_absolute_url()).content.decode()
    visits = html[html.index('id="visits"') :]
    assert "再次回访" in visits and "重新办理前" not in visits.split("再次回访")[0]


def test_the_figures_count_a_reopened_case_as_open_and_once_when_closed_again(district, people):
    official = people.district_staff
    case = resolved_case(official, district.meiyuan_grid)
    assert evaluate(district.aishan, YEAR)["disputes.resolved"] == 1
    case = reopen(official, case)
    values = evaluate(district.aishan, YEAR)
    assert values["disputes.resolved"] == 0 and values["disputes.received"] == 1
    case_move(
        by=official,
        case=case,
        move="resolve",
        version=case.version,
        resolved_on=TODAY,
        outcome="重新调解成功",
    )
    values = evaluate(district.aishan, YEAR)
    assert values["disputes.resolved"] == 1 and values["disputes.received"] == 1
