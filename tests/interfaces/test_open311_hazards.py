"""Safety hazards over Open311: a resident's app reports one, it lands on the grid's list as a
report to check, the app follows it to its rectification, and it counts in no figure until the
grid worker has confirmed it. Coordinates are taken, checked and read back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from consultation.models import Demand
from core.metrics import Period, evaluate
from disputes.models import Hazard, HazardSource
from interfaces.models import ApiRequest
from tests.interfaces.conftest import jpeg

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
PHONE = "13812345678"
LAT, LONG = "36.1912345", "117.8123456"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(client, secret, **fields):
    data = {
        "service_code": "hazard-electric",
        "description": "2号楼楼道里有电动车在充电，电线拖到窗外。",
        "address_string": "梅苑小区2号楼1单元楼道",
        "api_key": secret,
    } | fields
    return client.post(f"{BASE}/requests.json", data)


def _error(response, status):
    assert response.status_code == status, response.content
    [error] = response.json()
    assert error["code"] == status and error["description"]
    return error["description"]


def hazard_figures(unit) -> dict[str, int]:
    today = timezone.localdate()
    values = evaluate(unit, Period(today - timedelta(30), today + timedelta(60)))
    return {k: values[k] for k in ("hazards.found", "hazards.rectified", "hazards.overdue")}


def test_a_reported_hazard_lands_on_the_grids_list_to_check(
    client, client_for, district, people, meiyuan_key
):
    key, secret = meiyuan_key
    response = report(
        client,
        secret,
        jurisdiction_id=district.meiyuan_grid.code,
        last_name="王",
        first_name="小明",
        phone=PHONE,
        lat=LAT,
        long=LONG,
        media=jpeg(),
    )
    assert response.status_code == 201, response.content
    [created] = response.json()
    assert created["service_request_id"].startswith("H")
    hazard = Hazard.objects.get()
    assert created["service_request_id"] == f"H{hazard.pk}"
    assert (hazard.source, hazard.category, hazard.unit) == (
        HazardSource.PUBLIC,
        "electric",
        district.meiyuan_grid,
    )
    assert (hazard.reporter_name, hazard.reporter_phone) == ("王小明", PHONE)
    assert (hazard.latitude, hazard.longitude) == (Decimal("36.191235"), Decimal("117.812346"))
    assert hazard.reported_by is None and hazard.photo.name.endswith(".jpg")
    assert Demand.objects.count() == 0
    assert ApiRequest.objects.get(key=key).record == f"disputes.hazard:{hazard.pk}"
    [token] = client.get(f"{BASE}/tokens/{created['token']}.json").json()
    assert token["service_request_id"] == created["service_request_id"]

    worker = client_for(people.grid_worker)
    listed = worker.get("/hazards/", {"state": "unverified"}).content.decode()
    assert "梅苑小区2号楼1单元楼道" in listed and "待核实" in listed
    page = worker.get(hazard.get_absolute_url()).content.decode()
    assert "王**" in page and "138****5678" in page
    assert "王小明" not in page and PHONE not in page
    assert "36.191235" in page and "117.812346" in page
    assert 'id="verify"' in page and 'id="rectify"' not in page
    home = worker.get("/").content.decode()
    assert hazard.get_absolute_url() in home


# Its own transactions: history is stamped with the time its transaction began.
@pytest.mark.django_db(transaction=True)
def test_an_unverified_report_counts_in_no_figure_until_the_grid_worker_confirms_it(
    client, client_for, district, people, meiyuan_key
):
    _key, secret = meiyuan_key
    before = hazard_figures(district.meiyuan)
    [created] = report(client, secret, last_name="王", first_name="小明").json()
    hazard = Hazard.objects.get()
    assert hazard_figures(district.meiyuan) == before
    url = f"{BASE}/requests/{created['service_request_id']}.json"
    [shown] = client.get(url).json()
    assert shown["status"] == "open" and shown["status_notes"] is None
    assert shown["service_code"] == "hazard-electric" and shown["agency_responsible"] == "梅苑社区"

    worker = client_for(people.meiyuan_worker)
    today = timezone.localdate()
    check = {
        "version": hazard.version,
        "outcome": "hazard",
        "category": "electric",
        "severity": "",
        "deadline": "",
        "verified_on": today.isoformat(),
        "verification_note": "",
    }
    refused = worker.post(f"/hazards/{hazard.pk}/verify/", check)
    assert refused.status_code == 200 and "说明隐患的严重程度" in refused.content.decode()
    hazard.refresh_from_db()
    assert hazard.verified_on is None
    check |= {"severity": "high", "deadline": (today + timedelta(7)).isoformat()}
    assert worker.post(f"/hazards/{hazard.pk}/verify/", check).status_code == 302
    hazard.refresh_from_db()
    assert hazard.verified_on == today and hazard.verified_by == people.meiyuan_worker
    after = hazard_figures(district.meiyuan)
    assert after["hazards.found"] == before["hazards.found"] + 1
    # A second check from the same page is a stale edit: it changes nothing and shows the first.
    stale = worker.post(
        f"/hazards/{hazard.pk}/verify/", check | {"outcome": "unfounded", "verification_note": "x"}
    )
    assert stale.status_code == 409 and "已有其他人修改了该隐患" in stale.content.decode()
    hazard.refresh_from_db()
    assert not hazard.unfounded
    [shown] = client.get(url).json()
    assert shown["status"] == "open" and shown["expected_datetime"] is not None

    hazard.refresh_from_db()
    done = worker.post(
        f"/hazards/{hazard.pk}/rectify/",
        {
            "version": hazard.version,
            "rectification": "已劝离充电车辆，王小明家门口加装充电桩，联系13912345678。",
            "rectified_on": today.isoformat(),
        },
    )
    assert done.status_code == 302
    [shown] = client.get(url).json()
    assert shown["status"] == "closed"
    assert shown["updated_datetime"] > shown["requested_datetime"]
    assert shown["status_notes"] == "已劝离充电车辆，王**家门口加装充电桩，联系139****5678。"
    assert hazard_figures(district.meiyuan)["hazards.rectified"] == before["hazards.rectified"] + 1


def test_a_report_found_not_to_be_a_hazard_closes_and_never_counts(
    client, client_for, district, people, meiyuan_key
):
    _key, secret = meiyuan_key
    before = hazard_figures(district.meiyuan)
    [created] = report(client, secret, service_code="hazard-gas", description="闻到煤气味").json()
    hazard = Hazard.objects.get()
    worker = client_for(people.meiyuan_worker)
    check = {
        "version": hazard.version,
        "outcome": "unfounded",
        "category": "gas",
        "verified_on": timezone.localdate().isoformat(),
        "verification_note": "",
    }
    assert worker.post(f"/hazards/{hazard.pk}/verify/", check).status_code == 200
    check["verification_note"] = "经燃气公司检测，无泄漏，为邻居家做饭气味。"
    assert worker.post(f"/hazards/{hazard.pk}/verify/", check).status_code == 302
    [shown] = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()
    assert shown["status"] == "closed" and shown["status_notes"].startswith("经燃气公司检测")
    assert hazard_figures(district.meiyuan) == before
    # and it cannot be "rectified" into the handled figure
    hazard.refresh_from_db()
    rectify = {
        "version": hazard.version,
        "rectification": "x",
        "rectified_on": check["verified_on"],
    }
    assert worker.post(f"/hazards/{hazard.pk}/rectify/", rectify).status_code == 404


def test_lists_mix_demands_and_hazard_reports_newest_first(client, district, meiyuan_key):
    _key, secret = meiyuan_key
    demand = client.post(
        f"{BASE}/requests.json",
        {"service_code": "demand", "description": "路灯不亮", "api_key": secret},
    ).json()[0]
    hazard = report(client, secret).json()[0]
    listed = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [
        hazard["service_request_id"],
        demand["service_request_id"],
    ]
    only = client.get(f"{BASE}/requests.json", {"service_code": "hazard-electric"}).json()
    assert [r["service_request_id"] for r in only] == [hazard["service_request_id"]]
    page_two = client.get(f"{BASE}/requests.json", {"page": 2, "page_size": 1}).json()
    assert [r["service_request_id"] for r in page_two] == [demand["service_request_id"]]
    both = client.get(
        f"{BASE}/requests.json",
        {"service_request_id": f"{demand['service_request_id']},{hazard['service_request_id']}"},
    ).json()
    assert len(both) == 2
    xml = client.get(f"{BASE}/requests/{hazard['service_request_id']}.xml")
    assert xml.status_code == 200 and b"hazard-electric" in xml.content


def test_hazard_reports_are_refused_as_the_spec_says_and_file_nothing(
    client, district, meiyuan_key
):
    _key, secret = meiyuan_key
    _error(report(client, secret, service_code="hazard-flood"), 404)
    assert "description" in _error(report(client, secret, description=" "), 400)
    assert "address_string" in _error(report(client, secret, address_string=""), 400)
    _error(report(client, secret, phone="12345"), 400)
    _error(report(client, secret, jurisdiction_id=district.yongxing.code), 403)
    assert Hazard.objects.count() == 0
    # no address, but a place on the map: it is where the map says
    assert report(client, secret, address_string="", lat=LAT, long=LONG).status_code == 201
    assert Hazard.objects.get().place.startswith("坐标")


@pytest.mark.parametrize("service_code", ["demand", "hazard-fire"])
@pytest.mark.parametrize(
    ("lat", "long", "says"),
    [
        ("36.19", "", "lat"),
        ("", "117.8", "lat"),
        ("north", "117.8", "lat"),
        ("39.9042", "116.4074", "钢城区"),  # Beijing
        ("-36.19", "117.8", "钢城区"),
        ("nan", "117.8", "钢城区"),
        ("117.8", "36.19", "钢城区"),  # swapped
    ],
)
def test_coordinates_outside_gangcheng_or_not_numbers_are_a_400(
    client, district, meiyuan_key, service_code, lat, long, says
):
    _key, secret = meiyuan_key
    response = report(client, secret, service_code=service_code, lat=lat, long=long)
    assert says in _error(response, 400)
    assert Hazard.objects.count() == 0 and Demand.objects.count() == 0


def test_a_demands_coordinates_are_stored_read_back_and_shown_to_staff(
    client, client_for, district, people, meiyuan_key
):
    _key, secret = meiyuan_key
    [created] = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": "demand",
            "description": "路灯不亮",
            "api_key": secret,
            "lat": LAT,
            "long": LONG,
        },
    ).json()
    demand = Demand.objects.get()
    assert (demand.latitude, demand.longitude) == (Decimal("36.191235"), Decimal("117.812346"))
    [shown] = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()
    # read back to about 100 m: a public list does not pinpoint a door
    assert (shown["lat"], shown["long"]) == (36.191, 117.812)
    xml = client.get(f"{BASE}/requests/{created['service_request_id']}.xml").content.decode()
    assert "<lat>36.191</lat>" in xml and "<long>117.812</long>" in xml
    page = client_for(people.meiyuan_worker).get(demand.get_absolute_url()).content.decode()
    assert "36.191235" in page and "117.812346" in page
