"""A streaming reader of the first sheet of an XLSX file: rows as lists of values, in constant
memory (lxml's iterparse, each row dropped once read), several times faster than openpyxl's
read-only mode, which parses a sheet twice when it lacks a <dimension> element.

Shared strings, inline strings, numbers and booleans are read; styles are not, so a date typed
as a date arrives as its Excel serial number (the importer reads those)."""

import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

__all__ = ["XlsxRows", "BadWorkbook"]

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
ROW = f"{{{NS}}}row"
C = f"{{{NS}}}c"
V = f"{{{NS}}}v"
IS = f"{{{NS}}}is"
T = f"{{{NS}}}t"


class BadWorkbook(Exception):
    pass


class _Counting:
    """A file wrapper that counts the bytes read (the progress of a stream)."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.count += len(data)
        return data


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}


def _column(ref: str | None, fallback: int) -> int:
    if not ref:
        return fallback
    letters = ref.rstrip(_DIGITS)
    if (index := _COLUMNS.get(letters)) is None:
        index = _COLUMNS[letters] = _letters(letters)
    return index if index >= 0 else fallback


def _letters(ref: str) -> int:
    """The 0-based column of letters such as "AB", or -1."""
    index = 0
    for letter in ref:
        if letter > "Z" or letter < "A":
            break
        index = index * 26 + ord(letter) - 64
    return index - 1 if index else -1


def _text(element) -> str:
    # Text runs (<t>), skipping phonetic hints (<rPh>).
    return "".join(
        t.text or "" for t in element.iter(f"{{{NS}}}t") if t.getparent().tag != f"{{{NS}}}rPh"
    )


def _inline(cell) -> str:
    """An inline string: one <is><t> run, read directly, or rich text of several runs."""
    for inline in cell:
        if inline.tag == IS:
            if len(inline) == 1 and inline[0].tag == T:
                return inline[0].text or ""
            return _text(inline)
    return ""


class XlsxRows:
    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheet = self._first_sheet()
            self.size = self.zip.getinfo(self.sheet).file_size
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as error:
            raise BadWorkbook(str(error)) from error
        self.stream = None

    def _first_sheet(self) -> str:
        workbook = etree.fromstring(self.zip.read("xl/workbook.xml"))
        sheet = workbook.find(f"{{{NS}}}sheets/{{{NS}}}sheet")
        if sheet is None:
            raise KeyError("no sheet")
        rel_id = sheet.get(f"{{{REL_NS}}}id")
        rels = etree.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join("xl", target))
        raise KeyError("sheet target")

    def _shared(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        strings = []
        with self.zip.open("xl/sharedStrings.xml") as raw:
            for _event, si in etree.iterparse(raw, tag=f"{{{NS}}}si"):
                strings.append(_text(si))
                si.clear()
        return strings

    @property
    def fraction_read(self) -> float:
        return self.stream.count / self.size if self.stream and self.size else 0.0

    def __iter__(self) -> Iterator[list]:
        shared = self._shared()
        try:
            with self.zip.open(self.sheet) as raw:
                self.stream = _Counting(raw)
                for _event, row in etree.iterparse(self.stream, tag=ROW):
                    cells: list = []
                    for position, cell in enumerate(row):
                        if cell.tag != C:
                            continue
                        index = _column(cell.get("r"), position)
                        kind = cell.get("t")
                        if kind == "inlineStr":
                            value = _inline(cell)
                        else:
                            value_text = None
                            for child in cell:  # <f> (a formula) may come before <v>
                                if child.tag == V:
                                    value_text = child.text
                            if kind == "s":
                                value = shared[int(value_text)] if value_text else ""
                            elif kind == "b":
                                value = value_text == "1"
                            elif kind in ("str", "e"):
                                value = value_text or ""
                            elif value_text is None:
                                value = None
                            else:
                                number = float(value_text)
                                value = int(number) if number.is_integer() else number
                        if index >= len(cells):
                            cells.extend([None] * (index - len(cells) + 1))
                        cells[index] = value
                    row.clear()
                    while row.getprevious() is not None:
                        del row.getparent()[0]
                    yield cells
        except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, IndexError) as error:
            raise BadWorkbook(str(error)) from error
        finally:
            self.zip.close()
