"""The points supermarket (积分超市): rules that turn verified hours and good deeds into points,
goods with stock, redemptions at the counter, and a ledger entry for every change of points."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AdministrativeUnit, Fact, Tallied, Versioned
from volunteers.models.network import Scoped, UnitScoped
from volunteers.models.people import Volunteer

__all__ = ["Goods", "PointEntry", "PointRule", "Redemption", "StockEntry", "Supermarket"]


@pghistory.track()
class PointRule(Versioned):
    """How many points a verified hour, or one good deed of a kind, earns."""

    class Basis(models.TextChoices):
        HOUR = "hour", _("per verified service hour")
        DEED = "deed", _("per good deed")

    key = models.SlugField(max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices)
    points = models.PositiveIntegerField(_("points"))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["basis", "name"]

    def __str__(self) -> str:
        return self.name


HOURS_RULE = "service_hour"


@pghistory.track()
class Supermarket(Versioned):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=64)
    address = models.CharField(_("address"), max_length=100, blank=True)
    hours = models.CharField(_("opening hours"), max_length=64, blank=True)

    objects = Scoped.as_manager()

    class Meta:
        verbose_name = _("points supermarket")
        verbose_name_plural = _("points supermarkets")
        ordering = ["unit__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:supermarket_detail", kwargs={"pk": self.pk})


class GoodsScoped(Scoped):
    scope_path = "supermarket__unit__path"


@pghistory.track()
class Goods(Versioned):
    supermarket = models.ForeignKey(Supermarket, on_delete=models.CASCADE, related_name="goods")
    name = models.CharField(_("name"), max_length=64)
    points = models.PositiveIntegerField(_("points each"))
    stock = models.IntegerField(_("in stock"), default=0)
    active = models.BooleanField(_("on the shelf"), default=True)

    objects = GoodsScoped.as_manager()

    class Meta:
        verbose_name = _("goods")
        verbose_name_plural = _("goods")
        ordering = ["points", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="%(app_label)s_%(class)s_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(points__gt=0), name="%(app_label)s_%(class)s_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:goods_detail", kwargs={"pk": self.pk})


class Redemption(models.Model):
    supermarket = models.ForeignKey(Supermarket, on_delete=models.PROTECT, related_name="+")
    goods = models.ForeignKey(Goods, verbose_name=_("goods"), on_delete=models.PROTECT)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="redemptions")
    quantity = models.PositiveIntegerField(_("quantity"))
    points = models.PositiveIntegerField(_("points"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.goods_id} × {self.quantity}"


class EntryKind(models.TextChoices):
    HOURS = "hours", _("Verified service hours")
    DEED = "deed", _("Good deed")
    CORRECTION = "correction", _("Correction of hours")
    REDEMPTION = "redemption", _("Redeemed at the counter")


class PointEntry(Tallied):
    """One change of a volunteer's points, with its reason; never edited, never deleted."""

    Kind = EntryKind

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="ledger")
    # Where the points were earned (the activity's unit) or spent (the supermarket's unit).
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    delta = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    reason = models.CharField(_("reason"), max_length=200)
    hours = models.ForeignKey(
        "volunteers.ServiceHours", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redemption = models.ForeignKey(
        Redemption, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The local day of the entry (kept by save()): what figures and lists count it by.
    day = models.DateField(editable=False)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["volunteer", "-at"], name="volunteers_ledger_vol_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0),
                name="%(app_label)s_%(class)s_balance_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.delta:+d}"

    def save(self, *args, **kwargs):
        self.day = timezone.localtime(self.at).date()
        super().save(*args, **kwargs)

    def tally_facts(self) -> list[Fact]:
        day = timezone.localtime(self.at).date()
        if self.kind == EntryKind.REDEMPTION:
            return [Fact(self.unit_id, day, "volunteers.points_redeemed", -self.delta)]
        return [Fact(self.unit_id, day, "volunteers.points_issued", self.delta)]


@pghistory.track(pghistory.InsertEvent())
class StockEntry(models.Model):
    """One change of a goods' stock other than a redemption (redemptions are their own ledger):
    a restock, or a write-off. Written in the same transaction as the conditional update of the
    stock, with the stock it left."""

    class Kind(models.TextChoices):
        RESTOCK = "restock", _("Restock")
        WRITE_OFF = "write_off", _("Write-off")

    goods = models.ForeignKey(Goods, on_delete=models.CASCADE, related_name="stock_entries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    delta = models.IntegerField(_("change"))
    stock_after = models.IntegerField(_("stock after"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("stock entry")
        verbose_name_plural = _("stock entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock_after__gte=0),
                name="%(app_label)s_%(class)s_stock_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(delta=0), name="%(app_label)s_%(class)s_delta_not_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goods_id} {self.delta:+d}"
