from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteer service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the metrics, the demo loader and the periodic sweep.
        from volunteers import demo, metrics, tasks  # noqa: F401

        _add_menu()


def _add_menu() -> None:
    """The volunteer pages join governance's menu from here: governance never names them."""
    from governance.context_processors import MENU
    from governance.roles import Action

    for item in [
        (_("Volunteers"), "volunteers:home", Action.RECORD_SERVICE),
        (_("Volunteer activities"), "volunteers:activities", Action.RECORD_SERVICE),
        (_("Points supermarket"), "volunteers:supermarkets", Action.REDEEM_POINTS),
    ]:
        if item not in MENU:
            MENU.append(item)
