"""axe-core on the portal's main pages, phone and desktop: no serious or critical violation.

axe-playwright-python ships axe.min.js inside its package and injects it with page.evaluate;
test_axe_runs_offline checks that nothing is fetched from anywhere while it runs.
"""

from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def serious_violations(page: Page) -> list[dict]:
    results = Axe().run(page)
    violations = results.response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        impact, rule, text = violation["impact"], violation["id"], violation["help"]
        lines.append(f"[{impact}] {rule}: {text} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = serious_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"


def only_live_server(context: BrowserContext, host: str) -> list[str]:
    """Abort every request that leaves the live server; return the list of those attempts."""
    escaped: list[str] = []

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            escaped.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return escaped


def test_axe_runs_offline(new_context, viewport: str, site):
    assert (Path(axe_playwright_python.__file__).parent / "axe.min.js").is_file()
    context = new_context(viewport)
    escaped = only_live_server(context, site.host)
    page = context.new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="工作人员登录", exact=True)).to_be_visible()

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    context.set_offline(True)
    try:
        results = Axe().run(page)
    finally:
        context.set_offline(False)

    assert "violations" in results.response
    assert page.evaluate("typeof window.axe.run") == "function"
    assert requests == [], f"axe made requests: {requests}"
    assert escaped == [], f"requests that left the live server: {escaped}"

    # And it does see problems: an image without a text alternative is critical.
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').appendChild(img);
        }"""
    )
    assert "image-alt" in [v["id"] for v in serious_violations(page)]


def test_login_page(page: Page, viewport: str, site, screenshot):
    page.goto("/accounts/login/")
    expect(page.locator("input[name=username]")).to_be_visible()
    screenshot(page)
    assert_accessible(page)


def test_login_page_with_errors(page: Page, viewport: str, site, screenshot):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("aishan")
    page.locator("input[name=password]").fill("not-the-password")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    screenshot(page)
    assert_accessible(page)


def test_public_home(page: Page, viewport: str, site, screenshot):
    page.goto("/")
    expect(page.locator("main h1")).to_contain_text("钢城区")
    expect(page.get_by_text("艾山街道", exact=True)).to_be_visible()
    screenshot(page)
    assert_accessible(page)


def test_public_home_expanded(page: Page, viewport: str, site, screenshot):
    page.goto("/")
    page.locator("a.toggle[data-toggle-branch='public-branch-370117001000']").click()
    expect(page.locator("#public-branch-370117001000").get_by_text("梅苑社区")).to_be_visible()
    screenshot(page, "expanded")
    assert_accessible(page)


def test_unit_page(page: Page, viewport: str, site, screenshot):
    log_in(page, "aishan")
    page.goto("/units/370117001000/")
    expect(page.locator("main h1")).to_have_text("艾山街道")
    screenshot(page)
    assert_accessible(page)


def test_unit_page_large_type_english(page: Page, viewport: str, site, screenshot):
    log_in(page, "aishan")
    page.goto("/units/370117001000/")
    with page.expect_navigation():
        page.get_by_role("button", name="English", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Large type", exact=True).click()
    expect(page.locator("html")).to_have_class("large-font")
    expect(page.get_by_role("heading", name="Units below", exact=True)).to_be_visible()
    screenshot(page)
    assert_accessible(page)


def test_unit_tree(page: Page, viewport: str, site, screenshot):
    log_in(page, "aishan")
    page.goto("/units/")
    expect(page.get_by_role("heading", name="单位树", exact=True)).to_be_visible()
    assert_accessible(page)

    page.locator("a.toggle[data-toggle-branch='branch-370117001000']").click()
    expect(page.locator("#branch-370117001000").get_by_text("梅苑社区")).to_be_visible()
    screenshot(page, "expanded")
    assert_accessible(page)
