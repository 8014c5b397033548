"""What an agency form contains, independent of how it is written.

:func:`build_spec` turns (catalogue, agency, year, language) into a :class:`FormSpec`:
the rows in order, what each input cell accepts, and the identifiers the form carries
(form id, catalogue hash, roadmap hash). The generator writes a spec; ingestion rebuilds
the spec from the metadata a returned form carries and compares. One definition serves
both, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdgxl.catalogue.bands import expected_band, row_kind
from sdgxl.catalogue.load import catalogue_hash
from sdgxl.catalogue.models import ROADMAP_YEARS, Catalogue, Component, Indicator, cycle_date
from sdgxl.catalogue.units import RULES
from sdgxl.catalogue.views import IndicatorCount, count_indicators
from sdgxl.forms.layout import (
    COL,
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    META_SHEET,
    NARR_COL,
    NARR_FIRST_ROW,
    NARR_INPUTS,
    NARR_MAX,
    RowLayout,
    form_id,
    roadmap_hash,
    row_layout,
)
from sdgxl.resources import STATUS_CODES, load_province, load_styles, load_texts

__all__ = [
    "COL",
    "FIRST_ROW",
    "FORMAT",
    "FORMAT_VERSION",
    "META_SHEET",
    "NARR_COL",
    "NARR_FIRST_ROW",
    "NARR_INPUTS",
    "NARR_MAX",
    "STATUS_CODES",
    "FormRow",
    "FormSpec",
    "NarrativeRow",
    "build_spec",
    "form_filename",
    "load_province",
    "load_styles",
    "load_texts",
]

TASKS_SHOWN = 1200  # the plan's tasks shown as guidance on a narrative row (the rest: the plan)


@dataclass(frozen=True)
class FormRow:
    """One input row of a form."""

    key: str  # "1.1b" or "2.4#lua": unique within a form
    indicator: str
    component: str | None
    goal: int
    target: str
    code: str
    name: str
    unit: str
    unit_kind: str
    roadmap: tuple[str, str, str, str]
    minimum: float | None
    maximum: float | None
    whole: bool
    numeric: bool
    max_len: int
    band: tuple[float, float] | None

    def label_cells(self) -> tuple[str, ...]:
        """The locked cells of the row, as text, in column order (hashed)."""
        return (self.target, self.code, self.name, self.unit, *self.roadmap)


@dataclass(frozen=True)
class NarrativeRow:
    """A target on the narrative sheet: the agency leads it (a report is expected) or
    co-operates on it (optional)."""

    target: str
    goal: int
    title: str
    tasks: str  # the plan's tasks, as guidance (locked)
    role: str  # "lead" or "cooperate"

    @property
    def required(self) -> bool:
        return self.role == "lead"


def narrative_layout(rows: list[NarrativeRow]) -> list[tuple[int, NarrativeRow | int]]:
    """(0-based sheet row, what is on it) for the narrative sheet: a goal header row (the
    goal's number) before the first target of each goal, then the targets."""
    out: list[tuple[int, NarrativeRow | int]] = []
    r = NARR_FIRST_ROW
    goal = None
    for row in rows:
        if row.goal != goal:
            goal = row.goal
            out.append((r, goal))
            r += 1
        out.append((r, row))
        r += 1
    return out


@dataclass
class FormSpec:
    catalogue_id: str
    catalogue_hash: str
    agency: str
    agency_name: str
    year: int
    deadline: dt.date
    lang: str
    rows: list[FormRow]
    sheets: dict[str, str]
    goals: dict[int, str] = field(default_factory=dict)
    area: str | None = None  # the territory, when a [[period]] of province.toml names it
    narratives: list[NarrativeRow] = field(default_factory=list)
    format_version: int = FORMAT_VERSION

    @property
    def count(self) -> IndicatorCount:
        """The indicators (and data rows) the form asks for."""
        return count_indicators(r.key for r in self.rows)

    @property
    def form_id(self) -> str:
        return form_id(self.catalogue_hash, self.agency, self.year, self.lang, self.format_version)

    @property
    def roadmap_hash(self) -> str:
        return roadmap_hash((row.key, row.label_cells()) for row in self.rows)

    def layout(self) -> RowLayout:
        """Where the goal headings and the rows fall on the indicator sheet."""
        return row_layout([row.goal for row in self.rows])

    def meta(self) -> dict[str, str]:
        """The key/value metadata written into the hidden sheet (:data:`META_FIELDS`, in order;
        ``area`` only when a period of ``province.toml`` names the territory)."""
        return {
            "format": FORMAT,
            "format_version": str(self.format_version),
            "catalogue_id": self.catalogue_id,
            "catalogue_hash": self.catalogue_hash,
            "agency": self.agency,
            "agency_name": self.agency_name,
            "year": str(self.year),
            "deadline": self.deadline.isoformat(),
            "lang": self.lang,
            "form_id": self.form_id,
            "roadmap_hash": self.roadmap_hash,
            "data_sheet": self.sheets["data"],
            "cover_sheet": self.sheets["cover"],
            "first_row": str(FIRST_ROW + 1),
            "rows": str(len(self.rows)),
            **({"area": self.area} if self.area else {}),
            **({"narrative_sheet": self.sheets["narrative"], "narrative_first_row": str(NARR_FIRST_ROW + 1),
                "narratives": str(len(self.narratives))} if self.narratives else {}),
        }


def _fmt_bound(value: float | None) -> float | None:
    return None if value is None else float(value)


def _row(cat: Catalogue, ind: Indicator, comp: Component | None, texts: dict[str, Any]) -> FormRow:
    kind = row_kind(ind, comp)
    rule = RULES[kind]
    road_src = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) else ind.roadmap
    roadmap = tuple(road_src[y].text if y in road_src else "" for y in ROADMAP_YEARS)
    unit = (comp.unit if comp is not None and comp.unit else ind.unit) or ""
    if not unit and kind.value == "qualitative":
        unit = texts["data"]["qualitative_unit"]
    name = ind.name if comp is None else f"{ind.name} – {comp.label}"
    return FormRow(
        key=ind.code if comp is None else f"{ind.code}#{comp.key}",
        indicator=ind.code,
        component=None if comp is None else comp.key,
        goal=cat.goal_of(ind),
        target=ind.target,
        code=ind.code if comp is None else f"{ind.code} ({comp.label})",
        name=name,
        unit=unit,
        unit_kind=kind.value,
        roadmap=roadmap,  # type: ignore[arg-type]
        minimum=_fmt_bound(rule.minimum),
        maximum=_fmt_bound(rule.maximum),
        whole=rule.whole,
        numeric=rule.numeric,
        max_len=ind.max_text_length,
        band=expected_band(ind, comp),
    )


