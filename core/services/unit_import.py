"""Import units from a CSV of (code, name, level, parent code): all lines or none."""

import csv
import io
from dataclasses import dataclass, field

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit, UnitLevel
from core.models.units import code_error, placement_error
from core.public_pages import public_changed
from core.roles import Action

__all__ = ["ImportReport", "LineError", "unit_import", "MAX_IMPORT_BYTES"]

MAX_IMPORT_BYTES = 2 * 1024 * 1024

# Accepted spellings of a level: the key, its Chinese and English names.
LEVEL_NAMES = {
    **{level.value: level.value for level in UnitLevel},
    "区": UnitLevel.DISTRICT,
    "县": UnitLevel.DISTRICT,
    "街道": UnitLevel.STREET,
    "镇": UnitLevel.STREET,
    "社区": UnitLevel.COMMUNITY,
    "村": UnitLevel.VILLAGE,
    "网格": UnitLevel.GRID,
}
HEADER_WORDS = {"code", "代码", "区划代码", "统计用区划代码"}


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    errors: list[LineError] = field(default_factory=list)
    lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _parse(text: str, report: ImportReport) -> list[_Row]:
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in HEADER_WORDS:
            continue
        report.lines += 1
        if len(cells) != 4:
            report.errors.append(
                LineError(
                    number,
                    _("Expected 4 columns (code, name, level, parent code), found %(n)d.")
                    % {"n": len(cells)},
                )
            )
            continue
        code, name, level, parent_code = cells
        rows.append(_Row(number, code, name, LEVEL_NAMES.get(level.lower(), level), parent_code))
    return rows


def _check(rows: list[_Row], report: ImportReport, by) -> None:
    in_file = {}
    for row in rows:
        if row.code in in_file:
            report.errors.append(
                LineError(
                    row.line,
                    _("Duplicate code %(code)s: also on line %(other)d.")
                    % {"code": row.code, "other": in_file[row.code].line},
                )
            )
        else:
            in_file[row.code] = row
    existing = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            code__in={r.code for r in rows} | {r.parent_code for r in rows}
        )
    }
    manageable = set(
        AdministrativeUnit.objects.for_user(by, Action.MANAGE_UNITS)
        .filter(code__in=existing)
        .values_list("code", flat=True)
    )
    for row in rows:
        if not row.name:
            report.errors.append(LineError(row.line, _("The name is empty.")))
        if len(row.name) > 64:
            report.errors.append(LineError(row.line, _("The name is longer than 64 characters.")))
        if row.level not in UnitLevel.values:
            report.errors.append(
                LineError(row.line, _("Unknown level %(level)s.") % {"level": row.level})
            )
            continue
        if row.code in existing:
            report.errors.append(
                LineError(
                    row.line,
                    _("Duplicate code %(code)s: a unit with it already exists.")
                    % {"code": row.code},
                )
            )
            continue
        parent = existing.get(row.parent_code)
        parent_row = in_file.get(row.parent_code)
        if parent is None and parent_row is None:
            report.errors.append(
                LineError(
                    row.line, _("Unknown parent code %(code)s.") % {"code": row.parent_code or "—"}
                )
            )
            continue
        if parent is not None and parent.code not in manageable:
            report.errors.append(
                LineError(
                    row.line,
                    _("The parent unit %(code)s is outside your units.") % {"code": parent.code},
                )
            )
            continue
        parent_level = parent.level if parent else parent_row.level
        if error := placement_error(row.level, parent_level):
            report.errors.append(LineError(row.line, error))
            continue
        parent_like = parent or AdministrativeUnit(code=parent_row.code, level=parent_row.level)
        if error := code_error(row.code, row.level, parent_like):
            report.errors.append(LineError(row.line, error))
    report.errors.sort(key=lambda e: e.line)


def _ordered(rows: list[_Row]) -> list[_Row]:
    """Parents before children, whatever order the file lists them in."""
    by_code = {r.code: r for r in rows}
    ordered, seen = [], set()

    def visit(row: _Row, trail: set[str]) -> None:
        if row.code in seen or row.code in trail:
            return
        parent = by_code.get(row.parent_code)
        if parent is not None:
            visit(parent, trail | {row.code})
        seen.add(row.code)
        ordered.append(row)

    for row in rows:
        visit(row, set())
    return ordered


def unit_import(*, by, data: bytes) -> ImportReport:
    report = ImportReport()
    if not AdministrativeUnit.objects.for_user(by, Action.MANAGE_UNITS).exists():
        raise PermissionDenied
    if len(data) > MAX_IMPORT_BYTES:
        report.errors.append(LineError(0, _("The file is larger than 2 MB.")))
        return report
    text = _decode(data)
    if text is None:
        report.errors.append(LineError(0, _("The file is not text in UTF-8 or GB18030.")))
        return report
    try:
        rows = _parse(text, report)
    except csv.Error as error:
        report.errors.append(
            LineError(0, _("The file is not a readable CSV: %(error)s") % {"error": error})
        )
        return report
    if not rows and not report.errors:
        report.errors.append(LineError(0, _("The file has no lines to import.")))
    _check(rows, report, by)
    if report.errors:
        return report
    with transaction.atomic(), pghistory.context(user=by.pk, reason="unit_import"):
        created = {}
        for row in _ordered(rows):
            parent = created.get(row.parent_code) or AdministrativeUnit.objects.get(
                code=row.parent_code
            )
            created[row.code] = AdministrativeUnit.objects.create(
                code=row.code, name=row.name, level=row.level, parent=parent
            )
        report.created = len(created)
        public_changed()
    return report
