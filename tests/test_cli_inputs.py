"""What the command line does with outputs it cannot write and with inputs it cannot use:
exit code 73 and a translated message naming the path for every command that writes; an
unknown area a usage error listing the known ones; a year with nothing recorded said so;
range and date errors in the user's language; dates as dd/mm/yyyy (or ISO) everywhere."""

from __future__ import annotations

import pytest

from tests.conftest import assert_no_traceback, run_cli


@pytest.fixture(scope="module")
def ledger(demo_cycle) -> str:
    return str(demo_cycle.folder / "sdgxl.sqlite")


@pytest.fixture(scope="module")
def blocker(tmp_path_factory) -> str:
    """A plain file where a command would need a folder."""
    path = tmp_path_factory.mktemp("blocked") / "a-file"
    path.write_text("x", encoding="utf-8")
    return str(path)


def _commands(ledger: str, inbox: str, bad: str) -> dict[str, list[str]]:
    return {
        "report": ["report", "--db", ledger, "--year", "2026", "--no-pdf", "--out", bad],
        "export": ["export", "--db", ledger, "--out", f"{bad}/x.csv"],
        "generate": ["generate", "--year", "2026", "--out", bad],
        "collect": ["collect", inbox, "--db", ledger, "--year", "2026", "--out", bad],
        "catalogue": ["catalogue", "export", "--out", f"{bad}/danh-muc.xlsx"],
        "console": ["console", "--out", f"{bad}/c.xlsm"],
        "open-sdg": ["export", "--db", ledger, "--format", "open-sdg", "--out", bad],
        "demo": ["demo", bad],
        "ledger": ["collect", inbox, "--db", f"{bad}/sdgxl.sqlite", "--year", "2026", "--out", f"{inbox}-out"],
    }


@pytest.mark.parametrize("where", ["proc", "file"])
@pytest.mark.parametrize("command", ["report", "export", "generate", "collect", "catalogue", "console", "open-sdg",
                                     "demo", "ledger"])
def test_an_output_that_cannot_be_written_is_exit_73(command, where, ledger, demo_cycle, blocker, tmp_path):
    bad = "/proc/sdgxl-x" if where == "proc" else blocker
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    args = _commands(ledger, str(inbox), bad)[command]
    vi = run_cli(*args, cwd=tmp_path)
    assert_no_traceback(vi)
    assert vi.returncode == 73, vi.stdout + vi.stderr
    said = " ".join(vi.stderr.split())
    assert f"Không ghi được {bad}" in said and "dữ liệu đã nhận không bị mất" in said
    assert "No such file" not in said and "Not a directory" not in said and "File exists" not in said
    en = run_cli("--lang", "en", *args, cwd=tmp_path)
    assert en.returncode == 73 and f"Cannot write {bad}" in " ".join(en.stderr.split())


def test_a_folder_given_as_the_output_file(ledger, tmp_path):
    proc = run_cli("export", "--db", ledger, "--out", str(tmp_path))
    assert proc.returncode == 73
    assert f"Không ghi được {tmp_path}: đó là một thư mục, không phải tệp" in " ".join(proc.stderr.split())
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@pytest.mark.parametrize("args", [["status", "--year", "2026"], ["export", "--out", "-"], ["--lang", "en", "status",
                                                                                           "--year", "2026"]])
def test_an_unknown_area_is_a_usage_error_listing_the_known(args, ledger):
    proc = run_cli(*args, "--area", "nowhere", "--db", ledger)
    assert_no_traceback(proc)
    assert proc.returncode == 2 and proc.stdout == ""
    said = " ".join(proc.stderr.split())
    assert ('Areas it holds: kien-giang' if "en" in args else 'Các địa bàn có: kien-giang') in said
    assert '"nowhere"' in said
    known = run_cli(*args, "--area", "kien-giang", "--db", ledger)
    assert known.returncode == 0 and known.stdout


@pytest.mark.parametrize("year", ["1999", "2014", "2031"])
def test_status_refuses_a_year_outside_the_plan(year, ledger):
    proc = run_cli("status", "--year", year, "--db", ledger)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"Năm {year} nằm ngoài kế hoạch (2015–2030)" in " ".join(proc.stderr.split())


def test_a_year_with_nothing_recorded_is_said(ledger, demo_cycle):
    assert 2020 not in demo_cycle.years
    status = run_cli("status", "--year", "2020", "--db", ledger)
    assert status.returncode == 0
    assert "sổ theo dõi chưa có báo cáo nào của năm 2020" in " ".join(status.stderr.split())
    assert "SYT" in status.stdout  # who is expected, all the same
    export = run_cli("--lang", "en", "export", "--year", "2020", "--out", "-", "--db", ledger)
    assert export.returncode == 0 and "the ledger holds no return for 2020" in " ".join(export.stderr.split())
    assert len(export.stdout.strip().splitlines()) == 1  # the header only
    full = run_cli("status", "--year", str(demo_cycle.years[-1]), "--db", ledger)
    assert full.returncode == 0 and "chưa có báo cáo" not in full.stderr


