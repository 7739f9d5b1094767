import pytest
from django.test import Client

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
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
