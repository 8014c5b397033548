"""Make samples/values.csv: realistic values each agency reports, 2016–2026.

Values follow each indicator's roadmap (interpolated between the plan's milestones) with
a deterministic per-indicator pace, so that some indicators are on track, some lag and a
few go the wrong way, as in real reporting. Indicators without numbers in the roadmap get
plausible values for their unit. Run again after a catalogue change:

    python samples/make_samples.py

The output is deterministic (no randomness beyond a hash of the indicator code).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from sdgxl.catalogue import bundled  # noqa: E402
from sdgxl.catalogue.bands import roadmap_numbers  # noqa: E402
from sdgxl.forms.spec import build_spec  # noqa: E402

YEARS = range(2016, 2027)
SOURCES = {
    "SYT": "Báo cáo thống kê y tế",
    "SLDTBXH": "Báo cáo của ngành Lao động - Thương binh và Xã hội",
    "SNNPTNT": "Báo cáo ngành nông nghiệp",
    "STNMT": "Báo cáo hiện trạng môi trường",
    "SGDDT": "Thống kê giáo dục đầu năm học",
    "SCT": "Báo cáo ngành công thương",
    "SKHDT": "Niên giám thống kê tỉnh",
    "STC": "Báo cáo quyết toán ngân sách",
}
QUALITATIVE = {
    "3.4": "Đã triển khai cai nghiện tại gia đình và cộng đồng ở {n} xã, phường theo Quyết định 2263/QĐ-UBND.",
    "8.10": "Tín dụng tăng {n}%/năm; nợ xấu dưới 3% tổng dư nợ.",
    "10.6": "Người dân hài lòng hơn với thủ tục cư trú; {n}% hồ sơ giải quyết trực tuyến.",
}


# plausible levels (around 2020) for indicators whose roadmap gives no number
LEVELS = {
    "3.2b": 1.1, "3.8": 0.6, "3.9#nam": 42.0, "3.9#nu": 1.6, "4.4": 55.0, "4.5": 0.78, "4.7": 60.0,
    "6.6": 1148860.0, "7.3": 182.0, "8.7#ty-le": 3.1, "8.7#so-luong": 4200.0, "8.8": 62.0, "9.5#huyen": 100.0,
    "9.5#xa": 92.0, "9.5#ho": 78.0, "10.2": 0.51, "10.3": 4.2, "11.4": 26000.0, "11.5": 35.0, "11.8": 40.0,
    "12.2#tren-grdp": 0.16, "12.2#binh-quan-dau-nguoi": 8.5,
    "12.7a": 12.0, "12.8": 18.0, "14.4": 15.0, "15.5": 45.0, "16.1": 12.0, "16.3": 55.0,
    "16.4": 20.0, "16.7": 70.0, "16.9": 3.0, "17.4": 1.0, "17.5": 4500.0, "8.6": 68.0, "8.3": 38.0,
    "14.5": 4.1, "14.2": 1.6, "7.3b": 0.0,
}


def h(text: str) -> float:
    """A stable number in [0, 1) from a text."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 2**32


def milestones(row_roadmap: dict) -> dict[int, float]:
    out = {}
    for year, rv in row_roadmap.items():
        if rv.kind == "number" and rv.value is not None:
            out[int(year)] = rv.value
        elif rv.kind == "range" and rv.low is not None and rv.high is not None:
            out[int(year)] = (rv.low + rv.high) / 2
        elif rv.kind == "comparison" and rv.value is not None:
            out[int(year)] = rv.value * (1.02 if rv.operator in (">", ">=") else 0.95)
    return out


def interpolate(points: dict[int, float], year: int) -> float:
    ys = sorted(points)
    if year <= ys[0]:
        return points[ys[0]]
    if year >= ys[-1]:
        return points[ys[-1]]
    for a, b in itertools.pairwise(ys):
        if a <= year <= b:
            return points[a] + (points[b] - points[a]) * (year - a) / (b - a)
    return points[ys[-1]]


def value_for(ind, comp, kind: str, key: str, year: int) -> float | str | None:
    roadmap = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) else ind.roadmap
    points = milestones(roadmap)
    seed = h(key)
    pace = 0.45 + 0.75 * seed  # < 1: lagging behind the roadmap; > 1: ahead
    if kind == "qualitative":
        text = QUALITATIVE.get(ind.code, "Đã triển khai theo kế hoạch; kết quả năm {year} đạt yêu cầu.")
        return text.format(n=int(10 + 40 * seed), year=year)
    if key in LEVELS:
        v = LEVELS[key] * (1 + 0.015 * (year - 2020) * (1 if seed > 0.3 else -1))
        if LEVELS[key] in (1.0, 3.0):  # a handful of reports or documents
            return float(LEVELS[key])
    elif len(points) >= 2:
        base_year = min(points)
        base = points[base_year]
        target = interpolate(points, year)
        v = base + (target - base) * pace
    elif len(points) == 1:
        v = next(iter(points.values())) * (0.9 + 0.15 * seed)
    else:
        v = {"percentage": 40 + 50 * seed, "rate_of_change": 3 + 6 * seed, "index": 0.5 + 0.3 * seed,
             "count": 20 + 400 * seed, "rate_per_population": 2 + 30 * seed, "money": 200 + 3000 * seed,
             "quantity": 50 + 900 * seed, "multiple": 1.2 + 0.6 * seed}[kind]
        v *= 1 + 0.03 * (year - 2020) * (1 if seed > 0.3 else -1)
    v *= 1 + 0.02 * (h(f"{key}/{year}") - 0.5)  # year-to-year noise
    if kind == "percentage":
        v = min(max(v, 0.0), 100.0)
    if kind == "index":
        v = min(max(v, 0.0), 1.0)
    if kind == "count":
        return float(max(0, round(v)))
    if kind in ("percentage", "rate_of_change", "rate_per_population", "multiple"):
        return round(v, 1)
    if kind == "index":
        return round(v, 2)
    return round(v, 1)


def main() -> None:
    cat = bundled()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["year", "agency", "key", "value", "status", "source", "note"])
    for year in YEARS:
        for agency in cat.reporting_agencies():
            spec = build_spec(cat, agency, year)
            for row in spec.rows:
                ind = cat.indicator(row.indicator)
                comp = next((c for c in ind.components if c.key == row.component), None)
                no_data = not roadmap_numbers(comp.roadmap if comp else ind.roadmap) and row.numeric and (
                    (row.key not in LEVELS and h(row.key + "/nodata") < 0.35) or year < 2019)
                source = SOURCES.get(agency, "Báo cáo của cơ quan") + f" năm {year}"
                if no_data:
                    w.writerow([year, agency, row.key, "", "Chưa có số liệu", "",
                                "Chưa có điều tra, thống kê cho chỉ tiêu này"])
                    continue
                v = value_for(ind, comp, row.unit_kind, row.key, year)
                status = "Ước tính" if h(f"{row.key}/{year}/est") < 0.12 else "Có số liệu"
                value = v if isinstance(v, str) else (str(int(v)) if float(v).is_integer() else repr(v))
                w.writerow([year, agency, row.key, value, status, source, ""])
    (HERE / "values.csv").write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {HERE / 'values.csv'}")


if __name__ == "__main__":
    main()
