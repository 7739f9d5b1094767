"""Changing a person in care and their leaving care: against the version the form was opened
at (409 showing the other change), once per form key; leaving care ends visits falling due and
unbinds their bracelets; the figures by kind stay equal to a rebuild from the records."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import CarePerson, LeaveReason, RiskLevel
from care.services.changes import person_leave, person_update
from care.services.people import mark_overdue
from core.metrics.rebuild import recomputed_facts, stored_facts
from core.metrics.registry import Period, evaluate, metric
from tests.care.conftest import kind

pytestmark = pytest.mark.django_db


def edit_url(person):
    return reverse("care:person_edit", kwargs={"pk": person.pk})


def leave_url(person):
    return reverse("care:person_leave", kwargs={"pk": person.pk})


def edit_data(person, **changes):
    data = {
        "submission_key": str(uuid.uuid4()),
        "version": person.version,
        "kind": person.kind_id,
        "risk_level": person.risk_level,
        "phone": person.phone,
        "address": person.address,
        "guardian_name": person.guardian_name,
        "guardian_relation": person.guardian_relation,
        "guardian_phone": person.guardian_phone,
        "notes": person.notes,
    }
    return {**data, **changes}


def people_figures(unit, day):
    keys = ["care.people", "care.people.living_alone", "care.people.left_behind"]
    return evaluate(unit, Period(day, day), [metric(k) for k in keys])


def test_the_grid_changes_risk_level_kind_and_contact(care, people, client_for):
    client = client_for(people.grid_worker)
    assert client.get(edit_url(care.elder)).status_code == 200
    response = client.post(
        edit_url(care.elder),
        edit_data(
            care.elder,
            kind=kind("left_behind").pk,
            other_kinds=[kind("living_alone").pk],
            risk_level=RiskLevel.LOW,
            guardian_phone="13900004444",
        ),
    )
    assert response.status_code == 302
    elder = CarePerson.objects.get(pk=care.elder.pk)
    assert (elder.kind.code, elder.risk_level, elder.version) == ("left_behind", "low", 2)
    assert elder.guardian_phone == "13900004444"
    assert [k.code for k in elder.other_kinds.all()] == ["living_alone"]
    assert stored_facts() == recomputed_facts()
    today = timezone.localdate()
    assert people_figures(elder.unit, today) == {
        "care.people": 1,
        "care.people.living_alone": 0,
        "care.people.left_behind": 1,
    }


def test_a_stale_save_shows_the_other_change_and_saves_nothing(care, people, client_for):
    opened = edit_data(care.elder, risk_level=RiskLevel.LOW)
    person_update(
        by=people.meiyuan_worker,
        person=care.elder,
        version=care.elder.version,
        kind=care.elder.kind,
        risk_level=RiskLevel.MEDIUM,
        guardian_relation="女儿",
        guardian_name=care.elder.guardian_name,
        guardian_phone=care.elder.guardian_phone,
    )
    response = client_for(people.grid_worker).post(edit_url(care.elder), opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert "女儿" in page  # their change, shown
    assert 'name="version" value="2"' in page  # saving again goes against theirs
    elder = CarePerson.objects.get(pk=care.elder.pk)
    assert (elder.risk_level, elder.version) == ("medium", 2)


def test_a_double_submit_saves_once(care, people, client_for):
    client = client_for(people.grid_worker)
    data = edit_data(care.elder, risk_level=RiskLevel.LOW)
    assert client.post(edit_url(care.elder), data).status_code == 302
    again = client.post(edit_url(care.elder), data)
    assert again.status_code == 302  # to where the first went, not a 409
    assert CarePerson.objects.get(pk=care.elder.pk).version == 2


def test_a_bad_phone_is_refused_next_to_the_field(care, people, client_for):
    data = edit_data(care.elder, guardian_phone="12345")
    response = client_for(people.grid_worker).post(edit_url(care.elder), data)
    assert response.status_code == 400
    assert 'id="id_guardian_phone_error"' in response.content.decode()
    assert CarePerson.objects.get(pk=care.elder.pk).version == 1


@pytest.mark.parametrize("who", ["wenyuan_official", "outsider", "district_staff"])
def test_no_one_else_changes_the_record(care, people, client_for, who):
    client = client_for(getattr(people, who))
    assert client.get(edit_url(care.elder)).status_code == 404
    assert client.post(edit_url(care.elder), edit_data(care.elder)).status_code == 404
    assert client.get(leave_url(care.elder)).status_code == 404


def test_leaving_care_ends_visits_due_unbinds_the_bracelet_and_keeps_the_figures(
    care, people, client_for
):
    today = timezone.localdate()
    CarePerson.objects.filter(pk=care.elder.pk).update(next_visit_due=today - timedelta(days=1))
    client = client_for(people.grid_worker)
    future = client.post(
        leave_url(care.elder),
        {
            "submission_key": str(uuid.uuid4()),
            "version": 1,
            "reason": LeaveReason.MOVED_AWAY,
            "left_on": (today + timedelta(days=1)).isoformat(),
        },
    )
    assert future.status_code == 400 and 'id="id_left_on_error"' in future.content.decode()
    response = client.post(
        leave_url(care.elder),
        {
            "submission_key": str(uuid.uuid4()),
            "version": 1,
            "reason": LeaveReason.DECEASED,
            "left_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    elder = CarePerson.objects.get(pk=care.elder.pk)
    assert (elder.left_on, elder.left_reason) == (today, "deceased")
    care.bracelet.refresh_from_db()
    assert care.bracelet.person is None
    assert mark_overdue() == 0  # no visit falls due any more
    assert stored_facts() == recomputed_facts()
    assert people_figures(elder.unit, today)["care.people.living_alone"] == 0
    assert people_figures(elder.unit, today - timedelta(days=1))["care.people.living_alone"] == 1
    registry = client.get(reverse("care:registry")).content.decode()
    assert elder.get_absolute_url() not in registry
    page = client.get(elder.get_absolute_url()).content.decode()
    assert reverse("care:visit_create", kwargs={"pk": elder.pk}) not in page
    assert leave_url(elder) not in page and edit_url(elder) not in page
    # Left care, the record is no longer changed.
    assert client.get(edit_url(elder)).status_code == 404


def test_leaving_before_registration_is_refused(care, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        person_leave(
            by=people.grid_worker,
            person=care.elder,
            version=1,
            left_on=care.elder.registered_on - timedelta(days=1),
            reason=LeaveReason.NOT_ELIGIBLE,
        )
    assert CarePerson.objects.get(pk=care.elder.pk).left_on is None


def test_after_leaving_care_the_bracelets_alerts_no_longer_name_the_person(care, people):
    from care.services.alerts import alert_receive

    person_leave(
        by=people.grid_worker,
        person=care.elder,
        version=1,
        left_on=timezone.localdate(),
        reason=LeaveReason.MOVED_AWAY,
    )
    care.bracelet.refresh_from_db()
    received = alert_receive(
        platform="test-bracelet",
        external_id="A-after",
        device=care.bracelet,
        kind="fall",
        happened_at=timezone.now(),
    )
    assert received.alert.person is None
    assert not CarePerson.objects.get(pk=care.elder.pk).alerts.exists()


def test_the_edit_form_holds_no_phone_and_a_blank_one_keeps_it(care, people, client_for):
    client = client_for(people.grid_worker)
    page = client.get(edit_url(care.elder)).content.decode()
    assert care.elder.phone not in page and care.elder.guardian_phone not in page
    stored = (care.elder.phone, care.elder.guardian_phone)
    response = client.post(
        edit_url(care.elder), edit_data(care.elder, phone="", guardian_phone="", notes="新备注")
    )
    assert response.status_code == 302
    care.elder.refresh_from_db()
    assert (care.elder.phone, care.elder.guardian_phone) == stored and care.elder.notes == "新备注"


def test_a_change_after_someone_recorded_leaving_is_refused_and_says_so(care, people, client_for):
    opened = CarePerson.objects.get(pk=care.elder.pk)
    person_leave(
        by=people.grid_worker,
        person=care.elder,
        version=opened.version,
        left_on=timezone.localdate(),
        reason=LeaveReason.MOVED_AWAY,
    )
    client = client_for(people.grid_worker)
    for url, data in [
        (edit_url(opened), edit_data(opened, notes="晚到的修改")),
        (
            leave_url(opened),
            {
                "submission_key": str(uuid.uuid4()),
                "version": opened.version,
                "reason": LeaveReason.DECEASED,
                "left_on": timezone.localdate().isoformat(),
            },
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 409
        assert "离开关爱" in response.content.decode()
    care.elder.refresh_from_db()
    assert care.elder.left_reason == LeaveReason.MOVED_AWAY and care.elder.notes != "晚到的修改"
