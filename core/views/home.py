from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.models import AdministrativeUnit

__all__ = ["home"]


def home(request: HttpRequest) -> HttpResponse:
    """Everyone lands on the page of their own unit."""
    membership = request.user.primary_membership()
    if membership is not None:
        return redirect("governance:unit_detail", code=membership.unit.code)
    if request.user.is_superuser:
        root = AdministrativeUnit.objects.filter(parent__isnull=True).first()
        if root is not None:
            return redirect("governance:unit_detail", code=root.code)
    return render(request, "core/no_unit.html")
