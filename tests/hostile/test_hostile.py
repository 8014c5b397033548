"""The hostile corpus (tests/hostile/make_hostile.py): one case or more for each class of
issue 12, each stating the exact outcome (issue codes, exit code, the other agencies'
values unchanged, the outputs present), on SQLite and on a real PostgreSQL server.

Class 9 (which version wins across runs) belongs to the arrivals stage (issue 13).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.collect import collect
from sdgxl.errors import OutputError, UsageError
from sdgxl.ledger import Ledger
from tests.conftest import assert_no_traceback
from tests.hostile.make_hostile import YEAR, Corpus

VN = dt.timezone(dt.timedelta(hours=7))
GiB = 1 << 30


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return Corpus(tmp_path_factory.mktemp("hostile"))


def put(inbox: Path, name: str, data: bytes, folder: str | None = None, day: int = 5, hour: int = 9) -> Path:
    dst = inbox / folder / name if folder else inbox / name
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)
    ts = dt.datetime(YEAR, 11, day, hour, tzinfo=VN).timestamp()
    os.utime(dst, (ts, ts))
    return dst


def values(db: str, agency: str) -> dict[str, tuple]:
    """The agency's merged values (current and without error): row → (value, text, cell)."""
    ledger = Ledger(db)
    try:
        return {o["row_key"]: (o["value"], o["value_text"], o["cell"])
                for o in ledger.iter_observations(YEAR, current_only=True) if o["agency"] == agency and o["ok"]}
    finally:
        ledger.close()


NARRATIVE = {"narrative-missing"}  # the sample fills write no narratives: another stage's warning


def codes(db: str, file_name: str) -> set[str]:
    ledger = Ledger(db)
    try:
        return {i["code"] for i in ledger.issues() if i["file_name"] == file_name} - NARRATIVE
    finally:
        ledger.close()


def submission(db: str, file_name: str):
    ledger = Ledger(db)
    try:
        found = [s for s in ledger.submissions() if s.file_name == file_name]
    finally:
        ledger.close()
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def baseline(corpus, tmp_path_factory):
    """Each agency's values when its genuine return is collected alone."""
    out = {}
    for agency in ("SYT", "SCT", "SXD", "SGDDT"):
        tmp = tmp_path_factory.mktemp(f"base-{agency}")
        put(tmp / "inbox", f"{YEAR}_{agency}_bao-cao-sdg.xlsx", corpus.genuine(agency), agency)
        db = str(tmp / "l.sqlite")
        collect(tmp / "inbox", bundled(), year=YEAR, out_dir=tmp / "out", db=db, feedback=False, outputs=False)
        out[agency] = values(db, agency)
        assert out[agency], agency
    return out


def limited_cli(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``sdgxl`` in a subprocess whose address space is limited to 1 GiB."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (GiB, GiB))

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "sdgxl", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env, timeout=timeout, preexec_fn=limit)


def run(inbox: Path, out: Path, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    proc = limited_cli("collect", str(inbox), "--year", str(YEAR), "--db", db, "--out", str(out), *args)
    assert_no_traceback(proc)
    return proc


# --------------------------------------------------------------------------- 1: part cache
def test_01_a_forged_part_does_not_change_how_another_file_is_read(tmp_path, corpus, baseline, ledger_db):
    """SCT's forged styles.xml (CRC-32 and size of the genuine one, value cells formatted 0%)
    arrives first; SYT's genuine return after it is read with its own styles."""
    inbox = tmp_path / "inbox"
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.forged_styles("SCT"), "SCT", hour=8)
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.genuine("SYT"), "SYT", hour=9)
    put(inbox, "2026_SGDDT_bao-cao-sdg.xlsx", corpus.genuine("SGDDT"), "SGDDT", hour=10)
    collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db, jobs=1)
    assert "percent-format-kept" in codes(ledger_db, "2026_SCT_bao-cao-sdg.xlsx")  # its own format is read
    assert codes(ledger_db, "2026_SYT_bao-cao-sdg.xlsx") == set()
    assert values(ledger_db, "SYT") == baseline["SYT"]
    assert values(ledger_db, "SGDDT") == baseline["SGDDT"]


