"""The stylesheet linter of `make checks` (stylelint, pinned in package-lock.json, configured in
.stylelintrc.json) passes the portal's stylesheets and fails a broken one."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STYLELINT = ROOT / "node_modules" / ".bin" / "stylelint"


def lint(*paths: str | Path) -> subprocess.CompletedProcess:
    if not STYLELINT.exists():
        pytest.fail("stylelint is not installed: `make checks` (or `npm ci`) installs it")
    return subprocess.run(
        [str(STYLELINT), "--config", str(ROOT / ".stylelintrc.json"), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unclosed_block_and_an_unknown_property_fail_the_linter(tmp_path):
    unclosed = tmp_path / "unclosed.css"
    unclosed.write_text(".card { padding: 1rem;\n.table { width: 100%; }\n")
    result = lint(unclosed)
    assert result.returncode != 0
    assert "Unclosed block" in result.stdout + result.stderr

    misspelt = tmp_path / "misspelt.css"
    misspelt.write_text(".card { pading: 1rem; }\n")
    result = lint(misspelt)
    assert result.returncode != 0
    assert "property-no-unknown" in result.stdout + result.stderr


def test_the_portals_stylesheets_pass():
    result = lint("static/css/**/*.css")
    assert result.returncode == 0, result.stdout + result.stderr
