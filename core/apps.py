from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The label the package had as governance/: tables, migrations and content types keep it.
    label = "governance"
    verbose_name = _("Grassroots governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.metrics import drills, units  # noqa: F401 -- register metrics and drills
        from core.pages import add_to_page

        add_to_page("public_home", "core/public/home_my_unit.html", 20)
