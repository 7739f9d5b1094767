"""The counter reaches a volunteer only through the full ID number: the lookup hands out a signed
card, short-lived and bound to the volunteer, the supermarket and the staff member; a record
number, or a missing, forged, expired or someone else's card, opens nothing and changes nothing.
Changes made at a counter name it in the history."""

import re
import time

import pytest
from django.core import signing
from pghistory.models import Events

from core.models import Membership, SubmissionKey, User
from tests.factories import PASSWORD
from volunteers.models import PointEntry, PointRule, Redemption, Supermarket
from volunteers.services.points import CARD_LIFETIME, counter_card, points_change

pytestmark = pytest.mark.django_db

SCAN_AGAIN = "请重新刷卡或输入身份证号码查找"


def shop_url(world) -> str:
    return world.supermarket.get_absolute_url()


def with_points(world, volunteer, points=100):
    points_change(
        volunteer_id=volunteer.pk,
        delta=points,
        kind="deed",
        reason="测试",
        unit_id=volunteer.unit_id,
    )
    return volunteer


def scan(client, world, volunteer) -> str:
    """The card the counter gets for the volunteer's ID number, read from the page it opens."""
    answer = client.post(f"{shop_url(world)}find/", {"id_number": volunteer.id_number})
    page = client.get(answer["Location"]).content.decode()
    return re.search(r'name="card" value="([^"]+)"', page).group(1)


def refused_next_to_the_id_number(response) -> bool:
    text = response.content.decode()
    error = re.search(r'<p class="field-error" id="lookup_id_number_error">([^<]*)</p>', text)
    return error is not None and SCAN_AGAIN in error.group(1)


def shows_no_volunteer(response, volunteer) -> bool:
    text = response.content.decode()
    return (
        response.context["volunteer"] is None
        and "redeem_form" not in response.context
        and "deed_form" not in response.context
        and 'name="card"' not in text
        and volunteer.id_number[-4:] not in text
    )


def test_a_record_number_in_the_address_opens_no_volunteer(world, client_for):
    """yongxing_points opened ?v=<record number> of another street's volunteer: no more."""
    volunteer = with_points(world, world.members[0])
    response = client_for(world.counter).get(shop_url(world), {"v": volunteer.pk})
    assert response.status_code == 200
    assert shows_no_volunteer(response, volunteer)
    assert "张*" not in response.content.decode()


def _another_counter(world, district) -> str:
    """A card for the same volunteer and the same staff member, read at another supermarket."""
    other = Supermarket.objects.create(unit=district.meiyuan, name="梅苑社区积分超市")
    Membership.objects.create(user=world.counter, unit=district.meiyuan, role="points_staff")
    return counter_card(by=world.counter, supermarket=other, volunteer=world.members[0])


def _another_staff_member(world, district) -> str:
    colleague = User.objects.create_user(username="yongxing_points2", password=PASSWORD)
    Membership.objects.create(user=colleague, unit=district.yongxing, role="points_staff")
    return counter_card(by=colleague, supermarket=world.supermarket, volunteer=world.members[0])


def _expired(world, district, monkeypatch) -> str:
    read_at = time.time() - CARD_LIFETIME.total_seconds() - 60
    with monkeypatch.context() as past:
        past.setattr(signing.time, "time", lambda: read_at)
        return counter_card(
            by=world.counter, supermarket=world.supermarket, volunteer=world.members[0]
        )


def _forged(world, district) -> str:
    """Another volunteer's card with the first volunteer's record number spliced in."""
    mine = counter_card(by=world.counter, supermarket=world.supermarket, volunteer=world.members[0])
    theirs = counter_card(
        by=world.counter, supermarket=world.supermarket, volunteer=world.members[1]
    )
    return mine.split(":", 1)[0] + ":" + theirs.split(":", 1)[1]


CARDS = {
    "missing": lambda world, district, monkeypatch: None,
    "record number": lambda world, district, monkeypatch: str(world.members[0].pk),
    "forged": lambda world, district, monkeypatch: _forged(world, district),
    "expired": lambda world, district, monkeypatch: _expired(world, district, monkeypatch),
    "another counter's": lambda world, district, monkeypatch: _another_counter(world, district),
    "another staff member's": (
        lambda world, district, monkeypatch: _another_staff_member(world, district)
    ),
}


