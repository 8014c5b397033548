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
from sdgxl.catalogue.models import Component, Indicator, cycle_date
from sdgxl.catalogue.units import unit_in
from sdgxl.catalogue.views import printed_codes
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.outputs.summary import issue_code
from sdgxl.progress.assess import figure_text
from sdgxl.resources import load_styles, load_texts, status_labels
from sdgxl.validate.checks import CHECKS, Issue
from sdgxl.xlsxw import Workbook, hf_section, row_height

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
        # a whole number gets "#,##0": with "#,##0.##" Excel prints 10 as "10." (LibreOffice as "10")
        "num": wb.add_format({**base, "num_format": "#,##0.##"}),
        "num_whole": wb.add_format({**base, "num_format": "#,##0"}),
        "num_b": wb.add_format({**base, "num_format": "#,##0.##", "bold": True}),
        "num_b_whole": wb.add_format({**base, "num_format": "#,##0", "bold": True}),
        "road": wb.add_format({**base, "align": "center", "bg_color": style.get("locked_fill", "#F2F2F2")}),
        "bad": wb.add_format({**base, "bg_color": style.get("outlier_fill", "#FFC7CE"),
                              "font_color": style.get("error_font", "#9C0006")}),
        "ok": wb.add_format({**base, "bg_color": style.get("ok_fill", "#C6EFCE")}),
        "warn": wb.add_format({**base, "bg_color": "#FFEB9C"}),
        "bold": wb.add_format({**font, "bold": True}),
        "plain": wb.add_format({**font, "text_wrap": True, "valign": "top"}),
    }


def _write_value(ws: Any, r: int, c: int, value: Any, fmt: Any, fmt_text: Any, whole: Any = None) -> None:
    """Numbers as numbers (a whole one in ``whole``'s format when given), everything else as
    text (never a formula)."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt_text)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, whole if whole is not None and float(value).is_integer() else fmt)
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
    _print_sheet(wb, con, L, f, lang, by_key)
    _status_sheet(wb, con, L, f, lang)
    _issues_sheet(wb, con, L, f, lang)
    _narrative_sheet(wb, con, L, f, lang)
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
    ws.set_row(h1, row_height([(L["reported"], 9), (L["from"], 22), (L["conflict"], 26)]))
    ws.set_row(h2, row_height([(L[k], w) for k, w in zip(tail, widths[len(fixed) + len(road) + len(years):],
                                                           strict=False)]))
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
            title = goal_obj.title_in(lang)
            ws.write_string(r, 0, L["goal"].format(n=g, title=title), f["goal"])
            r += 1
        n += 1
        comp = row.component
        roadmap = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) \
            else ind.roadmap
        agencies = _owners_text(con, ind, comp, lang)
        ws.write_number(r, 0, n, f["center"])
        ws.write_string(r, 1, ind.target, f["center"])
        ws.write_string(r, 2, agencies, f["text"])
        ws.write_string(r, 3, ind.row_code(comp, lang), f["center"])
        name = ind.row_name(comp, lang)
        ws.write_string(r, 4, name, f["text"])
        texts = [(name, widths[4]), (agencies, widths[2]), (ind.target, widths[1]),
                 (ind.row_code(comp, lang), widths[3]),
                 (unit_in(ind.unit, lang), widths[5]), *((rv.text, widths[6]) for rv in roadmap.values())]
        ws.write_string(r, 5, unit_in(comp.unit if comp is not None and comp.unit else ind.unit, lang), f["center"])
        c = 6
        for ry in road:
            rv = roadmap.get(ry)
            _write_value(ws, r, c, figure_text(rv, lang), f["road"], f["road"])  # as printed; in English, its figures
            c += 1
        for y in years:
            cell = row.years.get(y)
            if cell is None:
                ws.write_blank(r, c, None, f["text"])
            elif cell.display is None:
                ws.write_string(r, c, statuses.get(cell.data_status or "", ""), f["center"])
            else:
                fmt = f["warn"] if cell.conflict else f["num"]
                _write_value(ws, r, c, cell.display, fmt, f["warn"] if cell.conflict else f["text"],
                             None if cell.conflict else f["num_whole"])
                if isinstance(cell.display, str):
                    texts.append((cell.display, widths[c]))
            c += 1
        latest = row.latest
        if latest:
            ly, lcell = latest
            _write_value(ws, r, c, lcell.display, f["num_b"], f["text"], f["num_b_whole"])
            if isinstance(lcell.display, str):
                texts.append((lcell.display, widths[c]))
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
            texts += [(str(lcell.source or ""), widths[c + 3]), (f"{lcell.file_name} (#{lcell.submission_id}, "
                      f"{lcell.cell})", widths[c + 4]), (" | ".join(notes), widths[c + 5]),
                      (statuses.get(lcell.data_status or "", ""), widths[c + 2])]
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
                texts += [(label, widths[c + 6]), (why, widths[c + 7])]
            else:
                ws.write_blank(r, c + 6, None, f["text"])
                ws.write_blank(r, c + 7, None, f["text"])
        ws.set_row(r, row_height(texts))
        r += 1
    ws.freeze_panes(h2 + 1, 5)
    ws.autofilter(h2, 0, max(r - 1, h2), ncols - 1)
    ws.repeat_rows(h1, h2)
    # A4 landscape, one page wide (the header rows repeated on every page); the sheet
    # "Bản in" next to it is the readable print of the latest values
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(0.3, 0.3, 0.5, 0.5)
    ws.set_footer("&L" + hf_section("sdgxl", 8) + "&R&8&P/&N")
    _protect(ws)


def _owners_text(con: Consolidation, ind: Indicator, comp: Component | None, lang: str) -> str:
    """Who reports one row in the consolidation's year (after successions), by short name."""
    return ", ".join(con.catalogue.agency(a).short_in(lang)
                     for a in con.catalogue.row_owners(ind, comp, cycle_date(con.year)))


