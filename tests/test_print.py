"""What an official prints: the consolidated workbook, the annual report and a feedback copy,
rendered to PDF by real LibreOffice, page by page (pdftotext): A4 landscape, the table one
page wide with its header on every page, a readable print view, no chart cut by a page
edge, wrapped text given the height it needs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from sdgxl.xlsxw import row_height, wrapped_lines

pytestmark = pytest.mark.libreoffice

A4_LANDSCAPE = (841.89, 595.3)
TITLE = re.compile(r"(?m)^\s*\d{1,2}\.\d+[a-z]?(?:\.\d)?(?: \(.*?\))?: ")  # a chart's title: "3.9 (Nữ): Tỷ lệ …"


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def _sizes(pdf: Path) -> set[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    return {(round(float(w), 1), round(float(h), 1)) for w, h in boxes}


@pytest.fixture(scope="module")
def pdfs(demo_cycle, tmp_path_factory, libreoffice) -> dict[str, Path]:
    from sdgxl import libreoffice as lo
    from sdgxl.catalogue import bundled
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import assess
    from sdgxl.progress.sheets import write_report

    out = tmp_path_factory.mktemp("pdf")
    ledger = Ledger(demo_cycle.folder / "sdgxl.sqlite")
    try:
        con = consolidate(bundled(), ledger, demo_cycle.years[-1])
    finally:
        ledger.close()
    from sdgxl.progress.document import write_document

    assessments = assess(con)
    _, report = write_report(con, assessments, out, pdf=True)
    assert report is not None
    _, document = write_document(con, assessments, out)
    assert document is not None
    feedback = sorted(demo_cycle.last.feedback)[0]
    return {"consolidated": lo.to_pdf(demo_cycle.last.consolidated, out / "consolidated.pdf"),
            "report": report, "feedback": lo.to_pdf(feedback, out / "feedback.pdf"),
            "document": document}


def test_every_page_is_a4_landscape(pdfs):
    for name in ("consolidated", "report"):
        assert {(round(w), round(h)) for w, h in _sizes(pdfs[name])} == {(842, 595)}, name
    # the feedback copy: the summary in landscape, then the agency's own form as it was printed
    first = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdfs["feedback"].read_bytes())
    assert first is not None and (round(float(first[1])), round(float(first[2]))) == (842, 595)


def test_consolidated_table_prints_one_page_wide_with_its_header_on_every_page(pdfs, demo_cycle):
    pages = _pages(pdfs["consolidated"])
    start = next(i for i, p in enumerate(pages) if "TÌNH HÌNH THỰC HIỆN" in p)  # the print view's title
    table = pages[:start]
    # one page wide: each page holds the first and the last column's header (before: 4 pages across, 32 in all)
    assert 2 <= len(table) <= 6
    for text in table:
        assert "STT" in text and "So với lộ trình" in text and "Số liệu báo cáo" in text
    # every indicator row reached the print
    rows = len(demo_cycle.last.consolidation.rows)
    numbers = {int(m) for p in table for m in re.findall(r"(?m)^\s*(\d{1,3})\s{2,}", p)}
    assert set(range(1, rows + 1)) <= numbers


def test_print_view_is_readable_one_page_wide(pdfs, demo_cycle):
    pages = _pages(pdfs["consolidated"])
    start = next(i for i, p in enumerate(pages) if "TÌNH HÌNH THỰC HIỆN" in p)
    end = next(i for i, p in enumerate(pages) if "TIẾN ĐỘ NỘP BÁO CÁO" in p)
    view = pages[start:end]
    assert 3 <= len(view) <= 8  # 128 rows at a readable size
    for text in view:
        assert "Mục tiêu 2030" in text and "Đánh giá tiến độ" in text and "Mới nhất" in text
    wb = openpyxl.load_workbook(demo_cycle.last.consolidated)
    ws = wb["Bản in"]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 is the default
    assert ws.print_title_rows == "$3:$3"
    codes = [ws.cell(r, 2).value for r in range(4, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]
    assert "3.9 (Nữ)" in codes and len(codes) == len(demo_cycle.last.consolidation.rows)


def test_no_chart_is_cut_by_a_page_edge(pdfs):
    for name in ("consolidated", "report"):
        pages = _pages(pdfs[name])
        first = next(i for i, p in enumerate(pages) if p.lstrip().startswith("Biểu đồ chỉ tiêu"))
        charts = pages[first:]  # the last sheet: a chart's legend says "Thực hiện" (reported)
        assert len(charts) >= 15, name
        for text in charts:  # a chart's title and its legend on the same page, at most three a page
            titles = len(TITLE.findall(text))
            assert titles == text.count("Thực hiện") and 1 <= titles <= 3, (name, TITLE.findall(text))
        goal_chart = [p for p in pages if "Số chỉ tiêu theo mức đánh giá, từng mục tiêu" in p]
        assert len(goal_chart) == 1 and "17. Tăng cường" in goal_chart[0] and "Chưa đánh giá được" in goal_chart[0]
        dashboard = next(p for p in pages if "Toàn bộ chỉ tiêu" in p)
        assert "Chưa đánh giá được" in dashboard.split("Toàn bộ chỉ tiêu", 1)[1]  # the pie's legend


def test_report_and_feedback_pages(pdfs, demo_cycle):
    report = _pages(pdfs["report"])
    assert "BÁO CÁO TIẾN ĐỘ" in report[0] and "KẾT QUẢ CHÍNH" in report[0]
    charts = sum(len(TITLE.findall(p)) for p in report)
    assert len(report) <= 10 + -(-charts // 3)  # the summary and narrative, the dashboard, three charts a page
    feedback = _pages(pdfs["feedback"])
    assert "PHẢN HỒI VỀ BÁO CÁO" in feedback[0]
    # the summary's every message on its first page, one page wide
    wb = openpyxl.load_workbook(sorted(demo_cycle.last.feedback)[0])
    summary = wb.worksheets[0]
    messages = [summary.cell(r, 6).value for r in range(1, summary.max_row + 1)
                if isinstance(summary.cell(r, 1).value, int)]
    assert messages
    flat = re.sub(r"\s+", " ", feedback[0])
    for msg in messages:
        assert re.sub(r"\s+", " ", msg)[:40] in flat
    assert len(feedback) <= 4


def test_wrapped_rows_are_tall_enough(demo_cycle):
    """Every wrapped cell of the consolidated workbook and the feedback copies has the height its
    text needs (before: fixed rows clipped the chase list, the issues, long status labels)."""
    checked = 0
    for path in [demo_cycle.last.consolidated, *demo_cycle.last.feedback]:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            # the sheets made print-ready here (the agency's own form and later sheets excepted)
            if ws.sheet_state != "visible" or ws.title not in {"Tổng hợp", "Bản in", "Tiến độ nộp", "Lỗi",
                                                               "Bảng điều khiển", "Phản hồi"}:
                continue
            merged = {rng.start_cell.coordinate: rng for rng in ws.merged_cells.ranges}
            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                        continue
                    rng = merged.get(cell.coordinate)
                    cols = range(rng.min_col, rng.max_col + 1) if rng else [cell.column]
                    width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 8.43
                                for c in cols)
                    size = cell.font.sz or 11
                    need = wrapped_lines(cell.value, width, size) * size * 1.2
                    height = ws.row_dimensions[cell.row].height or 15
                    assert height >= need, (path.name, ws.title, cell.coordinate, cell.value[:60], height)
                    checked += 1
    assert checked > 500


def test_row_height_grows_with_the_text():
    assert wrapped_lines("Đầy đủ", 12) == 1
    assert wrapped_lines("Còn 1/17 chỉ tiêu thiếu hoặc có lỗi " * 3, 12) >= 5
    assert wrapped_lines("a\nb\nc", 40) == 3
    assert wrapped_lines("x" * 100, 10) >= 7  # a long word breaks anywhere
    assert row_height([("Số chỉ tiêu phải báo cáo", 12)]) > row_height([("Số", 12)]) >= 15


def test_report_document_never_breaks_a_number_across_lines(pdfs):
    """The .docx report's appendix (A4 landscape) keeps every figure on one line: a column too
    narrow for "1.234.591,3" printed its ",3" on a line of its own."""
    pages = _pages(pdfs["document"])
    appendix = [p for p in pages if "BẢNG TỔNG HỢP CHỈ TIÊU" in p or "Lộ trình" in p]
    assert appendix and any("1.234.591,3" in p or "1.264.080,9" in p for p in appendix)
    broken = [m.group(0) for p in appendix for m in re.finditer(r"(?m)(?:^|\s)[,.]\d{1,3}(?=\s|$)", p)]
    assert broken == []
