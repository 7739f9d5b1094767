"""The bare view bench/pages.py times pages against answers only when the bench turns it on,
and never in production."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_the_bare_view_is_not_served_unless_the_bench_asks(client, settings):
    assert settings.PORTAL_BENCH_HELLO is False
    assert client.get("/__hello/").status_code == 404


def test_production_never_turns_it_on():
    env = {**os.environ, "PORTAL_ENV": "production", "PORTAL_BENCH_HELLO": "1"}
    env |= {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    code = "import portal.settings as s; print(s.PORTAL_BENCH_HELLO)"
    ran = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip() == "False"
