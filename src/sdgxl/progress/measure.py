"""The progress measure of Statistics Canada, as implemented by Open SDG (sdg-build).

Compound annual growth rate observed since the base year, against the rate required to
reach the 2030 target (or, without a numeric target, against fixed growth thresholds):

* with a target: R = d · CAGRᵢ / |CAGR_T|, where CAGRᵢ = (yᵢ/y₀)^(1/(tᵢ−t₀)) − 1,
  CAGR_T = (y_T/y₀)^(1/(t_T−t₀)) − 1 and d = +1 when higher is better, −1 when lower is
  better. R ≥ 0.95: on track; 0.6 ≤ R < 0.95: progress, acceleration needed; 0 ≤ R < 0.6:
  limited progress; R < 0: deterioration. Reaching the target: target achieved.
* without a target: d · CAGRᵢ ≥ 1.5 %: on track; 0.5–1.5 %: acceleration needed;
  0–0.5 %: limited progress; < 0: deterioration.
* a base or target of 0 is replaced by 0.001; at least two data points are needed, all
  of one sign (all negative: the direction is flipped); otherwise not assessable.

Thresholds are parameters (:class:`Thresholds`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

__all__ = ["Measure", "Status", "Thresholds", "cagr", "measure"]

ZERO = 0.001


class Status(Enum):
    target_achieved = "target_achieved"
    on_track = "on_track"
    acceleration_needed = "acceleration_needed"
    limited_progress = "limited_progress"
    deterioration = "deterioration"
    not_assessable = "not_assessable"


@dataclass(frozen=True)
class Thresholds:
    high: float = 0.95  # R ≥ high: on track
    medium: float = 0.6  # R ≥ medium: progress, acceleration needed
    low: float = 0.0  # R ≥ low: limited progress; below: deterioration
    no_target_high: float = 0.015
    no_target_medium: float = 0.005
    no_target_low: float = 0.0


@dataclass(frozen=True)
class Measure:
    status: Status
    ratio: float | None = None  # R (with a target) or d·CAGR (without)
    cagr_observed: float | None = None
    cagr_required: float | None = None
    reason: str | None = None  # why it is not assessable: "qualitative", "few_points", "no_target", "sign"


def cagr(value: float, base: float, years: float) -> float:
    """Compound annual growth rate from ``base`` to ``value`` over ``years``."""
    return float((value / base) ** (1.0 / years) - 1.0)


def _classify(r: float, high: float, medium: float, low: float) -> Status:
    if r >= high:
        return Status.on_track
    if r >= medium:
        return Status.acceleration_needed
    if r >= low:
        return Status.limited_progress
    return Status.deterioration


def measure(
    series: dict[int, float],
    *,
    direction: int,
    target: float | None = None,
    achieved: bool | None = None,
    base_year: int = 2015,
    base_value: float | None = None,
    target_year: int = 2030,
    required_rate: float | None = None,
    thresholds: Thresholds = Thresholds(),
) -> Measure:
    """Progress of a series (year → value).

    ``direction``: +1 higher is better, −1 lower is better. ``target``: the numeric value to
    reach by ``target_year`` (None: no quantitative target). ``achieved``: whether the
    latest value meets the target as the plan states it (a range, a bound); when None,
    reaching or passing ``target`` in the desired direction counts. ``base_value``: the
    plan's own base (its 2015 figure); else the first year of the series from ``base_year`` on.
    ``required_rate``: the annual growth the plan asks for when it states a relative change
    ("Giảm 20% so với 5 năm trước": (1 − 0.2)^(1/5) − 1) instead of a level: R is then the
    observed rate over the required one, with the same thresholds."""
    points = {y: v for y, v in series.items() if v is not None and math.isfinite(v)}
    if base_value is not None and base_year not in points:
        points[base_year] = base_value
    eligible = sorted(y for y in points if y >= base_year)
    if len(eligible) < 2:
        return Measure(Status.not_assessable, reason="few_points")
    t0, ti = eligible[0], eligible[-1]
    y0, yi = points[t0], points[ti]
    values = [points[y] for y in eligible] + ([target] if target is not None else [])
    if any(v > 0 for v in values) and any(v < 0 for v in values):
        return Measure(Status.not_assessable, reason="sign")
    d = direction
    if all(v <= 0 for v in values) and any(v < 0 for v in values):
        # all negative: measure the magnitudes, with the direction flipped
        y0, yi = -y0, -yi
        target = -target if target is not None else None
        d = -d
    if target is not None:
        met = achieved if achieved is not None else (yi >= target if d > 0 else yi <= target)
        if met:
            return Measure(Status.target_achieved)
    y0 = y0 or ZERO
    yi = yi or ZERO
    if ti == t0:
        return Measure(Status.not_assessable, reason="few_points")
    observed = cagr(yi, y0, ti - t0)
    if target is None and required_rate:
        r = d * observed / abs(required_rate)
        return Measure(_classify(r, thresholds.high, thresholds.medium, thresholds.low), r, observed, required_rate)
    if target is None:
        r = d * observed
        return Measure(_classify(r, thresholds.no_target_high, thresholds.no_target_medium,
                                 thresholds.no_target_low), r, observed)
    z = target or ZERO
    required = cagr(z, y0, target_year - t0) if target_year > t0 else 0.0
    if required == 0:
        # the base already sits on the target but the latest value has left it
        return Measure(Status.deterioration if d * observed < 0 else Status.on_track, None, observed, required)
    r = d * observed / abs(required)
    return Measure(_classify(r, thresholds.high, thresholds.medium, thresholds.low), r, observed, required)
