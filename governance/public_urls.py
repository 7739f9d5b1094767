from django.urls import path

from governance.views import public

app_name = "public"

urlpatterns = [
    path("", public.public_home, name="home"),
    path("public/streets/<str:code>/", public.public_children, name="street_children"),
]
