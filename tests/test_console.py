"""The DPI console: its VBA project (read back with oletools), its buttons, real LibreOffice,
and the Python side exercised through xlwings' own JSON book engine."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from sdgxl.console import BUTTONS, RESULTS_ROW, SETTINGS, SHEET, build_console, console_vba_modules
from sdgxl.console.vba.ovba import build_vba_project, compress, decompress, decrypt, module_from_bas
from tests.conftest import ROOT, run_cli

MACROS = ROOT / "macros"


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Path:
    return build_console(tmp_path_factory.mktemp("console") / "console.xlsm", year=2026)


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n")


def _without_attributes(text: str) -> str:
    return "\n".join(ln for ln in _norm(text).split("\n") if not ln.startswith("Attribute VB_"))


def test_olevba_reads_every_module_back_identical(console):
    parser = VBA_Parser(str(console))
    found = {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    parser.close()
    bas = {p.stem: p.read_text(encoding="ascii") for p in MACROS.glob("*.bas")}
    assert bas, "macros/*.bas"
    for name, text in bas.items():
        # olevba hides the Attribute lines; everything else is byte for byte the .bas file
        assert _without_attributes(found[name]) == _without_attributes(text), name
    assert {"ThisWorkbook", "Sheet1", "Sheet2"} <= set(found)


def test_module_streams_decompress_to_the_exact_source(console):
    with zipfile.ZipFile(console) as zf:
        blob = zf.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(blob)
    for path in MACROS.glob("*.bas"):
        stream = ole.openstream(f"VBA/{path.stem}").read()
        assert decompress(stream).decode("cp1252") == path.read_text(encoding="ascii").replace("\n", "\r\n")
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Module=SdgxlButtons" in project and "Document=ThisWorkbook/&H00000000" in project
    values = dict(re.findall(r'^(CMG|DPB|GC)="([0-9A-F]+)"', project, re.M))
    assert decrypt(values["CMG"]) == bytes(4) and decrypt(values["DPB"]) == b"\x00"
    assert decrypt(values["GC"]) == b"\xff"


def test_every_button_is_bound_to_a_macro_that_exists(console):
    with zipfile.ZipFile(console) as zf:
        vml = zf.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
        types = zf.read("[Content_Types].xml").decode("utf-8")
    bound = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert bound == [b.macro for b in BUTTONS]
    subs = set()
    for p in MACROS.glob("*.bas"):
        subs |= set(re.findall(r"^Public Sub (\w+)\(\)", p.read_text(encoding="ascii"), re.M))
    assert set(bound) <= subs
    assert "macroEnabled" in types
    for b in BUTTONS:  # each Sub calls the Python function documented for its button
        body = next(p.read_text(encoding="ascii") for p in MACROS.glob("*.bas"))
        assert re.search(rf"Public Sub {b.macro}\(\)\s+RunSdgxl \"{b.python}\"", body), b.macro


def test_large_modules_survive_an_independent_decompressor(tmp_path):
    """Modules far over 650 bytes (where ms-ovba 0.0.1 breaks): olevba, not our own code, reads them."""
    import xlwings

    big = Path(xlwings.__file__).parent / "xlwings.bas"  # 46 KB of real VBA
    text = big.read_text(encoding="cp1252").replace("\r\n", "\n")
    text = "".join(ch for ch in text if ord(ch) < 128)
    text = 'Attribute VB_Name = "BigModule"\n' + text.split("\n", 1)[1]
    blob = build_vba_project([module_from_bas(text), *console_vba_modules()[3:]])
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(blob)
    parser = VBA_Parser(str(path))
    found = {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    parser.close()
    assert _without_attributes(found["BigModule"]) == _without_attributes(text)
    assert len(text) > 40_000


@pytest.mark.parametrize("size", [0, 1, 2, 3, 650, 651, 700, 4095, 4096, 4097, 8192, 20_000])
def test_compression_round_trip(size):
    import random

    rnd = random.Random(size)
    data = bytes(rnd.choice(b"Dim x As Integer\r\n  ") for _ in range(size))
    packed = compress(data)
    assert decompress(packed) == data
    if size >= 4096:
        assert len(packed) < len(data)


def test_cfb_directory_is_a_valid_red_black_tree(tmp_path):
    mods = [module_from_bas(f'Attribute VB_Name = "M{i:02d}"\nSub S{i}()\nEnd Sub\n') for i in range(23)]
    ole = olefile.OleFileIO(build_vba_project(mods))
    entries = ole.direntries

    def key(e):  # [MS-CFB]: shorter names first, then upper case
        return (len(e.name), e.name.upper())

    def check(sid, lo=None, hi=None):
        if sid == olefile.NOSTREAM:
            return 1
        e = entries[sid]
        assert lo is None or key(lo) < key(e)
        assert hi is None or key(e) < key(hi)
        if e.color == 0:  # red: no red child
            for child in (e.sid_left, e.sid_right):
                assert child == olefile.NOSTREAM or entries[child].color == 1
        left = check(e.sid_left, lo, e)
        right = check(e.sid_right, e, hi)
        assert left == right
        return left + (e.color == 1)

    vba = next(e for e in entries if e and e.name == "VBA")
    check(vba.sid_child)
    assert entries[vba.sid_child].color == 1
    assert len([e for e in entries if e and e.name.startswith("M")]) == 23


def test_vba_project_fits_excel_2010_and_ms_cfb(console):
    """No PROJECTCOMPATVERSION record (0x004A, newer than Excel 2010/2013) in the dir stream,
    and every storage's starting sector is 0 as [MS-CFB] 2.6.3 requires."""
    import struct

    with zipfile.ZipFile(console) as zf:
        blob = zf.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(blob)
    d = decompress(ole.openstream("VBA/dir").read())
    ids = []
    pos = 0
    while pos < len(d):  # walk the records: id (2 bytes), size (4), payload
        rid, size = struct.unpack_from("<HI", d, pos)
        ids.append(rid)
        pos += 6 + (6 if rid == 0x0009 else size)  # VERSION's size field is a reserved 4 and 6 bytes follow
        if rid == 0x0010:  # TERMINATOR
            break
    assert ids[:2] == [0x0001, 0x0002] and 0x004A not in ids and ids[-1] == 0x0010
    storages = [e for e in ole.direntries if e and e.entry_type == olefile.STGTY_STORAGE]
    assert [e.name for e in storages] == ["VBA"]
    assert all(e.isectStart == 0 and e.size == 0 for e in storages)
    assert VBA_Parser(str(console)).detect_vba_macros()


