"""Validation problems as data: every check has a stable code, a severity and messages.

An :class:`Issue` is one problem found in one returned file: its check code, where it is
(sheet, cell, indicator, component), the offending value and the check's typed
parameters; its message, in Vietnamese or English, is rendered from the check's template
only when shown (the frictionless model: errors as data, words at the edge). ``docs/checks.md`` documents every code; a
test keeps that table and :data:`CHECKS` in sync.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sdgxl.i18n import fields, render

Severity = Literal["error", "warning"]

__all__ = ["CHECKS", "TITLES", "Check", "Issue", "Severity"]

# every check's short title, as a person reads it beside the code ("Không phải số (value-not-number)"):
# the issues sheets, the validate output, the feedback copies (docs/checks.md lists them; a test keeps it so)
TITLES: dict[str, tuple[str, str]] = {
    "file-unreadable": ("Tệp không đọc được", "File unreadable"),
    "file-not-spreadsheet": ("Không phải bảng tính", "Not a spreadsheet"),
    "file-xls": ("Định dạng .xls cũ", "Old .xls format"),
    "file-encrypted": ("Tệp có mật khẩu", "Password-protected file"),
    "file-too-large": ("Tệp quá lớn", "File too large"),
    "not-sdgxl-form": ("Không phải biểu mẫu sdgxl", "Not an sdgxl form"),
    "format-version-unknown": ("Phiên bản biểu mẫu lạ", "Unknown form version"),
    "catalogue-unknown": ("Biểu mẫu của danh mục khác", "Another catalogue's form"),
    "catalogue-stale": ("Danh mục cũ", "Older catalogue"),
    "metadata-mismatch": ("Thông tin nhận dạng bị sửa", "Identification altered"),
    "wrong-year": ("Sai năm báo cáo", "Wrong year"),
    "mail-no-form": ("Thư không kèm biểu mẫu", "Email without a form"),
    "sender-unregistered": ("Địa chỉ gửi chưa đăng ký", "Unregistered sender"),
    "wrong-agency": ("Sai cơ quan", "Wrong agency"),
    "sheet-missing": ("Thiếu sheet", "Sheet missing"),
    "sheet-unprotected": ("Sheet bị gỡ bảo vệ", "Sheet unprotected"),
    "saved-as-ods": ("Lưu dạng .ods", "Saved as .ods"),
    "too-many-issues": ("Quá nhiều vấn đề", "Too many problems"),
    "sender-mismatch": ("Người gửi không khớp", "Sender mismatch"),
    "row-missing": ("Thiếu dòng", "Row missing"),
    "row-duplicate": ("Dòng trùng", "Duplicate row"),
    "row-moved": ("Dòng bị xê dịch", "Rows moved"),
    "row-added": ("Dòng thêm vào", "Row added"),
    "row-unknown": ("Dòng lạ", "Unknown row"),
    "locked-cell-changed": ("Ô khóa bị sửa", "Locked cell changed"),
    "value-missing": ("Thiếu giá trị", "Value missing"),
    "value-not-number": ("Không phải số", "Not a number"),
    "value-has-words": ("Có chữ lẫn số", "Words in a number"),
    "number-as-text": ("Số nhập dạng văn bản", "Number typed as text"),
    "number-ambiguous": ("Số không rõ nghĩa", "Ambiguous number"),
    "percent-sign-typed": ("Gõ dấu %", "% sign typed"),
    "percent-format-kept": ("Ô định dạng %", "Cell in % format"),
    "version-older": ("Bản cũ hơn", "Older version"),
    "value-kept": ("Giữ giá trị gửi trước", "Earlier value kept"),
    "value-out-of-range": ("Ngoài giới hạn", "Out of range"),
    "value-not-whole": ("Phải là số nguyên", "Not a whole number"),
    "formula-without-value": ("Công thức không có kết quả", "Formula without a result"),
    "formula-value": ("Giá trị từ công thức", "Value from a formula"),
    "error-value": ("Ô báo lỗi", "Error in the cell"),
    "text-too-long": ("Quá dài", "Text too long"),
    "status-invalid": ("Sai tình trạng số liệu", "Invalid data status"),
    "status-conflict": ("Tình trạng trái với giá trị", "Status contradicts the value"),
    "value-far-from-roadmap": ("Khác xa lộ trình", "Far from the roadmap"),
    "narrative-missing": ("Chưa báo cáo kết quả", "Narrative missing"),
    "value-jump": ("Thay đổi bất thường", "Unusual change"),
}


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    scope: Literal["file", "row", "value"]
    vi: str
    en: str
    title_vi: str
    title_en: str

    def title(self, lang: str = "vi") -> str:
        """The check's short title in ``lang``: ``Không phải số`` / ``Not a number``."""
        return self.title_en if lang == "en" else self.title_vi

    def label(self, lang: str = "vi") -> str:
        """Title and code, as a person reads a check: ``Không phải số (value-not-number)``."""
        return f"{self.title(lang)} ({self.code})"

    @property
    def param(self) -> str | None:
        """The check's one parameter besides ``value`` and ``indicator`` (None: none)."""
        names = fields(self.vi) - {"value", "indicator"}
        return next(iter(names)) if names else None


