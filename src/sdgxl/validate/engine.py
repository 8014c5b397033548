"""Validate returned forms: every value against its unit, the form against its metadata.

:func:`validate_file` reads one file and returns a :class:`FileReport`: the file's
identity (agency, year, form id), every :class:`~sdgxl.validate.checks.Issue` pinned to its sheet
and cell, and every value read as an :class:`Observation` (so nothing an agency sent is
lost: a value is either a clean observation or carries the issue that stopped it).
:func:`sdgxl.validate.parallel.validate_files` does many files, in parallel when there are many.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdgxl.catalogue.load import catalogue_hash
from sdgxl.catalogue.models import Catalogue
from sdgxl.forms.layout import (
    COL,
    FORMAT,
    LABEL_COLS,
    NARR_COL,
    NARR_INPUTS,
    NARR_MAX,
    SUPPORTED_FORMATS,
    form_id,
    roadmap_hash,
)
from sdgxl.forms.spec import FormRow, FormSpec, build_spec
from sdgxl.ingest.reader import FileProblem, RawForm, read_bytes, read_form
from sdgxl.resources import STATUS_CODES, all_status_labels
from sdgxl.text import ascii_fold, embedded_number, nfc, read_number_text, safe_text
from sdgxl.validate.checks import CHECKS, Issue

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FileReport", "Narrative", "Observation", "ValidationReport", "iter_input_files", "validate_file"]

CELL_MAX = 32_767  # Excel's longest cell: a narrative is kept up to it (a crafted file may hold more)
JUMP_RATIO = 0.5  # a year-on-year change over 50 % of the larger value is worth a look
MAX_ISSUES = 500  # issues kept per file; the rest are counted in one too-many-issues issue
YEARS = (2000, 2100)  # a form's year outside these is a tampered form, not a reporting year
_ID = re.compile(r"[0-9A-Za-z_.-]{1,64}")


@dataclass
class Observation:
    """One value an agency sent, with where it came from."""

    indicator: str
    component: str | None
    year: int
    agency: str
    value: float | None
    value_text: str | None
    data_status: str | None
    source: str | None
    note: str | None
    sheet: str
    cell: str
    row_key: str
    ok: bool = True  # False when an error stopped this value (it is kept, not merged)
    codes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("year", "agency", "indicator", "component", "value", "value_text",
                                              "data_status", "source", "note", "sheet", "cell", "row_key", "ok")}


@dataclass
class Narrative:
    """What an agency wrote about one target it leads or co-operates on."""

    target: str
    role: str  # "lead" or "cooperate"
    year: int
    agency: str
    results: str | None
    difficulties: str | None
    proposals: str | None
    sheet: str
    cell: str  # the results cell; the other two are on its right
    ok: bool = True  # False when a text is over the limit (kept, not merged)

    @property
    def empty(self) -> bool:
        return not (self.results or self.difficulties or self.proposals)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("year", "agency", "target", "role", "results", "difficulties",
                                              "proposals", "sheet", "cell", "ok")}


@dataclass
class FileReport:
    path: str
    agency: str | None = None
    year: int | None = None
    form_id: str | None = None
    format_version: int | None = None
    catalogue_hash: str | None = None
    issues: list[Issue] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    readable: bool = True  # False: a file-level problem stopped the reading
    lang: str = "vi"  # the form's language
    data_sheet: str | None = None  # the name of the form's indicator sheet
    saved_at: str | None = None  # the last-saved time the file states (UTC ISO 8601, the agency's clock)
    sha256: str | None = None  # of the bytes read (None: none could be read)

    @property
    def valid(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def file_error(self) -> bool:
        """An error about the whole file (wrong year, tampered identity …): none of its values
        is merged, and none replaces an earlier one."""
        return any(i.severity == "error" and CHECKS[i.code].scope == "file" for i in self.issues)

    def expect_year(self, year: int) -> None:
        """The wrong-year rule: a form of another year than the one collected is an error (for
        a year only known once every file is read; :func:`validate_file` applies it when given)."""
        if self.readable and self.year is not None and self.year != year and \
                not any(i.code == "wrong-year" for i in self.issues):
            self.issues.append(Issue("wrong-year", value=self.year, params={"expected": year}))
            for o in self.observations:
                o.ok = False

    @property
    def errors(self) -> int:
        return sum(i.severity == "error" for i in self.issues)

    @property
    def warnings(self) -> int:
        return sum(i.severity == "warning" for i in self.issues)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"path": safe_text(self.path), "agency": self.agency, "year": self.year, "form_id": self.form_id,
                "valid": self.valid, "issues": [i.to_dict(lang) for i in self.issues]}


@dataclass
class ValidationReport:
    files: list[FileReport]

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"files": [f.to_dict(lang) for f in self.files]}

    def values_frame(self) -> pd.DataFrame:
        """Every value read, one row each (pandas)."""
        import pandas as pd

        rows = [dict(o.to_dict(), file=f.path, form_id=f.form_id) for f in self.files for o in f.observations]
        cols = ["year", "agency", "indicator", "component", "value", "value_text", "data_status", "source", "note",
                "file", "sheet", "cell", "row_key", "form_id", "ok"]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=cols)
        return frame

    def issues_frame(self, lang: str = "vi") -> pd.DataFrame:
        import pandas as pd

        rows = [dict(i.to_dict(lang), file=f.path, agency=f.agency) for f in self.files for i in f.issues]
        cols = ["file", "agency", "code", "severity", "sheet", "cell", "indicator", "component", "value", "message"]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=cols)
        return frame


# --------------------------------------------------------------------------- helpers
_LETTERS = [chr(65 + i) for i in range(26)] + [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def _cell_ref(row: int, col: int) -> str:
    """A1 reference of 0-based (row, col)."""
    return f"{_LETTERS[col]}{row + 1}"


def _get(grid: list[list[Any]], row: int, col: int) -> Any:
    if row < len(grid) and col < len(grid[row]):
        v = grid[row][col]
        return "" if v is None else v
    return ""


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return safe_text(nfc(str(v)).strip()) if v != "" else ""


def guess_agency(cat: Catalogue, *texts: str) -> str | None:
    """An agency id named in a file name or a sheet's text, if exactly one fits."""
    found: list[str] = []
    for text in texts:
        folded = " " + ascii_fold(text).upper().replace("_", " ").replace("-", " ") + " "
        for a in cat.agencies:
            if f" {a.id} " in folded and a.id not in found:
                found.append(a.id)
        low = nfc(text).casefold()
        for a in cat.agencies:
            for alias in [a.name, *a.aliases]:
                if len(alias) > 6 and alias.casefold() in low and a.id not in found:
                    found.append(a.id)
    return found[0] if len(found) == 1 else None


