from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.context_processors import portal
from core.models import AdministrativeUnit, may
from core.roles import Action

__all__ = ["home"]


def home(request: HttpRequest) -> HttpResponse:
    """Everyone lands on the page of their own unit; a role that may not open it (a competition
    judge) lands on the first page of its menu."""
    membership = request.user.primary_membership()
    if membership is not None:
        if may(request.user, Action.VIEW, membership.unit):
            return redirect("governance:unit_detail", code=membership.unit.code)
        here = reverse("governance:home")
        pages = [item["url"] for item in portal(request)["menu"] if item["url"] != here]
        if pages:
            return redirect(pages[0])
    if request.user.is_superuser:
        root = AdministrativeUnit.objects.filter(parent__isnull=True).first()
        if root is not None:
            return redirect("governance:unit_detail", code=root.code)
    return render(request, "core/no_unit.html")