# --------------------------------------------------------------------------- 2: impersonation
def test_02_a_file_named_for_one_agency_holding_anothers_form_merges_nothing(tmp_path, corpus, baseline,
                                                                             ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), day=4)
    collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.impersonating("SCT"), day=6)  # flat inbox: no folders
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert codes(ledger_db, "2026_SYT_bao-cao-sdg.xlsx") >= {"sender-mismatch"}
    ledger = Ledger(ledger_db)
    issue = next(i for i in ledger.issues() if i["code"] == "sender-mismatch")
    ledger.close()
    assert issue["value"] == "SCT" and "SYT" in (issue["params"] or "")  # both agencies named
    assert values(ledger_db, "SCT") == baseline["SCT"]  # nothing merged
    new = [f for f in res.files if f.status == "new"]
    assert len(new) == 1 and not new[0].valid


# --------------------------------------------------------------------------- 3: CSV injection
def test_03_csv_fields_are_quoted_and_neutralised_for_both_separators(tmp_path, corpus, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.with_texts("SYT", note="Số liệu sơ bộ;=1+2;",
                                                              source="@SUM(1+1)*cmd|' /C calc'!A0"), "SYT")
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    raw = res.csv.read_text(encoding="utf-8-sig")
    assert '"Số liệu sơ bộ;\'=1+2;"' in raw  # kept, as quoted data, each part neutralised
    assert "\"'@SUM(1+1)*cmd|' /C calc'!A0\"" in raw
    for delimiter in (",", ";"):  # Excel's list separator: "," in English, ";" in Vietnamese Windows
        for row in csv.reader(io.StringIO(raw), delimiter=delimiter):
            for field in row:
                assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), (delimiter, field)
    header = next(csv.reader(io.StringIO(raw)))
    assert raw.startswith(",".join(f'"{h}"' for h in header))  # text fields quoted


# --------------------------------------------------------------------------- 4: names as formulas
def test_04_an_attachment_name_that_looks_like_a_formula_stays_text(tmp_path, corpus, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, "=1+2.xlsx", corpus.with_texts("SYT", value="chưa có"), "SYT")
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert len(res.feedback) == 1
    for book in (res.feedback[0], res.consolidated):
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f" or not str(cell.value).startswith("=1+2"), (book, cell)
    summary = openpyxl.load_workbook(res.feedback[0]).worksheets[0]
    assert any(c.value == "=1+2.xlsx" and c.data_type == "s" for row in summary.iter_rows() for c in row)


# --------------------------------------------------------------------------- 5, 6: feedback from the ledger
def test_05_feedback_lost_to_an_interrupted_run_is_written_by_the_next(tmp_path, corpus, ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.with_texts("SYT", value="chưa có"), "SYT")
    first = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db, outputs=False)  # stopped after recording
    assert [f.status for f in first.files] == ["new"] and not (out / "phan-hoi").exists()
    again = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
    assert [f.status for f in again.files] == ["skipped"]
    assert [p.name for p in again.feedback] == ["2026_SYT_bao-cao-sdg_phan-hoi.xlsx"]
    again.feedback[0].unlink()  # lost (a disk cleaned, a crash while writing it)
    third = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
    assert [p.name for p in third.feedback] == ["2026_SYT_bao-cao-sdg_phan-hoi.xlsx"]
    assert collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db).feedback == []  # present: not again


def test_06_feedback_names_never_clash(tmp_path, corpus, ledger_db):
    inbox = tmp_path / "inbox"
    bad = {a: corpus.with_texts(a, value="chưa có") for a in ("SYT", "SCT", "SXD")}
    put(inbox, "bao-cao.xlsx", bad["SYT"], "SYT")
    put(inbox, "bao-cao.xlsx", bad["SCT"], "SCT")
    put(inbox, "bao-cao.xlsx", bad["SXD"], "SXD")
    put(inbox, "BAO-CAO.xlsx", corpus.with_texts("SYT", value="chưa có", note="x"), "SYT/lan-2")
    put(inbox, "bao-cao-2.xlsx", corpus.with_texts("SCT", value="chưa có", note="y"), "SCT")  # like a suffixed name
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    names = [p.name.casefold() for p in res.feedback]
    assert len(names) == 5 and len(set(names)) == 5
    assert all(p.exists() for p in res.feedback)
    assert sorted(p.name for p in (tmp_path / "out" / "phan-hoi").iterdir()) == sorted(p.name for p in res.feedback)