@pytest.mark.parametrize("card", list(CARDS))
@pytest.mark.parametrize("move", ["redeem", "deed"])
def test_a_post_without_this_counters_card_is_refused_and_changes_nothing(
    world, district, client_for, monkeypatch, card, move
):
    volunteer = with_points(world, world.members[0])
    client = client_for(world.counter)
    key = "0b1f5b9e-4a43-4a3c-8f1e-0c3a5c6d7e8f"
    post = {"submission_key": key, "volunteer": volunteer.pk}
    if move == "redeem":
        post.update(goods=world.goods.pk, quantity=1)
    else:
        post.update(rule=PointRule.objects.get(key="deed").pk, note="扶老人过马路")
    if (value := CARDS[card](world, district, monkeypatch)) is not None:
        post["card"] = value
    response = client.post(f"{shop_url(world)}{move}/", post)
    assert response.status_code == 400
    assert refused_next_to_the_id_number(response)
    assert shows_no_volunteer(response, volunteer)
    volunteer.refresh_from_db()
    world.goods.refresh_from_db()
    assert (volunteer.points_balance, world.goods.stock) == (100, 5)
    assert PointEntry.objects.count() == 1
    assert not Redemption.objects.exists()
    assert not SubmissionKey.objects.exists()


def test_an_expired_card_says_so(world, district, client_for, monkeypatch):
    card = _expired(world, district, monkeypatch)
    response = client_for(world.counter).get(shop_url(world), {"card": card})
    assert response.status_code == 200
    assert refused_next_to_the_id_number(response)
    assert "15分钟" in response.content.decode()
    assert shows_no_volunteer(response, world.members[0])


@pytest.mark.parametrize("card", ["forged", "another counter's", "another staff member's"])
def test_a_card_not_read_here_opens_no_volunteer(world, district, client_for, monkeypatch, card):
    response = client_for(world.counter).get(
        shop_url(world), {"card": CARDS[card](world, district, monkeypatch)}
    )
    assert response.status_code == 200
    assert refused_next_to_the_id_number(response)
    assert shows_no_volunteer(response, world.members[0])


def test_the_card_from_the_id_lookup_opens_the_volunteer(world, client_for):
    """The counterpart of the refusals above: the same page with the lookup's card."""
    volunteer = with_points(world, world.members[0])
    client = client_for(world.counter)
    card = scan(client, world, volunteer)
    response = client.get(shop_url(world), {"card": card})
    assert response.context["volunteer"]["pk"] == volunteer.pk
    assert "redeem_form" in response.context and "deed_form" in response.context
    assert not refused_next_to_the_id_number(response)


def test_changes_at_a_counter_for_another_streets_volunteer_name_the_counter_in_history(
    world, people, client_for
):
    volunteer = with_points(world, world.members[0])  # 洪沟社区, 汶源街道; the counter: 艾山街道
    client = client_for(world.counter)
    card = scan(client, world, volunteer)
    shop = shop_url(world)
    redeemed = client.post(
        f"{shop}redeem/",
        {
            "submission_key": "6f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c",
            "card": card,
            "goods": world.goods.pk,
            "quantity": 1,
        },
    )
    awarded = client.post(
        f"{shop}deed/",
        {
            "submission_key": "7a2d3b4c-1e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "card": card,
            "rule": PointRule.objects.get(key="deed").pk,
            "note": "拾金不昧",
        },
    )
    assert redeemed.status_code == awarded.status_code == 302
    events = Events.objects.tracks(volunteer).filter(pgh_label="update").order_by("pgh_id")
    contexts = [e.pgh_context for e in events if e.pgh_context]  # with_points had none
    assert [(c["reason"], c["supermarket"], c["user"]) for c in contexts] == [
        ("goods_redeem: 永兴社区积分超市", world.supermarket.pk, world.counter.pk),
        ("deed_award: 永兴社区积分超市", world.supermarket.pk, world.counter.pk),
    ]
    assert world.goods.events.filter(
        pgh_context__metadata__supermarket=world.supermarket.pk
    ).exists()
    # The volunteer's own street reads on the record who changed the points, and at which counter.
    record = client_for(people.wenyuan_official).get(volunteer.get_absolute_url()).content.decode()
    history = record[record.index('id="history-title"') :]
    assert history.count("永兴社区积分超市") == 2 and "yongxing_points" in history
