"""The catalogue's data model (pydantic v2).

A catalogue is the indicator table of a province's SDG action plan: goals, targets,
indicators (with their unit, unit kind, reporting agencies, components and roadmap)
and the agency registry. Everything downstream (forms, validation, progress) is
driven by it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping as _Mapping
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sdgxl.text import nfc

ROADMAP_YEARS: tuple[str, ...] = ("2015", "2020", "2025", "2030")


class _Model(BaseModel):
    # frozen: a catalogue does not change once loaded, so what is computed from it (its hash,
    # caches keyed by id()) stays true for its lifetime
    model_config = ConfigDict(extra="forbid", frozen=True)


def _nfc_str(value: object) -> object:
    return nfc(value).strip() if isinstance(value, str) else value


class UnitKind(Enum):
    """What kind of quantity an indicator measures; drives data validation."""

    percentage = "percentage"  # 0–100
    rate_of_change = "rate_of_change"  # growth in %, may be negative
    index = "index"  # 0–1
    count = "count"  # whole number ≥ 0
    rate_per_population = "rate_per_population"  # e.g. per 1,000 live births, ≥ 0
    money = "money"  # ≥ 0
    quantity = "quantity"  # physical unit, ≥ 0
    multiple = "multiple"  # "lần", ≥ 0
    qualitative = "qualitative"  # free text


RoadmapKind = Literal[
    "number",
    "comparison",
    "range",
    "ratio",
    "composite",
    "relative_change",
    "qualitative",
    "no_data",
    "empty",
]


class Part(_Model):
    """One labelled value of a composite roadmap cell (``Đào tạo 52``)."""

    label: str
    value: float


class RoadmapValue(_Model):
    """One roadmap cell, parsed, keeping the text as printed in the plan."""

    text: str = ""
    kind: RoadmapKind = "empty"
    value: float | None = None  # number; the bound of a comparison
    operator: Literal["<", "<=", ">", ">="] | None = None  # comparison
    low: float | None = None  # range
    high: float | None = None  # range
    parts: list[float] | None = None  # ratio (1: 2: 4)
    labelled: list[Part] | None = None  # composite (Đào tạo 52/ dạy nghề 43)
    direction: Literal["increase", "decrease", "maintain"] | None = None  # relative change
    change_pct: float | None = None  # relative change, e.g. -20 for "Giảm 20%"
    change_pct_high: float | None = None  # "Giảm 1-1,5%": the other end
    reference: str | None = None  # relative change: "so với 5 năm trước"
    qualifier: str | None = None  # "(2014-2015)", "như TB cả nước", "đạt"

    _norm = field_validator("text", "qualifier", "reference", mode="before")(_nfc_str)

    def numeric_target(self) -> float | None:
        """A single number that stands for this cell, where one exists."""
        if self.kind == "number":
            return self.value
        if self.kind == "comparison":
            return self.value
        if self.kind == "range" and self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return None

    def bounds(self) -> tuple[float | None, float | None]:
        """The interval of values this cell accepts as "on the roadmap"."""
        if self.kind == "number":
            return self.value, self.value
        if self.kind == "range":
            return self.low, self.high
        if self.kind == "comparison" and self.operator in (">", ">="):
            return self.value, None
        if self.kind == "comparison" and self.operator in ("<", "<="):
            return None, self.value
        return None, None


Direction = Literal["increase", "decrease", "maintain", "range"]
AimKind = Literal["level", "range", "bound", "annual_rate", "relative_change"]


class Aim(_Model):
    """The target the plan states for an indicator (or a component), as read by hand.

    ``year`` names the roadmap cell that states it (2030, or the last milestone the plan
    gives: 2020 for 8.2 "6-7"). By kind:

    * level: ``value`` (9,78 → 2,0; 0 for "chấm dứt");
    * range: ``low``–``high`` (85-95);
    * bound: ``operator`` and ``value`` (>90, < 8,0, từ 80% trở lên);
    * annual_rate: ``low``–``high`` percent a year, negative for a fall ("Giảm 1-1,5% hàng năm");
    * relative_change: ``low``–``high`` percent, negative for a fall, over ``per_years``
      years ("Giảm 20% so với 5 năm trước": −20 per 5) or, without ``per_years``, from the
      base to ``year`` ("giảm 20 - 25%" by 2030).
    """

    year: int = Field(ge=2015, le=2030)
    kind: AimKind
    value: float | None = None
    operator: Literal["<", "<=", ">", ">="] | None = None
    low: float | None = None
    high: float | None = None
    per_years: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Aim:
        need = {
            "level": ("value",), "bound": ("value", "operator"), "range": ("low", "high"),
            "annual_rate": ("low", "high"), "relative_change": ("low", "high"),
        }[self.kind]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"an aim of kind {self.kind} needs {', '.join(missing)}")
        if self.low is not None and self.high is not None and self.kind == "range" and self.low > self.high:
            raise ValueError("a range's low end must not exceed its high end")
        return self


def _in(lang: str, text: str, text_en: str | None) -> str:
    """A title in ``lang``: the English one where there is one, else the plan's own words."""
    return text_en if lang == "en" and text_en else text


