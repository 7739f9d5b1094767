"""Transfers (调动): a unit asks for a volunteer registered elsewhere by full ID number, without
learning where they are; the holding unit (or a unit above both) approves or refuses; approval
moves the volunteer and their tallies, with history; scope, stale and double submits hold."""

import re
import uuid

import pytest
from pghistory.models import Events

from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import Tally
from tests.volunteers.conftest import id_number
from volunteers.models import Transfer, Volunteer

pytestmark = pytest.mark.django_db

PAGE = "/volunteers/transfers/"


def ask(client, unit, number: str, reason: str = "已迁入本社区居住", key=None):
    return client.post(
        PAGE,
        {
            "submission_key": str(key or uuid.uuid4()),
            "id_number": number,
            "unit": unit.pk,
            "reason": reason,
        },
    )


def decide(client, transfer, decision: str, note: str = "", version=None):
    return client.post(
        f"{PAGE}{transfer.pk}/decide/",
        {"version": version or transfer.version, "decision": decision, "note": note},
    )


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error">([^<]+)<', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def registered(volunteer) -> int:
    return sum(
        Tally.objects.filter(unit=volunteer.unit, metric="volunteers.registered").values_list(
            "value", flat=True
        )
    )


def test_a_unit_asks_for_a_volunteer_and_never_learns_where_they_are(
    world, people, district, client_for
):
    volunteer = world.members[0]
    client = client_for(people.meiyuan_worker)
    answer = ask(client, district.meiyuan, volunteer.id_number)
    assert answer.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.volunteer, transfer.to_unit, transfer.status) == (
        volunteer,
        district.meiyuan,
        Transfer.Status.PENDING,
    )
    assert Volunteer.objects.get(pk=volunteer.pk).unit == district.honggou
    page = client.get(answer["Location"]).content.decode()
    assert "洪沟" not in page and "汶源" not in page and volunteer.name not in page
    assert volunteer.id_number not in page  # masked: 370117********1234
    assert f"/volunteers/transfers/{transfer.pk}/decide/" not in page
    # Not theirs to decide, nor the street's above the asking unit only.
    assert decide(client, transfer, "approve").status_code == 404
    assert decide(client_for(people.aishan_official), transfer, "approve").status_code == 404
    assert Transfer.objects.get().status == Transfer.Status.PENDING


def test_the_holding_unit_approves_and_the_volunteer_moves_with_their_figures(
    world, people, district, client_for
):
    volunteer = world.members[0]
    ask(client_for(people.meiyuan_worker), district.meiyuan, volunteer.id_number)
    transfer = Transfer.objects.get()
    holder = client_for(world.honggou_worker)
    page = holder.get(PAGE).content.decode()
    assert f"/volunteers/transfers/{transfer.pk}/decide/" in page and "梅苑社区" in page
    honggou_before = registered(volunteer)

    answer = decide(holder, transfer, "approve", note="本人同意")
    assert answer.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.unit == district.meiyuan and volunteer.version == 2
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.APPROVED
    assert (transfer.from_unit, transfer.decided_by) == (district.honggou, world.honggou_worker)
    assert stored_facts() == recomputed_facts()
    assert registered(volunteer) == 1
    assert (
        sum(
            Tally.objects.filter(unit=district.honggou, metric="volunteers.registered").values_list(
                "value", flat=True
            )
        )
        == honggou_before - 1
    )
    moved = Events.objects.tracks(volunteer).filter(pgh_label="update").get()
    assert moved.pgh_context["user"] == world.honggou_worker.pk
    assert moved.pgh_context["reason"] == "transfer_approve: 本人同意"
    # The asking unit now holds them; the old one no longer reaches them.
    assert client_for(people.meiyuan_worker).get(volunteer.get_absolute_url()).status_code == 200
    assert holder.get(volunteer.get_absolute_url()).status_code == 404


def test_a_unit_above_both_may_decide_and_a_refusal_changes_nothing(
    world, people, district, client_for
):
    volunteer = world.members[1]
    ask(client_for(people.meiyuan_worker), district.meiyuan, volunteer.id_number)
    transfer = Transfer.objects.get()
    assert decide(client_for(people.district_staff), transfer, "refuse", "本人不同意").status_code
    volunteer_after = Volunteer.objects.get(pk=volunteer.pk)
    assert (volunteer_after.unit, volunteer_after.version) == (district.honggou, 1)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.note) == (Transfer.Status.REFUSED, "本人不同意")
    page = client_for(people.meiyuan_worker).get(PAGE).content.decode()
    assert "已拒绝" in page and "本人不同意" in page and "洪沟" not in page


