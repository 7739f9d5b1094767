"""The metric registry: every figure the portal shows is a Metric registered here.

A metric reads tallies, never records: a count sums its fact over the period, a stock sums it up
to the period's end, a rate divides two such sums. Each record model that feeds tallies is
registered as a source, so `rebuild_tallies` can recompute every fact from the records.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db.models import Q, Sum

from core.groups import Group

__all__ = [
    "Metric",
    "Period",
    "register",
    "register_source",
    "metrics",
    "metric",
    "sources",
    "evaluate",
    "histogram_median",
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def year_before(self) -> "Period":
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1))


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    definition: str
    # "count": sum within the period; "stock": sum up to its end; "rate": 100 × num / den;
    # "mean": num / den; "yoy": 100 × (this period − the same period a year before) / the latter;
    # "median": the median of a histogram whose facts are keyed "<prefix>.<n>" (n a whole number),
    # each counting the records of value n in the period (medians do not add up; histograms do).
    kind: str
    facts: tuple[str, ...]  # tally keys read: (numerator, denominator) for rate and mean
    unit_label: str = ""
    order: int = 100
    # How a briefing says it, e.g. "受理矛盾纠纷%(value)s件"; empty leaves it out of briefings.
    phrase: str = ""
    # A count whose facts are tallied in fractions (tenths of an hour): shown as facts ÷ divisor.
    divisor: int = 1
    # The group of the portal's work it belongs to (a core.groups.Group): the dashboard shows it
    # in that group's section. A headline metric is shown first, before the groups.
    group: str = ""
    headline: bool = False
    # What a rate (or a comparison, a mean, a median) is taken over, short enough to stand
    # under the figure: "of cases received in the period, resolved as of today". Every rate
    # has one, so that "8 received, 8 resolved, a rate of 50%" never reads as an error.
    basis: str = ""
    # Metrics of the same kind that this one is the sum of, named under its card ("of which
    # …"), each linked to its records: registered volunteers = active + paused + left.
    parts: tuple[str, ...] = ()

    def __post_init__(self):
        expected = 2 if self.kind in {"rate", "mean"} else 1
        if self.kind == "median":
            expected = len(self.facts) or 1
        if (
            self.kind not in {"count", "stock", "rate", "mean", "yoy", "median"}
            or len(self.facts) != expected
        ):
            raise ValueError(f"metric {self.key}: bad kind or facts")
        if self.group not in Group.values:
            raise ValueError(
                f"metric {self.key}: group {self.group!r} is not one of {Group.values}"
            )


@dataclass
class Source:
    model: type
    records: Callable[[], Iterable]  # every record that contributes facts
    # The lookup from a record (or a history event of it) to the path of the unit its facts
    # hang on, so what touches a subtree is selected in SQL.
    unit_path: str = "unit__path"


@dataclass
class _Registry:
    metrics: dict[str, Metric] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


_registry = _Registry()


def register(metric_: Metric) -> Metric:
    _registry.metrics[metric_.key] = metric_
    return metric_


def register_source(
    model: type, records: Callable[[], Iterable] | None = None, *, unit_path: str = "unit__path"
) -> None:
    """`unit_path` leads to the path of the unit the record's facts hang on (see Source)."""
    label = model._meta.label
    _registry.sources[label] = Source(
        model, records or (lambda: model._default_manager.all()), unit_path
    )


def metrics() -> list[Metric]:
    return sorted(_registry.metrics.values(), key=lambda m: (m.order, m.key))


def metric(key: str) -> Metric:
    return _registry.metrics[key]


def sources() -> list[Source]:
    return list(_registry.sources.values())


def _sums(unit, period: Period, stock_keys: set[str], flow_keys: set[str], yoy_keys: set[str]):
    """(stock, flow, year before) sums of the unit's tallies, in one query: the stock facts up
    to the period's end, the flow facts over the period, the yoy facts over the year before."""
    from core.models import SubtreeTally

    before = period.year_before()
    wanted = Q(metric__in=stock_keys) | Q(metric__in=flow_keys, day__gte=period.start)
    wanted |= Q(metric__in=yoy_keys, day__gte=before.start, day__lte=before.end)
    rows = (
        SubtreeTally.objects.filter(wanted, unit=unit, day__lte=period.end)
        .values_list("metric")
        .annotate(
            stock=Sum("value", filter=Q(metric__in=stock_keys)),
            flow=Sum("value", filter=Q(metric__in=flow_keys, day__gte=period.start)),
            before=Sum(
                "value", filter=Q(metric__in=yoy_keys, day__gte=before.start, day__lte=before.end)
            ),
        )
        .order_by()
    )
    stock, flow, year_before = {}, {}, {}
    for key, *totals in rows:
        for sums, total in zip((stock, flow, year_before), totals, strict=True):
            if total is not None:
                sums[key] = total
    return stock, flow, year_before


def scaled(m: "Metric", value: int):
    """A count as shown: its tallied facts divided by the metric's divisor."""
    if m.divisor == 1:
        return value
    return (Decimal(value) / m.divisor).quantize(Decimal(1) / m.divisor, ROUND_HALF_UP)


def _ratio(numerator: int, denominator: int, scale: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(scale) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def histogram_median(flow: dict, keys) -> Decimal | None:
    """The median of the values n whose counts are tallied under "<prefix>.<n>"."""
    value_of = _histogram_values(tuple(keys))
    if len(flow) < len(value_of):  # a histogram has hundreds of keys, few of them counted
        counted = ((value_of.get(key), count) for key, count in flow.items())
        counts = sorted(
            (value, int(count)) for value, count in counted if value is not None and count
        )
    else:
        counts = sorted((value, int(flow[key])) for key, value in value_of.items() if flow.get(key))
    total = sum(count for _value, count in counts)
    if not total:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2  # the 0-based ranks averaged
    seen, lower = 0, None
    for value, count in counts:
        seen += count
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            return (Decimal(lower + value) / 2).quantize(Decimal("0.1"), ROUND_HALF_UP)
    raise AssertionError("a histogram's counts add up to its total")


@lru_cache(maxsize=64)
def _histogram_values(keys: tuple[str, ...]) -> dict[str, int]:
    """{"<prefix>.<n>": n} for a histogram's keys, read once rather than each time a median is."""
    return {key: int(key.rsplit(".", 1)[1]) for key in keys}


def evaluate(
    unit, period: Period, selected: Iterable[Metric] | None = None
) -> dict[str, Decimal | int | None]:
    """Every selected metric for a unit's subtree over a period, in one query."""
    selected = list(selected if selected is not None else metrics())
    stock_keys = {f for m in selected if m.kind == "stock" for f in m.facts}
    flow_keys = {f for m in selected if m.kind != "stock" for f in m.facts}
    yoy_keys = {f for m in selected if m.kind == "yoy" for f in m.facts}
    stock, flow, before = _sums(unit, period, stock_keys, flow_keys, yoy_keys)
    values: dict[str, Decimal | int | None] = {}
    for m in selected:
        if m.kind == "stock":
            values[m.key] = stock.get(m.facts[0], 0)
        elif m.kind == "count":
            values[m.key] = scaled(m, flow.get(m.facts[0], 0))
        elif m.kind == "yoy":
            this, last = flow.get(m.facts[0], 0), before.get(m.facts[0], 0)
            values[m.key] = _ratio(this - last, last, 100)
        elif m.kind == "median":
            values[m.key] = histogram_median(flow, m.facts)
        else:
            numerator, denominator = (flow.get(f, 0) for f in m.facts)
            values[m.key] = _ratio(numerator, denominator, 100 if m.kind == "rate" else 1)
    return values
