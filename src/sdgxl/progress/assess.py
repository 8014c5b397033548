"""Progress of every indicator toward the plan's roadmap, from the consolidated table.

Reads the Vietnamese roadmap: the 2030 cell is the target (a number; a bound such as
``>85`` or ``từ 80% trở lên``; a range such as ``85-95``, achieved inside it or beyond it
in the desired direction); the desired direction comes from the roadmap (a falling target
means lower is better) unless the catalogue overrides it; the 2015 cell is the base when
it is a number. Milestones (2020, 2025) give a path, interpolated year by year, so that
"behind the 2025 milestone" shows even when 2030 is far away.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sdgxl.catalogue.models import Catalogue, Component, Indicator, RoadmapValue
from sdgxl.consolidate import Consolidation, ProvincialRow
from sdgxl.i18n import number
from sdgxl.progress.measure import Measure, Status, Thresholds, measure

__all__ = ["COLOURS", "LABELS", "Assessment", "assess", "assess_row", "rollup", "status_history"]

MILESTONES = (2015, 2020, 2025, 2030)

LABELS = {
    "vi": {Status.target_achieved: "Đã đạt mục tiêu", Status.on_track: "Đúng tiến độ",
           Status.acceleration_needed: "Có tiến bộ, cần đẩy nhanh", Status.limited_progress: "Tiến bộ hạn chế",
           Status.deterioration: "Đi xuống", Status.not_assessable: "Chưa đánh giá được"},
    "en": {Status.target_achieved: "Target achieved", Status.on_track: "On track",
           Status.acceleration_needed: "Progress, acceleration needed", Status.limited_progress: "Limited progress",
           Status.deterioration: "Deterioration", Status.not_assessable: "Not assessable"},
}
REASONS = {
    "vi": {"qualitative": "mục tiêu định tính", "few_points": "chưa đủ số liệu (cần ít nhất 2 năm)",
           "no_target": "lộ trình không có chỉ tiêu định lượng", "sign": "số liệu đổi dấu (âm/dương)",
           "no_data": "chưa có số liệu"},
    "en": {"qualitative": "qualitative target", "few_points": "too few data points (two years needed)",
           "no_target": "no quantitative target", "sign": "values change sign", "no_data": "no data"},
}
COLOURS = {Status.target_achieved: "#1E8449", Status.on_track: "#58D68D", Status.acceleration_needed: "#F4D03F",
           Status.limited_progress: "#F39C12", Status.deterioration: "#E74C3C", Status.not_assessable: "#D5D8DC"}
ORDER = list(LABELS["vi"])


@dataclass
class Assessment:
    key: str
    indicator: str
    component: str | None
    goal: int
    agencies: list[str]
    measure: Measure
    direction: int | None
    base: tuple[int, float] | None
    latest: tuple[int, float] | None
    target_text: str
    target: float | None
    path_value: float | None = None  # the roadmap's value for the latest year (interpolated)
    milestone_year: int | None = None
    behind: bool | None = None

    @property
    def status(self) -> Status:
        return self.measure.status

    def label(self, lang: str = "vi") -> str:
        return LABELS["en" if lang == "en" else "vi"][self.status]

    def reason(self, lang: str = "vi") -> str:
        r = self.measure.reason
        return REASONS["en" if lang == "en" else "vi"].get(r, r or "") if r else ""

    def milestone_text(self, lang: str = "vi") -> str:
        if self.behind is None or self.path_value is None or self.latest is None:
            return ""
        vi = lang != "en"
        path = number(float(f"{self.path_value:.3g}"), lang)
        if self.behind:
            return (f"Chậm so với lộ trình (mốc {self.milestone_year}; theo lộ trình năm {self.latest[0]}: {path})"
                    if vi else f"Behind the {self.milestone_year} milestone (path for {self.latest[0]}: {path})")
        return (f"Đạt hoặc vượt lộ trình (mốc {self.milestone_year})" if vi
                else f"On or ahead of the {self.milestone_year} milestone")

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "key": self.key, "indicator": self.indicator, "component": self.component, "goal": self.goal,
            "agencies": self.agencies, "status": self.status.value, "label": self.label(lang),
            "reason": self.measure.reason, "ratio": self.measure.ratio,
            "cagr_observed": self.measure.cagr_observed, "cagr_required": self.measure.cagr_required,
            "direction": self.direction, "base_year": self.base[0] if self.base else None,
            "base_value": self.base[1] if self.base else None,
            "latest_year": self.latest[0] if self.latest else None,
            "latest_value": self.latest[1] if self.latest else None, "target": self.target_text,
            "target_value": self.target, "path_value": self.path_value, "milestone_year": self.milestone_year,
            "behind": self.behind,
        }


def _num(rv: RoadmapValue | None) -> float | None:
    if rv is None:
        return None
    if rv.kind in ("number", "comparison"):
        return rv.value
    if rv.kind == "range" and rv.low is not None and rv.high is not None:
        return (rv.low + rv.high) / 2
    return None


def _roadmap(ind: Indicator, comp: Component | None) -> dict[str, RoadmapValue]:
    if comp is not None and any(rv.text for rv in comp.roadmap.values()):
        return comp.roadmap
    return ind.roadmap


def _direction(ind: Indicator, road: dict[str, RoadmapValue], first: float | None) -> int | None:
    if ind.direction in ("increase", "decrease"):
        return 1 if ind.direction == "increase" else -1
    goal = road.get("2030")
    if goal is not None and goal.kind == "comparison" and goal.operator:
        return 1 if goal.operator.startswith(">") else -1
    nums = [(int(y), _num(rv)) for y, rv in sorted(road.items()) if _num(rv) is not None]
    if len(nums) >= 2 and nums[-1][1] != nums[0][1]:
        return 1 if (nums[-1][1] or 0) > (nums[0][1] or 0) else -1
    end = _num(goal)
    if end is not None and first is not None and end != first:
        return 1 if end > first else -1
    for rv in road.values():
        if rv.kind == "relative_change" and rv.direction in ("increase", "decrease"):
            return 1 if rv.direction == "increase" else -1
    if nums:
        return 1  # a level to keep (100 → 100): at least as high is good
    return None


def _target(road: dict[str, RoadmapValue], d: int) -> tuple[float | None, Any]:
    """(numeric target, test of achievement) from the 2030 cell."""
    rv = road.get("2030")
    if rv is None:
        return None, None
    if rv.kind == "number" and rv.value is not None:
        v = rv.value
        return v, (lambda x: x >= v) if d > 0 else (lambda x: x <= v)
    if rv.kind == "comparison" and rv.value is not None and rv.operator:
        v, op = rv.value, rv.operator
        tests = {">": lambda x: x > v, ">=": lambda x: x >= v, "<": lambda x: x < v, "<=": lambda x: x <= v}
        return v, tests[op]
    if rv.kind == "range" and rv.low is not None and rv.high is not None:
        lo, hi = rv.low, rv.high
        if d > 0:
            return lo, (lambda x: x >= lo)  # inside the range, or beyond it in the desired direction
        return hi, (lambda x: x <= hi)
    return None, None


def _path(road: dict[str, RoadmapValue], base: tuple[int, float] | None, year: int) -> tuple[float | None, int | None]:
    """The roadmap's value for ``year`` (linear between milestones) and the milestone it heads to."""
    points = {int(y): _num(rv) for y, rv in road.items() if _num(rv) is not None}
    pts: dict[int, float] = {y: v for y, v in points.items() if v is not None}
    if base is not None:
        pts.setdefault(base[0], base[1])
    if len(pts) < 2:
        return None, None
    years = sorted(pts)
    nxt = next((m for m in MILESTONES if m >= year and m in pts), years[-1])
    if year <= years[0]:
        return pts[years[0]], nxt
    if year >= years[-1]:
        return pts[years[-1]], years[-1]
    for a, b in itertools.pairwise(years):
        if a <= year <= b:
            return pts[a] + (pts[b] - pts[a]) * (year - a) / (b - a), nxt
    return None, None


