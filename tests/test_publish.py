"""Publishing: the Open SDG data folder, SDMX-CSV read back with pysdmx against a data
structure fixture, and the crosswalk's checks (position and reason, in both languages)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdgxl.catalogue import bundled
from sdgxl.consolidate import Cell, Consolidation, ProvincialRow
from sdgxl.outputs.opensdg import COMPONENT_COLUMN, open_sdg_id, open_sdg_ids, write_open_sdg
from sdgxl.outputs.sdmx import ATTRIBUTES, DIMENSIONS, write_sdmx_csv
from sdgxl.progress.assess import assess
from tests.conftest import assert_no_traceback, run_cli

FIXTURE = Path(__file__).parent / "sdmx" / "sdg-dsd-fixture.xml"


def _cat():
    return bundled().model_copy(update={"id": "test"})


def _row(cat, code, values, comp=None, status="has_data", note=None, source="Báo cáo"):
    ind = cat.indicator(code)
    c = next(x for x in ind.components if x.key == comp) if comp else None
    r = ProvincialRow(ind, c, code if c is None else f"{code}#{comp}")
    for y, v in values.items():
        r.years[y] = Cell(v, None if v is not None else "text", status, source, note, "X", 1, "f.xlsx", "A1")
    return r


def _con(rows, cat=None):
    cat = cat or _cat()
    years = sorted({y for r in rows for y in r.years})
    return Consolidation(cat, max(years), years, rows, [], [], [], [], dt.date(2025, 11, 15))


@pytest.fixture
def small():
    cat = _cat()
    rows = [_row(cat, "16.8", {2023: 97.0, 2024: 98.5, 2025: 99.0}, status="estimate", note='=HYPERLINK("x")'),
            _row(cat, "1.1b", {2024: 3.1, 2025: 2.9}),
            _row(cat, "3.9", {2024: 40.0}, "nam"), _row(cat, "3.9", {2024: 2.0}, "nu"),
            _row(cat, "2.4", {2024: 2.0, 2025: 2.5}, "lua"), _row(cat, "2.4", {2024: 2.5}, "rau"),
            _row(cat, "3.4", {2025: None})]  # a text answer: not a value
    return _con(rows, cat)


# --------------------------------------------------------------------------- Open SDG
def test_open_sdg_ids_three_numeric_parts_and_unique():
    assert open_sdg_id("1.1a") == "1-1-1"
    assert open_sdg_id("12.4b") == "12-4-2"
    assert open_sdg_id("5.7.1") == "5-7-1"
    assert open_sdg_id("1.4") == "1-4-1"
    ids = open_sdg_ids(bundled())
    assert len(set(ids.values())) == len(ids) == len(bundled().indicators)
    assert all(len(i.split("-")) == 3 and all(p.isdigit() for p in i.split("-")) for i in ids.values())


def test_open_sdg_ids_that_clash_are_refused():
    from sdgxl.errors import SdgxlError

    cat = bundled()
    twin = cat.indicator("1.1a").model_copy(update={"code": "1.1.1"})  # 1.1a and 1.1.1 both give 1-1-1
    bad = cat.model_copy(update={"indicators": [*cat.indicators, twin]})
    with pytest.raises(SdgxlError) as exc:
        open_sdg_ids(bad)
    assert exc.value.text("en") == ("Indicators 1.1a and 1.1.1 both give the Open SDG id 1-1-1: change one code "
                                    "in the catalogue")
    assert "cùng ra mã Open SDG 1-1-1" in exc.value.text("vi")


def _check_csv(path: Path) -> list[dict[str, str]]:
    """The format rules of open-sdg's docs/data-format.md and sdg-build's check_csv."""
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    lines = text.split("\n")
    assert lines[-1] == "" and all(line.strip() for line in lines[:-1]), "no empty rows"
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    assert head[0] == "Year" and head[-1] == "Value"
    if "GeoCode" in head:
        assert head[-2] == "GeoCode"
    for row in rows[1:]:
        assert len(row) == len(head)
        assert all(cell == cell.strip() for cell in row), "no surrounding whitespace"
        assert row[0].isdigit()
        assert math.isfinite(float(row[-1])), "numeric values only"
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


def test_open_sdg_folder_follows_the_format(small, tmp_path):
    res = write_open_sdg(small, assess(small), tmp_path, area_code="91")
    data = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert data == ["indicator_1-1-2.csv", "indicator_16-8-1.csv", "indicator_2-4-1.csv", "indicator_3-9-1.csv"]
    assert res.rows == 3 + 2 + 3 + 2 + 2  # + the plan's 2015 base of 16.8 and 1.1b (sdgxl measures from it)
    births = _check_csv(tmp_path / "data" / "indicator_16-8-1.csv")
    base = small.catalogue.indicator("16.8").roadmap["2015"].value
    assert [(r["Year"], r["GeoCode"], r["Value"]) for r in births] == [
        ("2015", "91", f"{base:g}"), ("2023", "91", "97"), ("2024", "91", "98.5"), ("2025", "91", "99")]
    crops = _check_csv(tmp_path / "data" / "indicator_2-4-1.csv")
    assert list(crops[0]) == ["Year", COMPONENT_COLUMN, "GeoCode", "Value"]
    assert {r[COMPONENT_COLUMN] for r in crops} == {"Lúa", "Rau"}
    # every indicator has a config and metadata, with or without data
    assert len(list((tmp_path / "indicator-config").glob("*.yml"))) == len(small.catalogue.indicators)
    cfg = yaml.safe_load((tmp_path / "indicator-config" / "16-8-1.yml").read_text(encoding="utf-8"))
    assert cfg["reporting_status"] == "complete" and cfg["graph_type"] == "line"
    assert cfg["indicator_name"] == "global_indicators.16-8-1-title"
    assert cfg["graph_target_lines"] == [{"value": 100, "label_content": "2030"}]  # the roadmap's 2030 value
    none = yaml.safe_load((tmp_path / "indicator-config" / "1-4-1.yml").read_text(encoding="utf-8"))
    assert none["reporting_status"] == "notstarted" and none["auto_progress_calculation"] is False
    # the framework's own names, in both languages
    vi = yaml.safe_load((tmp_path / "translations" / "vi" / "global_indicators.yml").read_text(encoding="utf-8"))
    assert vi["16-8-1-title"] == small.catalogue.indicator("16.8").name
    goals_en = yaml.safe_load((tmp_path / "translations" / "en" / "global_goals.yml").read_text(encoding="utf-8"))
    assert goals_en["1-title"] == "End poverty in all its forms everywhere"
    targets = yaml.safe_load((tmp_path / "translations" / "vi" / "global_targets.yml").read_text(encoding="utf-8"))
    assert targets["8-10-title"] == small.catalogue.target("8.10").title
    meta = yaml.safe_load((tmp_path / "meta" / "16-8-1.yml").read_text(encoding="utf-8"))
    assert meta["sdgxl_code"] == "16.8"
    assert {(m["scheme"], m["code"]) for m in meta["crosswalk"]} == {("vn2019", "16.8.1"), ("global", "16.9.1")}


def test_progress_options_agree_with_sdgxl(small, tmp_path):
    from sdgxl.progress.assess import flatten

    found = assess(small)
    assessments = {a.key: a for a in flatten(found)}
    write_open_sdg(small, found, tmp_path, area_code="X")
    cfg = yaml.safe_load((tmp_path / "indicator-config" / "2-4-1.yml").read_text(encoding="utf-8"))
    assert cfg["auto_progress_calculation"] is True
    opts = {o["disaggregation"][0]["value"]: o for o in cfg["progress_calculation_options"]}
    lua = assessments["2.4#lua"]
    assert lua.final is not None
    assert opts["Lúa"]["target"] == lua.final.value and opts["Lúa"]["target_year"] == lua.final.year >= 2030
    assert opts["Lúa"]["direction"] == ("positive" if lua.direction == 1 else "negative")
    assert "Rau" not in opts  # one point: sdgxl cannot assess it, so Open SDG is not asked to
    # 1.1b: sdgxl measures from the plan's 2015 base (9,78), so the CSV starts there too
    poor = yaml.safe_load((tmp_path / "indicator-config" / "1-1-2.yml").read_text(encoding="utf-8"))
    assert poor["progress_calculation_options"] == [
        {"direction": "negative", "base_year": 2015, "target_year": 2030, "target": 2}]
    rows = _check_csv(tmp_path / "data" / "indicator_1-1-2.csv")
    assert [(r["Year"], r["Value"]) for r in rows] == [("2015", "9.78"), ("2024", "3.1"), ("2025", "2.9")]


def _every_series(cat):
    """Three reported years for every numeric series of the catalogue (falling, then rising)."""
    rows = []
    for ind in cat.indicators:
        if ind.unit_kind.value == "qualitative":
            continue
        for comp in ind.components or [None]:
            rows.append(_row(cat, ind.code, {2024: 40.0, 2025: 30.0, 2026: 45.0}, comp.key if comp else None))
    return _con(rows, cat)


def test_every_progress_option_is_sdgxls_assessment(tmp_path):
    """For every config: base year, target, target year and direction are those sdgxl's own
    assessment uses (the base its report shows, the plan's aim and its year), the target line
    is the same value, and the base year's value is in the CSV."""
    from sdgxl.progress.assess import flatten

    con = _every_series(_cat())
    found = assess(con)
    by_key = {a.key: a for a in flatten(found)}
    write_open_sdg(con, found, tmp_path, area_code="91")
    ids = open_sdg_ids(con.catalogue)
    sex = {"nam": "Male", "nu": "Female"}  # 3.9's components: Open SDG's Sex column
    checked = zero = 0
    for ind in con.catalogue.indicators:
        path = tmp_path / "indicator-config" / f"{ids[ind.code]}.yml"
        text = path.read_text(encoding="utf-8")
        cfg = yaml.safe_load(text)
        csv_path = tmp_path / "data" / f"indicator_{ids[ind.code]}.csv"
        data = _check_csv(csv_path) if csv_path.exists() else []
        for opt in cfg.get("progress_calculation_options", []):
            key = ind.code
            if "disaggregation" in opt:
                label = opt["disaggregation"][0]["value"]
                key += "#" + next(c.key for c in ind.components if label in (c.label.strip(), sex.get(c.key)))
            a = by_key[key]
            assert a.base is not None and a.direction is not None
            assert opt["base_year"] == a.base[0], key
            assert opt["direction"] == ("positive" if a.direction > 0 else "negative"), key
            mine = [r for r in data if "disaggregation" not in opt
                    or r[opt["disaggregation"][0]["field"]] == opt["disaggregation"][0]["value"]]
            assert any(int(r["Year"]) == a.base[0] and float(r["Value"]) == a.base[1] for r in mine), key
            if a.final is None:
                assert "target" not in opt and "target_year" not in opt, key
                continue
            assert opt["target"] == a.final.value, key
            due = a.final.year if a.final.year > a.base[0] else a.latest[0]
            assert opt["target_year"] == due, key
            assert opt["target_year"] >= 2026 or a.final.year < 2026, key  # never before the data but the plan's
            if a.final.year < 2026:
                assert f"target_year {opt['target_year']}" in text, key  # ... and then the config says so
            if opt["target"] == 0:
                zero += 1
                assert "# target 0" in text, key
            if a.direction_name != "maintain":
                dis = opt["disaggregation"][0]["value"] if "disaggregation" in opt else None
                lines = [t["value"] for t in cfg["graph_target_lines"]
                         if dis is None or t["label_content"].endswith(dis) or ":" not in t["label_content"]]
                assert opt["target"] in lines, key
            checked += 1
    assert checked > 60 and zero >= 1


def test_open_sdg_is_deterministic_and_heals(small, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_open_sdg(small, assess(small), a, area_code="X")
    stale = a / "data" / "indicator_9-9-9.csv"
    stale.write_text("Year,Value\n", encoding="utf-8")
    write_open_sdg(small, assess(small), a, area_code="X")
    write_open_sdg(small, assess(small), b, area_code="X")
    assert not stale.exists()
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60))
def test_agency_text_stays_one_yaml_string(tmp_path_factory, text):
    from sdgxl.catalogue.views import filter_catalogue

    cat = filter_catalogue(_cat(), goal=16)  # a small catalogue: 40 folders are written
    con = _con([_row(cat, "16.8", {2024: 98.0, 2025: 99.0}, source=text)], cat)
    out = tmp_path_factory.mktemp("y")
    write_open_sdg(con, assess(con), out, area_code="X")
    meta = yaml.safe_load((out / "meta" / "16-8-1.yml").read_text(encoding="utf-8"))
    assert meta["data_sources"] == ([text.strip()[:500]] if text.strip() else [])


