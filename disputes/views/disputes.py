import pghistory
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import (
    background_export,
    choice_labels,
    counted,
    export_heading,
    scope_units,
    xlsx_response,
)
from core.forms.base import (
    add_service_errors,
    already_submitted,
    error_summary,
    save_once,
)
from core.forms.fields import UNIT_PICKER, picked_units
from core.models import (
    AdministrativeUnit,
    StaleVersion,
    UnitLevel,
    units_for,
)
from core.privacy import masked_field
from core.timeline import timeline_for
from core.uploads import photo_response
from core.views.access import fragment_or_page
from core.views.pagination import keyset_page
from disputes.forms.disputes import (
    AgreementForm,
    CaseFilterForm,
    CaseIntakeForm,
    CaseMoveForm,
    PartyFormSet,
    ReturnVisitForm,
    SessionForm,
)
from disputes.models import (
    CaseEvent,
    DisputeCase,
    MediationAgreement,
    MediationSession,
    MediationStudio,
    ReturnVisit,
)
from disputes.roles import Action
from disputes.services import can_handle, case_intake, case_move, earlier_outcomes, moves_for

__all__ = [
    "case_list",
    "case_export",
    "case_create",
    "case_detail",
    "case_move_view",
    "session_add",
    "agreement_edit",
    "visit_add",
]

EXPORT_LIMIT = 50_000
# The columns the export writes: the unit's and category's names come with the case, not as
# two more objects per row.
EXPORTED = (
    "number",
    "received_on",
    "source",
    "status",
    "handling_level",
    "settled_level",
    "resolved_on",
)


def _cases(request, action: str = Action.VIEW):
    return DisputeCase.objects.for_user(request.user, action)


def _case_for_user(request, number: str) -> DisputeCase:
    return get_object_or_404(
        _cases(request).select_related("unit", "street", "category"), number=number
    )


def _filter_units(request):
    return units_for(request, Action.VIEW).exclude(level=UnitLevel.GRID).only(*UNIT_PICKER)


def _filtered(request) -> tuple[CaseFilterForm, object]:
    form = CaseFilterForm(request.GET or None, units=_filter_units(request))
    cases = _cases(request).select_related("unit", "category")
    if form.is_bound and form.is_valid():
        cases = form.filter(cases)
    elif form.is_bound:
        cases = cases.none()
    return form, cases


def _first_parties(cases) -> dict[int, str]:
    from disputes.models import CaseParty

    names: dict[int, list[str]] = {}
    chosen = CaseParty.objects.filter(case__in=[c.pk for c in cases]).order_by("id")
    for party in chosen.only("case_id", "name", "kind"):
        names.setdefault(party.case_id, []).append(masked_field(party, "name"))
    return {pk: "、".join(values) for pk, values in names.items()}


def case_list(request: HttpRequest) -> HttpResponse:
    if not AdministrativeUnit.objects.for_user(request.user).exists():
        raise Http404
    form, cases = _filtered(request)
    page = keyset_page(cases, request, "received_on")
    total, more = _total(cases)
    parties, status = _first_parties(page.rows), choice_labels(DisputeCase, "status")
    for case in page.rows:
        case.party_names = parties.get(case.pk, "")
        case.status_label = status.get(case.status, case.status)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "more": more,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "can_log": AdministrativeUnit.objects.for_user(request.user, Action.LOG_CASES).exists(),
    }
    return render(request, fragment_or_page(request, "disputes/case_list.html", "results"), context)


COUNT_CAP = 10_000


def _total(cases) -> tuple[int, bool]:
    """How many cases the list holds, counting no further than COUNT_CAP: the cost of a page
    stays the same at a million cases (the figures, exact, are on the dashboard)."""
    counted = cases.order_by()[: COUNT_CAP + 1].count()
    return min(counted, COUNT_CAP), counted > COUNT_CAP


