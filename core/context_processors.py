from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.groups import Group
from core.roles import Action

LARGE_FONT_COOKIE = "large_font"


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    action: str  # the action a role must allow somewhere to see the entry
    place: int  # its order inside its group
    group: str  # a core.groups.Group


# The menu, grouped: each app adds its entries from its AppConfig.ready() through add_to_menu,
# naming the group each belongs to.
MENU: list[MenuEntry] = []


def add_to_menu(items, *, group: str) -> None:
    """Entries (label, url name, action, place) of one group of the menu."""
    if group not in Group.values:
        raise ValueError(f"menu group {group!r} is not one of {Group.values}")
    for label, name, action, place in items:
        entry = MenuEntry(label, name, action, place, group)
        if entry not in MENU:
            MENU.append(entry)
    order = {key: n for n, key in enumerate(Group.values)}
    MENU.sort(key=lambda entry: (order[entry.group], entry.place))


add_to_menu(
    [
        (_("My work"), "governance:home", Action.VIEW, 10),
        (_("Unit tree"), "governance:unit_tree", Action.VIEW, 20),
    ],
    group=Group.GRID,
)
add_to_menu(
    [
        (_("Import units"), "governance:unit_import", Action.MANAGE_UNITS, 90),
        (_("Accounts"), "governance:account_list", Action.MANAGE_ACCOUNTS, 100),
    ],
    group=Group.ADMINISTRATION,
)


def menu_for(user, path: str = "") -> list[dict]:
    """The groups holding an entry the user may use, each with those entries; the entry whose
    page is open (its address the path, or the path under it) and its group are marked current."""
    if user is None or not user.is_authenticated:
        return []
    actions = user.actions_anywhere()
    groups: dict[str, dict] = {}
    for entry in MENU:
        if not (user.is_superuser or entry.action in actions):
            continue
        group = groups.setdefault(
            entry.group,
            {"key": entry.group, "label": Group(entry.group).label, "entries": []},
        )
        group["entries"].append({"label": entry.label, "url": reverse(entry.url_name)})
    _mark_current(groups.values(), path)
    return list(groups.values())


def _mark_current(groups, path: str) -> None:
    """The entry with the longest address that the path equals or lies under."""
    best, best_length = None, 0
    for group in groups:
        group["current"] = False
        for entry in group["entries"]:
            entry["current"] = False
            url = entry["url"]
            if (path == url or (url.endswith("/") and path.startswith(url))) and len(
                url
            ) > best_length:
                best, best_length = (group, entry), len(url)
    if best:
        best[0]["current"] = best[1]["current"] = True


def portal(request):
    return {
        "large_font": request.COOKIES.get(LARGE_FONT_COOKIE) == "1",
        "menu": menu_for(getattr(request, "user", None), request.path),
    }
