"""Core's background work, run by `manage.py db_worker` (see core.periodic); each app keeps its
own in its tasks.py.

The unit import reads a file the request kept in storage (deleted once read) and returns its
report, which the import page shows when the run is finished."""

from dataclasses import asdict
from datetime import time

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import task
from django.utils import translation

from core import periodic
from core.models import User
from core.services import unit_import

__all__ = ["import_units", "prune_task_results", "units_report"]

KEEP_TASK_RESULTS_DAYS = 14


@task
def prune_task_results() -> None:
    """Finished tasks are kept for two weeks in the queue's table, then deleted."""
    call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, verbosity=0)


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
    return unit_import.ImportReport(
        created=value["created"],
        unchanged=value.get("unchanged", 0),
        lines=value["lines"],
        errors=errors,
    )


periodic.register(prune_task_results, periodic.daily_at(time(3, 0)))
