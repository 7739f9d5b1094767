"""工作简报: a unit's period told in prose, in the style officials hand upward, each number
tied to its figure. Generated from the metric registry's phrases, so new metrics join in."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.metrics.periods import ReportPeriod
from dashboards.figures import cards

__all__ = ["Clause", "briefing_clauses", "period_words", "briefing_docx"]


@dataclass
class Clause:
    metric_key: str
    before: str
    number: str
    after: str


def period_words(period: ReportPeriod) -> str:
    current = period.current
    return {
        "month": _("This month"),
        "quarter": _("This quarter"),
        "ytd": _("So far this year"),
        "last_year": _("Last year"),
    }.get(period.key, _("From %(start)s to %(end)s") % {"start": current.start, "end": current.end})


def _number(value) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value}"
    return str(value)


def briefing_clauses(unit, period: ReportPeriod) -> list[Clause]:
    """One clause per registered metric that has a phrase and a value."""
    clauses = []
    for card in cards(unit, period):
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
        clauses.append(Clause(metric.key, before, _number(value), after))
    return clauses


def briefing_docx(unit, period: ReportPeriod, clauses: list[Clause]) -> bytes:
    from io import BytesIO

    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.add_heading(_("Work briefing"), level=0)
    current = period.current
    document.add_paragraph(f"{unit.name} · {current.start:%Y-%m-%d} — {current.end:%Y-%m-%d}")
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(24)
    paragraph.add_run(f"{period_words(period)}{_(', ')}{unit.name}")
    for n, clause in enumerate(clauses):
        paragraph.add_run(_(", ") if n else "")
        paragraph.add_run(clause.before)
        paragraph.add_run(clause.number).bold = True
        paragraph.add_run(clause.after)
    paragraph.add_run(_("."))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
