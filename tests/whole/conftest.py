"""Tests of the whole portal at once, over the whole demo district (loaded once for them all)."""

import pytest

from tests.demo_database import on_database


@pytest.fixture(scope="package")
def demo_district(demo_database, django_db_blocker):
    """The whole demo district for this package's tests; whatever they write is rolled back."""
    from django.db import transaction

    with on_database(demo_database.database), django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def crawled_forms(demo_district, django_db_blocker):
    """Every kind of POST form the crawler finds as each kind of user, crawled once for the
    package: {signature: [(username, form)]} (see tests/whole/formfill.py)."""
    from tests.whole.formfill import discover

    with django_db_blocker.unblock():
        return discover()


def pytest_collection_modifyitems(items):
    """The crawl is long: under `--dist loadgroup` the tests that use it share one worker."""
    for item in items:
        if "crawled_forms" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("crawled_forms"))
