"""The 工作简报 as a Word file is a 简报 an office could send as it is: A4 with the margins of
official documents, a red 报头 with its issue number, the unit and the date in Chinese, a title
naming unit and period, a heading a group of work, and a table equal to the dashboard's cards."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn

from core.groups import Group
from core.metrics.periods import report_period
from core.metrics.registry import Period
from core.metrics.shown import figure_text
from dashboards.briefing import completed_months, period_name, prose_number
from dashboards.figures import cards
from dashboards.views.dashboards import headline_cards
from tests.dashboards.test_dashboard_figures import build_records

pytestmark = pytest.mark.django_db

CHINESE_NUMERALS = "一二三四五六七八九十"


@pytest.fixture
def records(district, people):
    return build_records(district, people)


@pytest.fixture
def staff(people, client_for):
    return client_for(people.district_staff)


def brief_of(client, unit, query="") -> Document:
    joiner = "&" if query else "?"
    response = client.get(f"/dashboard/{unit.code}/briefing/{query}{joiner}format=docx")
    assert response.status_code == 200
    assert "wordprocessingml" in response["Content-Type"]
    return response, Document(BytesIO(response.content))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def table_rows(document) -> list[list[str]]:
    (table,) = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def expected_headings(figure_cards, chinese=True) -> list[str]:
    told = {
        c.metric.group
        for c in figure_cards
        if c.metric.phrase and c.value is not None and (c.value != 0 or c.metric.kind == "yoy")
    }
    groups = [g for g in Group if g in told]
    if chinese:
        return [f"{CHINESE_NUMERALS[n]}、{g.label}" for n, g in enumerate(groups)]
    return [f"{n + 1}. {g.label}" for n, g in enumerate(groups)]


def signed(change) -> str:
    if change is None:
        return "—"
    delta = change["delta"]
    sign = "+" if delta > 0 else ""
    if change["unit"] == "percent":
        return f"{sign}{figure_text(delta)}%"
    return f"{sign}{figure_text(delta)}个百分点"


def east_asian_font(element) -> str:
    return element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_brief_of_a_street_is_an_a4_brief_of_its_completed_months(district, records, staff):
    today = timezone.localdate()
    unit = district.aishan
    response, document = brief_of(staff, unit)
    period = completed_months(today)
    end = period.current.end
    if end.month == 1:
        months = f"{end.year}年1月"
    elif end.year < today.year:
        months = f"{end.year}年"
    else:
        months = f"{end.year}年1—{end.month}月"
    title = f"艾山街道{months}基层治理工作简报"
    assert response["Content-Disposition"].endswith(".docx")
    assert "%E8%89%BE%E5%B1%B1" in response["Content-Disposition"]  # 艾山, the title as its name

    # A4, portrait, margins 37/35/28/26 mm.
    (section,) = document.sections
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]

    # 报头: the brief's name in red, its issue number, the unit and the date in Chinese form
    # over a red rule.
    paragraphs = [p for p in document.paragraphs if p.text]
    masthead, issue, issuer = paragraphs[:3]
    assert masthead.text == "基层治理工作简报"
    assert {str(run.font.color.rgb) for run in masthead.runs} == {"FF0000"}
    assert issue.text == f"第{end.month}期"
    assert issuer.text == f"艾山街道\t{today.year}年{today.month}月{today.day}日"
    rule = issuer._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"

    # The title names the unit and the period, in 2号 宋体.
    assert paragraphs[3].text == title
    assert document.core_properties.title == title
    assert paragraphs[3].runs[0].font.size.pt == 22
    assert east_asian_font(paragraphs[3].runs[0]._r) == "宋体"
    assert paragraphs[4].text == f"现将艾山街道{months}基层治理主要工作情况简报如下。"

    # The body in 仿宋 3号 with a two-character indent, the headings in 黑体.
    normal = document.styles["Normal"]
    assert east_asian_font(normal.element) == "仿宋" and normal.font.size.pt == 16
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert east_asian_font(document.styles["Heading 1"].element) == "黑体"

    # A heading a group with something to tell, in the dashboard's order.
    figure_cards = cards(unit, period)
    assert headings(document) == expected_headings(figure_cards)
    assert headings(document)[0] == "一、矛盾纠纷化解"

    # The table: the dashboard's headline cards; with the year's months, 环比 is 同比 and is
    # given once.
    rows = table_rows(document)
    assert rows[0] == ["指标", "本期", "上年同期", "同比"]
    headline = headline_cards(figure_cards)
    assert len(rows) == 1 + len(headline)
    for row, card in zip(rows[1:], headline, strict=True):
        m = card.metric
        assert row == [
            f"{m.label}（{m.unit_label}）",
            figure_text(card.value),
            figure_text(card.year_before),
            signed(card.vs_year_before),
        ], m.key

    # 报尾: to the district above; page numbers — 1 — in the footer.
    assert paragraphs[-1].text == "报：钢城区"
    footer = section.footer.paragraphs[0]
    assert footer._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))) == "— 1 —"


def test_every_link_of_the_briefing_page_opens(district, records, staff):
    """The numbers link to the records of the brief's own period (the completed months), and
    the way back to the dashboard shows that period too."""
    html = staff.get(f"/dashboard/{district.aishan.code}/briefing/").content.decode()
    article = html.split('<article class="card briefing-text">', 1)[1]
    links = re.findall(r'href="(/dashboard/[^"]+)"', html.split("<main", 1)[1])
    assert any("/records/" in link for link in re.findall(r'href="([^"]+)"', article))
    current = completed_months(timezone.localdate()).current
    for link in links:
        link = link.replace("&amp;", "&")
        assert staff.get(link).status_code == 200, link
        if "format=docx" not in link:
            assert f"start={current.start}&end={current.end}" in link, link


def test_a_months_brief_compares_with_the_month_before_and_a_year_before(district, records, staff):
    last_year = timezone.localdate().year - 1
    start, end = date(last_year, 3, 1), date(last_year, 3, 31)
    unit = district.district
    query = f"?period=custom&start={start}&end={end}"
    _response, document = brief_of(staff, unit, query)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[1] == "第3期"
    assert paragraphs[3] == f"钢城区{last_year}年3月基层治理工作简报"
    period = report_period("custom", timezone.localdate(), start, end)
    figure_cards = cards(unit, period)
    assert headings(document) == expected_headings(figure_cards)
    rows = table_rows(document)
    assert rows[0] == ["指标", "本期", "上期", "环比", "上年同期", "同比"]
    for row, card in zip(rows[1:], headline_cards(figure_cards), strict=True):
        assert row[1:] == [
            figure_text(card.value),
            figure_text(card.previous),
            signed(card.vs_previous),
            figure_text(card.year_before),
            signed(card.vs_year_before),
        ], card.metric.key
    # The district has no unit above: no 报尾.
    assert not any(p.startswith("报：") for p in paragraphs)


def test_the_english_brief_is_in_english(district, records, staff):
    staff.cookies["django_language"] = "en"
    last_year = timezone.localdate().year - 1
    _response, document = brief_of(staff, district.aishan, "?period=last_year")
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:2] == ["Grassroots governance briefing", "No. 12"]
    assert paragraphs[3] == f"艾山街道: grassroots governance briefing, {last_year}"
    with translation.override("en"):
        figure_cards = cards(district.aishan, report_period("last_year", timezone.localdate()))
        assert headings(document) == expected_headings(figure_cards, chinese=False)
    assert headings(document)[0] == "1. Disputes"
    told = paragraphs[paragraphs.index("1. Disputes") + 1]
    assert re.match(r"^\d+ disputes received, \d+ resolved, a resolution rate of", told), told
    assert table_rows(document)[0] == ["Figure", "This period", "Same period last year", "YoY"]


def test_an_empty_brief_says_so(district, people, staff):
    _response, document = brief_of(staff, district.yanzhuang, "?period=month")
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert "本期尚无记录。" in paragraphs
    assert not document.tables and not headings(document)


@pytest.mark.parametrize(
    ("start", "end", "chinese", "english"),
    [
        (date(2026, 1, 1), date(2026, 11, 30), "2026年1—11月", "January–November 2026"),
        (date(2026, 11, 1), date(2026, 11, 30), "2026年11月", "November 2026"),
        (date(2025, 1, 1), date(2025, 12, 31), "2025年", "2025"),
        (date(2026, 12, 1), date(2026, 12, 6), "2026年12月1日—6日", "1–6 December 2026"),
        (
            date(2026, 1, 1),
            date(2026, 12, 6),
            "2026年1月1日—12月6日",
            "1 January – 6 December 2026",
        ),
        (
            date(2025, 12, 1),
            date(2026, 2, 28),
            "2025年12月—2026年2月",
            "December 2025 – February 2026",
        ),
        (date(2026, 12, 6), date(2026, 12, 6), "2026年12月6日", "6 December 2026"),
    ],
)
def test_a_period_is_named_as_an_office_writes_it(start, end, chinese, english):
    with translation.override("zh-hans"):
        assert period_name(Period(start, end)) == chinese
    with translation.override("en"):
        assert period_name(Period(start, end)) == english


def test_the_completed_months_of_the_year():
    assert completed_months(date(2026, 12, 6)).current == Period(
        date(2026, 1, 1), date(2026, 11, 30)
    )
    assert completed_months(date(2026, 12, 1)).current.end == date(2026, 11, 30)
    january = completed_months(date(2026, 1, 20))
    assert january.current == Period(date(2025, 1, 1), date(2025, 12, 31))
    march = completed_months(date(2026, 3, 1))
    assert march.previous == march.year_before == Period(date(2025, 1, 1), date(2025, 2, 28))


class Kind:
    def __init__(self, kind):
        self.kind = kind


@pytest.mark.parametrize(
    ("value", "kind", "chinese", "english"),
    [
        (65432, "stock", "6.54万", "65,432"),
        (30000, "count", "3万", "30,000"),
        (9999, "count", "9,999", "9,999"),
        (123456789, "count", "1.23亿", "123,456,789"),
        (Decimal("75.0"), "rate", "75", "75"),
        (Decimal("33.3"), "rate", "33.3", "33.3"),
        (Decimal("31234.5"), "count", "3.12万", "31,234.5"),
    ],
)
def test_large_numbers_read_in_wan_in_chinese_prose(value, kind, chinese, english):
    with translation.override("zh-hans"):
        assert prose_number(value, Kind(kind)) == chinese
    with translation.override("en"):
        assert prose_number(value, Kind(kind)) == english


SOFFICE, PDFINFO, PDFTOTEXT = (shutil.which(tool) for tool in ("soffice", "pdfinfo", "pdftotext"))


@pytest.mark.skipif(
    not (SOFFICE and PDFINFO and PDFTOTEXT), reason="LibreOffice or poppler is not installed"
)
def test_libreoffice_opens_it_as_an_a4_document(district, records, staff, tmp_path):
    _response, document = brief_of(staff, district.aishan)
    source = tmp_path / "brief.docx"
    document.save(source)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    info = subprocess.run(
        [PDFINFO, str(tmp_path / "brief.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(
        [PDFTOTEXT, str(tmp_path / "brief.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "基层治理工作简报" in text and "一、矛盾纠纷化解" in text
