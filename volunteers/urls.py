from django.urls import path

from volunteers.views import activities, goods, imports, points, teams, transfers, volunteers

app_name = "volunteers"

urlpatterns = [
    path("", volunteers.volunteer_list, name="home"),
    path("new/", volunteers.volunteer_create, name="volunteer_create"),
    path("export/", volunteers.volunteer_export, name="volunteer_export"),
    path("<int:pk>/", volunteers.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/edit/", volunteers.volunteer_edit, name="volunteer_edit"),
    path("<int:pk>/honours/", volunteers.honour_add, name="honour_add"),
    path("<int:pk>/certificates/", volunteers.certificate_create, name="certificate_create"),
    path("<int:pk>/statement/", points.statement, name="statement"),
    path("certificates/<str:number>/", volunteers.certificate_detail, name="certificate"),
    path("import/", imports.import_new, name="import"),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/continue/", imports.import_continue, name="import_continue"),
    path("transfers/", transfers.transfer_list, name="transfers"),
    path("transfers/<int:pk>/decide/", transfers.transfer_decide_view, name="transfer_decide"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_new, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", teams.member_add_view, name="member_add"),
    path("teams/<int:pk>/members/remove/", teams.member_remove_view, name="member_remove"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/new/", activities.activity_new, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/signups/", activities.signup_add_view, name="signup_add"),
    path(
        "activities/<int:pk>/signups/remove/",
        activities.signup_remove_view,
        name="signup_remove",
    ),
    path("activities/<int:pk>/hours/", activities.hours_record_view, name="hours_record"),
    path("activities/<int:pk>/verify/", activities.hours_verify_view, name="hours_verify"),
    path("supermarkets/", points.supermarket_list, name="supermarkets"),
    path("supermarkets/<int:pk>/", points.supermarket_detail, name="supermarket_detail"),
    path("supermarkets/<int:pk>/find/", points.counter_find, name="counter_find"),
    path("supermarkets/<int:pk>/redeem/", points.redeem, name="redeem"),
    path("supermarkets/<int:pk>/deed/", points.deed, name="deed"),
    path("supermarkets/<int:pk>/goods/new/", goods.goods_new, name="goods_create"),
    path("goods/<int:pk>/", goods.goods_detail, name="goods_detail"),
    path("goods/<int:pk>/stock/", goods.goods_restock_view, name="goods_restock"),
    path("points/rules/", points.rule_list, name="rules"),
]
