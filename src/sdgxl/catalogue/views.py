"""Flat views of a catalogue: filtered sub-catalogues and table rows for the CLI and CSV."""

from __future__ import annotations

from sdgxl.catalogue.models import ROADMAP_YEARS, Catalogue


def filter_catalogue(cat: Catalogue, *, goal: int | None = None, agency: str | None = None) -> Catalogue:
    """The part of ``cat`` for one goal and/or one reporting agency (a valid catalogue)."""
    if goal is None and agency is None:
        return cat
    inds = [
        i for i in cat.indicators
        if (goal is None or cat.goal_of(i) == goal)
        and (agency is None or agency in i.agencies + [c.agency for c in i.components if c.agency])
    ]
    tcodes = {i.target for i in inds}
    targets = [
        t for t in cat.targets
        if (goal is None or t.goal == goal) and (agency is None or t.code in tcodes)
    ]
    goals = [g for g in cat.goals if g.number in {t.goal for t in targets}]
    return cat.model_copy(update={"goals": goals, "targets": targets, "indicators": inds})


def catalogue_rows(cat: Catalogue) -> list[dict[str, str]]:
    rows = []
    for ind in cat.indicators:
        row = {
            "goal": str(cat.goal_of(ind)),
            "target": ind.target,
            "code": ind.code,
            "code_printed": ind.code_printed,
            "name": ind.name,
            "unit": ind.unit or "",
            "unit_kind": ind.unit_kind.value,
            "agencies": ", ".join(ind.agencies),
            "components": "; ".join(f"{c.key}={c.label}" for c in ind.components),
        }
        for y in ROADMAP_YEARS:
            rv = ind.roadmap.get(y)
            row[f"roadmap_{y}"] = rv.text if rv else ""
        rows.append(row)
    return rows


def agency_rows(cat: Catalogue, include_all: bool = False) -> list[dict[str, object]]:
    reporting = set(cat.reporting_agencies())
    rows: list[dict[str, object]] = []
    for a in cat.agencies:
        if not include_all and a.id not in reporting:
            continue
        rows.append({
            "id": a.id,
            "name": a.name,
            "name_en": a.name_en or "",
            "short": a.short or "",
            "indicators": len(cat.indicators_for(a.id)),
            "reports": a.id in reporting,
            "aliases": " | ".join(a.aliases),
        })
    return rows
