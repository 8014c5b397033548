"""Write agency forms: one plain ``.xlsx`` per reporting agency, no macros.

Each workbook has a cover sheet (who, what, when, how, a colour legend and a live
self-check made of ordinary formulas), the indicator sheet (the plan's table with the
roadmap locked and input cells validated by unit kind), and a hidden, protected
metadata sheet that identifies the form beyond doubt. Output is deterministic: the same
inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from sdgxl import i18n
from sdgxl.areas import area_name, province_settings, receiver, receiver_short
from sdgxl.catalogue.load import catalogue_hash
from sdgxl.catalogue.models import Catalogue, cycle_date
from sdgxl.errors import UsageError
from sdgxl.fileio import atomic_write_bytes
from sdgxl.forms.layout import (
    COL,
    FIRST_ROW,
    LETTER,
    META_FIELDS,
    META_ROW_FIELDS,
    META_SHEET,
    NARR_COL,
    NARR_FIRST_ROW,
    NARR_INPUTS,
    NARR_MAX,
    NARR_META_FIELDS,
    PROPERTY_FIELDS,
    TEXT_MAX,
    RowLayout,
)
from sdgxl.forms.spec import FormRow, FormSpec, NarrativeRow, build_spec, form_filename, narrative_layout
from sdgxl.resources import load_province, load_styles, load_texts
from sdgxl.xlsxw import Workbook, hf_section

__all__ = ["FormResult", "Prefill", "form_bytes", "generate_forms", "write_form"]

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class FormResult:
    path: Path
    agency: str
    agency_name: str
    rows: int
    form_id: str
    deadline: dt.date | None = None  # the deadline the form states
    indicators: int = 0  # the indicators of the form's rows (sdgxl.catalogue.views.count_indicators)


@lru_cache(maxsize=4096)
def _wrap_lines(text: str, width: int) -> int:
    return max(1, sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n")))


class _Formats:
    def __init__(self, wb: Any, style: dict[str, Any]) -> None:
        font = {"font_name": style.get("font", "Times New Roman"), "font_size": style.get("font_size", 11)}
        self.font = font
        border = {"border": 1, "border_color": "#808080"}
        base = {**font, "valign": "top", "text_wrap": True}
        self.title = wb.add_format({**font, "bold": True, "font_size": 14, "align": "center",
                                    "valign": "vcenter", "text_wrap": True})
        self.subtitle = wb.add_format({**font, "italic": True, "align": "center", "text_wrap": True})
        self.bold = wb.add_format({**base, "bold": True})
        self.text = wb.add_format(base)
        self.header = wb.add_format({**base, **border, "bold": True, "align": "center", "valign": "vcenter",
                                     "bg_color": style.get("header_fill", "#DDEBF7")})
        self.goal = wb.add_format({**font, "bold": True, "valign": "vcenter",
                                   "bg_color": style.get("goal_fill", "#BDD7EE")})
        self.goal_row = wb.add_format({**font, "bg_color": style.get("goal_fill", "#BDD7EE")})
        self.locked = wb.add_format({**base, **border, "bg_color": style.get("locked_fill", "#F2F2F2")})
        self.locked_c = wb.add_format({**base, **border, "align": "center",
                                       "bg_color": style.get("locked_fill", "#F2F2F2")})
        self.input = wb.add_format({**base, **border, "locked": False,
                                    "bg_color": style.get("input_fill", "#FFF2CC")})
        self.input_text = wb.add_format({**base, **border, "locked": False, "num_format": "@",
                                         "bg_color": style.get("input_fill", "#FFF2CC")})
        self.check = wb.add_format({**base, **border, "align": "center"})
        self.hidden = wb.add_format({**font})
        self.missing = wb.add_format({"bg_color": style.get("missing_fill", "#F8CBAD")})
        self.outlier = wb.add_format({"bg_color": style.get("outlier_fill", "#FFC7CE"),
                                      "font_color": style.get("error_font", "#9C0006")})
        self.ok = wb.add_format({"bg_color": style.get("ok_fill", "#C6EFCE"), "bold": True})
        self.bad = wb.add_format({"bg_color": style.get("outlier_fill", "#FFC7CE"), "bold": True,
                                  "font_color": style.get("error_font", "#9C0006")})
        self.bad_font = wb.add_format({"font_color": style.get("error_font", "#9C0006"), "bold": True})
        self.swatch = {
            "input": wb.add_format({**border, "bg_color": style.get("input_fill", "#FFF2CC")}),
            "locked": wb.add_format({**border, "bg_color": style.get("locked_fill", "#F2F2F2")}),
            "missing": wb.add_format({**border, "bg_color": style.get("missing_fill", "#F8CBAD")}),
            "outlier": wb.add_format({**border, "bg_color": style.get("outlier_fill", "#FFC7CE")}),
        }
        self.cover_value = wb.add_format({**base, "bold": True})
        self.cover_num = wb.add_format({**font, "bold": True, "align": "left", **border})


def _check_formula(row: FormRow, r: int, texts: dict[str, Any]) -> str:
    """The per-row self-check: an ordinary formula that works in Excel, LibreOffice, WPS."""
    c = texts["check"]
    status = texts["data"]["status"]
    v, k = f"{LETTER['value']}{r}", f"{LETTER['status']}{r}"
    no_value = f'IF(OR({k}="{status[2]}",{k}="{status[3]}"),"{c["ok"]}","{c["empty"]}")'
    if not row.numeric:
        rest = f'IF(LEN({v})>{row.max_len},"{c["too_long"]}","{c["ok"]}")'
    else:
        n = v
        if row.unit_kind in ("percentage", "rate_of_change"):
            # the number meant, as validation reads it: a cell with a % format holds 0.864 for
            # "86,4%" (× 100), or 86.4 when retyped without % and the format stuck (as is)
            scaled = f"{v}*100"
            fits = [f"{scaled}>={row.minimum:g}"] if row.minimum is not None else []
            fits += [f"{scaled}<={row.maximum:g}"] if row.maximum is not None else []
            pick = f"IF(AND({','.join(fits)}),{scaled},{v})" if fits else scaled
            n = f'IF(LEFT(CELL("format",{v}),1)="P",{pick},{v})'
        conds = []
        if row.minimum is not None:
            conds.append(f"{n}<{row.minimum:g}")
        if row.maximum is not None:
            conds.append(f"{n}>{row.maximum:g}")
        far = (f'IF(AND(ISNUMBER(Q{r}),OR({n}<Q{r},{n}>R{r})),"{c["far"]}","{c["ok"]}")'
               if row.band else f'"{c["ok"]}"')
        inner = far
        if row.whole:
            inner = f'IF({v}<>INT({v}),"{c["not_whole"]}",{inner})'
        if conds:
            inner = f'IF(OR({",".join(conds)}),"{c["out_of_range"]}",{inner})'
        rest = f'IF(NOT(ISNUMBER({v})),"{c["not_number"]}",{inner})'
    # a data status not in the list (pasted past the drop-down): validation's status-invalid
    listed = ",".join(f'"{label}"' for label in status)
    bad = c.get("bad_status", c["not_number"])
    return f'=IF(AND({k}<>"",ISNA(MATCH({k},{{{listed}}},0))),"{bad}",IF({v}="",{no_value},{rest}))'


def _validation(row: FormRow, texts: dict[str, Any]) -> dict[str, Any]:
    title, message, error = texts["validation"][row.unit_kind]
    common = {
        "input_title": title[:32],
        "input_message": message.format(max=row.max_len)[:255],
        "error_title": title[:32],
        "error_message": error.format(max=row.max_len)[:255],
        "error_type": "stop",
        "ignore_blank": True,
    }
    if not row.numeric:
        return {"validate": "length", "criteria": "<=", "value": row.max_len, **common}
    kind = "integer" if row.whole else "decimal"
    if row.minimum is not None and row.maximum is not None:
        return {"validate": kind, "criteria": "between", "minimum": row.minimum, "maximum": row.maximum,
                **common}
    if row.minimum is not None:
        return {"validate": kind, "criteria": ">=", "value": row.minimum, **common}
    return {"validate": kind, "criteria": "between", "minimum": -1e15, "maximum": 1e15, **common}


def _validation_key(row: FormRow) -> tuple[Any, ...]:
    """What the value cell's validation depends on: rows with the same key share one."""
    return row.unit_kind, row.numeric, row.whole, row.minimum, row.maximum, row.max_len


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


