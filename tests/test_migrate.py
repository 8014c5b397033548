"""A wrong-year or stale form becomes a fresh form for the right year, its values carried
over by indicator code and highlighted for confirmation: `sdgxl migrate` for the officer,
and beside the feedback copy (and in the reply draft) when collect meets last year's form."""

from __future__ import annotations

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.collect import collect
from sdgxl.demo.fill import Entry, FormFile
from sdgxl.demo.samples import fill_from_samples
from sdgxl.forms.generate import generate_forms
from sdgxl.validate import validate_file
from tests.conftest import assert_no_traceback, run_cli


@pytest.fixture(scope="module")
def old_syt(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("migrate")
    (form,) = generate_forms(bundled(), 2025, tmp / "forms", agencies=["SYT"])
    filled = tmp / "2025_SYT_filled.xlsx"
    fill_from_samples(form.path, filled, 2025, "SYT")
    ff = FormFile(filled)
    key = next(k for k in ff.rows if not k.startswith("3.3"))
    ff.fill([Entry("3.3", 23.9, source="Sổ theo dõi y tế"), Entry(key, None, status="Chưa có số liệu")]).save(filled)
    return filled, key


def test_migrate_carries_values_by_code_and_highlights_them(tmp_path, old_syt):
    filled, key = old_syt
    proc = run_cli("migrate", str(filled), "--year", "2026", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_no_traceback(proc)
    (fresh,) = tmp_path.glob("2026_SYT_*_tu-2025.xlsx")
    assert "2026" in " ".join(proc.stdout.split()) and fresh.name in " ".join(proc.stdout.split()).replace(" ", "")
    report = validate_file(fresh, bundled(), year=2026)
    assert report.year == 2026 and report.agency == "SYT"
    assert not any(i.code in ("wrong-year", "metadata-mismatch", "locked-cell-changed") for i in report.issues)
    obs = {o.row_key: o for o in report.observations}
    assert obs["3.3"].value == pytest.approx(23.9) and obs["3.3"].source == "Sổ theo dõi y tế"
    assert obs[key].data_status == "no_data_yet"
    ws = openpyxl.load_workbook(fresh).worksheets[1]
    cell = ws[obs["3.3"].cell]
    assert cell.fill.fgColor.rgb.endswith("DDEBF7") and not cell.protection.locked  # highlighted, editable
    assert ws[f"C{cell.row}"].fill.fgColor.rgb.endswith("F2F2F2")  # the locked cells keep their colour


def test_migrate_refuses_what_is_not_a_form(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    proc = run_cli("migrate", str(bad), "--year", "2026", "--out", str(tmp_path), "--lang", "en")
    assert proc.returncode == 2 and "cannot be read" in proc.stdout + proc.stderr
    assert_no_traceback(proc)


def test_collect_answers_last_years_form_with_a_fresh_one(tmp_path, old_syt, ledger_db):
    filled, _ = old_syt
    inbox = tmp_path / "inbox" / "SYT"
    inbox.mkdir(parents=True)
    (inbox / filled.name).write_bytes(filled.read_bytes())
    res = collect(tmp_path / "inbox", bundled(), year=2026, out_dir=tmp_path / "out", db=ledger_db)
    (outcome,) = res.files
    assert not outcome.valid and outcome.migrated is not None and outcome.migrated.exists()
    assert outcome.migrated.name == "2026_SYT_bao-cao-sdg_tu-2025.xlsx"
    fb = openpyxl.load_workbook(outcome.feedback)
    words = " ".join(str(c.value) for row in fb.worksheets[0].iter_rows() for c in row if c.value)
    assert "2026_SYT_bao-cao-sdg_tu-2025.xlsx" in words and "sửa trực tiếp" not in words
    fresh = validate_file(outcome.migrated, bundled(), year=2026)
    assert {o.row_key: o.value for o in fresh.observations}["3.3"] == pytest.approx(23.9)
