"""How every page writes a figure: thousands separated (65,400), a rate or a change year on year
with its %, nothing as a dash. The one place that says it, for templates (the `figure` filter of
core/templatetags/portal.py) and for the markup dashboards build in Python alike."""

from decimal import Decimal

from django.utils import numberformat

__all__ = ["figure_text", "PERCENT_KINDS"]

PERCENT_KINDS = frozenset({"rate", "yoy"})


def figure_text(value, metric=None) -> str:
    """The figure as text; with its metric, a rate carries its % (a card, which writes the
    metric's unit beside the number, passes none)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        value = int(value) if value.is_integer() else Decimal(repr(value))
    if not isinstance(value, int | Decimal):
        return str(value)
    text = _grouped(value)
    if metric is not None and metric.kind in PERCENT_KINDS:
        text += "%"
    return text


def _grouped(value: int | Decimal) -> str:
    """numberformat.format(value, ".", None, 3, ",", force_grouping=True), which costs 8 µs a
    figure and a dashboard writes 1,500 of them; Python's own grouping gives the same text."""
    if type(value) is int:
        return f"{value:,}"
    if isinstance(value, Decimal) and value.is_finite():
        _sign, digits, exponent = value.as_tuple()
        if len(digits) + abs(exponent) <= 200:
            return f"{value:,f}"
    return numberformat.format(value, ".", None, 3, ",", force_grouping=True)
