"""Import of volunteer rolls (XLSX or CSV, as exported from the national volunteer system).

Decision: good rows load, bad rows are reported (line and reason) and skipped. Importing the
same file again updates the people already there (the ID number identifies a person), so a
corrected file can simply be imported again. Rows that did not change are left alone.

An import never reaches outside its unit's subtree: a row naming someone registered elsewhere
changes nothing and is reported as a bad row, without saying where they are registered (moving
them is a transfer their unit decides, volunteers.services.transfers).

Speed and memory: the file is read as a stream (XLSX by volunteers.services.xlsx, CSV line by
line); each batch of 8,000 rows is copied into a temporary table and upserted from it with one
`INSERT ... ON CONFLICT (id_number) DO UPDATE`, each batch its own transaction, together with the
job row's counts, so the page shows progress and a job whose worker died can be resumed exactly.
A thread of the worker parses the next batch while PostgreSQL loads this one (`_ReadAhead`).
Jobs run on the task queue (volunteers.tasks), in worker processes.
"""

import csv
import logging
import re
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from queue import SimpleQueue
from typing import NamedTuple

import pghistory
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import AdministrativeUnit
from core.models.tallies import Fact
from core.privacy import id_number_error
from volunteers.models import ImportJob, VolunteerStatus
from volunteers.models.people import volunteer_facts
from volunteers.services.xlsx import BadWorkbook, XlsxRows
from volunteers.tallying import add_facts

__all__ = ["BATCH", "COLUMNS", "MAX_IMPORT_BYTES", "import_resume", "import_run", "import_start"]

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 40 * 1024 * 1024
BATCH = 8000
ERRORS_KEPT = 1000

# Column headings as the national system (志愿中国 / 全国志愿服务信息系统) and officials write them.
COLUMNS = {
    "name": {"姓名", "志愿者姓名", "name"},
    "id_number": {"证件号码", "身份证号", "身份证号码", "公民身份号码", "id_number", "id number"},
    "phone": {"手机号", "手机号码", "联系电话", "联系方式", "phone"},
    "unit": {"所属单位代码", "所属单位", "所属社区", "所属村（社区）", "区划代码", "unit"},
    "joined_on": {"注册日期", "注册时间", "加入日期", "joined_on", "joined on"},
    "skills": {"技能", "服务技能", "专业技能", "特长", "skills"},
    "status": {"状态", "志愿者状态", "status"},
}
STATUS_WORDS = {
    "": VolunteerStatus.ACTIVE,
    "正常": VolunteerStatus.ACTIVE,
    "在册": VolunteerStatus.ACTIVE,
    "已注册": VolunteerStatus.ACTIVE,
    "active": VolunteerStatus.ACTIVE,
    "暂停": VolunteerStatus.PAUSED,
    "paused": VolunteerStatus.PAUSED,
    "注销": VolunteerStatus.LEFT,
    "退出": VolunteerStatus.LEFT,
    "已注销": VolunteerStatus.LEFT,
    "left": VolunteerStatus.LEFT,
}
_SKILL_SPLIT = re.compile(r"[、,，;；/|\s]+")
_PHONE = re.compile(r"^1\d{10}$")


class BadFile(Exception):
    pass


def _decode_lines(path) -> Iterator[str]:
    with open(path, "rb") as raw:
        head = raw.read(64 * 1024)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A cut in the middle of a character at the end of the sample is fine.
        encoding = "utf-8-sig" if error.start >= len(head) - 3 else "gb18030"
    with open(path, encoding=encoding, newline="") as text:
        yield from text


def _rows(path, filename: str) -> tuple[int, Iterator[list]]:
    """(estimated row count, iterator of rows as lists of cells, the header first)."""
    if filename.lower().endswith(".xlsx"):
        try:
            book = XlsxRows(path)
        except BadWorkbook as error:
            raise BadFile(_("This is not a readable XLSX file.")) from error
        return 0, book
    if filename.lower().endswith(".csv"):
        try:
            with open(path, "rb") as raw:
                total = max(sum(1 for _ in raw) - 1, 0)
            return total, csv.reader(_decode_lines(path))
        except (UnicodeDecodeError, csv.Error) as error:
            raise BadFile(_("This CSV file cannot be read.")) from error
    raise BadFile(_("Choose an XLSX or CSV file."))


def _header(cells: list) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(cells):
        text = str(cell or "").strip().lower()
        for key, words in COLUMNS.items():
            if text in {w.lower() for w in words} and key not in found:
                found[key] = index
    missing = [k for k in ("name", "id_number") if k not in found]
    if missing:
        raise BadFile(
            _("The first row names the columns; 姓名 and 证件号码 are needed (found: %(cells)s).")
            % {"cells": "、".join(str(c) for c in cells if c) or "—"}
        )
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, today: date) -> date:
    if value in (None, ""):
        return today
    if (
        isinstance(value, str)
        and len(value) == 10
        and value[4] == value[7] == "-"
        and value[:4].isdigit()
        and value[5:7].isdigit()
        and value[8:].isdigit()
    ):  # 2023-01-19, as most rolls write it
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20_000 < value < 80_000:  # an Excel serial date
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = _text(value).replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
    text = text.split(" ")[0].split("T")[0]
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


