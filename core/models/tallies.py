"""Tallies: additive facts per (unit, day, metric), written in the same transaction as records.

Two tables: `Tally` holds each fact at the unit it happened in; `SubtreeTally` holds, for every
unit, the sum over its whole subtree. A dashboard reads one unit's subtree rows (days × metrics),
so its cost does not grow with the number of records or of units below."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from django.db import connection, models, transaction

_BATCH = 5000

__all__ = [
    "Fact",
    "SubtreeTally",
    "Tally",
    "Tallied",
    "TallyingQuerySet",
    "apply_fact_changes",
    "counting",
    "net_facts",
    "regroup_subtree",
    "SUBTREE_FROM_TALLY",
]


class Fact(NamedTuple):
    unit_id: int
    day: date
    key: str
    value: int


# Both tables: the unit's own index would repeat the unique index's first column (every insert
# and update would keep one index more for nothing), and pages keep room for updates, so adding
# to a tally rewrites it on its page without touching an index (a HOT update: migration 0013).
# No foreign-key constraint in the database either: PostgreSQL checks one row at a time, a
# quarter of a roll import's tally writing, for rows that are derived (rebuild_tallies) and
# whose units are retired, never deleted; a deletion through Django still cascades.
class Tally(models.Model):
    unit = models.ForeignKey(
        "governance.AdministrativeUnit",
        on_delete=models.CASCADE,
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField()
    metric = models.CharField(max_length=64)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "day", "metric"), name="%(app_label)s_%(class)s_unit_day_metric"
            )
        ]
        indexes = [models.Index(fields=["metric", "day"], name="governance_tally_metric_day")]

    def __str__(self) -> str:
        return f"{self.metric} {self.unit_id} {self.day}: {self.value}"


class SubtreeTally(models.Model):
    """The sum of a metric over a unit and everything below it, per day."""

    unit = models.ForeignKey(
        "governance.AdministrativeUnit",
        on_delete=models.CASCADE,
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField()
    metric = models.CharField(max_length=64)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "metric", "day"), name="%(app_label)s_%(class)s_unit_metric_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} ⊆{self.unit_id} {self.day}: {self.value}"


# Every unit named in a path, the unit itself included: its ancestors-or-self.
_CHAIN = "a.code = ANY(string_to_array(trim(both '/' from u.path), '/'))"

# Rebuilds the subtree sums from the facts: used by rebuild_tallies and the property tests.
SUBTREE_FROM_TALLY = f"""
    SELECT a.id, t.day, t.metric, sum(t.value)
    FROM governance_tally t
    JOIN governance_administrativeunit u ON u.id = t.unit_id
    JOIN governance_administrativeunit a ON {_CHAIN}
    GROUP BY a.id, t.day, t.metric
