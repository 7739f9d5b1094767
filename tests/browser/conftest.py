"""Browser tests: a real Chromium (Debian's, never a downloaded one) driven through Playwright's
sync API against pytest-django's live server.

Every browser context speaks Chinese (locale zh-CN), like the phones and desktops the portal is
built for; a test that wants another language says so.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

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
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """new_context("phone" | "desktop", **options): a fresh browser context on the live server,
    closed at the end of the test."""
    made: list[BrowserContext] = []

    def make(viewport: str, **options) -> BrowserContext:
        settings = {"base_url": live_server.url, "locale": "zh-CN", **VIEWPORTS[viewport]}
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
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
