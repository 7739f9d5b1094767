import os
from pathlib import Path

import pytest
from django.test import Client

from tests.demo_database import Demo, build_once, drop_database, drop_template, on_database
from tests.factories import build_district, build_personas


@pytest.fixture
def district(db):
    return build_district()


@pytest.fixture
def people(district):
    return build_personas(district)


@pytest.fixture
def client_for():
    """A client logged in as the given user (no password round trip, no lockout bookkeeping)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def htmx_headers():
    return {"HX-Request": "true"}


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Real hashing costs ~0.3 s a user; tests make many users and never test the hash itself."""
    from django.conf import global_settings, settings

    # The portal's own hashers stay to check the demo accounts' passwords (tests/demo_database).
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *global_settings.PASSWORD_HASHERS,
    ]


def run_directory(tmp_path_factory) -> Path:
    """A folder shared by every process of this test run: xdist gives each worker its own
    folder inside the run's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    """This process's copy of the whole demo district, built once per test run (see
    tests/demo_database.py); dropped at the end."""
    with django_db_blocker.unblock():
        demo = build_once(run_directory(tmp_path_factory))
    yield demo
    drop_database(demo.database)


@pytest.fixture(scope="session", autouse=True)
def demo_database_before_any_test(request):
    """When any test of this run reads the demo, each process makes its copy before its first
    test, while its own test database is freshly migrated and unused: the template is copied
    from it."""
    if any("demo_database" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("demo_database")


@pytest.fixture(scope="module")
def demo(request, demo_database, django_db_blocker) -> Demo:
    """The whole demo district for the module's tests (what each demo loader said and took when
    it was loaded); whatever the module writes is rolled back after it."""
    from django.db import transaction

    others = [
        item.name
        for item in request.session.items
        if getattr(item, "module", None) is request.module and "demo" not in item.fixturenames
    ]
    if others:  # they would run on the demo's database too, in whatever order pytest picks
        pytest.fail(f"{request.module.__name__}: every test reads the demo or none: {others}")
    with on_database(demo_database.database), django_db_blocker.unblock(), transaction.atomic():
        yield demo_database
        transaction.set_rollback(True)


def pytest_collection_modifyitems(items):
    """The whole-portal tests, the longest by far, go first (in their own order), so that under
    xdist the lighter tests fill in at the end instead of a worker waiting on a long one."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/whole/"))


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the xdist controller, or the only process
        drop_template(session.config._tmp_path_factory.getbasetemp())
