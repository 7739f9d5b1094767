from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from core.context_processors import LARGE_FONT_COOKIE
from core.views.access import safe_next

__all__ = ["toggle_large_font"]

ONE_YEAR = 365 * 24 * 60 * 60


@login_not_required
@require_POST
def toggle_large_font(request: HttpRequest) -> HttpResponse:
    """适老化: large type, remembered in a cookie on this device."""
    response = HttpResponseRedirect(safe_next(request, "/"))
    if request.COOKIES.get(LARGE_FONT_COOKIE) == "1":
        response.delete_cookie(LARGE_FONT_COOKIE)
    else:
        response.set_cookie(LARGE_FONT_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
