"""暑期托管: the grid keeping a child in care records the volunteer activities that served them;
the child's record lists them (date, activity, team, volunteers' hours) within scope, masked;
the figure of children served rolls up, drills to its records and equals a recomputation."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from care.models import ChildActivity
from care.services.activities import child_activity_add
from core.metrics.drills import drill_for
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.metrics.registry import Period, evaluate, metric
from tests.factories import person
from volunteers.models import Activity, ActivityTheme, ServiceHours, Team, Volunteer

pytestmark = pytest.mark.django_db


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def summer(care, district, people):
    """A 暑期托管 activity by 柳桥峪村's team two days ago, with a volunteer's 3 hours; one at
    梅苑社区 (another street) the child's grid cannot record."""
    theme = ActivityTheme.objects.create(name="暑期托管")
    day = timezone.localdate() - timedelta(days=2)

    def activity(unit, title):
        team = Team.objects.create(
            unit=unit, name=f"{unit.name}志愿服务队", founded_on=date(2020, 1, 1)
        )
        return Activity.objects.create(
            title=title,
            theme=theme,
            unit=unit,
            team=team,
            starts_at=at(day, 9),
            ends_at=at(day, 12),
            place="村委会",
            capacity=5,
            created_by=people.district_staff,
        )

    held = activity(district.liuqiaoyu, "暑期托管·作业辅导")
    volunteer = Volunteer.objects.create(
        unit=district.liuqiaoyu, name="孙志愿", id_number="370117199001011237", joined_on=day
    )
    ServiceHours.objects.create(
        activity=held,
        volunteer=volunteer,
        unit=district.liuqiaoyu,
        served_on=day,
        during=(held.starts_at, held.ends_at),
        hours=Decimal("3.0"),
    )
    elsewhere = activity(district.meiyuan, "梅苑社区书法课")
    keeper = person("liuqiaoyu_grid_worker", district.liuqiaoyu_grid, "grid_worker")
    return held, elsewhere, keeper


def test_the_grid_records_an_activity_and_the_childs_record_lists_it(
    care, summer, client_for, district
):
    held, elsewhere, keeper = summer
    client = client_for(keeper)
    page = client.get(care.child.get_absolute_url())
    form = page.context["activity_form"]
    offered = [value for value, _label in form.fields["activity"].choices if value]
    assert offered == [held.pk]  # not 梅苑's: it was not held for the child's grid
    url = reverse("care:child_activity_create", kwargs={"pk": care.child.pk})
    data = {"submission_key": form.initial["submission_key"], "activity": held.pk}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit records it once
    assert ChildActivity.objects.filter(person=care.child).count() == 1
    html = client.get(care.child.get_absolute_url()).content.decode()
    assert "暑期托管·作业辅导" in html and "柳桥峪村志愿服务队" in html and "3.0" in html
    assert "孙志愿" not in html  # volunteers are not named on the child's record


def test_bad_choices_are_answered_next_to_the_field(care, summer, client_for):
    held, elsewhere, keeper = summer
    client = client_for(keeper)
    url = reverse("care:child_activity_create", kwargs={"pk": care.child.pk})
    for bad in ("", elsewhere.pk, "x"):
        response = client.post(
            url, {"submission_key": "8c1b1fd6-9a70-4f4e-9a55-3a2f3b1c0d11", "activity": bad}
        )
        assert response.status_code == 400
        assert response.context["activity_form"].errors["activity"]
    assert not ChildActivity.objects.exists()


def test_only_those_who_keep_the_child_record_and_see_it(care, summer, people, client_for):
    held, elsewhere, keeper = summer
    with pytest.raises(Exception):  # noqa: B017,PT011 -- PermissionDenied
        child_activity_add(by=people.grid_worker, person=care.child, activity_id=held.pk)
    url = reverse("care:child_activity_create", kwargs={"pk": care.child.pk})
    outsider = client_for(people.grid_worker).post(url, {"activity": held.pk})
    assert outsider.status_code == 404
    assert client_for(people.grid_worker).get(care.child.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):  # an older person is not served as a child
        child_activity_add(by=people.grid_worker, person=care.elder, activity_id=held.pk)


def test_the_figure_rolls_up_drills_and_equals_a_recomputation(care, summer, district):
    held, elsewhere, keeper = summer
    child_activity_add(by=keeper, person=care.child, activity_id=held.pk)
    today = timezone.localdate()
    period = Period(today - timedelta(days=30), today)
    key = "care.children_served"
    for unit in (district.liuqiaoyu_grid, district.liuqiaoyu, district.yanzhuang):
        assert evaluate(unit, period, [metric(key)]) == {key: 1}
        assert drill_for(key).records(unit, period).count() == 1
    assert evaluate(district.meiyuan, period, [metric(key)]) == {key: 0}
    before = Period(today - timedelta(days=60), today - timedelta(days=31))
    assert evaluate(district.liuqiaoyu, before, [metric(key)]) == {key: 0}
    row = drill_for(key).records(district.liuqiaoyu, period).get()
    shown = [column.value(row) for column in drill_for(key).columns]
    assert "李小明" not in shown and "李*" in " ".join(map(str, shown))
    assert stored_facts() == recomputed_facts()
