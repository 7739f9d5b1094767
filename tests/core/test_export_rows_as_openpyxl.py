"""The export's table is written without openpyxl's cell objects: every part of the file is the
one openpyxl writes for the same rows, byte for byte, whatever the values."""

import io
import zipfile
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from core.exports import _xlsx_row, xlsx_response

SHANGHAI = ZoneInfo("Asia/Shanghai")
values = st.one_of(
    st.none(),
    st.text(),
    st.sampled_from(
        ["", " 前后空格 ", "a&b<c>d\"e'", "行\r\n换\t", "=1+1", "#N/A", "😀", "x" * 40000]
    ),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.decimals(allow_nan=False, places=3, min_value=-(10**9), max_value=10**9),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.times(),
    st.just(datetime(2026, 1, 2, 9, 30, tzinfo=SHANGHAI)),
)


def _by_openpyxl(title, header, rows, about) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title)
    for line in [[title], *about, []]:
        sheet.append(_xlsx_row(sheet, line))
    sheet.append(_xlsx_row(sheet, header, Font(bold=True)))
    for row in rows:
        sheet.append(_xlsx_row(sheet, row))
    written = io.BytesIO()
    book.save(written)
    return written.getvalue()


def _parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(values, max_size=12), max_size=8))
def test_every_part_of_the_file_is_the_one_openpyxl_writes(rows):
    about = [["单位", "钢城区"], ["导出时间", "2026-01-02 09:30"]]
    response = xlsx_response(
        filename="t.xlsx", title="表", header=["列", "日期"], rows=rows, about=about
    )
    assert _parts(response.content) == _parts(_by_openpyxl("表", ["列", "日期"], rows, about))


def test_a_date_after_a_time_takes_the_style_openpyxl_gives_it():
    rows = [[time(9, 30), date(2026, 1, 2)], [datetime(2026, 1, 2, 9), date(2026, 1, 3)]]
    response = xlsx_response(filename="t.xlsx", title="表", header=["a"], rows=rows, about=[])
    assert _parts(response.content) == _parts(_by_openpyxl("表", ["a"], rows, []))
