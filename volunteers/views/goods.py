"""The points supermarket's goods: its staff put goods on the shelf, change their price,
restock them (or write some off) and retire them. Every change of stock is a ledger line."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    against_version,
    already_submitted,
    save_once,
)
from core.models import StaleVersion
from core.timeline import timeline_for
from volunteers.forms.editing import GoodsEditForm, GoodsForm, RestockForm
from volunteers.models import Goods, Redemption, Supermarket
from volunteers.services.points import goods_add, goods_restock, goods_update, may_redeem_at
from volunteers.views.access import require_any

LEDGER_LIMIT = 100


def _shop(request, pk: int) -> Supermarket:
    require_any(request)
    return get_object_or_404(
        Supermarket.objects.for_user(request.user).select_related("unit"), pk=pk
    )


def _goods(request, pk: int) -> Goods:
    require_any(request)
    return get_object_or_404(
        Goods.objects.for_user(request.user).select_related("supermarket", "supermarket__unit"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def goods_new(request: HttpRequest, pk: int) -> HttpResponse:
    shop = _shop(request, pk)
    if not may_redeem_at(request.user, shop):
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = GoodsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            goods, done = save_once(
                request,
                key,
                lambda: goods_add(by=request.user, supermarket=shop, **data),
                "volunteers:supermarkets",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Goods put on the shelf."))
            return redirect(goods.get_absolute_url())
    return render(request, "volunteers/goods_new.html", {"form": form, "shop": shop})


def _ledger(goods: Goods) -> list[dict]:
    """Restocks, write-offs and redemptions, newest first."""
    lines = [
        {
            "at": e.at,
            "kind": e.get_kind_display(),
            "delta": e.delta,
            "after": e.stock_after,
            "note": e.note,
            "by": str(e.by),
        }
        for e in goods.stock_entries.select_related("by")[:LEDGER_LIMIT]
    ]
    lines += [
        {"at": r.at, "kind": _("Redemption"), "delta": -r.quantity, "after": None,
         "note": str(r.volunteer), "by": str(r.by)}
        for r in Redemption.objects.filter(goods=goods)
        .select_related("volunteer", "by")
        .order_by("-at", "-id")[:LEDGER_LIMIT]
    ]  # fmt: skip
    lines.sort(key=lambda line: line["at"], reverse=True)
    return lines[:LEDGER_LIMIT]


def _context(request, goods: Goods, **extra) -> dict:
    editable = may_redeem_at(request.user, goods.supermarket)
    initial = {
        "version": goods.version,
        "name": goods.name,
        "points": goods.points,
        "active": goods.active,
    }
    return {
        "goods": goods,
        "shop": goods.supermarket,
        "editable": editable,
        "edit_form": extra.get("edit_form") or GoodsEditForm(initial=initial, auto_id="edit_%s"),
        "restock_form": extra.get("restock_form") or RestockForm(auto_id="restock_%s"),
        "conflict": extra.get("conflict"),
        "ledger": _ledger(goods),
        "timeline": timeline_for(goods),
    }


@require_http_methods(["GET", "POST"])
def goods_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The goods' page; its edit form (name, price, on the shelf or retired) posts here."""
    goods = _goods(request, pk)
    if request.method == "GET":
        return render(request, "volunteers/goods_detail.html", _context(request, goods))
    if not may_redeem_at(request.user, goods.supermarket):
        raise Http404
    form = GoodsEditForm(request.POST, auto_id="edit_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            goods_update(by=request.user, goods=goods, version=version, **data)
        except StaleVersion as stale:
            posted = against_version(request.POST, stale.current)
            form = GoodsEditForm(posted, auto_id="edit_%s")
            form.is_valid()
            context = _context(request, stale.current, edit_form=form, conflict=stale.current)
            return render(request, "volunteers/goods_detail.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Goods saved."))
            return redirect(goods.get_absolute_url())
    context = _context(request, goods, edit_form=form)
    return render(request, "volunteers/goods_detail.html", context)


@require_POST
def goods_restock_view(request: HttpRequest, pk: int) -> HttpResponse:
    goods = _goods(request, pk)
    if not may_redeem_at(request.user, goods.supermarket):
        raise Http404
    back = goods.get_absolute_url() + "#stock"
    if already_submitted(request):
        return redirect(back)
    form = RestockForm(request.POST, auto_id="restock_%s")
    if form.is_valid():
        key = form.cleaned_data["submission_key"]
        try:
            entry, repeat = save_once(
                request,
                key,
                lambda: goods_restock(
                    by=request.user,
                    goods=goods,
                    delta=form.cleaned_data["delta"],
                    note=form.cleaned_data["note"],
                ),
                back,
                result=lambda _entry: back,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if repeat:
                return redirect(repeat)
            messages.success(
                request,
                _("Stock changed by %(delta)+d; %(n)s now in stock.")
                % {"delta": entry.delta, "n": entry.stock_after},
            )
            return redirect(back)
    goods.refresh_from_db()
    context = _context(request, goods, restock_form=form)
    return render(request, "volunteers/goods_detail.html", context)
