"""Atomic file writes: a temp file in the same folder, then a rename.

An output is never left half-written: a reader sees the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sdgxl.errors import OutputError

__all__ = ["BackgroundWriter", "atomic_open", "atomic_path", "atomic_write_bytes", "atomic_write_text"]


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"Không ghi được tệp {target}: tệp đang mở (trong Excel?) hoặc thư mục không cho ghi "
        f"({exc.strerror or type(exc).__name__}). Hãy đóng tệp rồi chạy lại; dữ liệu đã nhận không bị mất.",
        message_en=f"Cannot write {target}: the file is open (in Excel?) or the folder is not writable "
                   f"({exc.strerror or type(exc).__name__}). Close it and run again; nothing received is lost.")


def _replace(tmp: Path, target: Path) -> None:
    """``os.replace``, retried briefly on Windows, where a virus scanner or the search indexer
    may hold the file for a moment; a file open in Excel stays locked and becomes an error."""
    attempts = 10 if sys.platform == "win32" else 1
    for attempt in range(attempts):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``.

    A target that cannot be written (open in Excel on Windows, a read-only folder, a folder
    in its place) raises :class:`~sdgxl.errors.OutputError` naming the file."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o644)  # mkstemp makes 0600; outputs are ordinary files
    try:
        yield tmp_path
        try:
            _replace(tmp_path, target)
        except OSError as exc:
            raise _cannot_write(target, exc) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_open(target: Path | str, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``target`` for writing (``open``'s mode and keywords);
    on success it is flushed to disk and renamed over ``target``."""
    with atomic_path(target) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_bytes(target: Path | str, data: bytes) -> None:
    with atomic_open(target) as fh:
        fh.write(data)


def atomic_write_text(target: Path | str, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


class BackgroundWriter:
    """Atomic writes on one background thread, so that the disk's flush of one file overlaps
    the making of the next (``fsync`` and ``write`` release the GIL).

    Files are written in the order they are given. Leaving the ``with`` block waits for every
    write and raises the first :class:`~sdgxl.errors.OutputError`; the others are still written.
    At most ``backlog`` files wait in memory."""

    def __init__(self, backlog: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sdgxl-write")
        self._pending: deque[Future[None]] = deque()
        self._done: list[Future[None]] = []
        self._backlog = backlog

    def write_bytes(self, target: Path | str, data: bytes) -> None:
        while len(self._pending) >= self._backlog:
            oldest = self._pending.popleft()
            oldest.exception()  # wait; the error, if any, is raised on leaving
            self._done.append(oldest)
        self._pending.append(self._pool.submit(atomic_write_bytes, target, data))

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True)
        if exc_type is None:
            for future in [*self._done, *self._pending]:
                future.result()
