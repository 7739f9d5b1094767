"""Recording hours takes the signed-up list: a member who did not sign up joins during recording
only while the activity has room, with a message next to their line otherwise; a team leader
logs activities only for the teams they lead."""

import re
import threading
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.models import Membership, User
from tests.factories import PASSWORD
from tests.volunteers.conftest import at
from volunteers.models import Activity, HoursStatus, ServiceHours, Team
from volunteers.services.activities import (
    HoursLine,
    activity_create,
    hours_record,
    signup_add,
)

pytestmark = pytest.mark.django_db


def under_way(world, people, capacity):
    """An activity that began an hour ago: volunteers may still sign up, hours may be recorded."""
    now = timezone.now().replace(second=0, microsecond=0)
    return activity_create(
        by=people.volunteer_leader,
        team=world.team,
        title="敬老院助老",
        theme=world.theme,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        place="洪沟社区敬老院",
        capacity=capacity,
        served=0,
    )


def signed(world, people, activity, *volunteers):
    for volunteer in volunteers:
        signup_add(by=people.volunteer_leader, activity=activity, volunteer=volunteer)


def line_error(html: str, volunteer) -> str:
    match = re.search(rf'<p class="field-error" id="hours_{volunteer.pk}_error">([^<]+)</p>', html)
    assert match, f"no error next to {volunteer}"
    return match.group(1)


def test_hours_for_a_member_who_did_not_sign_up_sign_them_up_while_there_is_room(world, people):
    activity = under_way(world, people, capacity=2)
    a, b = world.members[:2]
    signed(world, people, activity, a)
    saved = hours_record(
        by=people.volunteer_leader,
        activity=activity,
        lines=[HoursLine(a, Decimal("2")), HoursLine(b, Decimal("1.5"))],
    )
    assert saved == 2
    rows = dict(ServiceHours.objects.values_list("volunteer_id", "status"))
    assert rows == {a.pk: HoursStatus.RECORDED, b.pk: HoursStatus.RECORDED}


def test_a_full_activity_takes_nobody_more_and_nothing_is_saved(world, people):
    activity = under_way(world, people, capacity=2)
    a, b, c = world.members[:3]
    signed(world, people, activity, a, b)
    with pytest.raises(ValidationError) as refused:
        hours_record(
            by=people.volunteer_leader,
            activity=activity,
            lines=[HoursLine(a, Decimal("2")), HoursLine(c, Decimal("2"))],
        )
    [error] = refused.value.error_list
    assert error.code == "full" and error.params["volunteer"] == c.pk
    assert "2" in refused.value.messages[0]
    assert set(ServiceHours.objects.values_list("status", flat=True)) == {HoursStatus.SIGNED_UP}
    assert ServiceHours.objects.count() == 2


