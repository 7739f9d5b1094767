"""Keyset pagination over (date descending, id descending): page 1,000 costs what page 1 does."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

__all__ = ["KeysetPage", "keyset_page"]

PAGE_SIZES = (25, 50, 100)


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    size: int
    is_first: bool


def _parse(cursor: str) -> tuple[date, int] | None:
    try:
        day, pk = cursor.split("_", 1)
        return date.fromisoformat(day), int(pk)
    except (ValueError, TypeError):
        return None


def keyset_page(queryset, request, date_field: str) -> KeysetPage:
    try:
        size = int(request.GET.get("size", PAGE_SIZES[0]))
    except ValueError:
        size = PAGE_SIZES[0]
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    cursor = _parse(request.GET.get("after", ""))
    if cursor:
        day, pk = cursor
        # A row comparison walks the (date, id) index from the cursor on; an OR of two
        # conditions makes PostgreSQL scan and sort instead.
        meta = queryset.model._meta
        table, column = meta.db_table, meta.get_field(date_field).column
        after = RawSQL(  # noqa: S611 -- names from model metadata; values are parameters
            f'("{table}"."{column}", "{table}"."{meta.pk.column}") < (%s, %s)',
            [day, pk],
            output_field=BooleanField(),
        )
        queryset = queryset.filter(after)
    rows = list(queryset.order_by(f"-{date_field}", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = f"{getattr(rows[-1], date_field).isoformat()}_{rows[-1].pk}" if more else None
    return KeysetPage(rows=rows, next_cursor=next_cursor, size=size, is_first=cursor is None)
