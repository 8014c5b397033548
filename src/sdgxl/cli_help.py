"""The command line in the user's language: help, metavars and click's own messages.

The language is decided once, before the command line is parsed (``--lang`` anywhere on
it, else ``SDGXL_LANG``, else Vietnamese), so ``sdgxl --lang en status --help`` and a usage
error are both in English, and ``sdgxl status --help`` in Vietnamese. :func:`localise`
sets every command's and option's help and metavar from the tables below (no ``<bool>``,
``<list[Path]>`` or ``{files}`` as Typer would print); click's own words in help and usage
errors ("Options", "[default: …]", "Missing option", "No such option") carry no translation,
so :func:`translate_help` and :func:`translate_error` translate the printed text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["COMMANDS", "ERRORS_VI", "HELP_VI", "OPTIONS", "help_is_localised", "lang_from_argv", "localise",
           "translate_error", "translate_help"]

# (Vietnamese, English) for each command, by its path
COMMANDS: dict[str, tuple[str, str]] = {
    "": ("Chu trình báo cáo SDG cấp tỉnh trong Excel.", "A province's SDG reporting cycle in Excel."),
    "catalogue": ("Danh mục chỉ tiêu.", "The indicator catalogue."),
    "catalogue show": ("Xem danh mục chỉ tiêu.", "Show the indicator catalogue."),
    "catalogue check": ("Kiểm tra một tệp danh mục; mã thoát 1 khi có lỗi.",
                        "Check a catalogue file; exit 1 when it has problems."),
    "catalogue export": ("Xuất danh mục ra Excel (để chỉnh sửa) hoặc JSON.",
                         "Export the catalogue to Excel (to edit it) or JSON."),
    "catalogue import": ("Nhập danh mục từ Excel, ghi ra JSON.", "Import a catalogue workbook to JSON."),
    "catalogue extract": ("Dựng lại danh mục từ văn bản kế hoạch.", "Rebuild the catalogue from the plan's text."),
    "catalogue schema": ("In JSON Schema của tệp danh mục.", "Print the JSON Schema of catalogue files."),
    "catalogue merge": ("Dự thảo kế hoạch kế nhiệm từ các kế hoạch tiền thân.",
                        "Draft a successor plan from predecessor plans."),
    "combined": ("Chỉ tiêu chung của nhiều địa bàn trong một sổ theo dõi, đặt cạnh nhau.",
                 "The indicators several areas share in one ledger, side by side."),
    "agencies": ("Danh sách cơ quan báo cáo.", "The reporting agencies."),
    "generate": ("Tạo biểu mẫu báo cáo cho từng cơ quan.", "Generate one form per agency."),
    "migrate": ("Chuyển một biểu mẫu năm cũ (hoặc của danh mục cũ) đã điền sang biểu mẫu đúng năm, giữ các "
                "số liệu theo mã chỉ tiêu.",
                "A fresh form for the year from a filled form of another year (or catalogue), values carried "
                "over by indicator code."),
    "validate": ("Kiểm tra biểu mẫu gửi về. Mã thoát 0: không lỗi; 1: có lỗi; 2: dùng sai lệnh.",
                 "Validate returned forms. Exit 0: no errors; 1: errors; 2: usage error."),
    "collect": ("Tổng hợp hộp thư: kiểm tra, ghi sổ theo dõi, hợp nhất, ghi kết quả.",
                "Collect an inbox: validate, record in the ledger, merge, write the outputs."),
    "status": ("Tiến độ nộp báo cáo của một năm (từ sổ theo dõi).",
               "Completeness of a year's returns (from the ledger)."),
    "export": ("Xuất mọi số liệu đã nhận dạng bảng gọn (csv, parquet, json, xlsx; --out - ghi ra màn hình), "
               "thư mục dữ liệu Open SDG (open-sdg) hoặc SDMX-CSV theo cấu trúc dữ liệu SDG (sdmx-csv).",
               "Export every value received, tidy (csv, parquet, json, xlsx; --out - writes to standard output), "
               "an Open SDG data folder (open-sdg) or SDMX-CSV against the SDG data structure (sdmx-csv)."),
    "progress": ("Tiến độ so với lộ trình 2030, từng chỉ tiêu.", "Progress toward the 2030 roadmap, per indicator."),
    "report": ("Báo cáo tiến độ năm (xlsx, và PDF qua LibreOffice).",
               "The annual progress report (xlsx, and PDF through LibreOffice)."),
    "console": ("Tạo sổ điều khiển có nút bấm (xlwings) cho Sở.", "Build the DPI console workbook with buttons."),
    "demo": ("Chạy thử toàn bộ chu trình trên kế hoạch kèm theo và số liệu mẫu.",
             "Run the whole cycle on the bundled plan and sample returns."),
}

# (Vietnamese, English) help of each option or argument: by "command name" first, then by name
OPTIONS: dict[str, tuple[str, str]] = {
    "lang": ("Ngôn ngữ: vi hoặc en (hoặc biến môi trường SDGXL_LANG).",
             "Language: vi or en (or the environment variable SDGXL_LANG)."),
    "catalogue": ("Danh mục khác (JSON hoặc .xlsx).", "Another catalogue file (JSON or .xlsx)."),
    "year": ("Năm báo cáo.", "The reporting year."),
    "validate year": ("Năm đang tổng hợp.", "The year being collected."),
    "collect year": ("Năm báo cáo (mặc định: năm ghi trên biểu).", "The reporting year (default: the forms' year)."),
    "export year": ("Chỉ năm này (mặc định: mọi năm).", "Only this year (default: every year)."),
    "progress year": ("Năm đánh giá (mặc định: năm mới nhất).", "The year assessed (default: the latest)."),
    "console year": ("Năm ghi sẵn trong cài đặt.", "The year written in the settings."),
    "format": ("Định dạng kết quả.", "Output format."),
    "out_path": ("Tệp kết quả (- : ghi ra màn hình).", "Output file (-: standard output)."),
    "catalogue extract out_path": ("Tệp kết quả (mặc định: danh mục kèm gói).",
                                   "Output file (default: the bundled catalogue)."),
    "console out_path": ("Tệp .xlsm.", "The .xlsm file."),
    "export out_path": ("Tệp kết quả (thư mục với open-sdg; - : ghi ra màn hình).",
                        "Output file (a folder for open-sdg; -: standard output)."),
    "version": ("Phiên bản SDMX-CSV: 1 hoặc 2.", "SDMX-CSV version: 1 or 2."),
    "out_dir": ("Thư mục kết quả.", "Output folder."),
    "generate out_dir": ("Thư mục ghi biểu mẫu.", "Folder for the forms."),
    "db": ("Sổ theo dõi: tệp SQLite hoặc URL SQLAlchemy (PostgreSQL); mặc định SDGXL_DB, nếu không có: "
           "sdgxl.sqlite trong thư mục hiện tại.",
           "The ledger: a SQLite file or an SQLAlchemy URL (PostgreSQL); default SDGXL_DB, else "
           "sdgxl.sqlite in the current folder."),
    "validate db": ("Sổ theo dõi: số liệu năm trước để so sánh.", "The ledger: last year's values to compare with."),
    "goal": ("Chỉ mục tiêu N.", "Only goal N."),
    "agency": ("Chỉ cơ quan này (mã, lặp lại được).", "Only this agency (its ID; may be repeated)."),
    "validate agency": ("Cơ quan gửi.", "The sending agency."),
    "catalogue show agency": ("Chỉ cơ quan này (mã).", "Only this agency (its ID)."),
    "all_": ("Cả cơ quan chỉ phối hợp.", "Include co-operating bodies."),
    "deadline": ("Hạn gửi, ngày/tháng/năm (ví dụ 30/12/2026; mặc định 15/11).",
                 "Deadline, YYYY-MM-DD or dd/mm/yyyy (default 15 November)."),
    "password": ("Mật khẩu bảo vệ sheet (mặc định trong province.toml).",
                 "Sheet protection password (default in province.toml)."),
    "templates": ("Thư mục workbook_templates riêng.", "Your own workbook_templates folder."),
    "files": ("Tệp hoặc thư mục biểu mẫu gửi về.", "Returned files or folders."),
    "jobs": ("Số tiến trình kiểm tra.", "Worker processes."),
    "inbox": ("Thư mục chứa các tệp nhận qua thư điện tử.", "The folder of files received by email."),
    "feedback": ("Tạo tệp phản hồi cho cơ quan.", "Write feedback copies for the agencies."),
    "strict": ("Không tổng hợp tệp nào có lỗi.", "Merge nothing from a file with errors."),
    "received": ("Thời điểm nhận các tệp (dd/mm/yyyy HH:MM, giờ Việt Nam).",
                 "When the files arrived (YYYY-MM-DD HH:MM or dd/mm/yyyy HH:MM, Vietnam time)."),
    "pdf": ("Xuất PDF qua LibreOffice (nếu có).", "Export a PDF through LibreOffice (when installed)."),
    "file": ("Tệp danh mục (JSON hoặc .xlsx).", "A catalogue file (JSON or .xlsx)."),
    "catalogue import file": ("Danh mục dạng .xlsx (từ catalogue export).",
                              "A catalogue workbook (from catalogue export)."),
    "old": ("Biểu mẫu năm cũ (hoặc của danh mục cũ) đã điền.", "The filled form of another year (or catalogue)."),
    "migrate year": ("Năm của biểu mẫu mới.", "The year of the new form."),
    "migrate out_dir": ("Thư mục ghi biểu mẫu mới.", "Folder for the new form."),
    "area": ("Địa bàn (mã, ví dụ kien-giang; mặc định theo province.toml).",
             "The area (its code, e.g. kien-giang; default from province.toml)."),
    "plan": ("địa-bàn=tệp-danh-mục (lặp lại được; chỉ địa bàn: danh mục kèm gói).",
             "area=catalogue-file (may be repeated; an area alone: the bundled catalogue)."),
    "mapping": ("TOML: [địa-bàn] \"mã của nó\" = \"mã chung\".", "TOML: [area] \"its code\" = \"shared code\"."),
    "combined out_path": ("Ghi bảng ra CSV.", "Write the table as CSV."),
    "merge files": ("Các danh mục tiền thân (JSON hoặc .xlsx), danh mục đầu làm gốc.",
                    "The predecessor catalogues (JSON or .xlsx), the first one as the base."),
    "merge out_path": ("Dự thảo danh mục kế nhiệm (JSON), kèm tệp .xlsx.",
                       "The successor catalogue's draft (JSON), with an .xlsx beside it."),
    "id": ("Mã danh mục mới.", "The new catalogue's id."),
    "province": ("Tỉnh của kế hoạch mới.", "The new plan's province."),
    "wait": ("Chờ tối đa N giây khi sổ theo dõi đang bị giữ.", "Wait up to N seconds while the ledger is held."),
    "seed": ("Văn bản kế hoạch (OCR).", "The plan's text (OCR)."),
    "corrections": ("Danh sách hiệu chỉnh (TOML).", "The list of corrections (TOML)."),
    "agencies": ("Danh sách cơ quan (TOML).", "The list of agencies (TOML)."),
    "folder": ("Thư mục làm việc của bản chạy thử.", "The demo's working folder."),
    "help": ("Hiện hướng dẫn này rồi thoát.", "Show this message and exit."),
}

# click's (or Typer's copy of click) words in help and usage errors, in Vietnamese; they
# carry no translation of their own, so the printed text is translated (regex, replacement)
HELP_VI: list[tuple[str, str]] = [  # on the whole text: click wraps lines anywhere
    (r"(?m)^Usage: ", "Cách dùng: "),
    (r"\[OPTIONS\]", "[TÙY-CHỌN]"),
    (r"COMMAND \[ARGS\]\.\.\.", "LỆNH [THAM-SỐ]..."),
    (r"(?m)^Options:$", "Tùy chọn:"),
    (r"(?m)^Arguments:$", "Tham số:"),
    (r"(?m)^Commands:$", "Lệnh:"),
    (r"\[required\]", "[bắt buộc]"),
    (r"\bdefault:", "mặc định:"),
    # click's ranges ("1<=x<=2", "x>=0") in words
    (r"\b(-?[\d.]+)<=x<=(-?[\d.]+)", r"từ \1 đến \2"),
    (r"\bx>=(-?[\d.]+)", r"từ \1 trở lên"),
    (r"\bx<=(-?[\d.]+)", r"tối đa \1"),
    (r"\bx>(-?[\d.]+)", r"lớn hơn \1"),
    (r"\bx<(-?[\d.]+)", r"nhỏ hơn \1"),
    (r"\benv(\s+)var:", r"biến\1môi trường:"),
    (r"Show(\s+)this(\s+)message(\s+)and(\s+)exit\.", r"Hiện\1hướng dẫn\2này\3rồi\4thoát."),
    (r"(?m)^Try '(.+)' for help\.$", r"Gõ '\1' để xem hướng dẫn."),
]
ERRORS_VI: list[tuple[str, str]] = [
    (r" Did you mean (.+)\?$", r" Có phải ý bạn là \1?"),
    (r"^No such option: (\S+)", r"Không có tùy chọn \1."),
    (r"^No such command '(.+?)'\.", r"Không có lệnh '\1'."),
    (r"Value error, ", ""),
    (r"\(Possible options: (.+)\)", r"(Tùy chọn gần giống: \1)"),
    (r"^Missing option '(.+)'\.?(.*)$", r"Thiếu tùy chọn '\1'.\2"),
    (r"^Missing argument '(.+)'\.?(.*)$", r"Thiếu tham số '\1'.\2"),
    (r"^Missing parameter: (.+)$", r"Thiếu tham số: \1"),
    (r"^Missing command\.$", "Thiếu lệnh."),
    (r"^Option '(.+)' requires an argument\.$", r"Tùy chọn '\1' cần một giá trị."),
    (r"^Option '(.+)' does not take a value\.$", r"Tùy chọn '\1' không nhận giá trị."),
    (r"^Got unexpected extra arguments? \((.+)\)$", r"Thừa tham số (\1)."),
    (r"^Invalid value for (.+?): (.+)$", r"Giá trị không hợp lệ cho \1: \2"),
    (r"Input should be a valid integer, unable to parse string as an integer", "cần một số nguyên"),
    (r"Input should be a valid number, unable to parse string as a number", "cần một số"),
    (r"Input should be less than or equal to (\S+)$", r"cần một số không lớn hơn \1"),
    (r"Input should be greater than or equal to (\S+)$", r"cần một số không nhỏ hơn \1"),
    (r"Input should be less than (\S+)$", r"cần một số nhỏ hơn \1"),
    (r"Input should be greater than (\S+)$", r"cần một số lớn hơn \1"),
    (r"(-?[\d.]+) is not in the range (-?[\d.]+)<=x<=(-?[\d.]+)\.", r"\1 không nằm trong khoảng \2 đến \3."),
    (r"(-?[\d.]+) is not in the range x>=(-?[\d.]+)\.", r"\1 nhỏ hơn \2."),
    (r"'(.+?)' is not one of (.+)\.$", r"'\1' không phải là một trong \2."),
    (r"'(.+?)' is not (.+)\.$", r"'\1' không phải là \2."),
    (r"'(.+?)' is not a valid (integer|float)\.", r"'\1' không phải là một số."),
]


def translate_help(text: str, lang: str) -> str:
    """Help or usage text as click printed it, in ``lang``."""
    if lang == "en":
        return text
    for pattern, repl in HELP_VI:
        text = re.sub(pattern, repl, text)
    return text


def translate_error(message: str, lang: str) -> str:
    """A usage error's message (click's English) in ``lang``."""
    if lang == "en":
        return message
    for pattern, repl in ERRORS_VI:
        message = re.sub(pattern, repl, message)
    return message


_METAVARS = {  # (Vietnamese, English) by click type name
    "integer": ("SỐ", "N"), "text": ("CHỮ", "TEXT"), "path": ("TỆP", "PATH"), "float": ("SỐ", "NUMBER"),
}


def lang_from_argv(argv: Sequence[str]) -> str:
    """``--lang X`` / ``--lang=X`` anywhere on the command line, else ``SDGXL_LANG``, else vi."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    if value is None:
        value = os.environ.get("SDGXL_LANG", "vi")
    return "en" if value.lower().startswith("en") else "vi"


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def localise(command: Any, lang: str, path: str = "") -> None:
    """Set help texts and metavars of ``command`` and its subcommands in ``lang``."""
    if path in COMMANDS:
        command.help = _pick(COMMANDS[path], lang)
        command.short_help = None
    name = path.rsplit(" ", 1)[-1]
    for param in command.params:
        pname = param.name or ""
        text = OPTIONS.get(f"{path} {pname}") or OPTIONS.get(f"{name} {pname}") or OPTIONS.get(pname)
        if getattr(param, "param_type_name", "") == "option":
            if text:
                param.help = _pick(text, lang)  # type: ignore[attr-defined]
            if not getattr(param, "is_flag", False):
                param.metavar = _metavar(param, lang)
        else:
            word = ("GIÁ-TRỊ", "VALUE")
            if pname in {"files", "inbox", "folder", "file"}:
                word = {"files": ("TỆP", "FILES"), "inbox": ("HỘP-THƯ", "INBOX"), "folder": ("THƯ-MỤC", "FOLDER"),
                        "file": ("TỆP", "FILE")}[pname]
            param.metavar = _pick(word, lang) + ("..." if param.nargs == -1 else "")
            # Typer prints a type (<list[Path]>) beside an argument and braces around it in the usage
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda metavar=param.metavar: metavar
            if text:
                param.help = _pick(text, lang)  # type: ignore[attr-defined]
    for sub_name, sub in getattr(command, "commands", {}).items():
        localise(sub, lang, f"{path} {sub_name}".strip())


def _metavar(param: Any, lang: str) -> str:
    desc = getattr(param, "type_descriptor", None)  # Typer's own parameters (its copy of click)
    if desc is not None:
        choices = desc.choices if getattr(desc, "is_choice", False) else None
        annotation = getattr(desc, "annotation", None)
        shown = str(annotation)
        kind = "path" if "Path" in shown else "integer" if "int" in shown else "float" if "float" in shown \
            else "text"
    else:  # click's
        choices = getattr(param.type, "choices", None)
        kind = param.type.name
    if choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    return _pick(_METAVARS.get(kind, ("GIÁ-TRỊ", "VALUE")), lang)


def help_is_localised(command: Any, lang: str) -> list[str]:
    """What still has no help in ``lang`` (for the tests): command paths and options."""
    missing: list[str] = []

    def walk(cmd: Any, path: str) -> None:
        if path not in COMMANDS:
            missing.append(path or "<root>")
        for p in cmd.params:
            if not getattr(p, "help", None) and p.name != "help":
                missing.append(f"{path} {p.name}")
        for n, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {n}".strip())

    walk(command, "")
    return missing
