"""What a dashboard reads: figure cards with 同比 and 环比, monthly series, and a breakdown by
child units. Every number comes from tallies, in a fixed number of queries whatever the unit."""

import re
from calendar import monthrange
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from psycopg.types.numeric import IntLoader

from core.metrics.periods import ReportPeriod, month_starts
from core.metrics.registry import (
    Metric,
    Period,
    _ratio,
    histogram_median,
    metrics,
    scaled,
)

__all__ = [
    "Card",
    "cards",
    "monthly_series",
    "children_breakdown",
    "compute",
    "change",
    "units_figures",
    "window_sums",
]


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
    """Each metric now, in the period before (环比) and a year before (同比): one query."""
    selected = selected if selected is not None else metrics()
    compared = {
        "now": period.current,
        "previous": period.previous,
        "year_before": period.year_before,
    }
    windows: dict[str, tuple[date | None, date]] = {}
    for name, span in compared.items():
        earlier = span.year_before()
        windows[f"{name}.flow"] = (span.start, span.end)
        windows[f"{name}.stock"] = (None, span.end)
        windows[f"{name}.earlier"] = (earlier.start, earlier.end)
    sums = window_sums([unit.pk], windows, _keys(selected)).get(unit.pk, {})
    now, previous, year_before = (
        [sums.get(f"{name}.{part}", {}) for part in ("flow", "stock", "earlier")]
        for name in compared
    )
    figure_cards = []
    for m in selected:
        calculate = _calculator(m)
        figure_cards.append(Card(m, calculate(*now), calculate(*previous), calculate(*year_before)))
    return figure_cards


