"""Tidy exports of the ledger's observations for analysts: CSV, Parquet, JSON, XLSX.

One row per value received: year, agency, goal, target, indicator, component,
indicator_name, value, value_text, unit, unit_kind, data_status, source, note, file, sheet,
cell, submission_id, received_at and received_source (when the file arrived and how that is
known: officer, email, mtime, first-seen; see docs/ledger.md), collected_at, merged (the
value is in the provincial table), superseded_by. Typed where the format has types: year,
goal, submission_id and superseded_by are integers (nullable: ``Int64`` when Parquet is read
by pandas, never a float), received_at and collected_at are UTC timestamps (ISO 8601 text
in CSV and JSON). Text from returned files stays text: in CSV a cell that starts with
``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe so that no spreadsheet runs it as a
formula (the OWASP rule); Parquet and JSON keep it as is.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sdgxl.catalogue.models import Catalogue
from sdgxl.fileio import atomic_open, atomic_path, atomic_write_bytes, atomic_write_text
from sdgxl.ledger import Ledger
from sdgxl.text import safe_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "FORMATS", "NARRATIVE_COLUMNS", "csv_safe", "export_narratives", "export_observations",
           "iter_records", "narrative_records", "narratives_path", "observations_frame", "write_exports"]

COLUMNS = ["area", "year", "agency", "goal", "target", "indicator", "component", "indicator_name", "value",
           "value_text", "unit", "unit_kind", "data_status", "source", "note", "file", "sheet", "cell", "submission_id",
           "received_at", "received_source", "collected_at", "merged", "superseded_by"]
INTEGERS = ("year", "goal", "submission_id", "superseded_by")
TIMES = ("received_at", "collected_at")
_TEXT = {"area", "agency", "target", "indicator", "component", "indicator_name", "value_text", "unit", "unit_kind",
         "data_status", "source", "note", "file", "sheet", "cell", "received_source"}


_CELL_START = re.compile(r"(^|[,;\r\n])(?=[=+\-@\t\r])")


def csv_safe(value: Any) -> Any:
    """A text as a CSV field no spreadsheet runs, whatever its list separator."""
    if isinstance(value, str):
        value = safe_text(value)
        return _CELL_START.sub(r"\1'", value)
    return value


def _rows(cat: Catalogue) -> dict[str, dict[str, Any]]:
    """What the catalogue says of each row key (indicator, or indicator#component)."""
    rows: dict[str, dict[str, Any]] = {}
    for ind in cat.indicators:
        base = {"goal": cat.goal_of(ind), "target": ind.target, "indicator_name": ind.name,
                "unit": ind.unit or "", "unit_kind": ind.unit_kind.value}
        rows[ind.code] = base
        for c in ind.components:
            rows[f"{ind.code}#{c.key}"] = {**base, "indicator_name": f"{ind.name} – {c.label}",
                                           "unit": c.unit or ind.unit or "",
                                           "unit_kind": (c.unit_kind or ind.unit_kind).value}
    return rows


_UNKNOWN = {"goal": None, "target": None, "indicator_name": None, "unit": "", "unit_kind": None}


def iter_records(ledger: Ledger, cat: Catalogue, year: int | None = None) -> Iterator[dict[str, Any]]:
    """The tidy records of the observations (of ``year``, or all), read from the ledger as
    they are written out: memory stays flat however large the ledger grows."""
    rows = _rows(cat)
    for o in ledger.iter_observations(year):
        known = rows.get(o["row_key"]) or rows.get(o["indicator"]) or _UNKNOWN
        yield {
            "area": o["area"], "year": o["year"], "agency": o["agency"], "goal": known["goal"],
            "target": known["target"], "indicator": o["indicator"], "component": o["component"] or None,
            "indicator_name": known["indicator_name"], "value": o["value"], "value_text": o["value_text"],
            "unit": known["unit"], "unit_kind": known["unit_kind"], "data_status": o["data_status"],
            "source": o["source"], "note": o["note"], "file": o["file_name"], "sheet": o["sheet"],
            "cell": o["cell"], "submission_id": o["submission_id"], "received_at": o["received_at"],
            "received_source": o.get("received_source"), "collected_at": o["collected_at"],
            "merged": bool(o["ok"]) and o["superseded_by"] is None, "superseded_by": o["superseded_by"],
        }


def _arrow_schema() -> Any:
    """The Parquet schema, with the pandas metadata that makes ``pd.read_parquet`` give the
    nullable integers as ``Int64`` (without it, a column with a null reads as float64)."""
    import pyarrow as pa

    types = {"value": pa.float64(), "merged": pa.bool_(),
             **dict.fromkeys(INTEGERS, pa.int64()), **dict.fromkeys(TIMES, pa.timestamp("us", tz="UTC"))}
    columns = []
    for c in COLUMNS:
        kind = ("int64", "Int64") if c in INTEGERS else ("datetimetz", "datetime64[us, UTC]") if c in TIMES \
            else ("float64", "float64") if c == "value" else ("bool", "boolean") if c == "merged" \
            else ("unicode", "object")
        columns.append({"name": c, "field_name": c, "pandas_type": kind[0], "numpy_type": kind[1],
                        "metadata": {"timezone": "UTC"} if c in TIMES else None})
    pandas = {"index_columns": [], "column_indexes": [], "columns": columns, "pandas_version": "2.0.0",
              "creator": {"library": "sdgxl", "version": "1"}}
    return pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS],
                     metadata={b"pandas": json.dumps(pandas).encode("utf-8")})


