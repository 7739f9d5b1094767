"""The volunteer list's export carries the search on screen (htmx), states it masked as the list
masks it, and holds the volunteers on screen."""

import re
from datetime import date

import pytest

from tests.exported import export_link, sheet, sheet_rows
from tests.volunteers.conftest import ID_NUMBERS
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_the_volunteer_export_holds_the_volunteers_found_in_place(
    world, district, people, client_for, htmx_headers
):
    Volunteer(
        unit=district.wenyuan,
        name="孙八",
        id_number=ID_NUMBERS[0][:-4] + "0000",
        joined_on=date(2022, 1, 1),
    ).save()
    client = client_for(people.wenyuan_official)
    wanted = world.members[1]
    query = f"unit={district.honggou.pk}&q={wanted.id_number}"
    fragment = client.get(f"/volunteers/?{query}", headers=htmx_headers).content.decode()
    shown = re.findall(r'<td class="mono">([^<]+)</td>', fragment)
    assert shown == ["370117********" + wanted.id_number[-4:]]

    heading, rows = sheet(client.get(export_link(fragment, "volunteer-export")))
    assert [r[1] for r in rows] == shown
    assert heading["单位"] == "洪沟社区"
    # What was searched for is masked as the list masks it.
    assert heading["筛选条件"] == f"姓名或完整身份证号码：{shown[0]}；单位：洪沟社区"
    assert heading["导出人"] == str(people.wenyuan_official)
    assert "统计期" not in heading
    flat = str(sheet_rows(client.get(export_link(fragment, "volunteer-export"))))
    assert wanted.id_number not in flat

    # The unit filter alone: every volunteer of 洪沟社区, none of 汶源街道's own.
    fragment = client.get(f"/volunteers/?unit={district.honggou.pk}", headers=htmx_headers)
    shown = re.findall(r'<td class="mono">([^<]+)</td>', fragment.content.decode())
    heading, rows = sheet(client.get(export_link(fragment.content.decode(), "volunteer-export")))
    assert len(shown) == len(rows) == len(world.members)
    assert sorted(r[1] for r in rows) == sorted(shown)
