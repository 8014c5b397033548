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

# xlwings' JSON book engine (used to test the console's button functions on Linux) needs a
# license key; xlwings documents "noncommercial" for this. Set before xlwings is imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A PostgreSQL server: SDGXL_TEST_PG_URL (CI starts one), else a throw-away cluster
    started here from Debian's binaries; skipped (locally) or failed (CI) without one."""
    import glob
    import shutil
    import tempfile

    url = os.environ.get("SDGXL_TEST_PG_URL")
    if url:
        yield url
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        _need("PostgreSQL (Debian package postgresql)", "SDGXL_REQUIRE_POSTGRES")
    pgbin = bins[-1]
    data = Path(tempfile.mkdtemp(prefix="sdgxl-pg-"))
    port = _free_port()
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    run = lambda *a: subprocess.run([*prefix, *a], check=True, capture_output=True, timeout=120)  # noqa: E731
    try:
        run(f"{pgbin}/initdb", "-D", str(data / "db"), "-A", "trust", "-U", "postgres")
        run(f"{pgbin}/pg_ctl", "-D", str(data / "db"), "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "-l", str(data / "log"), "-w", "start")
    except (subprocess.CalledProcessError, OSError) as exc:
        _need(f"a PostgreSQL server ({exc})", "SDGXL_REQUIRE_POSTGRES")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, f"{pgbin}/pg_ctl", "-D", str(data / "db"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_db(request, tmp_path):
    """A fresh, empty ledger: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.sqlite")
        return
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue("pg_server")
    name = "sdgxl_" + uuid.uuid4().hex[:12]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def demo_cycle(tmp_path_factory):
    """One run of the demo (three years, the 2026 mistakes) shared by the tests that look at
    every output: print layout, Excel compatibility."""
    from sdgxl.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo-cycle"))


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every agency's 2026 form, made once per test module (agency id → path)."""
    from sdgxl.catalogue import bundled
    from sdgxl.forms.generate import generate_forms

    out = tmp_path_factory.mktemp("forms")
    return {f.agency: f.path for f in generate_forms(bundled(), 2026, out)}
