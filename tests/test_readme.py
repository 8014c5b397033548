"""The README stays true: its quick start, its Python block, its command list."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import ROOT, run_cli


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_exactly_two_commands():
    block = re.search(r"## Quick start.*?```\n(.*?)```", readme(), re.S)
    assert block is not None
    lines = [ln for ln in block.group(1).splitlines() if ln.strip()]
    assert lines == ["python dev.py demo", "python dev.py test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "dev.py test" in ci


def test_python_block_runs(tmp_path):
    code = re.search(r"## Python API.*?```python\n(.*?)```", readme(), re.S)
    assert code is not None
    proc = subprocess.run([sys.executable, "-c", code.group(1)], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    printed = [ln.split("#")[1].strip() for ln in code.group(1).splitlines() if "print(" in ln and "#" in ln]
    assert proc.stdout.split("\n")[: len(printed)] == printed


def test_documented_commands_exist():
    for cmd in sorted(set(re.findall(r"^sdgxl (\w+)", readme(), re.M))):
        proc = run_cli(cmd, "--help")
        assert proc.returncode == 0, cmd


def test_check_count_in_readme_matches():
    from sdgxl.validate.checks import CHECKS

    assert f"the {len(CHECKS)} codes are documented" in readme()
