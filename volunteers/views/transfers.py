"""Transfers: ask for a volunteer registered elsewhere (by full ID number); the requests waiting
for your decision, with approve and refuse; the requests your units have sent."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms.base import add_service_errors, against_version, already_submitted, save_once
from core.models import AdministrativeUnit, StaleVersion
from core.privacy import masked_field
from volunteers.forms.transfers import TransferDecisionForm, TransferRequestForm
from volunteers.models import Transfer
from volunteers.roles import Action
from volunteers.services.transfers import transfer_decide, transfer_request, transfer_units

SHOWN = 50


def _decision_form(transfer: Transfer, data=None) -> TransferDecisionForm:
    return TransferDecisionForm(
        data, initial={"version": transfer.version}, auto_id=f"transfer{transfer.pk}_%s"
    )


def _context(request, *, form=None, bound=None, conflict=None) -> dict:
    """The page: the request form, what waits for the user's decision (each with its own form;
    `bound` is the one just posted), and what their units asked for. Requesting units see the
    person's masked ID number only: where the person is registered is not theirs to know."""
    deciding = Transfer.objects.for_user(request.user, Action.MANAGE_VOLUNTEERS).select_related(
        "volunteer__unit", "to_unit", "requested_by"
    )
    pending = []
    for transfer in deciding.filter(status=Transfer.Status.PENDING)[:SHOWN]:
        decision = bound if bound is not None and bound[0] == transfer.pk else None
        pending.append(
            {
                "transfer": transfer,
                "name": masked_field(transfer.volunteer, "name"),
                "id_number": masked_field(transfer.volunteer, "id_number"),
                "form": decision[1] if decision else _decision_form(transfer),
            }
        )
    units = AdministrativeUnit.objects.for_user(request.user, Action.MANAGE_VOLUNTEERS)
    sent = [
        {"transfer": t, "id_number": masked_field(t.volunteer, "id_number")}
        for t in Transfer.objects.filter(to_unit__in=units)
        .select_related("volunteer", "to_unit")
        .order_by("-requested_at", "-pk")[:SHOWN]
    ]
    # Decided: by where the volunteer was (an approved one's volunteer is no longer theirs).
    decided = (
        Transfer.objects.filter(from_unit__in=units)
        .select_related("volunteer", "from_unit", "to_unit", "decided_by")
        .order_by("-decided_at", "-pk")[:SHOWN]
    )
    return {
        # Someone can be registered outside the user's units only if a unit lies outside them.
        "can_ask": AdministrativeUnit.objects.active().exclude(pk__in=units).exists(),
        "form": form or TransferRequestForm(units=transfer_units(request.user)),
        "pending": pending,
        "sent": sent,
        "decided": [{"transfer": t, "name": masked_field(t.volunteer, "name")} for t in decided],
        "conflict": conflict,
    }


@require_http_methods(["GET", "POST"])
def transfer_list(request: HttpRequest) -> HttpResponse:
    units = transfer_units(request.user)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = TransferRequestForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer, done = save_once(
                request,
                data["submission_key"],
                lambda: transfer_request(
                    by=request.user,
                    to_unit=data["unit"],
                    id_number=data["id_number"],
                    reason=data["reason"],
                ),
                "volunteers:transfers",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if not done:
                messages.success(
                    request, _("Transfer requested; the unit that holds the volunteer decides.")
                )
            return redirect(done or transfer.get_absolute_url())
    return render(request, "volunteers/transfers.html", _context(request, form=form))


@require_POST
def transfer_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse against the version the page showed; a request someone else has
    decided meanwhile is a 409 showing their decision, with nothing changed."""
    units = AdministrativeUnit.objects.for_user(request.user, Action.MANAGE_VOLUNTEERS)
    # Theirs to decide, or decided about a volunteer their units held (approved, the volunteer
    # is gone; a second click then hears what was decided).
    transfer = get_object_or_404(
        Transfer.objects.for_user(request.user, Action.MANAGE_VOLUNTEERS)
        | Transfer.objects.filter(from_unit__in=units),
        pk=pk,
    )
    form = _decision_form(transfer, request.POST)
    conflict, status = None, 200
    if form.is_valid():
        try:
            decided = transfer_decide(
                by=request.user,
                transfer=transfer,
                version=form.cleaned_data["version"],
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except StaleVersion as stale:
            conflict, status = stale.current, 409
            form = _decision_form(transfer, against_version(request.POST, stale.current))
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if decided.status == Transfer.Status.APPROVED:
                messages.success(request, _("Transfer approved: the volunteer has moved."))
            else:
                messages.success(request, _("Transfer refused."))
            return redirect("volunteers:transfers")
    context = _context(request, bound=(transfer.pk, form), conflict=conflict)
    return render(request, "volunteers/transfers.html", context, status=status)
