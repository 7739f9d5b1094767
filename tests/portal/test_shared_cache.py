"""The cache is one for every process: Redis with `REDIS_URL`, else a table in PostgreSQL that
`migrate` makes; never a process's own memory. A count there keeps its window and adds up when
many count at once (tests/portal/test_two_processes.py counts across two servers)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]

PROBE = "import django; django.setup(); from django.conf import settings; print(settings.CACHES)"


@pytest.mark.parametrize(
    "redis_url, backend",
    [
        (None, "'BACKEND': 'portal.cache.SharedDatabaseCache'"),
        ("redis://127.0.0.1:6379/0", "'BACKEND': 'django.core.cache.backends.redis.RedisCache'"),
    ],
)
def test_every_process_uses_one_shared_cache(redis_url, backend):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    if redis_url:
        env["REDIS_URL"] = redis_url
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert backend in done.stdout
    assert "locmem" not in done.stdout


@pytest.mark.django_db
def test_migrate_makes_the_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE portal_cache")
    call_command("migrate", verbosity=0)
    assert "portal_cache" in connection.introspection.table_names()


@pytest.mark.django_db
def test_a_count_keeps_its_window():
    cache.add("ratelimit:test", 0, timeout=3600)
    assert cache.incr("ratelimit:test") == 1
    assert cache.incr("ratelimit:test", 4) == 5
    assert cache.decr("ratelimit:test") == 4
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM portal_cache WHERE cache_key LIKE %s", ["%ratelimit:test"]
        )
        (expires,) = cursor.fetchone()
    # Django's own database cache would have moved it to five minutes from the last count.
    assert (expires - timezone.now()).total_seconds() > 3500


@pytest.mark.django_db
def test_a_missing_or_expired_count_is_not_there_to_add_to():
    with pytest.raises(ValueError):
        cache.incr("ratelimit:nobody")
    cache.set("ratelimit:old", 3, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("ratelimit:old")