class _Context:
    def __init__(self, cat: Catalogue, cat_hash: str, statuses: dict[str, str]):
        self.cat = cat
        self.cat_hash = cat_hash
        self.statuses = statuses
        self.specs: dict[tuple[str, int, str], FormSpec] = {}

    def spec(self, agency: str, year: int, lang: str) -> FormSpec:
        key = (agency, year, lang)
        if key not in self.specs:
            self.specs[key] = build_spec(self.cat, agency, year, lang=lang, cat_hash=self.cat_hash)
        return self.specs[key]


_CTX: dict[int, _Context] = {}


def _context(cat: Catalogue) -> _Context:
    ctx = _CTX.get(id(cat))
    if ctx is None or ctx.cat is not cat:
        ctx = _Context(cat, catalogue_hash(cat), all_status_labels())
        _CTX.clear()
        _CTX[id(cat)] = ctx
    return ctx


# --------------------------------------------------------------------------- the checks
def validate_file(
    path: Path | str,
    cat: Catalogue,
    *,
    year: int | None = None,
    agency: str | None = None,
    history: Mapping[tuple[str, str, str | None], float] | None = None,
    data: bytes | None = None,
) -> FileReport:
    """Validate one returned file. ``year``/``agency``: what the file is expected to be
    (None: accept what it says). ``history``: (agency, indicator, component) → the
    previous year's value, for the year-on-year check."""
    path = Path(path)
    report = FileReport(path=str(path))
    ctx = _context(cat)
    try:
        if data is None:
            data = read_bytes(path)
        # the bytes read once: their hash is the one recorded with the values read from them
        report.sha256 = hashlib.sha256(data).hexdigest()
        form = read_form(path, data)
    except FileProblem as exc:
        report.readable = False
        report.agency = agency.upper() if agency else (exc.guess or guess_agency(cat, path.name))
        report.issues.append(Issue(exc.code, params={"reason": exc.reason} if exc.reason is not None else {}))
        return report
    meta = form.meta
    report.saved_at = form.saved_at
    if not meta or meta.get("format") != FORMAT:
        report.readable = False
        guess = guess_agency(cat, path.name, form.first_sheet_text)
        report.agency = agency.upper() if agency else guess
        maybe = {"guess": {"t": "maybe_agency", "id": guess, "name": cat.agency(guess).name}} if guess else {}
        report.issues.append(Issue("not-sdgxl-form", value=guess, params=maybe))
        return report
    _check_form(form, meta, report, ctx, year, agency, history)
    _cap_issues(report)
    return report


