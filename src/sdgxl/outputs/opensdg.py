"""The data folder an Open SDG site builds from (sdg-build's input), from the provincial table.

Written into ``out_dir`` (the layout of an Open SDG data repository):

* ``data/indicator_<id>.csv``: ``Year`` first, ``Value`` last, ``GeoCode`` (the province)
  second to last, ``Units`` (unit keys, :func:`unit_key`) when an indicator's values have
  several units, and a ``Sex`` column (Male / Female) or else a ``component`` column for
  indicators with components (blank would be the total; the
  plan's components are parts, so there is no all-blank headline row for them). Only
  numbers are values: text answers, "no data yet" and "not applicable" are left out, as
  are rows with nothing in them. An indicator with no value has no CSV.
* ``indicator-config/<id>.yml``: ``reporting_status``, ``indicator_name`` (a translation
  key), ``graph_type``, ``graph_target_lines`` (the plan's aim),
  ``auto_progress_calculation`` and ``progress_calculation_options`` (direction and target
  as sdgxl's own assessment reads them from the roadmap).
* ``meta/<id>.yml``: the indicator's metadata (unit, reporting agencies, sources named in
  the returns, the crosswalk to national and global indicators).
* ``meta/en/<id>.yml``: the English ``indicator_name`` (Open SDG's per-language metadata
  subfolders, open-sdg docs/translation.md), with the catalogue's ``translation_en`` note
  saying where the English comes from (for the bundled plan: sdgxl's translation, not an
  official text); also in ``meta/<id>.yml``.
* ``translations/vi|en/global_goals.yml``, ``global_targets.yml``, ``global_indicators.yml``
  and ``data.yml``: the provincial framework's own goal, target and indicator names (Open SDG's
  non-SDG frameworks name theirs through these keys: ``1-title``, ``1-1-title``,
  ``1-1-1-title``), and in ``data.yml`` the component labels (a disaggregation value is a
  translation key of the ``data`` group, open-sdg docs/translation.md); English falls back to
  Vietnamese where the catalogue has no English.
* ``sdgxl-ids.csv``: the plan's code beside its Open SDG id.

Ids: Open SDG wants three numeric parts (goal-target-indicator). The plan's codes are the
target's code and a letter (``1.1a``, ``12.4b``), a third number (``5.7.1``) or nothing
(``1.4``): the third part is the letter's place in the alphabet (a → 1, b → 2), the number,
or 1. Two codes that give the same id are refused.

YAML is written as JSON scalars (a subset of YAML 1.2): every string is double-quoted and
escaped, so a source typed by an agency (``: ``, ``#``, ``- ``, ``{``, a newline) stays one
string. Same ledger, same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdgxl.catalogue.models import Catalogue, Indicator, cycle_date
from sdgxl.consolidate import Consolidation, ProvincialRow
from sdgxl.errors import SdgxlError
from sdgxl.fileio import atomic_write_bytes
from sdgxl.outputs.sdmx import area_code_of
from sdgxl.progress.assess import Assessment, flatten
from sdgxl.text import ascii_fold

__all__ = ["COMPONENT_COLUMN", "SEX_COLUMN", "UNITS_EN", "OpenSdgResult", "disaggregation_column", "markdown_text",
           "open_sdg_id", "open_sdg_ids", "progress_option", "unit_key", "write_open_sdg", "yaml_text"]

COMPONENT_COLUMN = "component"  # a translation key: "Thành phần" / "Component" in translations/*/data.yml
# a component that is a sex (3.9 Nam / Nữ: SEX M / F in the catalogue) is a value of the column
# Open SDG sites call "Sex", with the values "Male" / "Female" (translation keys of the data group)
SEX_COLUMN = "Sex"
_SEX_VALUES = {"M": "Male", "F": "Female"}
_SEX_WORDS = {"vi": {SEX_COLUMN: "Giới tính", "Male": "Nam", "Female": "Nữ"},
              "en": {SEX_COLUMN: "Sex", "Male": "Male", "Female": "Female"}}
# The plan's units in English (sdgxl's translation, not an official text), by their key
# (:func:`unit_key`): a unit is written as its key (the CSV's Units, computation_units as
# data.<key>) and named in translations/vi|en/data.yml
UNITS_EN = {
    "percent": "%", "percent-nguoi": "%, persons", "percent-huyen-xa-ho": "% of districts, communes, households",
    "nguoi": "Persons", "nan-nhan-per-100-000-dan": "Victims per 100,000 population",
    "so-bao-cao": "Number of reports", "so-loai": "Number of species", "so-tram": "Number of stations",
    "so-vu": "Number of cases", "trieu-dong": "Million VND", "tram": "Stations", "ty-dong": "Billion VND",
    "vu": "Cases", "0-1": "[0-1]", "ban": "Documents", "ca-per-1000-nguoi": "Cases per 1,000 population",
    "ha": "ha", "kwh": "kWh", "lan": "Times", "m2-per-nguoi": "m² per person",
    "nguoi-per-100-000-dan": "Persons per 100,000 population",
    "nguoi-per-100-000-nguoi": "Persons per 100,000 population", "trieu-tan-km": "Million tonne-km",
    "tan-per-nguoi": "Tonnes per person", "tan-per-trieu-dong": "Tonnes per million VND",
    "dong-per-nguoi": "VND per person",
    "per-mille-tren-1-000-phu-nu-cung-nhom-tuoi": "‰ (per 1,000 women of the same age group)",
    "per-mille-tren-1-000-tre-de-song": "‰ (per 1,000 live births)",
}


def unit_key(text: str) -> str:
    """A unit as a translation key: ASCII, no dot (Open SDG reads a dot as group.key):
    ``tấn/người`` → ``tan-per-nguoi``; ``%`` → ``percent``."""
    f = ascii_fold(text.replace("%", " percent ").replace("‰", " per mille ").replace("/", " per ")).lower()
    return re.sub(r"[^a-z0-9]+", "-", f).strip("-") or "unit"


def disaggregation_column(ind: Indicator) -> str:
    """``Sex`` where every component of ``ind`` is a sex, else the neutral ``component``."""
    sexes = [c.dimensions.get("SEX") for c in ind.components]
    return SEX_COLUMN if sexes and all(x in _SEX_VALUES for x in sexes) else COMPONENT_COLUMN


def _disaggregation_value(ind: Indicator, row: ProvincialRow) -> str:
    comp = row.component
    if comp is None:
        return ""
    if disaggregation_column(ind) == SEX_COLUMN:
        return _SEX_VALUES[comp.dimensions["SEX"]]
    return comp.label.strip()
_FOLDERS = ("data", "indicator-config", "meta")


@dataclass
class OpenSdgResult:
    folder: Path
    ids: dict[str, str]  # plan's code → Open SDG id
    data_files: list[Path] = field(default_factory=list)
    rows: int = 0


def open_sdg_id(code: str) -> str:
    """``1.1a`` → ``1-1-1``; ``12.4b`` → ``12-4-2``; ``5.7.1`` → ``5-7-1``; ``1.4`` → ``1-4-1``."""
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d))?([a-z])?", code)
    if m is None:
        raise ValueError(code)
    goal, target, number, letter = m.groups()
    third = int(number) if number else (ord(letter) - ord("a") + 1 if letter else 1)
    if number and letter:  # 5.7.1a: not in the plan; keep it distinct
        third = int(number) * 100 + ord(letter) - ord("a") + 1
    return f"{int(goal)}-{int(target)}-{third}"


def open_sdg_ids(cat: Catalogue) -> dict[str, str]:
    """Every indicator's Open SDG id; two indicators may not share one."""
    ids: dict[str, str] = {}
    seen: dict[str, str] = {}
    for ind in cat.indicators:
        oid = open_sdg_id(ind.code)
        if oid in seen:
            raise SdgxlError("open_sdg_id_clash", first=seen[oid], second=ind.code, id=oid)
        seen[oid] = ind.code
        ids[ind.code] = oid
    return ids


