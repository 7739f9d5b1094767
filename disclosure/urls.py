from django.urls import path

from disclosure.views import decisions, disclosure, public_villages, supervision, surveys

urlpatterns = [
    path("disclosure/", disclosure.disclosure_home, name="disclosure_home"),
    path("disclosure/items/new/", disclosure.item_create, name="item_create"),
    path("disclosure/posts/new/", disclosure.post_create, name="post_create"),
    path("disclosure/posts/<int:pk>/", disclosure.post_detail, name="post_detail"),
    path("disclosure/posts/<int:pk>/edit/", disclosure.post_edit, name="post_edit"),
    path("disclosure/posts/<int:pk>/submit/", disclosure.post_submit_view, name="post_submit"),
    path("disclosure/posts/<int:pk>/review/", disclosure.post_review_view, name="post_review"),
    path("disclosure/posts/<int:pk>/correct/", disclosure.post_correct_view, name="post_correct"),
    path("disclosure/posts/<int:pk>/photos/", disclosure.post_photo_add, name="post_photo_add"),
    path("disclosure/photos/<int:pk>/", disclosure.post_photo, name="post_photo"),
    path("disclosure/photos/<int:pk>/<str:size>/", disclosure.post_photo, name="post_photo_size"),
    path("decisions/", decisions.decision_list, name="decision_list"),
    path("decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/steps/", decisions.step_add, name="step_add"),
    path("supervision/", supervision.supervision_home, name="supervision_home"),
    path("supervision/members/new/", supervision.member_create, name="member_create"),
    path("supervision/findings/new/", supervision.finding_create, name="finding_create"),
    path("supervision/findings/<int:pk>/", supervision.finding_detail, name="finding_detail"),
    path(
        "supervision/findings/<int:pk>/respond/",
        supervision.finding_respond_view,
        name="finding_respond",
    ),
    path(
        "supervision/findings/<int:pk>/sign-off/",
        supervision.finding_sign_off_view,
        name="finding_sign_off",
    ),
    path(
        "supervision/findings/<int:pk>/photo/<str:which>/",
        supervision.finding_photo,
        name="finding_photo",
    ),
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/new/", surveys.survey_create_view, name="survey_create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
]

public_urlpatterns = [
    path("public/villages/", public_villages.village_index, name="villages"),
    path("public/villages/<str:code>/", public_villages.village_page, name="village"),
    path("public/villages/<str:code>/posts/", public_villages.village_posts, name="village_posts"),
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
