"""The functions the console's buttons call (through xlwings' ``RunPython``).

Each reads the settings from the calling workbook, delegates the work to the same library
functions the CLI uses, and writes the results back with the xlwings Book API only
(``xw.Book.caller()``, ranges' ``.value``, ``.color``, ``.add_hyperlink``, ``app.alert``),
so they work with desktop Excel and with xlwings' JSON book engine alike. A problem is
shown to the officer as a message box in Vietnamese (or English), never as a traceback.
xlwings is imported only here: ``import sdgxl`` never needs it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdgxl import i18n
from sdgxl.console.build import MESSAGE_CELL, RESULTS_ROW, SETTINGS, SHEET
from sdgxl.errors import SdgxlError
from sdgxl.i18n import t
from sdgxl.outputs import summary

__all__ = ["check_file", "collect", "generate", "open_consolidated"]

GREEN, RED, YELLOW, GREY = (198, 239, 206), (255, 199, 206), (255, 235, 156), (242, 242, 242)
_COLOUR = {"valid": GREEN, "warnings": YELLOW, "errors": RED, "skipped": GREY}
WIDTH = 6  # columns of the results table (B:G)


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


def _settings(book: Any) -> dict[str, Any]:
    sheet = book.sheets[SHEET]
    out: dict[str, Any] = {}
    for key, (cell, *_rest) in SETTINGS.items():
        value = sheet[cell].value
        out[key] = "" if value is None else value
    year = out.get("year")
    if isinstance(year, (int, float)):
        out["year"] = int(year)
    elif str(year).strip().isdigit():
        out["year"] = int(str(year).strip())
    else:
        out["year"] = None
    out["lang"] = "en" if str(out.get("lang", "vi")).strip().lower().startswith("en") else "vi"
    return out


def _clear(sheet: Any) -> None:
    rng = sheet.range((RESULTS_ROW, 2), (RESULTS_ROW + 200, 1 + WIDTH))
    rng.value = None
    rng.color = None


def _table(sheet: Any, header: list[str], rows: list[list[Any]], colours: list[tuple[int, int, int] | None]) -> None:
    _clear(sheet)
    sheet.range((RESULTS_ROW, 2)).value = [header + [""] * (WIDTH - len(header))]
    sheet.range((RESULTS_ROW, 2), (RESULTS_ROW, 1 + WIDTH)).color = (221, 235, 247)
    if rows:
        sheet.range((RESULTS_ROW + 1, 2)).value = [r + [""] * (WIDTH - len(r)) for r in rows]
    for i, colour in enumerate(colours):
        if colour is not None:
            sheet.range((RESULTS_ROW + 1 + i, 2), (RESULTS_ROW + 1 + i, 1 + WIDTH)).color = colour


def _run(action: Callable[[Any, Any, dict[str, Any]], str]) -> None:
    """Run one button's work; every outcome ends in a message (never a traceback)."""
    book = _caller()
    sheet = book.sheets[SHEET]
    settings = _settings(book)
    lang = settings["lang"]
    try:
        message = action(book, sheet, settings)
    except SdgxlError as exc:
        message = exc.text(lang)
        sheet[MESSAGE_CELL].value = message
        sheet[MESSAGE_CELL].color = RED
        book.app.alert(message, title="sdgxl")
        return
    except Exception as exc:  # shown, not raised: the officer sees a message box
        message = t("internal_error_short", lang, kind=type(exc).__name__, reason=str(exc))
        sheet[MESSAGE_CELL].value = message
        sheet[MESSAGE_CELL].color = RED
        book.app.alert(message, title="sdgxl")
        return
    sheet[MESSAGE_CELL].value = message
    sheet[MESSAGE_CELL].color = GREEN
    book.app.alert(message, title="sdgxl")


def _need(settings: dict[str, Any], key: str, lang: str) -> Any:
    value = settings.get(key)
    if value in (None, ""):
        label = SETTINGS[key][2 if lang == "en" else 1]
        raise SdgxlError("setting_missing", label=label)
    return value


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


