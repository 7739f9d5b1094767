"""A NUL byte (which PostgreSQL refuses in text) or bytes that are not UTF-8, anywhere in a
request, answer 404 (in the path) or 400 (in the query, a form field or a header), never a 500:
every URL pattern of the portal is tried with its parameters filled with such a value, as an
anonymous visitor and as a district official, and nothing is logged as an error."""

import logging
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from consultation.models import Demand

pytestmark = pytest.mark.django_db

ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?\w+>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")
FIELDS = ["q", "code", "name", "title", "description", "username", "password", "version"]

# (what is wrong, percent-encoded) — both reach Django as they are: the test client and WSGI
# servers decode the path's escapes to bytes, and the query and body are parsed by Django.
BAD = [("NUL", "%00"), ("not UTF-8", "%ff")]


def url_patterns() -> list[str]:
    """Every URL pattern as a template: parameters are `{}` (route and regex patterns alike)."""

    def walk(patterns, prefix):
        for pattern in patterns:
            text = str(pattern.pattern)
            if isinstance(pattern.pattern, RoutePattern):
                text = ROUTE_PARAMETER.sub("{}", text)
            else:
                text = REGEX_GROUP.sub("{}", text.removeprefix("^").removesuffix("$"))
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + text)
            else:
                yield prefix + text

    return sorted(set(walk(get_resolver().url_patterns, "/")))


def filled(template: str, value: str) -> str:
    return template.replace("{}", value)


def test_the_walk_finds_every_kind_of_pattern():
    templates = url_patterns()
    assert len(templates) > 150
    assert "/public/villages/{}/" in templates  # a route parameter
    assert "/admin/{}/" in templates  # a regex group (the admin's app index)
    assert "/" in templates


@pytest.fixture
def clients(people, client_for) -> dict[str, Client]:
    return {"anonymous": Client(), "district": client_for(people.district_staff)}


@pytest.fixture
def errors_logged(caplog):
    caplog.set_level(logging.ERROR)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("what, escape", BAD, ids=[what for what, _e in BAD])
def test_every_url_refuses_an_unreadable_path_query_or_form(clients, errors_logged, what, escape):
    answers = {}
    for who, client in clients.items():
        for template in url_patterns():
            plain_path = filled(template, "1")
            if "{}" in template:
                bad_path = filled(template, f"1{escape}")
                answers[who, "path", bad_path] = client.get(bad_path).status_code
            query = "&".join(f"{name}={escape}" for name in FIELDS)
            answers[who, "query", plain_path] = client.get(f"{plain_path}?{query}").status_code
            answers[who, "form", plain_path] = client.post(
                plain_path, query, content_type="application/x-www-form-urlencoded"
            ).status_code
            if escape == "%00":  # a multipart body carries its bytes as they are
                answers[who, "multipart", plain_path] = client.post(
                    plain_path, {name: "甲\x00乙" for name in FIELDS}
                ).status_code
    wrong = {key: status for key, status in answers.items() if status >= 500}
    assert not wrong, f"{len(wrong)} requests with a {what} answered 5xx: {sorted(wrong)[:20]}"
    expected = {"path": 404, "query": 400, "form": 400, "multipart": 400}
    other = {key: status for key, status in answers.items() if status != expected[key[1]]}
    assert not other, f"{len(other)} requests with a {what} were not refused: {sorted(other)[:20]}"
    assert errors_logged() == []


def test_a_header_with_a_nul_byte_is_refused(clients, errors_logged):
    anonymous = clients["anonymous"]
    # A failed login stores the user agent (django-axes); a session cookie is looked up.
    login = {"username": "district", "password": "wrong"}
    answer = anonymous.post("/accounts/login/", login, HTTP_USER_AGENT="phone\x00")
    assert answer.status_code == 400
    session = anonymous.get("/public/villages/", HTTP_COOKIE="sessionid=abcdefgh\x00ijklmnop")
    assert session.status_code == 400
    assert errors_logged() == []


def test_a_refused_form_saves_nothing_and_says_so_in_the_users_language(clients):
    anonymous = clients["anonymous"]
    fields = {
        "description": "小区门口路灯\x00不亮",
        "address": "府前大街1号",
        "contact_name": "张三",
        "contact_phone": "13812345678",
    }
    answer = anonymous.post("/public/demands/new/", fields)
    assert answer.status_code == 400
    assert "平台无法处理该请求" in answer.content.decode()
    assert not Demand.objects.exists()
    anonymous.cookies["django_language"] = "en"
    english = anonymous.get("/public/villages/?q=%ff")
    assert english.status_code == 400
    assert "could not understand" in english.content.decode()


def test_readable_input_still_passes(clients):
    anonymous = clients["anonymous"]
    assert anonymous.get("/public/villages/?q=柳桥").status_code == 200
    assert anonymous.get("/public/villages/%E6%9F%B3/").status_code == 404  # a village, unknown
    assert clients["district"].get("/cases/?q=%E5%BC%A0").status_code == 200
