"""Progress of every indicator toward the plan's roadmap, from the consolidated table.

Nothing is inferred here: the direction and the target come from the catalogue (each
indicator's ``direction`` and ``aim``, read by hand from the plan), the milestones from its
roadmap (2020, 2025, 2030: only the years the plan states). The method is Open SDG's
(:mod:`sdgxl.progress.measure`); ``docs/progress.md`` lists where it departs and why:

* the base is the reported 2015 value, else the plan's 2015 figure, else the first reported
  year; the base shown is the base used;
* the status is measured toward the next milestone the plan states (the 2030 target once
  the last milestone is past), so the milestone explains the status and never contradicts
  it; "target achieved" is the final target met, checked first;
* a range counts by one rule everywhere: its near end in the desired direction (85-95 rising:
  85) for the required growth and the path, inside or beyond it for "achieved";
* "maintain" keeps the base level (achieved while at or above it);
* an indicator with components gets the mean of their scores (Open SDG's roll-up); the
  components are shown beneath it; roll-ups count indicators.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sdgxl import i18n
from sdgxl.catalogue.models import Aim, Catalogue, Component, Indicator, RoadmapValue, UnitKind, cycle_date
from sdgxl.consolidate import Consolidation, ProvincialRow
from sdgxl.progress.measure import ZERO, Measure, Status, Thresholds, measure, status_of_score
from sdgxl.resources import load_texts

__all__ = ["COLOURS", "ORDER", "Assessment", "Goalpost", "assess", "assess_indicator", "assess_row", "flatten",
           "reason_text", "roadmap_points", "rollup", "status_history", "status_labels"]

MILESTONES = (2020, 2025, 2030)


def status_labels(lang: str = "vi") -> dict[Status, str]:
    """Each status's words in ``lang`` (``[progress.status]`` of the texts)."""
    words = load_texts("en" if lang == "en" else "vi")["progress"]["status"]
    return {st: str(words[st.value]) for st in Status}


def reason_text(reason: str, lang: str = "vi") -> str:
    """Why an indicator is not assessable, in ``lang`` (``[progress.reason]``)."""
    return str(load_texts("en" if lang == "en" else "vi")["progress"]["reason"].get(reason, reason))


COLOURS = {Status.target_achieved: "#1E8449", Status.on_track: "#58D68D", Status.acceleration_needed: "#F4D03F",
           Status.limited_progress: "#F39C12", Status.deterioration: "#E74C3C", Status.not_assessable: "#D5D8DC"}
ORDER = list(Status)


@dataclass(frozen=True)
class Goalpost:
    """A value the plan asks for by a year: the final target or a milestone.

    ``value`` is what the growth is measured toward (a range's near end in the desired
    direction); ``met`` says whether a value meets it as the plan states it."""

    year: int
    value: float
    text: str
    met: Callable[[float], bool]
    cell: RoadmapValue | None = None  # the plan's cell it was read from (its figures, parsed)
    strict: bool = False  # a strict bound (> 2): a value equal to it does not meet it

    def shown(self, lang: str = "vi") -> str:
        """The goalpost as the plan prints it (vi), or its parsed figures in ``lang``'s numbers."""
        return figure_text(self.cell, lang) if self.cell is not None else self.text


