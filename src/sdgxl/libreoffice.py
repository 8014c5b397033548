"""Headless LibreOffice from sdgxl: find it, and run a job through its UNO Python.

Used for PDF exports (forms, annual report) and by the tests that round-trip forms
through real LibreOffice. LibreOffice is optional: :func:`available` says whether it
is there, and callers degrade (e.g. the report is written as .xlsx without a PDF).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from sdgxl.errors import SdgxlError

__all__ = ["available", "find_soffice", "find_uno_python", "run_job", "to_pdf"]

WORKER = Path(__file__).resolve().parent / "lo_worker.py"


def find_soffice() -> str | None:
    env = os.environ.get("SDGXL_SOFFICE")
    if env and Path(env).exists():
        return env
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).exists():
            return candidate
    return None


def find_uno_python() -> str | None:
    """A Python that can ``import uno``: Debian's /usr/bin/python3, or LibreOffice's own."""
    candidates = [os.environ.get("SDGXL_UNO_PYTHON", ""), "/usr/bin/python3",
                  r"C:\Program Files\LibreOffice\program\python.exe",
                  "/Applications/LibreOffice.app/Contents/Resources/python"]
    for c in candidates:
        if c and Path(c).exists():
            ok = subprocess.run([c, "-c", "import uno"], capture_output=True, timeout=30)
            if ok.returncode == 0:
                return c
    return None


def available() -> bool:
    return find_soffice() is not None and find_uno_python() is not None


def run_job(job: dict[str, Any], timeout: int = 180) -> dict[str, Any]:
    """Run one worker job (see ``lo_worker.py``); raises SdgxlError when it fails."""
    soffice, py = find_soffice(), find_uno_python()
    if soffice is None or py is None:
        raise SdgxlError("libreoffice_missing")
    with tempfile.TemporaryDirectory(prefix="sdgxl-lo-") as profile:
        payload = {"soffice": soffice, "profile": profile, **job}
        proc = subprocess.run([py, str(WORKER)], input=json.dumps(payload), capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        result: dict[str, Any] = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        result = {"ok": False, "error": (proc.stderr or proc.stdout)[-500:]}
    if not result.get("ok"):
        raise SdgxlError("libreoffice_failed", reason=result.get("error"))
    return result


def to_pdf(source: Path, pdf: Path, timeout: int = 180) -> Path:
    run_job({"input": str(source), "pdf": str(pdf)}, timeout=timeout)
    return pdf


def pdf_pages(pdf: Path) -> int:
    """Number of pages of a PDF (counts page objects; enough for our own exports)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", Path(pdf).read_bytes()))
