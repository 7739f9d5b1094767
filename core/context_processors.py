import functools
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
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
    groups = _groups(_allowed(user), get_script_prefix(), translation.get_language())
    return _marked(groups, _current_url(groups, path))


def _allowed(user) -> tuple[str, ...]:
    """What decides which entries the user sees: all of them, or those of their actions."""
    if user.is_superuser:
        return ("*",)
    return tuple(sorted(user.actions_anywhere()))


# The menu is a function of the user's actions, the language and the open entry (MENU is fixed
# once the apps are ready): kept per process by those keys, it can't go stale. Building and
# rendering it on every page was most of the base layout's time.
@functools.lru_cache(maxsize=256)
def _groups(allowed: tuple[str, ...], _prefix: str, _language: str) -> tuple[dict, ...]:
    groups: dict[str, dict] = {}
    for entry in MENU:
        if not ("*" in allowed or entry.action in allowed):
            continue
        group = groups.setdefault(
            entry.group,
            {"key": entry.group, "label": str(Group(entry.group).label), "entries": []},
        )
        group["entries"].append({"label": str(entry.label), "url": reverse(entry.url_name)})
    return tuple(groups.values())


def _current_url(groups, path: str) -> str:
    """The address of the entry with the longest address that the path equals or lies under."""
    best = ""
    for group in groups:
        for entry in group["entries"]:
            url = entry["url"]
            if (path == url or (url.endswith("/") and path.startswith(url))) and len(url) > len(
                best
            ):
                best = url
    return best


def _marked(groups, current: str) -> list[dict]:
    """A copy of the groups with the entry at `current` and its group marked current (the first
    such entry, as a menu holds each address once)."""
    marked, found = [], False
    for group in groups:
        entries = []
        for entry in group["entries"]:
            here = not found and entry["url"] == current
            found = found or here
            entries.append({**entry, "current": here})
        current_group = any(entry["current"] for entry in entries)
        marked.append({**group, "entries": entries, "current": current_group})
    return marked


@functools.lru_cache(maxsize=1024)
def _menu_html(allowed: tuple[str, ...], prefix: str, language: str, current: str) -> str:
    groups = _marked(_groups(allowed, prefix, language), current)
    return render_to_string("partials/menu.html", {"menu": groups}) if groups else ""


def menu_html(user, path: str) -> str:
    """partials/menu.html for the user on the page at `path`."""
    if user is None or not user.is_authenticated:
        return ""
    prefix, language = get_script_prefix(), translation.get_language()
    allowed = _allowed(user)
    current = _current_url(_groups(allowed, prefix, language), path)
    return mark_safe(_menu_html(allowed, prefix, language, current))  # noqa: S308 -- a template's output


def portal(request):
    user = getattr(request, "user", None)
    return {
        "large_font": request.COOKIES.get(LARGE_FONT_COOKIE) == "1",
        "menu": SimpleLazyObject(lambda: menu_html(user, request.path)),
    }