def test_console_is_reproducible(tmp_path):
    a = build_console(tmp_path / "a.xlsm", year=2026).read_bytes()
    b = build_console(tmp_path / "b.xlsm", year=2026).read_bytes()
    assert a == b


def test_console_cli(tmp_path):
    proc = run_cli("console", "--out", str(tmp_path / "c.xlsm"), "--year", "2026")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(tmp_path / "c.xlsm", keep_vba=True)
    assert wb.sheetnames == [SHEET, "xlwings.conf"]
    assert wb[SHEET][SETTINGS["year"][0]].value == 2026
    bad = run_cli("console", "--out", str(tmp_path / "c.xlsx"))
    assert bad.returncode == 2


def test_agency_forms_stay_macro_free(tmp_path):
    from sdgxl.catalogue import bundled
    from sdgxl.forms.generate import generate_forms

    for form in generate_forms(bundled(), 2026, tmp_path, agencies=["SYT", "SCT"]):
        with zipfile.ZipFile(form.path) as zf:
            assert not any("vbaProject" in n for n in zf.namelist())
            assert "macroEnabled" not in zf.read("[Content_Types].xml").decode()
        assert form.path.suffix == ".xlsx"


def test_importing_sdgxl_does_not_need_xlwings():
    code = ("import sys, sdgxl, sdgxl.cli, sdgxl.collect, sdgxl.validate, sdgxl.console; "
            "print('xlwings' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.libreoffice
def test_libreoffice_loads_the_project_and_binds_the_buttons(console, libreoffice):
    from sdgxl import libreoffice as lo

    info = lo.run_job({"input": str(console), "inspect": True})
    assert "VBAProject" in info["libraries"]
    source = info["modules"]["VBAProject.SdgxlButtons"]
    assert "Public Sub TongHop()" in source
    labels = {c["label"]: c["events"] for c in info["controls"]}
    assert set(labels) == {b.caption for b in BUTTONS}
    for b in BUTTONS:
        codes = [e["code"] for e in labels[b.caption]]
        assert f"vnd.sun.star.script:VBAProject.SdgxlButtons.{b.macro}?language=Basic&location=document" in codes


# --------------------------------------------------------------------------- sdgxl.console.xl via xlwings JSON
def _payload(console: Path, settings: dict[str, object]) -> dict:
    import xlwings as xw

    wb = openpyxl.load_workbook(console)
    sheets = []
    for ws in wb.worksheets:
        values = [[None if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        if ws.title == SHEET:
            for key, value in settings.items():
                cell = SETTINGS[key][0]
                col, row = ord(cell[0]) - 65, int(cell[1:]) - 1
                values[row][col] = value
        sheets.append({"name": ws.title, "values": values or [[]], "pictures": [], "tables": []})
    return {"client": "VBA", "version": xw.__version__,
            "book": {"name": console.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def _actions(book) -> list[dict]:
    return book.json()["actions"]


def _call(payload, func):
    import xlwings as xw

    import sdgxl.console.xl

    book = xw.Book(json=payload)
    book.set_mock_caller()
    getattr(sdgxl.console.xl, func)()
    return _actions(book)


def test_collect_button_writes_the_summary(console, tmp_path):
    from sdgxl.catalogue import bundled
    from sdgxl.demo.samples import fill_from_samples
    from sdgxl.forms.generate import generate_forms

    inbox = tmp_path / "inbox"
    forms = {f.agency: f.path for f in generate_forms(bundled(), 2026, tmp_path / "forms", agencies=["SYT", "SCT"])}
    for agency, form in forms.items():
        dst = inbox / agency / form.name
        dst.parent.mkdir(parents=True)
        changes = [{"key": "3.3", "what": "value", "value": 239}] if agency == "SYT" else []
        fill_from_samples(form, dst, 2026, agency, changes, saved=dt.datetime(2026, 11, 3, tzinfo=dt.timezone.utc))
    payload = _payload(console, {"inbox": str(inbox), "year": 2026, "out": str(tmp_path / "out"),
                                 "db": str(tmp_path / "ledger.sqlite"), "lang": "vi"})
    actions = _call(payload, "collect")
    writes = [a for a in actions if a["func"] == "setValues"]
    table = next(a for a in writes if a["start_row"] == RESULTS_ROW - 1 and a["row_count"] == 1)
    assert table["values"][0][:6] == ["Cơ quan", "Tệp", "Trạng thái", "Lỗi", "Cảnh báo", "Phản hồi"]
    rows = next(a for a in writes if a["start_row"] == RESULTS_ROW)["values"]
    from sdgxl.demo.samples import sample_narratives
    from sdgxl.forms.spec import build_spec

    # SCT's warnings: the targets it leads that the samples write nothing on
    silent = {n.target for n in build_spec(bundled(), "SCT", 2026).narratives if n.required} - set(
        sample_narratives(2026, "SCT"))
    assert rows[0][:5] == ["SCT", forms["SCT"].name, "hợp lệ", 0, len(silent)] and silent
    assert rows[1][:5] == ["SYT", forms["SYT"].name, "có lỗi", 1, 0]
    assert rows[1][5] == "2026_SYT_bao-cao-sdg_phan-hoi.xlsx"
    assert any(r[0] == "Cần nhắc:" for r in rows)
    colours = [a for a in actions if a["func"] == "setRangeColor"]
    assert any(a["args"] == ["#ffc7ce"] and a["start_row"] == RESULTS_ROW + 1 for a in colours)
    links = [a["args"][1] for a in actions if a["func"] == "addHyperlink"]
    assert "2026_tong-hop-sdg.xlsx" in links and "2026_SYT_bao-cao-sdg_phan-hoi.xlsx" in links
    alert = next(a for a in actions if a["func"] == "alert")
    assert "2 tệp mới (1 có lỗi)" in alert["args"][0]
    assert (tmp_path / "out" / "2026_tong-hop-sdg.xlsx").exists()
    # pressed again: nothing new, said so
    again = _call(payload, "collect")
    assert "0 tệp mới" in next(a for a in again if a["func"] == "alert")["args"][0]


def test_check_file_and_errors_become_messages(console, tmp_path):
    from tests.test_validate_corpus import CORPUS

    payload = _payload(console, {"file": str(CORPUS / "out_of_range.xlsx"), "year": 2026, "lang": "en"})
    actions = _call(payload, "check_file")
    rows = next(a for a in actions if a["func"] == "setValues" and a["start_row"] == RESULTS_ROW)["values"]
    assert rows[0][:4] == ["Error", "Chỉ tiêu!J16", "3.3", "Out of range (value-out-of-range)"]
    missing = _payload(console, {"file": str(tmp_path / "nope.xlsx"), "lang": "vi"})
    alert = next(a for a in _call(missing, "check_file") if a["func"] == "alert")
    assert alert["args"][0].startswith("Không tìm thấy tệp")
    none_yet = _payload(console, {"out": str(tmp_path / "empty"), "year": 2026, "lang": "vi"})
    alert = next(a for a in _call(none_yet, "open_consolidated") if a["func"] == "alert")
    assert "Chưa có bảng tổng hợp năm 2026" in alert["args"][0]


def test_generate_button(console, tmp_path):
    payload = _payload(console, {"forms": str(tmp_path / "forms"), "year": 2027, "lang": "vi"})
    actions = _call(payload, "generate")
    rows = next(a for a in actions if a["func"] == "setValues" and a["start_row"] == RESULTS_ROW)["values"]
    # after the 2025 reorganisation: 18 agencies of values, 18 bodies of narratives only (0 rows)
    assert len(rows) == 36 and rows[0][0] == "SYT"
    assert sum(r[2] == 0 for r in rows) == 18 and next(r for r in rows if r[0] == "CTK")[2] == 0
    assert len(list((tmp_path / "forms").glob("2027_*.xlsx"))) == 36
    alert = next(a for a in actions if a["func"] == "alert")
    assert alert["args"][0].startswith("Đã tạo 36 biểu mẫu năm 2027 trong")
