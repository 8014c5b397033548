"""Unit kinds: what each kind accepts, and the rule that reads a kind off a printed unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sdgxl.catalogue.models import UnitKind
from sdgxl.text import ascii_fold, clean_spaces

__all__ = ["RULES", "UNITS_EN", "UnitRule", "classify_unit", "unit_in"]


@dataclass(frozen=True)
class UnitRule:
    """Bounds and typing of the values a unit kind accepts."""

    kind: UnitKind
    minimum: float | None
    maximum: float | None
    whole: bool = False
    numeric: bool = True


RULES: dict[UnitKind, UnitRule] = {
    UnitKind.percentage: UnitRule(UnitKind.percentage, 0, 100),
    UnitKind.rate_of_change: UnitRule(UnitKind.rate_of_change, -100, 1000),
    UnitKind.index: UnitRule(UnitKind.index, 0, 1),
    UnitKind.count: UnitRule(UnitKind.count, 0, None, whole=True),
    UnitKind.rate_per_population: UnitRule(UnitKind.rate_per_population, 0, None),
    UnitKind.money: UnitRule(UnitKind.money, 0, None),
    UnitKind.quantity: UnitRule(UnitKind.quantity, 0, None),
    UnitKind.multiple: UnitRule(UnitKind.multiple, 0, None),
    UnitKind.qualitative: UnitRule(UnitKind.qualitative, None, None, numeric=False),
}

# The plan's printed units in English (sdgxl's translation, like the titles in titles_en.toml; not
# an official text): every unit of the bundled catalogue, read with its indicator (16.9's "bản"
# counts legal documents, 3.5's "Vụ" accidents). A unit not listed is shown as printed.
UNITS_EN: dict[str, str] = {
    "%": "%",
    "% , người": "%, persons",
    "% huyện, xã, hộ": "% of districts, communes, households",
    "Người": "persons",
    "người": "persons",
    "Nạn nhân / 100.000 dân": "victims per 100,000 population",
    "Số báo cáo": "reports",
    "Số loài": "species",
    "Số trạm": "stations",
    "Trạm": "stations",
    "Số vụ": "cases",
    "Vụ": "cases",
    "Triệu đồng": "million VND",
    "Tỷ đồng": "billion VND",
    "[0-1]": "[0-1]",
    "bản": "documents",
    "ca/1000 người": "cases per 1,000 persons",
    "ha": "ha",
    "kWh": "kWh",
    "lần": "times",
    "m2 / người": "m² per person",
    "người /100.000 dân": "persons per 100,000 population",
    "người/100.000 người": "persons per 100,000 persons",
    "triệu tấn.km": "million tonne-km",
    "tấn / người": "tonnes per person",
    "tấn/người": "tonnes per person",
    "tấn/triệu đồng": "tonnes per million VND",
    "đồng/người": "VND per person",
    "‰ (trên 1.000 phụ nữ cùng nhóm tuổi)": "‰ (per 1,000 women of the age group)",
    "‰ (trên 1.000 trẻ đẻ sống)": "‰ (per 1,000 live births)",
}


def unit_in(unit: str | None, lang: str) -> str:
    """A printed unit as a reader of ``lang`` reads it (English from :data:`UNITS_EN`)."""
    u = clean_spaces(unit or "")
    return UNITS_EN.get(u, u) if lang == "en" else u


_COUNT_WORDS = {"nguoi", "vu", "tram", "loai", "ban", "bao cao", "so tram", "so vu", "so loai",
                "so bao cao", "nan nhan", "ca", "du an", "so"}


def classify_unit(unit: str | None, name: str = "") -> UnitKind | None:
    """The unit kind a printed unit implies, or None when the unit says nothing.

    ``name`` is used only to tell a growth rate ("Tốc độ tăng …", in %) from a share.
    """
    u = clean_spaces(unit or "")
    if not u:
        return None
    f = ascii_fold(u).lower()
    f = re.sub(r"\s*([/.])\s*", r"\1", f)
    n = ascii_fold(name).lower()
    if f in {"%", "phan tram"}:
        if n.startswith("toc do tang") or "toc do tang" in n[:40]:
            return UnitKind.rate_of_change
        return UnitKind.percentage
    if f in {"[0-1]", "0-1", "chi so"}:
        return UnitKind.index
    if "/1000" in f or "/100.000" in f or "/100000" in f or "‰" in u:
        return UnitKind.rate_per_population
    if "dong" in f.split("/")[0] and ("trieu" in f or "ty" in f or f.startswith("dong")):
        return UnitKind.money
    if f in {"lan"}:
        return UnitKind.multiple
    if f in _COUNT_WORDS:
        return UnitKind.count
    if any(tok in f for tok in ("ha", "kwh", "tan", "km", "m2", "m3", "kg")):
        return UnitKind.quantity
    return None
