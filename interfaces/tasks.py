"""The interfaces' background work: the nightly pruning of the log of keyed requests and of the
Idempotency-Keys kept with it, older than PORTAL_API_LOG_RETENTION_DAYS."""

from datetime import time, timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from core import periodic
from interfaces.models import ApiRequest, IdempotencyKey

__all__ = ["prune_api_log"]


@task
def prune_api_log() -> int:
    """The log rows deleted."""
    before = timezone.now() - timedelta(days=settings.PORTAL_API_LOG_RETENTION_DAYS)
    IdempotencyKey.objects.filter(at__lt=before).delete()
    deleted, _by_model = ApiRequest.objects.filter(at__lt=before).delete()
    return deleted


periodic.register(prune_api_log, periodic.daily_at(time(3, 40)))