@dataclass(frozen=True)
class Prefill:
    """A value carried into a fresh form (``sdgxl migrate``): shown highlighted, for the
    agency to confirm."""

    value: float | str | None
    status: str | None = None  # the data status label, in the form's language
    source: str | None = None
    note: str | None = None


def form_bytes(spec: FormSpec, *, password: str, templates: Path | str | None = None,
               prefill: dict[str, Prefill] | None = None) -> bytes:
    """The form as ``.xlsx`` bytes (deterministic). ``prefill``: row key → values carried
    from another form, written highlighted (the cells stay editable)."""
    texts = load_texts(spec.lang, templates)
    province = province_settings(spec.year, templates)
    style = load_styles(templates)
    dpi = receiver(spec.year, templates)
    buf = io.BytesIO()
    wb = Workbook(buf)
    wb.protect_structure(password)
    wb.set_properties({
        "title": texts["cover"]["title"].format(year=spec.year),
        "subject": spec.agency_name,
        "author": dpi.get("name_en" if spec.lang == "en" else "name", "sdgxl"),
        "company": province.get("issuer_en" if spec.lang == "en" else "issuer", ""),
        "comments": f"sdgxl form {spec.form_id}",
        "created": FIXED_TIME,
    })
    meta = spec.meta()
    for key in PROPERTY_FIELDS:
        wb.set_custom_property(f"sdgxl_{key}", meta[key])
    fmt = _Formats(wb, style)
    cover = wb.add_worksheet(spec.sheets["cover"])
    data = wb.add_worksheet(spec.sheets["data"])
    narrative = wb.add_worksheet(spec.sheets["narrative"]) if spec.narratives else None
    metaws = wb.add_worksheet(META_SHEET)
    layout = spec.layout()
    _write_data(data, spec, texts, fmt, password, layout)
    if narrative is not None:
        _write_narrative(narrative, spec, narrative_texts(texts, spec.lang), fmt, password)
    if prefill:
        _write_prefill(wb, data, spec, style, prefill, layout)
    _write_cover(cover, spec, texts, province, fmt, password, layout.end)
    _write_meta(metaws, spec, meta, password, layout)
    cover.activate()
    wb.close()
    return buf.getvalue()


