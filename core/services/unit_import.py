"""Import units from a CSV of (code, name, level or kind, parent code): all lines or none.

The official list of statistical-division codes has these columns (code, name, kind, parent_code),
with kinds such as 街道, 其他乡级单位, 居民委员会 and 村民委员会: a district loads its own tree
from it.
A line whose unit is already there as the file describes it changes nothing, so loading the same
file twice creates nothing the second time."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit, UnitKind, UnitLevel
from core.models.units import DEFAULT_KIND, LEVEL_OF_KIND, code_error, placement_error, short_name
from core.public_pages import public_changed
from core.roles import Action

__all__ = ["ImportReport", "LineError", "unit_import", "MAX_IMPORT_BYTES"]

MAX_IMPORT_BYTES = 2 * 1024 * 1024

# Accepted spellings of a level or kind: the keys, their Chinese and English names.
KIND_NAMES = {
    **{level.value: DEFAULT_KIND[level.value] for level in UnitLevel},
    **{kind.value: kind for kind in UnitKind},
    "区": UnitKind.COUNTY,
    "县": UnitKind.COUNTY,
    "区县": UnitKind.COUNTY,
    "街道": UnitKind.SUBDISTRICT,
    "镇": UnitKind.TOWN,
    "乡": UnitKind.TOWNSHIP,
    "其他乡级单位": UnitKind.OTHER_TOWNSHIP,
    "社区": UnitKind.RESIDENTS,
    "居民委员会": UnitKind.RESIDENTS,
    "村": UnitKind.VILLAGERS,
    "村民委员会": UnitKind.VILLAGERS,
    "网格": UnitKind.GRID,
}
HEADER_WORDS = {"code", "代码", "区划代码", "统计用区划代码"}


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
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
    kind: str
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
        kind = KIND_NAMES.get(level.lower(), "")
        rows.append(_Row(number, code, name, LEVEL_OF_KIND.get(kind, level), kind, parent_code))
    return rows


def _already_there(row: _Row, unit: AdministrativeUnit) -> bool:
    """The unit stands as the line describes it (the file was loaded before)."""
    parent_code = unit.parent.code if unit.parent_id else None
    return (
        unit.level == row.level
        and row.name in (unit.name, unit.official_name)
        and (parent_code == row.parent_code or (parent_code is None and row.level == "district"))
    )


def _check(rows: list[_Row], report: ImportReport, by) -> list[_Row]:
    """Reports every bad line; returns the lines still to create."""
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
        for u in AdministrativeUnit.objects.select_related("parent").filter(
            code__in={r.code for r in rows} | {r.parent_code for r in rows}
        )
    }
    everywhere = by is None or by.is_superuser
    manageable = set(
        AdministrativeUnit.objects.for_user(by, Action.MANAGE_UNITS)
        .filter(code__in=existing)
        .values_list("code", flat=True)
    )
    has_district = AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT).exists()
    to_create = []
    for row in rows:
        if not row.name:
            report.errors.append(LineError(row.line, _("The name is empty.")))
        if len(row.name) > 100 or len(short_name(row.name)) > 64:
            report.errors.append(LineError(row.line, _("The name is longer than 64 characters.")))
        if row.level not in UnitLevel.values:
            report.errors.append(
                LineError(row.line, _("Unknown level %(level)s.") % {"level": row.level})
            )
            continue
        if row.code in existing:
            if _already_there(row, existing[row.code]):
                report.unchanged += 1
            else:
                report.errors.append(
                    LineError(
                        row.line,
                        _("Duplicate code %(code)s: a unit with it already exists.")
                        % {"code": row.code},
                    )
                )
            continue
        to_create.append(row)
        if row.level == UnitLevel.DISTRICT:
            # The top of the tree: its parent (a city) is not a unit of the portal.
            if has_district or not everywhere:
                report.errors.append(
                    LineError(row.line, _("Only a system administrator may load a new district."))
                )
            elif error := code_error(row.code, row.level, None):
                report.errors.append(LineError(row.line, error))
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
        if parent is not None and not everywhere and parent.code not in manageable:
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
    return to_create


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


def unit_import(*, by, data: bytes, established: date | None = None) -> ImportReport:
    """Imports as `by` (None: the system, from `manage.py load_units`)."""
    report = ImportReport()
    if by is not None and not (
        by.is_superuser or AdministrativeUnit.objects.for_user(by, Action.MANAGE_UNITS).exists()
    ):
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
    rows = _check(rows, report, by)
    if report.errors:
        return report
    extra = {"created_on": established} if established else {}
    with (
        transaction.atomic(),
        pghistory.context(user=getattr(by, "pk", None), reason="unit_import"),
    ):
        created = {}
        for row in _ordered(rows):
            parent = None
            if row.level != UnitLevel.DISTRICT:
                parent = created.get(row.parent_code) or AdministrativeUnit.objects.get(
                    code=row.parent_code
                )
            created[row.code] = AdministrativeUnit.objects.create(
                code=row.code,
                name=short_name(row.name, parent.official_name or parent.name if parent else ""),
                official_name=row.name,
                level=row.level,
                kind=row.kind,
                parent=parent,
                **extra,
            )
        report.created = len(created)
        if created:
            public_changed()
    return report
