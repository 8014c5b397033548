"""Catalogue files from other provinces: loading, checking, Excel round trip, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from sdgxl.catalogue import Catalogue, Succession, bundled, check_catalogue, load_catalogue
from sdgxl.catalogue.excel import export_xlsx, import_xlsx
from sdgxl.catalogue.load import dump_catalogue
from sdgxl.errors import CatalogueError
from tests.conftest import assert_no_traceback, run_cli


def write(tmp_path, data, name="cat.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_bundled_loads_from_its_file(tmp_path):
    p = tmp_path / "c.json"
    p.write_text(dump_catalogue(bundled()), encoding="utf-8")
    assert load_catalogue(p) == bundled()
    assert check_catalogue(p) == []


def test_json_syntax_error_names_line_and_column(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{\n "id": "x",\n "goals": [\n', encoding="utf-8")
    problems = check_catalogue(p)
    assert len(problems) == 1
    assert problems[0].place("vi").startswith("dòng 4") and problems[0].place("en").startswith("line 4")


def test_invalid_fields_are_all_reported_with_their_place(tmp_path, bundled_json):
    bundled_json["indicators"][4]["unit_kind"] = "phần trăm"
    bundled_json["indicators"][7]["agencies"] = ["SO_KHONG_CO"]
    bundled_json["targets"][0]["priority"] = "MTXX"
    problems = check_catalogue(write(tmp_path, bundled_json))
    places = [p.location for p in problems]
    assert any(w == "indicators › #5 (2.1) › unit_kind" for w in places), places
    assert any(w == "targets › #1 (1.1) › priority" for w in places), places
    assert all(p.message for p in problems)


def test_reference_errors_name_the_row(tmp_path, bundled_json):
    bundled_json["indicators"][7]["agencies"] = ["SO_KHONG_CO"]
    problems = check_catalogue(write(tmp_path, bundled_json))
    assert len(problems) == 1
    assert "SO_KHONG_CO" in problems[0].message
    assert "2.4" in problems[0].message


def test_not_an_object(tmp_path):
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(write(tmp_path, [1, 2]))
    assert exc.value.problems[0].location == "(file)"


def test_cli_check_exit_codes_and_no_traceback(tmp_path, bundled_json):
    good = tmp_path / "good.json"
    good.write_text(dump_catalogue(bundled()), encoding="utf-8")
    proc = run_cli("catalogue", "check", str(good))
    assert proc.returncode == 0, proc.stderr
    assert "110" in proc.stdout
    bundled_json["indicators"][4]["unit_kind"] = "phần trăm"
    proc = run_cli("catalogue", "check", str(write(tmp_path, bundled_json, "bad.json")))
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "indicators › #5 (2.1) › unit_kind" in proc.stderr
    proc = run_cli("catalogue", "check", str(tmp_path / "missing.json"))
    assert proc.returncode == 2
    assert_no_traceback(proc)
    proc = run_cli("catalogue", "check", "--lang", "en", str(write(tmp_path, bundled_json, "bad.json")))
    assert "problem" in proc.stderr


def test_excel_round_trip_is_exact(tmp_path):
    path = export_xlsx(bundled(), tmp_path / "cat.xlsx")
    assert import_xlsx(path) == bundled()


def test_excel_export_is_deterministic(tmp_path):
    a = export_xlsx(bundled(), tmp_path / "a.xlsx").read_bytes()
    b = export_xlsx(bundled(), tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_excel_edits_are_read_back(tmp_path):
    path = export_xlsx(bundled(), tmp_path / "cat.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("roadmap_2025") + 1, value="2,5")  # 1.1b 2025
    wb.save(path)
    cat = import_xlsx(path)
    assert cat.indicator("1.1b").roadmap["2025"].value == 2.5


def test_excel_errors_are_pinned_to_cells(tmp_path):
    path = export_xlsx(bundled(), tmp_path / "cat.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    col = header.index("unit_kind") + 1
    ws.cell(row=6, column=col, value="phần trăm")
    wb["Thành phần"].cell(row=2, column=2, value="Lúa gạo")  # key must be ASCII
    wb.save(path)
    with pytest.raises(CatalogueError) as exc:
        import_xlsx(path)
    places = {p.location for p in exc.value.problems}
    assert f"Chỉ tiêu!{openpyxl.utils.get_column_letter(col)}6" in places
    assert "Thành phần!B2" in places
    proc = run_cli("catalogue", "check", str(path))
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "Thành phần!B2" in proc.stderr


def test_not_a_workbook(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"this is not a zip")
    problems = check_catalogue(p)
    assert problems and "Excel" in problems[0].message


def test_cli_show_json_shape():
    proc = run_cli("catalogue", "show", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"goals", "targets", "indicators", "agencies"} <= set(data)
    ind = next(i for i in data["indicators"] if i["code"] == "1.1b")
    for key in ("code", "target", "name", "unit", "unit_kind", "agencies", "roadmap"):
        assert key in ind
    assert set(ind["roadmap"]) == {"2015", "2020", "2025", "2030"}
    assert ind["roadmap"]["2015"] == {"text": "9,78", "kind": "number", "value": 9.78}
    assert ind["roadmap"]["2025"]["kind"] == "empty"


def test_cli_show_filters_and_csv():
    proc = run_cli("catalogue", "show", "--agency", "SYT", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows and all("SYT" in r["agencies"] for r in rows)
    assert {r["code"] for r in rows} >= {"2.1", "3.1a", "16.6"}
    proc = run_cli("catalogue", "show", "--goal", "17", "--format", "json")
    data = json.loads(proc.stdout)
    assert [t["code"] for t in data["targets"]] == ["17.2", "17.3", "17.4", "17.5"]
    proc = run_cli("catalogue", "show", "--goal", "99")
    assert proc.returncode == 2
    assert_no_traceback(proc)
    proc = run_cli("catalogue", "show", "--goal", "1")
    assert proc.returncode == 0 and "9,78" in proc.stdout


def test_cli_agencies():
    proc = run_cli("agencies", "--format", "json")
    rows = json.loads(proc.stdout)
    ids = [r["id"] for r in rows]
    assert "SYT" in ids and "HDND" not in ids  # HĐND leads a target but reports no indicator
    assert sum(r["indicators"] for r in rows) >= 120


# --------------------------------------------------------------------------- successions
def with_successions(*items: tuple[str, str, str]) -> Catalogue:
    cat = bundled()
    return Catalogue.model_validate({
        **cat.model_dump(),
        "successions": [Succession(old=o, new=n, effective=dt.date.fromisoformat(d)).model_dump()
                        for o, n, d in items],
    })


def test_succession_moves_forms_to_the_successor_from_its_date():
    cat = with_successions(("SKHDT", "STC", "2025-03-01"), ("SLDTBXH", "SNV", "2025-03-01"))
    assert cat.successor("SKHDT", dt.date(2024, 11, 15)) == "SKHDT"
    assert cat.successor("SKHDT", dt.date(2026, 11, 15)) == "STC"
    after = cat.reporting_agencies(dt.date(2026, 11, 15))
    assert "SKHDT" not in after and "SLDTBXH" not in after and "SNV" in after
    assert "SKHDT" in cat.reporting_agencies(dt.date(2024, 11, 15))
    stc = {i.code for i in cat.indicators_for("STC", dt.date(2026, 11, 15))}
    assert {"8.1a", "12.7a", "10.4"} <= stc
    # history stays attributed to the agency that reported then
    assert cat.indicator("8.1a").agencies == ["SKHDT"]


def test_succession_chains_and_loops():
    cat = with_successions(("SKHDT", "STC", "2025-03-01"), ("STC", "SNV", "2027-01-01"))
    assert cat.successor("SKHDT", dt.date(2028, 1, 1)) == "SNV"
    loop = with_successions(("SKHDT", "STC", "2025-03-01"), ("STC", "SKHDT", "2025-03-01"))
    with pytest.raises(ValueError, match="loops"):
        loop.successor("SKHDT", dt.date(2026, 1, 1))


def test_succession_to_unknown_agency_is_an_error(bundled_json, tmp_path):
    bundled_json["successions"] = [{"old": "SKHDT", "new": "SO_MOI", "effective": "2025-03-01"}]
    problems = check_catalogue(write(tmp_path, bundled_json))
    assert problems and "SO_MOI" in problems[0].message


def test_published_json_schema_is_current():
    """docs/catalogue.schema.json is what `sdgxl catalogue schema` prints (regenerate it when the models change)."""
    from tests.conftest import ROOT

    proc = run_cli("catalogue", "schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == json.loads((ROOT / "docs" / "catalogue.schema.json").read_text(encoding="utf-8"))


def test_output_redirected_to_a_non_utf8_stream_keeps_its_diacritics():
    """Windows sends redirected output (``sdgxl agencies > list.txt``) through the ANSI code
    page, which has no room for Vietnamese; sdgxl writes UTF-8 instead of crashing."""
    proc = subprocess.run([sys.executable, "-m", "sdgxl", "agencies"], capture_output=True,
                          env={**os.environ, "PYTHONIOENCODING": "cp1252", "COLUMNS": "200"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")
    assert "Sở Lao động - Thương binh và Xã hội" in text and "Traceback" not in text


def test_workers_parse_a_catalogue_file_once_per_version(tmp_path):
    """Workers validate an inbox batch by batch: the catalogue file is parsed once, and
    again only when it changes."""
    from sdgxl.catalogue.load import BUNDLED_PATH, load_catalogue_once

    path = tmp_path / "catalogue.json"
    path.write_bytes(BUNDLED_PATH.read_bytes())
    first = load_catalogue_once(path)
    assert load_catalogue_once(str(path)) is first
    data = json.loads(path.read_text(encoding="utf-8"))
    data["id"] = data["id"] + "-v2"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))  # a new version, whatever the clock says
    second = load_catalogue_once(path)
    assert second is not first and second.id == first.id + "-v2"
    assert load_catalogue_once(None) is bundled()


def test_check_reports_every_problem_at_its_cell(tmp_path):
    """An empty direction is named at its cell (Chỉ tiêu!L6 style), also beside a schema error."""
    from sdgxl.catalogue.load import check_catalogue_file

    path = export_xlsx(bundled(), tmp_path / "cat.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    dcol = openpyxl.utils.get_column_letter(header.index("direction") + 1)
    code = ws.cell(row=6, column=header.index("code") + 1).value
    ws[f"{dcol}6"] = None
    wb.save(path)
    cat, problems = check_catalogue_file(path)
    assert cat is not None and [p for p in problems if p.key == "cat_no_direction"] \
        and {p.location for p in problems if p.key == "cat_no_direction"} == {f"Chỉ tiêu!{dcol}6 ({code})"}
    proc = run_cli("catalogue", "check", "--lang", "en", str(path))
    assert proc.returncode == 1 and f"Chỉ tiêu!{dcol}6" in proc.stderr and "no direction" in proc.stderr
    # and with a schema error elsewhere in the file: both reported
    wb = openpyxl.load_workbook(path)
    wb["Chỉ tiêu"].cell(row=8, column=header.index("unit_kind") + 1, value="phần trăm")
    wb.save(path)
    cat, problems = check_catalogue_file(path)
    assert cat is None and {p.key for p in problems} >= {"cat_invalid", "cat_no_direction"}
    proc = run_cli("catalogue", "check", "--lang", "en", str(path))
    assert_no_traceback(proc)
    assert proc.returncode == 1 and f"Chỉ tiêu!{dcol}6" in proc.stderr and "unit_kind" not in proc.stdout
    ucol = openpyxl.utils.get_column_letter(header.index("unit_kind") + 1)
    assert f"Chỉ tiêu!{ucol}8" in proc.stderr


def test_check_json_reports_a_missing_direction_beside_schema_errors(tmp_path, bundled_json):
    from sdgxl.catalogue.load import check_catalogue_file

    data = json.loads(json.dumps(bundled_json))
    del data["indicators"][3]["direction"]
    data["indicators"][5]["unit_kind"] = "phần trăm"
    cat, problems = check_catalogue_file(write(tmp_path, data))
    assert cat is None
    assert any(p.key == "cat_no_direction" and "#4" in str(p.location) for p in problems)
    assert any(p.key == "cat_invalid" and "#6" in str(p.location) for p in problems)
