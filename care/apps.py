from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("一老一小 care")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from care import demo, metrics, roles, tasks, work  # noqa: F401 -- registries

        roles.register()
        work.register()
        _add_menu()
        _add_searchers()
        _add_to_pages()


def _add_menu() -> None:
    """The care pages join core's menu under grid governance: core never names them."""
    from care.roles import Action
    from core.context_processors import add_to_menu
    from core.groups import Group

    add_to_menu(
        [
            (_("People in care"), "care:registry", Action.CARE_VIEW, 60),
            (_("Bracelet alerts"), "care:alerts", Action.CARE_VIEW, 61),
            (_("Care plan"), "care:plan", Action.CARE_PLAN, 62),
        ],
        group=Group.GRID,
    )


def _add_searchers() -> None:
    from care.search import find_people, may_see_people
    from core.search import add_searcher

    add_searcher("care", _("People in care"), find_people, allowed=may_see_people, order=70)


def _add_to_pages() -> None:
    """The landing page shows the alerts waiting for the user, polled without reloading."""
    from core.pages import add_to_page

    add_to_page("work_top", "care/work_alerts.html", 10)
