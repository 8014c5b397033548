"""Stage 3, reading a returned file without trusting it: damaged zips, files that are not
workbooks, empty files; each becomes a file-level issue, never an exception."""

from __future__ import annotations

import io
import zipfile

import pytest

from sdgxl.catalogue import bundled
from sdgxl.validate import validate_file
from tests.test_validate_corpus import CORPUS


@pytest.fixture(scope="module")
def cat():
    return bundled()


def test_damaged_files_never_crash(cat, tmp_path):
    """Truncations, flipped bytes and garbage inside a real return: always a report, never an exception."""
    import random

    good = (CORPUS / "ok.xlsx").read_bytes()
    rnd = random.Random(20261128)
    damaged: list[bytes] = [good[:n] for n in range(0, len(good), max(1, len(good) // 40))]
    for _ in range(120):
        data = bytearray(good)
        for _ in range(rnd.randint(1, 20)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        damaged.append(bytes(data))
    # well-formed zips whose parts are damaged: the XML, the metadata, the strings
    with zipfile.ZipFile(CORPUS / "ok.xlsx") as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    for name in parts:
        for mutate in (lambda b: b[: len(b) // 2], lambda b: b.replace(b"<", b"&", 3), lambda b: b"",
                       lambda b: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as out:
                for other, content in parts.items():
                    out.writestr(other, mutate(content) if other == name else content)
            damaged.append(buf.getvalue())
    for n, data in enumerate(damaged):
        path = tmp_path / f"d{n}.xlsx"
        path.write_bytes(data)
        report = validate_file(path, cat, year=2026)  # must not raise
        assert report.path == str(path)
        assert report.issues or report.valid


def test_file_level_details_follow_the_language(tmp_path):
    """A file-level problem's detail is words too: in English output it is in English."""
    from sdgxl.catalogue import bundled
    from sdgxl.validate import validate_file

    path = tmp_path / "notes.xlsx"
    path.write_text("hello", encoding="utf-8")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    for f, vi, en in ((path, "văn bản/khác", "text/other"), (empty, "tệp rỗng", "empty file")):
        (issue,) = validate_file(f, bundled(), year=2026).issues
        assert vi in issue.message("vi") and en not in issue.message("vi")
        assert en in issue.message("en") and vi not in issue.message("en")
