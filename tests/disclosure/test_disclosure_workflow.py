"""Disclosure posts: the clerk drafts, the committee returns or approves (which publishes), a
published post never changes (the database refuses it), a correction is a new edition with a
public reason, and every earlier edition stays readable."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from disclosure.models import DisclosurePost, FundLine, PostChannel, PostReview, PostStatus
from disclosure.services.disclosure import post_correct, post_review, post_submit
from tests.disclosure.helpers import draft_post, published_post

pytestmark = pytest.mark.django_db


def test_the_clerk_drafts_a_post_with_fund_lines_and_channels_through_the_form(
    district, people, client_for
):
    clerk = client_for(people.village_clerk)
    form = clerk.get(reverse("governance:post_create"))
    assert form.status_code == 200
    data = {
        "submission_key": form.context["form"].initial["submission_key"],
        "unit": district.liuqiaoyu.pk,
        "category": "funds",
        "title": "道路硬化工程资金使用公示",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "body": "工程由村民代表会议决议实施。",
        "declared_income": "120000.00",
        "declared_expense": "98765.43",
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-0-direction": "income",
        "lines-0-item": "财政补助",
        "lines-0-amount": "120000",
        "lines-1-direction": "expense",
        "lines-1-item": "水泥砂石",
        "lines-1-amount": "58765.40",
        "lines-2-direction": "expense",
        "lines-2-item": "人工",
        "lines-2-amount": "40000.03",
        "channels-TOTAL_FORMS": "2",
        "channels-INITIAL_FORMS": "0",
        "channels-0-channel": "paper",
        "channels-0-published_on": "2026-10-05",
        "channels-0-reference": "第42期",
    }
    response = clerk.post(reverse("governance:post_create"), data)
    assert response.status_code == 302, response.context and response.context["error_summary"]
    post = DisclosurePost.objects.get()
    assert post.status == PostStatus.DRAFT and post.declared_expense_fen == 9_876_543
    assert sorted(post.fund_lines.values_list("amount_fen", flat=True)) == [
        4_000_003,
        5_876_540,
        12_000_000,
    ]
    assert list(post.channels.values_list("channel", "reference")) == [("paper", "第42期")]
    # The same submit again makes nothing new.
    assert clerk.post(reverse("governance:post_create"), data).status_code == 302
    assert DisclosurePost.objects.count() == 1


def test_totals_that_do_not_equal_the_lines_are_refused_next_to_the_field(
    district, people, client_for
):
    clerk = client_for(people.village_clerk)
    form = clerk.get(reverse("governance:post_create"))
    data = {
        "submission_key": form.context["form"].initial["submission_key"],
        "unit": district.liuqiaoyu.pk,
        "category": "finance",
        "title": "十月财务公开",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "body": "收支如下。",
        "declared_income": "100.00",
        "declared_expense": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-direction": "income",
        "lines-0-item": "租金",
        "lines-0-amount": "99.99",
        "lines-1-direction": "expense",
        "lines-1-item": "电费",
        "lines-1-amount": "0.01",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
    }
    response = clerk.post(reverse("governance:post_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "99.99" in errors["declared_income"][0]
    assert "0.01" in errors["declared_expense"][0]
    assert DisclosurePost.objects.count() == 0
    # A third decimal place or a negative amount is refused too, never a 500.
    data["lines-0-amount"] = "99.999"
    data["lines-1-amount"] = "-1"
    response = clerk.post(reverse("governance:post_create"), data)
    assert response.status_code == 200 and DisclosurePost.objects.count() == 0


def test_a_draft_whose_totals_do_not_add_up_cannot_be_submitted(district, people):
    post = draft_post(district.liuqiaoyu, people.village_clerk)
    DisclosurePost.objects.filter(pk=post.pk).update(declared_income_fen=999)
    post.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        post_submit(post=post, by=people.village_clerk)
    assert "10000.00" in refused.value.message_dict["declared_income"][0]
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_the_committee_returns_with_comments_then_approves_which_publishes(
    district, people, client_for
):
    post = draft_post(district.liuqiaoyu, people.village_clerk)
    clerk, committee = client_for(people.village_clerk), client_for(people.supervisor)
    clerk.post(reverse("governance:post_submit", args=[post.pk]), {"version": post.version})
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    # The clerk cannot review; returning needs a comment.
    assert (
        clerk.post(
            reverse("governance:post_review", args=[post.pk]),
            {"version": post.version, "decision": "approved"},
        ).status_code
        == 404
    )
    no_comment = committee.post(
        reverse("governance:post_review", args=[post.pk]),
        {"version": post.version, "decision": "returned", "comment": ""},
    )
    assert no_comment.status_code == 200
    assert no_comment.context["review_form"].errors["comment"]
    committee.post(
        reverse("governance:post_review", args=[post.pk]),
        {"version": post.version, "decision": "returned", "comment": "请附上发票扫描件。"},
    )
    post.refresh_from_db()
    assert post.status == PostStatus.RETURNED
    clerk.post(reverse("governance:post_submit", args=[post.pk]), {"version": post.version})
    post.refresh_from_db()
    committee.post(
        reverse("governance:post_review", args=[post.pk]),
        {"version": post.version, "decision": "approved", "comment": ""},
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_on is not None
    assert list(post.reviews.values_list("decision", flat=True)) == [
        PostReview.RETURNED,
        PostReview.APPROVED,
    ]
    # The committee page shows the comment; an outsider gets a 404.
    assert "请附上发票扫描件" in committee.get(post.get_absolute_url()).content.decode()
    assert client_for(people.wenyuan_official).get(post.get_absolute_url()).status_code == 404


def test_a_stale_review_is_a_conflict_and_changes_nothing(district, people, client_for):
    post = post_submit(
        post=draft_post(district.liuqiaoyu, people.village_clerk), by=people.village_clerk
    )
    response = client_for(people.supervisor).post(
        reverse("governance:post_review", args=[post.pk]),
        {"version": post.version - 1, "decision": "approved"},
    )
    assert response.status_code == 409
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW


def test_a_published_post_and_its_lines_never_change_even_through_sql(district, people):
    post = published_post(district.liuqiaoyu, people.village_clerk, people.supervisor)
    for attempt in [
        lambda: DisclosurePost.objects.filter(pk=post.pk).update(title="改过的标题"),
        lambda: DisclosurePost.objects.filter(pk=post.pk).delete(),
        lambda: FundLine.objects.filter(post=post).update(amount_fen=1),
        lambda: FundLine.objects.filter(post=post).delete(),
        lambda: FundLine.objects.create(post=post, direction="expense", item="x", amount_fen=1),
        lambda: PostChannel.objects.create(post=post, channel="wechat", published_on=date.today()),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    post.refresh_from_db()
    assert post.title == "2026年第三季度财务公开"
    assert post.line_totals() == {"income": 1_000_000, "expense": 750_050}


def test_the_edit_page_of_a_published_post_sends_back_to_the_post(district, people, client_for):
    post = published_post(district.liuqiaoyu, people.village_clerk, people.supervisor)
    response = client_for(people.village_clerk).get(reverse("governance:post_edit", args=[post.pk]))
    assert response.status_code == 302 and response.url == post.get_absolute_url()


def test_a_correction_is_a_new_edition_with_a_public_reason_and_the_old_one_stays(
    district, people, client
):
    clerk, supervisor = people.village_clerk, people.supervisor
    first = published_post(district.liuqiaoyu, clerk, supervisor)
    with pytest.raises(ValidationError) as refused:
        post_correct(post=first, by=clerk, reason="  ")
    assert "reason" in refused.value.message_dict
    second = post_correct(post=first, by=clerk, reason="第2行金额录入错误，更正为7500.50元。")
    assert second.edition == 2 and second.corrects == first and second.status == PostStatus.DRAFT
    assert second.line_totals() == first.line_totals()
    FundLine.objects.filter(post=second, item="道路修缮").update(amount_fen=750_050)
    second = post_submit(post=second, by=clerk)
    second = post_review(post=second, by=supervisor, decision="approved")
    with pytest.raises(ValidationError):
        post_correct(post=first, by=clerk, reason="again")
    assert DisclosurePost.objects.filter(corrects=first).count() == 1

    newest = client.get(second.get_public_url()).content.decode()
    assert "第2行金额录入错误" in newest
    older = client.get(first.get_public_url()).content.decode()
    assert "2026年第三季度财务公开" in older and second.get_public_url() in older
    first.refresh_from_db()
    assert first.status == PostStatus.PUBLISHED and [e.pk for e in first.editions()] == [
        first.pk,
        second.pk,
    ]
