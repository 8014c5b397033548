"""The bundled catalogue against the plan: counts, every indicator row, parsed roadmap cells."""

from __future__ import annotations

import re
import unicodedata

import pytest

from sdgxl.catalogue import UnitKind, bundled
from sdgxl.catalogue import extract as ex
from sdgxl.text import nfc

GOAL_TARGET_COUNTS = [4, 4, 9, 8, 8, 6, 4, 10, 5, 5, 9, 8, 3, 6, 8, 9, 4]


@pytest.fixture(scope="module")
def cat():
    return bundled()


def test_goal_and_target_counts(cat):
    assert [g.number for g in cat.goals] == list(range(1, 18))
    assert len(cat.targets) == 110 == sum(GOAL_TARGET_COUNTS)
    for goal, expected in enumerate(GOAL_TARGET_COUNTS, start=1):
        assert len([t for t in cat.targets if t.goal == goal]) == expected, goal


def test_targets_in_order_and_numbered(cat):
    assert [t.number for t in cat.targets] == list(range(1, 111))
    assert [t.code for t in cat.targets if t.goal == 10] == ["10.1", "10.2", "10.3", "10.4", "10.6"]
    assert [t.code for t in cat.targets if t.goal == 17] == ["17.2", "17.3", "17.4", "17.5"]
    assert [t.code for t in cat.targets if t.goal == 8][-1] == "8.10"
    for t in cat.targets:
        assert t.code.split(".")[0] == str(t.goal)
        assert t.priority in ("MTUT", "MTKK")


def test_targets_match_section_ii3_of_the_plan(cat):
    """Section II.3 says how many targets each goal has; the numbers come from the seed."""
    text = nfc(ex.SEED.read_text(encoding="utf-8"))
    stated = {int(g): int(n) for g, n in re.findall(r"- Mục tiêu (\d+): có (\d+) mục tiêu cụ thể", text)}
    assert len(stated) == 17
    for goal, n in stated.items():
        assert len([t for t in cat.targets if t.goal == goal]) == n


def _seed_indicator_codes() -> set[str]:
    """Indicator codes found in PHỤ LỤC 2 by a plain regex, independent of the parser."""
    text = nfc(ex.SEED.read_text(encoding="utf-8"))
    annex = text[text.index("\nPHỤ LỤC 2") :]
    codes = set()
    for line in annex.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 4:
            continue
        cell = cells[3]  # the "Chỉ tiêu giám sát đánh giá" column
        m = re.match(r"^(\d+\.\d+(?:\.\d)?)\s?([a-z])?(?=[\s.:(])", cell)
        if m:
            codes.add(m.group(1) + (m.group(2) or ""))
    return codes


def test_every_indicator_row_is_in_the_catalogue(cat):
    seed_codes = _seed_indicator_codes()
    assert len(seed_codes) >= 115
    assert {i.code for i in cat.indicators} == seed_codes
    assert len(cat.indicators) == len(seed_codes)


def test_targets_without_indicator_are_kept_and_marked(cat):
    without = {t.code for t in cat.targets if not t.has_indicators}
    assert without == {"1.3", "16.2"}
    assert "Đề xuất sau khi có bộ chỉ tiêu" in (cat.target("1.3").note or "")
    with_inds = {i.target for i in cat.indicators}
    assert with_inds == {t.code for t in cat.targets} - without


def test_every_indicator_has_an_agency_or_is_unassigned(cat):
    ids = {a.id for a in cat.agencies}
    for ind in cat.indicators:
        assert ind.agencies or ind.unassigned
        assert set(ind.agencies) <= ids


@pytest.mark.parametrize(
    ("code", "agencies"),
    [
        ("1.1a", ["SLDTBXH"]),
        ("8.3", ["SLDTBXH"]),  # printed "Sở LB-TB&XH"
        ("5.7.1", ["STP", "HLHPN"]),  # printed "Sở Tu pháp; Hội LHPN tỉnh."
        ("12.7a", ["STC"]),  # printed "Sở Tài chính."
        ("4.3", ["SLDTBXH", "SGDDT"]),
        ("16.6", ["SYT"]),  # agency on the indicator row, not the target row
        ("6.1b", ["SNNPTNT"]),
        ("3.5", ["BATGT"]),
    ],
)
def test_reporting_agencies_and_spellings(cat, code, agencies):
    assert cat.indicator(code).agencies == agencies


def test_lead_and_cooperating_agencies(cat):
    assert cat.target("1.1").lead_agencies == ["SLDTBXH"]
    assert "SNNPTNT" in cat.target("1.1").cooperating_agencies
    assert cat.target("8.9").lead_agencies == ["SDL"]
    assert "BQLKKT" in cat.target("6.3").lead_agencies
    for t in cat.targets:
        assert t.lead_agencies, t.code
        assert not set(t.lead_agencies) & set(t.cooperating_agencies)


