from django.urls import path

from disputes.views import disputes, hazards, registries

urlpatterns = [
    path("cases/", disputes.case_list, name="case_list"),
    path("cases/new/", disputes.case_create, name="case_create"),
    path("cases/export/", disputes.case_export, name="case_export"),
    path("cases/<str:number>/", disputes.case_detail, name="case_detail"),
    path("cases/<str:number>/move/", disputes.case_move_view, name="case_move"),
    path("cases/<str:number>/sessions/", disputes.session_add, name="session_add"),
    path("cases/<str:number>/agreement/", disputes.agreement_edit, name="agreement_edit"),
    path("cases/<str:number>/agreement/photo/", disputes.agreement_photo, name="agreement_photo"),
    path("cases/<str:number>/visits/", disputes.visit_add, name="visit_add"),
    path("hazards/", hazards.hazard_list, name="hazard_list"),
    path("hazards/new/", hazards.hazard_create, name="hazard_create"),
    path("hazards/<int:pk>/", hazards.hazard_detail, name="hazard_detail"),
    path("hazards/<int:pk>/rectify/", hazards.hazard_rectify, name="hazard_rectify"),
    path("hazards/<int:pk>/verify/", hazards.hazard_verify, name="hazard_verify"),
    path("hazards/<int:pk>/photo/<str:which>/", hazards.hazard_photo, name="hazard_photo"),
    path("studios/", registries.studio_list, name="studio_list"),
    path("studios/new/", registries.studio_edit, name="studio_create"),
    path("studios/<int:pk>/", registries.studio_detail, name="studio_detail"),
    path("studios/<int:pk>/edit/", registries.studio_edit, name="studio_edit"),
    path("legal-services/", registries.legal_list, name="legal_list"),
    path("service-points/", registries.point_list, name="point_list"),
    path("service-points/new/", registries.point_edit, name="point_create"),
    path("service-points/<int:pk>/edit/", registries.point_edit, name="point_edit"),
    path("categories/", registries.category_list, name="category_list"),
    path("categories/<int:pk>/toggle/", registries.category_toggle, name="category_toggle"),
]

public_urlpatterns = [
    path("public/service-points/", registries.public_points, name="service_points"),
]
