"""Progress in workbooks: the dashboard sheets (native Excel charts) and the annual report.

* ``add_dashboard``: a summary of statuses, a table and a stacked bar chart of statuses per
  goal, and one line chart per indicator with data (reported values against the roadmap),
  their data on a hidden sheet. Used in the consolidated workbook and in the report.
* ``write_report``: the annual summary to attach to the province's report to the ministry
  (.xlsx, and a PDF rendered by LibreOffice when it is installed).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from sdgxl import i18n
from sdgxl.areas import province_settings, territory
from sdgxl.catalogue.views import display_code
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.progress.assess import COLOURS, ORDER, Assessment, flatten, rollup, status_history, status_labels
from sdgxl.progress.measure import Status
from sdgxl.resources import load_styles, load_texts
from sdgxl.xlsxw import Workbook, row_height

__all__ = ["add_dashboard", "report_filename", "write_report"]

CHART_ROWS = 11  # rows (of 15 pt = 20 px) an indicator chart of 200 px takes, with a gap
CHARTS_A_PAGE = 3
CHART_PRINT_SCALE = 90  # %: the dashboard and two charts side by side fit an A4 landscape page



def _fmt(wb: Any, font: str) -> dict[str, Any]:
    base = {"font_name": font, "font_size": 10, "valign": "top"}
    border = {"border": 1, "border_color": "#808080"}
    out = {
        "title": wb.add_format({**base, "bold": True, "font_size": 13}),
        "sub": wb.add_format({**base, "italic": True}),
        "bold": wb.add_format({**base, "bold": True}),
        "text": wb.add_format({**base, "text_wrap": True}),
        "head": wb.add_format({**base, **border, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                               "align": "center"}),
        "cell": wb.add_format({**base, **border, "text_wrap": True}),
        "num": wb.add_format({**base, **border, "num_format": "#,##0.##"}),
        "num_whole": wb.add_format({**base, **border, "num_format": "#,##0"}),  # never "10."
        "int": wb.add_format({**base, **border, "align": "center"}),
    }
    for st in ORDER:
        out[st.value] = wb.add_format({**base, **border, "bg_color": COLOURS[st], "text_wrap": True})
    return out


def add_dashboard(wb: Any, con: Consolidation, assessments: list[Assessment], lang: str = "vi",
                  font: str = "Times New Roman") -> None:
    L = load_texts(lang)["report"]
    labels = status_labels(lang)
    f = _fmt(wb, font)
    ws = wb.add_worksheet(L["dash"])
    ws.set_column(0, 0, 44)  # a goal's title cut at 42 characters holds on one line
    ws.set_column(1, 8, 12)
    ws.write_string(0, 0, L["title"].format(year=con.year), f["title"])
    # overall counts
    ws.write_string(2, 0, L["status"], f["head"])
    ws.write_string(2, 1, L["count"], f["head"])
    totals = {st: sum(a.status is st for a in assessments) for st in ORDER}
    for i, st in enumerate(ORDER):
        ws.write_string(3 + i, 0, labels[st], f[st.value])
        ws.write_number(3 + i, 1, totals[st], f["int"])
    ws.write_string(3 + len(ORDER), 0, L["total"], f["head"])
    ws.write_number(3 + len(ORDER), 1, len(assessments), f["int"])
    sheet = L["dash"].replace("'", "''")
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"name": L["chart_overall"], "categories": f"='{sheet}'!$A$4:$A${3 + len(ORDER)}",
                    "values": f"='{sheet}'!$B$4:$B${3 + len(ORDER)}",
                    "points": [{"fill": {"color": COLOURS[st]}} for st in ORDER]})
    pie.set_title({"name": L["chart_overall"]})
    pie.set_size({"width": 420, "height": 260})
    ws.insert_chart(2, 2, pie, {"x_offset": 16})  # inside the printed columns (B … G)
    # per goal
    by_goal = rollup(assessments, "goal")
    top = 16
    ws.write_string(top - 1, 0, L["by_goal"], f["bold"])
    ws.write_string(top, 0, L["goal"], f["head"])
    for j, st in enumerate(ORDER):
        ws.write_string(top, 1 + j, labels[st], f[st.value])
    ws.set_row(top, row_height([(labels[st], 12) for st in ORDER]))
    goals = sorted(by_goal)
    for i, g in enumerate(goals):
        goal_obj = con.catalogue.goal(g)
        title = goal_obj.title_in(lang)
        ws.write_string(top + 1 + i, 0, f"{g}. {title[:42]}{'…' if len(title) > 42 else ''}", f["cell"])
        for j, st in enumerate(ORDER):
            ws.write_number(top + 1 + i, 1 + j, by_goal[g].get(st, 0), f["int"])
    last = top + len(goals)
    bar = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j, st in enumerate(ORDER):
        col = chr(ord("B") + j)
        bar.add_series({"name": f"='{sheet}'!${col}${top + 1}",
                        "categories": [L["dash"], top + 1, 0, last, 0],
                        "values": f"='{sheet}'!${col}${top + 2}:${col}${last + 1}",
                        "fill": {"color": COLOURS[st]}, "gap": 40})
    bar.set_title({"name": L["chart_goal"]})
    bar.set_y_axis({"reverse": True})
    bar.set_legend({"position": "bottom"})
    bar.set_size({"width": 820, "height": 520})
    ws.insert_chart(last + 2, 0, bar)
    # per agency, and over time (the status each year had, with the data up to that year)
    top = last + 30
    top = _count_table(ws, top, L["by_agency"], L["agency"],
                       [(a, c) for a, c in rollup(assessments, "agency").items()], labels, f)
    history = status_history(con)
    _count_table(ws, top + 2, L["by_year"], L["year"], [(str(y), c) for y, c in history.items()], labels, f)
    # printed at a fixed scale with a page break before the goal chart and after it, so no
    # chart is cut by a page edge (Excel ignores manual breaks when fitting to a page count)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(0.4, 0.4, 0.6, 0.6)
    ws.set_print_scale(CHART_PRINT_SCALE)
    ws.set_h_pagebreaks([last + 1, last + 29])
    _indicator_charts(wb, con, assessments, L, f, lang)


def _count_table(ws: Any, top: int, title: str, head: str, rows: list[tuple[Any, Any]], labels: dict[Status, str],
                 f: dict[str, Any]) -> int:
    """A table of status counts (one row per agency, year …); returns the next free row."""
    ws.write_string(top, 0, title, f["bold"])
    ws.write_string(top + 1, 0, head, f["head"])
    for j, st in enumerate(ORDER):
        ws.write_string(top + 1, 1 + j, labels[st], f[st.value])
    ws.set_row(top + 1, row_height([(labels[st], 12) for st in ORDER]))
    for i, (name, counts) in enumerate(rows):
        ws.write_string(top + 2 + i, 0, str(name), f["cell"])
        for j, st in enumerate(ORDER):
            ws.write_number(top + 2 + i, 1 + j, counts.get(st, 0), f["int"])
    return top + 2 + len(rows)


def _indicator_charts(wb: Any, con: Consolidation, assessments: list[Assessment], L: dict[str, str],
                      f: dict[str, Any], lang: str = "vi") -> None:
    from sdgxl.progress.assess import flatten, roadmap_points

    data = wb.add_worksheet(L["chart_data"])
    data.hide()
    charts = wb.add_worksheet(L["charts"])
    years = list(range(2015, 2031))
    data.write_row(0, 0, ["key", *years])
    rows = {r.key: r for r in con.rows}
    n = 0
    for a in flatten(assessments):
        row = rows.get(a.key)
        if row is None:  # an indicator whose components are charted one by one
            continue
        values = {y: c.value for y, c in row.years.items() if c.value is not None}
        if len([y for y in values if y >= 2015]) < 1 or a.status is Status.not_assessable:
            continue
        plan = roadmap_points(row.indicator, row.component)
        r = 1 + 2 * n
        data.write_string(r, 0, f"{a.key} {L['reported']}")
        data.write_string(r + 1, 0, f"{a.key} {L['roadmap']}")
        for i, y in enumerate(years):
            if y in values:
                data.write_number(r, 1 + i, values[y])
            if y in plan:
                data.write_number(r + 1, 1 + i, plan[y])
        chart = wb.add_chart({"type": "line"})
        chart.add_series({"name": L["reported"], "categories": [L["chart_data"], 0, 1, 0, len(years)],
                          "values": [L["chart_data"], r, 1, r, len(years)],
                          "line": {"color": "#1F618D", "width": 2.25},
                          "marker": {"type": "circle", "size": 5, "fill": {"color": "#1F618D"}}})
        chart.add_series({"name": L["roadmap"], "categories": [L["chart_data"], 0, 1, 0, len(years)],
                          "values": [L["chart_data"], r + 1, 1, r + 1, len(years)],
                          "line": {"color": "#7F8C8D", "dash_type": "dash", "width": 1.5},
                          "marker": {"type": "diamond", "size": 6}})
        chart.show_blanks_as("span")
        name = row.indicator.name_in(lang)  # the component is in the code ("3.9 (Nam)")
        short = name if len(name) <= 70 else name[:68] + "…"
        chart.set_title({"name": f"{display_code(con.catalogue, a.key, lang=lang)}: {short}",
                         "name_font": {"size": 9, "bold": True}})
        chart.set_legend({"position": "bottom", "font": {"size": 8}})
        chart.set_x_axis({"num_font": {"size": 7}})
        chart.set_y_axis({"num_font": {"size": 8}})
        chart.set_size({"width": 860, "height": 200})
        charts.insert_chart(1 + n * CHART_ROWS, 0, chart, {"x_offset": 4, "y_offset": 8})
        n += 1
    charts.write_string(0, 0, L["charts"], f["title"])
    charts.set_column(0, 0, 124)  # one wide column holds the charts, in Excel as in LibreOffice
    # three charts a page, a page break between, never a chart cut in two
    charts.set_landscape()
    charts.set_paper(9)
    charts.set_margins(0.4, 0.4, 0.6, 0.6)
    charts.set_print_scale(CHART_PRINT_SCALE)
    charts.set_h_pagebreaks([1 + k * CHARTS_A_PAGE * CHART_ROWS for k in range(1, -(-n // CHARTS_A_PAGE))])


def report_filename(year: int, lang: str = "vi") -> str:
    return f"{year}_bao-cao-tien-do-sdg.xlsx" if lang != "en" else f"{year}_sdg-progress-report.xlsx"


def write_report(con: Consolidation, assessments: list[Assessment], out_dir: Path, *, lang: str = "vi",
                 pdf: bool = True, templates: Path | str | None = None) -> tuple[Path, Path | None]:
    """The annual report (.xlsx, and a PDF through LibreOffice when available)."""
    L = load_texts(lang)["report"]
    labels = status_labels(lang)
    style = load_styles(templates)
    province = province_settings(con.year, templates)
    buf = io.BytesIO()
    wb = Workbook(buf)
    wb.set_properties({"title": L["report_title"].format(year=con.year), "created": dt.datetime(2000, 1, 1)})
    f = _fmt(wb, style.get("font", "Times New Roman"))
    ws = wb.add_worksheet(L["report"])
    ws.set_column(0, 0, 9)
    ws.set_column(1, 1, 52)
    ws.set_column(2, 2, 14)
    ws.set_column(3, 4, 10)
    ws.set_column(5, 5, 14)
    ws.set_column(6, 6, 20)
    ws.set_column(7, 7, 30)
    ws.merge_range(0, 0, 0, 7, L["report_title"].format(year=con.year), f["title"])
    ws.set_row(0, 32)
    prov = territory(province, lang)
    last = max((s.collected_at for s in con.submissions), default="")
    last_date = i18n.date(dt.date.fromisoformat(last[:10]), lang) if last else ""
    ws.merge_range(1, 0, 1, 7, L["report_sub"].format(province=prov, date=last_date), f["sub"])
    r = 3
    ws.write_string(r, 0, L["key"], f["bold"])
    r += 1
    assessed = [a for a in assessments if a.status is not Status.not_assessable]
    parts = ", ".join(f"{labels[st].lower()} {sum(a.status is st for a in assessed)}" for st in ORDER[:-1])
    done = sum(st.in_full for st in con.agencies)
    nd, nt = con.targets_reported()
    for line in (L["k_ind"].format(count=con.count.text(lang), year=con.year, m=con.with_data().indicators,
                                     n=con.count.indicators, rows=con.count.rows),  # n, rows: older texts
                 L["k_ass"].format(n=len(assessed), parts=parts),
                 L["k_ag"].format(done=done, total=len(con.agencies)),
                 L["k_targets"].format(done=nd, total=nt)):
        ws.merge_range(r, 0, r, 7, "• " + line, f["text"])
        ws.set_row(r, row_height([("• " + line, 159)]))
        r += 1
    r += 1
    ws.write_string(r, 0, L["off"], f["bold"])
    r += 1
    heads = ("col_code", "col_name", "col_agency", "col_latest", "col_year", "col_target", "col_status", "col_path")
    for c, h in enumerate(heads):
        ws.write_string(r, c, L[h], f["head"])
    r += 1
    off = [a for a in assessments if a.status in (Status.deterioration, Status.limited_progress)]
    for a in flatten(off):
        ind = con.catalogue.indicator(a.indicator)
        comp = next((c for c in ind.components if c.key == a.component), None)
        name = ind.name_in(lang) if comp is None else f"   – {comp.label_in(lang)}"
        ws.write_string(r, 0, display_code(con.catalogue, a.key, lang=lang), f["cell"])
        ws.write_string(r, 1, name, f["cell"])
        agencies = ", ".join(con.catalogue.agency(x).short_in(lang) for x in a.agencies)
        ws.write_string(r, 2, agencies, f["cell"])
        if a.latest:
            ws.write_number(r, 3, a.latest[1], f["num_whole" if float(a.latest[1]).is_integer() else "num"])
            ws.write_number(r, 4, a.latest[0], f["int"])
        else:
            ws.write_blank(r, 3, None, f["cell"])
            ws.write_blank(r, 4, None, f["cell"])
        ws.write_string(r, 5, a.target_in(lang), f["cell"])
        ws.write_string(r, 6, a.label(lang), f[a.status.value])
        ws.write_string(r, 7, a.milestone_text(lang), f["cell"])
        ws.set_row(r, row_height([(name, 52), (agencies, 14), (a.target_in(lang), 14),
                                  (a.label(lang), 20), (a.milestone_text(lang), 30)]))
        r += 1
    if not off:
        ws.write_string(r, 0, L["none"], f["text"])
        r += 1
    r += 1
    ws.write_string(r, 0, L["late"], f["bold"])
    r += 1
    chase = [st for st in con.agencies if st.to_chase]
    for st in chase:
        line = f"• {st.agency} – {st.name_in(lang)}: {st.reason(lang)}"
        ws.merge_range(r, 0, r, 7, line, f["text"])
        ws.set_row(r, row_height([(line, 159)]))
        r += 1
    if not chase:
        ws.write_string(r, 0, L["none"], f["text"])
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(0.4, 0.4, 0.5, 0.5)
    ws.fit_to_pages(1, 0)
    add_dashboard(wb, con, assessments, lang, style.get("font", "Times New Roman"))
    wb.close()
    path = out_dir / report_filename(con.year, lang)
    atomic_write_bytes(path, buf.getvalue())
    pdf_path: Path | None = None
    if pdf:
        from sdgxl import libreoffice

        if libreoffice.available():
            pdf_path = libreoffice.to_pdf(path, path.with_suffix(".pdf"))
    return path, pdf_path
