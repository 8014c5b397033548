"""Every workbook sdgxl writes, checked without Excel: openxml-audit (a Python port of the Open
XML SDK validator) finds nothing it does not also find on a one-cell workbook written by plain
openpyxl or XlsxWriter, and the rules it does not cover are checked here: header/footer codes,
list validations of at most 255 characters, defined names unique in their scope."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from defusedxml import ElementTree
from openxml_audit import FileFormat, OpenXmlValidator

from sdgxl.catalogue import bundled

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

# What openxml-audit reports on a one-cell workbook written by plain openpyxl 3.1 (see
# test_known_false_positives_are_reported_on_a_plain_openpyxl_workbook), with the reason it is not a fault:
KNOWN_FALSE_POSITIVES = {
    # CT_Font is an xsd:choice maxOccurs="unbounded" in ECMA-376 (sml.xsd), so its children may
    # come in any order; the validator checks them as a sequence. openpyxl writes <b>/<i>/<color>
    # before <sz>, which Excel opens without a repair.
    ("schema", "Unexpected element 'b' found"),
    ("schema", "Unexpected element 'i' found"),
    ("schema", "Unexpected element 'color' found"),
    # openpyxl writes every string inline (<c t="inlineStr">): valid SpreadsheetML that Excel
    # reads, and moves to a shared-strings table on its next save (a warning, not a fault).
    ("semantic", "Excel_InlineStrCells"),
}

# the codes Excel accepts in a header or footer ([MS-OI29500] 2.1.1051 / Excel's Page Setup help)
HF_CODES = re.compile(r'&(?:[LCRPNDTZFAGBIUESXYOHK&]|\d{1,3}|"[^"]*"|K[0-9A-Fa-f]{6}|[+-]\d+)')


def _key(error) -> tuple[str, str]:
    return (error.error_type.value, error.id or error.description)


def _audit(path: Path, fmt: FileFormat) -> list:
    return list(OpenXmlValidator(file_format=fmt).validate(path).errors)


@pytest.fixture(scope="module")
def workbooks(demo_cycle, tmp_path_factory) -> list[Path]:
    """Every kind of workbook sdgxl writes: forms, returns filled the way the tests fill them,
    consolidated workbooks, feedback copies, the report, the catalogue export, the tidy export
    in Excel, the console."""
    from sdgxl.catalogue.excel import export_xlsx
    from sdgxl.console import build_console
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.outputs.tidy import export_observations
    from sdgxl.progress.assess import assess
    from sdgxl.progress.sheets import write_report

    out = tmp_path_factory.mktemp("more")
    year = demo_cycle.years[-1]
    ledger = Ledger(demo_cycle.folder / "sdgxl.sqlite")
    try:
        con = consolidate(bundled(), ledger, year)
        report, _ = write_report(con, assess(con), out, pdf=False)
        english, _ = write_report(con, assess(con), out / "en", lang="en", pdf=False)
        tidy = export_observations(ledger, bundled(), out / "obs.xlsx", "xlsx")
    finally:
        ledger.close()
    paths = [
        *demo_cycle.forms[year],
        *sorted(demo_cycle.inboxes[year].rglob("*.xlsx")),
        *sorted((demo_cycle.folder / "tong-hop").rglob("*.xlsx")),
        report, english, tidy,
        export_xlsx(bundled(), out / "catalogue.xlsx"),
        build_console(out / "console.xlsm", year=year),
    ]
    for ending in ("bao-cao-sdg.xlsx", "phan-hoi.xlsx", "tong-hop-sdg.xlsx", "tien-do-sdg.xlsx", "console.xlsm"):
        assert any(p.name.endswith(ending) for p in paths), ending
    return paths


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_known_false_positives_are_reported_on_a_plain_one_cell_workbook(tmp_path, writer):
    """The allowance is exactly what the validator says about a workbook no sdgxl code touched."""
    path = tmp_path / f"{writer}.xlsx"
    if writer == "openpyxl":
        wb = openpyxl.Workbook()  # one cell; its font bold, italic in a second font like a title's
        wb.active["A1"] = "x"
        wb.active["A1"].font = openpyxl.styles.Font(name="Times New Roman", bold=True)
        wb._fonts.add(openpyxl.styles.Font(name="Times New Roman", italic=True))
        wb.save(path)
        expected = KNOWN_FALSE_POSITIVES
    else:
        book = xlsxwriter.Workbook(path)
        book.add_worksheet().write(0, 0, "x", book.add_format({"bold": True, "italic": True}))
        book.close()
        expected = set()
    assert {_key(e) for e in _audit(path, FileFormat.OFFICE_2010)} == expected


@pytest.mark.parametrize("fmt", [FileFormat.OFFICE_2010, FileFormat.MICROSOFT_365])
def test_every_workbook_passes_openxml_audit(workbooks, fmt):
    found = {}
    for path in workbooks:
        extra = [e for e in _audit(path, fmt) if _key(e) not in KNOWN_FALSE_POSITIVES]
        if extra:
            found[path.name] = [str(e)[:200] for e in extra[:5]]
    assert not found
    assert len(workbooks) >= 40  # 18 forms, the bare returns, 4 consolidated, 7 feedback copies, …


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.endswith(".xml")}


def header_footer_problems(text: str) -> list[str]:
    """What Excel would refuse in a header/footer string: an unknown &-code, over 255 characters."""
    problems = []
    if len(text) > 255:
        problems.append(f"{len(text)} characters (Excel allows 255)")
    rest = HF_CODES.sub("", text)
    if "&" in rest:
        problems.append(f"unknown code near {rest[rest.index('&'):][:6]!r}")
    return problems


def test_header_footer_checker_catches_bad_codes():
    assert header_footer_problems("&L&8sdgxl&R&8&P/&N") == []
    assert header_footer_problems('&C&"Times New Roman,Bold"&12Báo cáo &&') == []
    assert header_footer_problems("&Q") and header_footer_problems("&L" + "x" * 260)
    assert header_footer_problems("Thu & chi")  # a bare ampersand must be written &&


def test_header_footer_codes_list_validations_and_defined_names(workbooks):
    checked = {"hf": 0, "lists": 0, "names": 0}
    for path in workbooks:
        parts = _parts(path)
        for name, xml in parts.items():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            root = ElementTree.fromstring(xml)
            for hf in root.iterfind(".//m:headerFooter/*", NS):
                assert not header_footer_problems(hf.text or ""), (path.name, name, hf.text)
                checked["hf"] += 1
            for dv in root.iterfind(".//m:dataValidation[@type='list']", NS):
                formula = dv.findtext("m:formula1", "", NS)
                if formula.startswith('"'):  # a literal list: Excel refuses more than 255 characters
                    assert len(formula) - 2 <= 255, (path.name, name, len(formula))
                    checked["lists"] += 1
        wbxml = ElementTree.fromstring(parts["xl/workbook.xml"])
        seen = set()
        for dn in wbxml.iterfind(".//m:definedName", NS):
            key = (dn.get("name", "").upper(), dn.get("localSheetId"))
            assert key not in seen, (path.name, key)
            seen.add(key)
            checked["names"] += 1
    assert all(checked.values()), checked