# --------------------------------------------------------------------------- 7: the year
def test_07_the_year_is_not_decided_by_what_the_files_say(tmp_path, corpus, baseline, ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.genuine("SYT"), "SYT", day=3)
    collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)  # the cycle under way: 2026
    put(inbox, "2025_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT", year=YEAR - 1), "SCT")
    put(inbox, "2025_SXD_bao-cao-sdg.xlsx", corpus.genuine("SXD", year=YEAR - 1), "SXD")
    put(inbox, "2026_SGDDT_bao-cao-sdg.xlsx", corpus.genuine("SGDDT"), "SGDDT")
    proc = run(inbox, out, ledger_db)  # with --year, to compare with the run without
    assert proc.returncode == 0
    without = limited_cli("collect", str(inbox), "--db", ledger_db, "--out", str(out))
    assert_no_traceback(without)
    assert without.returncode == 0, without.stderr
    assert f"Năm tổng hợp: {YEAR}" in without.stdout
    assert codes(ledger_db, "2025_SCT_bao-cao-sdg.xlsx") == {"wrong-year"}
    assert codes(ledger_db, "2025_SXD_bao-cao-sdg.xlsx") == {"wrong-year"}
    assert values(ledger_db, "SGDDT") == baseline["SGDDT"]
    assert values(ledger_db, "SYT") == baseline["SYT"]


# --------------------------------------------------------------------------- 8: one read
def test_08_a_file_replaced_after_hashing_is_recorded_as_the_version_read(tmp_path, corpus, baseline, ledger_db,
                                                                         monkeypatch):
    import sdgxl.collect as mod

    inbox = tmp_path / "inbox"
    first, second = corpus.with_texts("SYT", value="chưa có"), corpus.genuine("SYT")
    path = put(inbox, "2026_SYT_bao-cao-sdg.xlsx", first, "SYT")
    real = mod._sha256

    def hash_then_replace(p: Path) -> str:
        digest = real(p)
        if p == path:
            p.write_bytes(second)  # replaced between the look and the reading
        return digest

    monkeypatch.setattr(mod, "_sha256", hash_then_replace)
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    sub = submission(ledger_db, "2026_SYT_bao-cao-sdg.xlsx")
    assert sub.sha256 == hashlib.sha256(second).hexdigest() == res.files[0].sha256
    assert values(ledger_db, "SYT") == baseline["SYT"] and sub.valid  # the values of the version hashed
    monkeypatch.setattr(mod, "_sha256", real)
    path.write_bytes(first)  # the first version again: not known, so read and recorded
    again = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert [f.status for f in again.files] == ["new"]


# --------------------------------------------------------------------------- 9: which version wins
def test_09_an_original_collected_after_its_correction_does_not_become_current(tmp_path, corpus, baseline,
                                                                                ledger_db):
    """The order rule is the arrivals stage's (issue 13): the workbook's own saved time decides,
    not the order of recording."""
    from sdgxl.demo.fill import Entry
    from sdgxl.demo.samples import sample_entries

    first = next(e for e in sample_entries(YEAR, "SYT") if isinstance(e.value, (int, float)) and "#" not in e.key)
    original = corpus.saved("SYT", "2026-11-05T02:00:00Z", Entry(first.key, first.value + 1))
    correction = corpus.saved("SYT", "2026-11-10T02:00:00Z")
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SYT_bao-cao-sdg_sua.xlsx", correction, "SYT")
    collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", original, "SYT")  # the original, found later in the inbox
    res = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
    assert [f.status for f in res.files if f.path.name == "2026_SYT_bao-cao-sdg.xlsx"] == ["new"]
    assert "version-older" in codes(ledger_db, "2026_SYT_bao-cao-sdg.xlsx")
    assert values(ledger_db, "SYT") == baseline["SYT"]  # the correction's values stay current


# --------------------------------------------------------------------------- 10: outputs in the inbox
def test_10_outputs_inside_the_inbox_are_never_submissions(tmp_path, corpus, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.with_texts("SYT", value="chưa có"), "SYT")
    (inbox / "x").mkdir()
    link = tmp_path / "link"
    link.symlink_to(inbox / "tong-hop")
    (inbox / "tong-hop").mkdir()
    for out in (inbox / "x" / ".." / "tong-hop", link):  # two other spellings of inbox/tong-hop
        res = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
        assert len(res.files) == 1, [str(f.path) for f in res.files]
    assert (inbox / "tong-hop" / "phan-hoi").is_dir()
    ledger = Ledger(ledger_db)
    assert ledger.counts()["submissions"] == 1
    ledger.close()
    with pytest.raises(UsageError):
        collect(inbox, bundled(), year=YEAR, out_dir=inbox / "x" / "..", db=ledger_db)
    proc = run(inbox, inbox / ".", ledger_db)
    assert proc.returncode == 2 and "hộp thư" in proc.stderr


