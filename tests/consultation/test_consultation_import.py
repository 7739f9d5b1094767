"""12345 tickets from XLSX or CSV: a report of bad rows, a bad row changes nothing, the same
file twice adds nothing."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from consultation.models import Demand
from consultation.services.hotline_import import import_tickets
from core.models import Tally
from tests.consultation.helpers import PHONE, PHONE_MASKED, today
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

HEADER = ["工单编号", "受理日期", "单位代码", "诉求内容", "地址", "联系人", "联系电话"]


def rows(district, n=3):
    return [
        [
            f"12345-2026-{i:04d}",
            (today() - timedelta(days=i)).isoformat(),
            district.honggou.code,
            f"小区{i}号楼申请加装电梯",
            f"洪沟小区{i}号楼",
            "李四",
            PHONE,
        ]
        for i in range(1, n + 1)
    ]


def xlsx(data) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in data:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("tickets.xlsx", out.getvalue())


def csv_file(data, encoding="utf-8-sig") -> SimpleUploadedFile:
    text = "\n".join(",".join(str(v) for v in row) for row in data)
    return SimpleUploadedFile("tickets.csv", text.encode(encoding))


def test_an_xlsx_file_imports_its_tickets_once(people, district):
    data = [HEADER, *rows(district)]
    report = import_tickets(by=people.wenyuan_official, upload=xlsx(data))
    assert report.ok and report.created == 3
    assert Demand.objects.filter(source="12345", unit=district.honggou).count() == 3
    tallies = sum(
        Tally.objects.filter(metric="consultation.demands_received").values_list("value", flat=True)
    )
    assert tallies == 3
    again = import_tickets(by=people.wenyuan_official, upload=xlsx(data))
    assert again.ok and (again.created, again.skipped) == (0, 3)
    assert Demand.objects.count() == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_file_in_either_encoding_imports(people, district, encoding):
    report = import_tickets(
        by=people.wenyuan_official, upload=csv_file([HEADER, *rows(district, 2)], encoding)
    )
    assert report.ok and report.created == 2
    assert (
        Demand.objects.get(ticket_number="12345-2026-0001").description == "小区1号楼申请加装电梯"
    )


def test_one_bad_row_changes_nothing_and_every_bad_row_is_reported(people, district):
    data = [HEADER, *rows(district, 4)]
    data[2][1] = "昨天"  # row 3: not a date
    data[3][2] = district.meiyuan.code  # row 4: outside 汶源街道
    data[4][0] = data[1][0]  # row 5: the same ticket twice
    report = import_tickets(by=people.wenyuan_official, upload=xlsx(data))
    assert not report.ok and report.created == 0
    assert [row for row, _ in report.errors] == [3, 4, 5]
    assert not Demand.objects.exists()


def test_a_missing_column_or_a_future_date_is_reported(people, district):
    missing = [[c for c in HEADER if c != "单位代码"]]
    report = import_tickets(by=people.wenyuan_official, upload=xlsx(missing))
    assert report.errors and "单位代码" in report.errors[0][1]
    data = [HEADER, *rows(district, 1)]
    data[1][1] = (today() + timedelta(days=3)).isoformat()
    assert import_tickets(by=people.wenyuan_official, upload=xlsx(data)).errors[0][0] == 2
    assert not Demand.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(people):
    junk = SimpleUploadedFile("tickets.xlsx", b"PK\x03\x04 not really a zip")
    report = import_tickets(by=people.wenyuan_official, upload=junk)
    assert not report.ok and not Demand.objects.exists()


def test_the_import_page_queues_the_file_then_reports_bad_rows_and_masks_phones_afterwards(
    people, district, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people.wenyuan_official)
    url = reverse("governance:demand_import")
    data = [HEADER, *rows(district, 2)]
    data[2][3] = ""
    queued = client.post(url, {"file": xlsx(data)})
    assert queued.status_code == 302 and "?task=" in queued["Location"]
    assert "hx-trigger" in client.get(queued["Location"]).content.decode()  # the page polls
    run_queued_tasks()
    bad = client.get(queued["Location"])
    assert bad.status_code == 200 and "诉求" in bad.content.decode()
    assert 'role="alert"' in bad.content.decode() and not Demand.objects.exists()
    data[2][3] = "申请办理房产证"
    good = client.post(url, {"file": xlsx(data)})
    run_queued_tasks()
    assert "导入工单2件" in client.get(good["Location"]).content.decode()
    assert Demand.objects.count() == 2
    assert not list(tmp_path.rglob("*.xlsx"))  # the kept upload is gone once read
    assert client_for(people.aishan_official).get(good["Location"]).status_code == 404
    demand = Demand.objects.get(ticket_number="12345-2026-0002")
    html = client.get(demand.get_absolute_url()).content.decode()
    assert PHONE_MASKED in html and PHONE not in html


def test_a_file_neither_xlsx_nor_csv_is_refused_next_to_the_field(people, client_for):
    url = reverse("governance:demand_import")
    upload = SimpleUploadedFile("tickets.pdf", b"%PDF-1.4")
    answer = client_for(people.wenyuan_official).post(url, {"file": upload})
    assert answer.status_code == 200 and 'id="id_file_error"' in answer.content.decode()


def test_only_consultation_roles_may_import(people, client_for):
    url = reverse("governance:demand_import")
    assert client_for(people.grid_worker).get(url).status_code == 404
    assert client_for(people.village_clerk).get(url).status_code == 404
    assert client_for(people.wenyuan_official).get(url).status_code == 200


def test_a_ticket_registered_with_another_unit_is_a_bad_row_and_stays_theirs(
    people, district, client_for, settings, tmp_path
):
    """梅苑社区's worker imports a file holding a ticket 洪沟社区 already has, filed under
    梅苑: nothing is created, 洪沟's demand keeps its unit and text, and the report does not say
    where the ticket is."""
    from django.forms.models import model_to_dict

    import_tickets(by=people.wenyuan_official, upload=xlsx([HEADER, *rows(district, 1)]))
    theirs = Demand.objects.get()
    before = model_to_dict(theirs)
    data = [HEADER, *rows(district, 2)]
    for row in data[1:]:
        row[2] = district.meiyuan.code
    data[2][0] = "12345-2026-0999"  # a new ticket beside it
    client = client_for(people.meiyuan_worker)
    settings.MEDIA_ROOT = tmp_path
    queued = client.post(reverse("governance:demand_import"), {"file": xlsx(data)})
    run_queued_tasks()
    page = client.get(queued["Location"]).content.decode()
    assert 'role="alert"' in page and "导入工单" not in page
    assert "洪沟" not in page and "汶源" not in page
    report = import_tickets(by=people.meiyuan_worker, upload=xlsx(data))
    assert [row for row, _ in report.errors] == [2] and report.created == 0
    assert "外" in report.errors[0][1]
    assert Demand.objects.count() == 1
    assert model_to_dict(Demand.objects.get()) == before


def test_tickets_go_only_to_units_the_importer_runs_consultation_for(people, district):
    """A grid worker's grant elsewhere (logging demands) does not widen what their community
    role may import into."""
    from core.models import Membership

    Membership.objects.create(
        user=people.meiyuan_worker, unit=district.honggou_grid, role="grid_worker"
    )
    data = [HEADER, *rows(district, 1)]
    data[1][2] = district.honggou_grid.code
    report = import_tickets(by=people.meiyuan_worker, upload=xlsx(data))
    assert [row for row, _ in report.errors] == [2]
    assert not Demand.objects.exists()
