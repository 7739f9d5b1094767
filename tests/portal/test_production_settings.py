"""Production refuses to start without SECRET_KEY and ALLOWED_HOSTS, and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never would.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"ALLOWED_HOSTS": "portal.example.gov.cn"}, "SECRET_KEY"),
        ({"SECRET_KEY": "k" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = manage("check", PORTAL_ENV="production", **env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_passes_the_deployment_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PORTAL_ENV="production",
        SECRET_KEY="x9$Kq2!vT7#pLm4@Zr8&Wc1^Hs6*Nd3(Fb5)Gj0_Ye-Ua+Ei=Ox~Rl",
        ALLOWED_HOSTS="portal.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_boolean_fails_loudly():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0 and "DJANGO_DEBUG must be one of" in result.stderr


HEADERS_PROBE = """
import django, json
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
response = Client().get("/accounts/login/", secure=True)
print(json.dumps({"status": response.status_code, **dict(response.headers)}))
"""


def test_production_sends_the_security_headers():
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        PORTAL_ENV="production",
        SECRET_KEY="x9$Kq2!vT7#pLm4@Zr8&Wc1^Hs6*Nd3(Fb5)Gj0_Ye-Ua+Ei=Ox~Rl",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", HEADERS_PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self' 'nonce-" in csp
