"""Browser tests: a real Chromium (Debian's, never a downloaded one) driven through Playwright's
sync API against pytest-django's live server.

Every browser context speaks Chinese (locale zh-CN), like the phones and desktops the portal is
built for; a test that wants another language says so.

Every page of every context listens to its console: a CSP violation, a console error or an
uncaught page error fails the test that caused it (see `console`).
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)

from tests.factories import PASSWORD, District, Personas, build_district, build_personas

# Playwright's sync API keeps an asyncio loop running in this thread; without this, Django
# refuses ORM calls made from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORTS: dict[str, dict] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (never `playwright install`)"
        )
    launched = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


# Console lines that are not errors of the page, each with why. Keep this short.
CONSOLE_ALLOWED: list[tuple[re.Pattern, str]] = []


class Console:
    """What every page of the test's browser contexts said: console messages as "type: text",
    uncaught errors as "pageerror: ...". A test that provokes an error on purpose takes it back
    with `forgive`, so only the errors nobody expected fail it."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    def listen(self, page: Page) -> None:
        page.on("console", lambda message: self.heard.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.heard.append(f"pageerror: {error}"))

    def problems(self) -> list[str]:
        return [
            line
            for line in self.heard
            if ("Content Security Policy" in line or line.startswith(("error:", "pageerror:")))
            and not any(pattern.search(line) for pattern, _why in CONSOLE_ALLOWED)
        ]

    def forgive(self, predicate: Callable[[str], bool]) -> list[str]:
        """Drop the lines the test expected (it asserts on them itself); returns them."""
        forgiven = [line for line in self.heard if predicate(line)]
        self.heard = [line for line in self.heard if not predicate(line)]
        return forgiven


@pytest.fixture(autouse=True)
def console() -> Console:
    """Every browser test: the console of every page it opens stays free of CSP violations,
    errors and uncaught exceptions (checked after the test body, in pytest_runtest_call)."""
    return Console()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    heard = item.funcargs.get("console")
    if isinstance(heard, Console) and (problems := heard.problems()):
        pytest.fail(
            "the browser console reported CSP violations or errors:\n" + "\n".join(problems),
            pytrace=False,
        )
    return result


@dataclass
class Site:
    """The live server's small district and its people, all with password PASSWORD."""

    url: str
    units: District
    people: Personas

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@pytest.fixture
def site(live_server) -> Site:
    """The district, built in the transactional database the live server reads."""
    units = build_district()
    return Site(url=live_server.url, units=units, people=build_personas(units))


@pytest.fixture
def new_context(
    browser: Browser, live_server, console: Console
) -> Iterator[Callable[..., BrowserContext]]:
    """new_context("phone" | "desktop", **options): a fresh browser context on the live server,
    closed at the end of the test; the console of each of its pages is listened to."""
    made: list[BrowserContext] = []

    def make(viewport: str, **options) -> BrowserContext:
        settings = {"base_url": live_server.url, "locale": "zh-CN", **VIEWPORTS[viewport]}
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", console.listen)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def phone_context(new_context) -> BrowserContext:
    return new_context("phone")


@pytest.fixture
def desktop_context(new_context) -> BrowserContext:
    return new_context("desktop")


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    """Parametrises a test over the phone and the desktop."""
    return request.param


@pytest.fixture
def context(request, viewport: str) -> BrowserContext:
    """The phone or the desktop context, following the `viewport` parameter."""
    return request.getfixturevalue(f"{viewport}_context")


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the real login form, as a person would; waits for the page after the redirect."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()


def menu_entry(page: Page, label: str) -> Locator:
    """The menu's entry `label`, reached as a person reaches it: on a phone the 菜单 button
    opens the menu; on a desktop the entry's group opens its panel (a group of one entry is a
    plain link in the row)."""
    nav = page.locator("nav.menu")
    drawer = nav.locator("details.menu-drawer")
    if drawer.is_visible():
        if drawer.get_attribute("open") is None:
            drawer.locator("summary").click()
        return drawer.get_by_role("link", name=label, exact=True)
    named = re.compile(rf"^\s*{re.escape(label)}\s*$")
    plain = nav.locator(".menu-bar a.menu-button").filter(has_text=named)
    if plain.count():
        return plain
    group = nav.locator(".menu-bar details.menu-dropdown").filter(
        has=page.locator("a").filter(has_text=named)
    )
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    return group.get_by_role("link", name=label, exact=True)


@pytest.fixture
def screenshot(request, viewport: str) -> Callable[..., Path]:
    """screenshot(page, "state") saves the full page as
    test-results/screenshots/<test>[-<params>][-<state>]-<viewport>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = request.node.originalname
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None:
        extra = [str(v) for k, v in callspec.params.items() if k != "viewport"]
        name = "-".join([name, *extra])

    def save(page: Page, state: str = "") -> Path:
        stem = "-".join(part for part in (name, state, viewport) if part)
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', stem)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
