"""What care adds to the landing page (core/worklist.py): the open alerts waiting at each level
(the grid at once, the community and the street once an alert climbed to them), the visits due
this week or overdue, and the bracelets to see to."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import MAINTENANCE_KINDS, Alert, AlertLevel, CarePerson, Device
from care.roles import Action
from core.privacy import masked_field
from core.worklist import Button, Desk, Item, add_work, queue

__all__ = ["register"]

LEVEL_OF_ROLE = {
    "grid_worker": AlertLevel.GRID,
    "community_worker": AlertLevel.COMMUNITY,
    "street_official": AlertLevel.STREET,
}


def _alert_item(alert: Alert) -> Item:
    who = masked_field(alert.person, "name") if alert.person else alert.device.serial
    waited = int((timezone.now() - alert.received_at).total_seconds() // 60)
    return Item(
        title=f"{alert.get_kind_display()} · {who}",
        url=alert.get_absolute_url(),
        meta=f"{timezone.localtime(alert.received_at):%m-%d %H:%M} · {alert.unit.name}",
        flag=_("waiting %(n)s min") % {"n": waited},
        action=_("Take"),
        action_url=alert.get_absolute_url(),
    )


def _person_item(today):
    def item(person: CarePerson) -> Item:
        late = (today - person.next_visit_due).days
        return Item(
            title=f"{masked_field(person, 'name')} · {person.kind.name}",
            url=person.get_absolute_url(),
            meta=f"{person.unit.name} · {person.next_visit_due:%m-%d}",
            flag=_("overdue %(n)s days") % {"n": late} if late > 0 else "",
            action=_("Log a visit"),
            action_url=reverse("care:visit_create", kwargs={"pk": person.pk}),
        )

    return item


def alert_work(desk: Desk):
    level = LEVEL_OF_ROLE[desk.role]
    waiting = (
        Alert.objects.for_user(desk.user, Action.CARE_VIEW)
        .filter(desk.within(), acknowledged_at__isnull=True, level__gte=level)
        .exclude(kind__in=MAINTENANCE_KINDS)
        .select_related("person", "device", "unit")
        .order_by("received_at", "pk")
    )
    yield queue(_("Bracelet alerts to take"), waiting, _alert_item, reverse("care:alerts"))


def visit_work(desk: Desk):
    today = desk.today
    due = (
        CarePerson.objects.for_user(desk.user, Action.CARE_KEEP)
        .filter(desk.within(), left_on__isnull=True, next_visit_due__lte=today + timedelta(days=7))
        .select_related("unit", "kind")
        .order_by("next_visit_due", "pk")
    )
    yield queue(
        _("Care visits due this week"),
        due,
        _person_item(today),
        reverse("care:registry") + "?due=week",
    )
    devices = (
        Device.objects.for_user(desk.user, Action.CARE_KEEP)
        .filter(desk.within())
        .exclude(needs_care="")
        .select_related("person", "unit")
        .order_by("needs_care_since")
    )
    yield queue(
        _("Bracelets to see to"),
        devices,
        lambda d: Item(
            title=f"{d.serial} · {d.get_needs_care_display()}",
            url=reverse("care:maintenance"),
            meta=d.unit.name,
        ),
        reverse("care:maintenance"),
    )


def plan_work(desk: Desk):
    yield Button(_("Care plan"), reverse("care:plan"))


def register() -> None:
    for role in LEVEL_OF_ROLE:
        add_work(role, alert_work, 5)
    add_work("grid_worker", visit_work, 6)
    add_work("community_worker", visit_work, 40)
    add_work("district_staff", plan_work, 60)
