"""The case list's export carries the filter on screen: filtered in place (htmx), the fragment
brings an export link with the new query; its sheet holds the cases on screen and opens by stating
the unit, the filters (as the form words them), the period, who exported it and when."""

import html
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.disputes.helpers import category, log_case
from tests.exported import export_link, sheet

pytestmark = pytest.mark.django_db


def test_the_case_export_holds_the_cases_filtered_in_place(
    district, people, client_for, htmx_headers
):
    today = date.today()
    wanted = [
        log_case(people.district_staff, district.meiyuan_grid, received_on=today - timedelta(n))
        for n in (1, 3)
    ]
    log_case(people.district_staff, district.honggou)  # 邻里 elsewhere
    other = log_case(people.district_staff, district.meiyuan)
    other.category = category("婚姻家庭")
    other.save()
    client = client_for(people.district_staff)
    assert client.get("/cases/").context["total"] == 4

    query = f"unit={district.meiyuan.code}&category={category().pk}&received_from={today - timedelta(10)}"
    fragment = client.get(f"/cases/?{query}", headers=htmx_headers).content.decode()
    shown = re.findall(r'class="mono">(370117[^<]+)</a>', fragment)
    assert sorted(shown) == sorted(c.number for c in wanted)

    heading, rows = sheet(client.get(export_link(fragment, "case-export")))
    assert [r[0] for r in rows] == shown  # the same cases, in the same order
    assert heading["单位"] == "梅苑社区"
    assert heading["筛选条件"] == (
        f"单位：梅苑社区；类别：邻里；受理起始日：{today - timedelta(10):%Y-%m-%d}"
    )
    assert heading["统计期"] == f"{today - timedelta(10):%Y-%m-%d}起"
    assert heading["导出人"] == str(people.district_staff)
    assert heading["导出时间"].startswith(f"{timezone.localdate():%Y-%m-%d}")

    # Without JavaScript the page itself renders the link with its query.
    page = client.get(f"/cases/?{query}").content.decode()
    assert f"/cases/export/?{query}" in html.unescape(page)
    # Unfiltered, the sheet says so and covers the user's whole scope.
    heading, rows = sheet(client.get("/cases/export/"))
    assert heading["单位"] == district.district.name and len(rows) == 4
    assert heading["筛选条件"] == "无（本单位范围内全部记录）" and "统计期" not in heading
