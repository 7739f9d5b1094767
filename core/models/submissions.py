"""Idempotency: a form's key is stored with what it made, so a double submit creates one record."""

from django.conf import settings
from django.db import models

__all__ = ["SubmissionKey"]


class SubmissionKey(models.Model):
    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.key)