def _required_rate(rv: RoadmapValue | None) -> float | None:
    """The annual rate a relative-change target asks for: "Giảm 20% so với 5 năm trước" is
    a fall of 20 % every five years; "so với năm gốc" (the base) spreads it over 2015–2030."""
    if rv is None or rv.kind != "relative_change" or rv.change_pct is None:
        return None
    pct = rv.change_pct if rv.change_pct_high is None else (rv.change_pct + rv.change_pct_high) / 2
    ref = (rv.reference or "").lower()
    if "hàng năm" in ref or "mỗi năm" in ref:
        return pct / 100
    years = 15 if "gốc" in ref else 5
    return float((1 + pct / 100) ** (1 / years) - 1)


def assess_row(cat: Catalogue, row: ProvincialRow, year: int, thresholds: Thresholds = Thresholds()) -> Assessment:
    ind, comp = row.indicator, row.component
    road = _roadmap(ind, comp)
    series = {y: c.value for y, c in row.years.items() if y <= year and c.value is not None}
    agencies = [comp.agency] if comp is not None and comp.agency else list(ind.agencies)
    base_rv = road.get("2015")
    base_value = base_rv.value if base_rv is not None and base_rv.kind == "number" else None
    first = base_value if base_value is not None else (series[min(series)] if series else None)
    d = _direction(ind, road, first)
    target, test = _target(road, d or 1)
    end = road.get("2030")
    target_text = end.text if end else ""
    latest = (max(series), series[max(series)]) if series else None
    base = (2015, base_value) if base_value is not None else ((min(series), series[min(series)]) if series else None)
    kind = (comp.unit_kind if comp is not None and comp.unit_kind else ind.unit_kind).value
    key = row.key
    goal = cat.goal_of(ind)

    def done(m: Measure) -> Assessment:
        return Assessment(key, ind.code, comp.key if comp else None, goal, agencies, m, d, base, latest, target_text,
                          target)

    if kind == "qualitative" or (target is None and end is not None and end.kind in ("qualitative",)):
        return done(Measure(Status.not_assessable, reason="qualitative"))
    if not series:
        return done(Measure(Status.not_assessable, reason="no_data"))
    if d is None:
        return done(Measure(Status.not_assessable, reason="no_target"))
    achieved = bool(test(latest[1])) if test is not None and latest is not None else None
    m = measure(series, direction=d, target=target, achieved=achieved, base_value=base_value,
                required_rate=_required_rate(end) if target is None else None, thresholds=thresholds)
    a = done(m)
    if latest is not None and m.status is not Status.not_assessable:
        path, milestone = _path(road, base, latest[0])
        if path is not None:
            a.path_value, a.milestone_year = path, milestone
            a.behind = (latest[1] - path) * d < 0 and not (achieved or False)
    return a


def assess(con: Consolidation, thresholds: Thresholds = Thresholds(), year: int | None = None) -> list[Assessment]:
    return [assess_row(con.catalogue, row, year or con.year, thresholds) for row in con.rows]


def rollup(assessments: list[Assessment], by: str = "goal") -> dict[Any, Counter[Status]]:
    """Counts of each status per goal (``by="goal"``) or per agency (``by="agency"``)."""
    out: dict[Any, Counter[Status]] = {}
    for a in assessments:
        keys = [a.goal] if by == "goal" else a.agencies
        for k in keys:
            out.setdefault(k, Counter())[a.status] += 1
    return dict(sorted(out.items(), key=lambda kv: (str(type(kv[0])), kv[0])))


def status_history(con: Consolidation, thresholds: Thresholds = Thresholds()) -> dict[int, Counter[Status]]:
    """The count of each status as it stood each year (data up to that year)."""
    out: dict[int, Counter[Status]] = {}
    for y in con.years:
        if y < 2016:
            continue
        out[y] = Counter(a.status for a in assess(con, thresholds, year=y))
    return out
