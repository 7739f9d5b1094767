"""The whole demo district for the tests that read it, built once per test run.

Loading the demo takes about twenty seconds and copying a database about one, so the first
pytest process (xdist worker) to have its test database migrated copies that empty database into
a template, loads the demo into the template once, and every process then copies the template
into a demo database of its own (`CREATE DATABASE … TEMPLATE`). A test reads it by pointing the
default connection at that copy for a module or package (`on_database`); each test still runs
in a transaction that is rolled back, so the copy stays as loaded. Benchmarks get copies of
the template too (tests/bench).
"""

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "Demo",
    "build_template_if_first",
    "copy_of_demo",
    "copy_database",
    "drop_database",
    "drop_template",
    "on_database",
    "url_of",
]


@dataclass(frozen=True)
class Demo:
    """The demo database of this process, the run's template it was copied from, and what each
    demo loader said and took (seconds) when the template was loaded."""

    database: str
    template: str
    loaded: dict[str, tuple[str, float]]


def _connection():
    from django.db import connections

    return connections["default"]


def _release(connection) -> None:
    """No connection of this process left open on the current database, pooled ones included
    (a database that is the source of a copy must have none)."""
    connection.close()
    connection.close_pool()


@contextmanager
def on_database(name: str) -> Iterator[None]:
    """The default connection reads and writes database `name` while inside."""
    connection = _connection()
    original = connection.settings_dict["NAME"]
    _release(connection)
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        _release(connection)
        connection.settings_dict["NAME"] = original


@contextmanager
def _server() -> Iterator:
    """A connection to the test database's server itself (its `postgres` database), outside
    Django's connection handling, so the xdist controller can use it too."""
    import psycopg

    params = {**_connection().get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as server:
        yield server


def copy_database(template: str, name: str) -> None:
    from psycopg import sql

    with _server() as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        server.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def drop_database(name: str) -> None:
    from psycopg import sql

    with _server() as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def url_of(name: str) -> str:
    """A DATABASE_URL for database `name` on the test database's server, for subprocesses."""
    db = _connection().settings_dict
    credentials = quote(db["USER"], safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    host = db["HOST"] or ""
    if host.startswith("/"):  # a socket directory
        return f"postgres://{credentials}@/{name}?host={quote(host, safe='')}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{name}"


def _load_demo() -> dict[str, tuple[str, float]]:
    """What `load_demo` loads, each loader timed. The demo accounts get the password hash the
    portal uses (not the tests' fast one), so a server started on a copy lets them log in."""
    from django.conf import global_settings
    from django.test import override_settings

    from core.demo import loaders
    from core.demo.district import load_accounts, load_district

    loaded = {}
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        load_district()
        load_accounts()
        for loader in loaders():
            began = time.monotonic()
            said = loader.load()
            loaded[loader.key] = (said, time.monotonic() - began)
    return loaded


@contextmanager
def _locked(run_directory: Path, wait: bool = True) -> Iterator[bool]:
    """The run's lock on the template: True when held; without `wait`, False at once when
    another process holds it."""
    with (run_directory / "demo-database.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_template_if_first(run_directory: Path) -> None:
    """Called by every process before its first test: the first to get here copies its test
    database, freshly migrated and unused, into the run's template and loads the demo into it;
    the others go on at once and wait only when they first need the demo."""
    connection = _connection()
    test_database = connection.settings_dict["NAME"]
    if test_database != connection.settings_dict["TEST"]["NAME"]:
        raise RuntimeError(f"{test_database} is not a test database: mark the test django_db")
    record = run_directory / "demo-database.json"
    with _locked(run_directory, wait=False) as first:
        if not first or record.exists():
            return
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        run_database = test_database.removesuffix(f"_{worker}") if worker else test_database
        template = f"{run_database}_demo_template"
        _release(connection)
        copy_database(test_database, template)
        with on_database(template):
            loaded = _load_demo()
        record.write_text(json.dumps({"template": template, "loaded": loaded}))


def copy_of_demo(run_directory: Path) -> Demo:
    """This process's copy of the demo, made from the run's template once it is built."""
    record = run_directory / "demo-database.json"
    with _locked(run_directory):
        if not record.exists():
            raise RuntimeError("the demo template was not built: see this run's first error")
        built = json.loads(record.read_text())
    demo = Demo(
        database=f"{_connection().settings_dict['NAME']}_demo",
        template=built["template"],
        loaded={key: (said, seconds) for key, (said, seconds) in built["loaded"].items()},
    )
    copy_database(demo.template, demo.database)
    return demo


def drop_template(run_directory: Path) -> None:
    """At the end of the test run: the template goes (each process drops its own copy)."""
    record = run_directory / "demo-database.json"
    if record.exists():
        drop_database(json.loads(record.read_text())["template"])
