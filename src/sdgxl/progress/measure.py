"""The progress measure of Statistics Canada, as Open SDG implements it (sdg-build,
``sdg/ProgressMeasure.py``), on one series.

In the order Open SDG applies them:

1. **Target achieved** first: the latest value meets the target (the caller says so, from
   the plan's statement of it: a level, a bound, a range); one data point is enough.
2. Otherwise at least two years are needed (base and latest), of one sign (a base and a
   latest value on both sides of 0 cannot be measured), else *not assessable*. A base or
   target of 0 is taken as 0.001.
3. With a target: R = s·d·CAGRᵢ / |CAGR_T|, CAGRᵢ = (yᵢ/y₀)^(1/(tᵢ−t₀)) − 1, CAGR_T =
   (y_T/y₀)^(1/(t_T−t₀)) − 1, d = +1 when higher is better, −1 when lower is better, s = −1
   when the base is negative. R ≥ 0.95 on track; 0.6 ≤ R < 0.95 progress, acceleration
   needed; 0 ≤ R < 0.6 limited progress; R < 0 deterioration. A required rate given
   directly (a relative change the plan asks for, "Giảm 20% so với 5 năm trước") stands
   for CAGR_T.
4. Without a target: p = s·d·CAGRᵢ against 1.5 % / 0.5 % / 0 a year; with a natural limit
   (100 for a percentage that should rise) the thresholds are scaled by
   C = 1 − (y₀/limit)^4.44 (y₀ ≤ limit), so that a value at its limit is on track.
5. A score in [−5, 5] (5 when achieved) with Open SDG's score functions, so that several
   series (an indicator's components) roll up as the mean score.

Thresholds are parameters (:class:`Thresholds`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

__all__ = ["ZERO", "Measure", "Status", "Thresholds", "cagr", "limit_coefficient", "measure", "status_of_score"]

ZERO = 0.001
LIMIT_EXPONENT = 4.44


class Status(Enum):
    target_achieved = "target_achieved"
    on_track = "on_track"  # Open SDG: substantial_progress
    acceleration_needed = "acceleration_needed"  # moderate_progress
    limited_progress = "limited_progress"  # limited_progress (negligible_progress)
    deterioration = "deterioration"
    not_assessable = "not_assessable"  # not_available


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
    ratio: float | None = None  # R (with a target or a required rate) or p = s·d·CAGR (without)
    cagr_observed: float | None = None
    cagr_required: float | None = None
    reason: str | None = None  # not assessable: "qualitative", "few_points", "no_target", "sign", "no_data"
    score: float | None = None  # Open SDG's progress score, −5 … 5
    coefficient: float | None = None  # the natural-limit coefficient C (no target, with a limit)


def cagr(value: float, base: float, years: float) -> float:
    """Compound annual growth rate from ``base`` to ``value`` over ``years``."""
    return float((value / base) ** (1.0 / years) - 1.0)


def limit_coefficient(base: float, limit: float) -> float:
    """Open SDG's reduction of the no-target thresholds near a natural limit."""
    b, lim = abs(base), abs(limit)
    if b >= 2 * lim:
        return 1.0
    if b <= lim:
        return float(1 - (b / lim) ** LIMIT_EXPONENT)
    return float(1 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT)


def _classify(r: float, high: float, medium: float, low: float) -> Status:
    if r >= high:
        return Status.on_track
    if r >= medium:
        return Status.acceleration_needed
    if r >= low:
        return Status.limited_progress
    return Status.deterioration


def _score_with_target(r: float) -> float:
    if r >= 0.6:
        return min(7.1429 * r - 4.2857, 5.0)
    return max(4.1667 * r - 2.5, -5.0)


def _score_without_target(p: float, t: Thresholds, coeff: float) -> float:
    if p < t.no_target_low * coeff:
        return max(125 * p - 2.5, -5.0)
    if coeff == 0:
        return 5.0
    if p >= t.no_target_high * coeff:
        return min(500 * p / coeff - 5, 5.0)
    if p >= t.no_target_medium * coeff:
        return 250 * p / coeff - 1.25
    return 500 * p / coeff - 2.5


