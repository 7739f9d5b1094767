"""What apps add to core's pages, registered from their AppConfig.ready(): templates included
with the page's context, each at its place in one of the page's slots.

  unit_actions  the buttons at the top of a unit's page
  unit_panels   blocks below a unit's details
  public_home   the public home page's links
"""

__all__ = ["SLOTS", "add_to_page", "templates_for"]

SLOTS = ("unit_actions", "unit_panels", "public_home")

_added: dict[str, list[tuple[int, str]]] = {slot: [] for slot in SLOTS}


def add_to_page(slot: str, template: str, place: int) -> None:
    if (place, template) not in _added[slot]:
        _added[slot].append((place, template))
        _added[slot].sort()


def templates_for(slot: str) -> list[str]:
    return [template for _place, template in _added[slot]]
