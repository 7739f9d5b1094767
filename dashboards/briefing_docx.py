"""The 工作简报 as a Word file laid out as a government office's 简报 (in the spirit of GB/T 9704):
A4 with margins of 37/35/28/26 mm; a 报头 of the brief's name in red, 第N期, the issuing unit
and the date over a red rule; the title in 2号 宋体, headings in 3号 黑体, the body in 3号 仿宋
with a two-character first-line indent; the headline figures in a table; 报尾 and page numbers
(— 1 —). The Chinese fonts are set as east-Asian fonts (w:eastAsia), which Word and WPS read
for Chinese text; python-docx's font.name sets only the Latin ones."""

from io import BytesIO

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dashboards.briefing import Briefing

__all__ = [
    "briefing_docx",
    "official_document",
    "official_table",
    "title_paragraph",
    "PAGE",
    "MARGINS",
]

PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]

RED = RGBColor(0xFF, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
LATIN = "Times New Roman"
SONG, HEI, FANGSONG = "宋体", "黑体", "仿宋"
# 号 sizes
SIZE_XIAOCHU, SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(36), Pt(22), Pt(16), Pt(14), Pt(10.5)
# What follows w:pBdr in a paragraph's properties, which Word wants in the schema's order.
AFTER_BORDERS = [
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
# The paragraph styles of the table's cells; their names are their ids.
TABLE_TEXT, TABLE_HEADING = "表格文字", "表格标题"
BODY_LINE = Pt(28)  # fixed line pitch: 22 lines of 3号 on an A4 page


def briefing_docx(brief: Briefing) -> bytes:
    document = Document()
    _page(document)
    _styles(document)
    _masthead(document, brief)
    title = _paragraph(document, brief.title, font=SONG, size=SIZE_2, bold=True, centred=True)
    title.paragraph_format.space_before = Pt(16)
    title.paragraph_format.space_after = Pt(16)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if not brief.sections:
        _body(document, [_("Nothing has been recorded for this period yet.")])
    else:
        _body(document, [brief.lead])
        _figures_table(document, brief)
        for section in brief.sections:
            document.add_paragraph(section.heading, style="Heading 1")
            _section_paragraph(document, section)
    _tail(document, brief)
    _properties(document, brief)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def official_document():
    """An empty A4 document laid out and styled as the 简报 is (page, margins, fonts, page
    numbers), for the other files officials hand upward (a submitted 月报)."""
    document = Document()
    _page(document)
    _styles(document)
    return document


def title_paragraph(document, text: str):
    title = _paragraph(document, text, font=SONG, size=SIZE_2, bold=True, centred=True)
    title.paragraph_format.space_after = Pt(16)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return title


def official_table(document, rows: list[list]) -> None:
    """Rows of text as a bordered table, the first row its repeated heading."""
    width = max(len(row) for row in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for n, row in enumerate(rows):
        added = table.add_row()
        if n == 0:
            _repeat_as_header(added)
        for column, (cell, value) in enumerate(zip(added.cells, row, strict=False)):
            style = TABLE_HEADING if n == 0 else TABLE_TEXT
            _cell(cell, str(value), style, centred=n == 0 or column > 0)


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Mm(25)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_indent(footer)
    _fonts(footer.add_run("— "), SONG, SIZE_4)
    page_number = OxmlElement("w:fldSimple")
    page_number.set(qn("w:instr"), "PAGE")
    run = footer.add_run("1")
    _fonts(run, SONG, SIZE_4)
    footer._p.remove(run._r)
    page_number.append(run._r)
    footer._p.append(page_number)
    _fonts(footer.add_run(" —"), SONG, SIZE_4)


def _styles(document) -> None:
    """Normal is the body (仿宋 3号, fixed line pitch, first line indented two characters);
    Heading 1 is a group's heading (黑体 3号, black, no theme font or colour); the document's
    language is the user's, with Chinese as its east-Asian language."""
    language = "zh-CN" if _chinese() else "en-US"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    _style_fonts(normal, FANGSONG, SIZE_3)
    layout = normal.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = BODY_LINE
    layout.space_before = layout.space_after = Pt(0)
    layout.widow_control = True
    _indent_characters(normal.element.get_or_add_pPr(), 2)

    heading = document.styles["Heading 1"]
    _style_fonts(heading, HEI, SIZE_3, bold=False, color=BLACK)
    layout = heading.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = BODY_LINE
    layout.space_before = layout.space_after = Pt(0)
    layout.keep_with_next = True
    _indent_characters(heading.element.get_or_add_pPr(), 2)

    for name, east_asian in ((TABLE_TEXT, FANGSONG), (TABLE_HEADING, HEI)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _style_fonts(style, east_asian, SIZE_5, bold=False)
        layout = style.paragraph_format
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
        layout.space_before = layout.space_after = Pt(2)
        indent = style.element.get_or_add_pPr().get_or_add_ind()
        indent.set(qn("w:firstLineChars"), "0")
        indent.set(qn("w:firstLine"), "0")


def _style_fonts(style, east_asian: str, size, bold: bool | None = None, color=None) -> None:
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    if color is not None:
        style.font.color.rgb = color
    _set_font_names(style.element.get_or_add_rPr(), east_asian)


def _set_font_names(rpr, east_asian: str) -> None:
    """Latin text in Times New Roman, Chinese in the given font, with the theme's fonts, which
    would win over both, removed."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)


def _fonts(run, east_asian: str, size, bold: bool = False, color=None):
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _set_font_names(run._r.get_or_add_rPr(), east_asian)
    return run


def _indent_characters(ppr, characters: int) -> None:
    """A first-line indent of so many characters of the paragraph's own size (w:firstLineChars),
    which Word and WPS keep when the size changes; firstLine is the same for other readers."""
    indent = ppr.get_or_add_ind()
    indent.set(qn("w:firstLineChars"), str(characters * 100))
    indent.set(qn("w:firstLine"), str(int(SIZE_3.pt * 20 * characters)))


def _no_indent(paragraph) -> None:
    indent = paragraph._p.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), "0")
    indent.set(qn("w:firstLine"), "0")


def _paragraph(document, text, font, size, bold=False, centred=False, color=None):
    paragraph = document.add_paragraph()
    _no_indent(paragraph)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run(text), font, size, bold, color)
    return paragraph


def _rule(paragraph, edge: str, color: str = "FF0000", size: int = 12) -> None:
    """A line along the paragraph's edge ("top" or "bottom"), size in eighths of a point."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *AFTER_BORDERS)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "4")
    line.set(qn("w:color"), color)
    borders.append(line)


def _masthead(document, brief: Briefing) -> None:
    # 小初 for the four to eight characters of a Chinese name; English words need less.
    size = SIZE_XIAOCHU if _chinese() else Pt(26)
    name = _paragraph(document, brief.masthead, SONG, size, True, True, RED)
    name.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    name.paragraph_format.space_after = Pt(12)
    issue = _paragraph(document, brief.issue, FANGSONG, SIZE_3, centred=True)
    issue.paragraph_format.space_after = Pt(6)
    line = document.add_paragraph()
    _no_indent(line)
    line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _fonts(line.add_run(brief.unit.name), FANGSONG, SIZE_3)
    _fonts(line.add_run("\t" + brief.issued_on), FANGSONG, SIZE_3)
    _rule(line, "bottom", size=18)


def _body(document, texts: list[str]) -> None:
    for text in texts:
        document.add_paragraph(text)


def _section_paragraph(document, section) -> None:
    """The group's figures in a sentence: 受理矛盾纠纷8件，化解5件，……。"""
    told = _(", ").join(f"{c.before}{c.number}{c.after}" for c in section.clauses)
    document.add_paragraph(told + _("."))


def _figures_table(document, brief: Briefing) -> None:
    caption = _paragraph(document, _("Headline figures"), HEI, SIZE_3, centred=True)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True
    columns = brief.table_columns
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # A change (+15.0个百分点) wider than a figure, the figure's name taking what is left.
    if brief.shows_previous:  # 本期 上期 环比 上年同期 同比
        figure, change = Mm(16), Mm(28)
        widths = [figure, figure, change, Mm(20), change]
    else:  # 本期 上年同期 同比
        figure, change = Mm(30), Mm(36)
        widths = [figure, figure, change]
    widths.insert(0, TEXT_WIDTH - sum(widths))
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, columns, strict=True):
        _cell(cell, text, TABLE_HEADING, centred=True)
    for row in brief.table:
        values = [row.label, row.now]
        if brief.shows_previous:
            values += [row.previous, row.vs_previous]
        values += [row.year_before, row.vs_year_before]
        cells = table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, TABLE_TEXT, centred=n > 0)
    # Word reads the cells' widths, LibreOffice the grid's: both are set.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    after = document.add_paragraph()
    after.paragraph_format.line_spacing = Pt(12)


def _cell(cell, text: str, style: str, centred: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style  # by id: looking a style up by name is slow
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _tail(document, brief: Briefing) -> None:
    """报尾: to whom the 简报 goes, between two black rules."""
    if not brief.reported_to:
        return
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Pt(24)
    tail = _paragraph(document, _("To: %(unit)s") % {"unit": brief.reported_to}, FANGSONG, SIZE_4)
    tail.paragraph_format.left_indent = Mm(4)
    _rule(tail, "top", color="000000", size=8)
    _rule(tail, "bottom", color="000000", size=8)


def _properties(document, brief: Briefing) -> None:
    properties = document.core_properties
    properties.title = brief.title
    properties.subject = brief.masthead
    properties.author = brief.unit.name
    properties.last_modified_by = brief.unit.name
    properties.comments = ""
    properties.keywords = ""
    properties.language = "zh-CN" if _chinese() else "en-US"


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")
