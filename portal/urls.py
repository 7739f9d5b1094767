from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.i18n import set_language

from consultation import urls as consultation_urls
from core import urls as core_urls
from core.views.prefs import toggle_large_font
from dashboards import urls as dashboards_urls
from disclosure import urls as disclosure_urls
from disputes import urls as disputes_urls
from interfaces import urls as interfaces_urls
from portal import errors
from workforce import urls as workforce_urls

admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

# Each app's pages keep the names they had before the apps were split out: staff pages in the
# namespace "governance", public pages in "public".
PUBLIC_PAGES = [
    *core_urls.public_urlpatterns,
    *disputes_urls.public_urlpatterns,
    *disclosure_urls.public_urlpatterns,
    *consultation_urls.public_urlpatterns,
    *workforce_urls.public_urlpatterns,
    *dashboards_urls.public_urlpatterns,
]
STAFF_PAGES = [
    *core_urls.urlpatterns,
    *disputes_urls.urlpatterns,
    *disclosure_urls.urlpatterns,
    *consultation_urls.urlpatterns,
    *workforce_urls.urlpatterns,
    *dashboards_urls.urlpatterns,
]

urlpatterns = [
    path("", include((PUBLIC_PAGES, "public"))),
    path("", include((STAFF_PAGES, "governance"))),
    path("volunteers/", include("volunteers.urls")),
    path("care/", include("care.urls")),
    path("", include("interfaces.urls")),
    path("", include(interfaces_urls.api_urlpatterns)),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("prefs/large-font/", toggle_large_font, name="toggle_large_font"),
    path("admin/", admin.site.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

if settings.PORTAL_BENCH_HELLO:
    urlpatterns.append(
        path("__hello/", login_not_required(lambda request: HttpResponse("Hello, world")))
    )
