"""Validation problems as data: every check has a stable code, a severity and messages.

An :class:`Issue` is one problem found in one returned file: its check code, where it is
(sheet, cell, indicator, component), the offending value, and a message in Vietnamese or
English rendered from the check's template. ``docs/checks.md`` documents every code; a
test keeps that table and :data:`CHECKS` in sync.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

__all__ = ["CHECKS", "Check", "Issue", "Severity", "issue_from_row"]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    scope: Literal["file", "row", "value"]
    vi: str
    en: str


def _c(code: str, severity: Severity, scope: Literal["file", "row", "value"], vi: str, en: str) -> Check:
    return Check(code, severity, scope, vi, en)


CHECKS: dict[str, Check] = {c.code: c for c in [
    # ---------------------------------------------------------------- the file
    _c("file-unreadable", "error", "file",
       "Không đọc được tệp (tệp hỏng hoặc gửi thiếu): {detail}. Đề nghị gửi lại tệp.",
       "The file cannot be read (corrupt or truncated): {detail}. Please send it again."),
    _c("file-not-spreadsheet", "error", "file",
       "Tệp không phải bảng tính Excel (.xlsx) hay LibreOffice (.ods): {detail}.",
       "The file is not an Excel (.xlsx) or LibreOffice (.ods) workbook: {detail}."),
    _c("file-xls", "error", "file",
       "Tệp ở định dạng Excel cũ (.xls). Đề nghị mở biểu mẫu gốc và lưu dạng .xlsx.",
       "The file is in the old Excel format (.xls). Please save the original form as .xlsx."),
    _c("file-encrypted", "error", "file",
       "Tệp được đặt mật khẩu mở tệp. Đề nghị gỡ mật khẩu và gửi lại.",
       "The file is protected with an opening password. Please remove it and send again."),
    _c("file-too-large", "error", "file",
       "Tệp quá lớn hoặc nén bất thường ({detail}); tệp không được đọc.",
       "The file is too large or abnormally compressed ({detail}); it was not read."),
    _c("not-sdgxl-form", "error", "file",
       "Đây không phải biểu mẫu sdgxl (không có thông tin nhận dạng biểu mẫu){detail}. "
       "Đề nghị dùng biểu mẫu do Sở Kế hoạch và Đầu tư gửi.",
       "This is not an sdgxl form (it carries no form identification){detail}. "
       "Please use the form sent by the Department of Planning and Investment."),
    _c("format-version-unknown", "error", "file",
       "Phiên bản biểu mẫu {value} không được hỗ trợ (hỗ trợ: {detail}).",
       "Form format version {value} is not supported (supported: {detail})."),
    _c("catalogue-unknown", "error", "file",
       "Biểu mẫu thuộc danh mục khác ({value}), không phải {detail}.",
       "The form belongs to another catalogue ({value}), not {detail}."),
    _c("catalogue-stale", "warning", "file",
       "Biểu mẫu được tạo từ phiên bản danh mục cũ ({value}); số liệu vẫn được đọc theo mã chỉ tiêu.",
       "The form was made from an older catalogue version ({value}); values are still read by indicator code."),
    _c("metadata-mismatch", "error", "file",
       "Thông tin nhận dạng biểu mẫu không khớp ({detail}); sheet ẩn có thể đã bị sửa.",
       "The form identification does not add up ({detail}); the hidden sheet may have been edited."),
    _c("wrong-year", "error", "file",
       "Biểu mẫu của năm {value}, không phải năm {detail} đang tổng hợp (dùng lại biểu năm trước?).",
       "This is the form for {value}, not for {detail} being collected (last year's form reused?)."),
    _c("wrong-agency", "error", "file",
       "Biểu mẫu của {value}, nhưng được gửi như của {detail}.",
       "This is the form of {value}, but it was sent as {detail}'s."),
    _c("sheet-missing", "error", "file",
       "Không tìm thấy sheet \"{value}\" (sheet bị đổi tên hoặc xóa?).",
       "Sheet \"{value}\" was not found (renamed or deleted?)."),
    _c("sheet-unprotected", "warning", "file",
       "Sheet \"{value}\" đã bị gỡ bảo vệ; các ô khóa đã được kiểm tra lại.",
       "Protection was removed from sheet \"{value}\"; the locked cells were checked again."),
    _c("saved-as-ods", "warning", "file",
       "Tệp được lưu dạng .ods; định dạng ô (ví dụ dấu %) không kiểm tra được. Lần sau đề nghị lưu .xlsx.",
       "The file was saved as .ods; cell formats (e.g. %) cannot be checked. Next time please save as .xlsx."),
    _c("too-many-issues", "error", "file",
       "Tệp có thêm {value} vấn đề nữa (chỉ {detail} vấn đề đầu được liệt kê); đề nghị dùng lại biểu mẫu gốc.",
       "The file has {value} more problems (only the first {detail} are listed); please start again from the "
       "original form."),
    _c("sender-mismatch", "error", "file",
       "Tệp được gửi như của {detail}, nhưng biểu mẫu là của {value}; số liệu không được tổng hợp. "
       "Đề nghị mỗi cơ quan gửi biểu mẫu của chính mình.",
       "The file was sent as {detail}'s, but the form is {value}'s; its values are not merged. "
       "Each agency should send its own form."),
    # ---------------------------------------------------------------- rows
    _c("row-missing", "error", "row",
       "Thiếu dòng chỉ tiêu {indicator} (dòng bị xóa?).",
       "The row of indicator {indicator} is missing (deleted?)."),
    _c("row-duplicate", "error", "row",
       "Chỉ tiêu {indicator} xuất hiện nhiều lần (cả ở {detail}); chỉ dòng đầu được dùng.",
       "Indicator {indicator} appears more than once (also at {detail}); only the first row is used."),
    _c("row-moved", "warning", "row",
       "{detail} dòng đã bị chèn, xóa hoặc đổi thứ tự; số liệu vẫn được đọc đúng theo mã chỉ tiêu.",
       "{detail} row(s) were inserted, deleted or reordered; values are still read by indicator code."),
    _c("row-added", "warning", "row",
       "Dòng thêm vào không thuộc biểu mẫu có số liệu \"{value}\"; số liệu này không được tổng hợp.",
       "A row added to the form holds \"{value}\"; it is not part of the form and is not merged."),
    _c("row-unknown", "error", "row",
       "Dòng có mã \"{value}\" không thuộc biểu mẫu này; số liệu không được tổng hợp.",
       "A row with code \"{value}\" does not belong to this form; it is not merged."),
    _c("locked-cell-changed", "error", "row",
       "Ô khóa đã bị sửa: theo kế hoạch là \"{detail}\", trong tệp là \"{value}\".",
       "A locked cell was changed: the plan says \"{detail}\", the file says \"{value}\"."),
    # ---------------------------------------------------------------- values
    _c("value-missing", "error", "value",
       "Chưa có giá trị và chưa chọn tình trạng số liệu giải thích lý do.",
       "No value, and no data status saying why."),
    _c("value-not-number", "error", "value",
       "Cần một số, nhưng ô chứa \"{value}\".",
       "A number is required, but the cell holds \"{value}\"."),
    _c("value-has-words", "error", "value",
       "Ô chứa cả chữ và số: \"{value}\". Hãy chỉ nhập số ({detail}) vào ô này; ghi phần chữ "
       "(\"khoảng\", \"ước\", đơn vị…) vào cột Ghi chú.",
       "The cell holds words as well as a number: \"{value}\". Type only the number ({detail}) here "
       "and put the words (\"about\", \"estimated\", the unit…) in the Note column."),
    _c("number-as-text", "warning", "value",
       "Số được nhập dạng văn bản \"{value}\"; đã hiểu là {detail}.",
       "A number was typed as text \"{value}\"; read as {detail}."),
    _c("number-ambiguous", "error", "value",
       "Không rõ \"{value}\" là {detail}; đề nghị nhập lại số (dấu phẩy là dấu thập phân).",
       "\"{value}\" could be {detail}; please retype the number (comma is the decimal mark)."),
    _c("percent-sign-typed", "warning", "value",
       "Đã gõ dấu % nên ô lưu {value}; đã hiểu là {detail} (%).",
       "A % sign was typed, so the cell holds {value}; read as {detail} (%)."),
    _c("value-out-of-range", "error", "value",
       "Giá trị {value} ngoài giới hạn của đơn vị tính ({detail}).",
       "Value {value} is outside what the unit allows ({detail})."),
    _c("value-not-whole", "error", "value",
       "Giá trị {value} phải là số nguyên (số đếm).",
       "Value {value} must be a whole number (a count)."),
    _c("formula-without-value", "error", "value",
       "Ô chứa công thức \"{value}\" nhưng không có kết quả lưu sẵn; đề nghị nhập số trực tiếp.",
       "The cell holds the formula \"{value}\" with no saved result; please type the number itself."),
    _c("formula-value", "warning", "value",
       "Ô chứa công thức \"{value}\"; đã dùng kết quả {detail}. Lần sau đề nghị nhập số trực tiếp.",
       "The cell holds the formula \"{value}\"; its result {detail} was used. Please type numbers directly."),
    _c("error-value", "error", "value",
       "Ô chứa lỗi {value} thay vì số liệu.",
       "The cell holds the error {value} instead of a value."),
    _c("text-too-long", "error", "value",
       "Nội dung dài {detail} ký tự, vượt giới hạn.",
       "The text is {detail} characters long, over the limit."),
    _c("status-invalid", "error", "value",
       "Tình trạng số liệu \"{value}\" không có trong danh sách ({detail}).",
       "Data status \"{value}\" is not in the list ({detail})."),
    _c("status-conflict", "warning", "value",
       "Đã chọn \"{detail}\" nhưng vẫn nhập giá trị {value}; giá trị được giữ lại.",
       "\"{detail}\" was chosen but value {value} was entered; the value is kept."),
    _c("value-far-from-roadmap", "warning", "value",
       "Giá trị {value} khác xa lộ trình (khoảng hợp lý {detail}); đề nghị kiểm tra lại.",
       "Value {value} is far from the roadmap (plausible range {detail}); please check it."),
    _c("value-jump", "warning", "value",
       "Giá trị {value} thay đổi bất thường so với năm trước ({detail}); đề nghị kiểm tra lại.",
       "Value {value} changed unusually from the previous year ({detail}); please check it."),
]}


@dataclass
class Issue:
    """One problem, pinned to its place."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    indicator: str | None = None
    component: str | None = None
    value: Any = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    detail_en: str | None = None  # when ``detail`` is words rather than numbers or names

    def __post_init__(self) -> None:
        if self.code not in CHECKS:
            raise KeyError(f"unknown check code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return CHECKS[self.code].severity

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def message(self, lang: str = "vi") -> str:
        check = CHECKS[self.code]
        template = check.en if lang == "en" else check.vi
        value = _fmt(self.value, lang)
        detail = self.detail_en if lang == "en" and self.detail_en is not None else self.detail
        return template.format(value=value, detail=detail, indicator=self.indicator or "")

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "indicator": self.indicator,
            "component": self.component,
            "value": self.value if isinstance(self.value, (int, float, str)) or self.value is None
            else str(self.value),
            "message": self.message(lang),
        }


def _fmt(value: Any, lang: str = "vi") -> str:
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text if lang == "en" else text.replace(".", ",")
    return "" if value is None else str(value)


def issue_from_row(row: dict[str, Any]) -> Issue:
    """An issue as the ledger recorded it (a row of its issues table)."""
    return Issue(row["code"], sheet=row["sheet"], cell=row["cell"], indicator=row["indicator"],
                 component=row["component"],
                 value=row["value_num"] if row.get("value_num") is not None else row["value"],
                 detail=row["detail"] or "", detail_en=row.get("detail_en"))
