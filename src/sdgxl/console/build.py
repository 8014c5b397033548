"""The DPI console: an ``.xlsm`` with buttons that run sdgxl through xlwings.

Built on any OS without Excel: xlsxwriter writes the workbook, the VBA project is built
from ``macros/*.bas`` by :mod:`sdgxl.console.vba.ovba` (reproducibly), and each form button is
bound to one macro. The layout (where the settings are, where results go) is defined
here once; :mod:`sdgxl.console.xl` reads and writes the same cells.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from sdgxl.console.vba.ovba import Module, build_vba_project, document_module, module_from_bas
from sdgxl.fileio import atomic_write_bytes
from sdgxl.resources import resource_dir
from sdgxl.xlsxw import Workbook

__all__ = [
    "BUTTONS",
    "CONF_SHEET",
    "MESSAGE_CELL",
    "RESULTS_ROW",
    "SETTINGS",
    "SHEET",
    "Button",
    "build_console",
    "console_vba_modules",
]

SHEET = "Bảng điều khiển"
CONF_SHEET = "xlwings.conf"

# setting → (cell, Vietnamese label, English label, default)
SETTINGS: dict[str, tuple[str, str, str, str | int]] = {
    "inbox": ("C5", "Thư mục hộp thư (các tệp nhận qua thư điện tử)", "Inbox folder (files received by email)",
              r"C:\SDG\hop-thu"),
    "year": ("C6", "Năm báo cáo", "Reporting year", dt.date.today().year),
    "forms": ("C7", "Thư mục biểu mẫu (tạo biểu mẫu)", "Forms folder (generate)", r"C:\SDG\bieu-mau"),
    "out": ("C8", "Thư mục kết quả (bảng tổng hợp, phản hồi)", "Output folder (consolidated table, feedback)",
            r"C:\SDG\tong-hop"),
    "db": ("C9", "Sổ theo dõi (tệp SQLite hoặc URL PostgreSQL)", "Ledger (SQLite file or PostgreSQL URL)",
           r"C:\SDG\sdgxl.sqlite"),
    "lang": ("C10", "Ngôn ngữ (vi hoặc en)", "Language (vi or en)", "vi"),
    "file": ("C11", "Tệp cần kiểm tra (cho nút Kiểm tra tệp)", "File to check (for Check a file)", ""),
}
MESSAGE_CELL = "B15"
RESULTS_ROW = 17  # header row of the results table (1-based); rows follow


@dataclass(frozen=True)
class Button:
    macro: str
    caption: str
    cell: str
    python: str  # the sdgxl.console.xl function it runs


BUTTONS = [
    Button("TaoBieuMau", "Tạo biểu mẫu", "E5", "generate"),
    Button("TongHop", "Tổng hợp", "E7", "collect"),
    Button("KiemTraTep", "Kiểm tra tệp", "E9", "check_file"),
    Button("MoBangTongHop", "Mở bảng tổng hợp", "E11", "open_consolidated"),
]

XLWINGS_CONF = [
    ("Interpreter_Win", ""),
    ("Interpreter_Mac", ""),
    ("PYTHONPATH", ""),
    ("UDF Modules", ""),
    ("Debug UDFs", "False"),
    ("Use UDF Server", "False"),
    ("Show Console", "False"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
]


def console_vba_modules(macros: Path | None = None) -> list[Module]:
    """ThisWorkbook, one document module per sheet, then every ``macros/*.bas``."""
    folder = macros or resource_dir("macros")
    mods = [document_module("ThisWorkbook", "workbook"), document_module("Sheet1", "sheet"),
            document_module("Sheet2", "sheet")]
    for path in sorted(folder.glob("*.bas")):
        mods.append(module_from_bas(path.read_text(encoding="ascii")))
    return mods


def build_console(out: Path | str, *, lang: str = "vi", macros: Path | None = None,
                  year: int | None = None) -> Path:
    """Write the console workbook (``.xlsm``); the same inputs give the same bytes."""
    out = Path(out)
    vba = build_vba_project(console_vba_modules(macros))
    buf = io.BytesIO()
    wb = Workbook(buf)
    wb.set_properties({"title": "sdgxl console", "created": dt.datetime(2000, 1, 1)})
    wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    en = lang == "en"
    font = {"font_name": "Times New Roman", "font_size": 11}
    title = wb.add_format({**font, "bold": True, "font_size": 15, "font_color": "#1F4E79"})
    head = wb.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1})
    label = wb.add_format({**font, "text_wrap": True, "valign": "vcenter"})
    value = wb.add_format({**font, "bg_color": "#FFF2CC", "border": 1, "valign": "vcenter"})
    note = wb.add_format({**font, "italic": True, "font_color": "#595959", "text_wrap": True})
    ws = wb.add_worksheet(SHEET)
    ws.set_vba_name("Sheet1")
    ws.set_column("A:A", 2)
    ws.set_column("B:B", 44)
    ws.set_column("C:C", 40)
    ws.set_column("D:D", 3)
    ws.set_column("E:E", 36)
    ws.set_column("F:H", 14)
    ws.write_string("B2", "BẢNG ĐIỀU KHIỂN BÁO CÁO SDG" if not en else "SDG REPORTING CONSOLE", title)
    ws.set_row(1, 26)
    ws.merge_range("B3:G3", ("Sở Kế hoạch và Đầu tư – chạy sdgxl bằng các nút bên phải, kết quả ghi ở bên dưới."
                             if not en else "Department of Planning and Investment – the buttons run sdgxl; "
                                            "results are written below."), note)
    ws.write_string("B4", "CÀI ĐẶT" if not en else "SETTINGS", head)
    ws.write_string("C4", "", head)
    for key, (cell, vi_label, en_label, default) in SETTINGS.items():
        row = int(cell[1:]) - 1
        ws.write_string(row, 1, en_label if en else vi_label, label)
        if key == "year":
            ws.write_number(cell, int(year or default), value)
        else:
            ws.write_string(cell, str(default if key != "lang" else lang), value)
        ws.set_row(row, 24)
    for b in BUTTONS:
        ws.insert_button(b.cell, {"macro": b.macro, "caption": b.caption if not en else _EN[b.macro],
                                  "width": 260, "height": 30})
    ws.write_string("B14", "KẾT QUẢ" if not en else "RESULTS", head)
    ws.write_string(MESSAGE_CELL, ("Nhấn một nút để bắt đầu." if not en else "Press a button to start."), note)
    ws.data_validation(SETTINGS["lang"][0], {"validate": "list", "source": ["vi", "en"]})
    ws.data_validation(SETTINGS["year"][0], {"validate": "integer", "criteria": "between", "minimum": 2015,
                                             "maximum": 2100})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 1)
    ws.print_area("A1:H40")
    ws.activate()
    conf = wb.add_worksheet(CONF_SHEET)
    conf.set_vba_name("Sheet2")
    for r, (k, v) in enumerate(XLWINGS_CONF):
        conf.write_string(r, 0, k)
        if v:
            conf.write_string(r, 1, v)
    conf.set_column("A:A", 28)
    conf.set_column("B:B", 50)
    conf.write_string(0, 3, "Interpreter_Win: đường dẫn python.exe nếu không dùng python mặc định, ví dụ "
                      "C:\\Users\\…\\AppData\\Local\\Programs\\Python\\Python311\\python.exe")
    wb.close()
    atomic_write_bytes(out, buf.getvalue())
    return out


_EN = {"TaoBieuMau": "Generate forms", "TongHop": "Collect", "KiemTraTep": "Check a file",
       "MoBangTongHop": "Open consolidated table"}
