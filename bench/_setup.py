"""Shared set-up for benchmarks: a database of their own, migrated, with the demo district."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database: str) -> None:
    # An empty DATABASE_URL counts as unset: the portal would start its embedded PostgreSQL.
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from portal.database import ensure_database

    ensure_database(settings.DATABASES["default"])
    call_command("migrate", interactive=False, verbosity=0)
    from core.demo.district import load_accounts, load_district

    load_district()
    load_accounts()