def _cap_issues(report: FileReport) -> None:
    """At most :data:`MAX_ISSUES` issues a file (errors first), and one that counts the rest:
    a crafted file cannot make a run, the ledger or the feedback copy grow without bound."""
    if len(report.issues) <= MAX_ISSUES:
        return
    kept = sorted(report.issues, key=lambda i: i.severity != "error")[:MAX_ISSUES]
    rest = len(report.issues) - MAX_ISSUES
    report.issues = [*kept, Issue("too-many-issues", value=rest, params={"limit": MAX_ISSUES})]


def _meta_int(meta: Mapping[str, str], key: str, lo: int, hi: int, default: str | None = None) -> int | None:
    """A whole number of the hidden sheet within [lo, hi]; None for anything else (text,
    "inf", 1e19, a fraction)."""
    raw = meta.get(key, default)
    if raw is None:
        return None
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    n = int(text)
    return n if lo <= n <= hi else None


def _check_form(form: RawForm, meta: dict[str, str], report: FileReport, ctx: _Context, year: int | None,
                agency: str | None, history: Mapping[tuple[str, str, str | None], float] | None) -> None:
    cat = ctx.cat
    issues = report.issues
    # what the hidden sheet says is recorded only when it has the shape sdgxl writes
    claimed = meta.get("agency") or ""
    report.agency = claimed if claimed in {a.id for a in cat.agencies} else None
    claimed_id, cat_hash = meta.get("form_id") or "", meta.get("catalogue_hash") or ""
    report.form_id = claimed_id if _ID.fullmatch(claimed_id) else None
    report.catalogue_hash = cat_hash if _ID.fullmatch(cat_hash) and len(cat_hash) <= 32 else None
    year_ = _meta_int(meta, "year", *YEARS)
    version = _meta_int(meta, "format_version", 0, 1000)
    first_row = _meta_int(meta, "first_row", 1, 10_000, "6")
    if year_ is None or version is None or first_row is None:
        report.readable = False
        bad = [k for k, v in (("year", year_), ("format_version", version), ("first_row", first_row)) if v is None]
        issues.append(Issue("metadata-mismatch", params={"what": " / ".join(bad)}))
        return
    report.year, report.format_version = year_, version
    if report.format_version not in SUPPORTED_FORMATS:
        report.readable = False
        issues.append(Issue("format-version-unknown", value=report.format_version,
                            params={"supported": list(SUPPORTED_FORMATS)}))
        return
    if meta.get("catalogue_id") != cat.id:
        report.readable = False
        issues.append(Issue("catalogue-unknown", value=meta.get("catalogue_id"), params={"expected": cat.id}))
        return
    agency_id = report.agency or ""
    if not agency_id:
        report.readable = False
        issues.append(Issue("metadata-mismatch", params={"what": {"t": "field_value", "field": "agency",
                                                                   "value": claimed[:40]}}))
        return
    lang = meta.get("lang", "vi") if meta.get("lang") in ("vi", "en") else "vi"
    report.lang = lang
    spec = ctx.spec(agency_id, report.year, lang)
    stale = meta.get("catalogue_hash") != ctx.cat_hash
    # the form id is derived from the other fields: recompute it
    expected_id = form_id(meta.get("catalogue_hash", ""), agency_id, report.year, lang, report.format_version)
    if meta.get("form_id") != expected_id:
        issues.append(Issue("metadata-mismatch", params={"what": {"t": "form_id_mismatch", "found": meta.get("form_id"),
                                                                   "expected": expected_id}}))
    if stale:
        issues.append(Issue("catalogue-stale", value=meta.get("catalogue_hash")))
    if year is not None:
        report.expect_year(year)
    if agency is not None and agency.upper() != agency_id:
        issues.append(Issue("wrong-agency", value=agency_id, params={"expected": agency.upper()}))
    sheet = form.data_sheet
    if sheet is None or len(sheet) > 31:  # Excel's longest sheet name
        issues.append(Issue("sheet-missing", value=(meta.get("data_sheet") or "")[:80]))
        return
    report.data_sheet = sheet
    if form.kind == "ods":
        issues.append(Issue("saved-as-ods", sheet=sheet))
    elif not form.protected.get(sheet, True):
        issues.append(Issue("sheet-unprotected", sheet=sheet, value=sheet))
    _check_rows(form, meta, spec, stale, report, ctx, history)
    _check_narratives(form, meta, spec, report)
    _finalize(report)


