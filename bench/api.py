"""The interfaces at the demo's size and ten times it: a paginated Open311 `GET requests` and the
open-data API's `GET /api/v1/units/{code}/posts` (柳桥峪村's posts with their fund lines), each
timed through gunicorn as `make demo` serves it, request by request alternating with the bare
hello-world view the page-speed benchmark (bench/pages.py) times against: /__hello/, served by the
same server in the same run. Reports queries per page for two page sizes and two data sizes (they
must not grow), each median and the ratio hello ÷ page (bench/pages.py's: 1 is as fast as the
bare view; its target for a list page is 0.2).

    .venv/bin/python bench/api.py [--demands 3000] [--posts 300] [--scale 10] [--runs 15]
        [--database portal_bench_api] [--port 18561] [--profile]

--profile prints where the time of one GET requests page goes (cProfile, in-process).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta

from _setup import setup
from pages import HELLO, PAGE_RATIO, gunicorn, wait_for

PAGE = 50
VILLAGE = "370117004223"  # 柳桥峪村


def timed(session, base: str, url: str, runs: int) -> tuple[float, float]:
    """Median seconds of the page and of the bare view, each page request after a bare one."""
    session.get(base + HELLO)
    session.get(base + url)  # warm: each worker's first sight of the code
    page, hello = [], []
    for _ in range(runs):
        began = time.perf_counter()
        session.get(base + HELLO).content  # noqa: B018
        hello.append(time.perf_counter() - began)
        began = time.perf_counter()
        response = session.get(base + url)
        response.content  # noqa: B018
        page.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(page), statistics.median(hello)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Not a minute's first request: that one also starts the minute's rate count
    # (interfaces.keys._counted). Counted again if a new minute began between the two requests.
    while True:
        minute = int(time.time() // 60)
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        if int(time.time() // 60) == minute:
            return len(captured)


def grow_demands(total: int) -> None:
    from django.utils import timezone

    from consultation.models import Demand, DemandSource
    from core.models import AdministrativeUnit, UnitLevel

    have = Demand.objects.count()
    units = list(
        AdministrativeUnit.objects.filter(level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE])
    )
    now = timezone.now()
    batch = [
        Demand(
            unit=units[n % len(units)],
            source=DemandSource.ONLINE,
            received_on=(now - timedelta(minutes=n)).date(),
            created_at=now - timedelta(minutes=n),
            description=f"第{n}号诉求：小区路灯不亮，请尽快维修。",
        )
        for n in range(have, total)
    ]
    Demand.objects.bulk_create(batch, batch_size=2000)


def grow_posts(total: int) -> None:
    from core.models import AdministrativeUnit, User
    from disclosure.models import DisclosurePost, FundLine, PostStatus

    village = AdministrativeUnit.objects.get(code=VILLAGE)
    have = DisclosurePost.objects.filter(unit=village).count()
    clerk = User.objects.get(username="liuqiaoyu_clerk")
    posts = DisclosurePost.objects.bulk_create(
        [
            DisclosurePost(
                unit=village,
                category="finance",
                title=f"第{n}期财务公开",
                period_start=date(2020, 1, 1) + timedelta(days=n),
                period_end=date(2020, 1, 1) + timedelta(days=n),
                body="本期收支明细如下。",
                declared_income_fen=100_000,
                declared_expense_fen=60_000,
                status=PostStatus.DRAFT,
                created_by=clerk,
            )
            for n in range(have, total)
        ],
        batch_size=1000,
    )
    FundLine.objects.bulk_create(
        [
            FundLine(post=post, direction=direction, item=item, amount_fen=fen, order=k)
            for post in posts
            for k, (direction, item, fen) in enumerate(
                [
                    ("income", "上级拨付", 100_000),
                    ("expense", "道路修缮", 40_000),
                    ("expense", "路灯", 20_000),
                ]
            )
        ],
        batch_size=3000,
    )
    # Published once their lines are in: a published post's lines are frozen (a trigger).
    for post in posts:
        post.status, post.published_on = PostStatus.PUBLISHED, post.period_end
    DisclosurePost.objects.bulk_update(posts, ["status", "published_on"], batch_size=1000)


def analyse() -> None:
    """Fresh planner statistics after the bulk inserts, as autovacuum would leave them."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("governance_demand", "governance_disclosurepost", "governance_fundline"):
            cursor.execute(f"ANALYZE {table}")


