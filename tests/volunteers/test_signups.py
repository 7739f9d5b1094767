"""Sign-ups: a team leader finds a volunteer and signs them up; never more than the activity
needs, even when two sign-ups arrive at the same moment; nobody twice; another street's
activity or volunteer is a 404; the hours form offers the signed-up first."""

import threading
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.volunteers.conftest import at
from volunteers.models import HoursStatus, ServiceHours, Volunteer
from volunteers.services.activities import activity_create, signup_add

pytestmark = pytest.mark.django_db


def upcoming(world, people, capacity=3, days=2, hour=9):
    day = timezone.localdate() + timedelta(days=days)
    return activity_create(
        by=people.volunteer_leader,
        team=world.team,
        title="中考护航",
        theme=world.theme,
        starts_at=at(day, hour),
        ends_at=at(day, hour + 3),
        place="钢城一中",
        capacity=capacity,
        served=0,
    )


def sign(client, activity, volunteer, key=None):
    return client.post(
        f"/volunteers/activities/{activity.pk}/signups/",
        {"volunteer": volunteer.pk, "submission_key": key or uuid.uuid4()},
    )


def test_a_leader_searches_signs_up_and_sees_the_sign_up(world, people, district, client_for):
    activity = upcoming(world, people)
    outsider_of_team = Volunteer(
        unit=district.honggou,
        name="孙八",
        id_number="11010519491231002X",
        joined_on=date(2022, 1, 1),
    )
    outsider_of_team.save()
    client = client_for(people.volunteer_leader)
    found = client.get(activity.get_absolute_url(), {"q": "002X"}).content.decode()
    assert "孙*" in found and "11010519491231002X" not in found
    by_name = client.get(activity.get_absolute_url(), {"q": "孙"}, HTTP_HX_REQUEST="true")
    assert by_name.status_code == 200 and "孙*" in by_name.content.decode()
    assert "<html" not in by_name.content.decode()  # the fragment only

    assert sign(client, activity, outsider_of_team).status_code == 302
    assert sign(client, activity, world.members[2]).status_code == 302
    row = ServiceHours.objects.get(activity=activity, volunteer=outsider_of_team)
    assert row.status == HoursStatus.SIGNED_UP and row.hours is None
    assert row.events.filter(pgh_context__metadata__reason="signup_add").exists()
    page = client.get(activity.get_absolute_url()).content.decode()
    signups = page[page.index('id="signups"') : page.index('id="hours"')]
    assert "孙*" in signups and "王*" in signups
    # the hours form offers the signed-up first, then the rest of the team
    roster = page[page.index('id="hours"') :]
    signed = [roster.index(f'name="hours_{v.pk}"') for v in (outsider_of_team, world.members[2])]
    rest = [roster.index(f'name="hours_{v.pk}"') for v in world.members if v != world.members[2]]
    assert max(signed) < min(rest)


def test_a_double_submit_signs_up_once_and_a_second_sign_up_is_refused(world, people, client_for):
    activity = upcoming(world, people)
    client = client_for(people.volunteer_leader)
    key = uuid.uuid4()
    assert sign(client, activity, world.members[0], key).status_code == 302
    assert sign(client, activity, world.members[0], key).status_code == 302
    again = sign(client, activity, world.members[0])
    assert again.status_code == 200 and "form-errors" in again.content.decode()
    assert ServiceHours.objects.filter(activity=activity).count() == 1


def test_the_capacity_is_enforced(world, people, client_for):
    activity = upcoming(world, people, capacity=1)
    client = client_for(people.volunteer_leader)
    sign(client, activity, world.members[0])
    full = sign(client, activity, world.members[1])
    assert full.status_code == 200 and "form-errors" in full.content.decode()
    assert ServiceHours.objects.filter(activity=activity).count() == 1


def test_a_volunteer_in_another_activity_at_that_time_is_refused(world, people):
    first = upcoming(world, people)
    clash = upcoming(world, people, hour=10)
    signup_add(by=people.volunteer_leader, activity=first, volunteer=world.members[0])
    with pytest.raises(ValidationError):
        signup_add(by=people.volunteer_leader, activity=clash, volunteer=world.members[0])
    assert not ServiceHours.objects.filter(activity=clash).exists()


def test_another_streets_activity_or_volunteer_is_404(world, people, district, client_for):
    activity = upcoming(world, people)
    elsewhere = Volunteer(
        unit=district.meiyuan, name="梅苑人", id_number="11010519491231002X", joined_on="2022-01-01"
    )
    elsewhere.save()
    assert sign(client_for(people.volunteer_leader), activity, elsewhere).status_code == 404
    aishan = client_for(people.aishan_official)
    assert sign(aishan, activity, world.members[0]).status_code == 404
    assert (
        aishan.post(
            f"/volunteers/activities/{activity.pk}/signups/remove/",
            {"volunteer": world.members[0].pk},
        ).status_code
        == 404
    )
    assert not ServiceHours.objects.exists()


def test_bad_input_and_removal(world, people, client_for):
    activity = upcoming(world, people)
    client = client_for(people.volunteer_leader)
    for bad in ({"volunteer": "x"}, {"volunteer": "-1", "submission_key": "nope"}, {}):
        response = client.post(f"/volunteers/activities/{activity.pk}/signups/", bad)
        assert response.status_code == 200 and "form-errors" in response.content.decode()
    sign(client, activity, world.members[0])
    removed = client.post(
        f"/volunteers/activities/{activity.pk}/signups/remove/", {"volunteer": world.members[0].pk}
    )
    assert removed.status_code == 302
    assert not ServiceHours.objects.filter(activity=activity).exists()
    assert (
        client.post(
            f"/volunteers/activities/{activity.pk}/signups/remove/", {"volunteer": "abc"}
        ).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_at_the_same_moment_never_exceed_the_capacity(world, people):
    """The activity needs one more volunteer; two leaders sign up two people at once."""
    activity = upcoming(world, people, capacity=2)
    signup_add(by=people.volunteer_leader, activity=activity, volunteer=world.members[0])
    start = threading.Barrier(2)
    results: list[str] = []

    def leader(volunteer):
        try:
            start.wait()
            signup_add(by=people.volunteer_leader, activity=activity, volunteer=volunteer)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=leader, args=(v,)) for v in world.members[1:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert ServiceHours.objects.filter(activity=activity).count() == 2