class _Units:
    """Units in the job's subtree, by code and by name."""

    def __init__(self, root: AdministrativeUnit):
        self.root = root
        units = AdministrativeUnit.objects.filter(path__startswith=root.path, retired_on=None)
        self.by_key = {}
        for pk, code, name in units.values_list("pk", "code", "name"):
            self.by_key[code] = pk
            self.by_key.setdefault(name, pk)

    def find(self, text: str) -> int | None:
        if not text:
            return self.root.pk
        return self.by_key.get(text)


def _parse(cells: list, columns: dict[str, int], units: _Units, today: date):
    """A row's values, or raise ValueError with the reason."""

    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    name = _text(cell("name"))
    if not name:
        raise ValueError(_("The name is missing."))
    if len(name) > 64:
        raise ValueError(_("The name is longer than 64 characters."))
    id_number = _text(cell("id_number")).upper()
    if error := id_number_error(id_number):
        raise ValueError(error)
    phone = _text(cell("phone")).replace(" ", "").replace("-", "")
    if phone and not _PHONE.match(phone):
        raise ValueError(_("The phone number is not an 11-digit mobile number."))
    unit_text = _text(cell("unit"))
    unit_id = units.find(unit_text)
    if unit_id is None:
        raise ValueError(
            _("Unit %(unit)s is not within %(root)s.") % {"unit": unit_text, "root": units.root}
        )
    try:
        joined_on = _date(cell("joined_on"), today)
    except (ValueError, TypeError):
        raise ValueError(_("The registration date is not a date.")) from None
    if joined_on > today:
        raise ValueError(_("The registration date is in the future."))
    status_text = _text(cell("status")).lower()
    status = STATUS_WORDS.get(status_text)
    if status is None:
        raise ValueError(_("Unknown status %(status)s.") % {"status": status_text})
    skills = [s[:32] for s in _SKILL_SPLIT.split(_text(cell("skills"))) if s][:10]
    return (unit_id, name, phone, id_number, skills, joined_on, status)


_ROWS = "volunteers_import_rows"
_COLUMNS = "unit_id, name, phone, id_number, skills, joined_on, status, status_since"

_WITHIN = """
EXISTS (SELECT 1 FROM governance_administrativeunit u
        WHERE u.id = volunteers_volunteer.unit_id AND starts_with(u.path, %(root)s))
"""

# The scope condition is in the statement itself, so a person registered elsewhere by a
# concurrent transaction is left alone too.
_UPSERT = f"""
INSERT INTO volunteers_volunteer ({_COLUMNS}, points_balance, version)
SELECT {_COLUMNS}, 0, 1 FROM {_ROWS}
ON CONFLICT (id_number) DO UPDATE SET
    unit_id = EXCLUDED.unit_id, name = EXCLUDED.name, phone = EXCLUDED.phone,
    skills = EXCLUDED.skills, joined_on = EXCLUDED.joined_on, status = EXCLUDED.status,
    status_since = CASE WHEN volunteers_volunteer.status = EXCLUDED.status
                        THEN volunteers_volunteer.status_since ELSE EXCLUDED.status_since END,
    version = volunteers_volunteer.version + 1
WHERE (volunteers_volunteer.unit_id, volunteers_volunteer.name, volunteers_volunteer.phone,
       volunteers_volunteer.skills, volunteers_volunteer.joined_on, volunteers_volunteer.status)
      IS DISTINCT FROM
      (EXCLUDED.unit_id, EXCLUDED.name, EXCLUDED.phone, EXCLUDED.skills, EXCLUDED.joined_on,
       EXCLUDED.status)
  AND {_WITHIN}
RETURNING (xmax = 0), id_number, unit_id, joined_on, status, status_since
"""  # noqa: S608 -- constant names


_BEFORE = f"""
SELECT v.id_number, v.unit_id, v.joined_on, v.status, v.status_since
FROM volunteers_volunteer v JOIN {_ROWS} r ON r.id_number = v.id_number
FOR UPDATE OF v
"""  # noqa: S608 -- constant names

_OUTSIDE = f"""
SELECT r.id_number
FROM {_ROWS} r JOIN volunteers_volunteer v ON v.id_number = r.id_number
JOIN governance_administrativeunit u ON u.id = v.unit_id
WHERE NOT starts_with(u.path, %(root)s)
"""  # noqa: S608 -- constant names


