"""The grouped menu on a phone, and the projector on a hall's 1920×1080 screen, in a real
Chromium: the 菜单 button opens and closes a vertical menu (no JavaScript needed for either, and
the page never scrolls sideways); on a desktop a group's panel opens from the keyboard and
Escape closes it; every page of the projector keeps every figure inside the screen."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.metrics import metrics
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

DISTRICT = "370117000000"


def hall_screen(new_context) -> Page:
    page = new_context("desktop").new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    return page


def sideways(page: Page) -> list[int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_phone_menu_opens_and_closes_without_sideways_scrolling(new_context, site, javascript):
    page = new_context("phone", java_script_enabled=javascript).new_page()
    log_in(page, "district")
    page.goto("/units/")
    button = page.locator("nav.menu details.menu-drawer > summary")
    entry = page.locator("nav.menu").get_by_role("link", name="单位树", exact=True)
    # Closed: one 菜单 button, no row of groups, no strip to scroll.
    expect(button).to_be_visible()
    expect(button).to_contain_text("菜单")
    expect(page.locator("nav.menu .menu-bar")).to_be_hidden()
    expect(entry).to_be_hidden()
    width, viewport = sideways(page)
    assert width <= viewport, (width, viewport)
    # Open: the groups as sections, one above another, the current page marked.
    button.tap()
    expect(entry).to_be_visible()
    expect(entry).to_have_attribute("aria-current", "page")
    titles = page.locator("nav.menu .menu-section-title")
    assert 1 <= titles.count() <= 7
    tops = [box["y"] for box in (t.bounding_box() for t in titles.all())]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), "sections not stacked"
    width, viewport = sideways(page)
    assert width <= viewport, (width, viewport)
    # Closed again.
    button.tap()
    expect(entry).to_be_hidden()
    # And an entry leads to its page.
    button.tap()
    with page.expect_navigation():
        page.locator("nav.menu").get_by_role("link", name="矛盾纠纷", exact=True).tap()
    expect(page).to_have_url(re.compile(r"/cases/$"))


def test_a_desktop_group_opens_from_the_keyboard_and_escape_closes_it(new_context, site):
    page = new_context("desktop").new_page()
    log_in(page, "district")
    page.goto("/units/")
    expect(page.locator("nav.menu details.menu-drawer")).to_be_hidden()
    groups = page.locator("nav.menu .menu-bar > li.menu-group")
    assert 1 <= groups.count() <= 7
    tops = {round(box["y"]) for box in (g.bounding_box() for g in groups.all())}
    assert len(tops) == 1, "the groups do not fit one row"
    disputes = page.locator("nav.menu details.menu-dropdown", has_text="矛盾纠纷化解")
    entry = disputes.get_by_role("link", name="矛盾纠纷", exact=True)
    expect(entry).to_be_hidden()
    disputes.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(entry).to_be_visible()
    page.keyboard.press("Tab")
    expect(entry).to_be_focused()
    page.keyboard.press("Escape")
    expect(entry).to_be_hidden()
    expect(disputes.locator("summary")).to_be_focused()
    # Opening another group closes the first.
    disputes.locator("summary").click()
    grid = page.locator("nav.menu details.menu-dropdown", has_text="网格治理")
    grid.locator("summary").click()
    expect(grid).to_have_attribute("open", "")
    expect(disputes).not_to_have_attribute("open", "")


def test_no_projector_page_cuts_a_figure_off_at_1920_by_1080(new_context, site):
    page = hall_screen(new_context)
    log_in(page, "district")
    page.goto(f"/dashboard/{DISTRICT}/projector/?hold=1")
    seen = 0
    for _page in range(20):
        figures = page.locator(".projector-figure")
        expect(figures.first).to_be_visible()
        outside = page.evaluate(
            """() => Array.from(document.querySelectorAll('.projector-figure, .projector-foot'))
                .filter(f => { const r = f.getBoundingClientRect();
                  return r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5
                    || r.right > innerWidth + 0.5; })
                .map(f => f.textContent.trim().slice(0, 40))"""
        )
        assert not outside, f"cut off on {page.url}: {outside}"
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        seen += figures.count()
        with page.expect_navigation():
            page.get_by_role("link", name="下一页").click()
        if re.search(r"[?&]page=1(&|$)", page.url):
            break
    else:
        pytest.fail("下一页 never came back to the first page")
    # The headline figures, then every metric on its group's page.
    assert seen == sum(m.headline for m in metrics()) + len(metrics())


def test_the_projector_turns_its_page_by_itself(new_context, site, monkeypatch):
    monkeypatch.setattr("dashboards.views.dashboards.PROJECTOR_SECONDS", 1)
    page = hall_screen(new_context)
    log_in(page, "district")
    page.goto(f"/dashboard/{DISTRICT}/projector/")
    expect(page).to_have_url(re.compile(r"projector/\?page=2$"), timeout=5000)
