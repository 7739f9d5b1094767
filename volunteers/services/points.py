"""Points: every change is a ledger entry with its reason, and a balance never goes below zero.

The balance lives on the volunteer's row and is changed by one conditional UPDATE
(`... WHERE points_balance + delta >= 0`): two redemptions at the same moment queue on the row
lock, and the second sees the first's result, so exactly one succeeds when points suffice for one.

At the counter a volunteer is found by the full number of the ID card they show, never by their
record number: the lookup hands out a card (`counter_card`), signed and short-lived, bound to the
volunteer, the supermarket and the staff member, and the counter's page and its forms carry it.
"""

from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

import pghistory
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.models import may
from volunteers.models import (
    HOURS_RULE,
    EntryKind,
    Goods,
    PointEntry,
    PointRule,
    Redemption,
    StockEntry,
    Supermarket,
    Volunteer,
)
from volunteers.roles import Action

__all__ = [
    "CARD_LIFETIME",
    "card_holder",
    "counter_card",
    "deed_award",
    "goods_add",
    "goods_redeem",
    "goods_restock",
    "goods_update",
    "may_redeem_at",
    "points_change",
    "points_for_hours",
]


def points_for_hours(hours: Decimal | None) -> int:
    if not hours:
        return 0
    rule = PointRule.objects.filter(key=HOURS_RULE, active=True).first()
    if rule is None:
        return 0
    return int((Decimal(hours) * rule.points).to_integral_value(ROUND_DOWN))


def points_change(
    *, volunteer_id: int, delta: int, kind: str, reason: str, unit_id: int, by=None, **links
) -> PointEntry:
    """Inside the caller's transaction: move the balance by delta, or refuse if it would go
    below zero; write the ledger entry."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE volunteers_volunteer SET points_balance = points_balance + %s
            WHERE id = %s AND points_balance + %s >= 0
            RETURNING points_balance
            """,
            [delta, volunteer_id, delta],
        )
        row = cursor.fetchone()
    if row is None:
        balance = Volunteer.objects.filter(pk=volunteer_id).values_list("points_balance", flat=True)
        raise ValidationError(
            _("Not enough points: the balance is %(balance)s, this needs %(needed)s.")
            % {"balance": balance.first() or 0, "needed": -delta}
        )
    entry = PointEntry(
        volunteer_id=volunteer_id,
        unit_id=unit_id,
        kind=kind,
        delta=delta,
        balance_after=row[0],
        reason=reason[:200],
        by=by,
        **links,
    )
    entry.save()
    return entry


def _at_counter(reason: str, supermarket: Supermarket) -> dict:
    """History context of a change made at a counter: it names the supermarket, whose unit may be
    far from the volunteer's own."""
    return {"reason": f"{reason}: {supermarket.name}", "supermarket": supermarket.pk}


def deed_award(*, by, volunteer: Volunteer, rule: PointRule, supermarket: Supermarket, note: str):
    """Points for a good deed (见义勇为, 垃圾分类 ...), by the rule's fixed amount, at a counter."""
    unit = supermarket.unit
    if not (may(by, Action.MANAGE_VOLUNTEERS, unit) or may(by, Action.REDEEM_POINTS, unit)):
        raise PermissionDenied
    if rule.basis != PointRule.Basis.DEED or not rule.active:
        raise ValidationError({"rule": _("Choose a rule for good deeds that is in use.")})
    with (
        transaction.atomic(),
        pghistory.context(user=by.pk, **_at_counter("deed_award", supermarket)),
    ):
        return points_change(
            volunteer_id=volunteer.pk,
            delta=rule.points,
            kind=EntryKind.DEED,
            reason=f"{rule.name}：{note}".rstrip("："),
            unit_id=unit.pk,
            by=by,
        )


def may_redeem_at(user, supermarket: Supermarket) -> bool:
    return may(user, Action.REDEEM_POINTS, supermarket.unit)


CARD_LIFETIME = timedelta(minutes=15)
_CARD_SALT = "volunteers.counter_card"


def counter_card(*, by, supermarket: Supermarket, volunteer: Volunteer) -> str:
    """What the full-ID lookup hands the counter: the volunteer, for this staff member at this
    supermarket, for CARD_LIFETIME."""
    return signing.TimestampSigner(salt=_CARD_SALT).sign_object(
        [volunteer.pk, supermarket.pk, by.pk]
    )


