"""A dispute's life as people live it: a grid worker logs it on a phone, escalates it, a street
official mediates and resolves it, and the unit's figures count it at once; plus the intake's
refusal of a bad ID number, and the case list's htmx filter on a desktop.

The phone tests use new_context("phone") directly (not the `viewport` parameter), so they run on
the phone only; their screenshots go to test-results/screenshots/ under the same naming scheme
as the `screenshot` fixture.
"""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from disputes.models import CaseCategory, CaseParty, DisputeCase
from disputes.services import case_intake, case_move
from tests.browser.conftest import SCREENSHOTS, log_in, menu_entry

pytestmark = pytest.mark.browser

GRID = "梅苑社区第一网格"
MEIYUAN_CODE = "370117001001"

# Party 1, typed in once; the portal must only ever show it masked.
NAME, NAME_MASKED = "张三", "张*"
PHONE, PHONE_MASKED = "13812345678", "138****5678"
ID_NUMBER, ID_MASKED = "11010519491231002X", "110105********002X"
BAD_ID_NUMBER = "110105194912310021"  # the right check character is X

DESCRIPTION = "楼上住户装修噪音扰民，邻里双方多次争执。"


def shoot(page: Page, test: str, state: str, viewport: str) -> None:
    """Like the `screenshot` fixture, without parametrising the test over viewports."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{test}-{state}-{viewport}.png"), full_page=True)


def today() -> date:
    return timezone.localdate()


def open_cases_from_menu(page: Page) -> None:
    with page.expect_navigation():
        menu_entry(page, "矛盾纠纷").tap()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_role("heading", name="矛盾纠纷", exact=True)).to_be_visible()


def fill_intake(page: Page, id_number: str) -> None:
    """The intake form as a grid worker fills it in: unit, source, category, date, what
    happened, and the first party."""
    unit = page.get_by_label("所属单位（可选到网格）")
    # The options are indented with ideographic spaces to show depth; a person picks the grid
    # by its name.
    grid = unit.locator("option", has_text=GRID)
    expect(grid).to_have_count(1)
    expect(grid).to_have_text(re.compile(rf"^\u3000+{GRID}$"))
    unit.select_option(grid.get_attribute("value"))
    page.get_by_label("来源").select_option(label="网格排查")
    page.get_by_label("类别").select_option(label="邻里")
    page.get_by_label("受理日期").fill(today().isoformat())
    page.get_by_label("纠纷情况").fill(DESCRIPTION)

    party = page.locator(".party").first
    expect(party.get_by_role("heading", name="当事人1")).to_be_visible()
    party.get_by_label("姓名").fill(NAME)
    party.get_by_label("电话").fill(PHONE)
    party.get_by_label("身份证号码").fill(id_number)


def submit_intake(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="登记", exact=True).tap()
    page.wait_for_load_state()


def move(page: Page, label: str) -> Locator:
    """One of the "下一步" card's moves: a <details> whose summary names it."""
    card = page.locator("section", has=page.get_by_role("heading", name="下一步", exact=True))
    return card.locator("details.move", has=page.locator("summary", has_text=label))


def make_move(page: Page, label: str, **fields: str) -> None:
    """Open the move, fill its fields (found by their labels' text), and submit it."""
    details = move(page, label)
    details.locator("summary").tap()
    expect(details).to_have_attribute("open", "")
    for field_label, value in fields.items():
        # The box under the label, as a person sees it. (By accessible name it is not found:
        # see test_next_step_labels_name_their_own_fields.)
        field = details.locator(".field", has=page.locator("label", has_text=field_label))
        field.locator("input, textarea, select").fill(value)
    with page.expect_navigation():
        details.get_by_role("button", name=label, exact=True).tap()
    page.wait_for_load_state()


def workflow(page: Page) -> Locator:
    card = page.locator("section", has=page.get_by_role("heading", name="办理流程", exact=True))
    return card.locator("ol.timeline > li")


def assert_never_raw(page: Page) -> None:
    html = page.content()
    for raw in (NAME, PHONE, ID_NUMBER):
        assert raw not in html, f"{raw!r} shown unmasked on {page.url}"


