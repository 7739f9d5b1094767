"""A volunteer's record (志愿服务记录): training and commendations beside the services, and
numbered certificates (证明) issued from it."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit
from core.models.exports import Progress
from volunteers.models.network import Scoped
from volunteers.models.people import Volunteer

__all__ = ["Certificate", "CertificateCounter", "Honour", "ImportJob"]


@pghistory.track()
class Honour(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        COMMENDATION = "commendation", _("Commendation")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    on = models.DateField(_("date"))
    issuer = models.CharField(_("given by"), max_length=64)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return self.title


class CertificateCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CertificateScoped(Scoped):
    scope_path = "volunteer__unit__path"


class Certificate(models.Model):
    """Issued once and kept as issued: what it said is what the record said that day."""

    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    hours = models.DecimalField(_("verified hours"), max_digits=8, decimal_places=1)
    activities = models.PositiveIntegerField(_("activities"))
    content = models.TextField(_("content of service"))
    purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CertificateScoped.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:certificate", kwargs={"number": self.number})


class ImportJob(Progress, models.Model):
    """One upload of a volunteer roll, run in the background; the page polls its progress."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="volunteer-imports/")
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[line, message], ...], the first 1,000
    message = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    # Written by the running import after every batch; a job whose worker died stops beating.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = Scoped.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
