"""Training as the district department runs it: a session added on a desktop, the invited
workers ticked at the door on a phone (htmx in place), and the district's figures counting the
new person-times at once; the same tick without JavaScript; a judge's blind score page.

Screenshots go to test-results/screenshots/ (test_training_flow-*.png)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, log_in, menu_entry
from tests.browser.test_accessibility import assert_accessible
from tests.workforce.helpers import add_worker
from workforce.models import Attendance, TrainingProgramme

pytestmark = pytest.mark.browser

PERSON_TIMES = "培训人次"
NAMES = ["王一", "李二", "张三"]


def shoot(page: Page, state: str, viewport: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"test_training_flow-{state}-{viewport}.png"), full_page=True
    )


def person_times(page: Page) -> str:
    page.goto("/dashboard/")
    title = page.locator("h3.figure-label", has_text=re.compile(rf"^\s*{PERSON_TIMES}\s*$"))
    card = page.locator("article.figure-card", has=title)
    # The card sits in the dashboard's folded 队伍建设 section: opened as a person opens it.
    page.locator("details.board-group", has=card).locator(":scope > summary").click()
    return card.locator(".figure-value a").inner_text()


@pytest.fixture
def roster(site):
    units, by = site.units, site.people.district_staff
    grids = [units.meiyuan_grid, units.meiyuan_grid2, units.meiyuan_grid]
    workers = [
        add_worker(by, units.meiyuan, name=name, grids=[grid])
        for name, grid in zip(NAMES, grids, strict=True)
    ]
    TrainingProgramme.objects.create(
        unit=units.district,
        name="网格员履职能力提升培训",
        organisers=["social_work", "political_legal"],
        created_by=by,
    )
    return workers


def test_district_staff_add_a_session_take_attendance_on_a_phone_and_see_person_times_rise(
    site, roster, new_context
):
    desktop = new_context("desktop").new_page()
    log_in(desktop, "district")
    assert person_times(desktop) == "0"

    # A session, added on the desktop, and the workers of 梅苑社区 invited to it.
    menu_entry(desktop, "培训").click()
    desktop.get_by_role("link", name="网格员履职能力提升培训").click()
    form = desktop.locator("form", has=desktop.get_by_role("button", name="添加", exact=True))
    form.get_by_label("标题").fill("网格员履职能力提升培训（第五期）")
    form.get_by_label("日期").fill(timezone.localdate().isoformat())
    form.get_by_label("地点").fill("区委党校报告厅")
    form.get_by_label("培训资料").fill("课件\n学员手册")
    with desktop.expect_navigation():
        form.get_by_role("button", name="添加", exact=True).click()
    expect(desktop.get_by_role("heading", name="网格员履职能力提升培训（第五期）")).to_be_visible()
    invite_unit = desktop.get_by_label("邀请单位")
    invite_unit.select_option(
        invite_unit.locator("option", has_text="梅苑社区").get_attribute("value")
    )
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="邀请", exact=True).click()
    expect(desktop.locator("#att-summary")).to_have_text("受邀3人，已到0人")
    attendance_url = desktop.get_by_role("link", name="现场签到").get_attribute("href")
    shoot(desktop, "session", "desktop")
    assert_accessible(desktop)

    # At the door, on a phone: tap who came; each row changes in place.
    phone = new_context("phone").new_page()
    problems: list[str] = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    log_in(phone, "district")
    phone.goto(attendance_url)
    assert_accessible(phone)
    expect(phone.locator("#att-count")).to_have_text("受邀3人，已到0人")
    url_before = phone.url
    for name in NAMES[:2]:
        phone.get_by_role("button", name=f"{name}签到").tap()
        expect(phone.get_by_role("button", name=f"{name}已到，点击撤销")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(phone.locator("#att-count")).to_have_text("受邀3人，已到2人")
    assert phone.url == url_before  # swapped in place, no page load
    shoot(phone, "attendance", "phone")
    # A mistaken tick is undone the same way.
    phone.get_by_role("button", name=f"{NAMES[1]}已到，点击撤销").tap()
    expect(phone.locator("#att-count")).to_have_text("受邀3人，已到1人")
    phone.get_by_role("button", name=f"{NAMES[1]}签到").tap()
    expect(phone.locator("#att-count")).to_have_text("受邀3人，已到2人")
    # The page, loaded afresh, says the same: it was saved.
    phone.reload()
    expect(phone.locator(".attendee.present")).to_have_count(2)
    assert Attendance.objects.filter(attended=True).count() == 2
    assert not problems, "errors in the console:\n" + "\n".join(problems)

    # The district's figures count them at once: 2 person-times.
    assert person_times(desktop) == "2"
    shoot(desktop, "dashboard", "desktop")


def test_attendance_works_without_javascript(site, roster, new_context):
    from tests.workforce.helpers import add_session
    from workforce.services import session_invite

    by = site.people.district_staff
    session = add_session(by, site.units.district)
    session_invite(by=by, session=session, workers=roster)
    phone = new_context("phone", java_script_enabled=False).new_page()
    log_in(phone, "district")
    phone.goto(f"/training/sessions/{session.pk}/attendance/")
    with phone.expect_navigation():
        phone.get_by_role("button", name=f"{NAMES[2]}签到").tap()
    expect(phone.locator("#att-count")).to_have_text("受邀3人，已到1人")
    expect(phone.locator(f"#att-{roster[2].pk}")).to_have_class(re.compile("present"))
    shoot(phone, "attendance-nojs", "phone")