class Goal(_Model):
    number: int = Field(ge=1, le=17)
    title: str
    title_en: str | None = None

    _norm = field_validator("title", "title_en", mode="before")(_nfc_str)

    def title_in(self, lang: str) -> str:
        return _in(lang, self.title, self.title_en)


class Target(_Model):
    number: int = Field(ge=1, description="running number in the plan, (1) … (110)")
    code: str = Field(description="e.g. 8.10")
    goal: int = Field(ge=1, le=17)
    title: str
    title_en: str | None = None
    priority: Literal["MTUT", "MTKK"]
    lead_agencies: list[str] = Field(default_factory=list)
    cooperating_agencies: list[str] = Field(default_factory=list)
    cooperating_other: list[str] = Field(
        default_factory=list, description="co-operators the plan names that are not in the registry, as printed"
    )
    has_indicators: bool = True
    note: str | None = None  # e.g. why a target has no indicator
    tasks: list[str] = Field(default_factory=list, description="the plan's tasks for the target (PHỤ LỤC I)")
    tasks_lines: tuple[int, int] | None = Field(
        default=None, description="first and last line of the plan's text the tasks were read from")

    _norm = field_validator("title", "title_en", "note", mode="before")(_nfc_str)

    def title_in(self, lang: str) -> str:
        return _in(lang, self.title, self.title_en)

    @field_validator("tasks", mode="before")
    @classmethod
    def _tasks_nfc(cls, value: object) -> object:
        return [_nfc_str(t) for t in value] if isinstance(value, list) else value

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not re.fullmatch(r"\d{1,2}\.\d{1,2}", value):
            raise ValueError(f"target code must look like 8.10, got '{value}'")
        return value


# -- the crosswalk ------------------------------------------------------------------
CROSSWALK_SCHEMES: dict[str, tuple[str, str]] = {
    # scheme → (what it is, in Vietnamese; in English)
    "vn2019": ("Bộ chỉ tiêu thống kê PTBV quốc gia, Thông tư 03/2019/TT-BKHĐT",
               "national SDG indicators, Circular 03/2019/TT-BKHĐT"),
    "vn2025": ("Bộ chỉ tiêu thống kê PTBV quốc gia, Thông tư 02/2025/TT-BKHĐT",
               "national SDG indicators, Circular 02/2025/TT-BKHĐT"),
    "global": ("Khung chỉ tiêu SDG toàn cầu (Liên Hợp Quốc)", "the UN global SDG indicator framework"),
}
CROSSWALK_RELATIONS = ("exact", "proxy", "partial")
# the dimensions of the SDG data structure (IAEG-SDGs:SDG) a mapping may fix for its series
SDMX_DIMENSIONS = ("SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION",
                   "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT")
_CODE_SHAPES = {
    "vn2019": (r"\d{1,2}\.\d{1,2}\.\d{1,2}", "3.1.4"),
    "vn2025": (r"\d{1,2}\.\d{1,2}\.\d{1,2}", "3.1.4"),
    "global": (r"\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}", "3.2.1, 3.a.1"),
}
_SDMX_CODE = r"[A-Z0-9][A-Z0-9_]{0,39}|_[TXZ]"


def _xw_error(kind: str, **ctx: str) -> PydanticCustomError:
    """A crosswalk problem: its message key (``xw_<kind>`` in sdgxl.i18n) and parameters, rendered
    in the reader's language when shown; pydantic's own message is the English one."""
    from sdgxl.i18n import t

    return PydanticCustomError("crosswalk_" + kind, t("xw_" + kind, "en", **ctx).replace("{", "(").replace("}", ")"),
                               {"xw_key": "xw_" + kind, **ctx})


