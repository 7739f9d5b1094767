"""受理 → 调解中 → 已化解 | 未化解; escalation one level up; only allowed moves; reopening needs a reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disputes.models import CaseEvent, CaseStatus, DisputeCase, HandlingLevel
from disputes.services import can_handle, case_move, moves_for
from tests.disputes.helpers import log_case

pytestmark = pytest.mark.django_db


def fresh(case):
    return DisputeCase.objects.get(pk=case.pk)


def test_a_grid_worker_logs_a_case_handled_at_grid_level(district, people):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    assert case.status == CaseStatus.ACCEPTED
    assert case.handling_level == HandlingLevel.GRID
    assert case.number == f"370117001-{date.today().year}-00001"
    assert case.parties.get().name == "张三"
    assert list(case.events_log.values_list("kind", flat=True)) == ["received"]


def test_a_grid_worker_cannot_log_in_another_grid(district, people):
    with pytest.raises(PermissionDenied):
        log_case(people.grid_worker, district.meiyuan_grid2)


def test_a_future_receipt_date_is_refused(district, people):
    with pytest.raises(ValidationError):
        log_case(
            people.grid_worker, district.meiyuan_grid, received_on=date.today() + timedelta(days=1)
        )
    assert not DisputeCase.objects.exists()


def test_mediate_then_resolve_at_grid_level(district, people):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    case = case_move(by=people.grid_worker, case=case, move="mediate", version=case.version)
    case = case_move(
        by=people.grid_worker,
        case=case,
        move="resolve",
        version=case.version,
        resolved_on=date.today(),
        outcome="双方和解",
    )
    assert case.status == CaseStatus.RESOLVED and case.settled_level == HandlingLevel.GRID
    kinds = list(case.events_log.values_list("kind", flat=True))
    assert kinds == ["received", "mediating", "resolved"]


def test_escalation_goes_one_level_up_and_takes_the_case_from_the_grid(district, people):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    case = case_move(
        by=people.grid_worker, case=case, move="escalate", version=case.version, reason="涉及物业"
    )
    assert case.handling_level == HandlingLevel.COMMUNITY
    event = case.events_log.get(kind=CaseEvent.Kind.ESCALATED)
    assert (event.from_level, event.to_level, event.reason) == ("grid", "community", "涉及物业")
    # The grid worker no longer handles it; the community worker does.
    assert moves_for(people.grid_worker, fresh(case)) == []
    assert can_handle(people.meiyuan_worker, fresh(case))
    case = case_move(
        by=people.meiyuan_worker,
        case=fresh(case),
        move="escalate",
        version=case.version,
        reason="需街道协调",
    )
    case = case_move(
        by=people.aishan_official,
        case=case,
        move="resolve",
        version=case.version,
        resolved_on=date.today(),
        outcome="街道协调化解",
    )
    assert case.settled_level == HandlingLevel.STREET


def test_escalation_needs_a_reason(district, people):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    with pytest.raises(ValidationError) as raised:
        case_move(
            by=people.grid_worker, case=case, move="escalate", version=case.version, reason=" "
        )
    assert "reason" in raised.value.message_dict
    assert fresh(case).handling_level == HandlingLevel.GRID


def test_the_district_cannot_escalate_further(district, people):
    case = log_case(people.district_staff, district.meiyuan_grid)
    for _ in range(3):
        case = case_move(
            by=people.district_staff,
            case=case,
            move="escalate",
            version=case.version,
            reason="上报",
        )
    assert case.handling_level == HandlingLevel.DISTRICT
    assert "escalate" not in [m.key for m in moves_for(people.district_staff, case)]


def test_referral_needs_where_and_closes_unresolved(district, people):
    case = log_case(people.aishan_official, district.meiyuan)
    with pytest.raises(ValidationError):
        case_move(
            by=people.aishan_official,
            case=case,
            move="refer",
            version=1,
            reason="调解不成",
            resolved_on=date.today(),
        )
    case = case_move(
        by=people.aishan_official,
        case=case,
        move="refer",
        version=1,
        reason="调解不成",
        resolved_on=date.today(),
        referral="litigation",
        referred_body="钢城区人民法院",
    )
    assert case.status == CaseStatus.UNRESOLVED and case.settled_level == ""


def test_a_closing_date_before_receipt_is_refused(district, people):
    case = log_case(
        people.aishan_official, district.meiyuan, received_on=date.today() - timedelta(days=3)
    )
    with pytest.raises(ValidationError) as raised:
        case_move(
            by=people.aishan_official,
            case=case,
            move="resolve",
            version=1,
            resolved_on=date.today() - timedelta(days=5),
        )
    assert "resolved_on" in raised.value.message_dict
    assert fresh(case).status == CaseStatus.ACCEPTED


def test_only_the_moves_of_the_state_are_offered(district, people):
    case = log_case(people.aishan_official, district.meiyuan)
    assert [m.key for m in moves_for(people.aishan_official, case)] == [
        "mediate",
        "resolve",
        "refer",
        "escalate",
    ]
    case = case_move(
        by=people.aishan_official, case=case, move="resolve", version=1, resolved_on=date.today()
    )
    assert [m.key for m in moves_for(people.aishan_official, case)] == ["reopen"]
    with pytest.raises(ValidationError):
        case_move(by=people.aishan_official, case=case, move="mediate", version=case.version)


def test_reopening_needs_a_reason_and_clears_the_settlement(district, people):
    case = log_case(people.aishan_official, district.meiyuan)
    case = case_move(
        by=people.aishan_official, case=case, move="resolve", version=1, resolved_on=date.today()
    )
    with pytest.raises(ValidationError):
        case_move(by=people.aishan_official, case=case, move="reopen", version=case.version)
    case = case_move(
        by=people.aishan_official,
        case=case,
        move="reopen",
        version=case.version,
        reason="协议未履行",
    )
    assert (
        case.status == CaseStatus.MEDIATING
        and case.resolved_on is None
        and case.settled_level == ""
    )


def test_people_without_a_handling_role_have_no_moves(district, people):
    case = (
        log_case(people.aishan_official, district.liuqiaoyu_grid.parent)
        if False
        else log_case(people.district_staff, district.liuqiaoyu)
    )
    assert moves_for(people.village_clerk, case) == []
    assert moves_for(people.aishan_official, case) == []  # another street


def test_a_stale_move_conflicts(district, people):
    from core.models import StaleVersion

    case = log_case(people.aishan_official, district.meiyuan)
    case_move(by=people.aishan_official, case=case, move="mediate", version=1)
    with pytest.raises(StaleVersion):
        case_move(by=people.aishan_official, case=case, move="escalate", version=1, reason="x")


def test_the_case_page_offers_only_allowed_moves_and_masks_parties(district, people, client_for):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    html = client_for(people.aishan_official).get(case.get_absolute_url()).content.decode()
    assert "张*" in html and "138****5678" in html and "110105********002X" in html
    assert "张三" not in html and "13812345678" not in html and "11010519491231002X" not in html
    assert 'value="mediate"' in html and 'value="reopen"' not in html
    clerk = client_for(people.village_clerk).get(case.get_absolute_url())
    assert clerk.status_code == 404


def test_a_move_through_the_page(district, people, client_for):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    client = client_for(people.grid_worker)
    response = client.post(
        f"/cases/{case.number}/move/",
        {
            "move": "resolve",
            "version": 1,
            "resolved_on": date.today().isoformat(),
            "outcome": "和解",
        },
    )
    assert response.status_code == 302
    assert fresh(case).status == CaseStatus.RESOLVED


def test_a_stale_move_through_the_page_shows_the_other_change(district, people, client_for):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    client = client_for(people.grid_worker)
    client.post(f"/cases/{case.number}/move/", {"move": "mediate", "version": 1})
    response = client.post(
        f"/cases/{case.number}/move/", {"move": "escalate", "version": 1, "reason": "x"}
    )
    assert response.status_code == 409
    assert fresh(case).handling_level == HandlingLevel.GRID
    assert fresh(case).status == CaseStatus.MEDIATING


def test_a_move_not_allowed_through_the_page_changes_nothing(district, people, client_for):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    response = client_for(people.grid_worker).post(
        f"/cases/{case.number}/move/", {"move": "reopen", "version": 1, "reason": "x"}
    )
    assert response.status_code == 302
    assert fresh(case).status == CaseStatus.ACCEPTED


def test_the_timeline_shows_history_and_workflow(district, people, client_for):
    case = log_case(people.grid_worker, district.meiyuan_grid)
    client = client_for(people.grid_worker)
    client.post(
        f"/cases/{case.number}/move/", {"move": "escalate", "version": 1, "reason": "涉及物业公司"}
    )
    html = client_for(people.meiyuan_worker).get(case.get_absolute_url()).content.decode()
    assert "涉及物业公司" in html and str(people.grid_worker) in html
    assert people.grid_worker.full_name not in html  # staff are named masked, as everywhere
