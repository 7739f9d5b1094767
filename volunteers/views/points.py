"""The points supermarket counter: find the volunteer by the ID card they show, redeem goods,
award points for good deeds; the volunteer's statement; the rules."""

from urllib.parse import urlencode

import pghistory
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import (
    add_service_errors,
    already_submitted,
    save_once,
)
from core.models import StaleVersion, units_for
from volunteers.forms.volunteers import CounterLookupForm, DeedForm, RedeemForm, RuleForm
from volunteers.models import PointRule, Redemption, Supermarket, Volunteer
from volunteers.roles import Action
from volunteers.services.points import (
    card_holder,
    counter_card,
    deed_award,
    goods_redeem,
    may_redeem_at,
)
from volunteers.views.access import require_any, volunteer_row


def supermarket_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    shops = Supermarket.objects.for_user(request.user).select_related("unit")
    if shops.count() == 1:
        return redirect(shops.first())
    return render(request, "volunteers/supermarket_list.html", {"shops": shops})


def _shop(request, pk: int) -> Supermarket:
    require_any(request)
    return get_object_or_404(
        Supermarket.objects.for_user(request.user).select_related("unit"), pk=pk
    )


def _counter_context(request, shop: Supermarket, volunteer=None, card="", **forms) -> dict:
    counter = may_redeem_at(request.user, shop)
    context = {
        "shop": shop,
        "goods": shop.goods.all(),
        "counter": counter,
        "lookup": forms.get("lookup") or CounterLookupForm(auto_id="lookup_%s"),
        "volunteer": volunteer_row(volunteer) if volunteer else None,
        "redemptions": Redemption.objects.filter(supermarket=shop).select_related(
            "goods", "volunteer"
        )[:20],
    }
    if volunteer is not None and counter:
        context["redeem_form"] = forms.get("redeem_form") or RedeemForm(
            supermarket=shop, initial={"card": card}, auto_id="redeem_%s"
        )
        context["deed_form"] = forms.get("deed_form") or DeedForm(
            initial={"card": card}, auto_id="deed_%s"
        )
        context["statement"] = volunteer.ledger.all()[:10]
    context["recent"] = [
        {
            "name": str(r.volunteer),
            "goods": r.goods.name,
            "quantity": r.quantity,
            "points": r.points,
            "at": r.at,
        }
        for r in context.pop("redemptions")
    ]
    return context


def _with_card(shop: Supermarket, card: str) -> str:
    return f"{shop.get_absolute_url()}?{urlencode({'card': card})}"


def _scan_again(request, shop: Supermarket, refused: ValidationError, status: int = 200):
    """The counter without a volunteer, the card's refusal next to the ID number to scan."""
    lookup = CounterLookupForm(auto_id="lookup_%s")
    # An unbound form has no cleaned data for add_error; its (empty) errors take the message.
    lookup.errors["id_number"] = lookup.error_class(refused.messages)
    context = _counter_context(request, shop, None, lookup=lookup)
    return render(request, "volunteers/supermarket.html", context, status=status)


def supermarket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shop = _shop(request, pk)
    card = request.GET.get("card")
    if card is not None and may_redeem_at(request.user, shop):
        try:
            volunteer = card_holder(card, by=request.user, supermarket=shop)
        except ValidationError as refused:
            return _scan_again(request, shop, refused)
        context = _counter_context(request, shop, volunteer, card)
    else:
        context = _counter_context(request, shop)
    return render(request, "volunteers/supermarket.html", context)


@require_POST
def counter_find(request: HttpRequest, pk: int) -> HttpResponse:
    """At the counter a volunteer shows their ID card: the full number finds them anywhere in
    the district (points are district-wide). The number is posted, never put in an address
    (addresses end up in logs and history); the address carries the counter's card instead."""
    shop = _shop(request, pk)
    if not may_redeem_at(request.user, shop):
        raise Http404
    lookup = CounterLookupForm(request.POST, auto_id="lookup_%s")
    if lookup.is_valid():
        volunteer = Volunteer.objects.filter(id_number=lookup.cleaned_data["id_number"]).first()
        if volunteer is not None:
            card = counter_card(by=request.user, supermarket=shop, volunteer=volunteer)
            return redirect(_with_card(shop, card))
        lookup.add_error("id_number", _("No volunteer is registered with this ID number."))
    context = _counter_context(request, shop, None, lookup=lookup)
    return render(request, "volunteers/supermarket.html", context)


