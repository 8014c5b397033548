"""End to end: generate → fill → collect → ledger, consolidated workbook, exports, feedback.
Every test runs against SQLite and against a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sdgxl.catalogue import bundled
from sdgxl.catalogue.models import cycle_date
from sdgxl.collect import collect
from sdgxl.demo.fill import Entry, FormFile
from sdgxl.demo.samples import fill_from_samples, sample_entries
from sdgxl.forms.generate import generate_forms
from sdgxl.ledger import Ledger
from tests.conftest import assert_no_traceback, run_cli

YEAR = 2026
VN = dt.timezone(dt.timedelta(hours=7))


def put(inbox: Path, form: Path, agency: str, *, day: int = 5, hour: int = 9, name: str | None = None,
        changes=(), entries=()) -> Path:
    dst = inbox / agency / (name or form.name)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fill_from_samples(form, dst, YEAR, agency, changes)
    ff = FormFile(dst)
    if entries:
        ff.fill(list(entries))
    # the time the agency's program saved it (the file's own modification time means nothing)
    ff.set_saved(dt.datetime(YEAR, 11, day, hour, tzinfo=VN)).save(dst)
    return dst


def table_values(path: Path) -> dict[tuple[str, int], object]:
    """(code as printed in the table, year) → value, read from the consolidated workbook."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[5]]
    years = {i: int(v) for i, v in enumerate(header) if isinstance(v, int) or (isinstance(v, str) and v.isdigit()
                                                                               and int(v) > 2015)}
    years = {i: y for i, y in years.items() if i >= 10}
    out = {}
    for row in ws.iter_rows(min_row=6, values_only=True):
        if row[3] is None:
            continue
        for i, y in years.items():
            if row[i] not in (None, ""):
                out[(row[3], y)] = row[i]
    return out


