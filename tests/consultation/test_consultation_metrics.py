"""Consultation figures on the dashboard: cards, breakdown, trends and drill-through read the
registry like every other figure; the median reads its histogram of tallies; drills list the
records behind each figure without personal data."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from consultation.models import MeetingKind
from core.metrics import Period, evaluate, metric
from core.metrics.drills import drill_for
from core.metrics.registry import Metric, histogram_median
from dashboards.figures import children_breakdown, monthly_series
from tests.consultation.helpers import (
    PHONE,
    deliver,
    make_demand,
    make_meeting,
    make_project,
    today,
)

pytestmark = pytest.mark.django_db

KEYS = [
    "consultation.demands_received",
    "consultation.demands_answered",
    "consultation.meetings.analysis",
    "consultation.meetings.deliberation",
    "consultation.meetings.promotion",
    "consultation.projects_delivered",
    "consultation.days_to_delivery",
    "consultation.ratings",
    "consultation.satisfaction",
]


@pytest.fixture
def chain(people, district):
    worker = people.meiyuan_worker
    demand = make_demand(worker, district.meiyuan, days_ago=20, contact_phone=PHONE)
    project = deliver(worker, make_project(worker, district.meiyuan, [demand]))
    make_demand(people.aishan_official, district.yongxing, days_ago=3)
    make_meeting(people.wenyuan_official, district.honggou, MeetingKind.ANALYSIS)
    return project


def window():
    return Period(today() - timedelta(days=60), today())


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, None),
        ({1: 1}, "1.0"),
        ({3: 1, 9: 1}, "6.0"),
        ({2: 3, 40: 1}, "2.0"),
        ({5: 2, 7: 2}, "6.0"),
    ],
)
def test_the_histogram_median(values, expected):
    keys = tuple(f"h.{n}" for n in range(50))
    flow = {f"h.{n}": count for n, count in values.items()}
    result = histogram_median(flow, keys)
    assert (None if result is None else str(result)) == expected


def test_a_median_metric_must_name_its_histogram():
    with pytest.raises(ValueError):
        Metric("x", "x", "x", "median", ())


def test_breakdown_and_trend_agree_with_the_cards(chain, district):
    cards = evaluate(district.aishan, window())
    rows = dict(children_breakdown(district.aishan, window(), [metric(k) for k in KEYS]))
    assert rows[district.meiyuan]["consultation.projects_delivered"] == 1
    assert rows[district.meiyuan]["consultation.days_to_delivery"] == Decimal("19.0")
    assert rows[district.yongxing]["consultation.demands_received"] == 1
    assert rows[district.yongxing]["consultation.days_to_delivery"] is None
    assert cards["consultation.demands_received"] == 2
    series = monthly_series(district.aishan, today(), 3, [metric(k) for k in KEYS])
    assert sum(v or 0 for v in series["consultation.projects_delivered"]) == 1


@pytest.mark.parametrize("key", KEYS[:-2])
def test_each_drill_lists_the_records_behind_its_figure(chain, district, people, client_for, key):
    figure = evaluate(district.aishan, window())[key]
    records = drill_for(key).records(district.aishan, window())
    if metric(key).kind == "count":
        assert records.count() == figure
    else:
        assert records.count() == 1
    client = client_for(people.aishan_official)
    url = reverse("governance:dashboard_records", args=[district.aishan.code, key])
    page = client.get(url, {"period": "custom", "start": window().start, "end": window().end})
    assert page.status_code == 200
    assert PHONE not in page.content.decode()


def test_the_dashboard_shows_the_consultation_cards(chain, district, people, client_for):
    page = client_for(people.aishan_official).get(
        reverse("governance:dashboard", args=[district.aishan.code])
    )
    html = page.content.decode()
    assert page.status_code == 200
    for label in ("民生实事落地", "诉求到落地天数（中位数）", "召开阳光议事会"):
        assert label in html
    # Out of scope: another street's dashboard is a 404.
    other = client_for(people.wenyuan_official).get(
        reverse("governance:dashboard_records", args=[district.aishan.code, KEYS[0]])
    )
    assert other.status_code == 404
