"""From the maintenance list, one who keeps the grid unbinds a broken bracelet with a reason
(once: a second submit changes nothing); the area's unbound bracelets are listed there."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Device
from core.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken(care):
    Device.objects.filter(pk=care.bracelet.pk).update(
        needs_care="offline", needs_care_since=timezone.now()
    )
    return care.bracelet


def unbind(client, device, **data):
    url = reverse("care:maintenance_unbind", kwargs={"pk": device.pk})
    return client.post(url, {"submission_key": str(uuid.uuid4()), **data})


def test_unbind_from_the_maintenance_list(care, broken, people, client_for, district):
    spare = Device.objects.create(serial="GC-SPARE", unit=district.meiyuan_grid)
    elsewhere = Device.objects.create(serial="GC-ELSEWHERE", unit=district.liuqiaoyu_grid)
    client = client_for(people.grid_worker)
    page = client.get(reverse("care:maintenance")).content.decode()
    assert reverse("care:maintenance_unbind", kwargs={"pk": broken.pk}) in page
    assert spare.serial in page and elsewhere.serial not in page  # unbound, within scope
    empty = unbind(client, broken, reason="")
    assert empty.status_code == 400 and 'id="id_unbind' in empty.content.decode()
    broken.refresh_from_db()
    assert broken.person_id == care.elder.pk
    key = str(uuid.uuid4())
    url = reverse("care:maintenance_unbind", kwargs={"pk": broken.pk})
    assert client.post(url, {"submission_key": key, "reason": "摔坏"}).status_code == 302
    broken.refresh_from_db()
    assert broken.person is None
    events = Device.pgh_event_model.objects.filter(pgh_obj_id=broken.pk).count()
    again = client.post(url, {"submission_key": key, "reason": "摔坏"})
    assert again.status_code == 302
    assert Device.pgh_event_model.objects.filter(pgh_obj_id=broken.pk).count() == events
    page = client.get(reverse("care:maintenance")).content.decode()
    assert "GC-0001" in page.split('id="unbound"')[1]  # now among the unbound
    history = client.get(care.elder.get_absolute_url()).context["bracelet_history"]
    assert history[0]["note"] == "摔坏"


def test_only_those_who_keep_the_grid_unbind(care, broken, people, client_for):
    assert unbind(client_for(people.district_staff), broken, reason="x").status_code == 404
    assert unbind(client_for(people.outsider), broken, reason="x").status_code == 404
    broken.refresh_from_db()
    assert broken.person_id == care.elder.pk
    assert AdministrativeUnit.objects.exists()
