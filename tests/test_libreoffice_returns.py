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
