"""Importing a roll of 65,000 volunteers (XLSX, as the national system exports it): the time it
takes and the process's peak memory, for a first import and for the same file again.

    .venv/bin/python bench/volunteer_import.py [rows] [xlsx|csv] [--database portal_bench_volunteers]

Runs against its own database (created when missing). The file is written by a child process, so
the import's peak memory is measured alone.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import setup  # noqa: E402

WRITER = """
import random, sys
from datetime import date, timedelta
sys.path.insert(0, {root!r})
from core.demo.people import fake_id_number, fake_name, fake_phone
rng = random.Random(7)
codes = {codes!r}
header = ["姓名", "证件号码", "手机号码", "所属单位代码", "注册日期", "技能", "状态"]
seen = set()
def rows():
    for n in range({rows}):
        while (number := fake_id_number(rng)) in seen:
            pass
        seen.add(number)
        yield [fake_name(rng), number, fake_phone(rng), rng.choice(codes),
               (date(2021, 1, 1) + timedelta(days=rng.randrange(1500))).isoformat(),
               rng.choice(["", "医疗救护", "助老、心理疏导"]), "正常"]
if {kind!r} == "xlsx":
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("志愿者")
    sheet.append(header)
    for row in rows():
        sheet.append(row)
    book.save({path!r})
else:
    import csv
    with open({path!r}, "w", newline="", encoding="utf-8-sig") as out:
        w = csv.writer(out)
        w.writerow(header)
        w.writerows(rows())
"""


class PeakRSS:
    """Samples the process's resident memory every 20 ms."""

    def __init__(self):
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=65_000)
    parser.add_argument("kind", choices=["xlsx", "csv"], nargs="?", default="xlsx")
    parser.add_argument("--database", default="portal_bench_volunteers")
    args = parser.parse_args()
    setup(args.database)
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.db import connection

    from core.models import AdministrativeUnit
    from volunteers.models import ImportJob, Volunteer
    from volunteers.services.imports import import_run

    with connection.cursor() as cursor:  # a fresh start: no volunteers, no history of them
        cursor.execute("TRUNCATE volunteers_volunteer, volunteers_importjob CASCADE")
        cursor.execute("DELETE FROM governance_tally WHERE metric LIKE 'volunteers.%%'")
        cursor.execute("DELETE FROM governance_subtreetally WHERE metric LIKE 'volunteers.%%'")
        # What autovacuum would do (the machine's PostgreSQL runs without it): the deleted
        # rows of an earlier run otherwise slow every upsert of this one.
        cursor.execute("VACUUM ANALYZE governance_tally, governance_subtreetally")
    district = AdministrativeUnit.objects.get(level="district")
    codes = list(
        AdministrativeUnit.objects.filter(level__in=["community", "village"]).values_list(
            "code", flat=True
        )
    )
    user = get_user_model().objects.get(username="district")
    folder = Path(tempfile.mkdtemp())
    path = folder / f"roll.{args.kind}"
    started = time.perf_counter()
    source = WRITER.format(
        root=str(Path(__file__).resolve().parent.parent),
        codes=codes,
        rows=args.rows,
        kind=args.kind,
        path=str(path),
    )
    subprocess.run([sys.executable, "-c", source], check=True)
    print(
        f"wrote {args.rows} rows to {path.name} ({path.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for attempt in ("first import", "same file again"):
        with path.open("rb") as handle:
            job = ImportJob(unit=district, by=user, filename=path.name)
            job.file.save(path.name, File(handle), save=False)
            job.save()
        before = PeakRSS().process.memory_info().rss
        with PeakRSS() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            import_run(job.pk)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
        job.refresh_from_db()
        print(
            f"{attempt}: {took:.1f} s ({cpu:.1f} s of this process's CPU), {job.status}, created {job.created}, "
            f"updated {job.updated}, unchanged {job.unchanged}, bad {job.bad}; "
            f"peak RSS {memory.peak / 2**20:.0f} MB (before {before / 2**20:.0f} MB)"
        )
    print(f"volunteers in the database: {Volunteer.objects.count()}")
    print(f"load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
