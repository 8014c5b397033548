"""The 2025 reorganisation as data: successions split by function, the first cycle after the
reform, the receiver and area of each period, and a history that crosses the reform (on
SQLite and on a real PostgreSQL server)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.catalogue.excel import export_xlsx, import_xlsx
from sdgxl.catalogue.load import catalogue_hash, dump_catalogue
from sdgxl.catalogue.models import Catalogue, cycle_date
from sdgxl.collect import collect
from sdgxl.demo.fill import Entry, FormFile
from sdgxl.forms.generate import generate_forms
from sdgxl.ledger import Ledger
from sdgxl.progress.assess import assess
from sdgxl.resources import templates_dir
from tests.conftest import assert_no_traceback, run_cli
from tests.test_generate import read_meta

ABOLISHED = {"SKHDT", "SNNPTNT", "STNMT", "SGTVT", "STTTT", "SLDTBXH", "BDT"}
VN = dt.timezone(dt.timedelta(hours=7))


def keys_of(path: Path) -> set[str]:
    return {r["key"] for r in read_meta(openpyxl.load_workbook(path))[1]}


def before_reform() -> Catalogue:
    """The bundled catalogue as it was before the reform was added (no successions, none of
    the departments only the reform names)."""
    cat = bundled()
    new = {"SNNMT", "SDTTG"}
    return cat.model_copy(update={"successions": [], "agencies": [a for a in cat.agencies if a.id not in new]})


def templates_without_periods(tmp: Path) -> Path:
    out = tmp / "templates"
    shutil.copytree(templates_dir(), out)
    text = (out / "province.toml").read_text(encoding="utf-8")
    (out / "province.toml").write_text(text.split("\n[[period]]")[0], encoding="utf-8")
    return out


def test_2026_forms_go_to_the_successors_by_function(tmp_path):
    forms = {f.agency: f.path for f in generate_forms(bundled(), 2026, tmp_path)}
    assert not ABOLISHED & set(forms)
    assert {"1.1a", "1.1b", "10.1", "13.3", "15.1", "2.4#lua"} <= keys_of(forms["SNNMT"])  # poverty, TN&MT, NN&PTNT
    assert {"8.3", "8.5", "8.8", "5.1"} <= keys_of(forms["SNV"])  # labour, gender equality
    assert "1.1a" not in keys_of(forms["SNV"])
    sgd = keys_of(forms["SGDDT"])
    assert {"4.3#day-nghe", "4.3#dao-tao", "5.7.2", "4.4"} <= sgd  # vocational education
    assert {"8.7#ty-le", "8.7#so-luong", "1.2a"} <= keys_of(forms["SYT"])  # children, social protection
    assert "12.8" in keys_of(forms["SVHTT"]) and {"5.8", "9.5#ho"} <= keys_of(forms["SKHCN"])
    assert {"8.1a", "17.5"} <= keys_of(forms["STC"]) and "9.1a" in keys_of(forms["SXD"])
    # every row of the plan is asked of exactly one agency, as in 2024
    rows_2026 = sorted(k for p in forms.values() for k in keys_of(p))
    forms_2024 = generate_forms(bundled(), 2024, tmp_path / "2024")
    rows_2024 = sorted(k for f in forms_2024 for k in keys_of(f.path))
    assert sorted(set(rows_2026)) == sorted(set(rows_2024))
    assert "SLDTBXH" in {f.agency for f in forms_2024}


def test_2024_forms_are_the_forms_made_before_the_reform_byte_for_byte(tmp_path):
    now = {f.path.name: f.path.read_bytes() for f in generate_forms(bundled(), 2024, tmp_path / "now")}
    before = {f.path.name: f.path.read_bytes() for f in generate_forms(
        before_reform(), 2024, tmp_path / "before", templates=templates_without_periods(tmp_path))}
    assert now == before
    # the 23 forms of values of the plan, and 19 of narratives only (bodies that lead or co-operate
    # on a target and report no indicator: Ban Dân tộc, Cục Thống kê …)
    values = {name for name in now if read_meta(openpyxl.load_workbook(tmp_path / "now" / name))[1]}
    assert len(values) == 23 and len(now) == 23 + 19 and "2024_CTK_bao-cao-sdg.xlsx" in set(now) - values
    assert catalogue_hash(bundled()) == catalogue_hash(before_reform())
    # 2026 is not the same (the check above could not pass by accident)
    a = generate_forms(bundled(), 2026, tmp_path / "a", agencies=["SYT"])[0].path.read_bytes()
    b = generate_forms(before_reform(), 2026, tmp_path / "b", agencies=["SYT"],
                       templates=templates_without_periods(tmp_path / "x"))[0].path.read_bytes()
    assert a != b


def test_forms_from_2025_speak_of_an_giang_and_the_former_kien_giang(tmp_path):
    f26 = generate_forms(bundled(), 2026, tmp_path, agencies=["SYT"])[0].path
    wb = openpyxl.load_workbook(f26)
    cover = {r[1]: r[2] for r in wb.worksheets[0].iter_rows(values_only=True) if r[1] and len(r) > 2}
    assert cover["Tỉnh"] == "An Giang"
    assert cover["Địa bàn"] == "tỉnh Kiên Giang cũ"
    assert cover["Nơi nhận"] == "Sở Tài chính tỉnh An Giang"
    # the period's contact, example values to replace, shown rather than left blank
    assert "tonghop.stc@angiang.example" in cover.values() and "0000 000 000" in cover.values()
    how = [r[1] for r in wb.worksheets[0].iter_rows(values_only=True) if r[1] and "trước hạn" in str(r[1])]
    assert how and "Sở Tài chính tỉnh An Giang" in how[0] and "Kế hoạch và Đầu tư" not in how[0]
    assert read_meta(wb)[0]["area"] == "kien-giang"
    f24 = generate_forms(bundled(), 2024, tmp_path / "24", agencies=["SYT"])[0].path
    wb24 = openpyxl.load_workbook(f24)
    cover24 = {r[1]: r[2] for r in wb24.worksheets[0].iter_rows(values_only=True) if r[1] and len(r) > 2}
    assert cover24["Nơi nhận"] == "Sở Kế hoạch và Đầu tư tỉnh Kiên Giang" and "Địa bàn" not in cover24
    assert "area" not in read_meta(wb24)[0]
    en = generate_forms(bundled(), 2026, tmp_path / "en", agencies=["SYT"], lang="en")[0].path
    cover_en = {r[1]: r[2] for r in openpyxl.load_workbook(en).worksheets[0].iter_rows(values_only=True)
                if r[1] and len(r) > 2}
    assert cover_en["Send to"] == "An Giang Department of Finance"


def test_split_succession_chooses_per_indicator_and_component():
    cat = bundled()
    after, before = cycle_date(2025), cycle_date(2024)
    assert cat.successor("SLDTBXH", before, "1.1a") == "SLDTBXH"
    assert cat.successor("SLDTBXH", after, "1.1a") == "SNNMT"
    assert cat.successor("SLDTBXH", after, "8.3") == "SNV"
    assert cat.successor("SLDTBXH", after) == "SNV"
    assert cat.successor("SLDTBXH", after, "4.3", "day-nghe") == "SGDDT"
    assert cat.successor("SLDTBXH", after, "4.3", "dao-tao") == "SNV"  # only the named component moves
    assert cat.successor("STTTT", after, "12.8") == "SVHTT"
    assert all(s.source for s in cat.successions)
    # data year 2024 is collected in November 2024, before the 1 March 2025 mergers
    assert cycle_date(2024) < dt.date(2025, 3, 1) <= cycle_date(2025)


def test_after_the_reform_a_target_is_led_where_its_indicators_went(tmp_path):
    """An abolished agency's lead follows the target's indicators, not its default successor:
    1.1 (poverty) goes with 1.1a and 1.1b to Nông nghiệp và Môi trường, not to Nội vụ; a
    target whose indicators split is led by every successor that got one; a target with no
    indicator goes to the default successor; co-operators likewise."""
    from tests.test_generate import read_narratives

    cat = bundled()
    roles, before = cat.target_agencies(cycle_date(2026)), cat.target_agencies(cycle_date(2024))
    assert roles["1.1"][0] == ["SNNMT"] and before["1.1"][0] == ["SLDTBXH"]
    assert cat.successor("SLDTBXH", cycle_date(2026)) == "SNV"  # the default successor, which 1.1 does not follow
    assert roles["10.1"][0] == ["SNNMT"] and roles["1.2"][0] == ["SYT"] and roles["8.7"][0] == ["SYT"]
    assert roles["4.3"][0] == ["SNV", "SGDDT"]  # 4.3's vocational part to GD&ĐT, the rest to Nội vụ
    assert roles["5.7"][0] == ["STP", "SDTTG", "HLHPN", "SGDDT"]  # LĐ-TB&XH reported 5.7.2 only
    assert roles["12.8"][0] == ["SVHTT"]  # TT&TT's television, by function
    # no indicator: the default successor (16.2 led by LĐ-TB&XH and the police; 1.3's co-operator)
    assert not cat.target("16.2").has_indicators and roles["16.2"][0] == ["SNV", "CAT"]
    assert not cat.target("1.3").has_indicators and "SNV" in roles["1.3"][1] and "SLDTBXH" in before["1.3"][1]
    # a co-operator that became the lead is not also a co-operator (1.1: NN&PTNT → NN&MT)
    assert "SNNMT" not in roles["1.1"][1] and "SNNPTNT" in before["1.1"][1]
    # the forms say so: 1.1 on NN&MT's narrative sheet as its lead, not on Nội vụ's; 16.2 on Nội vụ's
    forms = {f.agency: f.path for f in generate_forms(cat, 2026, tmp_path, agencies=["SNNMT", "SNV"])}
    snnmt, snv = (read_narratives(openpyxl.load_workbook(forms[a])) for a in ("SNNMT", "SNV"))
    assert snnmt["1.1"][1] == "lead" and snnmt["10.1"][1] == "lead" and "1.1" not in snv
    assert snv["16.2"][1] == "lead" and snv["4.3"][1] == "lead" and snv["1.3"][1] == "cooperate"
    proc = run_cli("agencies", "--year", "2026", "--format", "json")
    import json

    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert "1.1" in rows["SNNMT"]["leads"].split(", ") and "1.1" not in rows["SNV"]["leads"].split(", ")


def test_split_naming_an_unknown_indicator_is_an_error(bundled_json):
    bundled_json["successions"][0]["split"] = [{"new": "STC", "indicators": ["99.9"]}]
    with pytest.raises(ValueError, match=r"99\.9"):
        Catalogue.model_validate(bundled_json)


def test_successions_survive_the_excel_workbook(tmp_path):
    cat = bundled()
    back = import_xlsx(export_xlsx(cat, tmp_path / "c.xlsx"))
    assert dump_catalogue(back) == dump_catalogue(cat)
    lines = [r for r in openpyxl.load_workbook(tmp_path / "c.xlsx")["Thay đổi cơ quan"].iter_rows(values_only=True)]
    assert any(r[0] == "SLDTBXH" and r[1] == "SNNMT" and "1.1a" in str(r[3]) for r in lines)


def test_cli_agencies_by_year():
    proc = run_cli("agencies", "--year", "2024", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert "SLDTBXH" in proc.stdout and "SNNMT" not in proc.stdout
    proc = run_cli("agencies", "--year", "2026", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    import json

    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert not ABOLISHED & set(rows)
    assert "1.1a" in rows["SNNMT"]["codes"] and rows["SNNMT"]["took_over"] == "SLDTBXH, SNNPTNT, STNMT"
    proc = run_cli("agencies", "--year", "2026")
    assert proc.returncode == 0 and "SNNMT" in proc.stdout
    assert_no_traceback(proc)


def _fill(form: Path, inbox: Path, agency: str, year: int, entries: list[Entry]) -> None:
    dst = inbox / agency / form.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    FormFile(form).fill(entries).save(dst)
    ts = dt.datetime(year, 11, 5, 9, tzinfo=VN).timestamp()
    os.utime(dst, (ts, ts))


def test_history_crosses_the_reform(tmp_path, ledger_db):
    """1.1a sent by Sở LĐ-TB&XH for 2024 and by Sở NN&MT for 2025: the ledger keeps who sent
    each, the table and the progress follow the indicator, last year's value is compared
    with the successor's."""
    cat = bundled()
    for year, agency, value in ((2024, "SLDTBXH", 0.9), (2025, "SNNMT", 0.6)):
        form = generate_forms(cat, year, tmp_path / f"f{year}", agencies=[agency])[0].path
        inbox = tmp_path / f"in{year}"
        _fill(form, inbox, agency, year, [Entry("1.1a", value), Entry("1.1b", 7.5 if year == 2024 else 75.0)])
        res = collect(inbox, cat, year=year, out_dir=tmp_path / f"out{year}", db=ledger_db, feedback=False)
        assert res.new  # the other rows are left empty (errors of their own)
    ledger = Ledger(ledger_db)
    try:
        obs = {(o["year"], o["indicator"]): o["agency"] for o in ledger.observations()}
        assert obs[(2024, "1.1a")] == "SLDTBXH" and obs[(2025, "1.1a")] == "SNNMT"
        issues = ledger.issues(2025)
    finally:
        ledger.close()
    # 1.1b went from 7.5 to 75: the year-on-year check sees last year's value across the reform
    assert any(i["indicator"] == "1.1b" and i["code"] == "value-jump" for i in issues), issues
    con = res.consolidation
    assert con is not None
    row = next(r for r in con.rows if r.key == "1.1a")
    assert row.years[2024].value == 0.9 and row.years[2024].agency == "SLDTBXH"
    assert row.years[2025].value == 0.6 and row.years[2025].agency == "SNNMT"
    a = next(x for x in assess(con) if x.key == "1.1a")
    assert a.agencies == ["SNNMT"] and a.latest is not None
    status = {st.agency for st in con.agencies}
    assert "SNNMT" in status and not ABOLISHED & status


def test_a_body_abolished_with_no_successor_gets_no_form_from_its_end(tmp_path):
    """The district People's Committees co-operate on many targets; the district level is gone
    from 1 July 2025, so they get a form (narratives only) in 2024 and none in 2026, and no
    target lists them (nor anyone in their place)."""
    from sdgxl.catalogue.models import cycle_date

    cat = bundled()
    assert cat.agency("UBND_HUYEN").until == dt.date(2025, 7, 1)
    assert "UBND_HUYEN" in cat.form_agencies(cycle_date(2024))
    assert "UBND_HUYEN" not in cat.form_agencies(cycle_date(2026))
    assert "UBND_HUYEN" in cat.target_agencies(cycle_date(2024))["1.1"][1]
    assert not any("UBND_HUYEN" in leads + coops for leads, coops in cat.target_agencies(cycle_date(2026)).values())
    names = {f.path.name for f in generate_forms(cat, 2026, tmp_path)}
    assert not any("UBND_HUYEN" in n for n in names) and len(names) == len(cat.form_agencies(cycle_date(2026)))
