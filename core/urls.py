from django.urls import path

from core.views import accounts, exports, home, public, search, units

urlpatterns = [
    path("home/", home.home, name="home"),
    path("search/", search.search_view, name="search"),
    path("units/", units.unit_tree, name="unit_tree"),
    path("units/import/", units.unit_import_view, name="unit_import"),
    path("units/<str:code>/", units.unit_detail, name="unit_detail"),
    path("units/<str:code>/children/", units.unit_children, name="unit_children"),
    path("units/<str:code>/add/", units.unit_create_view, name="unit_create"),
    path("units/<str:code>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<str:code>/move/", units.unit_move_view, name="unit_move"),
    path("units/<str:code>/retire/", units.unit_retire_view, name="unit_retire"),
    path("units/<str:code>/reinstate/", units.unit_reinstate_view, name="unit_reinstate"),
    path("accounts/manage/", accounts.account_list, name="account_list"),
    path("accounts/manage/new/", accounts.account_create_view, name="account_create"),
    path("accounts/manage/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("memberships/<int:pk>/revoke/", accounts.membership_revoke_view, name="membership_revoke"),
]

public_urlpatterns = [
    path("", home.landing, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
]