def observations_frame(ledger: Ledger, cat: Catalogue, year: int | None = None) -> pd.DataFrame:
    import pandas as pd

    df: pd.DataFrame = pd.DataFrame(list(iter_records(ledger, cat, year)), columns=COLUMNS)
    df["value"] = df["value"].astype("float64")
    for col in INTEGERS:
        df[col] = df[col].astype("Int64")
    for col in TIMES:
        df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601")
    df["merged"] = df["merged"].astype("boolean")
    return df


FORMATS = ("csv", "parquet", "json", "xlsx")
PARQUET_ROWS = 2_000  # rows a row group holds (and that are in memory at once)


def export_observations(ledger: Ledger, cat: Catalogue, path: Path, fmt: str, year: int | None = None) -> Path:
    """Write the observations (of ``year``, or all) as ``fmt``."""
    return write_exports(ledger, cat, {fmt: path}, year)[fmt]


def write_exports(ledger: Ledger, cat: Catalogue, targets: Mapping[str, Path],
                  year: int | None = None) -> dict[str, Path]:
    """Write the observations (of ``year``, or all) in each format of ``targets`` (format →
    path), reading the ledger once. CSV and Parquet are written as the ledger is read, a
    batch at a time, so memory stays flat however large the ledger grows; JSON and XLSX
    hold the records (they are made for one year at a time, by hand)."""
    unknown = [f for f in targets if f not in FORMATS]
    if unknown:
        raise ValueError(", ".join(unknown))
    kept: list[dict[str, Any]] | None = [] if {"json", "xlsx"} & set(targets) else None
    with contextlib.ExitStack() as stack:
        outs: list[_CsvOut | _ParquetOut] = []
        if "csv" in targets:
            # the BOM of utf-8-sig makes Excel read it as UTF-8
            outs.append(_CsvOut(stack.enter_context(atomic_open(targets["csv"], "w", encoding="utf-8-sig",
                                                                newline=""))))
        if "parquet" in targets:
            import pyarrow.parquet as pq

            tmp = stack.enter_context(atomic_path(targets["parquet"]))
            outs.append(_ParquetOut(stack.enter_context(pq.ParquetWriter(tmp, _arrow_schema()))))
        for rec in iter_records(ledger, cat, year):
            for out in outs:
                out.add(rec)
            if kept is not None:
                kept.append(rec)
        for out in outs:
            out.done()
    if "json" in targets and kept is not None:
        atomic_write_text(targets["json"], json.dumps(kept, ensure_ascii=False, indent=1) + "\n")
    if "xlsx" in targets and kept is not None:
        _write_xlsx(kept, targets["xlsx"])
    return dict(targets)


class _CsvOut:
    def __init__(self, fh: IO[str]) -> None:
        # text fields quoted (QUOTE_NONNUMERIC), numbers as numbers
        self.writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        self.writer.writerow(COLUMNS)
        self.text = [c in _TEXT for c in COLUMNS]

    def add(self, rec: dict[str, Any]) -> None:
        self.writer.writerow([csv_safe(rec[c]) if t else rec[c] for c, t in zip(COLUMNS, self.text, strict=True)])

    def done(self) -> None:
        pass


