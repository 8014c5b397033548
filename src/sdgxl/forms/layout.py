"""The form format: everything a generated form and a returned one must agree on.

One module, read by the generator (:mod:`sdgxl.forms.generate`), the reader
(:mod:`sdgxl.ingest.reader`), the validator (:mod:`sdgxl.validate.engine`) and the filler
of sample returns (:mod:`sdgxl.demo.fill`): the column map of the indicator sheet, where
goal headings and indicator rows fall, the hidden metadata sheet (its fields and how it is
parsed), the form id, the roadmap hash, and the format versions. ``docs/form-format.md``
describes the same; ``tests/test_form_format.py`` keeps the two in sync.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

__all__ = [
    "COL",
    "FIRST_ROW",
    "FORMAT",
    "FORMAT_VERSION",
    "FORMAT_VERSIONS",
    "HEADER_ROWS",
    "INPUT_COLS",
    "LABEL_COLS",
    "LETTER",
    "META_FIELDS",
    "META_ROW_FIELDS",
    "META_SHEET",
    "NARR_COL",
    "NARR_FIRST_ROW",
    "NARR_INPUTS",
    "NARR_MAX",
    "NARR_META_FIELDS",
    "OPTIONAL_META_FIELDS",
    "PROPERTY_FIELDS",
    "SUPPORTED_FORMATS",
    "TEXT_MAX",
    "RowLayout",
    "form_id",
    "parse_meta",
    "parse_meta_narratives",
    "roadmap_hash",
    "row_layout",
]

FORMAT = "sdgxl-form"
FORMAT_VERSION = 2  # what this sdgxl writes; every change is recorded in CHANGELOG.md
FORMAT_VERSIONS: dict[int, str] = {
    1: "the first release: cover, indicator sheet (columns A–R), hidden _sdgxl metadata sheet",
    2: "the narrative sheet of the targets the agency leads and co-operates on (columns A–J), its rows in the "
       "metadata sheet",
}
SUPPORTED_FORMATS = tuple(sorted(FORMAT_VERSIONS))  # what this sdgxl reads
META_SHEET = "_sdgxl"
TEXT_MAX = 1000  # source and note cells

# column index (0-based) of each column of the indicator sheet
COL: dict[str, int] = {
    "no": 0, "target": 1, "code": 2, "name": 3, "unit": 4,
    "r2015": 5, "r2020": 6, "r2025": 7, "r2030": 8,
    "value": 9, "status": 10, "source": 11, "note": 12, "check": 13,
    "key": 14, "flag": 15, "lo": 16, "hi": 17,
}
LETTER: dict[str, str] = {name: chr(65 + c) for name, c in COL.items()}  # A1 column letters (all < Z)
INPUT_COLS = ("value", "status", "source", "note")  # the cells an agency fills in
LABEL_COLS = ("target", "code", "name", "unit", "r2015", "r2020", "r2025", "r2030")  # locked, hashed
HEADER_ROWS = 5  # title, agency, blank, two header rows
FIRST_ROW = HEADER_ROWS  # 0-based index of the first goal heading (Excel row 6)

# the narrative sheet (format 2): a row per target the agency leads, then those it co-operates
# on; goal headings as on the indicator sheet; from row 5 (title, agency, a note, the header)
NARR_COL: dict[str, int] = {
    "no": 0, "target": 1, "title": 2, "role": 3, "tasks": 4,
    "results": 5, "difficulties": 6, "proposals": 7, "key": 8, "flag": 9,
}
NARR_INPUTS = ("results", "difficulties", "proposals")  # the cells an agency writes in
NARR_FIRST_ROW = 4  # 0-based index of the first goal heading (Excel row 5)
NARR_MAX = 3000  # each narrative cell: about a page
NARR_META_FIELDS = ("narrative_row", "target", "role")  # the metadata's table of narrative rows

# the hidden metadata sheet: a key/value table (these keys, in this order), a blank row, then
# a table of the form's rows (these columns); the same keys marked in PROPERTY_FIELDS are also
# custom document properties ``sdgxl_<key>``
META_FIELDS = ("format", "format_version", "catalogue_id", "catalogue_hash", "agency", "agency_name", "year",
               "deadline", "lang", "form_id", "roadmap_hash", "data_sheet", "cover_sheet", "first_row", "rows",
               "area", "narrative_sheet", "narrative_first_row", "narratives")
# written only when they apply (a form without them is unchanged)
OPTIONAL_META_FIELDS = ("area", "narrative_sheet", "narrative_first_row", "narratives")
PROPERTY_FIELDS = ("format", "format_version", "catalogue_id", "catalogue_hash", "agency", "year", "form_id",
                   "roadmap_hash", "lang")
META_ROW_FIELDS = ("row", "key", "indicator", "component", "unit_kind", "min", "max", "whole", "max_len", "lo", "hi")


def form_id(catalogue_hash: str, agency: str, year: int, lang: str, version: int = FORMAT_VERSION) -> str:
    """Deterministic: the same catalogue, agency, year and language give the same id."""
    digest = hashlib.sha256(f"{FORMAT}/{version}/{catalogue_hash}/{agency}/{year}/{lang}".encode()).hexdigest()
    return f"{year}-{agency}-{digest[:10]}"


def roadmap_hash(rows: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The hash of the locked cells: for each row in sheet order, its key and its
    :data:`LABEL_COLS` cells as text."""
    h = hashlib.sha256()
    for key, cells in rows:
        h.update("\x1f".join((key, *cells)).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()[:16]


class RowLayout(NamedTuple):
    """Where a form's rows fall on the indicator sheet (0-based sheet rows)."""

    goals: list[tuple[int, int]]  # (row, goal number) of each goal heading
    rows: list[int]  # the row of each indicator row, in the form's order
    end: int  # the first row after the table


def row_layout(goals: Sequence[int]) -> RowLayout:
    """The layout of rows whose goals are ``goals`` (in order): a heading before the first
    row of each goal, then the rows."""
    heads: list[tuple[int, int]] = []
    rows: list[int] = []
    r = FIRST_ROW
    current: int | None = None
    for goal in goals:
        if goal != current:
            current = goal
            heads.append((r, goal))
            r += 1
        rows.append(r)
        r += 1
    return RowLayout(heads, rows, r)


def parse_meta(grid: Sequence[Sequence[Any]]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The metadata sheet's cells (rows of values, from any reader) → (key/value fields, the
    row table as dicts). Numbers a spreadsheet program stored back (``2026.0``) read as text
    again (``2026``)."""
    kv: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    it = iter(grid)
    next(it, None)  # header
    for row in it:
        if not row or row[0] in ("", None):
            break
        kv[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    header: list[str] | None = None
    for row in it:
        if not row or row[0] in ("", None):
            continue
        if row[0] == NARR_META_FIELDS[0]:
            break  # the narrative rows follow (parse_meta_narratives)
        if header is None:
            header = [str(h) for h in row]
            continue
        rows.append({h: (None if v == "" else v) for h, v in zip(header, row, strict=False) if h})
    for k, v in list(kv.items()):
        if v.endswith(".0") and v[:-2].isdigit():
            kv[k] = v[:-2]
    return kv, rows


def parse_meta_narratives(grid: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """The metadata sheet's table of narrative rows (format 2 on; empty before): one dict per
    target with :data:`NARR_META_FIELDS`, after the heading row that names them."""
    out: list[dict[str, Any]] = []
    inside = False
    for row in grid:
        if not row or row[0] in ("", None):
            continue
        if row[0] == NARR_META_FIELDS[0]:
            inside = True
            continue
        if inside:
            out.append({h: (None if v == "" else v) for h, v in zip(NARR_META_FIELDS, row, strict=False)})
    return out