def window_sums(
    unit_ids: list[int], windows: dict[str, tuple[date | None, date]], keys: list[str]
) -> dict[int, dict[str, dict[str, int]]]:
    """{unit id: {window name: {fact: sum}}} for windows (start or None for "since ever", end),
    read from the subtree tallies in one query whatever the number of windows and units."""
    names = list(windows)
    columns, params = [], []
    for name in names:
        start, end = windows[name]
        if start is None:
            columns.append("sum(t.value) FILTER (WHERE t.day <= %s)")
            params.append(end)
        else:
            columns.append("sum(t.value) FILTER (WHERE t.day BETWEEN %s AND %s)")
            params += [start, end]
    latest = max(end for _, end in windows.values())
    by_unit: dict[int, list[dict[str, int]]] = {}  # a unit's sums, window by window
    with _tally_cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.unit_id, t.metric, {", ".join(columns)}
            FROM governance_subtreetally t
            WHERE t.unit_id = ANY(%s) AND t.metric = ANY(%s) AND t.day <= %s
            GROUP BY 1, 2
            """,  # noqa: S608 -- the columns are the two literals above, values are parameters
            [*params, unit_ids, _text_array(tuple(keys)), latest],
        )
        for unit_id, key, *totals in cursor.fetchall():
            windows_of_unit = by_unit.get(unit_id)
            if windows_of_unit is None:
                windows_of_unit = by_unit[unit_id] = [{} for _ in names]
            for sums, total in zip(windows_of_unit, totals, strict=True):
                if total is not None:
                    sums[key] = total
    return {
        unit_id: dict(zip(names, windows_of_unit, strict=True))
        for unit_id, windows_of_unit in by_unit.items()
    }


@contextmanager
def _tally_cursor():
    """A cursor that reads sums of tallies as int: the sum of a bigint column is a numeric,
    which psycopg would make a Decimal, only for it to be made an int again, thousands of
    times a dashboard."""
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("numeric", IntLoader)
        yield cursor


def compute(metric: Metric, flow: dict, stock: dict, before: dict | None = None):
    """One metric from sums already fetched: flow sums in the period, stock sums to its end."""
    return _calculator(metric)(flow, stock, before or {})


def _calculator(metric: Metric):
    """compute() for one metric as a function of (flow, stock, before), its kind and facts
    looked at once rather than each time a figure is computed: a dashboard computes a thousand."""
    facts, first = metric.facts, metric.facts[0]
    if metric.kind == "stock":
        return lambda flow, stock, before: stock.get(first, 0)
    if metric.kind == "count":
        if metric.divisor == 1:
            return lambda flow, stock, before: flow.get(first, 0)
        return lambda flow, stock, before: scaled(metric, flow.get(first, 0))
    if metric.kind == "yoy":

        def year_on_year(flow, stock, before):
            last = before.get(first, 0)
            return _ratio(flow.get(first, 0) - last, last, 100)

        return year_on_year
    if metric.kind == "median":
        return lambda flow, stock, before: histogram_median(flow, facts)
    numerator, denominator = facts
    scale = 100 if metric.kind == "rate" else 1
    return lambda flow, stock, before: _ratio(
        flow.get(numerator, 0), flow.get(denominator, 0), scale
    )


def _keys(selected) -> tuple[str, ...]:
    # Keyed by the facts alone: hashing the metrics would translate their labels.
    return _sorted_facts(tuple(m.facts for m in selected))


@lru_cache(maxsize=64)
def _sorted_facts(facts: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return tuple(sorted({f for fs in facts for f in fs}))


_NEEDS_QUOTES = re.compile(r'(?i)^$|[",\\\s{}]|^null$')


@lru_cache(maxsize=64)
def _text_array(keys: tuple[str, ...]) -> str:
    """The keys as the array literal psycopg would write for the list, '{a,b}', built once for
    each set of keys: adapting a list of some 800 tally keys anew costs a millisecond a query."""

    def element(key: str) -> str:
        if not _NEEDS_QUOTES.search(key):
            return key
        return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "{" + ",".join(element(key) for key in keys) + "}"


def monthly_series(unit, end: date, months: int, selected: list[Metric]) -> dict:
    """{"months": [...], metric key: [value per month]}: one query for any unit."""
    starts = month_starts(end, months)
    window_start = date(starts[0].year - 1, starts[0].month, 1)
    keys = _keys(selected)
    # The last month may be unfinished: a year earlier, count only the same days of it.
    cut = Period(end, end).year_before().end
    cut_month_end = month_starts(cut, 1)[0].replace(day=monthrange(cut.year, cut.month)[1])
    # One pass over the unit's tallies up to the end: month by month, with the days of the
    # year-earlier month that lie after the cut kept apart (the last month's 同比 leaves them
    # out; that month's own column and every stock count them).
    with _tally_cursor() as cursor:
        cursor.execute(
            """
            SELECT t.metric, date_trunc('month', t.day)::date, (t.day > %s AND t.day <= %s),
                   sum(t.value)
            FROM governance_subtreetally t
            WHERE t.unit_id = %s AND t.metric = ANY(%s) AND t.day <= %s
            GROUP BY 1, 2, 3
            """,
            [cut, cut_month_end, unit.pk, _text_array(keys), end],
        )
        by_month: dict[date, dict[str, int]] = defaultdict(dict)
        after_cut_sums: dict[str, int] = {}
        # Running totals for stocks, from everything before the first month, then month by
        # month, so that a stock shows its value at each month's end; only stocks read them.
        running = dict.fromkeys({m.facts[0] for m in selected if m.kind == "stock"}, 0)
        first_month = starts[0]
        for key, month, after_cut, total in cursor.fetchall():
            if month < first_month and key in running:
                running[key] += total
            if month >= window_start:
                sums = by_month[month]
                sums[key] = sums.get(key, 0) + total
                if after_cut:
                    after_cut_sums[key] = total
    series: dict = {"months": [m.strftime("%Y-%m") for m in starts]}
    figures = []  # each metric's list of values, and how a value is computed
    for m in selected:
        series[m.key] = []
        figures.append((series[m.key], _calculator(m)))
    for month in starts:
        flow = by_month.get(month, {})
        for key in running:
            running[key] += flow.get(key, 0)
        year_earlier = by_month.get(date(month.year - 1, month.month, 1), {})
        if month == starts[-1] and after_cut_sums:
            year_earlier = {k: v - after_cut_sums.get(k, 0) for k, v in year_earlier.items()}
        for values, calculate in figures:
            value = calculate(flow, running, year_earlier)
            values.append(None if value is None else float(value))
    return series


def units_figures(units, period: Period, selected: list[Metric]) -> dict[int, dict]:
    """{unit id: {metric key: value}} for each unit over the period, as evaluate() gives them
    one unit at a time: one query for all the units."""
    earlier = period.year_before()
    windows = {
        "flow": (period.start, period.end),
        "stock": (None, period.end),
        "earlier": (earlier.start, earlier.end),
    }
    sums = window_sums([unit.pk for unit in units], windows, _keys(selected))
    figures = [(m.key, _calculator(m)) for m in selected]
    values = {}
    for unit in units:
        mine = sums.get(unit.pk, {})
        flow, stock, before = (mine.get(name, {}) for name in windows)
        values[unit.pk] = {key: calculate(flow, stock, before) for key, calculate in figures}
    return values


def children_breakdown(unit, period: Period, selected: list[Metric]) -> list[tuple]:
    """[(child unit, {metric key: value})] for the unit's active children: one query."""
    from core.models import AdministrativeUnit

    children = list(AdministrativeUnit.objects.filter(parent=unit).active().order_by("code"))
    windows = {"flow": (period.start, period.end), "stock": (None, period.end)}
    sums = window_sums([child.pk for child in children], windows, _keys(selected))
    figures = [(m.key, _calculator(m)) for m in selected if m.kind != "yoy"]
    rows = []
    for child in children:
        mine = sums.get(child.pk, {})
        flow, stock = mine.get("flow", {}), mine.get("stock", {})
        rows.append((child, {key: calculate(flow, stock, {}) for key, calculate in figures}))
    return rows
