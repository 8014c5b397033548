"""The consolidated provincial workbook: the plan's table with what was achieved.

Sheets: the provincial table (goal header rows; target, agency, indicator, unit, roadmap
2015/2020/2025/2030; a column per year with reported values; latest value, status,
source, submission), the completeness sheet (who reported, who to chase), and every issue.
Ready to print (A4 landscape, repeated headers), protected against accidental edits
without a password, filters and sorting allowed. Text from returned files is written as
text, never as a formula. Deterministic bytes; written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from sdgxl import i18n
from sdgxl.areas import province_settings, territory
from sdgxl.catalogue.models import cycle_date
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.resources import load_styles, load_texts, status_labels
from sdgxl.validate.checks import CHECKS, Issue
from sdgxl.xlsxw import Workbook, hf_section

__all__ = ["consolidated_filename", "write_consolidated"]

FIXED_TIME = dt.datetime(2000, 1, 1)



def consolidated_filename(year: int, lang: str = "vi") -> str:
    return f"{year}_tong-hop-sdg.xlsx" if lang != "en" else f"{year}_sdg-consolidated.xlsx"


def _fmts(wb: Any, style: dict[str, Any]) -> dict[str, Any]:
    font = {"font_name": style.get("font", "Times New Roman"), "font_size": 10}
    border = {"border": 1, "border_color": "#808080"}
    base = {**font, "valign": "top", "text_wrap": True, **border}
    return {
        "title": wb.add_format({**font, "bold": True, "font_size": 13, "align": "center", "valign": "vcenter",
                                "text_wrap": True}),
        "sub": wb.add_format({**font, "italic": True, "align": "center"}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                               "bg_color": style.get("header_fill", "#DDEBF7")}),
        "goal": wb.add_format({**font, "bold": True, "bg_color": style.get("goal_fill", "#BDD7EE")}),
        "goal_row": wb.add_format({**font, "bg_color": style.get("goal_fill", "#BDD7EE")}),
        "text": wb.add_format(base),
        "center": wb.add_format({**base, "align": "center"}),
        "num": wb.add_format({**base, "num_format": "#,##0.##"}),
        "num_b": wb.add_format({**base, "num_format": "#,##0.##", "bold": True}),
        "road": wb.add_format({**base, "align": "center", "bg_color": style.get("locked_fill", "#F2F2F2")}),
        "bad": wb.add_format({**base, "bg_color": style.get("outlier_fill", "#FFC7CE"),
                              "font_color": style.get("error_font", "#9C0006")}),
        "ok": wb.add_format({**base, "bg_color": style.get("ok_fill", "#C6EFCE")}),
        "warn": wb.add_format({**base, "bg_color": "#FFEB9C"}),
        "bold": wb.add_format({**font, "bold": True}),
        "plain": wb.add_format({**font, "text_wrap": True, "valign": "top"}),
    }


def _write_value(ws: Any, r: int, c: int, value: Any, fmt: Any, fmt_text: Any) -> None:
    """Numbers as numbers, everything else as text (never a formula)."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt_text)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt_text)


def _protect(ws: Any) -> None:
    ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def write_consolidated(con: Consolidation, out_dir: Path, *, lang: str = "vi",
                       templates: Path | str | None = None, progress: list[Any] | None = None) -> Path:
    """Write the consolidated workbook into ``out_dir``. With ``progress`` (the assessments of
    :func:`sdgxl.progress.assess.assess`): progress columns in the table, and the dashboard."""
    L = load_texts(lang)["consolidated"]
    province = province_settings(con.year, templates)
    style = load_styles(templates)
    buf = io.BytesIO()
    wb = Workbook(buf)
    wb.set_properties({"title": L["title"].format(year=con.year), "created": FIXED_TIME,
                       "author": province.get("dpi", {}).get("name", "sdgxl")})
    f = _fmts(wb, style)
    if progress is not None:
        from sdgxl.progress.assess import flatten

        by_key: dict[str, Any] | None = {a.key: a for a in flatten(progress)}
    else:
        by_key = None
    _table_sheet(wb, con, L, f, province, lang, by_key)
    _status_sheet(wb, con, L, f, lang)
    _issues_sheet(wb, con, L, f, lang)
    if progress is not None:
        from sdgxl.progress.sheets import add_dashboard

        add_dashboard(wb, con, progress, lang, style.get("font", "Times New Roman"))
    wb.close()
    path = out_dir / consolidated_filename(con.year, lang)
    atomic_write_bytes(path, buf.getvalue())
    return path


