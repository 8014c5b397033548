"""From the ledger to the provincial table: merged values, conflicts, completeness.

Pure data (no files): the outputs module writes what this computes.

* The merged value of (indicator, component, year) is the current (not superseded) valid
  value of the agency that reports it. When several agencies report the same indicator
  and disagree, the first agency of the catalogue's list gives the value and the
  conflict is flagged with every agency's value; nothing is dropped.
* The roadmap always comes from the catalogue, never from a returned file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sdgxl.catalogue.models import Catalogue, Component, Indicator, cycle_date
from sdgxl.catalogue.views import IndicatorCount, count_indicators
from sdgxl.forms.spec import build_spec
from sdgxl.i18n import t
from sdgxl.ledger import TRUSTED_SOURCES, Ledger, Submission
from sdgxl.resources import load_province

__all__ = ["AgencyStatus", "Cell", "Consolidation", "ProvincialRow", "SharedRow", "combine", "consolidate"]


@dataclass
class Cell:
    """The merged value of one indicator (component) in one year."""

    value: float | None
    value_text: str | None
    data_status: str | None
    source: str | None
    note: str | None
    agency: str
    submission_id: int
    file_name: str
    cell: str
    conflict: list[tuple[str, Any]] = field(default_factory=list)  # (agency, value) of every agency

    @property
    def display(self) -> float | str | None:
        return self.value if self.value is not None else self.value_text


@dataclass
class ProvincialRow:
    indicator: Indicator
    component: Component | None
    key: str
    years: dict[int, Cell] = field(default_factory=dict)

    @property
    def latest(self) -> tuple[int, Cell] | None:
        have = [y for y, c in self.years.items() if c.display is not None]
        return (max(have), self.years[max(have)]) if have else None


@dataclass
class AgencyStatus:
    agency: str
    name: str
    expected: int
    name_en: str | None = None  # the registry's English name
    received_rows: int = 0
    valid_rows: int = 0
    files: int = 0
    unreadable: int = 0
    first_received: str | None = None
    received_source: str | None = None  # where first_received came from (sdgxl.ledger.RECEIVED_SOURCES)
    last_submission: Submission | None = None
    late: bool | None = False  # None: not known (no trustworthy time, first seen after the deadline)
    held_errors: int = 0  # values of a later file with errors, the earlier valid value kept
    narratives_expected: int = 0  # the targets the agency leads (a narrative is due on each)
    narratives_received: int = 0  # of those, the ones with a current narrative
    narrative_only: bool = False  # its form has narratives only (it leads or co-operates, reports no indicator)
    # what a person reads, in indicators (sdgxl.catalogue.views.count_indicators): the form's
    # indicators, those with something received, those whose every row is valid
    count: IndicatorCount = field(default_factory=lambda: IndicatorCount(0, 0))
    indicators_received: int = 0
    indicators_valid: int = 0

    def name_in(self, lang: str) -> str:
        """The agency's name in ``lang`` (Vietnamese when the registry has no English)."""
        return (self.name_en or self.name) if lang == "en" else self.name

    @property
    def submitted(self) -> bool:
        return self.files > 0

    @property
    def complete(self) -> bool:
        return self.submitted and self.valid_rows >= self.expected

    @property
    def narratives_missing(self) -> int:
        return max(0, self.narratives_expected - self.narratives_received)

    @property
    def in_full(self) -> bool:
        """Everything due is in: its values (or its form has none) and a narrative on every
        target it leads. The report's "agencies that have not reported in full" are the others."""
        return not self.to_chase and not self.narratives_missing

    @property
    def to_chase(self) -> bool:
        # the chase list is about values; narratives still missing show in the reason and the report,
        # except on a form of narratives only: chased while a narrative due on a target it leads is
        # missing (one that only co-operates owes nothing)
        if self.narrative_only:
            return self.narratives_missing > 0
        return not self.complete or self.held_errors > 0

    def reason(self, lang: str = "vi") -> str:
        if not self.submitted:
            return t("chase_none_sent", lang)
        last = self.last_submission
        if last is not None and not last.readable:
            return t("chase_unreadable", lang)
        if last is not None and last.year is not None and last.collected_for is not None \
                and last.year != last.collected_for and self.valid_rows == 0:
            return t("chase_wrong_year", lang, year=last.year)
        if self.expected - self.valid_rows > 0:
            return t("chase_missing", lang, missing=self.count.indicators - self.indicators_valid,
                     expected=self.count.indicators)
        if self.held_errors:
            return t("chase_held", lang, n=self.held_errors)
        if self.narratives_missing:
            return t("chase_narratives", lang, n=self.narratives_missing, of=self.narratives_expected)
        return t("chase_late" if self.late else "chase_complete", lang)


