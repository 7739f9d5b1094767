"""The whole portal on a phone, as every demo account and the public see it: a real server on a copy
of the demo district, each account's pages reached by following links (capped per URL route), each
link asked once; every kind of page rendered at 390 px in standard and large type.

On every page: nothing wider than the screen, every region that scrolls sideways reachable by the
keyboard, nothing in the console; no link shown that answers 4xx/5xx.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from core.demo.district import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import CONSOLE_ALLOWED
from tests.browser.walk import (
    PHONE,
    SCROLLERS_JS,
    Walk,
    listen,
    log_in,
    new_context,
    overflow,
    render,
    route_key,
)
from tests.demo_database import copy_database, drop_database, url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["public", *(account.username for account in DEMO_ACCOUNTS)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_database, django_db_blocker, tmp_path_factory):
    """gunicorn on a copy of the demo district of its own (logging in writes sessions)."""
    name = f"{demo_database.database}_phone"
    with django_db_blocker.unblock():
        copy_database(demo_database.template, name)
        database_url = url_of(name)
    port = free_port()
    log = tmp_path_factory.mktemp("phone-crawl") / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings")
    process = subprocess.Popen(  # noqa: S603 -- our own argv
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--threads", "2", "--graceful-timeout", "2"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"the server stopped:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=5)  # noqa: S310 -- loopback
            break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer:\n{log.read_text()}")
            time.sleep(0.3)
    yield url
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with django_db_blocker.unblock():
        drop_database(name)
    # the pooled connections this module's tests used would keep the test database from being
    # dropped at the end of the run
    connection.close()
    connection.close_pool()


@pytest.fixture(scope="module")
def rendered() -> Counter:
    """Each kind of page (route) is rendered for the first account that reaches it: the layout
    of a route is the same for everyone, and this keeps the crawl to a few minutes."""
    return Counter()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_every_link_answers(role, server, browser, rendered):
    problems: list[str] = []
    contexts = {large: new_context(browser, server, PHONE, large) for large in (False, True)}
    try:
        if role != "public":
            for context in contexts.values():
                log_in(context, role, DEMO_PASSWORD)
        walk = Walk(contexts[False], server, per_route=1, links_per_route=3)
        pages = walk.crawl(["/"])
        assert pages, f"{role} reached no page"

        for url, status in sorted(walk.dead_links().items()):
            seen_on = walk.seen_on.get(url, "")
            problems.append(f"dead link {url} answers {status}, shown on {seen_on}")

        heard: list[str] = []
        tabs = {}
        for large, context in contexts.items():
            tabs[large] = context.new_page()
            listen(tabs[large], lambda url, line: heard.append(f"{url}: {line}"))
        for url in pages:
            key = route_key(url)
            if rendered[key] >= 1:
                continue
            rendered[key] += 1
            for large, tab in tabs.items():
                type_size = "large type" if large else "standard type"
                render(tab, url)
                if wide := overflow(tab):
                    problems.append(f"{url} ({type_size}) is wider than the phone: {wide}")
                for scroller in tab.evaluate(SCROLLERS_JS):
                    problems.append(
                        f"{url} ({type_size}) scrolls sideways where no key reaches: {scroller}"
                    )
        problems += [
            line
            for line in heard
            if not any(pattern.search(line) for pattern, _ in CONSOLE_ALLOWED)
        ]
    finally:
        for context in contexts.values():
            context.close()
    assert not problems, f"{role}:\n" + "\n".join(problems)
