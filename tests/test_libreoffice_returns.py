"""Returns saved by real LibreOffice (xlsx, ods, xls) go through validation as expected."""

from __future__ import annotations

import pytest

from sdgxl import libreoffice as lo
from sdgxl.catalogue import bundled
from sdgxl.validate import validate_file
from tests.test_validate_corpus import CORPUS

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


@pytest.fixture(scope="module")
def saved(tmp_path_factory, libreoffice):
    out = tmp_path_factory.mktemp("lo-returns")
    sheet = "Chỉ tiêu"
    cells = [
        {"sheet": sheet, "cell": "J9", "typed": "9,5"},     # en-US profile: stays text "9,5"
        {"sheet": sheet, "cell": "J19", "typed": "86,4%"},  # stays text too in en-US
        # "19.4%" typed in the UI: LibreOffice stores 0.194 and gives the cell a % format
        {"sheet": sheet, "cell": "J10", "typed": "19.4%", "percent_format": True},
        {"sheet": sheet, "cell": "J14", "typed": "=100+26"},  # a formula; LibreOffice saves its result
        {"sheet": sheet, "cell": "M9", "string": "=1+1"},   # a note that looks like a formula, typed as text
    ]
    paths = {ext: out / f"return.{ext}" for ext in ("xlsx", "ods", "xls")}
    for p in paths.values():
        lo.run_job({"input": str(CORPUS / "ok.xlsx"), "output": str(p), "cells": cells})
    return paths


def _issues(path):
    return {(i.code, i.cell) for i in validate_file(path, bundled(), year=2026).issues}


def test_xlsx_saved_by_libreoffice(saved):
    report = validate_file(saved["xlsx"], bundled(), year=2026)
    got = {(i.code, i.cell) for i in report.issues}
    assert got == {("number-as-text", "J9"), ("number-as-text", "J19"), ("percent-sign-typed", "J10"),
                   ("formula-value", "J14")}
    obs = {o.row_key: o for o in report.observations}
    assert obs["2.1"].value == pytest.approx(9.5)
    assert obs["3.7"].value == pytest.approx(86.4)
    assert obs["2.2"].value == pytest.approx(19.4)
    assert obs["3.2a"].value == 126
    assert obs["2.1"].note == "=1+1"
    assert report.valid


def test_ods_saved_by_libreoffice(saved):
    report = validate_file(saved["ods"], bundled(), year=2026)
    codes = {i.code for i in report.issues}
    assert "saved-as-ods" in codes
    assert report.agency == "SYT" and report.year == 2026
    obs = {o.row_key: o for o in report.observations}
    assert obs["2.1"].value == pytest.approx(9.5)
    assert obs["3.2a"].value == 126
    assert len(report.observations) == 17


def test_xls_saved_by_libreoffice(saved):
    assert _issues(saved["xls"]) == {("file-xls", None)}


def test_collect_a_return_saved_by_libreoffice(saved, tmp_path):
    from sdgxl.collect import collect
    from tests.test_collect import table_values

    inbox = tmp_path / "inbox" / "SYT"
    inbox.mkdir(parents=True)
    (inbox / "tra-loi.xlsx").write_bytes(saved["xlsx"].read_bytes())
    res = collect(inbox.parent, bundled(), year=2026, out_dir=tmp_path / "out", db=tmp_path / "l.sqlite")
    assert [f.status for f in res.files] == ["new"] and res.files[0].valid
    values = table_values(res.consolidated)
    assert values[("2.1", 2026)] == pytest.approx(9.5)
    assert values[("3.7", 2026)] == pytest.approx(86.4)
    assert values[("3.2a", 2026)] == 126


def test_a_percent_format_that_stuck_reads_as_meant(tmp_path, libreoffice):
    """An agency types ``86.4%``; the cell takes a % format. Told not to type %, they type
    ``86.4``: LibreOffice stores 86.4 and shows 8640 %. The form's self-check says "Đạt",
    and validation agrees: 86.4, with a warning, not an out-of-range error to loop on."""
    import openpyxl

    sheet, out = "Chỉ tiêu", tmp_path / "retyped.xlsx"
    lo.run_job({"input": str(CORPUS / "ok.xlsx"), "output": str(out), "cells": [
        {"sheet": sheet, "cell": "J19", "typed": "86.4%", "percent_format": True},
        {"sheet": sheet, "cell": "J19", "typed": "86.4"},  # the format stays
        {"sheet": sheet, "cell": "J10", "typed": "19.4%", "percent_format": True},  # Excel's way: 0.194
    ]})
    report = validate_file(out, bundled(), year=2026)
    obs = {o.row_key: o for o in report.observations}
    assert obs["3.7"].value == pytest.approx(86.4) and obs["3.7"].ok
    assert obs["2.2"].value == pytest.approx(19.4) and obs["2.2"].ok
    assert {(i.code, i.cell) for i in report.issues} == {("percent-format-kept", "J19"),
                                                          ("percent-sign-typed", "J10")}
    assert report.valid
    ws = openpyxl.load_workbook(out, data_only=True)[sheet]
    assert ws["J19"].value == pytest.approx(86.4) and "%" in ws["J19"].number_format
    assert ws["N19"].value == "Đạt" and ws["N10"].value == "Đạt"  # computed by LibreOffice