def figure_text(rv: RoadmapValue | None, lang: str = "vi") -> str:
    """A roadmap cell for a reader of ``lang``: the plan's printed text in Vietnamese; in
    English its parsed figures written with English numbers (2,0 → 2; 8,3 → 8.3; 85-95;
    > 90), the printed text only where nothing was parsed (words)."""
    if rv is None:
        return ""
    if lang != "en":
        return rv.text
    def n(v: float) -> str:
        return i18n.number(v, lang)
    if rv.kind == "number" and rv.value is not None:
        return n(rv.value) + (" %" if rv.text.rstrip().endswith("%") else "")
    if rv.kind == "comparison" and rv.value is not None and rv.operator:
        return f"{rv.operator} {n(rv.value)}"
    if rv.kind == "range" and rv.low is not None and rv.high is not None:
        return f"{n(rv.low)}-{n(rv.high)}"
    if rv.kind == "ratio" and rv.parts:
        return " : ".join(n(v) for v in rv.parts)
    if rv.kind == "relative_change" and rv.change_pct is not None and rv.direction in ("increase", "decrease"):
        pct = n(abs(rv.change_pct)) + (f"-{n(abs(rv.change_pct_high))}" if rv.change_pct_high is not None else "")
        ref = (rv.reference or "").strip()
        words = {"so với 5 năm trước": "vs 5 years before", "so với năm gốc": "vs the base year"}
        if ref.startswith("hàng năm"):
            rest = ref[len("hàng năm"):].strip()
            ref = "a year" + (f" ({rest})" if rest else "")
        else:
            ref = words.get(ref, f"({ref})" if ref else "")
        return f"{'Rise' if rv.direction == 'increase' else 'Fall'} {pct} % {ref}".rstrip()
    return rv.text


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
    target_text: str  # the final target as the plan prints it (Vietnamese)
    target: float | None  # the value the status is measured toward (the reference's)
    base_source: str | None = None  # "reported" or "plan": where the base comes from
    reference: Goalpost | None = None  # the milestone (or final target) the status is measured toward
    path_value: float | None = None  # the compound path to the reference, at the latest year
    direction_name: str | None = None  # increase, decrease, maintain, range
    parts: list[Assessment] = field(default_factory=list)  # the components, for an indicator that has some
    target_cell: RoadmapValue | None = None  # the plan's cell of the final target (figures parsed)
    label_text: str | None = None  # a component's label
    flags: list[str] = field(default_factory=list)  # warnings on the value the verdict rests on
    final: Goalpost | None = None  # the plan's aim (its year and value): what "target achieved" is checked against

    def target_in(self, lang: str = "vi") -> str:
        """The final target for a reader of ``lang`` (:func:`figure_text`)."""
        return figure_text(self.target_cell, lang) if self.target_cell is not None else self.target_text

    def flag_text(self, lang: str = "vi") -> str:
        """Why the verdict is provisional: the warnings on the value it rests on, else ""."""
        if not self.flags:
            return ""
        words = load_texts("en" if lang == "en" else "vi")["progress"]["flag"]
        return str(words["lead"]) + ", ".join(str(words.get(c, c)) for c in self.flags)

    def summary_line(self, lang: str = "vi", target_word: str = "") -> str:
        """One line of a list: code (agencies): the latest value(s), the target; an indicator
        with components shows theirs and its explanation (the mean score)."""
        head = f"{self.key.replace('#', ' ')} ({', '.join(self.agencies)}): "
        if self.parts:
            return head + "; ".join(x for x in (self.latest_text(lang), self.milestone_text(lang)) if x)
        target = self.target_in(lang)
        return head + self.latest_text(lang) + (f", {target_word}: {target}" if target and target_word else "")

    def latest_text(self, lang: str = "vi") -> str:
        """The latest value and its year; for an indicator with components, each component's."""
        if self.parts:
            return "; ".join(f"{p.label_text or p.component}: {p.latest_text(lang)}" for p in self.parts
                             if p.latest is not None)
        return f"{i18n.number(self.latest[1], lang)} ({self.latest[0]})" if self.latest else ""

    @property
    def status(self) -> Status:
        return self.measure.status

    @property
    def milestone_year(self) -> int | None:
        return self.reference.year if self.reference else None

    def label(self, lang: str = "vi") -> str:
        return status_labels(lang)[self.status]

    def reason(self, lang: str = "vi") -> str:
        r = self.measure.reason
        return reason_text(r, lang) if r else ""

    def milestone_text(self, lang: str = "vi") -> str:
        """What the status was measured against, in figures (its explanation); a verdict
        resting on a flagged value says so."""
        return "; ".join(x for x in (self._measured_text(lang), self.flag_text(lang)) if x)

    def _measured_text(self, lang: str) -> str:
        vi = lang != "en"
        m = self.measure

        def num(v: float) -> str:
            return i18n.number(round(v, 2) + 0.0, lang)  # + 0.0: never "-0"

        def pct(v: float) -> str:
            return i18n.number(round(100 * v, 2) + 0.0, lang) + " %"

        if self.parts:
            scored = [p for p in self.parts if p.measure.score is not None]
            if not scored:
                return ""
            mean = sum(p.measure.score or 0 for p in scored) / len(scored)
            return (f"Điểm trung bình của {len(scored)}/{len(self.parts)} thành phần: {num(mean)} (thang −5…5)" if vi
                    else f"Mean score of {len(scored)}/{len(self.parts)} components: {num(mean)} (−5…5)")
        if self.status is Status.target_achieved and self.target_text:
            return (f"Đạt mục tiêu: {self.target_in(lang)}" if vi else f"Target met: {self.target_in(lang)}")
        if self.status is Status.not_assessable or self.latest is None:
            return ""
        ref = self.reference
        if ref is not None and self.path_value is not None:
            what = ("Giữ mức cơ sở" if vi else "Keep the base level") if self.direction_name == "maintain" else (
                f"Mốc {ref.year}: {ref.shown(lang)}" if vi else f"Milestone {ref.year}: {ref.shown(lang)}")
            asks = (f"{ref.cell.operator} " if ref.strict and ref.cell is not None and ref.cell.operator else "") \
                + num(self.path_value)
            return (f"{what}; theo lộ trình năm {self.latest[0]} cần {asks}, thực hiện "
                    f"{num(self.latest[1])}" if vi else
                    f"{what}; the path asks {asks} for {self.latest[0]}, reported "
                    f"{num(self.latest[1])}")
        if m.cagr_required is not None and m.cagr_observed is not None:
            return (f"Cần {pct(m.cagr_required)}/năm ({self.target_in(lang)}); thực hiện {pct(m.cagr_observed)}/năm"
                    if vi else
                    f"{pct(m.cagr_required)} a year asked ({self.target_in(lang)}); {pct(m.cagr_observed)} a year")
        if m.cagr_observed is not None and m.ratio is not None:
            # the signed progress the verdict uses (p = s·d·CAGR), never the raw growth: a value
            # that should fall and rose 1,17 %/year shows −1,17 %/year
            falling = self.direction is not None and self.direction < 0
            return (("Không có chỉ tiêu số" + (", giảm là tốt" if falling else "") + f": tiến bộ {pct(m.ratio)}/năm"
                     + " (đúng tiến độ từ 1,5 %/năm"
                     + (f", hệ số giới hạn {num(m.coefficient)}" if m.coefficient is not None else "") + ")") if vi
                    else ("No numeric target" + (", falling is better" if falling else "")
                          + f": progress {pct(m.ratio)} a year (on track from 1.5 % a year"
                          + (f", limit coefficient {num(m.coefficient)}" if m.coefficient is not None else "") + ")"))
        return ""

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "key": self.key, "indicator": self.indicator, "component": self.component, "goal": self.goal,
            "agencies": self.agencies, "status": self.status.value, "label": self.label(lang),
            "provisional": bool(self.flags), "flags": list(self.flags),
            "reason": self.measure.reason, "ratio": self.measure.ratio, "score": self.measure.score,
            "cagr_observed": self.measure.cagr_observed, "cagr_required": self.measure.cagr_required,
            "direction": self.direction, "direction_name": self.direction_name,
            "base_year": self.base[0] if self.base else None,
            "base_value": self.base[1] if self.base else None, "base_source": self.base_source,
            "latest_year": self.latest[0] if self.latest else None,
            "latest_value": self.latest[1] if self.latest else None, "target": self.target_in(lang),
            "target_value": self.target, "milestone_year": self.milestone_year,
            "milestone": self.reference.shown(lang) if self.reference else None,
            "path_value": self.path_value, "explanation": self.milestone_text(lang),
        }


