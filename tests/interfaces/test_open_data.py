"""The open-data API: public, read-only, paginated, with no personal data and queries that do not
grow with the page or the data."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.services.disclosure import post_correct
from tests.disclosure.helpers import published_post
from tests.disclosure.test_disclosure_public import unmasked, village_records  # noqa: F401

API = "/api/v1"


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_villages_posts_come_with_fund_lines_and_never_a_draft(
    client,
    district,
    village_records,  # noqa: F811
):
    code = district.liuqiaoyu.code
    page = get(client, f"/units/{code}/posts")
    assert page["count"] == 2
    titles = [post["title"] for post in page["items"]]
    assert "尚未公开的草稿" not in titles
    finance = next(p for p in page["items"] if p["id"] == village_records["finance"].pk)
    assert finance["total_income"] == "10000.00"
    assert [
        (line["direction"], line["line"], line["amount"]) for line in finance["fund_lines"]
    ] == [
        ("income", "上级拨付", "10000.00"),
        ("expense", "道路修缮", "7500.50"),
    ]
    assert client.get(finance["url"]).status_code == 200


def test_every_endpoint_answers_without_personal_data(client, district, village_records):  # noqa: F811
    code = district.liuqiaoyu.code
    for path in (
        "/units",
        f"/units/{code}",
        f"/units/{code}/posts",
        f"/units/{code}/decisions",
        f"/units/{code}/rectified",
        f"/units/{code}/surveys",
        f"/units/{code}/projects",
        "/figures",
        f"/figures?unit={code}",
        "/service-points",
    ):
        response = client.get(API + path)
        assert response.status_code == 200, (path, response.content)
        body = response.content.decode("unicode_escape")
        assert unmasked(body) == [], path
        for name in ("王五", "李四"):  # a finding's assignee, an observer
            assert name not in body, (path, name)


def test_a_correction_lists_both_editions_linked(client, district, people, village_records):  # noqa: F811
    from disclosure.services.disclosure import post_review, post_submit

    first = village_records["finance"]
    second = post_correct(post=first, by=people.village_clerk, reason="支出金额有误")
    second = post_submit(post=second, by=people.village_clerk)
    second = post_review(post=second, by=people.supervisor, decision="approved")
    posts = {p["id"]: p for p in get(client, f"/units/{district.liuqiaoyu.code}/posts")["items"]}
    assert posts[second.pk]["edition"] == 2 and posts[second.pk]["corrects"] == first.pk
    assert posts[first.pk]["corrected_by"] == second.pk
    assert posts[second.pk]["correction_reason"] == "支出金额有误"


def test_rectified_items_show_what_was_done_not_who(client, district, village_records):  # noqa: F811
    [item] = get(client, f"/units/{district.liuqiaoyu.code}/rectified")["items"]
    assert item["title"] == "村口路灯不亮" and item["response"] == "已更换灯具"
    assert "assignee" not in item


def test_grids_are_in_no_public_list(client, district):
    codes = {u["code"] for u in get(client, "/units", page_size=200)["items"]}
    assert district.meiyuan.code in codes and district.meiyuan_grid.code not in codes
    assert client.get(f"{API}/units/{district.meiyuan_grid.code}").status_code == 404
    children = get(client, "/units", parent=district.aishan.code)["items"]
    assert {u["code"] for u in children} == {district.meiyuan.code, district.yongxing.code}


def test_small_counts_below_street_level_are_null_as_on_the_public_page(client, district):
    district_figures = get(client, "/figures")["figures"]
    village_figures = get(client, "/figures", unit=district.liuqiaoyu.code)["figures"]
    received = next(f for f in district_figures if f["key"] == "disputes.received")
    assert received["value"] == 0
    received = next(f for f in village_figures if f["key"] == "disputes.received")
    assert received["value"] is None


def test_bad_input_answers_in_the_error_shape(client, district):
    for path, status in (
        ("/units?page=0", 400),
        ("/units?page_size=100000", 400),
        ("/units?level=grid", 400),
        ("/units/000000000000/posts", 404),
        ("/figures?period=custom", 400),
        ("/figures?period=decade", 400),
        ("/service-points?level=castle", 400),
    ):
        response = client.get(API + path)
        assert response.status_code == status, (path, response.content)
        [error] = response.json()
        assert error["code"] == status and error["description"], path


def test_writes_are_refused(client, district):
    response = client.post(f"{API}/units", {})
    assert response.status_code == 405


def test_post_pages_cost_the_same_queries_whatever_their_size_or_the_data(client, district, people):
    code = district.liuqiaoyu.code

    def queries(page_size):
        cache.clear()  # the address's rate count starts afresh: its cache rows cost the same
        with CaptureQueriesContext(connection) as captured:
            get(client, f"/units/{code}/posts", page_size=page_size)
        return len(captured)

    published_post(district.liuqiaoyu, people.village_clerk, people.supervisor)
    small = queries(1)
    for n in range(6):
        published_post(
            district.liuqiaoyu, people.village_clerk, people.supervisor, title=f"第{n}期公开"
        )
    assert queries(1) == small
    assert queries(50) == small
