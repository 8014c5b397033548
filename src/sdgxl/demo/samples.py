"""The realistic sample values shipped in ``samples/`` and the demo's typical mistakes."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sdgxl.demo.fill import Entry, FormFile
from sdgxl.resources import load_toml, resource_dir

__all__ = ["fill_from_samples", "load_mistakes", "sample_entries", "sample_narratives", "sample_years"]


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    path = resource_dir("samples") / "values.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@functools.lru_cache(maxsize=1)
def _narrative_rows() -> tuple[dict[str, str], ...]:
    path = resource_dir("samples") / "narratives.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def sample_narratives(year: int, agency: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """What ``agency`` writes on its targets in ``year`` (samples/narratives.csv): target →
    (results, difficulties, proposals). The samples name the plan's agencies; after the 2025
    reorganisation an abolished agency's text goes to the agency that holds its place in the
    target that year (Sở LĐ-TB&XH's 1.1 to Sở Nông nghiệp và Môi trường), its own text first."""
    from sdgxl.catalogue import bundled
    from sdgxl.catalogue.models import cycle_date

    cat, on = bundled(), cycle_date(year)
    rows = [r for r in _narrative_rows() if int(r["year"]) == year]
    out: dict[str, tuple[str | None, str | None, str | None]] = {}
    for r in sorted(rows, key=lambda r: r["agency"] != agency):
        if r["target"] in out or (r["agency"] != agency and agency not in cat.heirs(r["agency"], r["target"], on)):
            continue
        out[r["target"]] = (r["results"] or None, r["difficulties"] or None, r["proposals"] or None)
    return out


def sample_years() -> list[int]:
    return sorted({int(r["year"]) for r in _rows()})


def sample_entries(year: int, agency: str) -> list[Entry]:
    """The sample values of one agency for one year, as form entries. The samples name the
    plan's agencies; after the 2025 reorganisation a row goes to the agency that reports it
    that year (Sở TN&MT's to Sở Nông nghiệp và Môi trường, LĐ-TB&XH's poverty rows too)."""
    from sdgxl.catalogue import bundled
    from sdgxl.catalogue.models import cycle_date

    cat, on = bundled(), cycle_date(year)
    out = []
    own = {r["key"] for r in _rows() if int(r["year"]) == year and r["agency"] == agency}
    for r in _rows():
        if int(r["year"]) != year:
            continue
        code, _, comp = r["key"].partition("#")
        if r["agency"] != agency and (r["key"] in own or cat.successor(r["agency"], on, code, comp or None) != agency):
            continue  # its own value wins over a predecessor's (4.5: GD&ĐT's, not LĐ-TB&XH's)
        own.add(r["key"])
        value: Any = None
        if r["value"] != "":
            try:
                value = float(r["value"])
            except ValueError:
                value = r["value"]
        out.append(Entry(key=r["key"], value=value, status=r["status"] or None, source=r["source"] or None,
                         note=r["note"] or None))
    return out


def load_mistakes() -> dict[str, Any]:
    return load_toml(resource_dir("samples") / "mistakes.toml")


def fill_from_samples(form: Path | str, out: Path | str, year: int, agency: str,
                      changes: Iterable[dict[str, Any]] = (), saved: dt.datetime | None = None) -> Path:
    """Fill ``form`` with the sample values of ``agency`` for ``year``, then apply ``changes``
    (entries of mistakes.toml: key, what = text | percent | value | formula | formula_nocache |
    error | empty | status, value); ``saved``: the last-saved time the file states."""
    ff = FormFile(form)
    entries = {e.key: e for e in sample_entries(year, agency) if e.key in ff.rows}
    for ch in changes:
        e = entries.get(ch["key"]) or Entry(key=ch["key"])
        what = ch["what"]
        if what == "text":
            e.value, e.kind = ch["value"], "text"
        elif what == "percent":
            e.value, e.percent_format = float(e.value) / 100, True
        elif what == "value":
            e.value, e.kind = ch["value"], "auto"
        elif what in ("formula", "formula_nocache"):
            e.value, e.kind, e.cached = ch["value"], what, ch.get("cached")
        elif what == "error":
            e.value, e.kind = ch.get("value", "#DIV/0!"), "error"
        elif what == "empty":
            e.value, e.status = None, None
        elif what == "status":
            e.status = ch["value"]
        elif what == "note":
            e.note = ch["value"]
        else:
            raise ValueError(f"unknown mistake {what!r}")
        entries[e.key] = e
    ff.fill(list(entries.values()))
    ff.write_narratives(sample_narratives(year, agency))
    if saved is not None:  # as the agency's spreadsheet program does on save
        ff.set_saved(saved)
    return ff.save(out)
