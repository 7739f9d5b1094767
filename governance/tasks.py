"""Governance's background work, run by `manage.py db_worker`; see governance.periodic.

The 12345 and unit imports read a file the request kept in storage (deleted once read) and
return their report, which the import page shows when the run is finished."""

from dataclasses import asdict
from datetime import time

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from governance import periodic
from governance.models import DisclosureItem, User
from governance.services import hotline_import, unit_import
from governance.services.disclosure import dues_ensure

__all__ = [
    "disclosure_dues",
    "hotline_report",
    "import_hotline_tickets",
    "import_units",
    "prune_task_results",
    "units_report",
]

KEEP_TASK_RESULTS_DAYS = 14


@task
def disclosure_dues() -> int:
    """Make every complete disclosure period up to today due, so the overdue figures move
    without anyone opening a page. Runs daily just after midnight; returns how many."""
    return dues_ensure(DisclosureItem.objects.all())


@task
def prune_task_results() -> None:
    """Finished tasks are kept for two weeks in the queue's table, then deleted."""
    call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, verbosity=0)


@task
def import_hotline_tickets(*, by_id: int, upload: str, filename: str, language: str) -> dict:
    by = User.objects.get(pk=by_id)
    with translation.override(language):
        try:
            with default_storage.open(upload) as file:
                report = hotline_import.import_tickets(by=by, upload=File(file, name=filename))
        except IntegrityError:
            message = _("Another import added some of these tickets just now; import again.")
            report = hotline_import.ImportReport(errors=[(0, message)])
        finally:
            default_storage.delete(upload)
    return asdict(report)


def hotline_report(value: dict) -> hotline_import.ImportReport:
    return hotline_import.ImportReport(**value)


@task
def import_units(*, by_id: int, upload: str, filename: str, language: str) -> dict:
    by = User.objects.get(pk=by_id)
    with translation.override(language):
        try:
            with default_storage.open(upload) as file:
                data = file.read(unit_import.MAX_IMPORT_BYTES + 1)
        finally:
            default_storage.delete(upload)
        report = unit_import.unit_import(by=by, data=data)
    return asdict(report)


def units_report(value: dict) -> unit_import.ImportReport:
    errors = [unit_import.LineError(**error) for error in value["errors"]]
    return unit_import.ImportReport(created=value["created"], lines=value["lines"], errors=errors)


periodic.register(disclosure_dues, periodic.daily_at(time(0, 5)))
periodic.register(prune_task_results, periodic.daily_at(time(3, 0)))