def figure(page: Page, label: str) -> Locator:
    heading = page.get_by_role("heading", name="今年以来统计", exact=True)
    figures = page.locator("aside", has=heading).locator("dl.figures")
    return figures.locator("div.figure", has=page.locator("dt", has_text=label))


def test_dispute_logged_on_a_phone_is_escalated_resolved_and_counted(new_context, site):
    CaseCategory.objects.create(name="邻里")
    name = "test_dispute_logged_on_a_phone_is_escalated_resolved_and_counted"
    number = f"370117001-{today().year}-00001"

    # 1. The grid worker logs the dispute from the menu, on a phone.
    worker = new_context("phone").new_page()
    log_in(worker, "meiyuan_grid")
    open_cases_from_menu(worker)
    with worker.expect_navigation():
        worker.get_by_role("link", name="登记矛盾纠纷", exact=True).tap()
    expect(worker).to_have_url(re.compile(r"/cases/new/$"))
    expect(worker.get_by_role("heading", name="登记矛盾纠纷", exact=True)).to_be_visible()
    fill_intake(worker, ID_NUMBER)
    shoot(worker, name, "intake-filled", "phone")
    submit_intake(worker)

    expect(worker).to_have_url(re.compile(rf"/cases/{number}/$"))
    expect(worker.locator("main h1")).to_have_text(number)
    expect(worker.get_by_role("status")).to_contain_text(f"案件 {number} 已登记。")
    expect(worker.locator(".page-head .status")).to_have_text("受理")
    dispute = worker.locator(
        "section", has=worker.get_by_role("heading", name="纠纷情况", exact=True)
    )
    expect(dispute.get_by_text(DESCRIPTION)).to_be_visible()
    # The party, masked (the markup of the parties block may be a table or a list).
    for shown in ("申请人", NAME_MASKED, PHONE_MASKED, ID_MASKED):
        expect(dispute.get_by_text(shown, exact=True)).to_have_count(1)
        expect(dispute.get_by_text(shown, exact=True)).to_be_visible()
    assert_never_raw(worker)
    assert DisputeCase.objects.get().number == number
    stored = CaseParty.objects.get()
    assert (stored.name, stored.phone, stored.id_number) == (NAME, PHONE, ID_NUMBER)

    # 2a. The grid worker escalates it to the community; the case then leaves the grid's hands.
    make_move(worker, "上报上一级", 原因或说明="双方情绪激烈，网格调解未果，请社区协调。")
    expect(worker).to_have_url(re.compile(rf"/cases/{number}/$"))
    expect(worker.get_by_role("heading", name="下一步", exact=True)).to_have_count(0)
    expect(workflow(worker)).to_have_count(2)
    expect(workflow(worker).last).to_contain_text("上报 · 网格 → 社区（村）")
    expect(workflow(worker).last).to_contain_text("双方情绪激烈，网格调解未果，请社区协调。")

    # 2b. The street official finds it in the list, filtered to accepted cases.
    official = new_context("phone").new_page()
    log_in(official, "aishan")
    open_cases_from_menu(official)
    official.get_by_text("筛选", exact=True).first.click()  # the filters fold away on a phone
    with official.expect_response(re.compile(r"/cases/\?.*status=accepted")) as answer:
        official.get_by_label("状态").select_option(label="受理")
    assert answer.value.request.headers.get("hx-request") == "true"
    results = official.locator("#results")
    expect(results.locator(".meta")).to_have_text("1件")
    row = results.locator("tbody tr", has=official.get_by_role("link", name=number))
    expect(row).to_contain_text(NAME_MASKED)
    expect(row).to_contain_text("受理")
    shoot(official, name, "case-list-filtered", "phone")
    assert_never_raw(official)
    with official.expect_navigation():
        row.get_by_role("link", name=number, exact=True).tap()
    expect(official).to_have_url(re.compile(rf"/cases/{number}/$"))
    expect(official.locator("main h1")).to_have_text(number)

    make_move(official, "开始调解")
    expect(official.locator(".page-head .status")).to_have_text("调解中")

    sessions = official.locator("#sessions")
    record = sessions.locator("details", has=official.locator("summary", has_text="登记调解"))
    record.locator("summary").tap()
    record.get_by_label("调解日期").fill(today().isoformat())
    record.get_by_label("调解员").fill("李调解、王网格")
    record.get_by_label("调解记录").fill("约定装修时间为工作日9时至18时，双方认可。")
    with official.expect_navigation():
        record.get_by_role("button", name="保存调解记录", exact=True).tap()
    expect(official).to_have_url(re.compile(rf"/cases/{number}/#sessions$"))
    expect(sessions.locator("article.entry")).to_have_count(1)
    expect(sessions.locator("article.entry")).to_contain_text("李调解、王网格")

    make_move(
        official,
        "已化解",
        办结日期=today().isoformat(),
        化解情况="双方签字确认，装修时间按约定执行。",
    )
    expect(official.locator(".page-head .status")).to_have_text("已化解")
    facts = official.locator("dl.facts").first
    expect(facts).to_contain_text(today().isoformat())
    expect(facts).to_contain_text("双方签字确认，装修时间按约定执行。")
    entries = workflow(official)
    expect(entries).to_have_count(4)
    for entry, kind in zip(
        entries.all(), ["· 受理", "· 上报", "· 开始调解", "· 已化解"], strict=True
    ):
        expect(entry.locator("p.when")).to_contain_text(kind)
    assert_never_raw(official)
    shoot(official, name, "case-resolved", "phone")

    # 3. The community's figures count it at once, each with its definition.
    official.goto(f"/units/{MEIYUAN_CODE}/")
    expect(official.locator("main h1")).to_have_text("梅苑社区")
    expect(official.get_by_role("heading", name="今年以来统计", exact=True)).to_be_visible()
    received = figure(official, "受理矛盾纠纷")
    resolved = figure(official, "化解矛盾纠纷")
    expect(received.locator("dd.figure-number")).to_have_text("1")
    expect(resolved.locator("dd.figure-number")).to_have_text("1")
    # The figures are folded by group; the definition opens with a tap (a title would not on a phone).
    label = official.locator("dt", has_text="受理矛盾纠纷")
    official.locator("details.figure-group", has=label).locator(":scope > summary").click()
    received.get_by_text("口径").click()
    expect(received.get_by_text("统计期内受理的矛盾纠纷件数（按受理日期）。")).to_be_visible()
    shoot(official, name, "unit-figures", "phone")