# --------------------------------------------------------------------------- one rule for targets
def _goalpost(year: int, kind: str, text: str, d: int, direction: str | None, base: float | None, *,
              value: float | None = None, operator: str | None = None, low: float | None = None,
              high: float | None = None, cell: RoadmapValue | None = None) -> Goalpost | None:
    """The one reading of a level, a bound or a range, for the status and the milestones alike."""
    if kind in ("level", "number") and value is not None:
        v = value
        return Goalpost(year, v, text, (lambda x: x >= v) if d > 0 else (lambda x: x <= v), cell)
    if kind in ("bound", "comparison") and value is not None and operator:
        v = value
        tests: dict[str, Callable[[float], bool]] = {
            ">": lambda x: x > v, ">=": lambda x: x >= v, "<": lambda x: x < v, "<=": lambda x: x <= v}
        return Goalpost(year, v, text, tests[operator], cell, operator in (">", "<"))
    if kind == "range" and low is not None and high is not None:
        lo, hi = low, high
        if direction == "range":  # inside it; measured toward the end nearest the base
            near = lo if base is None or base < lo else hi
            return Goalpost(year, near, text, lambda x: lo <= x <= hi, cell)
        if d > 0:
            return Goalpost(year, lo, text, lambda x: x >= lo, cell)  # inside, or beyond in the desired direction
        return Goalpost(year, hi, text, lambda x: x <= hi, cell)
    return None


