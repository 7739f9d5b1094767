"""The dashboard as district staff use it: figure cards, trend charts and the breakdown by
streets; drilling down in place (htmx) and back again; switching the period; the XLSX export
saying what the screen says; the phone layout, each card's definition and the drill-through to
the records behind a number; and the 工作简报 with its .docx. The console stays clean of CSP
violations and JavaScript errors throughout.

The cases are built in each test: some in 艾山街道's grids and communities, one in 汶源街道, some
resolved, and some received last year so that 同比 has something to compare with.
"""

import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from dashboards.briefing import completed_months, period_name
from disputes.services import case_move
from tests.browser.conftest import SCREENSHOTS, log_in, menu_entry
from tests.disputes.helpers import log_case

pytestmark = pytest.mark.browser

DISTRICT, AISHAN, MEIYUAN = "370117000000", "370117001000", "370117001001"
RECEIVED = "受理矛盾纠纷"
RECEIVED_DEFINITION = "统计期内受理的矛盾纠纷件数（按受理日期）。"


def today() -> date:
    return timezone.localdate()


def shoot(page: Page, test: str, state: str, viewport: str) -> Path:
    """Like the `screenshot` fixture, without parametrising the test over viewports."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{test}-{state}-{viewport}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass(frozen=True)
class Built:
    """How many cases this year, as the district, 艾山街道 and 梅苑社区 should count them."""

    district_ytd: int
    district_month: int
    aishan_ytd: int
    meiyuan_ytd: int
    resolved_ytd: int


def build_cases(site) -> Built:
    """Five cases this year (three in 梅苑社区, one in 永兴社区, one in 汶源街道's 洪沟社区),
    two of them resolved and two of them petitions; and two received a year ago, one a petition
    and one resolved."""
    units, people = site.units, site.people
    now = today()
    # One case earlier in the year than this month, when the calendar allows, so that 本月 and
    # 今年以来 count differently.
    early = date(now.year, 1, 2) if now.month > 1 else now
    # The same day a year ago (28 February for a 29th), inside 同比's period whatever the period.
    a_year_ago = date(now.year - 1, now.month, min(now.day, 28 if now.month == 2 else 31))

    grid_one = log_case(people.grid_worker, units.meiyuan_grid, received_on=now)
    log_case(people.grid_worker, units.meiyuan_grid, source="petition", received_on=now)
    log_case(people.meiyuan_worker, units.meiyuan_grid2, source="visit", received_on=early)
    log_case(people.aishan_official, units.yongxing, source="petition", received_on=now)
    wenyuan = log_case(people.wenyuan_official, units.honggou_grid, received_on=now)
    for case, by in ((grid_one, people.aishan_official), (wenyuan, people.wenyuan_official)):
        case_move(
            by=by,
            case=case,
            move="resolve",
            version=case.version,
            resolved_on=now,
            outcome="双方达成一致，当场化解。",
        )
    # Last year: a petition and a grid case, one of them resolved.
    log_case(people.aishan_official, units.meiyuan, source="petition", received_on=a_year_ago)
    old = log_case(people.grid_worker, units.meiyuan_grid, received_on=a_year_ago)
    case_move(
        by=people.aishan_official,
        case=old,
        move="resolve",
        version=old.version,
        resolved_on=a_year_ago,
        outcome="调解成功。",
    )
    this_month = 5 if early.month == now.month else 4
    return Built(
        district_ytd=5, district_month=this_month, aishan_ytd=4, meiyuan_ytd=3, resolved_ytd=2
    )


def listen(page: Page) -> list[str]:
    """Everything the console says, and every uncaught error, from now on."""
    heard: list[str] = []
    page.on("console", lambda message: heard.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: heard.append(f"pageerror: {error}"))
    return heard


def assert_console_clean(heard: list[str]) -> None:
    violations = [line for line in heard if "Content Security Policy" in line]
    assert not violations, "CSP violations in the console:\n" + "\n".join(violations)
    errors = [line for line in heard if line.startswith(("error:", "pageerror:"))]
    assert not errors, "errors in the console:\n" + "\n".join(errors)


def card(page: Page, label: str) -> Locator:
    title = page.locator("h3.figure-label", has_text=re.compile(rf"^\s*{label}\s*$"))
    return page.locator("article.figure-card", has=title)


def card_value(page: Page, label: str) -> Locator:
    return card(page, label).locator(".figure-value a")


def dashboard_url(code: str) -> re.Pattern:
    return re.compile(rf"/dashboard/{code}/(\?.*)?$")


def open_group(page: Page, title: str = "矛盾纠纷化解") -> Locator:
    """The board's folded section of a group, opened (if it is not) as a person opens it."""
    section = page.locator("details.board-group", has=page.locator("summary h2", has_text=title))
    if section.get_attribute("open") is None:
        section.locator(":scope > summary").click()
    expect(section).to_have_attribute("open", "")
    return section


def expect_charts_drawn(page: Page) -> None:
    """Every chart of the board's open sections (矛盾纠纷化解 opened if need be) holds the
    canvas ECharts drew when its section opened."""
    open_group(page)
    charts = page.locator("#board details.board-group[open] .chart")
    expect(charts.first).to_be_visible()
    count = charts.count()
    assert count > 0
    expect(page.locator("#board details.board-group[open] .chart canvas")).to_have_count(count)


def on_screen_cards(page: Page) -> dict[str, str]:
    """{label: value} as the cards show them."""
    return {
        label.strip(): value.strip()
        for label, value in page.eval_on_selector_all(
            "article.figure-card",
            """cards => cards.map(c => [c.querySelector('.figure-label').textContent,
                                         c.querySelector('.figure-value a').textContent])""",
        )
    }


def same_number(shown: str, cell) -> bool:
    shown = shown.replace(",", "")
    if shown == "—":
        return cell == "—"
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(shown) == float(cell)
    return str(cell) == shown


def drill_down(page: Page, name: str, code: str) -> None:
    """Click a unit in the breakdown: the board is swapped in place and the address pushed."""
    link = page.locator("table.breakdown").get_by_role("link", name=name, exact=True)
    with page.expect_response(re.compile(rf"/dashboard/{code}/")) as answer:
        link.click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(dashboard_url(code))
    expect(page.locator("#board h1")).to_have_text(name)
    expect(page.locator("#board")).to_have_count(1)
    expect_charts_drawn(page)


def back_to(page: Page, name: str, code: str) -> None:
    """Back: htmx keeps no history snapshots and reloads the page, so wait for that load."""
    page.evaluate("window.__beforeBack = true")
    page.go_back()
    expect(page).to_have_url(dashboard_url(code))
    page.wait_for_function("() => window.__beforeBack === undefined")
    page.wait_for_load_state("load")
    expect(page.locator("#board h1")).to_have_text(name)
    expect_charts_drawn(page)


def test_district_dashboard_drills_down_in_place_and_exports_what_it_shows(new_context, site):
    name = "test_district_dashboard_drills_down_in_place_and_exports_what_it_shows"
    built = build_cases(site)
    page = new_context("desktop").new_page()
    heard = listen(page)
    log_in(page, "district")

    # The menu's 统计看板 lands on one's own unit's dashboard.
    page.goto("/home/")
    with page.expect_navigation():
        menu_entry(page, "统计看板").click()
    expect(page).to_have_url(dashboard_url(DISTRICT))
    expect(page.locator("#board h1")).to_have_text("钢城区")
    expect(page.locator("article.figure-card").first).to_be_visible()
    expect(card_value(page, RECEIVED)).to_have_text(str(built.district_ytd))
    expect(card_value(page, "化解矛盾纠纷")).to_have_text(str(built.resolved_ytd))
    expect_charts_drawn(page)
    breakdown = page.locator("table.breakdown")
    for street in ("艾山街道", "汶源街道", "颜庄街道"):
        expect(breakdown.get_by_role("link", name=street, exact=True)).to_be_visible()
    # The 矛盾纠纷化解 section's own table of units below starts with 受理矛盾纠纷.
    disputes = page.locator('table.group-breakdown[data-group="disputes"]')
    aishan_row = disputes.locator("tbody tr", has=page.get_by_role("link", name="艾山街道"))
    expect(aishan_row.locator("td").first).to_have_text(str(built.aishan_ytd))
    shoot(page, name, "district", "desktop")

    # Drill down in place, twice: the document stays the same.
    page.evaluate("window.__sameDocument = 'kept'")
    drill_down(page, "艾山街道", AISHAN)
    expect(card_value(page, RECEIVED)).to_have_text(str(built.aishan_ytd))
    assert page.evaluate("window.__sameDocument") == "kept"
    drill_down(page, "梅苑社区", MEIYUAN)
    expect(card_value(page, RECEIVED)).to_have_text(str(built.meiyuan_ytd))
    assert page.evaluate("window.__sameDocument") == "kept"
    expect(page.locator("table.breakdown")).to_contain_text("梅苑社区第一网格")
    shoot(page, name, "meiyuan-drilled", "desktop")

    # Back, and back again.
    back_to(page, "艾山街道", AISHAN)
    expect(card_value(page, RECEIVED)).to_have_text(str(built.aishan_ytd))
    back_to(page, "钢城区", DISTRICT)
    expect(card_value(page, RECEIVED)).to_have_text(str(built.district_ytd))

    # 本月: the board is updated in place, and the address says so.
    page.evaluate("window.__sameDocument = 'kept'")
    period = page.get_by_label("统计期")
    with page.expect_response(re.compile(r"/dashboard/370117000000/\?.*period=month")) as answer:
        period.select_option("month")
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/dashboard/370117000000/\?.*\bperiod=month\b"))
    first_of_month = today().replace(day=1)
    expect(page.locator("#board .page-head .meta")).to_have_text(
        f"{first_of_month:%Y-%m-%d} — {today():%Y-%m-%d}"
    )
    expect(card_value(page, RECEIVED)).to_have_text(str(built.district_month))
    expect(page.get_by_label("统计期")).to_have_value("month")
    expect_charts_drawn(page)
    assert page.evaluate("window.__sameDocument") == "kept"
    shoot(page, name, "district-month", "desktop")

    # The export holds what the screen shows, and the definitions.
    shown = on_screen_cards(page)
    assert shown[RECEIVED] == str(built.district_month)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert "指标口径" in workbook.sheetnames, workbook.sheetnames
    # The figures: the rows under the sheet's 指标 | 数值 header.
    exported: dict[str, object] = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = next((n for n, row in enumerate(rows) if row[:2] == ("指标", "数值")), None)
        if header is not None:
            exported = {row[0]: row[1] for row in rows[header + 1 :] if row and row[0]}
            break
    assert exported, f"no sheet of figures in {workbook.sheetnames}"
    assert exported.get(RECEIVED) == built.district_month, exported
    missing = sorted(set(shown) - set(exported))
    assert not missing, f"cards on screen but not in the export: {missing}"
    different = {
        label: (value, exported[label])
        for label, value in shown.items()
        if not same_number(value, exported[label])
    }
    assert not different, f"screen and export disagree (screen, export): {different}"
    definitions = {
        row[0]: row[1]
        for row in workbook["指标口径"].iter_rows(values_only=True)
        if row and row[0] in shown
    }
    assert definitions.get(RECEIVED) == RECEIVED_DEFINITION, definitions
    assert set(definitions) == set(shown)

    assert_console_clean(heard)


def test_dashboard_fits_a_phone_and_drills_through_to_the_records(new_context, site):
    name = "test_dashboard_fits_a_phone_and_drills_through_to_the_records"
    built = build_cases(site)
    page = new_context("phone").new_page()
    heard = listen(page)
    log_in(page, "district")
    page.goto(f"/dashboard/{DISTRICT}/")
    expect(page.locator("#board h1")).to_have_text("钢城区")
    expect_charts_drawn(page)

    def fits() -> None:
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1] + 1, f"page wider than the phone on {page.url}: {width}"

    fits()
    shoot(page, name, "district", "phone")

    # The definition opens with a tap.
    received = card(page, RECEIVED)
    definition = received.locator("details.definition")
    expect(received.get_by_text(RECEIVED_DEFINITION)).to_be_hidden()
    definition.locator("summary", has_text="口径").tap()
    expect(definition).to_have_attribute("open", "")
    expect(received.get_by_text(RECEIVED_DEFINITION)).to_be_visible()
    fits()
    shoot(page, name, "definition-open", "phone")

    # The number is a way to the records behind it.
    number = card_value(page, RECEIVED)
    expect(number).to_have_text(str(built.district_ytd))
    with page.expect_navigation():
        number.tap()
    expect(page).to_have_url(re.compile(rf"/dashboard/{DISTRICT}/records/disputes\.received/"))
    expect(page.locator("main h1")).to_have_text(RECEIVED)
    expect(page.locator("section p.meta")).to_have_text(f"{built.district_ytd}条记录")
    expect(page.locator("section tbody tr")).to_have_count(built.district_ytd)
    fits()
    shoot(page, name, "records", "phone")

    assert_console_clean(heard)