def build_spec(
    cat: Catalogue,
    agency: str,
    year: int,
    *,
    lang: str = "vi",
    deadline: dt.date | None = None,
    templates: Path | str | None = None,
    cat_hash: str | None = None,
    assigned: list[Indicator] | None = None,
) -> FormSpec:
    """The form of ``agency`` for ``year``: its indicators (after agency mergers).

    ``assigned`` is ``cat.indicators_for(agency, Dec 31 of year)``, for callers that make
    every agency's form and index the catalogue once."""
    texts = load_texts(lang, templates)
    province = load_province(templates)
    cycle = province.get("cycle", {})
    if deadline is None:
        deadline = dt.date(year, int(cycle.get("deadline_month", 11)), int(cycle.get("deadline_day", 15)))
    on = cycle_date(year)
    rows: list[FormRow] = []
    for ind in cat.indicators_for(agency, on) if assigned is None else assigned:
        rows.extend(_row(cat, ind, c, texts) for c in cat.components_of(ind, agency, on))
    agency_obj = cat.agency(agency)
    narratives = _narratives(cat, agency, on)
    name = agency_obj.name_en if lang == "en" and agency_obj.name_en else agency_obj.name
    return FormSpec(
        catalogue_id=cat.id,
        catalogue_hash=cat_hash or catalogue_hash(cat),
        agency=agency,
        agency_name=name,
        year=year,
        deadline=deadline,
        lang=lang,
        rows=rows,
        sheets={"narrative": "Kết quả mục tiêu" if lang == "vi" else "Target results", **texts["sheets"]},  # a DPI's
        # own texts from before the narrative sheet have no name for it
        goals={g.number: (g.title_en or g.title) if lang == "en" else g.title for g in cat.goals},
        narratives=narratives,
        area=_period_area(year, templates),
    )


def _period_area(year: int, templates: Path | str | None) -> str | None:
    from sdgxl.areas import area_id, province_settings

    settings = province_settings(year, templates)
    return area_id(settings) if "period_from" in settings else None


def tasks_text(tasks: list[str], limit: int = TASKS_SHOWN) -> str:
    """The plan's tasks as one guidance text, a bullet a line, cut at ``limit`` characters."""
    text = "\n".join(f"- {t}" for t in tasks)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _narratives(cat: Catalogue, agency: str, on: dt.date) -> list[NarrativeRow]:
    """The targets ``agency`` leads (section IV, PHỤ LỤC I), then those it co-operates on,
    each in the plan's order (after agency mergers)."""
    lead: list[NarrativeRow] = []
    coop: list[NarrativeRow] = []
    for t in cat.targets:
        leads = {cat.successor(a, on) for a in t.lead_agencies}
        coops = {cat.successor(a, on) for a in t.cooperating_agencies} - leads
        if agency in leads:
            lead.append(NarrativeRow(t.code, t.goal, t.title, tasks_text(t.tasks), "lead"))
        elif agency in coops:
            coop.append(NarrativeRow(t.code, t.goal, t.title, tasks_text(t.tasks), "cooperate"))
    return sorted(lead, key=lambda n: n.goal) + sorted(coop, key=lambda n: n.goal)


def form_filename(year: int, agency: str, lang: str = "vi") -> str:
    """ASCII, sortable: ``2026_SYT_bao-cao-sdg.xlsx``."""
    return f"{year}_{agency}_{'sdg-report' if lang == 'en' else 'bao-cao-sdg'}.xlsx"
