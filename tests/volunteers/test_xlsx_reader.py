"""The streaming XLSX reader on a workbook written by hand: every kind of cell it reads."""

import zipfile

import pytest

from volunteers.services.xlsx import BadWorkbook, XlsxRows

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = f"""<workbook xmlns="{NS}"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="志愿者" sheetId="1" r:id="rId1"/></sheets></workbook>"""
RELS = """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>"""
SHARED = f"""<sst xmlns="{NS}"><si><t>张伟</t></si>
<si><r><t>李</t></r><r><t>娜</t></r><rPh sb="0" eb="1"><t>り</t></rPh></si></sst>"""


def workbook(tmp_path, rows: str, shared: bool = True):
    path = tmp_path / "roll.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", RELS)
        if shared:
            book.writestr("xl/sharedStrings.xml", SHARED)
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>',
        )
    return path


def test_every_kind_of_cell_is_read_in_its_column(tmp_path):
    path = workbook(
        tmp_path,
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>'
        '<c r="D1" t="inlineStr"><is><t>正常</t></is></c>'
        '<c r="E1" t="inlineStr"><is><r><t>医疗</t></r><r><t>救护</t></r></is></c>'
        '<c r="F1"><f>SUM(1,2)</f><v>3</v></c><c r="G1"><v>45000.5</v></c>'
        '<c r="H1" t="b"><v>1</v></c><c r="I1" t="str"><f>"a"</f><v>甲</v></c>'
        '<c r="AA1"><v>370117001216</v></c><c r="AB1"/></row>'
        '<row r="2"><c t="inlineStr"><is><t>王芳</t></is></c><c><v>7</v></c></row>',
    )
    first, second = list(XlsxRows(path))
    assert first[:9] == ["张伟", None, "李娜", "正常", "医疗救护", 3, 45000.5, True, "甲"]
    assert first[26:] == [370117001216, None]
    assert len(first) == 28
    assert second == ["王芳", 7]


def test_a_broken_sheet_raises_bad_workbook(tmp_path):
    path = workbook(tmp_path, '<row r="1"><c r="A1" t="s"><v>9</v></c></row>', shared=False)
    with pytest.raises(BadWorkbook):
        list(XlsxRows(path))
