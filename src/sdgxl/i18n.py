"""Texts and formatting in Vietnamese (default) and English: the one home for both.

* ``t("key", lang, **params)`` returns a message of :data:`MESSAGES`; Vietnamese is the
  reference text and every key has both languages (a test checks it).
* :func:`number` and :func:`date` are the one number and date formatter per language:
  Vietnamese ``9,78``, ``1.234``, ``30/11/2026``; English ``9.78``, ``1,234``, ``2026-11-30``.
* :func:`render` fills a template with *typed* parameters at the edge (terminal, JSON,
  workbook, feedback): problems are stored as data (numbers, ranges, ids) and become words
  only when shown, in the reader's language. A parameter is rendered by its type and the
  field's format spec:

  ========================  =====================================================
  ``{x}``                   float → :func:`number`; int → digits (a year, a count);
                            None → empty; str → as is (data, never reinterpreted)
  ``{x:range}``             ``[lo, hi]`` → ``lo – hi`` (None → −∞ / ∞)
  ``{x:or}`` / ``{x:and}``  a list, each item rendered, joined by `` / `` or ``, ``
  ``{x:statuses}``          data-status codes → their labels in the language
  ``{x:when}``              a UTC ISO 8601 time → :func:`datetime` in Vietnam time
  ``{x}`` with a dict       ``{"t": key, **params}``: the message ``key`` rendered with
                            those params; ``{"vi": …, "en": …}``: a text given in both
                            languages (issues recorded before parameters were typed)
  ========================  =====================================================
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import string
from collections.abc import Mapping
from typing import Any, Literal

Lang = Literal["vi", "en"]

__all__ = ["MESSAGES", "Lang", "date", "default_lang", "number", "render", "t"]

MESSAGES: dict[str, tuple[str, str]] = {
    # CLI
    "catalogue_ok": ("Danh mục hợp lệ: {path} ({goals} mục tiêu, {targets} mục tiêu cụ thể, "
                     "{indicators} chỉ tiêu, {agencies} cơ quan).",
                     "Catalogue is valid: {path} ({goals} goals, {targets} targets, "
                     "{indicators} indicators, {agencies} agencies)."),
    "catalogue_bad": ("Danh mục {path} có {n} lỗi:", "Catalogue {path} has {n} problem(s):"),
    "written": ("Đã ghi {path}", "Wrote {path}"),
    "no_match": ("Không có chỉ tiêu nào khớp bộ lọc.", "No indicator matches the filter."),
    "unknown_agency": ("Không có cơ quan mã {agency} trong danh mục. Các mã: {ids}",
                       "No agency with id {agency} in the catalogue. Ids: {ids}"),
    "unknown_goal": ("Không có mục tiêu {goal} (1–17).", "No goal {goal} (1–17)."),
    "bad_format": ("Định dạng không hỗ trợ: {fmt}. Chọn một trong: {choices}",
                   "Unsupported format: {fmt}. Choose one of: {choices}"),
    "internal_error": ("Lỗi nội bộ của sdgxl ({kind}). Chi tiết đã ghi vào {log}; "
                       "hãy gửi tệp này cho bộ phận kỹ thuật.",
                       "sdgxl internal error ({kind}). Details were written to {log}; "
                       "please send that file to technical support."),
    "forms_written": ("Đã tạo {n} biểu mẫu năm {year} trong {out}", "Generated {n} form(s) for {year} in {out}"),
    "ledger_busy": ("Sổ theo dõi đang bị một chương trình khác giữ (DB Browser, sqlite3, một lần tổng hợp khác…); "
                    "chờ tối đa {wait} giây (--wait).",
                    "The ledger is held by another program (DB Browser, sqlite3, another collect…); "
                    "waiting up to {wait} s (--wait)."),
    "demo_title": ("sdgxl demo: toàn bộ chu trình báo cáo trên dữ liệu mẫu",
                   "sdgxl demo: the whole reporting cycle on sample data"),
    # words inside issue messages (parameters of the checks, see sdgxl.validate.checks)
    "why_ole2": ("OLE2 (tài liệu Word/Office 97-2003 khác?)", "OLE2 (Word/other Office 97-2003 document?)"),
    "why_empty": ("tệp rỗng (0 byte)", "empty file (0 bytes)"),
    "why_not_zip": ("{suffix}, {what}", "{suffix}, {what}"),
    "no_suffix": ("không có đuôi", "no extension"),
    "text_other": ("văn bản/khác", "text/other"),
    "why_file_size": ("{mib} MiB", "{mib} MiB"),
    "why_part_size": ("{part}: {mib} MiB", "{part}: {mib} MiB"),
    "why_zip_entries": ("{n} phần trong tệp zip", "{n} parts in the zip file"),
    "why_zip_total": ("{mib} MiB sau giải nén", "{mib} MiB uncompressed"),
    "why_zip_ratio": ("{part}: tỉ lệ nén {ratio}:1", "{part}: compression ratio {ratio}:1"),
    "why_not_regular": ("không phải tệp thông thường (FIFO, thiết bị, thư mục); tệp không được mở",
                        "not a regular file (a FIFO, a device, a folder); it was not opened"),
    "why_duplicate_part": ("zip: hai phần trùng tên", "zip: two parts of the same name"),
    "why_sheet_part": ("sheet \"{sheet}\": không tìm thấy phần XML", "sheet \"{sheet}\": its XML part is missing"),
    "why_memory": ("vượt giới hạn bộ nhớ", "over the memory limit"),
    "why_sheet_size": ("sheet \"{sheet}\": {rows} × {cols}", "sheet \"{sheet}\": {rows} × {cols}"),
    "maybe_agency": (" – có thể của {name} ({id})", " – perhaps from {id}"),
    "field_value": ("{field} \"{value}\"", "{field} \"{value}\""),
    "form_id_mismatch": ("form_id \"{found}\" ≠ {expected}", "form_id \"{found}\" ≠ {expected}"),
    "previous_value": ("{year}: {value}", "{year}: {value}"),
    # table headers
    "h_code": ("Mã", "Code"),
    "h_indicator": ("Chỉ tiêu", "Indicator"),
    "h_unit": ("Đơn vị tính", "Unit"),
    "h_kind": ("Loại", "Kind"),
    "h_agencies": ("Cơ quan báo cáo", "Reporting agencies"),
    "h_id": ("Mã", "Id"),
    "h_name": ("Tên", "Name"),
    "h_short": ("Tên ngắn", "Short name"),
    "h_count": ("Số chỉ tiêu", "Indicators"),
    "h_file": ("Tệp", "File"),
    "h_agency": ("Cơ quan", "Agency"),
    "h_rows": ("Số dòng nhập", "Input rows"),
}


def default_lang() -> Lang:
    return "en" if os.environ.get("SDGXL_LANG", "vi").lower().startswith("en") else "vi"


def t(key: str, lang: str = "vi", **values: object) -> str:
    vi, en = MESSAGES[key]
    text = en if lang == "en" else vi
    return render(text, values, lang) if values else text


# --------------------------------------------------------------------------- numbers and dates
def number(value: float, lang: str = "vi") -> str:
    """A number as people of ``lang`` write it: up to 10 significant digits, thousands grouped
    (vi ``1.234,5``; en ``1,234.5``); whole floats without a fraction."""
    v = float(value)
    if not math.isfinite(v):
        return "∞" if v > 0 else "−∞" if v < 0 else "NaN"
    text = f"{v:,.10g}" if abs(v) >= 1000 else f"{v:.10g}"
    if "e" in text:  # beyond 10 digits: 1.5e+20 stays scientific
        text = f"{v:.10g}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def date(value: _dt.date, lang: str = "vi") -> str:
    """A date: vi ``30/11/2026``, en ``2026-11-30`` (ISO 8601, unambiguous)."""
    return value.strftime("%d/%m/%Y") if lang != "en" else value.strftime("%Y-%m-%d")


def datetime(value: _dt.datetime, lang: str = "vi") -> str:
    """A date and time to the minute: vi ``30/11/2026 09:30``, en ``2026-11-30 09:30``."""
    return f"{date(value, lang)} {value.strftime('%H:%M')}"


# --------------------------------------------------------------------------- typed parameters
def show(value: Any, lang: str = "vi", spec: str = "") -> str:
    """One parameter as text in ``lang`` (see the module's table)."""
    if spec == "range":
        lo, hi = value
        return (f"{number(lo, lang) if lo is not None else '−∞'} – "
                f"{number(hi, lang) if hi is not None else '∞'}")
    if spec in ("or", "and"):
        return (" / " if spec == "or" else ", ").join(show(v, lang) for v in value)
    if spec == "when":  # a UTC ISO 8601 time, shown in Vietnam time
        when = _dt.datetime.fromisoformat(str(value)).astimezone(_dt.timezone(_dt.timedelta(hours=7)))
        return datetime(when, lang)
    if spec == "statuses":
        from sdgxl.resources import status_labels

        labels = status_labels(lang)
        return " / ".join(labels.get(str(code), str(code)) for code in value)
    if value is None:
        return ""
    if isinstance(value, float):
        return number(value, lang)
    if isinstance(value, dict):
        if "t" in value:
            return t(str(value["t"]), lang, **{k: v for k, v in value.items() if k != "t"})
        text = value.get("en") if lang == "en" else None
        return str(text if text is not None else value.get("vi", ""))
    return str(value)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key))  # a parameter not given renders empty

    def format_field(self, value: Any, format_spec: str) -> str:
        return show(value, self.lang, format_spec)


_FORMATTERS = {"vi": _Formatter("vi"), "en": _Formatter("en")}


def render(template: str, params: Mapping[str, Any], lang: str = "vi") -> str:
    """``template`` with its ``{fields}`` filled from ``params`` in ``lang``."""
    return _FORMATTERS["en" if lang == "en" else "vi"].vformat(template, (), params)


def fields(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
