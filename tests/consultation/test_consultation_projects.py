"""Livelihood projects (民生实事): proposed at a 民情分析会, agreed at a 阳光议事会, under way at a
协商推进会, delivered or dropped; moves only in order; the board moves a card with htmx and
without; stale edits conflict; double submits make one record; meetings and their lists."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultation.models import (
    Demand,
    DemandStatus,
    LivelihoodProject,
    Meeting,
    MeetingKind,
    Platform,
    ProgressEntry,
    StageMove,
)
from consultation.services.consultation import project_move, project_propose
from core.metrics import Period, evaluate
from tests.consultation.helpers import (
    category,
    deliver,
    make_demand,
    make_meeting,
    make_project,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(people):
    return people.meiyuan_worker


@pytest.fixture
def project(worker, district):
    demand = make_demand(worker, district.meiyuan, days_ago=20)
    return make_project(worker, district.meiyuan, [demand])


def test_a_project_is_proposed_only_at_a_public_sentiment_meeting(worker, district):
    demand = make_demand(worker, district.meiyuan)
    wrong = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, demands=[demand])
    with pytest.raises(ValidationError):
        project_propose(
            by=worker, meeting=wrong, title="x", category=category(), unit=district.meiyuan,
            demands=[demand],
        )  # fmt: skip
    assert not LivelihoodProject.objects.exists()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.RECEIVED


def test_proposing_takes_the_demands_up(project):
    demand = project.demands.get()
    assert demand.status == DemandStatus.PROJECT
    assert project.first_demand_on == demand.received_on
    assert project.moves.get().meeting == project.proposed_at


@pytest.mark.parametrize("target", ["under_way", "delivered", "proposed"])
def test_stages_move_only_in_order(project, worker, target, district):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.PROMOTION, days_ago=1)
    with pytest.raises(ValidationError):
        project_move(
            by=worker, project=project, to_stage=target, meeting=meeting, on=today(),
            version=project.version,
        )  # fmt: skip
    project.refresh_from_db()
    assert project.stage == "proposed" and project.moves.count() == 1


def test_each_move_needs_the_meeting_of_its_type(project, worker, district):
    analysis = make_meeting(worker, district.meiyuan, MeetingKind.ANALYSIS, days_ago=2)
    with pytest.raises(ValidationError) as raised:
        project_move(
            by=worker, project=project, to_stage="agreed", meeting=analysis,
            version=project.version,
        )  # fmt: skip
    assert "meeting" in raised.value.message_dict
    with pytest.raises(ValidationError):
        project_move(by=worker, project=project, to_stage="agreed", version=project.version)


def test_a_meeting_of_another_branch_cannot_move_the_project(project, people, district):
    other = make_meeting(people.wenyuan_official, district.honggou, MeetingKind.DELIBERATION)
    with pytest.raises(ValidationError):
        project_move(
            by=people.district_staff, project=project, to_stage="agreed", meeting=other,
            version=project.version,
        )  # fmt: skip


def test_a_step_cannot_come_before_the_previous_one(project, worker, district):
    early = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=30)
    with pytest.raises(ValidationError) as raised:
        project_move(
            by=worker, project=project, to_stage="agreed", meeting=early, version=project.version
        )
    assert "on" in raised.value.message_dict


def test_delivery_answers_every_demand_and_counts_in_the_figures(project, worker, district):
    delivered = deliver(worker, project)
    assert delivered.stage == "delivered" and delivered.beneficiaries == 120
    assert [m.to_stage for m in delivered.moves.all()] == [
        "proposed",
        "agreed",
        "under_way",
        "delivered",
    ]
    kinds = [m.meeting.kind if m.meeting else None for m in delivered.moves.all()]
    assert kinds == ["analysis", "deliberation", "promotion", None]
    demand = delivered.demands.get()
    assert demand.answered_on == delivered.delivered_on and "修缮小区门口道路" in demand.answer

    year = Period(today().replace(month=1, day=1), today())
    if delivered.delivered_on < year.start:
        year = Period(delivered.delivered_on, today())
    figures = evaluate(district.aishan, Period(today() - timedelta(days=60), today()))
    assert figures["consultation.projects_delivered"] == 1
    assert figures["consultation.demands_received"] == 1
    assert figures["consultation.demands_answered"] == 1
    assert figures["consultation.meetings.analysis"] == 1
    assert figures["consultation.meetings.deliberation"] == 1
    assert figures["consultation.meetings.promotion"] == 1
    assert figures["consultation.days_to_delivery"] == 19  # received 20 days ago, delivered 1
    assert evaluate(district.wenyuan, year)["consultation.projects_delivered"] == 0


def test_the_median_reads_a_histogram_of_tallies(worker, district):
    days = []
    for received_ago in (30, 12, 9):
        demand = make_demand(worker, district.meiyuan, days_ago=received_ago)
        deliver(worker, make_project(worker, district.meiyuan, [demand], days_ago=8))
        days.append(received_ago - 1)
    window = Period(today() - timedelta(days=60), today())
    assert evaluate(district.aishan, window)["consultation.days_to_delivery"] == 11
    # An even count averages the two middle values.
    demand = make_demand(worker, district.meiyuan, days_ago=15)
    deliver(worker, make_project(worker, district.meiyuan, [demand], days_ago=8))
    assert float(evaluate(district.aishan, window)["consultation.days_to_delivery"]) == 12.5


def test_dropping_needs_a_reason_and_answers_the_demands(project, worker):
    with pytest.raises(ValidationError):
        project_move(
            by=worker, project=project, to_stage="dropped", reason=" ", version=project.version
        )
    dropped = project_move(
        by=worker,
        project=project,
        to_stage="dropped",
        reason="产权单位不同意施工",
        version=project.version,
    )
    assert dropped.stage == "dropped"
    demand = dropped.demands.get()
    assert "产权单位不同意施工" in demand.answer and demand.answered_on
    with pytest.raises(ValidationError):
        project_move(by=worker, project=dropped, to_stage="agreed", version=dropped.version)


def test_the_board_moves_a_card_with_htmx(project, worker, district, client_for, htmx_headers):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=3)
    client = client_for(worker)
    board = client.get(reverse("governance:project_board"))
    assert board.status_code == 200 and project.title in board.content.decode()
    response = client.post(
        reverse("governance:project_move", args=[project.pk]),
        {"to_stage": "agreed", "meeting": meeting.pk, "version": project.version, "from": "board"},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"') and "<html" not in html
    project.refresh_from_db()
    assert project.stage == "agreed" and project.agreed_at == meeting


def test_the_board_moves_a_card_without_javascript(project, worker, district, client_for):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=3)
    response = client_for(worker).post(
        reverse("governance:project_move", args=[project.pk]),
        {
            "to_stage": "agreed",
            "meeting": meeting.pk,
            "version": project.version,
            "from": "board",
            "next": reverse("governance:project_board"),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/projects/"
    project.refresh_from_db()
    assert project.stage == "agreed"


def test_an_out_of_order_move_is_a_clear_message_not_a_500(project, worker, client_for):
    response = client_for(worker).post(
        reverse("governance:project_move", args=[project.pk]),
        {"to_stage": "delivered", "on": today().isoformat(), "version": project.version},
        follow=True,
    )
    assert response.status_code == 200
    assert (
        "Stages move in order" in response.content.decode() or "按顺序" in response.content.decode()
    )
    project.refresh_from_db()
    assert project.stage == "proposed"


def test_a_double_submitted_move_moves_once(project, worker, district, client_for):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=3)
    client = client_for(worker)
    data = {"to_stage": "agreed", "meeting": meeting.pk, "version": project.version}
    url = reverse("governance:project_move", args=[project.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert StageMove.objects.filter(project=project, to_stage="agreed").count() == 1


def test_a_stale_edit_conflicts_and_shows_the_other_change(project, worker, client_for):
    client = client_for(worker)
    url = reverse("governance:project_edit", args=[project.pk])
    base = {
        "title": project.title,
        "category": project.category_id,
        "cost": "52000",
        "funding_source": "街道民生资金",
        "version": project.version,
    }
    assert client.post(url, base).status_code == 302
    stale = client.post(url, {**base, "cost": "99999"})
    assert stale.status_code == 409
    assert "52000" in stale.content.decode()
    project.refresh_from_db()
    assert str(project.cost) == "52000.00"


def test_a_double_submitted_proposal_makes_one_project(worker, district, client_for):
    demand = make_demand(worker, district.meiyuan)
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.ANALYSIS, demands=[demand])
    client = client_for(worker)
    data = {
        "title": "加装电动车充电车棚",
        "category": category("电动车充电车棚").pk,
        "unit": district.meiyuan.pk,
        "demands": [demand.pk],
        "submission_key": str(uuid.uuid4()),
    }
    url = reverse("governance:project_propose", args=[meeting.pk])
    first = client.post(url, data)
    second = client.post(url, data)
    assert LivelihoodProject.objects.count() == 1
    assert (
        first["Location"]
        == second["Location"]
        == LivelihoodProject.objects.get().get_absolute_url()
    )


def test_a_meeting_is_recorded_with_its_agenda_once(worker, district, client_for):
    demand = make_demand(worker, district.meiyuan)
    platform = Platform.objects.create(unit=district.aishan, name="社区半月谈")
    client = client_for(worker)
    data = {
        "unit": district.meiyuan.pk,
        "kind": "analysis",
        "platform": platform.pk,
        "held_on": today().isoformat(),
        "place": "梅苑社区议事厅",
        "host": "社区书记",
        "residents": 20,
        "representatives": 6,
        "party_members": 5,
        "businesses": 2,
        "departments": 1,
        "demands": [demand.pk],
        "minutes": "居民反映道路问题",
        "decisions": "提议立项",
        "submission_key": str(uuid.uuid4()),
    }
    url = reverse("governance:meeting_create")
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.participants == 34 and meeting.platform == platform
    assert list(meeting.agenda.values_list("demand", flat=True)) == [demand.pk]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "提议立项" in page and "propose" in page


def test_progress_entries_are_dated_and_made_once(project, worker, client_for):
    client = client_for(worker)
    data = {"on": today().isoformat(), "text": "施工队进场", "submission_key": str(uuid.uuid4())}
    url = reverse("governance:progress_add", args=[project.pk])
    client.post(url, data)
    client.post(url, data)
    assert ProgressEntry.objects.filter(project=project).count() == 1


def test_projects_are_scoped(project, people, client_for):
    assert client_for(people.aishan_official).get(project.get_absolute_url()).status_code == 200
    for outsider in (people.wenyuan_official, people.outsider, people.village_clerk):
        assert client_for(outsider).get(project.get_absolute_url()).status_code == 404
    # A grid worker may see the project but not move it.
    response = client_for(people.grid_worker).post(
        reverse("governance:project_move", args=[project.pk]),
        {"to_stage": "dropped", "reason": "x", "version": project.version},
    )
    assert response.status_code == 404


def test_platforms_are_an_editable_list_per_unit(people, district, client_for):
    client = client_for(people.wenyuan_official)
    url = reverse("governance:consultation_lists")
    for name in ("社区半月谈", "12345商量最靠谱"):
        client.post(url, {"list": "platform", "unit": district.wenyuan.pk, "name": name})
    assert set(Platform.objects.values_list("name", flat=True)) == {"社区半月谈", "12345商量最靠谱"}
    # Outside the street's reach, refused.
    client.post(url, {"list": "platform", "unit": district.aishan.pk, "name": "别人的平台"})
    assert Platform.objects.count() == 2
    assert Platform.objects.serving(district.honggou_grid).count() == 2
    assert Platform.objects.serving(district.meiyuan).count() == 0


def test_demands_keep_their_status_when_a_proposal_fails(worker, district, people):
    demand = make_demand(worker, district.meiyuan)
    taken = make_demand(worker, district.meiyuan)
    make_project(worker, district.meiyuan, [taken])
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.ANALYSIS, demands=[demand, taken])
    with pytest.raises(ValidationError):
        project_propose(
            by=worker, meeting=meeting, title="y", category=category(), unit=district.meiyuan,
            demands=[demand, Demand.objects.get(pk=taken.pk)],
        )  # fmt: skip
    demand.refresh_from_db()
    assert demand.status == DemandStatus.RECEIVED and demand.project is None


def test_a_stale_move_conflicts_and_shows_the_other_change(
    project, worker, district, people, client_for
):
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=3)
    opened_at = project.version
    project_move(by=worker, project=project, to_stage="agreed", meeting=meeting, version=opened_at)
    response = client_for(people.aishan_official).post(
        reverse("governance:project_move", args=[project.pk]),
        {"to_stage": "dropped", "reason": "资金不足", "version": opened_at},
    )
    assert response.status_code == 409
    assert "已议定" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "agreed" and not project.dropped_reason


@pytest.mark.parametrize("with_htmx", [False, True])
def test_the_same_move_made_first_by_someone_else_names_them_and_the_meeting(
    project, worker, district, people, client_for, htmx_headers, with_htmx
):
    """Two officials move one card on the board: the late one is told who moved it and at
    which meeting, on the board they came from."""
    meeting = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=3)
    opened_at = project.version
    project_move(by=worker, project=project, to_stage="agreed", meeting=meeting, version=opened_at)
    client = client_for(people.aishan_official)
    response = client.post(
        reverse("governance:project_move", args=[project.pk]),
        {
            "to_stage": "agreed",
            "meeting": meeting.pk,
            "version": opened_at,
            "from": "board",
            "next": reverse("governance:project_board"),
        },
        headers=htmx_headers if with_htmx else {},
        follow=not with_htmx,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"“{project.title}”已由" in html and f"在{meeting}上推进至“已议定”" in html
    assert StageMove.objects.filter(project=project, to_stage="agreed").count() == 1
    # the one who moved it, submitting the same move again from another tab, is told it is done
    again = client_for(worker).post(
        reverse("governance:project_move", args=[project.pk]),
        {"to_stage": "agreed", "meeting": meeting.pk, "version": opened_at},
        follow=True,
    )
    assert f"在{meeting}上推进至“已议定”" in again.content.decode()
    assert StageMove.objects.filter(project=project, to_stage="agreed").count() == 1


def _board_queries(client) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("governance:project_board"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_boards_statements_do_not_grow_with_its_cards(worker, district, client_for):
    """Every card's move form carries a meeting picker and its last move's date: the board
    finds them for all cards at once, and each picker still lists its own project's meetings."""
    import re

    from consultation.services.consultation import meetings_for_move

    make_project(worker, district.meiyuan, [make_demand(worker, district.meiyuan)])
    make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=3)
    client = client_for(worker)
    client.get(reverse("governance:project_board"))  # the session's first page saves it
    few, _page = _board_queries(client)

    for n in range(4):
        made = make_project(
            worker, district.meiyuan, [make_demand(worker, district.meiyuan)], days_ago=9 + n
        )
        if n % 2:
            agreed = make_meeting(worker, district.meiyuan, MeetingKind.DELIBERATION, days_ago=7)
            project_move(
                by=worker, project=made, to_stage="agreed", meeting=agreed, version=made.version
            )
    make_meeting(worker, district.meiyuan, MeetingKind.PROMOTION, days_ago=2)
    many, page = _board_queries(client)
    assert many == few, f"{few} statements with one card, {many} with five"

    for project in LivelihoodProject.objects.all():
        target = project.next_stage()
        select = re.search(
            rf'<select[^>]*id="move{project.pk}_{target}_meeting".*?</select>', page, re.S
        )
        offered = [int(v) for v in re.findall(r'<option value="(\d+)"', select.group(0))]
        wanted = [m.pk for m in meetings_for_move(worker, project, target)]
        assert offered == wanted and wanted
