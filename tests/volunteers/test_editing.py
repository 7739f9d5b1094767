"""Editing a volunteer and an activity: scope (another street gets a 404), personal data stay
masked on the form, a stale version is a 409 that saves nothing, changes that would make
recorded hours or sign-ups invalid are refused at the field, and the tallies follow."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import Tally
from tests.volunteers.conftest import ID_NUMBERS, at
from volunteers.models import Activity, HoursStatus, ServiceHours, Volunteer, VolunteerStatus
from volunteers.services.activities import (
    HoursLine,
    activity_create,
    hours_record,
    signup_add,
)

pytestmark = pytest.mark.django_db


def edit_url(volunteer) -> str:
    return f"/volunteers/{volunteer.pk}/edit/"


def volunteer_post(volunteer, **changes) -> dict:
    data = {
        "version": volunteer.version,
        "unit": volunteer.unit_id,
        "name": "",
        "id_number": "",
        "phone": "",
        "skills": "、".join(volunteer.skills),
        "joined_on": volunteer.joined_on.isoformat(),
        "status": volunteer.status,
    }
    data.update(changes)
    return data


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="id_{field}_error">([^<]+)</p>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def tally(unit, metric: str) -> int:
    return sum(Tally.objects.filter(unit=unit, metric=metric).values_list("value", flat=True))


# --- a volunteer -------------------------------------------------------------------------


def test_the_edit_form_shows_personal_data_masked_and_keeps_them_when_left_blank(
    world, people, district, client_for
):
    volunteer = world.members[0]
    client = client_for(people.wenyuan_official)
    record = client.get(volunteer.get_absolute_url()).content.decode()
    assert edit_url(volunteer) in record  # reachable from the record
    page = client.get(edit_url(volunteer))
    text = page.content.decode()
    assert page.status_code == 200
    assert volunteer.name not in text and volunteer.phone not in text
    assert volunteer.id_number not in text
    assert "张*" in text and volunteer.id_number[:6] + "********" in text
    active_before = tally(district.honggou, "volunteers.active")

    response = client.post(
        edit_url(volunteer),
        volunteer_post(volunteer, phone="139 0000 1111", skills="急救，心理疏导", status="paused"),
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.name == "张三" and volunteer.id_number == ID_NUMBERS[0]
    assert volunteer.phone == "13900001111"
    assert volunteer.skills == ["急救", "心理疏导"]
    assert volunteer.status == VolunteerStatus.PAUSED
    assert volunteer.status_since == timezone.localdate()
    assert volunteer.version == 2
    # the paused volunteer no longer counts as active, in the same transaction as the edit
    assert tally(district.honggou, "volunteers.active") == active_before - 1
    assert stored_facts() == recomputed_facts()
    assert volunteer.events.filter(pgh_context__metadata__reason="volunteer_update").exists()


def test_a_volunteer_of_another_street_is_404_and_a_viewer_may_not_edit(world, people, client_for):
    volunteer = world.members[0]
    for user in (people.aishan_official, people.volunteer_leader, people.outsider):
        client = client_for(user)
        assert client.get(edit_url(volunteer)).status_code == 404
        posted = client.post(edit_url(volunteer), volunteer_post(volunteer, name="改名"))
        assert posted.status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.name == "张三" and volunteer.version == 1


def test_a_stale_edit_is_409_shows_their_change_and_saves_nothing(world, people, client_for):
    volunteer = world.members[0]
    opened = volunteer_post(volunteer, phone="13700000000")
    client = client_for(people.wenyuan_official)
    first = client_for(world.honggou_worker).post(
        edit_url(volunteer), volunteer_post(volunteer, skills="理发", status="left")
    )
    assert first.status_code == 302
    stale = client.post(edit_url(volunteer), opened)
    assert stale.status_code == 409
    text = stale.content.decode()
    assert 'class="conflict"' in text and "理发" in text
    assert 'name="version" value="2"' in text  # the next save is against their version
    volunteer.refresh_from_db()
    assert volunteer.phone == "13812345670" and volunteer.status == "left"
    assert volunteer.version == 2
    # the same submit again (a double submit after the first went through) changes nothing more
    assert client.post(edit_url(volunteer), opened).status_code == 409
    volunteer.refresh_from_db()
    assert volunteer.version == 2


def test_another_volunteers_id_number_is_refused_next_to_the_field(world, people, client_for):
    volunteer, other = world.members[:2]
    client = client_for(people.wenyuan_official)
    response = client.post(
        edit_url(volunteer), volunteer_post(volunteer, id_number=other.id_number)
    )
    assert response.status_code == 200
    assert "洪沟社区" in field_error(response.content.decode(), "id_number")
    volunteer.refresh_from_db()
    assert volunteer.id_number == ID_NUMBERS[0] and volunteer.version == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "370117199001011234"),  # wrong check digit
        ("phone", "12ab"),
        ("joined_on", "2999-01-01"),
        ("joined_on", "2026-02-30"),
        ("status", "dead"),
        ("unit", "999999"),
    ],
)
def test_bad_input_is_answered_next_to_the_field(world, people, client_for, field, value):
    volunteer = world.members[0]
    client = client_for(people.wenyuan_official)
    response = client.post(edit_url(volunteer), volunteer_post(volunteer, **{field: value}))
    assert response.status_code == 200
    assert field_error(response.content.decode(), field)
    assert Volunteer.objects.get(pk=volunteer.pk).version == 1


def test_a_unit_outside_the_editors_scope_cannot_be_chosen(world, people, district, client_for):
    volunteer = world.members[0]
    client = client_for(world.honggou_worker)
    response = client.post(edit_url(volunteer), volunteer_post(volunteer, unit=district.meiyuan.pk))
    assert field_error(response.content.decode(), "unit")
    assert Volunteer.objects.get(pk=volunteer.pk).unit_id == district.honggou.pk


# --- an activity -------------------------------------------------------------------------


def make_activity(world, people, *, days=-1, capacity=10, served=40) -> Activity:
    day = timezone.localdate() + timedelta(days=days)
    return activity_create(
        by=people.volunteer_leader,
        team=world.team,
        title="敬老院助老",
        theme=world.theme,
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        place="洪沟社区敬老院",
        capacity=capacity,
        served=served,
    )


def activity_post(activity, **changes) -> dict:
    local = timezone.localtime
    data = {
        "version": activity.version,
        "title": activity.title,
        "theme": activity.theme_id,
        "starts_at": local(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": activity.place,
        "capacity": activity.capacity,
        "served": activity.served,
        "description": "",
    }
    data.update(changes)
    return data


def test_an_activity_edit_moves_its_tallies_and_its_hours(world, people, district, client_for):
    activity = make_activity(world, people, days=3)
    signup_add(by=people.volunteer_leader, activity=activity, volunteer=world.members[0])
    client = client_for(people.volunteer_leader)
    assert (
        f"/volunteers/activities/{activity.pk}/edit/"
        in client.get(activity.get_absolute_url()).content.decode()
    )
    assert client.get(f"/volunteers/activities/{activity.pk}/edit/").status_code == 200
    new_day = timezone.localdate() + timedelta(days=4)
    response = client.post(
        f"/volunteers/activities/{activity.pk}/edit/",
        activity_post(
            activity,
            title="敬老院助老（改期）",
            served=65,
            starts_at=f"{new_day}T14:00",
            ends_at=f"{new_day}T17:30",
            target_groups=[world.group.pk],
        ),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "敬老院助老（改期）" and activity.served == 65
    assert activity.held_on == new_day and activity.version == 2
    assert list(activity.target_groups.all()) == [world.group]
    row = ServiceHours.objects.get(activity=activity)
    assert row.served_on == new_day and row.during.lower == activity.starts_at
    served = Tally.objects.filter(unit=district.honggou, metric="volunteers.served")
    assert {t.day: t.value for t in served if t.value} == {new_day: 65}
    assert stored_facts() == recomputed_facts()


def test_an_activity_of_another_street_is_404(world, people, client_for):
    activity = make_activity(world, people)
    url = f"/volunteers/activities/{activity.pk}/edit/"
    for user in (people.aishan_official, people.meiyuan_worker, people.outsider):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, activity_post(activity, served=1)).status_code == 404
    activity.refresh_from_db()
    assert activity.served == 40 and activity.version == 1


def test_a_stale_activity_edit_is_409_and_saves_nothing(world, people, client_for):
    activity = make_activity(world, people)
    url = f"/volunteers/activities/{activity.pk}/edit/"
    opened = activity_post(activity, place="社区广场")
    assert (
        client_for(world.honggou_worker).post(url, activity_post(activity, served=90)).status_code
        == 302
    )
    stale = client_for(people.volunteer_leader).post(url, opened)
    assert stale.status_code == 409 and 'class="conflict"' in stale.content.decode()
    activity.refresh_from_db()
    assert activity.place == "洪沟社区敬老院" and activity.served == 90 and activity.version == 2


def test_an_edit_that_would_invalidate_recorded_hours_or_sign_ups_is_refused(
    world, people, client_for
):
    activity = make_activity(world, people)
    hours_record(
        by=people.volunteer_leader,
        activity=activity,
        lines=[
            HoursLine(world.members[0], Decimal("3")),
            HoursLine(world.members[1], Decimal("2")),
        ],
    )
    url = f"/volunteers/activities/{activity.pk}/edit/"
    client = client_for(people.volunteer_leader)
    day = timezone.localtime(activity.starts_at).date()
    shorter = client.post(url, activity_post(activity, ends_at=f"{day}T11:00"))
    assert shorter.status_code == 200
    assert "3.0" in field_error(shorter.content.decode(), "ends_at")
    smaller = client.post(url, activity_post(activity, capacity=1))
    assert "2" in field_error(smaller.content.decode(), "capacity")
    backwards = client.post(url, activity_post(activity, ends_at=f"{day}T08:00"))
    assert field_error(backwards.content.decode(), "ends_at")
    for bad in (
        {"capacity": "0"},
        {"served": "-1"},
        {"starts_at": "2026-02-30T09:00"},
        {"starts_at": "0001-01-01T00:00"},
    ):
        response = client.post(url, activity_post(activity, **bad))
        assert response.status_code == 200
        assert field_error(response.content.decode(), next(iter(bad)))
    activity.refresh_from_db()
    assert activity.version == 1 and activity.capacity == 10
    assert activity.ends_at == at(day, 12)
    assert ServiceHours.objects.filter(activity=activity, status=HoursStatus.RECORDED).count() == 2