def test_agency_spellings_are_recorded(cat):
    assert "Sở LB-TB&XH" in cat.agency("SLDTBXH").aliases
    assert "Sở Tu pháp" in cat.agency("STP").aliases
    assert "Sở Tài chính." in cat.agency("STC").aliases
    for a in cat.agencies:
        assert a.id.isascii()


@pytest.mark.parametrize(
    ("code", "year", "kind", "fields"),
    [
        ("1.1b", "2015", "number", {"value": 9.78}),
        ("1.1b", "2025", "empty", {}),
        ("1.1a", "2015", "no_data", {}),
        ("17.2", "2015", "number", {"value": -18.8}),
        ("17.2", "2020", "number", {"value": -9.7}),
        ("2.1", "2030", "comparison", {"operator": "<", "value": 8.0}),
        ("3.7", "2030", "comparison", {"operator": ">", "value": 90.0}),
        ("9.3", "2015", "comparison", {"operator": ">", "value": 15.0}),
        ("4.8", "2020", "comparison", {"operator": ">=", "value": 80.0}),
        ("4.8", "2030", "number", {"value": 98.0, "qualifier": "đạt"}),
        ("11.9", "2025", "range", {"low": 65.0, "high": 70.0}),
        ("11.6", "2030", "range", {"low": 98.0, "high": 100.0}),
        ("8.1a", "2015", "empty", {}),
        ("8.1a", "2030", "range", {"low": 5.6, "high": 5.7}),
        ("8.1b", "2015", "number", {"value": 7.42}),
        ("8.1b", "2020", "range", {"low": 7.5, "high": 8.0, "qualifier": "Giai đoạn 2016-2020"}),
        ("8.1b", "2025", "range", {"low": 8.0, "high": 9.0, "qualifier": "Giai đoạn 2020-2030"}),
        ("11.7", "2030", "range", {"low": 12.0, "high": 14.0}),
        ("2.4", "2020", "ratio", {"parts": [1.0, 2.0, 4.0]}),
        ("2.4", "2030", "ratio", {"parts": [5.0, 5.0, 8.0]}),
        ("3.6a", "2020", "relative_change", {"direction": "decrease", "change_pct": -20.0,
                                              "reference": "so với 5 năm trước"}),
        ("5.3", "2020", "relative_change", {"direction": "decrease", "change_pct": None}),
        ("14.1b", "2030", "relative_change", {"direction": "increase", "change_pct": 10.0}),
        ("7.3", "2015", "empty", {}),
        ("7.3", "2030", "relative_change", {"change_pct": -1.0, "change_pct_high": -1.5}),
        ("6.6", "2030", "relative_change", {"direction": "maintain"}),
        ("16.3", "2030", "relative_change", {"direction": "decrease", "change_pct": None}),
        ("17.5", "2030", "relative_change", {"direction": "increase", "change_pct": None}),
        ("14.3", "2030", "number", {"value": 1.0, "text": "01"}),
        ("10.1", "2020", "qualitative", {"text": "Gần bằng"}),
        ("10.1", "2015", "number", {"value": 14.6}),
        ("4.2b", "2015", "number", {"value": 58.27, "qualifier": "(2014-2015)"}),
        ("4.2b", "2030", "range", {"low": 75.0, "high": 80.0, "qualifier": "(2029-2030)"}),
        ("5.3", "2015", "number", {"value": 0.9, "qualifier": "như TB cả nước"}),
        ("5.4", "2015", "number", {"value": 1.7, "qualifier": "như TB cả nước"}),
        ("5.7.2", "2020", "number", {"value": 55.0, "qualifier": "(QH nhân lực đến 2020)"}),
        ("4.3", "2015", "composite", {}),
        ("14.6", "2015", "number", {"value": 61.6}),
        ("14.6", "2030", "number", {"value": 20.0}),
        ("14.3", "2020", "number", {"value": 1.0, "text": "01"}),
    ],
)
def test_parsed_roadmap_cells(cat, code, year, kind, fields):
    rv = cat.indicator(code).roadmap[year]
    assert rv.kind == kind, rv
    for key, value in fields.items():
        assert getattr(rv, key) == value, (key, rv)


def test_roadmap_cells_keep_the_printed_text(cat):
    text = nfc(ex.SEED.read_text(encoding="utf-8"))
    corrected = {("14.6", "2015")} | {(code, y) for code in ("16.1", "16.3", "16.4", "16.7", "17.4", "17.5", "6.6")
                                      for y in ("2020", "2025", "2030")}
    n = 0
    for ind in cat.indicators:
        for year, rv in ind.roadmap.items():
            if rv.text and (ind.code, year) not in corrected:
                assert rv.text in text, (ind.code, year, rv.text)
                n += 1
    assert n > 250


