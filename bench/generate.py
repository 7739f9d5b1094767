"""Bulk generators for benchmarks: rows go in with COPY, in the shape the portal writes them."""

import random
from datetime import date, timedelta

from django.db import connection

from governance.demo.people import fake_id_number, fake_name, fake_phone
from governance.models import AdministrativeUnit, CaseCategory, DisputeCase, User

__all__ = ["copy_cases"]


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


def tally_copied_cases() -> None:
    """The tallies the copied cases would have written (all are accepted, none a petition):
    one SQL statement instead of a million saves."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_tally WHERE metric = 'disputes.received'")
        cursor.execute(
            """
            INSERT INTO governance_tally (unit_id, day, metric, value)
            SELECT unit_id, received_on, 'disputes.received', count(*)
            FROM governance_disputecase GROUP BY unit_id, received_on
            """
        )
