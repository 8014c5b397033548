"""Feedback copies: the agency's own workbook, annotated, ready to email back.

For each returned form with issues: every offending cell is highlighted (red for an
error, yellow for a warning) and carries a comment with the message; a summary sheet in
front says, in Vietnamese (or English), what to fix and lists every issue with its cell.
The form's identity and protection are kept, so the corrected copy can be sent back and
collected like any return. File names stay ASCII; bytes are deterministic: the only times
written (the date on the summary, the document's created/modified stamps, which openpyxl
would set to the moment of saving) are the submission's arrival as the ledger records it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sdgxl import i18n
from sdgxl.areas import receiver as receiver_of
from sdgxl.fileio import atomic_write_bytes
from sdgxl.ingest.reader import FileProblem, feedback_problem, read_bytes
from sdgxl.outputs.summary import issue_code
from sdgxl.resources import load_texts
from sdgxl.text import safe_text, slug
from sdgxl.validate import FileReport
from sdgxl.validate.checks import CHECKS, Issue
from sdgxl.xlsxw import row_height

__all__ = ["feedback_filename", "write_feedback"]

FIXED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
WIDTHS = (6, 10, 13, 12, 24, 64)  # the summary's columns: No., severity, cell, indicator, check, message
VN_TIME = dt.timezone(dt.timedelta(hours=7))  # the date as the province's clocks show it



def feedback_filename(source: Path, lang: str = "vi") -> str:
    """ASCII and Windows-safe: ``2026_SYT_bao-cao-sdg_phan-hoi.xlsx``; ``Báo cáo Sở Y tế.xlsx``
    gives ``bao-cao-so-y-te_phan-hoi.xlsx``."""
    stem = source.stem if re.fullmatch(r"[A-Za-z0-9_.-]+", source.stem) else slug(source.stem)
    return f"{stem or 'bao-cao'}_{'feedback' if lang == 'en' else 'phan-hoi'}.xlsx"


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _deterministic_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The package with fixed member times, and the save time openpyxl stamps into
    ``docProps/core.xml`` replaced by ``stamp``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(lambda m: m.group(1) + iso + m.group(2), body)
            zf.writestr(zi, body)
    return out.getvalue()


def write_feedback(report: FileReport, source: Path, out_dir: Path, *, lang: str = "vi",
                   received: dt.datetime | None = None, agency_name: str | None = None,
                   name: str | None = None, sha256: str | None = None, fresh: Path | None = None,
                   year: int | None = None, codes: Mapping[str, str] | None = None) -> Path | None:
    """Write the annotated copy of ``source``; None when the file cannot carry feedback: not
    an .xlsx, no longer the version recorded (``sha256``), over the bounds of what may be
    rewritten (:func:`sdgxl.ingest.reader.feedback_problem`), or refused by the rewriter.
    ``received``: when the file arrived (the ledger's ``received_at``), the date shown and
    the document's time stamps (a fixed time when not given). ``fresh``: the form of ``year``
    made for a wrong-year file (it cannot be corrected in place), named in the instructions
    instead of "correct this file". ``codes``: row key → the code as printed (``3.9 (Nữ)``,
    :func:`sdgxl.catalogue.views.printed_codes`)."""
    if not report.readable or not report.issues or source.suffix.lower() != ".xlsx":
        return None
    try:
        data = read_bytes(source)
    except FileProblem:
        return None
    if (sha256 is not None and hashlib.sha256(data).hexdigest() != sha256) or feedback_problem(data):
        return None
    try:
        book = _annotate(report, source, data, lang, received, agency_name, fresh, year, codes)
    except Exception:  # a file our reader accepted but openpyxl cannot rewrite
        return None
    path = out_dir / (name or feedback_filename(source, lang))
    atomic_write_bytes(path, book)
    return path


def _put(ws: Any, row: int, col: int, value: str | int) -> Any:
    """A cell of the summary sheet: text from a file is text (never a formula: a file named
    ``=1+2.xlsx`` is shown as its name), with what XML cannot hold replaced visibly."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _annotate(report: FileReport, source: Path, data: bytes, lang: str, received: dt.datetime | None,
              agency_name: str | None, fresh: Path | None, year: int | None,
              codes: Mapping[str, str] | None = None) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    L = load_texts(lang)["feedback"]
    stamp = (received or FIXED).astimezone(dt.timezone.utc)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    red = PatternFill("solid", fgColor="FFC7CE")
    yellow = PatternFill("solid", fgColor="FFEB9C")
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in report.issues:
        if issue.sheet and issue.cell and issue.sheet in wb.sheetnames:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    for (sheet, ref), found in by_cell.items():
        cell = wb[sheet][ref]
        worst = "error" if any(i.severity == "error" for i in found) else "warning"
        cell.fill = red if worst == "error" else yellow
        # "[Lỗi] Không phải số (value-not-number): …": the check's title and code, as the summary shows them
        text = safe_text("\n".join(f"[{L[i.severity]}] {CHECKS[i.code].title(lang)} ({i.code}): {i.message(lang)}"
                                   for i in found))
        comment = Comment(text, "sdgxl")
        comment.width, comment.height = 320, 40 + 40 * len(found)
        cell.comment = comment
    ws = wb.create_sheet(L["sheet"], 0)
    dpi = receiver_of(year or report.year)  # the receiver of the year collected (not of an old form's year)
    bold = Font(name="Times New Roman", bold=True)
    plain = Font(name="Times New Roman")
    wrap = Alignment(wrap_text=True, vertical="top")
    _put(ws, 1, 1, L["title"].format(year=report.year))
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    ws.merge_cells("A1:F1")
    agency = report.agency or ""
    if agency_name:
        agency = f"{agency} – {agency_name}"
    rows = [(L["agency"], agency), (L["file"], source.name),
            (L["when"], i18n.date(stamp.astimezone(VN_TIME).date(), lang) if received else "")]
    r = 3
    for label, value in rows:
        _put(ws, r, 1, label).font = bold
        _put(ws, r, 3, value).font = plain
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        r += 1
    r += 1
    _put(ws, r, 1, L["summary"].format(errors=report.errors, warnings=report.warnings)).font = bold
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    r += 1
    # the sheets the issues are in (the narratives' sheet as well as the data sheet), in the
    # workbook's order; the data sheet when no issue names a sheet of the file
    named = {i.sheet for i in report.issues if i.sheet}
    sheets = [s for s in wb.sheetnames if s in named and s != L["sheet"]] or [report.data_sheet or ""]
    data_sheet = ", ".join(f"\"{s}\"" for s in sheets if s)
    receiver = dpi.get("name_en" if lang == "en" else "name", "")
    if fresh is not None and "how_wrong_year" in L:
        text = L["how_wrong_year"].format(old=report.year, year=year, fresh=fresh.name, dpi=receiver)
    else:
        text = L["how"].format(data=data_sheet, dpi=receiver)
    how = _put(ws, r, 1, text)
    how.font, how.alignment = plain, wrap
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    ws.row_dimensions[r].height = row_height([(how.value, sum(WIDTHS))], font_size=11)
    r += 1
    _put(ws, r, 1, L["contact"].format(email=dpi.get("email", ""), phone=dpi.get("phone", ""))).font = plain
    r += 2
    for c, key in enumerate(("no", "sev", "where", "ind", "check", "msg"), start=1):
        cell = _put(ws, r, c, L[key])
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    r += 1
    ordered = sorted(report.issues, key=lambda i: (i.severity != "error", i.location))
    for n, issue in enumerate(ordered, start=1):
        top = Alignment(vertical="top")  # a row's cells start on one line (the message may wrap)
        no = _put(ws, r, 1, n)
        no.font, no.alignment = plain, top
        sev = _put(ws, r, 2, L[issue.severity])
        sev.font, sev.fill, sev.alignment = plain, red if issue.severity == "error" else yellow, top
        for at, place in ((3, issue.location), (4, issue_code(issue, codes))):
            cell = _put(ws, r, at, place)
            cell.font, cell.alignment = plain, top
        check = _put(ws, r, 5, CHECKS[issue.code].label(lang))
        check.font, check.alignment = plain, wrap
        msg = _put(ws, r, 6, issue.message(lang))
        msg.font, msg.alignment = plain, wrap
        ws.row_dimensions[r].height = row_height([(msg.value, WIDTHS[5]), (check.value, WIDTHS[4])], font_size=11)
        r += 1
    for col, width in zip("ABCDEF", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.properties.created = stamp.replace(tzinfo=None)
    wb.properties.modified = stamp.replace(tzinfo=None)
    wb.properties.lastModifiedBy = "sdgxl"
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue(), stamp)
