"""What a dashboard reads: figure cards with 同比 and 环比, monthly series, and a breakdown by
child units. Every number comes from tallies, in a fixed number of queries whatever the unit."""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from governance.metrics.periods import ReportPeriod, month_starts
from governance.metrics.registry import Metric, Period, _ratio, evaluate, metrics, scaled

__all__ = ["Card", "cards", "monthly_series", "children_breakdown", "compute", "change"]


@dataclass
class Card:
    metric: Metric
    value: Decimal | int | None
    previous: Decimal | int | None
    year_before: Decimal | int | None

    @property
    def vs_previous(self):
        return change(self.value, self.previous, self.metric)

    @property
    def vs_year_before(self):
        return change(self.value, self.year_before, self.metric)


def change(now, before, metric: Metric) -> dict | None:
    """The change against a comparison period: a percentage for counts, points for rates."""
    if now is None or before is None:
        return None
    if metric.kind in {"rate", "yoy"}:
        delta = Decimal(now) - Decimal(before)
        return {"delta": delta.quantize(Decimal("0.1")), "unit": "points"}
    if not before:
        return None
    delta = (Decimal(100) * (Decimal(now) - Decimal(before)) / Decimal(before)).quantize(
        Decimal("0.1")
    )
    return {"delta": delta, "unit": "percent"}


def cards(unit, period: ReportPeriod, selected: list[Metric] | None = None) -> list[Card]:
    selected = selected if selected is not None else metrics()
    now = evaluate(unit, period.current, selected)
    previous = evaluate(unit, period.previous, selected)
    year_before = evaluate(unit, period.year_before, selected)
    return [Card(m, now[m.key], previous[m.key], year_before[m.key]) for m in selected]


def compute(metric: Metric, flow: dict, stock: dict, before: dict | None = None):
    """One metric from sums already fetched: flow sums in the period, stock sums to its end."""
    if metric.kind == "stock":
        return stock.get(metric.facts[0], 0)
    if metric.kind == "count":
        return scaled(metric, flow.get(metric.facts[0], 0))
    if metric.kind == "yoy":
        this, last = flow.get(metric.facts[0], 0), (before or {}).get(metric.facts[0], 0)
        return _ratio(this - last, last, 100)
    numerator, denominator = (flow.get(f, 0) for f in metric.facts)
    return _ratio(numerator, denominator, 100 if metric.kind == "rate" else 1)


def _keys(selected) -> list[str]:
    return sorted({f for m in selected for f in m.facts})


def monthly_series(unit, end: date, months: int, selected: list[Metric]) -> dict:
    """{"months": [...], metric key: [value per month]}: two queries for any unit."""
    starts = month_starts(end, months)
    window_start = date(starts[0].year - 1, starts[0].month, 1)
    keys = _keys(selected)
    # The last month may be unfinished: a year earlier, count only the same days of it.
    cut = Period(end, end).year_before().end
    cut_month_end = month_starts(cut, 1)[0].replace(day=monthrange(cut.year, cut.month)[1])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.metric, date_trunc('month', t.day)::date, sum(t.value)
            FROM governance_subtreetally t
            WHERE t.unit_id = %s AND t.metric = ANY(%s) AND t.day BETWEEN %s AND %s
              AND NOT (t.day > %s AND t.day <= %s)
            GROUP BY 1, 2
            """,
            [unit.pk, keys, window_start, end, cut, cut_month_end],
        )
        by_month: dict[date, dict[str, int]] = defaultdict(dict)
        for key, month, total in cursor.fetchall():
            by_month[month][key] = int(total)
        cursor.execute(
            """
            SELECT t.metric, sum(t.value)
            FROM governance_subtreetally t
            WHERE t.unit_id = %s AND t.metric = ANY(%s) AND t.day < %s
            GROUP BY 1
            """,
            [unit.pk, keys, starts[0]],
        )
        base = {key: int(total) for key, total in cursor.fetchall()}
    # Running totals for stocks, month by month, from everything before the first month.
    running = dict(base)
    series: dict = {"months": [m.strftime("%Y-%m") for m in starts]}
    for m in selected:
        series[m.key] = []
    for month in starts:
        flow = by_month.get(month, {})
        for key, value in flow.items():
            running[key] = running.get(key, 0) + value
        year_earlier = by_month.get(date(month.year - 1, month.month, 1), {})
        for m in selected:
            value = compute(m, flow, running, year_earlier)
            series[m.key].append(None if value is None else float(value))
    return series


def children_breakdown(unit, period: Period, selected: list[Metric]) -> list[tuple]:
    """[(child unit, {metric key: value})] for the unit's active children: two queries."""
    from governance.models import AdministrativeUnit

    children = list(AdministrativeUnit.objects.filter(parent=unit).active().order_by("code"))
    keys = _keys(selected)
    sums: dict[str, dict[int, dict[str, int]]] = {
        "flow": defaultdict(dict),
        "stock": defaultdict(dict),
    }
    with connection.cursor() as cursor:
        for kind, condition, params in [
            ("flow", "t.day BETWEEN %s AND %s", [period.start, period.end]),
            ("stock", "t.day <= %s", [period.end]),
        ]:
            cursor.execute(
                f"""
                SELECT t.unit_id, t.metric, sum(t.value)
                FROM governance_subtreetally t
                WHERE t.unit_id = ANY(%s) AND t.metric = ANY(%s) AND {condition}
                GROUP BY 1, 2
                """,  # noqa: S608 -- the condition is one of two literals above
                [[child.pk for child in children], keys, *params],
            )
            for child, key, total in cursor.fetchall():
                sums[kind][child][key] = int(total)
    rows = []
    for child in children:
        flow, stock = sums["flow"].get(child.pk, {}), sums["stock"].get(child.pk, {})
        rows.append((child, {m.key: compute(m, flow, stock) for m in selected if m.kind != "yoy"}))
    return rows
