"""The catalogue as an Excel workbook, so a planning officer can maintain it in Excel.

``export_xlsx`` writes one sheet per table (goals, targets, indicators, components,
agencies, agency changes) with the field names in row 1; ``import_xlsx`` reads it back
and reports every problem at its sheet and cell (``Chỉ tiêu!G14``). Roadmap cells are
kept as the text printed in the plan and parsed again on import.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sdgxl.catalogue.models import CROSSWALK_RELATIONS, CROSSWALK_SCHEMES, ROADMAP_YEARS, Catalogue, UnitKind
from sdgxl.catalogue.roadmap import parse_roadmap
from sdgxl.errors import CatalogueError, CatalogueProblem
from sdgxl.fileio import atomic_path

__all__ = ["SHEETS", "export_xlsx", "import_xlsx"]

ROAD = [f"roadmap_{y}" for y in ROADMAP_YEARS]
AIM_FIELDS = ("year", "kind", "value", "operator", "low", "high", "per_years")
AIM = [f"aim_{f}" for f in AIM_FIELDS]

# sheet name → (catalogue field, columns)
SHEETS: dict[str, tuple[str, list[str]]] = {
    "Mục tiêu": ("goals", ["number", "title", "title_en"]),
    "Mục tiêu cụ thể": ("targets", ["number", "code", "goal", "title", "title_en", "priority", "lead_agencies",
                                    "cooperating_agencies", "cooperating_other", "has_indicators", "note",
                                    "tasks", "tasks_lines"]),
    "Chỉ tiêu": ("indicators", ["code", "code_printed", "target", "name", "name_en", "unit", "unit_printed",
                                "unit_kind", "agencies", "unassigned", "priority", "direction",
                                "max_text_length", *ROAD, *AIM, "aim_note"]),
    "Thành phần": ("components", ["indicator", "key", "label", "label_en", "unit", "unit_kind", "agency",
                                  "dimensions", *ROAD, *AIM]),
    "Đối chiếu": ("crosswalk", ["indicator", "scheme", "code", "relation", "series", "dimensions",
                                "unit_measure", "source", "note"]),
    "Cơ quan": ("agencies", ["id", "name", "name_en", "short", "aliases", "email", "reports", "until"]),
    "Thay đổi cơ quan": ("successions", ["old", "new", "effective", "indicators", "function", "note", "source"]),
}
# Readable headers (Vietnamese, English) of a sheet's columns, by field key, for the sheets a
# planner fills by hand; the import accepts the header in either language and the bare key
# (the header of workbooks exported before, already filled). The sheet names stay Vietnamese
# in both languages: the import finds each table by its sheet name, and one workbook passes
# between officers reading either language.
HEADERS: dict[str, dict[str, tuple[str, str]]] = {
    "crosswalk": {
        "indicator": ("Mã chỉ tiêu", "Indicator code"),
        "scheme": ("Hệ mã", "Code scheme"),
        "code": ("Mã đối chiếu", "Mapped code"),
        "relation": ("Quan hệ", "Relation"),
        "series": ("Chuỗi SDMX", "SDMX series"),
        "dimensions": ("Phân tổ", "Disaggregation"),
        "unit_measure": ("Đơn vị SDMX", "SDMX unit"),
        "source": ("Nguồn đối chiếu", "Source of the mapping"),
        "note": ("Ghi chú", "Note"),
    },
}
META_SHEET = "Thông tin"
LIST_FIELDS = {"lead_agencies", "cooperating_agencies", "cooperating_other", "agencies", "aliases", "indicators"}
DICT_FIELDS = {"dimensions"}
OPTIONAL_SHEETS = {"successions", "crosswalk"}  # workbooks of earlier versions lack them
BOOL_FIELDS = {"has_indicators", "unassigned", "reports"}
LINE_FIELDS = {"tasks"}  # a list written one item a line (the items may hold "|")
OPTIONAL = {"tasks", "tasks_lines", "label_en", "until"}  # columns a workbook exported before they existed lacks
HELP = [
    ("Sheet", "Nội dung"),
    ("Thông tin", "Mã danh mục (id), tên kế hoạch, tỉnh, số văn bản, ngày ban hành."),
    ("Mục tiêu", "17 mục tiêu: số (1–17) và tên."),
    ("Mục tiêu cụ thể", "Mục tiêu cụ thể: số thứ tự, mã (8.10), mục tiêu (số), tên, loại (MTUT/MTKK), "
                        "cơ quan chủ trì và phối hợp (mã cơ quan, cách nhau bằng dấu |)."),
    ("Chỉ tiêu", "Chỉ tiêu giám sát: mã chuẩn hóa (1.1a), mã như in, mục tiêu cụ thể, tên, đơn vị tính, "
                 "loại đơn vị (percentage, rate_of_change, index, count, rate_per_population, money, "
                 "quantity, multiple, qualitative), cơ quan báo cáo (mã, cách nhau bằng |), lộ trình "
                 "2015/2020/2025/2030 ghi như trong kế hoạch (9,78; >85; 65-70; Giảm 20% so với …), "
                 "chiều mong muốn (direction: increase, decrease, maintain, range) và mục tiêu đã đọc "
                 "(aim_kind: level, range, bound, annual_rate, relative_change; aim_year, aim_value, "
                 "aim_operator, aim_low, aim_high, aim_per_years)."),
    ("Thành phần", "Chỉ tiêu có nhiều giá trị (2.4 lúa : rau : trái cây): mỗi thành phần một dòng."),
    ("title_en, name_en, label_en", "Tên tiếng Anh của mục tiêu cụ thể, chỉ tiêu, thành phần (cho bản tiếng Anh, "
                                    "Open SDG). Không bắt buộc: chỗ để trống, bản tiếng Anh dùng tên tiếng Việt và "
                                    "`sdgxl catalogue check` nêu cảnh báo. Ghi nguồn của bản dịch ở "
                                    "source.translation_en (sheet Thông tin)."),
    ("Cơ quan", "Cơ quan: mã (chữ in hoa không dấu), tên đầy đủ, tên ngắn, các cách viết khác (|); until: ngày "
                "cơ quan thôi tồn tại mà không có cơ quan kế thừa (YYYY-MM-DD, vd. UBND cấp huyện 2025-07-01)."),
    ("Thay đổi cơ quan", "Sáp nhập/đổi tên: mã cũ, mã mới, ngày hiệu lực (YYYY-MM-DD), nguồn. Cơ quan tách theo "
                         "chức năng: một dòng không ghi chỉ tiêu (cơ quan nhận mặc định), rồi mỗi phần chuyển đi "
                         "một dòng cùng mã cũ và ngày, ghi chỉ tiêu (1.1a | 4.3#day-nghe) và chức năng."),
    ("Đối chiếu", "Đối chiếu chỉ tiêu của tỉnh với chỉ tiêu quốc gia và toàn cầu, mỗi dòng một đối chiếu: hệ mã "
                  "(vn2019 = Thông tư 03/2019/TT-BKHĐT, vn2025 = Thông tư 02/2025/TT-BKHĐT, global = khung "
                  "chỉ tiêu toàn cầu), mã (16.8.1; 3.a.1), quan hệ (exact = cùng một chỉ tiêu, proxy = chỉ "
                  "tiêu thay thế gần đúng, partial = một phần), nguồn (bắt buộc: văn bản đã đối chiếu); với "
                  "global có thể ghi chuỗi SDMX (SG_REG_BRTH), phân tổ (AGE=Y0T4; SEX=F) và đơn vị (PT). "
                  "Dòng chỉ có mã chỉ tiêu là chỗ để điền; để trống nếu chưa đối chiếu được."),
]


def _cell(value: Any, col: str = "") -> Any:
    if col in LINE_FIELDS and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if col == "tasks_lines" and isinstance(value, tuple):
        return f"{value[0]}-{value[1]}"
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, UnitKind):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


REVIEW_SHEET = "Hợp nhất"
REVIEW_COLUMNS = ["kind", "code", "other_plan", "other_code", "draft", "other", "note"]


def header_label(field: str, col: str, lang: str = "vi") -> str:
    """The header of column ``col`` of ``field``'s sheet in ``lang`` (the key where it has none)."""
    pair = HEADERS.get(field, {}).get(col)
    return (pair[1] if lang == "en" else pair[0]) if pair else col


