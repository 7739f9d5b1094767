"""What volunteers adds to the landing page (core/worklist.py): a team leader's coming activities
and the hours still to record; the hours an organising unit has to verify; the points counter
and its latest redemptions for the supermarket's staff."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.privacy import mask
from core.worklist import Button, Desk, Item, add_work, queue
from volunteers.models import Activity, HoursStatus, Redemption, Supermarket
from volunteers.roles import Action
from volunteers.services.activities import teams_to_log_for

__all__ = ["register"]


def _activity_item(count_label: str = "", action: str = "", anchor: str = ""):
    def item(activity: Activity) -> Item:
        starts = timezone.localtime(activity.starts_at)
        meta = f"{starts:%Y-%m-%d %H:%M} · {activity.place} · {activity.unit.name}"
        if count_label:
            meta = f"{meta} · {count_label % {'n': activity.waiting}}"
        url = activity.get_absolute_url()
        return Item(
            title=activity.title,
            url=url,
            meta=meta,
            action=action,
            action_url=f"{url}{anchor}" if action else "",
        )

    return item


def _activities(desk: Desk, action: str):
    return Activity.objects.for_user(desk.user, action).filter(desk.within()).select_related("unit")


def leader_work(desk: Desk):
    if teams_to_log_for(desk.user).exists():
        yield Button(_("Log an activity"), reverse("volunteers:activity_create"))
    now = timezone.now()
    activities = _activities(desk, Action.RECORD_SERVICE)
    yield queue(
        _("Coming activities"),
        activities.filter(starts_at__gte=now).order_by("starts_at", "pk"),
        _activity_item(),
        reverse("volunteers:activities"),
    )
    to_record = (
        activities.filter(ends_at__lt=now)
        .annotate(waiting=Count("hours", filter=Q(hours__status=HoursStatus.SIGNED_UP)))
        .filter(waiting__gt=0)
        .order_by("-starts_at", "-pk")
    )
    yield queue(
        _("Hours to record"),
        to_record,
        _activity_item(_("%(n)s volunteers without hours"), _("Record hours"), "#hours"),
        reverse("volunteers:activities"),
    )


def verify_work(desk: Desk):
    to_verify = (
        _activities(desk, Action.VERIFY_HOURS)
        .annotate(waiting=Count("hours", filter=Q(hours__status=HoursStatus.RECORDED)))
        .filter(waiting__gt=0)
        .order_by("starts_at", "pk")
    )
    yield queue(
        _("Volunteer hours to verify"),
        to_verify,
        _activity_item(_("%(n)s entries to verify"), _("Verify"), "#hours"),
        reverse("volunteers:activities"),
    )


def counter_work(desk: Desk):
    shops = list(
        Supermarket.objects.for_user(desk.user, Action.REDEEM_POINTS)
        .filter(desk.within())
        .order_by("pk")[:3]
    )
    for shop in shops:
        yield Button(_("Counter: %(name)s") % {"name": shop.name}, shop.get_absolute_url())

    def item(redemption: Redemption) -> Item:
        return Item(
            title=f"{redemption.goods.name} × {redemption.quantity}",
            meta=f"{timezone.localtime(redemption.at):%m-%d %H:%M} · "
            f"{mask(redemption.volunteer.name, 'name')} · "
            + _("%(n)s points")
            % {"n": redemption.points},
        )

    recent = (
        Redemption.objects.filter(supermarket__in=shops)
        .select_related("goods", "volunteer")
        .order_by("-at", "-pk")
    )
    yield queue(_("Latest redemptions"), recent, item, waiting=False)


def register() -> None:
    add_work("volunteer_leader", leader_work, 10)
    add_work("street_official", verify_work, 30)
    add_work("community_worker", verify_work, 30)
    add_work("points_staff", counter_work, 10)