# --------------------------------------------------------------------------- the buttons
def generate() -> None:
    """Button "Tạo biểu mẫu": one form per agency for the year, into the forms folder."""
    def action(book: Any, sheet: Any, s: dict[str, Any]) -> str:
        from sdgxl.catalogue import load_catalogue
        from sdgxl.forms.generate import generate_forms

        lang = s["lang"]
        year = _need(s, "year", lang)
        out = Path(str(_need(s, "forms", lang)))
        results = generate_forms(load_catalogue(), int(year), out, lang=lang)
        header = [t(k, lang) for k in ("h_agency", "h_name_short", "h_count", "h_rows_short", "h_file")]
        _table(sheet, header, [[r.agency, r.agency_name, r.indicators, r.rows, r.path.name] for r in results],
               [None] * len(results))
        for i, r in enumerate(results):
            sheet.range((RESULTS_ROW + 1 + i, 5)).add_hyperlink(_uri(r.path), r.path.name)
        return t("forms_written", lang, n=len(results), year=year, out=out)

    _run(action)


def collect() -> None:
    """Button "Tổng hợp": collect the inbox, write the outputs, summarise each file here."""
    def action(book: Any, sheet: Any, s: dict[str, Any]) -> str:
        from sdgxl.catalogue import load_catalogue
        from sdgxl.collect import collect as run_collect

        lang = s["lang"]
        inbox = Path(str(_need(s, "inbox", lang)))
        result = run_collect(inbox, load_catalogue(), year=s["year"], out_dir=Path(str(_need(s, "out", lang))),
                             db=str(_need(s, "db", lang)), lang=lang)
        summarised = summary.collect_rows(result, lang)
        rows: list[list[Any]] = [r.cells for r in summarised]
        colours: list[tuple[int, int, int] | None] = [_COLOUR[r.kind] for r in summarised]
        chase = summary.chase_rows(result, lang)
        if chase:
            rows.append(["", "", "", "", "", ""])
            colours.append(None)
            rows.append([t("to_chase", lang), "", "", "", "", ""])
            colours.append(None)
            for agency, _name, why in chase:
                rows.append([agency, why, "", "", "", ""])
                colours.append(YELLOW)
        header = summary.collect_header(lang)
        _table(sheet, header, rows, colours)
        for i, f in enumerate(result.files):
            if f.feedback:
                sheet.range((RESULTS_ROW + 1 + i, 7)).add_hyperlink(_uri(f.feedback), f.feedback.name)
        if result.consolidated:
            link_row = RESULTS_ROW + 2 + len(rows)
            sheet.range((link_row, 2)).add_hyperlink(_uri(result.consolidated), result.consolidated.name)
        return summary.collect_message(result, lang)

    _run(action)


def check_file() -> None:
    """Button "Kiểm tra tệp": validate one file and list its issues here."""
    def action(book: Any, sheet: Any, s: dict[str, Any]) -> str:
        from sdgxl.catalogue import load_catalogue
        from sdgxl.validate import validate_file

        lang = s["lang"]
        path = Path(str(_need(s, "file", lang)))
        if not path.exists():
            raise SdgxlError("file_not_found", path=path)
        report_cat = load_catalogue()
        report = validate_file(path, report_cat, year=s["year"])
        from sdgxl.catalogue.views import printed_codes

        rows = summary.issue_rows(report.issues, lang, printed_codes(report_cat, lang))
        _table(sheet, summary.issue_header(lang), [r.cells for r in rows], [_COLOUR[r.kind] for r in rows])
        return summary.file_message(report, path.name, lang)

    _run(action)


def open_consolidated() -> None:
    """Button "Mở bảng tổng hợp": open the year's consolidated workbook (a link here too)."""
    def action(book: Any, sheet: Any, s: dict[str, Any]) -> str:
        from sdgxl.outputs.workbook import consolidated_filename

        lang = s["lang"]
        year = _need(s, "year", lang)
        path = Path(str(_need(s, "out", lang))) / consolidated_filename(int(year), lang)
        if not path.exists():
            raise SdgxlError("no_consolidated", year=year, path=path)
        _table(sheet, [t("h_consolidated", lang)], [[path.name]], [GREEN])
        sheet.range((RESULTS_ROW + 1, 2)).add_hyperlink(_uri(path), path.name)
        if sys.platform == "win32":  # pragma: no cover - desktop Windows only
            os.startfile(path)  # type: ignore[attr-defined]
        return t("consolidated_at", lang, path=path, when=i18n.datetime(
            dt.datetime.fromtimestamp(path.stat().st_mtime), lang))

    _run(action)
