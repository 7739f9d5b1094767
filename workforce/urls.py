from django.urls import path

from workforce.views import competitions as competition_views
from workforce.views import training as training_views
from workforce.views import workforce as workforce_views

urlpatterns = [
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

public_urlpatterns = [
    path(
        "public/competitions/<int:pk>/",
        competition_views.public_results,
        name="competition_results",
    ),
]
