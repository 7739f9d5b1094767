"""Who sees which dashboard (and each of its outputs), the htmx fragment, and that the XLSX
export, the work briefing (page and .docx) and the projector say what the screen says."""

import re
from collections import Counter
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from core.groups import Group
from core.metrics import metrics
from core.metrics.periods import report_period
from core.metrics.shown import figure_text
from dashboards.briefing import completed_months
from dashboards.views.dashboards import PROJECTOR_FIGURES_A_PAGE, headline_cards
from tests.dashboards.test_dashboard_figures import build_records

pytestmark = pytest.mark.django_db


def outputs(unit) -> dict[str, tuple[str, dict]]:
    base = f"/dashboard/{unit.code}/"
    return {
        "dashboard": (base, {}),
        "fragment": (base, {"HX-Request": "true"}),
        "sorted fragment": (f"{base}?sort=-disputes.received", {"HX-Request": "true"}),
        "records": (f"{base}records/disputes.received/", {}),
        "records of a sum": (f"{base}records/legal.people/?period=last_year", {}),
        "export": (f"{base}export/", {}),
        "briefing": (f"{base}briefing/", {}),
        "briefing docx": (f"{base}briefing/?format=docx", {}),
        "projector": (f"{base}projector/", {}),
    }


# Scope


ALL_OUTPUTS = [
    "dashboard",
    "fragment",
    "sorted fragment",
    "records",
    "records of a sum",
    "export",
    "briefing",
    "briefing docx",
    "projector",
]


@pytest.mark.parametrize("output", ALL_OUTPUTS)
@pytest.mark.parametrize("which", ["wenyuan", "honggou_grid", "district", "yanzhuang"])
def test_a_street_official_gets_404_outside_their_street(
    district, people, client_for, output, which
):
    url, headers = outputs(getattr(district, which))[output]
    response = client_for(people.aishan_official).get(url, headers=headers)
    assert response.status_code == 404


@pytest.mark.parametrize("output", ["dashboard", "fragment", "records", "export", "briefing"])
def test_the_same_pages_of_their_own_street_open(district, people, client_for, output):
    url, headers = outputs(district.aishan)[output]
    assert client_for(people.aishan_official).get(url, headers=headers).status_code == 200


@pytest.mark.parametrize("output", ["dashboard", "fragment", "records", "export", "briefing"])
def test_a_grid_worker_sees_their_own_grid_and_nothing_beside_or_above(
    district, people, client_for, output
):
    client = client_for(people.grid_worker)
    url, headers = outputs(district.meiyuan_grid)[output]
    assert client.get(url, headers=headers).status_code == 200
    for other in (district.meiyuan_grid2, district.meiyuan, district.aishan, district.honggou_grid):
        url, headers = outputs(other)[output]
        assert client.get(url, headers=headers).status_code == 404, other.name


def test_someone_without_a_role_sees_no_dashboard(district, people, client_for):
    client = client_for(people.outsider)
    for url, headers in outputs(district.district).values():
        assert client.get(url, headers=headers).status_code == 404, url


def test_the_anonymous_public_is_sent_to_log_in(district, client):
    for url, headers in outputs(district.district).values():
        response = client.get(url, headers=headers)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_my_dashboard_is_my_own_unit(district, people, client_for):
    response = client_for(people.grid_worker).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/{district.meiyuan_grid.code}/"


# The htmx fragment


def test_htmx_gets_the_board_alone(district, people, client_for, htmx_headers):
    client = client_for(people.district_staff)
    url = f"/dashboard/{district.district.code}/?period=last_year"
    fragment = client.get(url, headers=htmx_headers).content.decode()
    assert "<html" not in fragment and "<body" not in fragment
    # A <title> may lead: htmx takes it for the window title and swaps the board.
    title, _sep, board = fragment.lstrip().partition("</title>")
    assert title.startswith("<title>统计看板 · 钢城区")
    assert board.lstrip().startswith('<div id="board">')
    assert 'id="board"' in fragment and "艾山街道" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and 'id="board"' in page
    boosted = client.get(url, headers={**htmx_headers, "HX-Boosted": "true"}).content.decode()
    assert "<html" in boosted


# What the exports say equals what the screen says


@pytest.fixture
def records(district, people):
    return build_records(district, people)


@pytest.fixture
def staff(people, client_for):
    return client_for(people.district_staff)


def screen(client, unit, query):
    response = client.get(f"/dashboard/{unit.code}/{query}")
    assert response.status_code == 200
    return response.context


def cell(value):
    """A figure as the spreadsheet holds it."""
    if value is None:
        return "—"
    return value if isinstance(value, int) else float(value)


def number(value) -> str:
    """A figure as the briefing writes it: 75.0 as 75, 33.3 as 33.3, no sign."""
    value = abs(value)
    if isinstance(value, Decimal) and value == value.to_integral():
        return str(int(value))
    return str(value)


