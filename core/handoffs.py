"""Work one app hands to another without importing it: the app that owns the work registers
its service here from its AppConfig.ready(), and the others call it through core.

  demand  a need someone raised becomes a demand (诉求): consultation registers the intake;
          care calls it when a visit raises a need.
"""

from collections.abc import Callable

__all__ = ["DemandIntake", "can_raise_demand", "raise_demand", "register_demand_intake"]

# (by, unit, description, contact_name, contact_phone) -> the demand's page
DemandIntake = Callable[..., str]

_demand_intake: list[DemandIntake] = []


def register_demand_intake(intake: DemandIntake) -> None:
    _demand_intake[:] = [intake]


def can_raise_demand() -> bool:
    return bool(_demand_intake)


def raise_demand(
    *, by, unit, description: str, contact_name: str = "", contact_phone: str = ""
) -> str:
    """Log a demand at `unit` in the caller's transaction; returns its page. The owner checks
    that `by` may log demands there (PermissionDenied if not)."""
    if not _demand_intake:
        raise LookupError("no app takes in demands")
    return _demand_intake[0](
        by=by,
        unit=unit,
        description=description,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