@require_POST
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    shop = _shop(request, pk)
    if not may_redeem_at(request.user, shop):
        raise Http404
    if done := already_submitted(request):
        return redirect(done)
    card = request.POST.get("card", "")
    try:
        volunteer = card_holder(card, by=request.user, supermarket=shop)
    except ValidationError as refused:
        return _scan_again(request, shop, refused, status=400)
    form = RedeemForm(request.POST, supermarket=shop, auto_id="redeem_%s")
    back = _with_card(shop, card)
    if form.is_valid():
        key = form.cleaned_data["submission_key"]
        try:
            redemption, done = save_once(
                request,
                key,
                lambda: goods_redeem(
                    by=request.user,
                    supermarket=shop,
                    volunteer=volunteer,
                    goods=form.cleaned_data["goods"],
                    quantity=form.cleaned_data["quantity"],
                ),
                back,
                result=lambda _redemption: back,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if done:
                return redirect(done)
            messages.success(
                request,
                _("Redeemed %(goods)s × %(n)s for %(points)s points.")
                % {
                    "goods": redemption.goods.name,
                    "n": redemption.quantity,
                    "points": redemption.points,
                },
            )
            return redirect(back)
    volunteer.refresh_from_db()
    context = _counter_context(request, shop, volunteer, card, redeem_form=form)
    return render(request, "volunteers/supermarket.html", context)


@require_POST
def deed(request: HttpRequest, pk: int) -> HttpResponse:
    shop = _shop(request, pk)
    if not may_redeem_at(request.user, shop):
        raise Http404
    if done := already_submitted(request):
        return redirect(done)
    card = request.POST.get("card", "")
    try:
        volunteer = card_holder(card, by=request.user, supermarket=shop)
    except ValidationError as refused:
        return _scan_again(request, shop, refused, status=400)
    form = DeedForm(request.POST, auto_id="deed_%s")
    back = _with_card(shop, card)
    if form.is_valid():
        key = form.cleaned_data["submission_key"]
        try:
            _award, done = save_once(
                request,
                key,
                lambda: deed_award(
                    by=request.user,
                    volunteer=volunteer,
                    rule=form.cleaned_data["rule"],
                    supermarket=shop,
                    note=form.cleaned_data["note"],
                ),
                back,
                result=lambda _award: back,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Points awarded."))
            return redirect(back)
    context = _counter_context(request, shop, volunteer, card, deed_form=form)
    return render(request, "volunteers/supermarket.html", context)


def statement(request: HttpRequest, pk: int) -> HttpResponse:
    require_any(request)
    volunteer = get_object_or_404(
        Volunteer.objects.for_user(request.user).select_related("unit"), pk=pk
    )
    return render(
        request,
        "volunteers/statement.html",
        {
            "volunteer": volunteer,
            "row": volunteer_row(volunteer),
            "ledger": volunteer.ledger.select_related("by")[:1000],
        },
    )


def _may_edit_rules(request) -> bool:
    return units_for(request, Action.MANAGE_VOLUNTEERS).filter(level="district").exists()


@require_http_methods(["GET", "POST"])
def rule_list(request: HttpRequest) -> HttpResponse:
    require_any(request)
    editable = _may_edit_rules(request)
    rules = list(PointRule.objects.all())
    forms = {
        r.pk: RuleForm(
            initial={"version": r.version, "points": r.points, "active": r.active},
            auto_id=f"rule{r.pk}_%s",
        )
        for r in rules
    }
    status = 200
    conflict = None
    if request.method == "POST":
        if not editable:
            raise Http404
        rule_pk = request.POST.get("rule", "")
        if not rule_pk.isdigit():
            raise Http404
        rule = get_object_or_404(PointRule, pk=int(rule_pk))
        form = RuleForm(request.POST, auto_id=f"rule{rule.pk}_%s")
        forms[rule.pk] = form
        if form.is_valid():
            try:
                with (
                    transaction.atomic(),
                    pghistory.context(user=request.user.pk, reason="rule_edit"),
                ):
                    current = PointRule.lock_at_version(rule.pk, form.cleaned_data["version"])
                    current.points = form.cleaned_data["points"]
                    current.active = form.cleaned_data["active"]
                    current.save()
            except StaleVersion as stale:
                conflict = stale.current
                status = 409
            else:
                messages.success(request, _("Rule saved."))
                return redirect("volunteers:rules")
    context = {
        "rows": [(r, forms[r.pk]) for r in rules],
        "editable": editable,
        "conflict": conflict,
    }
    return render(request, "volunteers/rules.html", context, status=status)
