from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consultation import demo, metrics, roles, tasks  # noqa: F401 -- registries
        from consultation.roles import Action
        from core.context_processors import add_to_menu
        from core.groups import Group
        from core.pages import add_to_page

        roles.register()
        add_to_menu(
            [
                (_("Demands"), "governance:demand_list", Action.LOG_DEMANDS, 120),
                (
                    _("Consultation meetings"),
                    "governance:meeting_list",
                    Action.RUN_CONSULTATION,
                    130,
                ),
                (
                    _("Livelihood projects"),
                    "governance:project_board",
                    Action.RUN_CONSULTATION,
                    140,
                ),
            ],
            group=Group.CONSULTATION,
        )
        add_to_page("public_home", "consultation/public/home_links.html", 10)
