"""Staff are people: every output names an official the same way, through the one function
(`user_display_name`: the full name masked, 王**, else the login name). The 月报 signature on the
page and in its files, a record's timeline, the changes listed beside a report and an export's
heading all say 王**, never 王建国."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from core.privacy import user_display_name
from core.timeline import timeline_for
from dashboards.monthly import monthly_report_submit
from tests.dashboards.test_monthly_reports import corrections_section, months_back, report_url
from tests.disputes.helpers import log_case

pytestmark = pytest.mark.django_db

FULL = "王建国"
SHOWN = "王**"


@pytest.fixture
def named(people):
    for user in (people.aishan_official, people.district_staff):
        user.full_name = FULL
        user.save()
    return people


def test_the_rule_masks_a_full_name_and_falls_back_to_the_login(named):
    assert user_display_name(named.aishan_official) == SHOWN == str(named.aishan_official)
    named.meiyuan_worker.full_name = ""
    assert user_display_name(named.meiyuan_worker) == named.meiyuan_worker.username


def test_the_monthly_report_signature_names_the_official_masked(district, named, client_for):
    month = months_back(1)
    monthly_report_submit(by=named.aishan_official, unit=district.aishan, month=month)
    late = log_case(named.district_staff, district.meiyuan_grid, received_on=month.replace(day=3))
    client = client_for(named.district_staff)
    page = client.get(report_url(district.aishan, month)).content.decode()
    signature = page.split('class="meta signature"', 1)[1].split("</p>", 1)[0]
    assert SHOWN in signature and FULL not in page
    assert late.number in corrections_section(page)  # the change, by 王** as well
    assert SHOWN in corrections_section(page)
    listed = client.get(f"/monthly/{district.aishan.code}/").content.decode()
    assert SHOWN in listed and FULL not in listed
    book = load_workbook(
        BytesIO(client.get(report_url(district.aishan, month, "report.xlsx")).content)
    )
    cells = [c for row in book.worksheets[0].values for c in row if c is not None]
    assert SHOWN in cells and FULL not in cells
    document = Document(
        BytesIO(client.get(report_url(district.aishan, month, "report.docx")).content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert SHOWN in text and FULL not in text


def test_a_timeline_names_the_actor_masked(district, named, client_for):
    case = log_case(named.district_staff, district.meiyuan_grid)
    [entry, *_rest] = timeline_for(case)
    assert entry.who == SHOWN
    page = client_for(named.district_staff).get(case.get_absolute_url()).content.decode()
    assert SHOWN in page and FULL not in page


def test_an_export_names_who_exported_it_masked(district, named, client_for):
    response = client_for(named.district_staff).get(f"/dashboard/{district.district.code}/export/")
    assert response.status_code == 200, response.status_code
    book = load_workbook(BytesIO(response.content))
    rows = [[c for c in row if c is not None] for row in book.worksheets[0].values]
    assert ["导出人", SHOWN] in rows
    assert FULL not in [c for row in rows for c in row]
