"""What disputes adds to the landing page (core/worklist.py): the buttons to log a dispute or a
hazard, and the cases and hazards that wait."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.worklist import Button, Desk, Item, add_work, overdue_first, queue
from disputes.forms.disputes import DIRECT, ESCALATED, OPEN
from disputes.models import DisputeCase, HandlingLevel, Hazard
from disputes.models.disputes import OPEN_DAYS_FLAG
from disputes.roles import Action

__all__ = ["register"]


def _list(name: str, **query) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _days(n: int) -> str:
    return _("%(n)s days") % {"n": n}


def _case_item(desk: Desk):
    def item(case: DisputeCase) -> Item:
        days = (desk.today - case.received_on).days
        return Item(
            title=f"{case.category.name} · {case.unit.name}",
            url=case.get_absolute_url(),
            meta=f"{case.number} · {case.get_status_display()} · {case.received_on:%Y-%m-%d}",
            flag=_("open %(days)s") % {"days": _days(days)} if days > OPEN_DAYS_FLAG else "",
        )

    return item


def _hazard_item(desk: Desk):
    def item(hazard: Hazard) -> Item:
        late = (desk.today - hazard.deadline).days
        return Item(
            title=str(hazard),
            url=hazard.get_absolute_url(),
            meta=_("%(unit)s · rectify by %(day)s")
            % {"unit": hazard.unit.name, "day": f"{hazard.deadline:%Y-%m-%d}"},
            flag=_("overdue %(days)s") % {"days": _days(late)} if late > 0 else "",
            action=_("Record the rectification"),
            action_url=f"{hazard.get_absolute_url()}#rectify",
        )

    return item


def _cases(desk: Desk):
    return (
        DisputeCase.objects.for_user(desk.user, Action.VIEW)
        .filter(desk.within())
        .select_related("unit", "category")
    )


def _open_hazards(desk: Desk):
    hazards = Hazard.objects.for_user(desk.user).counted()
    hazards = hazards.filter(desk.within(), rectified_on__isnull=True).select_related("unit")
    return hazards.order_by("deadline", "pk")


def _report_item(hazard: Hazard) -> Item:
    return Item(
        title=str(hazard),
        url=hazard.get_absolute_url(),
        meta=_("%(unit)s · reported %(day)s")
        % {"unit": hazard.unit.name, "day": f"{hazard.found_on:%Y-%m-%d}"},
        action=_("Check the report"),
        action_url=f"{hazard.get_absolute_url()}#verify",
    )


def local_work(desk: Desk):
    """Grid and community workers: log what they find; their open cases and hazards."""
    yield Button(_("Report a hazard"), reverse("governance:hazard_create"))
    yield Button(_("Log a dispute"), reverse("governance:case_create"))
    cutoff = desk.today - timedelta(days=OPEN_DAYS_FLAG)
    cases = overdue_first(_cases(desk).open(), Q(received_on__lt=cutoff), "received_on")
    yield queue(
        _("Open dispute cases"),
        cases,
        _case_item(desk),
        _list("governance:case_list", status=OPEN),
    )
    yield queue(
        _("Hazards residents reported, to check"),
        Hazard.objects.for_user(desk.user)
        .unverified()
        .filter(desk.within())
        .select_related("unit")
        .order_by("found_on", "pk"),
        _report_item,
        _list("governance:hazard_list", state="unverified"),
    )
    yield queue(
        _("Hazards not yet rectified"),
        _open_hazards(desk),
        _hazard_item(desk),
        _list("governance:hazard_list", state="open"),
    )


def street_work(desk: Desk):
    """Street officials: cases waiting at the street, escalations in, long-open cases, hazards
    past their deadline."""
    yield Button(_("Log a dispute"), reverse("governance:case_create"))
    at_street = _cases(desk).open().filter(handling_level=HandlingLevel.STREET)
    item = _case_item(desk)
    yield queue(
        _("Escalated to the street"),
        at_street.escalated().order_by("received_on", "pk"),
        item,
        _list("governance:case_list", status=OPEN, handled_at="street", arrived=ESCALATED),
    )
    yield queue(
        _("Cases waiting at the street"),
        at_street.exclude(pk__in=at_street.escalated().values("pk")).order_by("received_on", "pk"),
        item,
        _list("governance:case_list", status=OPEN, handled_at="street", arrived=DIRECT),
    )
    yield queue(
        _("Cases open more than 30 days"),
        _cases(desk).overdue(desk.today).order_by("received_on", "pk"),
        item,
        _list("governance:case_list", overdue="on"),
    )
    yield queue(
        _("Hazards past their deadline"),
        _open_hazards(desk).filter(deadline__lt=desk.today),
        _hazard_item(desk),
        _list("governance:hazard_list", state="overdue"),
    )


def register() -> None:
    add_work("grid_worker", local_work, 10)
    add_work("community_worker", local_work, 10)
    add_work("street_official", street_work, 10)
