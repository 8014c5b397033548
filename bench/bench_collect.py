"""Benchmark: collect 2,001 returned forms into a fresh ledger; time and peak memory.

Each run is a fresh process (so peak memory is its own), collecting N files of the
benchmark corpus (see bench_validate.py) into a new SQLite ledger with every output
(consolidated workbook, CSV, Parquet; no feedback needed: the corpus is valid). Run by hand:

    python bench/bench_collect.py [--sizes 500 2001]

Prints, per size: the python-calamine read floor for the same files, the collect time, the
ratio (target <= 2.5x) and the peak resident memory (target: flat in the number of files).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, resource, sys, time, shutil
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from bench_validate import floor, make_corpus
from sdgxl.catalogue import bundled
from sdgxl.collect import collect
n, tmp, mode = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
paths = make_corpus(n)
inbox = tmp / "inbox"
inbox.mkdir()
for p in paths:
    (inbox / p.name).symlink_to(p)
t0 = time.perf_counter()
if mode == "floor":
    floor(paths)
else:
    res = collect(inbox, bundled(), year=2026, out_dir=tmp / "out", db=tmp / "ledger.sqlite", feedback=False)
    assert len(res.new) == n, len(res.new)
t = time.perf_counter() - t0
print(json.dumps({"seconds": t, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(n: int, mode: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, str(n), tmp, mode, str(HERE)], capture_output=True,
                             text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2001])
    ap.add_argument("--repeat", type=int, default=5, help="runs of each, alternated; medians are reported")
    args = ap.parse_args()
    import statistics

    from bench_validate import make_corpus

    make_corpus(max(args.sizes))
    for n in args.sizes:
        floors, collects = [], []
        for _ in range(args.repeat):
            floors.append(run(n, "floor"))
            collects.append(run(n, "collect"))
        fl = statistics.median(r["seconds"] for r in floors)
        co = statistics.median(r["seconds"] for r in collects)
        peak = max(r["peak_mb"] for r in collects)
        peak_floor = max(r["peak_mb"] for r in floors)
        print(f"{n:5d} files: floor {fl:6.2f} s | collect {co:6.2f} s ({1000 * co / n:.2f} ms/file) | "
              f"ratio {co / fl:.2f}x (target <= 2.5x) | peak memory: collect {peak:.0f} MB, floor {peak_floor:.0f} MB "
              f"(medians of {args.repeat})")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
