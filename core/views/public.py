"""Pages anyone may read without logging in. They carry no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.models import AdministrativeUnit, UnitLevel
from core.public_pages import unit_page_url

__all__ = ["public_home", "public_children"]

PUBLIC_LEVELS = [UnitLevel.DISTRICT, UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE]


def _public_units():
    return AdministrativeUnit.objects.active().filter(level__in=PUBLIC_LEVELS)


def _with_pages(units) -> list:
    """Each community and village with the address of its public page."""
    units = list(units)
    for unit in units:
        unit.public_url = unit_page_url(unit)
    return units


@login_not_required
@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    district = _public_units().filter(parent__isnull=True).first()
    streets = []
    open_code = request.GET.get("open", "")
    opened = {}
    if district is not None:
        streets = list(_public_units().filter(parent=district).annotate_public_children())
        if open_code:
            target = _public_units().filter(parent=district, code=open_code).first()
            if target is not None:
                opened[target.code] = _with_pages(_public_units().filter(parent=target))
    return render(
        request,
        "core/public/home.html",
        {"district": district, "streets": streets, "opened": opened},
    )


@login_not_required
@require_GET
def public_children(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(_public_units().filter(level=UnitLevel.STREET), code=code)
    return render(
        request,
        "core/public/home.html#public_branch",
        {"street": unit, "nodes": _with_pages(_public_units().filter(parent=unit))},
    )
