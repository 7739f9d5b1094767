"""What consultation adds to the landing page (core/worklist.py): the button to log a resident's
demand, the demands that wait for an answer, and at the street those that wait to be routed."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from consultation.models import Demand, DemandStatus
from consultation.roles import Action
from core.models import UnitLevel
from core.worklist import Button, Desk, Item, add_work, queue

__all__ = ["register"]

WAIT_FLAG_DAYS = 7  # a demand unanswered for longer is flagged


def _demand_item(desk: Desk):
    def item(demand: Demand) -> Item:
        days = (desk.today - demand.received_on).days
        return Item(
            title=demand.description[:40] + ("…" if len(demand.description) > 40 else ""),
            url=demand.get_absolute_url(),
            meta=f"{demand.unit.name} · {demand.get_source_display()} · "
            f"{demand.received_on:%Y-%m-%d}",
            flag=_("waiting %(n)s days") % {"n": days} if days > WAIT_FLAG_DAYS else "",
        )

    return item


def _open(desk: Desk):
    # Demand.for_user also brings a grid worker the demands at their community's inbox.
    return (
        Demand.objects.for_user(desk.user, Action.LOG_DEMANDS)
        .filter(status=DemandStatus.RECEIVED)
        .select_related("unit")
        .order_by("received_on", "pk")
    )


def _list(**query) -> str:
    return f"{reverse('governance:demand_list')}?{urlencode(query)}"


def local_work(desk: Desk):
    yield Button(_("Log a demand"), reverse("governance:demand_create"))
    demands = _open(desk)
    if desk.role != "grid_worker":
        demands = demands.filter(desk.within())
    yield queue(
        _("Demands awaiting an answer"),
        demands,
        _demand_item(desk),
        _list(status=DemandStatus.RECEIVED),
    )


def street_work(desk: Desk):
    yield Button(_("Record a meeting"), reverse("governance:meeting_create"))
    yield queue(
        _("Demands to route"),
        _open(desk).filter(desk.within(), unit__level=UnitLevel.STREET),
        _demand_item(desk),
        _list(status=DemandStatus.RECEIVED, waiting_at=UnitLevel.STREET),
    )


def register() -> None:
    add_work("grid_worker", local_work, 20)
    add_work("community_worker", local_work, 20)
    add_work("street_official", street_work, 20)