def test_more_joiners_than_the_room_left_are_all_refused(world, people):
    activity = under_way(world, people, capacity=2)
    a, b, c = world.members[:3]
    signed(world, people, activity, a)
    with pytest.raises(ValidationError) as refused:
        hours_record(
            by=people.volunteer_leader,
            activity=activity,
            lines=[HoursLine(b, Decimal("1")), HoursLine(c, Decimal("1"))],
        )
    assert {e.params["volunteer"] for e in refused.value.error_list} == {b.pk, c.pk}
    assert ServiceHours.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_sign_up_and_a_joiner_at_the_same_moment_never_exceed_the_capacity(world, people):
    """One place left: one leader signs a volunteer up while another records a member's hours."""
    activity = under_way(world, people, capacity=2)
    signed(world, people, activity, world.members[0])
    start = threading.Barrier(2)
    results: list[str] = []

    def attempt(write):
        try:
            start.wait()
            write()
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    writes = [
        lambda: signup_add(
            by=people.volunteer_leader, activity=activity, volunteer=world.members[1]
        ),
        lambda: hours_record(
            by=people.volunteer_leader,
            activity=activity,
            lines=[HoursLine(world.members[2], Decimal("1"))],
        ),
    ]
    threads = [threading.Thread(target=attempt, args=(w,)) for w in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert ServiceHours.objects.filter(activity=activity).count() == 2


def test_an_inactive_member_is_not_signed_up_by_recording(world, people):
    activity = under_way(world, people, capacity=3)
    left = world.members[0]
    left.status = "left"
    left.save()
    with pytest.raises(ValidationError) as refused:
        hours_record(
            by=people.volunteer_leader, activity=activity, lines=[HoursLine(left, Decimal("1"))]
        )
    assert refused.value.error_list[0].code == "inactive"
    assert not ServiceHours.objects.exists()


def test_an_emptied_line_takes_back_the_hours_and_keeps_the_sign_up(world, people):
    activity = under_way(world, people, capacity=2)
    a = world.members[0]
    signed(world, people, activity, a)
    hours_record(by=people.volunteer_leader, activity=activity, lines=[HoursLine(a, Decimal("1"))])
    hours_record(by=people.volunteer_leader, activity=activity, lines=[HoursLine(a, None)])
    row = ServiceHours.objects.get()
    assert (row.status, row.hours) == (HoursStatus.SIGNED_UP, None)


def test_the_form_lists_the_signed_up_and_offers_the_others_while_there_is_room(
    world, people, client_for
):
    activity = under_way(world, people, capacity=2)
    a = world.members[0]
    signed(world, people, activity, a)
    client = client_for(people.volunteer_leader)
    page = client.get(activity.get_absolute_url()).content.decode()
    hours = page[page.index('id="hours"') :]
    signed_part, joining_part = hours.split('id="joining-title"')
    assert f'name="hours_{a.pk}"' in signed_part
    others = world.members[1:]
    assert all(f'name="hours_{v.pk}"' in joining_part for v in others)
    assert all(f'name="hours_{v.pk}"' not in signed_part for v in others)
    assert "未报名" in joining_part


def test_a_full_activity_offers_no_one_else_and_a_posted_joiner_gets_a_message(
    world, people, client_for
):
    activity = under_way(world, people, capacity=1)
    a, b = world.members[:2]
    signed(world, people, activity, a)
    client = client_for(people.volunteer_leader)
    page = client.get(activity.get_absolute_url()).content.decode()
    hours = page[page.index('id="hours"') :]
    assert f'name="hours_{b.pk}"' not in hours
    assert "活动已报满" in hours
    # A form opened before the activity filled up still posts the member's hours.
    answer = client.post(
        f"/volunteers/activities/{activity.pk}/hours/",
        {f"hours_{a.pk}": "2", f"hours_{b.pk}": "2"},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    message = line_error(html, b)
    assert "未报名" in message and "1" in message
    assert f'id="hours_{b.pk}"' in html and 'aria-invalid="true"' in html
    assert ServiceHours.objects.get().status == HoursStatus.SIGNED_UP  # nothing saved


# --- a team leader logs only for the teams they lead ---------------------------------------


@pytest.fixture
def other_team(world, district):
    team = Team(unit=district.honggou, name="洪沟巾帼志愿服务队", founded_on=date(2021, 6, 1))
    team.save()
    return team


def activity_fields(world, team):
    day = timezone.localdate() + timedelta(days=3)
    return {
        "team": team,
        "title": "文明交通劝导",
        "theme": world.theme,
        "starts_at": at(day, 8),
        "ends_at": at(day, 10),
        "place": "洪沟路口",
        "capacity": 4,
        "served": 0,
    }


def test_a_leader_cannot_log_for_a_team_they_do_not_lead(world, people, other_team):
    with pytest.raises(ValidationError) as refused:
        activity_create(by=people.volunteer_leader, **activity_fields(world, other_team))
    assert "team" in refused.value.message_dict
    assert not Activity.objects.exists()
    # The community's staff log for any team of their unit.
    activity_create(by=world.honggou_worker, **activity_fields(world, other_team))
    assert Activity.objects.get().team == other_team


def test_the_form_offers_only_led_teams_and_says_so_next_to_the_field(
    world, people, other_team, client_for
):
    client = client_for(people.volunteer_leader)
    form = client.get("/volunteers/activities/new/").content.decode()
    assert world.team.name in form and other_team.name not in form
    fields = activity_fields(world, other_team)
    day = fields["starts_at"].date()
    answer = client.post(
        "/volunteers/activities/new/",
        {
            "submission_key": uuid.uuid4(),
            "title": fields["title"],
            "team": other_team.pk,
            "theme": world.theme.pk,
            "starts_at": f"{day}T08:00",
            "ends_at": f"{day}T10:00",
            "place": fields["place"],
            "capacity": 4,
            "served": 0,
        },
    )
    assert answer.status_code == 200
    error = re.search(r'id="id_team_error">([^<]+)<', answer.content.decode())
    assert error and "队长" in error.group(1)
    assert not Activity.objects.exists()


def test_a_leader_of_no_team_is_offered_no_way_to_log(world, people, client_for, district):
    idle = User.objects.create_user(username="honggou_idle_leader", password=PASSWORD)
    Membership.objects.create(user=idle, unit=district.honggou, role="volunteer_leader")
    client = client_for(idle)
    listing = client.get("/volunteers/activities/").content.decode()
    assert "/volunteers/activities/new/" not in listing
    assert client.get("/volunteers/activities/new/").status_code == 404
    home = client.get("/").content.decode()
    assert "/volunteers/activities/new/" not in home
