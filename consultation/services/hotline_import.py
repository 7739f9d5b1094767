"""12345 hotline tickets from an XLSX or CSV file: every row is checked first; a file with any
bad row changes nothing, and a ticket already imported (by its number) is skipped, so importing
the same file twice adds nothing.

Nothing outside the importer's units is created or touched: a row's unit must be one they run
consultation for, and a ticket number already registered at a unit outside theirs is a bad row
(said without naming that unit), never skipped as if it were theirs."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import Demand, DemandSource, new_tracking_code
from consultation.roles import Action
from core.models import AdministrativeUnit

__all__ = ["ImportReport", "import_tickets", "COLUMNS", "MAX_ROWS", "MAX_BYTES"]

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = {
    "ticket_number": "工单编号",
    "received_on": "受理日期",
    "unit": "单位代码",
    "description": "诉求内容",
    "address": "地址",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
}
REQUIRED = ("ticket_number", "received_on", "unit", "description")


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(upload) -> list[list]:
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(_("The file is larger than 2 MB."))
    if name.endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 -- any reader failure: not a workbook
            raise ValueError(_("This file is not an XLSX workbook the portal can read.")) from error
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        book.close()
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    return [row for row in csv.reader(io.StringIO(text))][: MAX_ROWS + 2]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def import_tickets(*, by, upload) -> ImportReport:
    report = ImportReport()
    try:
        rows = _rows(upload)
    except ValueError as error:
        report.errors.append((0, str(error)))
        return report
    rows = [r for r in rows if any(_cell(v) for v in r)]
    if not rows:
        report.errors.append((0, _("The file is empty.")))
        return report
    header = [_cell(v) for v in rows[0]]
    positions = {}
    for key, title in COLUMNS.items():
        if title in header:
            positions[key] = header.index(title)
        elif key in REQUIRED:
            report.errors.append((1, _("The column “%(name)s” is missing.") % {"name": title}))
    if report.errors:
        return report
    body = rows[1:]
    if len(body) > MAX_ROWS:
        report.errors.append((0, _("At most %(n)d rows per file.") % {"n": MAX_ROWS}))
        return report

    allowed = {
        u.code: u
        for u in AdministrativeUnit.objects.for_user(by, Action.RUN_CONSULTATION)
        .active()
        .only("id", "code", "path")
    }
    today = timezone.localdate()
    seen: set[str] = set()
    parsed = []
    for number, row in enumerate(body, start=2):
        values = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        ticket = _cell(values.get("ticket_number"))
        problems = []
        if not ticket:
            problems.append(_("the ticket number is missing"))
        elif len(ticket) > 40:
            problems.append(_("the ticket number is longer than 40 characters"))
        elif ticket in seen:
            problems.append(_("the ticket number appears twice in the file"))
        seen.add(ticket)
        day = _day(values.get("received_on"))
        if day is None:
            problems.append(_("the date is not a date (use 2026-03-01)"))
        elif day > today:
            problems.append(_("the date is in the future"))
        unit = allowed.get(_cell(values.get("unit")))
        if unit is None:
            problems.append(_("the unit code is unknown or outside your units"))
        description = _cell(values.get("description"))
        if not description:
            problems.append(_("the demand is empty"))
        elif len(description) > 2000:
            problems.append(_("the demand is longer than 2,000 characters"))
        phone = _cell(values.get("contact_phone")).replace(" ", "").replace("-", "")
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
            problems.append(_("the phone number is not 7 to 12 digits"))
        address = _cell(values.get("address"))[:200]
        name = _cell(values.get("contact_name"))[:64]
        if problems:
            report.errors.append((number, "; ".join(problems)))
            continue
        parsed.append((number, ticket, day, unit, description, address, name, phone))
    if report.errors:
        return report

    numbers = [p[1] for p in parsed]
    existing = set(
        Demand.objects.filter(ticket_number__in=numbers).values_list("ticket_number", flat=True)
    )
    mine = set(
        Demand.objects.for_user(by, Action.RUN_CONSULTATION)
        .filter(ticket_number__in=numbers)
        .values_list("ticket_number", flat=True)
    )
    for number, ticket, *_rest in parsed:
        if ticket in existing - mine:
            report.errors.append(
                (number, _("the ticket number is already registered with a unit outside yours"))
            )
    if report.errors:
        return report
    with transaction.atomic(), pghistory.context(user=by.pk, reason="import_12345"):
        for _number, ticket, day, unit, description, address, name, phone in parsed:
            if ticket in existing:
                report.skipped += 1
                continue
            Demand(
                tracking_code=new_tracking_code(),
                unit=unit,
                source=DemandSource.HOTLINE,
                ticket_number=ticket,
                received_on=day,
                description=description,
                address=address,
                contact_name=name,
                contact_phone=phone,
                created_by=by,
            ).save()
            report.created += 1
    return report
