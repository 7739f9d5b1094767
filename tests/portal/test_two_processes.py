"""Two server processes, one database: what one process learns, the other knows at once.

Two gunicorn processes serve the portal from the test database (on two free ports), with the
cache the portal uses without `REDIS_URL` (PostgreSQL) and with Redis. A correction published
through one is shown by the other on the very next request (village page, the old edition, CSV,
JSON), although both had the old pages cached; and a rate limit counts the requests made to both,
one after the other or all at once.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from consultation.views.consultation_public import LOOKUP_LIMIT
from disclosure.services.disclosure import post_correct, post_submit
from tests.disclosure.helpers import published_post
from tests.factories import build_district, build_personas

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
REASON = "第2行金额录入错误，已更正为7500.50元。"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{db['NAME']}"


class Server:
    """One gunicorn process; `get`/`post` speak to it from a chosen loopback address (each
    address is a client of its own to the rate limits)."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "1", "--threads", "4", "--graceful-timeout", "2"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped:\n{self.log.read_text()}")
            try:
                self.get("/accounts/login/")
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"the server did not answer within {seconds} s:\n{self.log.read_text()}")

    def request(self, method, path, body=None, headers=None, source="127.0.0.1"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.source_address = (source, 0)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def get(self, path, source="127.0.0.1", cookies=""):
        return self.request("GET", path, headers={"Cookie": cookies}, source=source)

    def post(self, path, fields: dict, cookies: str):
        headers = {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, urlencode(fields), headers)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def clear_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(params=["postgresql", "redis"])
def servers(request, transactional_db, tmp_path):
    """Two servers on the committed test database, sharing the cache named by the parameter."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DATABASE_URL=database_url(), DJANGO_SETTINGS_MODULE="portal.settings")
    if request.param == "redis":
        env["REDIS_URL"] = REDIS_URL
        clear_redis(connection.settings_dict["NAME"])  # the servers' KEY_PREFIX
    pair = [Server(env, tmp_path / f"server-{n}.log") for n in (1, 2)]
    try:
        for server in pair:
            server.wait_ready()
        yield pair
    finally:
        for server in pair:
            server.stop()
        if request.param == "redis":
            clear_redis(connection.settings_dict["NAME"])
        cache.clear()
    for server in pair:
        assert "Traceback" not in server.log.read_text(), server.log.read_text()


def test_a_correction_published_through_one_is_shown_by_the_other_at_once(servers):
    first, second = servers
    district = build_district()
    people = build_personas(district)
    village = district.liuqiaoyu
    clerk, supervisor = people.village_clerk, people.supervisor
    original = published_post(village, clerk, supervisor)
    correction = post_submit(post=post_correct(post=original, by=clerk, reason=REASON), by=clerk)
    pages = {
        "village": reverse("public:village", args=[village.code]),
        "old edition": reverse("public:post", args=[village.code, original.pk]),
        "csv": reverse("public:posts_csv", args=[village.code]),
        "json": reverse("public:posts_json", args=[village.code]),
    }
    for server in servers:  # both have every page cached as it stands before the review
        for name, path in pages.items():
            status, body = server.get(path)
            assert status == 200, (name, body[:300])
            assert "已更正" not in body, name

    reviewer = Client()
    reviewer.force_login(supervisor)
    token = secrets.token_hex(16)
    cookies = f"sessionid={reviewer.cookies['sessionid'].value}; csrftoken={token}"
    approval = {"version": correction.version, "decision": "approved", "csrfmiddlewaretoken": token}
    status, body = first.post(
        reverse("governance:post_review", args=[correction.pk]), approval, cookies
    )
    assert status == 302, body[:300]

    shown = {}
    for name, path in pages.items():
        status, shown[name] = second.get(path)
        assert status == 200, name
    assert "已更正：请看新版本" in shown["village"]
    assert "本版本已被更正。" in shown["old edition"]
    assert REASON in shown["csv"]
    posts = json.loads(shown["json"])["posts"]
    assert [(p["edition"], p["correction_reason"]) for p in posts] == [(1, ""), (2, REASON)]


def test_a_rate_limit_counts_the_requests_to_both(servers):
    allowed, _seconds = LOOKUP_LIMIT
    path = reverse("public:demand_track", args=["NOSUCHCODE2026"])
    # One client (127.0.0.2) alternating between the servers: the limit is reached on either.
    answers = [servers[n % 2].get(path, source="127.0.0.2")[0] for n in range(allowed)]
    assert answers == [404] * allowed
    assert [server.get(path, source="127.0.0.2")[0] for server in servers] == [429, 429]
    # Another client (127.0.0.3) sending many at once to both: each is counted exactly once.
    with ThreadPoolExecutor(max_workers=8) as pool:
        burst = list(
            pool.map(lambda n: servers[n % 2].get(path, source="127.0.0.3")[0], range(allowed + 10))
        )
    assert burst.count(404) == allowed and burst.count(429) == 10, burst