def test_intake_refuses_an_id_number_with_a_wrong_check_digit_on_a_phone(new_context, site):
    CaseCategory.objects.create(name="邻里")
    page = new_context("phone").new_page()
    log_in(page, "meiyuan_grid")
    page.goto("/cases/new/")
    fill_intake(page, BAD_ID_NUMBER)
    submit_intake(page)

    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    first_party = page.locator(".party").first
    id_input = first_party.get_by_label("身份证号码")
    field = first_party.locator(".field", has=page.get_by_label("身份证号码"))
    expect(field).to_have_class(re.compile(r"\bhas-error\b"))
    expect(field.locator(".field-error")).to_contain_text("身份证号码校验位不正确")
    expect(id_input).to_have_value(BAD_ID_NUMBER)
    # A screen reader hears that the field is wrong, and why.
    expect(id_input).to_have_attribute("aria-invalid", "true")
    expect(id_input).to_have_accessible_description(re.compile("身份证号码校验位不正确"))
    # The rest of what was typed is kept, so only the ID number needs fixing.
    expect(first_party.get_by_label("姓名")).to_have_value(NAME)
    expect(page.get_by_label("纠纷情况")).to_have_value(DESCRIPTION)
    # Only that field is in error.
    expect(page.locator(".field-error")).to_have_count(1)
    shoot(
        page,
        "test_intake_refuses_an_id_number_with_a_wrong_check_digit_on_a_phone",
        "error",
        "phone",
    )
    assert DisputeCase.objects.count() == 0
    assert CaseParty.objects.count() == 0


