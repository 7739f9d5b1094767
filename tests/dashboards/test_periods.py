"""Reporting periods at awkward dates (month ends, leap days, 1 January), the months of a trend,
the change against a comparison period, and the period form as the dashboard reads it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.metrics import Period, metric
from core.metrics.periods import report_period
from dashboards.figures import change

# report_period: this month (本月) and its 环比


@pytest.mark.parametrize(
    "today, previous",
    [
        (date(2026, 3, 31), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (date(2028, 3, 31), Period(date(2028, 2, 1), date(2028, 2, 29))),
        (date(2028, 3, 29), Period(date(2028, 2, 1), date(2028, 2, 29))),
        (date(2026, 3, 29), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 3, 15), Period(date(2026, 2, 1), date(2026, 2, 15))),
        (date(2026, 5, 31), Period(date(2026, 4, 1), date(2026, 4, 30))),
        (date(2026, 1, 1), Period(date(2025, 12, 1), date(2025, 12, 1))),
        (date(2026, 1, 31), Period(date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_this_month_compares_with_the_same_days_of_the_month_before(today, previous):
    chosen = report_period("month", today)
    assert chosen.key == "month"
    assert chosen.current == Period(today.replace(day=1), today)
    assert chosen.previous == previous
    assert chosen.previous.start <= chosen.previous.end < chosen.current.start


def test_this_month_on_the_first_of_january_is_one_day_long():
    chosen = report_period("month", date(2027, 1, 1))
    assert chosen.current == Period(date(2027, 1, 1), date(2027, 1, 1))
    assert chosen.previous == Period(date(2026, 12, 1), date(2026, 12, 1))
    assert chosen.year_before == Period(date(2026, 1, 1), date(2026, 1, 1))


def test_this_month_on_a_leap_day():
    chosen = report_period("month", date(2028, 2, 29))
    assert chosen.current == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert chosen.previous == Period(date(2028, 1, 1), date(2028, 1, 29))
    assert chosen.year_before == Period(date(2027, 2, 1), date(2027, 2, 28))


# This quarter (本季度)


@pytest.mark.parametrize(
    "today, current_start, previous",
    [
        (date(2026, 1, 1), date(2026, 1, 1), Period(date(2025, 10, 1), date(2025, 10, 1))),
        (date(2026, 3, 31), date(2026, 1, 1), Period(date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), date(2026, 4, 1), Period(date(2026, 1, 1), date(2026, 1, 1))),
        (date(2026, 5, 31), date(2026, 4, 1), Period(date(2026, 1, 1), date(2026, 2, 28))),
        (date(2028, 5, 31), date(2028, 4, 1), Period(date(2028, 1, 1), date(2028, 2, 29))),
        (date(2026, 6, 30), date(2026, 4, 1), Period(date(2026, 1, 1), date(2026, 3, 30))),
        (date(2026, 8, 31), date(2026, 7, 1), Period(date(2026, 4, 1), date(2026, 5, 31))),
        (date(2026, 12, 31), date(2026, 10, 1), Period(date(2026, 7, 1), date(2026, 9, 30))),
    ],
)
def test_this_quarter_and_the_quarter_before(today, current_start, previous):
    chosen = report_period("quarter", today)
    assert chosen.current == Period(current_start, today)
    assert chosen.previous == previous
    assert chosen.previous.end < chosen.current.start


# Year to date (今年以来), last year


def test_year_to_date_on_a_leap_day_compares_with_28_february():
    chosen = report_period("ytd", date(2028, 2, 29))
    assert chosen.current == Period(date(2028, 1, 1), date(2028, 2, 29))
    assert chosen.year_before == Period(date(2027, 1, 1), date(2027, 2, 28))
    assert chosen.previous == chosen.year_before


def test_year_to_date_on_the_first_of_january():
    chosen = report_period("ytd", date(2027, 1, 1))
    assert chosen.current == Period(date(2027, 1, 1), date(2027, 1, 1))
    assert chosen.year_before == Period(date(2026, 1, 1), date(2026, 1, 1))


def test_a_leap_day_a_year_before_is_28_february():
    assert Period(date(2028, 2, 29), date(2028, 2, 29)).year_before() == Period(
        date(2027, 2, 28), date(2027, 2, 28)
    )
    assert Period(date(2028, 2, 1), date(2028, 3, 1)).year_before() == Period(
        date(2027, 2, 1), date(2027, 3, 1)
    )


@pytest.mark.parametrize("today", [date(2026, 1, 1), date(2026, 12, 31), date(2028, 2, 29)])
def test_last_year_is_the_whole_calendar_year(today):
    chosen = report_period("last_year", today)
    year = today.year - 1
    assert chosen.current == Period(date(year, 1, 1), date(year, 12, 31))
    assert chosen.previous == Period(date(year - 1, 1, 1), date(year - 1, 12, 31))
    assert chosen.year_before == chosen.previous


# Custom dates


@pytest.mark.parametrize(
    "start, end, previous",
    [
        (date(2026, 3, 1), date(2026, 3, 31), Period(date(2026, 1, 29), date(2026, 2, 28))),
        (date(2026, 3, 5), date(2026, 3, 5), Period(date(2026, 3, 4), date(2026, 3, 4))),
        (date(2026, 1, 1), date(2026, 1, 10), Period(date(2025, 12, 22), date(2025, 12, 31))),
        (date(2028, 3, 1), date(2028, 3, 2), Period(date(2028, 2, 28), date(2028, 2, 29))),
    ],
)
def test_a_custom_period_compares_with_as_many_days_just_before(start, end, previous):
    chosen = report_period("custom", date(2030, 1, 1), start, end)
    assert chosen.current == Period(start, end)
    assert chosen.previous == previous
    assert (previous.end - previous.start) == (end - start)
    assert previous.end + timedelta(days=1) == start
    assert chosen.year_before == Period(start, end).year_before()


def test_a_custom_period_over_a_leap_day_a_year_before():
    chosen = report_period("custom", date(2030, 1, 1), date(2028, 2, 10), date(2028, 2, 29))
    assert chosen.year_before == Period(date(2027, 2, 10), date(2027, 2, 28))


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2026, 3, 2), date(2026, 3, 1)),
        (None, date(2026, 3, 1)),
        (date(2026, 3, 1), None),
        (None, None),
    ],
)
def test_a_custom_period_without_both_ends_in_order_is_refused(start, end):
    with pytest.raises(ValueError):
        report_period("custom", date(2026, 6, 1), start, end)


# Months of a trend


def test_month_starts_across_a_year_boundary():
    from core.metrics.periods import month_starts

    assert month_starts(date(2026, 2, 28), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    twelve = month_starts(date(2026, 1, 31), 12)
    assert twelve[0] == date(2025, 2, 1) and twelve[-1] == date(2026, 1, 1)
    assert len(set(twelve)) == 12 and twelve == sorted(twelve)
    assert month_starts(date(2028, 2, 29), 1) == [date(2028, 2, 1)]
    assert month_starts(date(2026, 12, 31), 13)[0] == date(2025, 12, 1)


# change(): 同比 and 环比


COUNT = metric("disputes.received")
RATE = metric("disputes.resolution_rate")
YOY = metric("petitions.year_on_year")


def test_change_of_a_count_is_a_percentage():
    assert change(6, 4, COUNT) == {"delta": Decimal("50.0"), "unit": "percent"}
    assert change(1, 3, COUNT) == {"delta": Decimal("-66.7"), "unit": "percent"}
    assert change(4, 4, COUNT) == {"delta": Decimal("0.0"), "unit": "percent"}
    assert change(0, 4, COUNT) == {"delta": Decimal("-100.0"), "unit": "percent"}


@pytest.mark.parametrize("now, before", [(5, 0), (0, 0), (5, None), (None, 5), (None, None)])
def test_change_of_a_count_against_nothing_is_none(now, before):
    assert change(now, before, COUNT) is None


def test_change_of_a_rate_is_in_points():
    assert change(Decimal("62.5"), Decimal("50.0"), RATE) == {
        "delta": Decimal("12.5"),
        "unit": "points",
    }
    assert change(Decimal("40.0"), Decimal("50.0"), RATE) == {
        "delta": Decimal("-10.0"),
        "unit": "points",
    }
    assert change(Decimal("50.0"), Decimal("0.0"), RATE) == {
        "delta": Decimal("50.0"),
        "unit": "points",
    }
    assert change(Decimal("50.0"), None, RATE) is None
    assert change(None, Decimal("50.0"), RATE) is None
    assert change(Decimal("-25.0"), Decimal("10.0"), YOY)["unit"] == "points"


# Through the page


@pytest.fixture
def board(district, people, client_for):
    client = client_for(people.district_staff)
    return lambda query="", **headers: client.get(
        f"/dashboard/{district.district.code}/{query}", headers=headers
    )


@pytest.mark.django_db
def test_a_custom_period_ending_before_it_starts_is_a_form_error(board):
    today = timezone.localdate()
    start, end = today - timedelta(days=10), today - timedelta(days=20)
    response = board(f"?period=custom&start={start}&end={end}")
    assert response.status_code == 200
    form = response.context["form"]
    assert "end" in form.errors
    assert response.context["period"].key == "ytd"
    html = response.content.decode()
    assert str(form.errors["end"][0]) in html


@pytest.mark.django_db
def test_a_custom_period_without_dates_is_a_form_error(board):
    response = board("?period=custom")
    assert response.status_code == 200
    assert {"start", "end"} <= set(response.context["form"].errors)
    assert response.context["period"].key == "ytd"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?period=nonsense&start=abc",
        "?period=custom&start=abc&end=xyz",
        "?period=custom&start=2026-02-30&end=2026-03-01",
        "?period=quarter&start=abc",
        "?start=2026-01-01&end=2025-01-01",
        "?period=custom&start=1900-01-01&end=1900-01-02",
    ],
)
def test_garbage_in_the_query_shows_the_year_to_date(board, query):
    response = board(query)
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["period"] == report_period("ytd", today)


@pytest.mark.django_db
def test_a_nul_byte_in_the_query_is_a_bad_request(board):
    # Refused before the view (portal.middleware.UnreadableInputMiddleware).
    assert board("?period=%00&start=%00").status_code == 400


@pytest.mark.django_db
def test_a_custom_period_in_the_future_is_refused_and_falls_back(board):
    today = timezone.localdate()
    response = board(f"?period=custom&start={today}&end={today + timedelta(days=3)}")
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert response.context["period"].key == "ytd"


@pytest.mark.django_db
def test_a_valid_custom_period_is_shown(board):
    today = timezone.localdate()
    start, end = today - timedelta(days=40), today - timedelta(days=10)
    response = board(f"?period=custom&start={start}&end={end}")
    assert response.status_code == 200
    chosen = response.context["period"]
    assert chosen.current == Period(start, end)
    assert chosen.previous == Period(start - timedelta(days=31), start - timedelta(days=1))
    assert f"{start:%Y-%m-%d} — {end:%Y-%m-%d}" in response.content.decode()


@pytest.mark.django_db
def test_an_empty_last_year_shows_a_dash_not_an_error(district, people, board):
    from tests.disputes.helpers import log_case

    log_case(
        people.district_staff,
        district.meiyuan,
        source="petition",
        received_on=timezone.localdate(),
    )
    response = board()
    assert response.status_code == 200
    cards = {card.metric.key: card for card in response.context["cards"]}
    received = cards["disputes.received"]
    assert received.value == 1 and received.year_before == 0
    assert received.vs_year_before is None
    assert cards["petitions.year_on_year"].value is None
    assert cards["petitions.year_on_year"].vs_year_before is None
    html = response.content.decode()
    assert '<span class="change none">—</span>' in html