def _write_prefill(wb: Any, ws: Any, spec: FormSpec, style: dict[str, Any], prefill: dict[str, Prefill],
                   layout: RowLayout) -> None:
    """Carried values over the blank input cells, in a colour of their own (to confirm)."""
    font = {"font_name": style.get("font", "Times New Roman"), "font_size": style.get("font_size", 11)}
    base = {**font, "valign": "top", "text_wrap": True, "border": 1, "border_color": "#808080", "locked": False,
            "bg_color": style.get("prefill_fill", "#DDEBF7")}
    number, text = wb.add_format(base), wb.add_format({**base, "num_format": "@"})
    for row, r in zip(spec.rows, layout.rows, strict=True):
        pre = prefill.get(row.key)
        if pre is None:
            continue
        if isinstance(pre.value, (int, float)) and not isinstance(pre.value, bool):
            ws.write_number(r, COL["value"], pre.value, number)
        elif pre.value not in (None, ""):
            ws.write_string(r, COL["value"], str(pre.value), text)
        for col, cell in (("status", pre.status), ("source", pre.source), ("note", pre.note)):
            if cell:
                ws.write_string(r, COL[col], cell, number if col == "status" else text)


def _write_data(ws: Any, spec: FormSpec, texts: dict[str, Any], fmt: _Formats, password: str,
                layout: RowLayout) -> None:
    d = texts["data"]
    year = spec.year
    ncols = COL["check"] + 1
    ws.merge_range(0, 0, 0, ncols - 1, d["title"].format(year=year), fmt.title)
    ws.set_row(0, 36)
    ws.merge_range(1, 0, 1, ncols - 1, d["agency_line"].format(agency=spec.agency_name), fmt.subtitle)
    h1, h2 = 3, 4
    for key, col in (("col_no", "no"), ("col_target", "target"), ("col_code", "code"), ("col_name", "name"),
                     ("col_unit", "unit"), ("col_check", "check")):
        ws.merge_range(h1, COL[col], h2, COL[col], d[key].format(year=year), fmt.header)
    ws.merge_range(h1, COL["r2015"], h1, COL["r2030"], d["col_roadmap"], fmt.header)
    for n, y in enumerate(("2015", "2020", "2025", "2030")):
        ws.write_string(h2, COL["r2015"] + n, y, fmt.header)
    ws.merge_range(h1, COL["value"], h1, COL["note"], d["col_input"].format(year=year), fmt.header)
    for key, col in (("col_value", "value"), ("col_status", "status"), ("col_source", "source"),
                     ("col_note", "note")):
        ws.write_string(h2, COL[col], d[key].format(year=year), fmt.header)
    for col_name in ("key", "flag", "lo", "hi"):
        ws.write_string(h2, COL[col_name], col_name, fmt.hidden)
    ws.set_row(h1, 22)
    ws.set_row(h2, 30)
    widths = {"no": 5, "target": 9, "code": 11, "name": 52, "unit": 11, "r2015": 11, "r2020": 11,
              "r2025": 11, "r2030": 11, "value": 14, "status": 16, "source": 22, "note": 22, "check": 16}
    for name, w in widths.items():
        ws.set_column(COL[name], COL[name], w)
    ws.set_column(COL["key"], COL["hi"], 8, None, {"hidden": True})
    status = d["status"]
    heading = dict(layout.goals)  # row → goal of each goal heading
    # one validation per rule, over all the rows that have it
    by_rule: dict[tuple[Any, ...], tuple[FormRow, list[int]]] = {}
    for n, (row, r) in enumerate(zip(spec.rows, layout.rows, strict=True), start=1):
        goal = heading.get(r - 1)
        if goal is not None:
            # a goal heading: the text overflows across the empty cells of its row, and the row's
            # own format paints the band (cheaper than merging 14 cells, and prints the same)
            ws.set_row(r - 1, 18, fmt.goal_row)
            ws.write_string(r - 1, 0, d["goal"].format(number=goal, title=spec.goals.get(goal, "")), fmt.goal)
        excel_row = r + 1
        ws.write_number(r, COL["no"], n, fmt.locked_c)
        ws.write_string(r, COL["target"], row.target, fmt.locked_c)
        ws.write_string(r, COL["code"], row.code, fmt.locked_c)
        ws.write_string(r, COL["name"], row.name, fmt.locked)
        if row.unit:
            ws.write_string(r, COL["unit"], row.unit, fmt.locked_c)
        else:
            ws.write_blank(r, COL["unit"], None, fmt.locked_c)
        for i, text in enumerate(row.roadmap):
            if text:
                ws.write_string(r, COL["r2015"] + i, text, fmt.locked_c)
            else:
                ws.write_blank(r, COL["r2015"] + i, None, fmt.locked_c)
        value_fmt = fmt.input if row.numeric else fmt.input_text
        ws.write_blank(r, COL["value"], None, value_fmt)
        ws.write_blank(r, COL["status"], None, fmt.input)
        ws.write_blank(r, COL["source"], None, fmt.input_text)
        ws.write_blank(r, COL["note"], None, fmt.input_text)
        ws.write_formula(r, COL["check"], _check_formula(row, excel_row, texts), fmt.check,
                         texts["check"]["empty"])
        ws.write_string(r, COL["key"], row.key, fmt.hidden)
        ws.write_number(r, COL["flag"], 1, fmt.hidden)
        if row.band:
            ws.write_number(r, COL["lo"], row.band[0], fmt.hidden)
            ws.write_number(r, COL["hi"], row.band[1], fmt.hidden)
        by_rule.setdefault(_validation_key(row), (row, []))[1].append(r)
        lines = max(_wrap_lines(row.name, 56), *(_wrap_lines(t, 12) for t in row.roadmap),
                    _wrap_lines(row.unit, 12))
        ws.set_row(r, max(30, 15 * lines))
    vcol_letter = LETTER["value"]
    for rule_row, rows in by_rule.values():
        ranges = " ".join(f"{vcol_letter}{a + 1}" if a == b else f"{vcol_letter}{a + 1}:{vcol_letter}{b + 1}"
                          for a, b in _runs(rows))
        ws.data_validation(rows[0], COL["value"], rows[0], COL["value"],
                           {**_validation(rule_row, texts), "multi_range": ranges})
    first, end = FIRST_ROW, max(layout.end - 1, FIRST_ROW)
    s_title, s_msg, s_err = texts["validation"]["status"]
    ws.data_validation(first, COL["status"], end, COL["status"], {
        "validate": "list", "source": status, "input_title": s_title, "input_message": s_msg,
        "error_title": s_title, "error_message": s_err, "error_type": "stop"})
    t_title, t_msg, t_err = texts["validation"]["text"]
    ws.data_validation(first, COL["source"], end, COL["note"], {
        "validate": "length", "criteria": "<=", "value": TEXT_MAX, "input_title": t_title,
        "input_message": t_msg.format(max=TEXT_MAX), "error_title": t_title,
        "error_message": t_err.format(max=TEXT_MAX), "error_type": "stop", "ignore_blank": True})
    vcol, ccol = COL["value"], COL["check"]
    f, v, k, c, lo, hi = (f"${LETTER[name]}{first + 1}" for name in ("flag", "value", "status", "check", "lo", "hi"))
    ws.conditional_format(first, vcol, end, vcol, {
        "type": "formula", "criteria": f'=AND({f}=1,{v}="",{k}="")', "format": fmt.missing})
    ws.conditional_format(first, vcol, end, vcol, {
        "type": "formula", "criteria": f"=AND({f}=1,ISNUMBER({v}),ISNUMBER({lo}),OR({v}<{lo},{v}>{hi}))",
        "format": fmt.outlier})
    ws.conditional_format(first, ccol, end, ccol, {
        "type": "formula", "criteria": f'=AND({f}=1,{c}<>"{texts["check"]["ok"]}")', "format": fmt.bad_font})
    ws.freeze_panes(FIRST_ROW, COL["name"] + 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(h1, h2)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, max(end, FIRST_ROW), COL["check"])
    ws.set_footer("&L" + hf_section(spec.form_id, 8) + "&R&8&P/&N")
    ws.protect(password, {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                          "select_unlocked_cells": True})


