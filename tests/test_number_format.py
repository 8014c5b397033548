"""The language's number format in what a person reads: the report document (.docx) and the
progress sheets print numbers with :func:`sdgxl.i18n.number` (vi ``9,78``, ``1.234``; en
``9.78``, ``1,234``) and dates as dd/mm/yyyy in Vietnamese. Rendered from the demo's ledger
in both languages; the text of the plan and of the agencies (data, printed as written) and
the indicator codes (``3.9``) are set aside before the numbers are read."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from sdgxl.catalogue import bundled
from sdgxl.progress.assess import figure_text

NUMBER = re.compile(r"(?<![\w.,/-])\d+(?:[.,]\d+)+(?![\w/-]|[.,]\d)")
GROUPED = {"vi": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+"),  # 1.234,5 · 9,78
           "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")}  # 1,234.5 · 9.78
DECIMAL = {"vi": re.compile(r"\d,\d"), "en": re.compile(r"\d\.\d")}


def wrong_numbers(text: str, lang: str) -> list[str]:
    """The numbers of ``text`` not written the way ``lang`` writes them (``9.78`` in Vietnamese,
    ``9,78`` in English; a number with both separators in the wrong order)."""
    return [m for m in NUMBER.findall(text) if not GROUPED[lang].fullmatch(m)
            or (lang == "en" and re.fullmatch(r"\d+,\d{1,2}|\d+,\d{4,}", m))
            or (lang == "vi" and re.fullmatch(r"\d+\.\d{1,2}|\d+\.\d{4,}", m))]


def test_the_detector():
    assert wrong_numbers("9,78 và 1.234 và 1.234,5; ngày 30/11/2026", "vi") == []
    assert wrong_numbers("đạt 99.7 %", "vi") == ["99.7"]
    assert wrong_numbers("9.78, 1,234 and 1,234.5; 2026-11-30", "en") == []
    assert wrong_numbers("reached 10,0 (2026)", "en") == ["10,0"]


def _not_ours(con) -> list[str]:
    """Texts printed as written: the plan's (names, units, titles, roadmap cells as printed)
    and the agencies' (values given as text, sources, notes, narratives), longest first."""
    cat = con.catalogue
    out: set[str] = set()
    for ind in cat.indicators:
        out |= {ind.name, ind.name_en or "", ind.unit or "", ind.code_printed}
        roadmaps = [ind.roadmap, *(c.roadmap for c in ind.components)]
        out |= {rv.text for road in roadmaps for rv in road.values()  # words the plan prints, kept as printed
                if figure_text(rv, "en") == rv.text and not NUMBER.fullmatch(rv.text.strip(" %"))}
        for c in ind.components:
            out |= {c.label, c.unit or ""}
            out.add(f"{ind.name} – {c.label}")
    for g in cat.goals:
        out |= {g.title, g.title_en or ""}
    for t in cat.targets:
        out.add(t.title)
    out |= {cat.source.title, cat.source.document or ""}
    for row in con.rows:
        for cell in row.years.values():
            out |= {cell.value_text or "", cell.source or "", cell.note or ""}
    for n in con.narratives:
        out |= {str(n.get(k) or "") for k in ("results", "difficulties", "proposals")}
    return sorted((s for s in out if len(s) > 3), key=len, reverse=True)


def _ours(text: str, skip: list[str]) -> str:
    for s in skip:
        text = text.replace(s, " ¦ ")
    codes = {i.code for i in bundled().indicators} | {t.code for t in bundled().targets}
    pattern = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
    return re.sub(rf"(?<![\d.,])(?:{pattern})(?![\d])", " ¦ ", text)  # codes: 3.9, 12.4b


@pytest.fixture(scope="module")
def cons(demo_cycle):
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import assess

    with Ledger(demo_cycle.folder / "sdgxl.sqlite") as ledger:
        out = [consolidate(bundled(), ledger, y) for y in (2025, demo_cycle.years[-1])]  # 2025: the milestone
    return [(c, assess(c)) for c in out]


def _docx_text(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_document_numbers_in_the_language(cons, lang):
    from sdgxl.progress.document import document_bytes

    other = "en" if lang == "vi" else "vi"
    for con, assessments in cons:
        text = _ours(_docx_text(document_bytes(con, assessments, lang=lang)), _not_ours(con))
        found = NUMBER.findall(text)
        assert any(DECIMAL[lang].search(n) for n in found), found[:20]  # there are decimals to look at
        assert wrong_numbers(text, lang) == [], (con.year, wrong_numbers(text, lang)[:10])
        assert not any(DECIMAL[other].fullmatch(n) for n in found)
        if lang == "vi":
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # no ISO dates in Vietnamese


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_progress_sheets_numbers_in_the_language(cons, tmp_path, lang):
    from sdgxl.progress.sheets import write_report

    con, assessments = cons[-1]
    book, _ = write_report(con, assessments, tmp_path, lang=lang, pdf=False)
    wb = openpyxl.load_workbook(book)
    text = "\n".join(str(c) for ws in wb.worksheets if ws.sheet_state == "visible"
                     for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str))
    text = _ours(text, _not_ours(con))
    assert wrong_numbers(text, lang) == [], wrong_numbers(text, lang)[:10]
    assert NUMBER.findall(text)  # there are numbers to look at (the roadmap, what progress is measured on)
    sub = wb.worksheets[0]["A2"].value
    assert re.search(r"\d{2}/\d{2}/\d{4}" if lang == "vi" else r"\d{4}-\d{2}-\d{2}", sub), sub


def test_whole_numbers_are_not_printed_with_a_trailing_separator(demo_cycle, cons, tmp_path):
    """``#,##0.##`` shows 10 as "10." in Excel (LibreOffice drops the separator): a whole number gets ``#,##0``."""
    from sdgxl.progress.sheets import write_report

    con, assessments = cons[-1]
    report, _ = write_report(con, assessments, tmp_path, pdf=False)
    numbers = 0
    for book in (demo_cycle.last.consolidated, report):
        for ws in openpyxl.load_workbook(book).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) \
                            and ".##" in cell.number_format:
                        numbers += 1
                        assert not float(cell.value).is_integer(), (book.name, ws.title, cell.coordinate)
    assert numbers  # fractions still show their decimals


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_codes_name_a_component_once_in_the_language(cons, lang):
    """A component's row shows its label in the code ("3.9 (Nữ)", in English "3.9 (Women)"),
    and the name beside it is the indicator's: the label is not said twice."""
    import docx

    from sdgxl.progress.document import document_bytes

    con, assessments = cons[-1]
    ind = con.catalogue.indicator("3.9")
    doc = docx.Document(io.BytesIO(document_bytes(con, assessments, lang=lang)))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    found = 0
    for comp in ind.components:
        code = ind.row_code(comp, lang)
        mine = [r for r in rows if r and r[0] == code]
        found += len(mine)
        for r in mine:
            assert r[1] == ind.name_in(lang), r[:2]
            assert comp.label_in(lang) not in r[1]
    assert found >= 2  # both 3.9 rows are in the appendix
    if lang == "en":
        assert not any(r and r[0].startswith("3.9 (N") for r in rows)  # no "3.9 (Nữ)" in English
