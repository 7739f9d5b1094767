"""The bracelet platform's webhook: each bad input refused with its own status and logged, never
a 500 and never a second alert; a fall reaches the grid worker's list and board at once."""

import json
import time
from datetime import timedelta

import pytest
from django.urls import reverse

from care.models import Alert, AlertKind, Device
from tests.care.conftest import alert_body, signed

pytestmark = pytest.mark.django_db

URL = "/care/alerts/webhook/"


def post(client, body, **kwargs):
    raw, headers = signed(body, **kwargs)
    return client.post(URL, raw, content_type="application/json", **headers)


def test_it_stores_a_signed_fall_once(client, care, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, alert_body("F-1"))
    again = post(client, alert_body("F-1"))
    assert first.status_code == 201
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    alert = Alert.objects.get()
    assert (alert.kind, alert.person, alert.unit) == (AlertKind.FALL, care.elder, care.elder.unit)
    assert alert.steps.count() == 1


def test_the_same_request_replayed_makes_no_second_alert(client, care):
    raw, headers = signed(alert_body("F-2"))
    codes = [
        client.post(URL, raw, content_type="application/json", **headers).status_code
        for _ in range(3)
    ]
    assert codes == [201, 200, 200]
    assert Alert.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "status", "reason"),
    [
        ({"secret": "wrong"}, 401, "bad signature"),
        ({"platform": "nobody"}, 401, "unknown platform"),
        ({"stamp": -400}, 401, "stale timestamp"),
        ({"stamp": +400}, 401, "stale timestamp"),
    ],
)
def test_it_refuses_who_cannot_prove_themselves(client, care, caplog, kwargs, status, reason):
    if "stamp" in kwargs:  # seconds from now, when the request is made
        kwargs = {"stamp": int(time.time()) + kwargs["stamp"]}
    response = post(client, alert_body(), **kwargs)
    assert response.status_code == status
    assert response.json()["error"] == reason
    assert reason in caplog.text
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b"[1, 2]", 400),
        (
            json.dumps({"device": "GC-0001", "type": "fall", "time": "2026-01-01T00:00"}).encode(),
            400,
        ),
        (json.dumps({**alert_body(), "type": "earthquake"}).encode(), 400),
        (json.dumps({**alert_body(), "time": "yesterday"}).encode(), 400),
        (json.dumps({**alert_body(), "alert_id": "x" * 65}).encode(), 400),
        (json.dumps(alert_body(device="NOPE")).encode(), 422),
        (b"{" + b" " * 20000 + b"}", 413),
    ],
)
def test_it_refuses_what_it_cannot_read(client, care, caplog, body, status):
    response = post(client, body)
    assert response.status_code == status
    assert "refused" in caplog.text
    assert not Alert.objects.exists()


def test_a_missing_signature_is_refused(client, care):
    raw = json.dumps(alert_body()).encode()
    response = client.post(
        URL, raw, content_type="application/json", HTTP_X_PLATFORM="test-bracelet"
    )
    assert response.status_code == 401


def test_get_is_not_allowed(client, care):
    assert client.get(URL).status_code == 405


def test_low_battery_goes_to_maintenance_not_the_alert_list(client, care, client_for, people):
    post(client, {**alert_body("B-1", kind="low_battery"), "battery": 9})
    device = Device.objects.get()
    assert (device.needs_care, device.battery) == (AlertKind.LOW_BATTERY, 9)
    worker = client_for(people.grid_worker)
    assert "GC-0001" in worker.get(reverse("care:maintenance")).content.decode()
    board = worker.get(reverse("care:alerts")).content.decode()
    assert "电量不足" not in board and "暂无待处置告警" in board


def test_a_fall_is_on_the_grid_workers_list_and_board_at_once(
    client, care, client_for, people, htmx_headers
):
    post(client, alert_body("F-9"))
    worker = client_for(people.grid_worker)
    home = worker.get(reverse("governance:home")).content.decode()
    assert reverse("care:alert", kwargs={"pk": Alert.objects.get().pk}) in home
    fragment = worker.get(reverse("care:alerts"), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and 'hx-trigger="every 3s"' in text
    assert "王*" in text and "王桂兰" not in text


def test_the_landing_page_box_shows_alerts_as_they_reach_each_level(
    client, care, client_for, people
):
    from care.services.alerts import alert_escalate

    home = client_for(people.grid_worker).get(reverse("governance:home")).content.decode()
    assert 'hx-get="/care/alerts/live/"' in home
    post(client, alert_body("F-10", kind="sos"))
    grid_box = client_for(people.grid_worker).get("/care/alerts/live/").content.decode()
    community = client_for(people.meiyuan_worker)
    assert "一键呼救" in grid_box and 'hx-trigger="every 3s"' in grid_box
    assert "一键呼救" not in community.get("/care/alerts/live/").content.decode()
    alert = Alert.objects.get()
    alert_escalate(alert_id=alert.pk, level=0, now=alert.received_at + timedelta(minutes=6))
    assert "一键呼救" in community.get("/care/alerts/live/").content.decode()
    outsider_box = client_for(people.district_staff).get("/care/alerts/live/")
    assert outsider_box.status_code == 200 and "hx-trigger" not in outsider_box.content.decode()


def test_two_platforms_may_use_the_same_alert_id(client, care, settings):
    settings.CARE_ALERT_SECRETS = "test-bracelet:test-bracelet-secret,other:other-secret"
    first = post(client, alert_body("X-1"))
    second = post(client, alert_body("X-1"), platform="other", secret="other-secret")
    assert (first.status_code, second.status_code) == (201, 201)
    assert Alert.objects.count() == 2
