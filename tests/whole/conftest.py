"""Tests of the whole portal at once, over the whole demo district (loaded once for them all)."""

import pytest


@pytest.fixture(scope="package")
def demo_district(django_db_setup, django_db_blocker):
    """The whole demo district, loaded once for this package's tests and rolled back after them."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def crawled_forms(demo_district, django_db_blocker):
    """Every kind of POST form the crawler finds as each kind of user, crawled once for the
    package: {signature: [(username, form)]} (see tests/whole/formfill.py)."""
    from tests.whole.formfill import discover

    with django_db_blocker.unblock():
        return discover()
