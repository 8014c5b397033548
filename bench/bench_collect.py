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
    args = ap.parse_args()
    from bench_validate import make_corpus

    make_corpus(max(args.sizes))
    for n in args.sizes:
        fl = run(n, "floor")
        co = run(n, "collect")
        print(f"{n:5d} files: floor {fl['seconds']:6.2f} s | collect {co['seconds']:6.2f} s "
              f"({1000 * co['seconds'] / n:.2f} ms/file) | ratio {co['seconds'] / fl['seconds']:.2f}x "
              f"(target <= 2.5x) | peak memory: collect {co['peak_mb']:.0f} MB, floor {fl['peak_mb']:.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
