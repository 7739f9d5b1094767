from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consultation import demo, metrics, roles, tasks, work  # noqa: F401 -- registries
        from consultation.roles import Action
        from core.context_processors import add_to_menu
        from core.groups import Group
        from core.pages import add_to_page

        roles.register()
        _add_searchers()
        work.register()
        add_to_menu(
            [
                (_("Demands"), "governance:demand_list", Action.LOG_DEMANDS, 120),
                (
                    _("Consultation meetings"),
                    "governance:meeting_list",
                    Action.RUN_CONSULTATION,
                    130,
                ),
                (
                    _("Livelihood projects"),
                    "governance:project_board",
                    Action.RUN_CONSULTATION,
                    140,
                ),
            ],
            group=Group.CONSULTATION,
        )
        add_to_page("public_home", "consultation/public/home_links.html", 10)
        from consultation.views.consultation_public import project_for_decision
        from core.pages import add_public_link
        from core.public_pages import add_project_finder

        add_public_link(
            _("Livelihood projects delivered"),
            "public:projects_all",
            _("Projects the consultations delivered, with photos and their steps from demand "
              "to delivery."),
            20,
        )  # fmt: skip
        add_public_link(
            _("Send a demand"),
            "public:demand_new",
            _("Tell the community or village what needs fixing, and follow it with a code."),
            50,
        )
        add_project_finder(project_for_decision)
        _take_demands_from_other_apps()
        _add_interfaces()


def _take_demands_from_other_apps() -> None:
    """A need raised elsewhere (a care visit) becomes a demand logged by a grid worker."""
    from django.utils import timezone

    from consultation.models import DemandSource
    from consultation.services.consultation import demand_log
    from core.handoffs import register_demand_intake

    def intake(*, by, unit, description, contact_name="", contact_phone=""):
        demand = demand_log(
            by=by,
            unit=unit,
            source=DemandSource.GRID,
            received_on=timezone.localdate(),
            description=description,
            contact_name=contact_name,
            contact_phone=contact_phone,
        )
        return demand.get_absolute_url()

    register_demand_intake(intake)


def _add_interfaces() -> None:
    from consultation import api
    from core.api import OPEN_DATA, add_api_router, add_open311_service

    add_open311_service(api.open311_service)
    add_api_router(OPEN_DATA, api.open_data, order=60)


def _add_searchers() -> None:
    from consultation.search import find_demands, find_projects
    from core.search import add_searcher

    add_searcher("demand", _("Demands"), find_demands, order=30)
    add_searcher("project", _("Livelihood projects"), find_projects, order=40)
