from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteer service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from volunteers import demo, metrics  # noqa: F401 -- register metrics and the demo loader
