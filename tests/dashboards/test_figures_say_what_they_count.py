"""Figures say what they count: a rate says what it is taken over wherever it is shown (the card,
its 口径, the monthly table, the records behind it, the export, the briefing), and a stock in a
monthly series is its value at each month's end."""

from datetime import date
from io import BytesIO

import lxml.html
import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.metrics import metric, metrics
from dashboards.figures import monthly_series
from tests.dashboards.test_dashboard_figures import build_records
from tests.volunteers.conftest import id_number
from tests.workforce.helpers import add_worker
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db

RATE = "disputes.resolution_rate"


@pytest.fixture
def staff(district, people, client_for):
    build_records(district, people)
    return client_for(people.district_staff)


def c(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def test_every_rate_says_what_it_is_taken_over():
    rates = [m for m in metrics() if m.kind == "rate"]
    assert rates
    for m in rates:
        assert str(m.basis), f"{m.key} has no basis"
    with translation.override("zh-hans"):
        assert str(metric(RATE).basis) == "按本期受理的案件计，化解截至今日"
    with translation.override("en"):
        assert str(metric(RATE).basis) == "of cases received in the period, resolved as of today"


def test_the_card_and_the_monthly_table_write_the_basis_under_the_rate(district, staff):
    page = lxml.html.fromstring(staff.get(f"/dashboard/{district.district.code}/").content)
    basis = str(metric(RATE).basis)
    card = page.xpath(
        f"//article[{c('figure-card')}][.//*[{c('figure-value')}]/a"
        f"[contains(@href, '/records/{RATE}/')]]"
    )[0]
    assert card.xpath(f".//*[{c('figure-basis')}]")[0].text_content() == basis
    # A count says nothing of the kind.
    received = page.xpath(
        f"//article[{c('figure-card')}][.//*[{c('figure-value')}]/a"
        "[contains(@href, '/records/disputes.received/')]]"
    )[0]
    assert not received.xpath(f".//*[{c('figure-basis')}]")
    # The monthly table's row of the rate carries it in its heading.
    rows = [
        th
        for th in page.xpath("//table//th[@scope='row']")
        if th.text and th.text.strip() == str(metric(RATE).label)
    ]
    assert any(th.xpath(f".//*[{c('figure-basis')}]") for th in rows)


def test_the_records_behind_a_rate_and_the_export_say_its_basis(district, staff):
    code = district.district.code
    basis = str(metric(RATE).basis)
    records = staff.get(f"/dashboard/{code}/records/{RATE}/")
    assert records.status_code == 200
    assert basis in records.content.decode()
    book = load_workbook(BytesIO(staff.get(f"/dashboard/{code}/export/").content))
    figures, _below, definitions = book.worksheets
    rows = [list(row) for row in figures.iter_rows(values_only=True)]
    header = next(n for n, row in enumerate(rows) if row[0] == "指标")
    assert rows[header][5] == "计算口径"
    by_label = {row[0]: row for row in rows[header + 1 :]}
    for m in metrics():
        assert (by_label[str(m.label)][5] or "") == str(m.basis), m.key
    defined = {row[0]: row for row in definitions.iter_rows(values_only=True)}
    assert defined[str(metric(RATE).label)][2] == basis


def test_the_briefing_words_a_rate_with_its_basis(district, staff):
    html = staff.get(f"/dashboard/{district.district.code}/briefing/?period=last_year")
    assert f"（{metric(RATE).basis}）" in html.content.decode()


# Stocks in a monthly series


def leave_after_january(people, district):
    """Five workers on the roster since 2024, three of whom left on 10 February 2025; the same
    for volunteers at 洪沟社区, the three of them leaving their service."""
    by = people.district_staff
    for n in range(5):
        leaves = n < 3
        add_worker(
            by,
            district.honggou,
            name=f"社工{n}",
            position_name="社区工作者",
            joined_on=date(2024, 5, 1),
            status="left" if leaves else "active",
            left_on=date(2025, 2, 10) if leaves else None,
        )
        Volunteer(
            unit=district.honggou,
            name=f"志愿者{n}",
            id_number=id_number(4242 + n * 31),
            joined_on=date(2024, 5, 1),
            status=VolunteerStatus.LEFT if leaves else VolunteerStatus.ACTIVE,
            status_since=date(2025, 2, 10) if leaves else None,
        ).save()


def test_a_stock_shows_its_value_at_each_months_end(district, people):
    leave_after_january(people, district)
    keys = ["workforce.roster", "volunteers.registered", "volunteers.active", "volunteers.left"]
    for unit in (district.district, district.wenyuan, district.honggou):
        series = monthly_series(unit, date(2025, 12, 31), 12, [metric(k) for k in keys])
        assert series["months"][0] == "2025-01" and series["months"][-1] == "2025-12"
        assert series["workforce.roster"] == [5] + [2] * 11
        assert series["volunteers.registered"] == [5] * 12
        assert series["volunteers.active"] == [5] + [2] * 11
        assert series["volunteers.left"] == [0] + [3] * 11
    # Every month's figure is the drill-through's count at that month's end.
    from core.metrics.drills import drill_for
    from core.metrics.registry import Period

    for end, roster in [(date(2025, 1, 31), 5), (date(2025, 2, 10), 2), (date(2025, 3, 31), 2)]:
        shown = drill_for("workforce.roster").records(district.district, Period(end, end))
        assert shown.count() == roster


def test_a_stock_over_more_than_a_year_counts_every_day_of_each_month(district, people):
    """A series of 24 months holds the month a year before its last: the days of that month
    after the cut (left out of the last month's 同比) still count in its own column."""
    Volunteer(
        unit=district.honggou,
        name="志愿者",
        id_number=id_number(777),
        joined_on=date(2024, 6, 20),
    ).save()
    chosen = [metric("volunteers.registered")]
    series = monthly_series(district.district, date(2025, 6, 15), 24, chosen)
    months = series["months"]
    registered = dict(zip(months, series["volunteers.registered"], strict=True))
    assert registered["2024-05"] == 0
    assert all(registered[m] == 1 for m in months if m >= "2024-06"), registered
