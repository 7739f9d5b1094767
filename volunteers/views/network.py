"""The volunteer network: its organisations, each with its home unit and the units it serves."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.models import AdministrativeUnit
from volunteers.models import NetworkLevel, NetworkNode, NetworkService
from volunteers.views.access import require_any

__all__ = ["network", "nodes_for", "unit_links"]


def nodes_for(user):
    return (
        NetworkNode.objects.for_user(user)
        .select_related("unit")
        .prefetch_related(
            Prefetch("services", queryset=NetworkService.objects.select_related("unit"))
        )
    )


def unit_links(user, nodes) -> set[int]:
    """The units among the nodes' that the user may open (the others are named, not linked)."""
    ids = {n.unit_id for n in nodes} | {s.unit_id for n in nodes for s in n.services.all()}
    return set(
        AdministrativeUnit.objects.for_user(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def network(request: HttpRequest) -> HttpResponse:
    require_any(request)
    nodes = list(nodes_for(request.user))
    linked = unit_links(request.user, nodes)
    levels = []
    for level in NetworkLevel:
        rows = [
            {
                "node": n,
                "home": n.unit,
                "home_linked": n.unit_id in linked,
                "serves": [(s.unit, s.unit_id in linked) for s in n.services.all()],
            }
            for n in nodes
            if n.level == level
        ]
        levels.append({"key": level.value, "label": level.label, "rows": rows})
    return render(request, "volunteers/network.html", {"levels": levels})
