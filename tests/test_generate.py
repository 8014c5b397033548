"""Generated agency forms, opened with openpyxl and checked cell by cell."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from sdgxl.catalogue import Catalogue, Succession, bundled
from sdgxl.catalogue.units import RULES
from sdgxl.forms.generate import generate_forms
from sdgxl.forms.layout import COL, FIRST_ROW, META_SHEET
from sdgxl.forms.spec import build_spec
from tests.conftest import assert_no_traceback, run_cli

YEAR = 2024  # the forms of the plan as written (2026: see test_reform.py for the successors)
INPUT_LETTERS = {get_column_letter(COL[c] + 1) for c in ("value", "status", "source", "note")}


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> tuple[Path, list]:
    out = tmp_path_factory.mktemp("forms")
    results = generate_forms(bundled(), YEAR, out)
    return out, results


def read_meta(wb) -> tuple[dict[str, str], list[dict]]:
    ws = wb[META_SHEET]
    kv: dict[str, str] = {}
    rows: list[dict] = []
    it = ws.iter_rows(values_only=True)
    next(it)
    for row in it:
        if row[0] is None:
            break
        kv[str(row[0])] = str(row[1])
    header = next(it)
    for row in it:
        if row[0] is None:
            continue
        if row[0] == "narrative_row":  # the narrative rows follow (read_narratives)
            break
        rows.append(dict(zip(header, row, strict=False)))
    return kv, rows


def read_narratives(wb) -> dict[str, tuple[int, str]]:
    """target → (its row on the narrative sheet, role), as the metadata says."""
    out: dict[str, tuple[int, str]] = {}
    inside = False
    for row in wb[META_SHEET].iter_rows(values_only=True):
        if row[0] == "narrative_row":
            inside = True
        elif inside and row[0] is not None:
            out[row[1]] = (int(row[0]), row[2])
    return out


def expected_assignments(cat) -> dict[str, set[str]]:
    """agency → row keys it must report, computed from the catalogue independently."""
    out: dict[str, set[str]] = {}
    for ind in cat.indicators:
        if not ind.components:
            for a in ind.agencies:
                out.setdefault(a, set()).add(ind.code)
            continue
        for c in ind.components:
            owners = [c.agency] if c.agency else ind.agencies
            for a in owners:
                out.setdefault(a, set()).add(f"{ind.code}#{c.key}")
    for t in cat.targets:  # a lead or co-operator that reports no indicator: a form of narratives only
        for a in t.lead_agencies + t.cooperating_agencies:
            out.setdefault(a, set())
    return out


def test_one_file_per_agency_and_nothing_else(forms):
    out, results = forms
    expected = expected_assignments(bundled())
    assert {r.agency for r in results} == set(expected)
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{YEAR}_{a}_bao-cao-sdg.xlsx" for a in expected)
    assert all(name.isascii() for name in files)


def test_each_form_holds_exactly_its_agencys_rows(forms):
    _, results = forms
    expected = expected_assignments(bundled())
    for r in results:
        wb = openpyxl.load_workbook(r.path)
        _, rows = read_meta(wb)
        keys = [row["key"] for row in rows]
        assert len(keys) == len(set(keys))
        assert set(keys) == expected[r.agency], r.agency


def test_split_component_goes_to_its_agency(forms):
    _, results = forms
    by = {r.agency: r for r in results}
    _, sgddt = read_meta(openpyxl.load_workbook(by["SGDDT"].path))
    _, sld = read_meta(openpyxl.load_workbook(by["SLDTBXH"].path))
    # 4.3: the plan names both agencies and gives neither value to one of them (issue 14)
    for rows in (sgddt, sld):
        assert {"4.3#dao-tao", "4.3#day-nghe"} <= {r["key"] for r in rows}
    # a component given to one agency goes to that agency only
    ind = bundled().indicator("4.3")
    split = ind.model_copy(update={"components": [
        ind.components[0].model_copy(update={"agency": "SGDDT"}),
        ind.components[1].model_copy(update={"agency": "SLDTBXH"})]})
    assert [c.key for c in split.components_for("SGDDT") if c] == ["dao-tao"]
    assert [c.key for c in split.components_for("SLDTBXH") if c] == ["day-nghe"]
    # a co-reported indicator without components is in both forms
    assert "4.5" in {r["key"] for r in sgddt} and "4.5" in {r["key"] for r in sld}


def test_protection_and_exactly_the_input_cells_unlocked(forms):
    _, results = forms
    for r in results:
        wb = openpyxl.load_workbook(r.path)
        assert wb.security is not None and wb.security.lockStructure
        cover, data, *narrative, meta = wb.worksheets
        for ws in (cover, data, *narrative, meta):
            assert ws.protection.sheet, ws.title
            assert ws.protection.password
        assert meta.sheet_state == "hidden"
        _, rows = read_meta(wb)
        input_rows = {row["row"] for row in rows}
        expected = {f"{col}{row}" for col in INPUT_LETTERS for row in input_rows}
        narratives = read_narratives(wb)
        assert bool(narrative) == bool(narratives)
        for ws in narrative:
            expected |= {f"{ws.title}!{col}{row}" for col in "FGH" for row, _ in narratives.values()}
        unlocked = set()
        for ws in (cover, data, *narrative, meta):
            for line in ws.iter_rows():
                for cell in line:
                    if cell.protection is not None and cell.protection.locked is False:
                        unlocked.add(cell.coordinate if ws is data else f"{ws.title}!{cell.coordinate}")
            for _dim in ws.column_dimensions.values():
                assert True
        assert unlocked == expected, r.agency


def _validation_for(ws, coordinate):
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, (coordinate, found)
    return found[0]


def test_validation_matches_the_unit_kind(forms):
    _, results = forms
    seen_kinds = set()
    for r in results:
        wb = openpyxl.load_workbook(r.path)
        ws = wb.worksheets[1]
        _, rows = read_meta(wb)
        for row in rows:
            dv = _validation_for(ws, f"J{row['row']}")
            kind = row["unit_kind"]
            rule = next(v for k, v in RULES.items() if k.value == kind)
            seen_kinds.add(kind)
            assert dv.errorStyle in (None, "stop")
            assert dv.showErrorMessage and dv.showInputMessage
            assert dv.prompt and dv.error
            if not rule.numeric:
                assert dv.type == "textLength" and float(dv.formula1) == row["max_len"]
                continue
            assert dv.type == ("whole" if rule.whole else "decimal")
            if rule.maximum is not None:
                assert dv.operator in (None, "between")
                assert float(dv.formula1) == rule.minimum and float(dv.formula2) == rule.maximum
            else:
                assert dv.operator == "greaterThanOrEqual" and float(dv.formula1) == rule.minimum
            if kind == "percentage":
                assert "%" in dv.prompt and "KHÔNG" in dv.prompt
            dv_status = _validation_for(ws, f"K{row['row']}")
            assert dv_status.type == "list"
            assert "Chưa có số liệu" in dv_status.formula1
            assert _validation_for(ws, f"L{row['row']}").type == "textLength"
    assert {"percentage", "rate_of_change", "index", "count", "rate_per_population", "money", "quantity",
            "multiple", "qualitative"} == seen_kinds


def test_metadata_identifies_the_form(forms):
    _, results = forms
    cat = bundled()
    ids = set()
    for r in results:
        wb = openpyxl.load_workbook(r.path)
        kv, rows = read_meta(wb)
        spec = build_spec(cat, r.agency, YEAR)
        assert kv == spec.meta()
        assert kv["agency"] == r.agency and kv["year"] == str(YEAR) and kv["form_id"] == r.form_id
        assert kv["catalogue_id"] == "kien-giang-2018"
        props = {p.name: p.value for p in wb.custom_doc_props.props}
        assert props["sdgxl_form_id"] == r.form_id
        assert props["sdgxl_catalogue_hash"] == kv["catalogue_hash"]
        assert props["sdgxl_agency"] == r.agency
        ids.add(r.form_id)
        data = wb.worksheets[1]
        for row in rows:
            # the hidden key column agrees with the metadata table
            assert data.cell(row=row["row"], column=COL["key"] + 1).value == row["key"]
            ind = cat.indicator(row["indicator"])
            assert row["unit_kind"] in {ind.unit_kind.value, *(c.unit_kind.value for c in ind.components
                                                                if c.unit_kind)}
        # the roadmap hash can be recomputed from the locked cells of the file
        h = hashlib.sha256()
        for row in rows:
            cells = [data.cell(row=row["row"], column=COL[c] + 1).value or ""
                     for c in ("target", "code", "name", "unit", "r2015", "r2020", "r2025", "r2030")]
            h.update("\x1f".join((row["key"], *cells)).encode("utf-8"))
            h.update(b"\x1e")
        assert h.hexdigest()[:16] == kv["roadmap_hash"]
    assert len(ids) == len(results)


def test_roadmap_cells_are_printed_as_in_the_plan(forms):
    _, results = forms
    by = {r.agency: r for r in results}
    wb = openpyxl.load_workbook(by["SLDTBXH"].path)
    ws = wb.worksheets[1]
    _, rows = read_meta(wb)
    row = next(r["row"] for r in rows if r["key"] == "1.1b")
    assert [ws.cell(row=row, column=COL[c] + 1).value for c in ("r2015", "r2020", "r2025", "r2030")] == [
        "9,78", "3,0", None, "2,0"]
    assert ws.cell(row=row, column=COL["code"] + 1).value == "1.1b"


def test_goal_header_rows_and_layout(forms):
    _, results = forms
    by = {r.agency: r for r in results}
    wb = openpyxl.load_workbook(by["SYT"].path)
    ws = wb.worksheets[1]
    first = ws.cell(row=FIRST_ROW + 1, column=1).value
    assert first.startswith("Mục tiêu 2.")
    assert ws.freeze_panes == "E6"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$4:$5"
    assert ws["D7"].font.name == "Times New Roman"
    assert ws["D7"].alignment.wrap_text
    assert ws.column_dimensions["O"].hidden
    assert ws.conditional_formatting, "conditional formats on the input column"
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert any(r.startswith("J6") for r in ranges)


def test_self_check_formulas(forms):
    _, results = forms
    by = {r.agency: r for r in results}
    wb = openpyxl.load_workbook(by["SYT"].path)
    cover = wb.worksheets[0]
    formulas = [c.value for line in cover.iter_rows() for c in line
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("COUNTIF(" in f for f in formulas)
    assert any("SUMPRODUCT(" in f for f in formulas)
    data = wb.worksheets[1]
    f = data["N7"].value
    assert f.startswith('=IF(AND(K7<>"",ISNA(MATCH(K7,{"Có số liệu",') and 'IF(J7=""' in f and "ISNUMBER(J7)" in f
    assert 'CELL("format",J7)' in f  # a percentage row reads a % format as validation does
    # cached values make a fresh form read as "not filled in" without recalculation
    cached = openpyxl.load_workbook(by["SYT"].path, data_only=True)
    assert cached.worksheets[1]["N7"].value == "Chưa nhập"


def test_text_is_nfc(forms):
    _, results = forms
    for r in results[:5]:
        wb = openpyxl.load_workbook(r.path)
        for ws in wb.worksheets:
            for line in ws.iter_rows(values_only=True):
                for v in line:
                    if isinstance(v, str):
                        assert unicodedata.is_normalized("NFC", v)


def test_generation_is_deterministic(tmp_path):
    a = generate_forms(bundled(), YEAR, tmp_path / "a", agencies=["SYT", "SCT"])
    b = generate_forms(bundled(), YEAR, tmp_path / "b", agencies=["SYT", "SCT"])
    for x, y in zip(a, b, strict=True):
        assert x.path.read_bytes() == y.path.read_bytes()


def test_english_forms(tmp_path):
    (res,) = generate_forms(bundled(), YEAR, tmp_path, agencies=["SYT"], lang="en")
    assert res.path.name == f"{YEAR}_SYT_sdg-report.xlsx"
    wb = openpyxl.load_workbook(res.path)
    assert wb.sheetnames == ["Cover", "Indicators", "Target results", META_SHEET]
    assert wb["Target results"]["D6"].value == "Lead"
    ws = wb["Indicators"]
    assert "Has data" in _validation_for(ws, "K7").formula1
    assert ws["D7"].value.startswith("Tỷ lệ")  # indicator names stay as in the catalogue
    assert ws["A6"].value == "Goal 2. End hunger, achieve food security and improved nutrition and promote " \
                             "sustainable agriculture"
    assert res.agency_name == "Department of Health"


def test_successor_agency_gets_the_forms(tmp_path):
    base = bundled()
    cat = Catalogue.model_validate({**base.model_dump(), "successions": [
        Succession(old="SKHDT", new="STC", effective=dt.date(2025, 3, 1)).model_dump()]})
    res = {r.agency: r for r in generate_forms(cat, 2026, tmp_path)}
    assert "SKHDT" not in res
    _, rows = read_meta(openpyxl.load_workbook(res["STC"].path))
    assert {"8.1a", "17.5", "10.4"} <= {r["key"] for r in rows}
    earlier = {r.agency for r in generate_forms(cat, 2024, tmp_path / "old")}
    assert "SKHDT" in earlier


def test_cli_generate(tmp_path):
    proc = run_cli("generate", "--year", "2026", "--out", str(tmp_path), "--agency", "SYT",
                   "--deadline", "2026-11-20")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(tmp_path / "2026_SYT_bao-cao-sdg.xlsx")
    assert read_meta(wb)[0]["deadline"] == "2026-11-20"
    proc = run_cli("generate", "--year", "2026", "--out", str(tmp_path), "--agency", "NOPE")
    assert proc.returncode == 2
    assert_no_traceback(proc)
    assert "NOPE" in proc.stderr
    proc = run_cli("generate", "--year", "2026", "--deadline", "31/02/2026")
    assert proc.returncode == 2 and "cần dd/mm/yyyy" in proc.stderr
    assert_no_traceback(proc)


def test_column_letters_match_the_spec():
    from sdgxl.forms.layout import LETTER

    assert column_index_from_string("J") - 1 == COL["value"]
    assert column_index_from_string("N") - 1 == COL["check"]
    assert column_index_from_string("P") - 1 == COL["flag"]
    assert all(column_index_from_string(LETTER[name]) - 1 == c for name, c in COL.items())


def test_a_dpi_customises_texts_without_code(tmp_path):
    import shutil

    from sdgxl.resources import templates_dir

    custom = tmp_path / "templates"
    shutil.copytree(templates_dir(), custom)
    province = (custom / "province.toml").read_text(encoding="utf-8")
    (custom / "province.toml").write_text(province.replace('province = "Kiên Giang"', 'province = "An Giang"')
                                          .replace("tonghop.skhdt@kiengiang.gov.vn", "sdg@angiang.gov.vn"),
                                          encoding="utf-8")
    texts = (custom / "texts.vi.toml").read_text(encoding="utf-8")
    (custom / "texts.vi.toml").write_text(texts.replace('cover = "Hướng dẫn"', 'cover = "Bìa"'), encoding="utf-8")
    (form,) = generate_forms(bundled(), YEAR, tmp_path / "out", agencies=["SYT"], templates=custom)
    wb = openpyxl.load_workbook(form.path)
    assert wb.sheetnames[0] == "Bìa"
    cover = [c.value for row in wb["Bìa"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "An Giang" in cover and "sdg@angiang.gov.vn" in cover
    # the returned form is still read: its metadata names its own sheets
    from sdgxl.demo.fill import FormFile
    from sdgxl.demo.samples import sample_entries
    from sdgxl.validate import validate_file

    FormFile(form.path).fill(sample_entries(YEAR, "SYT")).save(tmp_path / "back.xlsx")
    assert validate_file(tmp_path / "back.xlsx", bundled(), year=YEAR).valid


def test_an_edited_template_is_seen_by_a_running_process(tmp_path):
    """Templates are parsed once per version of the file: the console's long-running
    xlwings server must see a DPI's edit without a restart."""
    import os
    import shutil

    from sdgxl.resources import templates_dir

    custom = tmp_path / "templates"
    shutil.copytree(templates_dir(), custom)
    (first,) = generate_forms(bundled(), YEAR, tmp_path / "a", agencies=["SYT"], templates=custom)
    styles = custom / "styles.toml"
    text = styles.read_text(encoding="utf-8")
    assert 'font = "Times New Roman"' in text
    styles.write_text(text.replace('font = "Times New Roman"', 'font = "Arial"'), encoding="utf-8")
    st = styles.stat()
    os.utime(styles, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # a later mtime even on coarse clocks
    (second,) = generate_forms(bundled(), YEAR, tmp_path / "b", agencies=["SYT"], templates=custom)

    def fonts(path):
        return {c.font.name for row in openpyxl.load_workbook(path)["Chỉ tiêu"].iter_rows(max_row=8)
                for c in row if c.value is not None}

    assert fonts(first.path) == {"Times New Roman"}
    assert fonts(second.path) == {"Arial"}


def test_a_led_target_is_a_row_of_its_lead_agencys_form(forms):
    """The narrative sheet: a row per target the agency leads (title and the plan's tasks
    locked), then the targets it co-operates on; three wrapped text inputs bounded by a
    data validation; printable; the hidden key column and the metadata name each row."""
    from sdgxl.forms.spec import NARR_MAX

    _, results = forms
    by = {r.agency: r for r in results}
    wb = openpyxl.load_workbook(by["SYT"].path)
    ws = wb["Kết quả mục tiêu"]
    narratives = read_narratives(wb)
    row, role = narratives["3.1"]
    assert role == "lead" and narratives["1.1"][1] == "cooperate"
    assert [t for t, (_, ro) in sorted(narratives.items(), key=lambda kv: kv[1][0]) if ro == "lead"] == [
        "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "3.6", "3.7", "3.8", "3.9", "5.6", "16.6"]
    assert max(r for r, ro in narratives.values() if ro == "lead") < min(
        r for r, ro in narratives.values() if ro == "cooperate")
    assert ws[f"B{row}"].value == "3.1" and ws[f"I{row}"].value == "3.1" and ws[f"D{row}"].value == "Chủ trì"
    assert ws[f"C{row}"].value.startswith("Đến năm 2030, giảm tỷ số tử vong mẹ")
    tasks = ws[f"E{row}"].value
    assert tasks.startswith("- Đẩy mạnh các hoạt động truyền thông - giáo dục sức khỏe")  # the plan, line 421
    assert ws[f"E{row}"].protection.locked and not ws[f"F{row}"].protection.locked
    for col in "FGH":
        cell = ws[f"{col}{row}"]
        assert cell.alignment.wrap_text and cell.number_format == "@"
        dv = _validation_for(ws, f"{col}{row}")
        assert dv.type == "textLength" and dv.operator == "lessThanOrEqual" and dv.formula1 == str(NARR_MAX)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$4:$4" and ws.column_dimensions["I"].hidden
    # SGDDT leads 4.1 but not 3.1; SDL co-operates on some targets; a lead is never a co-operator
    sgddt = read_narratives(openpyxl.load_workbook(by["SGDDT"].path))
    assert sgddt["4.1"][1] == "lead" and "3.1" not in sgddt


def test_no_narrative_sheet_for_an_agency_that_leads_and_cooperates_on_nothing(tmp_path):
    base = bundled().model_dump()
    for t in base["targets"]:
        t["lead_agencies"] = [a for a in t["lead_agencies"] if a != "SDL"] or ["SKHDT"]
        t["cooperating_agencies"] = [a for a in t["cooperating_agencies"] if a != "SDL"]
    cat = Catalogue.model_validate(base)
    (res,) = generate_forms(cat, YEAR, tmp_path, agencies=["SDL"])
    wb = openpyxl.load_workbook(res.path)
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ tiêu", META_SHEET]
    kv, _ = read_meta(wb)
    assert "narrative_sheet" not in kv and read_narratives(wb) == {}