# --------------------------------------------------------------------------- YAML
def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _num(value)
    return _quoted(str(value))


# what YAML accepts unescaped in a stream, less the characters it reads as line breaks (NEL, LS, PS)
# or a byte-order mark: the rest (DEL, C1 controls …) is escaped
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
                            "\U00010000-\U0010FFFF]")


def _quoted(text: str) -> str:
    text = text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= ch <= "\udfff" for ch in text) \
        else text
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            key = _quoted(str(k)) if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(k)) \
                else str(k)
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml_lines(v, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(v) if not isinstance(v, (dict, list)) else json.dumps(v)}")
    elif isinstance(value, list):
        for item in value:
            sub = _yaml_lines(item, indent + 1) if isinstance(item, (dict, list)) and item else \
                [f"{pad}  {_scalar(item)}"]
            first = sub[0].lstrip()
            lines.append(f"{pad}- {first}")
            lines.extend(sub[1:])
    else:
        lines.append(f"{pad}{_scalar(value)}")
    return lines


def yaml_text(data: dict[str, Any]) -> str:
    """``data`` as block YAML with every string double-quoted (JSON escapes)."""
    return "\n".join(_yaml_lines(data, 0)) + "\n"


def _num(v: float) -> str:
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(float(v))


# --------------------------------------------------------------------------- the folder
def _unit_text(ind: Indicator, row: ProvincialRow) -> str:
    comp = row.component
    return ((comp.unit if comp is not None and comp.unit else None) or ind.unit or "").strip()


