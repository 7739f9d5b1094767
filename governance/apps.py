from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Grassroots governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from governance import tasks  # noqa: F401 -- register the periodic tasks
        from governance.demo import consultation as demo_consultation  # noqa: F401
        from governance.demo import disclosure as demo_disclosure  # noqa: F401
        from governance.demo import disputes as demo_disputes  # noqa: F401 -- register loaders
        from governance.demo import workforce as demo_workforce  # noqa: F401 -- its loader
        from governance.metrics import (  # noqa: F401 -- register metrics
            consultation,
            disclosure,
            disputes,
            drills,
            units,
        )
        from governance.metrics import workforce as workforce_metrics  # noqa: F401 -- and drills
        from governance.services import workforce as workforce_services  # noqa: F401 -- signal
        from portal.cache import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)