def _table_sheet(wb: Any, con: Consolidation, L: dict[str, str], f: dict[str, Any], province: dict[str, Any],
                 lang: str, progress: dict[str, Any] | None) -> None:
    ws = wb.add_worksheet(L["sheet_table"])
    years = list(range(2016, con.year + 1))  # every year of the plan so far: the same layout each year
    fixed = ["no", "target", "agency", "code", "name", "unit"]
    road = ["2015", "2020", "2025", "2030"]
    tail = ["latest", "latest_year", "status", "source", "from", "conflict"]
    if progress is not None:
        tail += ["progress", "path"]
        from sdgxl.progress.assess import COLOURS

        for st, colour in COLOURS.items():
            f.setdefault(f"st_{st.value}", wb.add_format({"font_name": style_font(f), "font_size": 10, "border": 1,
                                                          "border_color": "#808080", "bg_color": colour,
                                                          "text_wrap": True, "valign": "top"}))
    ncols = len(fixed) + len(road) + len(years) + len(tail)
    # the title spans the first printed page (the table runs over several pages across)
    first_page = min(ncols, 10) - 1
    ws.merge_range(0, 0, 0, first_page, L["title"].format(year=con.year), f["title"])
    ws.set_row(0, 30)
    prov = territory(province, lang)
    ws.merge_range(1, 0, 1, first_page, L["sub"].format(province=prov), f["sub"])
    h1, h2 = 3, 4
    c = 0
    for key in fixed:
        ws.merge_range(h1, c, h2, c, L[key], f["head"])
        c += 1
    ws.merge_range(h1, c, h1, c + len(road) - 1, L["roadmap"], f["head"])
    for ry in road:
        ws.write_string(h2, c, ry, f["head"])
        c += 1
    if len(years) > 1:
        ws.merge_range(h1, c, h1, c + len(years) - 1, L["reported"], f["head"])
    else:
        ws.write_string(h1, c, L["reported"], f["head"])
    for y in years:
        ws.write_number(h2, c, y, f["head"])
        c += 1
    for key in tail:
        ws.merge_range(h1, c, h2, c, L[key], f["head"])
        c += 1
    widths = [5, 8, 14, 10, 46, 10] + [9] * len(road) + [9] * len(years) + [10, 6, 12, 24, 22, 26, 16, 28]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    statuses = status_labels(lang)
    r = h2 + 1
    goal = None
    n = 0
    for row in con.rows:
        ind = row.indicator
        g = con.catalogue.goal_of(ind)
        if g != goal:
            goal = g
            ws.set_row(r, 18, f["goal_row"])
            goal_obj = con.catalogue.goal(g)
            title = (goal_obj.title_en or goal_obj.title) if lang == "en" else goal_obj.title
            ws.write_string(r, 0, L["goal"].format(n=g, title=title), f["goal"])
            r += 1
        n += 1
        comp = row.component
        roadmap = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) \
            else ind.roadmap
        agencies = ", ".join(con.catalogue.agency(a).short or a for a in  # who reports it this year
                             con.catalogue.row_owners(ind, comp, cycle_date(con.year)))
        ws.write_number(r, 0, n, f["center"])
        ws.write_string(r, 1, ind.target, f["center"])
        ws.write_string(r, 2, agencies, f["text"])
        ws.write_string(r, 3, ind.code if comp is None else f"{ind.code} ({comp.label})", f["center"])
        name = ind.name if comp is None else f"{ind.name} – {comp.label}"
        ws.write_string(r, 4, name, f["text"])
        longest_road = max((len(rv.text) for rv in roadmap.values()), default=0)
        ws.set_row(r, 13.5 * max(1, -(-len(name) // 44), -(-longest_road // 8)))
        ws.write_string(r, 5, (comp.unit if comp is not None and comp.unit else ind.unit) or "", f["center"])
        c = 6
        for ry in road:
            rv = roadmap.get(ry)
            _write_value(ws, r, c, rv.text if rv else "", f["road"], f["road"])
            c += 1
        for y in years:
            cell = row.years.get(y)
            if cell is None:
                ws.write_blank(r, c, None, f["text"])
            elif cell.display is None:
                ws.write_string(r, c, statuses.get(cell.data_status or "", ""), f["center"])
            else:
                fmt = f["warn"] if cell.conflict else f["num"]
                _write_value(ws, r, c, cell.display, fmt, f["warn"] if cell.conflict else f["text"])
            c += 1
        latest = row.latest
        if latest:
            ly, lcell = latest
            _write_value(ws, r, c, lcell.display, f["num_b"], f["text"])
            ws.write_number(r, c + 1, ly, f["center"])
            ws.write_string(r, c + 2, statuses.get(lcell.data_status or "", ""), f["text"])
            _write_value(ws, r, c + 3, lcell.source, f["text"], f["text"])
            ws.write_string(r, c + 4, f"{lcell.file_name} (#{lcell.submission_id}, {lcell.cell})", f["text"])
            notes = []
            if lcell.conflict:
                notes.append("; ".join(f"{a}: {_show(v, lang)}" for a, v in lcell.conflict))
            if lcell.note:
                notes.append(lcell.note)
            _write_value(ws, r, c + 5, " | ".join(notes), f["text"], f["text"])
        else:
            for k in range(6):
                ws.write_blank(r, c + k, None, f["text"])
        if progress is not None:
            a = progress.get(row.key)
            if a is not None:
                label = a.label(lang) + (f" ({a.reason(lang)})" if a.reason(lang) else "")
                ws.write_string(r, c + 6, label, f[f"st_{a.status.value}"])
                why = a.milestone_text(lang)
                whole = progress.get(ind.code) if comp is not None else None
                if whole is not None:  # the indicator's status, the mean of its components' scores
                    why = "; ".join(x for x in (why, ("Cả chỉ tiêu: " if lang != "en" else "Whole indicator: ")
                                                 + whole.label(lang)) if x)
                ws.write_string(r, c + 7, why, f["text"])
            else:
                ws.write_blank(r, c + 6, None, f["text"])
                ws.write_blank(r, c + 7, None, f["text"])
        r += 1
    ws.freeze_panes(h2 + 1, 5)
    ws.autofilter(h2, 0, max(r - 1, h2), ncols - 1)
    ws.repeat_rows(h1, h2)
    # A4 landscape at a readable scale: the table runs over several pages across, each
    # repeating the indicator columns (No. … Indicator) and the header rows
    ws.repeat_columns(0, 4)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_print_scale(62)
    ws.set_margins(0.3, 0.3, 0.5, 0.5)
    ws.set_footer("&L" + hf_section("sdgxl", 8) + "&R&8&P/&N")
    _protect(ws)


def _local_time(stamp: str | None, lang: str = "vi") -> str:
    """An ISO time from the ledger, as Vietnam's clock shows it: ``01/11/2026 09:30``."""
    if not stamp:
        return ""
    return i18n.datetime(dt.datetime.fromisoformat(stamp).astimezone(dt.timezone(dt.timedelta(hours=7))), lang)


def style_font(f: dict[str, Any]) -> str:
    return str(f["text"].font_name)


def _show(v: Any, lang: str) -> str:
    return i18n.show(v, lang)


def _status_sheet(wb: Any, con: Consolidation, L: dict[str, str], f: dict[str, Any], lang: str) -> None:
    ws = wb.add_worksheet(L["sheet_status"])
    cols = ["st_agency", "st_expected", "st_received", "st_valid", "st_files", "st_when", "st_how", "st_late",
            "st_result"]
    ws.merge_range(0, 0, 0, len(cols) - 1, L["st_title"].format(year=con.year,
                                                                deadline=i18n.date(con.deadline, lang)),
                   f["title"])
    for c, key in enumerate(cols):
        ws.write_string(2, c, L[key], f["head"])
    for c, w in enumerate([40, 12, 12, 10, 10, 20, 30, 8, 40]):
        ws.set_column(c, c, w)
    r = 3
    for st in con.agencies:
        result_fmt = f["ok"] if st.complete and not st.late else (f["warn"] if st.complete else f["bad"])
        ws.write_string(r, 0, f"{st.agency} – {st.name}", f["text"])
        ws.write_number(r, 1, st.expected, f["center"])
        ws.write_number(r, 2, st.received_rows, f["center"])
        ws.write_number(r, 3, st.valid_rows, f["center"])
        ws.write_number(r, 4, st.files, f["center"])
        ws.write_string(r, 5, _local_time(st.first_received, lang), f["center"])
        ws.write_string(r, 6, L.get(f"src_{st.received_source}", "") if st.received_source else "", f["text"])
        ws.write_string(r, 7, L["yes"] if st.late else (L["unknown_late"] if st.late is None else ""), f["center"])
        ws.write_string(r, 8, st.reason(lang), result_fmt)
        r += 1
    ws.autofilter(2, 0, r - 1, len(cols) - 1)
    r += 1
    ws.write_string(r, 0, L["chase"], f["bold"])
    r += 1
    chase = [st for st in con.agencies if st.to_chase or st.late]
    if not chase:
        ws.write_string(r, 0, L["chase_none"], f["plain"])
    for st in chase:
        ws.write_string(r, 0, f"{st.agency} – {st.name}", f["plain"])
        ws.write_string(r, 1, st.reason(lang), f["plain"])
        r += 1
    unknown = [s for s in con.submissions if not s.agency]
    if unknown:
        r += 1
        ws.write_string(r, 0, L["unknown"], f["bold"])
        r += 1
        for sub in unknown:
            ws.write_string(r, 0, sub.file_name, f["plain"])
            r += 1
    ws.repeat_rows(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _protect(ws)


def _issues_sheet(wb: Any, con: Consolidation, L: dict[str, str], f: dict[str, Any], lang: str) -> None:
    ws = wb.add_worksheet(L["sheet_issues"])
    cols = ["is_file", "is_agency", "is_sev", "is_where", "is_ind", "is_code", "is_msg", "is_current"]
    ws.merge_range(0, 0, 0, len(cols) - 1, L["is_title"].format(year=con.year), f["title"])
    for c, key in enumerate(cols):
        ws.write_string(2, c, L[key], f["head"])
    for c, w in enumerate([30, 10, 9, 14, 10, 22, 70, 12]):
        ws.set_column(c, c, w)
    r = 3
    for row in con.issues:
        if row["code"] not in CHECKS:
            continue
        issue = Issue.from_record(row)
        sev_fmt = f["bad"] if issue.severity == "error" else f["warn"]
        ws.write_string(r, 0, row["file_name"], f["text"])
        ws.write_string(r, 1, row["agency"] or "", f["text"])
        ws.write_string(r, 2, L[issue.severity], sev_fmt)
        ws.write_string(r, 3, issue.location, f["text"])
        ind = (issue.indicator or "") + (f" ({issue.component})" if issue.component else "")
        ws.write_string(r, 4, ind, f["text"])
        ws.write_string(r, 5, issue.code, f["text"])
        ws.write_string(r, 6, issue.message(lang), f["text"])
        ws.write_string(r, 7, L["superseded"] if row["superseded_by"] else L["yes"], f["text"])
        r += 1
    ws.autofilter(2, 0, max(r - 1, 2), len(cols) - 1)
    ws.freeze_panes(3, 0)
    ws.repeat_rows(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _protect(ws)
