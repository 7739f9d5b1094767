"""Issue 14, item 4: a clerk's post and fund-line note carrying mobile and ID numbers in the forms
people type them reach the public masked, on the village page, the post, posts.json and
posts.csv; and every other public page that shows free text masks it too."""

import csv
import io
import json
import re
import unicodedata
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Decision, DecisionStep, DisclosurePost, PostPhoto, PostStatus, Survey
from disclosure.services.disclosure import post_review, post_submit
from disputes.models import ServicePoint
from tests.consultation.helpers import deliver, make_demand, make_project
from tests.disclosure.helpers import draft_post
from workforce.models import Competition

pytestmark = pytest.mark.django_db

REPRO = [
    "+8613912345678",
    "１３９１２３４５６７８",
    "139 1234 5678",
    "139-1234-5678",
    "370117 19900101 8702",
]
PHONE_MASKED, ID_MASKED = "139****5678", "370117********8702"
TYPED = "、".join(REPRO)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def unmasked(text: str) -> list[str]:
    """Each repro form still readable: as typed, or with its digits run together."""
    flat = unicodedata.normalize("NFKC", text)
    flat = re.sub(r"(?<=[0-9])[ \-\u3000]+(?=[0-9])", "", flat)
    found = [typed for typed in REPRO if typed in text]
    return found + re.findall(r"13912345678|370117199001018702|19900101", flat)


def test_the_scan_finds_every_repro_form():
    assert len(unmasked(TYPED)) >= len(REPRO)
    assert unmasked(f"{PHONE_MASKED} {ID_MASKED}") == []


def test_a_clerks_post_and_fund_line_reach_the_public_masked(district, people, client_for):
    clerk, committee = client_for(people.village_clerk), client_for(people.supervisor)
    form = clerk.get(reverse("governance:post_create"))
    data = {
        "submission_key": form.context["form"].initial["submission_key"],
        "unit": district.liuqiaoyu.pk,
        "category": "relief",
        "title": f"低保金发放公示 联系 {REPRO[2]} 身份证 {REPRO[4]}",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "body": f"本季度低保户联系电话与身份证号：{TYPED}。",
        "declared_income": "",
        "declared_expense": "12345.67",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-direction": "expense",
        "lines-0-item": "低保金",
        "lines-0-amount": "12345.67",
        "lines-0-note": f"领取人 {TYPED}",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
    }
    response = clerk.post(reverse("governance:post_create"), data)
    assert response.status_code == 302, response.context and response.context["error_summary"]
    post = DisclosurePost.objects.get()
    clerk.post(reverse("governance:post_submit", args=[post.pk]), {"version": post.version})
    post.refresh_from_db()
    committee.post(
        reverse("governance:post_review", args=[post.pk]),
        {"version": post.version, "decision": "approved", "comment": ""},
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert len(unmasked(post.body)) >= len(REPRO) and len(unmasked(post.fund_lines.get().note))

    code = district.liuqiaoyu.code
    village = client_for(people.outsider).get(reverse("public:village", args=[code]))
    pages = {
        "village": village.content.decode(),
        "post": client_for(people.outsider).get(post.get_public_url()).content.decode(),
        "json": client_for(people.outsider)
        .get(reverse("public:posts_json", args=[code]))
        .content.decode(),
        "csv": client_for(people.outsider)
        .get(reverse("public:posts_csv", args=[code]))
        .content.decode("utf-8-sig"),
    }
    assert {name: unmasked(text) for name, text in pages.items()} == dict.fromkeys(pages, [])
    assert PHONE_MASKED in pages["village"] and ID_MASKED in pages["village"]
    assert pages["post"].count(PHONE_MASKED) >= 8 and pages["post"].count(ID_MASKED) >= 3
    exported = json.loads(pages["json"])["posts"][0]
    assert exported["text"] == (
        f"本季度低保户联系电话与身份证号：{'、'.join([PHONE_MASKED] * 4 + [ID_MASKED])}。"
    )
    assert exported["fund_lines"][0]["note"].count(PHONE_MASKED) == 4
    row = next(csv.DictReader(io.StringIO(pages["csv"])))
    assert row["note"] == f"领取人 {'、'.join([PHONE_MASKED] * 4 + [ID_MASKED])}"
    assert row["amount"] == "12345.67" and row["period_start"] == "2026-07-01"


def test_every_other_public_page_masks_its_free_text(district, people, client):
    village, community = district.liuqiaoyu, district.meiyuan
    today = timezone.localdate()
    post = _published_with_photo(village, people)
    decision = Decision.objects.create(
        unit=village,
        title=f"修建文化广场 {REPRO[0]}",
        summary="提议修建",
        project=f"文化广场 {REPRO[4]}",
        created_by=people.village_clerk,
    )
    DecisionStep.objects.create(
        decision=decision, kind="resolution_public", number=5, held_on=today, passed=True, post=post
    )
    survey = Survey.objects.create(
        unit=village,
        title=f"满意度测评 {REPRO[1]}",
        question=f"您对本季度村务公开是否满意？咨询 {REPRO[2]}",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
    )
    worker = people.meiyuan_worker
    demand = make_demand(worker, community, days_ago=20)
    project = deliver(worker, make_project(worker, community, [demand]))
    type(project).objects.filter(pk=project.pk).update(
        title=f"修缮道路 {REPRO[3]}", funding_source=f"村集体 {REPRO[4]}"
    )
    type(demand).objects.filter(pk=demand.pk).update(answer=f"已修好，有问题请联系 {REPRO[0]}")
    ServicePoint.objects.create(
        unit=community,
        kind="canteen",
        name=f"爱心食堂 {REPRO[2]}",
        address="梅苑小区3号楼",
        services=f"老年人助餐，预约 {REPRO[1]}",
        hours=f"11:00–13:00，值班 {REPRO[3]}",
        opened_on=date(2025, 1, 1),
    )
    competition = Competition.objects.create(
        unit=district.district,
        name=f"技能大赛 {REPRO[2]}",
        held_on=today,
        status=Competition.Status.PUBLISHED,
        created_by=people.district_staff,
    )

    urls = [
        reverse("public:village", args=[village.code]),
        post.get_public_url(),
        reverse("public:survey", args=[village.code, survey.pk]),
        reverse("public:projects", args=[community.code]),
        demand.tracking_url(),
        reverse("public:service_points"),
        reverse("public:competition_results", args=[competition.pk]),
    ]
    pages = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in pages.items()} == dict.fromkeys(urls, 200)
    texts = {url: r.content.decode() for url, r in pages.items()}
    assert {url: unmasked(text) for url, text in texts.items()} == dict.fromkeys(urls, [])
    for url, text in texts.items():
        assert PHONE_MASKED in text, url


def _published_with_photo(village, people) -> DisclosurePost:
    post = draft_post(
        village, people.village_clerk, title=f"文化广场决议公开 {REPRO[3]}", category="resolutions"
    )
    PostPhoto.objects.create(post=post, image="disclosure/2026/x.jpg", caption=f"公示栏 {REPRO[1]}")
    post = post_submit(post=post, by=people.village_clerk)
    return post_review(post=post, by=people.supervisor, decision="approved")