def _final(aim: Aim | None, text: str, d: int, direction: str | None, base: float | None,
           cell: RoadmapValue | None = None) -> Goalpost | None:
    if aim is None:
        return None
    if aim.kind == "relative_change" and aim.per_years is None and base is not None and aim.low is not None \
            and aim.high is not None:  # "giảm 20-25%" by the aim's year, from the base: a level
        v = base * (1 + (aim.low + aim.high) / 200)
        return _goalpost(aim.year, "level", text, d, direction, base, value=v)
    return _goalpost(aim.year, aim.kind, text, d, direction, base, value=aim.value, operator=aim.operator,
                     low=aim.low, high=aim.high, cell=cell)


def _milestone(rv: RoadmapValue | None, year: int, d: int, direction: str | None,
               base: float | None) -> Goalpost | None:
    if rv is None:
        return None
    return _goalpost(year, rv.kind, rv.text, d, direction, base, value=rv.value, operator=rv.operator,
                     low=rv.low, high=rv.high, cell=rv)


def _required_rate(aim: Aim | None) -> float | None:
    """The annual rate an annual or relative change asks for (mid-point of its ends)."""
    if aim is None or aim.low is None or aim.high is None:
        return None
    mid = (aim.low + aim.high) / 2
    if aim.kind == "annual_rate":
        return mid / 100
    if aim.kind == "relative_change" and aim.per_years:
        return float((1 + mid / 100) ** (1 / aim.per_years) - 1)
    return None


# --------------------------------------------------------------------------- assessment
def _parts_of(ind: Indicator, comp: Component | None) -> tuple[dict[str, RoadmapValue], Aim | None]:
    if comp is not None and (comp.aim is not None or any(rv.text for rv in comp.roadmap.values())):
        return comp.roadmap, comp.aim
    return ind.roadmap, ind.aim