def _c(code: str, severity: Severity, scope: Literal["file", "row", "value"], vi: str, en: str) -> Check:
    title_vi, title_en = TITLES[code]  # a check without a title in both languages does not load
    return Check(code, severity, scope, vi, en, title_vi, title_en)


CHECKS: dict[str, Check] = {c.code: c for c in [
    # ---------------------------------------------------------------- the file
    _c("file-unreadable", "error", "file",
       "Không đọc được tệp (tệp hỏng hoặc gửi thiếu): {reason}. Đề nghị gửi lại tệp.",
       "The file cannot be read (corrupt or truncated): {reason}. Please send it again."),
    _c("file-not-spreadsheet", "error", "file",
       "Tệp không phải bảng tính Excel (.xlsx) hay LibreOffice (.ods): {reason}.",
       "The file is not an Excel (.xlsx) or LibreOffice (.ods) workbook: {reason}."),
    _c("file-xls", "error", "file",
       "Tệp ở định dạng Excel cũ (.xls). Đề nghị mở biểu mẫu gốc và lưu dạng .xlsx.",
       "The file is in the old Excel format (.xls). Please save the original form as .xlsx."),
    _c("file-encrypted", "error", "file",
       "Tệp được đặt mật khẩu mở tệp. Đề nghị gỡ mật khẩu và gửi lại.",
       "The file is protected with an opening password. Please remove it and send again."),
    _c("file-too-large", "error", "file",
       "Tệp quá lớn hoặc nén bất thường ({reason}); tệp không được đọc.",
       "The file is too large or abnormally compressed ({reason}); it was not read."),
    _c("not-sdgxl-form", "error", "file",
       "Đây không phải biểu mẫu sdgxl (không có thông tin nhận dạng biểu mẫu){guess}. "
       "Đề nghị dùng biểu mẫu do Sở Kế hoạch và Đầu tư gửi.",
       "This is not an sdgxl form (it carries no form identification){guess}. "
       "Please use the form sent by the Department of Planning and Investment."),
    _c("format-version-unknown", "error", "file",
       "Phiên bản biểu mẫu {value} không được hỗ trợ (hỗ trợ: {supported:and}).",
       "Form format version {value} is not supported (supported: {supported:and})."),
    _c("catalogue-unknown", "error", "file",
       "Biểu mẫu thuộc danh mục khác ({value}), không phải {expected}.",
       "The form belongs to another catalogue ({value}), not {expected}."),
    _c("catalogue-stale", "warning", "file",
       "Biểu mẫu được tạo từ phiên bản danh mục cũ ({value}); số liệu vẫn được đọc theo mã chỉ tiêu.",
       "The form was made from an older catalogue version ({value}); values are still read by indicator code."),
    _c("metadata-mismatch", "error", "file",
       "Thông tin nhận dạng biểu mẫu không khớp ({what}); sheet ẩn có thể đã bị sửa.",
       "The form identification does not add up ({what}); the hidden sheet may have been edited."),
    _c("wrong-year", "error", "file",
       "Biểu mẫu của năm {value}, không phải năm {expected} đang tổng hợp (dùng lại biểu năm trước?).",
       "This is the form for {value}, not for {expected} being collected (last year's form reused?)."),
    _c("mail-no-form", "error", "file",
       "Thư không có biểu mẫu (.xlsx) đính kèm (tệp kèm theo: {value}); đề nghị gửi lại thư kèm biểu mẫu đã điền.",
       "The email has no form (.xlsx) attached (attachments: {value}); please send the filled form."),
    _c("sender-unregistered", "warning", "file",
       "Gửi từ địa chỉ {value}, không phải địa chỉ đã đăng ký của cơ quan nào (province.toml, [agency_emails]).",
       "Sent from {value}, an address registered to no agency (province.toml, [agency_emails])."),
    _c("wrong-agency", "error", "file",
       "Biểu mẫu của {value}, nhưng được gửi như của {expected}.",
       "This is the form of {value}, but it was sent as {expected}'s."),
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
       "Tệp có thêm {value} vấn đề nữa (chỉ {limit} vấn đề đầu được liệt kê); đề nghị dùng lại biểu mẫu gốc.",
       "The file has {value} more problems (only the first {limit} are listed); please start again from the "
       "original form."),
    _c("sender-mismatch", "error", "file",
       "Tệp được gửi như của {sender}, nhưng biểu mẫu là của {value}; số liệu không được tổng hợp. "
       "Đề nghị mỗi cơ quan gửi biểu mẫu của chính mình.",
       "The file was sent as {sender}'s, but the form is {value}'s; its values are not merged. "
       "Each agency should send its own form."),
    # ---------------------------------------------------------------- rows
    _c("row-missing", "error", "row",
       "Thiếu dòng chỉ tiêu {indicator} (dòng bị xóa?).",
       "The row of indicator {indicator} is missing (deleted?)."),
    _c("row-duplicate", "error", "row",
       "Chỉ tiêu {indicator} xuất hiện nhiều lần (cả ở {also:and}); chỉ dòng đầu được dùng.",
       "Indicator {indicator} appears more than once (also at {also:and}); only the first row is used."),
    _c("row-moved", "warning", "row",
       "{moved} dòng đã bị chèn, xóa hoặc đổi thứ tự; số liệu vẫn được đọc đúng theo mã chỉ tiêu.",
       "{moved} row(s) were inserted, deleted or reordered; values are still read by indicator code."),
    _c("row-added", "warning", "row",
       "Dòng thêm vào không thuộc biểu mẫu có số liệu \"{value}\"; số liệu này không được tổng hợp.",
       "A row added to the form holds \"{value}\"; it is not part of the form and is not merged."),
    _c("row-unknown", "error", "row",
       "Dòng có mã \"{value}\" không thuộc biểu mẫu này; số liệu không được tổng hợp.",
       "A row with code \"{value}\" does not belong to this form; it is not merged."),
    _c("locked-cell-changed", "error", "row",
       "Ô khóa đã bị sửa: theo kế hoạch là \"{expected}\", trong tệp là \"{value}\".",
       "A locked cell was changed: the plan says \"{expected}\", the file says \"{value}\"."),
    # ---------------------------------------------------------------- values
    _c("value-missing", "error", "value",
       "Chưa có giá trị và chưa chọn tình trạng số liệu giải thích lý do.",
       "No value, and no data status saying why."),
    _c("value-not-number", "error", "value",
       "Cần một số, nhưng ô chứa \"{value}\". Gõ số với dấu thập phân theo cài đặt của máy tính "
       "(\"85,5\" trên máy đặt tiếng Việt, \"85.5\" trên máy đặt tiếng Anh).",
       "A number is required, but the cell holds \"{value}\". Type the number with the computer's decimal "
       "separator (\"85.5\" on a computer set to English, \"85,5\" on one set to Vietnamese)."),
    _c("value-has-words", "error", "value",
       "Ô chứa cả chữ và số: \"{value}\". Hãy chỉ nhập số (\"{number}\") vào ô này; ghi phần chữ "
       "(\"khoảng\", \"ước\", đơn vị…) vào cột Ghi chú.",
       "The cell holds words as well as a number: \"{value}\". Type only the number (\"{number}\") here "
       "and put the words (\"about\", \"estimated\", the unit…) in the Note column."),
    _c("number-as-text", "warning", "value",
       "Số được nhập dạng văn bản \"{value}\"; đã hiểu là {read}. Lần sau hãy gõ số với dấu thập phân theo "
       "cài đặt của máy tính (\"85,5\" hoặc \"85.5\") để ô nhận là số.",
       "A number was typed as text \"{value}\"; read as {read}. Next time type it with the computer's decimal "
       "separator (\"85.5\" or \"85,5\") so that the cell takes it as a number."),
    _c("number-ambiguous", "error", "value",
       "Không rõ \"{value}\" là {readings:or}; đề nghị nhập lại số, không dùng dấu phân cách hàng nghìn, "
       "với dấu thập phân theo cài đặt của máy tính (\"1250,5\" hoặc \"1250.5\").",
       "\"{value}\" could be {readings:or}; please retype the number without a thousands separator, "
       "with the computer's decimal separator (\"1250.5\" or \"1250,5\")."),
    _c("percent-sign-typed", "warning", "value",
       "Đã gõ dấu % nên ô lưu {value}; đã hiểu là {read} (%).",
       "A % sign was typed, so the cell holds {value}; read as {read} (%)."),
    _c("percent-format-kept", "warning", "value",
       "Ô có định dạng % nên hiện {shown} %; đã hiểu là {value} (%). Không cần sửa: chỉ tiêu nhập số từ 0 đến 100.",
       "The cell has a % format, so it shows {shown} %; read as {value} (%). Nothing to fix: the indicator "
       "takes a number from 0 to 100."),
    _c("version-older", "warning", "file",
       "Tệp này là bản cũ hơn tệp \"{value}\" đã nhận (lưu lúc {saved:when}); giá trị của nó được lưu nhưng không "
       "được tổng hợp.",
       "This file is an older version than \"{value}\", already received (saved {saved:when}); its values are "
       "recorded but not merged."),
    _c("value-kept", "warning", "value",
       "Giá trị mới có lỗi nên chưa thay giá trị hợp lệ \"{value}\" đã gửi trong tệp \"{file}\"; đề nghị sửa lỗi "
       "và gửi lại.",
       "The new value has an error, so it does not replace the valid \"{value}\" sent in \"{file}\"; please "
       "correct it and send again."),
    _c("value-out-of-range", "error", "value",
       "Giá trị {value} ngoài giới hạn của đơn vị tính ({allowed:range}).",
       "Value {value} is outside what the unit allows ({allowed:range})."),
    _c("value-not-whole", "error", "value",
       "Giá trị {value} phải là số nguyên (số đếm).",
       "Value {value} must be a whole number (a count)."),
    _c("formula-without-value", "error", "value",
       "Ô chứa công thức \"{value}\" nhưng không có kết quả lưu sẵn; đề nghị nhập số trực tiếp.",
       "The cell holds the formula \"{value}\" with no saved result; please type the number itself."),
    _c("formula-value", "warning", "value",
       "Ô chứa công thức \"{value}\"; đã dùng kết quả {result}. Lần sau đề nghị nhập số trực tiếp.",
       "The cell holds the formula \"{value}\"; its result {result} was used. Please type numbers directly."),
    _c("error-value", "error", "value",
       "Ô chứa lỗi {value} thay vì số liệu.",
       "The cell holds the error {value} instead of a value."),
    _c("text-too-long", "error", "value",
       "Nội dung dài {length} ký tự, vượt giới hạn.",
       "The text is {length} characters long, over the limit."),
    _c("status-invalid", "error", "value",
       "Tình trạng số liệu \"{value}\" không có trong danh sách ({choices:statuses}).",
       "Data status \"{value}\" is not in the list ({choices:statuses})."),
    _c("status-conflict", "warning", "value",
       "Đã chọn \"{status}\" nhưng vẫn nhập giá trị {value}; giá trị được giữ lại.",
       "\"{status}\" was chosen but value {value} was entered; the value is kept."),
    _c("value-far-from-roadmap", "warning", "value",
       "Giá trị {value} khác xa lộ trình (khoảng hợp lý {band:range}); đề nghị kiểm tra lại.",
       "Value {value} is far from the roadmap (plausible range {band:range}); please check it."),
    _c("narrative-missing", "warning", "value",
       "Chưa báo cáo kết quả thực hiện mục tiêu {value} mà cơ quan được phân công chủ trì (kết quả, khó khăn, "
       "đề xuất đều trống).",
       "Nothing was written on target {value}, which the agency is assigned to lead (results, difficulties "
       "and proposals are all empty)."),
    _c("value-jump", "warning", "value",
       "Giá trị {value} thay đổi bất thường so với năm trước ({previous}); đề nghị kiểm tra lại.",
       "Value {value} changed unusually from the previous year ({previous}); please check it."),
]}


