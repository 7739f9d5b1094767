from django.urls import path

from core.views import competitions as competition_views
from core.views import (
    consultation_public,
    public,
    public_figures,
)

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
    path("public/figures/", public_figures.public_figures, name="figures"),
    # Consultation (三会协商): demands from residents, their tracking, delivered projects
    path("public/demands/new/", consultation_public.public_demand_new, name="demand_new"),
    path("public/demands/track/", consultation_public.public_track, name="track"),
    path(
        "public/demands/track/<str:code>/",
        consultation_public.public_demand_track,
        name="demand_track",
    ),
    path("public/demands/track/<str:code>/rate/", consultation_public.public_rate, name="rate"),
    path("public/projects/<str:code>/", consultation_public.public_projects, name="projects"),
    path(
        "public/competitions/<int:pk>/",
        competition_views.public_results,
        name="competition_results",
    ),
]
