"""A backup restored into a fresh database holds the same records and the same tallies."""

import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tests.disputes.helpers import log_case

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "governance_administrativeunit",
    "governance_user",
    "governance_membership",
    "governance_disputecase",
    "governance_caseparty",
    "governance_tally",
    "governance_subtreetally",
]


def _figures(cursor_of) -> dict:
    figures = {}
    for table in TABLES:
        figures[table] = cursor_of(f"SELECT count(*) FROM {table}")  # noqa: S608
    figures["tally"] = cursor_of(
        "SELECT coalesce(sum(value * length(metric) * extract(day FROM day)), 0) "
        "FROM governance_subtreetally"
    )
    return figures


def test_backup_restores_into_a_fresh_database_with_the_same_counts_and_tallies(
    district, people, tmp_path
):
    for _ in range(7):
        log_case(people.district_staff, district.meiyuan_grid)
    db = settings.DATABASES["default"]
    dump = tmp_path / "portal.dump"
    call_command("backup", to=dump)
    assert dump.stat().st_size > 0

    def here(query):
        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchone()[0]

    expected = _figures(here)
    assert expected["governance_disputecase"] == 7

    fresh = f"restore_check_{uuid.uuid4().hex[:8]}"
    call_command("restore", str(dump), into=fresh)
    params = {"dbname": fresh, "user": db["USER"], "host": db["HOST"] or None}
    params["port"] = db["PORT"] or None
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}) as conn:
            assert _figures(lambda q: conn.execute(q).fetchone()[0]) == expected
    finally:
        params["dbname"] = "postgres"
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(fresh)))


def test_restore_refuses_to_overwrite_without_replace(tmp_path):
    from django.core.management.base import CommandError

    dump = tmp_path / "portal.dump"
    call_command("backup", to=dump)
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(dump))