# --------------------------------------------------------------------------- 11, 12, 15: no crash, no rollback
HOSTILE_IN_ONE_BATCH = {
    # class 11: invalid character references in any part
    "11_shared_strings.xlsx": ("char_ref_in_shared_strings", {"file-unreadable"}),
    "11_formula.xlsx": ("char_ref_in_formula", {"formula-value"}),
    "11_properties.xlsx": ("char_ref_in_properties", set()),
    # class 12: hostile values in the hidden sheet
    "12_year_0.xlsx": (("with_meta", "SYT", "year", "0"), {"metadata-mismatch"}),
    "12_year_10000.xlsx": (("with_meta", "SYT", "year", "10000"), {"metadata-mismatch"}),
    "12_year_inf.xlsx": (("with_meta", "SYT", "year", "inf"), {"metadata-mismatch"}),
    "12_year_1e19.xlsx": (("with_meta", "SYT", "year", "1e19"), {"metadata-mismatch"}),
    "12_format_text.xlsx": (("with_meta", "SYT", "format_version", "một"), {"metadata-mismatch"}),
    "12_first_row_text.xlsx": (("with_meta", "SYT", "first_row", "abc"), {"metadata-mismatch"}),
    "12_first_row_negative.xlsx": (("with_meta", "SYT", "first_row", "-5"), {"metadata-mismatch"}),
    "12_row_map.xlsx": ("bad_row_map", set()),
    # class 15: what PostgreSQL would refuse
    "15_long_agency.xlsx": (("with_meta", "SYT", "agency", "A" * 100), {"metadata-mismatch"}),
    "15_long_hash.xlsx": (("with_meta", "SYT", "catalogue_hash", "f" * 100),
                          {"catalogue-stale", "metadata-mismatch"}),
    "15_long_form_id.xlsx": (("with_meta", "SYT", "form_id", "x" * 100), {"metadata-mismatch"}),
    "15_long_sheet.xlsx": ("long_sheet_name", {"sheet-missing"}),
    "15_nul.xlsx": (("with_raw_text", "SYT", "M", "a_x0000_b"), {"value-not-number"}),
}


def _make(corpus: Corpus, how) -> bytes:
    if isinstance(how, str):
        return getattr(corpus, how)()
    return getattr(corpus, how[0])(*how[1:])


