"""The district dashboard on the demo data against a city: nine more districts like the demo
one and millions of records. Reports the median server time of both, their ratio, and the
dashboard's time against running its own SQL directly through psycopg.

    .venv/bin/python bench/dashboard.py [--cases 2000000] [--runs 15]
"""

import argparse
import statistics
import time

from _setup import setup

DISTRICT = "370117000000"


def timed(client, url: str, runs: int) -> float:
    client.get(url)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def own_queries(client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries]


def replay(queries: list[str], runs: int) -> float:
    """The same statements straight through psycopg, on a connection of their own."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }
    samples = []
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        for _ in range(runs + 1):
            began = time.perf_counter()
            for sql in queries:
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    conn.execute(sql).fetchall()
            samples.append(time.perf_counter() - began)
    return statistics.median(samples[1:])


def add_districts(count: int) -> None:
    """Nine more districts shaped like the demo one: its units copied under other county codes."""
    from django.db import connection

    with connection.cursor() as cursor:
        for n in range(1, count + 1):
            county = f"3701{n:02d}"
            cursor.execute(
                "SELECT 1 FROM governance_administrativeunit WHERE code = %s", [f"{county}000000"]
            )
            if cursor.fetchone():
                continue
            cursor.execute(
                """
                INSERT INTO governance_administrativeunit
                    (code, name, level, path, depth, notes, created_on, retired_reason, version)
                SELECT %s || substr(code, 7), %s || name, level,
                       replace(path, '/370117', '/' || %s), depth, '', created_on, '', 1
                FROM governance_administrativeunit WHERE path LIKE '/370117000000/%%'
                """,
                [county, f"基准{n}·", county],
            )
            cursor.execute(
                """
                UPDATE governance_administrativeunit c SET parent_id = p.id
                FROM governance_administrativeunit p
                WHERE c.code LIKE %s AND c.parent_id IS NULL AND c.level <> 'district'
                  AND p.path = substr(c.path, 1, length(c.path) - length(c.code) - 1)
                """,
                [f"{county}%"],
            )


def retally() -> None:
    from django.db import connection

    from bench.generate import tally_copied_cases
    from governance.models.tallies import SUBTREE_FROM_TALLY

    tally_copied_cases()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_subtreetally")
        cursor.execute(
            "INSERT INTO governance_subtreetally (unit_id, day, metric, value) "
            + SUBTREE_FROM_TALLY
        )
        cursor.execute("ANALYZE governance_subtreetally")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default="portal_city")
    args = parser.parse_args()
    setup(args.database)

    from django.test import Client

    from bench.generate import copy_cases
    from governance.demo.disputes import load_disputes
    from governance.models import AdministrativeUnit, DisputeCase, SubtreeTally, Tally, User

    load_disputes()
    client = Client()
    client.force_login(User.objects.get(username="district"))
    url = f"/dashboard/{DISTRICT}/"
    demo_records = DisputeCase.objects.count()
    demo_time = timed(client, url, args.runs)
    demo_queries = own_queries(client, url)
    demo_sql = replay(demo_queries, args.runs)

    add_districts(9)
    have = DisputeCase.objects.count()
    if have < args.cases:
        began = time.perf_counter()
        copy_cases(args.cases - have, seed=have + 1)
        print(f"generated {args.cases - have:,} cases in {time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        retally()
        print(f"tallied in {time.perf_counter() - began:.0f} s")

    city_time = timed(client, url, args.runs)
    city_queries = own_queries(client, url)
    city_sql = replay(city_queries, args.runs)
    print(
        f"units: {AdministrativeUnit.objects.count():,}; cases: {DisputeCase.objects.count():,} (demo {demo_records:,})"
    )
    print(f"tally rows: {Tally.objects.count():,}; subtree rows: {SubtreeTally.objects.count():,}")
    print(
        f"district dashboard, demo data: {demo_time * 1000:.1f} ms median of {args.runs}; city: {city_time * 1000:.1f} ms"
    )
    print(f"ratio city / demo: {city_time / demo_time:.2f}")
    print(
        f"its own SQL through psycopg: demo {demo_sql * 1000:.1f} ms, city {city_sql * 1000:.1f} ms"
    )
    print(
        f"ratio server time / own SQL: demo {demo_time / demo_sql:.2f}, city {city_time / city_sql:.2f}"
    )
    print(f"queries per dashboard: demo {len(demo_queries)}, city {len(city_queries)}")


if __name__ == "__main__":
    main()
