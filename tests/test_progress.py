"""Progress toward the roadmap: the Statistics Canada / Open SDG method on worked examples,
on the plan's own indicators, roll-ups, the dashboard and the report."""

from __future__ import annotations

import json
import math
import re
import zipfile

import pytest

from sdgxl.catalogue import bundled
from sdgxl.consolidate import Cell, ProvincialRow
from sdgxl.progress.assess import assess_row, rollup
from sdgxl.progress.measure import Status, Thresholds, measure
from tests.conftest import run_cli


def cagr(a: float, b: float, years: float) -> float:
    return (a / b) ** (1 / years) - 1


# --------------------------------------------------------------------------- the method
def test_without_target_by_direction():
    up = {2015: 100.0, 2020: 110.0}  # +1.92 %/year
    assert measure(up, direction=1).status is Status.on_track
    assert measure(up, direction=-1).status is Status.deterioration
    slow = {2015: 100.0, 2020: 103.0}  # +0.59 %/year
    assert measure(slow, direction=1).status is Status.acceleration_needed
    assert measure({2015: 100.0, 2020: 101.0}, direction=1).status is Status.limited_progress
    m = measure(up, direction=1)
    assert m.ratio == pytest.approx(cagr(110, 100, 5))


def test_with_target_ratio_and_thresholds():
    series = {2015: 50.0, 2020: 60.0}
    m = measure(series, direction=1, target=80.0)
    expected = cagr(60, 50, 5) / abs(cagr(80, 50, 15))
    assert m.ratio == pytest.approx(expected)
    assert m.status is Status.on_track  # 1.17 ≥ 0.95
    m = measure({2015: 50.0, 2020: 56.0}, direction=1, target=80.0)
    assert 0.6 <= m.ratio < 0.95 and m.status is Status.acceleration_needed
    m = measure({2015: 50.0, 2020: 51.0}, direction=1, target=80.0)
    assert 0 <= m.ratio < 0.6 and m.status is Status.limited_progress
    m = measure({2015: 50.0, 2020: 45.0}, direction=1, target=80.0)
    assert m.ratio < 0 and m.status is Status.deterioration


def test_configurable_thresholds():
    series = {2015: 50.0, 2020: 53.0}  # R = 0.37
    assert measure(series, direction=1, target=80.0).status is Status.limited_progress
    lenient = Thresholds(high=0.35, medium=0.2)
    assert measure(series, direction=1, target=80.0, thresholds=lenient).status is Status.on_track


def test_already_achieved():
    assert measure({2015: 40.0, 2020: 55.0}, direction=1, target=50.0).status is Status.target_achieved
    assert measure({2015: 9.0, 2020: 1.5}, direction=-1, target=2.0).status is Status.target_achieved
    # the plan's own statement of the target decides (e.g. strictly above 90)
    assert measure({2015: 69.5, 2026: 90.0}, direction=1, target=90.0, achieved=False).status is Status.on_track


def test_zero_base_and_zero_target():
    m = measure({2015: 0.0, 2020: 5.0}, direction=1, target=10.0)
    assert m.ratio == pytest.approx(cagr(5, 0.001, 5) / abs(cagr(10, 0.001, 15)))
    m = measure({2015: 10.0, 2020: 5.0}, direction=-1, target=0.0)
    assert m.ratio == pytest.approx(-cagr(5, 10, 5) / abs(cagr(0.001, 10, 15)))
    assert m.status is Status.limited_progress


def test_sign_change_and_too_few_points():
    # achieved is checked first (Open SDG): 8.3 meets 8.3 whatever the base's sign
    assert measure({2015: -18.8, 2026: 8.3}, direction=1, target=8.3).status is Status.target_achieved
    assert measure({2015: -18.8, 2026: 2.0}, direction=1, target=8.3).reason == "sign"
    assert measure({2015: -18.8, 2026: -2.0}, direction=1, target=8.3).reason == "sign"  # the target's sign
    assert measure({2026: 5.0}, direction=1).reason == "few_points"
    assert measure({2026: 0.0}, direction=-1, target=0.0).status is Status.target_achieved