def _print_sheet(wb: Any, con: Consolidation, L: dict[str, str], f: dict[str, Any], lang: str,
                 progress: dict[str, Any] | None) -> None:
    """The table as an official prints it: one A4 landscape page wide at a readable size, each
    indicator with its unit, agency, 2030 target, latest value and year, data status and
    (with progress) the assessment; goal bands; header rows repeated on every page."""
    ws = wb.add_worksheet(L["sheet_print"])
    cols = [("no", 5), ("code", 9), ("name", 50), ("unit", 10), ("agency", 13), ("target_2030", 12),
            ("latest", 10), ("latest_year", 6), ("status", 13)]
    if progress is not None:
        cols.append(("progress", 22))
    widths = [w for _, w in cols]
    last_col = len(cols) - 1
    ws.merge_range(0, 0, 0, last_col, L["print_title"].format(year=con.year), f["title"])
    ws.set_row(0, row_height([(L["print_title"].format(year=con.year), sum(widths) * 0.75)], font_size=13))
    for c, (key, width) in enumerate(cols):
        ws.set_column(c, c, width)
        ws.write_string(2, c, L[key], f["head"])
    ws.set_row(2, row_height([(L[key], w) for key, w in cols]))
    statuses = status_labels(lang)
    r, goal, n = 3, None, 0
    for row in con.rows:
        ind, comp = row.indicator, row.component
        g = con.catalogue.goal_of(ind)
        if g != goal:
            goal = g
            goal_obj = con.catalogue.goal(g)
            title = L["goal"].format(n=g, title=goal_obj.title_in(lang))
            ws.merge_range(r, 0, r, last_col, title, f["goal"])
            ws.set_row(r, row_height([(title, sum(widths))]))
            r += 1
        n += 1
        roadmap = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) \
            else ind.roadmap
        name = ind.row_name(comp, lang)
        agencies = _owners_text(con, ind, comp, lang)
        target = figure_text(roadmap.get("2030"), lang)
        unit = unit_in(comp.unit if comp is not None and comp.unit else ind.unit, lang)
        code = ind.row_code(comp, lang)
        ws.write_number(r, 0, n, f["center"])
        ws.write_string(r, 1, code, f["center"])
        ws.write_string(r, 2, name, f["text"])
        ws.write_string(r, 3, unit, f["center"])
        ws.write_string(r, 4, agencies, f["text"])
        ws.write_string(r, 5, target, f["road"])
        texts = [(code, widths[1]), (name, widths[2]), (unit, widths[3]), (agencies, widths[4]), (target, widths[5])]
        if row.latest:
            year, cell = row.latest
            _write_value(ws, r, 6, cell.display, f["num_b"], f["text"], f["num_b_whole"])
            if isinstance(cell.display, str):
                texts.append((cell.display, widths[6]))
            ws.write_number(r, 7, year, f["center"])
            ws.write_string(r, 8, statuses.get(cell.data_status or "", ""), f["text"])
            texts.append((statuses.get(cell.data_status or "", ""), widths[8]))
        else:
            for c in (6, 7, 8):
                ws.write_blank(r, c, None, f["text"])
        if progress is not None:
            a = progress.get(row.key)
            if a is not None:
                ws.write_string(r, 9, a.label(lang), f[f"st_{a.status.value}"])
                texts.append((a.label(lang), widths[9]))
            else:
                ws.write_blank(r, 9, None, f["text"])
        ws.set_row(r, row_height(texts))
        r += 1
    ws.repeat_rows(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(0.4, 0.4, 0.5, 0.5)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&L&8sdgxl&R&8&P/&N")
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
            "st_led", "st_narr", "st_result"]
    ws.merge_range(0, 0, 0, len(cols) - 1, L["st_title"].format(year=con.year,
                                                                deadline=i18n.date(con.deadline, lang)),
                   f["title"])
    ws.set_row(0, 22)
    for c, key in enumerate(cols):
        ws.write_string(2, c, L[key], f["head"])
    widths = [40, 12, 12, 10, 10, 20, 30, 8, 11, 11, 40]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_row(2, row_height([(L[key], w) for key, w in zip(cols, widths, strict=True)]))
    r = 3
    for st in con.agencies:
        result_fmt = f["ok"] if st.complete and not st.late and not st.narratives_missing else (
            f["warn"] if st.complete else f["bad"])
        ws.write_string(r, 0, f"{st.agency} – {st.name_in(lang)}", f["text"])
        ws.write_number(r, 1, st.count.indicators, f["center"])  # indicators (views.count_indicators)
        ws.write_number(r, 2, st.indicators_received, f["center"])
        ws.write_number(r, 3, st.indicators_valid, f["center"])
        ws.write_number(r, 4, st.files, f["center"])
        ws.write_string(r, 5, _local_time(st.first_received, lang), f["center"])
        how = L.get(f"src_{st.received_source}", "") if st.received_source else ""
        ws.write_string(r, 6, how, f["text"])
        ws.write_string(r, 7, L["yes"] if st.late else (L["unknown_late"] if st.late is None else ""), f["center"])
        ws.write_number(r, 8, st.narratives_expected, f["center"])
        ws.write_number(r, 9, st.narratives_received, f["center"])
        ws.write_string(r, 10, st.reason(lang), result_fmt)
        ws.set_row(r, row_height([(f"{st.agency} – {st.name_in(lang)}", widths[0]), (how, widths[6]),
                                  (st.reason(lang), widths[10])]))
        r += 1
    ws.autofilter(2, 0, r - 1, len(cols) - 1)
    r += 1
    ws.write_string(r, 0, L["chase"], f["bold"])
    r += 1
    chase = [st for st in con.agencies if st.to_chase]
    if not chase:
        ws.write_string(r, 0, L["chase_none"], f["plain"])
    for st in chase:  # the reason spans the other columns, so it reads on one line
        ws.write_string(r, 0, f"{st.agency} – {st.name_in(lang)}", f["plain"])
        ws.merge_range(r, 1, r, len(cols) - 1, st.reason(lang), f["plain"])
        ws.set_row(r, row_height([(f"{st.agency} – {st.name_in(lang)}", widths[0]),
                                  (st.reason(lang), sum(widths[1:]))]))
        r += 1
    late = [st for st in con.agencies if st.late and not st.to_chase]  # complete, only late: nothing to chase
    if late:
        r += 1
        ws.write_string(r, 0, L["late_only"], f["bold"])
        r += 1
        for st in late:
            ws.write_string(r, 0, f"{st.agency} – {st.name_in(lang)}", f["plain"])
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


