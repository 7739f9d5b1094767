"""Units in the open-data API: codes, names, levels and where each sits in the tree."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from core.api import MAX_PAGE_SIZE, PAGE_SIZE, page_of
from core.models import AdministrativeUnit, UnitLevel

__all__ = ["router"]

router = Router(tags=["Units"])

# Grids are in no public list (DOMAIN.md): the open data stops at communities and villages.
PUBLIC_LEVELS = [UnitLevel.DISTRICT, UnitLevel.STREET, UnitLevel.COMMUNITY, UnitLevel.VILLAGE]


class UnitOut(Schema):
    code: str
    name: str
    official_name: str
    level: str
    level_label: str
    parent: str | None


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[UnitOut]


class UnitFilters(Schema):
    level: str | None = None
    parent: str | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


def _public_units():
    return (
        AdministrativeUnit.objects.active()
        .filter(level__in=PUBLIC_LEVELS)
        .select_related("parent")
        .only("code", "name", "official_name", "level", "parent__code")
    )


def _unit(unit: AdministrativeUnit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "official_name": unit.official_name or unit.name,
        "level": unit.level,
        "level_label": unit.get_level_display(),
        "parent": unit.parent.code if unit.parent_id else None,
    }


@router.get("/units", response=UnitPage, summary="Units")
def units(request, filters: Query[UnitFilters]):
    """Every public unit, by code; `level` (district, street, community, village) and `parent`
    (a unit's code: its direct children) narrow the list."""
    if filters.page < 1 or not 1 <= filters.page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, _("page starts at 1; page_size is 1 to %d.") % MAX_PAGE_SIZE)
    chosen = _public_units()
    if filters.level:
        if filters.level not in PUBLIC_LEVELS:
            raise HttpError(400, _("level is one of: %s.") % ", ".join(PUBLIC_LEVELS))
        chosen = chosen.filter(level=filters.level)
    if filters.parent:
        chosen = chosen.filter(parent__code=filters.parent)
    rows, total = page_of(chosen.order_by("code"), filters.page, filters.page_size)
    return {
        "count": total,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_unit(u) for u in rows],
    }


@router.get("/units/{code}", response=UnitOut, summary="One unit")
def unit(request, code: str):
    return _unit(get_object_or_404(_public_units(), code=code))