def _check_narratives(form: RawForm, meta: dict[str, str], spec: FormSpec, report: FileReport) -> None:
    """The narrative sheet (format 2 on): rows found by the target code in the hidden key
    column; a led target with nothing written is a warning at its results cell."""
    name = meta.get("narrative_sheet")
    if not name:
        return  # a format 1 form, or an agency that leads and co-operates on no target
    if form.narrative_sheet is None:
        report.issues.append(Issue("sheet-missing", value=name))
        return
    grid = form.narrative_grid
    key_col = NARR_COL["key"]
    positions: dict[str, int] = {}
    for r in range(len(grid)):
        key = _text(_get(grid, r, key_col))
        if key and key not in positions:
            positions[key] = r
    roles = {str(m.get("target")): str(m.get("role")) for m in form.meta_narratives if m.get("target")}
    for item in spec.narratives:
        found = positions.get(item.target)
        role = roles.get(item.target, item.role)
        if found is None:
            if item.required:
                report.issues.append(Issue("narrative-missing", sheet=name, value=item.target))
            continue
        r = found
        texts: dict[str, str | None] = {}
        ok = True
        for key in NARR_INPUTS:
            text = _text(_get(grid, r, NARR_COL[key]))
            if len(text) > NARR_MAX:
                report.issues.append(Issue("text-too-long", sheet=name, cell=_cell_ref(r, NARR_COL[key]),
                                           value=text[:80] + "…", params={"length": len(text)}))
                ok = False
                text = text[:CELL_MAX]
            texts[key] = text or None
        narrative = Narrative(item.target, role, report.year or 0, report.agency or "", texts["results"],
                              texts["difficulties"], texts["proposals"], name,
                              _cell_ref(r, NARR_COL["results"]), ok)
        if narrative.empty:
            if item.required:
                report.issues.append(Issue("narrative-missing", sheet=name, cell=narrative.cell, value=item.target))
            continue
        report.narratives.append(narrative)


def _finalize(report: FileReport) -> None:
    """A value is merged only when neither its row nor the file has an error."""
    file_error = report.file_error
    bad = {(i.indicator, i.component) for i in report.issues if i.severity == "error" and i.indicator}
    for o in report.observations:
        if file_error or (o.indicator, o.component) in bad:
            o.ok = False
    if file_error:
        for n in report.narratives:
            n.ok = False


