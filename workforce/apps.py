from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = _("Community workers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.panels import register_unit_panel
        from workforce import demo, metrics, services  # noqa: F401 -- metrics, demo loader, signal
        from workforce.panels import grid_workers

        register_unit_panel("workforce/unit_grids.html", grid_workers)
