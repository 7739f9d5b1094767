"""District staff add, rename, move and retire units; stale edits conflict, double submits count once."""

import uuid

import pytest

from core.models import AdministrativeUnit
from core.timeline import timeline_for

pytestmark = pytest.mark.django_db


def reload(unit):
    return AdministrativeUnit.objects.get(pk=unit.pk)


def test_district_staff_add_a_community(district, people, client_for):
    client = client_for(people.district_staff)
    key = str(uuid.uuid4())
    data = {"submission_key": key, "level": "community", "code": "370117001003", "name": "新社区"}
    response = client.post(f"/units/{district.aishan.code}/add/", data)
    assert response.status_code == 302
    created = AdministrativeUnit.objects.get(code="370117001003")
    assert created.parent == district.aishan and response["Location"] == created.get_absolute_url()


def test_a_double_submit_creates_one_unit(district, people, client_for):
    client = client_for(people.district_staff)
    data = {
        "submission_key": str(uuid.uuid4()),
        "level": "community",
        "code": "370117001003",
        "name": "新社区",
    }
    first = client.post(f"/units/{district.aishan.code}/add/", data)
    second = client.post(f"/units/{district.aishan.code}/add/", data)
    assert AdministrativeUnit.objects.filter(code="370117001003").count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"level": "grid", "code": "370117001000001", "name": "x"}, "level", "选择一个有效的选项"),
        ({"level": "community", "code": "370117003009", "name": "x"}, "code", "370117001"),
        ({"level": "community", "code": "370117001001", "name": "x"}, "code", "已有单位使用该代码"),
        ({"level": "community", "code": "370117001009", "name": "   "}, "name", ""),
    ],
)
def test_bad_input_is_reported_next_to_the_field(
    district, people, client_for, data, field, message
):
    client = client_for(people.district_staff)
    before = AdministrativeUnit.objects.count()
    response = client.post(
        f"/units/{district.aishan.code}/add/", {"submission_key": str(uuid.uuid4()), **data}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert AdministrativeUnit.objects.count() == before


def test_a_rename_is_recorded_with_who_did_it(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(
        f"/units/{district.meiyuan.code}/edit/",
        {"version": 1, "name": "梅苑新社区", "notes": "更名"},
    )
    assert response.status_code == 302
    unit = reload(district.meiyuan)
    assert unit.name == "梅苑新社区" and unit.version == 2
    latest = timeline_for(unit)[0]
    assert latest.who == "d*******"  # the official, named masked like every staff name
    assert ("名称", "梅苑社区", "梅苑新社区") in [(c.name, c.old, c.new) for c in latest.changes]


def test_a_stale_rename_shows_the_other_change_and_saves_nothing(district, people, client_for):
    client = client_for(people.district_staff)
    client.post(f"/units/{district.meiyuan.code}/edit/", {"version": 1, "name": "甲", "notes": ""})
    response = client.post(
        f"/units/{district.meiyuan.code}/edit/", {"version": 1, "name": "乙", "notes": ""}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "已有其他人保存了该单位" in html and "甲" in html
    assert reload(district.meiyuan).name == "甲"
    # The form now carries the current version, so saving again goes through.
    assert response.context["form"].initial["version"] == 2


def test_a_move_takes_the_subtree_along(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(
        f"/units/{district.meiyuan.code}/move/",
        {"version": 1, "new_parent": district.wenyuan.pk, "reason": "区划调整"},
    )
    assert response.status_code == 302
    grid = reload(district.meiyuan_grid)
    assert grid.path == "/370117000000/370117003000/370117001001/370117001001001/"
    assert grid.depth == 3
    assert reload(district.meiyuan).parent == district.wenyuan


def test_a_unit_cannot_move_under_a_unit_of_the_wrong_level(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(
        f"/units/{district.meiyuan.code}/move/",
        {"version": 1, "new_parent": district.honggou.pk, "reason": "x"},
    )
    assert response.status_code == 200 and "new_parent" in response.context["form"].errors
    assert reload(district.meiyuan).parent == district.aishan


def test_retiring_keeps_the_unit_and_its_history(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(
        f"/units/{district.yongxing.code}/retire/", {"version": 1, "reason": "合并入梅苑"}
    )
    assert response.status_code == 302
    unit = reload(district.yongxing)
    assert unit.is_retired and unit.retired_reason == "合并入梅苑"
    page = client.get(unit.get_absolute_url()).content.decode()
    assert "合并入梅苑" in page and "变更记录" in page


def test_a_unit_with_active_children_cannot_retire(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(f"/units/{district.meiyuan.code}/retire/", {"version": 1, "reason": "x"})
    assert response.status_code == 200
    assert "请先撤销或移走其下级单位" in response.content.decode()
    assert not reload(district.meiyuan).is_retired


def test_a_retired_unit_can_be_reinstated(district, people, client_for):
    client = client_for(people.district_staff)
    client.post(f"/units/{district.yongxing.code}/retire/", {"version": 1, "reason": "x"})
    client.post(f"/units/{district.yongxing.code}/reinstate/", {"version": 2})
    assert not reload(district.yongxing).is_retired


def test_a_bad_version_changes_nothing(district, people, client_for):
    client = client_for(people.district_staff)
    response = client.post(f"/units/{district.meiyuan.code}/edit/", {"version": "abc", "name": "x"})
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert reload(district.meiyuan).name == "梅苑社区"
