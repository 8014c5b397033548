"""Draft a successor plan from predecessor plans (the merged province's two catalogues).

:func:`merge_catalogues` takes the predecessor catalogues in order (the first is the base)
and returns the union of their goals, targets, indicators and agencies, with a review for
the planner: every indicator matched across plans (same code, or a name so close that it is
probably the same indicator under another code), every conflict of unit, unit kind or
roadmap between matched indicators, and the indicators whose code is taken by a different
indicator. Nothing is decided silently: where plans disagree the first plan's version is
drafted and the other is named in the review. The draft is a valid catalogue (JSON, and the
Excel workbook of ``catalogue export`` with a review sheet in front of the others).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from sdgxl.catalogue.models import ROADMAP_YEARS, Catalogue, Indicator, Source
from sdgxl.text import nfc

__all__ = ["MergeDraft", "ReviewItem", "merge_catalogues"]

SAME_NAME = 0.9  # name similarity from which two indicators of one code are the same
LIKELY_SAME = 0.85  # … from which two indicators of different codes are proposed as one


@dataclass(frozen=True)
class ReviewItem:
    """One thing the planner decides: ``kind`` is ``match`` (same indicator in two plans),
    ``proposed`` (probably the same under another code), ``unit`` / ``unit_kind`` /
    ``roadmap`` (matched indicators disagree), ``code-taken`` (one code, two indicators: the
    later plan's is left out of the draft)."""

    kind: str
    code: str
    other_plan: str
    other_code: str
    draft: str  # what the draft holds
    other: str  # what the other plan says
    note: str = ""

    def row(self) -> dict[str, str]:
        return {"kind": self.kind, "code": self.code, "other_plan": self.other_plan, "other_code": self.other_code,
                "draft": self.draft, "other": self.other, "note": self.note}


@dataclass
class MergeDraft:
    catalogue: Catalogue
    review: list[ReviewItem] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(r.kind == kind for r in self.review)

    def mapping(self) -> dict[str, dict[str, str]]:
        """Plan id → {its code → the draft's code} for every match (the reviewed mapping the
        combined view of areas takes)."""
        out: dict[str, dict[str, str]] = {}
        for r in self.review:
            if r.kind in ("match", "proposed"):
                out.setdefault(r.other_plan, {})[r.other_code] = r.code
        return out


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, nfc(a).casefold(), nfc(b).casefold()).ratio()


def _roadmap_text(ind: Indicator) -> str:
    return " | ".join(f"{y}: {ind.roadmap[y].text}" for y in ROADMAP_YEARS if y in ind.roadmap and ind.roadmap[y].text)


def merge_catalogues(cats: list[Catalogue], *, id: str = "successor-draft", title: str | None = None,
                     province: str | None = None) -> MergeDraft:
    """The union of ``cats`` (the first is the base) and the review of what differs."""
    if len(cats) < 2:
        raise ValueError("merge needs two catalogues or more")
    base = cats[0]
    goals = {g.number: g for g in base.goals}
    targets = {t.code: t for t in base.targets}
    agencies = {a.id: a for a in base.agencies}
    indicators: dict[str, Indicator] = {i.code: i for i in base.indicators}
    origin = dict.fromkeys(indicators, base.id)
    review: list[ReviewItem] = []
    for other in cats[1:]:
        for g in other.goals:
            goals.setdefault(g.number, g)
        for t in other.targets:
            targets.setdefault(t.code, t)
        for a in other.agencies:
            agencies.setdefault(a.id, a)
        for ind in other.indicators:
            mine = indicators.get(ind.code)
            if mine is not None and _similar(mine.name, ind.name) >= SAME_NAME:
                review.append(ReviewItem("match", mine.code, other.id, ind.code, mine.name, ind.name))
                review.extend(_conflicts(mine, ind, other.id))
                continue
            if mine is not None:
                review.append(ReviewItem("code-taken", mine.code, other.id, ind.code, mine.name, ind.name,
                                         f"left out of the draft; {origin[mine.code]}'s indicator kept"))
                continue
            close = max(((_similar(c.name, ind.name), c) for c in indicators.values()), key=lambda x: x[0],
                        default=(0.0, None))
            if close[1] is not None and close[0] >= LIKELY_SAME:
                review.append(ReviewItem("proposed", close[1].code, other.id, ind.code, close[1].name, ind.name,
                                         f"similarity {close[0]:.2f}; both kept in the draft"))
            indicators[ind.code] = ind
            origin[ind.code] = other.id
    order = sorted(indicators.values(), key=lambda i: _code_key(i.code))
    draft = Catalogue(
        id=id,
        source=Source(title=title or "Dự thảo kế hoạch hợp nhất: " + "; ".join(c.source.title for c in cats),
                      province=province or base.source.province,
                      document="; ".join(c.source.document for c in cats if c.source.document) or None,
                      # the English titles come along with the predecessors' rows, and so does where they come from
                      translation_en="; ".join(dict.fromkeys(c.source.translation_en for c in cats
                                                             if c.source.translation_en)) or None),
        goals=sorted(goals.values(), key=lambda g: g.number),
        targets=sorted(targets.values(), key=lambda t: _code_key(t.code)),
        indicators=order,
        agencies=list(agencies.values()),
        successions=[],
    )
    return MergeDraft(draft, review)


def _conflicts(mine: Indicator, ind: Indicator, other: str) -> list[ReviewItem]:
    out = []
    if (mine.unit or "") != (ind.unit or ""):
        out.append(ReviewItem("unit", mine.code, other, ind.code, mine.unit or "", ind.unit or ""))
    if mine.unit_kind != ind.unit_kind:
        out.append(ReviewItem("unit_kind", mine.code, other, ind.code, mine.unit_kind.value, ind.unit_kind.value))
    if _roadmap_text(mine) != _roadmap_text(ind):
        out.append(ReviewItem("roadmap", mine.code, other, ind.code, _roadmap_text(mine), _roadmap_text(ind)))
    return out


def _code_key(code: str) -> tuple[Any, ...]:
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"\d+|[a-z]+", code))
