"""The whole demo, loaded once: the article's figures come out of raw records, each equal to
an independent SQL count, and the accounts are printed as the README lists them."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.demo.district import DEMO_ACCOUNTS, DEMO_PASSWORD
from core.metrics import Period, evaluate
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import AdministrativeUnit
from disputes.models import DisputeCase

pytestmark = pytest.mark.django_db


def sql(query: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def test_the_demo_reproduces_the_articles_figures(demo):
    # Loading over the loaded demo adds nothing and prints the accounts.
    cases = DisputeCase.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert DisputeCase.objects.count() == cases
    assert demo.loaded["disputes"][0]

    today = timezone.localdate()
    year = Period(today.replace(month=1, day=1), today)
    unit = {
        u.name: u
        for u in AdministrativeUnit.objects.filter(name__in=["钢城区", "艾山街道", "汶源街道"])
    }
    district, aishan, wenyuan = (
        evaluate(unit["钢城区"], year),
        evaluate(unit["艾山街道"], year),
        evaluate(unit["汶源街道"], year),
    )

    # 艾山街道: petitions down 6% year on year, resolution rate above 98%.
    assert str(aishan["petitions.year_on_year"]) == "-6.0"
    assert aishan["disputes.resolution_rate"] > 98
    # 汶源街道: 110+ disputes resolved, 70+ hazards handled.
    assert wenyuan["disputes.resolved"] >= 110 and wenyuan["hazards.rectified"] >= 70
    # District: 13 studios mediated 68 disputes; 420+ legal-service person-times; 7 stations.
    assert district["studios.cases"] == 68 and district["points.mediation"] == 13
    assert district["legal.people"] >= 420
    assert district["points.worker_station"] == 7

    # Each figure equals an independent count over the records.
    path = unit["艾山街道"].path + "%"
    start, end = year.start, year.end
    received = sql(
        "SELECT count(*) FROM governance_disputecase c JOIN governance_administrativeunit u ON u.id = c.unit_id "
        "WHERE u.path LIKE %s AND c.received_on BETWEEN %s AND %s",
        [path, start, end],
    )
    resolved_of_received = sql(
        "SELECT count(*) FROM governance_disputecase c JOIN governance_administrativeunit u ON u.id = c.unit_id "
        "WHERE u.path LIKE %s AND c.received_on BETWEEN %s AND %s AND c.status = 'resolved'",
        [path, start, end],
    )
    assert aishan["disputes.received"] == received
    assert float(aishan["disputes.resolution_rate"]) == pytest.approx(
        100 * resolved_of_received / received, abs=0.05
    )
    resolved_wenyuan = sql(
        "SELECT count(*) FROM governance_disputecase c JOIN governance_administrativeunit u ON u.id = c.unit_id "
        "WHERE u.path LIKE %s AND c.status = 'resolved' AND c.resolved_on BETWEEN %s AND %s",
        [unit["汶源街道"].path + "%", start, end],
    )
    assert wenyuan["disputes.resolved"] == resolved_wenyuan
    studio_cases = sql(
        "SELECT count(*) FROM (SELECT case_id FROM governance_mediationsession WHERE studio_id IS NOT NULL "
        "GROUP BY case_id HAVING min(held_on) BETWEEN %s AND %s) t",
        [start, end],
    )
    assert district["studios.cases"] == studio_cases
    legal = sql(
        "SELECT coalesce(sum(people_reached), 0) FROM governance_legalservice WHERE held_on BETWEEN %s AND %s",
        [start, end],
    )
    assert district["legal.people"] == legal
    prices = sql(
        "SELECT count(*) FROM governance_servicepoint WHERE kind = 'canteen' AND meal_price_min = 8 AND meal_price_max = 8.8",
        [],
    )
    assert prices >= 1

    # Tallies equal a recomputation.
    assert stored_facts() == recomputed_facts()

    # The accounts are printed as the README lists them.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "| 用户名 | 密码 | 角色 | 单位 |" in printed
    for account in DEMO_ACCOUNTS:
        row = (
            f"| {account.username} | {DEMO_PASSWORD} | {account.role_label} | {account.unit_name} |"
        )
        assert row in printed and row in readme
