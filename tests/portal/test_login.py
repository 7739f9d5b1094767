"""Logging in: Chinese login page, landing on one's unit, lockout on user name + address,
sessions of 30 idle minutes and 8 hours at most."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_login_page_is_chinese(client):
    html = client.get("/accounts/login/").content.decode()
    assert "工作人员登录" in html and 'lang="zh-hans"' in html.lower()


def test_a_correct_password_lands_on_the_users_work_with_their_unit_a_tap_away(
    district, people, client
):
    response = login(client, "aishan", PASSWORD)
    assert response["Location"] == "/home/"
    assert f'href="/units/{district.aishan.code}/"' in client.get("/home/").content.decode()


def test_a_wrong_password_says_so_in_chinese(district, people, client):
    response = login(client, "aishan", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_five_failures_lock_that_user_name_from_that_address(district, people, client):
    for _ in range(5):
        login(client, "aishan", "wrong")
    locked = login(client, "aishan", PASSWORD)
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode()
    # Another address is not locked out for the same user name, and neither is another user.
    assert login(Client(), "aishan", PASSWORD, ip="10.0.0.2").status_code == 302
    assert login(Client(), "wenyuan", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(district, people, client, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, "aishan", "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    assert login(client, "aishan", PASSWORD).status_code == 302


def _expiry(client) -> float:
    from django.contrib.sessions.models import Session

    return Session.objects.get(pk=client.session.session_key).expire_date.timestamp()


def test_the_idle_limit_is_30_minutes_renewed_once_a_minute_not_written_on_every_page(
    district, people, client, settings
):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_RENEW_AFTER == 60
    login(client, "aishan", PASSWORD)
    client.get("/home/")
    first = _expiry(client)
    response = client.get("/home/")
    assert _expiry(client) == first and settings.SESSION_COOKIE_NAME not in response.cookies

    from django.contrib.sessions.models import Session

    session = client.session
    session[SESSION_RENEWED_KEY] = time.time() - 61
    session.save()
    expiring = timezone.now() + timedelta(minutes=29)
    Session.objects.filter(pk=session.session_key).update(expire_date=expiring)
    response = client.get("/home/")
    assert _expiry(client) > expiring.timestamp() + 30
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_a_visitor_gets_no_session_row_and_no_cookie(district, client, settings):
    from django.contrib.sessions.models import Session

    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-at-all"
    response = client.get("/")
    assert response.status_code == 200 and not Session.objects.exists()
    assert response.cookies.get(settings.SESSION_COOKIE_NAME) is None or not (
        response.cookies[settings.SESSION_COOKIE_NAME].value
    )


def test_a_session_older_than_8_hours_ends(district, people, client):
    login(client, "aishan", PASSWORD)
    assert client.get("/home/").status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 8 * 60 * 60 - 1
    session.save()
    response = client.get(f"/units/{district.aishan.code}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(f"/units/{district.aishan.code}/").status_code == 302


def test_logging_out_is_a_post(district, people, client_for):
    client = client_for(people.aishan_official)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/"
