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
REF_AREA the area's code of the data year (:class:`AreaCodes`, from ``province.toml``).
OBS_STATUS is ``A`` (normal) or ``E`` (estimated: the data status "estimate"), NATURE ``C``
(country data), UNIT_MEASURE and UNIT_MULT from the unit (:func:`unit_measure`), and the
agency's note is COMMENT_OBS (text, with the formula guard of the tidy CSV export).

The codes were checked against the SDG data structure IAEG-SDGs:SDG(1.4) as the SDMX global
registry served it with its code lists on 2021-06-24 (a copy: GitHub Tajstat/sdg-data-tajikistan2,
SDG_DSD.xml, commit ee8b885f9b43a9095341e604389179241c90e6d3; its header: Sender SDMX, schema
registry.sdmx.org):

* NATURE: IAEG-SDGs:CL_NATURE(1.0) = C Country Data, CA Country Adjusted, E Estimated,
  G Global monitoring data, M Modeled, N Non-relevant, _X Not Available. A 2025 copy of a
  national SDG structure (GitHub SDG-Kenya/Data, SDG_DSD.xml, prepared 2025-08-27) still
  refers to CL_NATURE 1.0. The province's agencies produce its data, so NATURE is C (the UN
  SDG database: "Produced and disseminated by the country"); a value the agency estimated keeps
  C and says so in OBS_STATUS (docs/publish.md: no source says whether NATURE E fits it).
* OBS_STATUS: SDMX:CL_OBS_STATUS(2.1): A "Normal value", E "Estimated value" (an observation
  obtained through an estimation methodology or from a limited amount of data).
* UNIT_MULT: SDMX:CL_UNIT_MULT(1.1): 0 units, 6 millions, 9 billions.
* UNIT_MEASURE: IAEG-SDGs:CL_UNIT_MEASURE(1.3): only the codes of :data:`UNIT_CODES`.
* REF_AREA: IAEG-SDGs:CL_AREA(1.4) has M49 and ISO 3166 alpha-2 codes of countries and
  regions only (Viet Nam: 704 and VN) and no subnational code, so a province's observation is
  not valid in the global dataflow as the registry defines it: the file is for the national
  statistics office, which reports for 704 (docs/publish.md).

Only numbers are observations; the file is sorted (flow, series, key, year), so the same
ledger gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdgxl.catalogue.models import Catalogue, Component, Indicator, Mapping
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.outputs.tidy import csv_safe

__all__ = ["ATTRIBUTES", "DIMENSIONS", "GLOBAL_FLOW", "NATURE", "OBS_STATUS_ESTIMATED", "OBS_STATUS_NORMAL",
           "UNIT_CODES", "AreaCodes", "SdmxResult", "provincial_flow", "publish_settings", "row_series",
           "sdmx_records", "unit_measure", "write_sdmx_csv"]

# the SDG DSD's dimensions, in its order (sdg-build's test data for IAEG-SDGs:SDG(1.8))
DIMENSIONS = ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
              "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN",
              "DISABILITY_STATUS", "ACTIVITY", "PRODUCT")
