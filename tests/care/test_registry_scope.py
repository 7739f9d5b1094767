"""Only the grid, its community and its street see people in care; lists are masked; each opening
of a record is logged and the district reads that log without opening anyone's record."""

import pytest
from django.urls import reverse

from care.models import CareAccess

pytestmark = pytest.mark.django_db


def test_the_grid_worker_sees_their_grid_masked(care, people, client_for):
    page = client_for(people.grid_worker).get(reverse("care:registry")).content.decode()
    assert "王*" in page and "王桂兰" not in page
    assert "138****1111" in page and "13800001111" not in page
    assert "李*" not in page  # 柳桥峪村 is another street's


@pytest.mark.parametrize("who", ["grid_worker", "meiyuan_worker", "aishan_official"])
def test_the_grid_its_community_and_street_open_the_record(care, people, client_for, who):
    user = getattr(people, who)
    response = client_for(user).get(care.elder.get_absolute_url())
    assert response.status_code == 200
    assert CareAccess.objects.filter(person=care.elder, user=user).count() == 1
    text = response.content.decode()
    assert "370117********" in text and care.elder.id_number not in text
    assert "138****1111" in text and "13800001111" not in text  # numbers stay masked
    assert "王桂兰" in text  # the name, for those who look after her (the opening is logged)


@pytest.mark.parametrize("who", ["wenyuan_official", "outsider", "district_staff", "village_clerk"])
def test_everyone_else_gets_a_404_and_leaves_no_trace(care, people, client_for, who):
    client = client_for(getattr(people, who))
    assert client.get(care.elder.get_absolute_url()).status_code == 404
    assert client.get(reverse("care:visit_create", kwargs={"pk": care.elder.pk})).status_code == 404
    assert not CareAccess.objects.exists()


def test_the_district_reads_the_access_log_but_not_the_registry(care, people, client_for):
    client_for(people.grid_worker).get(care.elder.get_absolute_url())
    district = client_for(people.district_staff)
    assert district.get(reverse("care:registry")).status_code == 404
    log = district.get(reverse("care:access_log")).content.decode()
    assert str(people.grid_worker) in log and "王*" in log and "王桂兰" not in log
    assert client_for(people.grid_worker).get(reverse("care:access_log")).status_code == 404


def test_search_finds_people_masked_within_scope(care, people, client_for):
    from care.search import find_people

    hits = find_people(people.grid_worker, "王桂", 10)
    assert [hit.label for hit in hits] == ["王**"]
    assert find_people(people.wenyuan_official, "王桂", 10) == []


def test_registering_needs_consent_and_a_valid_id(care, people, client_for, district):
    client = client_for(people.grid_worker)
    page = client.get(reverse("care:person_create"))
    key = page.context["form"].initial["submission_key"]
    data = {
        "submission_key": key,
        "unit": district.meiyuan_grid.pk,
        "kind": care.elder.kind.pk,
        "name": "赵大爷",
        "id_number": "370117194203011234",
        "guardian_name": "赵女士",
        "guardian_phone": "13600003333",
        "risk_level": "medium",
        "registered_on": "2026-01-05",
    }
    response = client.post(reverse("care:person_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "consent" in errors and "id_number" in errors
    from tests.care.conftest import id_number

    data.update(consent="on", id_number=id_number(77))
    assert client.post(reverse("care:person_create"), data).status_code == 302
    assert client.post(reverse("care:person_create"), data).status_code == 302  # double submit
    from care.models import CarePerson

    assert CarePerson.objects.filter(name="赵大爷").count() == 1
