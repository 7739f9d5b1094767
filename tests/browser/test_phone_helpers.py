"""Two small helps on a phone, from static JS (progressive: both pages work without it): the
clerk adds fund lines without a round trip and the lines total themselves (the server still
checks them); the resident copies the tracking code with one tap."""

import pytest
from playwright.sync_api import expect

from disclosure.models import DisclosurePost
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_clerk_adds_fund_lines_and_they_total_themselves(site, new_context):
    page = new_context("phone").new_page()
    log_in(page, "liuqiaoyu_clerk")
    page.goto("/disclosure/posts/new/")
    page.get_by_label("类别").select_option("finance")
    page.get_by_label("标题").fill("2026年10月村集体财务收支公开")
    page.get_by_label("期间自").fill("2026-10-01")
    page.get_by_label("期间至").fill("2026-10-31")
    page.get_by_label("正文").fill("现将十月份村集体财务收支情况公开如下。")
    rows = page.locator("[data-fund-rows] .disclosure-row")
    extra = rows.count()
    lines = [("income", "果园承包费", "5200"), ("expense", "路灯电费", "1830.5")]
    lines += [("expense", f"保洁费第{n}次", "100.25") for n in range(1, extra + 1)]
    for n, (direction, item, amount) in enumerate(lines):
        if n >= extra:
            page.get_by_role("button", name="添加一行收支").tap()
            expect(page.locator(f"#id_lines-{n}-direction")).to_be_focused()
        page.locator(f"#id_lines-{n}-direction").select_option(direction)
        page.locator(f"#id_lines-{n}-item").fill(item)
        page.locator(f"#id_lines-{n}-amount").fill(amount)
    expense = f"{1830.5 + 100.25 * extra:.2f}"
    expect(page.locator("[data-fund-sum=income]")).to_have_text("5200.00")
    expect(page.locator("[data-fund-sum=expense]")).to_have_text(expense)
    expect(page.get_by_label("收入合计（元）")).to_have_value("5200.00")
    expect(page.get_by_label("支出合计（元）")).to_have_value(expense)

    page.get_by_label("收入合计（元）").fill("5000")  # typed by hand: kept, and flagged
    expect(page.get_by_text("与上方合计不符")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").tap()
    expect(page.locator(".field-error, .error-summary").first).to_be_visible()  # the server too

    page.get_by_label("收入合计（元）").fill("5200.00")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").tap()
    post = DisclosurePost.objects.get(title="2026年10月村集体财务收支公开")
    assert post.fund_lines.count() == len(lines) > extra


def test_the_resident_copies_the_tracking_code(site, new_context):
    context = new_context("phone", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/public/demands/new/")
    page.get_by_label("社区（村）").select_option(label="艾山街道 · 梅苑社区")
    page.get_by_label("您反映什么问题？").fill("小区东门路灯坏了两个月，晚上出行不便，请尽快修理。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交", exact=True).tap()
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code) == 12
    page.get_by_role("button", name="复制查询码").tap()
    expect(page.get_by_text("已复制")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == code

    page.goto(f"/public/demands/track/{code}/")  # following it later: the code, large, again
    expect(page.locator("#tracking-code")).to_have_text(code)
    expect(page.get_by_role("button", name="复制查询码")).to_be_visible()
