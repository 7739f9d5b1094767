from django.urls import path

from consultation.views import consultation, consultation_public

urlpatterns = [
    path("demands/", consultation.demand_list, name="demand_list"),
    path("demands/new/", consultation.demand_create, name="demand_create"),
    path("demands/import/", consultation.demand_import, name="demand_import"),
    path("demands/<int:pk>/", consultation.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/route/", consultation.demand_route_view, name="demand_route"),
    path("demands/<int:pk>/answer/", consultation.demand_answer_view, name="demand_answer"),
    path(
        "demands/<int:pk>/answer/amend/",
        consultation.demand_answer_amend_view,
        name="demand_answer_amend",
    ),
    path("demands/<int:pk>/photo/", consultation.demand_photo, name="demand_photo"),
    path("meetings/", consultation.meeting_list, name="meeting_list"),
    path("meetings/new/", consultation.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", consultation.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/photo/", consultation.meeting_photo, name="meeting_photo"),
    path("meetings/<int:pk>/propose/", consultation.project_propose_view, name="project_propose"),
    path("projects/", consultation.project_board, name="project_board"),
    path("projects/<int:pk>/", consultation.project_detail, name="project_detail"),
    path("projects/<int:pk>/move/", consultation.project_move_view, name="project_move"),
    path("projects/<int:pk>/edit/", consultation.project_edit, name="project_edit"),
    path("projects/<int:pk>/progress/", consultation.progress_add_view, name="progress_add"),
    path("projects/<int:pk>/photo/<str:which>/", consultation.project_photo, name="project_photo"),
    path("consultation/lists/", consultation.consultation_lists, name="consultation_lists"),
    path("platforms/<int:pk>/toggle/", consultation.platform_toggle, name="platform_toggle"),
    path(
        "project-categories/<int:pk>/toggle/",
        consultation.project_category_toggle,
        name="project_category_toggle",
    ),
]

public_urlpatterns = [
    # Demands from residents, their tracking, delivered projects
    path("public/demands/new/", consultation_public.public_demand_new, name="demand_new"),
    path("public/demands/track/", consultation_public.public_track, name="track"),
    path(
        "public/demands/track/<str:code>/",
        consultation_public.public_demand_track,
        name="demand_track",
    ),
    path("public/demands/track/<str:code>/rate/", consultation_public.public_rate, name="rate"),
    path("public/projects/", consultation_public.public_projects_all, name="projects_all"),
    path("public/projects/<str:code>/", consultation_public.public_projects, name="projects"),
    path(
        "public/projects/<str:code>/<int:pk>/",
        consultation_public.public_project,
        name="project",
    ),
    path(
        "public/projects/<str:code>/<int:pk>/photos/<str:which>/<str:size>/",
        consultation_public.public_project_photo,
        name="project_photo",
    ),
]