def test_11_12_15_hostile_files_in_one_batch_are_each_recorded_and_the_rest_merged(tmp_path, corpus, baseline,
                                                                                   ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    for n, (name, (how, _)) in enumerate(sorted(HOSTILE_IN_ONE_BATCH.items())):
        put(inbox, name, _make(corpus, how), hour=8, day=1 + n % 20)
    put(inbox, "2026_SGDDT_bao-cao-sdg.xlsx", corpus.genuine("SGDDT"), "SGDDT", day=28)
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT", day=28)
    proc = run(inbox, out, ledger_db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ordering = {"version-older", "value-kept"}  # among the SYT files themselves (the arrivals stage)
    for name, (_, expected) in HOSTILE_IN_ONE_BATCH.items():
        assert codes(ledger_db, name) - ordering == expected, name
    assert values(ledger_db, "SGDDT") == baseline["SGDDT"]
    assert values(ledger_db, "SCT") == baseline["SCT"]
    nul = submission(ledger_db, "15_nul.xlsx")
    ledger = Ledger(ledger_db)
    notes = [o["note"] for o in ledger.iter_observations(YEAR) if o["submission_id"] == nul.id]
    ledger.close()
    assert "a\ufffdb" in notes  # NUL shown as U+FFFD, on both databases
    for f in ("2026_tong-hop-sdg.xlsx", "sdgxl-observations.csv", "sdgxl-observations.parquet"):
        assert (out / f).is_file()
    rerun = run(inbox, out, ledger_db)  # and again: nothing new, nothing stuck
    assert rerun.returncode == 0 and "Traceback" not in rerun.stderr


# --------------------------------------------------------------------------- 13: terminal markup
def test_13_markup_in_file_text_is_shown_as_text(tmp_path, corpus, ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    data = corpus.with_texts("SYT", note="[/]", value="[link=https://evil.example]bấm[/link]")
    name = "[link=mailto:a@b.c]x[red].xlsx"  # no "/" in a file name: opening tags only
    put(inbox, name, data, "SYT")
    env_tty = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}
    for _ in range(2):  # the first collect and every later one
        proc = run(inbox, out, ledger_db)
        assert proc.returncode == 0, proc.stderr
        assert "[link=mailto:a@b.c]x[red].xlsx" in proc.stdout.replace("\n", "").replace("│", "").replace(" ", "")
    env = {**os.environ, **env_tty, "PYTHONIOENCODING": "utf-8", "COLUMNS": "250"}
    val = subprocess.run([sys.executable, "-m", "sdgxl", "validate", str(inbox / "SYT" / name)],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert_no_traceback(val)
    assert val.returncode == 1
    assert "[link=https://evil.example]bấm[/link]" in val.stdout
    assert "\x1b]8;" not in val.stdout  # no terminal hyperlink
    assert codes(ledger_db, name) == {"value-not-number"}


# --------------------------------------------------------------------------- 14: control characters
def test_14_control_characters_do_not_stop_the_feedback(tmp_path, corpus, ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.with_raw_text("SYT", "M", "a_x0007_b_x001B_[31m"), "SYT")
    proc = run(inbox, out, ledger_db)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[31m" not in proc.stdout and "\x07" not in proc.stdout
    fb = out / "phan-hoi" / "2026_SYT_bao-cao-sdg_phan-hoi.xlsx"
    assert fb.is_file()
    openpyxl.load_workbook(fb)  # a workbook that opens
    assert codes(ledger_db, "2026_SYT_bao-cao-sdg.xlsx") == {"value-not-number"}
    ledger = Ledger(ledger_db)
    notes = {o["note"] for o in ledger.iter_observations(YEAR)}
    ledger.close()
    assert "a\ufffdb\ufffd[31m" in notes


# --------------------------------------------------------------------------- 16, 22: unreadable, FIFO
def test_16_an_unreadable_file_is_listed_and_the_others_collected(tmp_path, corpus, baseline, ledger_db,
                                                                   monkeypatch):
    import sdgxl.collect as mod

    inbox = tmp_path / "inbox"
    locked = put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.genuine("SYT"), "SYT")
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT")
    real = mod._sha256

    def denied(p: Path) -> str:
        if p == locked:
            raise PermissionError(13, "Permission denied")
        return real(p)

    monkeypatch.setattr(mod, "_sha256", denied)
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert {f.path.name: f.status for f in res.files} == {"2026_SYT_bao-cao-sdg.xlsx": "unreadable",
                                                          "2026_SCT_bao-cao-sdg.xlsx": "new"}
    assert res.unreadable == [(locked, "Permission denied")]
    assert values(ledger_db, "SCT") == baseline["SCT"] and values(ledger_db, "SYT") == {}
    assert res.consolidated.is_file()
    monkeypatch.setattr(mod, "_sha256", real)
    again = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert values(ledger_db, "SYT") == baseline["SYT"]  # read again once it can be
    assert {f.path.name: f.status for f in again.files}["2026_SYT_bao-cao-sdg.xlsx"] == "new"


def test_22_a_fifo_is_refused_without_being_opened(tmp_path, corpus, baseline, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT")
    fifo = inbox / "SYT" / "2026_SYT_bao-cao-sdg.xlsx"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    val = limited_cli("validate", str(fifo), "--format", "json", timeout=120)  # no writer: opening would block
    assert_no_traceback(val)
    assert val.returncode == 1 and '"file-unreadable"' in val.stdout
    proc = run(inbox, tmp_path / "out", ledger_db)
    assert proc.returncode == 0, proc.stderr
    assert values(ledger_db, "SCT") == baseline["SCT"]


# --------------------------------------------------------------------------- 17: outputs not writable
def test_17_an_output_that_cannot_be_written_is_exit_73(tmp_path, corpus, baseline, ledger_db, monkeypatch):
    inbox = tmp_path / "inbox"
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT")
    taken = tmp_path / "out-is-a-file"
    taken.write_text("x")
    proc = run(inbox, taken, ledger_db)
    assert proc.returncode == 73, proc.stdout + proc.stderr
    assert str(taken) in proc.stderr
    assert values(ledger_db, "SCT") == baseline["SCT"]  # recorded all the same

    import sdgxl.fileio as fileio

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OutputError) as exc:
        collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert exc.value.exit_code == 73 and "the drive is full" in exc.value.text("en")
    assert "ổ đĩa đã đầy" in exc.value.text("vi")


# --------------------------------------------------------------------------- 18, 19, 20: sizes
@pytest.mark.parametrize(("ref", "where", "quote"), [
    ("XFD1048576", "data", '"'), ("XFD1048576", "meta", '"'), ("ALL100000", "data", '"'),
    ("A99999999999", "meta", '"'), ("XFD1048576", "data", "'"), ("xfd30", "data", '"'),
])
def test_18_a_far_cell_is_refused_before_anything_is_allocated(tmp_path, corpus, baseline, ledger_db, ref, where,
                                                               quote):
    from sdgxl.forms.spec import META_SHEET

    inbox = tmp_path / "inbox"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.far_cell(ref, None if where == "data" else META_SHEET, quote),
        "SYT")
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT")
    proc = run(inbox, tmp_path / "out", ledger_db)  # under a 1 GiB address space
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert codes(ledger_db, "2026_SYT_bao-cao-sdg.xlsx") == {"file-too-large"}
    assert values(ledger_db, "SCT") == baseline["SCT"]


def test_19_a_whole_sheet_merge_does_not_exhaust_the_feedback_step(tmp_path, corpus, baseline, ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.whole_sheet_merge(), "SYT")
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.with_texts("SCT", value="chưa có"), "SCT")
    proc = run(inbox, out, ledger_db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert codes(ledger_db, "2026_SYT_bao-cao-sdg.xlsx") == {"value-out-of-range"}
    assert sorted(p.name for p in (out / "phan-hoi").iterdir()) == ["2026_SCT_bao-cao-sdg_phan-hoi.xlsx"]
    assert (out / "2026_tong-hop-sdg.xlsx").is_file()


def test_20_a_file_of_many_problems_yields_a_bounded_number_of_issues(tmp_path, corpus, baseline, ledger_db):
    from sdgxl.validate.engine import MAX_ISSUES

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.many_issues(), "SYT")
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT")
    proc = run(inbox, out, ledger_db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ledger = Ledger(ledger_db)
    found = [i for i in ledger.issues() if i["file_name"] == "2026_SYT_bao-cao-sdg.xlsx"]
    ledger.close()
    assert len(found) == MAX_ISSUES + 1
    assert {i["code"] for i in found} - NARRATIVE == {"row-added", "too-many-issues"}
    rest = next(i for i in found if i["code"] == "too-many-issues")
    # the 60,000 added rows, and the narrative warnings of the sample fill, less those kept
    assert 60_000 - MAX_ISSUES <= rest["value_num"] <= 60_000 + 100 - MAX_ISSUES
    assert values(ledger_db, "SCT") == baseline["SCT"]
    assert (out / "phan-hoi" / "2026_SYT_bao-cao-sdg_phan-hoi.xlsx").is_file()


# --------------------------------------------------------------------------- 21: a busy ledger
def test_21_a_ledger_held_by_another_program_is_exit_75_after_wait(tmp_path, corpus, ledger_db):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, "2026_SCT_bao-cao-sdg.xlsx", corpus.genuine("SCT"), "SCT")
    assert run(inbox, out, ledger_db).returncode == 0  # the ledger exists
    put(inbox, "2026_SYT_bao-cao-sdg.xlsx", corpus.genuine("SYT"), "SYT")
    if "://" in ledger_db:
        from sqlalchemy import create_engine, text

        engine = create_engine(ledger_db)
        holder = engine.connect()
        holder.execute(text("LOCK TABLE submissions IN EXCLUSIVE MODE"))  # a write lock held, as psql could
    else:
        holder = sqlite3.connect(ledger_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # as DB Browser or the sqlite3 shell hold a write transaction
    try:
        proc = limited_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(out),
                           "--wait", "2", "--lang", "en", timeout=120)
    finally:
        holder.rollback() if "://" in ledger_db else holder.execute("ROLLBACK")
        holder.close()
        if "://" in ledger_db:
            engine.dispose()
    assert_no_traceback(proc)
    assert proc.returncode == 75, proc.stdout + proc.stderr
    assert "held by another program" in proc.stderr
    assert run(inbox, out, ledger_db).returncode == 0  # released: the next run records it
    assert submission(ledger_db, "2026_SYT_bao-cao-sdg.xlsx").valid
