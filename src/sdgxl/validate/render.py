"""Render validation reports for people (rich tables) and programs (JSON)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sdgxl.text import safe_text
from sdgxl.validate.engine import FileReport, ValidationReport

__all__ = ["print_report", "report_json"]

_L = {
    "vi": {"file": "Tệp", "agency": "Cơ quan", "year": "Năm", "ok": "HỢP LỆ", "bad": "CÓ LỖI",
           "errors": "lỗi", "warnings": "cảnh báo", "sev": "Mức", "where": "Vị trí", "ind": "Chỉ tiêu",
           "code": "Mã kiểm tra", "msg": "Nội dung", "error": "Lỗi", "warning": "Cảnh báo",
           "total": "Tổng cộng: {n} tệp, {ok} hợp lệ, {bad} có lỗi."},
    "en": {"file": "File", "agency": "Agency", "year": "Year", "ok": "VALID", "bad": "ERRORS",
           "errors": "error(s)", "warnings": "warning(s)", "sev": "Severity", "where": "Where",
           "ind": "Indicator", "code": "Check", "msg": "Message", "error": "Error", "warning": "Warning",
           "total": "Total: {n} file(s), {ok} valid, {bad} with errors."},
}


def report_json(report: ValidationReport, lang: str = "vi") -> str:
    return json.dumps(report.to_dict(lang), ensure_ascii=False, indent=1)


def _file_title(f: FileReport, lang: str) -> Text:
    """The file's line: its name (text from outside, never markup) and its result."""
    L = _L[lang]
    title = Text(safe_text(f.path), style="bold")
    title.append(" · ")
    title.append(L["ok"] if f.valid else L["bad"], style="bold green" if f.valid else "bold red")
    bits = []
    if f.agency:
        bits.append(f"{L['agency']}: {f.agency}")
    if f.year:
        bits.append(f"{L['year']}: {f.year}")
    bits.append(f"{f.errors} {L['errors']}, {f.warnings} {L['warnings']}")
    title.append(" · " + " · ".join(bits))
    return title


def print_report(report: ValidationReport, console: Console, lang: str = "vi", max_rows: int = 200) -> None:
    L = _L[lang]
    for f in report.files:
        console.print(_file_title(f, lang), highlight=False)
        if not f.issues:
            continue
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column(L["sev"], no_wrap=True)
        table.add_column(L["where"], no_wrap=True)
        table.add_column(L["ind"], no_wrap=True)
        table.add_column(L["code"], no_wrap=True)
        table.add_column(L["msg"], ratio=1, overflow="fold")
        rows: list[Any] = sorted(f.issues, key=lambda i: (i.severity != "error", _order(i.cell)))
        for i in rows[:max_rows]:
            sev = f"[red]{L['error']}[/]" if i.severity == "error" else f"[yellow]{L['warning']}[/]"
            ind = i.indicator or ""
            if i.component:
                ind += f" ({i.component})"
            # the location and the message hold text from the file: shown as text, never markup
            table.add_row(sev, Text(safe_text(i.location)), ind, i.code, Text(safe_text(i.message(lang))))
        if len(rows) > max_rows:
            table.add_row("…", "", "", "", f"+{len(rows) - max_rows}")
        console.print(table)
    n = len(report.files)
    ok = sum(f.valid for f in report.files)
    console.print(L["total"].format(n=n, ok=ok, bad=n - ok))


def _order(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (0, "")
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), cell)
