"""Volunteer service on a phone: a team leader logs an activity and records hours, the
community verifies them, the volunteer's points grow, and the points-supermarket staff redeem
goods at the counter. Personal data are shown masked all along."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, log_in, menu_entry
from tests.volunteers.conftest import build_world
from volunteers.models import Activity, HoursStatus, PointEntry, ServiceHours

pytestmark = pytest.mark.browser

NAME = "volunteer_flow"


def shoot(page: Page, state: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{NAME}-{state}-phone.png"), full_page=True)


def assert_never_raw(page: Page, world) -> None:
    html = page.content()
    for volunteer in world.members:
        assert volunteer.id_number not in html, f"ID number unmasked on {page.url}"
        assert volunteer.phone not in html, f"phone unmasked on {page.url}"


def open_from_menu(page: Page, label: str) -> None:
    with page.expect_navigation():
        menu_entry(page, label).tap()


def test_leader_records_unit_verifies_points_grow_and_staff_redeem(new_context, site):
    world = build_world(site.units, site.people)
    a, b = world.members[:2]
    yesterday = timezone.localdate() - timedelta(days=1)

    # 1. The team leader logs the activity on a phone, from the menu.
    leader = new_context("phone").new_page()
    log_in(leader, "hongou_volunteers")
    open_from_menu(leader, "志愿服务活动")
    with leader.expect_navigation():
        leader.get_by_role("link", name="登记志愿服务活动", exact=True).tap()
    leader.get_by_label("标题").fill("重阳节敬老院助老")
    leader.get_by_label("志愿服务队").select_option(label="马上志愿服务队")
    leader.get_by_label("主题").select_option(label="弘扬雷锋精神")
    leader.get_by_label("一老一小").check()
    leader.get_by_label("开始时间").fill(f"{yesterday}T09:00")
    leader.get_by_label("结束时间").fill(f"{yesterday}T12:00")
    leader.get_by_label("地点").fill("洪沟社区敬老院")
    leader.get_by_label("所需志愿者人数").fill("10")
    leader.get_by_label("服务人次").fill("35")
    shoot(leader, "activity-form")
    with leader.expect_navigation():
        leader.get_by_role("button", name="保存活动").tap()
    activity = Activity.objects.get()
    expect(leader).to_have_url(re.compile(rf"/volunteers/activities/{activity.pk}/$"))
    expect(leader.locator("main h1")).to_have_text("重阳节敬老院助老")
    expect(leader.get_by_role("status")).to_contain_text("活动已登记")

    # 2. Hours: one too many first (refused, nothing saved), then the real ones.
    hours = leader.locator("#hours")
    hours.get_by_label(re.compile("^张\\*")).fill("3.5")
    with leader.expect_navigation():
        hours.get_by_role("button", name="保存时长").tap()
    expect(leader.get_by_role("alert")).to_contain_text("超过了活动时长")
    assert not ServiceHours.objects.exists()
    hours = leader.locator("#hours")
    hours.get_by_label(re.compile("^张\\*")).fill("3")
    hours.get_by_label(re.compile("^李\\*")).fill("2.5")
    with leader.expect_navigation():
        hours.get_by_role("button", name="保存时长").tap()
    expect(leader.get_by_role("status")).to_contain_text("已保存2名志愿者的时长")
    expect(leader.locator("#hours .meta")).to_contain_text("待审核2条")
    # The leader records; verifying is not theirs.
    expect(leader.get_by_role("button", name="审核已记录的时长")).to_have_count(0)
    assert_never_raw(leader, world)
    shoot(leader, "hours-recorded")

    # 3. The community verifies them.
    community = new_context("phone").new_page()
    log_in(community, "hongou_worker")
    community.goto(activity.get_absolute_url())
    with community.expect_navigation():
        community.get_by_role("button", name="审核已记录的时长").tap()
    expect(community.get_by_role("status")).to_contain_text("已审核2条时长")
    expect(community.locator("#hours .meta")).to_contain_text("已审核2条")
    assert set(ServiceHours.objects.values_list("status", flat=True)) == {HoursStatus.VERIFIED}

    # 4. The volunteer's record: the hours and the points they earned (10 a verified hour).
    community.goto(a.get_absolute_url())
    expect(community.locator("main h1")).to_contain_text("张*")
    expect(community.locator(".points-balance").first).to_have_text("30")
    expect(community.locator("#services")).to_contain_text("重阳节敬老院助老")
    assert_never_raw(community, world)
    shoot(community, "volunteer-record")

    # 5. At 永兴社区's points supermarket the staff find 张三 by the ID card and redeem.
    counter = new_context("phone").new_page()
    log_in(counter, "yongxing_points")
    open_from_menu(counter, "积分超市")
    expect(counter.locator("main h1")).to_have_text("永兴社区积分超市")
    counter.get_by_label("志愿者身份证号码").fill(a.id_number)
    with counter.expect_navigation():
        counter.get_by_role("button", name="查找志愿者").tap()
    expect(counter.locator(".counter-volunteer .points-balance")).to_have_text("30")
    assert_never_raw(counter, world)
    counter.get_by_role("combobox", name=re.compile("^物品")).select_option(
        label="洗衣液 · 30分 · 余5件"
    )
    counter.get_by_label("数量").fill("1")
    shoot(counter, "counter")
    with counter.expect_navigation():
        counter.get_by_role("button", name="兑换", exact=True).tap()
    expect(counter.get_by_role("status")).to_contain_text("已兑换洗衣液 × 1，用去30分")
    expect(counter.locator(".counter-volunteer .points-balance")).to_have_text("0")
    expect(counter.locator("table.goods")).to_contain_text("4")
    # A second one is beyond the balance: said next to the field, nothing taken.
    counter.get_by_role("combobox", name=re.compile("^物品")).select_option(
        label="洗衣液 · 30分 · 余4件"
    )
    with counter.expect_navigation():
        counter.get_by_role("button", name="兑换", exact=True).tap()
    expect(counter.locator(".field-error")).to_contain_text("积分不足")
    assert [e.delta for e in PointEntry.objects.filter(volunteer=a).order_by("id")] == [30, -30]
    b.refresh_from_db()
    assert b.points_balance == 25
    assert_never_raw(counter, world)
    shoot(counter, "redeemed")

    # 6. The same staff restock the goods from the shelf's list: a ledger line, never a number
    # typed over the stock.
    with counter.expect_navigation():
        counter.locator("table.goods").get_by_role("link", name="洗衣液").tap()
    expect(counter.locator("main h1")).to_contain_text("洗衣液")
    counter.get_by_label(re.compile("^库存变动")).fill("6")
    counter.get_by_label("备注", exact=True).fill("新到货")
    with counter.expect_navigation():
        counter.get_by_role("button", name="登记库存变动").tap()
    expect(counter.get_by_role("status")).to_contain_text("现有库存10")
    expect(counter.locator("#stock table")).to_contain_text("新到货")
    shoot(counter, "restocked")
