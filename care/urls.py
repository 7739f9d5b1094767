from django.urls import path

from care.views import activities, alerts, changes, devices, plan, registry

app_name = "care"

urlpatterns = [
    path("", registry.registry, name="registry"),
    path("people/new/", registry.person_new, name="person_create"),
    path("people/<int:pk>/", registry.person_detail, name="person"),
    path("people/<int:pk>/phones/", registry.person_phones, name="person_phones"),
    path("people/<int:pk>/edit/", changes.person_edit, name="person_edit"),
    path("people/<int:pk>/leave/", changes.person_leave_view, name="person_leave"),
    path("people/<int:pk>/bracelets/bind/", devices.bracelet_bind, name="bracelet_bind"),
    path(
        "people/<int:pk>/bracelets/<int:device_pk>/unbind/",
        devices.bracelet_unbind,
        name="bracelet_unbind",
    ),
    path(
        "people/<int:pk>/activities/new/",
        activities.child_activity_new,
        name="child_activity_create",
    ),
    path("people/<int:pk>/visit/", registry.visit_new, name="visit_create"),
    path("visits/<int:pk>/photo/", registry.visit_photo, name="visit_photo"),
    path("alerts/", alerts.alert_board, name="alerts"),
    path("alerts/webhook/", alerts.alert_webhook, name="alert_webhook"),
    path("alerts/live/", alerts.alerts_live, name="alerts_live"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("alerts/<int:pk>/take/", alerts.alert_ack, name="alert_ack"),
    path("alerts/<int:pk>/close/", alerts.alert_close_view, name="alert_close"),
    path("bracelets/maintenance/", alerts.maintenance, name="maintenance"),
    path("bracelets/<int:pk>/unbind/", alerts.maintenance_unbind, name="maintenance_unbind"),
    path("bracelets/<int:pk>/serviced/", alerts.device_serviced_view, name="device_serviced"),
    path("plan/", plan.plan, name="plan"),
    path("access-log/", plan.access_log, name="access_log"),
]