REQUESTS = "/open311/v2/requests.json?page_size={size}"
POSTS = f"/api/v1/units/{VILLAGE}/posts?page_size={{size}}"


def count(client) -> dict:
    return {
        "requests_queries": {
            size: queries(client, REQUESTS.format(size=size)) for size in (10, PAGE)
        },
        "posts_queries": {size: queries(client, POSTS.format(size=size)) for size in (10, PAGE)},
    }


def time_server(port: int, runs: int) -> dict:
    import requests
    from django.db import connections

    connections.close_all()
    base = f"http://127.0.0.1:{port}"
    server = gunicorn(port, 2)
    try:
        wait_for(base)
        session = requests.Session()
        page_requests, hello_requests = timed(session, base, REQUESTS.format(size=PAGE), runs)
        page_posts, hello_posts = timed(session, base, POSTS.format(size=PAGE), runs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "requests": page_requests,
        "hello_requests": hello_requests,
        "posts": page_posts,
        "hello_posts": hello_posts,
    }


def profile(client) -> None:
    import cProfile
    import pstats

    url = REQUESTS.format(size=PAGE)
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(35)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=3_000, help="demands at the demo's size")
    parser.add_argument(
        "--posts", type=int, default=300, help="柳桥峪村's posts at the demo's size"
    )
    parser.add_argument("--scale", type=int, default=10, help="the large data set, × this")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default="portal_bench_api")
    parser.add_argument("--port", type=int, default=18561)
    parser.add_argument("--profile", action="store_true", help="where a page's time goes")
    args = parser.parse_args()
    os.environ["PORTAL_BENCH_HELLO"] = "1"  # the bare view, in the server as in bench/pages.py
    setup(args.database)

    from django.test import Client

    from consultation.models import Demand
    from disclosure.models import DisclosurePost

    client = Client()
    results = {}
    for label, demands, posts in (
        ("demo size", args.demands, args.posts),
        (f"{args.scale}× the data", args.demands * args.scale, args.posts * args.scale),
    ):
        grow_demands(demands)
        grow_posts(posts)
        analyse()
        if args.profile:
            profile(client)
            return
        results[label] = count(client) | time_server(args.port, args.runs)
        results[label]["sizes"] = (
            Demand.objects.count(),
            DisclosurePost.objects.filter(unit__code=VILLAGE).count(),
        )

    for label, r in results.items():
        demands, posts = r["sizes"]
        print(f"{label}: {demands:,} demands, {posts:,} posts of 柳桥峪村")
        print(
            f"  queries per page, GET requests: page_size 10 → {r['requests_queries'][10]}, "
            f"{PAGE} → {r['requests_queries'][PAGE]}"
        )
        print(
            f"  queries per page, GET posts: page_size 10 → {r['posts_queries'][10]}, "
            f"{PAGE} → {r['posts_queries'][PAGE]}"
        )
        print(
            f"  {PAGE} a page, through gunicorn (medians of {args.runs}): "
            f"GET requests {r['requests'] * 1000:.1f} ms (hello {r['hello_requests'] * 1000:.1f}), "
            f"GET posts {r['posts'] * 1000:.1f} ms (hello {r['hello_posts'] * 1000:.1f})"
        )
        print(
            f"  hello ÷ page (target {PAGE_RATIO}): "
            f"requests {r['hello_requests'] / r['requests']:.2f}, "
            f"posts {r['hello_posts'] / r['posts']:.2f}"
        )
    small, large = results.values()
    print(
        f"time large/small data: requests {large['requests'] / small['requests']:.2f}, "
        f"posts {large['posts'] / small['posts']:.2f}"
    )
    constant = all(
        len({*r["requests_queries"].values(), *s["requests_queries"].values()}) == 1
        and len({*r["posts_queries"].values(), *s["posts_queries"].values()}) == 1
        for r, s in [(small, large)]
    )
    print(f"queries constant in page size and data size: {'yes' if constant else 'NO'}")
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
