"""Public pages are cached under a generation number that anything public bumps when it changes,
so no process serves a page older than the last change.

Apps also register here what core's public pages link to without importing the app: the public
page of a community or village (`add_unit_page`), and the public page of a project that a
village decision names (`add_project_finder`)."""

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language

__all__ = [
    "PUBLIC_CACHE_SECONDS",
    "PUBLIC_GENERATION_KEY",
    "add_project_finder",
    "add_unit_page",
    "cached_public",
    "project_url",
    "public_changed",
    "public_generation",
    "unit_page_url",
]

PUBLIC_GENERATION_KEY = "public:disclosure:generation"
PUBLIC_CACHE_SECONDS = 300


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


def cached_public(name: str, parts: list, build: Callable):
    """What `build()` returns (rendered HTML, a download), cached under the current generation
    and language. Build it without the request's CSRF token or session: it is shared."""
    key = ":".join(
        ["public", name, *map(str, parts), get_language() or "", str(public_generation())]
    )
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PUBLIC_CACHE_SECONDS)
    return value


# (levels, url name taking the unit's code)
_unit_pages: list[tuple[frozenset, str]] = []
_project_finders: list[Callable] = []


def add_unit_page(url_name: str, levels) -> None:
    """The public page of a unit of these levels, a URL name that takes the unit's code."""
    entry = (frozenset(levels), url_name)
    if entry not in _unit_pages:
        _unit_pages.append(entry)


def unit_page_url(unit) -> str | None:
    for levels, url_name in _unit_pages:
        if unit.level in levels:
            return reverse(url_name, args=[unit.code])
    return None


def add_project_finder(find: Callable) -> None:
    """`find(unit, name)` answers the public URL of the project called `name` at `unit`, or
    None."""
    if find not in _project_finders:
        _project_finders.append(find)


def project_url(unit, name: str) -> str | None:
    name = (name or "").strip()
    if not name:
        return None
    for find in _project_finders:
        if url := find(unit, name):
            return url
    return None