class Component(_Model):
    """One value of an indicator that has several (2.4 rice : vegetables : fruit)."""

    key: str = Field(description="ASCII key, stable across years: lua, rau, trai-cay")
    label: str
    label_en: str | None = Field(default=None, description="the label in English, where someone has written one")
    unit: str | None = None  # when it differs from the indicator's unit (8.7)
    unit_kind: UnitKind | None = None
    agency: str | None = None  # the agency that reports this component (4.3)
    roadmap: dict[str, RoadmapValue] = Field(default_factory=dict)
    aim: Aim | None = None  # the component's own target (9.5: 100 % of communes by 2025)
    dimensions: dict[str, str] = Field(
        default_factory=dict, description="SDMX dimension → code, when the component means one (SEX = M)")

    _norm = field_validator("label", "label_en", "unit", mode="before")(_nfc_str)

    def label_in(self, lang: str) -> str:
        return _in(lang, self.label, self.label_en)

    @field_validator("dimensions")
    @classmethod
    def _dimension_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for dim, code in value.items():
            if dim not in SDMX_DIMENSIONS:
                raise _xw_error("dimension", dims=dim, known=", ".join(SDMX_DIMENSIONS))
            if not re.fullmatch(_SDMX_CODE, code):
                raise _xw_error("sdmx_code", value=code)
            from sdgxl.catalogue.sdg_codes import dimension_codes

            codes = dimension_codes(dim)
            if codes is not None and code not in codes:
                raise _xw_error("dimension_code", dim=dim, value=code, known=", ".join(sorted(codes)))
        return value

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError(f"component key must be lower-case ASCII, got '{value}'")
        return value


class Mapping(_Model):
    """One link of a provincial indicator to a national or global indicator (and SDMX series)."""

    scheme: str = Field(description="vn2019 | vn2025 | global")
    code: str = Field(description="the indicator's code in that scheme: 16.8.1, 3.a.1")
    relation: str = Field(description="exact | proxy | partial")
    source: str = Field(default="", description="where the mapping was read: a document, a page, a file")
    series: str | None = Field(default=None, description="SDMX series code in the SDG data structure (global)")
    dimensions: dict[str, str] = Field(default_factory=dict, description="dimension → code the series fixes")
    unit_measure: str | None = Field(default=None, description="SDMX UNIT_MEASURE of the series: PT, NUMBER …")
    note: str | None = None

    _norm = field_validator("source", "note", mode="before")(_nfc_str)

    @model_validator(mode="after")
    def _shape(self) -> Mapping:
        if self.scheme not in CROSSWALK_SCHEMES:
            raise _xw_error("scheme", scheme=self.scheme)
        if self.relation not in CROSSWALK_RELATIONS:
            raise _xw_error("relation", relation=self.relation)
        shape, example = _CODE_SHAPES[self.scheme]
        if not re.fullmatch(shape, self.code):
            raise _xw_error("code", scheme=self.scheme, code=self.code, example=example)
        if not self.source.strip():
            raise _xw_error("source")
        if self.series is not None or self.dimensions or self.unit_measure is not None:
            if self.scheme != "global":
                raise _xw_error("series")
            if self.series is None:
                raise _xw_error("series_missing")
            for value in [self.series, self.unit_measure or "PT", *self.dimensions.values()]:
                if not re.fullmatch(_SDMX_CODE, value):
                    raise _xw_error("sdmx_code", value=value)
            unknown = sorted(set(self.dimensions) - set(SDMX_DIMENSIONS))
            if unknown:
                raise _xw_error("dimension", dims=", ".join(unknown), known=", ".join(SDMX_DIMENSIONS))
            from sdgxl.catalogue.sdg_codes import dimension_codes, sdg_series, sdg_units

            if self.series not in sdg_series():
                raise _xw_error("series_unknown", series=self.series)
            for dim, code in sorted(self.dimensions.items()):
                codes = dimension_codes(dim)
                if codes is not None and code not in codes:
                    raise _xw_error("dimension_code", dim=dim, value=code, known=", ".join(sorted(codes)))
            if self.unit_measure is not None and self.unit_measure not in sdg_units():
                raise _xw_error("unit_unknown", value=self.unit_measure)
        return self


