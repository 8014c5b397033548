"""The "expected band" of an indicator: values far outside it deserve a second look.

The band is built from the numbers of the roadmap (2015, 2020, 2025, 2030: numbers,
range ends and comparison bounds), widened by their spread, and clipped to what the
unit kind allows. It is a prompt, never a rule: the form colours a value outside it,
validation gives a warning (like DHIS2's min–max outlier check).
"""

from __future__ import annotations

from sdgxl.catalogue.models import Component, Indicator, RoadmapValue, UnitKind
from sdgxl.catalogue.units import RULES

__all__ = ["expected_band", "roadmap_numbers", "row_kind"]


def roadmap_numbers(roadmap: dict[str, RoadmapValue]) -> list[float]:
    nums: list[float] = []
    for rv in roadmap.values():
        if rv.kind in ("number", "comparison") and rv.value is not None:
            nums.append(rv.value)
        elif rv.kind == "range" and rv.low is not None and rv.high is not None:
            nums += [rv.low, rv.high]
    return nums


def row_kind(indicator: Indicator, component: Component | None) -> UnitKind:
    if component is not None and component.unit_kind is not None:
        return component.unit_kind
    return indicator.unit_kind


def expected_band(indicator: Indicator, component: Component | None = None) -> tuple[float, float] | None:
    """(low, high) of plausible values, or None when the roadmap has no numbers."""
    kind = row_kind(indicator, component)
    rule = RULES[kind]
    if not rule.numeric:
        return None
    nums = roadmap_numbers(component.roadmap if component is not None else indicator.roadmap)
    if not nums:
        return None
    lo, hi = min(nums), max(nums)
    spread = max(hi - lo, 0.5 * max(abs(lo), abs(hi)), 1.0 if kind is not UnitKind.index else 0.05)
    low, high = lo - spread, hi + spread
    if rule.minimum is not None:
        low = max(low, rule.minimum)
    if rule.maximum is not None:
        high = min(high, rule.maximum)
    return round(low, 6), round(high, 6)
