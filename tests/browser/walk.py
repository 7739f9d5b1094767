"""A browser walk over the portal as one user sees it, against any running server: the pages that
user reaches by following links, capped per URL route (like tests/crawl.py, whose rules it keeps),
each link's status asked once over HTTP (no rendering), each page rendered in a real Chromium.

Used by the phone crawl (tests/browser/test_phone_crawl.py) and by `make screenshots`
(scripts/screenshots.py). Needs Django configured (routes are told apart by the URL resolver).
"""

import html
import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Browser, BrowserContext, Page

from tests.crawl import LINK, SKIP, route_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
LARGE_FONT_COOKIE = "large_font"  # core/context_processors.py
# Downloads (spreadsheets, briefings, data files) are the crawls' of tests/whole: not asked here.
DOWNLOAD = re.compile(r"/export/|[?&]format=|\.(csv|json|xlsx|docx)$")

# Is the page wider than the screen? If so, the widest elements that stick out (deepest first).
OVERFLOW_JS = """() => {
  // a phone widens its layout viewport to fit a page that overflows: the screen is the measure
  const width = Math.min(window.innerWidth, screen.width);
  if (document.documentElement.scrollWidth <= width) return null;
  const clipped = el => {  // inside a box that scrolls or clips: not what widens the page
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const spills = getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1;
    if ((box.right > width + 1 || spills) && box.width > 0 && !clipped(el)) {
      if (![...el.children].some(c => c.getBoundingClientRect().right > width + 1)) {
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          [...el.classList].map(c => '.' + c).join('');
        out.push(`${name} (right ${Math.round(box.right)}px): ${(el.textContent || '').trim().slice(0, 40)}`);
      }
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits: out.slice(0, 5)};
}"""

# Regions that scroll sideways which no key reaches: without a tabindex of their own and holding
# nothing focusable (as axe's scrollable-region-focusable has it).
SCROLLERS_JS = """() => {
  const out = [];
  const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    // Chromium alone makes every scroller focusable; the phones' other browsers need tabindex
    if ((el.hasAttribute('tabindex') && el.tabIndex >= 0) || el.querySelector(focusable)) continue;
    out.push(el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('') +
      ` (${el.scrollWidth}px in ${el.clientWidth}px)`);
  }
  return out;
}"""


def route_key(path_and_query: str) -> tuple[str, bool] | None:
    parts = urlsplit(path_and_query)
    match = route_of(parts.path)
    if match is None or parts.path.startswith(SKIP):
        return None
    return (match.route, bool(parts.query))


def route_name(path_and_query: str) -> str:
    """A file-name-safe name of the URL's route: `cases/<int:pk>/` → `cases_pk`."""
    key = route_key(path_and_query)
    route = key[0] if key else urlsplit(path_and_query).path
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"\1", route)
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", route).strip("_") or "home"
    return name + ("-query" if key and key[1] else "")


def new_context(browser: Browser, base_url: str, size: dict, large: bool) -> BrowserContext:
    context = browser.new_context(base_url=base_url, locale="zh-CN", **size)
    context.set_default_timeout(20_000)
    if large:
        host = urlsplit(base_url).hostname
        context.add_cookies(
            [{"name": LARGE_FONT_COOKIE, "value": "1", "domain": host, "path": "/"}]
        )
    return context


def log_in(context: BrowserContext, username: str, password: str) -> None:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    if "/accounts/login/" in page.url:
        raise RuntimeError(f"{username} could not log in")
    page.close()


@dataclass
class Walk:
    """One user's walk over HTTP (the browser context's cookies, no rendering): every local link
    seen with its status, asked once (capped per route); the full HTML pages reached, capped per
    route, in the order found; and the page each link was first seen on."""

    context: BrowserContext
    base: str
    per_route: int = 2
    links_per_route: int = 4
    limit: int = 150
    statuses: dict[str, int] = field(default_factory=dict)
    seen_on: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)

    def get(self, url: str) -> tuple[int, str, str]:
        response = self.context.request.get(url, max_redirects=0, timeout=15_000)
        kind = response.headers.get("content-type", "")
        if "attachment" in response.headers.get("content-disposition", ""):
            kind = "attachment"
        text = response.text() if kind.startswith("text/html") else ""
        response.dispose()
        self.statuses[url] = response.status
        return response.status, kind, text

    def crawl(self, starts: list[str]) -> list[str]:
        queue, queued = deque(starts), set(starts)
        visits, checks = Counter(), Counter()
        while queue and len(self.pages) < self.limit:
            url = queue.popleft()
            key = route_key(url)
            if key is None or DOWNLOAD.search(url):
                continue
            status, kind, text = self.get(url)
            if status in (301, 302, 303) or status >= 400 or not text:
                continue
            if visits[key] >= self.per_route:
                continue
            visits[key] += 1
            if "<html" in text[:500].lower():
                self.pages.append(url)
            for raw in LINK.findall(text):
                raw = html.unescape(raw)
                if raw.startswith(("javascript:", "mailto:", "tel:", "data:")):
                    continue
                parts = urlsplit(urljoin(url, raw))
                if parts.netloc not in {"", urlsplit(self.base).netloc}:
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                link_key = route_key(local)
                if link_key is None or local in queued:
                    continue
                queued.add(local)
                self.seen_on.setdefault(local, url)
                if checks[link_key] < self.links_per_route:
                    checks[link_key] += 1
                    queue.append(local)
        return self.pages

    def dead_links(self) -> dict[str, int]:
        return {url: status for url, status in self.statuses.items() if status >= 400}


def render(page: Page, url: str) -> None:
    """Loads `url` in `page` and waits for the htmx fragments that load with it."""
    page.goto(url, wait_until="load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=10_000)


def overflow(page: Page) -> dict | None:
    return page.evaluate(OVERFLOW_JS)


def listen(page: Page, heard: Callable[[str, str], None]) -> None:
    """heard(url, line) for every console error and uncaught page error of `page`."""
    page.on(
        "console",
        lambda message: (
            heard(page.url, f"{message.type}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: heard(page.url, f"pageerror: {error}"))