def _header_key(field: str, text: str) -> str:
    """The field key a header cell names: the key itself, or its header in either language."""
    folded = unicodedata.normalize("NFC", " ".join(text.split())).casefold()
    for key, pair in HEADERS.get(field, {}).items():
        if folded in (key.casefold(), pair[0].casefold(), pair[1].casefold()):
            return key
    return text.strip()


def export_xlsx(cat: Catalogue, path: Path | str, review: list[dict[str, str]] | None = None,
                lang: str = "vi") -> Path:
    """Write ``cat`` as an editable workbook (deterministic bytes). ``review``: the rows of a
    merge draft's review (``sdgxl catalogue merge``), on a first sheet the import ignores.
    ``lang``: the language of the readable headers (:data:`HEADERS`); sheet names stay Vietnamese."""
    from sdgxl.xlsxw import Workbook

    path = Path(path)
    data = cat.model_dump(mode="python")
    comp_rows = []
    for ind in cat.indicators:
        for comp in ind.components:
            row = {"indicator": ind.code, **comp.model_dump(mode="python", exclude={"roadmap", "aim"})}
            row.update({f"roadmap_{y}": comp.roadmap[y].text if y in comp.roadmap else "" for y in ROADMAP_YEARS})
            row.update(_aim_cells(comp.aim))
            comp_rows.append(row)
    xw_rows: list[dict[str, Any]] = []
    for ind in cat.indicators:
        for m in ind.crosswalk:
            xw_rows.append({"indicator": ind.code, **m.model_dump(mode="python")})
        if not ind.crosswalk:  # a row for the planner to complete
            xw_rows.append({"indicator": ind.code})
    with atomic_path(path) as tmp:
        wb = Workbook(str(tmp))
        wb.set_properties({"title": cat.source.title, "created": dt.datetime(2000, 1, 1)})
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_name": "Times New Roman"})
        body = wb.add_format({"font_name": "Times New Roman", "valign": "top"})
        if review is not None:
            ws = wb.add_worksheet(REVIEW_SHEET)
            ws.write_row(0, 0, REVIEW_COLUMNS, head)
            ws.freeze_panes(1, 0)
            for r, item in enumerate(review, start=1):
                for ci, col in enumerate(REVIEW_COLUMNS):
                    ws.write_string(r, ci, str(item.get(col, "")), body)
            for ci, width in enumerate((12, 8, 16, 10, 60, 60, 40)):
                ws.set_column(ci, ci, width)
        ws = wb.add_worksheet(META_SHEET)
        meta = [("format", cat.format), ("version", cat.version), ("id", cat.id)]
        meta += [(f"source.{k}", _cell(v)) for k, v in cat.source.model_dump().items()]
        ws.write_row(0, 0, ["field", "value"], head)
        for r, (k, v) in enumerate(meta, start=1):
            ws.write_string(r, 0, k, body)
            ws.write(r, 1, "" if v is None else v, body)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 90)
        for sheet, (field, cols) in SHEETS.items():
            ws = wb.add_worksheet(sheet)
            ws.write_row(0, 0, [header_label(field, c, lang) for c in cols], head)
            ws.freeze_panes(1, 0)
            if field == "components":
                rows = comp_rows
            elif field == "crosswalk":
                rows = xw_rows
            elif field == "indicators":
                rows = []
                for ind, raw in zip(cat.indicators, data["indicators"], strict=True):
                    row = dict(raw)
                    row.update({f"roadmap_{y}": ind.roadmap[y].text if y in ind.roadmap else ""
                                for y in ROADMAP_YEARS})
                    row.pop("aim", None)
                    row.update(_aim_cells(ind.aim))
                    rows.append(row)
            elif field == "successions":
                rows = _succession_rows(cat)
            else:
                rows = data[field]
            for r, row in enumerate(rows, start=1):
                for ci, col in enumerate(cols):
                    v = _cell(row.get(col), col)
                    if v is None or v == "":
                        continue
                    if isinstance(v, str):
                        ws.write_string(r, ci, v, body)
                    else:
                        ws.write(r, ci, v, body)
            for ci, col in enumerate(cols):
                ws.set_column(ci, ci, 60 if col in ("title", "name") else 16)
            if "unit_kind" in cols:
                ci = cols.index("unit_kind")
                ws.data_validation(1, ci, 2000, ci, {"validate": "list",
                                                     "source": [k.value for k in UnitKind]})
            if field == "crosswalk":
                for col, choices in (("scheme", list(CROSSWALK_SCHEMES)), ("relation", list(CROSSWALK_RELATIONS))):
                    ci = cols.index(col)
                    ws.data_validation(1, ci, 5000, ci, {"validate": "list", "source": choices,
                                                         "error_type": "warning"})
        ws = wb.add_worksheet("Hướng dẫn")
        for r, (a, b) in enumerate(HELP):
            ws.write_string(r, 0, a, head if r == 0 else body)
            ws.write_string(r, 1, b, head if r == 0 else body)
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 120)
        wb.close()
    return path


