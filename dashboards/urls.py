from django.urls import path

from dashboards.views import dashboards, monthly, public_figures

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
    path("monthly/", monthly.monthly_mine, name="monthly_mine"),
    path("monthly/<str:code>/", monthly.monthly_list, name="monthly_list"),
    path("monthly/<str:code>/units/", monthly.monthly_overview, name="monthly_overview"),
    path("monthly/<str:code>/<str:month>/", monthly.monthly_report, name="monthly_report"),
    path("monthly/<str:code>/<str:month>/submit/", monthly.monthly_submit, name="monthly_submit"),
    path(
        "monthly/<str:code>/<str:month>/report.<str:kind>",
        monthly.monthly_report_export,
        name="monthly_report_export",
    ),
]

public_urlpatterns = [
    path("public/figures/", public_figures.public_figures, name="figures"),
]