def _write_cover(ws: Any, spec: FormSpec, texts: dict[str, Any], province: dict[str, Any], fmt: _Formats,
                 password: str, last: int) -> None:
    c = texts["cover"]
    en = spec.lang == "en"
    dpi = province.get("dpi", {})
    prov = province.get("province_en" if en else "province", "")
    plan = province.get("plan_province_en" if en else "plan_province", prov)  # whose plan it is
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 2, 66)
    ws.merge_range(0, 1, 0, 2, c["title"].format(year=spec.year), fmt.title)
    ws.set_row(0, 40)
    ws.merge_range(1, 1, 1, 2, c["subtitle"].format(province=plan), fmt.subtitle)
    ws.set_row(1, 32)
    deadline = i18n.date(spec.deadline, spec.lang)
    info = [(c["province"], prov)]
    if "period_from" in province and province.get("area_name"):  # the plan's territory, now part of another
        info.append((c["area"], area_name(province, spec.lang)))
    info += [
        (c["agency"], spec.agency_name),
        (c["year"], str(spec.year)),
        (c["deadline"], deadline),
        (c["count"], spec.count.text(spec.lang)),
        (c["send_to"], dpi.get("name_en" if en else "name", "")),
        (c["contact"], f"{dpi.get('unit', '')} – {dpi.get('contact', '')}".strip(" –")),
        (c["email"], dpi.get("email", "")),
        (c["phone"], dpi.get("phone", "")),
        (c["address"], dpi.get("address", "")),
    ]
    r = 3
    for label, value in info:
        ws.write_string(r, 1, label, fmt.bold)
        ws.write_string(r, 2, value, fmt.cover_value)
        ws.set_row(r, 15 * max(1, _wrap_lines(value, 64)))
        r += 1
    r += 1
    ws.write_string(r, 1, c["how_title"], fmt.bold)
    r += 1
    steps = list(c["how"])
    if spec.narratives:
        steps.insert(len(steps) - 2, narrative_texts(texts, spec.lang)["how"])
    for n, step in enumerate(steps, start=1):
        text = f"{n}. " + step.format(year=spec.year, data=spec.sheets["data"], sheet=spec.sheets["narrative"],
                                      receiver=receiver_short(province, spec.lang))
        ws.merge_range(r, 1, r, 2, text, fmt.text)
        ws.set_row(r, 15 * _wrap_lines(text, 105))
        r += 1
    r += 1
    ws.write_string(r, 1, c["legend_title"], fmt.bold)
    r += 1
    for key in ("input", "locked", "missing", "outlier"):
        ws.write_blank(r, 0, None, fmt.swatch[key])
        ws.merge_range(r, 1, r, 2, c[f"legend_{key}"], fmt.text)
        r += 1
    r += 1
    ws.write_string(r, 1, c["check_title"], fmt.bold)
    r += 1
    sheet = spec.sheets["data"].replace("'", "''")
    first, end = FIRST_ROW + 1, max(last, FIRST_ROW + 1)
    chk = f"'{sheet}'!${LETTER['check']}${first}:${LETTER['check']}${end}"
    flag = f"'{sheet}'!${LETTER['flag']}${first}:${LETTER['flag']}${end}"
    ok, empty = texts["check"]["ok"], texts["check"]["empty"]
    n_rows = len(spec.rows)
    ws.write_string(r, 1, c["check_required"], fmt.text)
    ws.write_formula(r, 2, f"=SUM({flag})", fmt.cover_num, n_rows)
    r_req = r
    r += 1
    ws.write_string(r, 1, c["check_missing"], fmt.text)
    ws.write_formula(r, 2, f'=COUNTIF({chk},"{empty}")', fmt.cover_num, n_rows)
    r_missing = r
    r += 1
    ws.write_string(r, 1, c["check_wrong"], fmt.text)
    ws.write_formula(r, 2, f'=SUMPRODUCT(({flag}=1)*({chk}<>"{ok}")*({chk}<>"{empty}"))', fmt.cover_num, 0)
    r_wrong = r
    r += 1
    ws.write_string(r, 1, c["check_status"], fmt.bold)
    ws.write_formula(
        r, 2,
        f'=IF(AND({xl_rowcol_to_cell(r_req, 2)}>0,{xl_rowcol_to_cell(r_missing, 2)}=0,'
        f'{xl_rowcol_to_cell(r_wrong, 2)}=0),"{c["check_ok"]}","{c["check_not_ok"]}")',
        fmt.cover_num, c["check_not_ok"])
    ws.conditional_format(r, 2, r, 2, {"type": "cell", "criteria": "==", "value": f'"{c["check_ok"]}"',
                                       "format": fmt.ok})
    ws.conditional_format(r, 2, r, 2, {"type": "cell", "criteria": "!=", "value": f'"{c["check_ok"]}"',
                                       "format": fmt.bad})
    r += 2
    ws.merge_range(r, 1, r, 2, c["footer"].format(form_id=spec.form_id), fmt.subtitle)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, r, 2)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True})


