"""Property-based tests (hypothesis): a valid return mutated at byte, zip and XML level,
then ``sdgxl validate`` and ``sdgxl collect`` on it (beside another agency's genuine
return) in a process limited to a 1 GiB address space. Every run ends with exit 0, 1 or 73,
never a traceback or a dead process, and the other agency's values are unchanged.

The examples are derandomised (the same ones on every run, in CI too) and few, so the
suite stays fast; tests/hostile/test_hostile.py holds the known attacks one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import resource
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdgxl.ledger import Ledger
from tests.hostile.make_hostile import YEAR, Corpus, zip_bytes

GiB = 1 << 30
HERE = Path(__file__).resolve().parent
SETTINGS = settings(max_examples=int(os.environ.get("SDGXL_EXAMPLES", "30")), deadline=None, derandomize=True,
                    database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

# what a crafted file may put anywhere in a part
SNIPPETS = [
    b"&#x110000;", b"&#xD800;", b"&#99999999999999999999;", b"&#0;", b"_x0000_", b"_x0007_", b"\x00", b"\xff\xfe",
    b'<c r="XFD1048576"><v>1</v></c>', b'<row r="99999999999"><c><v>1</v></c></row>', b'<c r="ALL100000"/>',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<dimension ref="A1:XFD1048576"/>', b"<c><v>1</v></c>" * 50,
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>', b"&b;", b"]]>", b"<![CDATA[",
    b"[/]", b"[link=https://x.example]a[/link]", b"=1+2", b";=cmd|' /C calc'!A0", b"\x1b[31m",
    b"1e19", b"inf", b"-5", b"99999999999999999999", b"0", b"10000", b"",
    "Sở Y tế".encode(), b"SCT", b"SYT", b"<", b">", b'"', b"&", b"/>",
]
NUMBERS = [b"1e19", b"inf", b"-5", b"99999999999999999999", b"0", b"10000", b"4294967296", b"1048577"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return Corpus(tmp_path_factory.mktemp("props"))


@pytest.fixture(scope="module")
def genuine(corpus):
    return {"SYT": corpus.genuine("SYT"), "SCT": corpus.genuine("SCT")}


class Worker:
    """tests/hostile/worker.py in a process limited to 1 GiB of address space."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (GiB, GiB))

        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", "PYTHONPATH": str(HERE.parent.parent)}
        return subprocess.Popen([sys.executable, str(HERE / "worker.py")], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                env=env, preexec_fn=limit)

    def run(self, job: dict[str, str]) -> dict[str, object]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self.start()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:  # the process died: an abort, the memory limit
            self.proc.wait(timeout=30)
            err = self.proc.stderr.read() if self.proc.stderr else ""
            self.proc = None
            return {"dead": True, "text": err[-3000:]}
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


def _sct_values(db: Path) -> dict[str, tuple]:
    ledger = Ledger(db)
    try:
        return {o["row_key"]: (o["value"], o["value_text"]) for o in ledger.iter_observations(YEAR, current_only=True)
                if o["agency"] == "SCT" and o["ok"]}
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def baseline(genuine, worker, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("props-base")
    answer = _case(worker, tmp, genuine["SYT"], genuine["SCT"])
    assert answer["validate"] == 0 and answer["collect"] == 0, answer
    values = _sct_values(tmp / "l.sqlite")
    assert values
    return values


def _case(worker: Worker, tmp: Path, data: bytes, sct: bytes) -> dict[str, object]:
    inbox = tmp / "inbox"
    for agency, content in (("SYT", data), ("SCT", sct)):
        p = inbox / agency / f"{YEAR}_{agency}_bao-cao-sdg.xlsx"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content)
        ts = dt.datetime(YEAR, 11, 5 if agency == "SCT" else 6).timestamp()
        os.utime(p, (ts, ts))
    return worker.run({"file": str(inbox / "SYT" / f"{YEAR}_SYT_bao-cao-sdg.xlsx"), "inbox": str(inbox),
                       "out": str(tmp / "out"), "db": str(tmp / "l.sqlite")})


def _check(answer: dict[str, object], tmp: Path, baseline: dict[str, tuple]) -> None:
    assert not answer.get("dead"), answer
    assert not answer["traceback"], answer
    assert answer["validate"] in (0, 1, 73), answer
    assert answer["collect"] in (0, 1, 73), answer
    assert _sct_values(tmp / "l.sqlite") == baseline  # the other file's values are unchanged


_counter = iter(range(1_000_000))


def _fresh(root: Path) -> Path:
    tmp = root / f"case{next(_counter)}"
    tmp.mkdir(parents=True)
    return tmp


# --------------------------------------------------------------------------- byte level
@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "overwrite", "insert", "delete", "truncate", "snippet"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            out[at:at + len(chunk)] = chunk
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del out[at:at + draw(st.integers(1, 256))]
        elif kind == "truncate":
            del out[at:]
        else:
            out[at:at] = draw(st.sampled_from(SNIPPETS))
    return bytes(out)



