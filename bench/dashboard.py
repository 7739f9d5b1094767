"""The district dashboard on the demo data against a city: nine more districts like the demo
one and about ten million records (cases and their parties, volunteers, activities and service
hours, copied in with COPY and tallied by the records' own fact code). Reports the median server
time of both, their ratio, and the dashboard's time against running its own SQL directly through
psycopg.

    .venv/bin/python bench/dashboard.py [--cases 3000000] [--volunteers 65000] [--activities 3000]
        [--per-activity 100] [--runs 15] [--rounds 3] [--database portal_city]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from _setup import setup

DISTRICT = "370117000000"


def request_time(client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, response.status_code
    return elapsed


def own_queries(client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries]


def replay_connection():
    """A psycopg connection of its own to the same database."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def replay_time(conn, queries: list[str]) -> float:
    """The same statements straight through psycopg: the SELECTs, as the request sent them."""
    began = time.perf_counter()
    for sql in queries:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            conn.execute(sql).fetchall()
    return time.perf_counter() - began


def interleaved(client, url: str, runs: int) -> dict[str, list[float]]:
    """A request, then its SELECTs replayed, then its tally queries alone replayed, `runs`
    times over: on a shared machine the load changes from second to second, and measured
    side by side each request and its own replay meet the same load."""
    queries = own_queries(client, url)
    tally = [sql for sql in queries if "governance_subtreetally" in sql]
    samples: dict[str, list[float]] = {"server": [], "sql": [], "tally_sql": []}
    with replay_connection() as conn:
        client.get(url)  # warm both sides
        replay_time(conn, queries)
        for _ in range(runs):
            samples["server"].append(request_time(client, url))
            samples["sql"].append(replay_time(conn, queries))
            samples["tally_sql"].append(replay_time(conn, tally))
    samples["queries"], samples["tally_queries"] = queries, tally
    return samples


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
                    (code, name, official_name, level, kind, path, depth, notes, created_on,
                     retired_reason, version)
                SELECT %s || substr(code, 7), %s || name, '', level, kind,
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


def measure(database: str, runs: int) -> dict:
    """One side of the comparison, in a process of its own: the district dashboard's median
    server time, its own SQL replayed through psycopg, and the sizes behind them."""
    setup(database)
    from django.test import Client

    import core
    from core.models import AdministrativeUnit, SubtreeTally, Tally, User
    from disputes.models import DisputeCase
    from volunteers.models import ServiceHours, Volunteer

    client = Client()
    client.force_login(User.objects.get(username="district"))
    url = f"/dashboard/{DISTRICT}/"
    samples = interleaved(client, url, runs)
    median = statistics.median
    return {
        "server": median(samples["server"]),
        "sql": median(samples["sql"]),
        "tally_sql": median(samples["tally_sql"]),
        # the median of each request's time over its own replay's, measured side by side
        "ratio": median(s / q for s, q in zip(samples["server"], samples["sql"], strict=True)),
        "tally_ratio": median(
            s / q for s, q in zip(samples["server"], samples["tally_sql"], strict=True)
        ),
        "tally_queries": len(samples["tally_queries"]),
        "queries": len(samples["queries"]),
        "cases": DisputeCase.objects.count(),
        "hours": ServiceHours.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "records": records(),
        "tally_rows": Tally.objects.count(),
        "units": AdministrativeUnit.objects.count(),
        "subtree_rows": SubtreeTally.objects.count(),
        "code": os.path.dirname(os.path.dirname(core.__file__)),
    }


