"""The volunteer network: its organisations, each with its home unit and the units it serves."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from core.models import AdministrativeUnit
from volunteers.models import NetworkLevel, NetworkNode, NetworkService
from volunteers.views.access import require_any
from volunteers.views.cells import join_safe, linker, unit_cell

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
    nodes = list(
        NetworkNode.objects.for_user(request.user).values_list(
            "pk", "level", "name", "founded_on", "unit_id", "unit__code", "unit__name"
        )
    )
    served: dict[int, list[tuple]] = {pk: [] for pk, *_ in nodes}
    for node_id, *unit in (
        NetworkService.objects.filter(node_id__in=served)
        .order_by("unit__code")
        .values_list("node_id", "unit_id", "unit__code", "unit__name")
    ):
        served[node_id].append(unit)
    ids = {n[4] for n in nodes} | {u[0] for units in served.values() for u in units}
    linked = set(
        AdministrativeUnit.objects.for_user(request.user)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    unit_url = linker("governance:unit_detail", "code")
    levels = []
    for level in NetworkLevel:
        rows = [
            {
                "name": name,
                "home": mark_safe(unit_cell(unit_url, code, unit_name, unit_id in linked)),  # noqa: S308
                "serves": join_safe(
                    (unit_cell(unit_url, c, n, u in linked) for u, c, n in served[pk]), "、"
                ),
                "founded_on": founded_on.isoformat(),
            }
            for pk, node_level, name, founded_on, unit_id, code, unit_name in nodes
            if node_level == level
        ]
        levels.append({"key": level.value, "label": level.label, "rows": rows})
    return render(request, "volunteers/network.html", {"levels": levels})
