"""With its database unreachable the portal answers at once with a 503 "service busy" page in
Chinese, never a traceback. The portal runs in a process of its own pointed at a port where no
PostgreSQL listens: a real refused connection, not a mock."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, json
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for method, path in [("get", "/"), ("get", "/public/figures/"), ("post", "/accounts/login/")]:
    response = getattr(client, method)(
        path, {"username": "district", "password": "x"} if method == "post" else None,
        HTTP_HOST="127.0.0.1",
    )
    print(json.dumps({
        "path": path,
        "status": response.status_code,
        "retry": response.get("Retry-After"),
        "body": response.content.decode(),
    }))
"""


def test_an_unreachable_database_gives_a_chinese_503_quickly():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/portal_down",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
    }
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    import json

    answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [a["path"] for a in answers] == ["/", "/public/figures/", "/accounts/login/"]
    for answer in answers:
        assert answer["status"] == 503, answer
        assert answer["retry"] == "5"
        assert "服务繁忙" in answer["body"]
        assert "Traceback" not in answer["body"] and "OperationalError" not in answer["body"]
    assert elapsed < 60, f"three requests took {elapsed:.0f} s against a dead database"
