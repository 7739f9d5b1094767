"""The one export module: every text an XLSX cell holds is text, never a formula; a CSV field a
spreadsheet would run starts with an apostrophe; every download, the briefing included, is kept
by no browser or proxy; and no other module writes a spreadsheet, a CSV or a download."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import csv_response, xlsx_response, xlsx_workbook_response
from disclosure.models import DisclosurePost, FundLine
from disclosure.services.disclosure import post_correct, post_review, post_submit
from tests.disclosure.helpers import draft_post, published_post

PAYLOADS = ['=HYPERLINK("http://127.0.0.1/x","点我")', "=1+1", "+SUM(A1)", "@cmd", "-2+3"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROW = [
    *PAYLOADS,
    "#N/A",
    "响铃\x07字符",
    "普通文字",
    Decimal("1.50"),
    3,
    date(2026, 1, 2),
    datetime(2026, 1, 2, 9, 30, tzinfo=SHANGHAI),
    None,
]


def _one_sheet(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("build", ["xlsx_response", "xlsx_workbook_response"])
def test_xlsx_text_is_text_however_it_begins(build):
    if build == "xlsx_response":
        response = xlsx_response(
            filename="t.xlsx", title="=标题", header=["=列", "@列"], rows=[ROW], notes=["-注"]
        )
    else:
        response = xlsx_workbook_response(filename="t.xlsx", sheets=[("=表", [["=列"], ROW])])
    cells = _one_sheet(response)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    written = [*PAYLOADS, "#N/A", "响铃字符", "普通文字", 1.5, 3, datetime(2026, 1, 2)]
    assert [c.value for c in cells][-12:] == [*written, datetime(2026, 1, 2, 9, 30)]
    assert [c.data_type for c in cells][-12:] == ["s"] * 8 + ["n", "n", "d", "d"]
    titles = {"=标题", "@列", "-注", "=列"} if build == "xlsx_response" else {"=列"}
    assert titles <= {c.value for c in cells if c.data_type == "s"}


def test_csv_fields_a_spreadsheet_would_run_start_with_an_apostrophe():
    response = csv_response(
        filename="t.csv",
        header=["=列", "名称"],
        rows=[[*PAYLOADS, "\tx", "\rx", "普通", -5, Decimal("-2.50"), date(2026, 1, 2), None]],
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert header == ["'=列", "名称"]
    assert row == [
        *(f"'{p}" for p in PAYLOADS),
        "'\tx",
        "'\rx",
        "普通",
        "-5",
        "-2.50",
        "2026-01-02",
        "",
    ]


@pytest.fixture
def fresh_cache():
    cache.clear()


def test_the_public_csv_neutralises_what_the_clerk_typed(district, people, fresh_cache):
    village = district.liuqiaoyu
    clerk, supervisor = people.village_clerk, people.supervisor
    post = draft_post(village, clerk, title=PAYLOADS[0], lines=[("income", "=1+1", 100)])
    FundLine.objects.filter(post=post).update(note="\t@cmd")
    post = post_review(post=post_submit(post=post, by=clerk), by=supervisor, decision="approved")
    correction = post_correct(post=post, by=clerk, reason="+SUM(A1)")
    post_review(post=post_submit(post=correction, by=clerk), by=supervisor, decision="approved")
    response = Client().get(reverse("public:posts_csv", args=[village.code]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == DisclosurePost.objects.filter(unit=village, status="published").count()
    assert {r["title"] for r in rows} == {f"'{PAYLOADS[0]}"}
    assert {r["line"] for r in rows} == {"'=1+1"} and {r["note"] for r in rows} == {"'\t@cmd"}
    assert {r["correction_reason"] for r in rows} == {"", "'+SUM(A1)"}


def _downloads(district) -> list[tuple[str | None, str]]:
    code = district.district.code
    village = district.liuqiaoyu.code
    return [
        ("district", "/cases/export/"),
        ("district", "/volunteers/export/"),
        ("district", f"/dashboard/{code}/export/"),
        ("district", f"/dashboard/{code}/briefing/?format=docx"),
        (None, reverse("public:posts_csv", args=[village])),
        (None, reverse("public:posts_json", args=[village])),
    ]


def test_every_download_and_the_briefing_is_kept_by_no_cache(district, people, fresh_cache):
    published_post(district.liuqiaoyu, people.village_clerk, people.supervisor)
    for username, url in _downloads(district):
        client = Client()
        if username:
            client.force_login(people.district_staff)
        for _again in range(2):  # the public files the second time from the portal's cache
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Disposition"].startswith("attachment"), url
            assert "no-store" in response["Cache-Control"], url


# What may write files a person downloads: this module, and nothing else.
EXPORTS = Path("core/exports.py")
WRITERS = re.compile(
    r"csv\.writer|csv\.DictWriter|\bWorkbook\(|Content-Disposition|\.save\(response"
)


def test_no_module_but_the_export_module_writes_a_download():
    root = Path(settings.BASE_DIR)
    packages = [
        Path(config.path).name
        for config in apps.get_app_configs()
        if Path(config.path).parent == root
    ]
    writers = [
        str(path.relative_to(root))
        for package in ("portal", *packages)
        for path in sorted((root / package).rglob("*.py"))
        if path.relative_to(root) != EXPORTS and WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert writers == []


def test_the_heading_of_a_sheet_leads_and_is_text_too():
    about = [["筛选条件", "=1+1"], ["导出人", "@张三"]]
    body = csv_response(filename="t.csv", header=["列"], rows=[["值"]], about=about)
    lines = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    assert lines == [["筛选条件", "'=1+1"], ["导出人", "'@张三"], [], ["列"], ["值"]]
    sheet = xlsx_response(filename="t.xlsx", title="表", header=["列"], rows=[], about=about)
    cells = _one_sheet(sheet)
    assert [c.value for c in cells][:5] == ["表", "筛选条件", "=1+1", "导出人", "@张三"]
    assert {c.data_type for c in cells} == {"s"}