class Indicator(_Model):
    code: str = Field(description="normalised code, unique: 1.1a, 5.7.1, 12.4b")
    code_printed: str = Field(description="the code as printed in the plan: '12.4 b(UT)'")
    target: str
    name: str
    unit: str | None = Field(default=None, description="unit as printed (after corrections)")
    unit_printed: str | None = None
    unit_kind: UnitKind
    agencies: list[str] = Field(default_factory=list, description="reporting agency ids")
    unassigned: bool = False
    priority: Literal["UT", "KK"] | None = None
    components: list[Component] = Field(default_factory=list)
    roadmap: dict[str, RoadmapValue] = Field(default_factory=dict)
    direction: Direction | None = Field(
        default=None,
        description="the desired direction, read by hand from the plan: increase, decrease, maintain "
        "(keep the base level) or range (stay inside the target's range)",
    )
    aim: Aim | None = Field(default=None, description="the target the plan states, parsed")
    aim_note: str | None = Field(
        default=None, description="why a target the plan states in words has no aim (read by hand)"
    )
    max_text_length: int = 500
    name_en: str | None = Field(default=None, description="the name in English, where someone has written one")
    crosswalk: list[Mapping] = Field(default_factory=list, description="national and global counterparts")

    _norm = field_validator("name", "unit", "unit_printed", "aim_note", "name_en", mode="before")(_nfc_str)

    @field_validator("crosswalk")
    @classmethod
    def _no_duplicates(cls, value: list[Mapping]) -> list[Mapping]:
        seen: dict[tuple[str, str, str | None], int] = {}
        for n, m in enumerate(value, start=1):
            key = (m.scheme, m.code, m.series)
            if key in seen:
                raise _xw_error("duplicate", n=str(n), first=str(seen[key]), scheme=m.scheme, code=m.code)
            seen[key] = n
        return value

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not re.fullmatch(r"\d{1,2}\.\d{1,2}(\.\d)?[a-z]?", value):
            raise ValueError(f"indicator code must look like 1.1a or 5.7.1, got '{value}'")
        return value

    @field_validator("roadmap")
    @classmethod
    def _roadmap_years(cls, value: dict[str, RoadmapValue]) -> dict[str, RoadmapValue]:
        unknown = sorted(set(value) - set(ROADMAP_YEARS))
        if unknown:
            raise ValueError(f"roadmap years must be {', '.join(ROADMAP_YEARS)}; got {unknown}")
        return value

    @model_validator(mode="after")
    def _agencies_or_unassigned(self) -> Indicator:
        if not self.agencies and not self.unassigned:
            raise ValueError("an indicator needs a reporting agency or unassigned = true")
        keys = [c.key for c in self.components]
        if len(keys) != len(set(keys)):
            raise ValueError("component keys must be unique within an indicator")
        return self

    def name_in(self, lang: str) -> str:
        return _in(lang, self.name, self.name_en)

    def row_name(self, comp: Component | None, lang: str = "vi") -> str:
        """The name of one row of the indicator (``name – component``) in ``lang``."""
        return self.name_in(lang) if comp is None else f"{self.name_in(lang)} – {comp.label_in(lang)}"

    def row_code(self, comp: Component | None, lang: str = "vi") -> str:
        """The code of one row as tables show it: ``2.4 (Lúa)``."""
        return self.code if comp is None else f"{self.code} ({comp.label_in(lang)})"

    def rows(self) -> list[tuple[Component | None, str]]:
        """(component, unit kind) for each value this indicator asks for."""
        if not self.components:
            return [(None, self.unit_kind.value)]
        return [(c, (c.unit_kind or self.unit_kind).value) for c in self.components]

    def components_for(self, agency: str) -> list[Component | None]:
        """The input rows that ``agency`` reports: its own components, or all."""
        if not self.components:
            return [None]
        own = [c for c in self.components if c.agency == agency]
        if own:
            return list(own)
        return [c for c in self.components if c.agency is None]


