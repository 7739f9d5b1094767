"""Error pages in the user's language, from the portal's own templates, without a traceback."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

__all__ = ["bad_request", "permission_denied", "page_not_found", "server_error"]


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
