"""The supermarket's goods: its staff put them on the shelf (a double submit puts them once),
change the price against the version (a stale edit is a 409), restock or write off through a
ledger that never takes the stock below zero, and retire them; a restock and a redemption at
the same moment are both counted."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.volunteers.test_points import give
from volunteers.forms.volunteers import RedeemForm
from volunteers.models import Goods, StockEntry
from volunteers.services.points import goods_redeem, goods_restock

pytestmark = pytest.mark.django_db


def test_staff_put_goods_on_the_shelf_once(world, client_for):
    shop = world.supermarket
    client = client_for(world.counter)
    assert (
        f"/volunteers/supermarkets/{shop.pk}/goods/new/"
        in client.get(shop.get_absolute_url()).content.decode()
    )
    data = {"submission_key": uuid.uuid4(), "name": "大米 5kg", "points": "120", "stock": "10"}
    first = client.post(f"/volunteers/supermarkets/{shop.pk}/goods/new/", data)
    second = client.post(f"/volunteers/supermarkets/{shop.pk}/goods/new/", data)
    goods = Goods.objects.get(name="大米 5kg")
    assert first["Location"] == second["Location"] == goods.get_absolute_url()
    assert goods.stock == 10 and goods.points == 120
    assert [(e.delta, e.stock_after) for e in goods.stock_entries.all()] == [(10, 10)]
    assert client.get(goods.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("points", "0"), ("points", "abc"), ("stock", "-1"), ("name", " "), ("stock", "1e309")],
)
def test_bad_goods_are_answered_at_the_field(world, client_for, field, value):
    data = {"submission_key": uuid.uuid4(), "name": "大米", "points": "120", "stock": "10"}
    data[field] = value
    response = client_for(world.counter).post(
        f"/volunteers/supermarkets/{world.supermarket.pk}/goods/new/", data
    )
    assert response.status_code == 200 and f'id="id_{field}_error"' in response.content.decode()
    assert Goods.objects.count() == 1


def test_restock_and_write_off_through_the_ledger_never_below_zero(world, client_for):
    goods = world.goods  # 5 in stock
    client = client_for(world.counter)
    url = f"/volunteers/goods/{goods.pk}/stock/"
    assert (
        client.post(url, {"submission_key": uuid.uuid4(), "delta": "7", "note": "到货"}).status_code
        == 302
    )
    key = uuid.uuid4()
    for _ in range(2):  # a double submit writes off once
        assert (
            client.post(url, {"submission_key": key, "delta": "-2", "note": "破损"}).status_code
            == 302
        )
    too_many = client.post(url, {"submission_key": uuid.uuid4(), "delta": "-11"})
    assert too_many.status_code == 200 and 'id="restock_delta_error"' in too_many.content.decode()
    zero = client.post(url, {"submission_key": uuid.uuid4(), "delta": "0"})
    assert 'id="restock_delta_error"' in zero.content.decode()
    goods.refresh_from_db()
    assert goods.stock == 10
    ledger = [(e.kind, e.delta, e.stock_after) for e in goods.stock_entries.order_by("id")]
    assert ledger == [("restock", 7, 12), ("write_off", -2, 10)]


def test_price_edit_stale_edit_and_retiring(world, client_for):
    goods = world.goods
    client = client_for(world.counter)
    url = goods.get_absolute_url()
    opened = {"version": goods.version, "name": "洗衣液", "points": "25", "active": "on"}
    give(world.members[0], 100, world)
    goods_redeem(
        by=world.counter,
        supermarket=world.supermarket,
        volunteer=world.members[0],
        goods=goods,
        quantity=1,
    )
    stale = client.post(url, opened)
    assert stale.status_code == 409 and 'class="conflict"' in stale.content.decode()
    goods.refresh_from_db()
    assert goods.points == 30 and goods.stock == 4
    opened["version"] = goods.version
    bad = client.post(url, {**opened, "points": "-3"})
    assert bad.status_code == 200 and 'id="edit_points_error"' in bad.content.decode()
    assert client.post(url, opened).status_code == 302
    goods.refresh_from_db()
    assert goods.points == 25
    retire = {"version": goods.version, "name": "洗衣液", "points": "25"}  # unticked: retired
    assert client.post(url, retire).status_code == 302
    goods.refresh_from_db()
    assert not goods.active
    assert goods not in RedeemForm(supermarket=world.supermarket).fields["goods"].queryset
    assert goods.events.filter(pgh_context__metadata__reason="goods_update").count() == 2


def test_goods_of_another_supermarket_are_out_of_reach(world, people, client_for):
    goods = world.goods
    for user in (people.wenyuan_official, world.honggou_worker, people.outsider):
        assert client_for(user).get(goods.get_absolute_url()).status_code == 404
    # the street can see the shop's goods but does not run its counter
    aishan = client_for(people.aishan_official)
    assert aishan.get(goods.get_absolute_url()).status_code == 200
    edit = {"version": goods.version, "name": "x", "points": "1", "active": "on"}
    assert aishan.post(goods.get_absolute_url(), edit).status_code == 404
    stock = {"submission_key": uuid.uuid4(), "delta": "5"}
    assert aishan.post(f"/volunteers/goods/{goods.pk}/stock/", stock).status_code == 404
    new = f"/volunteers/supermarkets/{world.supermarket.pk}/goods/new/"
    assert aishan.get(new).status_code == 404
    goods.refresh_from_db()
    assert goods.stock == 5 and goods.points == 30 and goods.name == "洗衣液"


@pytest.mark.django_db(transaction=True)
def test_a_restock_and_a_redemption_at_the_same_moment_are_both_counted(world):
    goods = world.goods
    Goods.objects.filter(pk=goods.pk).update(stock=1)
    volunteer = world.members[0]
    give(volunteer, 100, world)
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def run(action):
        try:
            start.wait()
            action()
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    def redeem():
        goods_redeem(
            by=world.counter,
            supermarket=world.supermarket,
            volunteer=volunteer,
            goods=goods,
            quantity=1,
        )

    def restock():
        goods_restock(by=world.counter, goods=goods, delta=5, note="到货")

    threads = [threading.Thread(target=run, args=(a,)) for a in (redeem, restock)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Goods.objects.get(pk=goods.pk).stock == 1 - 1 + 5
    entry = StockEntry.objects.get(goods=goods)
    assert entry.delta == 5 and entry.stock_after in (5, 6)
