"""Fetching one record for a request: through `.for_user`, so anything out of scope is a 404."""

from django.shortcuts import get_object_or_404
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import AdministrativeUnit
from core.roles import Action

__all__ = ["breadcrumbs", "unit_for_user", "fragment_or_page", "safe_next"]


def unit_for_user(request, code: str, action: str = "view") -> AdministrativeUnit:
    return get_object_or_404(AdministrativeUnit.objects.for_user(request.user, action), code=code)


def fragment_or_page(request, template: str, fragment: str) -> str:
    """The same template answers both: htmx gets the named partial, a plain request the page."""
    if request.htmx and not request.htmx.boosted:
        return f"{template}#{fragment}"
    return template


def breadcrumbs(request, unit: AdministrativeUnit) -> list[dict]:
    """The path above a unit; an ancestor is linked only when the user may open it."""
    from core.models.scope import grant_paths

    user = request.user
    paths = None if user.is_superuser else grant_paths(user, Action.VIEW)
    return [
        {"unit": a, "linked": paths is None or any(a.path.startswith(p) for p in paths)}
        for a in unit.ancestors()
    ]


def safe_next(request, fallback: str) -> str:
    """The posted `next` when it is a path on this site, else the fallback: never a view name,
    another host or a header-breaking string."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and not any(ord(c) < 32 for c in target)
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return iri_to_uri(target)
    return fallback
