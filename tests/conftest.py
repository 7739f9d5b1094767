import os
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.demo_database import (
    Demo,
    build_template_if_first,
    copy_of_demo,
    drop_database,
    drop_template,
    on_database,
)
from tests.factories import build_district, build_personas

# The machines are shared and noisy: how fast examples are drawn or run says nothing about the code.
settings.register_profile(
    "portal", suppress_health_check=[HealthCheck.too_slow], deadline=None, parent=settings.default
)
settings.load_profile("portal")


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


@pytest.fixture(scope="session", autouse=True)
def demo_template(request, tmp_path_factory):
    """When any test of this run reads the demo, the first process here builds the run's
    template before its first test, while its test database is freshly migrated and unused
    (see tests/demo_database.py)."""
    if any("demo_database" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            build_template_if_first(run_directory(tmp_path_factory))


@pytest.fixture(scope="session")
def demo_database(django_db_setup, tmp_path_factory) -> Demo:
    """This process's copy of the whole demo district, from the run's template; dropped at
    the end."""
    demo = copy_of_demo(run_directory(tmp_path_factory))
    yield demo
    drop_database(demo.database)


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


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the xdist controller, or the only process
        drop_template(session.config._tmp_path_factory.getbasetemp())
