"""The worked examples of docs/progress.md, each a test (the table there and this list agree).

Each example is a plan indicator with reported values; the expected figures are the hand
arithmetic written in the docs (compound annual growth rates, ratios, scores)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdgxl.catalogue import bundled
from sdgxl.consolidate import Cell, ProvincialRow
from sdgxl.progress.assess import assess_indicator, assess_row
from sdgxl.progress.measure import Status

DOC = Path(__file__).resolve().parent.parent / "docs" / "progress.md"


def rows(code: str, values: dict[str | None, dict[int, float]]) -> list[ProvincialRow]:
    ind = bundled().indicator(code)
    out = []
    for key, series in values.items():
        comp = next((c for c in ind.components if c.key == key), None)
        row = ProvincialRow(ind, comp, code if comp is None else f"{code}#{key}")
        for y, v in series.items():
            row.years[y] = Cell(v, None, "has_data", None, None, ind.agencies[0], 1, "f.xlsx", "J7")
        out.append(row)
    return out


def one(code: str, series: dict[int, float], year: int):
    return assess_row(bundled(), rows(code, {None: series})[0], year)


# id → (indicator, reported values, year, status, figures to check)
EXAMPLES = {
    "E1": ("1.1a", {2016: 0.0, 2026: 0.5}, 2026, Status.deterioration,
           {"cagr_observed": 0.8616, "cagr_required": 0.0}),
    "E2": ("1.1a", {2026: 0.0}, 2026, Status.target_achieved, {}),
    "E3": ("17.2", {2026: 9.0}, 2026, Status.target_achieved, {}),
    "E4": ("17.2", {2026: -2.2}, 2026, Status.not_assessable, {"reason": "sign"}),
    "E5": ("11.9", {2024: 60.0}, 2024, Status.on_track,
           {"cagr_required": 0.12342, "cagr_observed": 0.12796, "ratio": 1.0368, "path_value": 57.859,
            "milestone_year": 2025, "target": 65.0}),
    "E6": ("11.9", {2026: 60.0}, 2026, Status.acceleration_needed,
           {"cagr_required": 0.12342, "cagr_observed": 0.10354, "ratio": 0.8389, "path_value": 65.0,
            "milestone_year": 2025, "target": 65.0}),
    "E7": ("1.1b", {2015: 10.5, 2026: 4.5}, 2026, Status.limited_progress,
           {"base": (2015, 10.5), "cagr_required": -0.22163, "cagr_observed": -0.07414, "ratio": 0.3345,
            "milestone_year": 2020, "path_value": 3.0}),
    "E8": ("5.7.1", {2026: 100.0}, 2026, Status.on_track, {"ratio": 0.0, "coefficient": 0.0, "score": 5.0}),
    "E9": ("5.7.1", {2026: 99.0}, 2026, Status.deterioration, {"ratio": -0.000913}),
    "E10": ("4.4", {2024: 90.0, 2026: 91.5}, 2026, Status.on_track, {"ratio": 0.008299, "coefficient": 0.37362}),
    "E11": ("16.3", {2024: 58.3, 2026: 55.0}, 2026, Status.on_track, {"ratio": 0.028714}),
    "E12": ("3.7", {2026: 90.0}, 2026, Status.on_track,
           {"cagr_required": 0.017382, "cagr_observed": 0.023777, "ratio": 1.3679}),
    "E13": ("7.3", {2024: 182.0, 2026: 178.0}, 2026, Status.acceleration_needed,
            {"cagr_required": -0.0125, "cagr_observed": -0.011050, "ratio": 0.8840}),
    "E14": ("14.2", {2024: 1.7, 2026: 1.6}, 2026, Status.deterioration, {"cagr_required": 0.0}),
    "E16": ("7.2", {2025: 31.8}, 2026, Status.on_track,
            {"cagr_required": -0.000947, "cagr_observed": 0.0, "ratio": None, "milestone_year": 2025,
             "path_value": 31.5}),
    "E17": ("9.4", {2026: 2.0}, 2026, Status.limited_progress,
            {"cagr_required": 0.0, "cagr_observed": 0.0, "milestone_year": 2025, "path_value": 2.0}),
    "E18": ("9.4", {2026: 1.8}, 2026, Status.deterioration, {"cagr_required": 0.0, "milestone_year": 2025}),
}


@pytest.mark.parametrize("eid", list(EXAMPLES))
def test_worked_example(eid):
    code, series, year, status, figures = EXAMPLES[eid]
    a = one(code, series, year)
    assert a.status is status, (eid, a.measure)
    for name, expected in figures.items():
        got = getattr(a.measure, name) if hasattr(a.measure, name) else getattr(a, name)
        if isinstance(expected, float) and got is not None:
            assert got == pytest.approx(expected, rel=1e-3, abs=1e-6), (eid, name, got)
        else:
            assert got == expected, (eid, name, got)


def test_e15_components_roll_up_as_the_mean_score():
    """2.4: rice, vegetables, fruit (VietGAP shares) toward 5 : 5 : 8 by 2030."""
    ind = assess_indicator(bundled(), rows("2.4", {
        "lua": {2020: 1.0, 2026: 2.5}, "rau": {2020: 2.0, 2026: 2.2}, "trai-cay": {2020: 4.0, 2026: 8.0}}), 2026)
    lua, rau, fruit = ind.parts
    assert lua.milestone_year == 2025 and rau.milestone_year == 2025  # 3 : 3 by 2025, not met: the bar
    assert lua.measure.ratio == pytest.approx(0.67144, rel=1e-4)
    assert lua.measure.score == pytest.approx(0.5103, rel=1e-3)
    assert rau.measure.ratio == pytest.approx(0.18955, rel=1e-4)
    assert rau.measure.score == pytest.approx(-1.7102, rel=1e-3)
    assert fruit.status is Status.target_achieved and fruit.measure.score == 5.0
    assert ind.measure.score == pytest.approx(1.2667, rel=1e-3)
    assert ind.status is Status.acceleration_needed  # 0 ≤ 1.27 < 2.5; not every component achieved
    assert ind.key == "2.4" and [p.key for p in ind.parts] == ["2.4#lua", "2.4#rau", "2.4#trai-cay"]


def test_the_status_and_its_explanation_agree_on_11_9():
    """One verdict: on track toward the 2025 milestone, the value above the path it is measured on."""
    a = one("11.9", {2024: 60.0}, 2024)
    assert a.status is Status.on_track and a.latest[1] >= a.path_value
    assert a.milestone_text() == "Mốc 2025: 65-70; theo lộ trình năm 2024 cần 57,86, thực hiện 60"
    assert a.milestone_text("en") == "Milestone 2025: 65-70; the path asks 57.86 for 2024, reported 60"
    # and whatever the value, on track (R ≥ 0.95) is never below 95 % of the growth of the path
    for v in (45.0, 52.0, 56.0, 58.0, 63.0):
        b = one("11.9", {2024: v}, 2024)
        assert (b.measure.ratio >= 1) == (v >= b.path_value), v


def test_the_verdict_and_its_explanation_agree_where_the_plan_asks_no_rise():
    """E16, E17: a milestone at or behind the base (7.2: 31,5 below 31,8; 9.4: "> 2" from 2)."""
    a = one("7.2", {2025: 31.8}, 2026)
    assert a.milestone_text("en") == "Milestone 2025: 31.5; the path asks 31.5 for 2025, reported 31.8"
    assert a.status is Status.on_track and a.latest[1] >= a.path_value
    below = one("7.2", {2025: 31.2}, 2026)  # below even the fall the plan allows
    assert below.status is Status.deterioration
    b = one("9.4", {2026: 2.0}, 2026)
    assert b.milestone_text("en") == "Milestone 2025: > 2; the path asks > 2 for 2026, reported 2"
    assert b.milestone_text() == "Mốc 2025: > 2; theo lộ trình năm 2026 cần > 2, thực hiện 2"
    assert one("9.4", {2026: 2.1}, 2026).status is Status.target_achieved


def test_without_a_target_the_explanation_shows_the_signed_progress():
    """16.1 should fall and rose 1,17 %/year: the text shows −1,17 %, as the verdict uses it."""
    a = one("16.1", {2024: 12.7, 2026: 13.0}, 2026)
    assert a.status is Status.deterioration and a.measure.ratio < 0
    assert a.milestone_text("en") == "No numeric target, falling is better: progress -1.17 % a year " \
        "(on track from 1.5 % a year)"
    assert a.milestone_text().startswith("Không có chỉ tiêu số, giảm là tốt: tiến bộ -1,17 %/năm")
    up = one("16.1", {2024: 13.0, 2026: 12.7}, 2026)
    assert up.status is Status.acceleration_needed and "progress 1.16 % a year" in up.milestone_text("en")
    flat = one("16.1", {2024: 13.0, 2026: 13.0}, 2026)  # p = −0.0: shown as 0, not "-0"
    assert "progress 0 % a year" in flat.milestone_text("en")


def test_english_shows_the_parsed_figures_with_english_numbers():
    a = one("17.2", {2026: 9.0}, 2026)  # 2030: 8,3
    assert a.target_text == "8,3" and a.target_in("en") == "8.3" and a.target_in() == "8,3"
    assert a.milestone_text("en") == "Target met: 8.3" and a.milestone_text() == "Đạt mục tiêu: 8,3"
    assert a.to_dict("en")["target"] == "8.3" and a.to_dict("en")["milestone"] == "8.3"
    r = one("11.9", {2026: 97.0}, 2026)
    assert r.target_in("en") == "85-95"
    rate = one("7.3", {2024: 182.0, 2026: 178.0}, 2026)
    assert rate.target_in("en").startswith("Fall 1-1.5 % a year") and rate.target_in() == rate.target_text
    assert one("3.6a", {2024: 40.0, 2026: 34.8}, 2026).target_in("en") == "Fall 20 % vs 5 years before"
    big = one("1.1b", {2024: 2.8, 2026: 2.5}, 2026)
    assert not re.search(r"\d,\d", big.milestone_text("en")) and big.to_dict("en")["target"] == "2"


def test_the_base_shown_is_the_base_used():
    a = one("1.1b", {2015: 10.5, 2026: 4.5}, 2026)
    assert a.base == (2015, 10.5) and a.base_source == "reported"
    b = one("1.1b", {2026: 4.5}, 2026)
    assert b.base == (2015, 9.78) and b.base_source == "plan"
    assert a.to_dict()["base_value"] == 10.5 and b.to_dict()["base_value"] == 9.78


def test_every_example_is_in_the_docs_with_its_status():
    text = DOC.read_text(encoding="utf-8")
    table = {m.group(1): m.group(0) for m in re.finditer(r"^\| (E\d+) \|.*$", text, flags=re.M)}
    assert set(table) == {*EXAMPLES, "E15"}, set(table) ^ {*EXAMPLES, "E15"}
    labels = {Status.target_achieved: "target achieved", Status.on_track: "on track",
              Status.acceleration_needed: "acceleration needed", Status.limited_progress: "limited progress",
              Status.deterioration: "deterioration", Status.not_assessable: "not assessable"}
    for eid, (code, _, _, status, _) in EXAMPLES.items():
        assert f"| {code} " in table[eid] and f"**{labels[status]}**" in table[eid], eid
    assert "**acceleration needed**" in table["E15"]


def test_the_docs_counts_are_the_catalogues():
    """docs/progress.md names the counts the report prints: indicators, data rows, table lines."""
    from sdgxl.catalogue.views import catalogue_count

    cat = bundled()
    n = len(cat.indicators)
    with_parts = [i for i in cat.indicators if i.components]
    parts = sum(len(i.components) for i in with_parts)
    data_rows = n - len(with_parts) + parts
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert (f"{n} indicators, not its {data_rows} data rows" in text
            and f"Indicators: {catalogue_count(cat).text('en')}" in text)  # the report's words, one count
    assert f"the {len(with_parts)} indicators with components" in text and f"({parts})" in text
    assert f"{n - len(with_parts)} + {parts} = {data_rows}" in text
    assert f"{data_rows + len(with_parts)} lines" in text
