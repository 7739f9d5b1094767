"""Dashboards for every unit, generic over the metric registry: cards with 同比 and 环比, monthly
trends, the breakdown by child units with drill-down in place, drill-through to the records,
an XLSX export, a printable page, the 工作简报 and a projector view."""

import html
import json
from datetime import date
from urllib.parse import quote, urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import numberformat, timezone
from django.utils.formats import get_format, localize
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.exports import DOCX, attachment, xlsx_workbook_response
from core.groups import Group
from core.metrics import metrics
from core.metrics.drills import drill_for
from core.metrics.registry import metric as metric_by_key
from core.metrics.shown import figure_text
from core.privacy import user_display_name
from core.views.access import breadcrumbs, fragment_or_page, unit_for_user
from core.views.pagination import keyset_page
from dashboards.figures import cards, children_breakdown, monthly_series
from dashboards.forms import PeriodForm

__all__ = ["dashboard", "dashboard_records", "dashboard_export", "projector"]

TREND_MONTHS = 12


def _context(request, unit):
    form = PeriodForm(request.GET or None)
    period = form.report_period()
    selected = metrics()
    figure_cards = cards(unit, period, selected)
    breakdown_metrics = [m for m in selected if m.kind != "yoy"]
    rows = children_breakdown(unit, period.current, breakdown_metrics)
    sort = request.GET.get("sort", "")
    descending = sort.startswith("-")
    sort_key = sort.lstrip("-")
    if sort_key in {m.key for m in breakdown_metrics}:
        rows.sort(
            key=lambda row: (row[1].get(sort_key) is None, row[1].get(sort_key) or 0),
            reverse=descending,
        )
    series = monthly_series(unit, period.current.end, TREND_MONTHS, selected)
    query = request.GET.copy()
    query.pop("sort", None)
    period_query = urlencode(
        {k: v for k, v in request.GET.items() if k in {"period", "start", "end"}}
    )
    trend_metrics = [m for m in selected if any(series[m.key])]
    return {
        "unit": unit,
        "form": form,
        "period": period,
        "cards": figure_cards,
        "breakdown_metrics": breakdown_metrics,
        "rows": rows,
        "sort": sort,
        "series": series,
        "series_json": json.dumps(series),
        "trend_metrics": trend_metrics,
        "period_query": period_query,
        "query": query.urlencode(),
        "exported_at": timezone.localtime(),
    }


def _shown_context(context: dict) -> dict:
    """What the page shows, built here in one pass rather than cell by cell in the template:
    the headline cards, then a section a group of the portal's work (core.groups) with its
    cards, charts, monthly numbers and units below, as ready markup."""
    unit = context["unit"]
    tail = f"?{context['period_query']}"
    # Each metric's words in the request's language, translated and escaped once rather than
    # wherever shown.
    shown = [card.metric for card in context["cards"]]
    label = {m.key: _escape(str(m.label)) for m in shown}
    unit_label = {m.key: _escape(str(m.unit_label)) for m in shown}
    period = context["period"]

    values = {card.metric.key: card.value for card in context["cards"]}

    def cards_html(chosen) -> str:
        return _cards_html(
            chosen,
            label,
            unit_label,
            values,
            records_url=_url_maker("governance:dashboard_records", unit.code),
            tail=tail,
            show_previous=period.previous != period.year_before,
        )

    headline = headline_cards(context["cards"])
    context["headline_cards"] = headline
    context["headline_html"] = cards_html(headline)
    headline_breakdown = [c.metric for c in headline if c.metric.kind != "yoy"]
    context["breakdown_heads_html"] = _breakdown_heads_html(
        headline_breakdown, label, context["sort"], context["query"]
    )
    context["breakdown_rows_html"] = _breakdown_rows_html(context["rows"], headline_breakdown, tail)
    series = context["series"]
    sort_key = context["sort"].lstrip("-")
    # A sort by a group's own column opens its section; the headline table's columns do not.
    headline_keys = {c.metric.key for c in headline}
    rows = context["rows"]
    sections = []
    for group in Group:
        in_group = [card for card in context["cards"] if card.metric.group == group]
        if not in_group:
            continue
        trend = [m for m in context["trend_metrics"] if m.group == group]
        breakdown = [m for m in context["breakdown_metrics"] if m.group == group]
        keys = [m.key for m in breakdown]
        sections.append(
            {
                "key": group.value,
                "label": group.label,
                "count": len(in_group),
                "open": sort_key in keys and sort_key not in headline_keys,
                "cards_html": cards_html([c for c in in_group if not c.metric.headline]),
                "charts_html": _charts_html([m for m in trend if m.phrase], label, unit_label),
                "trend_rows_html": _joined(
                    f'<tr><th scope="row">{label[m.key]}{_basis_html(m, "span")}</th>'
                    f"{_figure_cells(series[m.key], m)}</tr>"
                    for m in trend
                ),
                "breakdown_heads_html": _breakdown_heads_html(
                    breakdown, label, context["sort"], context["query"]
                ),
                "breakdown_rows_html": _breakdown_rows_html(rows, breakdown, tail),
            }
        )
    context["sections"] = sections
    return context


