from django.urls import path

from dashboards.views import dashboards, public_figures

urlpatterns = [
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
]

public_urlpatterns = [
    path("public/figures/", public_figures.public_figures, name="figures"),
]
