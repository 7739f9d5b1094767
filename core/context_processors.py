from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Action

LARGE_FONT_COOKIE = "large_font"

# The menu: (label, url name, the action a role must allow somewhere).
MENU = [
    (_("My unit"), "governance:home", Action.VIEW),
    (_("Unit tree"), "governance:unit_tree", Action.VIEW),
    (_("Dashboard"), "governance:my_dashboard", Action.VIEW),
    (_("Dispute cases"), "governance:case_list", Action.LOG_CASES),
    (_("Safety hazards"), "governance:hazard_list", Action.LOG_CASES),
    (_("Legal service"), "governance:legal_list", Action.LOG_CASES),
    (_("Mediation studios"), "governance:studio_list", Action.MANAGE_REGISTRIES),
    (_("Service points"), "governance:point_list", Action.MANAGE_REGISTRIES),
    (_("Dispute categories"), "governance:category_list", Action.MANAGE_UNITS),
    (_("Import units"), "governance:unit_import", Action.MANAGE_UNITS),
    (_("Accounts"), "governance:account_list", Action.MANAGE_ACCOUNTS),
    (_("Village disclosure"), "governance:disclosure_home", Action.VIEW),
    (_("Demands"), "governance:demand_list", Action.LOG_DEMANDS),
    (_("Consultation meetings"), "governance:meeting_list", Action.RUN_CONSULTATION),
    (_("Livelihood projects"), "governance:project_board", Action.RUN_CONSULTATION),
    (_("Workers"), "governance:worker_list", Action.MANAGE_WORKFORCE),
    (_("Training"), "governance:programme_list", Action.MANAGE_TRAINING),
    (_("Skills competition"), "governance:competition_list", Action.JUDGE),
]


def portal(request):
    user = getattr(request, "user", None)
    menu = []
    if user is not None and user.is_authenticated:
        actions = user.actions_anywhere()
        for label, name, action in MENU:
            if user.is_superuser or action in actions:
                menu.append({"label": label, "url": reverse(name)})
    return {
        "large_font": request.COOKIES.get(LARGE_FONT_COOKIE) == "1",
        "menu": menu,
    }
