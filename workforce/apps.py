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
        from workforce import demo, metrics, roles, services, work  # noqa: F401 -- registries, signal
        from workforce.roles import Action

        roles.register()
        _add_searchers()
        work.register()
        add_to_menu(
            [
                (_("Workers"), "governance:worker_list", Action.MANAGE_WORKFORCE, 150),
                (_("Training"), "governance:programme_list", Action.MANAGE_TRAINING, 160),
                (_("Skills competition"), "governance:competition_list", Action.JUDGE, 170),
            ],
            group=Group.WORKFORCE,
        )
        add_to_page("unit_panels", "workforce/unit_panel.html", 10)


def _add_searchers() -> None:
    from django.utils.translation import pgettext_lazy

    from core.search import add_searcher
    from workforce.search import find_workers, worker_list_url

    add_searcher(
        "worker",
        pgettext_lazy("search", "Workers"),
        find_workers,
        more_url=worker_list_url,
        order=50,
    )