def _unit(ind: Indicator, row: ProvincialRow) -> str:
    text = _unit_text(ind, row)
    return unit_key(text) if text else ""


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _plan_base(row: ProvincialRow, assessed: dict[str, Assessment]) -> tuple[int, float] | None:
    """The plan's base (its 2015 figure) where sdgxl's assessment measures from it because no
    agency reported that year: written as that year's row so Open SDG starts from the same point."""
    a = assessed.get(row.key)
    if a is None or a.base is None or a.base_source != "plan":
        return None
    cell = row.years.get(a.base[0])
    return a.base if cell is None or cell.value is None else None


def _data_rows(ind: Indicator, rows: list[ProvincialRow], area: str | Callable[[int], str],
               assessed: dict[str, Assessment] | None = None) -> tuple[list[str], list[list[str]]]:
    units = {_unit(ind, r) for r in rows}
    with_units = len(units) > 1
    with_comp = bool(ind.components)
    header = ["Year"] + (["Units"] if with_units else []) + ([disaggregation_column(ind)] if with_comp else []) \
        + ["GeoCode", "Value"]
    out: list[tuple[int, int, list[str]]] = []
    for n, row in enumerate(rows):
        values = {y: c.value for y, c in row.years.items()}
        base = _plan_base(row, assessed or {})
        if base is not None:
            values[base[0]] = base[1]
        for year, v in values.items():
            if v is None or not math.isfinite(v):
                continue
            line = [str(year)] + ([_unit(ind, row)] if with_units else []) \
                + ([_disaggregation_value(ind, row)] if with_comp else []) \
                + [area_code_of(area, year), _num(v)]
            out.append((year, n, line))
    out.sort(key=lambda t: (t[1], t[0]))
    return header, [line for _, _, line in out]


