"""Stage 5, the ledger: one writer at a time, its documented query, its schema versions
(a newer ledger refused untouched, an older one migrated in place). Every test runs against
SQLite and against a real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.collect import collect
from sdgxl.demo.fill import FormFile
from sdgxl.ledger import Ledger
from tests.conftest import ROOT, assert_no_traceback, run_cli
from tests.test_collect import YEAR, put


def test_two_collects_at_once(tmp_path, forms, ledger_db):
    inbox = tmp_path / "inbox"
    for agency in ("SYT", "SCT", "SXD", "STC", "SNV"):
        put(inbox, forms[agency], agency)
    cmd = [sys.executable, "-m", "sdgxl", "collect", str(inbox), "--year", str(YEAR), "--db", ledger_db,
           "--jobs", "1", "--no-feedback"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    procs = [subprocess.Popen([*cmd, "--out", str(tmp_path / f"out{i}")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for i in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    ledger = Ledger(ledger_db)
    subs = ledger.submissions(YEAR)
    counts = ledger.counts()
    ledger.close()
    assert len(subs) == 5 == len({s.sha256 for s in subs})
    assert counts["observations"] == sum(len(FormFile(forms[a]).rows) for a in ("SYT", "SCT", "SXD", "STC", "SNV"))
    outputs = "".join(out for out, _ in results)
    assert outputs.count("bỏ qua") == 5  # whichever ran second skipped all five


def test_the_ledger_doc_query_runs(tmp_path, forms, ledger_db):
    """docs/ledger.md's SQL gives the merged values."""
    import re

    from sqlalchemy import create_engine, text


    inbox = tmp_path / "inbox"
    put(inbox, forms["SYT"], "SYT")
    collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    sql = re.search(r"```sql\n(.*?)```", (ROOT / "docs" / "ledger.md").read_text(encoding="utf-8"), re.S).group(1)
    url = ledger_db if "://" in ledger_db else f"sqlite:///{ledger_db}"
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql.strip().rstrip(";"))).all()
    engine.dispose()
    assert len(rows) == 17 and {r.agency for r in rows} == {"SYT"}


def test_a_ledger_from_a_newer_sdgxl_is_refused_untouched(tmp_path):
    from sqlalchemy import text

    from sdgxl.ledger import SCHEMA_VERSION, LedgerError

    db = tmp_path / "sdgxl.sqlite"
    ledger = Ledger(db)
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE sdgxl_meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(SCHEMA_VERSION + 1)})
    ledger.close()
    before = db.read_bytes()
    with pytest.raises(LedgerError, match="mới hơn") as err:
        Ledger(db)
    assert str(db) in str(err.value)
    proc = run_cli("status", "--year", "2026", "--db", str(db), "--lang", "en")
    assert proc.returncode == 1 and "newer sdgxl" in proc.stdout + proc.stderr
    assert_no_traceback(proc)
    assert db.read_bytes() == before


def test_an_old_ledger_is_migrated_and_details_follow_the_language(tmp_path, ledger_db):
    """A ledger written by the first release (no ``issues.detail_en`` nor ``issues.params``; an
    index that led SQLite away from the index of current rows) is brought up to date when
    opened; its old rows (words in ``detail``) and new ones (typed ``params``) then reach an
    English consolidated workbook in English."""
    from sqlalchemy import inspect, text

    from sdgxl.ledger import SCHEMA_VERSION

    ledger = Ledger(ledger_db)
    with ledger.engine.begin() as conn:  # make it what version 1 wrote
        conn.execute(text("ALTER TABLE issues DROP COLUMN detail_en"))
        conn.execute(text("ALTER TABLE issues DROP COLUMN params"))
        conn.execute(text("CREATE INDEX ix_observations_row ON observations (agency, year, row_key)"))
        conn.execute(text("UPDATE sdgxl_meta SET value = '1' WHERE key = 'schema_version'"))
    ledger.close()
    ledger = Ledger(ledger_db)
    with ledger.engine.connect() as conn:
        assert {"detail_en", "params"} <= {c["name"] for c in inspect(conn).get_columns("issues")}
        indexes = {i["name"] for i in inspect(conn).get_indexes("observations")}
        assert "ix_observations_row" not in indexes and "ix_observations_area_current" in indexes
        assert conn.execute(text("SELECT value FROM sdgxl_meta WHERE key = 'schema_version'")).scalar() == str(
            SCHEMA_VERSION)
    ledger.close()

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "2026_SYT_bao-cao-sdg.xlsx").write_text("not a workbook", encoding="utf-8")
    proc = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(tmp_path / "out"),
                   "--lang", "en")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wb = openpyxl.load_workbook(tmp_path / "out" / f"{YEAR}_sdg-consolidated.xlsx")
    texts = " ".join(str(c.value) for row in wb["Issues"].iter_rows() for c in row if c.value)
    assert "text/other" in texts and "văn bản/khác" not in texts
    # a row as versions before 4 wrote it (words, no params) is still shown, in the language asked
    ledger = Ledger(ledger_db)
    with ledger.engine.begin() as conn:
        sid = conn.execute(text("SELECT MIN(id) FROM submissions")).scalar()
        conn.execute(text("INSERT INTO issues (submission_id, code, severity, detail, detail_en) VALUES "
                          "(:sid, 'file-too-large', 'error', '7 phần trong tệp zip', '7 parts in the zip file')"),
                     {"sid": sid})
    ledger.close()
    for lang, words in (("en", "7 parts in the zip file"), ("vi", "7 phần trong tệp zip")):
        out = tmp_path / f"out-{lang}"
        proc = run_cli("collect", str(inbox), "--year", str(YEAR), "--db", ledger_db, "--out", str(out),
                       "--lang", lang)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        (book,) = out.glob("*.xlsx")
        sheet = openpyxl.load_workbook(book)[{"en": "Issues", "vi": "Lỗi"}[lang]]
        assert any(words in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
