"""The key an app writes with: found by digest, refused when unknown or revoked, and counted
against its rate in the shared cache (Redis or the database cache, never one process's memory),
so every web process sees the same count."""

import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from interfaces.models import ApiKey, ApiRequest, digest

__all__ = ["authenticate", "logged"]


def authenticate(request, key):
    """The key a write was made with (core.api.API_KEY asks here), or the spec's 403 or 429."""
    if not key or len(key) > 100:
        raise HttpError(403, _("This request needs a valid api_key."))
    found = ApiKey.objects.usable().select_related("unit").filter(digest=digest(key)).first()
    if found is None:
        raise HttpError(403, _("This api_key is unknown or has been revoked."))
    request.api_key = found
    if _over_rate(found):
        raise HttpError(429, _("Too many requests with this key: wait a minute."))
    return found


def _over_rate(key: ApiKey) -> bool:
    window = int(time.time() // 60)
    bucket = f"api-rate:{key.pk}:{window}"
    cache.add(bucket, 0, timeout=120)
    try:
        used = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=120)
        used = 1
    return used > key.per_minute


def logged(view):
    """Every request made with a key is logged against it, whatever its answer."""

    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
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