ATTRIBUTES = ("UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "COMMENT_OBS")
# the global SDG dataflow (the URN sdg-build's SDMX output refers to)
GLOBAL_FLOW = ("IAEG-SDGs", "DF_SDG_GLC", "1.0")
# IAEG-SDGs:CL_NATURE(1.0) "C" Country Data; SDMX:CL_OBS_STATUS(2.1) "A" Normal value, "E" Estimated value
# (the structure copy named in the module's docstring)
NATURE = "C"
OBS_STATUS_NORMAL, OBS_STATUS_ESTIMATED = "A", "E"
# The UNIT_MEASURE codes sdgxl writes from IAEG-SDGs:CL_UNIT_MEASURE(1.3), with their names there.
UNIT_CODES = {"PT": "Percent", "NUMBER": "Number", "IX": "Index", "HA": "Hectares", "CUR_LCU": "Local currency",
              "T_KM": "Tonne kilometres", "PER_1000_LIVE_BIRTHS": "Per 1,000 live births",
              "PER_1000_POP": "Per 1,000 population", "PER_100000_POP": "Per 100,000 population"}
_UNIT_BY_KIND = {"percentage": "PT", "rate_of_change": "PT", "count": "NUMBER", "index": "IX"}
# the plan's unit texts (compared without case and spaces) that are one of those
# codes, with UNIT_MULT (SDMX:CL_UNIT_MULT(1.1): 6 millions, 9 billions); any other unit is written
# as an ASCII code of its own text, which only the provincial structure can hold
_UNIT_BY_TEXT: dict[str, tuple[str, int]] = {
    "%": ("PT", 0),
    "ha": ("HA", 0),
    "‰(trên1.000trẻđẻsống)": ("PER_1000_LIVE_BIRTHS", 0),
    "ca/1000người": ("PER_1000_POP", 0),
    "người/100.000dân": ("PER_100000_POP", 0),
    "người/100.000người": ("PER_100000_POP", 0),
    "nạnnhân/100.000dân": ("PER_100000_POP", 0),
    "triệuđồng": ("CUR_LCU", 6),
    "tỷđồng": ("CUR_LCU", 9),
    "triệutấn.km": ("T_KM", 6),
}


@dataclass
class SdmxResult:
    path: Path
    version: int
    global_obs: int
    provincial_obs: int
    structure: Path | None = None  # the provincial dataflow's structure message, beside the CSV


@dataclass(frozen=True)
class AreaCodes:
    """The area's code in published data (REF_AREA, Open SDG's GeoCode) year by year:
    ``province.toml``'s ``[publish] area_code``, replaced from a data year on by the
    ``area_code`` of a ``[[period]]``'s ``[period.publish]``."""

    base: str
    periods: tuple[tuple[int, str], ...] = field(default=())

    def __call__(self, year: int) -> str:
        code = self.base
        for start, value in sorted(self.periods):
            if start <= year:
                code = value
        return code


def _code(setting: str, value: Any, default: str) -> str:
    from sdgxl.errors import UsageError

    code = str(value or default).strip()
    if not re.fullmatch(r"[A-Za-z0-9_@$-]{1,50}", code):  # an SDMX id, and a GeoCode with no spaces
        raise UsageError("publish_code_invalid", setting=setting, value=code)
    return code


def publish_settings(templates: Path | str | None = None) -> tuple[AreaCodes, str]:
    """(the area's codes by year, SDMX agency of the provincial dataflow) from ``province.toml``'s
    ``[publish]`` and its periods' ``[period.publish]``."""
    from sdgxl.resources import load_province

    prov = load_province(templates)
    pub = prov.get("publish", {})
    pub = pub if isinstance(pub, dict) else {}
    base = _code("area_code", pub.get("area_code"), "PROVINCE")
    periods: list[tuple[int, str]] = []
    for period in prov.get("period", []):
        ppub = period.get("publish") if isinstance(period, dict) else None
        if isinstance(ppub, dict) and ppub.get("area_code"):
            periods.append((int(period.get("from_year", 0)), _code("area_code", ppub["area_code"], base)))
    return AreaCodes(base, tuple(periods)), _code("sdmx_agency", pub.get("sdmx_agency"), "SDGXL")


def area_code_of(area_code: str | Callable[[int], str], year: int) -> str:
    return area_code if isinstance(area_code, str) else area_code(year)


def provincial_flow(cat: Catalogue, agency: str = "SDGXL") -> tuple[str, str, str]:
    """(agency, id, version) of the province's dataflow for indicators with no global series."""
    return agency, "DF_SDG_PROV_" + cat.id.upper().replace("-", "_"), "1.0"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_")[:40]


def provincial_series(ind: Indicator, comp_key: str | None = None) -> str:
    return "PROV_" + _ascii(ind.code) + (f"_{_ascii(comp_key)}" if comp_key else "")


def _unit_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).lower())


def unit_measure(ind: Indicator, comp: Component | None = None) -> tuple[str, int]:
    """(UNIT_MEASURE, UNIT_MULT) of an indicator's (or component's) values: a code of
    :data:`UNIT_CODES` when the unit kind or the unit's text is one, else the unit's text in
    ASCII (a code of the provincial structure only)."""
    kind = (comp.unit_kind if comp is not None and comp.unit_kind else ind.unit_kind).value
    if kind in _UNIT_BY_KIND and not (comp is not None and comp.unit and comp.unit != ind.unit):
        return _UNIT_BY_KIND[kind], 0
    unit = (comp.unit if comp is not None and comp.unit else ind.unit) or ""
    known = _UNIT_BY_TEXT.get(_unit_key(unit))
    if known is not None:
        return known
    return _ascii(unit) or "UNIT", 0


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


def sdmx_records(con: Consolidation, *, area_code: str | Callable[[int], str],
                 agency: str = "SDGXL") -> list[dict[str, str]]:
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
        key.update(FREQ="A", REPORTING_TYPE="N")
        unit, mult = unit_measure(ind, comp)
        if series is None and mapping is not None and mapping.series:
            flow = glob
            if mapping.unit_measure and mapping.unit_measure != unit:
                unit, mult = mapping.unit_measure, 0
            key["SERIES"] = mapping.series
            key.update(mapping.dimensions)
        else:
            flow = prov
            key["SERIES"] = series or provincial_series(ind)
        key.update(comp.dimensions if comp is not None else {})
        for year, cell in sorted(row.years.items()):
            v = cell.value
            if v is None or not math.isfinite(v):
                continue
            status = OBS_STATUS_ESTIMATED if cell.data_status == "estimate" else OBS_STATUS_NORMAL
            rec = {"_flow": flow, **key, "REF_AREA": area_code_of(area_code, year), "TIME_PERIOD": str(year),
                   "OBS_VALUE": _num(v), "UNIT_MEASURE": unit, "UNIT_MULT": str(mult), "OBS_STATUS": status,
                   "NATURE": NATURE, "COMMENT_OBS": str(csv_safe((cell.note or "").strip()))}
            out.append(rec)
    out.sort(key=lambda r: (r["_flow"] != glob, r["_flow"], *(r[d] for d in DIMENSIONS), int(r["TIME_PERIOD"])))
    return out


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def write_sdmx_csv(con: Consolidation, path: Path | str, *, version: int = 1,
                   area_code: str | Callable[[int], str], agency: str = "SDGXL") -> SdmxResult:
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
