"""Flat views of a catalogue: filtered sub-catalogues and table rows for the CLI and CSV."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sdgxl.catalogue.models import ROADMAP_YEARS, Catalogue, cycle_date
from sdgxl.i18n import t


@dataclass(frozen=True)
class IndicatorCount:
    """How many indicators a set of data rows holds, and how many rows.

    The one rule for every count a person reads: "N chỉ tiêu" / "N indicators" always means
    indicators as the plan numbers them (1.1a, 3.9, …); an indicator with components (3.9:
    Nam, Nữ) is one indicator and several *data rows*, and rows are only ever named as such
    ("120 chỉ tiêu (129 dòng số liệu, kể cả chỉ tiêu thành phần)")."""

    indicators: int
    rows: int

    def text(self, lang: str = "vi") -> str:
        """``13 chỉ tiêu``, or ``13 chỉ tiêu (14 dòng số liệu, kể cả chỉ tiêu thành phần)``."""
        if self.rows == self.indicators:
            return t("n_indicators", lang, n=self.indicators)
        return t("n_indicators_rows", lang, n=self.indicators, rows=self.rows)


def count_indicators(keys: Iterable[str]) -> IndicatorCount:
    """The count of the data rows ``keys`` (``3.9``, ``3.9#nu`` …: the ledger's row keys):
    distinct indicators, distinct rows. Every count of indicators an output states comes from here."""
    rows = set(keys)
    return IndicatorCount(len({k.partition("#")[0] for k in rows}), len(rows))


def row_keys(cat: Catalogue) -> list[str]:
    """Every data row of the catalogue, in its order: ``code``, or ``code#component``."""
    return [key for ind in cat.indicators
            for key in ([f"{ind.code}#{c.key}" for c in ind.components] or [ind.code])]


def catalogue_count(cat: Catalogue) -> IndicatorCount:
    """The plan's monitoring set: its indicators and their data rows."""
    return count_indicators(row_keys(cat))


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


def printed_codes(cat: Catalogue, lang: str = "vi") -> dict[str, str]:
    """Row key → the code as a person reads it: ``3.9#nu`` → ``3.9 (Nữ)`` (the component's
    label as the plan prints it, never the internal ASCII key; in English ``3.9 (Female)``
    where the catalogue has the label's English)."""
    codes: dict[str, str] = {}
    for ind in cat.indicators:
        codes[ind.code] = ind.code
        for c in ind.components:
            codes[f"{ind.code}#{c.key}"] = ind.row_code(c, lang)
    return codes


def display_code(cat: Catalogue, key: str, codes: dict[str, str] | None = None, lang: str = "vi") -> str:
    """One row key as printed (see :func:`printed_codes`); an unknown key as ``code (key)``."""
    found = (codes if codes is not None else printed_codes(cat, lang)).get(key)
    if found is not None:
        return found
    code, _, comp = key.partition("#")
    return f"{code} ({comp})" if comp else code


def agency_rows(cat: Catalogue, include_all: bool = False, year: int | None = None) -> list[dict[str, object]]:
    """One row per agency; with ``year``, who reports what in that year's cycle (after the
    successions in force then): its indicators, the agencies whose indicators it took over,
    the targets it leads and co-operates on (:meth:`Catalogue.target_agencies`), and the
    agencies that get a form of narratives only (no indicator, a target led or co-operated on)."""
    on = cycle_date(year) if year is not None else None
    by_agency = cat.indicators_by_agency(on)
    reporting = set(cat.reporting_agencies(on))
    listed = set(cat.form_agencies(on)) if on is not None else reporting
    roles = cat.target_agencies(on)
    rows: list[dict[str, object]] = []
    for a in cat.agencies:
        if not include_all and a.id not in listed:
            continue
        mine = by_agency.get(a.id, [])
        count = count_indicators(ind.code if c is None else f"{ind.code}#{c.key}" for ind in mine
                                 for c in (cat.components_of(ind, a.id, on) if on is not None
                                           else ind.components_for(a.id)))
        took = sorted({o for ind in mine for o in cat.owners(ind) if o != a.id and on is not None
                       and a.id in cat.owners(ind, on) and cat.successor(o, on, ind.code) != o})
        rows.append({
            "id": a.id,
            "name": a.name,
            "name_en": a.name_en or "",
            "short": a.short or "",
            "indicators": count.indicators,
            "rows": count.rows,
            "reports": a.id in reporting,
            "aliases": " | ".join(a.aliases),
            "codes": ", ".join(i.code for i in mine),
            "took_over": ", ".join(took),
            "leads": ", ".join(code for code, (leads, _) in roles.items() if a.id in leads),
            "cooperates": ", ".join(code for code, (_, coops) in roles.items() if a.id in coops),
        })
    return rows