def headline_cards(all_cards) -> list:
    """The cards of the headline metrics, in the order of their groups."""
    order = {key: n for n, key in enumerate(Group.values)}
    return sorted(
        (card for card in all_cards if card.metric.headline),
        key=lambda card: order[card.metric.group],
    )


def _cards_html(
    cards, label, unit_label, values, records_url, tail: str, show_previous: bool
) -> str:
    """A figure card a metric: its value linked to the records behind it, 同比 and 环比."""
    words = _change_words()
    records_behind = _("Records behind %(label)s")
    of_which, separator = _escape(_("of which: ")), _escape(_(", "))

    def parts_html(m) -> str:
        """The figures a total is made of, each linked to its records: 其中：在册志愿者 62,481人…"""
        parts = [
            f'{label[key]} <a href="{_escape(records_url(key) + tail)}" '
            f'aria-label="{records_behind % {"label": label[key]}}">'
            f'{figure_text(values[key])}</a><span class="figure-unit">{unit_label[key]}</span>'
            for key in m.parts
            if key in values
        ]
        return f'<p class="figure-parts">{of_which}{separator.join(parts)}</p>' if parts else ""

    yoy, vs_previous = _escape(_("YoY")), _escape(_("vs previous period"))
    definition = _escape(_("Definition"))
    number = _number_format()

    def card_html(card) -> str:
        key = card.metric.key
        value = figure_text(card.value)
        # As {% blocktranslate %} renders it: the label escaped, the message not.
        aria = records_behind % {"label": label[key]}
        year_before = _change_badge(card.vs_year_before, words, number)
        previous = (
            f"<span>{vs_previous} {_change_badge(card.vs_previous, words, number)}</span>"
            if show_previous
            else ""
        )
        return (
            '<article class="card figure-card">'
            f'<h3 class="figure-label">{label[key]}</h3>'
            f'<p class="figure-value"><a href="{_escape(records_url(key) + tail)}" '
            f'aria-label="{aria}">{value}</a>'
            f'<span class="figure-unit">{unit_label[key]}</span></p>'
            f"{_basis_html(card.metric)}{parts_html(card.metric)}"
            f'<p class="compare"><span>{yoy} {year_before}</span> {previous}</p>'
            f'<details class="definition"><summary>{definition}</summary>'
            f"<p>{_escape(str(card.metric.definition))}</p></details>"
            "</article>"
        )

    return _joined(card_html(card) for card in cards)


def _basis_html(m, tag: str = "p") -> str:
    """What a rate is taken over, under its figure: 按本期受理的案件计，化解截至今日."""
    if not m.basis:
        return ""
    return f'<{tag} class="figure-basis">{_escape(str(m.basis))}</{tag}>'


