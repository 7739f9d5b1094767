"""Error pages in the user's language, from the portal's own templates, without a traceback."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from core.api import api_error, is_api_request

__all__ = ["bad_request", "permission_denied", "page_not_found", "server_error"]

# The database is down, restarting or out of connections: the request may simply be retried.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


@login_not_required
def bad_request(request, exception=None):
    # The session could not be saved because the database went away: that is not the user's fault.
    cause = exception
    while cause is not None:
        if isinstance(cause, DATABASE_UNREACHABLE):
            return _busy()
        cause = cause.__cause__ or cause.__context__
    if is_api_request(request):
        return api_error(request, 400, _("The request could not be read."))
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    if is_api_request(request):
        return api_error(request, 403, _("Forbidden."))
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    if is_api_request(request):
        return api_error(request, 404, _("Not found."))
    return render(request, "errors/404.html", status=404)


def _busy() -> HttpResponse:
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "5"
    return response


@login_not_required
def server_error(request):
    # No context processors: the database may be what failed.
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return _busy()
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
