"""An import on real worker processes (`manage.py db_worker` against the test database): a
worker killed with SIGKILL in the middle of a roll, and the job goes on by itself once another
worker is there, with exact counts."""

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.metrics.rebuild import recomputed_facts, stored_facts
from volunteers.models import ImportJob, Volunteer
from volunteers.services.imports import BATCH, import_start
from volunteers.tasks import _IMPORT_LOCK, WorkerLost, import_roll

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 5 * BATCH
BAD_EVERY = 4999  # a row without a name now and then: bad rows are counted once too


def numbered_id(n: int) -> str:
    """A valid ID number, different for every n below 10,000,000."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    born = date(1940, 1, 1) + timedelta(days=n // 1000)
    body = f"370117{born:%Y%m%d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def roll(path: Path) -> tuple[int, list[int]]:
    """Write the roll; returns (good rows, the lines of the bad ones)."""
    bad_lines = []
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["姓名", "证件号码", "手机号码", "所属单位代码", "注册日期", "状态"])
        for n in range(ROWS):
            name = "" if n % BAD_EVERY == BAD_EVERY - 1 else f"志愿者{n}"
            if not name:
                bad_lines.append(n + 2)
            writer.writerow([name, numbered_id(n), f"139{n:08d}", "370117003001", "2023-05-01", ""])
    return ROWS - len(bad_lines), bad_lines


def start_worker(tmp_path: Path, name: str) -> subprocess.Popen:
    db = connection.settings_dict
    url = f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{db['HOST']}"
    url += f":{db['PORT'] or 5432}/{quote(db['NAME'])}"
    media = django_settings.MEDIA_ROOT
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "DJANGO_DEBUG": "0"}
    with (tmp_path / f"{name}.log").open("w") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, what: str, seconds: float, logs: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.02)
    output = "\n".join(p.read_text() for p in sorted(logs.glob("*.log")))
    pytest.fail(f"waited {seconds} s for {what}; the workers said:\n{output}")


def lock_held(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND classid = %s AND objid = %s AND granted",
            [_IMPORT_LOCK, job_id],
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_import_is_followed_by_another_that_finishes_it_exactly(
    people, district, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    good, bad_lines = roll(tmp_path / "roll.csv")
    upload = SimpleUploadedFile("roll.csv", (tmp_path / "roll.csv").read_bytes(), "text/csv")
    job = import_start(by=people.wenyuan_official, unit=district.wenyuan, upload=upload)
    assert job.status == ImportJob.Status.WAITING

    first = start_worker(tmp_path, "first")
    try:
        wait_for(
            lambda: ImportJob.objects.filter(pk=job.pk, processed__gte=BATCH).exists(),
            "the first batch",
            120,
            tmp_path,
        )
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.wait()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert BATCH <= job.processed < ROWS, "the roll finished before the worker was killed"
    assert Volunteer.objects.count() == job.created < good
    killed_run = DBTaskResult.objects.get(task_path=import_roll.module_path)
    assert killed_run.status == TaskResultStatus.RUNNING  # the queue does not know it died

    # PostgreSQL lets go of the dead worker's lock on the job, and time passes: the job stopped
    # beating longer ago than an import may stay silent.
    wait_for(lambda: not lock_held(job.pk), "the dead worker's lock to go", 30, tmp_path)
    stopped = timezone.now() - ImportJob.STALLED_AFTER - timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=stopped)

    second = start_worker(tmp_path, "second")
    try:
        wait_for(
            lambda: ImportJob.objects.filter(
                pk=job.pk, status__in=(ImportJob.Status.DONE, ImportJob.Status.FAILED)
            ).exists(),
            "the import to finish",
            240,
            tmp_path,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert (job.processed, job.created, job.updated, job.unchanged, job.bad) == (
        ROWS,
        good,
        0,
        0,
        len(bad_lines),
    )
    assert [line for line, _message in job.errors] == bad_lines
    assert Volunteer.objects.count() == good
    assert stored_facts() == recomputed_facts()
    assert not job.file and not list(settings.MEDIA_ROOT.rglob("*.csv"))
    runs = DBTaskResult.objects.filter(task_path=import_roll.module_path).order_by("enqueued_at")
    assert [run.status for run in runs] == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    assert runs[0].exception_class_path.endswith(WorkerLost.__qualname__)