def _charts_html(charted, label, unit_label) -> str:
    """A box a charted metric, which charts.js fills from the trend's data."""
    monthly_chart_of = _("Monthly chart of %(label)s; the numbers are in the table below")

    def chart_html(m) -> str:
        unit = f"（{unit_label[m.key]}）" if unit_label[m.key] else ""
        aria = monthly_chart_of % {"label": label[m.key]}
        return (
            '<figure class="chart-box">'
            f"<figcaption>{label[m.key]}{unit}</figcaption>"
            f'<div class="chart" data-chart data-metric="{_escape(m.key)}" '
            f'data-label="{label[m.key]}" role="img" aria-label="{aria}"></div>'
            "</figure>"
        )

    return _joined(chart_html(m) for m in charted)


def _breakdown_heads_html(breakdown_metrics, label, sort: str, query: str) -> str:
    """A column heading a metric, a link that sorts the units below by it."""
    before_sort = f"?{query}&sort=" if query else "?sort="

    def head_html(m) -> str:
        if sort == m.key:
            aria_sort, href = "ascending", f"{before_sort}-{m.key}"
        else:
            aria_sort = "descending" if sort == f"-{m.key}" else "none"
            href = f"{before_sort}{m.key}"
        href = _escape(href)
        return (
            f'<th scope="col" aria-sort="{aria_sort}">'
            f'<a href="{href}" hx-get="{href}" hx-target="#board" hx-swap="outerHTML" '
            f'hx-push-url="true">{label[m.key]}</a></th>'
        )

    return _joined(head_html(m) for m in breakdown_metrics)


def _breakdown_rows_html(rows, chosen: list, tail: str) -> str:
    """A row a unit below: its name, a link to its own dashboard, then its figures."""
    board_url = _url_maker("governance:dashboard")

    def row_html(child, values) -> str:
        href = _escape(board_url(child.code) + tail)
        return (
            f'<tr><th scope="row"><a href="{href}" hx-get="{href}" hx-target="#board" '
            f'hx-swap="outerHTML" hx-push-url="true">{_escape(child.name)}</a></th>'
            f"{_figure_cells((values.get(m.key) for m in chosen), *chosen)}</tr>"
        )

    return _joined(row_html(child, values) for child, values in rows)


def _escape(text: str) -> str:
    """Django's escape for text already a str, without its wrapper for lazy strings."""
    return html.escape(text)  # noqa: S308 -- escaping is what it does


def _joined(parts) -> str:
    return mark_safe("".join(parts))  # noqa: S308 -- every part is built from escaped text


def _number_format():
    """localize() for numbers, with the language's formats looked up once rather than a number."""
    language = get_language()
    decimal_separator = get_format("DECIMAL_SEPARATOR", language)
    grouping = get_format("NUMBER_GROUPING", language)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language)
    return lambda value: str(
        numberformat.format(value, decimal_separator, None, grouping, thousand_separator)
    )


def _url_maker(name: str, *args):
    """A function of the last URL argument, reversing the URL once rather than once a call."""
    marker = "__ARG__"
    prefix, suffix = reverse(name, args=[*args, marker]).split(marker)
    return lambda value: f"{prefix}{quote(str(value), safe=RFC3986_SUBDELIMS + '/~:@')}{suffix}"


def _figure_cells(values, *chosen) -> str:
    """Table cells of figures, as every page writes them: a row of one metric's values (one
    metric given) or a row of a unit's values, a metric a cell (as many metrics as values)."""
    if len(chosen) == 1:
        return "".join(f"<td>{figure_text(value, chosen[0])}</td>" for value in values)
    return "".join(
        f"<td>{figure_text(value, m)}</td>" for value, m in zip(values, chosen, strict=True)
    )


def _change_words() -> dict:
    """The words of a change badge, translated once a request rather than once a card."""
    return {
        "up": escape(_("up")),
        "down": escape(_("down")),
        "pts": escape(_("pts")),
        "no change": escape(_("no change")),
    }