# --------------------------------------------------------------------------- zip level
def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _patch_central(data: bytes, index: int, offset: int, fmt: str, value: int) -> bytes:
    """Change one field of the ``index``-th central directory entry (offset from its start)."""
    out = bytearray(data)
    pos = -1
    for _ in range(index + 1):
        pos = out.find(b"PK\x01\x02", pos + 1)
        if pos < 0:
            return data
    struct.pack_into(fmt, out, pos + offset, value)
    return bytes(out)


@st.composite
def zip_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    parts = _parts(data)
    names = sorted(parts)
    kind = draw(st.sampled_from(["drop", "duplicate", "size", "crc", "method", "bomb", "stored", "rename",
                                 "extra-part"]))
    pick = draw(st.sampled_from(names))
    if kind == "drop":
        del parts[pick]
        return zip_bytes(parts)
    if kind == "duplicate":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name": the point
            for name, body in parts.items():
                zf.writestr(name, body)
            zf.writestr(pick, draw(st.sampled_from([b"", parts[pick][: len(parts[pick]) // 2], b"<x/>"])))
        return buf.getvalue()
    if kind == "bomb":
        parts[pick] = b"<" + b"a" * draw(st.sampled_from([2 << 20, 60 << 20])) + b"/>"
        return zip_bytes(parts)
    if kind == "stored":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
            for name, body in parts.items():
                zf.writestr(name, body)
        return buf.getvalue()
    if kind == "rename":
        parts[draw(st.sampled_from(["xl/worksheets/sheet9.xml", "../../x.xml", "/abs.xml", "xl\\styles.xml"]))] = \
            parts.pop(pick)
        return zip_bytes(parts)
    if kind == "extra-part":
        parts[draw(st.sampled_from(["xl/vbaProject.bin", "xl/externalLinks/externalLink1.xml", "customXml/x.xml"]))] = \
            draw(st.binary(max_size=256))
        return zip_bytes(parts)
    index = names.index(pick)
    base = zip_bytes(parts)
    if kind == "size":  # the declared uncompressed size (central directory, offset 24)
        return _patch_central(base, index, 24, "<I", draw(st.sampled_from([0, 1, 100, 0x7FFFFFFF, 0xFFFFFFFF])))
    if kind == "crc":  # the declared CRC-32 (offset 16)
        return _patch_central(base, index, 16, "<I", draw(st.integers(0, 0xFFFFFFFF)))
    return _patch_central(base, index, 10, "<H", draw(st.sampled_from([0, 1, 9, 12, 14, 99])))  # method



# --------------------------------------------------------------------------- XML level
XML_PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
             "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
             "docProps/custom.xml", "[Content_Types].xml"]


@st.composite
def xml_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    parts = _parts(data)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from([n for n in XML_PARTS if n in parts]))
        xml = parts[name]
        kind = draw(st.sampled_from(["snippet", "delete", "repeat", "number", "attribute"]))
        at = draw(st.integers(0, len(xml)))
        if kind == "snippet":
            xml = xml[:at] + draw(st.sampled_from(SNIPPETS)) + xml[at:]
        elif kind == "delete":
            xml = xml[:at] + xml[at + draw(st.integers(1, 200)):]
        elif kind == "repeat":
            span = xml[at:at + draw(st.integers(1, 300))]
            xml = xml[:at] + span * draw(st.integers(2, 2000)) + xml[at:]
        elif kind == "number":  # a number in the part (a row, a style index, a count) made another
            digits = [i for i in range(len(xml)) if 48 <= xml[i] <= 57]
            if digits:
                i = draw(st.sampled_from(digits))
                xml = xml[:i] + draw(st.sampled_from(NUMBERS)) + xml[i + 1:]
        else:  # an attribute's value replaced
            quotes = [i for i in range(len(xml)) if xml[i] == 34]
            if quotes:
                i = draw(st.sampled_from(quotes))
                xml = xml[:i + 1] + draw(st.sampled_from(SNIPPETS)).replace(b'"', b"") + xml[i + 1:]
        parts[name] = xml
    return zip_bytes(parts)


MUTATIONS = {"bytes": byte_mutations, "zip": zip_mutations, "xml": xml_mutations}


@pytest.mark.parametrize("level", list(MUTATIONS))
@SETTINGS
@given(data=st.data())
def test_mutated_returns_end_well_and_touch_no_other_file(level, data, genuine, worker, baseline, tmp_path_factory):
    mutated = data.draw(MUTATIONS[level](genuine["SYT"]))
    tmp = _fresh(tmp_path_factory.getbasetemp() / level)
    _check(_case(worker, tmp, mutated, genuine["SCT"]), tmp, baseline)