@dataclass
class Consolidation:
    catalogue: Catalogue
    year: int
    years: list[int]
    rows: list[ProvincialRow]
    agencies: list[AgencyStatus]
    submissions: list[Submission]
    issues: list[dict[str, Any]]
    observations: list[dict[str, Any]]
    deadline: dt.date
    narratives: list[dict[str, Any]] = field(default_factory=list)  # current, of the year, in the plan's
    # order of targets, the lead agencies' first

    @property
    def count(self) -> IndicatorCount:
        """The indicators (and data rows) of the provincial table: the plan's monitoring set."""
        return count_indicators(r.key for r in self.rows)

    def with_data(self, year: int | None = None) -> IndicatorCount:
        """The indicators with a value (or a text) for ``year`` (default: the table's year)."""
        y = self.year if year is None else year
        return count_indicators(r.key for r in self.rows if y in r.years and r.years[y].display is not None)

    def targets_reported(self) -> tuple[int, int]:
        """(targets whose every lead agency sent its narrative, targets with a lead agency) in
        the year's assignment (after successions): the plan's targets, not agency–target pairs."""
        written = {(n["agency"], n["target"]) for n in self.narratives}
        led = {code: lead for code, (lead, _) in self.catalogue.target_agencies(cycle_date(self.year)).items()
               if lead}
        done = [code for code, lead in led.items() if all((a, code) in written for a in lead)]
        return len(done), len(led)

    def narratives_of(self, target: str) -> list[dict[str, Any]]:
        return [n for n in self.narratives if n["target"] == target]


def _component(ind: Indicator, key: str) -> Component | None:
    return next((c for c in ind.components if c.key == key), None) if key else None


def consolidate(cat: Catalogue, ledger: Ledger, year: int, *, deadline: dt.date | None = None) -> Consolidation:
    """The provincial table for ``year`` (with every earlier year the ledger holds), from the
    ledger's current observations."""
    if deadline is None:
        cycle = load_province().get("cycle", {})
        deadline = dt.date(year, int(cycle.get("deadline_month", 11)), int(cycle.get("deadline_day", 15)))
    order = {ind.code: n for n, ind in enumerate(cat.indicators)}
    rows: dict[str, ProvincialRow] = {}
    for ind in cat.indicators:
        comps: list[Component | None] = list(ind.components) or [None]
        for comp in comps:
            key = ind.code if comp is None else f"{ind.code}#{comp.key}"
            rows[key] = ProvincialRow(ind, comp, key)
    # streamed: only this year's rows and the values the table shows are kept (the area's
    # history is read once, not held)
    seen_years = {year}
    this_year: list[dict[str, Any]] = []
    by_cell: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for o in ledger.iter_observations(current_only=True):
        if o["year"] > year:
            continue
        seen_years.add(o["year"])
        if o["year"] == year:
            this_year.append(o)
        if not o["ok"] or o["row_key"] not in rows:
            continue
        if o["value"] is None and not o["value_text"] and o["data_status"] not in ("no_data_yet", "not_applicable"):
            continue
        by_cell.setdefault((o["row_key"], o["year"]), []).append(o)
    for (key, y), group in by_cell.items():
        row = rows.get(key)
        if row is None:
            continue
        # the plan's order of agencies, each standing also for its successors that year
        rank: dict[str, int] = {}
        for n, a in enumerate(row.indicator.agencies):
            rank.setdefault(a, n)
            rank.setdefault(cat.successor(a, cycle_date(y), row.indicator.code,
                                          row.component.key if row.component else None), n)
        group.sort(key=lambda o: (rank.get(o["agency"], 99), o["submission_id"]))
        first = group[0]
        distinct = {(o["value"], o["value_text"]) for o in group}
        conflict = [(o["agency"], o["value"] if o["value"] is not None else o["value_text"]) for o in group] \
            if len(distinct) > 1 else []
        row.years[y] = Cell(first["value"], first["value_text"], first["data_status"], first["source"],
                            first["note"], first["agency"], first["submission_id"], first["file_name"],
                            first["cell"], conflict)
    subs = ledger.submissions(year)
    narratives = _narratives(cat, ledger, year)
    statuses = _completeness(cat, ledger, year, subs, this_year, deadline, narratives)
    provincial = sorted(rows.values(), key=lambda r: (order[r.indicator.code], r.key))
    return Consolidation(cat, year, sorted(seen_years), provincial, statuses, subs, ledger.issues(year),
                         this_year, deadline, narratives)


def _narratives(cat: Catalogue, ledger: Ledger, year: int) -> list[dict[str, Any]]:
    """The current narratives of ``year`` that passed validation, by target in the plan's
    order, the lead agencies' first (in the plan's order of leads), then the co-operators'."""
    order = {t.code: n for n, t in enumerate(cat.targets)}
    on = cycle_date(year)
    leads = {code: lead for code, (lead, _) in cat.target_agencies(on).items()}
    out = [n for n in ledger.narratives(year, current_only=True) if n["ok"] and n["target"] in order]

    def rank(n: dict[str, Any]) -> tuple[int, int, int]:
        lead = leads[n["target"]]
        return (order[n["target"]], lead.index(n["agency"]) if n["agency"] in lead else len(lead),
                n["submission_id"])

    return sorted(out, key=rank)