def _target_lines(ind: Indicator, rows: list[ProvincialRow], assessed: dict[str, Assessment],
                  with_units: bool) -> list[dict[str, Any]]:
    """The plan's aim as a line: the value sdgxl's assessment checks "target achieved" against
    (a range by its near end in the desired direction, as the progress options), else the
    roadmap's 2030 figure."""
    lines: list[dict[str, Any]] = []
    for row in rows:
        comp = row.component
        road = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) else ind.roadmap
        a = assessed.get(row.key)
        final = a.final if a is not None and a.direction_name != "maintain" else None
        if final is not None:
            value: float | None = final.value
            year = final.year
        else:
            end = road.get("2030")
            value, year = (end.numeric_target() if end is not None else None), 2030
        if value is None:
            continue
        label = str(year) + (f": {comp.label}" if comp is not None and road is comp.roadmap else "")
        item: dict[str, Any] = {"value": value, "label_content": label}
        if with_units:
            item = {"unit": _unit(ind, row), **item}
        if item not in lines:
            lines.append(item)
    return lines


def progress_option(a: Assessment) -> dict[str, Any] | None:
    """Open SDG's progress options for one series sdgxl assessed, or None where Open SDG has no
    counterpart. The base year is sdgxl's base (the plan's 2015 figure is written as that row of
    the CSV when no agency reported it), the direction sdgxl's, the target and its year the
    plan's aim (its year, e.g. 2030; earlier only where the plan's aim is earlier); a target
    stated as a rate or a relative change over n years has no counterpart and is left to
    sdgxl's report. With no figure to reach, Open SDG's method 1 (a percentage that should rise
    with 100 as its limit, as sdgxl)."""
    if a.direction is None or a.measure.reason is not None or a.base is None:
        return None
    opt: dict[str, Any] = {"direction": "positive" if a.direction > 0 else "negative", "base_year": a.base[0]}
    if a.final is not None:
        # an aim due at or before the base year (12.5a: 50 % by 2020, first data 2024) is due
        # now: sdgxl measures the growth it asks to the latest year, and so does Open SDG
        due = a.final.year if a.final.year > a.base[0] or a.latest is None else a.latest[0]
        opt.update({"target_year": due, "target": a.final.value})
    elif a.measure.cagr_required is not None:
        return None
    elif a.measure.coefficient is not None:
        opt["limit"] = 100
    return opt


