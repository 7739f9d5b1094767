from django.urls import path

from core.views import (
    public,
    public_figures,
)

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
    path("public/figures/", public_figures.public_figures, name="figures"),
]
