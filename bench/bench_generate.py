"""Benchmark: generating every agency's form for a year vs a bare xlsxwriter floor.

The floor writes the same cells (every label, roadmap text and formula of every form,
in the same places) with xlsxwriter in memory and no formats, validations, conditional
formats, protection or metadata. Run by hand:

    python bench/bench_generate.py [--repeat 7]

It prints the median seconds of each and the ratio (target: within 1.5x of the floor).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import xlsxwriter

from sdgxl.catalogue import bundled
from sdgxl.catalogue.load import catalogue_hash
from sdgxl.catalogue.models import cycle_date
from sdgxl.forms.generate import _check_formula, form_bytes, generate_forms
from sdgxl.forms.layout import COL, FIRST_ROW
from sdgxl.forms.spec import NarrativeRow, build_spec, narrative_layout
from sdgxl.resources import load_texts


def floor(specs, out: Path) -> None:
    """The same cells as sdgxl's forms (cover, indicator sheet, narrative sheet, metadata), nothing else."""
    texts = load_texts("vi")
    for spec in specs:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        cover = wb.add_worksheet("Hướng dẫn")
        c = texts["cover"]
        cells = [c["title"], c["subtitle"], *[c[k] for k in ("province", "agency", "year", "deadline",
                 "count", "send_to", "contact", "email", "phone", "address")], spec.agency_name,
                 c["how_title"], *c["how"], c["legend_title"], c["legend_input"], c["legend_locked"],
                 c["legend_missing"], c["legend_outlier"], c["check_title"], c["check_required"],
                 c["check_missing"], c["check_wrong"], c["check_status"], c["footer"]]
        for r, text in enumerate(cells):
            cover.write_string(r, 1, text)
        for r in range(4):
            cover.write_formula(40 + r, 2, "=SUM('Chỉ tiêu'!$P$6:$P$40)", None, 0)
        ws = wb.add_worksheet("Chỉ tiêu")
        d = texts["data"]
        for col, key in enumerate(("col_no", "col_target", "col_code", "col_name", "col_unit", "col_roadmap",
                                   "col_input", "col_value", "col_status", "col_source", "col_note",
                                   "col_check")):
            ws.write_string(3, col, d[key])
        r = FIRST_ROW
        goal = None
        for n, row in enumerate(spec.rows, start=1):
            if row.goal != goal:
                goal = row.goal
                ws.write_string(r, 0, d["goal"].format(number=goal, title=spec.goals[goal]))
                r += 1
            ws.write_number(r, COL["no"], n)
            for col, text in zip(("target", "code", "name", "unit", "r2015", "r2020", "r2025", "r2030"),
                                 row.label_cells(), strict=True):
                if text:
                    ws.write_string(r, COL[col], text)
            ws.write_formula(r, COL["check"], _check_formula(row, r + 1, texts), None, "")
            ws.write_string(r, COL["key"], row.key)
            ws.write_number(r, COL["flag"], 1)
            if row.band:
                ws.write_number(r, COL["lo"], row.band[0])
                ws.write_number(r, COL["hi"], row.band[1])
            r += 1
        if spec.narratives:  # the targets the agency leads or co-operates on (format 2)
            nw = wb.add_worksheet(spec.sheets["narrative"])
            for r, item in narrative_layout(spec.narratives):
                if not isinstance(item, NarrativeRow):
                    nw.write_string(r, 0, spec.goals.get(item, ""))
                    continue
                nw.write_number(r, 0, r)
                for c, text in enumerate((item.target, item.title, item.role, item.tasks), start=1):
                    if text:
                        nw.write_string(r, c, text)
                nw.write_string(r, 9, item.target)
                nw.write_number(r, 10, 1 if item.required else 0)
        meta = wb.add_worksheet("_sdgxl")
        for r, (k, v) in enumerate(spec.meta().items()):
            meta.write_string(r, 0, k)
            meta.write_string(r, 1, v)
        for r, row in enumerate(spec.rows, start=20):
            meta.write_row(r, 0, [r, row.key, row.indicator, row.component or "", row.unit_kind,
                                  row.minimum or 0, row.maximum or 0, int(row.whole), row.max_len])
        wb.close()
        (out / f"{spec.agency}.xlsx").write_bytes(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--year", type=int, default=2026)
    args = ap.parse_args()
    cat = bundled()
    h = catalogue_hash(cat)
    on = cycle_date(args.year)  # the agencies of that year's cycle (after the 2025 reform: its successors)
    assigned = cat.indicators_by_agency(on)
    specs = [sp for a in cat.form_agencies(on)  # what generate_forms writes: narratives-only forms too
             if (sp := build_spec(cat, a, args.year, cat_hash=h, assigned=assigned.get(a, []))).rows or sp.narratives]
    form_bytes(specs[0], password="x")  # warm up imports and caches
    sdgxl_t, floor_t = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            d1, d2 = Path(tmp) / f"s{i}", Path(tmp) / f"f{i}"
            d2.mkdir()
            t0 = time.perf_counter()
            generate_forms(cat, args.year, d1)
            sdgxl_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            floor(specs, d2)
            floor_t.append(time.perf_counter() - t0)
    s, f = statistics.median(sdgxl_t), statistics.median(floor_t)
    print(f"forms: {len(specs)} agencies, {sum(len(sp.rows) for sp in specs)} input rows")
    print(f"sdgxl generate : {s * 1000:8.1f} ms (median of {args.repeat})")
    print(f"xlsxwriter floor: {f * 1000:8.1f} ms")
    print(f"ratio          : {s / f:8.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
