"""Importing volunteer rolls: bad rows are reported by line and skipped, good rows load; the
same file again updates instead of duplicating; XLSX and CSV alike; tallies follow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.metrics.rebuild import recomputed_facts, stored_facts
from tests.tasks import run_queued_tasks
from tests.volunteers.conftest import id_number
from volunteers.models import ImportJob, Volunteer
from volunteers.services import imports
from volunteers.services.imports import import_start

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "证件号码", "手机号码", "所属单位代码", "注册日期", "技能", "状态"]


def good_rows(count: int, start: int = 0) -> list[list]:
    return [
        [
            f"志愿者{n}",
            id_number(n),
            f"139{n:08d}",
            "370117003001",
            "2023-05-01",
            "医疗救护、助老",
            "正常",
        ]
        for n in range(start, start + count)
    ]


def csv_file(rows: list[list], name="roll.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    import csv

    csv.writer(text).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows: list[list], name="roll.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run(people, district, upload) -> ImportJob:
    """Start the import and let a worker run what the queue holds."""
    job = import_start(by=people.wenyuan_official, unit=district.wenyuan, upload=upload)
    assert job.status == ImportJob.Status.WAITING  # queued, not run in the request
    run_queued_tasks()
    job.refresh_from_db()
    return job


def test_a_file_with_bad_rows_loads_the_good_ones_and_names_every_bad_one(
    people, district, tmp_path
):
    rows = good_rows(5)
    rows.insert(1, ["", id_number(100), "", "", "", "", ""])  # line 3: no name
    rows.insert(3, ["错号", id_number(101)[:-1] + "0", "", "", "", "", ""])  # line 5: check digit
    rows.append(["别处", id_number(102), "", "370117001001", "", "", ""])  # outside 汶源街道
    rows.append(["重复", id_number(0), "", "", "", "", ""])  # same ID as line 2
    rows.append(["坏电话", id_number(103), "12345", "", "", "", ""])
    rows.append(["未来", id_number(104), "", "", "2999-01-01", "", ""])
    rows.append(["怪状态", id_number(105), "", "", "", "休眠", ""][:6] + ["休眠"])
    job = run(people, district, csv_file(rows))
    assert job.status == ImportJob.Status.DONE
    assert (job.created, job.updated, job.bad) == (5, 0, 7)
    lines = [line for line, _message in job.errors]
    assert lines == [3, 5, 9, 10, 11, 12, 13]
    messages = dict(job.errors)
    assert "校验" in messages[5] or "check" in messages[5]
    assert "2" in messages[10]  # points at the first line with that ID number
    assert Volunteer.objects.count() == 5
    assert stored_facts() == recomputed_facts()
    # The roll held unmasked personal data: it is not kept once read.
    assert not job.file
    assert not list(tmp_path.rglob("*.csv"))


def test_the_same_file_twice_updates_instead_of_duplicating(people, district):
    rows = good_rows(20)
    first = run(people, district, xlsx_file(rows))
    assert (first.created, first.updated, first.unchanged) == (20, 0, 0)
    second = run(people, district, xlsx_file(rows))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 20)
    assert Volunteer.objects.count() == 20
    # A corrected roll: one moved to another community, one left, one new phone.
    rows[0][3] = "370117003000"
    rows[1][6] = "注销"
    rows[2][2] = "13900000000"
    third = run(people, district, xlsx_file(rows))
    assert (third.created, third.updated, third.unchanged) == (0, 3, 17)
    assert Volunteer.objects.count() == 20
    moved = Volunteer.objects.get(id_number=id_number(0))
    assert moved.unit == district.wenyuan
    assert Volunteer.objects.get(id_number=id_number(1)).status == "left"
    assert stored_facts() == recomputed_facts()


def test_a_file_without_the_needed_columns_fails_and_says_why(people, district):
    upload = SimpleUploadedFile("roll.csv", "名字,号码\n张三,1\n".encode(), "text/csv")
    job = run(people, district, upload)
    assert job.status == ImportJob.Status.FAILED
    assert "姓名" in job.message
    assert Volunteer.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_fails_cleanly(people, district):
    job = run(people, district, SimpleUploadedFile("roll.xlsx", b"not a zip file"))
    assert job.status == ImportJob.Status.FAILED and job.message
    assert Volunteer.objects.count() == 0


def test_a_gb18030_csv_is_read(people, district):
    text = "姓名,证件号码\n张三," + id_number(7) + "\n"
    job = run(people, district, SimpleUploadedFile("roll.csv", text.encode("gb18030")))
    assert job.status == ImportJob.Status.DONE and job.created == 1
    assert Volunteer.objects.get().name == "张三"
    assert Volunteer.objects.get().unit == district.wenyuan


class WorkerDied(BaseException):
    """What a killed worker looks like to the import: it simply stops."""


def test_an_import_whose_worker_died_is_continued_from_its_last_batch(
    people, district, monkeypatch, client_for
):
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(imports, "BATCH", 5)
    rows = good_rows(12)
    rows.insert(2, ["", id_number(100), "", "", "", "", ""])  # line 4, before the cut: no name
    rows.append(["重复", id_number(3), "", "", "", "", ""])  # line 15, after it: repeats line 5
    loaded = imports._load_batch
    calls = []

    def dies_on_the_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerDied
        return loaded(*args)

    monkeypatch.setattr(imports, "_load_batch", dies_on_the_second_batch)
    run(people, district, csv_file(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.RUNNING
    assert (job.processed, job.created, job.bad) == (6, 5, 1)  # the first batch and its counts
    assert Volunteer.objects.count() == 5
    assert not job.stalled and not imports.import_resume(job)  # still beating: not taken over

    monkeypatch.setattr(imports, "_load_batch", loaded)
    ImportJob.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    job.refresh_from_db()
    assert job.stalled
    page = client_for(people.wenyuan_official).get(f"/volunteers/import/{job.pk}/")
    assert "继续导入" in page.content.decode() and 'hx-trigger="every' not in page.content.decode()
    other = client_for(people.aishan_official)
    assert other.post(f"/volunteers/import/{job.pk}/continue/").status_code == 404

    answer = client_for(people.wenyuan_official).post(f"/volunteers/import/{job.pk}/continue/")
    assert answer.status_code == 302
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.processed, job.created, job.updated, job.unchanged, job.bad) == (14, 12, 0, 0, 2)
    assert [line for line, _message in job.errors] == [4, 15]
    assert Volunteer.objects.count() == 12
    assert stored_facts() == recomputed_facts()
    assert not job.file
    assert not imports.import_resume(job)  # a finished job is not run again


def test_an_import_writes_one_history_row_per_person_it_changed(people, district):
    """History on volunteers is written per statement: an import's rows still get one event
    each, with the import as the reason, and a person it left alone gets none."""
    from django.apps import apps
    from pghistory.models import Context

    VolunteerEvent = apps.get_model("volunteers", "VolunteerEvent")  # noqa: N806
    run(people, district, csv_file(good_rows(6)))
    inserted = VolunteerEvent.objects.filter(pgh_label="insert")
    assert sorted(inserted.values_list("id_number", flat=True)) == sorted(
        id_number(n) for n in range(6)
    )
    contexts = Context.objects.filter(pk__in=inserted.values("pgh_context_id"))
    assert {c.metadata.get("reason") for c in contexts} == {"volunteer_import"}

    rows = good_rows(6)
    rows[2][2] = "13800000002"  # one new phone number, the rest as before
    run(people, district, csv_file(rows))
    updated = VolunteerEvent.objects.filter(pgh_label="update")
    assert list(updated.values_list("id_number", "phone")) == [(id_number(2), "13800000002")]
    assert VolunteerEvent.objects.filter(pgh_label="insert").count() == 6
    volunteer = Volunteer.objects.get(id_number=id_number(2))
    assert VolunteerEvent.objects.filter(pgh_obj=volunteer).count() == 2
