"""Open311 GeoReport v2: what a mini-program developer does with nothing but the docs."""

import json
import uuid
from xml.etree import ElementTree

import pytest

from consultation.models import Demand, DemandSource
from consultation.services.consultation import demand_answer
from interfaces.models import ApiKey, ApiRequest
from tests.interfaces.conftest import jpeg

BASE = "/open311/v2"
PHONE = "13812345678"


def file_request(client, secret, **fields):
    data = {"service_code": "demand", "description": "3号楼楼道灯不亮，晚上看不见台阶。"} | fields
    if secret is not None:
        data["api_key"] = secret
    headers = {}
    if "idempotency" in data:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(data.pop("idempotency"))
    return client.post(f"{BASE}/requests.json", data, **headers)


def test_services_list_the_demand_and_hazard_services_in_json_and_xml(client, district):
    services = client.get(f"{BASE}/services.json").json()
    assert [s["service_code"] for s in services] == [
        "demand",
        "hazard-fire",
        "hazard-gas",
        "hazard-electric",
        "hazard-building",
        "hazard-traffic",
        "hazard-other",
    ]
    assert services[1]["service_name"] == "安全隐患：消防"
    assert services[0]["metadata"] is False and services[0]["type"] == "realtime"
    xml = client.get(f"{BASE}/services.xml")
    assert xml["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "services" and root.find("service/service_code").text == "demand"


def test_a_filed_request_is_the_same_demand_as_the_web_forms(client, district, meiyuan_key):
    key, secret = meiyuan_key
    response = file_request(
        client, secret, last_name="王", first_name="小明", phone=PHONE, media=jpeg()
    )
    assert response.status_code == 201, response.content
    [created] = response.json()
    demand = Demand.objects.get(pk=int(created["service_request_id"]))
    assert created["token"] == demand.tracking_code
    assert demand.unit == district.meiyuan and demand.source == DemandSource.ONLINE
    assert demand.contact_name == "王小明" and demand.contact_phone == PHONE
    assert demand.photo.name.endswith(".jpg")
    # the resident follows it on the public tracking page like any web demand
    assert client.get(demand.tracking_url()).status_code == 200
    [token] = client.get(f"{BASE}/tokens/{demand.tracking_code}.json").json()
    assert token["service_request_id"] == str(demand.pk)
    logged = ApiRequest.objects.get(key=key)
    assert (logged.method, logged.status, logged.record) == (
        "POST",
        201,
        f"consultation.demand:{demand.pk}",
    )


# Its own transactions: history is stamped with the time its transaction began.
@pytest.mark.django_db(transaction=True)
def test_its_status_changes_when_staff_answer_it(client, district, people, meiyuan_key):
    _key, secret = meiyuan_key
    [created] = file_request(client, secret).json()
    url = f"{BASE}/requests/{created['service_request_id']}.json"
    [before] = client.get(url).json()
    assert before["status"] == "open" and before["status_notes"] is None
    assert before["agency_responsible"] == "梅苑社区"
    demand = Demand.objects.get(pk=int(created["service_request_id"]))
    from django.utils import timezone

    demand_answer(
        by=people.meiyuan_worker,
        demand=demand,
        answer="已更换灯泡，联系电话13912345678。",
        answered_on=timezone.localdate(),
        version=demand.version,
    )
    [after] = client.get(url).json()
    assert after["status"] == "closed"
    # Answered after it was filed: its update time is the answer's, not the filing's.
    assert after["updated_datetime"] > before["updated_datetime"] == before["requested_datetime"]
    assert after["status_notes"] == "已更换灯泡，联系电话139****5678。"
    [in_list] = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert in_list["service_request_id"] == created["service_request_id"]
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []


def test_public_reads_carry_no_name_phone_or_id_number(client, district, meiyuan_key):
    _key, secret = meiyuan_key
    file_request(
        client,
        secret,
        last_name="王",
        first_name="小明",
        phone=PHONE,
        address_string="梅苑小区3号楼2单元501",
        description="我的身份证370117199001018702，电话13812345678，楼道灯坏了。",
    )
    for url in (f"{BASE}/requests.json", f"{BASE}/requests.xml"):
        body = client.get(url).content.decode()
        for secret_text in ("王小明", PHONE, "370117199001018702", "501"):
            assert secret_text not in body, (url, secret_text)
    [listed] = client.get(f"{BASE}/requests.json").json()
    assert "138****5678" in listed["description"] and listed["address"] is None


def test_the_same_post_replayed_with_its_idempotency_key_makes_one_demand(
    client, district, meiyuan_key
):
    _key, secret = meiyuan_key
    once = uuid.uuid4()
    first = file_request(client, secret, idempotency=once)
    again = file_request(client, secret, idempotency=once)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Demand.objects.count() == 1
    assert file_request(client, secret, idempotency=uuid.uuid4()).status_code == 201
    assert Demand.objects.count() == 2


def test_an_idempotency_key_replayed_with_another_body_is_a_conflict(client, district, meiyuan_key):
    _key, secret = meiyuan_key
    once = uuid.uuid4()
    first = file_request(client, secret, idempotency=once)
    assert first.status_code == 201
    other = file_request(client, secret, idempotency=once, description="小区东门路面塌陷，有积水。")
    assert "Idempotency-Key" in _error(other, 409)
    photo = file_request(client, secret, idempotency=once, media=jpeg())
    _error(photo, 409)
    assert list(Demand.objects.values_list("description", flat=True)) == [
        "3号楼楼道灯不亮，晚上看不见台阶。"
    ]
    # The first body, replayed, still answers the first demand.
    again = file_request(client, secret, idempotency=once)
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]