def _change_badge(change: dict | None, words: dict, number=localize) -> str:
    """A change against a comparison period as a badge, e.g. 上升 12.5%, 下降 3.0 个百分点."""
    if change is None:
        return mark_safe('<span class="change none">—</span>')
    delta = change["delta"]
    unit = "%" if change["unit"] == "percent" else f" {words['pts']}"
    if delta > 0:
        shown, kind = _escape(number(delta)), "up"
    elif delta < 0:
        shown, kind = _escape(str(delta)[1:]), "down"
    else:
        return mark_safe(f'<span class="change flat">{words["no change"]}</span>')  # noqa: S308
    return mark_safe(f'<span class="change {kind}">{words[kind]} {shown}{unit}</span>')  # noqa: S308


def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    context = _shown_context(_context(request, unit))
    context["breadcrumbs"] = breadcrumbs(request, unit)
    return render(request, fragment_or_page(request, "dashboards/dashboard.html", "board"), context)


def dashboard_records(request: HttpRequest, code: str, key: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    try:
        chosen = metric_by_key(key)
    except KeyError as missing:
        raise Http404 from missing
    drill = drill_for(key)
    if drill is None:
        raise Http404
    period = PeriodForm(request.GET or None).report_period()
    records = drill.records(unit, period.current)
    page = keyset_page(records, request, drill.date_field)
    total = drill.total(records) if drill.total else records.count()
    openable = _openable(request.user, page.rows)
    rows = [
        [
            (
                _shown(column.value(record)),
                record.get_absolute_url()
                if column.link and record.pk in openable and hasattr(record, "get_absolute_url")
                else "",
            )
            for column in drill.columns
        ]
        for record in page.rows
    ]
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "dashboards/dashboard_records.html",
        {
            "unit": unit,
            "metric": chosen,
            "period": period,
            "columns": drill.columns,
            "rows": rows,
            "page": page,
            "total": total,
            "is_sum": drill.total is not None,
            "query": query.urlencode(),
            "period_query": urlencode(
                {k: v for k, v in request.GET.items() if k in {"period", "start", "end"}}
            ),
        },
    )


def _openable(user, records) -> set:
    """The records of a page the user may open (a record's page fetches it through the same
    `for_user`): the others show as text, not as a link that answers 404. One query."""
    records = list(records)
    if not records:
        return set()
    manager = type(records[0])._default_manager
    if not hasattr(manager.get_queryset(), "for_user"):
        return set()
    pks = [record.pk for record in records]
    return set(manager.for_user(user).filter(pk__in=pks).values_list("pk", flat=True))


def dashboard_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for_user(request, code)
    context = _context(request, unit)
    period = context["period"].current
    heading = [
        [_("Unit"), unit.name, unit.code],
        [_("Period"), f"{period.start:%Y-%m-%d} — {period.end:%Y-%m-%d}"],
        [_("Exported by"), user_display_name(request.user)],
        [_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        [],
    ]
    figures = [
        [
            _("Figure"),
            _("Value"),
            _("Unit of measure"),
            _("Previous period"),
            _("Same period last year"),
            _("Basis"),
        ],
        *[
            [
                str(card.metric.label),
                _cell(card.value),
                str(card.metric.unit_label),
                _cell(card.previous),
                _cell(card.year_before),
                str(card.metric.basis) or None,
            ]
            for card in context["cards"]
        ],
    ]
    breakdown = [
        [_("Unit"), *[str(m.label) for m in context["breakdown_metrics"]]],
        *[
            [child.name, *[_cell(values.get(m.key)) for m in context["breakdown_metrics"]]]
            for child, values in context["rows"]
        ],
    ]
    definitions = [
        [_("Figure"), _("Definition"), _("Basis")],
        *[[str(m.label), str(m.definition), str(m.basis) or None] for m in metrics()],
    ]
    return xlsx_workbook_response(
        filename=f"dashboard-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        sheets=[
            (_("Figures"), heading + figures),
            (_("Units below"), heading + breakdown),
            (_("Definitions"), definitions),
        ],
    )


def _shown(value):
    """Dates as 2026-11-29, like everywhere else on the dashboard."""
    return value.isoformat() if isinstance(value, date) else value


def _cell(value):
    if value is None:
        return "—"
    return float(value) if not isinstance(value, int) else value