def records() -> int:
    """Rows in the portal's own tables (not tallies, history or sessions): the records."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables "
            "WHERE (relname LIKE 'governance\\_%' OR relname LIKE 'volunteers\\_%') "
            "AND relname NOT LIKE '%tally' AND relname NOT LIKE '%event'"
        )
        return int(cursor.fetchone()[0])


def build_demo(database: str) -> None:
    """The whole demo district, as `make demo` loads it."""
    setup(database)
    from io import StringIO

    from django.core.management import call_command

    from disputes.models import DisputeCase

    if not DisputeCase.objects.exists():
        call_command("load_demo", stdout=StringIO())


def build_city(database: str, cases: int, volunteers: int, activities: int, per_activity: int):
    """The demo district and nine more like it, with generated cases and volunteer service."""
    build_demo(database)
    from bench.generate import copy_cases, copy_volunteer_service, retally_everything
    from disputes.models import DisputeCase
    from volunteers.models import Volunteer

    add_districts(9)
    changed = False
    began = time.perf_counter()
    generated = Volunteer.objects.exclude(unit__path__startswith=f"/{DISTRICT}/")
    if generated.count() < 9 * volunteers:
        written = copy_volunteer_service(
            volunteers=volunteers, activities=activities, per_activity=per_activity
        )
        print(f"copied {written:,} volunteer records in {time.perf_counter() - began:.0f} s")
        changed = True
    have = DisputeCase.objects.count()
    if have < cases:
        began = time.perf_counter()
        copy_cases(cases - have, seed=have + 1)
        print(
            f"copied {cases - have:,} cases and their parties in {time.perf_counter() - began:.0f} s"
        )
        changed = True
    if changed:
        began = time.perf_counter()
        rows = retally_everything()
        print(
            f"tallied {rows:,} tally rows from the records in {time.perf_counter() - began:.0f} s"
        )


def run_measure(database: str, runs: int, code: str | None = None) -> dict:
    """One measurement in a process of its own, with this checkout's code or another's."""
    command = [sys.executable, __file__, "--measure", database, "--runs", str(runs)]
    if code:
        command += ["--code", code]
    out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=3_000_000)
    parser.add_argument("--volunteers", type=int, default=65_000, help="per generated district")
    parser.add_argument("--activities", type=int, default=3_000, help="per generated district")
    parser.add_argument("--per-activity", type=int, default=100, help="volunteers' hours each")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default="portal_city")
    parser.add_argument(
        "--demo-only",
        action="store_true",
        help="measure the demo district alone, in the database --database names; build no city",
    )
    parser.add_argument(
        "--against",
        metavar="CHECKOUT",
        help="with --demo-only: also measure the code of another checkout (e.g. a git worktree "
        "of an earlier commit), round by round with this one, on the same database",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--build", choices=["demo", "city"], help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.code:  # the other checkout's portal, ahead of this one's
            sys.path.insert(0, os.path.abspath(args.code))
        print(json.dumps(measure(args.measure, args.runs)))
        return
    if args.build == "demo":
        build_demo(f"{args.database}_demo")
        return
    if args.build == "city":
        build_city(args.database, args.cases, args.volunteers, args.activities, args.per_activity)
        return
    if args.demo_only:
        demo_only(args)
        return
    for side in ("demo", "city"):  # each in a process of its own: Django holds one database
        subprocess.run([sys.executable, *sys.argv, "--build", side], check=True)
    sides = {"demo": f"{args.database}_demo", "city": args.database}
    results: dict[str, list[dict]] = {"demo": [], "city": []}
    for _ in range(args.rounds):  # alternated, so the machine's noise falls on both sides
        for side, database in sides.items():
            results[side].append(run_measure(database, args.runs))

    def median(side: str, key: str) -> float:
        return statistics.median(r[key] for r in results[side])

    demo, city = results["demo"][0], results["city"][0]
    for side, sizes in (("demo", demo), ("city", city)):
        print(
            f"{side}: {sizes['records']:,} records ({sizes['units']:,} units, {sizes['cases']:,} cases, "
            f"{sizes['volunteers']:,} volunteers, {sizes['hours']:,} service hours), "
            f"{sizes['tally_rows']:,} tallies, {sizes['subtree_rows']:,} subtree tallies"
        )
    demo_time, city_time = median("demo", "server"), median("city", "server")
    demo_sql, city_sql = median("demo", "sql"), median("city", "sql")
    print(
        f"district dashboard, median of {args.rounds} rounds × {args.runs} requests: "
        f"demo {demo_time * 1000:.1f} ms, city {city_time * 1000:.1f} ms"
    )
    print(f"ratio city / demo: {city_time / demo_time:.2f}")
    print(
        f"its own SQL through psycopg: demo {demo_sql * 1000:.1f} ms, city {city_sql * 1000:.1f} ms"
    )
    print(
        "server time / its own SQL, medians of request-by-request ratios: "
        f"demo {median('demo', 'ratio'):.2f}, city {median('city', 'ratio'):.2f}; "
        f"against its tally queries alone: demo {median('demo', 'tally_ratio'):.2f}, "
        f"city {median('city', 'tally_ratio'):.2f}"
    )
    print(f"queries per dashboard: demo {demo['queries']}, city {city['queries']}")


def demo_only(args) -> None:
    """The demo district's dashboard against its own SQL; with --against, the same for another
    checkout's code, alternated round by round so that the machine's noise falls on both."""
    sides = {"this": None}
    if args.against:
        sides = {"against": args.against, "this": None}
    results: dict[str, list[dict]] = {side: [] for side in sides}
    for _ in range(args.rounds):
        for side, code in sides.items():
            results[side].append(run_measure(args.database, args.runs, code))
    first = results["this"][0]
    print(
        f"demo: {first['units']:,} units, {first['cases']:,} cases, "
        f"{first['subtree_rows']:,} subtree tallies; {first['queries']} queries a dashboard, "
        f"{first['tally_queries']} of them on tallies"
    )
    print(f"median of {args.rounds} rounds × {args.runs} requests each, alternated:")
    for side, rows in results.items():
        server = statistics.median(r["server"] for r in rows)
        sql = statistics.median(r["sql"] for r in rows)
        tally = statistics.median(r["tally_sql"] for r in rows)
        ratio = statistics.median(r["ratio"] for r in rows)
        tally_ratio = statistics.median(r["tally_ratio"] for r in rows)
        name = "this checkout" if side == "this" else args.against
        print(
            f"  {name}: server {server * 1000:.1f} ms, its SELECTs through psycopg "
            f"{sql * 1000:.1f} ms, its tally queries alone {tally * 1000:.1f} ms; "
            f"ratio server / SELECTs {ratio:.2f}, server / tally queries {tally_ratio:.2f} "
            f"(medians of request-by-request ratios; per round: "
            f"{', '.join(f'{r["ratio"]:.2f}' for r in rows)})"
        )


if __name__ == "__main__":
    main()
