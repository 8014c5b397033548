"""What a reviewer of the demo read (issue 17): every output names the agencies that report
in the year shown, counts say their unit and agree, English is English, the reply draft says
what it leaves out, the lists put what matters first."""

from __future__ import annotations

import email
import email.policy
import re

import openpyxl

from sdgxl.i18n import t

ABOLISHED = ("Sở LĐ-TB&XH", "Sở NN&PTNT", "Sở TN&MT", "Sở KH&ĐT")  # merged away on 1 March 2025


def _column(ws, head: str, head_row: int) -> list[tuple[str, str]]:
    heads = [c.value for c in ws[head_row]]
    code_col = next(i for i, h in enumerate(heads) if h in ("Mã", "Mã số"))
    col = heads.index(head)
    return [(str(r[code_col]), str(r[col])) for r in ws.iter_rows(min_row=head_row + 1, values_only=True)
            if isinstance(r[0], int)]


def test_print_view_names_the_same_agencies_as_the_table(demo_cycle):
    """The print view named abolished departments for 2026 (Sở LĐ-TB&XH for 1.1a) while the
    table named their successors."""
    wb = openpyxl.load_workbook(demo_cycle.collects[2026].consolidated)
    view = _column(wb["Bản in"], "Cơ quan báo cáo", 3)
    assert len(view) > 100
    assert dict(view)["1.1a"] == "Sở NN&MT" and dict(view)["2.3"] == "Sở NN&MT"
    table = wb["Tổng hợp"]
    head = next(r for r in range(1, 10) if "STT" in [c.value for c in table[r]])
    agencies = {c.value for c in table[head]}
    col = next(i for i, c in enumerate(table[head]) if c.value in agencies and "quan" in str(c.value))
    names = [r[col] for r in table.iter_rows(min_row=head + 1, values_only=True) if isinstance(r[0], int)]
    assert [a for _, a in view] == names
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not any(a in str(v) for a in ABOLISHED if v is not None), (ws.title, v)


def test_english_counts_use_plural_endings():
    assert t("n_errors_warnings", "en", errors=0, warnings=1) == "0 errors, 1 warning"
    assert t("n_errors_warnings", "en", errors=1, warnings=2) == "1 error, 2 warnings"
    assert t("chase_narratives", "en", n=1, of=1) == "No narrative on 1 of 1 target led"
    assert "(s)" not in t("catalogue_has_problems", "en", path="x", n=2)


def test_reply_draft_says_how_many_issues_it_does_not_list(demo_cycle):
    drafts = sorted((demo_cycle.collects[2026].out_dir / "thu-tra-loi").glob("*.eml"))
    assert drafts
    seen_more = False
    for path in drafts:
        body = email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_body(
            preferencelist=("plain",)).get_content()
        for block in re.split(r"(?m)^- ", body)[1:]:
            m = re.search(r": (\d+) lỗi, (\d+) cảnh báo\.", block)
            assert m, block
            total = int(m[1]) + int(m[2])
            listed = len(re.findall(r"(?m)^    \S.*\((?:[a-z-]+)\): ", block))
            more = re.search(r"… và (?:(\d+) lỗi)?(?:, )?(?:(\d+) cảnh báo)? khác \(xem tệp phản hồi đính kèm\)", block)
            rest = (int(more[1] or 0) + int(more[2] or 0)) if more else 0
            assert listed + rest == total, block
            seen_more |= bool(more)
    assert seen_more  # the demo's SNNMT file has more warnings than the draft lists


def test_english_reply_draft_counts(tmp_path):
    from sdgxl.outputs.reply import ReplyFile, write_reply

    path = write_reply(tmp_path, tmp_path / "x.eml", to="a@b.example", subject="SDG", message_id=None,
                       sender=None, agency_name="Department of Health",
                       files=[ReplyFile("SYT.xlsx", 1, 34, None, ["J1: a"] * 6, more_warnings=29)],
                       skipped=[], lang="en")
    body = email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_body(
        preferencelist=("plain",)).get_content()
    assert "SYT.xlsx: 1 error, 34 warnings." in body
    assert "… and 29 more warnings (see the attached feedback copy)." in body