def _progress_options(ind: Indicator, rows: list[ProvincialRow], assessed: dict[str, Assessment],
                      with_units: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """One option per row sdgxl could assess (:func:`progress_option`), and the comments the
    config carries about them (a zero target, an aim before the latest data)."""
    options: list[dict[str, Any]] = []
    notes: list[str] = []
    for row in rows:
        a = assessed.get(row.key)
        found = progress_option(a) if a is not None else None
        if a is None or found is None:
            continue
        opt: dict[str, Any] = {}
        if with_units:
            opt["unit"] = _unit(ind, row)
        if row.component is not None:
            opt["disaggregation"] = [{"field": disaggregation_column(ind), "value": _disaggregation_value(ind, row)}]
        opt.update(found)
        who = f" ({row.component.label.strip()})" if row.component is not None else ""
        if found.get("target") == 0:
            notes.append(f"target 0{who}: the plan's aim is zero; sdg-build computes progress toward 0.001 "
                         "(a zero target would divide by zero) and warns, as sdgxl does")
        latest = a.latest[0] if a.latest else None
        aim_year = a.final.year if a.final is not None else None
        if aim_year is not None and "target_year" in found and found["target_year"] != aim_year:
            notes.append(f"target_year {found['target_year']}{who}: the plan's aim was due in {aim_year}, "
                         f"at or before the base year ({a.base[0] if a.base else ''}), so it is due now")
        elif "target_year" in found and latest is not None and found["target_year"] < latest:
            notes.append(f"target_year {found['target_year']}{who}: the plan's aim is due in that year, "
                         f"before the latest data ({latest})")
        options.append(opt)
    return options, notes


# Markdown (kramdown, Jekyll's, and CommonMark) reads these as markup: each is written as an HTML
# entity (&, <, >: never a tag or an entity) or backslash-escaped (the rest); whitespace becomes one
# space, so no line can start a heading, a list, a quote or a code block
_MD_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_ESCAPED = set("\\`*_{}[]()#+-.!|:\"'$=~^")
TEXT_LIMIT = 2000  # characters of an answer shown on the page (the rest: in the ledger and the workbook)


def markdown_text(text: str) -> str:
    """An untrusted text as Markdown that shows it literally: no markup, link, HTML or Liquid."""
    flat = _one_line(text)
    if len(flat) > TEXT_LIMIT:
        flat = flat[:TEXT_LIMIT].rstrip() + " …"
    return "".join(_MD_ENTITY.get(ch) or ("\\" + ch if ch in _MD_ESCAPED else ch) for ch in flat)


def _latest_texts(rows: list[ProvincialRow]) -> list[tuple[ProvincialRow, int, str]]:
    """Each row's latest text answer (its year and text), for an indicator reported as text."""
    found = []
    for row in rows:
        texts = [(y, c.value_text) for y, c in sorted(row.years.items())
                 if c.value is None and c.value_text and c.value_text.strip()
                 and c.data_status not in ("no_data_yet", "not_applicable")]
        if texts:
            year, text = texts[-1]
            found.append((row, year, text or ""))
    return found


def _page_content(found: list[tuple[ProvincialRow, int, str]]) -> str:
    lines = []
    for row, year, text in found:
        label = f"{markdown_text(row.component.label)}, " if row.component is not None else ""
        lines.append(f"**{label}{year}**: {markdown_text(text)}")
    return "\n\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(_NOT_PRINTABLE.sub(" ", text).split())


def _sources(rows: list[ProvincialRow]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for _, cell in sorted(row.years.items()):
            text = (cell.source or "").strip()
            if text:
                seen.setdefault(text[:500], None)
    return list(seen)


def write_open_sdg(con: Consolidation, assessments: list[Assessment], out_dir: Path | str, *,
                   area_code: str | Callable[[int], str], lang: str = "vi") -> OpenSdgResult:
    """Write the Open SDG data folder for the provincial table ``con`` into ``out_dir``
    (``area_code``: the GeoCode, or the GeoCode of each year, :class:`sdgxl.outputs.sdmx.AreaCodes`)."""
    cat = con.catalogue
    out = Path(out_dir)
    ids = open_sdg_ids(cat)
    result = OpenSdgResult(out, ids)
    for sub in _FOLDERS:
        (out / sub).mkdir(parents=True, exist_ok=True)
    by_ind: dict[str, list[ProvincialRow]] = {}
    for row in con.rows:
        by_ind.setdefault(row.indicator.code, []).append(row)
    assessed = {a.key: a for a in flatten(assessments)}
    agency_names = {a.id: a.name for a in cat.agencies}
    written: set[Path] = set()

    def put(path: Path, data: bytes) -> None:
        atomic_write_bytes(path, data, durable=False)
        written.add(path)

    for ind in cat.indicators:
        oid = ids[ind.code]
        rows = by_ind.get(ind.code, [])
        header, lines = _data_rows(ind, rows, area_code, assessed)
        with_units = "Units" in header
        if lines:
            path = out / "data" / f"indicator_{oid}.csv"
            put(path, _csv_bytes(header, lines))
            result.data_files.append(path)
            result.rows += len(lines)
        qualitative = ind.unit_kind.value == "qualitative"
        options, notes = ([], []) if qualitative else _progress_options(ind, rows, assessed, with_units)
        texts = [] if lines else _latest_texts(rows)  # reported as text: published as a non-statistical page
        config: dict[str, Any] = {
            "indicator_number": oid.replace("-", "."),
            "indicator_name": f"global_indicators.{oid}-title",
            "reporting_status": "complete" if lines or texts else "notstarted",
            "data_non_statistical": qualitative or bool(texts),
            "graph_type": "line",
            "graph_title": f"global_indicators.{oid}-title",
            "national_geographical_coverage": cat.source.province,
        }
        units = sorted({_unit(ind, r) for r in rows} - {""})
        if len(units) == 1:  # a translation key (translations/*/data.yml)
            config["computation_units"] = f"data.{units[0]}"
        targets = [] if qualitative else _target_lines(ind, rows, assessed, with_units)
        if targets:
            config["graph_target_lines"] = targets
        if texts:  # Open SDG shows page_content (Markdown) above the graph: the answers, escaped
            config["page_content"] = _page_content(texts)
        config["auto_progress_calculation"] = bool(options)
        if options:
            config["progress_calculation_options"] = options
        comments = "".join(f"# {_one_line(n)}\n" for n in notes)
        put(out / "indicator-config" / f"{oid}.yml", (comments + yaml_text(config)).encode("utf-8"))
        meta: dict[str, Any] = {
            "indicator_number": oid.replace("-", "."),
            "sdgxl_code": ind.code,
            "sdgxl_code_printed": ind.code_printed,
            "indicator_name": ind.name,
            **({"translation_en": cat.source.translation_en} if ind.name_en and cat.source.translation_en else {}),
            "unit": ind.unit or "",
            # who reports it in the table's year (after the 2025 mergers), as the workbook names them
            "reporting_agencies": [agency_names.get(a, a) for a in cat.owners(ind, cycle_date(con.year))],
            "data_sources": _sources(rows),
            "source_plan": f"{cat.source.document or cat.source.title} ({cat.source.province})",
            "crosswalk": [{k: v for k, v in m.model_dump(mode="json").items() if v not in (None, {}, "")}
                          for m in ind.crosswalk],
        }
        proxy = [m for m in ind.crosswalk if m.scheme == "global" and m.relation != "exact"]
        if proxy:
            meta["proxy"] = True
        put(out / "meta" / f"{oid}.yml", yaml_text(meta).encode("utf-8"))
        if ind.name_en:  # the English page's name: Open SDG's metadata subfolder for the language
            (out / "meta" / "en").mkdir(exist_ok=True)
            put(out / "meta" / "en" / f"{oid}.yml", yaml_text({
                "indicator_name": ind.name_en,
                **({"translation_en": cat.source.translation_en} if cat.source.translation_en else {}),
            }).encode("utf-8"))
    for sub, pattern in (("data", "indicator_*.csv"), ("indicator-config", "*.yml"), ("meta", "*.yml"),
                         ("meta/en", "*.yml")):
        for stale in sorted((out / sub).glob(pattern)):
            if stale not in written:  # an indicator that lost its data (or left the catalogue)
                stale.unlink()
    _translations(cat, ids, out, put)
    put(out / "sdgxl-ids.csv", _csv_bytes(["sdgxl_code", "code_printed", "open_sdg_id"],
                                          [[i.code, i.code_printed, ids[i.code]] for i in cat.indicators]))
    return result


def _translations(cat: Catalogue, ids: dict[str, str], out: Path, put: Any) -> None:
    for lg in ("vi", "en"):
        goals = {f"{g.number}-title": g.title_in(lg) for g in cat.goals}
        targets = {f"{t.code.replace('.', '-')}-title": t.title_in(lg) for t in cat.targets}
        inds = {f"{ids[i.code]}-title": i.name_in(lg) for i in cat.indicators}
        data = {COMPONENT_COLUMN: "Component" if lg == "en" else "Thành phần", **_SEX_WORDS[lg]}
        for i in cat.indicators:  # the CSV's component values are the labels, as keys of this group
            if disaggregation_column(i) == COMPONENT_COLUMN:
                data.update({c.label.strip(): c.label_in(lg) for c in i.components})
        for i in cat.indicators:  # the units, by key: the plan's text, and its English where sdgxl has one
            for text in [i.unit or "", *(c.unit or "" for c in i.components)]:
                if text.strip():
                    key = unit_key(text.strip())
                    data.setdefault(key, UNITS_EN.get(key, text.strip()) if lg == "en" else text.strip())
        folder = out / "translations" / lg
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in (("global_goals", goals), ("global_targets", targets), ("global_indicators", inds),
                            ("data", data)):
            put(folder / f"{name}.yml", yaml_text(table).encode("utf-8"))