@dataclass
class Issue:
    """One problem, pinned to its place: data, not a sentence.

    ``value`` is the offending value as read (a float, the text as typed …); ``params``
    holds the check's typed parameters (numbers, ``[lo, hi]`` ranges, lists, agency ids,
    ``{"t": key, …}`` for words), named as in the check's templates. :meth:`message`
    renders them in the reader's language only when asked (:func:`sdgxl.i18n.render`)."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    indicator: str | None = None
    component: str | None = None
    value: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # more data kept with the issue (a row's values)

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
        return render(template, {**self.params, "value": self.value, "indicator": self.indicator or ""}, lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "code": self.code,
            "title": CHECKS[self.code].title(lang),
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "indicator": self.indicator,
            "component": self.component,
            "value": self.value if isinstance(self.value, (int, float, str)) or self.value is None
            else str(self.value),
            "params": self.params,
            "message": self.message(lang),
        }

    @classmethod
    def from_record(cls, row: Mapping[str, Any]) -> Issue:
        """An issue as the ledger stores it (``params`` as JSON; rows recorded before
        schema 4 have ``detail``/``detail_en`` words instead, shown in place of the check's
        one parameter)."""
        value = row.get("value_num") if row.get("value_num") is not None else row.get("value")
        raw = row.get("params")
        if raw:
            params = json.loads(raw)
        else:
            name = CHECKS[row["code"]].param
            detail, detail_en = row.get("detail"), row.get("detail_en")
            params = {name: {"vi": detail or "", "en": detail_en}} if name and (detail or detail_en) else {}
        return cls(row["code"], sheet=row.get("sheet"), cell=row.get("cell"), indicator=row.get("indicator"),
                   component=row.get("component"), value=value, params=params)


def params_json(params: Mapping[str, Any]) -> str | None:
    """``params`` as the ledger stores them (compact JSON; None when there are none)."""
    return json.dumps(params, ensure_ascii=False, separators=(",", ":")) if params else None
