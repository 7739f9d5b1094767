from django.urls import path

from governance.views import public, public_figures, public_villages, registries

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
    path("public/service-points/", registries.public_points, name="service_points"),
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
]
