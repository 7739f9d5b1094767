"""Every page each demo account reaches, timed through gunicorn as `make demo` serves it, against
a bare hello-world view served by the same server in the same run.

    .venv/bin/python bench/pages.py [--runs 15] [--grow 3000] [--port 18560] [--database NAME]

The demo accounts' crawl (tests/crawl.py, as the whole-portal tests crawl) finds every URL
pattern; each pattern is timed on the first page it answered 200 on, request by request
alternating with the bare view, so the ratio hello ÷ page holds on a machine whose load changes
from second to second. Queries are counted per pattern on the demo, then again after adding
--grow dispute cases (rolled back after): the script fails when a page's queries grow with the
data. With --strict it fails too when a pattern is below its ratio (0.2 for a list, detail or
form page; 0.1 for a dashboard or an export). --crawl-file keeps the crawl's patterns for the
next run, so two versions of the code are timed on the same pages.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from _setup import ROOT, database_url

HELLO = "/__hello/"
PAGE_RATIO, HEAVY_RATIO = 0.2, 0.1


@dataclass
class Pattern:
    key: str  # the URL route, with "?" when the URL carries a query
    url: str
    username: str | None
    heavy: bool  # a dashboard or an export: held to the lower ratio
    queries: int = 0
    queries_grown: int = 0
    status: int = 200  # what the server answered, when not 200
    cpu: list[float] = field(default_factory=list)  # this process's CPU time for the page
    page: list[float] = field(default_factory=list)
    hello: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        if self.status != 200 or not self.page:
            return 0.0
        return statistics.median(self.hello) / statistics.median(self.page)

    @property
    def target(self) -> float:
        return HEAVY_RATIO if self.heavy else PAGE_RATIO


def prepare(database: str) -> None:
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ["PORTAL_BENCH_HELLO"] = "1"  # the bare view, here and in the server
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("ensure_database")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 -- loads once (and analyzes)


def client_for(username):
    from django.test import Client

    from core.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def is_heavy(route: str, page) -> bool:
    exported = "attachment" in page.disposition or "html" not in page.content_type
    return exported or "dashboard" in route or "export" in route


def discover(usernames, per_route: int, limit: int) -> dict[str, Pattern]:
    """The first page each URL pattern answered 200 on, over every account's crawl."""
    from tests.crawl import crawl, route_of

    found: dict[str, Pattern] = {}
    for username in usernames:
        starts = ["/", "/public/figures/"] if username is None else ["/home/", "/dashboard/"]
        crawled = crawl(client_for(username), starts, per_route=per_route, limit=limit)
        for url, page in crawled.pages.items():
            parts = urlsplit(url)
            match = route_of(parts.path)
            if page.status != 200 or match is None:
                continue
            key = "/" + match.route + ("?" if parts.query else "")
            if key not in found:
                found[key] = Pattern(key, url, username, is_heavy(match.route, page))
    return found


