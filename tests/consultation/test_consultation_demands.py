"""Demands (诉求): the public form without an account, its tracking code and page, the abuse
limits, staff entry, routing, answering, scope and masking."""

import re
import uuid
from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image

from consultation.models import TRACKING_ALPHABET, Demand, DemandStatus
from consultation.views import consultation_public
from tests.consultation.helpers import (
    NAME,
    NAME_MASKED,
    PHONE,
    PHONE_MASKED,
    make_demand,
    today,
)

pytestmark = pytest.mark.django_db

NEW = "/public/demands/new/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def public_post(client, unit=None, **extra):
    data = {
        "unit": unit.pk if unit else "",
        "address": "",
        "description": "小区东门路灯坏了三个月，晚上看不见路。",
        "contact_name": NAME,
        "contact_phone": PHONE,
        "website": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return client.post(NEW, data)


def code_of(response) -> str:
    match = re.search(r"/public/demands/track/([A-Z0-9]+)/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def test_a_resident_sends_a_demand_without_an_account_and_gets_a_code(client, district):
    response = public_post(client, district.meiyuan)
    assert response.status_code == 302
    code = code_of(response)
    demand = Demand.objects.get()
    assert demand.tracking_code == code and len(code) == 12
    assert set(code) <= set(TRACKING_ALPHABET)
    assert demand.unit == district.meiyuan and demand.source == "online"
    assert (demand.contact_name, demand.contact_phone) == (NAME, PHONE)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and code in html and "梅苑社区" in html
    # The tracking page carries no personal data, nor the text the resident typed.
    for private in (NAME, PHONE, PHONE_MASKED, NAME_MASKED, demand.description):
        assert private not in html
    assert page["Cache-Control"].startswith("private")


def test_codes_are_unguessable_and_distinct(client, district):
    codes = {code_of(public_post(client, district.meiyuan)) for _ in range(5)}
    assert len(codes) == 5


def test_an_address_alone_sends_the_demand_to_the_district(client, district):
    response = public_post(client, address="钢城区府前大街18号附近")
    assert response.status_code == 302
    assert Demand.objects.get().unit == district.district


def test_neither_unit_nor_address_is_refused_next_to_the_field(client, district):
    response = public_post(client, address="  ")
    assert response.status_code == 200
    assert not Demand.objects.exists()
    assert "field-error" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "长" * 2001), ("address", "址" * 201), ("contact_phone", "12ab")],
)
def test_sizes_and_phone_are_capped(client, district, field, value):
    response = public_post(client, district.meiyuan, **{field: value})
    assert response.status_code == 200
    assert not Demand.objects.exists()


def test_the_honeypot_refuses_bots_and_saves_nothing(client, district):
    response = public_post(client, district.meiyuan, website="http://spam.example")
    assert response.status_code == 400
    assert not Demand.objects.exists()