def _facts(unit_id, joined_on, status, status_since) -> list[Fact]:
    return volunteer_facts(unit_id, joined_on, status, status_since)


def _array(values: list[str]) -> str:
    """A PostgreSQL array literal (COPY's own escaping is psycopg's business)."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _load_batch(batch: list[tuple], today: date, user_id, root: str) -> tuple[int, int, set]:
    """Upsert one batch (copied into a temporary table first) into the subtree at path `root`;
    keep the tallies right. Returns (created, updated, ID numbers of people registered outside
    the subtree, left unchanged)."""
    with transaction.atomic(), pghistory.context(user=user_id, reason="volunteer_import"):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {_ROWS} (unit_id bigint, name varchar(64), "
                "phone varchar(20), id_number varchar(18), skills varchar(32)[], "
                "joined_on date, status varchar(16), status_since date) ON COMMIT DELETE ROWS"
            )
            # Rows of an earlier batch stay until the outermost transaction commits.
            cursor.execute(f"DELETE FROM {_ROWS}")  # noqa: S608 -- constant name
        connection.ensure_connection()
        with (
            connection.connection.cursor() as raw,
            raw.copy(f"COPY {_ROWS} ({_COLUMNS}) FROM STDIN") as copy,
        ):
            for unit_id, name, phone, id_number, skills, joined_on, status in batch:
                since = None if status == VolunteerStatus.ACTIVE else today
                copy.write_row(
                    (unit_id, name, phone, id_number, _array(skills), joined_on, status, since)
                )
        with connection.cursor() as cursor:
            cursor.execute(_BEFORE)
            before = {r[0]: r[1:] for r in cursor.fetchall()}
            cursor.execute(_UPSERT, {"root": root})
            changed = cursor.fetchall()
            cursor.execute(_OUTSIDE, {"root": root})
            outside = {row[0] for row in cursor.fetchall()}
        created = sum(1 for row in changed if row[0])
        # Facts: take back those of the changed people as they were, add them as they are now.
        old, new = [], []
        for inserted, id_number, *state in changed:
            new += _facts(*state)
            if not inserted and id_number in before:
                old += _facts(*before[id_number])
        add_facts(old, new)
    return created, len(changed) - created, outside


class _Cut(NamedTuple):
    """A batch of good rows, with the counts of the file read up to its last row."""

    rows: list[tuple]
    processed: int
    bad: int
    errors: list[list]  # the bad rows' [line, reason] since the previous cut
    fraction_read: float


def _cuts(rows, units: _Units, today: date, done_before: int, seen: dict[str, int]):
    """Parse and check the file's rows, yielding them a batch at a time (the rows already
    loaded by an earlier run are read, counted and passed over). `seen` collects each good
    row's line by ID number."""
    header = None
    processed = bad = 0
    errors: list[list] = []
    batch: list[tuple] = []
    for line, cells in enumerate(rows, start=1):
        if header is None:
            if not any(_text(c) for c in cells):
                continue
            header = _header(cells)
            continue
        if not any(_text(c) for c in cells):
            continue
        processed += 1
        loaded_before = processed <= done_before
        try:
            parsed = _parse(cells, header, units, today)
            if (first := seen.get(parsed[3])) is not None:
                raise ValueError(
                    _("The same ID number is already on line %(line)s.") % {"line": first}
                )
        except ValueError as error:
            if not loaded_before:
                bad += 1
                errors.append([line, str(error.args[0]) if error.args else ""])
            continue
        seen[parsed[3]] = line
        if loaded_before:
            continue
        batch.append(parsed)
        if len(batch) >= BATCH:
            yield _Cut(batch, processed, bad, errors, _fraction(rows))
            batch, bad, errors = [], 0, []
    if header is None:
        raise BadFile(_("The file is empty."))
    yield _Cut(batch, processed, bad, errors, _fraction(rows))


def _fraction(rows) -> float:
    return rows.fraction_read if isinstance(rows, XlsxRows) else 0.0


