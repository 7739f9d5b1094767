from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from governance.context_processors import LARGE_FONT_COOKIE

__all__ = ["toggle_large_font"]

ONE_YEAR = 365 * 24 * 60 * 60


@login_not_required
@require_POST
def toggle_large_font(request: HttpRequest) -> HttpResponse:
    """适老化: large type, remembered in a cookie on this device."""
    target = request.POST.get("next", "/")
    if (
        not target.startswith("/")
        or any(ord(c) < 32 for c in target)
        or not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        target = "/"
    response = HttpResponseRedirect(iri_to_uri(target))
    if request.COOKIES.get(LARGE_FONT_COOKIE) == "1":
        response.delete_cookie(LARGE_FONT_COOKIE)
    else:
        response.set_cookie(LARGE_FONT_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
