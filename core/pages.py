"""What apps add to core's pages, registered from their AppConfig.ready(): templates included
with the page's context, each at its place in one of the page's slots.

  work_top      above the sections of the landing page's work (待办), e.g. a live alert box
  unit_actions  the buttons at the top of a unit's page
  unit_panels   blocks below a unit's details
  public_home   the public home page's links

and the links of the public side's navigation (`add_public_link`).
"""

__all__ = ["SLOTS", "add_public_link", "add_to_page", "public_links", "templates_for"]

SLOTS = ("work_top", "unit_actions", "unit_panels", "public_home")

_added: dict[str, list[tuple[int, str]]] = {slot: [] for slot in SLOTS}


def add_to_page(slot: str, template: str, place: int) -> None:
    if (place, template) not in _added[slot]:
        _added[slot].append((place, template))
        _added[slot].sort()


def templates_for(slot: str) -> list[str]:
    return [template for _place, template in _added[slot]]


# The public side's own navigation: (place, label, url name without arguments, one line on what
# is there). Shown as a bar on every page a visitor without login sees, and as the block of
# links on the public home.
_public_links: list[tuple[int, object, str, object]] = []


def add_public_link(label, url_name: str, description, place: int) -> None:
    entry = (place, label, url_name, description)
    if all(existing[2] != url_name for existing in _public_links):
        _public_links.append(entry)
        _public_links.sort(key=lambda e: e[0])


def public_links() -> list[dict]:
    from django.urls import reverse

    return [
        {"label": label, "url": reverse(url_name), "description": description}
        for _place, label, url_name, description in _public_links
    ]
