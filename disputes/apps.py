from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Disputes and mediation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_to_menu
        from core.groups import Group
        from disputes import demo, metrics, roles, work  # noqa: F401 -- metrics and the demo loader
        from disputes.roles import Action

        roles.register()
        _add_searchers()
        _add_interfaces()
        work.register()
        add_to_menu(
            [
                (_("Dispute cases"), "governance:case_list", Action.LOG_CASES, 40),
                (_("Legal service"), "governance:legal_list", Action.LOG_CASES, 60),
                (_("Mediation studios"), "governance:studio_list", Action.MANAGE_REGISTRIES, 70),
            ],
            group=Group.DISPUTES,
        )
        add_to_menu(
            [
                (_("Safety hazards"), "governance:hazard_list", Action.LOG_CASES, 50),
                (_("Service points"), "governance:point_list", Action.MANAGE_REGISTRIES, 80),
            ],
            group=Group.GRID,
        )
        add_to_menu(
            [(_("Dispute categories"), "governance:category_list", Action.MANAGE_UNITS, 85)],
            group=Group.ADMINISTRATION,
        )
        from core.pages import add_public_link

        add_public_link(
            _("Service points"),
            "public:service_points",
            _("Grid stations, stations for couriers and drivers, charity canteens and mediation "
              "studios."),
            40,
        )  # fmt: skip


def _add_searchers() -> None:
    from core.search import add_searcher
    from disputes.search import find_cases, find_hazards

    add_searcher("case", _("Dispute cases"), find_cases, order=10)
    add_searcher("hazard", _("Safety hazards"), find_hazards, order=20)


def _add_interfaces() -> None:
    from core.api import add_open311_service
    from disputes import api

    add_open311_service(api.open311_service)
