"""Units per level: how many active streets, communities, villages and grids a subtree holds."""

from django.utils.translation import gettext_lazy as _

from core.groups import Group
from core.metrics.registry import Metric, register, register_source
from core.models import AdministrativeUnit, UnitLevel

_DEFINITION = _(
    "Active units of this level inside the unit, as of the end of the period: "
    "units established on or before that day and not retired by then."
)

for order, level, label in [
    (900, UnitLevel.STREET, _("Streets")),
    (901, "other_township", _("Other township-level units")),
    (902, UnitLevel.COMMUNITY, _("Communities")),
    (903, UnitLevel.VILLAGE, _("Villages")),
    (904, UnitLevel.GRID, _("Grids")),
]:
    register(
        Metric(
            key=f"units.{level}",
            label=label,
            definition=_DEFINITION,
            kind="stock",
            facts=(f"units.{level}",),
            unit_label=_("units"),
            order=order,
            group=Group.GRID,
        )
    )

register_source(AdministrativeUnit, unit_path="path")