def test_every_csv_column_and_unit_has_an_english_name(tmp_path):
    """The English site: every disaggregation column and value, every unit (the CSVs' Units,
    computation_units) is a key of translations/en/data.yml with English words; a component
    that is a sex is Open SDG's Sex column (Male / Female)."""
    from sdgxl.outputs.opensdg import SEX_COLUMN, UNITS_EN, unit_key

    cat = _cat()
    con = _every_series(cat)
    write_open_sdg(con, assess(con), tmp_path, area_code="91")
    en = yaml.safe_load((tmp_path / "translations" / "en" / "data.yml").read_text(encoding="utf-8"))
    vi = yaml.safe_load((tmp_path / "translations" / "vi" / "data.yml").read_text(encoding="utf-8"))

    def english(word):
        return all(ch.isascii() or not ch.isalpha() for ch in word)

    seen_units = 0
    for path in sorted((tmp_path / "data").glob("indicator_*.csv")):
        rows = _check_csv(path)
        head = list(rows[0])
        for col in head[1:-2]:  # between Year and GeoCode, Value
            assert col == "Units" or (col in en and english(en[col]) and col in vi), (path.name, col)
            for r in rows:
                value = r[col]
                assert value in en and english(en[value]) and value in vi, (path.name, col, value)
                seen_units += col == "Units"
    for cfg_path in (tmp_path / "indicator-config").glob("*.yml"):
        cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
        if "computation_units" in cfg:
            group, _, key = cfg["computation_units"].partition(".")
            assert group == "data" and "." not in key and english(en[key]) and key in vi, cfg_path.name
    assert seen_units > 0
    sex = _check_csv(tmp_path / "data" / "indicator_3-9-1.csv")
    assert list(sex[0]) == ["Year", SEX_COLUMN, "GeoCode", "Value"]
    assert {r[SEX_COLUMN] for r in sex} == {"Male", "Female"}
    assert (vi["Male"], vi["Female"], vi[SEX_COLUMN], en[SEX_COLUMN]) == ("Nam", "Nữ", "Giới tính", "Sex")
    assert en["tan-per-nguoi"] == "Tonnes per person" and vi["tan-per-trieu-dong"] == "tấn/triệu đồng"
    # every unit of the plan has sdgxl's English, and the table has nothing else
    units = {unit_key(u.strip()) for i in cat.indicators for u in [i.unit or "", *(c.unit or "" for c in i.components)]
             if u.strip()}
    assert units == set(UNITS_EN)


