"""Writing many tally facts at once (a roll import's batch, the demo): the facts are netted,
copied into a temporary table, and added to the unit tallies and to every ancestor's subtree
sums in one statement. The same sums `core.models.tallies.apply_fact_changes` writes;
its ancestor join suits a handful of facts, this one (a hash join on the path's codes) suits
thousands."""

from collections.abc import Iterable

from django.db import connection

from core.models.tallies import Fact, net_facts

__all__ = ["add_facts", "add_facts_from_table"]

_TEMP = "volunteers_fact_rows"


def _temp_table(cursor) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP} "
        "(unit_id bigint, day date, metric varchar(64), value bigint) ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"DELETE FROM {_TEMP}")  # noqa: S608 -- constant name


def add_facts_from_table() -> None:
    """Add the facts in the temporary table (inside the caller's transaction): one statement
    nets them, adds them to the unit tallies and to every ancestor's subtree sums. Rows go in
    in the order of each table's unique index, so consecutive upserts descend to the same
    pages."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH delta AS MATERIALIZED (
                SELECT unit_id, day, metric, sum(value)::bigint AS value FROM {_TEMP}
                GROUP BY 1, 2, 3 HAVING sum(value) <> 0
            ),
            unit_sums AS (
                INSERT INTO governance_tally (unit_id, day, metric, value)
                SELECT unit_id, day, metric, value FROM delta ORDER BY unit_id, day, metric
                ON CONFLICT (unit_id, day, metric)
                DO UPDATE SET value = governance_tally.value + EXCLUDED.value
            )
            INSERT INTO governance_subtreetally (unit_id, day, metric, value)
            SELECT a.id, d.day, d.metric, sum(d.value)::bigint
            FROM delta d
            JOIN governance_administrativeunit u ON u.id = d.unit_id
            CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')) AS c(code)
            JOIN governance_administrativeunit a ON a.code = c.code
            GROUP BY 1, 2, 3 HAVING sum(d.value) <> 0
            ORDER BY 1, 3, 2
            ON CONFLICT (unit_id, metric, day)
            DO UPDATE SET value = governance_subtreetally.value + EXCLUDED.value
            """  # noqa: S608 -- constant name
        )


def add_facts(old: Iterable[Fact], new: Iterable[Fact]) -> None:
    """Take back the old facts and add the new ones, inside the caller's transaction."""
    delta = net_facts(list(new) + [f._replace(value=-f.value) for f in old])
    if not delta:
        return
    with connection.cursor() as cursor:
        _temp_table(cursor)
    connection.ensure_connection()
    with (
        connection.connection.cursor() as raw,
        raw.copy(f"COPY {_TEMP} (unit_id, day, metric, value) FROM STDIN") as copy,
    ):
        for (unit_id, day, key), value in delta.items():
            copy.write_row((unit_id, day, key, value))
    add_facts_from_table()


def temp_table() -> str:
    with connection.cursor() as cursor:
        _temp_table(cursor)
    return _TEMP
