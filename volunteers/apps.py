from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteer service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from volunteers import demo, metrics, roles, tasks  # noqa: F401 -- registries

        roles.register()
        _add_menu()


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
