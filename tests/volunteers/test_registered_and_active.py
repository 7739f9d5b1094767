"""Registered and active volunteers, both: the registered include those who paused or left,
whose numbers stand beside them, each figure equal to the records behind it."""

from datetime import date

import lxml.html
import pytest

from core.metrics import Period, evaluate
from core.metrics.drills import drill_for
from tests.volunteers.conftest import id_number
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db

KEYS = ["volunteers.registered", "volunteers.active", "volunteers.paused", "volunteers.left"]


@pytest.fixture
def roll(district):
    """Seven volunteers at 洪沟社区 since 2024: two paused on 1 March 2025, one left on
    1 May 2025; one more at 永兴社区 who paused without a date."""
    statuses = [(VolunteerStatus.ACTIVE, None)] * 4 + [
        (VolunteerStatus.PAUSED, date(2025, 3, 1)),
        (VolunteerStatus.PAUSED, date(2025, 3, 1)),
        (VolunteerStatus.LEFT, date(2025, 5, 1)),
    ]
    for n, (status, since) in enumerate(statuses):
        Volunteer(
            unit=district.honggou,
            name=f"志愿者{n}",
            id_number=id_number(9001 + n * 13),
            joined_on=date(2024, 6, 1),
            status=status,
            status_since=since,
        ).save()
    Volunteer(
        unit=district.yongxing,
        name="孙八",
        id_number=id_number(9999),
        joined_on=date(2024, 9, 1),
        status=VolunteerStatus.PAUSED,
    ).save()


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (date(2025, 2, 28), {"registered": 8, "active": 7, "paused": 1, "left": 0}),
        (date(2025, 4, 30), {"registered": 8, "active": 5, "paused": 3, "left": 0}),
        (date(2025, 12, 31), {"registered": 8, "active": 4, "paused": 3, "left": 1}),
    ],
)
def test_the_registered_are_the_active_the_paused_and_those_who_left(district, roll, end, expected):
    period = Period(date(2025, 1, 1), end)
    for unit in (district.district, district.honggou):
        figures = evaluate(unit, period)
        shown = {key.split(".")[1]: figures[key] for key in KEYS}
        if unit == district.honggou:  # 孙八 is at 永兴社区
            expected = {**expected, "registered": 7, "paused": expected["paused"] - 1}
        assert shown == expected, unit
        assert shown["registered"] == shown["active"] + shown["paused"] + shown["left"]
        for key in KEYS:  # the records behind each figure are as many as it says
            assert drill_for(key).records(unit, period).count() == figures[key], key


def test_the_registered_card_names_the_active_paused_and_left_with_their_records(
    district, people, roll, client_for
):
    staff = client_for(people.district_staff)
    query = "?period=custom&start=2025-01-01&end=2025-12-31"
    page = lxml.html.fromstring(staff.get(f"/dashboard/{district.district.code}/{query}").content)
    card = page.xpath(
        "//article[contains(@class, 'figure-card')]"
        "[.//p[contains(@class, 'figure-value')]/a[contains(@href, '/records/volunteers.registered/')]]"
    )[0]
    parts = card.xpath(".//p[contains(@class, 'figure-parts')]")[0]
    assert parts.text_content().startswith("其中：在册志愿者 4")
    assert "暂停服务志愿者 3" in parts.text_content()
    assert "已退出志愿者 1" in parts.text_content()
    links = {a.get("href").split("/records/")[1].split("/")[0]: a for a in parts.xpath(".//a")}
    assert list(links) == KEYS[1:]
    for key, link in links.items():
        response = staff.get(link.get("href"))
        assert response.status_code == 200, key
        records = lxml.html.fromstring(response.content)
        assert len(records.xpath("//table[contains(@class, 'records')]/tbody/tr")) == int(
            link.text_content()
        ), key