def vn_date(when: str) -> dt.date:
    return dt.datetime.fromisoformat(when).astimezone(dt.timezone(dt.timedelta(hours=7))).date()


def is_late(subs: list[Submission], deadline: dt.date) -> bool | None:
    """Whether an agency's first return came after ``deadline`` (Vietnam time), judged only
    from trustworthy times (the officer's, the email's, the file's own saved time); the time
    the ledger first saw a file proves it on time when before the deadline, and nothing
    after it (the file may have waited in a mailbox). None: not known."""
    known = [s for s in subs if s.received_source in TRUSTED_SOURCES
             or (s.received_source == "first-seen" and vn_date(s.received_at) <= deadline)]
    if not known:
        return None
    return vn_date(min(s.received_at for s in known)) > deadline


def _completeness(cat: Catalogue, ledger: Ledger, year: int, subs: list[Submission],
                  obs: list[dict[str, Any]], deadline: dt.date,
                  narratives: list[dict[str, Any]]) -> list[AgencyStatus]:
    on = cycle_date(year)
    # values with errors that did not replace an earlier valid one, and still wait for a fix
    current = {(o["agency"], o["row_key"]): o["submission_id"] for o in obs}
    held: dict[str, int] = {}
    for o in ledger.held_observations(year):
        if current.get((o["agency"], o["row_key"])) == o["superseded_by"]:
            held[o["agency"]] = held.get(o["agency"], 0) + 1
    out = []
    for agency in cat.form_agencies(on):  # every form sent, of narratives only too
        spec = build_spec(cat, agency, year)
        st = AgencyStatus(agency, cat.agency(agency).name, len(spec.rows), name_en=cat.agency(agency).name_en,
                           narrative_only=not spec.rows)
        led = {n.target for n in spec.narratives if n.required}
        st.narratives_expected = len(led)
        st.narratives_received = len({n["target"] for n in narratives if n["agency"] == agency} & led)
        mine = [s for s in subs if s.agency == agency]
        st.files = len(mine)
        st.unreadable = sum(not s.readable for s in mine)
        if mine:
            first = min(mine, key=lambda s: (s.received_at, s.id))
            st.first_received, st.received_source = first.received_at, first.received_source
            st.last_submission = mine[-1]
            st.late = is_late(mine, deadline)
        st.held_errors = held.get(agency, 0)
        keys = {r.key for r in spec.rows}
        agency_obs = [o for o in obs if o["agency"] == agency and o["row_key"] in keys]
        received = {o["row_key"] for o in agency_obs if o["value"] is not None or o["value_text"] or o["data_status"]}
        valid = {o["row_key"] for o in agency_obs if o["ok"]}
        st.received_rows, st.valid_rows = len(received), len(valid)
        st.count = count_indicators(keys)
        st.indicators_received = count_indicators(received).indicators
        st.indicators_valid = st.count.indicators - count_indicators(keys - valid).indicators
        out.append(st)
    return out


# --------------------------------------------------------------------------- areas together
@dataclass
class SharedRow:
    """An indicator (component) that several areas report: its value in each area."""

    key: str  # the shared code (code, or code#component)
    name: str
    unit: str
    codes: dict[str, str]  # area → the code in that area's plan
    cells: dict[str, Cell | None]  # area → the year's merged value


def combine(db: str, plans: dict[str, Catalogue], year: int,
            mapping: dict[str, dict[str, str]] | None = None) -> list[SharedRow]:
    """The indicators that the areas of ``plans`` (area → its catalogue) share, with each
    area's merged value of ``year``, from one ledger. Rows match by code, or through
    ``mapping`` (area → {its code → the shared code}), which the planner reviews (the
    ``match`` rows of ``sdgxl catalogue merge``). Each area is read through its own index
    range: the cost does not grow with the other areas' rows."""
    mapping = mapping or {}
    found: dict[str, dict[str, tuple[str, ProvincialRow]]] = {}
    for area, cat in plans.items():
        with Ledger(db, area) as ledger:
            con = consolidate(cat, ledger, year)
        own = mapping.get(area, {})
        for row in con.rows:
            code = own.get(row.indicator.code, row.indicator.code)
            key = code if row.component is None else f"{code}#{row.component.key}"
            found.setdefault(key, {})[area] = (row.key, row)
    out = []
    for key, by_area in found.items():
        if len(by_area) < 2:
            continue
        first = next(iter(by_area.values()))[1]
        unit = (first.component.unit if first.component is not None and first.component.unit else None) \
            or first.indicator.unit or ""
        name = first.indicator.name if first.component is None else f"{first.indicator.name} – {first.component.label}"
        out.append(SharedRow(key, name, unit, {a: k for a, (k, _) in by_area.items()},
                             {a: r.years.get(year) for a, (_, r) in by_area.items()}))
    return sorted(out, key=lambda r: [(0, int(p), "") if p.isdigit() else (1, 0, p)
                                      for p in re.findall(r"\d+|[^\d.#]+", r.key)])