def test_all_negative_flips_the_direction():
    # -10 → -5: less negative; with higher is better, that is progress
    m = measure({2015: -10.0, 2020: -5.0}, direction=1)
    assert m.status is Status.on_track
    assert m.ratio == pytest.approx(-cagr(5, 10, 5))


def test_base_value_from_the_plan():
    m = measure({2024: 4.5}, direction=-1, target=2.0, base_value=9.78)
    assert m.ratio == pytest.approx(-cagr(4.5, 9.78, 9) / abs(cagr(2.0, 9.78, 15)))


# --------------------------------------------------------------------------- the plan's indicators
def row_with(code: str, values: dict[int, float], component: str | None = None) -> ProvincialRow:
    cat = bundled()
    ind = cat.indicator(code)
    comp = next((c for c in ind.components if c.key == component), None)
    row = ProvincialRow(ind, comp, code if comp is None else f"{code}#{component}")
    for y, v in values.items():
        row.years[y] = Cell(v, None, "has_data", None, None, ind.agencies[0], 1, "f.xlsx", "J7")
    return row


def test_poverty_1_1b_toward_2_percent():
    a = assess_row(bundled(), row_with("1.1b", {2024: 2.8, 2026: 2.5}), 2026)
    assert a.direction == -1 and a.base == (2015, 9.78) and a.base_source == "plan" and a.target == 2.0
    expected = -cagr(2.5, 9.78, 11) / abs(cagr(2.0, 9.78, 15))
    assert a.measure.ratio == pytest.approx(expected)
    assert expected >= 0.95 and a.status is Status.on_track
    # the path the status is measured on: 9,78 falling at the required rate for 11 years
    assert a.path_value == pytest.approx(9.78 * (1 + cagr(2.0, 9.78, 15)) ** 11)
    assert a.milestone_year == 2030 and "Mốc 2030: 2,0" in a.milestone_text()
    assert "Milestone 2030: 2;" in a.milestone_text("en") and a.target_in("en") == "2"
    assert assess_row(bundled(), row_with("1.1b", {2026: 1.9}), 2026).status is Status.target_achieved


def test_a_passed_milestone_stays_the_bar_until_met():
    """1.1b asked 3,0 by 2020: 4,5 in 2026 is measured against 3,0 (due), not 2030's 2,0."""
    a = assess_row(bundled(), row_with("1.1b", {2024: 5.2, 2026: 4.5}), 2026)
    assert a.milestone_year == 2020 and a.target == 3.0 and a.path_value == pytest.approx(3.0)
    expected = -cagr(4.5, 9.78, 11) / abs(cagr(3.0, 9.78, 5))
    assert a.measure.ratio == pytest.approx(expected) and a.status is Status.limited_progress
    assert a.milestone_text("en") == "Milestone 2020: 3; the path asks 3 for 2026, reported 4.5"
    # 9.5 communes: 100 % by 2025, 83,3 in 2026: the 2025 milestone (as 15.7's final 2025 target)
    b = assess_row(bundled(), row_with("9.5", {2024: 87.1, 2026: 83.3}, "xa"), 2026)
    assert b.milestone_year == 2025 and b.path_value == pytest.approx(100.0)
    c = assess_row(bundled(), row_with("15.7", {2026: 71.4}), 2026)
    assert c.milestone_year == 2025 and c.path_value == pytest.approx(80.0)
    # met, the next one: 11.9 reached 2025's 65-70 → measured toward 2030's 85-95
    assert assess_row(bundled(), row_with("11.9", {2026: 65.9}), 2026).milestone_year == 2030


def test_new_rural_communes_11_9_toward_a_range():
    a = assess_row(bundled(), row_with("11.9", {2026: 65.9}), 2026)
    assert a.direction == 1 and a.target == 85.0
    assert a.measure.ratio == pytest.approx(cagr(65.9, 20.3, 11) / abs(cagr(85, 20.3, 15)))
    assert a.status is Status.on_track
    assert assess_row(bundled(), row_with("11.9", {2026: 88.0}), 2026).status is Status.target_achieved
    assert assess_row(bundled(), row_with("11.9", {2026: 97.0}), 2026).status is Status.target_achieved