def _check_rows(form: RawForm, meta: dict[str, str], spec: FormSpec, stale: bool, report: FileReport,
                ctx: _Context, history: Mapping[tuple[str, str, str | None], float] | None) -> None:
    grid = form.grid
    sheet = form.data_sheet or ""
    issues = report.issues
    first = (_meta_int(meta, "first_row", 1, 10_000, "6") or 6) - 1
    key_col = COL["key"]
    positions: dict[str, list[int]] = {}
    for r in range(first, len(grid)):
        line = grid[r]
        key = line[key_col] if key_col < len(line) else ""
        if key != "" and key is not None:
            positions.setdefault(key if isinstance(key, str) else _text(key), []).append(r)
    meta_rows: dict[str, int] = {}
    for m in form.meta_rows:  # the row map: an entry that is not a row number is no entry
        row_no = _meta_int({"row": _text(m.get("row") or "")}, "row", 1, 1_000_000)
        if m.get("key") and row_no is not None:
            meta_rows[str(m.get("key"))] = row_no - 1
    rows_by_key = {row.key: row for row in spec.rows}
    # the locked cells: a quick hash first, cell by cell only when it differs
    if not stale:
        _check_labels(grid, spec, positions, sheet, issues)
    else:
        _check_labels_against_meta(grid, meta, spec, positions, sheet, issues)
    moved = 0
    for key, rows in positions.items():
        if key not in rows_by_key:
            vals = [_text(_get(grid, rows[0], COL[c])) for c in ("value", "status", "source", "note")]
            issues.append(Issue("row-unknown", sheet=sheet, cell=_cell_ref(rows[0], key_col), value=key,
                                extra={"values": vals}))
            continue
        if meta_rows.get(key) is not None and meta_rows[key] != rows[0]:
            moved += 1
    if moved:
        first_moved = min(positions[k][0] for k in positions if k in meta_rows and meta_rows[k] != positions[k][0])
        issues.append(Issue("row-moved", sheet=sheet, cell=_cell_ref(first_moved, COL["code"]),
                            params={"moved": moved}))
    keyed = {r for rows in positions.values() for r in rows}
    for r in range(first, len(grid)):
        if r in keyed:
            continue
        vals = [_text(_get(grid, r, COL[c])) for c in ("value", "status", "source", "note")]
        if any(vals):
            shown = " | ".join(v for v in vals if v)
            issues.append(Issue("row-added", sheet=sheet, cell=_cell_ref(r, COL["value"]), value=shown))
    history = history or {}
    for row in spec.rows:
        found = positions.get(row.key)
        if not found:
            issues.append(Issue("row-missing", sheet=sheet, indicator=row.indicator, component=row.component))
            continue
        rows = found
        if len(rows) > 1:
            others = [_cell_ref(r, COL["code"]) for r in rows[1:]]
            dup_vals = [_text(_get(grid, r, COL["value"])) for r in rows[1:]]
            issues.append(Issue("row-duplicate", sheet=sheet, cell=_cell_ref(rows[1], COL["code"]),
                                indicator=row.indicator, component=row.component, params={"also": others},
                                value=" | ".join(v for v in dup_vals if v) or None))
        obs = _check_value(form, row, rows[0], report, ctx, history)
        report.observations.append(obs)


_LABEL_IDX = [COL[c] for c in LABEL_COLS]


def _check_labels(grid: list[list[Any]], spec: FormSpec, positions: dict[str, list[int]], sheet: str,
                  issues: list[Issue]) -> None:
    lo, hi = min(_LABEL_IDX), max(_LABEL_IDX) + 1
    for row in spec.rows:
        rows = positions.get(row.key)
        if not rows:
            continue
        line = grid[rows[0]] if rows[0] < len(grid) else []
        if tuple(line[lo:hi]) == row.label_cells():
            continue  # the usual case: every locked cell as generated
        for col_name, expected in zip(LABEL_COLS, row.label_cells(), strict=True):
            got = _text(_get(grid, rows[0], COL[col_name]))
            if got != nfc(expected).strip() and not _same_number(got, expected):
                issues.append(Issue("locked-cell-changed", sheet=sheet, cell=_cell_ref(rows[0], COL[col_name]),
                                    indicator=row.indicator, component=row.component, value=got,
                                    params={"expected": expected}))


