from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteer service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from volunteers import demo, metrics, roles, tasks, work  # noqa: F401 -- registries

        roles.register()
        work.register()
        _add_menu()
        _add_searchers()
        _add_to_pages()
        _add_interfaces()
        _add_handoffs()


def _add_menu() -> None:
    """The volunteer pages join core's menu from here: core never names them."""
    from core.context_processors import add_to_menu
    from core.groups import Group
    from volunteers.roles import Action

    add_to_menu(
        [
            (_("Volunteers"), "volunteers:home", Action.RECORD_SERVICE, 180),
            (_("Volunteer activities"), "volunteers:activities", Action.RECORD_SERVICE, 190),
            (_("Points supermarket"), "volunteers:supermarkets", Action.REDEEM_POINTS, 200),
        ],
        group=Group.VOLUNTEERING,
    )


def _add_searchers() -> None:
    from core.search import add_searcher
    from volunteers.search import find_volunteers, may_see_volunteers

    add_searcher(
        "volunteer", _("Volunteers"), find_volunteers, allowed=may_see_volunteers, order=60
    )


def _add_to_pages() -> None:
    """A unit's page lists the volunteer organisations that serve it."""
    from core.pages import add_to_page

    add_to_page("unit_panels", "volunteers/unit_panel.html", 30)


def _add_interfaces() -> None:
    from core.api import OPEN_DATA, add_api_router
    from volunteers import api

    add_api_router(OPEN_DATA, api.router, order=70)


def _add_handoffs() -> None:
    """Care reads the activities held for a child's grid through core, never importing this app."""
    from core.handoffs import register_activity_source
    from volunteers.services.held import VolunteerActivities

    register_activity_source(VolunteerActivities())
