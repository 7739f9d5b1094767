from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("一老一小 care")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from care import roles

        roles.register()
