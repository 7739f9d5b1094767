"""Crawled over the demo district, no page, fragment, export, error page or log line carries an
unmasked phone number or ID number: not the public's pages, and not any role's."""

import logging
from io import StringIO

import pytest
from django.test import Client

from core.models import User
from tests.crawl import PHONE, crawl, personal_data_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured_logs():
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def _raw_phones_in_database() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM governance_caseparty WHERE phone ~ '^1[3-9][0-9]{9}$'")
        return cursor.fetchone()[0]


def test_the_demo_holds_raw_personal_data_to_leak(demo_district):
    assert _raw_phones_in_database() > 0
    assert PHONE.search("电话13812345678") and not personal_data_in("138****5678")


def test_public_pages_and_error_pages_carry_none(demo_district, client, captured_logs):
    found = crawl(client, ["/", "/public/figures/", "/no-such-page/"], per_route=6)
    assert len(found.pages) > 5
    leaks = {url: personal_data_in(page.text) for url, page in found.pages.items()}
    assert not {url: hits for url, hits in leaks.items() if hits}
    assert not personal_data_in(captured_logs.getvalue())


@pytest.mark.parametrize("username", ["district", "aishan", "meiyuan", "meiyuan_grid"])
def test_every_roles_pages_and_exports_carry_none(demo_district, username, captured_logs):
    client = Client()
    client.force_login(User.objects.get(username=username))
    found = crawl(client, ["/home/", "/dashboard/", "/cases/"], per_route=3)
    assert len(found.pages) > 5
    leaks = {url: personal_data_in(page.text) for url, page in found.pages.items()}
    assert not {url: hits for url, hits in leaks.items() if hits}
    assert not personal_data_in(captured_logs.getvalue())
