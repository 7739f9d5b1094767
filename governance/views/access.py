"""Fetching one record for a request: through `.for_user`, so anything out of scope is a 404."""

from django.shortcuts import get_object_or_404

from governance.models import AdministrativeUnit

__all__ = ["unit_for_user", "fragment_or_page"]


def unit_for_user(request, code: str, action: str = "view") -> AdministrativeUnit:
    return get_object_or_404(AdministrativeUnit.objects.for_user(request.user, action), code=code)


def fragment_or_page(request, template: str, fragment: str) -> str:
    """The same template answers both: htmx gets the named partial, a plain request the page."""
    if request.htmx and not request.htmx.boosted:
        return f"{template}#{fragment}"
    return template
