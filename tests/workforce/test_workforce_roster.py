"""The roster: grid workers and their grids, the flag for grids without one, masking, scope,
double submits and stale edits."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.metrics import Period, evaluate, metric
from tests.workforce.helpers import PHONE, PHONE_MASKED, add_worker, position
from workforce.models import GridCoverage, Worker
from workforce.services import uncovered_grids

pytestmark = pytest.mark.django_db

SECTION = 'id="grid-workers"'


def year():
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def uncovered_figure(unit):
    return evaluate(unit, year(), [metric("workforce.grids_uncovered")])[
        "workforce.grids_uncovered"
    ]


def form(unit, grids=(), **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "unit": unit.pk,
        "name": "李网格",
        "position": position().pk,
        "grids": [g.pk for g in grids],
        "phone": PHONE,
        "status": "active",
        "joined_on": "2021-03-01",
    }
    data.update(overrides)
    return data


def test_grids_without_a_worker_are_flagged_on_the_community_and_street_pages(
    district, people, client_for
):
    client = client_for(people.aishan_official)
    page = client.get(f"/units/{district.meiyuan.code}/").content.decode()
    assert "2个网格没有网格员" in page
    assert district.meiyuan_grid.name in page and district.meiyuan_grid2.name in page

    add_worker(people.aishan_official, district.meiyuan, grids=[district.meiyuan_grid])
    page = client.get(f"/units/{district.meiyuan.code}/").content.decode()
    assert district.meiyuan_grid2.name in page
    assert f'href="/units/{district.meiyuan_grid.code}/"' not in page.split(SECTION)[1]
    street = client.get(f"/units/{district.aishan.code}/").content.decode()
    assert district.meiyuan_grid2.name in street.split(SECTION)[1]

    add_worker(
        people.aishan_official, district.meiyuan, name="赵网格", grids=[district.meiyuan_grid2]
    )
    page = client.get(f"/units/{district.meiyuan.code}/").content.decode()
    assert "每个网格都有网格员" in page or "Every grid has a grid worker" in page


def test_the_figure_of_grids_without_a_worker_follows_the_roster(district, people):
    assert uncovered_figure(district.district) == 4
    assert uncovered_figure(district.meiyuan) == 2
    worker = add_worker(people.district_staff, district.meiyuan, grids=[district.meiyuan_grid])
    assert uncovered_figure(district.meiyuan) == 1 and uncovered_figure(district.district) == 3
    assert list(uncovered_grids(district.meiyuan)) == [district.meiyuan_grid2]
    # The worker leaves: the grid is uncovered again, from today.
    add_worker_data = {
        "unit": worker.unit,
        "name": worker.name,
        "position": worker.position,
        "phone": worker.phone,
        "qualifications": [],
        "status": "left",
        "joined_on": worker.joined_on,
        "left_on": timezone.localdate(),
    }
    from workforce.services import worker_save

    worker_save(
        by=people.district_staff,
        data=add_worker_data,
        grids=[district.meiyuan_grid],
        worker=worker,
        version=worker.version,
    )
    assert uncovered_figure(district.meiyuan) == 2
    assert GridCoverage.objects.get(grid=district.meiyuan_grid).uncovered_since == (
        timezone.localdate()
    )


def test_a_new_grid_counts_as_without_a_worker_at_once(district, people):
    from tests.factories import unit

    before = uncovered_figure(district.district)
    unit("370117003001002", "洪沟社区第二网格", "grid", district.honggou)
    assert uncovered_figure(district.district) == before + 1


def test_a_community_worker_does_not_cover_a_grid(district, people):
    with pytest.raises(ValidationError):
        add_worker(people.district_staff, district.meiyuan, grids=[])  # a grid worker needs one
    add_worker(
        people.district_staff,
        district.meiyuan,
        position_name="社区书记",
        grids=[],
    )
    assert uncovered_figure(district.meiyuan) == 2


def test_a_grid_outside_the_workers_unit_is_refused(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post("/workers/new/", form(district.meiyuan, grids=[district.honggou_grid]))
    assert response.status_code == 200
    assert Worker.objects.count() == 0
    assert response.context["form"].errors["grids"]
    # The service refuses it too, whatever the form offered.
    with pytest.raises(ValidationError) as refused:
        add_worker(people.district_staff, district.meiyuan, grids=[district.honggou_grid])
    assert "grids" in refused.value.message_dict
    assert Worker.objects.count() == 0


def test_a_district_officer_adds_a_grid_worker_and_a_double_submit_adds_one(
    district, people, client_for
):
    client = client_for(people.district_staff)
    data = form(district.meiyuan, grids=[district.meiyuan_grid])
    first = client.post("/workers/new/", data)
    second = client.post("/workers/new/", data)
    worker = Worker.objects.get()
    assert first["Location"] == second["Location"] == worker.get_absolute_url()
    assert list(worker.grids.all()) == [district.meiyuan_grid]


@pytest.mark.parametrize(
    "field, value",
    [("phone", "12ab"), ("joined_on", "2999-01-01"), ("name", "  "), ("position", "999999")],
)
def test_bad_input_is_refused_next_to_the_field(district, people, client_for, field, value):
    client = client_for(people.district_staff)
    response = client.post(
        "/workers/new/", form(district.meiyuan, grids=[district.meiyuan_grid], **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Worker.objects.count() == 0


def test_the_phone_is_masked_on_the_list_the_page_and_the_history(district, people, client_for):
    worker = add_worker(people.district_staff, district.meiyuan, grids=[district.meiyuan_grid])
    client = client_for(people.district_staff)
    for url in ["/workers/", worker.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert PHONE_MASKED in page
        assert PHONE not in page


def test_workers_out_of_scope_are_not_found(district, people, client_for):
    worker = add_worker(people.district_staff, district.meiyuan, grids=[district.meiyuan_grid])
    assert client_for(people.aishan_official).get(worker.get_absolute_url()).status_code == 200
    assert client_for(people.wenyuan_official).get(worker.get_absolute_url()).status_code == 404
    assert client_for(people.outsider).get(worker.get_absolute_url()).status_code == 404
    # The community may look at its roster but not change it.
    assert client_for(people.meiyuan_worker).get(worker.get_absolute_url()).status_code == 200
    assert client_for(people.meiyuan_worker).get(f"/workers/{worker.pk}/edit/").status_code == 404
    response = client_for(people.wenyuan_official).post(
        "/workers/new/", form(district.meiyuan, grids=[district.meiyuan_grid])
    )
    assert response.status_code == 200 and Worker.objects.count() == 1


def test_a_stale_edit_shows_the_other_change_and_changes_nothing(district, people, client_for):
    worker = add_worker(people.district_staff, district.meiyuan, grids=[district.meiyuan_grid])
    client = client_for(people.aishan_official)
    opened = worker.version
    data = form(district.meiyuan, grids=[district.meiyuan_grid], version=opened, name="改名一")
    data.pop("submission_key")
    assert client.post(f"/workers/{worker.pk}/edit/", data)["Location"] == worker.get_absolute_url()
    data["name"] = "改名二"
    response = client.post(f"/workers/{worker.pk}/edit/", data)
    assert response.status_code == 409
    assert "改名一" in response.content.decode()
    assert Worker.objects.get().name == "改名一"


def test_the_worker_page_shows_a_history(district, people, client_for):
    worker = add_worker(people.district_staff, district.meiyuan, grids=[district.meiyuan_grid])
    page = client_for(people.district_staff).get(worker.get_absolute_url())
    assert page.context["timeline"]


def test_positions_are_an_editable_list_of_the_district(district, people, client_for):
    client = client_for(people.district_staff)
    client.post("/workers/positions/", {"name": "网格长", "is_grid": "on", "order": 6})
    made = position("网格长")
    assert made.is_grid
    client.post(f"/workers/positions/{made.pk}/toggle/")
    made.refresh_from_db()
    assert not made.active
    assert client_for(people.aishan_official).get("/workers/positions/").status_code == 404


def test_incentives_are_recorded_on_the_workers_page(district, people, client_for):
    worker = add_worker(people.district_staff, district.meiyuan, grids=[district.meiyuan_grid])
    client = client_for(people.district_staff)
    key = str(uuid.uuid4())
    data = {
        "submission_key": key,
        "kind": "allowance",
        "title": "网格员岗位津贴",
        "granted_on": date.today().isoformat(),
        "granted_by": "区委社会工作部",
        "amount": "",
    }
    response = client.post(f"/workers/{worker.pk}/incentives/", data)
    assert response.status_code == 200 and response.context["incentive_form"].errors["amount"]
    data["amount"] = "500"
    client.post(f"/workers/{worker.pk}/incentives/", data)
    client.post(f"/workers/{worker.pk}/incentives/", data)
    assert worker.incentives.count() == 1
    page = client.get(worker.get_absolute_url()).content.decode()
    assert "网格员岗位津贴" in page and "500" in page
    assert (
        client_for(people.meiyuan_worker)
        .post(f"/workers/{worker.pk}/incentives/", {**data, "submission_key": str(uuid.uuid4())})
        .status_code
        == 404
    )


def test_choosing_the_unit_offers_its_grids_with_or_without_javascript(
    district, people, client_for, htmx_headers
):
    client = client_for(people.district_staff)
    data = form(district.honggou, refresh="1")
    for headers in ({}, htmx_headers):
        response = client.post("/workers/new/", data, headers=headers)
        assert response.status_code == 200
        offered = list(response.context["form"].fields["grids"].queryset)
        assert offered == [district.honggou_grid]
        assert Worker.objects.count() == 0
    page = client.get("/workers/new/").content.decode()
    assert 'hx-post="/workers/new/"' in page


def test_grid_coverage_tallies_survive_grids_retired_moved_and_deleted(district, people):
    from core.metrics.rebuild import (
        recomputed_facts,
        recomputed_subtree_sums,
        stored_facts,
        stored_subtree_sums,
    )

    grid = district.liuqiaoyu_grid
    grid.retired_on = timezone.localdate()
    grid.save()
    assert uncovered_figure(district.district) == 3
    grid.retired_on = None
    grid.save()
    grid.parent = district.honggou
    grid.save()
    assert uncovered_figure(district.wenyuan) == 2
    grid.delete()
    assert uncovered_figure(district.district) == 3
    assert stored_facts() == recomputed_facts()
    assert stored_subtree_sums() == recomputed_subtree_sums()
