"""Shared fixtures. Tests needing LibreOffice or PostgreSQL skip when they are missing,
unless SDGXL_REQUIRE_LIBREOFFICE / SDGXL_REQUIRE_POSTGRES is set (CI sets both), in which
case a missing service is a failure, not a skip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run ``sdgxl`` in a real subprocess (as a user would)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sdgxl", *args], capture_output=True, text=True, encoding="utf-8",
        cwd=cwd, env=full_env, timeout=timeout,
    )


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


@pytest.fixture
def bundled_json(tmp_path: Path) -> dict:
    from sdgxl.catalogue.load import BUNDLED_PATH

    return json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))


def _need(service: str, env: str) -> None:
    if os.environ.get(env):
        pytest.fail(f"{service} is required here ({env} is set) but was not found")
    pytest.skip(f"{service} not installed (set {env}=1 to make this a failure)")


@pytest.fixture(scope="session")
def libreoffice() -> None:
    """Skip (locally) or fail (CI) when headless LibreOffice with UNO is missing."""
    from sdgxl import libreoffice as lo

    if not lo.available():
        _need("LibreOffice (soffice + python3-uno)", "SDGXL_REQUIRE_LIBREOFFICE")