def assess_row(cat: Catalogue, row: ProvincialRow, year: int, thresholds: Thresholds = Thresholds()) -> Assessment:
    """One series (an indicator, or one of its components) against the plan."""
    ind, comp = row.indicator, row.component
    road, aim = _parts_of(ind, comp)
    series = {y: c.value for y, c in row.years.items() if y <= year and c.value is not None}
    agencies = cat.row_owners(ind, comp, cycle_date(year))  # who reports it this year
    direction = ind.direction
    d = {"increase": 1, "decrease": -1}.get(direction or "", 1 if direction == "maintain" else 0)
    plan_base = road.get("2015")
    plan_value = plan_base.value if plan_base is not None and plan_base.kind == "number" else None
    if 2015 in series:
        base, source = (2015, series[2015]), "reported"
    elif plan_value is not None:
        base, source = (2015, plan_value), "plan"
    elif series:
        first = min(y for y in series if y >= 2015) if any(y >= 2015 for y in series) else min(series)
        base, source = (first, series[first]), "reported"
    else:
        base, source = None, None
    latest = (max(series), series[max(series)]) if series else None
    end = road.get(str(aim.year)) if aim is not None else road.get("2030")
    target_text = end.text if end is not None else ""
    kind = comp.unit_kind if comp is not None and comp.unit_kind else ind.unit_kind

    def done(m: Measure, ref: Goalpost | None = None, path: float | None = None,
             d_: int | None = None, final: Goalpost | None = None) -> Assessment:
        return Assessment(row.key, ind.code, comp.key if comp else None, cat.goal_of(ind), agencies, m,
                          d_ if d_ is not None else (d or None), base, latest, target_text,
                          ref.value if ref else None, source if base else None, ref, path, direction,
                          target_cell=end, label_text=comp.label if comp else None, final=final)

    if kind is UnitKind.qualitative:
        return done(Measure(Status.not_assessable, reason="qualitative"))
    if not series or latest is None or base is None:
        return done(Measure(Status.not_assessable, reason="no_data"))
    if not d and direction != "range":
        return done(Measure(Status.not_assessable, reason="no_target"))
    y0 = base[1]
    if direction == "maintain":
        keep = Goalpost(base[0], y0, "", lambda x: x >= y0)
        m = measure(series, direction=1, target=y0, achieved=keep.met(latest[1]) and latest[0] > base[0],
                    base_year=base[0], base_value=y0, target_year=2030, thresholds=thresholds)
        return done(m, keep, y0 if m.status is not Status.not_assessable else None, 1,
                    Goalpost(2030, y0, "", keep.met))
    final = _final(aim, target_text, d, direction, y0, end)
    if direction == "range" and final is not None:
        d = 1 if final.value >= y0 else -1
    if final is None:  # a direction without a figure: the annual rate asked, else no target
        rate = _required_rate(aim)
        limit = 100.0 if kind is UnitKind.percentage and d > 0 and rate is None else None
        m = measure(series, direction=d, base_year=base[0], base_value=y0, required_rate=rate, limit=limit,
                    thresholds=thresholds)
        return done(m)
    ref = _reference(road, aim, final, latest, d, direction, y0)
    achieved = final.met(latest[1])
    # a target year at or before the first data (12.5a: 50 % by 2020, first reported 2024):
    # the target is due now, so the growth it asks is measured to the latest year
    due = ref.year if ref.year > base[0] else latest[0]
    m = measure(series, direction=d, target=ref.value, achieved=achieved, base_year=base[0], base_value=y0,
                target_year=due, strict=ref.strict, thresholds=thresholds)
    path = None
    if m.cagr_required is not None and m.status is not Status.not_assessable:
        path = (y0 or ZERO) * (1 + m.cagr_required) ** (min(latest[0], due) - base[0])
    return done(m, ref, path, final=final)


def _reference(road: dict[str, RoadmapValue], aim: Aim | None, final: Goalpost, latest: tuple[int, float],
               d: int, direction: str | None, y0: float) -> Goalpost:
    """The goalpost the status is measured toward, one rule for every milestone: a milestone
    already due (its year before the latest) stays the bar until the latest value meets it
    (the latest such one); else the next milestone the plan states; else the final target
    (which, once due, stays the bar the same way: 15.7, 80 by 2025)."""
    posts = [p for my in MILESTONES if aim is None or my <= aim.year
             for p in [_milestone(road.get(str(my)), my, d, direction, y0)] if p is not None]
    due = [p for p in posts if p.year < latest[0] and not p.met(latest[1])]
    if due:
        return due[-1]
    return next((p for p in posts if p.year >= latest[0]), final)


def roadmap_points(ind: Indicator, comp: Component | None) -> dict[int, float]:
    """The plan's figures by year for a chart: the 2015 base and each milestone's value, a
    range by the same rule as the status (its near end in the desired direction)."""
    road, _ = _parts_of(ind, comp)
    d = {"increase": 1, "decrease": -1}.get(ind.direction or "", 1)
    base = road.get("2015")
    y0 = base.value if base is not None and base.kind == "number" else None
    out: dict[int, float] = {2015: y0} if y0 is not None else {}
    for my in MILESTONES:
        post = _milestone(road.get(str(my)), my, d, ind.direction, y0)
        if post is not None:
            out[my] = post.value
    return out