def _write_meta(ws: Any, spec: FormSpec, meta: dict[str, str], password: str, layout: RowLayout) -> None:
    ws.write_row(0, 0, ["key", "value"])
    r = 1
    for key in META_FIELDS:
        if key in meta:  # the optional fields only when they apply
            ws.write_string(r, 0, key)
            ws.write_string(r, 1, meta[key])
            r += 1
    r += 1
    ws.write_row(r, 0, list(META_ROW_FIELDS))
    r += 1
    for row, sheet_row in zip(spec.rows, layout.rows, strict=True):
        values: list[Any] = [sheet_row + 1, row.key, row.indicator, row.component, row.unit_kind,
                             row.minimum, row.maximum, int(row.whole), row.max_len,
                             row.band[0] if row.band else None, row.band[1] if row.band else None]
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
        r += 1
    if spec.narratives:
        # the narrative rows, by target code (ingestion matches them by the hidden key column)
        r += 1
        ws.write_row(r, 0, list(NARR_META_FIELDS))
        r += 1
        for sheet_row, item in narrative_layout(spec.narratives):
            if isinstance(item, NarrativeRow):
                ws.write_number(r, 0, sheet_row + 1)
                ws.write_string(r, 1, item.target)
                ws.write_string(r, 2, item.role)
                r += 1
    ws.hide()
    ws.protect(password)


