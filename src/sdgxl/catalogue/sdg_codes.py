"""The global SDG codes a crosswalk's global mapping is checked against (``sdgxl catalogue check``).

* the SDG series and their unit: ``data/sdg_series.txt`` (sdg-build's content constraints of the
  global SDG data structure; its header names the source and the commit);
* IAEG-SDGs:CL_SEX(1.1), the one dimension code list sdgxl bundles in full (the others: only
  ``_T``, so a mapping's AGE, URBANISATION … codes are checked for their shape alone);
* the units: those of the series list and the codes sdgxl writes (:data:`sdgxl.outputs.sdmx.UNIT_CODES`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["SEX_CODES", "dimension_codes", "sdg_series", "sdg_units"]

# IAEG-SDGs:CL_SEX(1.1), as in SDG(1.14) (the structure copy named in sdgxl.outputs.sdmx's docstring)
SEX_CODES = {"_T": "Both sexes or no breakdown by sex", "F": "Female", "M": "Male", "_N": "Non response",
             "_O": "Other", "_U": "Unknown", "_X": "Not available"}
# the units sdgxl writes besides (sdgxl.outputs.sdmx.UNIT_CODES; all in IAEG-SDGs:CL_UNIT_MEASURE(1.3))
_WRITTEN_UNITS = {"PT", "NUMBER", "IX", "HA", "CUR_LCU", "T_KM", "PER_1000_LIVE_BIRTHS", "PER_1000_POP",
                  "PER_100000_POP"}


@cache
def sdg_series() -> dict[str, str | None]:
    """Every SDG series id → its unit (None where the source gives none)."""
    out: dict[str, str | None] = {}
    text = (Path(__file__).parent.parent / "data" / "sdg_series.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            series, _, unit = line.strip().partition(" ")
            out[series] = None if unit.strip() in ("", "-") else unit.strip()
    return out


@cache
def sdg_units() -> frozenset[str]:
    return frozenset({u for u in sdg_series().values() if u} | _WRITTEN_UNITS)


def dimension_codes(dimension: str) -> set[str] | None:
    """The codes of ``dimension`` where sdgxl has its whole code list, else None."""
    return set(SEX_CODES) if dimension == "SEX" else None