def test_a_double_submit_makes_one_demand(client, district):
    key = str(uuid.uuid4())
    first = public_post(client, district.meiyuan, submission_key=key)
    second = public_post(client, district.meiyuan, submission_key=key)
    assert Demand.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_photo_is_re_encoded_and_shown_only_to_staff(client, district, people, client_for):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "lamp.png"
    response = client.post(
        NEW,
        {
            "unit": district.meiyuan.pk,
            "description": "路灯不亮",
            "photo": buffer,
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.photo.name.endswith(".jpg")
    url = reverse("governance:demand_photo", args=[demand.pk])
    assert client.get(url).status_code == 302  # to the login page
    assert client_for(people.meiyuan_worker).get(url).status_code == 200
    assert client_for(people.wenyuan_official).get(url).status_code == 404


def test_sending_is_rate_limited_per_address(district):
    allowed, _seconds = consultation_public.SUBMIT_LIMIT
    here = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(allowed):
        assert public_post(here, district.meiyuan).status_code == 302
    refused = public_post(here, district.meiyuan)
    assert refused.status_code == 429
    assert Demand.objects.count() == allowed
    # Another address is not held back.
    assert public_post(Client(REMOTE_ADDR="10.0.0.2"), district.meiyuan).status_code == 302


def test_a_wrong_code_reveals_nothing_and_lookups_are_rate_limited(client, district):
    code = code_of(public_post(client, district.meiyuan))
    near = ("2" if code[0] != "2" else "3") + code[1:]
    assert client.get(f"/public/demands/track/{near}/").status_code == 404
    assert client.get(f"/public/demands/track/{code[:6]}/").status_code == 404
    # Lowercase or with spaces, the exact code still finds it.
    found = client.post("/public/demands/track/", {"code": code.lower()})
    assert found.status_code == 302 and code in found["Location"]
    missing = client.post("/public/demands/track/", {"code": near})
    assert missing.status_code == 200 and near not in missing.get("Location", "")

    allowed, _seconds = consultation_public.LOOKUP_LIMIT
    other = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [other.get(f"/public/demands/track/{near}/").status_code for _ in range(allowed)]
    assert set(statuses) == {404}
    # Past the limit, even the right code is not looked up: guessing costs time.
    assert other.get(f"/public/demands/track/{code}/").status_code == 429


def test_staff_log_a_demand_with_masked_contact_and_the_place_in_full(
    client, client_for, people, district
):
    worker = client_for(people.grid_worker)
    response = worker.post(
        reverse("governance:demand_create"),
        {
            "unit": district.meiyuan_grid.pk,
            "source": "grid",
            "received_on": today().isoformat(),
            "description": "楼道堆放杂物",
            "address": "梅苑小区12号楼2单元",
            "contact_name": NAME,
            "contact_phone": PHONE,
            "submission_key": str(uuid.uuid4()),
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == demand.get_absolute_url()
    html = worker.get(demand.get_absolute_url()).content.decode()
    assert PHONE_MASKED in html and NAME_MASKED in html
    assert PHONE not in html and NAME not in html
    # Where the problem is, not the resident's home: the staff who handle it read it in full.
    assert "梅苑小区12号楼2单元" in html
    tracked = client.get(demand.tracking_url()).content.decode()
    assert "梅苑小区12号楼2单元" not in tracked and NAME not in tracked


def test_a_grid_worker_sees_demands_sent_to_their_community(client, client_for, people, district):
    public_post(client, district.meiyuan)
    demand = Demand.objects.get()
    grid = client_for(people.grid_worker)
    assert grid.get(demand.get_absolute_url()).status_code == 200
    assert demand.get_absolute_url() in grid.get(reverse("governance:demand_list")).content.decode()
    # ...but not those of another community, nor does another street see it.
    public_post(client, district.yongxing)
    other = Demand.objects.get(unit=district.yongxing)
    assert grid.get(other.get_absolute_url()).status_code == 404
    assert client_for(people.wenyuan_official).get(demand.get_absolute_url()).status_code == 404
    assert client_for(people.outsider).get(demand.get_absolute_url()).status_code == 404


def test_a_grid_worker_takes_a_demand_into_their_grid_and_answers_it(
    client, client_for, people, district
):
    code = code_of(public_post(client, district.meiyuan))
    demand = Demand.objects.get()
    grid = client_for(people.grid_worker)
    routed = grid.post(
        reverse("governance:demand_route", args=[demand.pk]),
        {"unit": district.meiyuan_grid.pk, "version": demand.version},
    )
    assert routed.status_code == 302
    demand.refresh_from_db()
    assert demand.unit == district.meiyuan_grid
    # Routing outside the worker's reach is refused next to the field.
    refused = grid.post(
        reverse("governance:demand_route", args=[demand.pk]),
        {"unit": district.honggou.pk, "version": demand.version},
    )
    assert refused.status_code == 200
    demand.refresh_from_db()
    assert demand.unit == district.meiyuan_grid

    answered = grid.post(
        reverse("governance:demand_answer", args=[demand.pk]),
        {
            "answer": "已联系供电所，路灯已修复。",
            "answered_on": today().isoformat(),
            "version": demand.version,
        },
    )
    assert answered.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ANSWERED and demand.answered_on == today()
    page = client.get(f"/public/demands/track/{code}/").content.decode()
    assert "已联系供电所，路灯已修复。" in page


def test_a_stale_answer_conflicts_and_changes_nothing(client_for, people, district):
    demand = make_demand(people.meiyuan_worker, district.meiyuan)
    worker = client_for(people.meiyuan_worker)
    url = reverse("governance:demand_answer", args=[demand.pk])
    first = {"answer": "第一次答复", "answered_on": today().isoformat(), "version": demand.version}
    assert worker.post(url, first).status_code == 302
    second = {**first, "answer": "第二次答复"}
    response = worker.post(url, second)
    assert response.status_code == 409
    demand.refresh_from_db()
    assert demand.answer == "第一次答复"


def test_an_answer_in_the_future_is_refused(client_for, people, district):
    from datetime import timedelta

    demand = make_demand(people.meiyuan_worker, district.meiyuan)
    response = client_for(people.meiyuan_worker).post(
        reverse("governance:demand_answer", args=[demand.pk]),
        {
            "answer": "好",
            "answered_on": (today() + timedelta(days=2)).isoformat(),
            "version": demand.version,
        },
    )
    assert response.status_code == 200
    demand.refresh_from_db()
    assert demand.answered_on is None


def test_roles_without_the_action_cannot_log_demands(client_for, people):
    for persona in (people.village_clerk, people.supervisor, people.outsider):
        assert client_for(persona).get(reverse("governance:demand_create")).status_code == 404