class _ParquetOut:
    """Row groups of :data:`PARQUET_ROWS`. Arrow builds each from NDJSON with an explicit
    schema: the same typed columns as pa.array() would give, without pa.array()'s import of
    pandas (0.25 s per run)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.schema = _arrow_schema()
        self.encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per record
        self.chunk: list[dict[str, Any]] = []

    def add(self, rec: dict[str, Any]) -> None:
        self.chunk.append(rec)
        if len(self.chunk) >= PARQUET_ROWS:
            self._flush()

    def done(self) -> None:
        if self.chunk:
            self._flush()

    def _flush(self) -> None:
        import pyarrow.json as pj

        ndjson = "\n".join(map(self.encode, self.chunk)).encode("utf-8")
        table = pj.read_json(io.BytesIO(ndjson), read_options=pj.ReadOptions(use_threads=False),
                             parse_options=pj.ParseOptions(explicit_schema=self.schema))
        if table.num_rows != len(self.chunk):  # pragma: no cover - a reader regression would show here
            raise ValueError("Parquet export lost rows")
        self.writer.write_table(table.select(COLUMNS))
        self.chunk = []


def _write_xlsx(records: list[dict[str, Any]], path: Path) -> None:
    _write_sheet(records, COLUMNS, "observations", path)


# --------------------------------------------------------------------------- narratives
NARRATIVE_COLUMNS = ["year", "agency", "target", "role", "results", "difficulties", "proposals", "file", "sheet",
                     "cell", "submission_id", "received_at", "merged", "superseded_by"]
_NARR_TYPES = {"year": "int64", "submission_id": "int64", "superseded_by": "int64", "merged": "bool_"}


def narrative_records(ledger: Ledger, year: int | None = None) -> list[dict[str, Any]]:
    """What agencies wrote on their targets (of ``year``, or all), one record per target and
    submission, superseded ones included (``merged`` says which are current and valid)."""
    return [{
        "year": n["year"], "agency": n["agency"], "target": n["target"], "role": n["role"],
        "results": n["results"], "difficulties": n["difficulties"], "proposals": n["proposals"],
        "file": n["file_name"], "sheet": n["sheet"], "cell": n["cell"], "submission_id": n["submission_id"],
        "received_at": n["received_at"], "merged": bool(n["ok"]) and n["superseded_by"] is None,
        "superseded_by": n["superseded_by"],
    } for n in ledger.narratives(year)]


def narratives_path(observations: Path) -> Path:
    """Where the narratives go beside an export of the observations: ``…-narratives.csv``."""
    stem = observations.stem.replace("observations", "narratives")
    return observations.with_name((stem if stem != observations.stem else stem + "-narratives")
                                  + observations.suffix)


def export_narratives(ledger: Ledger, path: Path, fmt: str, year: int | None = None) -> Path:
    """Write the narratives as ``fmt`` (csv, parquet, json, xlsx); text stays text (CSV: the
    OWASP apostrophe before a leading ``=``, ``+``, ``-``, ``@``)."""
    records = narrative_records(ledger, year)
    if fmt == "csv":
        with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(NARRATIVE_COLUMNS)
            for rec in records:
                w.writerow([rec[c] if c in _NARR_TYPES else csv_safe(rec[c]) for c in NARRATIVE_COLUMNS])
    elif fmt == "json":
        atomic_write_text(path, json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(c, getattr(pa, _NARR_TYPES.get(c, "string"))()) for c in NARRATIVE_COLUMNS])
        table = pa.table({c: pa.array([r[c] for r in records], type=schema.field(c).type)
                          for c in NARRATIVE_COLUMNS}, schema=schema)
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp)
    elif fmt == "xlsx":
        _write_sheet(records, NARRATIVE_COLUMNS, "narratives", path)
    else:
        raise ValueError(fmt)
    return path


def _write_sheet(records: list[dict[str, Any]], columns: list[str], name: str, path: Path) -> None:
    import datetime as dt

    from sdgxl.xlsxw import Workbook

    buf = io.BytesIO()
    wb = Workbook(buf)
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, columns)
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})  # UTC, as Excel has no time zones
    for c, col in enumerate(columns):
        if col in TIMES:
            ws.set_column(c, c, 19, stamp)
    for r, rec in enumerate(records, start=1):
        for c, col in enumerate(columns):
            v = rec[col]
            if v is None:
                continue
            if col in TIMES:
                moment = dt.datetime.fromisoformat(v).astimezone(dt.timezone.utc).replace(tzinfo=None)
                ws.write_datetime(r, c, moment, stamp)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))  # text, never a formula
    ws.autofilter(0, 0, max(len(records), 1), len(columns) - 1)
    ws.freeze_panes(1, 0)
    wb.close()
    atomic_write_bytes(path, buf.getvalue())
