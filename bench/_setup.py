"""Shared set-up for benchmarks: a database of their own, migrated, with the demo district."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432/"


def database_url(database: str) -> str:
    """The database named `database` on the server DATABASE_URL points at (the machine's
    PostgreSQL when it is unset or empty): a benchmark never writes into the database the
    portal itself uses."""
    server = urlsplit(os.environ.get("DATABASE_URL") or SERVER)
    return urlunsplit(server._replace(path=f"/{database}"))


def setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database_url(database)
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