def _succession_rows(cat: Catalogue) -> list[dict[str, Any]]:
    """A succession as rows: the default successor, then one row per part split off."""
    rows: list[dict[str, Any]] = []
    for s in cat.successions:
        rows.append({"old": s.old, "new": s.new, "effective": s.effective, "note": s.note, "source": s.source})
        rows.extend({"old": s.old, "new": p.new, "effective": s.effective, "indicators": p.indicators,
                     "function": p.function} for p in s.split)
    return rows


def _successions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the succession sheet back into successions (grouped by old agency and date)."""
    out: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in rows:
        key = (row.get("old"), row.get("effective"))
        item = out.setdefault(key, {"old": row.get("old"), "effective": row.get("effective"), "split": []})
        if row.get("indicators"):
            item["split"].append({k: row[k] for k in ("new", "function", "indicators") if row.get(k) is not None})
        else:
            item.update({k: row[k] for k in ("new", "note", "source") if row.get(k) is not None})
    return list(out.values())


def _aim_cells(aim: Any) -> dict[str, Any]:
    if aim is None:
        return {}
    return {f"aim_{f}": getattr(aim, f) for f in AIM_FIELDS}


def _aim_of(rec: dict[str, Any]) -> dict[str, Any] | None:
    """The aim of a sheet row (its aim_* cells), or None when the row has none."""
    cells = {f: rec.get(f"aim_{f}") for f in AIM_FIELDS}
    if all(v is None for v in cells.values()):
        return None
    return {f: v for f, v in cells.items() if v is not None}


def _parse_cell(col: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [] if col in LIST_FIELDS | LINE_FIELDS else ({} if col in DICT_FIELDS else None)
    if col in DICT_FIELDS:
        pairs = [p.partition("=") for p in str(value).split(";") if p.strip()]
        return {k.strip(): v.strip() for k, _, v in pairs}
    if col in LINE_FIELDS:
        return [p.strip() for p in str(value).split("\n") if p.strip()]
    if col == "tasks_lines":
        return [p.strip() for p in str(value).split("-")]
    if col in LIST_FIELDS:
        return [p.strip() for p in str(value).split("|") if p.strip()]
    if col in BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"có", "co", "true", "1", "yes", "x"}
    if isinstance(value, float) and value.is_integer() and col in {"number", "goal", "max_text_length", "aim_year",
                                                                    "aim_per_years"}:
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    if col in {"code", "target", "indicator", "code_printed", "key", "id", "old", "new"}:
        return str(value)
    return value


def import_xlsx(path: Path | str) -> Catalogue:
    """Read a workbook written by :func:`export_xlsx` (and edited in Excel)."""
    return read_xlsx(path)[0]


def _row_review(tables: dict[str, list[dict[str, Any]]],
                positions: dict[tuple[str, int], tuple[str, int, list[str]]],
                english: bool = True) -> list[CatalogueProblem]:
    """What ``catalogue check`` reviews that the schema accepts (an empty direction; with
    ``english``, the warnings for an empty English title), at its cell, so that it is reported
    beside the schema's problems and with its place."""
    from openpyxl.utils import get_column_letter

    def where(field: str, idx: int, col: str, code: object) -> str:
        sheet, row, header = positions[(field, idx)]
        letter = get_column_letter(header.index(col) + 1) if col in header else None
        return (f"{sheet}!{letter}{row}" if letter else f"{sheet}!{row}") + f" ({code})"

    out = [CatalogueProblem(where("indicators", idx, "direction", ind.get("code")), "cat_no_direction")
           for idx, ind in enumerate(tables.get("indicators", [])) if ind.get("direction") in (None, "")]
    if english:
        for field, col, code in (("targets", "title_en", "code"), ("indicators", "name_en", "code"),
                                 ("components", "label_en", "key")):
            out.extend(CatalogueProblem(where(field, idx, col, rec.get(code) if field != "components" else
                                              f"{rec.get('indicator')}#{rec.get(code)}"),
                                        "cat_no_english", {"field": col}, "warning")
                       for idx, rec in enumerate(tables.get(field, [])) if not rec.get(col))
    return out


