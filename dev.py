#!/usr/bin/env python3
"""Bootstrap for a fresh checkout: needs only Python (3.10+).

    python dev.py demo [ARGS...]   create .venv, install sdgxl, run `sdgxl demo ARGS`
    python dev.py test [ARGS...]   create .venv, install sdgxl[test], run the whole test suite
    python dev.py sdgxl ARGS...    any sdgxl command inside the project's .venv

The virtual environment lives in .venv beside this file and is reused; it is refreshed
when pyproject.toml changes. Works the same on Windows, Linux and macOS. SDGXL_VENV names
another environment; with SDGXL_VENV_READY=1 it is used as it is, never reinstalled.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("SDGXL_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env(extras: str) -> None:
    if os.environ.get("SDGXL_VENV_READY") == "1" and PY.exists():
        return  # the caller vouches for the environment (the README test reuses its own without reinstalling)
    stamp = VENV / f".sdgxl-installed-{extras or 'base'}"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and PY.exists():
        return
    if not PY.exists():
        print(f"dev.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    spec = f".[{extras}]" if extras else "."
    print(f"dev.py: installing sdgxl{'[' + extras + ']' if extras else ''} (first run only)", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", spec], cwd=ROOT, check=True)
    stamp.write_text(want)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if cmd == "test":
        ensure_env("test")
        return subprocess.run([str(PY), "-m", "pytest", *rest], cwd=ROOT, env=env).returncode
    ensure_env("test" if (VENV / ".sdgxl-installed-test").exists() else "")
    if cmd == "demo":
        return subprocess.run([str(PY), "-m", "sdgxl", "demo", *rest], env=env).returncode
    if cmd == "sdgxl":
        return subprocess.run([str(PY), "-m", "sdgxl", *rest], env=env).returncode
    print(f"dev.py: unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
