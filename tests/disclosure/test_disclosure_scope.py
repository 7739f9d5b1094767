"""Every staff page of village affairs three ways: without a role (404 or empty), with it, and
with a role elsewhere (404); and the correction and conflict paths through the views."""

from datetime import date

import pytest
from django.urls import reverse

from disclosure.models import Decision, DisclosurePost, Finding, PostStatus
from disclosure.services.surveys import survey_create
from tests.disclosure.helpers import draft_post, published_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district, people):
    v = district.liuqiaoyu
    post = published_post(v, people.village_clerk, people.supervisor)
    decision = Decision.objects.create(
        unit=v, title="修建文化广场", summary="提议", created_by=people.village_clerk
    )
    finding = Finding.objects.create(
        unit=v,
        title="路灯不亮",
        description="—",
        found_on=date(2026, 3, 1),
        assignee="王五",
        deadline=date(2026, 3, 20),
        reported_by=people.supervisor,
    )
    survey = survey_create(
        by=people.village_clerk,
        households=2,
        unit=v,
        title="调查",
        question="?",
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
    )
    return [
        post.get_absolute_url(),
        decision.get_absolute_url(),
        finding.get_absolute_url(),
        survey.get_absolute_url(),
    ]


def test_people_of_the_village_and_above_read_every_record(people, client_for, records):
    for user in [people.village_clerk, people.supervisor, people.district_staff]:
        client = client_for(user)
        for url in records:
            assert client.get(url).status_code == 200, (user, url)
    aishan = client_for(people.aishan_official)
    for url in records:
        assert aishan.get(url).status_code == 404, url


def test_lists_show_only_what_is_in_scope(people, client_for, records):
    for name in ["disclosure_home", "decision_list", "supervision_home", "survey_list"]:
        assert (
            client_for(people.village_clerk).get(reverse(f"governance:{name}")).status_code == 200
        )
        other = client_for(people.aishan_official).get(reverse(f"governance:{name}"))
        assert other.status_code == 200
        assert "柳桥峪村" not in other.content.decode(), name


def test_forms_are_for_the_roles_that_write(people, client_for):
    for name in ["post_create", "item_create", "decision_create", "survey_create"]:
        assert client_for(people.supervisor).get(reverse(f"governance:{name}")).status_code == 404
        assert (
            client_for(people.village_clerk).get(reverse(f"governance:{name}")).status_code == 200
        )
    assert (
        client_for(people.village_clerk).get(reverse("governance:finding_create")).status_code
        == 404
    )
    assert (
        client_for(people.supervisor).get(reverse("governance:finding_create")).status_code == 200
    )
    assert client_for(people.outsider).get(reverse("governance:post_create")).status_code == 404


def test_a_correction_through_the_views_opens_its_draft(district, people, client_for):
    post = published_post(district.liuqiaoyu, people.village_clerk, people.supervisor)
    clerk = client_for(people.village_clerk)
    empty = clerk.post(reverse("governance:post_correct", args=[post.pk]), {"reason": ""})
    assert empty.status_code == 200 and empty.context["correct_form"].errors["reason"]
    response = clerk.post(
        reverse("governance:post_correct", args=[post.pk]), {"reason": "金额有误"}
    )
    fresh = DisclosurePost.objects.get(corrects=post)
    assert response.url == reverse("governance:post_edit", args=[fresh.pk])
    assert fresh.status == PostStatus.DRAFT and fresh.edition == 2


def test_a_stale_edit_is_a_conflict_showing_the_other_version(district, people, client_for):
    post = draft_post(district.liuqiaoyu, people.village_clerk, lines=())
    clerk = client_for(people.village_clerk)
    form = {
        "version": post.version - 1 if post.version > 1 else 0,
        "submission_key": "00000000-0000-0000-0000-000000000000",
        "unit": district.liuqiaoyu.pk,
        "category": "village",
        "title": "改后的标题",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "body": "正文",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
    }
    response = clerk.post(reverse("governance:post_edit", args=[post.pk]), form)
    assert response.status_code == 409
    post.refresh_from_db()
    assert post.title == "2026年第三季度财务公开"
    form["version"] = post.version
    assert clerk.post(reverse("governance:post_edit", args=[post.pk]), form).status_code == 302
    post.refresh_from_db()
    assert post.title == "改后的标题"
