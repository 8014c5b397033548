"""The lean zip reader agrees with zipfile on every file it accepts, and refuses what it does not handle."""

from __future__ import annotations

import io
import zipfile

import pytest

from sdgxl.ingest.zipread import ZipIndex
from tests.test_validate_corpus import CORPUS


def test_same_parts_as_zipfile():
    checked = 0
    for path in sorted(CORPUS.iterdir()):
        data = path.read_bytes()
        index = ZipIndex.parse(data)
        if index is None:
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert index.names() == zf.namelist()
            for info in zf.infolist():
                if info.file_size < 10_000_000:
                    assert index.read(info.filename, 10_000_000) == zf.read(info), (path.name, info.filename)
        checked += 1
    assert checked >= 30


def test_zip64_and_encrypted_go_to_zipfile():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zi = zipfile.ZipInfo("a.xml")
        with zf.open(zi, "w", force_zip64=True) as fh:
            fh.write(b"<a/>" * 100)
    parsed = ZipIndex.parse(buf.getvalue())
    assert parsed is None or parsed.read("a.xml", 10_000) == b"<a/>" * 100
    assert ZipIndex.parse(b"not a zip") is None


def test_damage_is_detected():
    data = (CORPUS / "ok.xlsx").read_bytes()
    index = ZipIndex.parse(data)
    assert index is not None
    m = index.members["xl/worksheets/sheet2.xml"]
    broken = bytearray(data)
    broken[m.offset + 30 + len(m.name) + 50] ^= 0xFF  # inside the compressed bytes
    damaged = ZipIndex.parse(bytes(broken))
    assert damaged is not None
    with pytest.raises(Exception):  # noqa: B017 - zlib.error or ValueError, both reported as unreadable
        damaged.read("xl/worksheets/sheet2.xml", 10_000_000)
    with pytest.raises(ValueError):
        index.read("xl/worksheets/sheet2.xml", 100)  # over the limit
