"""Benchmark: read and validate 2,000 returned forms vs python-calamine reading the same cells.

A national roll-up: 87 copies of the province's 23 agency forms (2,001 files), each filled
with the sample values. Run by hand:

    python bench/bench_validate.py [--files 2001] [--repeat 3]

Prints the floor (python-calamine alone: open each file, read the data sheet and the
metadata sheet to Python lists), sdgxl on one core, sdgxl on every core, and the ratios.
Target: within 2x of the floor on one core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import python_calamine as pc

from sdgxl.catalogue import bundled
from sdgxl.catalogue.load import catalogue_hash
from sdgxl.demo.fill import FormFile
from sdgxl.demo.samples import fill_from_samples
from sdgxl.forms.generate import generate_forms
from sdgxl.validate import validate_files

OUT = Path(__file__).resolve().parent / "out" / "returns"


def make_corpus(n: int) -> list[Path]:
    # the corpus is kept between runs, and made again when the catalogue changes (forms of an
    # older catalogue take validation's slower "stale form" path, which is not what we measure)
    marker = OUT / ".corpus"
    stamp = f"v4 {catalogue_hash(bundled())}"
    existing = sorted(OUT.glob("*.xlsx")) if OUT.exists() else []
    if len(existing) >= n and marker.exists() and marker.read_text() == stamp:
        return existing[:n]
    if not marker.exists() or marker.read_text() != stamp:
        for old in existing:
            old.unlink()
    OUT.mkdir(parents=True, exist_ok=True)
    forms = generate_forms(bundled(), 2026, OUT.parent / "forms")
    paths = []
    i = 0
    while len(paths) < n:
        for f in forms:
            if len(paths) >= n:
                break
            dst = OUT / f"p{i:03d}_{f.path.name}"
            if not dst.exists():  # each province's copy differs (its own note), as real files would
                first = next(iter(FormFile(f.path).rows))
                fill_from_samples(f.path, dst, 2026, f.agency, [{"key": first, "what": "note",
                                                                  "value": f"Tỉnh số {i}"}])
            paths.append(dst)
        i += 1
    marker.write_text(stamp)
    return paths


def floor(paths: list[Path]) -> int:
    cells = 0
    for p in paths:
        wb = pc.CalamineWorkbook.from_path(str(p))
        # the sheets sdgxl reads: metadata, indicators and (forms of format 2) the narratives
        for name in ("_sdgxl", "Chỉ tiêu", "Kết quả mục tiêu"):
            if name not in wb.sheet_names:
                continue
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
        wb.close()
    return cells


def timed(fns, repeat: int) -> list[float]:
    """Median seconds of each of ``fns``, run in turn ``repeat`` times (interleaved, so that
    the machine's slow spells fall on all of them alike)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, t in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            fn()
            t.append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2001)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    paths = make_corpus(args.files)
    cat = bundled()
    validate_files(paths[:50], cat, jobs=1)  # warm caches and imports
    floor(paths[:50])
    cores = os.cpu_count() or 1
    t_floor, t_one, t_all = timed([lambda: floor(paths), lambda: validate_files(paths, cat, year=2026, jobs=1),
                                   lambda: validate_files(paths, cat, year=2026, jobs=cores)], args.repeat)
    report = validate_files(paths[:200], cat, year=2026, jobs=1)
    assert all(f.valid for f in report.files), "the benchmark corpus must be valid"
    n = len(paths)
    print(f"files: {n}")
    print(f"python-calamine floor : {t_floor:7.2f} s  ({1000 * t_floor / n:.2f} ms/file)")
    print(f"sdgxl validate, 1 core: {t_one:7.2f} s  ({1000 * t_one / n:.2f} ms/file)  ratio {t_one / t_floor:.2f}x "
          f"(target <= 2x)")
    print(f"sdgxl validate, {cores} cores: {t_all:6.2f} s  ({1000 * t_all / n:.2f} ms/file)  ratio "
          f"{t_all / t_floor:.2f}x, speed-up {t_one / t_all:.2f}x over 1 core")


if __name__ == "__main__":
    main()
