"""Every benchmark in bench/ runs at a tiny size, in a process of its own, on a copy of the demo
district on the test database's server, so none can rot between the runs that measure."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_database import copy_database, drop_database, url_of

pytestmark = pytest.mark.django_db  # the test database exists, so the demo's template does

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
# Modules of bench/ that are not benchmarks themselves, with the benchmark that runs each.
NOT_BENCHMARKS = {
    "__init__.py": "",
    "_setup.py": "every benchmark",
    "generate.py": "case_list.py and dashboard.py",
    "locustfile.py": "load.py",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# script: (its arguments at a tiny size, lines its report must hold)
TINY = {
    "api.py": (
        ["--demands", "200", "--posts", "20", "--scale", "2", "--runs", "1"],
        ["hello ÷ page (target 0.2)", "queries constant in page size and data size: yes"],
    ),
    "case_list.py": (
        ["--small", "1600", "--cases", "1800", "--page", "60", "--runs", "1"],
        ["cases: 1800", "ratio page 60 / page 1:", "queries per page, 1,800 cases"],
    ),
    "case_create.py": (
        ["--runs", "3"],
        ["3 creates of each, alternated", "ratio service / bare INSERT:"],
    ),
    "dashboard.py": (
        ["--cases", "2000", "--volunteers", "20", "--activities", "2", "--per-activity", "3"]
        + ["--runs", "1", "--rounds", "1"],
        ["cases and their parties", "ratio city / demo:", "server time / its own SQL"],
    ),
    "volunteer_import.py": (
        ["40", "xlsx"],
        ["first import:", "created 40, updated 0", "unchanged 40, bad 0"],
    ),
    "search.py": (
        ["--cases", "2000", "--runs", "1"],
        ["cases: 2,000", "slowest search with 2,000 cases:", "ratio request"],
    ),
    "pages.py": (
        ["--accounts", "aishan", "--per-route", "1", "--limit", "25", "--runs", "2"]
        + ["--grow", "30", "--port", "{port}"],
        ["patterns: ", "median ratio hello ÷ page:", "queries grow with the data: 0"],
    ),
    "load.py": (
        ["--users", "2", "--seconds", "3", "--workers", "1", "--port", "{port}"],
        ["throughput with the pool / without:"],
    ),
    "care_alerts.py": (
        ["--rate", "120", "--seconds", "4", "--devices", "5", "--workers", "1", "--port", "{port}"],
        ["alerts: 8 sent", "stored: 8, distinct ids stored 8, missing 0", "webhook → list"],
    ),
}


def test_every_benchmark_is_run_here():
    scripts = {path.name for path in BENCH.glob("*.py")}
    assert scripts - set(NOT_BENCHMARKS) == set(TINY)


@pytest.fixture
def bench_database(demo_database):
    """A copy of the demo for one benchmark, and the `_demo` copy beside it that dashboard.py
    compares against; dropped after it."""
    name = f"{demo_database.database}_bench"
    copies = [name, f"{name}_demo"]
    for copy in copies:
        copy_database(demo_database.template, copy)
    yield name
    for copy in copies:
        drop_database(copy)


@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_at_a_tiny_size(script, bench_database):
    arguments, expected = TINY[script]
    arguments = [a.format(port=free_port()) for a in arguments]
    ran = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments, "--database", bench_database],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url_of(bench_database)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    for line in expected:
        assert line in ran.stdout, ran.stdout
