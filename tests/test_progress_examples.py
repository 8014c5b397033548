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
    "E6": ("11.9", {2026: 60.0}, 2026, Status.on_track,
           {"cagr_required": 0.10017, "cagr_observed": 0.10354, "ratio": 1.0336, "path_value": 58.019,
            "milestone_year": 2030, "target": 85.0}),
    "E7": ("1.1b", {2015: 10.5, 2026: 4.5}, 2026, Status.acceleration_needed,
           {"base": (2015, 10.5), "cagr_required": -0.10466, "cagr_observed": -0.07414, "ratio": 0.7084}),
    "E8": ("5.7.1", {2026: 100.0}, 2026, Status.on_track, {"ratio": 0.0, "coefficient": 0.0, "score": 5.0}),
    "E9": ("5.7.1", {2026: 99.0}, 2026, Status.deterioration, {"ratio": -0.000913}),
    "E10": ("4.4", {2024: 90.0, 2026: 91.5}, 2026, Status.on_track, {"ratio": 0.008299, "coefficient": 0.37362}),
    "E11": ("16.3", {2024: 58.3, 2026: 55.0}, 2026, Status.on_track, {"ratio": 0.028714}),
    "E12": ("3.7", {2026: 90.0}, 2026, Status.on_track,
           {"cagr_required": 0.017382, "cagr_observed": 0.023777, "ratio": 1.3679}),
    "E13": ("7.3", {2024: 182.0, 2026: 178.0}, 2026, Status.acceleration_needed,
            {"cagr_required": -0.0125, "cagr_observed": -0.011050, "ratio": 0.8840}),
    "E14": ("14.2", {2024: 1.7, 2026: 1.6}, 2026, Status.deterioration, {"cagr_required": 0.0}),
}


@pytest.mark.parametrize("eid", list(EXAMPLES))
def test_worked_example(eid):
    code, series, year, status, figures = EXAMPLES[eid]
    a = one(code, series, year)
    assert a.status is status, (eid, a.measure)
    for name, expected in figures.items():
        got = getattr(a.measure, name) if hasattr(a.measure, name) else getattr(a, name)
        if isinstance(expected, float):
            assert got == pytest.approx(expected, rel=1e-3, abs=1e-6), (eid, name, got)
        else:
            assert got == expected, (eid, name, got)


def test_e15_components_roll_up_as_the_mean_score():
    """2.4: rice, vegetables, fruit (VietGAP shares) toward 5 : 5 : 8 by 2030."""
    ind = assess_indicator(bundled(), rows("2.4", {
        "lua": {2020: 1.0, 2026: 2.5}, "rau": {2020: 2.0, 2026: 2.2}, "trai-cay": {2020: 4.0, 2026: 8.0}}), 2026)
    lua, rau, fruit = ind.parts
    assert lua.measure.ratio == pytest.approx(0.94487, rel=1e-4)
    assert lua.measure.score == pytest.approx(2.4634, rel=1e-3)
    assert rau.measure.ratio == pytest.approx(0.16686, rel=1e-4)
    assert rau.measure.score == pytest.approx(-1.8047, rel=1e-3)
    assert fruit.status is Status.target_achieved and fruit.measure.score == 5.0
    assert ind.measure.score == pytest.approx(1.8862, rel=1e-3)
    assert ind.status is Status.acceleration_needed  # 0 ≤ 1.89 < 2.5; not every component achieved
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


def test_the_base_shown_is_the_base_used():
    a = one("1.1b", {2015: 10.5, 2026: 4.5}, 2026)
    assert a.base == (2015, 10.5) and a.base_source == "reported"
    b = one("1.1b", {2026: 4.5}, 2026)
    assert b.base == (2015, 9.78) and b.base_source == "plan"
    assert a.to_dict()["base_value"] == 10.5 and b.to_dict()["base_value"] == 9.78


def test_every_example_is_in_the_docs_with_its_status():
    text = DOC.read_text(encoding="utf-8")
    table = {m.group(1): m.group(0) for m in re.finditer(r"^\| (E\d+) \|.*$", text, flags=re.M)}
    assert set(table) == {*EXAMPLES, "E15"}
    labels = {Status.target_achieved: "target achieved", Status.on_track: "on track",
              Status.acceleration_needed: "acceleration needed", Status.limited_progress: "limited progress",
              Status.deterioration: "deterioration", Status.not_assessable: "not assessable"}
    for eid, (code, _, _, status, _) in EXAMPLES.items():
        assert f"| {code} " in table[eid] and f"**{labels[status]}**" in table[eid], eid
    assert "**acceleration needed**" in table["E15"]
