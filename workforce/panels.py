"""The unit page's block on grid workers: grids inside the unit that have none are flagged."""

from core.models import UnitLevel

SHOWN = 30


def grid_workers(unit) -> dict:
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
