"""Issue 17: the public side has no dead ends. From the public home a visitor reaches every
community's and village's disclosure and posts pages, the figures, the service points and every
delivered project, each answering 200 with a description and no personal data; a village's posts
page through all its posts and filter by year and category; a delivered project shows its photos
and its steps from demand to delivery, and the decision that started it links to it."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from consultation.models import LivelihoodProject
from consultation.services.consultation import project_update
from core.models import AdministrativeUnit, UnitLevel
from disclosure.models import Decision, DecisionStep, DisclosurePost, PostStatus
from tests.consultation.helpers import PHONE, deliver, make_demand, make_project
from tests.crawl import crawl, personal_data_in

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
ID_NUMBER = "370117199001018702"
# A resident's name and home address (the demand form's own examples differ).
NAME, ADDRESS = "赵德柱", "梅苑小区17号楼"


@pytest.fixture(autouse=True)
def fresh_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def _posts(village, by, *, per_year: dict[int, int]) -> list[DisclosurePost]:
    categories = ["finance", "village", "funds"]
    made = []
    for year, count in per_year.items():
        for n in range(count):
            day = date(year, 1 + n % 12, 1 + n % 27)
            made.append(
                DisclosurePost.objects.create(
                    unit=village,
                    category=categories[n % 3],
                    title=f"{year}年第{n + 1}期公开",
                    period_start=day,
                    period_end=day,
                    body="公开内容。",
                    status=PostStatus.PUBLISHED,
                    published_on=day,
                    created_by=by,
                )
            )
    return made


def _jpeg(colour) -> ContentFile:
    out = BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def _delivered_project(district, people, title="梅苑小区充电车棚"):
    worker, community = people.meiyuan_worker, district.meiyuan
    demand = make_demand(
        worker,
        community,
        days_ago=30,
        contact_name=NAME,
        contact_phone=PHONE,
        address=f"{ADDRESS}2单元",
        description=f"车棚没有充电桩，联系人{NAME} {PHONE}，身份证{ID_NUMBER}",
    )
    project = deliver(worker, make_project(worker, community, [demand], days_ago=20))
    LivelihoodProject.objects.filter(pk=project.pk).update(title=title)
    project.refresh_from_db()
    return project


def test_every_public_page_is_reachable_from_the_home(district, people, client):
    _posts(district.liuqiaoyu, people.village_clerk, per_year={2025: 3, 2026: 30})
    projects = [_delivered_project(district, people, f"充电车棚{n}") for n in range(3)]
    found = crawl(client, ["/"], per_route=400, limit=1500)

    failed = {url: page.status for url, page in found.pages.items() if page.status != 200}
    assert failed == {}
    local = AdministrativeUnit.objects.filter(level__in=[UnitLevel.COMMUNITY, UnitLevel.VILLAGE])
    # Every community's and village's page; the posts page of each that published any (one
    # with nothing says so on its page, which links to no empty list).
    wanted = {reverse("public:village", args=[u.code]) for u in local}
    publishing = local.filter(disclosure_posts__status=PostStatus.PUBLISHED).distinct()
    assert list(publishing) == [district.liuqiaoyu]
    wanted |= {reverse("public:village_posts", args=[u.code]) for u in publishing}
    wanted |= {reverse("public:figures"), reverse("public:service_points")}
    wanted |= {reverse("public:project", args=[p.unit.code, p.pk]) for p in projects}
    assert wanted - found.paths() == set()
    # Paging: the thirtieth post of the village is reached through the pager.
    assert any("after=" in url for url in found.pages)
    leaks = {url: personal_data_in(p.text) for url, p in found.pages.items()}
    assert {url: hits for url, hits in leaks.items() if hits} == {}
    assert [u for u, p in found.pages.items() if NAME in p.text or ADDRESS in p.text] == []
    pages = [p for p in found.pages.values() if "<html" in p.text]
    undescribed = [p.url for p in pages if not DESCRIPTION.search(p.text)]
    assert undescribed == []
    # Each page says what it holds, not only what the portal is.
    village = found.pages[reverse("public:village", args=[district.liuqiaoyu.code])]
    assert "柳桥峪村" in DESCRIPTION.search(village.text).group(1)


def test_a_community_with_nothing_disclosed_says_so_and_the_tree_links_it(district, people, client):
    home = client.get(f"/?open={district.aishan.code}").content.decode()
    assert f'href="{reverse("public:village", args=[district.meiyuan.code])}"' in home
    page = client.get(reverse("public:village", args=[district.meiyuan.code]))
    assert page.status_code == 200
    assert "梅苑社区尚未在本平台公开任何内容" in page.content.decode()
    posts = client.get(reverse("public:village_posts", args=[district.meiyuan.code]))
    assert posts.status_code == 200 and "暂无公开内容" in posts.content.decode()


def test_the_posts_page_pages_through_every_post_and_filters_by_year_and_category(
    district, people, client, htmx_headers
):
    village = district.liuqiaoyu
    posts = _posts(village, people.village_clerk, per_year={2025: 12, 2026: 18})
    url = reverse("public:village_posts", args=[village.code])
    seen, next_url, pages = [], url, 0
    while next_url:
        html = client.get(next_url).content.decode()
        seen += [
            int(pk) for pk in re.findall(rf"/public/villages/{village.code}/posts/(\d+)/", html)
        ]
        after = re.search(r'href="\?(after=[^"]+)"', html)
        next_url = f"{url}?{after.group(1)}" if after else None
        pages += 1
    assert pages == 2 and sorted(seen) == sorted(p.pk for p in posts) and len(seen) == 30
    assert "已公开30篇" in client.get(url).content.decode()

    only_2025 = client.get(url, {"year": 2025}).content.decode()
    assert "符合条件的公开事项12篇" in only_2025
    assert len(re.findall(r"2025年第\d+期公开", only_2025)) == 12 and "2026年" not in only_2025
    finance_2026 = client.get(url, {"year": 2026, "category": "finance"}, headers=htmx_headers)
    text = finance_2026.content.decode()
    assert "<html" not in text and "符合条件的公开事项6篇" in text
    assert len(re.findall(r"2026年第\d+期公开", text)) == 6

    bad = client.get(url, {"year": "1999", "category": "nonsense"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "请从列表中选择年份" in text and "请从列表中选择类别" in text
    assert "已公开30篇" in text  # a bad filter filters nothing


def test_a_delivered_project_shows_its_photos_and_steps_and_its_decision_links_it(
    district, people, client
):
    project = _delivered_project(district, people)
    page_url = reverse("public:project", args=[project.unit.code, project.pk])
    listed = client.get(reverse("public:projects", args=[district.meiyuan.code])).content.decode()
    assert f'href="{page_url}"' in listed

    first = client.get(page_url).content.decode()
    assert "该项目暂未公开照片" in first
    project_update(
        by=people.meiyuan_worker,
        project=project,
        version=project.version,
        photos={"photo_before": _jpeg("gray"), "photo_after": _jpeg("green")},
    )
    html = client.get(page_url).content.decode()  # the cached page was renewed
    assert "实施前" in html and "落地后" in html
    for which in ("before", "after"):
        thumb = client.get(
            reverse("public:project_photo", args=[project.unit.code, project.pk, which, "thumb"])
        )
        full = client.get(
            reverse("public:project_photo", args=[project.unit.code, project.pk, which, "full"])
        )
        assert thumb["Content-Type"] == full["Content-Type"] == "image/jpeg"
        with Image.open(BytesIO(b"".join(thumb.streaming_content))) as image:
            assert max(image.size) <= 480
        assert f'src="{thumb.wsgi_request.path}"' in html
    steps = re.findall(
        r'<time datetime="([\d-]+)">[^<]*</time></p>\s*<strong>([^<]+)</strong>', html
    )
    labels = [label for _day, label in steps]
    assert labels == ["受理居民诉求", "民情分析会提出", "阳光议事会议定", "开工实施", "已落地"]
    days = [day for day, _label in steps]
    assert days == sorted(days) and days[-1] == project.delivered_on.isoformat()
    assert personal_data_in(html) == [] and NAME not in html and ADDRESS not in html

    post = DisclosurePost.objects.create(
        unit=district.meiyuan,
        category="resolutions",
        title="关于建设充电车棚的决议公开",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        body="经“四议两公开”程序，现予决议公开。",
        status=PostStatus.PUBLISHED,
        published_on=timezone.localdate() - timedelta(days=1),
        created_by=people.village_clerk,
    )
    decision = Decision.objects.create(
        unit=district.meiyuan,
        title="建设充电车棚",
        summary="建设充电车棚一处。",
        project=project.title,
        created_by=people.village_clerk,
    )
    DecisionStep.objects.create(
        decision=decision,
        kind="resolution_public",
        number=5,
        held_on=post.published_on,
        passed=True,
        post=post,
    )
    cache.clear()
    for url in (post.get_public_url(), reverse("public:village", args=[district.meiyuan.code])):
        assert f'href="{page_url}"' in client.get(url).content.decode(), url


def test_a_project_not_delivered_has_no_public_page(district, people, client):
    worker = people.meiyuan_worker
    project = make_project(worker, district.meiyuan, [make_demand(worker, district.meiyuan)])
    url = reverse("public:project", args=[project.unit.code, project.pk])
    assert client.get(url).status_code == 404
    photo = reverse("public:project_photo", args=[project.unit.code, project.pk, "after", "thumb"])
    assert client.get(photo).status_code == 404