def case_export(request: HttpRequest) -> HttpResponse:
    form, cases = _filtered(request)
    rows = []
    chosen = (
        cases.select_related(None)
        .only(*EXPORTED)
        .annotate(unit_name=F("unit__name"), category_name=F("category__name"))
        .order_by("-received_on", "-pk")[:EXPORT_LIMIT]
    )
    if queued := background_export(request, chosen, title=_("Dispute cases")):
        return queued
    chosen = list(chosen)
    parties = _first_parties(chosen)
    source, status, level, settled = (
        choice_labels(DisputeCase, name)
        for name in ("source", "status", "handling_level", "settled_level")
    )
    today = timezone.localdate()
    for case in counted(request, chosen):
        rows.append(
            [
                case.number,
                case.received_on,
                case.unit_name,
                source.get(case.source, case.source),
                case.category_name,
                parties.get(case.pk, ""),
                status.get(case.status, case.status),
                level.get(case.handling_level, case.handling_level),
                settled.get(case.settled_level, case.settled_level) if case.settled_level else "",
                case.resolved_on,
                case.days_open(today),
            ]
        )
    header = [
        _("Case number"),
        _("Received on"),
        _("Unit"),
        _("Source"),
        _("Category"),
        _("Parties"),
        _("Status"),
        _("Handled at"),
        _("Settled at"),
        _("Closed on"),
        _("Days open"),
    ]
    notes = [_("Personal data are masked as on the page.")]
    if len(chosen) == EXPORT_LIMIT:
        notes.append(
            _("Only the first %(n)d cases are exported; narrow the filter.") % {"n": EXPORT_LIMIT}
        )
    return xlsx_response(
        filename=f"disputes-{timezone.localdate().isoformat()}.xlsx",
        title=_("Dispute cases"),
        header=header,
        rows=rows,
        notes=notes,
        about=_about(request, form),
    )


