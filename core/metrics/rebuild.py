"""Recompute every tally from the records: what `manage.py rebuild_tallies` runs."""

from django.db import connection, transaction

from core.metrics.registry import sources
from core.models.tallies import SUBTREE_FROM_TALLY, Fact, apply_fact_changes, net_facts

__all__ = [
    "recomputed_facts",
    "rebuild_tallies",
    "stored_facts",
    "stored_subtree_sums",
    "recomputed_subtree_sums",
]


def recomputed_facts() -> dict:
    facts = []
    for source in sources():
        for record in source.records().iterator(chunk_size=5000):
            facts.extend(record.tally_facts())
    return net_facts(facts)


def stored_facts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT unit_id, day, metric, value FROM governance_tally WHERE value <> 0")
        return {(u, d, m): v for u, d, m, v in cursor.fetchall()}


def stored_subtree_sums() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, day, metric, value FROM governance_subtreetally WHERE value <> 0"
        )
        return {(u, d, m): v for u, d, m, v in cursor.fetchall()}


def recomputed_subtree_sums() -> dict:
    """What the subtree sums should be, from the facts and the tree as it is now."""
    with connection.cursor() as cursor:
        cursor.execute(SUBTREE_FROM_TALLY)
        return {(u, d, m): int(v) for u, d, m, v in cursor.fetchall() if v}


def rebuild_tallies() -> int:
    """Replace the tally table with a recomputation; returns the number of rows written."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE governance_tally, governance_subtreetally IN EXCLUSIVE MODE")
            cursor.execute("DELETE FROM governance_tally")
            cursor.execute("DELETE FROM governance_subtreetally")
        facts = recomputed_facts()
        apply_fact_changes([], [Fact(u, d, m, v) for (u, d, m), v in facts.items()])
        return len(facts)