def card_holder(card: str, *, by, supermarket: Supermarket) -> Volunteer:
    """The volunteer of a card read at this counter by this staff member; a missing, forged,
    expired or someone else's card is refused: the ID card is to be scanned again."""
    try:
        volunteer_pk, supermarket_pk, user_pk = signing.TimestampSigner(
            salt=_CARD_SALT
        ).unsign_object(card, max_age=CARD_LIFETIME)
    except signing.SignatureExpired:
        raise ValidationError(
            _("The ID card was read more than %(minutes)s minutes ago: scan it again.")
            % {"minutes": int(CARD_LIFETIME.total_seconds() // 60)}
        ) from None
    except (signing.BadSignature, TypeError, ValueError):
        volunteer_pk = supermarket_pk = user_pk = None
    volunteer = None
    if (supermarket_pk, user_pk) == (supermarket.pk, by.pk):
        volunteer = Volunteer.objects.select_related("unit").filter(pk=volunteer_pk).first()
    if volunteer is None:
        raise ValidationError(
            _("The volunteer's ID card has not been read at this counter: scan it again.")
        )
    return volunteer


def goods_redeem(
    *, by, supermarket: Supermarket, volunteer: Volunteer, goods: Goods, quantity: int
) -> Redemption:
    """Take the goods off the stock and the points off the balance, in one transaction; if
    either is short, nothing changes."""
    if not may_redeem_at(by, supermarket):
        raise PermissionDenied
    if goods.supermarket_id != supermarket.pk:
        raise ValidationError({"goods": _("These goods are not sold here.")})
    if quantity < 1:
        raise ValidationError({"quantity": _("Redeem at least one.")})
    with (
        transaction.atomic(),
        pghistory.context(user=by.pk, **_at_counter("goods_redeem", supermarket)),
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE volunteers_goods SET stock = stock - %s, version = version + 1
                WHERE id = %s AND active AND stock >= %s
                RETURNING points
                """,
                [quantity, goods.pk, quantity],
            )
            row = cursor.fetchone()
        if row is None:
            left = Goods.objects.filter(pk=goods.pk).values_list("stock", flat=True).first()
            raise ValidationError(
                {
                    "quantity": _("Only %(n)s left in stock.") % {"n": left or 0}
                    if left is not None
                    else _("These goods are not on the shelf.")
                }
            )
        cost = row[0] * quantity
        redemption = Redemption.objects.create(
            supermarket=supermarket,
            goods=goods,
            volunteer=volunteer,
            quantity=quantity,
            points=cost,
            by=by,
        )
        try:
            points_change(
                volunteer_id=volunteer.pk,
                delta=-cost,
                kind=EntryKind.REDEMPTION,
                reason=f"{supermarket.name}：{goods.name} × {quantity}",
                unit_id=supermarket.unit_id,
                by=by,
                redemption=redemption,
            )
        except ValidationError as error:
            raise ValidationError({"quantity": error.messages}) from None
    return redemption


def goods_add(*, by, supermarket: Supermarket, name: str, points: int, stock: int = 0) -> Goods:
    """New goods on the shelf; the first stock is a restock entry, so the stock's ledger is
    complete from the start."""
    if not may_redeem_at(by, supermarket):
        raise PermissionDenied
    if supermarket.goods.filter(name=name, active=True).exists():
        raise ValidationError({"name": _("Goods of this name are already on the shelf.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="goods_add"):
        goods = Goods.objects.create(supermarket=supermarket, name=name, points=points, stock=0)
        if stock:
            goods_restock(by=by, goods=goods, delta=stock, note=_("First stock"))
            goods.refresh_from_db()
    return goods


def goods_update(*, by, goods: Goods, version: int, **fields) -> Goods:
    """Name, price (points each), on the shelf or retired: against the version the form was
    opened at (StaleVersion otherwise). A redemption or restock moves the version too, so a
    price decided on an old stock is asked again."""
    if not may_redeem_at(by, goods.supermarket):
        raise PermissionDenied
    name = fields.get("name")
    if name and (
        Goods.objects.filter(supermarket_id=goods.supermarket_id, name=name, active=True)
        .exclude(pk=goods.pk)
        .exists()
    ):
        raise ValidationError({"name": _("Goods of this name are already on the shelf.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="goods_update"):
        current = Goods.lock_at_version(goods.pk, version)
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
    return current


def goods_restock(*, by, goods: Goods, delta: int, note: str = "") -> StockEntry:
    """Add stock (or write some off, with a negative delta) by one conditional UPDATE, as a
    redemption takes it: a restock and a redemption at the same moment are both counted, and
    the stock never goes below zero."""
    if not may_redeem_at(by, goods.supermarket):
        raise PermissionDenied
    if not delta:
        raise ValidationError({"delta": _("Enter a change other than zero.")})
    with transaction.atomic(), pghistory.context(user=by.pk, reason="goods_restock"):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE volunteers_goods SET stock = stock + %s, version = version + 1
                WHERE id = %s AND stock + %s >= 0
                RETURNING stock
                """,
                [delta, goods.pk, delta],
            )
            row = cursor.fetchone()
        if row is None:
            left = Goods.objects.filter(pk=goods.pk).values_list("stock", flat=True).first()
            raise ValidationError(
                {
                    "delta": _("Only %(n)s in stock: that many can be written off at most.")
                    % {"n": left or 0}
                }
            )
        return StockEntry.objects.create(
            goods=goods,
            kind=StockEntry.Kind.RESTOCK if delta > 0 else StockEntry.Kind.WRITE_OFF,
            delta=delta,
            stock_after=row[0],
            note=note[:100],
            by=by,
        )
