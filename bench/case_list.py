"""The dispute list at 1,000,000 cases: page 1 against page 1,000 (keyset), and whether the
number of queries per page grows with page size or data size.

    .venv/bin/python bench/case_list.py [--cases 1000000] [--small 10000] [--page 1000] [--runs 15]
        [--database portal_bench]
"""

import argparse
import statistics
import time

from _setup import setup


def timed(client, url: str, runs: int) -> float:
    client.get(url)  # warm
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def cursor_at(page: int, size: int) -> str:
    from disputes.models import DisputeCase

    row = DisputeCase.objects.order_by("-received_on", "-pk").values_list("received_on", "pk")[
        page * size - 1
    ]
    return f"{row[0].isoformat()}_{row[1]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000, help="cases in the small data set")
    parser.add_argument("--page", type=int, default=1_000, help="the deep page, 25 rows a page")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default="portal_bench")
    args = parser.parse_args()
    setup(args.database)

    from django.test import Client

    from bench.generate import copy_cases, retally_everything
    from core.models import User
    from disputes.models import DisputeCase

    client = Client()
    client.force_login(User.objects.get(username="district"))

    small = args.small
    have = DisputeCase.objects.count()
    if have < small:
        copy_cases(small - have, seed=have + 1)
        retally_everything()
    small_queries = {size: queries(client, f"/cases/?size={size}") for size in (25, 100)}
    small_plain = timed(client, "/cases/", args.runs)
    small_page1 = timed(client, "/cases/?size=25", args.runs)

    have = DisputeCase.objects.count()
    if have < args.cases:
        began = time.perf_counter()
        copy_cases(args.cases - have, seed=have + 1)
        print(f"generated {args.cases - have} cases in {time.perf_counter() - began:.0f} s")
        retally_everything()
    total = DisputeCase.objects.count()

    page1 = timed(client, "/cases/?size=25", args.runs)
    plain = timed(client, "/cases/", args.runs)
    deep_url = f"/cases/?size=25&after={cursor_at(args.page - 1, 25)}"
    deep = timed(client, deep_url, args.runs)
    large_queries = {size: queries(client, f"/cases/?size={size}") for size in (25, 100)}
    deep_queries = queries(client, deep_url)

    print(f"cases: {total}")
    print(f"page 1 (25 rows):     {page1 * 1000:.1f} ms median of {args.runs}")
    print(f"page {args.page:,} (25 rows): {deep * 1000:.1f} ms median of {args.runs}")
    print(f"ratio page {args.page:,} / page 1: {deep / page1:.2f}")
    print(
        f"unfiltered list: {plain * 1000:.1f} ms with {total:,} cases, "
        f"{small_plain * 1000:.1f} ms with {small:,}; ratio {plain / small_plain:.2f}"
    )
    print(
        f"page 1 with {small:,} cases: {small_page1 * 1000:.1f} ms; ratio large/small data: {page1 / small_page1:.2f}"
    )
    print(
        f"queries per page, {small:,} cases: size 25 → {small_queries[25]}, size 100 → {small_queries[100]}"
    )
    print(
        f"queries per page, {total:,} cases: size 25 → {large_queries[25]}, size 100 → {large_queries[100]}, page {args.page:,} → {deep_queries}"
    )


if __name__ == "__main__":
    main()