def _text_row(cat, code, texts):
    ind = cat.indicator(code)
    r = ProvincialRow(ind, None, code)
    for y, text in texts.items():
        r.years[y] = Cell(None, text, "has_data", "Báo cáo", None, "X", 1, "f.xlsx", "A1")
    return r


def test_text_answers_are_published_as_non_statistical_pages(tmp_path):
    """3.4, 8.10, 10.6 are reported as text: each page is "complete", non-statistical, and shows
    the latest answer (page_content, Open SDG docs/metadata-format.md), escaped."""
    from markdown_it import MarkdownIt

    cat = _cat()
    con = _con([_text_row(cat, "3.4", {2024: "Đã ban hành kế hoạch", 2026: "Đã <b>triển khai</b> [x](y) *đủ*"}),
                _text_row(cat, "8.10", {2025: "Có"}), _row(cat, "1.1b", {2024: 3.1, 2025: 2.9})], cat)
    write_open_sdg(con, assess(con), tmp_path, area_code="91")
    ids = open_sdg_ids(cat)
    for code, want in (("3.4", "2026: Đã <b>triển khai</b> [x](y) *đủ*"), ("8.10", "2025: Có")):
        cfg = yaml.safe_load((tmp_path / "indicator-config" / f"{ids[code]}.yml").read_text(encoding="utf-8"))
        assert cfg["reporting_status"] == "complete" and cfg["data_non_statistical"] is True, code
        rendered = MarkdownIt().render(cfg["page_content"])  # an indicator-config field (metadata-format.md)
        assert rendered.count("<") == 4 and "<strong>" in rendered  # <p>, </p> and sdgxl's own bold year
        assert html.unescape(re.sub(r"</?(p|strong)>", "", rendered)).strip() == want
    assert not (tmp_path / "data" / f"indicator_{ids['3.4']}.csv").exists()
    none = yaml.safe_load((tmp_path / "indicator-config" / f"{ids['10.6']}.yml").read_text(encoding="utf-8"))
    assert none["reporting_status"] == "notstarted"  # nothing sent: not started


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn"), blacklist_characters="\ufeff")
               | st.sampled_from(" \t\n\r"), max_size=80))
