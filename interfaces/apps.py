from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterfacesConfig(AppConfig):
    """Open311 GeoReport v2 and the open-data API, from routers the other apps add to core
    (core/api.py); the keys apps file with; the documentation page."""

    name = "interfaces"
    verbose_name = _("Open interfaces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.api import OPEN311, OPEN_DATA, add_api_router, verify_keys_with
        from core.context_processors import add_to_menu
        from core.groups import Group
        from core.pages import add_public_link
        from interfaces import keys, open311, roles, tasks, units  # noqa: F401 -- tasks: periodic
        from interfaces.roles import Action

        roles.register()
        verify_keys_with(keys.authenticate)
        add_api_router(OPEN311, open311.router, order=10)
        add_api_router(OPEN_DATA, units.router, order=10)
        add_to_menu(
            [(_("API keys"), "interfaces:keys", Action.MANAGE_API_KEYS, 110)],
            group=Group.ADMINISTRATION,
        )
        add_public_link(
            _("Open data and API"),
            "interfaces:docs",
            _("For developers: file and follow demands over Open311, and read the district's "
              "open data as JSON."),
            90,
        )  # fmt: skip
