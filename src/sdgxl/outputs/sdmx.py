"""SDMX-CSV (1.0 or 2.0) of the provincial table, against the global SDG data structure.

The SDG data structure (IAEG-SDGs:SDG) has the dimensions of :data:`DIMENSIONS` and the
attributes of :data:`ATTRIBUTES`. An observation goes to

* the global dataflow (:data:`GLOBAL_FLOW`) when its indicator has an *exact* mapping to a
  global indicator with an SDMX series in the catalogue's crosswalk: SERIES and the
  dimensions the series fixes (AGE = Y0T4 …) come from the crosswalk, UNIT_MEASURE from it;
* otherwise the provincial dataflow (:func:`provincial_flow`, same dimensions and attributes,
  its own SERIES codes ``PROV_<code>``), named for what it is: the province's indicators with
  no global series. A component that has no dimension of its own (the plan's 2.4 rice,
  vegetables, fruit) is a series of its own there (``PROV_2_4_LUA``). Its structure (the
  dataflow, the data structure, the SERIES code list) is written beside the CSV
  (:mod:`sdgxl.outputs.sdmx_structure`).

Components that mean a dimension (the catalogue's ``dimensions`` of a component: 3.9 men /
women → SEX = M / F) fill it; every other dimension is ``_T``. FREQ is ``A`` (annual),
REPORTING_TYPE ``N`` (national data, as opposed to estimates by an international agency),
REF_AREA the province's code (``province.toml``). OBS_STATUS is ``A`` (normal) or ``E``
(estimated: the data status "estimate"), NATURE ``C`` (country data), UNIT_MULT 0, and the
agency's note is COMMENT_OBS (text, with the formula guard of the tidy CSV export).

Only numbers are observations; the file is sorted (flow, series, key, year), so the same
ledger gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdgxl.catalogue.models import Catalogue, Component, Indicator, Mapping
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.outputs.tidy import csv_safe

__all__ = ["ATTRIBUTES", "DIMENSIONS", "GLOBAL_FLOW", "SdmxResult", "provincial_flow", "publish_settings",
           "row_series", "sdmx_records", "unit_code", "write_sdmx_csv"]

# the SDG DSD's dimensions, in its order (sdg-build's test data for IAEG-SDGs:SDG(1.8))
DIMENSIONS = ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
              "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN",
              "DISABILITY_STATUS", "ACTIVITY", "PRODUCT")
ATTRIBUTES = ("UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "COMMENT_OBS")
# the global SDG dataflow (the URN sdg-build's SDMX output refers to)
GLOBAL_FLOW = ("IAEG-SDGs", "DF_SDG_GLC", "1.0")
_UNIT_BY_KIND = {"percentage": "PT", "rate_of_change": "PT", "count": "NUMBER", "index": "INDEX"}


@dataclass
class SdmxResult:
    path: Path
    version: int
    global_obs: int
    provincial_obs: int
    structure: Path | None = None  # the provincial dataflow's structure message, beside the CSV


def publish_settings(templates: Path | str | None = None) -> tuple[str, str]:
    """(area code, SDMX agency of the provincial dataflow) from ``province.toml``'s [publish]."""
    from sdgxl.errors import UsageError
    from sdgxl.resources import load_province

    pub = load_province(templates).get("publish", {})
    area, agency = str(pub.get("area_code") or "PROVINCE").strip(), str(pub.get("sdmx_agency") or "SDGXL").strip()
    for key, value in (("area_code", area), ("sdmx_agency", agency)):
        if not re.fullmatch(r"[A-Za-z0-9_@$-]{1,50}", value):  # an SDMX id, and a GeoCode with no spaces
            raise UsageError("publish_code_invalid", setting=key, value=value)
    return area, agency


def provincial_flow(cat: Catalogue, agency: str = "SDGXL") -> tuple[str, str, str]:
    """(agency, id, version) of the province's dataflow for indicators with no global series."""
    return agency, "DF_SDG_PROV_" + cat.id.upper().replace("-", "_"), "1.0"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_")[:40]


def provincial_series(ind: Indicator, comp_key: str | None = None) -> str:
    return "PROV_" + _ascii(ind.code) + (f"_{_ascii(comp_key)}" if comp_key else "")


