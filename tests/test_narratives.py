"""Narratives: what an agency writes on the targets it leads, from a form typed in real
LibreOffice to the ledger, the consolidated workbook, the export and the report document."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdgxl import libreoffice as lo
from sdgxl.catalogue import bundled
from sdgxl.collect import collect
from sdgxl.consolidate import consolidate
from sdgxl.demo.samples import fill_from_samples
from sdgxl.forms.generate import generate_forms
from sdgxl.ledger import SCHEMA_VERSION, Ledger
from sdgxl.progress.assess import assess
from sdgxl.progress.document import document_bytes, milestone_rows, write_document
from sdgxl.validate import validate_file
from tests.conftest import run_cli
from tests.test_generate import read_narratives

YEAR = 2026
VN = dt.timezone(dt.timedelta(hours=7))
FORMULA_TEXT = "=SUM(B2:B9) không phải công thức: đây là lời của Sở Y tế"
TYPED = {
    "3.1": ("Giảm tỷ suất tử vong trẻ em dưới 1 tuổi còn 9,8‰ nhờ 100% trạm y tế xã có nữ hộ sinh.",
            "Thiếu bác sĩ sản, nhi tuyến huyện.", "Thu hút bác sĩ về tuyến huyện."),
    "3.2": (FORMULA_TEXT, "", ""),
}


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def typed(tmp_path_factory, libreoffice):
    """SYT's form, typed in LibreOffice: narratives on 3.1 and 3.2 (one starts with "="), values
    from the samples; every other led target left empty."""
    out = tmp_path_factory.mktemp("narr-lo")
    (form,) = generate_forms(bundled(), YEAR, out / "forms", agencies=["SYT"])
    values = out / "values.xlsx"
    fill_from_samples(form.path, values, YEAR, "SYT")
    # the samples' narratives are cleared: what LibreOffice types is all there is
    wb = openpyxl.load_workbook(form.path)
    rows = read_narratives(wb)
    sheet = "Kết quả mục tiêu"
    cells = []
    for row, _ in rows.values():
        for col in "FGH":
            cells.append({"sheet": sheet, "cell": f"{col}{row}", "string": ""})
    for target, texts in TYPED.items():
        row = rows[target][0]
        for col, text in zip("FGH", texts, strict=True):
            if text.startswith("="):
                cells.append({"sheet": sheet, "cell": f"{col}{row}", "string": text})  # typed into a text cell
            elif text:
                cells.append({"sheet": sheet, "cell": f"{col}{row}", "typed": text})
    saved = out / "inbox" / "SYT" / form.path.name
    saved.parent.mkdir(parents=True)
    lo.run_job({"input": str(values), "output": str(saved), "cells": cells})
    ts = dt.datetime(YEAR, 11, 5, 9, tzinfo=VN).timestamp()
    os.utime(saved, (ts, ts))
    return saved, rows


def test_typed_narratives_are_read_and_a_missing_one_is_a_warning_at_its_cell(typed):
    saved, rows = typed
    report = validate_file(saved, bundled(), year=YEAR)
    got = {n.target: n for n in report.narratives}
    assert set(got) == {"3.1", "3.2"}
    assert (got["3.1"].results, got["3.1"].difficulties, got["3.1"].proposals) == TYPED["3.1"]
    assert got["3.2"].results == FORMULA_TEXT and got["3.2"].difficulties is None
    missing = {i.value: i for i in report.issues if i.code == "narrative-missing"}
    # 1.2 and 8.7 too: LĐ-TB&XH led them, and their indicators (social protection, children) went to Y tế
    assert set(missing) == {"1.2", "2.1", "2.2", "3.3", "3.4", "3.6", "3.7", "3.8", "3.9", "5.6", "8.7", "16.6"}
    assert missing["3.3"].sheet == "Kết quả mục tiêu" and missing["3.3"].cell == f"F{rows['3.3'][0]}"
    assert missing["3.3"].severity == "warning" and report.valid
    assert "3.3" in missing["3.3"].message("vi") and "3.3" in missing["3.3"].message("en")


def test_typed_narratives_reach_the_ledger_the_workbook_the_export_and_the_document(typed, tmp_path, ledger_db):
    saved, _ = typed
    res = collect(saved.parent.parent, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert res.files[0].valid and res.files[0].warnings == 12
    ledger = Ledger(ledger_db)
    try:
        rows = {n["target"]: n for n in ledger.narratives(YEAR, current_only=True)}
        assert rows["3.1"]["results"] == TYPED["3.1"][0] and rows["3.1"]["role"] == "lead"
        assert rows["3.2"]["results"] == FORMULA_TEXT and rows["3.1"]["file_name"] == saved.name
        con = consolidate(bundled(), ledger, YEAR)
    finally:
        ledger.close()
    # the consolidated sheet: text stays text (a string cell, no formula), lead first
    wb = openpyxl.load_workbook(res.consolidated)
    ws = wb["Kết quả mục tiêu"]
    found = {}
    for line in ws.iter_rows(min_row=5):
        if line[0].value in ("3.1", "3.2") and line[2].value == "Sở Y tế":
            found[line[0].value] = line[4]
    assert found["3.1"].value == TYPED["3.1"][0]
    assert found["3.2"].value == FORMULA_TEXT and found["3.2"].data_type == "s"
    status = next(r for r in wb["Tiến độ nộp"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("SYT"))
    assert status[8:10] == (14, 2) and "12/14" in status[10]
    # the export carries them (CSV: the formula-looking text behind an apostrophe)
    export = tmp_path / "x.csv"
    proc = run_cli("export", "--year", str(YEAR), "--db", ledger_db, "--out", str(export), "--format", "csv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (tmp_path / "x-narratives.csv").read_text(encoding="utf-8-sig")
    assert "'" + FORMULA_TEXT in text and TYPED["3.1"][0] in text
    proc = run_cli("export", "--year", str(YEAR), "--db", ledger_db, "--out", str(tmp_path / "x.json"),
                   "--format", "json")
    assert proc.returncode == 0
    records = json.loads((tmp_path / "x-narratives.json").read_text(encoding="utf-8"))
    assert {r["target"] for r in records} == {"3.1", "3.2"} and all(r["merged"] for r in records)
    # the report document: the narrative under its goal, the "=" text as text
    docx, pdf = write_document(con, assess(con), tmp_path / "out", pdf=False)
    body = _docx_text(docx.read_bytes())
    assert TYPED["3.1"][0] in body and FORMULA_TEXT in body
    assert "Thiếu bác sĩ sản, nhi tuyến huyện." in body and "Thu hút bác sĩ về tuyến huyện." in body
    assert pdf is None


def test_the_document_opens_in_libreoffice_and_converts_to_pdf(typed, tmp_path):
    saved, _ = typed
    res = collect(saved.parent.parent, bundled(), year=YEAR, out_dir=tmp_path / "out", db=tmp_path / "l.sqlite")
    assert res.consolidation is not None and res.progress is not None
    docx, pdf = write_document(res.consolidation, res.progress, tmp_path / "out", pdf=True)
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    pages = lo.pdf_pages(pdf)
    assert pages >= 3
    job = lo.run_job({"input": str(docx), "inspect": True})
    assert job["pages"] == pages
    assert "BÁO CÁO" in job["text"] and FORMULA_TEXT in job["text"]  # the body (tables aside)
    import subprocess

    shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in shown and "Độc lập - Tự do - Hạnh phúc" in shown
    assert "Nơi nhận:" in shown and "PHỤ LỤC" in shown.upper()


def _sample_consolidation(tmp_path: Path, year: int = YEAR):
    cat = bundled()
    forms = generate_forms(cat, year, tmp_path / "forms", agencies=["SYT", "SGDDT"])
    for f in forms:
        fill_from_samples(f.path, tmp_path / "inbox" / f.agency / f.path.name, year, f.agency)
    res = collect(tmp_path / "inbox", cat, year=year, out_dir=tmp_path / "out", db=tmp_path / "l.sqlite")
    assert res.consolidation is not None and res.progress is not None
    return res.consolidation, res.progress


def test_document_layout_per_decree_30(tmp_path):
    """A4 portrait, margins 20/20/30/15 mm, Times New Roman, the national title and motto, the
    number and symbol, place and date, the title, recipients and signer; named styles; page
    numbers in the header from page 2; the appendix in landscape; the same bytes twice."""
    from docx import Document
    from docx.shared import Mm

    con, assessments = _sample_consolidation(tmp_path)
    data = document_bytes(con, assessments)
    assert data == document_bytes(con, assessments)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core
    doc = Document(io.BytesIO(data))
    first, appendix = doc.sections[0], doc.sections[-1]
    def mm(length: int) -> float:  # Word stores twips
        return round(length / Mm(1), 1)

    assert (mm(first.page_width), mm(first.page_height)) == (210, 297)
    assert tuple(map(mm, (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin))) == (
        20, 20, 30, 15)
    assert first.different_first_page_header_footer and "PAGE" in first.header._element.xml
    assert appendix.page_width > appendix.page_height
    head = doc.tables[0]
    # issued by the province of the report's year: from 2025 An Giang, which Kiên Giang joined
    assert head.rows[0].cells[0].text.startswith("ỦY BAN NHÂN DÂN\nTỈNH AN GIANG")
    assert head.rows[0].cells[1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert head.rows[1].cells[0].text.startswith("Số:") and head.rows[1].cells[0].text.endswith("/BC-UBND")
    assert head.rows[1].cells[1].text.startswith("An Giang, ngày") and head.rows[1].cells[1].text.endswith("2026")
    styles = {p.style.name for p in doc.paragraphs}
    assert {"SDG Tên loại", "SDG Trích yếu", "Heading 1", "Heading 2", "SDG Mục"} <= styles
    # no hard formatting: runs carry no font, size or bold of their own
    for p in doc.paragraphs:
        for run in p.runs:
            assert run.font.name is None and run.font.size is None and run.bold is None, p.text
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    assert doc.styles["SDG Quốc hiệu"].font.bold and doc.styles["SDG Địa danh"].font.italic
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts and any(t.startswith("I. ĐÁNH GIÁ CHUNG") for t in texts)
    for heading in ("II. KẾT QUẢ THỰC HIỆN THEO TỪNG MỤC TIÊU", "III. CÁC CHỈ TIÊU CHƯA ĐẠT TIẾN ĐỘ",
                    "IV. CÁC CƠ QUAN CHƯA BÁO CÁO ĐẦY ĐỦ", "V. KHÓ KHĂN, VƯỚNG MẮC", "VI. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in texts
    sign = doc.tables[-2]
    assert sign.rows[0].cells[0].text.startswith("Nơi nhận:") and "Lưu: VT." in sign.rows[0].cells[0].text
    assert sign.rows[0].cells[1].text.startswith("TM. ỦY BAN NHÂN DÂN")
    # the appendix is the provincial table: a row per indicator (and component)
    assert len(doc.tables[-1].rows) == 1 + len(con.rows)
    # difficulties and proposals gathered from the agencies, each with its agency and target
    body = "\n".join(texts)
    assert "Sở Giáo dục và Đào tạo (mục tiêu 4.1): Thiếu giáo viên tiếng Anh" in body
    assert "Sở Y tế (mục tiêu 3.7): Đề nghị ngân sách tỉnh hỗ trợ thêm 20%" in body
    assert "VII." not in body  # no milestone comparison outside 2025 and 2030


def test_mid_term_review_compares_with_the_2025_milestone(tmp_path):
    con, assessments = _sample_consolidation(tmp_path, 2025)
    rows = milestone_rows(con, assessments, 2025)
    by = {a.key: (text, value, met) for a, text, value, met in rows}
    assert by["3.1a"][0] == "11,5" and by["3.1a"][1] is not None
    assert by["3.1a"][2] is (by["3.1a"][1] <= 11.5)  # a rate that should fall: met when at or below
    body = _docx_text(document_bytes(con, assessments))
    assert "Đánh giá giữa kỳ" in body and "VII. SO SÁNH VỚI MỐC NĂM 2025 CỦA KẾ HOẠCH" in body
    assert "TỈNH AN GIANG" in body and "TỈNH KIÊN GIANG" not in body  # the 2025 cycle: after the merger
    assert "So với mốc năm 2025 của Kế hoạch, theo từng dòng số liệu" in body  # rows, named as rows


_XMLISH = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_XMLISH)
def test_any_text_an_agency_sends_makes_a_valid_document(tmp_path_factory, text):
    """Control characters, markup, "=" at the start: the document is written and keeps the
    text (less the characters XML cannot hold)."""
    from sdgxl.progress.document import clean

    tmp = tmp_path_factory.mktemp("hyp")
    con, assessments = _cached(tmp)
    con.narratives = [{**con.narratives[0], "results": text, "difficulties": text}]
    data = document_bytes(con, assessments)
    body = _docx_text(data)
    kept = clean(text).strip()
    if kept and "\n" not in kept and "\r" not in kept and "\t" not in kept:
        assert kept in body


_CACHE: dict[str, object] = {}


def _cached(tmp: Path):
    if "con" not in _CACHE:
        _CACHE["con"] = _sample_consolidation(tmp)
    return _CACHE["con"]  # type: ignore[return-value]


def test_a_resubmission_supersedes_the_narrative_and_old_ledgers_migrate(tmp_path, ledger_db):
    from sqlalchemy import inspect, text

    cat = bundled()
    (form,) = generate_forms(cat, YEAR, tmp_path / "forms", agencies=["SYT"])
    inbox = tmp_path / "inbox" / "SYT"
    first = fill_from_samples(form.path, inbox / "lan-1.xlsx", YEAR, "SYT")
    os.utime(first, (1, 1))
    collect(inbox.parent, cat, year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    from sdgxl.demo.fill import FormFile

    second = inbox / "lan-2.xlsx"
    FormFile(first).write_narratives({"3.1": ("Bản sửa: tỷ suất 9,6‰.", None, None)}).save(second)
    collect(inbox.parent, cat, year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    ledger = Ledger(ledger_db)
    try:
        all_rows = [n for n in ledger.narratives(YEAR) if n["target"] == "3.1"]
        assert len(all_rows) == 2
        old, new = sorted(all_rows, key=lambda n: n["submission_id"])
        assert old["superseded_by"] == new["submission_id"] and new["superseded_by"] is None
        assert new["results"] == "Bản sửa: tỷ suất 9,6‰."
        assert ledger.counts()["narratives"] == 2 * len(validate_file(first, cat).narratives)
        with ledger.engine.begin() as conn:  # make it what schema 3 wrote
            conn.execute(text("DROP TABLE narratives"))
            conn.execute(text("UPDATE sdgxl_meta SET value = '3' WHERE key = 'schema_version'"))
    finally:
        ledger.close()
    ledger = Ledger(ledger_db)
    try:
        with ledger.engine.connect() as conn:
            assert "narratives" in inspect(conn).get_table_names()
            assert conn.execute(text("SELECT value FROM sdgxl_meta WHERE key = 'schema_version'")).scalar() == str(
                SCHEMA_VERSION)
        assert ledger.narratives() == []
    finally:
        ledger.close()


def _narrative_report(name: str, saved: str, texts: dict[str, str]):
    from sdgxl.validate.engine import FileReport, Narrative

    rows = [Narrative(target, "lead", YEAR, "SYT", text, None, None, "Kết quả mục tiêu", f"F{5 + n}")
            for n, (target, text) in enumerate(texts.items())]
    return FileReport(path=name, agency="SYT", year=YEAR, narratives=rows, saved_at=saved)


def test_an_older_narrative_arriving_later_is_held_with_the_values_warning(tmp_path, ledger_db):
    """A file of narratives only (no value to find it older), saved before the one already
    recorded: its narratives are held, and the file gets the values' ``version-older``
    warning at the narrative sheet's cell of its first narrative held."""
    from sdgxl.ledger import Arrival

    newer = _narrative_report("sua.xlsx", f"{YEAR}-11-09T02:00:00+00:00", {"3.1": "Bản sửa", "3.2": "Bản sửa 3.2"})
    older = _narrative_report("goc.xlsx", f"{YEAR}-11-03T02:00:00+00:00", {"3.1": "Bản đầu", "3.2": "Bản đầu 3.2"})
    ledger = Ledger(ledger_db)
    try:
        ((_, new_id),) = ledger.record([(newer, "a" * 64, tmp_path / "sua.xlsx", Arrival())], collected_for=YEAR)
        ((rep, old_id),) = ledger.record([(older, "b" * 64, tmp_path / "goc.xlsx", Arrival())], collected_for=YEAR)
        rows = {(n["submission_id"], n["target"]): n for n in ledger.narratives(YEAR)}
        assert {t: n["results"] for (_, t), n in rows.items() if n["superseded_by"] is None} == {
            "3.1": "Bản sửa", "3.2": "Bản sửa 3.2"}
        assert rows[(old_id, "3.1")]["superseded_by"] == new_id == rows[(old_id, "3.2")]["superseded_by"]
        warned = [i for i in ledger.issues(YEAR) if i["code"] == "version-older"]
        assert [(i["submission_id"], i["sheet"], i["cell"], i["value"]) for i in warned] == [
            (old_id, "Kết quả mục tiêu", "F5", "sua.xlsx")]
        assert json.loads(warned[0]["params"]) == {"saved": f"{YEAR}-11-09T02:00:00+00:00"}
        assert [i.code for i in rep.issues] == ["version-older"]
        sub = next(s for s in ledger.submissions(YEAR) if s.id == old_id)
        assert sub.warnings == 1 and sub.valid
    finally:
        ledger.close()