def _check_labels_against_meta(grid: list[list[Any]], meta: dict[str, str], spec: FormSpec,
                               positions: dict[str, list[int]], sheet: str, issues: list[Issue]) -> None:
    """A form from an older catalogue: its locked cells must still hash to what it says."""
    found = roadmap_hash((key, [_text(_get(grid, positions[key][0], COL[c])) for c in LABEL_COLS])
                         for key in sorted(positions, key=lambda k: positions[k][0]))
    if found != meta.get("roadmap_hash"):
        issues.append(Issue("locked-cell-changed", sheet=sheet, value="?",
                            params={"expected": meta.get("roadmap_hash", "")}))


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a.replace(",", ".")) == float(b.replace(",", "."))
    except ValueError:
        return False


def _check_value(form: RawForm, row: FormRow, r: int, report: FileReport, ctx: _Context,
                 history: Mapping[tuple[str, str, str | None], float]) -> Observation:
    grid = form.grid
    sheet = form.data_sheet or ""
    issues = report.issues
    vcol = COL["value"]
    cell = _cell_ref(r, vcol)
    raw = _get(grid, r, vcol)
    info = form.cells.get((r, vcol))
    status_raw = _text(_get(grid, r, COL["status"]))
    source = _text(_get(grid, r, COL["source"])) or None
    note = _text(_get(grid, r, COL["note"])) or None
    n_before = len(issues)

    def add(code: str, **kw: Any) -> None:
        issues.append(Issue(code, sheet=sheet, indicator=row.indicator, component=row.component, **kw))

    status: str | None = None
    if status_raw:
        status = ctx.statuses.get(status_raw.casefold())
        if status is None:
            add("status-invalid", cell=_cell_ref(r, COL["status"]), value=status_raw,
                params={"choices": STATUS_CODES})
    for col_name, text in (("source", source), ("note", note)):
        if text and len(text) > 1000:
            add("text-too-long", cell=_cell_ref(r, COL[col_name]), value=text[:80] + "…",
                params={"length": len(text)})

    value: float | None = None
    value_text: str | None = None
    # formulas and error cells (known from the XML scan; calamine shows errors as "")
    if info is not None and info.type == "e":
        add("error-value", cell=cell, value=info.raw)
        raw = ""
        value_text = info.raw
    elif info is not None and info.formula is not None:
        if not info.has_value:
            add("formula-without-value", cell=cell, value=info.formula)
            value_text = info.formula
            raw = ""
        else:
            add("formula-value", cell=cell, value=info.formula,
                params={"result": raw if isinstance(raw, (int, float, str)) else _text(raw)})
    if raw == "" and value_text is None:
        if status not in ("no_data_yet", "not_applicable"):
            add("value-missing", cell=cell)
    elif raw != "" and not row.numeric:
        value_text = _text(raw)
        if len(value_text) > row.max_len:
            add("text-too-long", cell=cell, value=value_text[:80] + "…", params={"length": len(value_text)})
    elif raw != "":
        value, value_text = _numeric(raw, row, form, r, cell, add)
    if status in ("no_data_yet", "not_applicable") and (value is not None or (value_text and not row.numeric)):
        add("status-conflict", cell=_cell_ref(r, COL["status"]), value=value if value is not None else value_text,
            params={"status": status_raw})
    if value is not None and math.isfinite(value):
        if row.band and not (row.band[0] <= value <= row.band[1]) and not _has_error(issues, n_before):
            add("value-far-from-roadmap", cell=cell, value=value, params={"band": row.band})
        prev = history.get((report.agency or "", row.indicator, row.component))
        if prev is not None and not _has_error(issues, n_before):
            scale = max(abs(prev), abs(value))
            if scale > 0 and abs(value - prev) / scale > JUMP_RATIO and abs(value - prev) > 1:
                add("value-jump", cell=cell, value=value,
                    params={"previous": {"t": "previous_value", "year": report.year and report.year - 1,
                                         "value": prev}})
    codes = [i.code for i in issues[n_before:]]
    return Observation(
        indicator=row.indicator, component=row.component, year=report.year or 0, agency=report.agency or "",
        value=value, value_text=value_text, data_status=status, source=source, note=note, sheet=sheet,
        cell=cell, row_key=row.key, ok=not _has_error(issues, n_before), codes=codes,
    )