def test_dates_as_the_officer_writes_them(tmp_path):
    import datetime as dt

    import openpyxl

    from sdgxl.collect import parse_day
    from tests.test_generate import read_meta

    assert parse_day("30/12/2026") == parse_day("2026-12-30") == dt.date(2026, 12, 30)
    assert parse_day("30-12-2026") == dt.date(2026, 12, 30)
    for bad in ("31/02/2026", "12/30/2026", "30/12/2026 09:30", "hôm nay", ""):
        assert parse_day(bad) is None, bad
    for given in ("30/12/2026", "2026-12-30"):
        out = tmp_path / given.replace("/", "-")
        proc = run_cli("generate", "--year", "2026", "--agency", "SYT", "--deadline", given, "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        assert read_meta(openpyxl.load_workbook(out / "2026_SYT_bao-cao-sdg.xlsx"))[0]["deadline"] == "2026-12-30"
    vi = run_cli("generate", "--year", "2026", "--deadline", "12/30/2026", "--out", str(tmp_path / "x"))
    assert vi.returncode == 2 and "Ngày không hợp lệ: 12/30/2026 (cần dd/mm/yyyy" in vi.stderr
    en = run_cli("--lang", "en", "generate", "--year", "2026", "--deadline", "soon", "--out", str(tmp_path / "x"))
    assert en.returncode == 2 and "Invalid date: soon" in en.stderr
    helped = " ".join(run_cli("generate", "--help").stdout.split())
    assert "YYYY-MM-DD" not in helped and "30/12/2026" in helped


def test_range_errors_and_help_in_the_users_language(tmp_path):
    from sdgxl.cli_help import translate_error, translate_help

    version = run_cli("export", "--version", "3", "--db", str(tmp_path / "none.sqlite"))
    assert version.returncode == 2
    said = " ".join(version.stderr.split())
    assert "cần một số không lớn hơn 2" in said and "Input should" not in said
    wait = run_cli("collect", str(tmp_path), "--wait", "-1")
    assert wait.returncode == 2 and "cần một số không nhỏ hơn 0" in " ".join(wait.stderr.split())
    en = run_cli("--lang", "en", "export", "--version", "3")
    assert en.returncode == 2 and "less than or equal to 2" in en.stderr
    helped = " ".join(run_cli("export", "--help").stdout.split())
    assert "từ 1 đến 2" in helped and "<=x" not in helped
    assert "từ 0 trở lên" in " ".join(run_cli("collect", "--help").stdout.split())
    assert translate_help("[default: 1; 0<=x<=2.5]", "vi") == "[mặc định: 1; từ 0 đến 2.5]"
    assert translate_error("5 is not in the range 1<=x<=2.", "vi") == "5 không nằm trong khoảng 1 đến 2."
    for proc in (version, wait, en):
        assert_no_traceback(proc)


@pytest.mark.parametrize(("lang", "words"), [("vi", "(danh mục kèm theo)"), ("en", "(bundled)")])
def test_catalogue_check_names_the_bundled_catalogue_in_the_language(lang, words):
    proc = run_cli("--lang", lang, "catalogue", "check")
    assert proc.returncode == 0
    said = " ".join(proc.stdout.split())
    assert words in said and (lang == "en" or "(bundled)" not in said)


@pytest.mark.parametrize(("lang", "headers"), [
    ("vi", ["Mã chỉ tiêu", "Hệ mã", "Mã đối chiếu", "Quan hệ"]),
    ("en", ["Indicator code", "Code scheme", "Mapped code", "Relation"]),
])
def test_catalogue_workbook_headers_readable_and_round_trip(lang, headers, tmp_path):
    import openpyxl

    from sdgxl.catalogue import bundled
    from sdgxl.catalogue.excel import SHEETS, import_xlsx

    book = tmp_path / "danh-muc.xlsx"
    proc = run_cli("--lang", lang, "catalogue", "export", "--out", str(book))
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(book)
    assert set(SHEETS) <= set(wb.sheetnames)  # the sheet names stay Vietnamese: the import keys on them
    first = [c.value for c in wb["Đối chiếu"][1]]
    assert first[:4] == headers and "scheme" not in first and "relation" not in first
    assert import_xlsx(book) == bundled()
    # a workbook filled before: the bare keys as headers still import
    ws = wb["Đối chiếu"]
    for ci, key in enumerate(SHEETS["Đối chiếu"][1], start=1):
        ws.cell(1, ci).value = key
    wb.save(tmp_path / "old.xlsx")
    assert import_xlsx(tmp_path / "old.xlsx") == bundled()
    # the other language's headers too (a workbook passed between officers)
    other = "en" if lang == "vi" else "vi"
    back = run_cli("--lang", other, "catalogue", "import", str(book), "--out", str(tmp_path / "cat.json"))
    assert back.returncode == 0, back.stderr


def test_a_problem_in_a_readable_header_sheet_is_placed_at_its_cell(tmp_path):
    import openpyxl

    from sdgxl.catalogue import bundled
    from sdgxl.catalogue.excel import export_xlsx, import_xlsx
    from sdgxl.errors import CatalogueError

    path = export_xlsx(bundled(), tmp_path / "cat.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    ws = wb["Đối chiếu"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "global")
    ws.cell(row, 4).value = "equal"
    wb.save(tmp_path / "edited.xlsx")
    with pytest.raises(CatalogueError) as exc:
        import_xlsx(tmp_path / "edited.xlsx")
    assert [p.location for p in exc.value.problems] == [f"Đối chiếu!D{row}"]