def test_a_text_answer_is_literal_markdown(text):  # (control characters become spaces: tested in the YAML test)
    from markdown_it import MarkdownIt

    from sdgxl.outputs.opensdg import markdown_text

    flat = " ".join(text.split())
    rendered = MarkdownIt().render(markdown_text(text))
    if not flat:
        assert rendered == ""
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n") and rendered.count("<") == 2
    assert html.unescape(rendered[3:-5]) == flat


# --------------------------------------------------------------------------- SDMX-CSV
def _codes(component) -> set[str]:
    return {c.id for c in component.enumeration}


@pytest.mark.parametrize("version", [1, 2])
def test_sdmx_csv_reads_back_against_the_structure(small, tmp_path, version):
    from pysdmx.io import get_datasets

    path = tmp_path / f"v{version}.csv"
    res = write_sdmx_csv(small, path, version=version, area_code="91")
    first = path.read_text(encoding="utf-8").split("\n")[0].split(",")
    assert first[:1 if version == 1 else 3] == (["DATAFLOW"] if version == 1 else ["STRUCTURE", "STRUCTURE_ID",
                                                                                   "ACTION"])
    assert (res.global_obs, res.provincial_obs) == (3, 7)
    datasets = {d.short_urn: d for d in get_datasets(str(path), str(FIXTURE))}
    assert set(datasets) == {"Dataflow=IAEG-SDGs:DF_SDG_GLC(1.0)", "Dataflow=SDGXL:DF_SDG_PROV_TEST(1.0)"}
    for ds in datasets.values():
        schema = ds.structure
        df = ds.data
        for comp in schema.components:
            if comp.id in DIMENSIONS or (comp.id in ATTRIBUTES and comp.enumeration):
                assert comp.id in df.columns
                assert set(df[comp.id]) <= _codes(comp), (comp.id, set(df[comp.id]) - _codes(comp))
    glob = datasets["Dataflow=IAEG-SDGs:DF_SDG_GLC(1.0)"].data
    assert set(glob["SERIES"]) == {"SG_REG_BRTH"} and set(glob["AGE"]) == {"Y0T4"}  # from the crosswalk
    assert set(glob["OBS_STATUS"]) == {"E"}  # the data status "estimate"
    assert set(glob["COMMENT_OBS"]) == {"'=HYPERLINK(\"x\")"}  # the note, kept as text
    prov = datasets["Dataflow=SDGXL:DF_SDG_PROV_TEST(1.0)"].data
    smoking = prov[prov["SERIES"] == "PROV_3_9"]
    assert dict(zip(smoking["SEX"], smoking["OBS_VALUE"].astype(float), strict=True)) == {"M": 40.0, "F": 2.0}
    assert set(prov["SERIES"]) == {"PROV_1_1B", "PROV_2_4_LUA", "PROV_2_4_RAU", "PROV_3_9"}
    assert set(prov["OBS_STATUS"]) == {"A"} and set(prov["SEX"]) - {"M", "F"} == {"_T"}
    assert set(glob["NATURE"]) == set(prov["NATURE"]) == {"C"}  # IAEG-SDGs:CL_NATURE "Country Data"


