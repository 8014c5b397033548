"""The code stays ruff- and mypy-clean (CI runs these with the rest of the suite)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import ROOT


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(ROOT / ".venv" / "bin")) or shutil.which(name)
    return [exe] if exe else [sys.executable, "-m", name]


def test_ruff_clean():
    proc = subprocess.run([*_tool("ruff"), "check", "src", "tests", "bench", "samples"], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_clean():
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_version_is_written_once():
    """pyproject reads the version from sdgxl.__version__ (hatch's dynamic version), and the
    installed metadata says the same."""
    import importlib.metadata
    import re

    import sdgxl
    from sdgxl.resources import load_toml

    project = load_toml(ROOT / "pyproject.toml")
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    source = ROOT / project["tool"]["hatch"]["version"]["path"]
    assert re.findall(r'^__version__ = "([^"]+)"', source.read_text(encoding="utf-8"), re.M) == [sdgxl.__version__]
    assert importlib.metadata.version("sdgxl") == sdgxl.__version__


def test_mypy_checks_against_the_oldest_supported_python():
    from sdgxl.resources import load_toml

    project = load_toml(ROOT / "pyproject.toml")
    oldest = project["project"]["requires-python"].removeprefix(">=")
    assert project["tool"]["mypy"]["python_version"] == oldest
    assert project["tool"]["ruff"]["target-version"] == "py" + oldest.replace(".", "")


def test_every_stage_has_its_test_module():
    """Tests are organised like the code: each stage of src/sdgxl has a test module named for it."""
    stages = {"catalogue": "test_catalogue.py", "forms": "test_generate.py", "ingest": "test_reader.py",
              "validate": "test_validate_corpus.py", "ledger": "test_ledger.py", "collect": "test_collect.py",
              "outputs": "test_outputs.py", "progress": "test_progress.py", "console": "test_console.py"}
    src = ROOT / "src" / "sdgxl"
    for stage, module in stages.items():
        assert (src / stage).is_dir() or (src / f"{stage}.py").is_file(), stage
        assert (ROOT / "tests" / module).is_file(), module
