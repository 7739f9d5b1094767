"""The interfaces at the demo's size and ten times it: a paginated Open311 `GET requests` and the
open-data API's `GET /api/v1/units/{code}/posts` (柳桥峪村's posts with their fund lines), each
against a bare Django view that answers the same number of rows from memory through the same
middleware. Reports queries per page for two page sizes and two data sizes (they must not grow)
and the median time of each.

    .venv/bin/python bench/api.py [--demands 3000] [--posts 300] [--scale 10] [--runs 15]
        [--database portal_bench_api]
"""

import argparse
import statistics
import sys
import time
from datetime import date, timedelta

from _setup import setup

PAGE = 50
VILLAGE = "370117004223"  # 柳桥峪村


def bare(request):
    """What a JSON page costs with no database: the same rows, from memory."""
    from django.http import JsonResponse

    return JsonResponse(ROWS, safe=False)


ROWS = [
    {"service_request_id": str(n), "status": "open", "description": "楼道灯不亮"}
    for n in range(PAGE)
]
urlpatterns: list = []


def bare_urls() -> None:
    """This module is the URL conf: the portal's, plus /bench/bare/."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_not_required
    from django.urls import clear_url_caches, path

    import portal.urls

    urlpatterns[:] = [path("bench/bare/", login_not_required(bare)), *portal.urls.urlpatterns]
    module = sys.modules[__name__]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, name, getattr(portal.urls, name))
    settings.ROOT_URLCONF = __name__
    clear_url_caches()


def timed(client, url: str, runs: int) -> float:
    client.get(url)  # warm
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
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


def measure(client, runs: int) -> dict:
    requests = "/open311/v2/requests.json?page_size={size}"
    posts = f"/api/v1/units/{VILLAGE}/posts?page_size={{size}}"
    return {
        "requests_queries": {
            size: queries(client, requests.format(size=size)) for size in (10, PAGE)
        },
        "posts_queries": {size: queries(client, posts.format(size=size)) for size in (10, PAGE)},
        "requests": timed(client, requests.format(size=PAGE), runs),
        "posts": timed(client, posts.format(size=PAGE), runs),
        "bare": timed(client, "/bench/bare/", runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=3_000, help="demands at the demo's size")
    parser.add_argument(
        "--posts", type=int, default=300, help="柳桥峪村's posts at the demo's size"
    )
    parser.add_argument("--scale", type=int, default=10, help="the large data set, × this")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default="portal_bench_api")
    args = parser.parse_args()
    setup(args.database)
    bare_urls()

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
        results[label] = measure(client, args.runs)
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
            f"  {PAGE} a page: GET requests {r['requests'] * 1000:.1f} ms, GET posts {r['posts'] * 1000:.1f} ms, "
            f"bare view {r['bare'] * 1000:.1f} ms (medians of {args.runs})"
        )
        print(
            f"  ratio to the bare view: requests {r['requests'] / r['bare']:.2f}, posts {r['posts'] / r['bare']:.2f}"
        )
    small, large = results.values()
    print(
        f"ratio large/small data: requests {large['requests'] / small['requests']:.2f}, "
        f"posts {large['posts'] / small['posts']:.2f}"
    )
    constant = all(
        len({*r["requests_queries"].values(), *s["requests_queries"].values()}) == 1
        and len({*r["posts_queries"].values(), *s["posts_queries"].values()}) == 1
        for r, s in [(small, large)]
    )
    print(f"queries constant in page size and data size: {'yes' if constant else 'NO'}")


if __name__ == "__main__":
    main()
