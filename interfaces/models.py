"""API keys a district issues to apps (a community's mini-program) and the log of their use.

A key is shown once, when issued: the portal keeps only its SHA-256 digest and its first
characters, by which staff tell keys apart."""

import hashlib
import secrets

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit
from core.models.scope import ScopedQuerySet

__all__ = ["ApiKey", "ApiRequest", "IdempotencyKey", "digest"]

KEY_PREFIX = "gc_"
SHOWN_CHARS = 10


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyQuerySet(ScopedQuerySet):
    scope_path = "unit__path"

    def usable(self):
        return self.filter(revoked_at__isnull=True, unit__retired_on__isnull=True)


@pghistory.track()
class ApiKey(models.Model):
    name = models.CharField(_("application"), max_length=80)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    shown = models.CharField(_("key begins"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    per_minute = models.PositiveIntegerField(_("requests a minute"), default=30)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} · {self.shown}…"

    def get_absolute_url(self) -> str:
        return reverse("interfaces:key_detail", args=[self.pk])

    @classmethod
    def issue(cls, *, name: str, unit, per_minute: int, by) -> tuple["ApiKey", str]:
        """A new key and its secret, which is never stored and cannot be shown again."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = cls(
            name=name,
            unit=unit,
            per_minute=per_minute,
            shown=secret[:SHOWN_CHARS],
            digest=digest(secret),
            issued_by=by,
        )
        with pghistory.context(reason="api_key_issue", user=by.pk):
            key.save()
        return key, secret

    def replays_same_body(self, idempotency_key, body_digest: str) -> bool:
        """True when this key first sends `idempotency_key` now, or sent it before with the
        same body; False when it came before with another body (a conflict)."""
        first, _created = IdempotencyKey.objects.get_or_create(
            key=self, idempotency_key=idempotency_key, defaults={"body_digest": body_digest}
        )
        return first.body_digest == body_digest

    def revoke(self, *, by) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoked_by = timezone.now(), by
            with pghistory.context(reason="api_key_revoke", user=by.pk):
                self.save(update_fields=["revoked_at", "revoked_by"])


class ApiRequest(models.Model):
    """One request made with a key (reads need none and are not logged here)."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    record = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["key", "-at"], name="interfaces_request_key_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path} {self.status}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a key has written with, and the digest of the body it first came
    with: a replay with another body is refused rather than answered with the first demand."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.UUIDField()
    body_digest = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "idempotency_key"], name="interfaces_idempotency_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_id}:{self.idempotency_key}"