def assess_indicator(cat: Catalogue, rows: list[ProvincialRow], year: int,
                     thresholds: Thresholds = Thresholds()) -> Assessment:
    """An indicator: its own series, or its components' rolled up (the mean of their scores)."""
    if len(rows) == 1 and rows[0].component is None:
        return assess_row(cat, rows[0], year, thresholds)
    parts = [assess_row(cat, r, year, thresholds) for r in rows]
    ind = rows[0].indicator
    scored = [p for p in parts if p.measure.score is not None]
    if scored:
        mean = sum(p.measure.score or 0.0 for p in scored) / len(scored)
        achieved = all(p.status is Status.target_achieved for p in scored) and len(scored) == len(parts)
        m = Measure(status_of_score(mean, achieved), score=mean)
    else:
        reasons = [p.measure.reason for p in parts if p.measure.reason]
        m = Measure(Status.not_assessable, reason=reasons[0] if reasons else "no_data")
    agencies = list(dict.fromkeys(a for p in parts for a in p.agencies))
    aim_cell = ind.roadmap.get(str(ind.aim.year)) if ind.aim else ind.roadmap.get("2030")
    return Assessment(ind.code, ind.code, None, cat.goal_of(ind), agencies, m, parts[0].direction if parts else None,
                      None, None, aim_cell.text if aim_cell else "", None, direction_name=ind.direction, parts=parts)


def _grouped(con: Consolidation) -> Iterator[list[ProvincialRow]]:
    group: list[ProvincialRow] = []
    for row in con.rows:
        if group and row.indicator.code != group[0].indicator.code:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


FLAG_CODES = ("value-far-from-roadmap", "value-jump")


def assess(con: Consolidation, thresholds: Thresholds = Thresholds(), year: int | None = None) -> list[Assessment]:
    """One assessment per indicator (its components beneath it, in ``parts``).

    A verdict whose latest value the checks flagged (far from the roadmap, an unusual jump:
    warnings, so the value is in the ledger) is still given, by the same method, but marked
    provisional (``flags``; the explanation says so): the official sees it rests on a value
    the agency is asked to confirm. An indicator is provisional when a component is."""
    flagged: dict[tuple[str, str | None, int], list[str]] = {}
    for i in con.issues:
        if i.get("code") in FLAG_CODES and i.get("superseded_by") is None and i.get("year") == con.year:
            codes = flagged.setdefault((str(i["indicator"]), i.get("component") or None, int(i["submission_id"])), [])
            if i["code"] not in codes:
                codes.append(str(i["code"]))
    out = []
    for g in _grouped(con):
        a = assess_indicator(con.catalogue, g, year or con.year, thresholds)
        for row, part in zip(g, a.parts or [a], strict=True):
            cell = row.years.get(part.latest[0]) if part.latest is not None else None
            if cell is not None and part.latest is not None and part.latest[0] == con.year:
                key = (row.indicator.code, row.component.key if row.component else None, cell.submission_id)
                part.flags = sorted(flagged.get(key, []), key=FLAG_CODES.index)
        if a.parts:
            a.flags = [c for c in FLAG_CODES if any(c in p.flags for p in a.parts)]
        out.append(a)
    return out


def flatten(assessments: list[Assessment]) -> list[Assessment]:
    """Each indicator followed by its components: the rows of a table."""
    return [x for a in assessments for x in (a, *a.parts)]


def rollup(assessments: list[Assessment], by: str = "goal") -> dict[Any, Counter[Status]]:
    """Counts of indicators in each status per goal (``by="goal"``) or per agency (``by="agency"``)."""
    out: dict[Any, Counter[Status]] = {}
    for a in assessments:
        keys = [a.goal] if by == "goal" else a.agencies
        for k in keys:
            out.setdefault(k, Counter())[a.status] += 1
    return dict(sorted(out.items(), key=lambda kv: (str(type(kv[0])), kv[0])))


def status_history(con: Consolidation, thresholds: Thresholds = Thresholds()) -> dict[int, Counter[Status]]:
    """The count of indicators in each status as it stood each year (data up to that year)."""
    out: dict[int, Counter[Status]] = {}
    for y in con.years:
        if y < 2016:
            continue
        out[y] = Counter(a.status for a in assess(con, thresholds, year=y))
    return out
