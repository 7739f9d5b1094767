from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Disputes and mediation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from disputes import demo, metrics  # noqa: F401 -- register metrics and the demo loader
