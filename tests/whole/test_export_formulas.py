"""No export of the portal runs what people typed. Every free-text field of every form the
crawler finds as each kind of user is posted text a spreadsheet would run as a formula; then
every file the crawls downloaded (XLSX, CSV, the briefing, JSON) is downloaded again. No XLSX
cell is a formula, no CSV field starts a formula, every download says no-store, and the text
did reach the spreadsheets (as typed, or masked as a name is: "=****")."""

import csv
import io
import itertools
import re

import pytest
from openpyxl import load_workbook

from tests.crawl import body_of, download
from tests.whole.formfill import (
    DOWNLOADS,
    client_for,
    errors_in,
    fill,
    free_text_fields,
    generic_value,
    more_instances,
    reopen,
    route,
    text_for,
)
from tests.whole.test_double_submit import VALUES as CREATE_VALUES

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://127.0.0.1/x","点我")', "=1+1", "+SUM(A1)", "@cmd", "-2+3"]
# What a spreadsheet reads as the start of a formula in a CSV field.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
MASKED = re.compile(r"^[-=+@]\*+$")
FORMSET_ROW = re.compile(r"^(\w+)-(\d+)-")
VALUES = {
    **CREATE_VALUES,
    # An edit keeps the times it shows, which the end of a new activity may precede.
    "ends_at": lambda form, field, data: (
        data.get("ends_at")
        if data.get("ends_at", [""])[0]
        else CREATE_VALUES["ends_at"](form, field, data)
    ),
}
# A total declared beside a table (a post's fund lines) agrees with its first row.
TOTALS = {
    "declared_income": lambda data: (
        data["lines-0-amount"] if data.get("lines-0-direction") == ["income"] else [""]
    )
}
# Spreadsheets the payloads must reach, by the route of their URL.
CARRIERS = {"cases/export/", "volunteers/export/", "dashboard/<str:code>/export/"}


def _in_first_row(name: str) -> bool:
    row = FORMSET_ROW.match(name)
    return row is not None and row.group(2) == "0"


def _fill_first_rows(form, data, formatted: bool) -> None:
    """A person filling in a row of a table (a case's parties, a post's fund lines) fills what
    the row needs beside its text: its choices, dates and numbers, and when `formatted` its
    text with a format of its own (an amount) too."""
    for field in form.fields:
        if not _in_first_row(field.name) or field.kind in {"hidden", "checkbox", "file"}:
            continue
        if not any(v.strip() for v in data.get(field.name, [])):
            value = generic_value(field) or (["1"] if formatted and field.kind == "text" else None)
            if value:
                data[field.name] = value


# How the rows of a table are filled: in whole, all but their formatted text, or left alone.
ROWS = ("whole", "text", None)


def _inject(username, form, offset: int) -> str | None:
    """Post the payloads in every free-text field of the form, its other fields filled as a
    person would: None when saved, else why not."""
    why = "the form is gone when opened again"
    for rows, eager in itertools.product(ROWS, (False, True)):
        client = client_for(username)
        again = reopen(client, form)
        if again is None:
            return why
        data, unknown = fill(again, VALUES, eager=eager)
        if unknown:
            why = f"no value for {unknown}"
            continue
        if rows:
            _fill_first_rows(again, data, formatted=rows == "whole")
            data.update({name: total(data) for name, total in TOTALS.items() if name in data})
        else:
            shown = again.data()
            data.update({name: shown.get(name, []) for name in data if FORMSET_ROW.match(name)})
        texts = [
            f
            for f in free_text_fields(again)
            if not FORMSET_ROW.match(f.name) or (rows and _in_first_row(f.name))
        ]
        for i, field in enumerate(texts):
            data[field.name] = [text_for(field, PAYLOADS[(offset + i) % len(PAYLOADS)])]
        response = client.post(again.action, data)
        assert response.status_code < 500, (again.action, data)
        if response.status_code in (301, 302, 303):
            return None
        why = f"refused ({response.status_code}): {errors_in(response.content.decode())[:3]}"
    return why


def _carries(text: str) -> bool:
    """Text that came from a payload, as typed (perhaps cut at the field's length) or masked."""
    return any(text.startswith(p[:2]) for p in PAYLOADS) or MASKED.match(text) is not None


def _xlsx(url: str, body: bytes) -> tuple[list[str], int]:
    """(formula cells, cells carrying a payload)."""
    problems, carried = [], 0
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for cell in itertools.chain.from_iterable(sheet.iter_rows()):
            if cell.data_type == "f":
                problems.append(f"{url} {sheet.title}!{cell.coordinate} is a formula: {cell.value}")
            elif isinstance(cell.value, str) and _carries(cell.value):
                carried += 1
    return problems, carried


def _csv(url: str, body: bytes) -> tuple[list[str], int]:
    """(fields a spreadsheet would run, fields carrying a payload behind an apostrophe)."""
    problems, carried = [], 0
    for number, row in enumerate(csv.reader(io.StringIO(body.decode("utf-8-sig"))), start=1):
        for field in row:
            if field.startswith(FORMULA_STARTS) and not NUMBER.match(field):
                problems.append(f"{url} row {number} starts a formula: {field!r}")
            elif field.startswith("'") and _carries(field[1:]):
                carried += 1
    return problems, carried


def _kinds_with_free_text(crawled_forms):
    return [
        (sig, instances)
        for sig, instances in sorted(crawled_forms.items(), key=lambda item: str(item[0]))
        if free_text_fields(instances[0][1])
    ]


def test_no_export_carries_a_formula_whatever_people_typed(crawled_forms):
    refused = []
    for offset, (sig, instances) in enumerate(_kinds_with_free_text(crawled_forms)):
        first_user, first_form = instances[0]
        for username, form in itertools.chain(instances, more_instances(first_user, first_form)):
            why = _inject(username, form, offset)
            if why is None:
                break
        else:
            refused.append(f"{sig[0]}: {why}")

    downloads = sorted(
        ((username, url) for username, urls in DOWNLOADS.items() for url in urls), key=str
    )
    assert {route(url) for _u, url in downloads} >= CARRIERS, downloads
    problems, carried = [], dict.fromkeys(CARRIERS, 0)
    for username, url in downloads:
        response = download(client_for(username), url)  # at once or by a worker
        assert response.status_code == 200, (username, url)
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{url} ({username}) may be kept: {response.get('Cache-Control')}")
        kind = response["Content-Type"]
        if kind.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
            found, count = _xlsx(url, body_of(response))
        elif kind.startswith("text/csv"):
            found, count = _csv(url, body_of(response))
        else:
            continue
        problems += found
        carried[route(url)] = carried.get(route(url), 0) + count
    assert not problems, "\n".join(problems)
    assert all(carried[r] for r in CARRIERS), (
        f"the payloads reached too few exports: {carried}; forms that refused them: {refused}"
    )