def test_work_briefing_tells_the_figures_and_downloads_as_docx(new_context, site):
    name = "test_work_briefing_tells_the_figures_and_downloads_as_docx"
    built = build_cases(site)
    page = new_context("desktop").new_page()
    heard = listen(page)
    log_in(page, "district")
    page.goto(f"/dashboard/{DISTRICT}/")
    expect_charts_drawn(page)
    with page.expect_navigation():
        page.get_by_role("link", name="工作简报", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/dashboard/{DISTRICT}/briefing/"))
    expect(page.locator("main h1")).to_have_text("工作简报")
    # Opened from the dashboard of the year, it tells the year's completed months.
    current = completed_months(today()).current
    with translation.override("zh-hans"):
        months = period_name(current)
    expect(page.locator("main h2")).to_have_text(f"钢城区{months}基层治理工作简报")

    # The year to date, chosen on the page.
    page.get_by_label("统计期", exact=True).select_option("ytd")
    with page.expect_navigation():
        page.get_by_role("button", name="查看").click()
    expect(page.locator("main h2")).to_have_text(re.compile(r"^钢城区\d{4}年.*基层治理工作简报$"))
    expect(page.locator("main h3").first).to_have_text("一、矛盾纠纷化解")
    prose = page.locator("p.briefing").first
    expect(prose).to_have_text(re.compile(rf"^受理矛盾纠纷{built.district_ytd}件，"))
    expect(prose).to_contain_text(f"化解{built.resolved_ytd}件")
    text = prose.inner_text()
    assert text.endswith("。"), text
    # Every number is a link to the records behind it.
    links = prose.locator("a")
    assert links.count() >= 3, text
    for link in links.all():
        expect(link).to_have_text(re.compile(r"^\d+(\.\d+)?$"))
        expect(link).to_have_attribute("href", re.compile(rf"^/dashboard/{DISTRICT}/records/"))
    received = prose.get_by_role("link", name=str(built.district_ytd), exact=True).first
    expect(received).to_have_attribute(
        "href", re.compile(rf"/dashboard/{DISTRICT}/records/disputes\.received/")
    )
    shoot(page, name, "briefing", "desktop")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载Word文档").click()
    assert download.value.suggested_filename.endswith("基层治理工作简报.docx")
    document = Document(BytesIO(Path(download.value.path()).read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert "基层治理工作简报" in paragraphs and page.locator("main h2").inner_text() in paragraphs
    # The document says what the page says.
    told = paragraphs[paragraphs.index("一、矛盾纠纷化解") + 1]
    assert told == text.strip(), (told, text)

    # The linked number opens the records it counts.
    with page.expect_navigation():
        received.click()
    expect(page.locator("section p.meta")).to_have_text(f"{built.district_ytd}条记录")

    assert_console_clean(heard)


def test_drilled_board_says_where_it_is_like_a_fresh_load(new_context, site):
    """After drilling down in place, the page names the unit it shows everywhere a fresh load of
    the same address does: the breadcrumbs (with the way back up) and the window title."""
    build_cases(site)
    page = new_context("desktop").new_page()
    heard = listen(page)
    log_in(page, "district")
    page.goto(f"/dashboard/{DISTRICT}/")
    expect_charts_drawn(page)
    drill_down(page, "艾山街道", AISHAN)
    drilled = {
        "title": page.title(),
        "breadcrumbs": page.locator(".breadcrumbs li").all_inner_texts(),
        "current": page.locator(".breadcrumbs [aria-current=page]").inner_text(),
    }
    page.goto(page.url)
    expect(page.locator("#board h1")).to_have_text("艾山街道")
    fresh = {
        "title": page.title(),
        "breadcrumbs": page.locator(".breadcrumbs li").all_inner_texts(),
        "current": page.locator(".breadcrumbs [aria-current=page]").inner_text(),
    }
    assert fresh["current"] == "艾山街道"
    assert drilled == fresh
    assert_console_clean(heard)