def _about(request, form: CaseFilterForm) -> list[list]:
    """The sheet's heading: the unit filtered to (else the user's whole scope), the filters,
    the period of receipt."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    unit = data.get("unit")
    return export_heading(
        request,
        units=[unit] if unit else scope_units(request.user, Action.VIEW),
        form=form,
        period=(data.get("received_from"), data.get("received_to")),
    )


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.LOG_CASES)
    if not units.exists():
        raise Http404
    if request.method == "POST" and (done := already_submitted(request)):
        return redirect(done)
    form = CaseIntakeForm(request.POST or None, units=picked_units(request, units))
    parties = PartyFormSet(request.POST or None, prefix="party")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = form.cleaned_data
        key = data.pop("submission_key")
        filled = [p.cleaned_data for p in parties.forms if p.cleaned_data]
        try:
            case, done = save_once(
                request,
                key,
                lambda: case_intake(by=request.user, parties=filled, **data),
                "governance:case_list",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                return redirect(done)
            messages.success(request, _("Case %(number)s logged.") % {"number": case.number})
            return redirect(case.get_absolute_url())
    if units.count() == 1:
        form.fields["unit"].initial = units.first()
    context = {
        "form": form,
        "parties": parties,
        "error_summary": error_summary([form, *parties.forms]) if request.method == "POST" else [],
    }
    return render(request, "disputes/case_form.html", context)


def _set_aside_by_reopening(reopened_on, agreement, visits) -> tuple[bool, set[int]]:
    """Whether the agreement, and which return visits, belong to the outcome the latest
    reopening set aside: an agreement signed, a visit made, on or before the day of it."""
    if reopened_on is None:
        return False, set()
    earlier_visits = {visit.pk for visit in visits if visit.visited_on <= reopened_on}
    return agreement is not None and agreement.signed_on <= reopened_on, earlier_visits


def _detail_context(request, case: DisputeCase, **forms) -> dict:
    studios = MediationStudio.objects.filter(unit__path__startswith=case.street.path)
    handler = can_handle(request.user, case)
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    moves = moves_for(request.user, case)
    reopened = case.events_log.filter(kind=CaseEvent.Kind.REOPENED).order_by("at").last()
    reopened_on = timezone.localdate(reopened.at) if reopened else None
    visits = list(case.return_visits.all())
    agreement_set_aside, visits_set_aside = _set_aside_by_reopening(reopened_on, agreement, visits)
    return {
        "case": case,
        "parties": [
            {
                "side": p.get_side_display(),
                "organisation": p.is_organisation,
                "name": masked_field(p, "name"),
                "phone": masked_field(p, "phone"),
                "id_number": masked_field(p, "id_number"),
                "address": masked_field(p, "address"),
            }
            for p in case.parties.all()
        ],
        "events": case.events_log.select_related("by"),
        "sessions": case.sessions.select_related("studio"),
        "agreement": agreement,
        "visits": [(visit, visit.pk in visits_set_aside) for visit in visits],
        "agreement_set_aside": agreement_set_aside,
        "earlier_outcomes": earlier_outcomes(case) if reopened else [],
        "moves": [
            (
                move,
                forms.get(f"move_{move.key}")
                or CaseMoveForm(
                    # A case usually closes the day it is recorded: today is offered.
                    initial={
                        "move": move.key,
                        "version": case.version,
                        "resolved_on": timezone.localdate(),
                    },
                    auto_id=f"{move.key}_%s",
                ),
            )
            for move in moves
        ],
        "handler": handler,
        "session_form": forms.get("session_form")
        or SessionForm(case=case, studios=studios, auto_id="session_%s"),
        "agreement_form": forms.get("agreement_form")
        or AgreementForm(
            case=case,
            auto_id="agreement_%s",
            initial=(
                {
                    "version": agreement.version,
                    "signed_on": agreement.signed_on,
                    "facts": agreement.facts,
                    "terms": agreement.terms,
                    "performance_method": agreement.performance_method,
                    "performance_place": agreement.performance_place,
                    "perform_by": agreement.perform_by,
                }
                if agreement
                else {"version": 0}
            ),
        ),
        "visit_form": forms.get("visit_form") or ReturnVisitForm(case=case, auto_id="visit_%s"),
        "timeline": timeline_for(case),
        "conflict": forms.get("conflict"),
        "today": timezone.localdate(),
    }


def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for_user(request, number)
    return render(request, "disputes/case_detail.html", _detail_context(request, case))


@require_POST
def case_move_view(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for_user(request, number)
    move = request.POST.get("move", "")
    form = CaseMoveForm(request.POST, auto_id=f"{move}_%s" if move.isidentifier() else "id_%s")
    if form.is_valid():
        try:
            case_move(by=request.user, case=case, **form.cleaned_data)
        except StaleVersion as stale:
            context = _detail_context(request, stale.current, conflict=stale.current)
            return render(request, "disputes/case_detail.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(case.get_absolute_url())
    if not any(m.key == move for m in moves_for(request.user, case)):
        messages.error(request, _("This move is not open to you in the case's present state."))
        return redirect(case.get_absolute_url())
    context = _detail_context(request, case, **{f"move_{move}": form})
    return render(request, "disputes/case_detail.html", context)


def _require_handler(request, case: DisputeCase) -> None:
    if not can_handle(request.user, case):
        raise Http404


@require_POST
def session_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for_user(request, number)
    _require_handler(request, case)
    studios = MediationStudio.objects.filter(unit__path__startswith=case.street.path)
    form = SessionForm(request.POST, case=case, studios=studios, auto_id="session_%s")
    if form.is_valid():
        with pghistory.context(user=request.user.pk, reason="session_add"):
            MediationSession.objects.create(case=case, **form.cleaned_data)
        return redirect(case.get_absolute_url() + "#sessions")
    return render(
        request, "disputes/case_detail.html", _detail_context(request, case, session_form=form)
    )


@require_POST
def agreement_edit(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for_user(request, number)
    _require_handler(request, case)
    form = AgreementForm(request.POST, request.FILES, case=case, auto_id="agreement_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        photo = data.pop("photo")
        try:
            with transaction.atomic(), pghistory.context(user=request.user.pk, reason="agreement"):
                existing = MediationAgreement.objects.filter(case=case).first()
                if existing is None:
                    agreement = MediationAgreement(case=case, **data)
                else:
                    agreement = MediationAgreement.lock_at_version(existing.pk, version)
                    for field, value in data.items():
                        setattr(agreement, field, value)
                if photo:
                    agreement.photo.save(photo.name, photo, save=False)
                agreement.save()
        except StaleVersion as stale:
            # Their entries stay in the form, now at the version of the agreement on the page.
            again = AgreementForm(
                case=case,
                auto_id="agreement_%s",
                initial={**data, "version": stale.current.version},
            )
            context = _detail_context(request, case, agreement_form=again, conflict=stale.current)
            return render(request, "disputes/case_detail.html", context, status=409)
        return redirect(case.get_absolute_url() + "#agreement")
    return render(
        request, "disputes/case_detail.html", _detail_context(request, case, agreement_form=form)
    )


@require_POST
def visit_add(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for_user(request, number)
    _require_handler(request, case)
    form = ReturnVisitForm(request.POST, case=case, auto_id="visit_%s")
    if form.is_valid():
        with pghistory.context(user=request.user.pk, reason="return_visit"):
            ReturnVisit.objects.create(case=case, **form.cleaned_data)
        return redirect(case.get_absolute_url() + "#visits")
    return render(
        request, "disputes/case_detail.html", _detail_context(request, case, visit_form=form)
    )


def agreement_photo(request: HttpRequest, number: str) -> HttpResponse:
    """The signed agreement names the parties: it is served only inside the case's scope."""
    case = _case_for_user(request, number)
    agreement = MediationAgreement.objects.filter(case=case).first()
    return photo_response(agreement.photo if agreement else None)
