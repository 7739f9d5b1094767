"""A large export, written by a task worker instead of inside the request that asked for it: a
list's export of tens of thousands of rows outlasts the web server's timeout. The job keeps the
page's address (path and filters), so the worker writes the very sheet the page would have
answered; the file goes only to the one who asked, and is deleted after a day."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ExportJob", "Progress"]


class Progress:
    """A job that counts what it has done of a known total; 100 only once it is done. Its worker
    writes `heartbeat_at` as it goes: a job whose worker died stops beating."""

    STALLED_AFTER = timedelta(minutes=2)

    @property
    def stalled(self) -> bool:
        """Not finished, and nothing has run it for a while: the server stopped under it."""
        last = self.heartbeat_at or self.started_at
        return not self.finished and last < timezone.now() - self.STALLED_AFTER

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.processed // self.total) if self.total else 0


class ExportJob(Progress, models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("asked by"),
    )
    title = models.CharField(_("title"), max_length=200)
    path = models.CharField(_("page"), max_length=300)  # the export's own address …
    query = models.CharField(_("filters"), max_length=2000, blank=True)  # … and its filters
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("last sign of its worker"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    KEEP = timedelta(days=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:export_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def expired(self) -> bool:
        return self.started_at < timezone.now() - self.KEEP
