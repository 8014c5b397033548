"""A process that runs ``sdgxl validate`` and ``sdgxl collect`` on one inbox after another,
for the property-based tests: one JSON line in (``{"file", "inbox", "out", "db"}``), one out
(``{"validate": exit code, "collect": exit code, "traceback": bool, "text": …}``). Started by
tests/hostile/test_properties.py with its address space limited (RLIMIT_AS); a run that
kills it (an abort, the limit) is seen there as the worker gone."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback


def _run(argv: list[str]) -> tuple[int, str, bool]:
    from sdgxl.cli import main

    buf = io.StringIO()
    crashed = False
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            code = main(argv)
        except BaseException:  # anything escaping the CLI is a failure of the property
            traceback.print_exc()
            crashed, code = True, -1
    text = buf.getvalue()
    return code, text, crashed or "Traceback" in text


def serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        v_code, v_text, v_tb = _run(["validate", job["file"], "--year", "2026", "--format", "json"])
        c_code, c_text, c_tb = _run(["collect", job["inbox"], "--year", "2026", "--db", job["db"],
                                     "--out", job["out"], "--jobs", "1"])
        answer = {"validate": v_code, "collect": c_code, "traceback": v_tb or c_tb,
                  "text": (v_text[-1500:] if v_code not in (0, 1) or v_tb else "") + c_text[-1500:]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
