from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = _("Community workers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_to_menu
        from core.groups import Group
        from core.pages import add_to_page
        from workforce import demo, metrics, roles, services  # noqa: F401 -- metrics, demo, signal
        from workforce.roles import Action

        roles.register()
        add_to_menu(
            [
                (_("Workers"), "governance:worker_list", Action.MANAGE_WORKFORCE, 150),
                (_("Training"), "governance:programme_list", Action.MANAGE_TRAINING, 160),
                (_("Skills competition"), "governance:competition_list", Action.JUDGE, 170),
            ],
            group=Group.WORKFORCE,
        )
        add_to_page("unit_panels", "workforce/unit_panel.html", 10)
