"""The whole consultation chain on a phone: a resident sends a demand and keeps the code; the grid
worker sees it; it is raised at a 民情分析会 and a project proposed, agreed at a 阳光议事会,
followed at a 协商推进会, delivered; the resident's tracking page shows it delivered, the resident
rates it, and the community's figures count it."""

import re

import pytest
from playwright.sync_api import Page, expect

from consultation.models import Demand, LivelihoodProject, ProjectCategory
from tests.browser.conftest import SCREENSHOTS, log_in, menu_entry
from tests.browser.test_dispute_flow import figure, today

pytestmark = pytest.mark.browser

DESCRIPTION = "梅苑小区5号楼门口道路坑洼，雨天积水，老人出行不便。"
PHONE, PHONE_MASKED = "13912345678", "139****5678"
TITLE = "梅苑小区5号楼门前道路修缮"
MEIYUAN_CODE = "370117001001"
TEST = "test_consultation_chain_on_a_phone"


def shoot(page: Page, state: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{TEST}-{state}-phone.png"), full_page=True)


def field(page, label: str):
    """A form field by its label's exact text (a required one carries a trailing *)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def open_menu(page: Page, label: str) -> None:
    with page.expect_navigation():
        menu_entry(page, label).tap()


def record_meeting(page: Page, unit_pk: int, kind: str, *, demand=None, project=None) -> None:
    open_menu(page, "三会协商")
    with page.expect_navigation():
        page.get_by_role("link", name="登记会议", exact=True).tap()
    field(page, "单位").select_option(str(unit_pk))
    field(page, "会议类型").select_option(label=kind)
    field(page, "会议日期").fill(today().isoformat())
    field(page, "地点").fill("梅苑社区议事厅")
    field(page, "主持人").fill("梅苑社区书记")
    for label, count in [
        ("居民", 18),
        ("居民代表", 6),
        ("党员", 5),
        ("物业及驻区单位", 1),
        ("职能部门", 2),
    ]:
        field(page, label).fill(str(count))
    if demand:
        page.get_by_label(re.compile(re.escape(DESCRIPTION[:20]))).check()
    if project:
        page.get_by_label(re.compile(re.escape(TITLE))).check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存会议", exact=True).tap()
    expect(page.get_by_role("status")).to_contain_text("会议已登记。")
    expect(page.locator("main h1")).to_contain_text(kind)


def move_at_meeting(page: Page, stage: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=f"“{TITLE}”：本次会议{stage}").tap()
    expect(page.locator("ul.agenda")).to_contain_text(stage)


def test_consultation_chain_on_a_phone(new_context, site):
    ProjectCategory.objects.create(name="道路修缮")
    meiyuan = site.units.meiyuan

    # 1. A resident, without an account, sends a demand from the public home page.
    resident = new_context("phone").new_page()
    resident.goto("/")
    with resident.expect_navigation():
        resident.get_by_role("link", name="我要反映诉求").first.tap()
    resident.get_by_label("社区（村）").select_option(label="艾山街道 · 梅苑社区")
    resident.get_by_label("您反映什么问题？").fill(DESCRIPTION)
    resident.get_by_label("您的电话（可选）").fill(PHONE)
    expect(resident.get_by_label("此栏请留空")).not_to_be_in_viewport()
    shoot(resident, "demand-form")
    with resident.expect_navigation():
        resident.get_by_role("button", name="提交", exact=True).tap()
    code_box = resident.locator("#tracking-code")
    expect(code_box).to_be_visible()
    code = code_box.inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{12}", code)
    expect(resident.locator(".track-status")).to_have_text("已受理，正在办理")
    assert PHONE not in resident.content() and DESCRIPTION not in resident.content()
    shoot(resident, "code")
    demand = Demand.objects.get(tracking_code=code)
    assert demand.unit == meiyuan

    # 2. The grid worker of 梅苑社区 sees it among the demands, its phone masked.
    grid = new_context("phone").new_page()
    log_in(grid, "meiyuan_grid")
    open_menu(grid, "居民诉求")
    link = grid.get_by_role("link", name=re.compile(re.escape(DESCRIPTION[:20])))
    expect(link).to_be_visible()
    with grid.expect_navigation():
        link.tap()
    expect(grid.locator("dd.contact-phone")).to_have_text(PHONE_MASKED)
    assert PHONE not in grid.content()
    shoot(grid, "grid-worker-sees-demand")

    # 3. The community raises it at a 民情分析会 and proposes a project there.
    worker = new_context("phone").new_page()
    log_in(worker, "meiyuan")
    record_meeting(worker, meiyuan.pk, "民情分析会", demand=True)
    expect(worker.locator("ul.agenda")).to_contain_text(DESCRIPTION[:20])
    propose = worker.locator("section", has=worker.get_by_role("heading", name="提议民生实事"))
    propose.get_by_label("项目名称").fill(TITLE)
    propose.get_by_label("类别").select_option(label="道路修缮")
    expect(propose.get_by_label(re.compile(re.escape(DESCRIPTION[:20])))).to_be_checked()
    shoot(worker, "analysis-meeting")
    with worker.expect_navigation():
        propose.get_by_role("button", name="提议", exact=True).tap()
    expect(worker.locator("main h1")).to_have_text(TITLE)
    expect(worker.locator(".page-head .status")).to_have_text("已提议")

    # 4. A 阳光议事会 agrees it; 5. a 协商推进会 sets it under way.
    record_meeting(worker, meiyuan.pk, "阳光议事会", project=True)
    move_at_meeting(worker, "已议定")
    record_meeting(worker, meiyuan.pk, "协商推进会", project=True)
    move_at_meeting(worker, "推进中")
    shoot(worker, "promotion-meeting")

    # 6. It is delivered, from the project page.
    project = LivelihoodProject.objects.get()
    worker.goto(project.get_absolute_url())
    deliver = worker.locator(
        "details.move", has=worker.locator("summary", has_text="推进到“已落地”")
    )
    deliver.locator("summary").tap()
    deliver.get_by_label("日期").fill(today().isoformat())
    deliver.get_by_label("受益人数").fill("260")
    with worker.expect_navigation():
        deliver.get_by_role("button", name="推进到“已落地”").tap()
    expect(worker.locator(".page-head .status")).to_have_text("已落地")
    stages = worker.locator("ol.stages > li")
    expect(stages).to_have_count(4)
    for entry, text in zip(
        stages.all(),
        ["已提议 · 民情分析会", "已议定 · 阳光议事会", "推进中 · 协商推进会", "已落地"],
        strict=True,
    ):
        expect(entry).to_contain_text(text)
    shoot(worker, "delivered")

    # 7. The resident's tracking page shows it delivered; the resident rates it.
    resident.goto(f"/public/demands/track/{code}/")
    expect(resident.locator(".track-status")).to_have_text("已落地")
    expect(resident.get_by_text(TITLE, exact=True)).to_be_visible()
    resident.get_by_label("非常满意").check()
    with resident.expect_navigation():
        resident.get_by_role("button", name="提交评价").tap()
    expect(resident.get_by_text("感谢评价")).to_be_visible()
    shoot(resident, "tracking-delivered")

    # 8. The community's figures count it at once.
    worker.goto(f"/units/{MEIYUAN_CODE}/")
    expect(figure(worker, "民生实事落地").locator("dd.figure-number")).to_have_text("1")
    expect(figure(worker, "受理居民诉求").locator("dd.figure-number")).to_have_text("1")
    expect(figure(worker, "民生实事满意度").locator("dd.figure-number")).to_have_text("100.0%")
    shoot(worker, "unit-figures")
