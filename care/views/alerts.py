"""Alerts: the open ones of the user's area (a fragment a phone polls every few seconds, so a
fall shows without reloading), an alert's page with its steps, taking and closing it, the
bracelets' maintenance list, and the platform's webhook."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from care import webhook
from care.forms import AlertCloseForm, DeviceUnbindForm
from care.models import MAINTENANCE_KINDS, Alert, Device
from care.roles import Action
from care.services.alerts import (
    alert_acknowledge,
    alert_close,
    alert_receive,
    device_serviced,
    escalation_due,
)
from care.views.access import require
from care.views.devices import unbind_once
from core.forms.base import add_service_errors, already_submitted
from core.models import may, units_for
from core.privacy import masked_field
from core.views.access import fragment_or_page

log = logging.getLogger("portal.care.webhook")

POLL_SECONDS = 3
RECENT_CLOSED = 10


def alert_row(alert: Alert) -> dict:
    return {
        "pk": alert.pk,
        "kind": alert.get_kind_display(),
        "kind_key": alert.kind,
        "person": masked_field(alert.person, "name") if alert.person else alert.device.serial,
        "grid": alert.unit.name,
        "received_at": alert.received_at,
        "level": alert.get_level_display(),
        "level_key": alert.level,
        "taken": alert.acknowledged_at is not None,
        "climbs_at": escalation_due(alert) if alert.level < 2 else None,
        "url": alert.get_absolute_url(),
    }


def _open_alerts(user):
    return (
        Alert.objects.for_user(user, Action.CARE_VIEW)
        .filter(closed_at__isnull=True)
        .exclude(kind__in=MAINTENANCE_KINDS)
        .select_related("person", "device", "unit")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-received_at")
    )


def alert_board(request: HttpRequest) -> HttpResponse:
    require(request)
    open_alerts = _open_alerts(request.user)
    closed = (
        Alert.objects.for_user(request.user, Action.CARE_VIEW)
        .filter(closed_at__isnull=False)
        .exclude(kind__in=MAINTENANCE_KINDS)
        .select_related("person", "device", "unit")
        .order_by("-closed_at")[:RECENT_CLOSED]
    )
    context = {
        "open": [alert_row(a) for a in open_alerts[:100]],
        "open_total": open_alerts.count(),
        "closed": [alert_row(a) for a in closed],
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, fragment_or_page(request, "care/alert_board.html", "open"), context)


def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(
        Alert.objects.for_user(request.user, Action.CARE_VIEW).select_related(
            "person", "device", "unit", "acknowledged_by", "closed_by"
        ),
        pk=pk,
    )
    return _detail(request, alert, AlertCloseForm())


def _detail(request, alert: Alert, form, status: int = 200) -> HttpResponse:
    context = {
        "alert": alert,
        "row": alert_row(alert),
        "steps": alert.steps.select_related("by"),
        "form": form,
        "keeps": may(request.user, Action.CARE_KEEP, alert.unit),
    }
    return render(request, "care/alert_detail.html", context, status=status)


def _alert_to_keep(request, pk: int) -> Alert:
    return get_object_or_404(
        Alert.objects.for_user(request.user, Action.CARE_KEEP).select_related(
            "person", "device", "unit"
        ),
        pk=pk,
    )


@require_POST
def alert_ack(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_acknowledge(by=request.user, alert=_alert_to_keep(request, pk))
    return redirect(alert)


@require_POST
def alert_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_to_keep(request, pk)
    form = AlertCloseForm(request.POST)
    if form.is_valid():
        try:
            alert = alert_close(by=request.user, alert=alert, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(alert)
    return _detail(request, alert, form)


def maintenance(request: HttpRequest, failed=None, failed_pk=None) -> HttpResponse:
    """Bracelets that need seeing to (low battery, offline), each unbindable there by one who
    keeps its grid; and the area's bracelets bound to no one, free to bind again."""
    require(request)
    devices = Device.objects.for_user(request.user, Action.CARE_VIEW).select_related(
        "person", "unit"
    )
    needing = devices.exclude(needs_care="").order_by("needs_care_since")
    rows = []
    for d in needing[:200]:
        keeps = may(request.user, Action.CARE_KEEP, d.unit)
        form = None
        if keeps and d.person_id:
            form = failed if failed_pk == d.pk else DeviceUnbindForm(auto_id=f"id_unbind{d.pk}_%s")
        rows.append(
            {
                "pk": d.pk,
                "serial": d.serial,
                "person": masked_field(d.person, "name") if d.person else "",
                "grid": d.unit.name,
                "need": d.get_needs_care_display(),
                "since": d.needs_care_since,
                "battery": d.battery,
                "keeps": keeps,
                "unbind": form,
            }
        )
    unbound = devices.filter(person__isnull=True).order_by("unit__code", "serial")
    context = {
        "rows": rows,
        "total": needing.count(),
        "unbound": unbound[:200],
        "unbound_total": unbound.count(),
    }
    return render(request, "care/maintenance.html", context, status=400 if failed else 200)


