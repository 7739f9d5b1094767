"""A dashboard costs a fixed number of SQL queries whatever the unit and however many units and
records lie below it; the public figures show district and street totals only, with small counts
suppressed below street level."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.metrics import metric
from core.models import AdministrativeUnit, UnitLevel
from dashboards.views.public_figures import PUBLIC_METRICS, SMALL_COUNT, suppressed
from tests.dashboards.test_dashboard_figures import build_records
from tests.disputes.helpers import log_case
from tests.factories import unit as make_unit

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"1[3-9]\d{9}")


def queries(client, unit, query="?period=ytd", headers=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/dashboard/{unit.code}/{query}", headers=headers)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def grow(district, people, streets=3, cases=50) -> None:
    """More streets, each with communities and grids, and more cases spread over them."""
    grids = []
    for n in range(streets):
        street = make_unit(f"37011701{n}000", f"新街道{n}", UnitLevel.STREET, district.district)
        for m in range(1, 3):
            community = make_unit(f"37011701{n}00{m}", f"新社区{n}{m}", UnitLevel.COMMUNITY, street)
            grids.append(
                make_unit(f"37011701{n}00{m}001", f"新网格{n}{m}", UnitLevel.GRID, community)
            )
    grids += [district.meiyuan_grid, district.honggou_grid]
    today = timezone.localdate()
    for n in range(cases):
        day = max(today - timedelta(days=n * 7), today.replace(month=1, day=1))
        log_case(people.district_staff, grids[n % len(grids)], received_on=day)


@pytest.fixture
def staff(people, client_for):
    return client_for(people.district_staff)


def test_a_grid_costs_as_many_queries_as_the_district(district, people, staff):
    build_records(district, people)
    at_district = queries(staff, district.district)
    at_grid = queries(staff, district.meiyuan_grid)
    assert len(at_grid) == len(at_district), (at_district, at_grid)


@pytest.mark.parametrize("query", ["?period=ytd", "?period=last_year", "?period=month"])
@pytest.mark.parametrize("which", ["district", "aishan", "meiyuan", "meiyuan_grid"])
def test_more_units_and_records_cost_no_more_queries(district, people, staff, query, which):
    unit = getattr(district, which)
    build_records(district, people)
    before = queries(staff, unit, query)
    fragment_before = queries(staff, unit, query, headers={"HX-Request": "true"})
    grow(district, people)
    unit = AdministrativeUnit.objects.get(pk=unit.pk)
    if which == "district":
        assert AdministrativeUnit.objects.filter(parent=unit).count() == 6
    after = queries(staff, unit, query)
    assert len(after) == len(before), (before, after)
    assert len(queries(staff, unit, query, headers={"HX-Request": "true"})) == len(fragment_before)


def test_the_district_costs_the_same_with_few_or_many_streets(district, people, staff):
    before = queries(staff, district.district)
    grow(district, people, streets=6, cases=60)
    after = queries(staff, district.district)
    assert len(after) == len(before)
    # Figures come from tallies: no query reads the case table.
    assert not [sql for sql in after if "governance_disputecase" in sql]


def test_the_same_number_of_queries_at_every_level_with_children(district, people, staff):
    build_records(district, people)
    counts = {
        unit.name: len(queries(staff, unit))
        for unit in (district.aishan, district.meiyuan, district.liuqiaoyu)
    }
    assert len(set(counts.values())) == 1, counts


# Public figures


def test_the_public_figures_show_district_and_streets_only(district, people, client):
    build_records(district, people)
    response = client.get("/public/figures/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = response.context["rows"]
    assert [u.pk for u, _values in rows] == [
        district.district.pk,
        district.aishan.pk,
        district.wenyuan.pk,
        district.yanzhuang.pk,
    ]
    for name in ("钢城区", "艾山街道", "汶源街道", "颜庄街道"):
        assert name in html
    below = AdministrativeUnit.objects.exclude(level__in=[UnitLevel.DISTRICT, UnitLevel.STREET])
    assert below.count() == 8
    for unit in below:
        assert unit.name not in html, unit.name
    assert not MOBILE.search(html), MOBILE.search(html)
    for word in ("张三", "11010519491231002X", "梅苑小区"):
        assert word not in html
    assert [m.key for m in response.context["metrics"]] == PUBLIC_METRICS


def test_the_public_figures_equal_the_dashboard(district, people, client, staff):
    build_records(district, people)
    rows = client.get("/public/figures/").context["rows"]
    for unit, values in rows:
        cards = {
            c.metric.key: c.value for c in staff.get(f"/dashboard/{unit.code}/").context["cards"]
        }
        assert values == [cards[key] for key in PUBLIC_METRICS], unit.name


def test_the_public_figures_need_no_login_and_no_retired_street(district, people, client):
    street = AdministrativeUnit.objects.get(pk=district.yanzhuang.pk)
    street.retired_on = date(2024, 1, 1)
    street.save()
    response = client.get("/public/figures/")
    assert response.status_code == 200
    assert "颜庄街道" not in response.content.decode()


@pytest.mark.parametrize("value, shown", [(0, None), (1, None), (4, None), (5, 5), (17, 17)])
def test_small_counts_are_suppressed_below_street_level(district, value, shown):
    for unit in (district.meiyuan, district.liuqiaoyu, district.meiyuan_grid):
        for key in ("disputes.received", "legal.people", "studios.cases"):
            assert suppressed(value, unit, metric(key).kind) == shown, (unit.name, key)


@pytest.mark.parametrize("value", [0, 1, 4, 5, 17])
def test_streets_and_the_district_show_every_count(district, value):
    for unit in (district.district, district.aishan):
        assert suppressed(value, unit, "count") == value


@pytest.mark.parametrize("value", [0, 1, 4, None])
def test_rates_are_never_suppressed(district, value):
    from decimal import Decimal

    rate = None if value is None else Decimal(value)
    for key in ("disputes.resolution_rate", "disputes.settled_in_grid"):
        assert suppressed(rate, district.meiyuan, metric(key).kind) == rate
    for kind in ("rate", "mean", "yoy"):
        assert suppressed(rate, district.meiyuan_grid, kind) == rate
    assert suppressed(None, district.meiyuan, "count") is None
    assert SMALL_COUNT == 5
