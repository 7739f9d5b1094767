"""Teams: the unit's staff found one (a double submit founds one), edit it against its version
(a stale edit is a 409), and the team's leaders keep the roster; another street gets a 404."""

import uuid
from datetime import date

import pytest

from core.metrics.rebuild import recomputed_facts, stored_facts
from tests.volunteers.conftest import ID_NUMBERS
from volunteers.models import Team, TeamMember, Volunteer

pytestmark = pytest.mark.django_db


def team_post(district, people, **changes) -> dict:
    data = {
        "submission_key": uuid.uuid4(),
        "unit": district.honggou.pk,
        "name": "洪沟社区巾帼志愿服务队",
        "founded_on": "2024-03-05",
        "leaders": [people.volunteer_leader.pk],
    }
    data.update(changes)
    return data


def test_staff_found_a_team_once_however_often_they_submit(world, people, district, client_for):
    client = client_for(people.wenyuan_official)
    listing = client.get("/volunteers/teams/").content.decode()
    assert "/volunteers/teams/new/" in listing
    assert client.get("/volunteers/teams/new/").status_code == 200
    data = team_post(district, people)
    first = client.post("/volunteers/teams/new/", data)
    second = client.post("/volunteers/teams/new/", data)
    team = Team.objects.get(name="洪沟社区巾帼志愿服务队")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == team.get_absolute_url()
    assert list(team.leaders.all()) == [people.volunteer_leader]
    assert team.events.filter(pgh_context__metadata__reason="team_create").exists()
    assert stored_facts() == recomputed_facts()


def test_a_team_name_is_unique_in_its_unit_and_bad_input_is_answered_at_the_field(
    world, people, district, client_for
):
    client = client_for(people.wenyuan_official)
    taken = client.post("/volunteers/teams/new/", team_post(district, people, name=world.team.name))
    assert taken.status_code == 200 and 'id="id_name_error"' in taken.content.decode()
    for field, value in (("name", "  "), ("founded_on", "2999-01-01"), ("unit", "x")):
        response = client.post(
            "/volunteers/teams/new/", team_post(district, people, **{field: value})
        )
        assert response.status_code == 200
        assert f'id="id_{field}_error"' in response.content.decode()
    # a unit of another street is not among the choices
    other = client.post(
        "/volunteers/teams/new/", team_post(district, people, unit=district.meiyuan.pk)
    )
    assert 'id="id_unit_error"' in other.content.decode()
    assert Team.objects.count() == 1


def test_another_streets_team_is_404(world, people, district, client_for):
    team = world.team
    aishan = client_for(people.aishan_official)
    edit = {"version": 1, "name": "改名", "founded_on": "2020-03-05"}
    assert aishan.get(f"/volunteers/teams/{team.pk}/edit/").status_code == 404
    assert aishan.post(f"/volunteers/teams/{team.pk}/edit/", edit).status_code == 404
    add = {"volunteer": world.members[0].pk, "submission_key": uuid.uuid4()}
    assert aishan.post(f"/volunteers/teams/{team.pk}/members/", add).status_code == 404
    remove = {"volunteer": world.members[0].pk}
    assert aishan.post(f"/volunteers/teams/{team.pk}/members/remove/", remove).status_code == 404
    # a volunteer leader keeps the roster but does not rename the team
    leader = client_for(people.volunteer_leader)
    assert leader.post(f"/volunteers/teams/{team.pk}/edit/", edit).status_code == 404
    assert Team.objects.get(pk=team.pk).name == "马上志愿服务队"
    assert TeamMember.objects.filter(team=team).count() == 5


def test_editing_a_team_and_a_stale_edit(world, people, client_for):
    team = world.team
    url = f"/volunteers/teams/{team.pk}/edit/"
    client = client_for(people.wenyuan_official)
    assert url in client.get(team.get_absolute_url()).content.decode()
    opened = {"version": 1, "name": "马上志愿服务队（二队）", "founded_on": "2020-03-05"}
    saved = client_for(world.honggou_worker).post(
        url, {"version": 1, "name": "马上办志愿服务队", "founded_on": "2019-03-05"}
    )
    assert saved.status_code == 302
    stale = client.post(url, opened)
    assert stale.status_code == 409 and "马上办志愿服务队" in stale.content.decode()
    team.refresh_from_db()
    assert team.name == "马上办志愿服务队" and team.founded_on == date(2019, 3, 5)
    assert not team.leaders.exists() and team.version == 2
    assert stored_facts() == recomputed_facts()  # the founding day moved its tally


def test_leaders_find_volunteers_and_keep_the_roster(world, people, district, client_for):
    newcomer = Volunteer(
        unit=district.honggou, name="孙八", id_number="11010519491231002X", joined_on="2022-01-01"
    )
    newcomer.save()
    team = world.team
    client = client_for(people.volunteer_leader)
    found = client.get(team.get_absolute_url(), {"q": "002X"}).content.decode()
    assert "孙*" in found and "11010519491231002X" not in found
    fragment = client.get(team.get_absolute_url(), {"q": "孙"}, HTTP_HX_REQUEST="true")
    assert "孙*" in fragment.content.decode() and "<html" not in fragment.content.decode()
    key = uuid.uuid4()
    for _ in range(2):
        response = client.post(
            f"/volunteers/teams/{team.pk}/members/",
            {"volunteer": newcomer.pk, "submission_key": key},
        )
        assert response.status_code == 302
    assert TeamMember.objects.filter(team=team, volunteer=newcomer).count() == 1
    twice = client.post(
        f"/volunteers/teams/{team.pk}/members/",
        {"volunteer": newcomer.pk, "submission_key": uuid.uuid4()},
    )
    assert twice.status_code == 200 and "form-errors" in twice.content.decode()
    bad = client.post(f"/volunteers/teams/{team.pk}/members/", {"volunteer": "抱歉"})
    assert bad.status_code == 200 and "form-errors" in bad.content.decode()
    gone = client.post(
        f"/volunteers/teams/{team.pk}/members/remove/", {"volunteer": world.members[0].pk}
    )
    assert gone.status_code == 302
    members = set(
        TeamMember.objects.filter(team=team).values_list("volunteer__id_number", flat=True)
    )
    assert ID_NUMBERS[0] not in members and "11010519491231002X" in members
