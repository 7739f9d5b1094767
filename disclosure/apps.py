from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Village-affairs disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from disclosure import demo, metrics  # noqa: F401 -- register metrics and the demo loader
