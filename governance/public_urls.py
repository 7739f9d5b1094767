from django.urls import path

from governance.views import public, registries

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
    path("public/service-points/", registries.public_points, name="service_points"),
]
