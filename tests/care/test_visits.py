"""Visit plans: the district's interval decides when each person is next due; a visit on time,
late, or missed (marked the night after) is counted once; a need becomes a demand in one step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import CareKind, CarePerson, Visit, VisitPlanRule
from care.services.people import mark_overdue, plan_rule_set
from care.services.visits import visit_log
from consultation.models import Demand, DemandSource
from core.metrics.drills import drill_for
from core.metrics.registry import Period, evaluate, metric

pytestmark = pytest.mark.django_db

KEYS = ("care.visits", "care.visits_due", "care.visits_on_time", "care.visits_overdue")


def figures(unit, start, end):
    return evaluate(unit, Period(start, end), [metric(k) for k in KEYS])


def test_the_plan_sets_the_next_visit(care, people):
    rule = VisitPlanRule.objects.get(kind=care.elder.kind, risk_level="high")
    assert care.elder.next_visit_due == care.elder.registered_on + timedelta(rule.interval_days)
    plan_rule_set(
        by=people.district_staff, kind=care.elder.kind, risk_level="high", interval_days=2
    )
    care.elder.refresh_from_db()
    assert care.elder.next_visit_due == care.elder.registered_on + timedelta(2)
    assert care.elder.overdue  # registered three days ago


def test_a_visit_on_time_and_a_missed_one_are_each_counted_once(care, people):
    today = timezone.localdate()
    visit_log(by=people.grid_worker, person=care.elder, visited_on=today, finding="well")
    elder = CarePerson.objects.get(pk=care.elder.pk)
    assert elder.next_visit_due == today + timedelta(days=7)
    unit = care.elder.unit
    wide = (today - timedelta(days=40), today + timedelta(days=40))
    assert figures(unit, *wide) == {
        "care.visits": 1,
        "care.visits_due": 2,  # the one made, the next one booked
        "care.visits_on_time": 1,
        "care.visits_overdue": 0,
    }
    CarePerson.objects.filter(pk=elder.pk).update(next_visit_due=today - timedelta(days=1))
    assert mark_overdue() == 1
    assert figures(unit, *wide)["care.visits_overdue"] == 1
    visit_log(by=people.grid_worker, person=elder, visited_on=today, finding="unwell")
    assert figures(unit, *wide) == {
        "care.visits": 2,
        "care.visits_due": 3,
        "care.visits_on_time": 1,
        "care.visits_overdue": 1,  # the late visit took over the missed one's count
    }
    period = Period(*wide)
    for key in KEYS:  # the records behind each figure add up to it
        drill = drill_for(key)
        records = drill.records(unit.parent, period)
        shown = drill.total(records) if drill.total else records.count()
        assert shown == figures(unit, *wide)[key], key


def test_due_and_overdue_visits_are_on_the_grid_workers_list(care, people, client_for):
    CarePerson.objects.filter(pk=care.elder.pk).update(
        next_visit_due=timezone.localdate() - timedelta(days=2), overdue=True
    )
    home = client_for(people.grid_worker).get(reverse("governance:home")).content.decode()
    assert reverse("care:visit_create", kwargs={"pk": care.elder.pk}) in home
    assert "逾期2天" in home or "2" in home


def test_a_visit_form_posts_in_one_step_and_raises_a_demand(care, people, client_for):
    client = client_for(people.grid_worker)
    url = reverse("care:visit_create", kwargs={"pk": care.elder.pk})
    form = client.get(url).context["form"]
    data = {
        "submission_key": form.initial["submission_key"],
        "finding": "needs_help",
        "needs": "家中水管漏水，需要维修",
        "to_demand": "on",
        "visited_on": timezone.localdate().isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.source == DemandSource.GRID and demand.unit == care.elder.unit
    assert "水管漏水" in demand.description and "王桂兰" not in demand.description
    assert Visit.objects.get().demand_url == demand.get_absolute_url()
    assert client.post(url, data).status_code == 302  # a double tap makes no second visit
    assert (Visit.objects.count(), Demand.objects.count()) == (1, 1)


def test_bad_visit_input_is_shown_next_to_the_field(care, people, client_for):
    client = client_for(people.grid_worker)
    url = reverse("care:visit_create", kwargs={"pk": care.elder.pk})
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "submission_key": form.initial["submission_key"],
            "finding": "sleeping",
            "to_demand": "on",
            "visited_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert {"finding", "visited_on"} <= set(response.context["form"].errors)
    assert not Visit.objects.exists()


def test_the_district_edits_the_plan_and_the_kinds(care, people, client_for):
    client = client_for(people.district_staff)
    assert client.get(reverse("care:plan")).status_code == 200
    bad = client.post(
        reverse("care:plan"),
        {"form": "rule", "kind": care.elder.kind.pk, "risk_level": "high", "interval_days": 0},
    )
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    client.post(reverse("care:plan"), {"form": "kind", "name": "重残"})
    assert CareKind.objects.filter(name="重残").exists()
    assert client_for(people.grid_worker).get(reverse("care:plan")).status_code == 404


def test_a_visit_photo_is_re_encoded_and_seen_only_within_scope(
    care, people, client_for, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    client = client_for(people.grid_worker)
    url = reverse("care:visit_create", kwargs={"pk": care.elder.pk})
    form = client.get(url).context["form"]
    photo = SimpleUploadedFile("room.png", buffer.getvalue(), content_type="image/png")
    data = {
        "submission_key": form.initial["submission_key"],
        "finding": "well",
        "visited_on": timezone.localdate().isoformat(),
        "photo": photo,
    }
    assert client.post(url, data).status_code == 302
    visit = Visit.objects.get()
    photo_url = reverse("care:visit_photo", kwargs={"pk": visit.pk})
    assert photo_url in client.get(care.elder.get_absolute_url()).content.decode()
    shown = client.get(photo_url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert client_for(people.wenyuan_official).get(photo_url).status_code == 404
