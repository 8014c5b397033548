"""Atomic file writes (a temp file in the same folder, then a rename) and the file lock.

An output is never left half-written: a reader sees the old file or the new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from sdgxl.errors import OutputError

__all__ = ["atomic_open", "atomic_path", "atomic_write_bytes", "atomic_write_text", "cannot_write", "file_lock",
           "make_dir"]

# why a write failed, in words (message keys of sdgxl.i18n) rather than the C library's English
_REASONS = {
    errno.ENOENT: "why_no_folder", errno.ENOTDIR: "why_not_folder", errno.EEXIST: "why_not_folder",
    errno.EISDIR: "why_is_folder", errno.EACCES: "why_denied", errno.EPERM: "why_denied",
    errno.EROFS: "why_read_only", errno.ENOSPC: "why_full", errno.EDQUOT: "why_full",
}


def cannot_write(target: Path, exc: OSError) -> OutputError:
    """The :class:`~sdgxl.errors.OutputError` (exit code 73) for ``target``: the reason in the
    reader's words where it is a common one, else the system's own."""
    key = _REASONS.get(exc.errno or 0)
    reason = {"t": key} if key else {"t": "why_other", "detail": exc.strerror or type(exc).__name__}
    return OutputError("output_not_writable", path=target, reason=reason)


def make_dir(folder: Path | str) -> Path:
    """Create the output folder ``folder`` (and its parents) if missing; a folder that cannot
    be made (a file in its place, a read-only or virtual file system) raises
    :class:`~sdgxl.errors.OutputError` naming it, like a file that cannot be written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    return folder


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


def _temp_beside(target: Path) -> tuple[int, Path]:
    """Create and open a new temporary file in ``target``'s folder (permissions as any new
    file: 0666 less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = target.parent / f".tmp-{secrets.token_hex(8)}{target.suffix}"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 64 random bits
            continue


@contextlib.contextmanager
def _atomic_fd(target: Path | str) -> Iterator[tuple[int, Path]]:
    target = Path(target)
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temp_beside(target)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    renamed = False
    try:
        try:
            yield fd, tmp
        except OSError as exc:  # a full disk, a quota, an I/O error while writing it
            raise cannot_write(target, exc) from None
        try:
            _replace(tmp, target)
        except OSError as exc:
            raise cannot_write(target, exc) from None
        renamed = True
    finally:
        if not renamed:
            with contextlib.suppress(OSError):
                tmp.unlink()


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``.

    A target that cannot be written (open in Excel on Windows, a read-only folder, a folder
    in its place) raises :class:`~sdgxl.errors.OutputError` naming the file."""
    with _atomic_fd(target) as (fd, tmp):
        os.close(fd)
        yield tmp


@contextlib.contextmanager
def atomic_open(target: Path | str, mode: str = "wb", *, durable: bool = True,
                **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``target`` for writing (``open``'s mode and keywords);
    on success it is renamed over ``target``, after being flushed to disk if ``durable``.

    Without ``durable`` the write is still atomic (a reader sees the old file or the new
    one), but a power cut right after it may lose the new file: for outputs that a re-run
    makes again, byte for byte, where a flush per file would cost more than making it."""
    with _atomic_fd(target) as (fd, _tmp):
        try:
            fh = open(fd, mode, **kwargs)  # noqa: SIM115 - closed below, before the rename
        except BaseException:
            os.close(fd)
            raise
        with fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())


def atomic_write_bytes(target: Path | str, data: bytes, *, durable: bool = True) -> None:
    with atomic_open(target, durable=durable) as fh:
        fh.write(data)


def atomic_write_text(target: Path | str, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


@contextlib.contextmanager
def file_lock(path: Path, wait: float, busy: Callable[[], BaseException],
              on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (``flock`` on POSIX, a byte-range lock on
    Windows), waiting up to ``wait`` seconds, then raising ``busy()``. The file exists for the
    lock's lifetime and is removed after (no stray ``.lock`` beside a ledger): on POSIX it is
    unlinked while still locked, and a waiter that then locks the unlinked file sees that its
    inode is no longer the path's and tries again, so two holders never overlap; on Windows an
    open file cannot be deleted, so it goes once the last holder has closed it. ``on_wait`` is
    called once, as soon as the lock is found held (to say so)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fh = open(path, "a+b")  # noqa: SIM115 - held for the lock's lifetime
        except OSError as exc:  # a folder that is not writable: not a lock held by another
            raise cannot_write(path, exc) from None
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                break
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                same = os.fstat(fh.fileno()).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            fh.close()  # the holder before us removed it: lock the new one
        except OSError:
            fh.close()
            if time.monotonic() > deadline:
                raise busy() from None
            if on_wait is not None:
                on_wait()
                on_wait = None
            time.sleep(0.2)
    try:
        yield
    finally:
        try:
            if sys.platform == "win32":  # pragma: no cover
                import msvcrt

                fh.seek(0)
                with contextlib.suppress(OSError):
                    msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                with contextlib.suppress(OSError):
                    path.unlink()  # still locked: whoever locks the removed file will retry
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()
            if sys.platform == "win32":  # pragma: no cover
                with contextlib.suppress(OSError):
                    path.unlink()