"""  # noqa: S608 -- constant SQL


def net_facts(facts: Iterable[Fact]) -> dict[tuple[int, date, str], int]:
    totals: dict[tuple[int, date, str], int] = defaultdict(int)
    for fact in facts:
        totals[(fact.unit_id, fact.day, fact.key)] += fact.value
    return {k: v for k, v in totals.items() if v}


def apply_fact_changes(old: Iterable[Fact], new: Iterable[Fact]) -> None:
    """Add new facts and take back old ones, inside the caller's transaction: one statement
    writes both the facts and their subtree sums (a data-modifying CTE), per 5,000 facts."""
    delta = net_facts(list(new) + [f._replace(value=-f.value) for f in old])
    if not delta:
        return
    rows = [(unit_id, day, key, value) for (unit_id, day, key), value in sorted(delta.items())]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            ctes, params = _counting(rows[start : start + _BATCH])
            cursor.execute(f"WITH {ctes} SELECT 1", params)  # noqa: S608 -- see _counting


def counting(facts: Iterable[Fact]) -> tuple[str, list]:
    """What counts `facts` into both tables, as items of a WITH (and their parameters), for
    the statement that writes the record they count: one round trip for both. Empty when
    they net to nothing."""
    delta = net_facts(facts)
    rows = [(unit_id, day, key, value) for (unit_id, day, key), value in sorted(delta.items())]
    return _counting(rows) if rows else ("", [])


def _counting(rows: list[tuple]) -> tuple[str, list]:
    placeholders = ", ".join(["(%s::bigint, %s::date, %s::text, %s::bigint)"] * len(rows))
    ctes = f"""
        tally_f(unit_id, day, metric, value) AS (VALUES {placeholders}),
        tally_facts AS (
            INSERT INTO governance_tally (unit_id, day, metric, value)
            SELECT unit_id, day, metric, value FROM tally_f
            ON CONFLICT (unit_id, day, metric)
            DO UPDATE SET value = governance_tally.value + EXCLUDED.value
        ),
        tally_sums AS (
            INSERT INTO governance_subtreetally (unit_id, day, metric, value)
            SELECT a.id, f.day, f.metric, sum(f.value)
            FROM tally_f f
            JOIN governance_administrativeunit u ON u.id = f.unit_id
            JOIN governance_administrativeunit a ON {_CHAIN}
            GROUP BY a.id, f.day, f.metric
            ON CONFLICT (unit_id, metric, day)
            DO UPDATE SET value = governance_subtreetally.value + EXCLUDED.value
        )"""  # noqa: S608 -- only placeholders and a constant are interpolated
    return ctes, [item for row in rows for item in row]


def regroup_subtree(unit_id: int, old_path: str, new_path: str) -> None:
    """After a unit moved: its subtree's sums leave the old ancestors and join the new ones.
    Call after the subtree's paths were rewritten (they now start with new_path)."""
    old_chain = old_path.strip("/").split("/")[:-1]
    new_chain = new_path.strip("/").split("/")[:-1]
    leaving = [code for code in old_chain if code not in new_chain]
    joining = [code for code in new_chain if code not in old_chain]
    with connection.cursor() as cursor:
        for codes, sign in ((leaving, -1), (joining, 1)):
            if not codes:
                continue
            cursor.execute(
                """
                INSERT INTO governance_subtreetally (unit_id, day, metric, value)
                SELECT a.id, s.day, s.metric, %s * s.value
                FROM governance_subtreetally s
                JOIN governance_administrativeunit a ON a.code = ANY(%s)
                WHERE s.unit_id = %s
                ON CONFLICT (unit_id, metric, day)
                DO UPDATE SET value = governance_subtreetally.value + EXCLUDED.value
                """,
                [sign, codes, unit_id],
            )


class TallyingQuerySet(models.QuerySet):
    """Bulk update() and delete() keep tallies too: they re-tally the rows they touch.
    (Raw SQL does not; `rebuild_tallies` repairs that.)"""

    def update(self, **kwargs):
        if not hasattr(self.model, "facts_touched"):  # a queryset shared with untallied models
            return super().update(**kwargs)
        with transaction.atomic():
            pks = list(self.values_list("pk", flat=True))
            rows = self.model._default_manager.select_for_update().filter(pk__in=pks)
            old = [fact for row in rows for fact in row.facts_touched()]
            count = super().update(**kwargs)
            fresh = self.model._default_manager.filter(pk__in=pks)
            apply_fact_changes(old, [fact for row in fresh for fact in row.facts_touched()])
        return count

    update.queryset_only = True

    def delete(self):
        if not hasattr(self.model, "facts_touched"):  # a queryset shared with untallied models
            return super().delete()
        with transaction.atomic():
            deleted, per_model = 0, {}
            for row in self.model._default_manager.filter(
                pk__in=list(self.values_list("pk", flat=True))
            ):
                count, detail = row.delete()
                deleted += count
                for label, n in detail.items():
                    per_model[label] = per_model.get(label, 0) + n
        return deleted, per_model

    delete.queryset_only = True


class Tallied(models.Model):
    """A record that feeds tallies: it names its facts; save and delete keep the tallies right."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Inside a caller's transaction no savepoint of its own: an error rolls back the
        # caller's block (or its savepoint), which is what a failed save means anyway.
        created = self.pk is None
        with transaction.atomic(savepoint=False):
            old = self._stored_facts()
            super().save(*args, **kwargs)
            apply_fact_changes(old, self.saved_facts(created=created))

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            apply_fact_changes(self._stored_facts(), [])
            result = super().delete(*args, **kwargs)
        return result

    def saved_facts(self, *, created: bool) -> list[Fact]:
        """The facts right after a save; `created` when the row was just inserted (no other
        row can refer to it yet, so a record may skip reading what hangs off it)."""
        return self.tally_facts()

    def tally_facts(self) -> list[Fact]:
        raise NotImplementedError

    def facts_touched(self) -> list[Fact]:
        return self.tally_facts()

    def _stored_facts(self) -> list[Fact]:
        if self.pk is None:
            return []
        stored = type(self)._default_manager.select_for_update().filter(pk=self.pk).first()
        return stored.tally_facts() if stored else []