def test_values_reach_the_table_and_the_export(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    for agency in ("SYT", "SNV", "SGDDT"):
        put(inbox, forms[agency], agency)
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert [f.status for f in res.files] == ["new"] * 3
    assert all(f.valid for f in res.files)
    values = table_values(res.consolidated)
    for agency in ("SYT", "SNV"):
        for e in sample_entries(YEAR, agency):
            code = e.key.split("#")[0]
            if "#" in e.key:
                continue
            if e.value is None:
                continue
            assert values[(code, YEAR)] == (pytest.approx(e.value) if isinstance(e.value, float) else e.value), code
    # the tidy export: one row per value, with agency, year and the cell it came from
    df = pd.read_csv(res.csv, encoding="utf-8-sig")
    syt = df[(df.agency == "SYT") & (df.indicator == "2.1")].iloc[0]
    assert syt.year == YEAR and syt.cell == "J9" and syt.sheet == "Chỉ tiêu"
    assert syt.value == pytest.approx(next(e.value for e in sample_entries(YEAR, "SYT") if e.key == "2.1"))
    assert syt.file == forms["SYT"].name and bool(syt.merged)
    pq = pd.read_parquet(res.parquet)
    assert len(pq) == len(df) == sum(len(sample_entries(YEAR, a)) for a in ("SYT", "SNV", "SGDDT"))
    assert pq.value.sum() == pytest.approx(df.value.sum())


def test_errors_reach_the_issues_sheet_and_the_feedback_copy(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", changes=[{"key": "3.3", "what": "value", "value": 239},
                                             {"key": "2.2", "what": "text", "value": "19,4"}])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    (outcome,) = res.files
    assert not outcome.valid and outcome.errors == 1 and outcome.warnings == 1
    issues = openpyxl.load_workbook(res.consolidated)["Lỗi"]
    rows = [r for r in issues.iter_rows(min_row=4, values_only=True) if r[0]]
    assert {(r[3], r[5]) for r in rows} == {("Chỉ tiêu!J16", "Ngoài giới hạn (value-out-of-range)"),
                                           ("Chỉ tiêu!J10", "Số nhập dạng văn bản (number-as-text)")}
    assert outcome.feedback is not None and outcome.feedback.name == f"{YEAR}_SYT_bao-cao-sdg_phan-hoi.xlsx"
    fb = openpyxl.load_workbook(outcome.feedback)
    assert fb.sheetnames[0] == "Phản hồi"
    data = fb["Chỉ tiêu"]
    assert data["J16"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "ngoài giới hạn" in data["J16"].comment.text
    # the comment names the check by its title and code, as the summary sheet does
    assert data["J16"].comment.text.startswith("[Lỗi] Ngoài giới hạn (value-out-of-range): ")
    assert data["J10"].fill.fgColor.rgb.endswith("FFEB9C")
    assert data.protection.sheet and "_sdgxl" in fb.sheetnames
    summary = [c.value for row in fb["Phản hồi"].iter_rows() for c in row if c.value]
    assert "Chỉ tiêu!J16" in summary and "SYT – Sở Y tế" in summary
    assert any('sheet "Chỉ tiêu"' in str(v) for v in summary)
    # the erroneous value is in the ledger, not merged; the good ones are merged
    values = table_values(res.consolidated)
    assert ("3.3", YEAR) not in values and values[("2.2", YEAR)] == pytest.approx(19.4)
    ledger = Ledger(ledger_db)
    bad = [o for o in ledger.observations(YEAR) if o["indicator"] == "3.3"]
    ledger.close()
    assert bad[0]["value"] == 239 and not bad[0]["ok"]


def test_a_corrected_file_supersedes_the_first(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=3, entries=[Entry("2.1", 9.5)])
    put(inbox, forms["SYT"], "SYT", day=9, name="lan-2.xlsx", entries=[Entry("2.1", 9.1)])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert table_values(res.consolidated)[("2.1", YEAR)] == pytest.approx(9.1)
    ledger = Ledger(ledger_db)
    subs = ledger.submissions(YEAR)
    obs = [o for o in ledger.observations(YEAR) if o["indicator"] == "2.1"]
    ledger.close()
    assert len(subs) == 2 and subs[0].superseded_by == subs[1].id and subs[1].superseded_by is None
    assert [(o["value"], o["superseded_by"]) for o in obs] == [(9.5, subs[1].id), (9.1, None)]
    # a later collect of a third, partial file supersedes only what it covers
    inbox2 = tmp_path / "inbox2"
    third = put(inbox2, forms["SYT"], "SYT", day=12, name="lan-3.xlsx", entries=[Entry("2.2", 18.0)])
    ff = FormFile(third)
    ff.delete_row("2.1", shift=False)
    ff.save(third)
    collect(inbox2, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    ledger = Ledger(ledger_db)
    current = {o["indicator"]: o["value"] for o in ledger.observations(YEAR, current_only=True)}
    ledger.close()
    assert current["2.1"] == pytest.approx(9.1) and current["2.2"] == 18.0


def test_rerun_is_a_no_op(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", changes=[{"key": "3.3", "what": "value", "value": 239}])
    put(inbox, forms["SCT"], "SCT")
    out = tmp_path / "out"
    first = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
    snapshot = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    ledger = Ledger(ledger_db)
    counts = ledger.counts()
    ledger.close()
    second = collect(inbox, bundled(), year=YEAR, out_dir=out, db=ledger_db)
    assert [f.status for f in first.files] == ["new", "new"]
    assert [f.status for f in second.files] == ["skipped", "skipped"]
    assert [f.submission_id for f in second.files] == [f.submission_id for f in first.files]
    ledger = Ledger(ledger_db)
    assert ledger.counts() == counts
    ledger.close()
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == snapshot


def test_co_reported_values_that_disagree_are_both_kept(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["STP"], "STP", entries=[Entry("5.7.1", 71.0)])
    put(inbox, forms["HLHPN"], "HLHPN", entries=[Entry("5.7.1", 65.0)])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    ws = openpyxl.load_workbook(res.consolidated).worksheets[0]
    row = next(r for r in ws.iter_rows(min_row=6, values_only=True) if r[3] == "5.7.1")
    assert 71.0 in row  # the first agency of the catalogue's list (STP) gives the value
    assert any(isinstance(v, str) and "STP: 71" in v and "HLHPN: 65" in v for v in row)
    df = pd.read_csv(res.csv, encoding="utf-8-sig")
    assert sorted(df[df.indicator == "5.7.1"].value) == [65.0, 71.0]


def test_last_years_form_does_not_replace_last_years_values(tmp_path, forms, ledger_db):
    old_forms = {f.agency: f.path for f in generate_forms(bundled(), YEAR - 1, tmp_path / "old")}
    inbox = tmp_path / "2025"
    dst = inbox / "SYT" / "a.xlsx"
    dst.parent.mkdir(parents=True)
    fill_from_samples(old_forms["SYT"], dst, YEAR - 1, "SYT")
    collect(inbox, bundled(), year=YEAR - 1, out_dir=tmp_path / "o1", db=ledger_db)
    inbox2 = tmp_path / "2026"
    dst2 = inbox2 / "SYT" / "b.xlsx"
    dst2.parent.mkdir(parents=True)
    fill_from_samples(old_forms["SYT"], dst2, YEAR, "SYT", [{"key": "2.1", "what": "value", "value": 1.0}])
    res = collect(inbox2, bundled(), year=YEAR, out_dir=tmp_path / "o2", db=ledger_db)
    assert not res.files[0].valid
    ledger = Ledger(ledger_db)
    current = {(o["year"], o["indicator"]): o["value"] for o in ledger.observations(current_only=True) if o["ok"]}
    ledger.close()
    expected = next(e.value for e in sample_entries(YEAR - 1, "SYT") if e.key == "2.1")
    assert current[(YEAR - 1, "2.1")] == pytest.approx(expected)
    status = {st.agency: st for st in res.consolidation.agencies}
    assert status["SYT"].reason() == "Gửi nhầm biểu mẫu năm 2025"


def test_completeness_and_chase_list(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=4)
    put(inbox, forms["SCT"], "SCT", day=20)  # after the 15 November deadline
    (inbox / "STC").mkdir()
    (inbox / "STC" / "bao-cao.xlsx").write_bytes(b"not a workbook")
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    st = {s.agency: s for s in res.consolidation.agencies}
    assert st["SYT"].complete and not st["SYT"].late
    assert st["SCT"].complete and st["SCT"].late
    assert st["STC"].files == 1 and not st["STC"].complete  # the folder says whose it is
    assert not st["SNV"].submitted and st["SNV"].to_chase
    ws = openpyxl.load_workbook(res.consolidated)["Tiến độ nộp"]
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "DANH SÁCH CẦN NHẮC" in text
    chase_at = text.index("DANH SÁCH CẦN NHẮC")
    chase = text[chase_at + 1:]
    assert any(t.startswith("SNV") for t in chase) and any(t.startswith("SCT") for t in chase)
    assert not any(t.startswith("SYT") for t in chase)


def test_killed_collect_resumes_without_duplicates(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    for n, (agency, form) in enumerate(sorted(forms.items())):
        put(inbox, form, agency, day=1 + n % 10)
    # resubmissions: 47 files in all (36 forms in 2026: 18 agencies report indicators, 18 narratives only)
    for n, agency in enumerate(["SYT", "SCT", "SXD", "STC", "SNV", "SDL", "SNNMT", "SGDDT", "SKHCN", "STP", "CAT"]):
        put(inbox, forms[agency], agency, day=12, name=f"lan-2-{n}.xlsx", entries=[Entry(
            next(iter(FormFile(forms[agency]).rows)), note=f"sửa {n}")])
    # a collect killed (SIGKILL: nothing runs after it) right after its first transaction
    script = ("import os, signal, sys; from pathlib import Path; from sdgxl.catalogue import bundled; "
              "from sdgxl.collect import collect; "
              "collect(Path(sys.argv[1]), bundled(), year=int(sys.argv[2]), out_dir=Path(sys.argv[3]), "
              "db=sys.argv[4], jobs=1, feedback=False, "
              "after_record=lambda n: os.kill(os.getpid(), signal.SIGKILL))")
    killed = subprocess.run([sys.executable, "-c", script, str(inbox), str(YEAR), str(tmp_path / "out"), ledger_db],
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    args = ["collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(tmp_path / "out"),
            "--jobs", "1", "--no-feedback"]
    ledger = Ledger(ledger_db)
    partial = ledger.counts()
    ledger.close()
    assert 0 < partial["submissions"] < 47
    done = run_cli(*args)
    assert done.returncode == 0, done.stdout + done.stderr
    ledger = Ledger(ledger_db)
    subs = ledger.submissions(YEAR)
    counts = ledger.counts()
    ledger.close()
    assert len(subs) == 47 == len({s.sha256 for s in subs})
    assert counts["observations"] == sum(len(FormFile(forms[s.agency]).rows) for s in subs)
    again = run_cli(*args)
    assert again.returncode == 0 and "bỏ qua" in again.stdout


def test_status_and_export_commands(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT")
    proc = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    status = run_cli("status", "--year", str(YEAR), "--db", ledger_db)
    assert status.returncode == 0 and "Sở Y tế" in status.stdout and "Chưa gửi báo cáo" in status.stdout
    for fmt in ("csv", "parquet", "json", "xlsx"):
        target = tmp_path / f"export.{fmt}"
        proc = run_cli("export", "--year", str(YEAR), "--format", fmt, "--db", ledger_db, "--out", str(target))
        assert proc.returncode == 0, proc.stderr
        assert target.stat().st_size > 0
    rows = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert len(rows) == 17 and {r["agency"] for r in rows} == {"SYT"}
    assert set(rows[0]) >= {"year", "agency", "indicator", "component", "value", "value_text", "unit", "data_status",
                            "source", "note", "file", "sheet", "cell", "submission_id", "collected_at"}
    xl = pd.read_excel(tmp_path / "export.xlsx", engine="calamine")
    assert len(xl) == 17
    missing = run_cli("status", "--year", str(YEAR), "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2
    assert_no_traceback(missing)


def test_validate_uses_last_years_values_from_the_ledger(tmp_path, forms, ledger_db):
    inbox = tmp_path / "2025"
    old = {f.agency: f.path for f in generate_forms(bundled(), YEAR - 1, tmp_path / "old", agencies=["SYT"])}
    dst = inbox / "SYT" / "a.xlsx"
    dst.parent.mkdir(parents=True)
    fill_from_samples(old["SYT"], dst, YEAR - 1, "SYT", [{"key": "3.2a", "what": "value", "value": 40}])
    collect(inbox, bundled(), year=YEAR - 1, out_dir=tmp_path / "o", db=ledger_db)
    new = put(tmp_path / "2026", forms["SYT"], "SYT")  # 3.2a is 126 this year
    proc = run_cli("validate", str(new), "--year", str(YEAR), "--db", ledger_db, "--format", "json")
    issues = json.loads(proc.stdout)["files"][0]["issues"]
    assert [(i["code"], i["cell"]) for i in issues] == [("value-jump", "J14")]
    assert proc.returncode == 0  # a warning


def test_folder_junk_and_lock_files_are_not_submissions(tmp_path, forms):
    from sdgxl.validate import iter_input_files

    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT")
    for name in ("Thumbs.db", "desktop.ini", "~$2026_SYT_bao-cao-sdg.xlsx", ".DS_Store"):
        (inbox / "SYT" / name).write_bytes(b"x")
    (inbox / "SYT" / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert [p.name for p in iter_input_files([inbox])] == ["2026_SYT_bao-cao-sdg.xlsx", "scan.pdf"]


def test_files_of_no_known_agency_are_listed(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT")
    (inbox / "ban-scan.pdf").write_bytes(b"%PDF-1.4 scan")
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    ws = openpyxl.load_workbook(res.consolidated)["Tiến độ nộp"]
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    at = text.index("TỆP KHÔNG RÕ CỦA CƠ QUAN NÀO (xem sheet Lỗi)")
    assert text[at + 1] == "ban-scan.pdf"
    table = openpyxl.load_workbook(res.consolidated).worksheets[0]
    header = [c.value for c in table[5]]
    assert [h for h in header if isinstance(h, int)] == list(range(2016, YEAR + 1))


def test_collect_in_english(tmp_path, ledger_db):
    en_forms = {f.agency: f.path for f in generate_forms(bundled(), YEAR, tmp_path / "forms", lang="en",
                                                          agencies=["SYT"])}
    inbox = tmp_path / "inbox"
    dst = inbox / "SYT" / en_forms["SYT"].name
    dst.parent.mkdir(parents=True)
    fill_from_samples(en_forms["SYT"], dst, YEAR, "SYT", [{"key": "3.3", "what": "value", "value": 239}])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db, lang="en")
    assert res.consolidated.name == f"{YEAR}_sdg-consolidated.xlsx"
    wb = openpyxl.load_workbook(res.consolidated)
    assert wb.sheetnames[:5] == ["Provincial table", "Print view", "Completeness", "Issues", "Target results"]
    assert "Dashboard" in wb.sheetnames
    issues = [r for r in wb["Issues"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert issues[0][6] == "Value 239 is outside what the unit allows (0 – 100)."
    (fb,) = res.feedback
    assert fb.parent.name == "feedback" and fb.name.endswith("_feedback.xlsx")
    assert openpyxl.load_workbook(fb).sheetnames[0] == "Feedback"


def test_an_empty_inbox_on_a_first_run_writes_empty_outputs_and_a_chase_list(tmp_path):
    """First day of the cycle: nothing has arrived yet. No crash: every output exists with its
    columns and no rows, every agency is on the list to chase, and the officer is told why."""
    import pyarrow.parquet as pq

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    proc = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", str(tmp_path / "l.sqlite"),
                   "--out", str(out), "--lang", "en")
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No files in the inbox" in proc.stdout
    # the 18 agencies of values, and the 2 bodies of narratives only that lead a target (HĐND 16.7,
    # Sở Dân tộc và Tôn giáo 5.7); the 17 that only co-operate owe nothing
    leads = {a for lead, _ in bundled().target_agencies(cycle_date(YEAR)).values() for a in lead}
    assert len(bundled().reporting_agencies(cycle_date(YEAR))) == 18
    assert proc.stdout.count("No return received") == 18 + len({"HDND", "SDTTG"} & leads) == 20
    table = pq.read_table(out / "sdgxl-observations.parquet")
    assert table.num_rows == 0 and "value" in table.schema.names
    csv_lines = (out / "sdgxl-observations.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_lines) == 1 and csv_lines[0].startswith('"area","year",')


def test_feedback_copies_are_byte_deterministic(tmp_path, forms):
    """Two collects of the same inbox with the same arrival time (fresh ledgers, other folders,
    other moments) write the same feedback bytes; the document's times are the submission's
    arrival as the ledger records it, not the moment openpyxl saves."""
    import re
    import time
    import zipfile

    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", changes=[{"key": "3.3", "what": "value", "value": 239}])
    sent = dt.datetime(YEAR, 11, 7, 16, tzinfo=VN)  # the officer's record of its arrival
    first = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "a", db=tmp_path / "a.sqlite", received=sent)
    time.sleep(1.1)  # openpyxl stamps the save time to the second
    second = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "b", db=tmp_path / "b.sqlite", received=sent)
    (a,), (b,) = first.feedback, second.feedback
    assert a.read_bytes() == b.read_bytes()
    core = zipfile.ZipFile(a).read("docProps/core.xml").decode()
    arrived = sent.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == [arrived, arrived]
    summary = [c.value for row in openpyxl.load_workbook(a)["Phản hồi"].iter_rows() for c in row if c.value]
    assert "07/11/2026" in summary  # the day it arrived, as the province's clocks show it


def test_tidy_export_is_typed_and_named(tmp_path, forms, ledger_db):
    """For analysts: the plan's words beside each code (name, goal, target, unit kind), integers
    as integers (superseded_by with nulls stays Int64, never float), times as UTC timestamps,
    and when each file arrived with how that is known."""
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=3, entries=[Entry("2.1", 9.5)])
    put(inbox, forms["SYT"], "SYT", day=9, name="lan-2.xlsx", entries=[Entry("2.1", 9.1)])
    sent = dt.datetime(YEAR, 11, 9, 10, tzinfo=VN)
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db, received=sent)
    pq = pd.read_parquet(res.parquet)
    for col in ("year", "goal", "submission_id", "superseded_by"):
        assert str(pq[col].dtype) == "Int64", col
    assert str(pq.received_at.dtype).startswith("datetime64") and str(pq.received_at.dt.tz) == "UTC"
    assert str(pq.collected_at.dtype).startswith("datetime64")
    assert pq.superseded_by.isna().any() and pq.superseded_by.notna().any()
    row = pq[(pq.indicator == "2.1") & pq.merged].iloc[0]
    assert row.value == pytest.approx(9.1) and row.goal == 2 and row.target == "2.1" and row.unit_kind == "percentage"
    assert row.indicator_name.startswith("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng")
    assert row.received_at == pd.Timestamp(sent) and row.received_source == "officer"
    comp = pq[pq.component.notna()].iloc[0]
    assert " – " in comp.indicator_name  # the component's label after the indicator's name
    frame = pd.read_csv(res.csv, encoding="utf-8-sig")
    assert list(frame.columns) == list(pq.columns)
    assert frame.received_at.iloc[0].startswith(str(YEAR))
    ledger = Ledger(ledger_db)
    try:
        from sdgxl.outputs.tidy import observations_frame

        api = observations_frame(ledger, bundled(), YEAR)
    finally:
        ledger.close()
    assert str(api.superseded_by.dtype) == "Int64" and str(api.received_at.dt.tz) == "UTC"
