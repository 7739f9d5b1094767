"""The volunteer demo: the article's figures come out of raw records, each equal to an
independent SQL count; the tallies equal a recomputation; loading twice adds nothing."""

import pytest
from django.db import connection
from django.utils import timezone

from core.metrics import Period, evaluate
from core.metrics.rebuild import (
    recomputed_facts,
    recomputed_subtree_sums,
    stored_facts,
    stored_subtree_sums,
)
from core.models import AdministrativeUnit
from volunteers.demo import load_volunteers
from volunteers.models import Goods, Redemption, Supermarket, Team, Volunteer

pytestmark = pytest.mark.django_db


def sql(query: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchone()[0]


def test_the_demo_reproduces_the_articles_volunteer_figures(demo):
    assert demo.loaded["volunteers"][0]
    today = timezone.localdate()
    year = Period(today.replace(month=1, day=1), today)
    district = AdministrativeUnit.objects.get(level="district")
    figures = evaluate(district, year)

    # The article: 1 / 6 / 22 / 220; 65,000+ volunteers, 476 teams; this year 260+ activities,
    # 45,000+ person-times served, 30,000+ service hours.
    assert figures["volunteers.federation"] == 1
    assert figures["volunteers.street_alliance"] == 6
    assert figures["volunteers.community_alliance"] == 22
    assert figures["volunteers.village_point"] == 220
    assert figures["volunteers.registered"] >= 65_000
    assert figures["volunteers.teams"] == 476
    assert figures["volunteers.activities"] >= 260
    assert figures["volunteers.served"] >= 45_000
    assert figures["volunteers.hours"] >= 30_000
    assert Team.objects.filter(name="马上志愿服务队", unit__name="洪沟社区").count() == 1

    # Each equals an independent count over the records.
    start, end = year.start, year.end
    assert figures["volunteers.registered"] == sql(
        "SELECT count(*) FROM volunteers_volunteer WHERE joined_on <= %s", [end]
    )
    assert figures["volunteers.active"] == sql(
        "SELECT count(*) FROM volunteers_volunteer WHERE joined_on <= %s "
        "AND (status = 'active' OR status_since > %s)",
        [end, end],
    )
    for status in ("paused", "left"):
        assert figures[f"volunteers.{status}"] == sql(
            "SELECT count(*) FROM volunteers_volunteer WHERE joined_on <= %s "
            "AND status = %s AND coalesce(status_since, joined_on) <= %s",
            [end, status, end],
        )
    assert figures["volunteers.registered"] == (
        figures["volunteers.active"] + figures["volunteers.paused"] + figures["volunteers.left"]
    )
    assert figures["volunteers.left"] > 0 and figures["volunteers.paused"] > 0
    assert figures["volunteers.teams"] == sql("SELECT count(*) FROM volunteers_team")
    assert figures["volunteers.activities"] == sql(
        "SELECT count(*) FROM volunteers_activity "
        "WHERE (starts_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %s AND %s",
        [start, end],
    )
    assert figures["volunteers.served"] == sql(
        "SELECT sum(served) FROM volunteers_activity "
        "WHERE (starts_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %s AND %s",
        [start, end],
    )
    assert figures["volunteers.hours"] == sql(
        "SELECT sum(h.hours) FROM volunteers_servicehours h JOIN volunteers_activity a "
        "ON a.id = h.activity_id WHERE h.status = 'verified' "
        "AND (a.starts_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %s AND %s",
        [start, end],
    )
    for key in ("federation", "street_alliance", "community_alliance", "village_point"):
        assert figures[f"volunteers.{key}"] == sql(
            "SELECT count(*) FROM volunteers_networknode WHERE level = %s", [key]
        )
    # The network's organisations are attached to units, not units themselves: whatever the
    # tree, every community is served by exactly one alliance and every village by a point.
    for level, key, least, most in (
        ("community", "community_alliance", 1, 1),
        ("village", "village_point", 1, 2),
    ):
        assert (
            sql(
                "SELECT count(*) FROM governance_administrativeunit u WHERE u.level = %s "
                "AND u.retired_on IS NULL AND (SELECT count(*) FROM volunteers_networkservice s "
                "JOIN volunteers_networknode n ON n.id = s.node_id "
                "WHERE s.unit_id = u.id AND n.level = %s) NOT BETWEEN %s AND %s",
                [level, key, least, most],
            )
            == 0
        )
    issued = sql(
        "SELECT coalesce(sum(delta), 0) FROM volunteers_pointentry WHERE kind <> 'redemption' "
        "AND (at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %s AND %s",
        [start, end],
    )
    redeemed = sql(
        "SELECT coalesce(-sum(delta), 0) FROM volunteers_pointentry WHERE kind = 'redemption' "
        "AND (at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %s AND %s",
        [start, end],
    )
    assert figures["volunteers.points_issued"] == issued > 0
    assert figures["volunteers.points_redeemed"] == redeemed > 0

    # 永兴社区's points supermarket: goods on the shelf and redemptions at its counter; every
    # balance is its ledger's sum and never below zero.
    yongxing = AdministrativeUnit.objects.get(name="永兴社区")
    shop = Supermarket.objects.get(unit=yongxing)
    assert Goods.objects.filter(supermarket=shop, stock__gt=0).count() >= 5
    assert Redemption.objects.filter(supermarket=shop).count() >= 100
    assert evaluate(yongxing, year)["volunteers.points_redeemed"] == redeemed
    assert not sql(
        "SELECT count(*) FROM volunteers_volunteer v WHERE v.points_balance <> "
        "(SELECT coalesce(sum(delta), 0) FROM volunteers_pointentry e WHERE e.volunteer_id = v.id)"
    )
    assert not Volunteer.objects.filter(points_balance__lt=0).exists()

    # Tallies equal a recomputation from the records; a second load adds nothing.
    assert stored_facts() == recomputed_facts()
    assert stored_subtree_sums() == recomputed_subtree_sums()
    count = Volunteer.objects.count()
    assert load_volunteers() == ""
    assert Volunteer.objects.count() == count
