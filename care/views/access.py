"""Who reaches the care pages: every fetch goes through `.for_user`; out of scope is a 404."""

from django.http import Http404

from care.roles import Action
from core.models import UnitLevel, units_for

__all__ = ["care_grids", "require"]


def require(request, action: str = Action.CARE_VIEW) -> None:
    if not units_for(request, action).exists():
        raise Http404


def care_grids(request, action: str = Action.CARE_KEEP):
    return units_for(request, action).filter(level=UnitLevel.GRID).select_related("parent")
