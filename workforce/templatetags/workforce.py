"""The unit page's block on grid workers: grids inside the unit that have none are flagged."""

from django import template

from core.models import UnitLevel

register = template.Library()

SHOWN = 30


@register.inclusion_tag("workforce/unit_grids.html")
def grid_workers(unit):
    from workforce.services import uncovered_grids

    if unit.level == UnitLevel.GRID or unit.is_retired:
        return {"show": False}
    grids = uncovered_grids(unit)
    count = grids.count()
    return {
        "show": True,
        "unit": unit,
        "count": count,
        "grids": list(grids[:SHOWN]) if count else [],
    }
