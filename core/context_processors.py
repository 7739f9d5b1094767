from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Action

LARGE_FONT_COOKIE = "large_font"

# The menu: (label, url name, the action a role must allow somewhere, place). Each app adds its
# section from its AppConfig.ready() through add_to_menu.
MENU = [
    (_("My work"), "governance:home", Action.VIEW, 10),
    (_("Unit tree"), "governance:unit_tree", Action.VIEW, 20),
    (_("Import units"), "governance:unit_import", Action.MANAGE_UNITS, 90),
    (_("Accounts"), "governance:account_list", Action.MANAGE_ACCOUNTS, 100),
]


def add_to_menu(items) -> None:
    MENU.extend(item for item in items if item not in MENU)
    MENU.sort(key=lambda item: item[3])


def portal(request):
    user = getattr(request, "user", None)
    menu = []
    if user is not None and user.is_authenticated:
        actions = user.actions_anywhere()
        for label, name, action, _place in MENU:
            if user.is_superuser or action in actions:
                menu.append({"label": label, "url": reverse(name)})
    return {
        "large_font": request.COOKIES.get(LARGE_FONT_COOKIE) == "1",
        "menu": menu,
    }