class SuccessionSplit(_Model):
    """The part of an old agency's duties that goes to another successor than the default
    (LĐ-TB&XH's poverty reduction to Nông nghiệp và Môi trường)."""

    new: str
    function: str | None = Field(default=None, description="the duty moved, as the decision words it")
    indicators: list[str] = Field(description="indicator codes, or code#component for one component")

    _norm = field_validator("function", mode="before")(_nfc_str)


class Succession(_Model):
    """An agency replaced from a date (the 2025 mergers): by ``new``, except for the
    indicators a ``split`` sends to another successor (an agency split by function)."""

    old: str
    new: str = Field(description="the default successor")
    effective: dt.date
    note: str | None = None
    source: str | None = Field(default=None, description="where the change is decided or reported")
    split: list[SuccessionSplit] = Field(default_factory=list)

    _norm = field_validator("note", "source", mode="before")(_nfc_str)

    def successor_for(self, indicator: str | None = None, component: str | None = None) -> str:
        """The successor of ``indicator`` (``component``): a split naming it, else the default."""
        if indicator is not None:
            keys = ([f"{indicator}#{component}"] if component else []) + [indicator]
            for key in keys:  # a component's own line wins over its indicator's
                for part in self.split:
                    if key in part.indicators:
                        return part.new
        return self.new


class Agency(_Model):
    id: str = Field(description="stable ASCII id, e.g. SYT")
    name: str = Field(description="full Vietnamese name")
    name_en: str | None = None
    short: str | None = Field(default=None, description="short name used in tables")
    aliases: list[str] = Field(default_factory=list, description="every spelling seen")
    email: str | None = None
    emails: list[str] | None = Field(
        default=None, description="addresses the agency sends its returns from (collect matches an email's sender)")
    reports: bool = True
    until: dt.date | None = Field(
        default=None, description="the day the body ceased to exist with no successor (the district People's "
        "Committees, 1 July 2025): from then it gets no form and its part in a target passes to no one")

    _norm = field_validator("name", "short", mode="before")(_nfc_str)

    def name_in(self, lang: str) -> str:
        """The full name in ``lang`` (English when the registry has it, else Vietnamese)."""
        return (self.name_en or self.name) if lang == "en" else self.name

    def short_in(self, lang: str) -> str:
        """The name used in tables: the Vietnamese short name, in English the English name
        (the registry has no English abbreviations)."""
        return (self.name_en or self.short or self.name) if lang == "en" else (self.short or self.name)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,15}", value):
            raise ValueError(f"agency id must be upper-case ASCII (A-Z, 0-9, _), got '{value}'")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases_nfc(cls, value: object) -> object:
        if isinstance(value, list):
            return [nfc(v).strip() if isinstance(v, str) else v for v in value]
        return value


class Source(_Model):
    title: str
    province: str
    province_en: str | None = None
    document: str | None = None
    date: dt.date | None = None
    translation_en: str | None = Field(
        default=None, description="where the English titles come from (who translated them; official or not)")


