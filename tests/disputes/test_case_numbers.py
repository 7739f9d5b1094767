"""Case numbers stay gap-free when officials save at the same moment (real transactions, threads)."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections

from disputes.models import DisputeCase
from tests.disputes.helpers import log_case
from tests.factories import build_district, build_personas


@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_get_consecutive_numbers():
    district = build_district()
    people = build_personas(district)
    barrier = threading.Barrier(6)
    errors = []

    def official():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                log_case(people.aishan_official, district.meiyuan)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=official) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    year = date.today().year
    numbers = sorted(DisputeCase.objects.values_list("number", flat=True))
    assert numbers == [f"370117001-{year}-{n:05d}" for n in range(1, 31)]


@pytest.mark.django_db(transaction=True)
def test_a_failed_intake_leaves_no_gap():
    district = build_district()
    people = build_personas(district)
    log_case(people.aishan_official, district.meiyuan)
    # A party the model refuses fails the whole intake after the number was drawn.
    with pytest.raises(TypeError):
        log_case(people.aishan_official, district.meiyuan, parties=[{"name": "x", "bogus": 1}])
    second = log_case(people.aishan_official, district.meiyuan)
    assert second.number.endswith("-00002")
