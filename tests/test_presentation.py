"""The plan's words where a person reads: codes as printed ("3.9 (Nữ)", never the internal
key "3.9 (nu)"), dates as dd/mm/yyyy in Vietnamese, "Cần nhắc" only for agencies that must
act (an agency that was only late is listed apart)."""

from __future__ import annotations

import re
import zipfile
from types import SimpleNamespace

import openpyxl

from sdgxl.catalogue import bundled
from sdgxl.catalogue.views import display_code, printed_codes
from sdgxl.outputs import summary


def test_codes_as_printed():
    cat = bundled()
    codes = printed_codes(cat)
    with_parts = [i for i in cat.indicators if i.components]
    assert with_parts
    for ind in with_parts:
        for c in ind.components:
            assert codes[f"{ind.code}#{c.key}"] == f"{ind.code} ({c.label})"
            assert display_code(cat, f"{ind.code}#{c.key}") == f"{ind.code} ({c.label})"
    nine = next(i for i in cat.indicators if i.code == "3.9")
    female = next(c for c in nine.components if c.label == "Nữ")
    issue = SimpleNamespace(indicator="3.9", component=female.key)
    assert summary.issue_code(issue, codes) == "3.9 (Nữ)"  # validate output, the consolidated issues sheet
    assert summary.issue_code(SimpleNamespace(indicator="2.1", component=None), codes) == "2.1"


def test_outputs_show_printed_codes_and_dates(demo_cycle, tmp_path):
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import assess
    from sdgxl.progress.sheets import write_report

    keys = {k for k in printed_codes(bundled()) if "#" in k}
    internal = {k.replace("#", " ") for k in keys} | {f"{k.split('#')[0]} ({k.split('#')[1]})" for k in keys}
    internal -= set(printed_codes(bundled()).values())
    ledger = Ledger(demo_cycle.folder / "sdgxl.sqlite")
    try:
        con = consolidate(bundled(), ledger, demo_cycle.years[-1])
    finally:
        ledger.close()
    report, _ = write_report(con, assess(con), tmp_path, pdf=False)
    for book in (report, demo_cycle.last.consolidated):
        with zipfile.ZipFile(book) as zf:
            text = " ".join(zf.read(n).decode("utf-8") for n in zf.namelist()
                            if n.startswith(("xl/charts/", "xl/sharedStrings")))
        found = [k for k in internal if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w-])", text)]
        assert not found, (book.name, found[:5])
    sub = openpyxl.load_workbook(report).worksheets[0]["A2"].value
    assert re.search(r"Số liệu tổng hợp đến \d{2}/\d{2}/\d{4}\.", sub), sub


def test_chase_only_those_who_must_act(demo_cycle):
    result = demo_cycle.last
    con = result.consolidation
    chase = {a for a, _, _ in summary.chase_rows(result, "vi")}
    late = {a for a, _ in summary.late_rows(result, "vi")}
    assert chase == {st.agency for st in con.agencies if st.to_chase}
    assert late and not (late & chase)
    assert all(next(st for st in con.agencies if st.agency == a).complete for a in late)
    ws = openpyxl.load_workbook(result.consolidated)["Tiến độ nộp"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    at_chase = cells.index("DANH SÁCH CẦN NHẮC")
    at_late = cells.index("NỘP MUỘN NHƯNG ĐÃ ĐỦ (KHÔNG CẦN NHẮC)")
    for a in late:
        where = [i for i, v in enumerate(cells) if v.startswith(f"{a} – ")]
        assert max(where) > at_late and not any(at_chase < i < at_late for i in where)


def test_check_titles_beside_codes(demo_cycle):
    """Wherever a person reads issues the check is its title in the reader's language and its
    code: the "Lỗi" sheet, the feedback copies (codes of components as printed), validate."""
    from sdgxl.validate.checks import CHECKS
    from tests.conftest import run_cli

    def titled(value: str, lang: str) -> str:
        m = re.fullmatch(r"(.+) \(([a-z-]+)\)", value)
        assert m and m[2] in CHECKS and m[1] == CHECKS[m[2]].title(lang), value
        return m[2]

    ws = openpyxl.load_workbook(demo_cycle.last.consolidated)["Lỗi"]
    assert ws.cell(3, 6).value == "Kiểm tra"
    codes = {titled(str(ws.cell(r, 6).value), "vi") for r in range(4, ws.max_row + 1) if ws.cell(r, 6).value}
    assert {"number-as-text", "percent-sign-typed", "wrong-year"} <= codes
    printed = set(printed_codes(bundled()).values())
    seen = set()
    for path in demo_cycle.last.feedback:
        sheet = openpyxl.load_workbook(path).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        head = next(i for i, r in enumerate(rows) if r[:6] == ("STT", "Mức", "Ô", "Chỉ tiêu", "Kiểm tra", "Nội dung"))
        for r in rows[head + 1:]:
            if r[4]:
                seen.add(titled(str(r[4]), "vi"))
                assert not r[3] or r[3] in printed, r[3]  # "3.9 (Nữ)", never "3.9 (nu)"
    assert "percent-sign-typed" in seen
    bad = next(f.path for f in demo_cycle.last.files if f.errors and f.path.suffix == ".xlsx")
    for lang in ("vi", "en"):
        proc = run_cli("--lang", lang, "validate", str(bad), "--year", str(demo_cycle.years[-1]))
        assert proc.returncode == 1, proc.stderr
        flat = re.sub(r"[│\s]+", " ", proc.stdout)
        shown = [c for c in CHECKS.values() if c.label(lang) in flat]
        assert shown, flat[:2000]
        assert "Kiểm tra" in proc.stdout if lang == "vi" else "Check" in proc.stdout