def unit_code(ind: Indicator, comp: Component | None) -> str:
    """The UNIT_MEASURE of a provincial row: PT, NUMBER, INDEX for the unit kinds that are
    one, else the unit as printed, in ASCII (``TRIEU_DONG``)."""
    kind = (comp.unit_kind if comp is not None and comp.unit_kind else ind.unit_kind).value
    if kind in _UNIT_BY_KIND and not (comp is not None and comp.unit and comp.unit != ind.unit):
        return _UNIT_BY_KIND[kind]
    unit = (comp.unit if comp is not None and comp.unit else ind.unit) or ""
    if unit.strip() == "%":
        return "PT"
    return _ascii(unit) or "UNIT"


def _global(ind: Indicator) -> Mapping | None:
    return next((m for m in ind.crosswalk if m.scheme == "global" and m.relation == "exact" and m.series), None)


def row_series(ind: Indicator, comp: Component | None) -> str | None:
    """The provincial series of one row of ``ind``; None when the row goes to the global flow
    (an exact global mapping with a series, and no component without a dimension of its own:
    such a component would collide with its siblings in the global key)."""
    comp_dims = comp.dimensions if comp is not None else {}
    if _global(ind) is not None and (comp is None or comp_dims):
        return None
    return provincial_series(ind, comp.key if comp is not None and not comp_dims else None)


def sdmx_records(con: Consolidation, *, area_code: str, agency: str = "SDGXL") -> list[dict[str, str]]:
    """One record per numeric value of the provincial table (dimension / attribute → code)."""
    cat = con.catalogue
    glob = ":".join(GLOBAL_FLOW[:2]) + f"({GLOBAL_FLOW[2]})"
    pa, pid, pv = provincial_flow(cat, agency)
    prov = f"{pa}:{pid}({pv})"
    out: list[dict[str, str]] = []
    for row in con.rows:
        ind, comp = row.indicator, row.component
        mapping, series = _global(ind), row_series(ind, comp)
        key: dict[str, str] = {d: "_T" for d in DIMENSIONS}
        key.update(FREQ="A", REPORTING_TYPE="N", REF_AREA=area_code)
        if series is None and mapping is not None and mapping.series:
            flow, unit = glob, mapping.unit_measure or unit_code(ind, comp)
            key["SERIES"] = mapping.series
            key.update(mapping.dimensions)
        else:
            flow, unit = prov, unit_code(ind, comp)
            key["SERIES"] = series or provincial_series(ind)
        key.update(comp.dimensions if comp is not None else {})
        for year, cell in sorted(row.years.items()):
            v = cell.value
            if v is None or not math.isfinite(v):
                continue
            rec = {"_flow": flow, **key, "TIME_PERIOD": str(year), "OBS_VALUE": _num(v), "UNIT_MEASURE": unit,
                   "UNIT_MULT": "0", "OBS_STATUS": "E" if cell.data_status == "estimate" else "A",
                   "NATURE": "C", "COMMENT_OBS": str(csv_safe((cell.note or "").strip()))}
            out.append(rec)
    out.sort(key=lambda r: (r["_flow"] != glob, r["_flow"], *(r[d] for d in DIMENSIONS), int(r["TIME_PERIOD"])))
    return out


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def write_sdmx_csv(con: Consolidation, path: Path | str, *, version: int = 1, area_code: str,
                   agency: str = "SDGXL") -> SdmxResult:
    """Write the provincial table as SDMX-CSV ``version`` 1 (``DATAFLOW`` first) or 2
    (``STRUCTURE, STRUCTURE_ID, ACTION`` first). The exports write the provincial dataflow's
    structure beside it (:func:`sdgxl.outputs.sdmx_structure.write_sdmx_with_structure`)."""

    if version not in (1, 2):
        raise ValueError(f"SDMX-CSV version {version}")
    records = sdmx_records(con, area_code=area_code, agency=agency)
    lead = ["DATAFLOW"] if version == 1 else ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    header = lead + list(DIMENSIONS) + ["TIME_PERIOD", "OBS_VALUE"] + list(ATTRIBUTES)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    glob = ":".join(GLOBAL_FLOW[:2]) + f"({GLOBAL_FLOW[2]})"
    n_global = 0
    for rec in records:
        first: list[Any] = [rec["_flow"]] if version == 1 else ["dataflow", rec["_flow"], "I"]
        w.writerow(first + [rec[c] for c in header[len(lead):]])
        n_global += rec["_flow"] == glob
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8"))
    return SdmxResult(path, version, n_global, len(records) - n_global)