class Catalogue(_Model):
    """The whole indicator table of a plan."""

    format: Literal["sdgxl-catalogue"] = "sdgxl-catalogue"
    version: int = 1
    id: str = Field(description="ASCII id of this catalogue, e.g. kien-giang-2018")
    source: Source
    goals: list[Goal]
    targets: list[Target]
    indicators: list[Indicator]
    agencies: list[Agency]
    successions: list[Succession] = Field(default_factory=list)
    _content_hash: str | None = PrivateAttr(default=None)

    @property
    def content_hash(self) -> str | None:
        """The content hash set when the catalogue was loaded (``catalogue.load.catalogue_hash``)."""
        return self._content_hash

    def set_content_hash(self, digest: str) -> None:
        self._content_hash = digest

    def __eq__(self, other: object) -> bool:
        """Two catalogues are equal when their content is (whether or not a hash was computed)."""
        if not isinstance(other, Catalogue):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # lists inside: not hashable (and never a key)

    def model_copy(self, *, update: _Mapping[str, Any] | None = None, deep: bool = False) -> Catalogue:
        """A copy (``update``: fields replaced): another catalogue, whose hash is its own."""
        copy = super().model_copy(update=update, deep=deep)
        copy._content_hash = None
        return copy

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError(f"catalogue id must be lower-case ASCII, got '{value}'")
        return value

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        goal_numbers = [g.number for g in self.goals]
        if len(goal_numbers) != len(set(goal_numbers)):
            raise ValueError("goal numbers must be unique")
        target_codes = [t.code for t in self.targets]
        dup = {c for c in target_codes if target_codes.count(c) > 1}
        if dup:
            raise ValueError(f"target codes must be unique: {sorted(dup)}")
        codes = [i.code for i in self.indicators]
        dup = {c for c in codes if codes.count(c) > 1}
        if dup:
            raise ValueError(f"indicator codes must be unique: {sorted(dup)}")
        agency_ids = {a.id for a in self.agencies}
        if len(agency_ids) != len(self.agencies):
            raise ValueError("agency ids must be unique")
        targets = set(target_codes)
        for t in self.targets:
            if t.goal not in goal_numbers:
                raise ValueError(f"target {t.code}: goal {t.goal} is not in goals")
            for a in t.lead_agencies + t.cooperating_agencies:
                if a not in agency_ids:
                    raise ValueError(f"target {t.code}: agency {a!r} is not in agencies")
        for ind in self.indicators:
            if ind.target not in targets:
                raise ValueError(f"indicator {ind.code}: target {ind.target} is not in targets")
            for a in ind.agencies + [c.agency for c in ind.components if c.agency]:
                if a not in agency_ids:
                    raise ValueError(f"indicator {ind.code}: agency {a!r} is not in agencies")
        ind_codes = set(codes)
        for s in self.successions:
            for a in (s.old, s.new, *(p.new for p in s.split)):
                if a not in agency_ids:
                    raise ValueError(f"succession {s.old} → {s.new}: {a!r} is not in agencies")
            for p in s.split:
                for key in p.indicators:
                    if key.split("#")[0] not in ind_codes:
                        raise ValueError(f"succession {s.old} → {p.new}: indicator {key!r} is not in indicators")
        return self

    # -- look-ups -----------------------------------------------------------------
    def agency(self, agency_id: str) -> Agency:
        for a in self.agencies:
            if a.id == agency_id:
                return a
        raise KeyError(agency_id)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def target(self, code: str) -> Target:
        for t in self.targets:
            if t.code == code:
                return t
        raise KeyError(code)

    def goal(self, number: int) -> Goal:
        for g in self.goals:
            if g.number == number:
                return g
        raise KeyError(number)

    def goal_of(self, indicator: Indicator) -> int:
        return int(indicator.target.split(".")[0])

    def successor(self, agency_id: str, on: dt.date, indicator: str | None = None,
                  component: str | None = None) -> str:
        """The agency that holds ``agency_id``'s duties on date ``on`` (follows chains); for
        ``indicator`` (``component``), the successor its function went to."""
        seen: set[str] = set()
        current = agency_id
        while current not in seen:
            seen.add(current)
            nxt = [
                s for s in self.successions if s.old == current and s.effective <= on
            ]
            if not nxt:
                return current
            current = max(nxt, key=lambda s: s.effective).successor_for(indicator, component)
        raise ValueError(f"agency succession loops at {current}")

    def row_owners(self, ind: Indicator, comp: Component | None, on: dt.date | None = None) -> list[str]:
        """The agencies that report one row of ``ind`` on ``on`` (after successions)."""
        agencies = [comp.agency] if comp is not None and comp.agency else ind.agencies
        if on is None:
            return list(agencies)
        key = comp.key if comp is not None else None
        return list(dict.fromkeys(self.successor(a, on, ind.code, key) for a in agencies))

    def owners(self, ind: Indicator, on: dt.date | None = None) -> list[str]:
        """The agencies that report ``ind`` (any of its rows) on ``on``, after successions."""
        if on is None:
            return list(dict.fromkeys(ind.agencies + [c.agency for c in ind.components if c.agency]))
        rows: list[Component | None] = list(ind.components) or [None]
        return list(dict.fromkeys(a for c in rows for a in self.row_owners(ind, c, on)))

    def reporting_agencies(self, on: dt.date | None = None) -> list[str]:
        """Agency ids that report at least one indicator (after succession on ``on``)."""
        ids: list[str] = []
        for ind in self.indicators:
            for a2 in self.owners(ind, on):
                if a2 not in ids:
                    ids.append(a2)
        order = {a.id: n for n, a in enumerate(self.agencies)}
        return sorted(ids, key=lambda a: order.get(a, 10_000))

    def target_agencies(self, on: dt.date | None = None) -> dict[str, tuple[list[str], list[str]]]:
        """Target code → (its lead agencies, its co-operating agencies) on ``on`` (None: as the
        plan names them), in the plan's order. After a reform an abolished agency's part in a
        target goes where the target's indicators went that year (:meth:`_heirs`); an agency
        that leads a target is not also its co-operator."""
        by_target: dict[str, list[Indicator]] = {}
        for ind in self.indicators:
            by_target.setdefault(ind.target, []).append(ind)
        out: dict[str, tuple[list[str], list[str]]] = {}
        for t in self.targets:
            inds = by_target.get(t.code, [])
            leads = list(dict.fromkeys(h for a in t.lead_agencies for h in self._heirs(a, inds, on)))
            coops = [h for h in dict.fromkeys(h for a in t.cooperating_agencies for h in self._heirs(a, inds, on))
                     if h not in leads]
            out[t.code] = (leads, coops)
        return out

    def heirs(self, agency_id: str, target: str, on: dt.date | None) -> list[str]:
        """Who holds ``agency_id``'s part in ``target`` (a code) on ``on`` (see :meth:`_heirs`)."""
        return self._heirs(agency_id, [i for i in self.indicators if i.target == target], on)

    def _heirs(self, agency_id: str, inds: list[Indicator], on: dt.date | None) -> list[str]:
        """Who holds ``agency_id``'s part in a target whose indicators are ``inds``, on ``on``:
        the agency itself while it exists; after it is abolished, the successors that receive
        the target's indicators that year (the successor by function of each row of them it
        reported, else of each of the target's rows: several successors, all of them), and
        for a target without indicators the default successor."""
        until = self.agency(agency_id).until  # every id a target names is in the registry (validated)
        if on is not None and until is not None and until <= on:
            return []  # abolished with no successor (the district level): no heir, no form
        if on is None or self.successor(agency_id, on) == agency_id:
            return [agency_id]
        rows = [(i, c) for i in inds for c in _rows_of(i)]
        own = [(i, c) for i, c in rows if agency_id in self.row_owners(i, c)]
        return list(dict.fromkeys(self.successor(agency_id, on, i.code, c.key if c else None)
                                  for i, c in own or rows)) or [self.successor(agency_id, on)]

    def form_agencies(self, on: dt.date | None = None) -> list[str]:
        """Agency ids that receive a form on ``on``: those that report an indicator, and those
        that lead or co-operate on a target and report none (a form of narratives only), in
        the registry's order."""
        named = set(self.reporting_agencies(on))
        for leads, coops in self.target_agencies(on).values():
            named.update(leads, coops)
        return [a.id for a in self.agencies if a.id in named]

    def indicators_for(self, agency_id: str, on: dt.date | None = None) -> list[Indicator]:
        """Indicators an agency reports (its own, and its predecessors' after a merger)."""
        return self.indicators_by_agency(on).get(agency_id, [])

    def indicators_by_agency(self, on: dt.date | None = None) -> dict[str, list[Indicator]]:
        """Every reporting agency's indicators, in catalogue order, in one pass."""
        out: dict[str, list[Indicator]] = {}
        for ind in self.indicators:
            for a in self.owners(ind, on):
                out.setdefault(a, []).append(ind)
        return out

    def components_of(self, ind: Indicator, agency: str, on: dt.date) -> list[Component | None]:
        """The rows of ``ind`` that ``agency`` reports on ``on`` (after successions): the
        components assigned to it, else those assigned to no one in particular."""
        if not ind.components:
            return [None] if agency in self.row_owners(ind, None, on) else []
        own = [c for c in ind.components if c.agency and agency in self.row_owners(ind, c, on)]
        if own:
            return list(own)
        return [c for c in ind.components if c.agency is None and agency in self.row_owners(ind, c, on)]


def _rows_of(ind: Indicator) -> list[Component | None]:
    """The rows of ``ind``: its components, or the indicator itself (None)."""
    return list(ind.components) or [None]


def cycle_date(year: int) -> dt.date:
    """The date that decides who reports data year ``year``: its last day. Data year 2024
    (collected in November 2024) goes to the agencies of 2024; a change effective during
    2025 applies from data year 2025, the first cycle after it."""
    return dt.date(year, 12, 31)
