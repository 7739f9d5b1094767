"""Blocks that apps add to a unit's page, registered from their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["UnitPanel", "register_unit_panel", "unit_panels"]


@dataclass(frozen=True)
class UnitPanel:
    template: str
    context: Callable  # unit -> the template's context


_panels: list[UnitPanel] = []


def register_unit_panel(template: str, context: Callable) -> None:
    panel = UnitPanel(template, context)
    if panel not in _panels:
        _panels.append(panel)


def unit_panels() -> list[UnitPanel]:
    return list(_panels)