def test_an_older_file_of_values_and_narratives_is_warned_once(tmp_path, forms, ledger_db):
    """Values and narratives of one older file: one ``version-older`` (the file's), not one
    more for its narratives; the narratives are held all the same."""
    from tests.test_collect import put

    put(tmp_path / "a", forms["SYT"], "SYT", day=9, name="sua.xlsx")
    collect(tmp_path / "a", bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    put(tmp_path / "b", forms["SYT"], "SYT", day=3)
    res = collect(tmp_path / "b", bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert res.files[0].older
    ledger = Ledger(ledger_db)
    try:
        warned = [i for i in ledger.issues(YEAR) if i["code"] == "version-older"]
        narr = ledger.narratives(YEAR)
    finally:
        ledger.close()
    assert [(i["sheet"], i["cell"], i["value"]) for i in warned] == [(None, None, "sua.xlsx")]
    held = [n for n in narr if n["submission_id"] == warned[0]["submission_id"]]
    assert held and all(n["superseded_by"] is not None for n in held)
    assert all(n["superseded_by"] is None for n in narr if n not in held)


def _saved_copy(form: Path, dst: Path, day: int, texts: dict[str, tuple[str | None, str | None, str | None]]) -> Path:
    from sdgxl.demo.fill import FormFile

    dst.parent.mkdir(parents=True, exist_ok=True)
    FormFile(form).write_narratives(texts).set_saved(dt.datetime(YEAR, 11, day, 9, tzinfo=VN)).save(dst)
    return dst


def test_a_body_that_reports_no_indicator_gets_a_form_of_narratives_only(tmp_path, ledger_db):
    """Cục Thống kê co-operates on 2.3 and reports no indicator; HĐND leads 16.7 and reports
    none: each gets the same form with no indicator row, the validation and the collect take
    it, the status expects it (HĐND chased while its led target is unwritten, CTK owing
    nothing), and an older copy arriving later is held with ``version-older`` at its cell."""
    cat = bundled()
    forms = {f.agency: f for f in generate_forms(cat, YEAR, tmp_path / "forms", agencies=["CTK", "HDND"])}
    assert forms["CTK"].rows == 0 and forms["HDND"].rows == 0
    wb = openpyxl.load_workbook(forms["CTK"].path)
    assert read_narratives(wb) == {"2.3": (6, "cooperate")}
    assert read_narratives(openpyxl.load_workbook(forms["HDND"].path)) == {"16.7": (6, "lead")}
    cover = [str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
    assert any("chỉ có sheet \"Kết quả mục tiêu\"" in c for c in cover)
    assert any(c.startswith("=SUMPRODUCT(('Kết quả mục tiêu'!$J$") for c in cover)
    # nothing sent yet: both expected, HĐND chased (a narrative is due), CTK not (co-operating rows are optional)
    (tmp_path / "empty").mkdir()
    res = collect(tmp_path / "empty", cat, year=YEAR, out_dir=tmp_path / "o0", db=ledger_db)
    st = {s.agency: s for s in res.consolidation.agencies}
    assert st["HDND"].narrative_only and st["HDND"].to_chase and st["HDND"].reason("en") == "No return received"
    assert st["CTK"].narrative_only and not st["CTK"].to_chase and st["CTK"].expected == 0
    # CTK writes on 2.3 (saved 9 Nov), HĐND sends its form with 16.7 left empty
    inbox = tmp_path / "inbox"
    text = "Cục Thống kê đã cung cấp số liệu điều tra năng suất lúa cho Sở NN&MT."
    _saved_copy(forms["CTK"].path, inbox / "CTK" / "sua.xlsx", 9, {"2.3": (text, None, None)})
    _saved_copy(forms["HDND"].path, inbox / "HDND" / forms["HDND"].path.name, 5, {})
    report = validate_file(inbox / "CTK" / "sua.xlsx", cat, year=YEAR)
    assert report.valid and not report.issues and not report.observations
    assert [(n.target, n.role, n.results) for n in report.narratives] == [("2.3", "cooperate", text)]
    res = collect(inbox, cat, year=YEAR, out_dir=tmp_path / "o1", db=ledger_db)
    assert all(f.valid for f in res.files)
    st = {s.agency: s for s in res.consolidation.agencies}
    assert st["CTK"].complete and not st["CTK"].to_chase
    assert st["HDND"].to_chase and st["HDND"].narratives_missing == 1
    assert st["HDND"].reason("en") == "No narrative on 1 of 1 target led"
    sheet = openpyxl.load_workbook(res.consolidated)["Kết quả mục tiêu"]
    assert any(r[0] == "2.3" and text in [str(c) for c in r] for r in sheet.iter_rows(values_only=True))
    # CTK's first draft (saved 3 Nov) arrives after its correction: held, warned at its cell
    _saved_copy(forms["CTK"].path, tmp_path / "late" / "CTK" / "goc.xlsx", 3, {"2.3": ("Bản nháp", None, None)})
    res = collect(tmp_path / "late", cat, year=YEAR, out_dir=tmp_path / "o2", db=ledger_db)
    (late,) = res.files
    assert late.older and late.warnings == 1
    ledger = Ledger(ledger_db)
    try:
        current = [n for n in ledger.narratives(YEAR, current_only=True) if n["agency"] == "CTK"]
        warned = [i for i in ledger.issues(YEAR) if i["code"] == "version-older"]
        codes = {i["code"] for i in ledger.issues(YEAR) if i["agency"] == "HDND"}
    finally:
        ledger.close()
    assert [n["results"] for n in current] == [text]
    assert [(i["file_name"], i["sheet"], i["cell"], i["value"]) for i in warned] == [
        ("goc.xlsx", "Kết quả mục tiêu", "F6", "sua.xlsx")]
    assert codes == {"narrative-missing"}  # HĐND's 16.7, at its cell, as on any form


def test_a_form_of_narratives_only_typed_in_libreoffice_is_read(tmp_path, libreoffice):
    """Cục Thống kê's form (no indicator row) typed and saved by real LibreOffice: valid, its
    narrative read, nothing else asked of it."""
    (form,) = generate_forms(bundled(), YEAR, tmp_path / "forms", agencies=["CTK"])
    row = read_narratives(openpyxl.load_workbook(form.path))["2.3"][0]
    text = "Đã phối hợp điều tra năng suất lúa vụ Đông Xuân."
    saved = tmp_path / "inbox" / "CTK" / form.path.name
    saved.parent.mkdir(parents=True)
    lo.run_job({"input": str(form.path), "output": str(saved),
                "cells": [{"sheet": "Kết quả mục tiêu", "cell": f"F{row}", "typed": text}]})
    report = validate_file(saved, bundled(), year=YEAR)
    assert report.valid and not report.observations, [i.code for i in report.issues]
    assert [(n.target, n.role, n.results) for n in report.narratives] == [("2.3", "cooperate", text)]
    assert {i.code for i in report.issues} <= {"sheet-unprotected"}