def status_of_score(score: float | None, achieved: bool = False) -> Status:
    """The status of a mean score (Open SDG's roll-up of several series)."""
    if achieved:
        return Status.target_achieved
    if score is None or math.isnan(score):
        return Status.not_assessable
    if score >= 2.5:
        return Status.on_track
    if score >= 0:
        return Status.acceleration_needed
    if score >= -2.5:
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
    limit: float | None = None,
    strict: bool = False,
    thresholds: Thresholds = Thresholds(),
) -> Measure:
    """Progress of a series (year → value).

    ``direction``: +1 higher is better, −1 lower is better. ``target``: the value to reach by
    ``target_year`` (None: no quantitative target). ``achieved``: whether the latest value
    meets the target as the plan states it (a range, a bound); when None, reaching
    ``target`` in the desired direction counts. ``base_value``: the value for ``base_year``
    when the series has none (the plan's own 2015 figure); the base is ``base_year``'s value,
    else the first year after it. ``required_rate``: the annual growth a relative change
    asks for, instead of a target level. ``limit``: a natural limit (no-target method).
    ``strict``: the target is a strict bound (> 2), not met by a value equal to it."""
    points = {y: v for y, v in series.items() if v is not None and math.isfinite(v)}
    if base_value is not None and base_year not in points:
        points[base_year] = base_value
    if not points:
        return Measure(Status.not_assessable, reason="no_data")
    ti = max(points)
    yi = points[ti]
    d = direction
    # 1. target achieved, before anything else (Open SDG: is_target_achieved)
    met = achieved if achieved is not None else (
        target is not None and (yi >= target if d > 0 else yi <= target))
    if met:
        return Measure(Status.target_achieved, score=5.0)
    eligible = sorted(y for y in points if y >= base_year)
    if len(eligible) < 2 or eligible[0] == ti:
        return Measure(Status.not_assessable, reason="few_points")
    t0 = eligible[0]
    y0 = points[t0]
    if (y0 > 0 > yi) or (y0 < 0 < yi):
        return Measure(Status.not_assessable, reason="sign")
    sign = -1 if y0 < 0 else 1
    y0 = y0 or ZERO
    yi = yi or ZERO
    observed = cagr(yi, y0, ti - t0)
    if target is None and required_rate:
        r = sign * d * observed / abs(required_rate)
        return Measure(_classify(r, thresholds.high, thresholds.medium, thresholds.low), r, observed, required_rate,
                       score=_score_with_target(r))
    if target is None:
        p = sign * d * observed
        coeff = limit_coefficient(y0, limit) if limit is not None else 1.0
        st = _classify(p, thresholds.no_target_high * coeff, thresholds.no_target_medium * coeff,
                       thresholds.no_target_low * coeff)
        return Measure(st, p, observed, score=_score_without_target(p, thresholds, coeff),
                       coefficient=coeff if limit is not None else None)
    z = target or ZERO
    if (y0 > 0 > z) or (y0 < 0 < z):
        return Measure(Status.not_assessable, reason="sign")
    required = cagr(z, y0, target_year - t0) if target_year > t0 else 0.0
    if sign * d * required <= 0:
        # the target asks no progress in the desired direction (at or behind the base: 7.2's
        # 2025 milestone 31,5 below its 2015 base 31,8; 9.4 "> 2" from 2): R has no meaning
        # (Open SDG divides by zero, or gets a negative ratio for a value above its target);
        # the value is judged against the path itself: on or beyond it on track (not for a
        # strict bound sitting on it: limited progress), behind it deterioration
        gap = sign * d * (observed - required)
        if abs(gap) <= 1e-12:
            st = Status.limited_progress if strict else Status.on_track
        else:
            st = Status.on_track if gap > 0 else Status.deterioration
        score = {Status.on_track: 5.0, Status.limited_progress: -2.5, Status.deterioration: -5.0}[st]
        return Measure(st, None, observed, required, score=score)
    r = sign * d * observed / abs(required)
    return Measure(_classify(r, thresholds.high, thresholds.medium, thresholds.low), r, observed, required,
                   score=_score_with_target(r))