def test_components(cat):
    rice = cat.indicator("2.4").components
    assert [c.key for c in rice] == ["lua", "rau", "trai-cay"]
    assert [c.roadmap["2030"].value for c in rice] == [5.0, 5.0, 8.0]
    trained = cat.indicator("4.3").components
    assert [(c.key, c.agency, c.roadmap["2030"].value) for c in trained] == [
        ("dao-tao", None, 80.0), ("day-nghe", None, 70.0)]
    child = cat.indicator("8.7").components
    assert [(c.unit, c.unit_kind) for c in child] == [("%", UnitKind.percentage), ("người", UnitKind.count)]
    waste = cat.indicator("12.1").components
    assert waste[0].roadmap["2015"].value == 88.0
    assert waste[1].roadmap["2015"].kind == "empty"
    assert waste[1].roadmap["2030"].value == 90.0


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("1.1b", UnitKind.percentage),
        ("3.1a", UnitKind.rate_per_population),  # the plan prints % for a rate per 1,000
        ("3.2b", UnitKind.rate_per_population),
        ("17.2", UnitKind.rate_of_change),
        ("8.1b", UnitKind.rate_of_change),
        ("8.2", UnitKind.rate_of_change),  # unit blank in the plan
        ("6.5", UnitKind.percentage),  # unit blank in the plan
        ("4.5", UnitKind.index),
        ("10.2", UnitKind.index),
        ("3.2a", UnitKind.count),
        ("3.5", UnitKind.count),
        ("13.1", UnitKind.count),
        ("15.5", UnitKind.count),
        ("16.9", UnitKind.count),
        ("17.4", UnitKind.count),
        ("2.3", UnitKind.money),
        ("11.4", UnitKind.money),
        ("17.5", UnitKind.money),
        ("9.1a", UnitKind.quantity),
        ("6.6", UnitKind.quantity),
        ("7.3", UnitKind.quantity),
        ("11.7", UnitKind.quantity),
        ("12.2", UnitKind.quantity),
        ("5.4", UnitKind.multiple),
        ("8.10", UnitKind.qualitative),
        ("10.6", UnitKind.qualitative),
        ("3.4", UnitKind.qualitative),
    ],
)
def test_unit_kinds(cat, code, kind):
    assert cat.indicator(code).unit_kind is kind


def test_unit_corrections_keep_the_printed_unit(cat):
    ind = cat.indicator("3.1a")
    assert ind.unit_printed == "%"
    assert "1.000" in (ind.unit or "")
    assert cat.indicator("8.2").unit_printed is None and cat.indicator("8.2").unit == "%"


def test_codes_are_normalised(cat):
    assert cat.indicator("12.4b").code_printed == "12.4 b(UT)"
    assert cat.indicator("4.2a").code_printed == "4.2a (UT)"
    assert cat.indicator("9.3").code_printed == "9.3(KK)"
    assert cat.indicator("3.1b").code_printed == "3.1b"
    assert cat.indicator("5.7.1").priority == "KK"


def test_all_text_is_nfc(cat):
    raw = ex.BUNDLED.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)


def test_extraction_reproduces_the_bundled_file_exactly():
    produced = ex.dump_catalogue(ex.extract())
    assert produced == ex.BUNDLED.read_text(encoding="utf-8")


def test_a_stale_correction_is_refused(tmp_path):
    text = ex.CORRECTIONS.read_text(encoding="utf-8").replace(
        'source = "61,6 40 30 20"', 'source = "61,6 40 30 21"')
    bad = tmp_path / "corrections.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ex.ExtractionError, match=r"14\.6"):
        ex.extract(corrections_path=bad)


def test_a_correction_for_a_missing_phrase_is_refused(tmp_path):
    text = ex.CORRECTIONS.read_text(encoding="utf-8").replace('find = "bằng chua"', 'find = "bằng chùa"')
    bad = tmp_path / "corrections.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ex.ExtractionError, match=r"15\.3"):
        ex.extract(corrections_path=bad)


def test_a_catalogue_is_frozen_and_its_hash_computed_at_load():
    import pydantic

    from sdgxl.catalogue.load import bundled, catalogue_hash
    from sdgxl.catalogue.views import filter_catalogue

    cat = bundled()
    assert cat.content_hash is not None and catalogue_hash(cat) == cat.content_hash
    with pytest.raises(pydantic.ValidationError):
        cat.id = "other"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        cat.indicators[0].unit = "%"  # type: ignore[misc]
    part = filter_catalogue(cat, goal=3)
    assert part.content_hash is None  # a copy is another catalogue: its own hash, computed when asked
    assert catalogue_hash(part) != catalogue_hash(cat)
