"""The staff search box (/search/): each kind found by number and by name, within the user's scope,
personal data masked, every link answering 200, bad input answered with a message."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse

from consultation.models import Demand
from core.search import PER_KIND, clean_query
from disputes.models import Hazard
from tests.consultation.helpers import make_demand, make_project
from tests.disputes.helpers import log_case
from tests.workforce.helpers import add_worker
from volunteers.models import Volunteer

URL = reverse("governance:search")
ID_NUMBER = "11010519491231002X"  # valid check digit
ID_MASKED = "110105********002X"


@dataclass
class Records:
    case: object
    other_case: object  # at 汶源街道's 洪沟社区
    hazard: Hazard
    demand: Demand
    project: object
    worker: object
    volunteer: Volunteer


@pytest.fixture
def records(district, people) -> Records:
    official = people.aishan_official
    hazard = Hazard(
        unit=district.meiyuan,
        category="fire",
        place="梅苑小区7号楼楼道",
        description="楼道堆放杂物",
        severity="high",
        found_on=date.today(),
        deadline=date.today() + timedelta(days=7),
        reported_by=official,
    )
    hazard.save()
    volunteer = Volunteer(
        unit=district.meiyuan,
        name="欧阳明远",
        phone="13912345678",
        id_number=ID_NUMBER,
        joined_on=date(2021, 1, 1),
    )
    volunteer.save()
    return Records(
        case=log_case(official, district.meiyuan),
        other_case=log_case(people.wenyuan_official, district.honggou),
        hazard=hazard,
        demand=make_demand(
            official,
            district.meiyuan,
            source="12345",
            ticket_number="12345-20260101-000777",
            description="梅苑小区北门路灯不亮",
        ),
        project=make_project(official, district.meiyuan),
        worker=add_worker(
            official, district.meiyuan, name="司马网格", position_name="社区专职工作者"
        ),
        volunteer=volunteer,
    )


def hits(response) -> dict[str, list[str]]:
    """The hits on a results page or fragment, by group heading id: the links' hrefs."""
    html = response.content.decode()
    groups = {}
    for key, body in re.findall(r'id="search-group-(\w+)">.*?<ul>(.*?)</ul>', html, re.S):
        groups[key] = re.findall(r'<a href="([^"]+)"', body)
    return groups


@pytest.mark.parametrize(
    "kind, query, record",
    [
        ("case", lambda r: r.case.number, "case"),
        ("case", lambda r: r.case.number[-10:], "case"),  # the tail: "2026-00001"
        ("case", lambda r: "漏水", "case"),
        ("hazard", lambda r: f"#{r.hazard.pk}", "hazard"),
        ("hazard", lambda r: "7号楼", "hazard"),
        ("demand", lambda r: r.demand.tracking_code.lower(), "demand"),
        ("demand", lambda r: r.demand.ticket_number, "demand"),
        ("demand", lambda r: "北门路灯", "demand"),
        ("project", lambda r: str(r.project.pk), "project"),
        ("project", lambda r: "门口道路", "project"),
        ("worker", lambda r: "司马", "worker"),
        ("volunteer", lambda r: ID_NUMBER, "volunteer"),
        ("volunteer", lambda r: "明远", "volunteer"),
    ],
)
def test_it_finds_each_kind_by_number_and_by_name(kind, query, record, records, people, client_for):
    client = client_for(people.aishan_official)
    response = client.get(URL, {"q": query(records)})
    assert response.status_code == 200
    url = getattr(records, record).get_absolute_url()
    assert url in hits(response).get(kind, [])
    assert client.get(url).status_code == 200


def test_it_finds_units_by_code_and_by_name(district, people, client_for):
    client = client_for(people.aishan_official)
    by_code = hits(client.get(URL, {"q": district.meiyuan.code}))["unit"]
    assert by_code[0] == district.meiyuan.get_absolute_url()
    by_name = hits(client.get(URL, {"q": "梅苑"}))["unit"]
    assert district.meiyuan.get_absolute_url() in by_name
    assert client.get(by_name[0]).status_code == 200


def test_full_width_digits_read_as_a_number(records, people, client_for):
    wide = records.case.number.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    client = client_for(people.aishan_official)
    assert hits(client.get(URL, {"q": wide}))["case"] == [records.case.get_absolute_url()]


def test_a_street_official_never_finds_another_streets_case(records, people, client_for):
    aishan = client_for(people.aishan_official)
    response = aishan.get(URL, {"q": records.other_case.number}, headers={"HX-Request": "true"})
    assert "case" not in hits(response)
    assert records.other_case.get_absolute_url() not in response.content.decode()
    # the colleague at that street does find it
    wenyuan = client_for(people.wenyuan_official)
    found = hits(wenyuan.get(URL, {"q": records.other_case.number}))["case"]
    assert found == [records.other_case.get_absolute_url()]


