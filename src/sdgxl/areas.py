"""Areas and receivers: whose territory a form covers and who collects it, year by year.

A plan covers a territory (the bundled one: the former Kiên Giang province); the body that
collects its forms and the province that territory belongs to may change while the plan
stays (from 1 July 2025 Kiên Giang is part of the new An Giang province, and the forms go
to An Giang's Department of Finance). ``province.toml`` holds the settings as they were
when the plan was made, and ``[[period]]`` tables, each from a data year on, override them:
the province's name, the issuer, the receiver (``[period.dpi]``, which replaces ``[dpi]``
as a whole) and the area's name.

The area id (``area``, lower-case ASCII) is what the ledger files rows under; one ledger
holds several areas, each collected with its own catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sdgxl.errors import UsageError

__all__ = ["DEFAULT_AREA", "area_id", "area_name", "check_area", "default_area", "province_settings", "receiver",
           "receiver_short", "territory"]

DEFAULT_AREA = "default"  # a ledger's rows when no province.toml names the area
_AREA_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _base(templates: Path | str | None) -> dict[str, Any]:
    from sdgxl.resources import load_province

    return load_province(templates)


def province_settings(year: int | None, templates: Path | str | None = None) -> dict[str, Any]:
    """``province.toml`` for data year ``year``: the base settings with the last period that
    has begun by then laid over them (``year`` None: the base settings)."""
    base = _base(templates)
    periods = [p for p in base.get("period", []) if isinstance(p, dict)]
    out = {k: v for k, v in base.items() if k != "period"}
    out["plan_province"] = base.get("province", "")  # whose plan it is, whatever the period
    out["plan_province_en"] = base.get("province_en", base.get("province", ""))
    if year is None:
        return out
    started = sorted((int(p.get("from_year", 0)), n) for n, p in enumerate(periods)
                     if int(p.get("from_year", 0)) <= year)
    if started:
        period = periods[started[-1][1]]
        out.update({k: v for k, v in period.items() if k != "from_year"})
        out["period_from"] = int(period.get("from_year", 0))
    return out


def area_id(settings: dict[str, Any]) -> str:
    return str(settings.get("area") or DEFAULT_AREA)


def area_name(settings: dict[str, Any], lang: str = "vi") -> str:
    name = settings.get("area_name_en") if lang == "en" else None
    return str(name or settings.get("area_name") or settings.get("province_en" if lang == "en" else "province", ""))


def territory(settings: dict[str, Any], lang: str = "vi") -> str:
    """The province as outputs name it: with the plan's area when a period names one
    (``An Giang – địa bàn tỉnh Kiên Giang cũ``)."""
    prov = str(settings.get("province_en" if lang == "en" else "province", ""))
    if "period_from" not in settings or not settings.get("area_name"):
        return prov
    area = area_name(settings, lang)
    return f"{prov} ({area})" if lang == "en" else f"{prov} – địa bàn {area}"


def receiver(year: int | None, templates: Path | str | None = None) -> dict[str, str]:
    """The body that receives the forms of data year ``year`` (``[dpi]``, or the ``[period.dpi]``
    of the period in force that year: it replaces ``[dpi]`` as a whole): name, unit, address,
    email, phone, contact. Forms, feedback copies, reply drafts and the demo's emails all
    take the receiver from here."""
    dpi = province_settings(year, templates).get("dpi", {})
    return {str(k): str(v) for k, v in dpi.items()} if isinstance(dpi, dict) else {}


def receiver_short(settings: dict[str, Any], lang: str = "vi") -> str:
    """The receiver as the forms' instructions name it (``Sở Tài chính``)."""
    dpi = settings.get("dpi", {})
    if lang == "en":
        return str(dpi.get("short_en") or dpi.get("name_en") or dpi.get("name", ""))
    return str(dpi.get("short") or dpi.get("name", ""))


def default_area(templates: Path | str | None = None) -> str:
    """The area of this installation's plan (``province.toml``'s ``area``): the area of rows
    written before ledgers had areas."""
    return area_id(province_settings(None, templates))


def check_area(area: str) -> str:
    """An area id as given on the command line: lower-case ASCII, or a usage error."""
    if not _AREA_RE.fullmatch(area):
        raise UsageError("bad_area", area=area)
    return area
