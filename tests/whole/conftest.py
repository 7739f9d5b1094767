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
    """These tests, the longest by far, run before all others, and the two that share the crawl
    ahead of them: `make test`'s xdist (worksteal) hands out the first half of the tests to one
    worker and steals from the end of a queue, so one worker crawls once and takes the long
    tests from the start, while the lighter tests fill in at the end."""

    def order(item) -> int:
        if not item.nodeid.startswith("tests/whole/"):
            return 2
        return 0 if "crawled_forms" in item.fixturenames else 1

    items.sort(key=order)
