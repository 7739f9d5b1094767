"""Binding a bracelet to a person from their page and unbinding it with a reason: one person per
bracelet, kept in the bracelet's history, only by those who keep the person; bad input shown
next to the field and changing nothing; a double submit binds once."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from care.models import Alert, AlertLevel, Device
from care.services.devices import BIND, UNBIND

pytestmark = pytest.mark.django_db


def bind_url(person):
    return reverse("care:bracelet_bind", kwargs={"pk": person.pk})


def unbind_url(person, device):
    return reverse("care:bracelet_unbind", kwargs={"pk": person.pk, "device_pk": device.pk})


def post(client, url, **data):
    return client.post(url, {"submission_key": str(uuid.uuid4()), **data})


def test_the_grid_binds_a_new_bracelet_and_its_page_shows_it(care, people, client_for):
    client = client_for(people.grid_worker)
    response = post(client, bind_url(care.elder), serial=" GC-0100 ")
    assert response.status_code == 302
    assert response["Location"].endswith(care.elder.get_absolute_url() + "#bracelets")
    device = Device.objects.get(serial="GC-0100")
    assert device.person == care.elder and device.unit == care.elder.unit
    page = client.get(care.elder.get_absolute_url()).content.decode()
    assert "GC-0100" in page and "GC-0001" in page
    assert device.pgh_event_model.objects.filter(
        pgh_obj=device,
        pgh_context__metadata__reason=BIND,
        pgh_context__metadata__user=people.grid_worker.pk,
    ).exists()


def test_a_double_submit_binds_once(care, people, client_for):
    client = client_for(people.grid_worker)
    data = {"submission_key": str(uuid.uuid4()), "serial": "GC-0200"}
    first = client.post(bind_url(care.elder), data)
    second = client.post(bind_url(care.elder), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    device = Device.objects.get(serial="GC-0200")
    binds = device.pgh_event_model.objects.filter(pgh_obj=device)
    assert binds.count() == 1


def test_a_bracelet_worn_by_someone_else_is_refused_next_to_the_field(
    care, people, client_for, district
):
    from care.services.people import person_register
    from tests.care.conftest import id_number, kind

    neighbour = person_register(
        by=people.grid_worker,
        unit=district.meiyuan_grid,
        kind=kind("living_alone"),
        name="赵秀英",
        id_number=id_number(3),
        guardian_name="赵强",
        guardian_phone="13800003333",
        consent=True,
    )
    response = post(client_for(people.grid_worker), bind_url(neighbour), serial="GC-0001")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field-error" id="id_serial_error"' in page
    care.bracelet.refresh_from_db()
    assert care.bracelet.person == care.elder


@pytest.mark.parametrize("serial", ["", "G", "GC 0001; drop", "x" * 65])
def test_a_bad_number_is_refused_and_changes_nothing(care, people, client_for, serial):
    before = Device.objects.count()
    response = post(client_for(people.grid_worker), bind_url(care.elder), serial=serial)
    assert response.status_code == 400
    assert 'id="id_serial_error"' in response.content.decode()
    assert Device.objects.count() == before


def test_unbind_needs_a_reason_then_frees_the_bracelet_with_it_in_history(care, people, client_for):
    client = client_for(people.meiyuan_worker)
    url = unbind_url(care.elder, care.bracelet)
    refused = post(client, url, reason="")
    assert refused.status_code == 400
    assert f'id="id_unbind{care.bracelet.pk}_reason_error"' in refused.content.decode()
    care.bracelet.refresh_from_db()
    assert care.bracelet.person == care.elder

    assert post(client, url, reason="手环损坏，已退回").status_code == 302
    care.bracelet.refresh_from_db()
    assert care.bracelet.person is None and care.bracelet.unit == care.elder.unit
    page = client.get(care.elder.get_absolute_url()).content.decode()
    assert "手环损坏，已退回" in page  # the history on the person's page
    event = care.bracelet.pgh_event_model.objects.filter(
        pgh_obj=care.bracelet, pgh_context__metadata__reason=UNBIND
    ).get()
    assert event.pgh_context.metadata["note"] == "手环损坏，已退回"

    # Unbinding it again (another tab) says so and changes nothing.
    again = post(client, url, reason="重复")
    assert again.status_code == 400
    # Freed, it binds to someone else of the area.
    assert post(client, bind_url(care.elder), serial="GC-0001").status_code == 302


@pytest.mark.parametrize("who", ["wenyuan_official", "outsider", "district_staff", "village_clerk"])
def test_no_one_else_binds_or_unbinds(care, people, client_for, who):
    client = client_for(getattr(people, who))
    assert post(client, bind_url(care.elder), serial="GC-0300").status_code == 404
    assert post(client, unbind_url(care.elder, care.bracelet), reason="x").status_code == 404
    assert not Device.objects.filter(serial="GC-0300").exists()
    care.bracelet.refresh_from_db()
    assert care.bracelet.person == care.elder


def test_a_bracelet_of_another_area_is_not_taken_over(care, people, client_for, district):
    Device.objects.create(serial="LQ-0001", unit=district.liuqiaoyu_grid)
    response = post(client_for(people.grid_worker), bind_url(care.elder), serial="LQ-0001")
    assert response.status_code == 400
    assert Device.objects.get(serial="LQ-0001").person is None


def test_the_sweep_scans_untaken_alerts_by_its_index(care):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Alert._meta.db_table)
    assert indexes["care_alert_untaken"]["columns"] == ["received_at"]
    sql, params = (
        Alert.objects.filter(acknowledged_at__isnull=True, level__lt=AlertLevel.STREET)
        .only("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "care_alert_untaken" in plan
