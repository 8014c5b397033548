"""sdgxl.xlsxw's fast paths write exactly what xlsxwriter itself writes."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter.worksheet

from sdgxl import xlsxw
from sdgxl.catalogue import bundled
from sdgxl.catalogue.load import catalogue_hash
from sdgxl.forms.generate import form_bytes
from sdgxl.forms.spec import build_spec


def _stock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workbooks made with xlsxwriter's own worksheet class (formula prefixes included)."""
    monkeypatch.setattr(xlsxw.Workbook, "worksheet_class", xlsxwriter.worksheet.Worksheet)
    for name in ("add_format", "_prepare_format_properties", "_get_packager"):
        monkeypatch.setattr(xlsxw.Workbook, name, getattr(xlsxwriter.Workbook, name))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_form_is_byte_identical_to_xlsxwriters_own_output(monkeypatch, lang):
    cat = bundled()
    h = catalogue_hash(cat)
    specs = [build_spec(cat, a, 2026, lang=lang, cat_hash=h) for a in cat.reporting_agencies()]
    fast = [form_bytes(s, password="sdgxl") for s in specs]
    with monkeypatch.context() as m:
        _stock(m)
        stock = [form_bytes(s, password="sdgxl") for s in specs]
    assert len(fast) == len(specs) > 20
    for spec, a, b in zip(specs, fast, stock, strict=True):
        assert a == b, spec.agency


def _sample(wb: xlsxw.Workbook, comment: bool) -> None:
    """Cells the fast paths leave to xlsxwriter next to ones they take."""
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Dữ liệu")
    ws.set_row(2, None, wb.add_format({"italic": True}))  # a row format for unformatted cells
    ws.set_column(5, 5, 12, wb.add_format({"num_format": "0.00"}))  # a column format
    for r in range(40):
        ws.write_string(r, 0, f'"A&B" <{r}>\n', bold if r % 2 else None)
        ws.write_number(r, 1, r / 7)
        ws.write_blank(r, 2, None, bold)
        ws.write_formula(r, 3, f"=IF(B{r + 1}>1,SUM(B1:B{r + 1}),0)", None, 0)
        ws.write_formula(r, 4, f"=TEXTJOIN(\",\",TRUE,A{r + 1})", None, "")  # a future function
        ws.write_number(r, 5, r)
        ws.write_boolean(r, 6, r % 3 == 0)
        ws.write_rich_string(r, 7, "a ", bold, "b")
    ws.write_string(100, 30, "far away")
    if comment:
        ws.write_comment(5, 1, "a comment")  # spans then include comments
    ws.data_validation(0, 1, 39, 1, {"validate": "decimal", "criteria": ">=", "value": 0,
                                     "input_message": 'x < 5 & "y"'})
    ws2 = wb.add_worksheet("Empty")
    ws2.protect("p")


@pytest.mark.parametrize("comment", [False, True])
def test_fast_paths_match_on_cells_they_do_not_take(monkeypatch, comment):
    def make() -> bytes:
        buf = io.BytesIO()
        wb = xlsxw.Workbook(buf)
        wb.set_properties({"created": dt.datetime(2000, 1, 1)})
        _sample(wb, comment)
        wb.close()
        return buf.getvalue()

    fast = make()
    with monkeypatch.context() as m:
        _stock(m)
        stock = make()
    assert _parts(fast) == _parts(stock)
    assert openpyxl.load_workbook(io.BytesIO(fast))["Dữ liệu"]["A2"].value == '"A&B" <1>\n'


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_workbook_structure_protection():
    buf = io.BytesIO()
    wb = xlsxw.Workbook(buf)
    wb.add_worksheet("A")
    wb.protect_structure("sdgxl")
    wb.close()
    xml = _parts(buf.getvalue())["xl/workbook.xml"].decode()
    assert f'<workbookProtection workbookPassword="{xlsxw.legacy_hash("sdgxl")}" lockStructure="1"/>' in xml
    assert openpyxl.load_workbook(buf).security.lockStructure


def test_legacy_hash_known_value():
    # Excel's sheet-protection hash of "password" (as in ECMA-376 Part 4 examples and openpyxl)
    from openpyxl.workbook.protection import hash_password

    for pw in ("password", "sdgxl", "Mật khẩu", "x"):
        assert xlsxw.legacy_hash(pw) == hash_password(pw)


def test_formats_are_fixed_once_made():
    wb = xlsxw.Workbook(io.BytesIO())
    bold = wb.add_format({"bold": True, "font_name": "Times New Roman"})
    with pytest.raises(TypeError, match="fixed once made"):
        bold.set_italic()
    again = xlsxw.Workbook(io.BytesIO()).add_format({"font_name": "Times New Roman", "bold": True})
    assert again is not bold and again._prototype == bold._prototype  # made once, copied


def test_forms_of_a_year_share_their_styles(monkeypatch):
    monkeypatch.setattr(xlsxw, "_STYLES", {})
    cat = bundled()
    h = catalogue_hash(cat)
    specs = [build_spec(cat, a, 2026, cat_hash=h) for a in cat.reporting_agencies()]
    for spec in specs:
        form_bytes(spec, password="sdgxl")
    assert 1 <= len(xlsxw._STYLES) <= 3 < len(specs)


def _every_other_workbook(folder: Path) -> dict[str, bytes]:
    """The consolidated workbook (table, chase list, dashboard with charts), the annual
    report, the console (.xlsm with its VBA project), the catalogue and the observations as
    .xlsx: every workbook sdgxl makes with xlsxwriter besides the forms."""
    from sdgxl.catalogue.excel import export_xlsx
    from sdgxl.console import build_console
    from sdgxl.consolidate import consolidate
    from sdgxl.demo import run_demo
    from sdgxl.ledger import Ledger
    from sdgxl.outputs.tidy import export_observations
    from sdgxl.progress.assess import assess
    from sdgxl.progress.sheets import write_report

    cat = bundled()
    demo = run_demo(folder / "demo", years=[2025, 2026])
    ledger = Ledger(folder / "demo" / "sdgxl.sqlite")
    try:
        con = consolidate(cat, ledger, 2026)
        report, _ = write_report(con, assess(con), folder / "report", pdf=False)
        export_observations(ledger, cat, folder / "obs.xlsx", "xlsx")
    finally:
        ledger.close()
    made = [demo.last.consolidated, report, folder / "obs.xlsx",
            build_console(folder / "console.xlsm"), export_xlsx(cat, folder / "catalogue.xlsx")]
    return {p.name: p.read_bytes() for p in made if p is not None}


def test_every_other_workbook_is_byte_identical_to_xlsxwriters_own_output(monkeypatch, tmp_path):
    import time

    import sdgxl.ledger

    # the same collection time in both runs: it is in the observations
    clock = types.SimpleNamespace(time=lambda: 1_763_164_800.0, sleep=time.sleep, monotonic=time.monotonic)
    monkeypatch.setattr(sdgxl.ledger, "time", clock)
    fast = _every_other_workbook(tmp_path)
    shutil.rmtree(tmp_path)  # the same paths again: they are in the data
    with monkeypatch.context() as m:
        _stock(m)
        stock = _every_other_workbook(tmp_path)
    assert len(fast) == 5 and fast.keys() == stock.keys()
    for name in fast:
        assert fast[name] == stock[name], name
