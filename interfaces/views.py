"""The documentation page (public) and the district's page to issue and revoke API keys."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms.base import already_submitted, save_once
from core.models import units_for
from interfaces.forms import ApiKeyForm
from interfaces.models import ApiKey, ApiRequest
from interfaces.roles import Action

__all__ = ["api_docs", "key_detail", "key_list", "key_revoke"]

# A new key's secret waits in the issuer's session for the one view of the key's page.
NEW_KEY_IN_SESSION = "interfaces:new-key:%s"

RECENT = 20

INTERFACES = {
    "open311": ("open311:openapi-json", "Open311 GeoReport v2", "open311:v2"),
    "open-data": ("open_data:openapi-json", "Open data API v1", "api:v1"),
}


@login_not_required
@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("api", "open311")
    if which not in INTERFACES:
        which = "open311"
    schema_url, _title, _tag = INTERFACES[which]
    return render(
        request,
        "interfaces/docs.html",
        {
            "which": which,
            "schema_url": reverse(schema_url),
            "open311_base": request.build_absolute_uri("/open311/v2/"),
            "open_data_base": request.build_absolute_uri("/api/v1/"),
            "keyless_per_minute": settings.PORTAL_API_KEYLESS_PER_MINUTE,
            "log_retention_days": settings.PORTAL_API_LOG_RETENTION_DAYS,
        },
    )


def _keys_for(request):
    return ApiKey.objects.for_user(request.user, Action.MANAGE_API_KEYS)


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a POST, the browser fetches the given page with a GET."""

    status_code = 303


@never_cache
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    units = units_for(request, Action.MANAGE_API_KEYS)
    if not units.exists():
        raise PermissionDenied
    if request.method == "POST" and (done := already_submitted(request)):
        return HttpResponseSeeOther(done)
    form = ApiKeyForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issued = {}

        def make():
            key, issued["secret"] = ApiKey.issue(
                name=data["name"], unit=data["unit"], per_minute=data["per_minute"], by=request.user
            )
            return key

        key, done = save_once(request, data["submission_key"], make, "interfaces:keys")
        if key is None:
            return HttpResponseSeeOther(done)
        request.session[NEW_KEY_IN_SESSION % key.pk] = issued["secret"]
        return HttpResponseSeeOther(key.get_absolute_url())
    keys = (
        _keys_for(request)
        .select_related("unit", "issued_by", "revoked_by")
        .annotate(used=Count("requests"), last_used=Max("requests__at"))
    )
    recent = (
        ApiRequest.objects.filter(key__in=_keys_for(request))
        .select_related("key")
        .only("at", "method", "path", "status", "record", "key__name", "key__shown")
        .order_by("-at", "-id")[:RECENT]
    )
    return render(
        request, "interfaces/key_list.html", {"form": form, "keys": keys, "recent": recent}
    )


@never_cache
@require_GET
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A key's page; right after it was issued, its secret, shown this once (taken out of the
    session as it is shown, so a reload shows it no more)."""
    key = get_object_or_404(
        _keys_for(request)
        .select_related("unit", "issued_by", "revoked_by")
        .annotate(used=Count("requests"), last_used=Max("requests__at")),
        pk=pk,
    )
    secret = request.session.pop(NEW_KEY_IN_SESSION % key.pk, None)
    return render(request, "interfaces/key_detail.html", {"key": key, "secret": secret})


@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(_keys_for(request), pk=pk)
    key.revoke(by=request.user)
    messages.success(request, _("The key of %s is revoked: it files nothing more.") % key.name)
    return redirect("interfaces:keys")