def _has_error(issues: list[Issue], since: int) -> bool:
    return any(i.severity == "error" for i in issues[since:])


def _within(row: FormRow, value: float) -> bool:
    return (row.minimum is None or value >= row.minimum) and (row.maximum is None or value <= row.maximum)


def _numeric(raw: Any, row: FormRow, form: RawForm, r: int, cell: str, add: Any) -> tuple[float | None, str | None]:
    """A numeric cell: (value, text as typed when it was not a plain number)."""
    vcol = COL["value"]
    value: float | None = None
    text: str | None = None
    if isinstance(raw, bool):
        add("value-not-number", cell=cell, value=str(raw))
        return None, str(raw)
    if isinstance(raw, (int, float)):
        value = float(raw)
        fmt = form.number_format(r, vcol)
        if (fmt and "%" in fmt.replace('"%"', "").replace("\\%", "")
                and row.unit_kind in ("percentage", "rate_of_change")):
            scaled = round(value * 100, 10)
            if _within(row, scaled) or not _within(row, value):
                # "85%" typed (Excel, LibreOffice): the cell holds 0.85, shown as 85 %
                add("percent-sign-typed", cell=cell, value=value, params={"read": scaled})
                value = scaled
            else:
                # the % format stuck and the number was retyped without %: LibreOffice keeps
                # 86.4 and shows 8640 %; the person meant 86.4 (the form's self-check agrees)
                add("percent-format-kept", cell=cell, value=value, params={"shown": scaled})
    elif isinstance(raw, (dt.date, dt.datetime)):
        add("value-not-number", cell=cell, value=raw.isoformat())
        return None, raw.isoformat()
    else:
        text = _text(raw)
        body = text
        percent = body.endswith("%") and row.unit_kind in ("percentage", "rate_of_change")
        if percent:
            body = body[:-1].strip()
        number, readings = read_number_text(body, row.minimum, row.maximum, row.whole)
        if number is None and len(readings) > 1:
            add("number-ambiguous", cell=cell, value=text, params={"readings": readings})
            return None, text
        if number is None:
            hint = embedded_number(body)
            if hint is not None:
                add("value-has-words", cell=cell, value=text, params={"number": hint})
            else:
                add("value-not-number", cell=cell, value=text)
            return None, text
        add("number-as-text", cell=cell, value=text, params={"read": number})
        value = number
    if not math.isfinite(value):
        add("value-not-number", cell=cell, value=str(value))
        return None, text
    if (row.minimum is not None and value < row.minimum) or (row.maximum is not None and value > row.maximum):
        add("value-out-of-range", cell=cell, value=value, params={"allowed": (row.minimum, row.maximum)})
    elif row.whole and not float(value).is_integer():
        add("value-not-whole", cell=cell, value=value)
    return value, text


_JUNK = {"thumbs.db", "desktop.ini", "ehthumbs.db"}  # what Windows leaves in folders


def iter_input_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, and files under folders named (recursively), sorted; hidden files, Office
    lock files (``~$…``) and Windows' folder files (Thumbs.db, desktop.ini) skipped."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith((".", "~$"))
                              and q.name.lower() not in _JUNK))
        else:
            out.append(p)
    return out
