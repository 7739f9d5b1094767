"""The unit page's block on the volunteer organisations that serve the unit."""

from django import template

register = template.Library()


@register.inclusion_tag("volunteers/unit_network.html", takes_context=True)
def serving_nodes(context, unit):
    from core.models import units_for
    from volunteers.views.access import VOLUNTEER_ACTIONS
    from volunteers.views.network import nodes_for, unit_links

    request = context["request"]
    nodes = list(nodes_for(request.user).serving(unit))
    linked = unit_links(request.user, nodes)
    return {
        "unit": unit,
        "rows": [
            {
                "node": n,
                "home_linked": n.unit_id in linked,
                "serves": [(s.unit, s.unit_id in linked) for s in n.services.all()],
            }
            for n in nodes
        ],
        "may_open_network": any(units_for(request, a).exists() for a in VOLUNTEER_ACTIONS),
    }