def test_another_key_may_use_the_same_idempotency_key(client, district, people, meiyuan_key):
    _key, secret = meiyuan_key
    _other, other_secret = ApiKey.issue(
        name="另一个应用", unit=district.meiyuan, per_minute=30, by=people.district_staff
    )
    once = uuid.uuid4()
    assert file_request(client, secret, idempotency=once).status_code == 201
    changed = file_request(client, other_secret, idempotency=once, description="路灯不亮")
    assert changed.status_code == 201
    assert Demand.objects.count() == 2


def _error(response, status):
    assert response.status_code == status, response.content
    [error] = response.json()
    assert error["code"] == status and error["description"]
    return error["description"]


def test_bad_input_gets_the_spec_error_shape_and_changes_nothing(client, district, meiyuan_key):
    _key, secret = meiyuan_key
    _error(file_request(client, secret, service_code="pothole"), 404)
    assert "description" in _error(file_request(client, secret, description="  "), 400)
    _error(file_request(client, secret, phone="12345"), 400)
    not_a_photo = jpeg()
    not_a_photo = type(not_a_photo)(b"not an image at all")
    not_a_photo.name = "photo.jpg"
    assert "media" in _error(file_request(client, secret, media=not_a_photo), 400)
    _error(file_request(client, secret, media_url="http://example.org/a.jpg"), 400)
    _error(file_request(client, None), 403)
    _error(file_request(client, "gc_not-a-key"), 403)
    _error(client.post(f"{BASE}/requests.json", "{not json", content_type="application/json"), 403)
    _error(client.get(f"{BASE}/requests/999999.json"), 404)
    _error(client.get(f"{BASE}/requests.json", {"status": "pending"}), 400)
    _error(client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}), 400)
    xml = client.get(f"{BASE}/requests/999999.xml")
    assert xml.status_code == 404
    assert ElementTree.fromstring(xml.content).find("error/code").text == "404"
    assert Demand.objects.count() == 0


def test_an_oversize_photo_is_refused(client, district, meiyuan_key):
    from core import uploads

    _key, secret = meiyuan_key
    big = jpeg((1200, 1200))
    original = uploads.MAX_UPLOAD_BYTES
    uploads.MAX_UPLOAD_BYTES = 1000
    try:
        assert _error(file_request(client, secret, media=big), 400).startswith("media:")
    finally:
        uploads.MAX_UPLOAD_BYTES = original
    assert Demand.objects.count() == 0


def test_a_key_bound_to_one_community_cannot_file_for_another(client, district, meiyuan_key):
    _key, secret = meiyuan_key
    _error(file_request(client, secret, jurisdiction_id=district.yongxing.code), 403)
    _error(file_request(client, secret, jurisdiction_id=district.aishan.code), 403)
    grid = file_request(client, secret, jurisdiction_id=district.meiyuan_grid.code)
    assert grid.status_code == 201
    assert Demand.objects.get().unit == district.meiyuan_grid


def test_a_revoked_key_files_nothing(client, district, people, meiyuan_key):
    key, secret = meiyuan_key
    key.revoke(by=people.district_staff)
    _error(file_request(client, secret), 403)
    assert Demand.objects.count() == 0


def test_over_the_rate_a_key_gets_429_and_files_nothing_more(client, district, meiyuan_key):
    key, secret = meiyuan_key
    key.per_minute = 2
    key.save()
    assert file_request(client, secret).status_code == 201
    assert file_request(client, secret).status_code == 201
    _error(file_request(client, secret), 429)
    assert Demand.objects.count() == 2
    assert list(ApiRequest.objects.values_list("status", flat=True).order_by("at", "id")) == [
        201,
        201,
        429,
    ]


def test_the_key_may_come_as_a_header(client, district, meiyuan_key):
    _key, secret = meiyuan_key
    response = client.post(
        f"{BASE}/requests.json",
        {"service_code": "demand", "description": "路灯不亮"},
        HTTP_X_API_KEY=secret,
    )
    assert response.status_code == 201
    assert json.loads(response.content)[0]["token"]


def test_a_name_the_resident_typed_into_the_description_is_masked_on_every_read(
    client, district, people, meiyuan_key
):
    """The resident's own name (given as first_name/last_name), typed into the description and
    echoed in the staff's answer, never comes back; nor the phone, nor a name after 姓名：."""
    _key, secret = meiyuan_key
    [created] = file_request(
        client,
        secret,
        last_name="王",
        first_name="小明",
        phone=PHONE,
        description=f"我是王小明，电话{PHONE}，小明家门口的路灯坏了。邻居联系人：赵丽华。",
    ).json()
    from django.utils import timezone

    demand = Demand.objects.get()
    demand_answer(
        by=people.meiyuan_worker,
        demand=demand,
        answer="已联系王小明，路灯已修好。",
        answered_on=timezone.localdate(),
        version=demand.version,
    )
    reads = [
        f"{BASE}/requests.json",
        f"{BASE}/requests.xml",
        f"{BASE}/requests/{created['service_request_id']}.json",
        f"{BASE}/requests/{created['service_request_id']}.xml",
    ]
    for url in reads:
        for headers in ({}, {"HTTP_X_API_KEY": secret}):
            body = client.get(url, **headers).content.decode()
            for personal in ("王小明", "小明", PHONE, "赵丽华"):
                assert personal not in body, (url, personal)
    [shown] = client.get(reads[2]).json()
    assert shown["description"] == (
        "我是王**，电话138****5678，小*家门口的路灯坏了。邻居联系人：赵**。"
    )
    assert shown["status_notes"] == "已联系王**，路灯已修好。"
