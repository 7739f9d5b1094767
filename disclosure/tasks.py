"""Disclosure's background work, run by `manage.py db_worker` (see core.periodic)."""

from datetime import time

from django.tasks import task

from core import periodic
from disclosure.models import DisclosureItem
from disclosure.services.disclosure import dues_ensure

__all__ = ["disclosure_dues"]


@task
def disclosure_dues() -> int:
    """Make every complete disclosure period up to today due, so the overdue figures move
    without anyone opening a page. Runs daily just after midnight; returns how many."""
    return dues_ensure(DisclosureItem.objects.all())


periodic.register(disclosure_dues, periodic.daily_at(time(0, 5)))
