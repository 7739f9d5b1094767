from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.models import AdministrativeUnit, may
from core.roles import Action
from core.views.public import public_home
from core.worklist import sections_for

__all__ = ["home", "landing"]


def home(request: HttpRequest) -> HttpResponse:
    """Everyone lands on their work (待办): for each role they hold, the tasks it starts most
    often and what waits for it; their unit's page is one tap away."""
    sections = sections_for(request.user)
    if not sections:
        empty = not AdministrativeUnit.objects.exists()
        return render(request, "core/no_unit.html", {"empty_portal": empty})
    unit = sections[0].units[0]
    if not may(request.user, Action.VIEW, unit):
        # A role that may not open its unit's page (a competition judge) gets no link to it.
        unit = None
    return render(request, "core/home.html", {"sections": sections, "unit": unit})


@login_not_required
@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """`/`: the public home for residents; after login, one's work."""
    if request.user.is_authenticated:
        return home(request)
    return public_home(request)
