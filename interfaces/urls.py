from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from core.api import OPEN311, OPEN_DATA, PREFIXES
from interfaces import views
from interfaces.api import build
from interfaces.keys import logged

app_name = "interfaces"

open311, open_data = build()


def _public(patterns: list) -> list:
    """The interfaces answer without a login; a request made with a key is logged against it."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(logged(pattern.callback))
    return patterns


def _included(api):
    patterns, _app, namespace = api.urls
    return _public(patterns), namespace


# Outside this app's namespace: ninja names its own ("open311", "open_data").
api_urlpatterns = [
    path(PREFIXES[OPEN311], include(_included(open311))),
    path(PREFIXES[OPEN_DATA], include(_included(open_data))),
]

urlpatterns = [
    path("api/docs/", views.api_docs, name="docs"),
    path("interfaces/keys/", views.key_list, name="keys"),
    path("interfaces/keys/<int:pk>/", views.key_detail, name="key_detail"),
    path("interfaces/keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
