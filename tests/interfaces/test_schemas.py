"""Schemathesis draws requests from each served OpenAPI schema, valid ones and invalid ones: no
answer is a 5xx, and every answer keeps to the schema (its status codes, content types and
bodies). A few examples per operation and mode keep the run to seconds."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from consultation.models import Demand
from interfaces.models import ApiKey

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def in_test_transaction(app):
    """The WSGI app as Django's test client runs it: the request does not close the test's
    connection (and with it the transaction each test runs in)."""

    def call(environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return list(app(environ, start_response))
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return call


def run_schema(path: str, headers: dict | None = None) -> int:
    schema = schemathesis.openapi.from_wsgi(path, in_test_transaction(get_wsgi_application()))
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
            @BOUNDED
            def check(case):
                case.call_and_validate(checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # No invalid request can be drawn when every parameter takes any string.
                assert mode is GenerationMode.NEGATIVE
        operations += 1
    return operations


@pytest.mark.django_db
def test_open311_keeps_to_its_schema(district, people):
    assert run_schema("/open311/v2/openapi.json") >= 9
    assert Demand.objects.count() == 0  # without a key, nothing was filed


@pytest.mark.django_db
def test_open311_with_a_key_keeps_to_its_schema(district, people):
    _key, secret = ApiKey.issue(
        name="fuzz", unit=district.district, per_minute=10_000, by=people.district_staff
    )
    assert run_schema("/open311/v2/openapi.json", headers={"X-Api-Key": secret}) >= 9


@pytest.mark.django_db
def test_open_data_keeps_to_its_schema(district, people):
    assert run_schema("/api/v1/openapi.json") >= 9
