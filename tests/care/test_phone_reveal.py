"""显示电话: one who keeps a person may see the phones once, to call the family; the opening is
logged with what was revealed and the district reads it; lists and reloads stay masked."""

import pytest
from django.urls import reverse

from care.models import CareAccess

pytestmark = pytest.mark.django_db


def test_the_grid_worker_shows_the_phones_once_and_the_log_says_so(care, people, client_for):
    client = client_for(people.grid_worker)
    page = client.get(care.elder.get_absolute_url()).content.decode()
    assert "13912345678" not in page and "139****5678" in page
    url = reverse("care:person_phones", kwargs={"pk": care.elder.pk})
    assert url in page
    shown = client.post(url).content.decode()
    assert "13912345678" in shown and "13800001111" in shown
    again = client.get(care.elder.get_absolute_url()).content.decode()
    assert "13912345678" not in again  # a reload masks them again
    registry = client.get(reverse("care:registry")).content.decode()
    assert "13800001111" not in registry
    revealed = CareAccess.objects.filter(person=care.elder, user=people.grid_worker)
    assert sorted(revealed.values_list("revealed", flat=True)) == ["", "", "phone,guardian_phone"]
    log = client_for(people.district_staff).get(reverse("care:access_log")).content.decode()
    assert "联系人电话" in log and "13912345678" not in log


@pytest.mark.parametrize("who", ["district_staff", "outsider", "village_clerk"])
def test_no_one_else_gets_the_phones(care, people, client_for, who):
    url = reverse("care:person_phones", kwargs={"pk": care.elder.pk})
    response = client_for(getattr(people, who)).post(url)
    assert response.status_code == 404
    assert "13912345678" not in response.content.decode()
    assert not CareAccess.objects.filter(revealed__gt="").exists()


def test_a_get_shows_nothing(care, people, client_for):
    url = reverse("care:person_phones", kwargs={"pk": care.elder.pk})
    assert client_for(people.grid_worker).get(url).status_code == 405
