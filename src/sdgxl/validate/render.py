"""Render validation reports for people (rich tables) and programs (JSON)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sdgxl.outputs import summary
from sdgxl.text import safe_text
from sdgxl.validate.engine import ValidationReport

__all__ = ["print_report", "report_json"]

_STYLE = {"errors": "red", "warnings": "yellow"}


def report_json(report: ValidationReport, lang: str = "vi") -> str:
    return json.dumps(report.to_dict(lang), ensure_ascii=False, indent=1)


def print_report(report: ValidationReport, console: Console, lang: str = "vi", max_rows: int = 200,
                 codes: Mapping[str, str] | None = None) -> None:
    """The report as tables; ``codes``: row key → code as printed (components by their label)."""
    for f in report.files:
        path, verdict, *rest = summary.file_title(f, lang)
        colour = "green" if f.valid else "red"
        # what comes from a file is text: markup escaped, control characters replaced
        console.print(" · ".join([f"[bold]{escape(safe_text(path))}[/]", f"[bold {colour}]{verdict}[/]",
                                  *map(escape, rest)]),
                      highlight=False)
        if not f.issues:
            continue
        table = Table(show_header=True, header_style="bold", expand=True)
        for n, head in enumerate(summary.issue_header(lang)):
            if n == 4:
                table.add_column(head, ratio=1, overflow="fold")
            elif n == 3:  # the check: its title and code, "Không phải số (value-not-number)"
                table.add_column(head, overflow="fold")
            else:
                table.add_column(head, no_wrap=True)
        rows = summary.issue_rows(f.issues, lang, codes)
        for row in rows[:max_rows]:
            sev, *cells = row.cells
            table.add_row(f"[{_STYLE[row.kind]}]{sev}[/]", *(escape(safe_text(str(c))) for c in cells))
        if len(rows) > max_rows:
            table.add_row("…", "", "", "", f"+{len(rows) - max_rows}")
        console.print(table)
    console.print(summary.validate_total(report, lang))
