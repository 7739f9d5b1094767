"""Bulk generators for benchmarks: rows go in with COPY, in the shape the portal writes them."""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from psycopg.types.range import Range as DateTimeRange

from core.demo.people import _CHECK, _WEIGHTS, fake_id_number, fake_name, fake_phone
from core.metrics.registry import sources
from core.models import AdministrativeUnit, User
from core.models.tallies import SUBTREE_FROM_TALLY
from disputes.models import CaseCategory, DisputeCase
from volunteers.models import ActivityTheme

__all__ = ["copy_cases", "copy_volunteer_service", "retally_everything"]

DEMO_DISTRICT = "370117000000"


def copy_cases(total: int, *, seed: int = 1, batch: int = 100_000) -> None:
    """Add `total` dispute cases, each with one party, spread over the district's grids."""
    rng = random.Random(seed)
    grids = list(AdministrativeUnit.objects.filter(level="grid").values_list("id", "path"))
    streets = {u.code: u.id for u in AdministrativeUnit.objects.filter(level="street")}
    category = CaseCategory.objects.get_or_create(name="邻里")[0].pk
    author = User.objects.get(username="district").pk
    start = date.today() - timedelta(days=3 * 365)
    first = (DisputeCase.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    with connection.cursor() as cursor:
        raw = cursor.connection
        # Generated rows need no history: skip pghistory's row triggers while copying.
        cursor.execute("SET session_replication_role = replica")
        for offset in range(0, total, batch):
            count = min(batch, total - offset)
            with raw.cursor() as copy_cursor:
                with copy_cursor.copy(
                    "COPY governance_disputecase (id, number, street_id, unit_id, source, category_id, received_on, "
                    "description, status, handling_level, settled_level, outcome, referral, referred_body, "
                    "created_by_id, created_at, version) FROM STDIN"
                ) as copy:
                    for n in range(first + offset, first + offset + count):
                        unit_id, path = rng.choice(grids)
                        street = streets[path.strip("/").split("/")[1]]
                        received = start + timedelta(days=rng.randrange(3 * 365))
                        copy.write_row(
                            (
                                n,
                                f"BENCH-{n:08d}",
                                street,
                                unit_id,
                                "grid",
                                category,
                                received,
                                "基准测试案件",
                                "accepted",
                                "grid",
                                "",
                                "",
                                "",
                                "",
                                author,
                                "2026-01-01 00:00+08",
                                1,
                            )
                        )
            with raw.cursor() as copy_cursor:
                with copy_cursor.copy(
                    "COPY governance_caseparty (case_id, side, name, phone, id_number, address) FROM STDIN"
                ) as copy:
                    for case_id in range(first + offset, first + offset + count):
                        copy.write_row(
                            (
                                case_id,
                                "applicant",
                                fake_name(rng),
                                fake_phone(rng),
                                fake_id_number(rng),
                                "",
                            )
                        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('governance_disputecase', 'id'), (SELECT max(id) FROM governance_disputecase))"
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE governance_disputecase")
        cursor.execute("ANALYZE governance_caseparty")


def _id_number(county: str, n: int) -> str:
    """A valid, unique ID number for the n-th generated person of a county."""
    born = date(1950, 1, 1) + timedelta(days=n // 1000)
    body = f"{county}{born:%Y%m%d}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


def _copy(cursor, table: str, columns: str, rows) -> None:
    with cursor.connection.cursor() as copy_cursor:
        with copy_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def copy_volunteer_service(
    *, volunteers: int, activities: int, per_activity: int, seed: int = 2
) -> int:
    """For every district but the demo one: `volunteers` volunteers at its communities and
    villages, a team at each of them, `activities` activities over three years (one district's
    activities never overlap in time, so no volunteer is in two at once) and `per_activity`
    volunteers' verified hours in each. Returns the number of rows written."""
    rng = random.Random(seed)
    theme = ActivityTheme.objects.get_or_create(name="弘扬雷锋精神")[0].pk
    author = User.objects.get(username="district").pk
    start = datetime(2023, 12, 1, 8, tzinfo=UTC)
    written = 0
    districts = AdministrativeUnit.objects.filter(level="district").exclude(code=DEMO_DISTRICT)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for district in districts:
            county = district.code[:6]
            places = list(
                AdministrativeUnit.objects.filter(
                    path__startswith=district.path, level__in=["community", "village"]
                ).values_list("id", flat=True)
            )
            first_volunteer = _next_id(cursor, "volunteers_volunteer")
            _copy(
                cursor,
                "volunteers_volunteer",
                "id, unit_id, name, phone, id_number, skills, joined_on, status, status_since, "
                "points_balance, version",
                (
                    (
                        first_volunteer + n,
                        rng.choice(places),
                        fake_name(rng),
                        fake_phone(rng),
                        _id_number(county, n),
                        "{}",
                        date(2020, 1, 1) + timedelta(days=rng.randrange(1400)),
                        "active",
                        None,
                        0,
                        1,
                    )
                    for n in range(volunteers)
                ),
            )
            first_team = _next_id(cursor, "volunteers_team")
            _copy(
                cursor,
                "volunteers_team",
                "id, unit_id, name, founded_on, version",
                (
                    (first_team + n, unit, "志愿服务队", date(2021, 3, 5), 1)
                    for n, unit in enumerate(places)
                ),
            )
            first_activity = _next_id(cursor, "volunteers_activity")
            slots = []
            for n in range(activities):
                team = rng.randrange(len(places))
                begins = start + timedelta(hours=9 * n)
                ends = begins + timedelta(hours=rng.choice([2, 3]))
                slots.append((first_activity + n, places[team], first_team + team, begins, ends))
            _copy(
                cursor,
                "volunteers_activity",
                "id, title, theme_id, unit_id, team_id, starts_at, ends_at, held_on, place, "
                "capacity, served, description, created_by_id, created_at, version",
                (
                    (
                        pk,
                        "基准志愿服务",
                        theme,
                        unit,
                        team,
                        begins,
                        ends,
                        (begins + timedelta(hours=8)).date(),
                        "社区广场",
                        per_activity,
                        rng.randrange(20, 200),
                        "",
                        author,
                        begins,
                        1,
                    )
                    for pk, unit, team, begins, ends in slots
                ),
            )
            _copy(
                cursor,
                "volunteers_servicehours",
                "activity_id, volunteer_id, unit_id, served_on, during, hours, status, "
                "recorded_by_id, verified_by_id, verified_at, points_credited, version",
                (
                    (
                        pk,
                        first_volunteer + member,
                        unit,
                        (begins + timedelta(hours=8)).date(),
                        DateTimeRange(begins, ends, "[)"),
                        Decimal(rng.choice([1, 1.5, 2])),
                        "verified",
                        author,
                        author,
                        ends,
                        0,
                        1,
                    )
                    for pk, unit, _team, begins, ends in slots
                    for member in rng.sample(range(volunteers), per_activity)
                ),
            )
            written += volunteers + len(places) + activities * (1 + per_activity)
        for table in ("volunteer", "team", "activity", "servicehours"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('volunteers_{table}', 'id'), "
                f"(SELECT max(id) FROM volunteers_{table}))"
            )
            cursor.execute(f"ANALYZE volunteers_{table}")
        cursor.execute("SET session_replication_role = DEFAULT")
    return written


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def retally_everything() -> int:
    """The tallies every record implies, through each record's own `tally_facts()` (the code the
    portal's writes use), streamed and summed, then written with COPY; subtree sums in one
    statement. What `rebuild_tallies` does, without holding ten million facts in a list."""
    totals: dict[tuple, int] = defaultdict(int)
    for source in sources():
        for record in source.records().iterator(chunk_size=20_000):
            for fact in record.tally_facts():
                totals[(fact.unit_id, fact.day, fact.key)] += fact.value
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE governance_tally, governance_subtreetally")
        _copy(
            cursor,
            "governance_tally",
            "unit_id, day, metric, value",
            ((u, d, m, v) for (u, d, m), v in totals.items() if v),
        )
        cursor.execute(
            "INSERT INTO governance_subtreetally (unit_id, day, metric, value) "
            + SUBTREE_FROM_TALLY
        )
        cursor.execute("ANALYZE governance_tally")
        cursor.execute("ANALYZE governance_subtreetally")
    return len(totals)
