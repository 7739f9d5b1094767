"""The public village pages need no login, carry no personal data (scanned for unmasked mobile
and ID numbers), are cached yet fresh after a publication, and offer CSV and JSON downloads of
published posts and their fund lines."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.models import (
    Decision,
    DisclosurePost,
    Finding,
    FundLine,
    SupervisionMember,
)
from disclosure.services.disclosure import post_review, post_submit
from tests.disclosure.helpers import draft_post, published_post

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
RELIEF_BODY = "2026年第三季度低保户：张三，身份证号11010519491231002X，电话13812345678。"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def unmasked(text: str) -> list[str]:
    return PHONE.findall(text) + ID_NUMBER.findall(text)


@pytest.fixture
def village_records(district, people):
    v = district.liuqiaoyu
    relief = draft_post(
        v,
        people.village_clerk,
        title="低保户名单公示 13900001111",
        category="relief",
        body=RELIEF_BODY,
        lines=[("expense", "低保金 370117198001011234", 345_678)],
    )
    FundLine.objects.filter(post=relief).update(note="联系 15000002222")
    relief = post_submit(post=relief, by=people.village_clerk)
    relief = post_review(post=relief, by=people.supervisor, decision="approved")
    finance = published_post(v, people.village_clerk, people.supervisor)
    draft = draft_post(v, people.village_clerk, title="尚未公开的草稿")
    SupervisionMember.objects.create(unit=v, name="李四", kind="observer", since=date(2026, 1, 1))
    Finding.objects.create(
        unit=v,
        title="村口路灯不亮",
        description="已报修",
        found_on=date(2026, 3, 1),
        assignee="王五",
        deadline=date(2026, 3, 20),
        response="已更换灯具",
        responded_on=date(2026, 3, 10),
        signed_off_on=date(2026, 3, 12),
        reported_by=people.supervisor,
    )
    Decision.objects.create(
        unit=v, title="修建文化广场", summary="提议修建", created_by=people.village_clerk
    )
    return {"relief": relief, "finance": finance, "draft": draft}


def public_urls(village_records, district) -> list[str]:
    code = district.liuqiaoyu.code
    return [
        reverse("public:villages"),
        reverse("public:villages") + "?q=柳桥",
        reverse("public:village", args=[code]),
        village_records["relief"].get_public_url(),
        village_records["finance"].get_public_url(),
        reverse("public:posts_csv", args=[code]),
        reverse("public:posts_json", args=[code]),
    ]


def test_every_public_page_and_download_opens_without_login_and_carries_no_personal_data(
    client, district, village_records
):
    for url in public_urls(village_records, district):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        assert unmasked(text) == [], url
        assert "李四" not in text and "王五" not in text, url
    page = client.get(village_records["relief"].get_public_url()).content.decode()
    assert "110105********002X" in page and "138****5678" in page


def test_the_scan_would_catch_an_unmasked_number(client, district, village_records):
    """The scan itself can fail: the raw body does carry both numbers."""
    assert len(unmasked(RELIEF_BODY)) == 2


def test_drafts_never_reach_the_public(client, district, village_records):
    draft = village_records["draft"]
    url = reverse("public:post", args=[district.liuqiaoyu.code, draft.pk])
    assert client.get(url).status_code == 404
    village = client.get(reverse("public:village", args=[district.liuqiaoyu.code]))
    assert "尚未公开的草稿" not in village.content.decode()


def test_the_index_searches_villages_by_name(client, district, village_records):
    found = client.get(reverse("public:villages"), {"q": "柳桥"}).content.decode()
    assert "柳桥峪村" in found
    none = client.get(reverse("public:villages"), {"q": "不存在的村"}).content.decode()
    assert "柳桥峪村" not in none
    fragment = client.get(reverse("public:villages"), {"q": "柳桥"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "柳桥峪村" in fragment.content.decode()


def test_the_village_page_shows_posts_decisions_and_rectified_items(
    client, district, village_records
):
    page = client.get(reverse("public:village", args=[district.liuqiaoyu.code])).content.decode()
    assert "2026年第三季度财务公开" in page
    assert "修建文化广场" in page
    assert "村口路灯不亮" in page and "已更换灯具" in page


def test_pages_are_cached_and_a_publication_refreshes_them(
    client, district, people, village_records
):
    url = reverse("public:village", args=[district.liuqiaoyu.code])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url)
    # Reading the cache is a query too when it lives in PostgreSQL; nothing else is read.
    read = [q["sql"] for q in queries if "portal_cache" not in q["sql"]]
    assert len(read) <= 2, read  # the village itself and its survey-free page frame
    assert "2026年第三季度财务公开" in cached.content.decode()
    published_post(
        district.liuqiaoyu, people.village_clerk, people.supervisor, title="十月村务公开"
    )
    assert "十月村务公开" in client.get(url).content.decode()


def test_csv_and_json_list_published_posts_and_their_fund_lines(client, district, village_records):
    code = district.liuqiaoyu.code
    payload = json.loads(client.get(reverse("public:posts_json", args=[code])).content)
    titles = [p["title"] for p in payload["posts"]]
    assert "2026年第三季度财务公开" in titles and "尚未公开的草稿" not in titles
    finance = next(p for p in payload["posts"] if p["title"] == "2026年第三季度财务公开")
    assert finance["total_income"] == "10000.00" and finance["total_expense"] == "7500.50"
    assert [x["amount"] for x in finance["fund_lines"]] == ["10000.00", "7500.50"]

    response = client.get(reverse("public:posts_csv", args=[code]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    lines = [r for r in rows if r["title"] == "2026年第三季度财务公开"]
    assert [r["amount"] for r in lines] == ["10000.00", "7500.50"]
    assert DisclosurePost.objects.filter(status="published").count() == len(
        {r["post_id"] for r in rows}
    )


def test_an_unknown_village_is_a_404_and_a_community_with_nothing_says_so(client, district):
    assert client.get(reverse("public:village", args=["999999999999"])).status_code == 404
    response = client.get(reverse("public:village", args=[district.meiyuan.code]))
    assert response.status_code == 200
    assert "尚未在本平台公开" in response.content.decode()
    street = client.get(reverse("public:village", args=[district.aishan.code]))
    assert street.status_code == 404
