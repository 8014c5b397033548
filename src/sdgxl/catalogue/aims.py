"""The target (aim) a roadmap states, and the review of directions and aims.

The plan's roadmap gives levels for 2015 (the base) and milestones for 2020, 2025 and
2030. The aim is read from the last milestone the plan states: a number is a level, ``>90``
a bound, ``85-95`` a range, ``Giảm 1-1,5% hàng năm`` an annual rate, ``Giảm 20% so với 5
năm trước`` a relative change. ``Phấn đấu giảm …`` or ``Duy trì …`` state a direction and no
target. The direction itself is never read from numbers here: every indicator's direction
is written by hand in ``corrections.toml`` (``[direction]``), and :func:`direction_conflict`
only checks that the hand-written one agrees with the plan's numbers.
"""

from __future__ import annotations

import re

from sdgxl.catalogue.models import Aim, Catalogue, Component, Indicator, RoadmapValue
from sdgxl.errors import CatalogueProblem

__all__ = ["MILESTONES", "aim_from_roadmap", "direction_conflict", "review"]

MILESTONES = ("2020", "2025", "2030")


def aim_from_roadmap(road: dict[str, RoadmapValue]) -> Aim | None:
    """The aim of the last milestone (2030, else 2025, else 2020) that states one."""
    for year in reversed(MILESTONES):
        rv = road.get(year)
        if rv is None or rv.kind in ("empty", "no_data"):
            continue
        return _aim_of_cell(rv, int(year))
    return None


def _aim_of_cell(rv: RoadmapValue, year: int) -> Aim | None:
    if rv.kind == "number" and rv.value is not None:
        return Aim(year=year, kind="level", value=rv.value)
    if rv.kind == "comparison" and rv.value is not None and rv.operator:
        return Aim(year=year, kind="bound", value=rv.value, operator=rv.operator)
    if rv.kind == "range" and rv.low is not None and rv.high is not None:
        return Aim(year=year, kind="range", low=rv.low, high=rv.high)
    if rv.kind == "relative_change" and rv.change_pct is not None:
        ends = [rv.change_pct, rv.change_pct if rv.change_pct_high is None else rv.change_pct_high]
        low, high = min(ends), max(ends)
        ref = (rv.reference or "").casefold()
        if "hàng năm" in ref or "mỗi năm" in ref:
            return Aim(year=year, kind="annual_rate", low=low, high=high)
        m = re.search(r"(\d+)\s*năm trước", ref)
        return Aim(year=year, kind="relative_change", low=low, high=high,
                   per_years=int(m.group(1)) if m else None)
    return None


def _states_target(road: dict[str, RoadmapValue]) -> RoadmapValue | None:
    """The last milestone cell that says something other than a bare direction."""
    for year in reversed(MILESTONES):
        rv = road.get(year)
        if rv is None or rv.kind in ("empty", "no_data"):
            continue
        if rv.kind == "relative_change" and rv.change_pct is None:
            return None  # a direction ("Phấn đấu giảm …", "Duy trì …"), not a target
        return rv
    return None


def direction_conflict(ind: Indicator, base: float | None) -> str | None:
    """Why the hand-written direction contradicts the plan's numbers (None when it agrees)."""
    aim, d = ind.aim, ind.direction
    if aim is None or d in (None, "maintain", "range"):
        return None
    if aim.kind in ("annual_rate", "relative_change") and aim.low is not None and aim.high is not None:
        implied = "increase" if aim.low > 0 else "decrease" if aim.high < 0 else None
    elif aim.kind == "bound" and aim.operator:
        implied = "increase" if aim.operator.startswith(">") else "decrease"
    elif base is not None:
        near = aim.value if aim.kind == "level" else (aim.low if d == "increase" else aim.high)
        implied = None if near is None or near == base else ("increase" if near > base else "decrease")
    else:
        implied = None
    if implied is not None and implied != d:
        return f"direction {d} but the plan's numbers go the other way ({implied})"
    return None


def _parts(ind: Indicator) -> list[tuple[str, Indicator | Component]]:
    if ind.components and any(c.aim is not None or any(rv.text for rv in c.roadmap.values())
                              for c in ind.components):
        return [(f"{ind.code} › {c.key}", c) for c in ind.components]
    return [(ind.code, ind)]


def review(cat: Catalogue) -> list[CatalogueProblem]:
    """Indicators without a direction, and targets the plan states that are left unparsed."""
    out: list[CatalogueProblem] = []
    for ind in cat.indicators:
        if ind.direction is None:
            out.append(CatalogueProblem(ind.code, "cat_no_direction"))
        if ind.unit_kind.value == "qualitative" or ind.aim_note:
            continue
        for where, part in _parts(ind):
            stated = _states_target(part.roadmap)
            if stated is not None and part.aim is None:
                out.append(CatalogueProblem(where, "cat_aim_unparsed", {"text": stated.text}))
    return out
