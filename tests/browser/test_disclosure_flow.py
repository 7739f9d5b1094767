"""Village-affairs disclosure as people live it: the clerk drafts a post with a fund table on a
desktop and submits it; the supervision committee approves it on a phone; a villager without an
account finds it on a phone from the public village index; and axe finds no serious or critical
violation on the public pages, phone and desktop."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from disclosure.models import Decision, DisclosurePost, Finding
from disclosure.services.decisions import step_record
from disclosure.services.surveys import survey_create
from tests.browser.conftest import SCREENSHOTS, log_in, menu_entry
from tests.browser.test_accessibility import assert_accessible
from tests.disclosure.helpers import published_post

pytestmark = pytest.mark.browser

TITLE = "2026年10月村集体财务收支公开"


def shoot(page: Page, state: str, viewport: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"test_disclosure_flow-{state}-{viewport}.png"), full_page=True
    )


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_clerk_drafts_committee_approves_reader_finds_it_on_a_phone(site, new_context):
    # The clerk, at a desk.
    desk = new_context("desktop").new_page()
    log_in(desk, "liuqiaoyu_clerk")
    menu_entry(desk, "村务公开").click()
    expect(desk.get_by_role("heading", name="村务公开", exact=True)).to_be_visible()
    desk.get_by_role("link", name="起草公开文稿").click()
    desk.get_by_label("类别").select_option("finance")
    desk.get_by_label("标题").fill(TITLE)
    desk.get_by_label("期间自").fill("2026-10-01")
    desk.get_by_label("期间至").fill("2026-10-31")
    desk.get_by_label("正文").fill("现将十月份村集体财务收支情况公开如下。")
    desk.get_by_label("收入合计（元）").fill("5200.00")
    desk.get_by_label("支出合计（元）").fill("1830.50")
    desk.locator("#id_lines-0-direction").select_option("income")
    desk.locator("#id_lines-0-item").fill("果园承包费")
    desk.locator("#id_lines-0-amount").fill("5200")
    desk.locator("#id_lines-1-direction").select_option("expense")
    desk.locator("#id_lines-1-item").fill("路灯电费")
    desk.locator("#id_lines-1-amount").fill("1830.5")
    desk.locator("#id_channels-0-channel").select_option("paper")
    desk.locator("#id_channels-0-published_on").fill("2026-11-05")
    desk.locator("#id_channels-0-reference").fill("《新柳桥》第58期")
    with desk.expect_navigation():
        desk.get_by_role("button", name="保存草稿").click()
    expect(desk.locator("main h1")).to_have_text(TITLE)
    expect(desk.locator(".fund-table tfoot")).to_contain_text("1830.50")
    shoot(desk, "draft", "desktop")
    with desk.expect_navigation():
        desk.get_by_role("button", name="提交村务监督委员会审核").click()
    expect(desk.locator(".status")).to_have_text("待审核")

    # The supervision committee, on a phone.
    phone = new_context("phone").new_page()
    log_in(phone, "liuqiaoyu_supervisor")
    phone.goto("/disclosure/")
    phone.get_by_role("link", name=TITLE).tap()
    phone.get_by_label("审核通过").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交审核意见").tap()
    expect(phone.locator(".status").first).to_have_text("已公开")
    shoot(phone, "approved", "phone")

    # A villager without an account, on a phone.
    reader = new_context("phone").new_page()
    reader.goto("/")
    reader.get_by_role("link", name="村务公开").first.tap()
    expect(reader.get_by_role("heading", name="村务公开", exact=True)).to_be_visible()
    reader.get_by_label("村（社区）名称").fill("柳桥")
    reader.get_by_role("button", name="搜索").tap()  # the list is replaced in place
    expect(reader.locator(".village-list li")).to_have_count(1)
    reader.get_by_role("link", name="柳桥峪村").tap()
    expect(reader.locator("main h1")).to_have_text("柳桥峪村")
    reader.get_by_role("link", name=TITLE).tap()
    expect(reader.locator("main h1")).to_have_text(TITLE)
    expect(reader.locator(".fund-table")).to_contain_text("果园承包费")
    expect(reader.get_by_text("村报《新柳桥》")).to_be_visible()
    width = reader.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the post scrolls sideways on a phone ({width}px)"
    shoot(reader, "reader", "phone")
    assert DisclosurePost.objects.get(title=TITLE).status == "published"


@pytest.fixture
def public_records(site):
    v, clerk, committee = site.units.liuqiaoyu, site.people.village_clerk, site.people.supervisor
    post = published_post(v, clerk, committee, body="低保户：张三，身份证号11010519491231002X。")
    decision = Decision.objects.create(
        unit=v, title="村内主干道硬化", summary="硬化主干道", created_by=clerk
    )
    for kind, expected, present in [("proposal", 5, 5), ("committees", 9, 8)]:
        step_record(
            decision=decision,
            by=clerk,
            data={
                "kind": kind,
                "held_on": date(2026, 3, 1),
                "expected": expected,
                "present": present,
                "votes_for": present,
                "votes_against": 0,
                "abstentions": 0,
                "representatives": False,
            },
        )
    Finding.objects.create(
        unit=v,
        title="路灯不亮",
        description="—",
        found_on=date(2026, 3, 1),
        assignee="王五",
        deadline=date(2026, 3, 20),
        response="已更换",
        responded_on=date(2026, 3, 5),
        signed_off_on=date(2026, 3, 6),
        reported_by=committee,
    )
    today = timezone.localdate()
    survey = survey_create(
        by=clerk,
        households=3,
        unit=v,
        title="满意度调查",
        question="您满意吗？",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=5),
    )
    return {"post": post, "survey": survey}


@pytest.mark.parametrize("which", ["index", "village", "post", "survey"])
def test_public_disclosure_pages_are_accessible(
    page: Page, viewport: str, public_records, which, screenshot
):
    url = {
        "index": "/public/villages/?q=柳桥",
        "village": "/public/villages/370117004201/",
        "post": public_records["post"].get_public_url(),
        "survey": f"/public/villages/370117004201/surveys/{public_records['survey'].pk}/",
    }[which]
    page.goto(url)
    expect(page.locator("main h1")).to_be_visible()
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", page.content())
    screenshot(page)
    assert_accessible(page)
