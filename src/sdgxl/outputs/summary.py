"""The validate and collect summaries, in words: one presenter for every front end.

The CLI (rich tables) and the Excel console (:mod:`sdgxl.console.xl`, cell ranges) show
the same summaries; both take them from here, so a label or a status word is written
once (in :data:`sdgxl.i18n.MESSAGES`). Each row carries a ``kind`` (``"valid"``,
``"warnings"``, ``"errors"``, ``"skipped"``) that the front end turns into its own colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdgxl.i18n import t
from sdgxl.validate.checks import CHECKS, Issue

if TYPE_CHECKING:
    from sdgxl.collect import CollectResult
    from sdgxl.validate.engine import FileReport, ValidationReport

__all__ = ["Row", "chase_rows", "collect_message", "collect_outputs", "collect_rows", "file_message",
           "issue_rows", "validate_total"]


@dataclass(frozen=True)
class Row:
    cells: list[Any]
    kind: str  # valid | warnings | errors | skipped


def _order(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (0, "")
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), cell)


def issue_header(lang: str) -> list[str]:
    return [t(k, lang) for k in ("h_severity", "h_where", "h_indicator", "h_check", "h_message")]


def issue_code(issue: Issue, codes: Mapping[str, str] | None = None) -> str:
    """The indicator of an issue as printed: ``3.9 (Nữ)`` with ``codes`` (row key → printed code,
    :func:`sdgxl.catalogue.views.printed_codes`), else ``3.9 (nu)``."""
    if not issue.indicator:
        return ""
    if not issue.component:
        return issue.indicator
    key = f"{issue.indicator}#{issue.component}"
    return (codes or {}).get(key) or f"{issue.indicator} ({issue.component})"


def issue_rows(issues: Iterable[Issue], lang: str, codes: Mapping[str, str] | None = None) -> list[Row]:
    """Errors first, then in the order of the sheet: severity, place, indicator, code, message."""
    ordered = sorted(issues, key=lambda i: (i.severity != "error", _order(i.cell), i.location))
    return [Row([t(f"sev_{i.severity}", lang), i.location, issue_code(i, codes), CHECKS[i.code].label(lang),
                 i.message(lang)],
                "errors" if i.severity == "error" else "warnings") for i in ordered]


def file_title(f: FileReport, lang: str) -> list[str]:
    """The parts of one file's heading: path, verdict, agency, year, counts."""
    bits = [f.path, t("file_valid" if f.valid else "file_invalid", lang)]
    if f.agency:
        bits.append(f"{t('h_agency', lang)}: {f.agency}")
    if f.year:
        bits.append(f"{t('h_year', lang)}: {f.year}")
    bits.append(t("n_errors_warnings", lang, errors=f.errors, warnings=f.warnings))
    return bits


def file_message(f: FileReport, name: str, lang: str) -> str:
    if f.valid:
        return t("check_valid", lang, file=name, warnings=f.warnings)
    return t("check_invalid", lang, file=name, errors=f.errors, warnings=f.warnings)


def validate_total(report: ValidationReport, lang: str) -> str:
    n = len(report.files)
    ok = sum(f.valid for f in report.files)
    return t("validate_total", lang, n=n, ok=ok, bad=n - ok)


def collect_header(lang: str) -> list[str]:
    return [t(k, lang) for k in ("h_agency", "h_file", "h_status", "h_errors", "h_warnings", "h_feedback")]


def collect_rows(result: CollectResult, lang: str) -> list[Row]:
    """A row per file: agency, file, status word, errors, warnings, feedback file."""
    rows = []
    for f in result.files:
        if f.status == "skipped":
            status, kind = t("st_skipped", lang), "skipped"
        elif f.status == "unreadable":
            status, kind = t("st_unreadable", lang), "errors"
        elif f.valid:
            status, kind = t("st_valid", lang), "warnings" if f.warnings else "valid"
        else:
            status, kind = t("st_errors", lang), "errors"
        rows.append(Row([f.agency or "?", f.path.name, status, f.errors, f.warnings,
                         f.feedback.name if f.feedback else ""], kind))
    return rows


def chase_rows(result: CollectResult, lang: str) -> list[tuple[str, str, str]]:
    """(agency id, agency name, why) of every agency that must act (nothing or too little sent,
    values with errors); one that was only late is in :func:`late_rows`."""
    con = result.consolidation
    if con is None:
        return []
    return [(st.agency, st.name_in(lang), st.reason(lang)) for st in con.agencies if st.to_chase]


def late_rows(result: CollectResult, lang: str) -> list[tuple[str, str]]:
    """(agency id, agency name) of agencies that reported in full but late: nothing to chase."""
    con = result.consolidation
    if con is None:
        return []
    return [(st.agency, st.name_in(lang)) for st in con.agencies if st.late and not st.to_chase]


def late_lines(result: CollectResult, lang: str) -> list[str]:
    """Who is late and why: a title, then a line per late agency (when its first return
    arrived and where that time comes from), then those whose lateness is not known."""
    import datetime as dt

    from sdgxl import i18n
    from sdgxl.resources import load_texts

    con = result.consolidation
    if con is None:
        return []
    labels = load_texts(lang)["consolidated"]
    lines = []
    late = [st for st in con.agencies if st.late and st.first_received]
    if late:
        lines.append(t("late_title", lang, deadline=i18n.date(con.deadline, lang)))
    for st in late:
        when = dt.datetime.fromisoformat(str(st.first_received)).astimezone(dt.timezone(dt.timedelta(hours=7)))
        lines.append("  • " + t("late_line", lang, agency=st.agency, name=st.name_in(lang),
                                when=i18n.datetime(when, lang),
                                source=labels.get(f"src_{st.received_source}", st.received_source)))
    unknown = [st.agency for st in con.agencies if st.submitted and st.late is None]
    if unknown:
        lines.append(t("late_unknown", lang, agencies=", ".join(unknown)))
    return lines


def collect_outputs(result: CollectResult, lang: str) -> list[tuple[str, str]]:
    """(label, where) of what a collect wrote: the ledger, the workbook, the data, the feedback."""
    lines = [(t("out_ledger", lang), str(result.ledger))]
    for key, path in (("out_consolidated", result.consolidated), ("out_csv", result.csv),
                      ("out_parquet", result.parquet)):
        if path:
            lines.append((t(key, lang), str(Path(path).resolve())))
    if result.feedback:
        lines.append((t("out_feedback", lang), f"{result.feedback[0].parent.resolve()} ({len(result.feedback)})"))
    if result.replies:
        lines.append((t("out_replies", lang), f"{result.replies[0].parent.resolve()} ({len(result.replies)})"))
    return lines


def collect_message(result: CollectResult, lang: str) -> str:
    """One sentence: new files, how many with errors, how many skipped, who to chase."""
    return t("collect_done", lang, year=result.year, new=len(result.new),
             bad=sum(1 for f in result.new if not f.valid), skipped=len(result.skipped),
             chase=len(chase_rows(result, lang)), path=result.consolidated)
