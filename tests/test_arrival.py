"""When a file arrived and which version wins: the arrival time chain (officer, the file's
own saved time, first seen), lateness only from trustworthy times, and the order rule
(newer by saved time then arrival; an older version arriving later is held; an invalid
value never replaces a valid one). Against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.collect import collect, read_received_csv
from sdgxl.demo.fill import Entry
from sdgxl.errors import UsageError
from sdgxl.ledger import Ledger
from tests.conftest import assert_no_traceback, run_cli
from tests.test_collect import YEAR, put


def lateness(res) -> dict[str, tuple[bool | None, str | None, str | None]]:
    return {s.agency: (s.late, s.first_received, s.received_source) for s in res.consolidation.agencies}


def test_copying_the_inbox_changes_no_lateness(tmp_path, forms, ledger_db):
    """Saving attachments or copying without -p sets every modification time to now:
    nothing that decides lateness or order may change."""
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=4)
    put(inbox, forms["SCT"], "SCT", day=20)  # saved after the 15 November deadline
    put(inbox, forms["SXD"], "SXD", day=3, changes=[{"key": "6.2", "what": "value", "value": 671}])
    put(inbox, forms["SXD"], "SXD", day=9, name="sua.xlsx")
    for p in inbox.rglob("*.xlsx"):  # modification times that say the opposite
        os.utime(p, (time.time() - 86400 * 400, time.time() - 86400 * 400))
    first = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    copy = tmp_path / "copy"
    shutil.copytree(inbox, copy, copy_function=shutil.copyfile)  # new modification times
    for n, p in enumerate(sorted(copy.rglob("*.xlsx"), reverse=True)):
        os.utime(p, (time.time() + n, time.time() + n))
    db2 = str(tmp_path / "second.sqlite")
    second = collect(copy, bundled(), year=YEAR, out_dir=tmp_path / "out2", db=db2)
    assert lateness(first) == lateness(second)
    late = lateness(first)
    assert late["SYT"] == (False, f"{YEAR}-11-04T02:00:00+00:00", "saved")
    assert late["SCT"][0] is True and late["SXD"][0] is False
    assert not any(st.late for st in second.consolidation.agencies if st.agency not in ("SCT",))
    for res in (first, second):
        sxd = next(st for st in res.consolidation.agencies if st.agency == "SXD")
        assert sxd.complete and not sxd.to_chase


def test_the_time_source_is_on_the_completeness_sheet(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=4)
    dst = inbox / "SCT" / forms["SCT"].name  # a form never saved by a spreadsheet program
    dst.parent.mkdir(parents=True)
    shutil.copyfile(forms["SCT"], dst)
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    late = lateness(res)
    assert late["SYT"][2] == "saved" and late["SCT"][2] == "first-seen"
    # first seen today (after the deadline of YEAR, or before it): never called late from it
    assert late["SCT"][0] in (None, False)
    ws = openpyxl.load_workbook(res.consolidated)["Tiến độ nộp"]
    rows: dict[str, tuple] = {}
    for r in ws.iter_rows(values_only=True):  # the table (the chase list below repeats names)
        if r[0]:
            rows.setdefault(str(r[0]).split(" ")[0], r)
    assert rows["SYT"][6] == "giờ lưu tệp (đồng hồ máy của cơ quan)"
    assert rows["SCT"][6] == "lần đầu sdgxl thấy tệp"


def test_the_officers_time_wins(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=4)
    put(inbox, forms["SCT"], "SCT", day=4)
    (inbox / "received.csv").write_text("file,received\nSYT/2026_SYT_bao-cao-sdg.xlsx,18/11/2026 08:15\n",
                                        encoding="utf-8")
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    late = lateness(res)
    assert late["SYT"] == (True, f"{YEAR}-11-18T01:15:00+00:00", "officer")
    assert late["SCT"][0] is False and late["SCT"][2] == "saved"
    assert len(res.files) == 2  # received.csv is not a return


def test_received_option_and_bad_csv(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=4)
    proc = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(tmp_path / "out"),
                   "--received", "2026-11-16")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ledger = Ledger(ledger_db)
    (sub,) = ledger.submissions(YEAR)
    ledger.close()
    assert (sub.received_source, sub.received_at) == ("officer", "2026-11-15T17:00:00+00:00")
    assert sub.saved_at == "2026-11-04T02:00:00+00:00"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "received.csv").write_text("file,received\nx.xlsx,hôm qua\n", encoding="utf-8")
    with pytest.raises(UsageError, match="dòng 2"):
        read_received_csv(bad / "received.csv")
    proc = run_cli("collect", str(bad), "--year", str(YEAR), "--db", str(tmp_path / "b.sqlite"),
                   "--out", str(tmp_path / "o"), "--lang", "en")
    assert proc.returncode == 2 and "line 2" in proc.stdout + proc.stderr
    assert_no_traceback(proc)


def test_an_original_collected_after_its_correction_stays_out(tmp_path, forms, ledger_db):
    """SXD saves its corrected file first and its original (671 %, an error) second: the
    correction stays current, the original is recorded, flagged and not merged."""
    fixed = tmp_path / "a"
    put(fixed, forms["SXD"], "SXD", day=9, name="sua.xlsx", entries=[Entry("6.2", 67.1)])
    first = collect(fixed, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert first.files[0].valid
    orig = tmp_path / "b"
    put(orig, forms["SXD"], "SXD", day=3, entries=[Entry("6.2", 671.0)])
    res = collect(orig, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    (outcome,) = res.files
    assert outcome.older and outcome.status == "new"
    ledger = Ledger(ledger_db)
    obs = [o for o in ledger.observations(YEAR) if o["indicator"] == "6.2"]
    subs = ledger.submissions(YEAR)
    issues = [i for i in ledger.issues(YEAR) if i["code"] == "version-older"]
    ledger.close()
    assert [(o["value"], o["held"], o["superseded_by"]) for o in obs] == [
        (67.1, None, None), (671.0, "older", subs[0].id)]
    assert subs[1].superseded_by == subs[0].id and subs[0].superseded_by is None
    assert len(issues) == 1 and issues[0]["value"] == "sua.xlsx"
    sxd = next(st for st in res.consolidation.agencies if st.agency == "SXD")
    assert sxd.complete and not sxd.to_chase
    row = next(r for r in res.consolidation.rows if r.key == "6.2")
    assert row.years[YEAR].value == pytest.approx(67.1)


def test_the_same_in_one_inbox_whatever_the_names(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SXD"], "SXD", day=9, name="a-sua.xlsx", entries=[Entry("6.2", 67.1)])
    put(inbox, forms["SXD"], "SXD", day=3, name="b-goc.xlsx", entries=[Entry("6.2", 671.0)])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    row = next(r for r in res.consolidation.rows if r.key == "6.2")
    assert row.years[YEAR].value == pytest.approx(67.1)
    assert [f.older for f in res.files] == [False, True]


def test_an_invalid_resubmitted_value_keeps_the_valid_one(tmp_path, forms, ledger_db):
    """SYT's valid 3.3 = 23.9, then a file saying 120: 23.9 stays current, the error is
    reported, and SYT is chased for it."""
    a = tmp_path / "a"
    put(a, forms["SYT"], "SYT", day=4, entries=[Entry("3.3", 23.9)])
    collect(a, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    b = tmp_path / "b"
    put(b, forms["SYT"], "SYT", day=10, name="lan-2.xlsx", entries=[Entry("3.3", 120.0), Entry("2.1", 9.2)])
    res = collect(b, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    (outcome,) = res.files
    assert not outcome.valid and outcome.feedback is not None
    rows = {r.key: r for r in res.consolidation.rows}
    assert rows["3.3"].years[YEAR].value == pytest.approx(23.9)
    assert rows["2.1"].years[YEAR].value == pytest.approx(9.2)  # the valid new values are merged
    syt = next(st for st in res.consolidation.agencies if st.agency == "SYT")
    assert syt.held_errors == 1 and syt.to_chase and "giá trị lỗi" in syt.reason()
    ledger = Ledger(ledger_db)
    codes = {i["code"] for i in ledger.issues(YEAR) if i["file_name"] == "lan-2.xlsx"}
    kept = [o for o in ledger.observations(YEAR) if o["indicator"] == "3.3" and o["held"]]
    ledger.close()
    assert {"value-out-of-range", "value-kept"} <= codes
    assert len(kept) == 1 and kept[0]["value"] == 120.0
    # the fix arrives: valid, newer, current; nothing held any more
    c = tmp_path / "c"
    put(c, forms["SYT"], "SYT", day=12, name="lan-3.xlsx", entries=[Entry("3.3", 24.1)])
    res = collect(c, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    rows = {r.key: r for r in res.consolidation.rows}
    assert rows["3.3"].years[YEAR].value == pytest.approx(24.1)
    syt = next(st for st in res.consolidation.agencies if st.agency == "SYT")
    assert syt.held_errors == 0 and not syt.to_chase


def test_a_version_4_ledger_migrates_from_3(tmp_path):
    """A ledger of schema 3 (file modification times as arrival) opens: its times are marked
    untrusted ('mtime'), never called late."""
    from sqlalchemy import inspect, text

    from sdgxl.ledger import SCHEMA_VERSION

    db = tmp_path / "old.sqlite"
    ledger = Ledger(db)
    with ledger.engine.begin() as conn:
        for ix in ("ix_observations_area_current", "ix_observations_area_key", "ix_submissions_area_agency_year"):
            conn.execute(text(f"DROP INDEX IF EXISTS {ix}"))  # schema 6's, led by the area
        for col in ("received_source", "saved_at", "sender", "subject", "message_id", "area"):
            conn.execute(text(f"ALTER TABLE submissions DROP COLUMN {col}"))
        conn.execute(text("ALTER TABLE observations DROP COLUMN area"))
        conn.execute(text("ALTER TABLE observations DROP COLUMN held"))
        conn.execute(text("UPDATE sdgxl_meta SET value = '3' WHERE key = 'schema_version'"))
        conn.execute(text(
            "INSERT INTO submissions (sha256, file_name, file_path, agency, year, collected_for, received_at, "
            "collected_at, readable, valid, errors, warnings) VALUES ('x', 'a.xlsx', 'a.xlsx', 'SYT', 2026, 2026, "
            "'2026-11-20T02:00:00+00:00', '2026-11-21T02:00:00+00:00', 1, 1, 0, 0)"))
    ledger.close()
    ledger = Ledger(db)
    with ledger.engine.connect() as conn:
        assert "held" in {c["name"] for c in inspect(conn).get_columns("observations")}
        assert conn.execute(text("SELECT value FROM sdgxl_meta")).scalar() == str(SCHEMA_VERSION)
    (sub,) = ledger.submissions(2026)
    assert sub.received_source == "mtime"
    from sdgxl.consolidate import is_late

    assert is_late([sub], dt.date(2026, 11, 15)) is None
    ledger.close()


def test_saved_time_is_read_from_the_file(tmp_path, forms):
    from sdgxl.ingest.reader import read_form, saved_time

    dst = put(tmp_path, forms["SYT"], "SYT", day=4, hour=9)
    assert read_form(dst).saved_at == f"{YEAR}-11-04T02:00:00+00:00"
    assert read_form(forms["SYT"]).saved_at == "2000-01-01T00:00:00+00:00"  # never saved: collect ignores it
    # LibreOffice's meta.xml: nanoseconds, no zone (the saving computer's; read as Vietnam's)
    assert saved_time(b"<dc:date>2026-11-04T09:00:00.123456789</dc:date>") == "2026-11-04T02:00:00+00:00"
    assert saved_time(b"<dc:date>2026-11-04T09:00:00</dc:date>") == "2026-11-04T02:00:00+00:00"
    assert saved_time(b"<dcterms:modified>yesterday</dcterms:modified>") is None
    assert saved_time(None) is None
