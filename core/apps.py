from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The label the package had as governance/: tables, migrations and content types keep it.
    label = "governance"
    verbose_name = _("Grassroots governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from core import tasks  # noqa: F401 -- register the periodic tasks
        from core.metrics import drills, units  # noqa: F401 -- register metrics and drills
        from portal.cache import create_cache_table
        from portal.middleware import mark_session_start

        post_migrate.connect(create_cache_table, sender=self)
        user_logged_in.connect(mark_session_start, dispatch_uid="portal.session_start")
        from core.pages import add_to_page

        add_to_page("public_home", "core/public/home_my_unit.html", 20)
        from django.utils.translation import pgettext_lazy

        from core.search import add_searcher, find_units

        add_searcher("unit", pgettext_lazy("search", "Units"), find_units, order=70)
