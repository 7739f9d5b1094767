from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.accounts import AccountCreateForm, AccountEditForm, MembershipForm
from core.forms.base import (
    add_service_errors,
    already_submitted,
    save_once,
)
from core.models import AdministrativeUnit, Membership, StaleVersion
from core.privacy import masked_field
from core.roles import Action
from core.services.accounts import (
    account_create,
    account_update,
    membership_grant,
    membership_revoke,
)
from core.timeline import timeline_for

__all__ = ["account_list", "account_create_view", "account_detail", "membership_revoke_view"]


def _manageable_units(request):
    return AdministrativeUnit.objects.for_user(request.user, Action.MANAGE_ACCOUNTS).active()


def _account_for_user(request, pk: int):
    return get_object_or_404(
        get_user_model().objects.for_user(request.user, Action.MANAGE_ACCOUNTS), pk=pk
    )


def account_list(request: HttpRequest) -> HttpResponse:
    accounts = (
        get_user_model()
        .objects.for_user(request.user, Action.MANAGE_ACCOUNTS)
        .prefetch_related("memberships__unit")
        .order_by("username")
    )
    if not _manageable_units(request).exists():
        from django.http import Http404

        raise Http404
    rows = [{"account": a, "phone": masked_field(a, "phone")} for a in accounts]
    return render(request, "core/account_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def account_create_view(request: HttpRequest) -> HttpResponse:
    units = _manageable_units(request)
    if not units.exists():
        from django.http import Http404

        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = AccountCreateForm(request.POST or None, units=units, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data.pop("submission_key")
        try:
            account, done = save_once(
                request,
                key,
                lambda: account_create(by=request.user, **data),
                "governance:account_list",
                result=lambda account: reverse("governance:account_detail", args=[account.pk]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            return redirect("governance:account_detail", pk=account.pk)
    return render(request, "core/account_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for_user(request, pk)
    units = _manageable_units(request)
    initial = {"version": account.version, "is_active": account.is_active}
    edit_form = AccountEditForm(initial=initial, account=account, stored=account)
    grant_form = MembershipForm(units=units, manager=request.user)
    conflict = None
    if request.method == "POST" and request.POST.get("form") == "edit":
        edit_form = AccountEditForm(request.POST, account=account, stored=account)
        if edit_form.is_valid():
            try:
                account_update(by=request.user, account=account, **edit_form.cleaned_data)
            except StaleVersion as stale:
                conflict = stale.current
                edit_form = AccountEditForm(
                    initial={
                        **edit_form.cleaned_data,
                        "version": stale.current.version,
                        "new_password": "",
                    },
                    account=account,
                    stored=stale.current,
                )
            else:
                return redirect("governance:account_detail", pk=account.pk)
    elif request.method == "POST" and request.POST.get("form") == "grant":
        grant_form = MembershipForm(request.POST, units=units, manager=request.user)
        if grant_form.is_valid():
            try:
                membership_grant(by=request.user, account=account, **grant_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(grant_form, error)
            else:
                return redirect("governance:account_detail", pk=account.pk)
    memberships = account.memberships.select_related("unit")
    in_scope = set(
        Membership.objects.for_user(request.user, Action.MANAGE_ACCOUNTS).values_list(
            "pk", flat=True
        )
    )
    context = {
        "account": account,
        "phone": masked_field(account, "phone"),
        "memberships": [(m, m.pk in in_scope) for m in memberships],
        "edit_form": edit_form,
        "grant_form": grant_form,
        "conflict": conflict,
        "conflict_phone": masked_field(conflict, "phone") if conflict else "",
        "timeline": timeline_for(account, related=True),
    }
    return render(
        request,
        "core/account_detail.html",
        context,
        status=409 if conflict is not None else 200,
    )


@require_POST
def membership_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.for_user(request.user, Action.MANAGE_ACCOUNTS).select_related("unit"),
        pk=pk,
    )
    account_pk = membership.user_id
    try:
        membership_revoke(by=request.user, membership=membership)
    except ValidationError as error:
        from django.contrib import messages

        messages.error(request, " ".join(error.messages))
    return redirect("governance:account_detail", pk=account_pk)
