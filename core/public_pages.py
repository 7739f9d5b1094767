"""Public pages are cached under a generation number that anything public bumps when it changes,
so no process serves a page older than the last change."""

import time

from django.core.cache import cache
from django.db import transaction

__all__ = ["PUBLIC_GENERATION_KEY", "public_changed", "public_generation"]

PUBLIC_GENERATION_KEY = "public:disclosure:generation"


def _new_generation() -> int:
    # A number no earlier generation had: if the key is lost (evicted, culled, the cache
    # cleared), pages cached under an old number are never found again.
    return time.time_ns()


def public_generation() -> int:
    """Bumped whenever something public changes; public pages are cached under it."""
    value = cache.get(PUBLIC_GENERATION_KEY)
    if value is None:
        fresh = _new_generation()
        cache.add(PUBLIC_GENERATION_KEY, fresh, timeout=None)
        value = cache.get(PUBLIC_GENERATION_KEY, fresh)
    return value


def public_changed() -> None:
    """Bump now and again once the transaction commits, so that a page cached in between (from
    the data before the commit) is not served afterwards."""

    def bump():
        try:
            cache.incr(PUBLIC_GENERATION_KEY)
        except ValueError:
            cache.set(PUBLIC_GENERATION_KEY, _new_generation(), timeout=None)

    bump()
    transaction.on_commit(bump)
