"""Validation on the corpus of returned files: the exact code and cell of every problem,
and no false alarm on a correctly filled form."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sdgxl.catalogue import bundled
from sdgxl.demo.samples import sample_entries
from sdgxl.text import read_number_text
from sdgxl.validate import validate_file, validate_files
from tests.conftest import ROOT, assert_no_traceback, run_cli

CORPUS = ROOT / "tests" / "corpus" / "files"

# file → the exact set of (code, cell) expected; cell None = a file- or row-level issue
EXPECTED: dict[str, set[tuple[str, str | None]]] = {
    "ok.xlsx": set(),
    "english_ok.xlsx": set(),
    "missing_with_status.xlsx": set(),
    "note_formula_text.xlsx": set(),
    "number_as_text.xlsx": {('number-as-text', 'J10')},
    "count_thousands_dot.xlsx": {('number-as-text', 'J26')},
    "number_ambiguous.xlsx": {('number-ambiguous', 'J11')},
    "percent_typed.xlsx": {('percent-sign-typed', 'J19')},
    "out_of_range.xlsx": {('value-out-of-range', 'J16')},
    "not_whole.xlsx": {('value-not-whole', 'J14')},
    "not_number.xlsx": {('value-not-number', 'J9')},
    "number_with_words.xlsx": {('value-has-words', 'J9')},
    "formula_nocache.xlsx": {('formula-without-value', 'J14')},
    "formula_cached.xlsx": {('formula-value', 'J14')},
    "error_value.xlsx": {('error-value', 'J12')},
    "value_missing.xlsx": {('value-missing', 'J9')},
    "status_invalid.xlsx": {('status-invalid', 'K9')},
    "status_conflict.xlsx": {('status-conflict', 'K9')},
    "text_too_long.xlsx": {('text-too-long', 'J17')},
    "far_from_roadmap.xlsx": {('value-far-from-roadmap', 'J9')},
    "locked_changed.xlsx": {('locked-cell-changed', 'I9'), ('sheet-unprotected', None)},
    "row_deleted.xlsx": {('row-missing', None), ('row-moved', 'C15')},
    "row_inserted.xlsx": {('row-added', 'J16'), ('row-moved', 'C17')},
    "rows_swapped.xlsx": {('row-moved', 'C9')},
    "row_duplicate.xlsx": {("row-duplicate", "C40")},
    "row_unknown.xlsx": {('row-missing', None), ('row-unknown', 'O23')},
    "tampered_year.xlsx": {("metadata-mismatch", None), ("wrong-year", None)},
    "format_version.xlsx": {("format-version-unknown", None)},
    "catalogue_unknown.xlsx": {("catalogue-unknown", None)},
    "sheet_renamed.xlsx": {("sheet-missing", None)},
    "last_year_form.xlsx": {("wrong-year", None)},
    "stale_catalogue.xlsx": {("catalogue-stale", None)},
    "Bao_cao_SYT_tu_lam.xlsx": {("not-sdgxl-form", None)},
    "renamed_pdf.xlsx": {("file-not-spreadsheet", None)},
    "word.docx.xlsx": {("file-not-spreadsheet", None)},
    "empty.xlsx": {("file-unreadable", None)},
    "truncated.xlsx": {("file-unreadable", None)},
    "bomb.xlsx": {("file-too-large", None)},
    "old_format.xls": {("file-xls", None)},
    "encrypted.xlsx": {("file-encrypted", None)},
    # the narrative sheet (Kết quả mục tiêu): SYT's rows 3.1, 3.2, 3.3 are its Excel rows 9, 10, 11
    "narrative_missing.xlsx": {("narrative-missing", "F9")},
    "narrative_too_long.xlsx": {("text-too-long", "F10")},
    "narrative_formula_text.xlsx": set(),
}


@pytest.fixture(scope="module")
def cat():
    return bundled()


def test_corpus_covers_every_file():
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_issues(cat, name):
    report = validate_file(CORPUS / name, cat, year=2026)
    got = {(i.code, i.cell) for i in report.issues}
    assert got == EXPECTED[name], [(i.code, i.cell, i.message()) for i in report.issues]
    assert report.valid == (not any(c for c, _ in EXPECTED[name]
                                    if c not in {"number-as-text", "percent-sign-typed", "formula-value",
                                                 "status-conflict", "value-far-from-roadmap", "row-moved",
                                                 "row-added", "catalogue-stale", "narrative-missing"}))
    for issue in report.issues:
        assert issue.message("vi") and issue.message("en")
        if issue.cell:
            assert issue.sheet == ("Kết quả mục tiêu" if name.startswith("narrative") else "Chỉ tiêu")


def test_narratives_are_read_by_target_as_text(cat):
    """Every led target of a filled form comes back as a narrative, matched by the target code;
    text that starts with "=" is text; an over-long one is kept (whole) but not merged."""
    report = validate_file(CORPUS / "ok.xlsx", cat, year=2026)
    got = {n.target: n for n in report.narratives}
    assert set(got) == {"2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "3.6", "3.7", "3.8", "3.9", "5.6", "16.6"}
    assert got["3.1"].role == "lead" and got["3.1"].cell == "F9" and got["3.1"].results.startswith("Duy trì 100%")
    assert all(n.ok for n in got.values())
    formula = {n.target: n for n in validate_file(CORPUS / "narrative_formula_text.xlsx", cat).narratives}
    assert formula["3.3"].results == "=SUM(A1:A3) là cách tính tổng, không phải công thức"
    long = {n.target: n for n in validate_file(CORPUS / "narrative_too_long.xlsx", cat).narratives}
    assert not long["3.2"].ok and len(long["3.2"].results) == len("Đã triển khai. " * 250) - 1
    missing = validate_file(CORPUS / "narrative_missing.xlsx", cat)
    assert "3.1" not in {n.target for n in missing.narratives} and missing.valid


def _values(report):
    return {o.row_key: o for o in report.observations}


def test_correct_form_reads_every_value(cat):
    report = validate_file(CORPUS / "ok.xlsx", cat, year=2026)
    obs = _values(report)
    expected = {e.key: e for e in sample_entries(2026, "SYT")}
    assert set(obs) == set(expected)
    for key, e in expected.items():
        o = obs[key]
        if isinstance(e.value, float):
            assert o.value == pytest.approx(e.value), key
        else:
            assert o.value_text == e.value, key
        assert o.ok
        assert o.source == e.source and o.agency == "SYT" and o.year == 2026
    assert obs["2.1"].cell == "J9" and obs["2.1"].sheet == "Chỉ tiêu"
    assert obs["2.1"].data_status == "has_data"


def test_repaired_values(cat):
    assert _values(validate_file(CORPUS / "number_as_text.xlsx", cat))["2.2"].value == pytest.approx(19.4)
    assert _values(validate_file(CORPUS / "percent_typed.xlsx", cat))["3.7"].value == pytest.approx(86.4)
    assert _values(validate_file(CORPUS / "count_thousands_dot.xlsx", cat))["8.7#so-luong"].value == 4620
    assert _values(validate_file(CORPUS / "formula_cached.xlsx", cat))["3.2a"].value == 126
    bad = _values(validate_file(CORPUS / "formula_nocache.xlsx", cat))["3.2a"]
    assert bad.value is None and bad.value_text == "=100+26" and not bad.ok


def test_swapped_rows_are_read_by_code(cat):
    obs = _values(validate_file(CORPUS / "rows_swapped.xlsx", cat))
    expected = {e.key: e.value for e in sample_entries(2026, "SYT")}
    assert obs["2.1"].value == pytest.approx(expected["2.1"]) and obs["2.1"].cell == "J10"
    assert obs["2.2"].value == pytest.approx(expected["2.2"]) and obs["2.2"].cell == "J9"


def test_nothing_is_lost(cat):
    """Every value of a broken row is in the ledger-to-be or in an issue."""
    dup = validate_file(CORPUS / "row_duplicate.xlsx", cat)
    issue = next(i for i in dup.issues if i.code == "row-duplicate")
    assert issue.value is not None
    added = validate_file(CORPUS / "row_inserted.xlsx", cat)
    assert next(i for i in added.issues if i.code == "row-added").value == "250"
    err = _values(validate_file(CORPUS / "error_value.xlsx", cat))["3.1a"]
    assert err.value_text == "#DIV/0!" and not err.ok
    notes = _values(validate_file(CORPUS / "note_formula_text.xlsx", cat))
    assert notes["2.1"].note == "=1+1" and notes["2.2"].source == "+84 297 3862 000"


def test_locked_cell_reports_both_values(cat):
    r = validate_file(CORPUS / "locked_changed.xlsx", cat)
    issue = next(i for i in r.issues if i.code == "locked-cell-changed")
    assert issue.value == "< 10" and issue.params == {"expected": "< 8,0"} and issue.indicator == "2.1"


def test_not_our_form_guesses_the_agency(cat):
    r = validate_file(CORPUS / "Bao_cao_SYT_tu_lam.xlsx", cat)
    assert r.agency == "SYT"
    assert "Sở Y tế" in r.issues[0].message()


def test_wrong_agency(cat):
    r = validate_file(CORPUS / "ok.xlsx", cat, agency="SCT")
    assert {(i.code, i.value) for i in r.issues} == {("wrong-agency", "SYT")}


def test_year_on_year_jump_uses_history(cat):
    r = validate_file(CORPUS / "ok.xlsx", cat, history={("SYT", "3.2a", None): 40.0, ("SYT", "2.1", None): 9.6})
    assert {(i.code, i.cell) for i in r.issues} == {("value-jump", "J14")}
    assert "2025" in r.issues[0].message()


def test_english_messages(cat):
    r = validate_file(CORPUS / "out_of_range.xlsx", cat)
    assert r.issues[0].message("en") == "Value 239 is outside what the unit allows (0 – 100)."


@pytest.mark.parametrize(
    ("text", "lo", "hi", "whole", "value", "readings"),
    [
        ("9,78", 0, 100, False, 9.78, [9.78]),
        ("1.234", 0, None, True, 1234, [1234, 1.234]),
        ("1.234", 0, None, False, None, [1234, 1.234]),
        ("1.234", 0, 100, False, 1.234, [1234, 1.234]),
        ("12,500", 0, None, False, None, [12.5, 12500]),
        ("1.234,5", 0, None, False, 1234.5, [1234.5]),
        ("-2,1", -100, 1000, False, -2.1, [-2.1]),
        ("85", 0, 100, False, 85, [85]),
        ("abc", 0, 100, False, None, []),
        ("1,2,3", 0, 100, False, None, []),
    ],
)
def test_read_number_text(text, lo, hi, whole, value, readings):
    got, rd = read_number_text(text, lo, hi, whole)
    assert got == (pytest.approx(value) if value is not None else None)
    assert rd == pytest.approx(readings)


def test_values_frame(cat):
    report = validate_files([CORPUS / "ok.xlsx", CORPUS / "number_as_text.xlsx"], cat)
    df = report.values_frame()
    assert len(df) == 34  # 2026: Sở Y tế also reports 1.2a and 8.7 (from Sở LĐ-TB&XH)
    assert set(df["agency"]) == {"SYT"}
    assert df.loc[(df.row_key == "2.2") & df.file.str.endswith("number_as_text.xlsx"), "value"].iloc[0] == 19.4
    issues = report.issues_frame()
    assert list(issues["code"]) == ["number-as-text"]


def test_parallel_equals_serial(cat):
    files = sorted(CORPUS.iterdir())
    serial = validate_files(files, cat, year=2026, jobs=1)
    parallel = validate_files(files, cat, year=2026, jobs=2)
    assert serial.to_dict() == parallel.to_dict()


def test_cli_over_the_whole_corpus_never_crashes():
    proc = run_cli("validate", str(CORPUS), "--year", "2026", "--format", "json")
    assert_no_traceback(proc)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert len(data["files"]) == len(EXPECTED)
    for f in data["files"]:
        assert set(f) == {"path", "agency", "year", "form_id", "valid", "issues"}
        for i in f["issues"]:
            assert set(i) == {"code", "title", "severity", "sheet", "cell", "indicator", "component", "value",
                              "params", "message"}
        name = Path(f["path"]).name
        assert {(i["code"], i["cell"]) for i in f["issues"]} == EXPECTED[name]


def test_cli_text_and_exit_codes():
    ok = run_cli("validate", str(CORPUS / "ok.xlsx"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "HỢP LỆ" in ok.stdout
    bad = run_cli("validate", str(CORPUS / "out_of_range.xlsx"), "--lang", "en")
    assert bad.returncode == 1
    assert "Chỉ tiêu!J16" in bad.stdout and "value-out-of-range" in bad.stdout
    usage = run_cli("validate", str(CORPUS / "nope.xlsx"))
    assert usage.returncode == 2
    assert_no_traceback(usage)
    usage = run_cli("validate")
    assert usage.returncode == 2


def test_corpus_is_current(tmp_path):
    """The committed corpus is what tests/corpus/make_corpus.py makes today."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "tests" / "corpus" / "make_corpus.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    files: dict[str, bytes] = {}
    mod.build(files)
    assert set(files) == set(EXPECTED)
    stale = [n for n, data in files.items() if (CORPUS / n).read_bytes() != data]
    assert not stale, f"run: python tests/corpus/make_corpus.py (stale: {stale})"
    # the encrypted file too, and it is still a real one: the password opens it to ok.xlsx
    import msoffcrypto

    office = msoffcrypto.OfficeFile(io.BytesIO(files["encrypted.xlsx"]))
    assert office.is_encrypted()
    office.load_key(password="matkhau")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert plain.getvalue() == files["ok.xlsx"]
    again = mod.encrypted(files["ok.xlsx"], "matkhau")
    assert again == files["encrypted.xlsx"] != mod.encrypted(files["ok.xlsx"], "matkhau", seed=1)


def test_one_rule_says_how_many_workers():
    """validate and collect spread files with one function (validate.parallel) and one
    heuristic (test_parallel_equals_serial: the result is the same either way)."""
    import os

    from sdgxl.catalogue import bundled, load_catalogue
    from sdgxl.validate.parallel import PARALLEL_FROM, default_jobs, validate_files

    cat = bundled()
    assert default_jobs(PARALLEL_FROM, cat) == 1
    assert default_jobs(PARALLEL_FROM + 1, cat) == min(os.cpu_count() or 1, 8)
    other = load_catalogue(ROOT / "src" / "sdgxl" / "data" / "catalogue.json")
    assert default_jobs(1000, other) == 1  # workers could not load it: one process
    assert default_jobs(1000, other, catalogue_path="x.json") == min(os.cpu_count() or 1, 8)
    assert validate_files([], cat).files == []