def test_the_self_check_agrees_with_validation_on_every_corpus_file(libreoffice):
    """Every readable form of the corpus, recalculated by real LibreOffice: a row's self-check
    says it passes ("Đạt", or "far from the roadmap", a warning) exactly when validation finds
    no error in it. Two kinds of row may differ, each for a stated reason: a number typed as
    text (the form asks to retype it, validation reads it with a warning), and a formula the
    file carries no result for (LibreOffice computes it; saved, it is read as formula-value)."""
    from sdgxl.forms.layout import COL
    from sdgxl.resources import load_texts
    from sdgxl.validate.checks import CHECKS

    files = []
    for path in sorted(CORPUS.glob("*.xlsx")):
        report = validate_file(path, bundled())
        if report.readable and report.data_sheet:
            files.append((path, report))
    assert len(files) >= 25
    result = lo.run_job({"input": str(files[0][0]), "batch": [
        {"input": str(p), "read": [{"sheet": r.data_sheet, "range": "A1:P80"}]} for p, r in files]}, timeout=900)
    passing = {load_texts(lang)["check"][k] for lang in ("vi", "en") for k in ("ok", "far")}
    compared = 0
    for path, report in files:
        grid = result["read"][str(path)][f"{report.data_sheet}!A1:P80"]
        found: dict[tuple[str, str | None], set[tuple[str, str]]] = {}
        for i in report.issues:
            if CHECKS[i.code].scope == "value" and i.indicator:
                found.setdefault((i.indicator, i.component), set()).add((i.code, i.severity))
        for o in report.observations:
            line = next((ln for ln in grid if ln[COL["key"]] == o.row_key), None)
            if line is None:
                continue
            codes = found.get((o.indicator, o.component), set())
            if {c for c, _ in codes} & {"number-as-text", "formula-without-value"}:
                continue
            has_error = any(sev == "error" for _, sev in codes)
            assert (line[COL["check"]] in passing) != has_error, (path.name, o.row_key, line[COL["check"]], codes)
            compared += 1
    assert compared > 300


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_forms_filled_in_libreoffice_set_to_each_locale(tmp_path, libreoffice, locale):
    """Typed through LibreOffice's own input parsing (``FormulaLocal``) with the profile set to
    a Vietnamese or an English computer: the separator that is not the computer's makes
    text, which validation still reads (a warning that names the computer's separator);
    ``86,4%`` then ``86,4`` retyped in the % cell reads 86.4 either way."""
    import openpyxl

    sheet, out = "Chỉ tiêu", tmp_path / f"{locale}.xlsx"
    vi = locale == "vi-VN"
    lo.run_job({"input": str(CORPUS / "ok.xlsx"), "output": str(out), "locale": locale, "cells": [
        {"sheet": sheet, "cell": "J9", "typed_local": "7,2"},
        {"sheet": sheet, "cell": "J10", "typed_local": "18.5"},
        {"sheet": sheet, "cell": "J19", "typed_local": "86,4%" if vi else "86.4%"},
        {"sheet": sheet, "cell": "J19", "typed_local": "86,4" if vi else "86.4"},  # told not to type %
    ]})
    ws = openpyxl.load_workbook(out)[sheet]
    assert isinstance(ws["J9"].value, float if vi else str)  # "7,2" is a number only in Vietnamese
    assert isinstance(ws["J10"].value, str if vi else float)  # "18.5" only in English
    assert ws["J19"].value == pytest.approx(86.4) and "%" in ws["J19"].number_format
    report = validate_file(out, bundled(), year=2026)
    obs = {o.row_key: o for o in report.observations}
    assert obs["2.1"].value == pytest.approx(7.2) and obs["2.2"].value == pytest.approx(18.5)
    assert obs["3.7"].value == pytest.approx(86.4)
    issues = {(i.code, i.cell) for i in report.issues}
    text_cell = "J10" if vi else "J9"
    assert issues == {("number-as-text", text_cell), ("percent-format-kept", "J19")}
    assert report.valid
    message = next(i for i in report.issues if i.code == "number-as-text").message("vi")
    assert "dấu thập phân theo cài đặt của máy tính" in message