class _ReadAhead:
    """The items of an iterator, produced one ahead by a thread of the worker's own, so the
    next batch is parsed while PostgreSQL loads this one; two batches at most are held at once.
    The thread touches no database; an exception it meets reaches the caller after the items
    before it."""

    _END = object()

    def __init__(self, items: Iterator):
        self.items = iter(items)
        self.queue: SimpleQueue = SimpleQueue()
        self.room = threading.Semaphore(2)  # the caller's item and the next one
        self.stop = threading.Event()
        self.language = translation.get_language()
        self.thread = threading.Thread(target=self._produce, name="roll-reader", daemon=True)

    def _make_room(self) -> bool:
        while not self.stop.is_set():
            if self.room.acquire(timeout=0.2):
                return True
        return False

    def _produce(self) -> None:
        with translation.override(self.language):
            try:
                while self._make_room():
                    item = next(self.items, self._END)
                    self.queue.put((item, None))
                    if item is self._END:
                        return
            except BaseException as error:  # noqa: BLE001 -- handed to the caller
                self.queue.put((None, error))

    def __enter__(self):
        self.thread.start()
        return self

    def __iter__(self):
        while True:
            item, error = self.queue.get()
            if error is not None:
                raise error
            if item is self._END:
                return
            yield item
            self.room.release()

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def import_run(job_id: int, *, resume: bool = False) -> None:
    """Run the job to its end, updating its row as it goes. Any failure is recorded on it.

    Each batch and the job's counts are committed together, so after a worker died the job says
    exactly which rows are in; `resume` reads the file again, passes over those rows and goes on.
    """
    job = ImportJob.objects.select_related("unit").get(pk=job_id)
    today = timezone.localdate()
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now()
    )
    try:
        if not job.file or not job.file.storage.exists(job.file.name):
            raise BadFile(_("The uploaded file is no longer there; upload it again."))
        total, rows = _rows(job.file.path, job.filename)
        units = _Units(job.unit)
        outside_message = _(
            "This person is registered with a unit outside %(unit)s: nothing was changed. "
            "To move them here, request a transfer on the volunteer transfers page."
        ) % {"unit": job.unit.name}
        seen: dict[str, int] = {}
        done_before = job.processed if resume else 0
        errors: list[list] = list(job.errors) if resume else []
        counts = {"total": max(total, job.total if resume else 0), "processed": 0}
        for key in ("created", "updated", "bad"):
            counts[key] = getattr(job, key) if resume else 0
        ImportJob.objects.filter(pk=job_id).update(total=counts["total"])

        with _ReadAhead(_cuts(rows, units, today, done_before, seen)) as cuts:
            for cut in cuts:
                with transaction.atomic():
                    counts["processed"] = cut.processed
                    counts["bad"] += cut.bad
                    errors += cut.errors[: max(ERRORS_KEPT - len(errors), 0)]
                    if cut.rows:
                        created, updated, outside = _load_batch(
                            cut.rows, today, job.by_id, job.unit.path
                        )
                        counts["created"] += created
                        counts["updated"] += updated
                        counts["bad"] += len(outside)
                        for id_number in outside:
                            if len(errors) < ERRORS_KEPT:
                                errors.append([seen[id_number], outside_message])
                        errors.sort(key=lambda error: error[0])
                    if cut.fraction_read:
                        counts["total"] = max(
                            int(counts["processed"] / cut.fraction_read), counts["processed"]
                        )
                    ImportJob.objects.filter(pk=job_id).update(
                        total=counts["total"],
                        processed=counts["processed"],
                        created=counts["created"],
                        updated=counts["updated"],
                        unchanged=counts["processed"]
                        - counts["bad"]
                        - counts["created"]
                        - counts["updated"],
                        bad=counts["bad"],
                        errors=errors[:ERRORS_KEPT],
                        heartbeat_at=timezone.now(),
                    )
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.DONE, finished_at=timezone.now(), total=counts["processed"]
        )
    except BadWorkbook:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            message=_("This is not a readable XLSX file; rows read before the damage are kept."),
            finished_at=timezone.now(),
        )
    except BadFile as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, message=str(error), finished_at=timezone.now()
        )
    except Exception:
        log.exception("volunteer import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            message=_("The import stopped on an unexpected error; rows loaded so far are kept."),
            finished_at=timezone.now(),
        )


def _launch(job_id: int) -> None:
    """Queue the job for a worker, in the caller's transaction: no job without its task."""
    from volunteers.tasks import import_roll  # which runs import_run of this module

    import_roll.enqueue(job_id)


def import_start(*, by, unit: AdministrativeUnit, upload) -> ImportJob:
    """Save the upload and queue the job (the caller checked the user may import into unit)."""
    job = ImportJob(unit=unit, by=by, filename=upload.name[:200])
    job.file.save(f"{timezone.now():%Y%m%d%H%M%S}-{upload.name[-40:]}", upload, save=False)
    job.heartbeat_at = timezone.now()
    with transaction.atomic():
        job.save()
        _launch(job.pk)
    return job


def import_resume(job: ImportJob) -> bool:
    """Take over a stalled job (its worker died): queue it again, to go on from its last
    committed batch. False when it is not stalled, or when someone else has just taken it over."""
    cutoff = timezone.now() - ImportJob.STALLED_AFTER
    claimed = (
        ImportJob.objects.filter(
            pk=job.pk, status__in=(ImportJob.Status.WAITING, ImportJob.Status.RUNNING)
        )
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, started_at__lt=cutoff))
        .update(heartbeat_at=timezone.now(), status=ImportJob.Status.RUNNING)
    )
    if claimed:
        _launch(job.pk)
    return bool(claimed)
