from django.urls import path

from core.views import (
    accounts,
    dashboards,
    home,
    units,
)
from core.views import competitions as competition_views
from core.views import training as training_views
from core.views import workforce as workforce_views

app_name = "governance"

urlpatterns = [
    path("home/", home.home, name="home"),
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
    path("memberships/<int:pk>/revoke/", accounts.membership_revoke_view, name="membership_revoke"),
    path("dashboard/", dashboards.my_dashboard, name="my_dashboard"),
    path("dashboard/<str:code>/", dashboards.dashboard, name="dashboard"),
    path("dashboard/<str:code>/export/", dashboards.dashboard_export, name="dashboard_export"),
    path("dashboard/<str:code>/briefing/", dashboards.briefing, name="briefing"),
    path("dashboard/<str:code>/projector/", dashboards.projector, name="projector"),
    path(
        "dashboard/<str:code>/records/<str:key>/",
        dashboards.dashboard_records,
        name="dashboard_records",
    ),
    path("workers/", workforce_views.worker_list, name="worker_list"),
    path("workers/new/", workforce_views.worker_create, name="worker_create"),
    path("workers/positions/", workforce_views.position_list, name="position_list"),
    path(
        "workers/positions/<int:pk>/toggle/",
        workforce_views.position_toggle,
        name="position_toggle",
    ),
    path("workers/<int:pk>/", workforce_views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", workforce_views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/incentives/", workforce_views.incentive_add, name="incentive_add"),
    path("training/", training_views.programme_list, name="programme_list"),
    path("training/new/", training_views.programme_create, name="programme_create"),
    path("training/<int:pk>/", training_views.programme_detail, name="programme_detail"),
    path("training/<int:pk>/sessions/", training_views.session_create, name="session_create"),
    path("training/sessions/<int:pk>/", training_views.session_detail, name="session_detail"),
    path(
        "training/sessions/<int:pk>/invite/",
        training_views.session_invite_view,
        name="session_invite",
    ),
    path(
        "training/sessions/<int:pk>/attendance/",
        training_views.attendance_view,
        name="session_attendance",
    ),
    path("competitions/", competition_views.competition_list, name="competition_list"),
    path("competitions/new/", competition_views.competition_create_view, name="competition_create"),
    path("competitions/<int:pk>/", competition_views.competition_detail, name="competition_detail"),
    path("competitions/<int:pk>/rounds/", competition_views.rounds_edit, name="competition_rounds"),
    path(
        "competitions/<int:pk>/judges/", competition_views.judge_add, name="competition_judge_add"
    ),
    path(
        "competitions/<int:pk>/entrants/",
        competition_views.entrants_add,
        name="competition_entrants",
    ),
    path(
        "competitions/<int:pk>/rounds/<int:round_pk>/scores/",
        competition_views.score_entry,
        name="competition_scores",
    ),
    path("competitions/<int:pk>/publish/", competition_views.publish, name="competition_publish"),
    path("competitions/<int:pk>/results/", competition_views.results, name="competition_results"),
]
