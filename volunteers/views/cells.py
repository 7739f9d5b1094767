"""Table cells built in Python for long tables: a template lookup per cell costs more than the
page may spend. Each builder gives the same HTML the templates wrote; `esc` is what Django's
`escape` does, without its lazy-string wrapper (a cost per call that a long table multiplies)."""

from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

__all__ = ["esc", "join_safe", "linker", "unit_cell"]

_HOLE = "9081726354"  # digits, so int and str converters both take it


def esc(value) -> str:
    return escape(str(value))


def linker(viewname: str, kwarg: str):
    """A function from a key to the view's URL, reversed once per call of `linker`."""
    head, tail = reverse(viewname, kwargs={kwarg: _HOLE}).split(_HOLE)
    return lambda key: f"{head}{key if isinstance(key, int) else quote(str(key))}{tail}"


def unit_cell(unit_url, code: str, name: str, linked: bool) -> str:
    """A unit's name, linked to its page when the user may open it."""
    return f'<a href="{esc(unit_url(code))}">{esc(name)}</a>' if linked else esc(name)


def join_safe(parts, separator: str = "") -> SafeString:
    return mark_safe(separator.join(parts))  # noqa: S308 -- each part escaped by its builder
