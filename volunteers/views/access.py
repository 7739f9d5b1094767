"""Who reaches the volunteer pages: every fetch goes through `.for_user`, out of scope is a 404."""

from django.http import Http404

from core.models import units_for
from volunteers.roles import Action

__all__ = ["VOLUNTEER_ACTIONS", "require_any", "volunteer_row"]

VOLUNTEER_ACTIONS = (
    Action.MANAGE_VOLUNTEERS,
    Action.RECORD_SERVICE,
    Action.VERIFY_HOURS,
    Action.REDEEM_POINTS,
)


def require_any(request, *actions: str) -> None:
    if not any(units_for(request, a).exists() for a in actions or VOLUNTEER_ACTIONS):
        raise Http404


def volunteer_row(volunteer) -> dict:
    """A volunteer as every page shows them: personal data masked."""
    from core.privacy import masked_field

    return {
        "pk": volunteer.pk,
        "name": masked_field(volunteer, "name"),
        "phone": masked_field(volunteer, "phone"),
        "id_number": masked_field(volunteer, "id_number"),
        "unit": volunteer.unit.name,
        "skills": "、".join(volunteer.skills),
        "joined_on": volunteer.joined_on,
        "status": volunteer.get_status_display(),
        "status_key": volunteer.status,
        "points": volunteer.points_balance,
        "url": volunteer.get_absolute_url(),
    }
