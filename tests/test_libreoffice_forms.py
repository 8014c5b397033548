"""Generated forms through real, headless LibreOffice Calc: open, type, save, export PDF."""

from __future__ import annotations

import openpyxl
import pytest

from sdgxl import libreoffice as lo
from sdgxl.catalogue import bundled
from sdgxl.forms.generate import generate_forms
from sdgxl.forms.layout import META_SHEET
from tests.test_generate import read_meta

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory, libreoffice):
    out = tmp_path_factory.mktemp("lo")
    (form,) = generate_forms(bundled(), 2026, out / "forms", agencies=["SYT"])
    wb = openpyxl.load_workbook(form.path)
    _, rows = read_meta(wb)
    by_key = {r["key"]: r["row"] for r in rows}
    sheet = wb.worksheets[1].title
    cells = [
        {"sheet": sheet, "cell": f"J{by_key['2.1']}", "value": 11.2},
        {"sheet": sheet, "cell": f"K{by_key['2.1']}", "string": "Có số liệu"},
        {"sheet": sheet, "cell": f"L{by_key['2.1']}", "string": "Báo cáo ngành y tế 2026"},
        {"sheet": sheet, "cell": f"J{by_key['3.2a']}", "value": 97},
        {"sheet": sheet, "cell": f"K{by_key['3.9#nam']}", "string": "Chưa có số liệu"},
        {"sheet": sheet, "cell": f"J{by_key['3.4']}", "string": "Đã triển khai cai nghiện tại cộng đồng"},
        {"sheet": sheet, "cell": f"J{by_key['2.2']}", "value": 250},  # out of range: self-check flags it
    ]
    saved = out / "saved.xlsx"
    pdf = out / "form.pdf"
    result = lo.run_job({"input": str(form.path), "output": str(saved), "pdf": str(pdf), "cells": cells})
    return form, saved, pdf, by_key, result


def test_opens_and_keeps_typed_values(round_trip):
    _form, saved, _, by_key, result = round_trip
    assert result["sheets"] == ["Hướng dẫn", "Chỉ tiêu", "Kết quả mục tiêu", META_SHEET]
    ws = openpyxl.load_workbook(saved).worksheets[1]
    assert ws[f"J{by_key['2.1']}"].value == pytest.approx(11.2)
    assert ws[f"K{by_key['2.1']}"].value == "Có số liệu"
    assert ws[f"L{by_key['2.1']}"].value == "Báo cáo ngành y tế 2026"
    assert ws[f"J{by_key['3.2a']}"].value == 97
    assert ws[f"J{by_key['3.4']}"].value == "Đã triển khai cai nghiện tại cộng đồng"


def test_self_check_recalculates_in_libreoffice(round_trip):
    _, saved, _, by_key, _ = round_trip
    wb = openpyxl.load_workbook(saved, data_only=True)
    ws = wb.worksheets[1]
    assert ws[f"N{by_key['2.1']}"].value == "Đạt"
    assert ws[f"N{by_key['3.9#nam']}"].value == "Đạt"
    assert ws[f"N{by_key['2.2']}"].value == "Ngoài giới hạn"
    assert ws[f"N{by_key['1.1b']}"].value if "1.1b" in by_key else True
    cover = wb.worksheets[0]
    values = [c.value for line in cover.iter_rows() for c in line if c.value is not None]
    assert "Chưa hoàn thành" in values


def test_protection_validation_and_metadata_survive(round_trip):
    form, saved, _, by_key, _ = round_trip
    before = openpyxl.load_workbook(form.path)
    after = openpyxl.load_workbook(saved)
    for ws in after.worksheets:
        assert ws.protection.sheet, ws.title
    assert after[META_SHEET].sheet_state in ("hidden", "veryHidden")
    assert read_meta(after) == read_meta(before)
    props = {p.name: p.value for p in after.custom_doc_props.props}
    assert props["sdgxl_form_id"] == form.form_id
    ws = after.worksheets[1]
    dv = [d for d in ws.data_validations.dataValidation if f"J{by_key['2.1']}" in d.sqref]
    assert dv and dv[0].type == "decimal" and float(dv[0].formula2) == 100
    locked = [ws[f"{c}{by_key['2.1']}"].protection.locked for c in "DFJK"]
    assert locked == [True, True, False, False]


def test_pdf_export_renders(round_trip):
    _, _, pdf, _, _ = round_trip
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert lo.pdf_pages(pdf) >= 2  # cover + indicator sheet


def test_the_printed_footer_keeps_the_form_id(round_trip):
    """``&L&8`` then ``2026-SYT-…`` read as font size 82026 and dropped the year: the size
    code is closed before the id, and LibreOffice prints the id whole."""
    import re
    import subprocess

    form, _, pdf, _, _ = round_trip
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert form.form_id.startswith("2026-SYT-") and form.form_id in text
    ws = openpyxl.load_workbook(form.path).worksheets[1]
    assert ws.oddFooter.left.size == 8 and ws.oddFooter.left.text.strip() == form.form_id
    assert all(int(size) <= 409 for size in re.findall(r"&(\d+)", ws.oddFooter.left.text or ""))


def test_header_footer_sections_close_the_size_code():
    from sdgxl.xlsxw import hf_section

    assert hf_section("2026-SYT-54a170bc83", 8) == "&8 2026-SYT-54a170bc83"
    assert hf_section("sdgxl", 8) == "&8sdgxl"
    assert hf_section("KH&CN 2026") == "KH&&CN 2026"
