"""The staff search box: time per query for each kind and for the whole box, on the demo district,
then with the dispute cases grown to --cases (the largest table a "contains" scan reads).

    .venv/bin/python bench/search.py [--cases 200000] [--runs 9] [--database portal_bench_search]

Run it on a copy of the demo (createdb -T) for the demo's own records; on a fresh database it
measures the district's units and accounts alone.
"""

import argparse
import statistics
import time

from _setup import setup

USERS = ("district", "aishan", "meiyuan_grid")
NO_HIT = "无此记录的查询"


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def median_ms(call, runs: int) -> float:
    call()  # warm
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def queries() -> dict[str, str]:
    """A number, a code, a piece of a name and a query that finds nothing, from the data."""
    from core.models import AdministrativeUnit
    from disputes.models import DisputeCase

    case = DisputeCase.objects.exclude(number__startswith="BENCH").order_by("id").first()
    community = AdministrativeUnit.objects.filter(level="community").order_by("code").first()
    chosen = {"no hit": NO_HIT}
    if case is not None:
        chosen["case number"] = case.number
    if community is not None:
        chosen["unit code"] = community.code
        chosen["part of a name"] = community.name[:2]
    return chosen


def measure(runs: int, users=USERS) -> list[tuple[str, str, str, float]]:
    from core.models import User
    from core.search import SEARCHERS, search

    rows = []
    for username in users:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        for label, query in queries().items():
            for key, searcher in sorted(SEARCHERS.items()):
                if searcher.allowed(user):
                    ms = median_ms(lambda s=searcher, q=query, u=user: s.find(u, q, 6), runs)
                    rows.append((username, label, key, ms))
            whole = median_ms(lambda u=user, q=query: search(u, q), runs)
            rows.append((username, label, "whole box", whole))
    return rows


def request_ms(runs: int) -> float:
    from django.test import Client

    from core.models import User

    client = Client()
    client.force_login(User.objects.get(username="district"))
    return median_ms(
        lambda: client.get("/search/", {"q": NO_HIT}, headers={"HX-Request": "true"}), runs
    )


def report(title: str, rows) -> None:
    print(title)
    for username, label, key, ms in rows:
        print(f"  {username:<13} {label:<15} {key:<10} {ms:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--database", default="portal_bench_search")
    args = parser.parse_args()
    setup(args.database)

    from bench.generate import copy_cases
    from disputes.models import DisputeCase

    analyze()  # a copied database's statistics mislead the planner into nested loops
    before = DisputeCase.objects.count()
    demo = measure(args.runs)
    report(f"demo data ({before:,} cases), median of {args.runs}:", demo)
    demo_request = request_ms(args.runs)
    print(f"whole request, district, no hit: {demo_request:.1f} ms")

    if before < args.cases:
        copy_cases(args.cases - before, seed=before + 1)
        analyze()
    total = DisputeCase.objects.count()
    grown = measure(args.runs, users=("district",))
    report(f"cases: {total:,}, median of {args.runs}:", grown)
    grown_request = request_ms(args.runs)
    print(f"whole request, district, no hit: {grown_request:.1f} ms")
    worst = max(ms for *_, ms in grown)
    print(f"slowest search with {total:,} cases: {worst:.1f} ms")
    print(f"ratio request {total:,} cases / demo: {grown_request / demo_request:.2f}")


if __name__ == "__main__":
    main()
