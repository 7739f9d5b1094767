from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Grassroots governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from governance.demo import disputes as demo_disputes  # noqa: F401 -- register loaders
        from governance.demo import workforce as demo_workforce  # noqa: F401 -- its loader
        from governance.metrics import disputes, drills, units  # noqa: F401 -- register metrics
        from governance.metrics import workforce as workforce_metrics  # noqa: F401 -- and drills
        from governance.services import workforce as workforce_services  # noqa: F401 -- signal
