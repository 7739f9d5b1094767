from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Grassroots governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from governance.demo import disputes as demo_disputes  # noqa: F401 -- register loaders
        from governance.metrics import disputes, drills, units  # noqa: F401 -- register metrics