def read_xlsx(path: Path | str) -> tuple[Catalogue, list[CatalogueProblem]]:
    """:func:`import_xlsx`, with the review's problems found in the rows at their cells (an
    empty direction: ``Chỉ tiêu!L6 (2.1)``). When the file does not load, they are raised
    with the schema's problems, every problem at once."""
    import openpyxl

    path = Path(path)
    problems: list[CatalogueProblem] = []
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:
        raise CatalogueError(str(path), [CatalogueProblem("(file)", "cat_cannot_open",
                                                          {"reason": type(exc).__name__})]) from None
    positions: dict[tuple[str, int], tuple[str, int, list[str]]] = {}
    data: dict[str, Any] = {}
    try:
        if META_SHEET not in wb.sheetnames:
            problems.append(CatalogueProblem(META_SHEET, "cat_sheet_missing"))
        else:
            source: dict[str, Any] = {}
            for row in wb[META_SHEET].iter_rows(min_row=2, values_only=True):
                if not row or row[0] is None:
                    continue
                key, value = str(row[0]), row[1] if len(row) > 1 else None
                if isinstance(value, dt.datetime):
                    value = value.date()
                if key.startswith("source."):
                    source[key[7:]] = value
                else:
                    data[key] = int(value) if key == "version" and isinstance(value, float) else value
            data["source"] = source
        tables: dict[str, list[dict[str, Any]]] = {}
        for sheet, (field, cols) in SHEETS.items():
            rows: list[dict[str, Any]] = []
            tables[field] = rows
            if sheet not in wb.sheetnames:
                if field not in OPTIONAL_SHEETS:
                    problems.append(CatalogueProblem(sheet, "cat_sheet_missing"))
                continue
            it = wb[sheet].iter_rows(values_only=True)
            header = [_header_key(field, str(h)) if h is not None else "" for h in next(it, ())]
            missing = [c for c in cols if c not in header and c not in OPTIONAL]
            if missing:
                problems.append(CatalogueProblem(f"{sheet}!1", "cat_columns_missing", {"columns": missing}))
                continue
            for excel_row, values in enumerate(it, start=2):
                if not values or all(v is None or str(v).strip() == "" for v in values):
                    continue
                rec = {h: _parse_cell(h, values[i] if i < len(values) else None)
                       for i, h in enumerate(header) if h}
                positions[(field, len(rows))] = (sheet, excel_row, header)
                rows.append(rec)
    finally:
        wb.close()
    if problems:
        raise CatalogueError(str(path), problems + _row_review(tables, positions, english=False))
    located = _row_review(tables, positions)

    xw_by_ind: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for n, x in enumerate(tables.get("crosswalk", [])):
        if any(x.get(k) for k in ("scheme", "code", "relation", "series", "source")):  # else: still to complete
            xw_by_ind.setdefault(str(x.get("indicator")), []).append((n, x))
    comps_by_ind: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for n, c in enumerate(tables["components"]):
        comps_by_ind.setdefault(str(c.get("indicator")), []).append((n, c))
    indicators = []
    for ind in tables["indicators"]:
        rec = {k: v for k, v in ind.items() if not k.startswith(("roadmap_", "aim_")) and v is not None}
        if ind.get("aim_note") is not None:
            rec["aim_note"] = ind["aim_note"]
        rec["roadmap"] = {y: parse_roadmap(ind.get(f"roadmap_{y}") or "") for y in ROADMAP_YEARS}
        if (aim := _aim_of(ind)) is not None:
            rec["aim"] = aim
        comps = []
        for _, c in comps_by_ind.get(str(ind.get("code")), []):
            crec = {k: v for k, v in c.items() if k != "indicator" and not k.startswith(("roadmap_", "aim_"))
                    and v is not None}
            crec["roadmap"] = {y: parse_roadmap(c.get(f"roadmap_{y}") or "") for y in ROADMAP_YEARS}
            if (caim := _aim_of(c)) is not None:
                crec["aim"] = caim
            comps.append(crec)
        rec["components"] = comps
        rec["crosswalk"] = [{k: ("" if v is None and k == "source" else v) for k, v in x.items()
                             if k != "indicator" and (v is not None or k == "source")}
                            for _, x in xw_by_ind.get(str(ind.get("code")), [])]
        indicators.append(rec)
    data["goals"] = [{k: v for k, v in g.items() if v is not None} for g in tables["goals"]]
    data["targets"] = [{k: v for k, v in t.items() if v is not None} for t in tables["targets"]]
    data["agencies"] = [{k: v for k, v in a.items() if v is not None} for a in tables["agencies"]]
    data["successions"] = _successions(tables["successions"])
    data["indicators"] = indicators
    try:
        return Catalogue.model_validate(data), located
    except ValidationError as exc:
        for e in exc.errors():
            problems.append(_locate(e, positions, comps_by_ind, tables, xw_by_ind))
        raise CatalogueError(str(path), problems + [p for p in located if p.severity == "error"]) from None


