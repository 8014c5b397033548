"""Stage 7, the outputs: the consolidated workbook, the tidy exports, the feedback copies
(text sent by agencies stays text, times in Vietnam's clock, ASCII names, an output that
cannot be written loses nothing)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd

from sdgxl.catalogue import bundled
from sdgxl.collect import collect
from sdgxl.demo.fill import Entry, FormFile
from sdgxl.ledger import Ledger
from tests.conftest import assert_no_traceback, run_cli
from tests.test_collect import YEAR, put, table_values


def test_text_from_returns_stays_text(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", entries=[Entry("2.1", note="=1+1"), Entry("2.2", source="@SUM(A1)"),
                                              Entry("3.3", 239, note="-chưa rõ")])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    ws = openpyxl.load_workbook(res.consolidated).worksheets[0]
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells.get("=1+1") == "s" and cells.get("@SUM(A1)") == "s"
    text = res.csv.read_text(encoding="utf-8-sig")
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["2.1"]["note"] == "'=1+1" and rows["2.2"]["source"] == "'@SUM(A1)"
    assert rows["3.3"]["note"] == "'-chưa rõ"
    assert float(rows["3.3"]["value"]) == 239  # numbers are numbers, negative or not
    assert pd.read_parquet(res.parquet).set_index("indicator").loc["2.1", "note"] == "=1+1"
    fb = openpyxl.load_workbook(res.files[0].feedback)["Chỉ tiêu"]
    assert fb["M9"].value == "=1+1" and fb["M9"].data_type == "s"


def test_exports_stream_the_ledger_in_batches(tmp_path, forms, ledger_db, monkeypatch):
    """The exports read the ledger a batch at a time and write Parquet a row group at a
    time (memory stays flat as the ledger grows); small batches give the same rows."""
    import pyarrow.parquet as papq

    import sdgxl.outputs.tidy as tidy

    inbox = tmp_path / "inbox"
    for agency in ("SYT", "SNV", "SGDDT"):
        put(inbox, forms[agency], agency)
    collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db, feedback=False, outputs=False)
    ledger = Ledger(ledger_db)
    try:
        everything = ledger.observations()
        assert [o["id"] for o in ledger.iter_observations(batch=3)] == [o["id"] for o in everything]
        monkeypatch.setattr(tidy, "PARQUET_ROWS", 5)
        small = tidy.export_observations(ledger, bundled(), tmp_path / "small.parquet", "parquet")
        csv_path = tidy.export_observations(ledger, bundled(), tmp_path / "all.csv", "csv")
    finally:
        ledger.close()
    table = papq.read_table(small)
    assert papq.ParquetFile(small).num_row_groups == -(-len(everything) // 5) > 1
    assert table.num_rows == len(everything) == len(pd.read_csv(csv_path, encoding="utf-8-sig"))
    assert table.column("submission_id").to_pylist() == [o["submission_id"] for o in everything]
    assert table.schema.names == tidy.COLUMNS


def test_received_time_is_shown_in_vietnam_time(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", day=4, hour=9)  # 09:00 in Vietnam (UTC+7)
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    ws = openpyxl.load_workbook(res.consolidated)["Tiến độ nộp"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("SYT"))
    assert row[5] == f"04/11/{YEAR} 09:00"


def test_feedback_names_are_ascii():
    from sdgxl.outputs.feedback import feedback_filename

    assert feedback_filename(Path("2026_SYT_bao-cao-sdg.xlsx")) == "2026_SYT_bao-cao-sdg_phan-hoi.xlsx"
    assert feedback_filename(Path("Báo cáo Sở Y tế (sửa).xlsx")) == "bao-cao-so-y-te-sua_phan-hoi.xlsx"
    assert feedback_filename(Path("Đ.xlsx"), "en") == "d_feedback.xlsx"


def test_same_file_name_from_two_agencies_keeps_both_feedback_copies(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT", name="bao-cao.xlsx", changes=[{"key": "3.3", "what": "value", "value": 239}])
    put(inbox, forms["SCT"], "SCT", name="bao-cao.xlsx", changes=[{"key": "7.2", "what": "value", "value": 239}])
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    names = sorted(p.name for p in res.feedback)
    assert len(names) == 2 and len(set(names)) == 2
    assert all(p.exists() for p in res.feedback)


def test_an_output_that_cannot_be_written_loses_nothing(tmp_path, forms, ledger_db):
    """The consolidated workbook is open in Excel (on Windows the file is locked; here a folder
    stands in its place): collect says which file, exits 73, and everything received is in
    the ledger; once the file is closed, a re-run writes the outputs without duplicates."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    put(inbox, forms["SYT"], "SYT")
    put(inbox, forms["SCT"], "SCT")
    blocker = out / f"{YEAR}_tong-hop-sdg.xlsx"
    (blocker / "x").mkdir(parents=True)
    proc = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(out))
    assert_no_traceback(proc)
    assert proc.returncode == 73, proc.stdout + proc.stderr
    said = " ".join(proc.stderr.split())
    assert "Không ghi được" in said and f"{YEAR}_tong-hop-sdg.xlsx: đó là một thư mục, không phải tệp" in said
    ledger = Ledger(ledger_db)
    first = ledger.counts()
    ledger.close()
    assert first["observations"] == sum(len(FormFile(forms[a]).rows) for a in ("SYT", "SCT"))
    assert not list(out.glob(".tmp-*"))  # no half-written leftovers

    (blocker / "x").rmdir()
    blocker.rmdir()
    again = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(out))
    assert again.returncode == 0, again.stdout + again.stderr
    assert blocker.is_file() and table_values(blocker)
    ledger = Ledger(ledger_db)
    assert ledger.counts() == first
    ledger.close()
