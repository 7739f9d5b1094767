"""No lost updates: editable records carry a version; a save against a stale one conflicts."""

from django.db import models

__all__ = ["Versioned", "StaleVersion"]


class StaleVersion(Exception):
    """Someone else saved the record after the form was opened."""

    def __init__(self, current):
        super().__init__("stale version")
        self.current = current


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def lock_at_version(cls, pk, expected_version: int):
        """Lock the row; raise StaleVersion if it moved past the version the form was opened at."""
        current = cls._default_manager.select_for_update().get(pk=pk)
        if current.version != expected_version:
            raise StaleVersion(current)
        current.version += 1
        return current
