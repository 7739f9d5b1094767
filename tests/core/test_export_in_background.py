"""An export of more rows than a request may write in time is queued: the export's address
answers the job's page, a task worker writes the very sheet the page would have answered (same
filters, same rows, same masking), and the file goes to the one who asked alone."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from core.models import ExportJob, Membership
from tests.disputes.helpers import log_case
from tests.tasks import run_queued_tasks
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db(transaction=False)


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    # "Exported at" is written to the minute; the rest must be the same.
    return [r for r in rows if r[0] not in ("导出时间",)]


def _polled(page: str) -> bool:
    return bool(re.search(r'id="export-progress"[^>]*hx-get=', page))


def _queued(client, address) -> ExportJob:
    response = client.get(address)
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.get(pk=int(re.fullmatch(r"/exports/(\d+)/", response.url)[1]))
    page = client.get(response.url).content.decode()
    assert _polled(page) and "export-download" not in page  # polled until done
    return job


def _volunteers(unit, n):
    Volunteer.objects.bulk_create(
        Volunteer(
            unit=unit,
            name=f"志愿者{i}",
            id_number=f"370117199001{i:02d}123{i % 10}",
            phone=f"1390000{i:04d}",
            joined_on=date(2024, 1, 1) + timedelta(i),
        )
        for i in range(n)
    )


def test_a_large_volunteer_export_is_written_by_a_worker_for_the_one_who_asked(
    settings, district, people, client_for
):
    _volunteers(district.honggou, 12)
    client = client_for(people.wenyuan_official)
    address = f"/volunteers/export/?unit={district.honggou.pk}"
    immediate = _rows(client.get(address))
    assert len(immediate) > 12

    settings.EXPORT_BACKGROUND_ROWS = 5
    job = _queued(client, address)
    assert (job.total, job.by, job.query) == (
        12,
        people.wenyuan_official,
        f"unit={district.honggou.pk}",
    )
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.message
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "export-download" in page and not _polled(page)
    download = client.get(f"/exports/{job.pk}/download/")
    assert download["Cache-Control"] == "private, no-store"
    written = _rows(download)
    assert written == immediate  # the same sheet: filters, rows, masks
    assert "370117199001" not in str(written)  # ID numbers masked as on the page

    # Nobody else sees the job or its file, not even someone over the same unit.
    other = client_for(people.district_staff)
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/download/").status_code == 404

    # Under the limit, the export stays immediate.
    settings.EXPORT_BACKGROUND_ROWS = 12
    assert client.get(address).status_code == 200


def test_a_large_case_export_follows_the_filter_on_screen(settings, district, people, client_for):
    today = date.today()
    for n in range(4):
        log_case(people.district_staff, district.meiyuan_grid, received_on=today - timedelta(n))
    log_case(people.district_staff, district.honggou)
    client = client_for(people.district_staff)
    address = f"/cases/export/?unit={district.meiyuan.code}"
    immediate = _rows(client.get(address))

    settings.EXPORT_BACKGROUND_ROWS = 3
    job = _queued(client, address)
    assert job.total == 4
    # An unfiltered export is a job of its own, of every case in scope.
    assert _queued(client, "/cases/export/").total == 5
    run_queued_tasks()
    assert _rows(client.get(f"/exports/{job.pk}/download/")) == immediate


def test_an_export_whose_asker_lost_their_unit_writes_nothing(
    settings, district, people, client_for
):
    _volunteers(district.honggou, 8)
    settings.EXPORT_BACKGROUND_ROWS = 5
    client = client_for(people.wenyuan_official)
    job = _queued(client, "/volunteers/export/")
    Membership.objects.filter(user=people.wenyuan_official).delete()
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def _written(settings, district, people, client_for):
    """A volunteer export of the wenyuan official, queued and written: (their client, the job)."""
    _volunteers(district.honggou, 8)
    settings.EXPORT_BACKGROUND_ROWS = 5
    client = client_for(people.wenyuan_official)
    job = _queued(client, "/volunteers/export/")
    run_queued_tasks()
    job.refresh_from_db()
    return client, job


def test_exports_are_deleted_after_a_day(settings, district, people, client_for):
    from core.tasks import prune_exports

    client, job = _written(settings, district, people, client_for)
    stored = job.file.path
    assert prune_exports.call() == 0
    ExportJob.objects.filter(pk=job.pk).update(started_at=job.started_at - ExportJob.KEEP)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert prune_exports.call() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(stored)


def test_an_export_whose_file_is_gone_answers_not_found(settings, district, people, client_for):
    client, job = _written(settings, district, people, client_for)
    job.file.storage.delete(job.file.name)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


@pytest.mark.parametrize("by_sweep", [False, True], ids=["its-page-looked-at", "the-sweep"])
def test_an_export_whose_worker_died_is_written_again(
    settings, district, people, client_for, by_sweep
):
    from django.tasks import TaskResultStatus
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from core.tasks import resume_stalled_exports

    _volunteers(district.honggou, 8)
    client = client_for(people.wenyuan_official)
    immediate = _rows(client.get("/volunteers/export/"))
    settings.EXPORT_BACKGROUND_ROWS = 5
    job = _queued(client, "/volunteers/export/")
    # A worker took the job and was killed: its task and the job stay running.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    beat = timezone.now() - ExportJob.STALLED_AFTER + timedelta(seconds=30)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, heartbeat_at=beat)
    client.get(f"/exports/{job.pk}/")
    assert resume_stalled_exports.call() == 0
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING  # still beating a minute ago: left alone

    beat -= timedelta(minutes=1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=beat)
    if by_sweep:
        assert resume_stalled_exports.call() == 1
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert _polled(page) and "等待" in page
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1  # the lost run
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.message
    assert _rows(client.get(f"/exports/{job.pk}/download/")) == immediate