def _narrative_sheet(wb: Any, con: Consolidation, L: dict[str, str], f: dict[str, Any], lang: str) -> None:
    """What the agencies wrote, by goal and target: the lead agencies first (a row for a lead
    agency that wrote nothing), then the co-operating ones. Text is written as text."""
    ws = wb.add_worksheet(L["sheet_narr"])
    cols = ["nr_target", "nr_title_col", "nr_agency", "nr_role", "nr_results", "nr_difficulties", "nr_proposals",
            "nr_from"]
    ws.merge_range(0, 0, 0, len(cols) - 1, L["nr_title"].format(year=con.year), f["title"])
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, len(cols) - 1, L["nr_sub"], f["sub"])
    for c, key in enumerate(cols):
        ws.write_string(3, c, L[key], f["head"])
    for c, w in enumerate([9, 34, 22, 10, 48, 34, 34, 20]):
        ws.set_column(c, c, w)
    cat = con.catalogue
    on = dt.date(con.year, 12, 31)
    roles = cat.target_agencies(on)  # every lead gets a form (of narratives only if it reports no value)
    r = 4
    goal = None
    for target in cat.targets:
        written = con.narratives_of(target.code)
        leads = roles[target.code][0]
        silent = [a for a in leads if a not in {n["agency"] for n in written}]
        if not written and not silent:
            continue
        if target.goal != goal:
            goal = target.goal
            g = cat.goal(goal)
            ws.set_row(r, 18, f["goal_row"])
            ws.write_string(r, 0, L["goal"].format(n=goal, title=g.title_in(lang)),
                            f["goal"])
            r += 1
        lead_rows = [n for n in written if n["role"] == "lead"]
        rows: list[dict[str, Any] | str] = [*lead_rows, *silent, *[n for n in written if n["role"] != "lead"]]
        first = r
        for item in rows:
            ws.write_string(r, 0, target.code, f["center"])
            ws.write_string(r, 1, target.title_in(lang) if r == first else "", f["text"])
            if isinstance(item, str):
                ws.write_string(r, 2, cat.agency(item).short_in(lang), f["text"])
                ws.write_string(r, 3, L["lead"], f["center"])
                ws.write_string(r, 4, L["nr_none"], f["warn"])
                for c in (5, 6, 7):
                    ws.write_blank(r, c, None, f["text"])
            else:
                ws.write_string(r, 2, cat.agency(item["agency"]).short_in(lang), f["text"])
                ws.write_string(r, 3, L["lead" if item["role"] == "lead" else "cooperate"], f["center"])
                for c, key in ((4, "results"), (5, "difficulties"), (6, "proposals")):
                    _write_value(ws, r, c, item[key], f["text"], f["text"])  # text, never a formula
                ws.write_string(r, 7, f"{item['file_name']} (#{item['submission_id']}, {item['cell']})", f["text"])
            longest = max([len(target.title_in(lang)) // 34 if r == first else 0] + [
                len(str(item[k] or "")) // 40 for k in ("results", "difficulties", "proposals")
            ] if not isinstance(item, str) else [len(target.title_in(lang)) // 34 if r == first else 0])
            ws.set_row(r, min(409, 13.5 * (2 + longest)))
            r += 1
    ws.freeze_panes(4, 2)
    ws.autofilter(3, 0, max(r - 1, 3), len(cols) - 1)
    ws.repeat_rows(3)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(0.3, 0.3, 0.5, 0.5)
    ws.set_footer("&L&8sdgxl&R&8&P/&N")
    _protect(ws)


def _issue_group(issue: Issue) -> int:
    """0: an error; 1: a warning on values; 2: a warning on the narratives."""
    if issue.severity == "error":
        return 0
    return 2 if issue.code.startswith("narrative") else 1


def _issues_sheet(wb: Any, con: Consolidation, L: dict[str, str], f: dict[str, Any], lang: str) -> None:
    ws = wb.add_worksheet(L["sheet_issues"])
    cols = ["is_file", "is_agency", "is_sev", "is_where", "is_ind", "is_code", "is_msg", "is_current"]
    ws.merge_range(0, 0, 0, len(cols) - 1, L["is_title"].format(year=con.year), f["title"])
    ws.set_row(0, 22)
    for c, key in enumerate(cols):
        ws.write_string(2, c, L[key], f["head"])
    widths = [30, 10, 9, 14, 10, 26, 66, 14]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    r = 3
    codes = printed_codes(con.catalogue, lang)
    known = [(row, Issue.from_record(row)) for row in con.issues if row["code"] in CHECKS]
    # what matters first: errors, then warnings on values, then missing narratives (which can
    # be most of the list); within each group the ledger's order, so the sheet is deterministic
    groups = [[(row, i) for row, i in known if _issue_group(i) == g] for g in range(3)]
    counts = {"errors": len(groups[0]), "data": len(groups[1]), "narratives": len(groups[2])}
    ws.merge_range(1, 0, 1, len(cols) - 1, i18n.render(L["is_counts"], counts, lang), f["text"])
    for row, issue in (pair for group in groups for pair in group):
        sev_fmt = f["bad"] if issue.severity == "error" else f["warn"]
        ws.write_string(r, 0, row["file_name"], f["text"])
        ws.write_string(r, 1, row["agency"] or "", f["text"])
        ws.write_string(r, 2, L[issue.severity], sev_fmt)
        ws.write_string(r, 3, issue.location, f["text"])
        ind = issue_code(issue, codes)
        ws.write_string(r, 4, ind, f["text"])
        check = CHECKS[issue.code].label(lang)  # "Không phải số (value-not-number)"
        ws.write_string(r, 5, check, f["text"])
        ws.write_string(r, 6, issue.message(lang), f["text"])
        current = L["superseded"] if row["superseded_by"] else L["yes"]
        ws.write_string(r, 7, current, f["text"])
        ws.set_row(r, row_height([(row["file_name"], widths[0]), (issue.location, widths[3]),
                                  (check, widths[5]), (issue.message(lang), widths[6]), (current, widths[7])]))
        r += 1
    ws.autofilter(2, 0, max(r - 1, 2), len(cols) - 1)
    ws.freeze_panes(3, 0)
    ws.repeat_rows(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _protect(ws)
