"""Without a key, one client address gets a generous number of requests a minute, then the spec's
429; the log of keyed requests is pruned past its retention."""

import uuid
from datetime import timedelta

from django.utils import timezone

from consultation.models import Demand
from core import periodic
from interfaces.models import ApiRequest, IdempotencyKey
from interfaces.tasks import prune_api_log
from tests.interfaces.test_open311_requests import BASE, file_request


def test_keyless_reads_over_the_address_rate_get_429(client, district, settings):
    settings.PORTAL_API_KEYLESS_PER_MINUTE = 2
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get("/api/v1/units").status_code == 200
    refused = client.get(f"{BASE}/requests.json")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    [error] = refused.json()
    assert error == {"code": 429, "description": "该地址请求过于频繁，请一分钟后再试。"}
    assert client.get(f"{BASE}/services.xml").content.startswith(b"<?xml")
    # Another address is counted apart.
    assert client.get(f"{BASE}/services.json", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_a_usable_key_is_held_to_its_own_rate_not_the_address(
    client, district, people, meiyuan_key, settings
):
    settings.PORTAL_API_KEYLESS_PER_MINUTE = 1
    key, secret = meiyuan_key
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 429
    assert file_request(client, secret).status_code == 201
    assert client.get(f"{BASE}/services.json", HTTP_X_API_KEY=secret).status_code == 200
    # A made-up or revoked key is no way round the address's rate.
    assert client.get(f"{BASE}/services.json", HTTP_X_API_KEY="gc_madeup").status_code == 429
    key.revoke(by=people.district_staff)
    assert file_request(client, secret).status_code == 429
    assert Demand.objects.count() == 1


def test_the_log_is_pruned_past_its_retention(client, district, meiyuan_key, settings):
    settings.PORTAL_API_LOG_RETENTION_DAYS = 180
    _key, secret = meiyuan_key
    assert file_request(client, secret, idempotency=uuid.uuid4()).status_code == 201
    assert file_request(client, secret, idempotency=uuid.uuid4()).status_code == 201
    old, recent = ApiRequest.objects.order_by("id")
    old.at = timezone.now() - timedelta(days=181)
    old.save()
    IdempotencyKey.objects.filter(pk=IdempotencyKey.objects.order_by("id")[0].pk).update(at=old.at)
    assert prune_api_log.call() == 1
    assert list(ApiRequest.objects.all()) == [recent]
    assert IdempotencyKey.objects.count() == 1
    assert prune_api_log.call() == 0
    assert prune_api_log.module_path in {p.task.module_path for p in periodic.registered()}


def test_the_docs_page_states_what_is_accepted_and_the_limits(client, settings):
    settings.PORTAL_API_KEYLESS_PER_MINUTE = 240
    settings.PORTAL_API_LOG_RETENTION_DAYS = 90
    html = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "email、device_id 和 account_id 可以提交，但不予保存" in html
    assert "lat 和 long（WGS-84 坐标" in html and "media_url 不予受理，平台也不会抓取" in html
    assert "409（同一 Idempotency-Key 用于内容不同的请求）" in html
    assert "同一地址每分钟最多 240 次" in html and "日志保留 90 天" in html


def test_reads_made_with_a_key_are_counted_against_it_and_logged(
    client, client_for, district, people, meiyuan_key, settings
):
    settings.PORTAL_API_KEYLESS_PER_MINUTE = 1000
    key, secret = meiyuan_key
    key.per_minute = 3
    key.save()
    assert client.get(f"{BASE}/services.json", HTTP_X_API_KEY=secret).status_code == 200
    assert client.get("/api/v1/units", HTTP_X_API_KEY=secret).status_code == 200
    assert file_request(client, secret).status_code == 201
    # the fourth request this minute, a read, is over the key's rate
    refused = client.get(f"{BASE}/requests.json", HTTP_X_API_KEY=secret)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert file_request(client, secret).status_code == 429
    assert Demand.objects.count() == 1
    logged = list(ApiRequest.objects.order_by("at", "id").values_list("method", "path", "status"))
    assert logged == [
        ("GET", f"{BASE}/services.json", 200),
        ("GET", "/api/v1/units", 200),
        ("POST", f"{BASE}/requests.json", 201),
        ("GET", f"{BASE}/requests.json", 429),
        ("POST", f"{BASE}/requests.json", 429),
    ]
    # keyless reads are not logged against any key
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert ApiRequest.objects.count() == 5
    # the district sees the recent use on the key page
    page = client_for(people.district_staff).get("/interfaces/keys/").content.decode()
    assert 'id="recent-use"' in page
    assert f"GET {BASE}/requests.json" in page and "/api/v1/units" in page