def narrative_texts(texts: dict[str, Any], lang: str) -> dict[str, Any]:
    """The narrative sheet's texts (the bundled ones when a DPI's own texts predate it)."""
    own = texts.get("narrative")
    return dict(own) if own else dict(load_texts(lang)["narrative"])


def _write_narrative(ws: Any, spec: FormSpec, t: dict[str, Any], fmt: _Formats, password: str) -> None:
    """The targets the agency leads (a row each, a report expected) and co-operates on
    (optional rows): the target and the plan's tasks locked, three wrapped text inputs."""
    year = spec.year
    last_col = NARR_COL["proposals"]
    ws.merge_range(0, 0, 0, last_col, t["title"].format(year=year), fmt.title)
    ws.set_row(0, 36)
    ws.merge_range(1, 0, 1, last_col, spec.agency_name, fmt.subtitle)
    ws.merge_range(2, 0, 2, last_col, t["note"].format(max=NARR_MAX), fmt.text)
    ws.set_row(2, 30)
    h = NARR_FIRST_ROW - 1
    for key in ("no", "target", "title", "role", "tasks", *NARR_INPUTS):
        ws.write_string(h, NARR_COL[key], t[f"col_{key}"].format(year=year), fmt.header)
    ws.write_string(h, NARR_COL["key"], "key", fmt.hidden)
    ws.write_string(h, NARR_COL["flag"], "flag", fmt.hidden)
    ws.set_row(h, 32)
    widths = {"no": 5, "target": 8, "title": 30, "role": 9, "tasks": 48, "results": 42, "difficulties": 30,
              "proposals": 30}
    for name, w in widths.items():
        ws.set_column(NARR_COL[name], NARR_COL[name], w)
    ws.set_column(NARR_COL["key"], NARR_COL["flag"], 8, None, {"hidden": True})
    roles = {"lead": t["role"][0], "cooperate": t["role"][1]}
    n = 0
    rows: list[int] = []
    for r, item in narrative_layout(spec.narratives):
        if not isinstance(item, NarrativeRow):
            ws.set_row(r, 18, fmt.goal_row)
            ws.write_string(r, 0, t["goal"].format(number=item, title=spec.goals.get(item, "")), fmt.goal)
            continue
        n += 1
        rows.append(r)
        ws.write_number(r, NARR_COL["no"], n, fmt.locked_c)
        ws.write_string(r, NARR_COL["target"], item.target, fmt.locked_c)
        ws.write_string(r, NARR_COL["title"], item.title, fmt.locked)
        ws.write_string(r, NARR_COL["role"], roles[item.role], fmt.locked_c)
        if item.tasks:
            ws.write_string(r, NARR_COL["tasks"], item.tasks, fmt.locked)
        else:
            ws.write_blank(r, NARR_COL["tasks"], None, fmt.locked)
        for key in NARR_INPUTS:
            ws.write_blank(r, NARR_COL[key], None, fmt.input_text)
        ws.write_string(r, NARR_COL["key"], item.target, fmt.hidden)
        ws.write_number(r, NARR_COL["flag"], 1 if item.required else 0, fmt.hidden)
        lines = max(_wrap_lines(item.title, 36), _wrap_lines(item.tasks, 60), 4)
        ws.set_row(r, min(409, 15 * lines))  # Excel's highest row
    first, end = NARR_FIRST_ROW, max(rows[-1] if rows else NARR_FIRST_ROW, NARR_FIRST_ROW)
    v_title, v_msg, v_err = t["validation"]
    ws.data_validation(first, NARR_COL["results"], end, NARR_COL["proposals"], {
        "validate": "length", "criteria": "<=", "value": NARR_MAX, "input_title": v_title[:32],
        "input_message": v_msg.format(max=NARR_MAX)[:255], "error_title": v_title[:32],
        "error_message": v_err.format(max=NARR_MAX)[:255], "error_type": "stop", "ignore_blank": True})
    # a led target with nothing written yet is shaded like an empty value
    ws.conditional_format(first, NARR_COL["results"], end, NARR_COL["results"], {
        "type": "formula", "criteria": f'=AND($J{first + 1}=1,$F{first + 1}="",$G{first + 1}="",$H{first + 1}="")',
        "format": fmt.missing})
    ws.freeze_panes(NARR_FIRST_ROW, NARR_COL["title"] + 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(h)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, end, last_col)
    ws.set_footer("&L&8" + spec.form_id + "&R&8&P/&N")
    ws.protect(password, {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                          "select_unlocked_cells": True})