def test_sdmx_units_and_multipliers_read_back_against_the_code_lists(tmp_path):
    from pysdmx.io import get_datasets

    cat = _cat()
    con = _con([_row(cat, "9.1a", {2024: 12.5}), _row(cat, "17.5", {2024: 830.0}), _row(cat, "4.5", {2024: 0.7}),
                _row(cat, "2.3", {2024: 61.2}),
                _row(cat, "6.6", {2024: 1100.0}), _row(cat, "3.2b", {2024: 0.9})], cat)
    path = tmp_path / "u.csv"
    write_sdmx_csv(con, path, version=2, area_code="91")
    (ds,) = get_datasets(str(path), str(FIXTURE))
    comps = {c.id: c for c in ds.structure.components}
    df = ds.data
    got = {(s, u, str(m)) for s, u, m in zip(df["SERIES"], df["UNIT_MEASURE"], df["UNIT_MULT"], strict=True)}
    assert got == {("PROV_9_1A", "T_KM", "6"), ("PROV_17_5", "CUR_LCU", "9"), ("PROV_4_5", "IX", "0"),
                   ("PROV_6_6", "HA", "0"), ("PROV_3_2B", "PER_1000_POP", "0"), ("PROV_2_3", "CUR_LCU", "6")}
    for attr in ("UNIT_MEASURE", "UNIT_MULT", "NATURE", "OBS_STATUS"):
        assert {str(v) for v in df[attr]} <= _codes(comps[attr]), attr


def test_area_code_must_be_a_code(tmp_path):
    import shutil

    from sdgxl.errors import UsageError
    from sdgxl.outputs.sdmx import publish_settings
    from sdgxl.resources import templates_dir

    shutil.copytree(templates_dir(None), tmp_path / "t")
    toml = tmp_path / "t" / "province.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count('area_code = "91"') == 2  # [publish] and the 2025 period's [period.publish]
    toml.write_text(text.replace('area_code = "91"', 'area_code = "Kiên Giang"', 1), encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        publish_settings(tmp_path / "t")
    assert "area_code = 'Kiên Giang'" in exc.value.text("en") and exc.value.exit_code == 2
    codes, agency = publish_settings()
    assert (codes(2018), codes(2024), codes(2025), codes(2030), agency) == ("91", "91", "91", "91", "SDGXL")


def test_sdmx_csv_is_deterministic(small, tmp_path):
    write_sdmx_csv(small, tmp_path / "a.csv", version=2, area_code="X")
    write_sdmx_csv(small, tmp_path / "b.csv", version=2, area_code="X")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


# --------------------------------------------------------------------------- the crosswalk
def test_bundled_crosswalk_is_sourced():
    cat = bundled()
    maps = [(i.code, m) for i in cat.indicators for m in i.crosswalk]
    assert len(maps) >= 20
    assert all(m.source.strip() for _, m in maps)
    assert all(m.series is None for _, m in maps if m.relation != "exact")
    exact = {c: m.series for c, m in maps if m.scheme == "global" and m.series}
    assert exact["16.8"] == "SG_REG_BRTH" and exact["3.1b"] == "SH_DYN_MORT"
    assert [c.dimensions for c in cat.indicator("3.9").components] == [{"SEX": "M"}, {"SEX": "F"}]


def _bad_catalogue(bundled_json):
    inds = bundled_json["indicators"]
    idx = {d["code"]: n for n, d in enumerate(inds)}
    inds[idx["1.2a"]]["crosswalk"] = [
        {"scheme": "global", "code": "3.2", "relation": "exact", "source": "UN"},  # malformed code
        {"scheme": "vn2019", "code": "1.1.1", "relation": "same", "source": "TT 03"},  # unknown relation
        {"scheme": "vn2025", "code": "1.1.1", "relation": "proxy"}]  # no source
    inds[idx["1.4"]]["crosswalk"] = [
        {"scheme": "vn2019", "code": "1.1.2", "relation": "exact", "source": "a"},
        {"scheme": "vn2019", "code": "1.1.2", "relation": "proxy", "source": "b"}]  # duplicate
    return bundled_json


def test_crosswalk_check_json_positions_and_reasons(bundled_json, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bad_catalogue(bundled_json), ensure_ascii=False), encoding="utf-8")
    vi = run_cli("catalogue", "check", str(path))
    en = run_cli("catalogue", "check", str(path), "--lang", "en")
    assert_no_traceback(vi)
    assert vi.returncode == en.returncode == 1
    err_vi, err_en = vi.stderr, en.stderr
    assert "indicators › #3 (1.2a) › crosswalk › #1 (3.2): mã global '3.2' sai dạng" in err_vi
    assert "malformed global code '3.2'" in err_en
    assert "#3 (1.2a) › crosswalk › #2 (1.1.1): quan hệ 'same' không có" in err_vi
    assert "unknown relation 'same'" in err_en
    assert "#3 (1.2a) › crosswalk › #3 (1.1.1): thiếu nguồn" in err_vi
    assert "no source" in err_en
    assert "#4 (1.4) › crosswalk: đối chiếu #2 trùng với #1 (vn2019 1.1.2)" in err_vi
    assert "mapping #2 repeats #1 (vn2019 1.1.2)" in err_en