def test_health_insurance_3_7_toward_more_than_90():
    a = assess_row(bundled(), row_with("3.7", {2026: 86.4}), 2026)
    assert a.direction == 1 and a.target == 90.0
    assert a.status is Status.on_track
    assert assess_row(bundled(), row_with("3.7", {2026: 91.0}), 2026).status is Status.target_achieved
    assert assess_row(bundled(), row_with("3.7", {2026: 90.0}), 2026).status is not Status.target_achieved


def test_milestone_2025_is_checked_before_2030():
    # 1.2a: 80,25 (2015) → 84 (2020) → 90 (2025) → 90 (2030); in 2023 the status is measured toward 2025
    a = assess_row(bundled(), row_with("1.2a", {2023: 85.0}), 2023)
    assert a.milestone_year == 2025 and a.target == 90.0
    r = cagr(85, 80.25, 8) / cagr(90, 80.25, 10)
    assert a.measure.ratio == pytest.approx(r) and a.status is Status.acceleration_needed  # 0.63
    assert a.path_value == pytest.approx(80.25 * (90 / 80.25) ** 0.8) and a.path_value > 85.0
    assert "Mốc 2025: 90,0" in a.milestone_text()
    ahead = assess_row(bundled(), row_with("1.2a", {2023: 88.5}), 2023)
    assert ahead.status is Status.on_track and ahead.path_value < 88.5
    # no milestone the plan lacks: 2024 and 2026 head to 2025 and 2030
    assert assess_row(bundled(), row_with("1.2a", {2024: 86.0}), 2024).milestone_year == 2025
    assert assess_row(bundled(), row_with("1.2a", {2026: 91.0}), 2026).milestone_year == 2030
    # 2025's 90 passed and not met: it stays the bar
    assert assess_row(bundled(), row_with("1.2a", {2026: 86.0}), 2026).milestone_year == 2025


def test_not_assessable_reasons():
    assert assess_row(bundled(), row_with("3.4", {}), 2026).measure.reason == "qualitative"
    assert assess_row(bundled(), row_with("2.1", {}), 2026).measure.reason == "no_data"
    assert assess_row(bundled(), row_with("17.2", {2026: 8.0}), 2026).measure.reason == "sign"
    assert assess_row(bundled(), row_with("17.2", {2026: 9.0}), 2026).status is Status.target_achieved


def test_catalogue_direction_override():
    from sdgxl.catalogue import Catalogue

    data = bundled().model_dump()
    for ind in data["indicators"]:
        if ind["code"] == "11.9":
            ind["direction"] = "decrease"
    cat = Catalogue.model_validate(data)
    row = row_with("11.9", {2026: 65.9})
    row.indicator = cat.indicator("11.9")
    assert assess_row(cat, row, 2026).direction == -1


def test_rollups():
    cat = bundled()
    rows = [row_with("1.1b", {2026: 4.5}), row_with("1.2a", {2026: 95.0}), row_with("3.7", {2026: 60.0})]
    assessments = [assess_row(cat, r, 2026) for r in rows]
    by_goal = rollup(assessments, "goal")
    assert sum(by_goal[1].values()) == 2 and sum(by_goal[3].values()) == 1
    assert by_goal[1][Status.target_achieved] == 1
    by_agency = rollup(assessments, "agency")
    assert sum(by_agency["SNNMT"].values()) == 1 and sum(by_agency["SYT"].values()) == 2  # LĐ-TB&XH until 2024


# --------------------------------------------------------------------------- outputs
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sdgxl.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo"))