def test_case_list_filter_updates_in_place_and_keeps_history(new_context, site):
    category = CaseCategory.objects.create(name="邻里")
    units, people = site.units, site.people

    def logged(description: str) -> DisputeCase:
        return case_intake(
            by=people.grid_worker,
            unit=units.meiyuan_grid,
            source="grid",
            category=category,
            received_on=today(),
            description=description,
            parties=[{"side": "applicant", "name": NAME}],
        )

    open_case = logged("仍在受理的纠纷")
    closed = logged("已经化解的纠纷")
    case_move(
        by=people.aishan_official,
        case=closed,
        move="resolve",
        version=closed.version,
        resolved_on=today(),
        outcome="当场化解",
    )

    page = new_context("desktop").new_page()
    log_in(page, "aishan")
    page.goto("/cases/")
    list_url = page.url
    results = page.locator("#results")
    expect(results.locator(".meta")).to_have_text("2件")
    # A full navigation would lose this; an htmx swap keeps it.
    page.evaluate("window.__sameDocument = 'kept'")

    page.locator("details.filter-box > summary").click()
    with page.expect_response(re.compile(r"/cases/\?.*status=resolved")) as answer:
        page.get_by_label("状态").select_option(label="已化解")
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(results.locator(".meta")).to_have_text("1件")
    shoot(page, "test_case_list_filter_updates_in_place_and_keeps_history", "filtered", "desktop")
    expect(results.get_by_role("link", name=closed.number, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=open_case.number, exact=True)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/cases/\?.*\bstatus=resolved\b"))
    assert page.evaluate("window.__sameDocument") == "kept"
    # The page around the results was left alone.
    expect(page.get_by_role("heading", name="矛盾纠纷", exact=True)).to_have_count(1)
    # The results were replaced, not nested inside the old ones.
    expect(page.locator("#results")).to_have_count(1)
    expect(page.locator("#results .meta")).to_have_count(1)

    page.go_back()
    expect(page).to_have_url(list_url)
    expect(results.locator(".meta")).to_have_text("2件")
    expect(results.get_by_role("link", name=open_case.number, exact=True)).to_be_visible()
    expect(page.get_by_label("状态")).to_have_value("")

    # The pushed address is a real one: opened afresh, it shows the filtered list.
    page.go_forward()
    expect(page).to_have_url(re.compile(r"status=resolved"))
    # htmx keeps no history snapshots (see base.html) and reloads on Back/Forward itself.
    page.wait_for_load_state("networkidle")
    page.goto(page.url)
    expect(page.get_by_role("heading", name="矛盾纠纷", exact=True)).to_be_visible()
    expect(page.get_by_label("状态")).to_have_value("resolved")
    expect(results.locator(".meta")).to_have_text("1件")


def test_next_step_labels_name_their_own_fields(new_context, site):
    """Each move of the "下一步" card is its own form: tapping a label there focuses that
    form's field, and assistive technology finds the field by its label."""
    category = CaseCategory.objects.create(name="邻里")
    case = case_intake(
        by=site.people.grid_worker,
        unit=site.units.meiyuan_grid,
        source="grid",
        category=category,
        received_on=today(),
        description=DESCRIPTION,
        parties=[{"side": "applicant", "name": NAME}],
    )
    page = new_context("phone").new_page()
    log_in(page, "meiyuan_grid")
    page.goto(case.get_absolute_url())

    fields = {
        "开始调解": {"原因或说明": "textarea[name=reason]"},
        "已化解": {
            "办结日期": "input[name=resolved_on]",
            "化解情况": "textarea[name=outcome]",
            "原因或说明": "textarea[name=reason]",
        },
        "未化解：移交": {
            "办结日期": "input[name=resolved_on]",
            "化解情况": "textarea[name=outcome]",
            "移交去向": "select[name=referral]",
            "原因或说明": "textarea[name=reason]",
        },
        "上报上一级": {"原因或说明": "textarea[name=reason]"},
    }
    wrong = []
    for label, controls in fields.items():
        details = move(page, label)
        details.locator("summary").tap()
        expect(details).to_have_attribute("open", "")
        for field_label, selector in controls.items():
            details.locator("label", has_text=field_label).tap()
            own = details.locator(selector)
            if not own.evaluate("element => element === document.activeElement"):
                wrong.append(f"{label} → {field_label}: tapping the label focuses another field")
            if details.get_by_label(field_label).count() != 1:
                wrong.append(f"{label} → {field_label}: no field of its own by that label")
    duplicates = page.evaluate(
        """() => [...document.querySelectorAll('[id]')].map(e => e.id)
                 .filter((id, i, all) => all.indexOf(id) !== i)"""
    )
    if duplicates:
        wrong.append(f"ids used more than once on the page: {sorted(set(duplicates))}")
    assert not wrong, "\n".join(wrong)
