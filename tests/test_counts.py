"""One count of indicators everywhere: "N chỉ tiêu" always means indicators as the plan
numbers them, data rows (an indicator's components) are named as such, and every output a
person reads states the count :func:`sdgxl.catalogue.views.count_indicators` gives."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.catalogue.views import IndicatorCount, catalogue_count, count_indicators
from sdgxl.forms.spec import build_spec
from tests.conftest import run_cli

_COUNT = {"vi": re.compile(r"(\d+) chỉ tiêu(?: \((\d+) dòng số liệu, kể cả chỉ tiêu thành phần\))?"),
          "en": re.compile(r"(\d+) indicators(?: \((\d+) data rows, components included\))?")}


def stated(text: str, lang: str = "vi") -> IndicatorCount:
    """The count a sentence states ("15 chỉ tiêu (17 dòng số liệu, …)": 15 indicators, 17 rows)."""
    m = _COUNT[lang].search(text)
    assert m, text
    return IndicatorCount(int(m[1]), int(m[2] or m[1]))


def test_the_rule():
    cat = bundled()
    total = catalogue_count(cat)
    assert total == IndicatorCount(len(cat.indicators), sum(len(i.components) or 1 for i in cat.indicators))
    assert total.indicators == 120 and total.rows > total.indicators  # the plan numbers 120; 3.9 has Nam, Nữ …
    assert total.text("vi") == f"120 chỉ tiêu ({total.rows} dòng số liệu, kể cả chỉ tiêu thành phần)"
    assert stated(total.text("en"), "en") == total
    assert count_indicators(["1.1a", "3.9#nam", "3.9#nu", "3.9#nu"]) == IndicatorCount(2, 3)
    assert IndicatorCount(4, 4).text("vi") == "4 chỉ tiêu" and IndicatorCount(4, 4).text("en") == "4 indicators"


def test_form_cover_agencies_and_generate_state_the_same_count(forms, tmp_path):
    cat = bundled()
    listed = run_cli("agencies", "--year", "2026", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    by_id = {r["id"]: r for r in json.loads(listed.stdout)}
    differ = 0
    for agency, path in forms.items():
        want = build_spec(cat, agency, 2026).count
        cover = openpyxl.load_workbook(path).worksheets[0]
        row = next(r for r in cover.iter_rows(values_only=True) if "Chỉ tiêu phải báo cáo" in r)
        assert stated(str(row[2])) == want, (agency, row)
        assert (by_id[agency]["indicators"], by_id[agency]["rows"]) == (want.indicators, want.rows), agency
        differ += want.rows != want.indicators
    assert differ  # the rule is exercised: some agencies report components
    table = run_cli("agencies", "--year", "2026")
    line = next(x for x in table.stdout.splitlines() if "│ SYT " in x)
    syt = build_spec(cat, "SYT", 2026).count
    assert [int(n) for n in re.findall(r"│\s+(\d+)\s+(?=│)", line)][:2] == [syt.indicators, syt.rows]
    from sdgxl.forms.generate import generate_forms

    made = generate_forms(cat, 2026, tmp_path, agencies=["SYT"])[0]
    assert (made.indicators, made.rows) == (syt.indicators, syt.rows)


@pytest.fixture(scope="module")
def cycle(demo_cycle):
    con = demo_cycle.last.consolidation
    assert con is not None and demo_cycle.last.progress is not None
    return demo_cycle, con, demo_cycle.last.progress


def test_status_chase_and_consolidated_state_indicators(cycle):
    demo, con, _ = cycle
    cat = con.catalogue
    ws = openpyxl.load_workbook(demo.last.consolidated)["Tiến độ nộp"]
    assert ws.cell(3, 2).value == "Số chỉ tiêu phải báo cáo"
    sheet: dict[str, tuple] = {}
    for r in ws.iter_rows(min_row=4, values_only=True):  # the table, then the chase list (the first row counts)
        if r[0] and r[1]:
            sheet.setdefault(str(r[0]).split(" – ")[0], r)
    status = run_cli("status", "--year", str(con.year), "--db", str(demo.folder / "sdgxl.sqlite"))
    assert status.returncode == 0, status.stderr
    cli = {m[1]: [int(m[2]), int(m[3]), int(m[4])]
           for m in re.finditer(r"│ (\w+) – [^│]*│\s+(\d+)\s+│\s+(\d+)\s+│\s+(\d+)\s+│", status.stdout)}
    missing = 0
    for st in con.agencies:
        want = build_spec(cat, st.agency, con.year).count
        assert st.count == want
        assert list(sheet[st.agency][1:4]) == cli[st.agency] == [want.indicators, st.indicators_received,
                                                                 st.indicators_valid]
        assert 0 <= st.indicators_valid <= st.indicators_received <= want.indicators
        m = re.match(r"Còn (\d+)/(\d+) chỉ tiêu", st.reason("vi"))
        if m:
            missing += 1
            assert int(m[2]) == want.indicators and int(m[1]) == want.indicators - st.indicators_valid
    assert missing  # the demo has an agency with indicators missing


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_progress_sheets_and_report_state_the_plans_count(cycle, tmp_path, lang):
    import docx

    from sdgxl.progress.document import document_bytes
    from sdgxl.progress.sheets import write_report

    _, con, assessments = cycle
    total = catalogue_count(con.catalogue)
    assert con.count == total and len(assessments) == total.indicators
    book, _ = write_report(con, assessments, tmp_path, lang=lang, pdf=False)
    wb = openpyxl.load_workbook(book)
    cells = [str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c]
    key = next(c for c in cells if c.startswith(("• Số chỉ tiêu:", "• Indicators:")))
    assert stated(key, lang) == total
    with_data = re.search(r"(\d+) (?:chỉ tiêu|indicators)\.$", key)
    assert with_data and int(with_data[1]) == con.with_data().indicators < total.indicators
    dash = wb.worksheets[1]
    total_row = next(r for r in dash.iter_rows(values_only=True) if r[0] in ("Tổng", "Total"))
    assert total_row[1] == total.indicators
    doc = docx.Document(io.BytesIO(document_bytes(con, assessments, lang=lang)))
    starts = ("Bộ chỉ tiêu giám sát", "The plan's monitoring")
    overall = next(p.text for p in doc.paragraphs if p.text.startswith(starts))
    assert stated(overall, lang) == total
    assert int(re.search(r"; (\d+)", overall)[1]) == con.with_data().indicators


def test_progress_command_totals_the_indicators(cycle):
    demo, con, _ = cycle
    proc = run_cli("progress", "--year", str(con.year), "--db", str(demo.folder / "sdgxl.sqlite"))
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"│ Tổng\s+│\s+(\d+) │", proc.stdout)
    assert m and int(m[1]) == catalogue_count(con.catalogue).indicators
