from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consultation import demo, metrics  # noqa: F401 -- register metrics and the demo loader
