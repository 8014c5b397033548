"""A fresh form for the right year, filled from an agency's return on a wrong-year or stale
form: the values that match by indicator code (and component) are carried over and
highlighted for the agency to confirm. A wrong-year file cannot be corrected in place (its
identity is last year's), so this is what the agency gets back (``sdgxl migrate`` for the
officer; collect writes one into `bieu-mau-moi/` for a wrong-year file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sdgxl.catalogue.models import Catalogue, cycle_date
from sdgxl.errors import UsageError
from sdgxl.fileio import atomic_write_bytes
from sdgxl.forms.generate import Prefill, form_bytes
from sdgxl.forms.spec import build_spec, form_filename
from sdgxl.resources import load_province, status_labels
from sdgxl.validate.engine import FileReport, validate_file

__all__ = ["MigratedForm", "migrate_form", "migrate_report"]


@dataclass
class MigratedForm:
    path: Path
    agency: str
    year: int
    from_year: int | None
    carried: int  # values carried over
    rows: int  # rows of the fresh form


def migrate_report(report: FileReport, cat: Catalogue, year: int, out: Path, *,
                   password: str | None = None) -> MigratedForm | None:
    """The fresh form of ``year`` for the agency of ``report`` (its successor after a
    merger), written at ``out`` (a folder: the usual form name plus the year it came from);
    None when the report has no agency or no values to carry."""
    if not report.agency or report.agency not in {a.id for a in cat.agencies}:
        return None
    agency = cat.successor(report.agency, cycle_date(year))
    lang = report.lang if report.lang in ("vi", "en") else "vi"
    spec = build_spec(cat, agency, year, lang=lang)
    if not spec.rows:
        return None
    status_label = status_labels(lang)
    keys = {r.key for r in spec.rows}
    carried: dict[str, Prefill] = {}
    for o in report.observations:
        if o.row_key not in keys:
            continue
        numeric = next(r for r in spec.rows if r.key == o.row_key).numeric
        value: float | str | None = o.value if o.value is not None else (None if numeric else o.value_text)
        if value is None and not o.data_status:
            continue
        carried[o.row_key] = Prefill(value, status_label.get(o.data_status or ""), o.source, o.note)
    if password is None:
        password = str(load_province().get("cycle", {}).get("password", "sdgxl"))
    name = form_filename(year, agency, lang)
    if report.year and report.year != year:
        name = name[: -len(".xlsx")] + f"_tu-{report.year}.xlsx"
    target = Path(out) / name
    atomic_write_bytes(target, form_bytes(spec, password=password, prefill=carried))
    return MigratedForm(target, agency, year, report.year, len(carried), len(spec.rows))


def migrate_form(old: Path | str, cat: Catalogue, year: int, out: Path | str) -> MigratedForm:
    """``sdgxl migrate OLD.xlsx --year 2026``: read ``old`` as any return (without trusting
    it) and write the fresh form of ``year`` with its matching values carried over."""
    report = validate_file(old, cat)
    if not report.readable or not report.agency:
        raise UsageError("migrate_unreadable", path=str(old))
    done = migrate_report(report, cat, year, Path(out))
    if done is None:
        raise UsageError("migrate_nothing", path=str(old), year=year)
    return done
