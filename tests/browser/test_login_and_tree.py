"""Logging in, landing on one's work with one's own unit a tap away, and walking the unit tree,
on a phone and a desktop."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Role:
    username: str
    code: str
    name: str
    # Toggles clicked on /units/, top down, to open 艾山街道 (the tree's roots are one's own units).
    path_to_aishan: tuple[str, ...]


ROLES = {
    "district": Role("district", "370117000000", "钢城区", ("370117000000", "370117001000")),
    "aishan": Role("aishan", "370117001000", "艾山街道", ("370117001000",)),
}
AISHAN = "370117001000"


def unit_url(code: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+/units/{code}/$")


def toggle(page: Page, code: str):
    return page.locator(f"a.toggle[data-toggle-branch='branch-{code}']")


def branch(page: Page, code: str):
    return page.locator(f"#branch-{code}")


def press(page: Page, viewport: str, target) -> None:
    """A finger taps on the phone; a mouse clicks on the desktop."""
    if viewport == "phone":
        target.tap()
    else:
        target.click()


def expand_in_place(page: Page, viewport: str, code: str) -> None:
    """Open one node with htmx and check that it happened without leaving the page."""
    url = page.url
    link = toggle(page, code)
    expect(link).to_have_text("+")
    with page.expect_response(re.compile(rf"/units/{code}/children/$")) as answer:
        press(page, viewport, link)
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(branch(page, code).locator("ul[role=group] > li").first).to_be_visible()
    expect(page.locator(f"li[role=treeitem]:has(> #branch-{code})")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(link).to_have_text("\u2212")
    assert page.url == url


@pytest.mark.parametrize("role", list(ROLES))
def test_login_lands_on_the_work_and_the_own_unit_is_a_tap_away(
    page: Page, viewport: str, role: str, site, screenshot
):
    who = ROLES[role]
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "login")

    log_in(page, who.username)

    expect(page.locator("main h1")).to_have_text("我的待办")
    screenshot(page, "work")
    press(page, viewport, page.get_by_role("link", name=re.compile("^本单位概况")))
    expect(page).to_have_url(unit_url(who.code))
    expect(page.locator("main h1")).to_have_text(who.name)
    expect(page).to_have_title(re.compile(rf"^{who.name} · "))
    expect(page.get_by_role("heading", name="下级单位", exact=True)).to_be_visible()
    expect(page.locator(".breadcrumbs [aria-current=page]")).to_have_text(who.name)
    expect(page.locator(".who")).to_have_text(who.username)
    screenshot(page, "unit")


def test_chinese_by_default_even_for_an_english_browser(new_context, viewport: str, site):
    """Only the language button switches languages, not the browser's Accept-Language."""
    page = new_context(viewport, locale="en-US").new_page()
    log_in(page, "aishan")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="我的待办", exact=True)).to_be_visible()


@pytest.mark.parametrize("role", list(ROLES))
def test_tree_expands_and_collapses_in_place(
    page: Page, viewport: str, role: str, site, screenshot
):
    who = ROLES[role]
    log_in(page, who.username)
    page.goto("/units/")
    expect(page.get_by_role("heading", name="单位树", exact=True)).to_be_visible()
    tree_url = page.url
    # A full navigation would lose this; an htmx swap keeps it.
    page.evaluate("window.__sameDocument = 'kept'")

    meiyuan = branch(page, AISHAN).get_by_role("link", name="梅苑社区", exact=True)
    expect(meiyuan).to_have_count(0)
    screenshot(page, "closed")

    for code in who.path_to_aishan:
        expand_in_place(page, viewport, code)

    expect(meiyuan).to_be_visible()
    expect(branch(page, AISHAN).get_by_role("link", name="永兴社区", exact=True)).to_be_visible()
    assert page.url == tree_url
    assert page.evaluate("window.__sameDocument") == "kept"
    screenshot(page, "expanded")

    # The second press closes the branch, without asking the server again.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    press(page, viewport, toggle(page, AISHAN))
    expect(meiyuan).to_have_count(0)
    expect(branch(page, AISHAN)).to_be_empty()
    expect(toggle(page, AISHAN)).to_have_text("+")
    expect(page.locator(f"li[role=treeitem]:has(> #branch-{AISHAN})")).to_have_attribute(
        "aria-expanded", "false"
    )
    assert not [url for url in requests if "/children/" in url]
    assert page.url == tree_url
    assert page.evaluate("window.__sameDocument") == "kept"
    screenshot(page, "collapsed")

    # And a third press opens it again.
    expand_in_place(page, viewport, AISHAN)
    expect(meiyuan).to_be_visible()
    assert page.evaluate("window.__sameDocument") == "kept"


@pytest.mark.parametrize("role", list(ROLES))
def test_tree_works_without_javascript(new_context, viewport: str, role: str, site, screenshot):
    who = ROLES[role]
    page = new_context(viewport, java_script_enabled=False).new_page()
    log_in(page, who.username)  # lands on their work, their unit's page one tap away
    expect(page.locator(f'a[href="/units/{who.code}/"]').first).to_be_visible()
    page.goto("/units/")

    for code in who.path_to_aishan:
        link = toggle(page, code)
        expect(link).to_have_attribute("href", f"/units/?open={code}")
        with page.expect_navigation():
            link.click()
        expect(page).to_have_url(re.compile(rf"/units/\?open={code}$"))
        expect(toggle(page, code)).to_have_text("\u2212")

    expect(branch(page, AISHAN).get_by_role("link", name="梅苑社区", exact=True)).to_be_visible()
    expect(branch(page, AISHAN).get_by_role("link", name="永兴社区", exact=True)).to_be_visible()
    screenshot(page, "no-js-open")


