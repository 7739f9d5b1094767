"""Training: sessions, invitations, attendance at the door (htmx and plain forms), the refusal of
an uninvited worker, and 人次 arithmetic (attendances, not people)."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.metrics import Period, evaluate, metric
from core.metrics.rebuild import recomputed_facts, stored_facts
from tests.workforce.helpers import add_session, add_worker
from workforce.models import Attendance, TrainingProgramme, TrainingSession
from workforce.services import attendance_mark, session_invite

pytestmark = pytest.mark.django_db


def figures(unit, start=None, end=None):
    today = timezone.localdate()
    period = Period(start or today.replace(month=1, day=1), end or today)
    keys = ["training.person_times", "training.trained_share"]
    return evaluate(unit, period, [metric(k) for k in keys])


@pytest.fixture
def crew(district, people):
    """Two grid workers of 梅苑社区 and one of 洪沟社区."""
    by = people.district_staff
    return [
        add_worker(by, district.meiyuan, name="甲", grids=[district.meiyuan_grid]),
        add_worker(by, district.meiyuan, name="乙", grids=[district.meiyuan_grid2]),
        add_worker(by, district.honggou, name="丙", grids=[district.honggou_grid]),
    ]


def sessions_held(by, unit, count):
    today = timezone.localdate()
    # Dates within this year and not after today.
    days = [today - timedelta(days=n) for n in range(count)]
    assert all(day.year == today.year for day in days) or today.month > 1
    return [add_session(by, unit, held_on=day, title=f"第{n + 1}期") for n, day in enumerate(days)]


def test_one_worker_at_three_sessions_is_three_person_times(district, people, crew):
    by = people.district_staff
    first, second, third = crew
    sessions = sessions_held(by, district.district, 3)
    for session in sessions:
        session_invite(by=by, session=session, workers=crew)
        attendance_mark(by=by, session=session, worker_id=first.pk, attended=True)
    attendance_mark(by=by, session=sessions[0], worker_id=third.pk, attended=True)

    district_figures = figures(district.district)
    assert district_figures["training.person_times"] == 4  # 3 of 甲, 1 of 丙; 乙 never came
    # Two of the three workers trained this year: people, not attendances.
    assert str(district_figures["training.trained_share"]) == "66.7"
    assert figures(district.meiyuan)["training.person_times"] == 3
    assert figures(district.honggou)["training.person_times"] == 1
    assert figures(district.wenyuan)["training.person_times"] == 1

    # Ticking twice counts once; unticking takes it back.
    attendance_mark(by=by, session=sessions[0], worker_id=first.pk, attended=True)
    attendance_mark(by=by, session=sessions[1], worker_id=first.pk, attended=False)
    assert figures(district.district)["training.person_times"] == 3
    assert recomputed_facts() == stored_facts()


def test_moving_a_session_or_a_worker_moves_their_person_times(district, people, crew):
    by = people.district_staff
    session = add_session(by, district.district, held_on=timezone.localdate())
    session_invite(by=by, session=session, workers=crew)
    attendance_mark(by=by, session=session, worker_id=crew[0].pk, attended=True)
    worker = crew[0]
    from workforce.services import worker_save

    worker_save(
        by=by,
        data={
            "unit": district.honggou,
            "name": worker.name,
            "position": worker.position,
            "phone": worker.phone,
            "qualifications": [],
            "status": "active",
            "joined_on": worker.joined_on,
            "left_on": None,
        },
        grids=[district.honggou_grid],
        worker=worker,
        version=worker.version,
    )
    assert figures(district.meiyuan)["training.person_times"] == 0
    assert figures(district.honggou)["training.person_times"] == 1
    assert recomputed_facts() == stored_facts()


def test_attendance_for_a_worker_not_invited_is_refused(district, people, crew, client_for):
    by = people.district_staff
    session = add_session(by, district.district)
    session_invite(by=by, session=session, workers=crew[:1])
    client = client_for(by)
    url = f"/training/sessions/{session.pk}/attendance/"
    response = client.post(url, {"worker": crew[1].pk, "attended": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未受邀参加本场培训" in page
    assert not Attendance.objects.filter(worker=crew[1]).exists()
    assert client.post(url, {"worker": "x", "attended": "1"}).status_code == 400
    assert figures(district.district)["training.person_times"] == 0


def test_attendance_at_the_door_without_javascript(district, people, crew, client_for):
    by = people.district_staff
    session = add_session(by, district.district)
    session_invite(by=by, session=session, workers=crew)
    client = client_for(by)
    url = f"/training/sessions/{session.pk}/attendance/"
    page = client.get(url).content.decode()
    assert "甲" in page and "乙" in page and "丙" in page
    response = client.post(url, {"worker": crew[1].pk, "attended": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#att-{crew[1].pk}")
    assert Attendance.objects.get(worker=crew[1]).attended
    assert Attendance.objects.get(worker=crew[1]).marked_by == by
    # A name search narrows the roster and keeps the search after a tick.
    page = client.get(url, {"q": "丙"}).content.decode()
    assert "丙" in page and f'id="att-{crew[0].pk}"' not in page
    response = client.post(url, {"worker": crew[2].pk, "attended": "1", "q": "丙"})
    assert "?q=" in response["Location"]


def test_attendance_with_htmx_swaps_the_row_and_the_count(
    district, people, crew, client_for, htmx_headers
):
    by = people.district_staff
    session = add_session(by, district.district)
    session_invite(by=by, session=session, workers=crew)
    url = f"/training/sessions/{session.pk}/attendance/"
    response = client_for(by).post(
        url, {"worker": crew[0].pk, "attended": "1"}, headers=htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="att-{crew[0].pk}"')
    assert 'aria-pressed="true"' in html
    assert 'hx-swap-oob="true"' in html and "1" in html.split("att-count")[1]
    assert "<html" not in html


def test_only_those_who_run_training_take_attendance(district, people, crew, client_for):
    session = add_session(people.district_staff, district.district)
    session_invite(by=people.district_staff, session=session, workers=crew)
    url = f"/training/sessions/{session.pk}/attendance/"
    for user in (people.meiyuan_worker, people.grid_worker, people.outsider):
        assert (
            client_for(user).post(url, {"worker": crew[0].pk, "attended": "1"}).status_code == 404
        )
    # A street's session is out of the other street's reach.
    street_session = add_session(people.aishan_official, district.aishan)
    assert (
        client_for(people.wenyuan_official)
        .get(f"/training/sessions/{street_session.pk}/")
        .status_code
        == 404
    )
    assert not Attendance.objects.filter(attended=True).exists()


def test_invitations_reach_the_workers_of_the_chosen_unit_only_once(
    district, people, crew, client_for
):
    by = people.district_staff
    session = add_session(by, district.district)
    client = client_for(by)
    url = f"/training/sessions/{session.pk}/invite/"
    client.post(url, {"unit": district.meiyuan.pk})
    assert set(session.attendances.values_list("worker__name", flat=True)) == {"甲", "乙"}
    client.post(url, {"unit": district.district.pk})
    client.post(url, {"unit": district.district.pk})
    assert session.attendances.count() == 3


def test_a_street_cannot_invite_another_streets_workers(district, people, crew):
    session = add_session(people.aishan_official, district.aishan)
    added = session_invite(by=people.aishan_official, session=session, workers=crew)
    assert added == 2  # 丙 works in 汶源街道


def test_a_session_and_a_programme_are_created_once_on_a_double_submit(
    district, people, client_for
):
    client = client_for(people.district_staff)
    key = str(uuid.uuid4())
    data = {
        "submission_key": key,
        "unit": district.district.pk,
        "name": "社区书记先锋论坛",
        "organisers": ["social_work", "organisation"],
    }
    client.post("/training/new/", data)
    client.post("/training/new/", data)
    programme = TrainingProgramme.objects.get()
    assert programme.organisers == ["social_work", "organisation"]
    session_data = {
        "submission_key": str(uuid.uuid4()),
        "title": "社区书记先锋论坛（春季）",
        "held_on": date.today().isoformat(),
        "place": "区委会议中心",
        "materials": "课件\nhttps://example.org/handout.pdf",
    }
    first = client.post(f"/training/{programme.pk}/sessions/", session_data)
    second = client.post(f"/training/{programme.pk}/sessions/", session_data)
    session = TrainingSession.objects.get()
    assert first["Location"] == second["Location"] == session.get_absolute_url()
    assert session.unit == district.district
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'href="https://example.org/handout.pdf"' in page
    bad = client.post(
        f"/training/{programme.pk}/sessions/",
        {**session_data, "submission_key": str(uuid.uuid4()), "held_on": "1999-01-01"},
    )
    assert bad.status_code == 200 and bad.context["session_form"].errors["held_on"]
    assert TrainingSession.objects.count() == 1


def test_the_workers_page_lists_their_training(district, people, crew, client_for):
    by = people.district_staff
    session = add_session(by, district.district, title="网格员履职能力提升培训（第二期）")
    session_invite(by=by, session=session, workers=crew)
    attendance_mark(by=by, session=session, worker_id=crew[0].pk, attended=True)
    page = client_for(by).get(crew[0].get_absolute_url()).content.decode()
    assert "网格员履职能力提升培训（第二期）" in page
    other = client_for(by).get(crew[1].get_absolute_url())
    assert other.context["person_times"] == 0