def count_queries(patterns: dict[str, Pattern], attribute: str, cpu_runs: int = 0) -> None:
    """Queries per pattern; with `cpu_runs`, also the CPU time the page costs this process (the
    portal's own work, without PostgreSQL's: on a loaded machine the steadiest figure)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for pattern in patterns.values():
        if pattern.username not in clients:
            clients[pattern.username] = client_for(pattern.username)
        client = clients[pattern.username]
        client.get(pattern.url)  # a first visit may write what later ones read
        with CaptureQueriesContext(connection) as captured:
            response = client.get(pattern.url)
            if response.streaming:
                b"".join(response.streaming_content)
        setattr(pattern, attribute, len(captured))
        if attribute == "queries":
            for _ in range(cpu_runs):
                began = time.process_time()
                response = client.get(pattern.url)
                if response.streaming:
                    b"".join(response.streaming_content)
                pattern.cpu.append(time.process_time() - began)


def sessions(usernames) -> dict:
    """A session cookie per account, for the server: the sessions live in the database."""
    from django.conf import settings

    cookies = {}
    for username in usernames:
        client = client_for(username)
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        cookies[username] = {settings.SESSION_COOKIE_NAME: cookie.value} if cookie else {}
    return cookies


def gunicorn(port: int, workers: int) -> subprocess.Popen:
    """The server `make demo` runs (core/management/commands/demo.py), with the bare view on."""
    env = {**os.environ, "PORTAL_BENCH_HELLO": "1", "DJANGO_DEBUG": "0"}
    argv = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", str(workers), "--graceful-timeout", "5"]
    return subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def wait_for(base: str, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + HELLO, timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server at {base} did not answer in {seconds:.0f} s")


def timed(session, url: str, cookies: dict) -> tuple[float, int]:
    began = time.perf_counter()
    response = session.get(url, cookies=cookies, allow_redirects=False, timeout=120)
    response.content  # noqa: B018 -- the whole body, as a browser waits for it
    status = response.status_code
    if status == 302 and response.headers.get("Location", "").startswith("/exports/"):
        status = 200  # a large export queued for a worker: the request that queues it is timed
    return time.perf_counter() - began, status


def time_pages(patterns: dict[str, Pattern], base: str, cookies: dict, args) -> None:
    """Each pattern `args.runs` times, each request after a bare one; a page slower than
    `args.slow` seconds (a whole-roll export) only `args.slow_runs` times."""
    import requests

    session = requests.Session()
    for pattern in patterns.values():
        url, cookie = base + pattern.url, cookies[pattern.username]
        timed(session, base + HELLO, {})
        warm, status = timed(session, url, cookie)  # each worker's first sight of a template
        runs = args.runs if warm < args.slow else args.slow_runs
        for _ in range(runs):
            if status != 200:
                pattern.status = status
                break
            pattern.hello.append(timed(session, base + HELLO, {})[0])
            took, status = timed(session, url, cookie)
            pattern.page.append(took)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(patterns: dict[str, Pattern], grown: int) -> tuple[list[Pattern], list[Pattern]]:
    print(
        f"\n| pattern | account | median ms | p95 ms | hello ms | queries (+{grown:,} cases) "
        "| hello ÷ page | target |"
    )
    print("|---|---|---|---|---|---|---|---|")
    below, growing = [], []
    for pattern in sorted(patterns.values(), key=lambda p: p.ratio):
        mark = "" if pattern.ratio >= pattern.target else " **below**"
        queries = f"{pattern.queries}"
        if pattern.queries_grown != pattern.queries:
            queries += f" → {pattern.queries_grown}"
        if pattern.queries_grown > pattern.queries:
            growing.append(pattern)
        if pattern.status != 200:
            print(
                f"| `{pattern.key}` | {pattern.username or '(public)'} | answered "
                f"{pattern.status} | | | {queries} | 0 **failed** | {pattern.target} |"
            )
            below.append(pattern)
            continue
        runs = "" if len(pattern.page) >= 15 else f" (n={len(pattern.page)})"
        print(
            f"| `{pattern.key}` | {pattern.username or '(public)'} "
            f"| {statistics.median(pattern.page) * 1000:.1f}{runs} | {p95(pattern.page) * 1000:.1f} "
            f"| {statistics.median(pattern.hello) * 1000:.1f} | {queries} "
            f"| {pattern.ratio:.3f}{mark} | {pattern.target} |"
        )
        if mark:
            below.append(pattern)
    return below, growing


def cpu_report(patterns: dict[str, Pattern]) -> None:
    from django.test import Client

    client, samples = Client(), []
    for _ in range(max(15, len(patterns))):
        began = time.process_time()
        client.get(HELLO)
        samples.append(time.process_time() - began)
    hello = statistics.median(samples)
    print(f"\nin-process CPU of the bare view: {hello * 1000:.2f} ms")
    print("\n| pattern | account | CPU ms | queries | CPU hello ÷ page |\n|---|---|---|---|---|")
    for pattern in sorted(patterns.values(), key=lambda p: -statistics.median(p.cpu)):
        cpu = statistics.median(pattern.cpu)
        print(
            f"| `{pattern.key}` | {pattern.username or '(public)'} | {cpu * 1000:.1f} "
            f"| {pattern.queries} | {hello / cpu:.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="portal_bench_pages")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per pattern")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds that make a page slow")
    parser.add_argument("--slow-runs", type=int, default=3, help="timed requests of a slow page")
    parser.add_argument("--grow", type=int, default=3000, help="dispute cases added for queries")
    parser.add_argument("--port", type=int, default=18560)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, as make demo")
    parser.add_argument("--per-route", type=int, default=2, help="pages the crawl visits a route")
    parser.add_argument("--limit", type=int, default=600, help="pages the crawl visits, each")
    parser.add_argument("--accounts", help="comma-separated demo accounts ('-': nobody logged in)")
    parser.add_argument("--only", help="time only patterns containing this text")
    parser.add_argument(
        "--crawl-file", help="JSON of the crawl's patterns: read when it exists, else written"
    )
    parser.add_argument("--cpu-runs", type=int, default=3, help="in-process CPU timings")
    parser.add_argument(
        "--cpu-only", action="store_true", help="the in-process CPU time alone: no server"
    )
    parser.add_argument("--strict", action="store_true", help="fail on a ratio below its target")
    args = parser.parse_args()

    prepare(args.database)
    from tests.whole.formfill import ROLES

    usernames = ROLES
    if args.accounts:
        usernames = [None if name == "-" else name for name in args.accounts.split(",")]
    began = time.monotonic()
    if args.crawl_file and os.path.exists(args.crawl_file):
        with open(args.crawl_file) as saved:
            patterns = {p["key"]: Pattern(**p) for p in json.load(saved)}
    else:
        patterns = discover(usernames, args.per_route, args.limit)
        if args.crawl_file:
            with open(args.crawl_file, "w") as saved:
                json.dump([asdict(p) for p in patterns.values()], saved, ensure_ascii=False)
    if args.only:
        patterns = {key: p for key, p in patterns.items() if args.only in key}
    accounts = {p.username for p in patterns.values()}
    print(f"patterns: {len(patterns)} over {len(accounts)} accounts", end="")
    print(f" (crawled in {time.monotonic() - began:.0f} s)")
    count_queries(patterns, "queries", args.cpu_runs)
    if args.cpu_only:
        return cpu_report(patterns)
    cookies = sessions({p.username for p in patterns.values()})

    from django.db import connections

    connections.close_all()
    base = f"http://127.0.0.1:{args.port}"
    server = gunicorn(args.port, args.workers)
    try:
        wait_for(base)
        time_pages(patterns, base, cookies, args)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from django.db import transaction

    from bench.generate import copy_cases

    with transaction.atomic():  # the demo stays as it was for the next run
        copy_cases(args.grow)
        count_queries(patterns, "queries_grown")
        transaction.set_rollback(True)
    below, growing = report(patterns, args.grow)
    failed = [p for p in patterns.values() if p.status != 200]
    ratios = [p.ratio for p in patterns.values() if p.status == 200]
    print(f"\nmedian ratio hello ÷ page: {statistics.median(ratios):.3f}; lowest {min(ratios):.3f}")
    print(f"patterns below their ratio: {len(below)} of {len(patterns)}")
    print(f"patterns the server failed (an error or gunicorn's timeout): {len(failed)}")
    print(f"patterns whose queries grow with the data: {len(growing)}")
    for pattern in growing:
        print(f"  {pattern.key}: {pattern.queries} → {pattern.queries_grown} queries")
    if growing or failed or (args.strict and below):
        sys.exit(1)


if __name__ == "__main__":
    main()
