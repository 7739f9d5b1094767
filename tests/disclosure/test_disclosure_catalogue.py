"""The catalogue: each item's cadence gives its periods and due dates; a published post of the
item covering a period fulfils it; the street sees which villages are overdue."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.models import DisclosureDue, DisclosureItem
from disclosure.models.disclosure import period_for
from disclosure.services.disclosure import dues_ensure
from tests.disclosure.helpers import published_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "cadence, day, expected",
    [
        ("monthly", date(2026, 2, 14), (date(2026, 2, 1), date(2026, 2, 28))),
        ("quarterly", date(2026, 11, 29), (date(2026, 10, 1), date(2026, 12, 31))),
        ("quarterly", date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 31))),
        ("yearly", date(2024, 2, 29), (date(2024, 1, 1), date(2024, 12, 31))),
    ],
)
def test_periods_follow_the_cadence(cadence, day, expected):
    assert period_for(cadence, day) == expected


def item(unit, cadence="quarterly", title="财务收支", starts_on=date(2026, 1, 1)):
    return DisclosureItem.objects.create(
        unit=unit, category="finance", title=title, cadence=cadence, starts_on=starts_on
    )


def test_dues_come_from_the_cadence_and_are_created_once(district):
    finance = item(district.liuqiaoyu)
    item(district.liuqiaoyu, cadence="immediate", title="村民会议决定")
    items = DisclosureItem.objects.all()
    assert dues_ensure(items, date(2026, 11, 29)) == 3  # Q1, Q2, Q3 are complete
    assert dues_ensure(items, date(2026, 11, 29)) == 0
    q3 = finance.dues.get(period_start=date(2026, 7, 1))
    assert (q3.period_end, q3.due_on) == (date(2026, 9, 30), date(2026, 10, 10))
    assert q3.is_overdue(date(2026, 10, 11)) and not q3.is_overdue(date(2026, 10, 10))


def test_a_published_post_of_the_item_fulfils_its_period(district, people):
    finance = item(district.liuqiaoyu)
    dues_ensure(DisclosureItem.objects.all(), date(2026, 11, 29))
    post = published_post(
        district.liuqiaoyu,
        people.village_clerk,
        people.supervisor,
        item=finance,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
    )
    q3 = finance.dues.get(period_start=date(2026, 7, 1))
    assert q3.fulfilled_on == post.published_on and q3.post == post
    assert finance.dues.filter(fulfilled_on__isnull=True).count() == 2


def test_a_period_already_covered_is_fulfilled_when_its_due_is_created(district, people):
    finance = item(district.liuqiaoyu, cadence="monthly", starts_on=date(2026, 1, 1))
    published_post(
        district.liuqiaoyu,
        people.village_clerk,
        people.supervisor,
        item=finance,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
    )
    dues_ensure(DisclosureItem.objects.all(), date(2026, 4, 20))
    assert (
        list(finance.dues.order_by("period_start").values_list("fulfilled_on", flat=True))[:3]
        == [finance.posts.get().published_on] * 3
    )


def test_the_street_sees_which_villages_are_overdue(district, people, client_for):
    item(district.liuqiaoyu, starts_on=date(2025, 1, 1))
    page = client_for(people.district_staff).get(reverse("governance:disclosure_home"))
    assert page.status_code == 200
    rows = page.context["overdue_villages"]
    assert [r["unit__name"] for r in rows] == ["柳桥峪村"] and rows[0]["n"] >= 4
    assert DisclosureDue.objects.filter(fulfilled_on__isnull=True).count() == rows[0]["n"]
    # Another street sees none of them.
    other = client_for(people.aishan_official).get(reverse("governance:disclosure_home"))
    assert other.context["overdue_villages"] == []


def test_the_clerk_adds_an_item_and_a_duplicate_is_refused(district, people, client_for):
    clerk = client_for(people.village_clerk)
    data = {
        "unit": district.liuqiaoyu.pk,
        "category": "relief",
        "title": "低保户名单",
        "cadence": "quarterly",
        "starts_on": "2026-01-01",
    }
    assert clerk.post(reverse("governance:item_create"), data).status_code == 302
    again = clerk.post(reverse("governance:item_create"), data)
    assert again.status_code == 200 and again.context["form"].errors["title"]
    assert DisclosureItem.objects.count() == 1
    # A street official may read but not add.
    assert (
        client_for(people.aishan_official).get(reverse("governance:item_create")).status_code == 404
    )


def test_the_overdue_figure_follows_the_dues_and_equals_a_recomputation(district, people):
    from django.core.management import call_command

    from core.metrics import Period, evaluate
    from core.metrics.rebuild import recomputed_facts, stored_facts

    finance = item(district.liuqiaoyu, cadence="monthly", starts_on=date(2026, 1, 1))
    call_command("disclosure_dues", stdout=__import__("io").StringIO())
    today = timezone.localdate()
    overdue = DisclosureDue.objects.filter(fulfilled_on__isnull=True, due_on__lt=today).count()
    assert overdue > 0
    figures = evaluate(district.yanzhuang, Period(date(2026, 1, 1), today))
    assert figures["disclosure.overdue"] == overdue
    published_post(
        district.liuqiaoyu,
        people.village_clerk,
        people.supervisor,
        item=finance,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
    )
    figures = evaluate(district.yanzhuang, Period(date(2026, 1, 1), today))
    assert figures["disclosure.overdue"] == overdue - 1
    assert recomputed_facts() == stored_facts()


def _home(client) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("governance:disclosure_home"))
    assert page.status_code == 200
    return len(captured), page.content.decode()


def test_the_catalogues_statements_do_not_grow_with_its_items(district, people, client_for):
    """Each item shows its latest period due and how many are overdue, found for the whole
    catalogue at once."""
    import re

    item(district.liuqiaoyu, cadence="monthly", title="财务收支")
    client = client_for(people.village_clerk)
    client.get(reverse("governance:disclosure_home"))  # dues made, session saved
    few, _page = _home(client)
    for n, cadence in enumerate(["quarterly", "yearly", "monthly", "immediate"]):
        item(district.liuqiaoyu, cadence=cadence, title=f"事项{n}", starts_on=date(2025, 1, 1))
    client.get(reverse("governance:disclosure_home"))
    many, page = _home(client)
    assert many == few, f"{few} statements with one item, {many} with five"

    today = timezone.localdate()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    for entry in DisclosureItem.objects.all():
        row = next(r for r in rows if f">{entry.title}<" in r)
        latest = entry.dues.order_by("-period_start").first()
        late = entry.dues.filter(fulfilled_on__isnull=True, due_on__lt=today).count()
        if latest:
            assert f"{latest.period_start:%Y-%m-%d}–{latest.period_end:%Y-%m-%d}" in row
        if late:
            assert f"{late} 项逾期" in row or f"逾期{late}" in row or str(late) in row
