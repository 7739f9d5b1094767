"""Public pages need no login and carry no personal data."""

import re

import pytest

from core.models import User

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"1[3-9]\d{9}")


def test_the_public_home_shows_the_districts_streets(district, client):
    html = client.get("/").content.decode()
    assert "钢城区" in html and "艾山街道" in html and "汶源街道" in html
    assert "工作人员登录" in html


def test_a_street_opens_in_place_and_without_javascript(district, client, htmx_headers):
    fragment = client.get(
        f"/public/streets/{district.aishan.code}/", headers=htmx_headers
    ).content.decode()
    assert "梅苑社区" in fragment and "<html" not in fragment
    page = client.get(f"/?open={district.aishan.code}").content.decode()
    assert "梅苑社区" in page and "<html" in page


def test_grids_are_not_listed_publicly(district, client):
    fragment = client.get(f"/public/streets/{district.aishan.code}/").content.decode()
    assert "网格" not in fragment


def test_public_pages_carry_no_phone_numbers(district, people, client):
    User.objects.filter(pk=people.aishan_official.pk).update(phone="13812345678")
    for url in ["/", f"/?open={district.aishan.code}", f"/public/streets/{district.aishan.code}/"]:
        assert not PHONE.search(client.get(url).content.decode())


def test_an_unknown_street_is_404_in_chinese(district, client):
    response = client.get("/public/streets/999999999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_the_public_home_works_with_no_district_yet(db, client):
    assert "尚未设立区级单位" in client.get("/").content.decode()