def write_form(spec: FormSpec, path: Path, *, password: str, templates: Path | str | None = None) -> Path:
    # not flushed to disk one by one (FlushFileBuffers costs milliseconds a file on Windows):
    # a form is made again, byte for byte, by running generate again
    atomic_write_bytes(path, form_bytes(spec, password=password, templates=templates), durable=False)
    return path


def generate_forms(
    cat: Catalogue,
    year: int,
    out_dir: Path | str,
    *,
    agencies: list[str] | None = None,
    lang: str = "vi",
    deadline: dt.date | None = None,
    password: str | None = None,
    templates: Path | str | None = None,
) -> list[FormResult]:
    """One form per reporting agency (or per agency in ``agencies``) for ``year``."""
    if lang not in ("vi", "en"):
        raise UsageError("bad_lang", lang=lang)
    if not 2015 <= year <= 2100:
        raise UsageError("bad_year", year=year)
    on = cycle_date(year)
    reporting = cat.reporting_agencies(on)
    if agencies:
        wanted = [a.upper() for a in agencies]
        unknown = [a for a in wanted if a not in reporting]
        if unknown:
            raise UsageError("no_indicators_for", year=year, agencies=unknown, valid=reporting)
        reporting = [a for a in reporting if a in wanted]
    if password is None:
        password = str(load_province(templates).get("cycle", {}).get("password", "sdgxl"))
    out = Path(out_dir)
    cat_hash = catalogue_hash(cat)
    assigned = cat.indicators_by_agency(on)
    results = []
    for agency in reporting:
        spec = build_spec(cat, agency, year, lang=lang, deadline=deadline, templates=templates,
                          cat_hash=cat_hash, assigned=assigned.get(agency, []))
        if not spec.rows:
            continue
        path = write_form(spec, out / form_filename(year, agency, lang), password=password, templates=templates)
        results.append(FormResult(path, agency, spec.agency_name, len(spec.rows), spec.form_id, spec.deadline,
                                   spec.count.indicators))
    return results

