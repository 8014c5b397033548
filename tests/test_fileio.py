"""Atomic writes: a reader sees the old file or the new one, never a part of it."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from sdgxl.errors import OutputError
from sdgxl.fileio import atomic_open, atomic_path, atomic_write_bytes, atomic_write_text


@pytest.mark.parametrize("durable", [True, False])
def test_a_write_replaces_the_file_whole(tmp_path, durable):
    target = tmp_path / "sub" / "báo cáo.xlsx"
    atomic_write_bytes(target, b"old", durable=durable)
    atomic_write_bytes(target, b"new", durable=durable)
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "out.csv"
    atomic_write_text(target, "old\n")
    with pytest.raises(RuntimeError), atomic_open(target, "w", encoding="utf-8") as fh:
        fh.write("half")
        raise RuntimeError("the writer failed half-way")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_path_for_writers_that_take_a_path(tmp_path):
    target = tmp_path / "t.parquet"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".tmp-") and tmp.suffix == ".parquet"
        tmp.write_bytes(b"data")
        assert not target.exists()
    assert target.read_bytes() == b"data"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_outputs_are_ordinary_files(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "a.xlsx", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.xlsx").stat().st_mode) == 0o644


def test_a_target_that_cannot_be_written_names_the_file(tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    (target / "x").mkdir(parents=True)  # a folder stands where the file should go
    with pytest.raises(OutputError, match=r"tong-hop\.xlsx"):
        atomic_write_bytes(target, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tong-hop.xlsx"]


def test_the_file_lock_is_exclusive_and_says_busy(tmp_path):
    import multiprocessing

    from sdgxl.errors import SdgxlError
    from sdgxl.fileio import file_lock

    lock = tmp_path / "x.lock"
    ctx = multiprocessing.get_context("spawn")
    with file_lock(lock, 1, busy=lambda: SdgxlError("ledger_busy")):
        proc = ctx.Process(target=_try_lock, args=(str(lock),))
        proc.start()
        proc.join(60)
        assert proc.exitcode == 75  # the other process waited, then was told "busy"
    proc = ctx.Process(target=_try_lock, args=(str(lock),))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0  # released


def _try_lock(path: str) -> None:
    import sys
    from pathlib import Path

    from sdgxl.errors import SdgxlError
    from sdgxl.fileio import file_lock

    try:
        with file_lock(Path(path), 0.3, busy=lambda: SdgxlError("ledger_busy")):
            pass
    except SdgxlError:
        sys.exit(75)
    sys.exit(0)