@require_POST
def maintenance_unbind(request: HttpRequest, pk: int) -> HttpResponse:
    """Unbind a bracelet from the maintenance list (broken, returned), with the reason."""
    device = get_object_or_404(
        Device.objects.for_user(request.user, Action.CARE_KEEP).select_related("person"), pk=pk
    )
    back = reverse("care:maintenance")
    if done := already_submitted(request):
        return redirect(done)
    if device.person is None:  # someone unbound it since the list was opened
        messages.info(request, _("This bracelet is no longer bound to anyone."))
        return redirect(back)
    form = DeviceUnbindForm(request.POST, auto_id=f"id_unbind{pk}_%s")
    if unbind_once(request, form, device.person, device.pk, back):
        messages.success(request, _("The bracelet is unbound."))
        return redirect(back)
    return maintenance(request, failed=form, failed_pk=pk)


@require_POST
def device_serviced_view(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device.objects.for_user(request.user, Action.CARE_KEEP), pk=pk)
    device_serviced(by=request.user, device=device)
    return redirect("care:maintenance")


def open_count(user) -> int:
    return _open_alerts(user).filter(acknowledged_at__isnull=True).count()


@csrf_exempt
@login_not_required
def alert_webhook(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    try:
        alert = webhook.read(request.headers, request.body)
    except webhook.Refused as refused:
        log.warning(
            "refused %s: %s (platform=%r, from %s)",
            refused.status,
            refused.reason,
            request.headers.get("X-Platform", "")[:40],
            request.META.get("REMOTE_ADDR", ""),
        )
        return JsonResponse({"error": refused.reason}, status=refused.status)
    received = alert_receive(**alert)
    if not received.created:
        log.info("repeat of alert %s ignored", received.alert.external_id)
        return JsonResponse({"status": "duplicate", "alert": received.alert.external_id})
    return JsonResponse(
        {"status": "stored", "alert": received.alert.external_id, "id": received.alert.pk},
        status=201,
    )


__all__ = [
    "alert_ack",
    "alert_board",
    "alert_close_view",
    "alert_detail",
    "alert_webhook",
    "alerts_live",
    "device_serviced_view",
    "maintenance",
    "open_count",
]


def _reaching(user) -> Q:
    """Untaken alerts that have reached the user: at once at their grid, after climbing at the
    community and the street (care.work.LEVEL_OF_ROLE)."""
    from care.work import LEVEL_OF_ROLE

    reach = Q(pk__in=[])
    for role, path in user.memberships.filter(role__in=list(LEVEL_OF_ROLE)).values_list(
        "role", "unit__path"
    ):
        reach |= Q(unit__path__startswith=path, level__gte=LEVEL_OF_ROLE[role])
    return reach


def alerts_live(request: HttpRequest) -> HttpResponse:
    """The box on the landing page that a phone polls: the alerts waiting for this user. Those
    who see no care records get an empty box that polls no more."""
    if not units_for(request, Action.CARE_VIEW).exists():
        return HttpResponse('<div id="care-live"></div>')
    waiting = _open_alerts(request.user).filter(
        _reaching(request.user), acknowledged_at__isnull=True
    )
    context = {
        "live": [alert_row(a) for a in waiting[:5]],
        "live_total": waiting.count(),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "care/work_alerts.html#live", context)