def test_report_and_status_count_the_same_agencies_and_the_plans_targets(demo_cycle):
    """"11/18 cơ quan đã gửi đầy đủ" beside 16 agencies listed as not reporting in full, and
    "19/141 mục tiêu cụ thể" where the plan has 110 targets (141 were agency–target pairs)."""
    import docx

    from tests.conftest import run_cli

    assert demo_cycle.document is not None
    paras = [p.text for p in docx.Document(str(demo_cycle.document)).paragraphs]
    text = "\n".join(paras)
    m = re.search(r"(\d+)/(\d+) cơ quan đã báo cáo đầy đủ", text)
    assert m, text[:2000]
    done, total = int(m[1]), int(m[2])
    start = next(i for i, p in enumerate(paras) if p.startswith("IV. CÁC CƠ QUAN CHƯA BÁO CÁO ĐẦY ĐỦ"))
    end = next(i for i in range(start + 1, len(paras)) if re.match(r"[IVX]+\. ", paras[i]))
    listed = [p for p in paras[start + 1:end] if p.startswith("- ")]
    assert listed and len(listed) == total - done
    targets = re.search(r"(\d+)/(\d+) mục tiêu cụ thể đã có báo cáo kết quả", text)
    assert targets and int(targets[2]) == 110 and 0 < int(targets[1]) < 110
    proc = run_cli("status", "--year", str(demo_cycle.years[-1]), "--db", str(demo_cycle.folder / "sdgxl.sqlite"))
    out = " ".join(proc.stdout.split())
    assert f"{done}/{total} cơ quan đã báo cáo đầy đủ" in out, out[-600:]
    assert f"{targets[1]}/110 mục tiêu cụ thể" in out


def test_appendix_tells_the_roadmap_years_from_the_reported_years(demo_cycle):
    """The English appendix read "2020 2025 2030 2025 2026"; "2.4 (Vegetables)" broke
    mid-word in a 15 mm column."""
    import io

    import docx
    from docx.shared import Mm

    from sdgxl.catalogue import bundled
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.progress.assess import assess
    from sdgxl.progress.document import document_bytes

    ledger = Ledger(demo_cycle.folder / "sdgxl.sqlite")
    try:
        con = consolidate(bundled(), ledger, demo_cycle.years[-1])
    finally:
        ledger.close()
    y = con.year
    for lang, plan, reported in (("en", "Plan", "Reported"), ("vi", "Lộ trình", "Năm")):
        d = docx.Document(io.BytesIO(document_bytes(con, assess(con), lang=lang)))
        table = d.tables[-1]
        head = [c.text for c in table.rows[0].cells]
        assert head[3:8] == [f"{plan} 2020", f"{plan} 2025", f"{plan} 2030", f"{reported} {y - 1}",
                             f"{reported} {y}"], head
        width = table.columns[0].width or table.rows[0].cells[0].width
        assert width is not None and width >= Mm(24)  # "(Households)" in 10 pt Times, with the cell margins


def test_issues_sheet_puts_errors_then_value_warnings_then_narratives_and_counts_them(demo_cycle):
    wb = openpyxl.load_workbook(demo_cycle.collects[2026].consolidated)
    ws = wb["Lỗi"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    groups = [0 if r[2] == "Lỗi" else (2 if "(narrative-" in str(r[5]) else 1) for r in rows]
    assert groups == sorted(groups) and set(groups) == {0, 1, 2}
    counts = re.fullmatch(r"(\d+) lỗi; (\d+) cảnh báo về số liệu; (\d+) cảnh báo về kết quả thực hiện mục tiêu "
                          r"\(xếp theo thứ tự này\)\.", str(ws.cell(2, 1).value))
    assert counts and [int(c) for c in counts.groups()] == [groups.count(g) for g in range(3)]


def test_feedback_copy_names_the_sheets_its_issues_are_in(demo_cycle):
    seen = 0
    for path in demo_cycle.collects[2026].feedback:
        wb = openpyxl.load_workbook(path)
        ws = wb["Phản hồi"]
        how = next((str(c.value) for row in ws.iter_rows(max_row=15) for c in row
                    if c.value and "Đề nghị sửa trực tiếp" in str(c.value)), None)
        if how is None:
            continue  # another year's form: the copy says to use the fresh form sent with it
        head = next(r for r in range(1, 40) if ws.cell(r, 3).value == "Ô")
        sheets = {str(ws.cell(r, 3).value).split("!")[0] for r in range(head + 1, ws.max_row + 1)
                  if ws.cell(r, 3).value and "!" in str(ws.cell(r, 3).value)}
        for sheet in sheets:
            assert f'"{sheet}"' in how, (path.name, how)
        seen += "Kết quả mục tiêu" in sheets
    assert seen  # the demo's returns leave narratives out


def test_agencies_in_english_show_names_not_ids_or_vietnamese_short_names():
    from tests.conftest import run_cli

    proc = run_cli("agencies", "--lang", "en", "--year", "2026", env={"COLUMNS": "250"})
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if line.startswith("│ SNNMT"))
    took = row.split("│")[6]
    assert "Department of Labour" in took and "SLDTBXH" not in took, row
    assert "Sở NN&MT" not in proc.stdout and "Short name" not in proc.stdout
    vi = run_cli("agencies", "--year", "2026", env={"COLUMNS": "250"})
    assert "Sở NN&MT" in vi.stdout  # the Vietnamese table keeps its short names
