"""Volunteer service points in the open-data API (/api/v1/service-points): the three-level
network (区联合会, 街道联盟, 社区联盟, 村服务点) and the units each serves. A node's contact is left
out: it may be a person."""

from datetime import date

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from core.api import MAX_PAGE_SIZE, PAGE_SIZE, page_of
from core.models import AdministrativeUnit
from volunteers.models import NetworkNode
from volunteers.models.network import NetworkLevel

__all__ = ["router"]

router = Router(tags=["Volunteer service points"])


class PointQuery(Schema):
    unit: str | None = None
    level: str | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


class PointOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    unit: str
    unit_name: str
    founded_on: date
    serves: list[str]


class PointPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PointOut]


@router.get("/service-points", response=PointPage, summary="Volunteer service points")
def service_points(request, query: Query[PointQuery]):
    """`unit` (a code) keeps the points whose home is that unit or below it; `level` is one of
    federation, street_alliance, community_alliance, village_point."""
    if query.page < 1 or not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, _("page starts at 1; page_size is 1 to %d.") % MAX_PAGE_SIZE)
    nodes = NetworkNode.objects.select_related("unit").prefetch_related(
        Prefetch("serves", AdministrativeUnit.objects.only("code").order_by("code"))
    )
    if query.level:
        if query.level not in NetworkLevel.values:
            raise HttpError(400, _("level is one of: %s.") % ", ".join(NetworkLevel.values))
        nodes = nodes.filter(level=query.level)
    if query.unit:
        unit = get_object_or_404(AdministrativeUnit.objects.active(), code=query.unit)
        nodes = nodes.filter(unit__path__startswith=unit.path)
    rows, total = page_of(nodes.order_by("unit__code", "name", "id"), query.page, query.page_size)
    items = [
        {
            "id": node.pk,
            "name": node.name,
            "level": node.level,
            "level_label": node.get_level_display(),
            "unit": node.unit.code,
            "unit_name": node.unit.name,
            "founded_on": node.founded_on,
            "serves": [u.code for u in node.serves.all()],
        }
        for node in rows
    ]
    return {"count": total, "page": query.page, "page_size": query.page_size, "items": items}
