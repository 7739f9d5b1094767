from django.urls import path

from core.views import competitions as competition_views
from core.views import (
    consultation_public,
    public,
    public_figures,
    public_villages,
)

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
    path("public/figures/", public_figures.public_figures, name="figures"),
    path("public/villages/", public_villages.village_index, name="villages"),
    path("public/villages/<str:code>/", public_villages.village_page, name="village"),
    path("public/villages/<str:code>/posts/<int:pk>/", public_villages.public_post, name="post"),
    path(
        "public/villages/<str:code>/posts.csv", public_villages.village_posts_csv, name="posts_csv"
    ),
    path(
        "public/villages/<str:code>/posts.json",
        public_villages.village_posts_json,
        name="posts_json",
    ),
    path(
        "public/villages/<str:code>/surveys/<int:pk>/", public_villages.public_survey, name="survey"
    ),
    path("public/photos/<int:pk>/<str:size>/", public_villages.public_photo, name="photo"),
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