def _locate(err: Any, positions: dict[tuple[str, int], tuple[str, int, list[str]]],
            comps_by_ind: dict[str, list[tuple[int, dict[str, Any]]]],
            tables: dict[str, list[dict[str, Any]]],
            xw_by_ind: dict[str, list[tuple[int, dict[str, Any]]]] | None = None) -> CatalogueProblem:
    from openpyxl.utils import get_column_letter

    loc = tuple(err["loc"])
    where = "(catalogue)"
    if len(loc) >= 2 and isinstance(loc[1], int) and (loc[0], loc[1]) in positions:
        field, idx = str(loc[0]), int(loc[1])
        sheet, row, header = positions[(field, idx)]
        col = str(loc[2]) if len(loc) > 2 else None
        if field == "indicators" and col == "components" and len(loc) > 3 and isinstance(loc[3], int):
            code = str(tables["indicators"][idx].get("code"))
            cidx = comps_by_ind[code][loc[3]][0]
            sheet, row, header = positions[("components", cidx)]
            col = str(loc[4]) if len(loc) > 4 else None
        elif field == "indicators" and col == "crosswalk" and xw_by_ind is not None:
            code = str(tables["indicators"][idx].get("code"))
            mine = xw_by_ind.get(code, [])
            k = loc[3] if len(loc) > 3 and isinstance(loc[3], int) else 0
            if k < len(mine) and ("crosswalk", mine[k][0]) in positions:
                sheet, row, header = positions[("crosswalk", mine[k][0])]
                col = str(loc[4]) if len(loc) > 4 and isinstance(loc[4], str) else None
                if col is None and str(err["type"]) in ("crosswalk_relation", "crosswalk_code", "crosswalk_source",
                                                        "crosswalk_scheme"):
                    col = str(err["type"]).removeprefix("crosswalk_")
                elif col is None:  # the column a crosswalk problem is in
                    col = {"crosswalk_series": "series", "crosswalk_series_missing": "series",
                           "crosswalk_series_unknown": "series", "crosswalk_dimension": "dimensions",
                           "crosswalk_dimension_code": "dimensions",
                           "crosswalk_unit_unknown": "unit_measure"}.get(str(err["type"]))
        if col == "roadmap" and len(loc) > 3:
            col = f"roadmap_{loc[3]}"
        if col in header:
            where = f"{sheet}!{get_column_letter(header.index(col) + 1)}{row}"
        else:
            where = f"{sheet}!{row}" + (f" › {col}" if col else "")
    elif loc:
        where = " › ".join(str(x) for x in loc)
    return CatalogueProblem.from_pydantic(where, err)