def test_consolidated_workbook_has_progress_and_charts(demo):
    import openpyxl

    path = demo.last.consolidated
    wb = openpyxl.load_workbook(path)
    assert "Bảng điều khiển" in wb.sheetnames and "Biểu đồ chỉ tiêu" in wb.sheetnames
    table = wb.worksheets[0]
    header = [c.value for c in table[4]]
    assert "Đánh giá tiến độ" in header and "So với lộ trình" in header
    col = header.index("Đánh giá tiến độ")
    statuses = {r[col] for r in table.iter_rows(min_row=6, values_only=True) if r[col]}
    assert {"Đúng tiến độ", "Đã đạt mục tiêu"} <= {s.split(" (")[0] for s in statuses}
    # a component's row also says its indicator's status (the mean of its components' scores)
    why = header.index("So với lộ trình")
    code = header.index(next(h for h in header if h and h.startswith("Mã")))
    rice = next(r for r in table.iter_rows(min_row=6, values_only=True) if str(r[code]).startswith("2.4 ("))
    assert "Cả chỉ tiêu: " in rice[why]
    with zipfile.ZipFile(path) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) > 20  # the goal chart, the overall chart and one per indicator with data
    history = demo.last.progress
    assert history and any(a.status is Status.on_track for a in history)


def test_history_of_statuses(demo):
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import status_history

    ledger = Ledger(demo.folder / "sdgxl.sqlite")
    con = consolidate(bundled(), ledger, demo.years[-1])
    ledger.close()
    hist = status_history(con)
    assert sorted(hist) == demo.years
    indicators = len({row.indicator.code for row in con.rows})
    assert indicators == 120 < len(con.rows)  # roll-ups count indicators, not rows of components
    assert all(sum(c.values()) == indicators for c in hist.values())
    assert hist[demo.years[0]][Status.not_assessable] >= hist[demo.years[-1]][Status.not_assessable]


