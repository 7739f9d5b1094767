"""Tallies equal a recomputation from the records after any sequence of writes."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.metrics import Period, evaluate, metric
from core.metrics.rebuild import (
    rebuild_tallies,
    recomputed_facts,
    recomputed_subtree_sums,
    stored_facts,
    stored_subtree_sums,
)
from core.models import AdministrativeUnit, UnitLevel
from core.models.units import PARENT_LEVELS
from tests.factories import build_district

pytestmark = pytest.mark.django_db

CHILD_LEVEL = {
    UnitLevel.DISTRICT: UnitLevel.STREET,
    UnitLevel.STREET: UnitLevel.COMMUNITY,
    UnitLevel.COMMUNITY: UnitLevel.GRID,
    UnitLevel.VILLAGE: UnitLevel.GRID,
}

operation = st.tuples(
    st.sampled_from(["create", "retire", "reinstate", "rename", "move", "delete", "redate"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=3_000),
)


def _pick(items, index):
    return items[index % len(items)] if items else None


_serial = iter(range(1, 10**9))


def apply(op) -> None:
    kind, a, b, days = op
    units = list(AdministrativeUnit.objects.order_by("pk"))
    target = _pick(units, a)
    when = date(2021, 1, 1) + timedelta(days=days)
    if kind == "create":
        parent = _pick([u for u in units if u.level != UnitLevel.GRID], a)
        level = CHILD_LEVEL[parent.level]
        number = next(_serial) % 1000
        if level == UnitLevel.GRID:
            code = f"{parent.code}{number:03d}"
        elif level == UnitLevel.STREET:
            code = f"{parent.code[:6]}{number:03d}000"
        else:
            code = f"{parent.code[:9]}{number:03d}"
        if not AdministrativeUnit.objects.filter(code=code).exists() and not code.endswith(
            "000" * 2
        ):
            AdministrativeUnit(
                code=code, name="新", level=level, parent=parent, created_on=when
            ).save()
    elif kind == "retire" and target.parent_id:
        target.retired_on = max(when, target.created_on)
        target.save()
    elif kind == "reinstate":
        target.retired_on = None
        target.save()
    elif kind == "rename":
        target.name = f"改{a}"
        target.save()
    elif kind == "redate":
        target.created_on = when
        target.save()
    elif kind == "move" and target.parent_id:
        parents = [
            u for u in units if u.level in PARENT_LEVELS[target.level] and not u.is_within(target)
        ]
        new_parent = _pick(parents, b)
        if new_parent is not None:
            target.parent = new_parent
            target.save()
    elif kind == "delete" and target.parent_id and not target.children.exists():
        target.delete()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, max_size=25))
def test_tallies_equal_a_recomputation_after_any_writes(district, ops):
    with transaction.atomic():
        for op in ops:
            apply(op)
        assert stored_facts() == recomputed_facts()
        assert stored_subtree_sums() == recomputed_subtree_sums()
        # And every figure read from tallies equals a count over the records.
        root = AdministrativeUnit.objects.get(parent__isnull=True)
        end = date(2030, 1, 1)
        values = evaluate(root, Period(end, end))
        for level in [UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE, UnitLevel.GRID]:
            counted = AdministrativeUnit.objects.filter(
                level=level, retired_on__isnull=True
            ).count()
            assert values[f"units.{level}"] == counted
        transaction.set_rollback(True)


def test_rebuild_restores_tallies_that_went_wrong(district):
    from core.models import Tally

    Tally.objects.update(value=42)
    Tally.objects.filter(metric="units.grid").delete()
    rebuild_tallies()
    assert stored_facts() == recomputed_facts()
    assert stored_subtree_sums() == recomputed_subtree_sums()


def test_the_rebuild_command_runs(district):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "Rebuilt tallies" in out.getvalue()


def test_a_subtree_counts_only_its_own_units(district):
    today = date.today()
    values = evaluate(district.aishan, Period(today, today))
    assert values["units.community"] == 2 and values["units.grid"] == 2
    assert values["units.street"] == 1  # the street itself


def test_a_stock_counts_units_established_by_the_end_of_the_period(district):
    AdministrativeUnit(
        code="370117001003",
        name="后设",
        level="community",
        parent=district.aishan,
        created_on=date(2025, 6, 1),
    ).save()
    before = evaluate(district.aishan, Period(date(2025, 1, 1), date(2025, 5, 31)))
    after = evaluate(district.aishan, Period(date(2025, 1, 1), date(2025, 6, 1)))
    assert (before["units.community"], after["units.community"]) == (2, 3)


def test_a_move_is_counted_under_the_new_parent_at_once(district):
    today = date.today()
    district.meiyuan.parent = district.wenyuan
    district.meiyuan.save()
    assert evaluate(district.wenyuan, Period(today, today))["units.grid"] == 3
    assert evaluate(district.aishan, Period(today, today))["units.grid"] == 0


def test_metrics_carry_a_chinese_label_and_definition():
    from django.utils import translation

    with translation.override("zh-hans"):
        grids = metric("units.grid")
        assert str(grids.label) == "网格数"
        assert "截至统计期末" in str(grids.definition)


def test_the_demo_district_counts_match_the_article():
    from core.demo.district import load_district

    load_district()
    root = AdministrativeUnit.objects.get(code="370117000000")
    today = date.today()
    values = evaluate(root, Period(today, today))
    assert values["units.street"] == 5
    assert values["units.other_township"] == 2
    assert values["units.community"] == 41
    assert values["units.village"] == 211
    assert values["units.grid"] == 41 * 3 + 211 * 2


_ = build_district  # the `district` fixture builds it; imported for readers looking for the shape