PROJECTOR_FIGURES_A_PAGE = 12  # four across, three down: large enough to read across a hall
PROJECTOR_SECONDS = 20


def projector_pages(all_cards) -> list[tuple[str, list]]:
    """(title, cards) a page: the headline figures, then each group's figures, a group longer
    than a page split into pages of near equal length."""
    pages = [(_("Key figures"), headline_cards(all_cards))]
    for group in Group:
        in_group = [card for card in all_cards if card.metric.group == group]
        if not in_group:
            continue
        count = -(-len(in_group) // PROJECTOR_FIGURES_A_PAGE)
        size = -(-len(in_group) // count)
        for n in range(count):
            title = str(group.label)
            if count > 1:
                title = _("%(group)s (%(n)s of %(count)s)") % {
                    "group": title,
                    "n": n + 1,
                    "count": count,
                }
            pages.append((title, in_group[n * size : (n + 1) * size]))
    return pages


def projector(request: HttpRequest, code: str) -> HttpResponse:
    """The figures for a hall's screen, a page at a time: ?page=N; the page turns by itself
    every PROJECTOR_SECONDS (static/js/projector.js) unless ?hold=1, and its 下一页 link turns
    it without JavaScript."""
    unit = unit_for_user(request, code)
    from core.metrics.periods import report_period

    period = report_period("ytd", timezone.localdate())
    pages = projector_pages(cards(unit, period))
    try:
        number = min(max(int(request.GET.get("page", "1")), 1), len(pages))
    except ValueError:
        number = 1
    hold = request.GET.get("hold") == "1"
    title, shown = pages[number - 1]
    words = _change_words()
    base = reverse("governance:projector", args=[unit.code])

    def page_url(n: int, held: bool) -> str:
        return f"{base}?{urlencode({'page': n, **({'hold': 1} if held else {})})}"

    return render(
        request,
        "dashboards/projector.html",
        {
            "unit": unit,
            "cards": shown,
            "shown": [
                (card, figure_text(card.value), _change_badge(card.vs_year_before, words))
                for card in shown
            ],
            "page_title": title,
            "rows": -(-len(shown) // 4),
            "page_number": number,
            "page_count": len(pages),
            "next_url": page_url(number % len(pages) + 1, hold),
            "toggle_url": page_url(number, not hold),
            "hold": hold,
            "seconds": PROJECTOR_SECONDS,
            "period": period,
        },
    )


def dashboard_url(unit, **params) -> str:
    from urllib.parse import urlencode

    url = reverse("governance:dashboard", kwargs={"code": unit.code})
    return f"{url}?{urlencode(params)}" if params else url


def briefing(request: HttpRequest, code: str) -> HttpResponse:
    from dashboards.briefing import briefing as briefing_of
    from dashboards.briefing_docx import briefing_docx
    from dashboards.forms import BriefingPeriodForm

    unit = unit_for_user(request, code)
    form = BriefingPeriodForm(request.GET or None)
    brief = briefing_of(unit, form.report_period(), timezone.localdate())
    if request.GET.get("format") == "docx":
        return attachment(
            HttpResponse(briefing_docx(brief), content_type=DOCX), f"{brief.title}.docx"
        )
    period_query = {k: v for k, v in request.GET.items() if k in {"period", "start", "end"}}
    if not period_query:  # the records behind a number: the brief's period, not the dashboard's
        current = brief.period.current
        period_query = {"period": "custom", "start": current.start, "end": current.end}
    return render(
        request,
        "dashboards/briefing.html",
        {
            "unit": unit,
            "form": form,
            "period": brief.period,
            "brief": brief,
            "period_query": urlencode(period_query),
            "docx_query": urlencode(
                {k: v for k, v in request.GET.items() if k in {"period", "start", "end"}}
                | {"format": "docx"}
            ),
        },
    )


def my_dashboard(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import redirect

    membership = request.user.primary_membership()
    if membership is None:
        raise Http404
    return redirect("governance:dashboard", code=membership.unit.code)
