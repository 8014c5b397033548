"""The ``sdgxl`` command: a thin layer over the library.

Each command parses its options, calls one library function and renders the result.
Library exceptions (:class:`sdgxl.errors.SdgxlError`) become a message in the user's
language and an exit code; anything unexpected becomes a short message and a crash log,
never a traceback on screen.

Exit codes: 0 done; 1 the data has errors (a form, a catalogue); 2 usage error (bad
option, missing file); 73 an output cannot be written; 75 the ledger is busy; 70 internal error.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sdgxl import i18n
from sdgxl.catalogue.models import ROADMAP_YEARS
from sdgxl.errors import CatalogueError, SdgxlError, UsageError
from sdgxl.fileio import make_dir
from sdgxl.i18n import default_lang, t
from sdgxl.text import safe_text

app = typer.Typer(
    name="sdgxl",
    help="Chu trình báo cáo SDG cấp tỉnh trong Excel / A province's SDG reporting cycle in Excel.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help, in the user's language (sdgxl.cli_help)
)
catalogue_app = typer.Typer(help="Danh mục chỉ tiêu / the indicator catalogue.", no_args_is_help=True,
                            rich_markup_mode=None)
app.add_typer(catalogue_app, name="catalogue")

out = Console(soft_wrap=False)
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


class Lang(str, Enum):
    vi = "vi"
    en = "en"


LangOpt = Annotated[Lang | None, typer.Option("--lang", help="vi | en", envvar="SDGXL_LANG", show_envvar=False)]
_CLI_LANG: str | None = None  # the language main() decided before parsing (--lang anywhere, SDGXL_LANG)
CatOpt = Annotated[
    Path | None,
    typer.Option("--catalogue", help="Danh mục khác (JSON hoặc .xlsx) / another catalogue file"),
]


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _lang(value: Lang | str | None) -> str:
    if isinstance(value, Lang):
        return value.value
    return value or _CLI_LANG or default_lang()


@app.callback()
def _program(lang: LangOpt = None) -> None:
    """The options before the command: ``sdgxl --lang en status``."""
    global _CLI_LANG
    if lang is not None:
        _CLI_LANG = lang.value


def guarded(func: F) -> F:
    """Turn library errors into messages and exit codes (no tracebacks for users)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = _lang(kwargs.get("lang"))
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except CatalogueError as exc:
            err.print(exc.text(lang), style="bold red", markup=False, highlight=False)
            for p in exc.problems:
                err.print(f"  • {p.place(lang)}: {p.text(lang)}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except SdgxlError as exc:
            err.print(exc.text(lang), style="bold red", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as exc:
            log = Path(tempfile.gettempdir()) / "sdgxl-crash.log"
            with contextlib.suppress(OSError):
                log.write_text(
                    f"{dt.datetime.now().isoformat()} sdgxl {' '.join(sys.argv[1:])}\n"
                    + traceback.format_exc(),
                    encoding="utf-8",
                )
            err.print(t("internal_error", lang, kind=type(exc).__name__, log=log), style="bold red",
                      markup=False, highlight=False)
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def _require_file(path: Path) -> None:
    if not path.exists():
        raise UsageError("file_not_found", path=path)


def _require_ledger(db: str) -> None:
    if not ("://" in db or Path(db).exists()):
        raise UsageError("no_ledger", db=Path(db).absolute())


def _warn_new_ledger(db: str, lang: str) -> None:
    """A collect that would start a new, empty ledger says so, with where the ledger is: the
    default (sdgxl.sqlite in the current folder) differs from one folder to the next."""
    if "://" in db or Path(db).exists():
        return
    where = Path(db).absolute()
    err.print(t("new_ledger", lang, path=where), style="yellow", markup=False, highlight=False, soft_wrap=True)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    """Rows as CSV on standard output (lists joined with ';')."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0].keys()) if rows else ["code"], lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: (";".join(map(str, v)) if isinstance(v, list) else v) for k, v in r.items()})
    sys.stdout.write(buf.getvalue())


def _load(catalogue: Path | None) -> Any:
    from sdgxl.catalogue import load_catalogue

    if catalogue is not None and not catalogue.exists():
        raise UsageError("catalogue_not_found", path=catalogue)
    return load_catalogue(catalogue)


# --------------------------------------------------------------------------- catalogue
@catalogue_app.command("show")
@guarded
def catalogue_show(
    goal: Annotated[int | None, typer.Option(help="Chỉ mục tiêu N / only goal N")] = None,
    agency: Annotated[str | None, typer.Option(help="Chỉ cơ quan ID / only agency ID")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Xem danh mục chỉ tiêu / show the indicator catalogue."""
    from sdgxl.catalogue.views import catalogue_rows, filter_catalogue

    lg = _lang(lang)
    cat = _load(catalogue)
    if agency is not None and agency.upper() not in {a.id for a in cat.agencies}:
        raise UsageError("unknown_agency", agency=agency, ids=cat.reporting_agencies())
    if goal is not None and goal not in {g.number for g in cat.goals}:
        raise UsageError("unknown_goal", goal=goal)
    sub = filter_catalogue(cat, goal=goal, agency=agency.upper() if agency else None)
    if format is TableFormat.json:
        sys.stdout.write(json.dumps(sub.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                                    indent=1) + "\n")
        return
    rows = catalogue_rows(sub)
    if format is TableFormat.csv:
        _write_csv(rows)
        return
    if not rows:
        out.print(t("no_match", lg))
        return
    table = Table(show_lines=False, header_style="bold", expand=True)
    table.add_column(t("h_code", lg), no_wrap=True)
    table.add_column(t("h_indicator", lg), overflow="fold", ratio=4, min_width=24)
    for key in ("h_unit", "h_kind", "h_agencies"):
        table.add_column(t(key, lg), overflow="fold", ratio=1)
    for y in ("2015", "2020", "2025", "2030"):
        table.add_column(y, overflow="fold", ratio=1)
    for r in rows:
        table.add_row(r["code"], r["name"], r["unit"], r["unit_kind"], r["agencies"],
                      r["roadmap_2015"], r["roadmap_2020"], r["roadmap_2025"], r["roadmap_2030"])
    out.print(table)


@catalogue_app.command("check")
@guarded
def catalogue_check(
    file: Annotated[Path | None, typer.Argument(help="Tệp danh mục (JSON, .xlsx); bỏ trống: danh mục kèm theo")] = None,
    lang: LangOpt = None,
) -> None:
    """Kiểm tra một tệp danh mục / check a catalogue file; exit 1 when it has problems.

    Besides the format: every indicator has a direction, and every target the roadmap
    states is parsed (an aim), or its indicator says why not (aim_note). A target, indicator
    or component without an English title is a warning (exit 0): English outputs show the
    Vietnamese title there."""
    from sdgxl.catalogue.load import check_catalogue_file

    lg = _lang(lang)
    if file is not None:
        _require_file(file)
    cat, problems = check_catalogue_file(file)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if warnings:  # reported whatever the errors: a catalogue without English still passes
        err.print(t("catalogue_warnings", lg, n=len(warnings)), style="yellow", markup=False, highlight=False)
        for p in warnings:
            err.print(f"  • {p.place(lg)}: {p.text(lg)}", markup=False, highlight=False)
    shown = str(file) if file is not None else f"({t('bundled_catalogue', lg)})"
    if errors or cat is None:
        raise CatalogueError(shown, errors)
    out.print(t("catalogue_ok", lg, path=shown, goals=len(cat.goals), targets=len(cat.targets),
                indicators=len(cat.indicators), agencies=len(cat.agencies)))


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    json = "json"


@catalogue_app.command("export")
@guarded
def catalogue_export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.xlsx,
    out_path: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Xuất danh mục ra Excel để chỉnh sửa / export the catalogue (xlsx or json)."""
    from sdgxl.catalogue.excel import export_xlsx
    from sdgxl.catalogue.load import dump_catalogue
    from sdgxl.fileio import atomic_write_text

    cat = _load(catalogue)
    target = out_path or Path(f"{cat.id}.{format.value}")
    if format is ExportFormat.xlsx:
        export_xlsx(cat, target, lang=_lang(lang))
    else:
        atomic_write_text(target, dump_catalogue(cat))
    out.print(t("written", _lang(lang), path=target))


@catalogue_app.command("import")
@guarded
def catalogue_import(
    file: Annotated[Path, typer.Argument(help="Danh mục dạng .xlsx (từ catalogue export)")],
    out_path: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    lang: LangOpt = None,
) -> None:
    """Nhập danh mục từ Excel, ghi ra JSON / import a catalogue workbook to JSON."""
    from sdgxl.catalogue.excel import import_xlsx
    from sdgxl.catalogue.load import dump_catalogue
    from sdgxl.fileio import atomic_write_text

    _require_file(file)
    cat = import_xlsx(file)
    target = out_path or file.with_suffix(".json")
    atomic_write_text(target, dump_catalogue(cat))
    out.print(t("written", _lang(lang), path=target))


@catalogue_app.command("merge")
@guarded
def catalogue_merge(
    files: Annotated[list[Path], typer.Argument(help="Các danh mục tiền thân (JSON hoặc .xlsx), danh mục đầu làm gốc")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Dự thảo danh mục kế nhiệm (JSON); kèm tệp .xlsx")]
    = Path("successor.json"),
    id: Annotated[str, typer.Option("--id", help="Mã danh mục mới")] = "successor-draft",
    province: Annotated[str | None, typer.Option("--province", help="Tỉnh của kế hoạch mới")] = None,
    lang: LangOpt = None,
) -> None:
    """Dự thảo kế hoạch kế nhiệm từ các kế hoạch tiền thân / draft a successor plan from predecessor plans."""
    from sdgxl.catalogue.excel import export_xlsx
    from sdgxl.catalogue.extract import dump_catalogue
    from sdgxl.catalogue.merge import merge_catalogues
    from sdgxl.fileio import atomic_write_text

    lg = _lang(lang)
    if len(files) < 2:
        raise UsageError("merge_needs_two")
    cats = [_load(f) for f in files]
    draft = merge_catalogues(cats, id=id, province=province)
    atomic_write_text(out_path, dump_catalogue(draft.catalogue))
    book = export_xlsx(draft.catalogue, out_path.with_suffix(".xlsx"), review=[r.row() for r in draft.review],
                       lang=_lang(lang))
    table = Table(header_style="bold")
    for key in ("kind", "code", "other_plan", "other_code", "draft", "other"):
        table.add_column(key, overflow="fold")
    for r in draft.review:
        if r.kind != "match":
            table.add_row(r.kind, r.code, r.other_plan, r.other_code, r.draft, r.other)
    out.print(table)
    out.print(t("written", lg, path=out_path))
    out.print(t("merge_done", lg, n=len(draft.catalogue.indicators), match=draft.count("match"),
                proposed=draft.count("proposed"), taken=draft.count("code-taken"),
                conflicts=sum(draft.count(k) for k in ("unit", "unit_kind", "roadmap")), xlsx=book.name))


@catalogue_app.command("extract")
@guarded
def catalogue_extract(
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="mặc định: danh mục kèm gói")] = None,
    seed: Annotated[Path | None, typer.Option(help="văn bản kế hoạch (OCR)")] = None,
    corrections: Annotated[Path | None, typer.Option(help="danh sách hiệu chỉnh (TOML)")] = None,
    agencies: Annotated[Path | None, typer.Option(help="danh sách cơ quan (TOML)")] = None,
    lang: LangOpt = None,
) -> None:
    """Dựng lại danh mục từ văn bản kế hoạch / rebuild the catalogue from the plan's text."""
    from sdgxl.catalogue import extract as ex
    from sdgxl.catalogue.load import dump_catalogue
    from sdgxl.fileio import atomic_write_text

    cat = ex.extract(seed or ex.SEED, agencies or ex.AGENCIES, corrections or ex.CORRECTIONS)
    target = out_path or ex.BUNDLED
    atomic_write_text(target, dump_catalogue(cat))
    out.print(t("written", _lang(lang), path=target))


@catalogue_app.command("schema")
@guarded
def catalogue_schema(lang: LangOpt = None) -> None:
    """JSON Schema của tệp danh mục / the JSON Schema of catalogue files."""
    from sdgxl.catalogue.models import Catalogue

    sys.stdout.write(json.dumps(Catalogue.model_json_schema(), ensure_ascii=False, indent=1) + "\n")


# --------------------------------------------------------------------------- agencies
@app.command("agencies")
@guarded
def agencies_cmd(
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    all_: Annotated[bool, typer.Option("--all", help="cả cơ quan chỉ phối hợp / include co-operating bodies")]
    = False,
    year: Annotated[int | None, typer.Option("--year", "-y", help="ai báo cáo gì trong năm này (sau sáp nhập) / "
                                                                  "who reports what in this year")] = None,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Danh sách cơ quan báo cáo / the reporting agencies."""
    from sdgxl.catalogue.views import agency_rows

    lg = _lang(lang)
    cat = _load(catalogue)
    rows = agency_rows(cat, include_all=all_, year=year)
    if format is TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if format is TableFormat.csv:
        _write_csv(rows)
        return
    table = Table(header_style="bold")
    en = lg == "en"  # the registry has no English short names: the English name only
    keys = ("h_id", "h_name", *(() if en else ("h_short",)), "h_count", "h_rows") + (
        ("h_codes", "h_took_over", "h_leads") if year is not None else ())
    for key in keys:
        table.add_column(t(key, lg), overflow="fold")
    for r in rows:
        took = ", ".join(cat.agency(x).short_in(lg) for x in str(r["took_over"]).split(", ") if x)
        extra = (str(r["codes"]), took, str(r["leads"])) if year is not None else ()
        table.add_row(str(r["id"]), str(r["name_en"] if en and r["name_en"] else r["name"]),
                      *(() if en else (str(r["short"]),)), str(r["indicators"]), str(r["rows"]), *extra)
    out.print(table)


# --------------------------------------------------------------------------- generate
@app.command("generate")
@guarded
def generate_cmd(
    year: Annotated[int, typer.Option("--year", "-y", help="Năm báo cáo / reporting year")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi biểu mẫu")] = Path("bieu-mau"),
    agency: Annotated[list[str] | None, typer.Option("--agency", "-a", help="Chỉ cơ quan này (lặp lại được)")]
    = None,
    catalogue: CatOpt = None,
    deadline: Annotated[str | None, typer.Option(help="Hạn gửi dd/mm/yyyy (mặc định 15/11)")] = None,
    password: Annotated[str | None, typer.Option(help="Mật khẩu bảo vệ sheet (mặc định trong province.toml)")]
    = None,
    templates: Annotated[Path | None, typer.Option(help="Thư mục workbook_templates riêng")] = None,
    lang: LangOpt = None,
) -> None:
    """Tạo biểu mẫu báo cáo cho từng cơ quan / generate one form per agency."""
    from sdgxl.forms.generate import generate_forms

    lg = _lang(lang)
    due = None
    if deadline:
        from sdgxl.collect import parse_day

        due = parse_day(deadline)
        if due is None:
            raise UsageError("bad_date", text=deadline)
    cat = _load(catalogue)
    results = generate_forms(cat, year, out_dir, agencies=agency, lang=lg, deadline=due, password=password,
                             templates=templates)
    table = Table(header_style="bold")
    for key in ("h_agency", "h_count", "h_rows", "h_file"):
        table.add_column(t(key, lg), overflow="fold")
    for r in results:
        table.add_row(f"{r.agency} – {cat.agency(r.agency).name_in(lg)}", str(r.indicators), str(r.rows), r.path.name)
    out.print(table)
    out.print(t("forms_written", lg, n=len(results), year=year, out=out_dir.resolve()))
    stated = results[0].deadline if results else None
    if stated is not None and stated < dt.date.today():
        from sdgxl import i18n

        err.print(t("deadline_passed", lg, deadline=i18n.date(stated, lg)), style="yellow", markup=False,
                  highlight=False, soft_wrap=True)


@app.command("migrate")
@guarded
def migrate_cmd(
    old: Annotated[Path, typer.Argument(help="Biểu mẫu năm cũ (hoặc của danh mục cũ) đã điền")],
    year: Annotated[int, typer.Option("--year", "-y", help="Năm của biểu mẫu mới")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi biểu mẫu mới")] = Path("."),
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Chuyển sang biểu mẫu đúng năm / a fresh form for the year, values carried over by indicator code."""
    from sdgxl.forms.migrate import migrate_form

    lg = _lang(lang)
    if not old.exists():
        raise UsageError("file_not_found", path=old)
    done = migrate_form(old, _load(catalogue), year, out_dir)
    out.print(t("migrated", lg, year=year, agency=done.agency, path=done.path.resolve(), carried=done.carried,
                rows=done.rows, old=done.from_year or "?"), markup=False, highlight=False)


# --------------------------------------------------------------------------- validate
class ReportFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("validate")
@guarded
def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="Tệp hoặc thư mục biểu mẫu gửi về / returned files or folders")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.text,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm đang tổng hợp / the year expected")] = None,
    agency: Annotated[str | None, typer.Option("--agency", "-a", help="Cơ quan gửi / the sending agency")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Số tiến trình / worker processes")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Sổ theo dõi: số liệu năm trước để so sánh")] = None,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kiểm tra biểu mẫu gửi về / validate returned forms. Exit 0: no errors; 1: errors; 2: usage."""
    import tempfile

    from sdgxl.validate.render import print_report, report_json

    lg = _lang(lang)
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise UsageError("paths_not_found", paths=missing)
    cat = _load(catalogue)
    history = None
    if db is not None and year is not None:  # the year-on-year check needs last year's values
        from sdgxl.ledger import Ledger

        _require_ledger(db)
        with Ledger(db) as ledger:
            history = ledger.previous_values(year - 1)
    # emails are opened as collect opens them, their attachments written to a scratch folder
    with tempfile.TemporaryDirectory(prefix="sdgxl-validate-") as tmp:
        from sdgxl.validate import validate_inbox

        report = validate_inbox(files, Path(tmp), cat, year=year, agency=agency, jobs=jobs,
                                catalogue_path=str(catalogue) if catalogue else None, history=history)
    if format is ReportFormat.json:
        sys.stdout.write(report_json(report, lg) + "\n")
    else:
        from sdgxl.catalogue.views import printed_codes

        print_report(report, out, lg, codes=printed_codes(cat, lg))
    if not report.valid:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- collect
def _area(area: str | None, year: int | None) -> str:
    """The area a command reads: the one given, else the one province.toml names for the year."""
    from sdgxl.areas import area_id, check_area, province_settings

    return check_area(area) if area else area_id(province_settings(year))


def _reading(db: str, area: str | None, year: int | None) -> Any:
    """The ledger opened on the area a reading command asks for. An area the ledger holds no
    submission of (nor province.toml names) is a usage error listing the areas it does hold:
    a typo would otherwise give an empty table and exit 0."""
    from sdgxl.areas import area_id, province_settings
    from sdgxl.ledger import Ledger

    wanted = _area(area, year)
    ledger = Ledger(db, wanted)
    if area:
        known = set(ledger.areas()) | {area_id(province_settings(year))}
        if wanted not in known:
            ledger.close()
            raise UsageError("unknown_area", area=wanted, known=sorted(known))
    return ledger


def _say_if_empty(ledger: Any, year: int | None, lg: str, then: str | None = None) -> None:
    """A notice (standard error) when the ledger holds nothing of ``year`` in the area read."""
    if year is not None and not ledger.submissions(year):
        err.print(t("year_empty", lg, year=year, area=ledger.area or "", then={"t": then} if then else ""),
                  style="yellow", markup=False,
                  highlight=False, soft_wrap=True)

DbOpt = Annotated[str, typer.Option("--db", help="Sổ theo dõi: tệp SQLite hoặc URL SQLAlchemy (PostgreSQL)",
                                    envvar="SDGXL_DB")]
AreaOpt = Annotated[str | None, typer.Option(
    "--area", help="Địa bàn (mã, ví dụ kien-giang; mặc định theo province.toml) / the area")]


_KIND_STYLE = {"skipped": "dim", "valid": "green", "warnings": "green", "errors": "red"}


def _print_collect(result: Any, lg: str, inbox: Path | None = None) -> None:
    from sdgxl.outputs import summary

    if result.year_from is not None:  # the year was not given: say which one, and why
        out.print(t(f"year_from_{result.year_from}", lg, year=result.year), markup=False, highlight=False)
    table = Table(header_style="bold", expand=True)
    for head in summary.collect_header(lg):
        table.add_column(head, overflow="fold")
    for row in summary.collect_rows(result, lg):
        # what comes from a file is text: markup escaped, control characters replaced
        agency, name, status, *rest = (escape(safe_text(str(c))) for c in row.cells)
        table.add_row(agency, name, f"[{_KIND_STYLE[row.kind]}]{status}[/]", *rest)
    if table.row_count:
        out.print(table)
    else:
        out.print(t("inbox_empty", lg, where=f" {inbox}" if inbox else ""), style="yellow", markup=False,
                  highlight=False)
    chase = summary.chase_rows(result, lg)
    if chase:
        out.print(t("to_chase", lg), style="bold")
        for agency, name, why in chase:
            out.print(f"  • {agency} – {name}: {why}", markup=False, highlight=False)
    late = summary.late_rows(result, lg)
    if late:
        out.print(t("late_only", lg), style="bold")
        for agency, name in late:
            out.print(f"  • {agency} – {name}", markup=False, highlight=False)
    for line in summary.late_lines(result, lg):
        out.print(line, markup=False, highlight=False)
    for label, where in summary.collect_outputs(result, lg):
        out.print(f"{label}: {where}", markup=False, highlight=False)


@app.command("collect")
@guarded
def collect_cmd(
    inbox: Annotated[Path, typer.Argument(help="Thư mục chứa các tệp nhận qua thư điện tử")],
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm báo cáo (mặc định: năm ghi trên biểu)")]
    = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Thư mục kết quả")] = Path("tong-hop"),
    db: DbOpt = "sdgxl.sqlite",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Số tiến trình kiểm tra")] = None,
    feedback: Annotated[bool, typer.Option("--feedback/--no-feedback", help="Tạo tệp phản hồi")] = True,
    strict: Annotated[bool, typer.Option("--strict", help="Không tổng hợp tệp nào có lỗi")] = False,
    received: Annotated[str | None, typer.Option(
        "--received", help="Thời điểm nhận mọi tệp của thư mục (cán bộ ghi nhận), ví dụ 14/11/2026 09:30")] = None,
    area: AreaOpt = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help="Chờ tối đa N giây khi sổ theo dõi đang bị giữ "
                                        "/ seconds to wait for a ledger another program holds")] = 60.0,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Tổng hợp hộp thư / collect an inbox: validate, record, merge, write outputs."""
    from rich.progress import Progress

    from sdgxl.collect import collect

    lg = _lang(lang)
    cat = _load(catalogue)
    if not inbox.exists():
        raise UsageError("folder_not_found", path=inbox)
    _warn_new_ledger(db, lg)
    when = None
    if received is not None:
        from sdgxl.collect import parse_when

        when = parse_when(received)
        if when is None:
            raise UsageError("bad_time", text=received)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(t("checking", lg), total=None)
        result = collect(inbox, cat, year=year, out_dir=out_dir, db=db, jobs=jobs, feedback=feedback,
                         strict=strict, lang=lg, catalogue_path=str(catalogue) if catalogue else None,
                         received=when, area=area,
                         progress=lambda done, total: bar.update(task, completed=done, total=total),
                         wait=wait, on_busy=lambda: err.print(t("ledger_waiting", lg, wait=float(wait)),
                                                              style="yellow", markup=False, highlight=False))
    _print_collect(result, lg, inbox)
    if result.unreadable:
        raise typer.Exit(1)


@app.command("status")
@guarded
def status_cmd(
    year: Annotated[int, typer.Option("--year", "-y", help="Năm báo cáo")],
    db: DbOpt = "sdgxl.sqlite",
    area: AreaOpt = None,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Tiến độ nộp báo cáo / completeness of a year's returns (from the ledger)."""
    from sdgxl.consolidate import consolidate

    lg = _lang(lang)
    first, last = int(ROADMAP_YEARS[0]), int(ROADMAP_YEARS[-1])
    if not first <= year <= last:  # the plan's years: no agency is expected to report another
        raise UsageError("year_outside_plan", year=year, first=first, last=last)
    _require_ledger(db)
    cat = _load(catalogue)
    with _reading(db, area, year) as ledger:
        _say_if_empty(ledger, year, lg, "year_empty_expected")
        con = consolidate(cat, ledger, year)
    table = Table(header_style="bold", expand=True, title=t("returns_title", lg, year=year))
    for key in ("h_agency", "h_expected", "h_received", "h_valid", "h_files", "h_result"):
        table.add_column(t(key, lg), overflow="fold")
    for st in con.agencies:
        colour = "green" if st.complete and not st.late else ("yellow" if st.complete else "red")
        table.add_row(f"{st.agency} – {st.name_in(lg)}", str(st.count.indicators), str(st.indicators_received),
                      str(st.indicators_valid),
                      str(st.files), f"[{colour}]{st.reason(lg)}[/]")
    out.print(table)
    out.print(t("returns_done", lg, done=sum(st.in_full for st in con.agencies), n=len(con.agencies)))
    nd, nt = con.targets_reported()
    out.print(t("targets_done", lg, done=nd, n=nt))


class ExportKind(str, Enum):
    csv = "csv"
    parquet = "parquet"
    json = "json"
    xlsx = "xlsx"
    open_sdg = "open-sdg"
    sdmx_csv = "sdmx-csv"


@app.command("export")
@guarded
def export_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="Chỉ năm này (mặc định: mọi năm)")] = None,
    format: Annotated[ExportKind, typer.Option("--format", "-f")] = ExportKind.csv,
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Tệp (hoặc thư mục với open-sdg)")] = None,
    version: Annotated[int, typer.Option("--version", help="SDMX-CSV 1 hoặc 2", min=1, max=2)] = 1,
    db: DbOpt = "sdgxl.sqlite",
    area: AreaOpt = None,
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Xuất dữ liệu / export: every observation (csv, parquet, json, xlsx), an Open SDG data folder
    (open-sdg) or SDMX-CSV against the SDG data structure (sdmx-csv; the provincial dataflow's
    structure, SDMX-ML 2.1, is written beside it as <name>-structure.xml)."""
    from sdgxl.outputs.tidy import export_narratives, export_observations, narratives_path

    if format in (ExportKind.open_sdg, ExportKind.sdmx_csv):
        _publish(format, out_path, version, year, db, catalogue, _lang(lang))
        return
    _require_ledger(db)
    cat = _load(catalogue)
    target = out_path or Path(f"sdgxl-observations{'-' + str(year) if year else ''}.{format.value}")
    narratives = narratives_path(target)  # what the agencies wrote on their targets, beside the values
    with _reading(db, area, year) as ledger:
        _say_if_empty(ledger, year, _lang(lang))
        if str(target) == "-":  # the convention: standard output
            _to_stdout(lambda path: export_observations(ledger, cat, path, format.value, year), format.value)
            return
        export_observations(ledger, cat, target, format.value, year)
        export_narratives(ledger, narratives, format.value, year)
    out.print(t("written", _lang(lang), path=target))
    out.print(t("written", _lang(lang), path=narratives))


def _to_stdout(write: Callable[[Path], Any], suffix: str) -> None:
    """What ``write`` writes to a file, on standard output (binary formats as bytes; CSV
    without the byte-order mark Excel needs, which a pipe does not)."""
    with tempfile.TemporaryDirectory(prefix="sdgxl-") as tmp:
        path = Path(tmp) / f"out.{suffix}"
        write(path)
        data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# --------------------------------------------------------------------------- areas together
@app.command("combined")
@guarded
def combined_cmd(
    year: Annotated[int, typer.Option("--year", "-y", help="Năm báo cáo")],
    plan: Annotated[list[str], typer.Option("--plan", help="địa-bàn=tệp-danh-mục (lặp lại; chỉ địa bàn: danh mục "
                                                           "kèm gói) / area=catalogue")],
    mapping: Annotated[Path | None, typer.Option("--mapping", help="TOML: [địa-bàn] \"mã của nó\" = \"mã chung\"")]
    = None,
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Ghi bảng ra CSV")] = None,
    db: DbOpt = "sdgxl.sqlite",
    lang: LangOpt = None,
) -> None:
    """Chỉ tiêu chung của nhiều địa bàn trong một sổ / the indicators several areas share, side by side."""
    from sdgxl.areas import check_area
    from sdgxl.consolidate import combine
    from sdgxl.outputs.tidy import csv_safe
    from sdgxl.resources import load_toml

    lg = _lang(lang)
    _require_ledger(db)
    plans = {}
    for item in plan:
        area, _, path = item.partition("=")
        if not area:
            raise UsageError("bad_plan", text=item)
        plans[check_area(area)] = _load(Path(path) if path else None)
    if mapping is not None:
        _require_file(mapping)
    raw = load_toml(mapping) if mapping is not None else {}
    maps = {str(a): {str(k): str(v) for k, v in m.items()} for a, m in raw.items() if isinstance(m, dict)}
    rows = combine(db, plans, year, maps)
    areas = list(plans)
    records = [{"key": r.key, "name": r.name, "unit": r.unit,
                **{a: (c.display if (c := r.cells.get(a)) is not None else None) for a in areas}} for r in rows]
    if out_path is not None:
        from sdgxl.fileio import atomic_write_text

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=["key", "name", "unit", *areas], lineterminator="\n")
        w.writeheader()
        w.writerows({k: csv_safe(v) for k, v in rec.items()} for rec in records)
        atomic_write_text(out_path, "\ufeff" + buf.getvalue())
        out.print(t("written", lg, path=out_path))
        return
    table = Table(header_style="bold", title=t("combined_title", lg, year=year))
    for col in (t("h_key", lg), t("h_name", lg), *areas):
        table.add_column(col, overflow="fold")
    from sdgxl import i18n
    from sdgxl.catalogue.views import display_code

    first = next(iter(plans.values()))
    for rec in records:  # codes as printed ("3.9 (Nữ)"), numbers the language's way ("9,78")
        table.add_row(display_code(first, str(rec["key"]), lang=lg), str(rec["name"]),
                      *(i18n.show(rec[a], lg) for a in areas))
    out.print(table)


def _publish(format: ExportKind, out_path: Path | None, version: int, year: int | None, db: str,
             catalogue: Path | None, lg: str) -> None:
    from sdgxl.outputs.opensdg import write_open_sdg
    from sdgxl.outputs.sdmx import publish_settings, write_sdmx_csv
    from sdgxl.outputs.sdmx_structure import write_sdmx_with_structure

    to_stdout = out_path is not None and str(out_path) == "-"  # the convention: standard output
    if to_stdout and format is ExportKind.open_sdg:  # a folder of files has no standard output
        raise UsageError("open_sdg_stdout")
    con, assessments = _progress(year, db, catalogue)
    area, agency = publish_settings()
    if to_stdout:  # the CSV alone: the structure is a second file, which a pipe cannot carry
        _to_stdout(lambda path: write_sdmx_csv(con, path, version=version, area_code=area, agency=agency), "csv")
        err.print(t("sdmx_stdout_no_structure", lg), highlight=False)
        return
    if format is ExportKind.open_sdg:
        res = write_open_sdg(con, assessments, make_dir(out_path or Path("open-sdg")), area_code=area)
        out.print(t("written", lg, path=res.folder.resolve()), highlight=False)
        out.print(t("open_sdg_written", lg, files=len(res.data_files), rows=res.rows, n=len(res.ids)),
                  highlight=False)
        return
    sd = write_sdmx_with_structure(con, out_path or Path(f"sdgxl-sdmx-v{version}.csv"), version=version,
                                   area_code=area, agency=agency)
    out.print(t("written", lg, path=sd.path.resolve()), highlight=False)
    if sd.structure is not None:
        out.print(t("sdmx_structure_written", lg, path=sd.structure.resolve()), highlight=False)
    out.print(t("sdmx_written", lg, glob=sd.global_obs, prov=sd.provincial_obs), highlight=False)


# --------------------------------------------------------------------------- progress
class ProgressFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _progress(year: int | None, db: str, catalogue: Path | None) -> tuple[Any, list[Any]]:
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import assess

    _require_ledger(db)
    cat = _load(catalogue)
    with Ledger(db) as ledger:
        if year is None:
            years = [s.year for s in ledger.submissions() if s.year]
            year = max(years) if years else dt.date.today().year
        con = consolidate(cat, ledger, year)
    return con, assess(con)


def print_progress_summary(assessments: list[Any], lg: str, year: int, top: int = 8) -> None:
    from sdgxl.progress.assess import COLOURS, ORDER, status_labels
    from sdgxl.progress.measure import Status

    labels = status_labels(lg)
    table = Table(header_style="bold", title=t("progress_title", lg, year=year))
    table.add_column(t("h_assessment", lg))
    table.add_column(t("h_indicators", lg), justify="right")
    for st in ORDER:
        table.add_row(f"[{COLOURS[st]}]■[/] {labels[st]}", str(sum(a.status is st for a in assessments)))
    table.add_row(t("h_total", lg), str(len(assessments)), style="bold")
    out.print(table)
    falling = [a for a in assessments if a.status is Status.deterioration]
    if falling:
        out.print(t("deteriorating", lg), style="bold")
        for a in falling[:top]:
            out.print(f"  • {a.summary_line(lg, t('target', lg))}", highlight=False)
        if len(falling) > top:
            out.print("  " + t("and_more", lg, n=len(falling) - top), highlight=False)


@app.command("progress")
@guarded
def progress_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm đánh giá (mặc định: năm mới nhất)")] = None,
    format: Annotated[ProgressFormat, typer.Option("--format", "-f")] = ProgressFormat.table,
    db: DbOpt = "sdgxl.sqlite",
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Tiến độ so với lộ trình 2030 / progress toward the 2030 roadmap, per indicator."""
    from sdgxl.progress.assess import COLOURS, flatten

    lg = _lang(lang)
    con, assessments = _progress(year, db, catalogue)
    rows = [a.to_dict(lg) for a in flatten(assessments)]
    if format is ProgressFormat.json:
        sys.stdout.write(json.dumps({"year": con.year, "indicators": rows}, ensure_ascii=False, indent=1) + "\n")
        return
    if format is ProgressFormat.csv:
        _write_csv(rows)
        return
    table = Table(header_style="bold", expand=True)
    for key in ("h_code", "h_agency", "h_base", "h_latest", "h_target", "h_assessment", "h_measured"):
        table.add_column(t(key, lg), overflow="fold")
    for a in flatten(assessments):
        base = f"{i18n.number(a.base[1], lg)} ({a.base[0]})" if a.base else ""
        latest = f"{i18n.number(a.latest[1], lg)} ({a.latest[0]})" if a.latest else ""
        status = a.label(lg) + (f" – {a.reason(lg)}" if a.reason(lg) else "")
        labels = {c.key: c.label_in(lg) for c in con.catalogue.indicator(a.indicator).components}
        code = a.key.replace("#", " ") if a.component is None else f"  └ {labels.get(a.component, a.component)}"
        who = ", ".join(con.catalogue.agency(x).short_in(lg) for x in a.agencies)
        table.add_row(code, who, base, latest, a.target_in(lg),
                      f"[{COLOURS[a.status]}]■[/] {status}", a.milestone_text(lg))
    out.print(table)
    print_progress_summary(assessments, lg, con.year)


