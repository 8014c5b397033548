"""Messages in Vietnamese (default) and English.

``t("key", lang, **values)`` returns the message; Vietnamese is the reference text and
every key has both languages (a test checks it).
"""

from __future__ import annotations

import os
from typing import Literal

Lang = Literal["vi", "en"]

__all__ = ["MESSAGES", "Lang", "default_lang", "t"]

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
    return text.format(**values) if values else text
