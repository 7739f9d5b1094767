"""The district's side: the kinds of care, the visit plan, the minutes before an alert climbs,
and the log of who opened whose record."""

import pghistory
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from care.forms import AckMinutesForm, KindChangeForm, KindForm, PlanRuleForm
from care.models import CareAccess, CareKind, CareSettings, RiskLevel, VisitPlanRule
from care.roles import Action
from care.services.people import kind_change, plan_rule_set
from care.views.access import require
from core.forms.base import add_service_errors
from core.models import units_for
from core.privacy import masked_field, user_display_name

ACCESS_LOG_LENGTH = 300


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    require(request, Action.CARE_PLAN)
    settings_row = CareSettings.current()
    rule_form = PlanRuleForm(request.POST if request.POST.get("form") == "rule" else None)
    minutes_form = AckMinutesForm(
        request.POST if request.POST.get("form") == "minutes" else None,
        initial={"ack_minutes": settings_row.ack_minutes},
    )
    kind_form = KindForm(request.POST if request.POST.get("form") == "kind" else None)
    change_form = KindChangeForm(
        request.POST if request.POST.get("form") == "kind_change" else None
    )
    if request.method == "POST":
        if rule_form.is_bound and rule_form.is_valid():
            plan_rule_set(by=request.user, **rule_form.cleaned_data)
            messages.success(request, _("The visit plan is saved."))
            return redirect("care:plan")
        if minutes_form.is_bound and minutes_form.is_valid():
            with pghistory.context(user=request.user.pk, reason="care_ack_minutes"):
                settings_row.ack_minutes = minutes_form.cleaned_data["ack_minutes"]
                settings_row.save()
            messages.success(request, _("The escalation minutes are saved."))
            return redirect("care:plan")
        if kind_form.is_bound and kind_form.is_valid():
            with pghistory.context(user=request.user.pk, reason="care_kind_add"):
                count = CareKind.objects.count()
                CareKind.objects.create(
                    code=slugify(f"kind-{count + 1}"),
                    name=kind_form.cleaned_data["name"],
                    for_children=kind_form.cleaned_data["for_children"],
                    order=(count + 1) * 10,
                )
            messages.success(request, _("The kind is added to the list."))
            return redirect("care:plan")
        if change_form.is_bound and change_form.is_valid():
            try:
                kind_change(by=request.user, **change_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(change_form, error)
            else:
                messages.success(request, _("The kind is changed."))
                return redirect("care:plan")
    rules = {(r.kind_id, r.risk_level): r.interval_days for r in VisitPlanRule.objects.all()}
    kinds = list(CareKind.objects.all())
    table = [
        {"kind": kind, "days": [rules.get((kind.pk, level)) for level in RiskLevel.values]}
        for kind in kinds
    ]
    context = {
        "table": table,
        "levels": RiskLevel.labels,
        "rule_form": rule_form,
        "minutes_form": minutes_form,
        "kind_form": kind_form,
        "change_form": change_form,
        "ack_minutes": settings_row.ack_minutes,
    }
    return render(request, "care/plan.html", context)


REVEALED_LABELS = {
    "phone": gettext_lazy("Phone"),
    "guardian_phone": gettext_lazy("Contact's phone"),
}


def access_log(request: HttpRequest) -> HttpResponse:
    """Every opening of a record in the district's area: who, whom (masked), when."""
    require(request, Action.CARE_PLAN)
    entries = CareAccess.objects.select_related("user", "person", "person__unit").filter(
        person__unit__in=units_for(request, Action.CARE_PLAN).order_by().values("pk")
    )
    rows = [
        {
            "at": entry.at,
            "user": user_display_name(entry.user),
            "person": masked_field(entry.person, "name"),
            "grid": entry.person.unit.name,
            "revealed": "、".join(
                str(REVEALED_LABELS.get(f, f)) for f in entry.revealed.split(",") if f
            ),
        }
        for entry in entries[:ACCESS_LOG_LENGTH]
    ]
    return render(request, "care/access_log.html", {"rows": rows, "total": entries.count()})