def test_a_grid_worker_finds_only_their_grids_records_and_no_volunteers(
    district, records, people, client_for
):
    grid = client_for(people.grid_worker)
    assert hits(grid.get(URL, {"q": records.case.number})) == {}  # logged at the community
    assert "volunteer" not in hits(grid.get(URL, {"q": ID_NUMBER}))
    own = log_case(people.grid_worker, district.meiyuan_grid)
    found = hits(grid.get(URL, {"q": own.number}))["case"]
    assert found == [own.get_absolute_url()]
    assert grid.get(found[0]).status_code == 200


def test_a_volunteer_found_by_full_id_number_shows_it_masked(
    records, people, client_for, htmx_headers
):
    client = client_for(people.aishan_official)
    for headers in ({}, htmx_headers):
        html = client.get(URL, {"q": ID_NUMBER}, headers=headers).content.decode()
        assert ID_MASKED in html and "欧***" in html
        assert "欧阳明远" not in html and "13912345678" not in html
    # the dropdown never repeats the number (the page's box shows what was typed)
    assert ID_NUMBER not in html


def test_a_case_shows_no_partys_personal_data(records, people, client_for):
    html = client_for(people.aishan_official).get(URL, {"q": "漏水"}).content.decode()
    assert "张三" not in html and "13812345678" not in html


def test_more_than_five_leads_to_the_rest(district, people, client_for):
    for n in range(PER_KIND + 2):
        add_worker(
            people.aishan_official,
            district.meiyuan,
            name=f"上官{n}号",
            position_name="社区专职工作者",
        )
    client = client_for(people.aishan_official)
    response = client.get(URL, {"q": "上官"})
    assert len(hits(response)["worker"]) == PER_KIND
    more = re.search(r'class="search-more"><a href="([^"]+)"', response.content.decode())
    assert more and more.group(1).startswith(reverse("governance:worker_list"))
    listed = client.get(more.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200 and "上官6号" in listed.content.decode()
    # a kind whose list cannot filter by the query gets the search page of that kind
    for _n in range(PER_KIND + 1):
        log_case(people.aishan_official, district.yongxing)
    response = client.get(URL, {"q": "漏水"})
    more = re.search(r'class="search-more"><a href="([^"]+)"', response.content.decode())
    rest = client.get(more.group(1).replace("&amp;", "&"))
    assert rest.status_code == 200 and len(hits(rest)["case"]) == PER_KIND + 1


def test_without_javascript_the_box_is_a_form_to_the_results_page(records, people, client_for):
    client = client_for(people.aishan_official)
    home = client.get(reverse("governance:home"), follow=True).content.decode()
    assert f'<form class="site-search" role="search" method="get" action="{URL}">' in home
    assert 'name="q"' in home and 'hx-trigger="input changed delay:300ms, search"' in home
    page = client.get(URL, {"q": "漏水"})
    assert "<html" in page.content.decode() and "case" in hits(page)
    assert client.get(URL).status_code == 200  # the empty page, with its own form


def test_htmx_gets_the_dropdown_fragment(records, people, client_for, htmx_headers):
    client = client_for(people.aishan_official)
    fragment = client.get(URL, {"q": "漏水"}, headers=htmx_headers).content.decode()
    assert "<html" not in fragment and 'id="search-group-case"' in fragment
    cleared = client.get(URL, {"q": ""}, headers=htmx_headers).content.decode()
    assert cleared.strip() == ""  # the box emptied: the dropdown closes


@pytest.mark.parametrize(
    "raw",
    ["x" * 1000, "梅" * 65, "\x07梅苑", "   ", "\u3000\t"],
    ids=["very-long", "too-long", "control", "spaces", "wide-space"],
)
def test_bad_input_gets_a_message_never_a_500(raw, records, people, client_for, htmx_headers):
    client = client_for(people.aishan_official)
    for headers in ({}, htmx_headers):
        response = client.get(URL, {"q": raw}, headers=headers)
        assert response.status_code == 200
        assert 'class="search-message"' in response.content.decode()
        assert hits(response) == {}


def test_a_nul_byte_is_refused_before_the_view(people, client_for):
    """portal/middleware.py refuses NUL in any query with the 400 page, so none reaches SQL."""
    response = client_for(people.aishan_official).get(URL, {"q": "梅苑\x00"})
    assert response.status_code == 400


def test_clean_query_reads_full_width_and_folds_spaces():
    assert clean_query(" ＡＢ１２  梅\u200b苑 ") == ("AB12 梅苑", "")
    assert clean_query(None)[0] == ""


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL, {"q": "梅苑"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