def trimmed(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


QUERIES = ["?period=last_year", "", "?period=quarter"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("which", ["district", "aishan"])
def test_the_export_holds_the_figures_of_the_screen(district, people, records, staff, query, which):
    unit = getattr(district, which)
    context = screen(staff, unit, query)
    response = staff.get(f"/dashboard/{unit.code}/export/{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    current = context["period"].current
    assert f"{current.start:%Y%m%d}-{current.end:%Y%m%d}.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    figures, below, definitions = book.worksheets
    rows = [trimmed(r) for r in figures.iter_rows(values_only=True)]
    # The heading names the unit and the period.
    assert rows[0][1:3] == [unit.name, unit.code]
    assert rows[1][1] == f"{current.start:%Y-%m-%d} — {current.end:%Y-%m-%d}"
    # Unit, period, who exported it and when, then the figures under their column heads.
    assert rows[2] == ["导出人", str(people.district_staff)] and rows[3][0] == "导出时间"
    header = next(n for n, row in enumerate(rows) if n >= 4 and row)
    assert len(rows[header]) == 6
    body = rows[header + 1 :]
    cards = context["cards"]
    assert len(body) == len(cards)
    for row, card in zip(body, cards, strict=True):
        assert row[0] == str(card.metric.label)
        assert row[1] == cell(card.value), card.metric.key
        assert row[2] == (str(card.metric.unit_label) or None)
        assert row[3] == cell(card.previous), card.metric.key
        assert row[4] == cell(card.year_before), card.metric.key
        assert row[5:] == ([str(card.metric.basis)] if card.metric.basis else []), card.metric.key
    # The breakdown sheet holds the screen's breakdown.
    breakdown = [trimmed(r) for r in below.iter_rows(values_only=True)]
    shown = context["rows"]
    body = breakdown[len(breakdown) - len(shown) :] if shown else []
    for row, (child, values) in zip(body, shown, strict=True):
        assert row[0] == child.name
        assert row[1:] == [cell(values[m.key]) for m in context["breakdown_metrics"]]
    # The definitions sheet lists every registered metric.
    defined = [trimmed(r) for r in definitions.iter_rows(values_only=True)][1:]
    assert defined == [
        [str(m.label), str(m.definition), *([str(m.basis)] if m.basis else [])] for m in metrics()
    ]


def test_the_export_header_and_figures_line_up(district, records, staff):
    book = load_workbook(
        BytesIO(staff.get(f"/dashboard/{district.district.code}/export/?period=last_year").content)
    )
    rows = [trimmed(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    labels = {row[0]: row for row in rows if row}
    received = labels["受理矛盾纠纷"]
    assert received[1:5] == [8, "件", 4, 4]
    assert labels["矛盾化解率"][1] == 75.0
    assert labels["公益法律服务人次"][1] == 42


def briefing_paragraphs(html: str) -> list[str]:
    """The paragraphs of figures, a group of work each."""
    return re.findall(r'<p class="briefing">(.*?)</p>', html, re.S)


def briefing_numbers(html: str) -> list[str]:
    paragraphs = briefing_paragraphs(html)
    assert paragraphs, "no briefing paragraph"
    return [n for p in paragraphs for n in re.findall(r"<a href=\"[^\"]+\">([^<]*)</a>", p)]


def expected_clauses(context) -> list[tuple[str, str]]:
    """The cards with a phrase and something to say, group by group as the briefing tells them."""
    group_order = {key: n for n, key in enumerate(Group.values)}
    told = [
        card
        for card in context["cards"]
        if card.metric.phrase
        and card.value is not None
        and (card.value != 0 or card.metric.kind == "yoy")
    ]
    told.sort(key=lambda card: group_order[card.metric.group])
    return [(card.metric.key, number(card.value)) for card in told]


def brief_and_screen_queries() -> list[tuple[str, str]]:
    """(the briefing's query, the dashboard's for the same period): with no period, the
    briefing tells the year's completed months."""
    current = completed_months(timezone.localdate()).current
    return [
        ("?period=last_year", "?period=last_year"),
        ("?period=quarter", "?period=quarter"),
        ("", f"?period=custom&start={current.start}&end={current.end}"),
    ]


@pytest.mark.parametrize(("query", "screen_query"), brief_and_screen_queries())
@pytest.mark.parametrize("which", ["district", "aishan", "wenyuan"])
def test_the_briefing_says_the_numbers_of_the_cards(
    district, records, staff, query, screen_query, which
):
    unit = getattr(district, which)
    context = screen(staff, unit, screen_query)
    expected = expected_clauses(context)
    response = staff.get(f"/dashboard/{unit.code}/briefing/{query}")
    assert response.status_code == 200
    assert response.context["period"].current == context["period"].current
    html = response.content.decode()
    if not expected:
        assert 'class="briefing"' not in html
        return
    assert briefing_numbers(html) == [n for _key, n in expected]
    links = re.findall(
        r'<a href="/dashboard/[^/]+/records/([^/]+)/[^"]*">', html.split('class="briefing"', 1)[1]
    )
    assert links[: len(expected)] == [key for key, _n in expected]


def test_the_briefing_of_last_year_in_words(district, records, staff):
    html = staff.get(f"/dashboard/{district.district.code}/briefing/?period=last_year").content
    html = html.decode()
    last_year = timezone.localdate().year - 1
    assert f"<h2>钢城区{last_year}年基层治理工作简报</h2>" in html
    assert f"现将钢城区{last_year}年基层治理主要工作情况简报如下。" in html
    assert re.findall(r"<h3>([^<]*)</h3>", html) == ["一、矛盾纠纷化解", "二、网格治理"]
    disputes, grid = (re.sub(r"<[^>]+>", "", p) for p in briefing_paragraphs(html))
    assert disputes.startswith("受理矛盾纠纷8件，化解5件，矛盾化解率75%"), disputes
    assert "信访案件同比下降25%" in disputes and disputes.endswith("。")
    assert grid == "处置安全隐患1处。"
    assert briefing_numbers(html) == ["8", "5", "75", "40", "25", "1", "42", "1"]


@pytest.mark.parametrize(("query", "screen_query"), brief_and_screen_queries())
@pytest.mark.parametrize("which", ["district", "wenyuan"])
def test_the_briefing_docx_says_what_the_page_says(
    district, records, staff, query, screen_query, which
):
    unit = getattr(district, which)
    joiner = "&" if query else "?"
    response = staff.get(f"/dashboard/{unit.code}/briefing/{query}{joiner}format=docx")
    assert response.status_code == 200
    assert "wordprocessingml" in response["Content-Type"]
    assert response["Content-Disposition"].endswith(".docx")
    document = Document(BytesIO(response.content))
    page = staff.get(f"/dashboard/{unit.code}/briefing/{query}").content.decode()
    title = re.search(r"<h2>([^<]*)</h2>", page).group(1)
    assert unit.name in title and title in [p.text for p in document.paragraphs]
    # Each group's heading, then its paragraph, word for word as on the page.
    told = [re.sub(r"<[^>]+>", "", p) for p in briefing_paragraphs(page)]
    headings = re.findall(r"<h3>([^<]*)</h3>", page)
    paragraphs = [p.text for p in document.paragraphs]
    in_document = [
        (text, paragraphs[n + 1])
        for n, (p, text) in enumerate(zip(document.paragraphs, paragraphs, strict=True))
        if p.style.name == "Heading 1"
    ]
    assert in_document == list(zip(headings, told, strict=True))
    if told:
        expected = [n for _key, n in expected_clauses(screen(staff, unit, screen_query))]
        assert briefing_numbers(page) == expected


def test_an_empty_period_has_an_empty_briefing(district, people, staff):
    response = staff.get(f"/dashboard/{district.yanzhuang.code}/briefing/?period=month")
    assert response.status_code == 200
    assert 'class="briefing"' not in response.content.decode()
    docx = staff.get(f"/dashboard/{district.yanzhuang.code}/briefing/?period=month&format=docx")
    assert docx.status_code == 200
    Document(BytesIO(docx.content))


def test_a_briefing_with_a_bad_period_falls_back_to_the_completed_months(district, records, staff):
    response = staff.get(
        f"/dashboard/{district.district.code}/briefing/?period=custom&start=2026-05-02&end=2026-05-01"
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert response.context["period"] == completed_months(timezone.localdate())


def test_the_projector_shows_the_headline_figures_then_each_group(district, records, staff):
    base = f"/dashboard/{district.district.code}/projector/"
    board = {c.metric.key: c for c in screen(staff, district.district, "")["cards"]}
    first = staff.get(base)
    assert first.status_code == 200
    assert first.context["period"] == report_period("ytd", timezone.localdate())
    count = first.context["page_count"]
    in_group = Counter(m.group for m in metrics())  # a group longer than a page takes pages
    assert count == 1 + sum(-(-n // PROJECTOR_FIGURES_A_PAGE) for n in in_group.values())
    shown_keys = []
    for n in range(1, count + 1):
        response = staff.get(f"{base}?page={n}")
        html = response.content.decode()
        shown = response.context["cards"]
        if n == 1:  # the headline figures first
            assert [c.metric.key for c in shown] == [
                c.metric.key for c in headline_cards(board.values())
            ]
        else:
            assert len({c.metric.group for c in shown}) == 1
            shown_keys += [c.metric.key for c in shown]
        values = re.findall(r'<p class="projector-value">([^<]*)<span>', html)
        labels = re.findall(r'<p class="projector-label">([^<]*)</p>', html)
        assert labels == [str(c.metric.label) for c in shown]
        assert values == [figure_text(c.value) for c in shown]
        for card in shown:
            assert card.value == board[card.metric.key].value
        # 下一页 turns to the next page, the last back to the first, without JavaScript.
        following = re.search(r'<a href="([^"]+)" rel="next"', html).group(1)
        assert following == f"{base}?page={n % count + 1}"
        assert 'data-turn-seconds="' in html
        assert str(timezone.localdate().year) in html and "钢城区" in html
    assert sorted(shown_keys) == sorted(m.key for m in metrics())
    held = staff.get(f"{base}?page=2&hold=1").content.decode()
    assert "data-turn-seconds" not in held and "projector.js" not in held
    assert f'href="{base}?page=3&amp;hold=1" rel="next"' in held
    assert staff.get(f"{base}?page=x").context["page_number"] == 1
    assert staff.get(f"{base}?page=99").context["page_number"] == count
