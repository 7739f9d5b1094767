"""Moving a volunteer between units (调动): a unit asks for a person registered elsewhere, found
by their full ID number; the unit holding them, or a unit above it, approves or refuses."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import AdministrativeUnit, Versioned
from core.models.scope import ScopedQuerySet
from volunteers.models.people import Volunteer

__all__ = ["Transfer"]


class TransferScoped(ScopedQuerySet):
    """A request belongs to the unit that holds the volunteer: it is theirs to decide."""

    scope_path = "volunteer__unit__path"


@pghistory.track()
class Transfer(Versioned):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("transfer", "Awaiting a decision")
        APPROVED = "approved", pgettext_lazy("transfer", "Approved")
        REFUSED = "refused", pgettext_lazy("transfer", "Refused")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="transfers"
    )
    to_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Where the volunteer was registered when the request was decided (never shown to the
    # requesting unit).
    from_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note on the decision"), max_length=200, blank=True)

    objects = TransferScoped.as_manager()

    class Meta:
        verbose_name = _("volunteer transfer")
        verbose_name_plural = _("volunteer transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=("volunteer", "to_unit"),
                condition=models.Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.to_unit}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:transfers") + f"#transfer-{self.pk}"
