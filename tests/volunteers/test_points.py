"""The points supermarket: rules, the ledger, redemption at the counter, and the balance that
never goes below zero, even when two redemptions for one volunteer happen at the same moment."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from volunteers.models import EntryKind, Goods, PointEntry, PointRule, Redemption, Volunteer
from volunteers.services.points import deed_award, goods_redeem, points_change


def give(volunteer, points: int, world) -> None:
    points_change(
        volunteer_id=volunteer.pk,
        delta=points,
        kind=EntryKind.DEED,
        reason="测试",
        unit_id=world.supermarket.unit_id,
    )


@pytest.mark.django_db
def test_redemption_takes_points_and_stock_and_writes_the_ledger(world):
    volunteer = world.members[0]
    give(volunteer, 100, world)
    goods_redeem(
        by=world.counter,
        supermarket=world.supermarket,
        volunteer=volunteer,
        goods=world.goods,
        quantity=2,
    )
    volunteer.refresh_from_db()
    world.goods.refresh_from_db()
    assert (volunteer.points_balance, world.goods.stock) == (40, 3)
    entry = PointEntry.objects.filter(kind=EntryKind.REDEMPTION).get()
    assert (entry.delta, entry.balance_after) == (-60, 40)
    assert "洗衣液 × 2" in entry.reason and entry.redemption is not None


@pytest.mark.django_db
def test_a_redemption_beyond_the_balance_changes_nothing(world):
    volunteer = world.members[0]
    give(volunteer, 50, world)
    with pytest.raises(ValidationError) as error:
        goods_redeem(
            by=world.counter,
            supermarket=world.supermarket,
            volunteer=volunteer,
            goods=world.goods,
            quantity=2,
        )
    assert "50" in str(error.value)
    volunteer.refresh_from_db()
    world.goods.refresh_from_db()
    assert (volunteer.points_balance, world.goods.stock) == (50, 5)
    assert not Redemption.objects.exists()
    assert PointEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_redemption_beyond_the_stock_changes_nothing(world):
    volunteer = world.members[0]
    give(volunteer, 1000, world)
    with pytest.raises(ValidationError) as error:
        goods_redeem(
            by=world.counter,
            supermarket=world.supermarket,
            volunteer=volunteer,
            goods=world.goods,
            quantity=6,
        )
    assert "5" in str(error.value)
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 1000


@pytest.mark.django_db
def test_only_the_counter_of_that_supermarket_redeems(world, people):
    volunteer = world.members[0]
    give(volunteer, 100, world)
    for user in (people.volunteer_leader, people.meiyuan_worker, people.outsider):
        with pytest.raises(PermissionDenied):
            goods_redeem(
                by=user,
                supermarket=world.supermarket,
                volunteer=volunteer,
                goods=world.goods,
                quantity=1,
            )


@pytest.mark.django_db
def test_a_good_deed_earns_the_rules_points(world):
    volunteer = world.members[1]
    rule = PointRule.objects.get(key="deed")
    entry = deed_award(
        by=world.counter,
        volunteer=volunteer,
        rule=rule,
        supermarket=world.supermarket,
        note="扶老人过马路",
    )
    assert entry.delta == 50 and "见义勇为" in entry.reason
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 50


@pytest.mark.django_db(transaction=True)
def test_two_redemptions_at_the_same_moment_exactly_one_succeeds(world):
    """Two counters redeem for the same volunteer at once; points suffice for one."""
    volunteer = world.members[0]
    give(volunteer, 30, world)
    start = threading.Barrier(2)
    results: list[str] = []

    def counter():
        try:
            start.wait()
            goods_redeem(
                by=world.counter,
                supermarket=world.supermarket,
                volunteer=volunteer,
                goods=world.goods,
                quantity=1,
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=counter) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    volunteer = Volunteer.objects.get(pk=volunteer.pk)
    assert volunteer.points_balance == 0
    assert Goods.objects.get(pk=world.goods.pk).stock == 4
    assert Redemption.objects.count() == 1
    ledger = list(PointEntry.objects.filter(volunteer=volunteer).order_by("id"))
    assert [e.delta for e in ledger] == [30, -30]
    assert sum(e.delta for e in ledger) == volunteer.points_balance


@pytest.mark.django_db(transaction=True)
def test_the_last_item_goes_to_one_of_two_counters(world):
    Goods.objects.filter(pk=world.goods.pk).update(stock=1)
    a, b = world.members[:2]
    give(a, 100, world)
    give(b, 100, world)
    start = threading.Barrier(2)
    results: list[str] = []

    def counter(volunteer):
        try:
            start.wait()
            goods_redeem(
                by=world.counter,
                supermarket=world.supermarket,
                volunteer=volunteer,
                goods=world.goods,
                quantity=1,
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=counter, args=(v,)) for v in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Goods.objects.get(pk=world.goods.pk).stock == 0
    balances = sorted(
        Volunteer.objects.filter(pk__in=[a.pk, b.pk]).values_list("points_balance", flat=True)
    )
    assert balances == [70, 100]
