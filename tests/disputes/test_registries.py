"""Registries kept by streets and the district: mediation studios, legal service, service points
(also listed for the public) and the list of dispute categories."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from core.metrics import Period, evaluate
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.models import SubmissionKey
from disputes.models import (
    CaseCategory,
    LegalService,
    MediationStudio,
    ServicePoint,
)
from tests.disputes.helpers import log_case

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"1[3-9]\d{9}")


def today() -> date:
    return timezone.localdate()


# Mediation studios


def studio_data(unit, **overrides):
    data = {
        "unit": unit.pk,
        "name": "老娘舅调解工作室",
        "address": "艾山街道办事处一楼",
        "hours": "周一至周五 9:00-17:00",
        "mediators": "王调解员\n李调解员",
        "version": "",
    }
    data.update(overrides)
    return data


def make_studio(unit, name="老娘舅调解工作室") -> MediationStudio:
    studio = MediationStudio(
        unit=unit, name=name, address="办事处一楼", hours="工作日", mediators="王调解员"
    )
    studio.save()
    return studio


def test_a_street_official_creates_a_studio_in_their_street(district, people, client_for):
    client = client_for(people.aishan_official)
    response = client.post("/studios/new/", studio_data(district.aishan))
    studio = MediationStudio.objects.get()
    assert response.status_code == 302
    assert response["Location"] == studio.get_absolute_url() == f"/studios/{studio.pk}/"
    assert studio.unit == district.aishan and studio.version == 1
    assert studio.mediator_names() == ["王调解员", "李调解员"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "老娘舅调解工作室" in page.content.decode()


def test_a_studio_in_another_street_is_refused_on_the_unit(district, people, client_for):
    response = client_for(people.aishan_official).post(
        "/studios/new/", studio_data(district.wenyuan)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"unit"}
    assert not MediationStudio.objects.exists()


def test_the_studio_form_offers_the_street_and_below_but_no_grid(district, people, client_for):
    response = client_for(people.aishan_official).get("/studios/new/")
    offered = set(response.context["form"].fields["unit"].queryset)
    assert offered == {district.aishan, district.meiyuan, district.yongxing}


def test_someone_without_registry_rights_cannot_open_the_studio_form(district, people, client_for):
    for user in (people.grid_worker, people.meiyuan_worker, people.outsider):
        client = client_for(user)
        assert client.get("/studios/new/").status_code == 404, user
        assert client.post("/studios/new/", studio_data(district.meiyuan)).status_code == 404
    assert not MediationStudio.objects.exists()


def test_editing_a_studio_at_its_version_saves_it(district, people, client_for):
    studio = make_studio(district.aishan)
    response = client_for(people.aishan_official).post(
        f"/studios/{studio.pk}/edit/",
        studio_data(district.meiyuan, name="梅苑调解室", version=1),
    )
    assert response.status_code == 302
    studio.refresh_from_db()
    assert (studio.name, studio.unit, studio.version) == ("梅苑调解室", district.meiyuan, 2)


def test_a_studio_edit_at_a_stale_version_shows_a_conflict_and_saves_nothing(
    district, people, client_for
):
    studio = make_studio(district.aishan)
    client = client_for(people.aishan_official)
    first = client.post(
        f"/studios/{studio.pk}/edit/", studio_data(district.aishan, name="先存的", version=1)
    )
    assert first.status_code == 302
    stale = client.post(
        f"/studios/{studio.pk}/edit/", studio_data(district.aishan, name="后存的", version=1)
    )
    assert stale.status_code == 409
    assert stale.context["conflict"] is not None
    assert stale.context["conflict"].version == 2
    assert stale.context["form"]["version"].value() == 2
    studio.refresh_from_db()
    assert (studio.name, studio.version) == ("先存的", 2)


def test_another_streets_studio_is_not_found(district, people, client_for):
    studio = make_studio(district.aishan)
    client = client_for(people.wenyuan_official)
    assert client.get(f"/studios/{studio.pk}/").status_code == 404
    assert client.get(f"/studios/{studio.pk}/edit/").status_code == 404
    response = client.post(
        f"/studios/{studio.pk}/edit/", studio_data(district.wenyuan, name="改名", version=1)
    )
    assert response.status_code == 404
    studio.refresh_from_db()
    assert studio.name == "老娘舅调解工作室" and studio.version == 1
    assert list(client.get("/studios/").context["studios"]) == []


# Legal service


def legal_data(unit, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "unit": unit.pk,
        "held_on": today().isoformat(),
        "kind": "consultation",
        "people_reached": "35",
        "notes": "社区普法讲座后答疑",
    }
    data.update(overrides)
    return data


def test_legal_service_is_recorded(district, people, client_for):
    response = client_for(people.aishan_official).post(
        "/legal-services/", legal_data(district.meiyuan)
    )
    assert response.status_code == 302 and response["Location"] == "/legal-services/"
    record = LegalService.objects.get()
    assert (record.unit, record.people_reached, record.kind) == (
        district.meiyuan,
        35,
        "consultation",
    )


def test_a_double_submit_records_legal_service_once(district, people, client_for):
    client = client_for(people.grid_worker)
    data = legal_data(district.meiyuan_grid)
    assert client.post("/legal-services/", data).status_code == 302
    assert client.post("/legal-services/", data).status_code == 302
    assert LegalService.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"people_reached": "0"}, "people_reached"),
        ({"people_reached": "1000000"}, "people_reached"),
        ({"people_reached": "-3"}, "people_reached"),
        ({"held_on": (date.today() + timedelta(days=2)).isoformat()}, "held_on"),
        ({"kind": "party"}, "kind"),
    ],
    ids=["zero", "a-million", "negative", "future", "bad-kind"],
)
def test_bad_legal_service_is_refused_next_to_the_field(
    district, people, client_for, overrides, field
):
    response = client_for(people.aishan_official).post(
        "/legal-services/", legal_data(district.aishan, **overrides)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    assert not LegalService.objects.exists() and not SubmissionKey.objects.exists()


def test_the_person_times_limits_are_inclusive(district, people, client_for):
    client = client_for(people.aishan_official)
    for reached in ("1", "100000"):
        response = client.post(
            "/legal-services/", legal_data(district.aishan, people_reached=reached)
        )
        assert response.status_code == 302, reached
    assert sorted(LegalService.objects.values_list("people_reached", flat=True)) == [1, 100_000]


def test_legal_service_in_another_street_is_refused_and_not_listed(district, people, client_for):
    LegalService(unit=district.honggou, held_on=today(), kind="lecture", people_reached=80).save()
    client = client_for(people.aishan_official)
    refused = client.post("/legal-services/", legal_data(district.honggou))
    assert set(refused.context["form"].errors) == {"unit"}
    assert LegalService.objects.count() == 1
    assert client.get("/legal-services/").context["total"] == 0
    viewer = client_for(people.village_clerk)
    assert viewer.post("/legal-services/", legal_data(district.liuqiaoyu)).status_code == 404


def test_legal_person_times_are_summed_in_the_figures(district, people, client_for):
    t = today()
    aishan = client_for(people.aishan_official)
    wenyuan = client_for(people.wenyuan_official)
    aishan.post("/legal-services/", legal_data(district.meiyuan, people_reached="35"))
    aishan.post(
        "/legal-services/",
        legal_data(
            district.aishan,
            people_reached="120",
            kind="lecture",
            held_on=(t - timedelta(days=3)).isoformat(),
        ),
    )
    wenyuan.post("/legal-services/", legal_data(district.honggou, people_reached="7"))
    aishan.post(
        "/legal-services/",
        legal_data(
            district.yongxing, people_reached="999", held_on=(t - timedelta(days=40)).isoformat()
        ),
    )
    assert LegalService.objects.count() == 4
    assert stored_facts() == recomputed_facts()

    def person_times(unit, start):
        return evaluate(unit, Period(start, t))["legal.people"]

    week = t - timedelta(days=7)
    assert person_times(district.district, week) == 35 + 120 + 7
    assert person_times(district.aishan, week) == 35 + 120
    assert person_times(district.wenyuan, week) == 7
    assert person_times(district.meiyuan, week) == 35
    assert person_times(district.district, t - timedelta(days=60)) == 35 + 120 + 7 + 999
    assert person_times(district.district, t) == 35 + 7


# Service points


def point_data(unit, **overrides):
    data = {
        "unit": unit.pk,
        "kind": "canteen",
        "name": "梅苑爱心食堂",
        "address": "梅苑小区活动中心",
        "services": "老年人助餐",
        "hours": "11:00-13:00",
        "meal_price_min": "5",
        "meal_price_max": "12.5",
        "opened_on": "2024-05-01",
        "closed_on": "",
        "version": "",
    }
    data.update(overrides)
    return data


def make_point(unit, kind, name, *, opened_on=date(2024, 1, 1), closed_on=None, **extra):
    point = ServicePoint(
        unit=unit,
        kind=kind,
        name=name,
        address="地址",
        services="服务内容",
        hours="全天",
        opened_on=opened_on,
        closed_on=closed_on,
        **extra,
    )
    point.save()
    return point


def test_a_canteen_with_its_prices_is_listed(district, people, client_for):
    client = client_for(people.aishan_official)
    response = client.post("/service-points/new/", point_data(district.meiyuan))
    assert response.status_code == 302 and response["Location"] == "/service-points/"
    point = ServicePoint.objects.get()
    assert (point.meal_price_min, point.meal_price_max) == (Decimal("5"), Decimal("12.5"))
    assert list(client.get("/service-points/").context["points"]) == [point]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"meal_price_min": "", "meal_price_max": ""}, "meal_price_min"),
        ({"meal_price_max": ""}, "meal_price_min"),
        ({"meal_price_min": "15", "meal_price_max": "12"}, "meal_price_max"),
        ({"meal_price_min": "-1"}, "meal_price_min"),
        ({"closed_on": "2024-04-30"}, "closed_on"),
    ],
    ids=["no-prices", "one-price", "min-above-max", "negative-price", "closed-before-opened"],
)
def test_bad_service_points_are_refused_next_to_the_field(
    district, people, client_for, overrides, field
):
    response = client_for(people.aishan_official).post(
        "/service-points/new/", point_data(district.meiyuan, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ServicePoint.objects.exists()


def test_a_grid_station_needs_no_meal_prices(district, people, client_for):
    response = client_for(people.aishan_official).post(
        "/service-points/new/",
        point_data(
            district.meiyuan_grid, kind="grid_station", meal_price_min="", meal_price_max=""
        ),
    )
    assert response.status_code == 302
    assert ServicePoint.objects.get().kind == "grid_station"


def test_a_service_point_edit_at_a_stale_version_saves_nothing(district, people, client_for):
    point = make_point(
        district.meiyuan, "canteen", "梅苑爱心食堂", meal_price_min=5, meal_price_max=12
    )
    client = client_for(people.aishan_official)
    url = f"/service-points/{point.pk}/edit/"
    assert (
        client.post(url, point_data(district.meiyuan, hours="全天", version=1)).status_code == 302
    )
    stale = client.post(url, point_data(district.meiyuan, hours="停业", version=1))
    assert stale.status_code == 409 and stale.context["conflict"] is not None
    point.refresh_from_db()
    assert (point.hours, point.version) == ("全天", 2)
    assert stored_facts() == recomputed_facts()


def test_the_public_list_needs_no_login_and_shows_only_open_points(district, people):
    t = today()
    open_canteen = make_point(
        district.meiyuan,
        "canteen",
        "梅苑爱心食堂",
        meal_price_min=Decimal("5"),
        meal_price_max=Decimal("12"),
    )
    station = make_point(district.honggou_grid, "grid_station", "洪沟网格驿站")
    make_point(district.yongxing, "canteen", "永兴旧食堂", closed_on=t - timedelta(days=1))
    make_point(district.aishan, "worker_station", "尚未开放驿站", opened_on=t + timedelta(days=3))
    closing_later = make_point(
        district.liuqiaoyu,
        "canteen",
        "柳桥峪食堂",
        closed_on=t + timedelta(days=30),
        meal_price_min=Decimal("3"),
        meal_price_max=Decimal("8"),
    )

    response = Client().get("/public/service-points/")
    assert response.status_code == 200
    assert set(response.context["points"]) == {open_canteen, station, closing_later}
    html = response.content.decode()
    assert "梅苑爱心食堂" in html and "洪沟网格驿站" in html
    assert "永兴旧食堂" not in html and "尚未开放驿站" not in html

    canteens = Client().get("/public/service-points/", {"kind": "canteen"})
    assert set(canteens.context["points"]) == {open_canteen, closing_later}
    assert "洪沟网格驿站" not in canteens.content.decode()

    unknown = Client().get("/public/service-points/", {"kind": "<script>"})
    assert unknown.status_code == 200 and len(unknown.context["points"]) == 3
    assert "<script>" not in unknown.content.decode()


def test_a_point_closing_today_is_no_longer_listed(district):
    make_point(district.meiyuan, "grid_station", "今日关闭驿站", closed_on=today())
    assert list(Client().get("/public/service-points/").context["points"]) == []


def test_the_public_list_shows_no_phone_numbers(district, people, client_for):
    # Phone numbers are on record elsewhere (a case party): none may reach the public page.
    log_case(people.aishan_official, district.meiyuan)
    make_studio(district.aishan)
    make_point(district.meiyuan, "mediation", "梅苑调解工作室")
    make_point(
        district.meiyuan,
        "canteen",
        "梅苑爱心食堂",
        meal_price_min=Decimal("5"),
        meal_price_max=Decimal("12"),
    )
    for kind in ("", "canteen", "mediation"):
        html = Client().get("/public/service-points/", {"kind": kind}).content.decode()
        assert "梅苑" in html
        assert not MOBILE.search(html), MOBILE.search(html)


def test_open_points_are_counted_as_a_stock(district):
    t = today()
    make_point(district.meiyuan, "canteen", "甲", meal_price_min=1, meal_price_max=2)
    make_point(district.honggou, "canteen", "乙", meal_price_min=1, meal_price_max=2)
    make_point(
        district.yongxing,
        "canteen",
        "丙",
        closed_on=t - timedelta(days=1),
        meal_price_min=1,
        meal_price_max=2,
    )
    assert stored_facts() == recomputed_facts()
    assert evaluate(district.district, Period(t, t))["points.canteen"] == 2
    assert evaluate(district.aishan, Period(t, t))["points.canteen"] == 1


# Dispute categories


def test_only_district_staff_reach_the_category_list(district, people, client_for):
    category = CaseCategory.objects.create(name="邻里")
    assert client_for(people.district_staff).get("/categories/").status_code == 200
    for user in (people.aishan_official, people.grid_worker, people.outsider):
        client = client_for(user)
        assert client.get("/categories/").status_code == 404, user
        assert client.post("/categories/", {"name": "私加", "order": 1}).status_code == 404
        assert client.post(f"/categories/{category.pk}/toggle/").status_code == 404
    category.refresh_from_db()
    assert category.active and not CaseCategory.objects.filter(name="私加").exists()


def test_district_staff_add_a_category(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post("/categories/", {"name": "物业纠纷", "order": 5})
    assert response.status_code == 302 and response["Location"] == "/categories/"
    added = CaseCategory.objects.get(name="物业纠纷")
    assert added.active and added.order == 5
    again = client.post("/categories/", {"name": "物业纠纷", "order": 6})
    assert again.status_code == 200 and "name" in again.context["form"].errors
    assert CaseCategory.objects.filter(name="物业纠纷").count() == 1


def test_a_deactivated_category_is_not_offered_at_intake(district, people, client_for):
    kept = CaseCategory.objects.create(name="邻里")
    retired = CaseCategory.objects.create(name="土地承包")
    staff = client_for(people.district_staff)
    assert staff.post(f"/categories/{retired.pk}/toggle/").status_code == 302
    retired.refresh_from_db()
    assert retired.active is False

    intake = client_for(people.grid_worker).get("/cases/new/")
    offered = list(intake.context["form"].fields["category"].queryset)
    assert kept in offered and retired not in offered

    staff.post(f"/categories/{retired.pk}/toggle/")
    intake = client_for(people.grid_worker).get("/cases/new/")
    assert retired in intake.context["form"].fields["category"].queryset


def test_a_case_cannot_be_filed_under_a_deactivated_category(district, people, client_for):
    retired = CaseCategory.objects.create(name="土地承包", active=False)
    response = client_for(people.grid_worker).post(
        "/cases/new/",
        {
            "submission_key": str(uuid.uuid4()),
            "unit": district.meiyuan_grid.pk,
            "source": "grid",
            "category": retired.pk,
            "received_on": today().isoformat(),
            "description": "地界争议",
            "party-TOTAL_FORMS": "1",
            "party-INITIAL_FORMS": "0",
            "party-MIN_NUM_FORMS": "0",
            "party-MAX_NUM_FORMS": "10",
            "party-0-side": "applicant",
            "party-0-name": "李四",
        },
    )
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert "选择一个有效的选项" in response.content.decode()
