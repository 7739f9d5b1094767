"""Browsing the tree: roots are the user's own units; htmx expands children in place,
and without JavaScript the ?open= link shows the same branch."""

import re

import pytest

from tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_tree_starts_at_the_users_own_unit(district, people, client_for):
    html = client_for(people.aishan_official).get("/units/").content.decode()
    assert "艾山街道" in html
    assert "汶源街道" not in html
    assert 'href="/units/370117000000/"' not in html


def test_the_htmx_fragment_holds_only_the_children(district, people, client_for, htmx_headers):
    response = client_for(people.district_staff).get(
        f"/units/{district.aishan.code}/children/", headers=htmx_headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "梅苑社区" in html and "永兴社区" in html
    assert "<html" not in html and "汶源街道" not in html


def test_without_javascript_the_children_link_opens_the_tree_there(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.get(f"/units/{district.aishan.code}/children/")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "梅苑社区" in html and 'aria-expanded="true"' in html


def test_opening_a_deep_unit_opens_every_ancestor(district, people, client_for):
    html = (
        client_for(people.district_staff)
        .get(f"/units/?open={district.meiyuan.code}")
        .content.decode()
    )
    assert "梅苑社区第一网格" in html and "永兴社区" in html


def test_retired_units_leave_the_tree_but_keep_their_page(district, people, client_for):
    district.yongxing.retired_on = district.yongxing.created_on
    district.yongxing.retired_reason = "合并"
    district.yongxing.save()
    client = client_for(people.district_staff)
    html = client.get(f"/units/?open={district.aishan.code}").content.decode()
    assert "永兴社区" not in html
    page = client.get(f"/units/{district.yongxing.code}/").content.decode()
    assert "已撤销" in page


def test_the_unit_page_shows_breadcrumbs_children_and_the_menu(district, people, client_for):
    html = (
        client_for(people.meiyuan_worker).get(f"/units/{district.meiyuan.code}/").content.decode()
    )
    assert "梅苑社区第一网格" in html and "梅苑社区第二网格" in html
    # Ancestors appear in the path, without links the worker could not follow.
    assert "艾山街道" in html and f'href="/units/{district.aishan.code}/"' not in html
    assert "单位树" in html and "账号管理" not in html and "导入单位" not in html


def test_the_district_menu_offers_import_and_accounts(district, people, client_for):
    html = (
        client_for(people.district_staff).get(f"/units/{district.district.code}/").content.decode()
    )
    assert "导入单位" in html and "账号管理" in html


@pytest.mark.parametrize(
    "persona, landing",
    [
        ("district_staff", "district"),
        ("aishan_official", "aishan"),
        ("wenyuan_official", "wenyuan"),
        ("meiyuan_worker", "meiyuan"),
        ("grid_worker", "meiyuan_grid"),
        ("village_clerk", "liuqiaoyu"),
        ("supervisor", "liuqiaoyu"),
        ("volunteer_leader", "honggou"),
    ],
)
def test_each_role_lands_on_its_work_with_its_own_unit_a_tap_away(
    district, people, client_for, persona, landing
):
    response = client_for(getattr(people, persona)).get("/home/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的待办" in html
    assert f'href="/units/{getattr(district, landing).code}/"' in html


def test_a_user_without_a_role_is_told_so(district, people, client_for):
    response = client_for(people.outsider).get("/home/")
    assert response.status_code == 200
    assert "尚未分配单位" in response.content.decode()


def test_a_judge_lands_on_the_competitions_not_on_a_unit_they_may_not_open(district, client_for):
    judge = person("landing_judge", district.district, "competition_judge")
    client = client_for(judge)
    response = client.get("/home/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/competitions/"' in html
    assert 'href="/units/' not in html
    assert client.get("/competitions/").status_code == 200


def test_the_unit_page_folds_its_figures_into_the_dashboards_groups(district, people, client_for):
    from django.utils import translation

    from core.metrics import metrics

    html = (
        client_for(people.meiyuan_worker)
        .get(f"/units/{district.meiyuan_grid.code}/")
        .content.decode()
    )
    headline = [m for m in metrics() if m.headline]
    assert 1 <= html.count('<details class="figure-group">') <= 7
    first_group = html.index('<details class="figure-group">')
    with translation.override("zh-hans"):
        labels = {str(metric.label) for metric in headline}
    # The headline figures come first, unfolded; every other figure is in a group.
    first = set(re.findall(r'<div class="figure">\s*<dt>([^<]+)</dt>', html[:first_group]))
    assert first and first <= labels
    # A grid has no streets: a figure that is zero is named in one line, not drawn as a card.
    zeros = re.findall(r"今年为零：([^<]*)</p>", html)
    assert any("街道数" in line for line in zeros)
    assert "<dt>街道数</dt>" not in html
