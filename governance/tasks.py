"""Governance's background work, run by `manage.py db_worker`; see governance.periodic."""

from datetime import time

from django.core.management import call_command
from django.tasks import task

from governance import periodic
from governance.models import DisclosureItem
from governance.services.disclosure import dues_ensure

__all__ = ["disclosure_dues", "prune_task_results"]

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


periodic.register(disclosure_dues, periodic.daily_at(time(0, 5)))
periodic.register(prune_task_results, periodic.daily_at(time(3, 0)))
