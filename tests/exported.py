"""Reading what a list's htmx fragment offers to export, and the sheet it downloads."""

import html
import io
import re

from openpyxl import load_workbook


def export_link(fragment: str, link_id: str) -> str:
    """The export link the fragment swaps in (out of band) for the one in the page head."""
    tag = re.search(rf'<a [^>]*id="{link_id}"[^>]*>', fragment)
    assert tag and 'hx-swap-oob="true"' in tag.group(0), fragment[-600:]
    return html.unescape(re.search(r'href="([^"]+)"', tag.group(0)).group(1))


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def sheet(response) -> tuple[dict[str, str], list[tuple]]:
    """(the heading, label to value; the table's rows under its column heads)."""
    rows = sheet_rows(response)
    blank = rows.index(next(r for r in rows if not any(r)))
    heading = {r[0]: r[1] for r in rows[1:blank] if r[0] and len(r) > 1}
    return heading, [r for r in rows[blank + 2 :] if any(r)]
