"""The district edits the list of kinds: renames one, retires it (no new registration or change
chooses it; those of it keep it and stay counted), brings it back; history kept; bad input
answered next to the field."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from care.models import CareKind, CarePerson
from care.services.people import person_register
from core.metrics.registry import Period, evaluate, metric
from tests.care.conftest import id_number
from tests.care.test_person_changes import edit_data, edit_url

pytestmark = pytest.mark.django_db


def change(client, **data):
    return client.post(reverse("care:plan"), {"form": "kind_change", **data})


def test_rename_retire_and_bring_back(care, people, client_for):
    kind = care.elder.kind
    district = client_for(people.district_staff)
    assert change(district, kind=kind.pk, name="独居老人").status_code == 302
    kind.refresh_from_db()
    assert kind.name == "独居老人" and kind.active
    assert change(district, kind=kind.pk, use="retire").status_code == 302
    kind.refresh_from_db()
    assert not kind.active and kind.name == "独居老人"
    assert "停用" in district.get(reverse("care:plan")).content.decode()

    worker = client_for(people.grid_worker)
    # Not offered for a new registration, and refused if posted anyway.
    form = worker.get(reverse("care:person_create")).context["form"]
    assert kind not in form.fields["kind"].queryset
    # The person of it keeps it: their record's edit saves with it.
    edit = worker.get(edit_url(care.elder)).context["form"]
    assert kind in edit.fields["kind"].queryset
    assert worker.post(
        edit_url(care.elder), edit_data(care.elder, notes="仍是独居")
    ).status_code == (302)
    elder = CarePerson.objects.get(pk=care.elder.pk)
    assert elder.kind_id == kind.pk and elder.notes == "仍是独居"
    # Another person cannot be changed to it.
    other = person_register(
        by=people.grid_worker,
        unit=care.elder.unit,
        kind=CareKind.objects.get(code="empty_nest"),
        name="赵德山",
        id_number=id_number(7),
        guardian_name="赵海燕",
        guardian_phone="13700003333",
        registered_on=timezone.localdate(),
        consent=True,
    )
    response = worker.post(edit_url(other), edit_data(other, kind=kind.pk))
    assert response.status_code == 400 and response.context["form"].errors["kind"]
    assert CarePerson.objects.get(pk=other.pk).kind.code == "empty_nest"
    with pytest.raises(ValidationError):  # nor registered as it
        person_register(
            by=people.grid_worker,
            unit=care.elder.unit,
            kind=kind,
            name="钱守业",
            id_number=id_number(8),
            guardian_name="钱丽",
            guardian_phone="13700004444",
            consent=True,
        )
    # Still counted.
    today = timezone.localdate()
    key = "care.people.living_alone"
    assert evaluate(elder.unit, Period(today, today), [metric(key)]) == {key: 1}

    assert change(district, kind=kind.pk, use="restore").status_code == 302
    kind.refresh_from_db()
    assert kind.active
    assert [e.active for e in kind.events.order_by("pgh_id")][-3:] == [True, False, True]


def test_bad_changes_are_answered_next_to_the_field(care, people, client_for):
    kind = care.elder.kind
    other = CareKind.objects.exclude(pk=kind.pk).first()
    district = client_for(people.district_staff)
    for data, field in [
        ({"kind": kind.pk, "name": other.name}, "name"),  # taken
        ({"kind": kind.pk}, "name"),  # nothing to change
        ({"kind": kind.pk, "name": "x" * 40}, "name"),
        ({"kind": "", "name": "新类别"}, "kind"),
        ({"kind": kind.pk, "use": "bogus"}, "use"),
    ]:
        response = change(district, **data)
        assert response.status_code == 200
        assert response.context["change_form"].errors[field], data
    kind.refresh_from_db()
    assert kind.active and kind.name == "独居"
    assert change(client_for(people.grid_worker), kind=kind.pk, use="retire").status_code == 404
    kind.refresh_from_db()
    assert kind.active
