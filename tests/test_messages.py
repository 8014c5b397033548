"""Issues are data rendered late: one number and date formatter per language, and English
output that carries no Vietnamese words or decimal commas (issue 11)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata

import openpyxl
import pytest

from sdgxl.i18n import MESSAGES, date, number, render, t
from sdgxl.validate.checks import CHECKS, Issue
from tests.conftest import ROOT, assert_no_traceback, run_cli

CORPUS = ROOT / "tests" / "corpus" / "files"
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
DECIMAL_COMMA = re.compile(r"\d,(\d{1,2}|\d{4,})(?!\d)")  # 9,78 / 19,4; not 1,234 (thousands)


def vietnamese_letters(text: str) -> list[str]:
    """Latin letters with diacritics (ă, ơ, đ, ế …): words the reader of English output
    should not meet outside quoted data."""
    return [ch for ch in text if ord(ch) > 127 and "LATIN" in unicodedata.name(ch, "")]


def assert_english(message: str) -> None:
    words = QUOTED.sub('""', message)  # what an agency typed is quoted data, shown as sent
    assert not vietnamese_letters(words), message
    assert not DECIMAL_COMMA.search(words), message


def test_numbers_and_dates_per_language():
    assert number(9.78, "vi") == "9,78" and number(9.78, "en") == "9.78"
    assert number(1234.0, "vi") == "1.234" and number(1234.0, "en") == "1,234"
    assert number(1234567.5, "vi") == "1.234.567,5" and number(1234567.5, "en") == "1,234,567.5"
    assert number(-0.5, "vi") == "-0,5" and number(100.0, "en") == "100"
    assert number(float("inf"), "en") == "∞"
    assert date(dt.date(2026, 11, 30), "vi") == "30/11/2026" and date(dt.date(2026, 11, 30), "en") == "2026-11-30"


@pytest.mark.parametrize("v", [0.0, 0.001, 1.5, 9.78, 999.999, 1000.0, 1234.5, -98765.4321, 1e9, 123456789012.0])
def test_a_number_reads_back_in_both_languages(v):
    en, vi = number(v, "en"), number(v, "vi")
    assert float(en.replace(",", "")) == pytest.approx(v, rel=1e-9)
    assert vi == en.replace(",", "_").replace(".", ",").replace("_", ".")


def test_typed_parameters_render_per_language():
    assert render("{r:range}", {"r": (0.0, 100.5)}, "vi") == "0 – 100,5"
    assert render("{r:range}", {"r": [None, 1.5]}, "en") == "−∞ – 1.5"
    assert render("{x:or}", {"x": [1250.0, 1.25]}, "vi") == "1.250 / 1,25"
    assert render("{y}", {"y": 2026}, "vi") == "2026"  # an int is a year or a count: no grouping
    assert render("{w}", {"w": {"t": "why_empty"}}, "en") == "empty file (0 bytes)"
    assert render("{w}", {"w": {"vi": "chữ", "en": "words"}}, "en") == "words"
    assert render("{s:statuses}", {"s": ["no_data_yet"]}, "en") == "No data yet"
    assert render("{missing}", {}, "en") == ""
    # a count's plural: English only, and never "1 indicators"
    assert t("n_indicators", "en", n=1) == "1 indicator"
    assert t("n_indicators_rows", "en", n=1, rows=2) == "1 indicator (2 data rows, components included)"
    assert t("n_indicators", "en", n=0) == "0 indicators"
    assert t("n_indicators", "vi", n=1) == t("n_indicators", "vi", n=2).replace("2", "1") == "1 chỉ tiêu"
    assert t("forms_written", "en", n=3, year=2026, out="x") == "Generated 3 forms for 2026 in x"


def test_every_message_has_both_languages_and_the_same_fields():
    from sdgxl.i18n import fields

    for key, (vi, en) in MESSAGES.items():
        assert vi and en, key
    for code, check in CHECKS.items():
        assert fields(check.vi) == fields(check.en), code
        assert len(fields(check.vi) - {"value", "indicator"}) <= 1, code  # old ledger rows map onto it


def test_an_issue_is_data_until_shown():
    issue = Issue("value-out-of-range", sheet="Chỉ tiêu", cell="J7", indicator="1.2", value=120.5,
                  params={"allowed": (0.0, 100.0)})
    assert issue.message("vi") == "Giá trị 120,5 ngoài giới hạn của đơn vị tính (0 – 100)."
    assert issue.message("en") == "Value 120.5 is outside what the unit allows (0 – 100)."
    d = issue.to_dict("en")
    assert d["params"] == {"allowed": (0.0, 100.0)} and json.loads(json.dumps(d))["params"] == {"allowed": [0, 100]}


def test_an_old_ledger_row_is_still_shown():
    old = {"code": "file-not-spreadsheet", "sheet": None, "cell": None, "indicator": None, "component": None,
           "value": None, "value_num": None, "params": None, "detail": ".xlsx, văn bản/khác",
           "detail_en": ".xlsx, text/other"}
    issue = Issue.from_record(old)
    assert "văn bản/khác" in issue.message("vi") and "text/other" in issue.message("en")
    new = {**old, "code": "file-unreadable", "params": json.dumps({"reason": {"t": "why_empty"}}),
           "detail": None, "detail_en": None}
    assert Issue.from_record(new).message("en").endswith("empty file (0 bytes). Please send it again.")


def test_english_validation_of_the_whole_corpus_has_no_vietnamese_and_no_decimal_comma():
    proc = run_cli("validate", str(CORPUS), "--year", "2026", "--format", "json", "--lang", "en")
    assert_no_traceback(proc)
    data = json.loads(proc.stdout)
    messages = [i["message"] for f in data["files"] for i in f["issues"]]
    assert len(data["files"]) == len(list(CORPUS.iterdir())) and len(messages) > 40
    for message in messages:
        assert_english(message)
    # the Vietnamese rendering of the same issues does use Vietnamese numbers
    vi = json.loads(run_cli("validate", str(CORPUS), "--year", "2026", "--format", "json").stdout)
    vi_messages = [i["message"] for f in vi["files"] for i in f["issues"]]
    assert any(DECIMAL_COMMA.search(QUOTED.sub("", m)) for m in vi_messages)


def test_english_collect_outputs_have_no_vietnamese_and_no_decimal_comma(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(CORPUS, inbox)
    out = tmp_path / "out"
    proc = run_cli("collect", str(inbox), "--year", "2026", "--out", str(out), "--db", str(tmp_path / "l.sqlite"),
                   "--lang", "en")
    assert_no_traceback(proc)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    # the chase list names agencies in English (the registry's English names)
    from sdgxl.catalogue import bundled

    said = " ".join(proc.stdout.split())
    assert "Department of" in said
    for a in bundled().agencies:
        if a.name_en:
            assert f"– {a.name}" not in said, a.name
    wb = openpyxl.load_workbook(out / "2026_sdg-consolidated.xlsx")
    messages = [r[c] for r in wb["Issues"].iter_rows(min_row=4, values_only=True) if r[0] for c in (5, 6)]
    assert len(messages) > 40
    feedback = sorted((out / "feedback").glob("*.xlsx"))
    assert feedback
    for path in feedback:
        sheet = openpyxl.load_workbook(path)["Feedback"]
        head = next(r for r in range(1, 40) if sheet.cell(r, 6).value == "Message")
        assert sheet.cell(head, 5).value == "Check"  # the check's title (code), in English
        messages += [sheet.cell(r, c).value for r in range(head + 1, sheet.max_row + 1) for c in (5, 6)
                     if sheet.cell(r, c).value]
    for message in messages:
        assert_english(str(message))


def test_english_report_status_and_workbook_name_agencies_units_and_the_plan_in_english(demo_cycle, tmp_path):
    """The reviewer's English run (issue 17) met "Target 1.1 (Sở Y tế, co-operating)", "47.8
    Triệu đồng", "‰ (trên 1.000 trẻ đẻ sống)", "Pursuant to Kế hoạch số 144/KH-UBND" and
    Vietnamese agency names in `status` and the consolidated workbook."""
    import io

    import docx

    from sdgxl.catalogue import bundled
    from sdgxl.catalogue.units import UNITS_EN
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.outputs.workbook import write_consolidated
    from sdgxl.progress.assess import assess
    from sdgxl.progress.document import document_bytes
    from tests.conftest import run_cli

    cat = bundled()
    ledger = Ledger(demo_cycle.folder / "sdgxl.sqlite")
    try:
        con = consolidate(cat, ledger, demo_cycle.years[-1])
    finally:
        ledger.close()
    vi_names = [a.name for a in cat.agencies if a.name_en] + [a.short for a in cat.agencies if a.short and a.name_en
                                                              and not a.short.isascii()]
    vi_units = [u for u, en in UNITS_EN.items() if u != en]
    agency_text = {n["agency"] for n in con.narratives}  # what agencies wrote is data, shown as sent
    written = {n[k] for n in con.narratives for k in ("results", "difficulties", "proposals") if n[k]}

    d = docx.Document(io.BytesIO(document_bytes(con, assess(con), lang="en")))
    lines = [p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells]
    lines = [x for x in lines if x and not any(w in x for w in written)]
    assert agency_text and len(lines) > 200
    report = "\n".join(lines)
    assert "Pursuant to Plan No. 144/KH-UBND of 25 July 2018 of the Kien Giang People's Committee" in report
    for text in ("Kế hoạch", "Triệu đồng", "trẻ đẻ sống", "co-operating)"):
        assert text not in report or text == "co-operating)", text
    for name in vi_names:
        assert name not in report, name
    units = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert not set(units) & set(vi_units)
    assert "million VND" in report and "‰ (per 1,000 live births)" in report

    status = run_cli("status", "--year", str(con.year), "--db", str(demo_cycle.folder / "sdgxl.sqlite"),
                     "--lang", "en")
    assert status.returncode == 0, status.stderr
    out = " ".join(status.stdout.split())
    assert "Department of Health" in out and not vietnamese_letters(out), out

    progress = run_cli("progress", "--year", str(con.year), "--db", str(demo_cycle.folder / "sdgxl.sqlite"),
                       "--lang", "en")
    assert progress.returncode == 0, progress.stderr
    assert "└ Men" in progress.stdout and "└ Nam" not in progress.stdout

    book = write_consolidated(con, tmp_path, lang="en")
    wb = openpyxl.load_workbook(book)
    for sheet in ("Print view", "Completeness", "Provincial table", "Target results"):
        ws = wb[sheet]
        cells = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and v not in written]
        for name in vi_names:
            assert not any(name in c for c in cells), (sheet, name)
