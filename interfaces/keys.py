"""The key an app writes with: found by digest, refused when unknown or revoked, and counted
against its rate in the shared cache (Redis or the database cache, never one process's memory),
so every web process sees the same count. A read needs no key, but one made with a usable key is
counted against that key's rate and logged against it, like a write. A request made without a
usable key is counted the same way against its client address (PORTAL_API_KEYLESS_PER_MINUTE)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from core.api import api_error
from core.client import client_address
from interfaces.models import ApiKey, ApiRequest, digest

__all__ = ["authenticate", "logged"]


def authenticate(request, key):
    """The key a write was made with (core.api.API_KEY asks here), or the spec's 403 or 429."""
    if not key or len(key) > 100:
        raise HttpError(403, _("This request needs a valid api_key."))
    found = getattr(request, "api_key", None)
    if found is not None and found.digest == digest(key):
        return found  # `logged` found it and counted this request already
    found = _usable(key)
    if found is None:
        raise HttpError(403, _("This api_key is unknown or has been revoked."))
    request.api_key = found
    if _over_rate(found):
        raise HttpError(429, _("Too many requests with this key: wait a minute."))
    return found


def _usable(key: str) -> ApiKey | None:
    if not 0 < len(key) <= 100:
        return None
    return ApiKey.objects.usable().select_related("unit").filter(digest=digest(key)).first()


def _over_rate(key: ApiKey) -> bool:
    return _counted(f"api-rate:{key.pk}", key.per_minute)


def _counted(counter: str, per_minute: int) -> bool:
    """One more request on this counter this minute; True when that is over `per_minute`."""
    window = int(time.time() // 60)
    bucket = f"{counter}:{window}"
    # Counting first and starting the minute's counter only when there is none: one round trip
    # on every request but a minute's first (the database cache's `add` checks the table's size).
    try:
        used = cache.incr(bucket)
    except ValueError:  # this minute's first request (or another process starts it meanwhile)
        used = 1 if cache.add(bucket, 1, timeout=120) else cache.incr(bucket)
    return used > per_minute


def _presented_key(request) -> str:
    if request.headers.get("X-Api-Key") or request.method != "POST":
        return request.headers.get("X-Api-Key", "")
    try:
        return request.POST.get("api_key", "")
    except (BadRequest, MultiPartParserError):  # the view answers a body it cannot read
        return ""


def _over_limit(request) -> HttpResponse | None:
    """The 429 of a request over its rate, or None. A request made with a usable key counts
    against the key (and is then logged against it); one without, against its client address."""
    found = _usable(_presented_key(request))
    if found is not None:
        request.api_key = found
        if _over_rate(found):
            response = api_error(request, 429, _("Too many requests with this key: wait a minute."))
            response["Retry-After"] = "60"
            return response
        return None
    address = client_address(request)
    if _counted(f"api-keyless:{address}", settings.PORTAL_API_KEYLESS_PER_MINUTE):
        response = api_error(request, 429, _("Too many requests from this address: wait a minute."))
        response["Retry-After"] = "60"
        return response
    return None


def logged(view):
    """Every request made with a usable key, read or write, is counted against its rate and
    logged against it, whatever its answer; one made without is held to its address's rate."""

    def wrapper(request, *args, **kwargs):
        response = _over_limit(request) or view(request, *args, **kwargs)
        key = getattr(request, "api_key", None)
        if key is not None:
            record = getattr(request, "api_record", None)
            ApiRequest.objects.create(
                key=key,
                at=timezone.now(),
                method=request.method[:8],
                path=request.path[:200],
                status=response.status_code,
                record=f"{record._meta.label_lower}:{record.pk}" if record is not None else "",
            )
        return response

    for attribute in ("csrf_exempt", "__name__", "__doc__", "__module__"):
        if hasattr(view, attribute):
            setattr(wrapper, attribute, getattr(view, attribute))
    return wrapper
