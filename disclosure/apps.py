from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Village-affairs disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_to_menu
        from core.groups import Group
        from core.pages import add_to_page
        from disclosure import demo, metrics, roles, tasks  # noqa: F401 -- registries
        from disclosure.roles import Action

        roles.register()
        add_to_menu(
            [(_("Village disclosure"), "governance:disclosure_home", Action.VIEW, 110)],
            group=Group.VILLAGE_AFFAIRS,
        )
        add_to_page("public_home", "disclosure/public/home_links.html", 30)