def test_progress_cli(demo):
    db = str(demo.folder / "sdgxl.sqlite")
    proc = run_cli("progress", "--db", db, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["year"] == demo.years[-1]
    by = {r["key"]: r for r in data["indicators"]}
    assert by["1.1b"]["target"] == "2,0" and by["1.1b"]["direction"] == -1
    assert by["3.4"]["status"] == "not_assessable" and by["3.4"]["reason"] == "qualitative"
    for r in data["indicators"]:
        if r["ratio"] is not None:
            assert math.isfinite(r["ratio"])
    table = run_cli("progress", "--db", db, "--lang", "en")
    assert table.returncode == 0 and "On track" in table.stdout
    # English numbers in the target, the milestone and the explanation (the plan prints 2,0)
    en = {r["key"]: r for r in json.loads(run_cli("progress", "--db", db, "--format", "json", "--lang", "en").stdout)
          ["indicators"]}
    assert en["1.1b"]["target"] == "2"
    for r in en.values():
        for k in ("target", "milestone", "explanation"):
            assert not re.search(r"\d,\d(?!\d\d)", r[k] or ""), (r["key"], k, r[k])
    # the deterioration list: an indicator with components shows theirs; none is cut silently
    lines = table.stdout.split("Deteriorating:")[1]
    falling = [a for a in en.values() if a["status"] == "deterioration" and a["component"] is None]
    assert not re.search(r"\): *\n", lines)  # never "3.9 (SYT): " with nothing after it
    if len(falling) > 8:
        assert f"and {len(falling) - 8} more" in lines
    csv_out = run_cli("progress", "--db", db, "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("key,indicator,component,goal")


@pytest.mark.libreoffice
def test_report_xlsx_and_pdf(demo, tmp_path, libreoffice):
    from sdgxl import libreoffice as lo

    proc = run_cli("report", "--year", str(demo.years[-1]), "--db", str(demo.folder / "sdgxl.sqlite"),
                   "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    xlsx = tmp_path / f"{demo.years[-1]}_bao-cao-tien-do-sdg.xlsx"
    pdf = xlsx.with_suffix(".pdf")
    assert xlsx.exists() and pdf.exists()
    assert lo.pdf_pages(pdf) >= 4  # the report, the dashboard, the indicator charts
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    if text.returncode == 0:
        assert "BÁO CÁO TIẾN ĐỘ" in text.stdout and "CÁC CƠ QUAN CHƯA BÁO CÁO ĐẦY ĐỦ" in text.stdout


def test_a_verdict_on_a_flagged_value_is_marked_provisional(demo):
    """15.1's 51,7 (a jump from 11,8, far from the roadmap) meets 12,0: the verdict is given,
    by the same method, and says it rests on values the checks flagged."""
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import assess, flatten

    ledger = Ledger(demo.folder / "sdgxl.sqlite")
    con = consolidate(bundled(), ledger, demo.years[-1])
    ledger.close()
    flagged = {(i["indicator"], i["component"]) for i in con.issues
               if i["code"] in ("value-far-from-roadmap", "value-jump") and i["superseded_by"] is None}
    assert flagged
    rows = flatten(assess(con))
    marked = {(a.indicator, a.component) for a in rows if a.flags}
    assert marked and marked <= flagged | {(a.indicator, None) for a in rows if a.parts}
    a = next(a for a in rows if a.flags and not a.parts)
    assert a.to_dict("en")["provisional"] is True
    assert "Provisional, rests on a flagged value" in a.milestone_text("en")
    assert "Tạm thời, dựa trên giá trị bị cảnh báo" in a.milestone_text()
    clean = [a for a in rows if not a.flags and not a.parts]
    assert clean and not any("Provisional" in a.milestone_text("en") for a in clean)


def test_relative_change_targets_give_a_required_rate():
    # 3.6a: "Giảm 20% so với 5 năm trước" — a 20 % fall every five years
    required = (1 - 0.20) ** (1 / 5) - 1
    a = assess_row(bundled(), row_with("3.6a", {2022: 40.0, 2026: 33.0}), 2026)
    assert a.direction == -1 and a.target is None
    assert a.measure.cagr_required == pytest.approx(required)
    assert a.measure.ratio == pytest.approx(-cagr(33, 40, 4) / abs(required))
    assert a.status is Status.on_track  # 4.7 %/year down, 4.4 %/year asked
    slow = assess_row(bundled(), row_with("3.6a", {2022: 40.0, 2026: 38.0}), 2026)
    assert slow.status is Status.limited_progress
    # 14.1b: "Tăng 10% so với 5 năm trước"
    up = assess_row(bundled(), row_with("14.1b", {2024: 40.0, 2026: 42.0}), 2026)
    assert up.measure.cagr_required == pytest.approx(1.1 ** (1 / 5) - 1) and up.status is Status.on_track


def test_dashboard_has_agency_and_year_rollups(demo):
    import openpyxl

    ws = openpyxl.load_workbook(demo.last.consolidated)["Bảng điều khiển"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in cells for v in row if v is not None]
    assert "Đánh giá theo cơ quan báo cáo" in flat and "Đánh giá qua các năm (theo số liệu đến từng năm)" in flat
    at = next(i for i, row in enumerate(cells) if row[0] == "Đánh giá qua các năm (theo số liệu đến từng năm)")
    years = [row[0] for row in cells[at + 2: at + 2 + len(demo.years)]]
    assert years == [str(y) for y in demo.years]
    for row in cells[at + 2: at + 2 + len(demo.years)]:
        assert sum(v for v in row[1:7] if isinstance(v, (int, float))) == 120


def test_english_workbook_against_the_roadmap_has_english_numbers(demo, tmp_path):
    import openpyxl

    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.outputs.workbook import write_consolidated
    from sdgxl.progress.assess import assess

    ledger = Ledger(demo.folder / "sdgxl.sqlite")
    con = consolidate(bundled(), ledger, demo.years[-1])
    ledger.close()
    path = write_consolidated(con, tmp_path, lang="en", progress=assess(con))
    table = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in table[4]]
    col = header.index("Against the roadmap")
    why = [r[col] for r in table.iter_rows(min_row=6, values_only=True) if r[col]]
    assert any(w.startswith("Milestone") for w in why)
    assert not [w for w in why if re.search(r"\d,\d(?!\d\d)", w)]  # 2,0 / 8,3: never in English
