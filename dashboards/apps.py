from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.api import OPEN_DATA, add_api_router
        from core.context_processors import add_to_menu
        from core.groups import Group
        from core.pages import add_to_page
        from core.roles import Action
        from dashboards import api, demo, roles, work  # noqa: F401 -- the demo loader
        from dashboards.roles import Action as DashboardAction

        add_api_router(OPEN_DATA, api.router, order=50)

        roles.register()
        work.register()
        add_to_menu(
            [
                (_("Dashboard"), "governance:my_dashboard", Action.VIEW, 15),
                (
                    _("Monthly reports"),
                    "governance:monthly_mine",
                    DashboardAction.SUBMIT_MONTHLY_REPORT,
                    16,
                ),
            ],
            group=Group.GRID,
        )
        add_to_page("unit_actions", "dashboards/unit_action.html", 10)
        add_to_page("unit_actions", "dashboards/unit_monthly_action.html", 11)
        from core.pages import add_public_link

        add_public_link(
            _("Public figures"),
            "public:figures",
            _("The district's and streets' figures, computed from the records."),
            30,
        )
