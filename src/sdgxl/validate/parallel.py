"""Validating many files: one way to spread them over processes, used by ``validate`` and
``collect`` alike.

Files go in batches of :data:`BATCH` to worker processes, a few batches in flight at a
time (reports wait in memory only as long as the caller takes to use them, however many
files there are), and come back in the order given. One heuristic says how many workers:
:func:`default_jobs`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from sdgxl.catalogue.models import Catalogue
from sdgxl.validate.engine import FileReport, ValidationReport, validate_file

__all__ = ["BATCH", "PARALLEL_FROM", "default_jobs", "validate_batches", "validate_files"]

BATCH = 25  # files a worker task holds
PARALLEL_FROM = 40  # more files than this: one worker per core (up to 8); fewer: workers cost more than they save

History = Mapping[tuple[str, str, str | None], float]


def default_jobs(n_files: int, cat: Catalogue, catalogue_path: str | None = None) -> int:
    """Worker processes for ``n_files``: one per core (at most 8) past :data:`PARALLEL_FROM`
    files, else 1. Workers load the catalogue from ``catalogue_path`` (None: the bundled
    one), so a catalogue given only as an object is validated in this process."""
    jobs = min(os.cpu_count() or 1, 8) if n_files > PARALLEL_FROM else 1
    return jobs if _workers_can_load(cat, catalogue_path) else 1


def _workers_can_load(cat: Catalogue, catalogue_path: str | None) -> bool:
    from sdgxl.catalogue.load import bundled

    return catalogue_path is not None or cat is bundled()


def _batch(args: tuple[list[tuple[str, str | None]], str | None, int | None, History]) -> list[FileReport]:
    items, catalogue_path, year, history = args
    from sdgxl.catalogue.load import load_catalogue_once

    cat = load_catalogue_once(catalogue_path)
    return [validate_file(p, cat, year=year, agency=a, history=history) for p, a in items]


def validate_batches(items: Sequence[tuple[Path | str, str | None]], cat: Catalogue, *, jobs: int | None = None,
                     catalogue_path: str | None = None, year: int | None = None,
                     history: History | None = None) -> Iterator[list[FileReport]]:
    """Reports of ``items`` ((path, the agency it was sent as, or None)), a batch at a time,
    in order. ``jobs``: worker processes (None: :func:`default_jobs`)."""
    if jobs is None:
        jobs = default_jobs(len(items), cat, catalogue_path)
    elif not _workers_can_load(cat, catalogue_path):
        jobs = 1
    hist = dict(history or {})
    batches = [items[i:i + BATCH] for i in range(0, len(items), BATCH)]
    if jobs <= 1 or len(items) <= BATCH:
        for b in batches:
            yield [validate_file(p, cat, year=year, agency=a, history=hist) for p, a in b]
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        waiting = iter(batches)
        running: deque[Future[list[FileReport]]] = deque()

        def submit() -> None:
            b = next(waiting, None)
            if b is not None:
                running.append(pool.submit(_batch, ([(str(p), a) for p, a in b], catalogue_path, year, hist)))

        for _ in range(2 * jobs + 1):
            submit()
        while running:
            reports = running.popleft().result()
            submit()
            yield reports


def validate_files(
    paths: Sequence[Path | str],
    cat: Catalogue,
    *,
    year: int | None = None,
    agencies: Mapping[str, str | None] | None = None,
    history: History | None = None,
    jobs: int | None = None,
    catalogue_path: str | None = None,
) -> ValidationReport:
    """Validate many files. ``agencies``: path → the agency each was sent as; ``jobs``: worker
    processes (None: :func:`default_jobs`). Workers load the catalogue from ``catalogue_path``
    (None: the bundled one), so pass the path when ``cat`` is not the bundled catalogue."""
    sent = {str(k): v for k, v in (agencies or {}).items()}
    items = [(str(p), sent.get(str(p))) for p in paths]
    return ValidationReport([r for batch in validate_batches(items, cat, jobs=jobs, catalogue_path=catalogue_path,
                                                             year=year, history=history) for r in batch])