@app.command("report")
@guarded
def report_cmd(
    year: Annotated[int, typer.Option("--year", "-y", help="Năm báo cáo")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Thư mục kết quả")] = Path("tong-hop"),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Xuất PDF qua LibreOffice (nếu có)")] = True,
    db: DbOpt = "sdgxl.sqlite",
    catalogue: CatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Báo cáo năm (xlsx, docx theo NĐ 30/2020, PDF) / the annual report (xlsx, an administrative docx, PDF)."""
    from sdgxl.progress.document import write_document
    from sdgxl.progress.sheets import write_report

    lg = _lang(lang)
    con, assessments = _progress(year, db, catalogue)
    make_dir(out_dir)
    xlsx, pdf_path = write_report(con, assessments, out_dir, lang=lg, pdf=pdf)
    # the report as an administrative document (Decree 30/2020/NĐ-CP), for the officer to edit and sign
    docx, docx_pdf = write_document(con, assessments, out_dir, lang=lg, pdf=pdf)
    for path in (xlsx, pdf_path, docx, docx_pdf):
        if path:
            out.print(t("written", lg, path=path.resolve()), highlight=False)
    if pdf and not pdf_path:
        out.print(t("no_pdf", lg))


# --------------------------------------------------------------------------- console
@app.command("console")
@guarded
def console_cmd(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Tệp .xlsm")] = Path("sdgxl-console.xlsm"),
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm ghi sẵn trong cài đặt")] = None,
    lang: LangOpt = None,
) -> None:
    """Tạo sổ điều khiển có nút bấm (xlwings) / build the DPI console workbook with buttons."""
    from sdgxl.console import build_console

    if out_path.suffix.lower() != ".xlsm":
        raise UsageError("need_xlsm")
    path = build_console(out_path, lang=_lang(lang), year=year)
    out.print(t("written", _lang(lang), path=path.resolve()), highlight=False)


# --------------------------------------------------------------------------- demo
@app.command("demo")
@guarded
def demo_cmd(
    folder: Annotated[Path, typer.Argument(help="Thư mục làm việc của bản chạy thử")] = Path("sdgxl-demo"),
    lang: LangOpt = None,
) -> None:
    """Chạy thử toàn bộ chu trình / run the whole cycle on the bundled plan and sample returns."""
    from sdgxl.demo import run_demo

    lg = _lang(lang)
    out.print(t("demo_title", lg), style="bold")
    res = run_demo(make_dir(folder), lang=lg, progress=lambda y: out.print(t("demo_year", lg, year=y), highlight=False))
    last = res.years[-1]
    out.print()
    out.print(t("demo_forms", lg, year=last, path=res.forms[last][0].parent.resolve(), n=len(res.forms[last])),
              markup=False, highlight=False)
    out.print(t("demo_inbox", lg, year=last, path=res.inboxes[last].resolve()), markup=False, highlight=False)
    _print_collect(res.last, lg)
    if res.document is not None:
        out.print(t("demo_document", lg, year=last, path=res.document.resolve()), markup=False, highlight=False)
    if res.open_sdg is not None and res.sdmx_csv is not None:
        out.print(t("demo_open_sdg", lg, path=res.open_sdg.resolve()), markup=False, highlight=False)
        out.print(t("demo_sdmx", lg, path=res.sdmx_csv.resolve()), markup=False, highlight=False)
        if res.sdmx_structure is not None:
            out.print(t("sdmx_structure_written", lg, path=res.sdmx_structure.resolve()), markup=False,
                      highlight=False)
    if res.last.progress is not None:
        out.print()
        print_progress_summary(res.last.progress, lg, last)


def _utf8_streams() -> None:
    """Write UTF-8 whatever the stream's default: on Windows, output redirected to a file or a
    pipe (``sdgxl status > nhac-nop.txt``, a scheduled task) defaults to the ANSI code page,
    which cannot hold Vietnamese; the console itself is UTF-16 and unaffected."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script. The language (``--lang`` anywhere on the command
    line, else ``SDGXL_LANG``) is decided first, so help and usage errors are in it too."""
    global _CLI_LANG
    from sdgxl.cli_help import lang_from_argv, localise, translate_error, translate_help

    _utf8_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _CLI_LANG = lang_from_argv(args)
    command = typer.main.get_command(app)
    localise(command, lang)
    wants_help = not args or "--help" in args or "-h" in args
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured) if wants_help else contextlib.nullcontext():
            code = command.main(args=args, prog_name="sdgxl", standalone_mode=False)
    except Exception as exc:
        if type(exc).__name__ == "Abort":
            return 130
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        # a usage error (click's, or Typer's copy of click): usage, hint and message in the user's language
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":  # a group run without a command: its help
            err.print(translate_help(exc.format_message(), lang), markup=False, highlight=False)
            return 2
        if ctx is not None:
            hint = f"Try '{ctx.command_path} --help' for help."
            err.print(translate_help(f"{ctx.get_usage()}\n{hint}", lang), markup=False, highlight=False,
                      soft_wrap=True)
        err.print(t("usage_error", lang, message=translate_error(exc.format_message(), lang)), markup=False,
                  highlight=False, soft_wrap=True)
        return int(exc.exit_code)
    finally:
        if wants_help and captured.getvalue():
            sys.stdout.write(translate_help(captured.getvalue(), lang))
    return code if isinstance(code, int) else 0
