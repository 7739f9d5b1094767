from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Village-affairs disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_to_menu
        from core.groups import Group
        from disclosure import demo, metrics, roles, tasks, work  # noqa: F401 -- registries
        from disclosure.roles import Action

        roles.register()
        work.register()
        _add_interfaces()
        add_to_menu(
            [(_("Village disclosure"), "governance:disclosure_home", Action.VIEW, 110)],
            group=Group.VILLAGE_AFFAIRS,
        )
        from core.models import UnitLevel
        from core.pages import add_public_link
        from core.public_pages import add_unit_page

        add_unit_page("public:village", [UnitLevel.COMMUNITY, UnitLevel.VILLAGE])
        add_public_link(
            _("Village-affairs disclosure"),
            "public:villages",
            _("What each village and community disclosed: affairs, finances, decisions and "
              "rectified items."),
            10,
        )  # fmt: skip


def _add_interfaces() -> None:
    from core.api import OPEN_DATA, add_api_router
    from disclosure import api

    add_api_router(OPEN_DATA, api.router, order=20)
