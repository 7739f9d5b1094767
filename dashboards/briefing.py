"""工作简报: a unit's period told as a government office writes it to hand upward: a title naming
the unit and the period, a short paragraph a group of the portal's work ("一、矛盾纠纷化解"),
each number tied to its figure, and a table of the headline figures with 同比 and 环比.
Generated from the registry's phrases, so new metrics join in."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from core.groups import Group
from core.metrics.periods import ReportPeriod, report_period
from core.metrics.registry import Period
from core.metrics.shown import figure_text
from dashboards.figures import Card, cards

__all__ = [
    "Clause",
    "Section",
    "Briefing",
    "TableRow",
    "briefing",
    "briefing_clauses",
    "completed_months",
    "period_name",
    "day_name",
    "prose_number",
]

CHINESE_NUMERALS = "一二三四五六七八九十"
# The English names whatever the system's locale, which strftime's %B would follow.
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass
class Clause:
    metric_key: str
    before: str
    number: str
    after: str


@dataclass
class Section:
    heading: str  # "一、矛盾纠纷化解"
    clauses: list[Clause]


@dataclass
class TableRow:
    label: str  # the figure and its unit, 受理矛盾纠纷（件）
    now: str
    previous: str
    vs_previous: str
    year_before: str
    vs_year_before: str


@dataclass
class Briefing:
    unit: object
    period: ReportPeriod
    masthead: str  # 基层治理工作简报
    issue: str  # 第11期
    issued_on: str  # 2026年12月6日
    title: str  # 艾山街道2026年1—11月基层治理工作简报
    lead: str  # 现将……简报如下。
    sections: list[Section]
    table_columns: list[str]
    table: list[TableRow]
    # With the year to date, the period before is the same period a year before: one pair of
    # columns says it.
    shows_previous: bool
    reported_to: str  # the unit above, to whom the 简报 goes (报：钢城区)


def completed_months(today: date) -> ReportPeriod:
    """The year's completed months (1—11月 on 6 December), as a 简报 reports them; in January,
    last year. Compared with the same months a year before."""
    last_month_end = today.replace(day=1) - timedelta(days=1)
    if last_month_end.year < today.year:
        return report_period("last_year", today)
    current = Period(date(today.year, 1, 1), last_month_end)
    year_before = current.year_before()
    return ReportPeriod(
        key="completed_months", current=current, previous=year_before, year_before=year_before
    )


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_name(span: Period) -> str:
    """2026年, 2026年11月, 2026年1—11月, 2026年12月1日—6日; in English November 2026 and so on."""
    start, end = span.start, span.end
    whole_months = start.day == 1 and end == _month_end(end)
    return (_chinese_period if _chinese() else _english_period)(start, end, whole_months)


def _chinese_period(start: date, end: date, whole_months: bool) -> str:
    if whole_months:
        if start.year != end.year:
            return f"{start.year}年{start.month}月—{end.year}年{end.month}月"
        if (start.month, end.month) == (1, 12):
            return f"{start.year}年"
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}—{end.month}月"
    if start == end:
        return day_name(start)
    if start.year != end.year:
        return f"{day_name(start)}—{day_name(end)}"
    if start.month == end.month:
        return f"{day_name(start)}—{end.day}日"
    return f"{day_name(start)}—{end.month}月{end.day}日"


def _english_period(start: date, end: date, whole_months: bool) -> str:
    if whole_months:
        if start.year != end.year:
            return f"{_month(start)} {start.year} – {_month(end)} {end.year}"
        if (start.month, end.month) == (1, 12):
            return f"{start.year}"
        if start.month == end.month:
            return f"{_month(start)} {start.year}"
        return f"{_month(start)}–{_month(end)} {end.year}"
    if start == end:
        return day_name(start)
    if start.year != end.year:
        return f"{day_name(start)} – {day_name(end)}"
    if start.month == end.month:
        return f"{start.day}–{day_name(end)}"
    return f"{start.day} {_month(start)} – {day_name(end)}"


def _month(day: date) -> str:
    return MONTHS[day.month - 1]


def day_name(day: date) -> str:
    """2026年12月6日; 6 December 2026."""
    return (
        f"{day.year}年{day.month}月{day.day}日"
        if _chinese()
        else f"{day.day} {_month(day)} {day.year}"
    )


def prose_number(value, metric) -> str:
    """A number as the prose writes it: 75.0 as 75; in Chinese a count of ten thousand or more in
    万 (65,432 as 6.54万) or 亿, as officials write them; in English with thousands separated."""
    if isinstance(value, Decimal) and value == value.to_integral():
        value = int(value)
    if metric.kind in {"count", "stock"} and _chinese() and abs(value) >= 10_000:
        for size, word in ((100_000_000, "亿"), (10_000, "万")):
            if abs(value) >= size:
                shown = (Decimal(value) / size).quantize(Decimal("0.01"), ROUND_HALF_UP)
                return f"{shown.normalize():f}{word}"
    return figure_text(value)


def briefing_clauses(unit, period: ReportPeriod, figure_cards: list[Card] | None = None):
    """One clause per registered metric that has a phrase and a value, in the registry's order;
    a rate says what it is taken over when its metric says (its basis)."""
    clauses = []
    for card in figure_cards if figure_cards is not None else cards(unit, period):
        metric = card.metric
        if not metric.phrase or card.value is None or card.value == 0 and metric.kind != "yoy":
            continue
        value = card.value
        direction = ""
        if metric.kind == "yoy":
            direction = _("down") if value < 0 else _("up")
            value = abs(value)
        text = str(metric.phrase) % {"value": "\x00", "direction": direction}
        before, _sep, after = text.partition("\x00")
        if metric.basis:  # a rate says what it is taken over
            after += _(" (%(basis)s)") % {"basis": metric.basis}
        clauses.append(Clause(metric.key, before, prose_number(value, metric), after))
    return clauses


def _sections(clauses: list[Clause], figure_cards: list[Card]) -> list[Section]:
    group_of = {card.metric.key: card.metric.group for card in figure_cards}
    sections = []
    for group in Group:
        mine = [clause for clause in clauses if group_of[clause.metric_key] == group]
        if not mine:
            continue
        n = len(sections)
        if _chinese():
            heading = f"{CHINESE_NUMERALS[n]}、{group.label}"
        else:
            heading = f"{n + 1}. {group.label}"
            first = mine[0]
            mine[0] = replace(first, before=first.before[:1].upper() + first.before[1:])
        sections.append(Section(heading, mine))
    return sections


def _change_text(change: dict | None) -> str:
    """+12.5% for a count, +1.2个百分点 for a rate; — where there is nothing to compare with."""
    if change is None:
        return "—"
    delta = change["delta"]
    sign = "+" if delta > 0 else ""
    if change["unit"] == "percent":
        return f"{sign}{figure_text(delta)}%"
    return _("%(sign)s%(delta)s pts") % {"sign": sign, "delta": figure_text(delta)}


def _table(figure_cards: list[Card]) -> list[TableRow]:
    from dashboards.views.dashboards import headline_cards

    rows = []
    for card in headline_cards(figure_cards):
        metric = card.metric
        label = str(metric.label)
        if metric.unit_label:
            label = _("%(label)s (%(unit)s)") % {"label": label, "unit": metric.unit_label}
        rows.append(
            TableRow(
                label=label,
                now=figure_text(card.value),
                previous=figure_text(card.previous),
                vs_previous=_change_text(card.vs_previous),
                year_before=figure_text(card.year_before),
                vs_year_before=_change_text(card.vs_year_before),
            )
        )
    return rows


def briefing(unit, period: ReportPeriod, issued_on: date) -> Briefing:
    """The whole 简报 of a unit for a period, issued on a day. Its issue number is the month its
    period ends in: a 简报 goes out monthly, so the brief of 1—11月 is the year's 第11期, the same
    whoever prints it and however often."""
    figure_cards = cards(unit, period)
    clauses = briefing_clauses(unit, period, figure_cards)
    current = period.current
    shows_previous = period.previous != period.year_before
    names = {"unit": unit.name, "period": period_name(current)}
    columns = [_("Figure"), pgettext("briefing table", "This period")]
    if shows_previous:
        columns += [pgettext("briefing table", "Previous period"), _("vs previous period")]
    columns += [pgettext("briefing table", "Same period last year"), _("YoY")]
    parent = unit.parent
    return Briefing(
        unit=unit,
        period=period,
        masthead=_("Grassroots governance briefing"),
        issue=_("No. %(number)s") % {"number": current.end.month},
        issued_on=day_name(issued_on),
        title=_("%(unit)s: grassroots governance briefing, %(period)s") % names,
        lead=_("The main grassroots governance work of %(unit)s for %(period)s is set out below.")
        % names,
        sections=_sections(clauses, figure_cards),
        table_columns=columns,
        table=_table(figure_cards),
        shows_previous=shows_previous,
        reported_to=parent.name if parent is not None else "",
    )