def test_a_stale_decision_is_409_shows_the_first_and_changes_nothing(
    world, people, district, client_for
):
    volunteer = world.members[2]
    ask(client_for(people.meiyuan_worker), district.meiyuan, volunteer.id_number)
    transfer = Transfer.objects.get()
    opened_at = transfer.version
    assert (
        decide(client_for(world.honggou_worker), transfer, "refuse", "查无此人").status_code == 302
    )
    late = decide(client_for(people.wenyuan_official), transfer, "approve", version=opened_at)
    assert late.status_code == 409
    assert "查无此人" in late.content.decode()
    assert Volunteer.objects.get(pk=volunteer.pk).unit == district.honggou
    assert Transfer.objects.get().status == Transfer.Status.REFUSED
    # The same decision posted twice: the second is stale too.
    ask(client_for(people.meiyuan_worker), district.meiyuan, volunteer.id_number)
    again = Transfer.objects.get(status=Transfer.Status.PENDING)
    holder = client_for(world.honggou_worker)
    assert decide(holder, again, "approve").status_code == 302
    assert decide(holder, again, "approve").status_code == 409
    assert Volunteer.objects.get(pk=volunteer.pk).version == 2
    assert stored_facts() == recomputed_facts()


def test_a_request_submitted_twice_is_one_request(world, people, district, client_for):
    client = client_for(people.meiyuan_worker)
    key = uuid.uuid4()
    first = ask(client, district.meiyuan, world.members[0].id_number, key=key)
    second = ask(client, district.meiyuan, world.members[0].id_number, key=key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Transfer.objects.count() == 1
    # A new form for the same person while the first waits: refused at the field.
    third = ask(client, district.meiyuan, world.members[0].id_number)
    assert "等待" in field_error(third.content.decode(), "id_number")
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (id_number(424242), "没有"),  # nobody registered with it
        ("370117199001011234", "校验"),  # a wrong check digit
        ("12345", ""),
        ("", ""),
    ],
)
def test_bad_id_numbers_are_answered_next_to_the_field(
    world, people, district, client_for, number, words
):
    answer = ask(client_for(people.meiyuan_worker), district.meiyuan, number)
    assert answer.status_code == 200
    assert words in field_error(answer.content.decode(), "id_number")
    assert not Transfer.objects.exists()


def test_a_volunteer_within_ones_own_units_is_changed_on_their_page_not_transferred(
    world, people, district, client_for
):
    answer = ask(client_for(people.wenyuan_official), district.wenyuan, world.members[0].id_number)
    assert "洪沟社区" in field_error(answer.content.decode(), "id_number")
    assert not Transfer.objects.exists()


def test_a_unit_outside_ones_scope_cannot_be_asked_into(world, people, district, client_for):
    answer = ask(client_for(people.meiyuan_worker), district.yongxing, world.members[0].id_number)
    assert answer.status_code == 200
    assert field_error(answer.content.decode(), "unit")
    assert not Transfer.objects.exists()
    assert client_for(people.grid_worker).get(PAGE).status_code == 404
    assert client_for(people.volunteer_leader).get(PAGE).status_code == 404


def test_registering_someone_held_elsewhere_does_not_say_where(world, people, district, client_for):
    answer = client_for(people.meiyuan_worker).post(
        "/volunteers/new/",
        {
            "submission_key": str(uuid.uuid4()),
            "unit": district.meiyuan.pk,
            "name": "张三",
            "id_number": world.members[0].id_number,
            "joined_on": "2024-01-01",
        },
    )
    message = field_error(answer.content.decode(), "id_number")
    assert "洪沟" not in message and "调" in message
    assert Volunteer.objects.count() == len(world.members)


def test_a_unit_over_the_whole_tree_has_nobody_to_ask_for_but_decides(
    world, people, district, client_for
):
    ask(client_for(people.meiyuan_worker), district.meiyuan, world.members[0].id_number)
    page = client_for(people.district_staff).get(PAGE).content.decode()
    assert 'name="id_number"' not in page
    assert f"/volunteers/transfers/{Transfer.objects.get().pk}/decide/" in page
    assert 'name="id_number"' in client_for(people.meiyuan_worker).get(PAGE).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "", "note": ""},
        {"decision": "move", "note": ""},
        {"decision": "approve", "note": "长" * 201},
        {"decision": "approve", "version": "abc"},
    ],
)
def test_a_bad_decision_is_answered_next_to_the_field_and_changes_nothing(
    world, people, district, client_for, data
):
    ask(client_for(people.meiyuan_worker), district.meiyuan, world.members[0].id_number)
    transfer = Transfer.objects.get()
    posted = {"version": transfer.version, **data}
    answer = client_for(world.honggou_worker).post(f"{PAGE}{transfer.pk}/decide/", posted)
    assert answer.status_code == 200
    assert 'class="field-error"' in answer.content.decode()
    assert Transfer.objects.get().status == Transfer.Status.PENDING
    assert Volunteer.objects.get(pk=world.members[0].pk).unit == district.honggou


def test_a_phone_written_in_a_reason_or_a_note_is_masked_on_every_side(
    world, people, district, client_for
):
    volunteer = world.members[0]
    asking = client_for(people.meiyuan_worker)
    ask(asking, district.meiyuan, volunteer.id_number, reason="本人电话13812345678，已迁入")
    transfer = Transfer.objects.get()
    holding = client_for(people.wenyuan_official)
    assert "138****5678" in holding.get(PAGE).content.decode()
    decide(holding, transfer, "refuse", note="请联系13987654321")
    for client in (asking, holding):
        page = client.get(PAGE).content.decode()
        assert "13812345678" not in page and "13987654321" not in page
    assert "139****4321" in asking.get(PAGE).content.decode()