def test_street_official_sees_only_own_street(page: Page, viewport: str, site, screenshot):
    log_in(page, "aishan")
    page.goto("/units/")
    tree = page.locator("ul[role=tree]")
    expect(tree.get_by_role("link", name="艾山街道", exact=True)).to_be_visible()
    expand_in_place(page, viewport, AISHAN)
    expect(tree.get_by_role("link", name="梅苑社区", exact=True)).to_be_visible()
    for other in ("钢城区", "汶源街道", "颜庄街道", "洪沟社区", "柳桥峪村"):
        expect(tree.get_by_text(other)).to_have_count(0)
    screenshot(page, "aishan-tree")

    # Asking the no-JS path to open another street reveals nothing either.
    page.goto("/units/?open=370117003000")
    expect(tree.get_by_role("link", name="艾山街道", exact=True)).to_be_visible()
    expect(page.get_by_text("汶源街道")).to_have_count(0)
    expect(page.get_by_text("洪沟社区")).to_have_count(0)


def test_district_staff_sees_every_street(page: Page, viewport: str, site):
    """The counterpart of the test above, so that its absences mean something."""
    log_in(page, "district")
    page.goto("/units/")
    expand_in_place(page, viewport, "370117000000")
    tree = page.locator("ul[role=tree]")
    for street in ("艾山街道", "汶源街道", "颜庄街道"):
        expect(tree.get_by_role("link", name=street, exact=True)).to_be_visible()


def test_language_switch_to_english(page: Page, viewport: str, site, screenshot):
    log_in(page, "aishan")
    page.goto(f"/units/{AISHAN}/")
    unit_page = page.url
    expect(page.get_by_role("heading", name="下级单位", exact=True)).to_be_visible()

    with page.expect_navigation():
        press(page, viewport, page.get_by_role("button", name="English", exact=True))
    expect(page).to_have_url(unit_page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Units below", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="下级单位", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Large type", exact=True)).to_be_visible()
    screenshot(page, "english")

    # The choice sticks on other pages...
    page.goto("/units/")
    expect(page.get_by_role("heading", name="Unit tree", exact=True)).to_be_visible()
    # ...and the way back is there too.
    with page.expect_navigation():
        press(page, viewport, page.get_by_role("button", name="中文", exact=True))
    expect(page).to_have_url(re.compile(r"/units/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="单位树", exact=True)).to_be_visible()


def test_large_type_is_toggled_and_remembered(page: Page, viewport: str, site, screenshot):
    log_in(page, "aishan")
    unit_page = page.url
    html = page.locator("html")
    expect(html).not_to_have_class(re.compile(r"\blarge-font\b"))
    standard_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")

    big = page.get_by_role("button", name="大字模式", exact=True)
    expect(big).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        press(page, viewport, big)
    expect(page).to_have_url(unit_page)
    expect(html).to_have_class(re.compile(r"\blarge-font\b"))
    large_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(large_size.removesuffix("px")) > float(standard_size.removesuffix("px"))
    standard = page.get_by_role("button", name="标准字号", exact=True)
    expect(standard).to_have_attribute("aria-pressed", "true")
    screenshot(page, "large")

    page.reload()
    expect(html).to_have_class(re.compile(r"\blarge-font\b"))
    page.goto("/units/")
    expect(html).to_have_class(re.compile(r"\blarge-font\b"))

    with page.expect_navigation():
        press(page, viewport, page.get_by_role("button", name="标准字号", exact=True))
    expect(page).to_have_url(re.compile(r"/units/$"))
    expect(html).not_to_have_class(re.compile(r"\blarge-font\b"))
    page.reload()
    expect(html).not_to_have_class(re.compile(r"\blarge-font\b"))
    expect(page.get_by_role("button", name="大字模式", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )


def test_tree_shows_no_csp_violation(page: Page, viewport: str, site, screenshot, console):
    """The portal's CSP has no unsafe-inline: htmx and portal.js must live with it."""
    lines: list[str] = []

    def heard(message) -> None:
        lines.append(f"{message.type}: {message.text}")

    page.on("console", heard)
    page.on("pageerror", lambda error: lines.append(f"pageerror: {error}"))

    log_in(page, "aishan")
    response = page.goto("/units/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    expand_in_place(page, viewport, AISHAN)
    expect(branch(page, AISHAN).get_by_role("link", name="梅苑社区", exact=True)).to_be_visible()
    press(page, viewport, toggle(page, AISHAN))
    expect(branch(page, AISHAN)).to_be_empty()
    expand_in_place(page, viewport, AISHAN)
    screenshot(page, "expanded")

    violations = [line for line in lines if "Content Security Policy" in line]
    assert not violations, "CSP violations in the console:\n" + "\n".join(violations)
    errors = [line for line in lines if line.startswith(("error:", "pageerror:"))]
    assert not errors, "errors in the console:\n" + "\n".join(errors)

    # The listener would have seen one: an inline script is refused and reported.
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.__inline = 1';
            document.body.appendChild(s);
        }"""
    )
    for _ in range(20):
        if any("Content Security Policy" in line for line in lines):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__inline") is None
    assert any("Content Security Policy" in line for line in lines), lines
    # Provoked on purpose: not a failure of this test.
    console.forgive(lambda line: "Content Security Policy" in line)