def test_crosswalk_in_the_workbook(tmp_path):
    import openpyxl

    from sdgxl.catalogue.excel import export_xlsx, import_xlsx
    from sdgxl.errors import CatalogueError

    cat = bundled()
    path = export_xlsx(cat, tmp_path / "cat.xlsx")
    assert import_xlsx(path) == cat  # the crosswalk survives the round trip
    wb = openpyxl.load_workbook(path)
    ws = wb["Đối chiếu"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    to_complete = {r[0] for r in rows if r[1] is None}
    assert "1.2a" in to_complete  # unmapped indicators have a row for the planner
    assert len({r[0] for r in rows}) == len(cat.indicators)
    births = next(n for n, r in enumerate(rows, start=2) if r[0] == "16.8" and r[1] == "global")
    ws.cell(births, 4).value = "equal"
    blank = next(n for n, r in enumerate(rows, start=2) if r[0] == "1.2a")
    ws.cell(blank, 2).value, ws.cell(blank, 3).value, ws.cell(blank, 4).value = "vn2019", "1.2", "exact"
    ws.cell(blank, 8).value = "Thông tư 03/2019/TT-BKHĐT"
    other = next(n for n, r in enumerate(rows, start=2) if r[0] == "1.4")
    ws.cell(other, 2).value, ws.cell(other, 3).value, ws.cell(other, 4).value = "vn2025", "1.2.1", "proxy"
    wb.save(tmp_path / "edited.xlsx")
    with pytest.raises(CatalogueError) as exc:
        import_xlsx(tmp_path / "edited.xlsx")
    where = {p.location: (p.text("vi"), p.text("en")) for p in exc.value.problems}
    assert where[f"Đối chiếu!D{births}"] == ("quan hệ 'equal' không có (chỉ có: exact, proxy, partial)",
                                             "unknown relation 'equal' (known: exact, proxy, partial)")
    assert where[f"Đối chiếu!C{blank}"][1] == "malformed vn2019 code '1.2' (expected like 3.1.4)"
    assert where[f"Đối chiếu!H{other}"] == ("thiếu nguồn: ghi rõ đối chiếu này lấy từ văn bản nào",
                                            "no source: say where this mapping was read")
    assert len(exc.value.problems) == 3


def test_crosswalk_global_codes_are_checked_at_their_cell(tmp_path):
    """A global mapping's series, dimension codes and unit are checked against the code lists
    sdgxl bundles, each problem at its cell (sheet, column letter, row), in vi and en; a row with
    a dimension but no series is reported in the series column for what is missing."""
    import openpyxl

    from sdgxl.catalogue.excel import export_xlsx, import_xlsx
    from sdgxl.catalogue.sdg_codes import sdg_series, sdg_units
    from sdgxl.errors import CatalogueError
    from sdgxl.outputs.sdmx import UNIT_CODES

    cat = bundled()
    # every bundled global series and unit is in the lists (and the units sdgxl writes are units)
    assert {m.series for i in cat.indicators for m in i.crosswalk if m.series} <= set(sdg_series())
    assert set(UNIT_CODES) <= sdg_units() and len(sdg_series()) == 665
    path = export_xlsx(cat, tmp_path / "cat.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Đối chiếu"]
    rows = {(r[0].value, r[1].value): r[0].row for r in ws.iter_rows(min_row=2)}
    series_row, sex_row, unit_row = rows[("2.2", "global")], rows[("3.1a", "global")], rows[("3.8", "global")]
    missing_row = rows[("1.1a", "global")]
    ws.cell(series_row, 5).value = "NOT_A_SERIES"
    ws.cell(sex_row, 6).value = "SEX=Q"
    ws.cell(unit_row, 7).value = "BANANAS"
    ws.cell(missing_row, 6).value = "SEX=F"  # a dimension, no series
    wb.save(tmp_path / "edited.xlsx")
    with pytest.raises(CatalogueError) as exc:
        import_xlsx(tmp_path / "edited.xlsx")
    where = {p.location: (p.text("vi"), p.text("en")) for p in exc.value.problems}
    assert where[f"Đối chiếu!E{series_row}"] == (
        "chuỗi SDMX 'NOT_A_SERIES' không có trong danh sách chuỗi SDG (data/sdg_series.txt)",
        "SDMX series 'NOT_A_SERIES' is not in the list of SDG series (data/sdg_series.txt)")
    assert where[f"Đối chiếu!F{sex_row}"] == (
        "mã 'Q' không có trong bảng mã của SEX (chỉ có: F, M, _N, _O, _T, _U, _X)",
        "code 'Q' is not in the code list of SEX (known: F, M, _N, _O, _T, _U, _X)")
    assert where[f"Đối chiếu!G{unit_row}"] == (
        "đơn vị SDMX 'BANANAS' không có trong bảng mã đơn vị của các chuỗi SDG",
        "SDMX unit 'BANANAS' is not a unit code of the SDG series")
    assert where[f"Đối chiếu!E{missing_row}"] == (
        "thiếu chuỗi SDMX (cột series): phân tổ và đơn vị chỉ ghi kèm một chuỗi",
        "no SDMX series (column series): dimensions and a unit go with a series")
    assert len(exc.value.problems) == 4


def test_global_rows_carry_the_area_code_and_the_documented_rekeying_works(small, tmp_path, monkeypatch):
    """docs/publish.md: every global row has REF_AREA the province's code; its snippet re-keys
    those rows (and only those) for a national office."""
    path = tmp_path / "2026_sdmx.csv"
    write_sdmx_csv(small, path, version=2, area_code="91")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    glob = [r for r in rows if r["STRUCTURE_ID"] == "IAEG-SDGs:DF_SDG_GLC(1.0)"]
    assert glob and len(glob) < len(rows) and {r["REF_AREA"] for r in rows} == {"91"}
    doc = (Path(__file__).parent.parent / "docs" / "publish.md").read_text(encoding="utf-8")
    snippet = doc.split("*Re-keying REF_AREA*", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(snippet, "publish.md", "exec"), {})
    out = list(csv.DictReader(io.StringIO((tmp_path / "2026_sdmx-national.csv").read_text(encoding="utf-8"))))
    assert [r["REF_AREA"] for r in out] == ["VN_91" if r in glob else "91" for r in rows]


# --------------------------------------------------------------------------- the CLI and the demo
def test_demo_publishes_open_sdg_and_sdmx(tmp_path):
    from pysdmx.io import get_datasets

    from sdgxl.demo import run_demo
    from sdgxl.outputs.sdmx import provincial_series

    res = run_demo(tmp_path / "demo", years=[2025, 2026])
    assert res.open_sdg is not None and res.sdmx_csv is not None
    files = sorted((res.open_sdg / "data").glob("indicator_*.csv"))
    assert len(files) > 80
    for f in files:
        _check_csv(f)
    for cfg in (res.open_sdg / "indicator-config").glob("*.yml"):
        data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
        assert data["reporting_status"] in {"complete", "inprogress", "notstarted", "notapplicable"}
    assert res.sdmx_csv.read_text(encoding="utf-8").startswith("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,")
    # the provincial flow's id follows the catalogue's (the fixture has a test one): the global part is
    # read with pysdmx, the provincial series are the catalogue's
    cat = bundled()
    prov_codes = {provincial_series(i, c.key if c is not None and not c.dimensions else None)
                  for i in cat.indicators for c in (i.components or [None])}
    rows = list(csv.DictReader(io.StringIO(res.sdmx_csv.read_text(encoding="utf-8"))))
    glob = [r for r in rows if r["STRUCTURE_ID"] == "IAEG-SDGs:DF_SDG_GLC(1.0)"]
    assert glob and {r["SERIES"] for r in glob} <= {m.series for i in cat.indicators for m in i.crosswalk}
    assert {r["SERIES"] for r in rows if r not in glob} <= prov_codes
    glob_only = tmp_path / "global.csv"
    with glob_only.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(glob)
    (ds,) = get_datasets(str(glob_only), str(FIXTURE))
    for comp in ds.structure.components:
        if comp.id in DIMENSIONS and comp.id != "SERIES":
            assert set(ds.data[comp.id]) <= _codes(comp)
    # the provincial part, against the structure the demo wrote beside the CSV
    assert res.sdmx_structure is not None and res.sdmx_structure.parent == res.sdmx_csv.parent
    prov_only = tmp_path / "provincial.csv"
    with prov_only.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(r for r in rows if r not in glob)
    (ds,) = get_datasets(str(prov_only), str(res.sdmx_structure))
    assert len(ds.data) == len(rows) - len(glob) > 100
    for comp in ds.structure.components:
        if comp.enumeration is not None:
            assert set(ds.data[comp.id]) <= _codes(comp), comp.id
    # the CLI gives the same file from the same ledger
    proc = run_cli("export", "--format", "sdmx-csv", "--version", "2", "--db", str(tmp_path / "demo" / "sdgxl.sqlite"),
                   "--out", str(tmp_path / "cli.csv"), "--year", "2026")
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "cli.csv").read_bytes() == res.sdmx_csv.read_bytes()
    assert (tmp_path / "cli-structure.xml").read_bytes() == res.sdmx_structure.read_bytes()
    assert "cli-structure.xml" in " ".join(proc.stdout.split()).replace(" ", "")
    proc = run_cli("export", "--format", "open-sdg", "--db", str(tmp_path / "demo" / "sdgxl.sqlite"),
                   "--out", str(tmp_path / "site"), "--year", "2026", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "data files" in proc.stdout
    for f in files:
        assert (tmp_path / "site" / "data" / f.name).read_bytes() == f.read_bytes()
    # --out -: the SDMX-CSV on standard output (the structure is not: stderr says so), no file "-"
    work = tmp_path / "cwd"
    work.mkdir()
    db = str(tmp_path / "demo" / "sdgxl.sqlite")
    proc = run_cli("export", "--format", "sdmx-csv", "--version", "2", "--db", db, "--out", "-", "--year", "2026",
                   "--lang", "en", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.encode("utf-8") == res.sdmx_csv.read_bytes().removeprefix(b"\xef\xbb\xbf")
    assert "structure (SDMX-ML) is not written" in " ".join(proc.stderr.split())
    assert list(work.iterdir()) == []
    # open-sdg cannot go to standard output: refused (exit 2, in the user's language), nothing written,
    # also where a file "-" is in the way
    for existing in (False, True):
        if existing:
            (work / "-").write_text("x", encoding="utf-8")
        for lg, words in (("en", "cannot take open-sdg"), ("vi", "không dùng được với open-sdg")):
            proc = run_cli("export", "--format", "open-sdg", "--db", db, "--out", "-", "--lang", lg, cwd=work)
            assert_no_traceback(proc)
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert words in " ".join((proc.stdout + proc.stderr).split())
        assert sorted(p.name for p in work.iterdir()) == (["-"] if existing else [])


def test_area_code_of_a_period_replaces_the_base_one_from_its_year(small, tmp_path):
    import shutil

    from sdgxl.outputs.sdmx import publish_settings
    from sdgxl.resources import templates_dir

    shutil.copytree(templates_dir(None), tmp_path / "t")
    toml = tmp_path / "t" / "province.toml"
    text = toml.read_text(encoding="utf-8")
    head, _, tail = text.rpartition('area_code = "91"')  # the 2025 period's
    toml.write_text(head + 'area_code = "91_KG"' + tail, encoding="utf-8")
    codes, _ = publish_settings(tmp_path / "t")
    assert (codes(2024), codes(2025), codes(2026)) == ("91", "91_KG", "91_KG")
    write_open_sdg(small, assess(small), tmp_path / "o", area_code=codes)
    births = _check_csv(tmp_path / "o" / "data" / "indicator_16-8-1.csv")
    assert [(r["Year"], r["GeoCode"]) for r in births] == [("2015", "91"), ("2023", "91"), ("2024", "91"),
                                                           ("2025", "91_KG")]
    write_sdmx_csv(small, tmp_path / "s.csv", version=1, area_code=codes)
    recs = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"))))
    assert {(r["TIME_PERIOD"], r["REF_AREA"]) for r in recs if r["SERIES"] == "SG_REG_BRTH"} == {
        ("2023", "91"), ("2024", "91"), ("2025", "91_KG")}


def test_unit_codes_are_the_sdg_code_lists_where_the_unit_is_one():
    from sdgxl.outputs.sdmx import UNIT_CODES, unit_measure

    cat = bundled()
    got = {i.code: unit_measure(i) for i in cat.indicators}
    # IAEG-SDGs:CL_UNIT_MEASURE(1.3) codes, UNIT_MULT of SDMX:CL_UNIT_MULT (6 millions, 9 billions)
    assert got["4.5"] == got["10.2"] == ("IX", 0)  # an index 0-1 (INDEX is not a code of the list)
    assert got["6.6"] == ("HA", 0)
    assert got["3.1a"] == got["3.1b"] == ("PER_1000_LIVE_BIRTHS", 0)
    assert got["3.2b"] == ("PER_1000_POP", 0)
    assert got["3.8"] == got["11.5"] == got["16.1"] == ("PER_100000_POP", 0)
    assert got["9.1a"] == ("T_KM", 6)  # triệu tấn.km
    assert got["17.5"] == ("CUR_LCU", 9)  # tỷ đồng
    assert got["1.1b"] == ("PT", 0)
    # units with no code in the list keep a code of their own text (the provincial structure's)
    assert got["2.3"] == ("CUR_LCU", 6)  # triệu đồng: local currency in millions, as tỷ đồng in billions
    assert got["7.3"] == ("KWH", 0)
    assert "TRIEU_DONG" not in {code for code, _ in got.values()}
    assert {"PT", "NUMBER", "IX", "HA", "CUR_LCU", "T_KM", "PER_1000_LIVE_BIRTHS", "PER_1000_POP",
            "PER_100000_POP"} == set(UNIT_CODES)
    assert set(UNIT_CODES) <= {code for code, _ in got.values()}  # every code of the table is used


def test_open_sdg_metadata_names_the_years_reporting_agencies(tmp_path):
    """The metadata's reporting agencies are those of the table's year: after the 2025 mergers
    1.1b is the Department of Agriculture and Environment's, not the abolished LĐ-TB&XH's."""
    cat = _cat()
    names = {a.id: a.name for a in cat.agencies}
    for year, expected in ((2024, "SLDTBXH"), (2026, "SNNMT")):
        con = _con([_row(cat, "1.1b", {year: 3.1})], cat)
        out = tmp_path / str(year)
        write_open_sdg(con, assess(con), out, area_code="91")
        meta = yaml.safe_load((out / "meta" / "1-1-2.yml").read_text(encoding="utf-8"))
        assert meta["reporting_agencies"] == [names[expected]], (year, meta["reporting_agencies"])
