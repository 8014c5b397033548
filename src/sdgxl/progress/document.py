"""The annual report as a Vietnamese administrative document (.docx, and PDF).

Laid out per Decree 30/2020/NĐ-CP on clerical work, Appendix I ("Thể thức, kỹ thuật
trình bày văn bản hành chính"), as checked on the decree's published summaries:

* A4 portrait (210 × 297 mm); margins top and bottom 20–25 mm, left 30–35 mm, right
  15–20 mm (here 20, 20, 30, 15); Times New Roman (Unicode, TCVN 6909:2001), black;
* page numbers from the second page, Arabic, 13–14 pt, centred in the top margin;
* cell 1, the national title: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in capitals 12–13 pt
  bold, the motto "Độc lập - Tự do - Hạnh phúc" 13–14 pt bold below it, a solid line
  under the motto as long as it; cell 2, the issuing body in capitals 12–13 pt bold with a
  short line under it; cell 3 "Số: …/BC-UBND" 13 pt; cell 4 place and date in italics
  13–14 pt; cell 5a the document type "BÁO CÁO" in capitals 13–14 pt bold and its
  summary below in bold; cell 6 the body, 13–14 pt, paragraphs indented 1–1.27 cm, at
  least 6 pt apart; cell 7 the signer's capacity in capitals bold; cell 9a "Nơi nhận:"
  12 pt bold italic with the recipients in 11 pt below it.

Every element is a named paragraph style (``SDG …``, the headings are Word's own
"Heading 1/2"), so the officer restyles the whole document from the Styles pane; no
paragraph carries hard formatting. Text sent by agencies is text (a leading ``=`` is
just a character in Word). Deterministic bytes: fixed core properties and zip dates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sdgxl import i18n
from sdgxl.areas import province_settings
from sdgxl.catalogue.units import unit_in
from sdgxl.catalogue.views import display_code, printed_codes
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.progress.assess import ORDER, Assessment, figure_text, flatten, status_labels
from sdgxl.progress.measure import Status

__all__ = ["MILESTONES", "document_filename", "milestone_rows", "write_document"]

MILESTONES = (2025, 2030)  # the plan's mid-term review and final review (plan, section III, lines 166-168)
FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

T: dict[str, dict[str, str]] = {
    "vi": {
        "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số:        /{symbol}", "date": "{place}, ngày      tháng      năm {year}",
        "type": "BÁO CÁO",
        "summary": "Kết quả thực hiện Kế hoạch hành động thực hiện Chương trình nghị sự 2030 "
                   "vì sự phát triển bền vững năm {year}",
        "summary_mid": "Đánh giá giữa kỳ kết quả thực hiện Kế hoạch hành động thực hiện Chương trình nghị sự 2030 "
                       "vì sự phát triển bền vững (đến năm {year})",
        "summary_final": "Tổng kết kết quả thực hiện Kế hoạch hành động thực hiện Chương trình nghị sự 2030 "
                         "vì sự phát triển bền vững (đến năm {year})",
        "intro": "Thực hiện {plan}, trên cơ sở báo cáo của các sở, ban, ngành được phân công chủ trì, phối hợp "
                 "thực hiện các mục tiêu phát triển bền vững, {issuer} báo cáo kết quả thực hiện năm {year} "
                 "như sau:",
        "h_overall": "I. ĐÁNH GIÁ CHUNG",
        "o_ind": "Bộ chỉ tiêu giám sát của Kế hoạch gồm {count}; {m} chỉ tiêu có số liệu năm {year}.",
        "o_ass": "Đánh giá tiến độ đến năm 2030 (theo phương pháp của Thống kê Canada mà Open SDG sử dụng) được "
                 "{n} chỉ tiêu: {parts}; {na} chỉ tiêu chưa đánh giá được.",
        "o_ag": "{done}/{total} cơ quan đã báo cáo đầy đủ (số liệu và kết quả thực hiện các mục tiêu chủ trì; các "
                "cơ quan còn lại ở mục IV); {nd}/{nt} mục tiêu cụ thể đã có báo cáo kết quả của (các) cơ quan chủ trì.",
        "o_milestone": "So với mốc năm {year} của Kế hoạch, theo từng dòng số liệu (chỉ tiêu thành phần tính riêng): "
                       "{ok} dòng đạt, {no} dòng chưa đạt, {na} dòng chưa có số liệu hoặc không so sánh được "
                       "(chi tiết tại mục VII và Phụ lục).",
        "h_goals": "II. KẾT QUẢ THỰC HIỆN THEO TỪNG MỤC TIÊU",
        "goal": "Mục tiêu {n}: {title}",
        "g_key": "Chỉ tiêu chủ yếu:",
        "g_ind": "{code} – {name}: {value}{unit} (năm {vyear}); {status}.",
        "g_nodata": "Các chỉ tiêu của mục tiêu này chưa có số liệu năm {year}.",
        "g_target": "Mục tiêu cụ thể {code} ({agency}, {role}):",
        "lead": "chủ trì", "cooperate": "phối hợp",
        "g_none": "Chưa có báo cáo kết quả của cơ quan chủ trì ({agencies}).",
        "h_off": "III. CÁC CHỈ TIÊU CHƯA ĐẠT TIẾN ĐỘ",
        "off_intro": "Các chỉ tiêu đi xuống hoặc tiến bộ hạn chế so với mục tiêu năm 2030:",
        "h_missing": "IV. CÁC CƠ QUAN CHƯA BÁO CÁO ĐẦY ĐỦ",
        "h_difficulties": "V. KHÓ KHĂN, VƯỚNG MẮC",
        "h_proposals": "VI. ĐỀ XUẤT, KIẾN NGHỊ",
        "none": "Không có.",
        "by": "{agency} (mục tiêu {target}): {text}",
        "h_milestone": "VII. SO SÁNH VỚI MỐC NĂM {year} CỦA KẾ HOẠCH",
        "m_intro": "Giá trị năm {year} so với lộ trình năm {year} của Kế hoạch:",
        "m_ok": "Đạt", "m_no": "Chưa đạt", "m_na": "Chưa có số liệu / không so sánh được",
        "col_code": "Mã", "col_name": "Chỉ tiêu", "col_unit": "Đơn vị tính", "col_latest": "Thực hiện",
        "col_year": "Năm", "col_target": "Mục tiêu 2030", "col_status": "Đánh giá", "col_milestone": "Mốc {year}",
        "col_result": "Kết quả", "col_value": "Năm {year}", "col_plan": "Lộ trình {year}",
        "recipients": "Nơi nhận:",
        "appendix": "Phụ lục",
        "appendix_title": "BẢNG TỔNG HỢP CHỈ TIÊU GIÁM SÁT, ĐÁNH GIÁ THỰC HIỆN CÁC MỤC TIÊU PHÁT TRIỂN BỀN VỮNG "
                          "NĂM {year}",
        "appendix_sub": "(Kèm theo Báo cáo số        /{symbol} ngày      tháng      năm {year} của {issuer})",
    },
    "en": {
        "nation": "SOCIALIST REPUBLIC OF VIET NAM", "motto": "Independence - Freedom - Happiness",
        "number": "No.:        /{symbol}", "date": "{place}, ……… {year}",
        "type": "REPORT",
        "summary": "Results of the action plan for the 2030 Agenda for Sustainable Development in {year}",
        "summary_mid": "Mid-term review of the action plan for the 2030 Agenda for Sustainable Development "
                       "(to {year})",
        "summary_final": "Final review of the action plan for the 2030 Agenda for Sustainable Development "
                         "(to {year})",
        "intro": "Pursuant to {plan}, and on the reports of the departments assigned to lead and co-operate on the "
                 "sustainable development targets, the {issuer} reports the results of {year} as follows:",
        "h_overall": "I. OVERALL ASSESSMENT",
        "o_ind": "The plan's monitoring set has {count}; {m} indicators have data for {year}.",
        "o_ass": "Progress toward 2030 (Statistics Canada's method as Open SDG implements it) could be assessed "
                 "for {n} indicator{n:s}: {parts}; {na} could not be assessed.",
        "o_ag": "{done}/{total} agencies reported in full (values, and results on the targets they lead; the "
                "others are in part IV); {nd}/{nt} targets have the report on results of their lead agency or "
                "agencies.",
        "o_milestone": "Against the plan's {year} milestone, by data row (components counted one by one): {ok} "
                       "rows met it, {no} did not, {na} have no data or cannot be compared (details in part VII and "
                       "the appendix).",
        "h_goals": "II. RESULTS BY GOAL",
        "goal": "Goal {n}: {title}",
        "g_key": "Key indicators:",
        "g_ind": "{code} – {name}: {value}{unit} ({vyear}); {status}.",
        "g_nodata": "No indicator of this goal has data for {year}.",
        "g_target": "Target {code} ({agency}, {role}):",
        "lead": "lead", "cooperate": "co-operating",
        "g_none": "The lead agency has not reported ({agencies}).",
        "h_off": "III. INDICATORS OFF TRACK",
        "off_intro": "Indicators with deterioration or limited progress toward the 2030 target:",
        "h_missing": "IV. AGENCIES THAT HAVE NOT REPORTED IN FULL",
        "h_difficulties": "V. DIFFICULTIES",
        "h_proposals": "VI. PROPOSALS",
        "none": "None.",
        "by": "{agency} (target {target}): {text}",
        "h_milestone": "VII. AGAINST THE PLAN'S {year} MILESTONE",
        "m_intro": "Values of {year} against the plan's roadmap for {year}:",
        "m_ok": "Met", "m_no": "Not met", "m_na": "No data / not comparable",
        "col_code": "Code", "col_name": "Indicator", "col_unit": "Unit", "col_latest": "Latest",
        "col_year": "Year", "col_target": "2030 target", "col_status": "Status", "col_milestone": "{year} milestone",
        "col_result": "Result", "col_value": "Reported {year}", "col_plan": "Plan {year}",
        "recipients": "Recipients:",
        "appendix": "Appendix",
        "appendix_title": "CONSOLIDATED TABLE OF THE SUSTAINABLE DEVELOPMENT MONITORING INDICATORS, {year}",
        "appendix_sub": "(Attached to Report No.        /{symbol} of {year} of the {issuer})",
    },
}

# the report's defaults; a DPI overrides them in province.toml's [report] table. The issuing
# body and the place follow the province of the report's year (province.toml's [[period]]:
# from 2025 An Giang, which Kiên Giang joined), unless [report] names them.
DEFAULTS: dict[str, dict[str, Any]] = {
    "vi": {
        "symbol": "BC-UBND",
        "signer": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "signer_name": "",
        "recipients": ["Bộ Tài chính;", "TT. Tỉnh ủy, TT. HĐND tỉnh;", "CT, các PCT UBND tỉnh;",
                       "Các sở, ban, ngành tỉnh;", "Lưu: VT."],
    },
    "en": {
        "symbol": "BC-UBND",
        "signer": ["ON BEHALF OF THE PEOPLE'S COMMITTEE", "FOR THE CHAIRMAN", "VICE CHAIRMAN"],
        "signer_name": "",
        "recipients": ["Ministry of Finance;", "Provincial Party Committee, People's Council;",
                       "Chairman and Vice Chairmen;", "Provincial departments;", "Archive."],
    },
}


def document_filename(year: int, lang: str = "vi") -> str:
    return f"{year}_bao-cao-sdg.docx" if lang != "en" else f"{year}_sdg-report.docx"


def clean(text: Any) -> str:
    """Text from a returned file, safe for Word's XML (control characters dropped)."""
    return _CONTROL.sub("", "" if text is None else str(text))


def milestone_rows(con: Consolidation, assessments: list[Assessment], milestone: int, lang: str = "vi"
                   ) -> list[tuple[Assessment, str, float | None, bool | None]]:
    """(assessment, the roadmap's text for ``milestone`` in ``lang`` (:func:`figure_text`), the value
    of that year, met?) for every indicator with a roadmap value in that year; met is None when it
    cannot be told."""
    rows = {row.key: row for row in con.rows}
    out = []
    for a in flatten(assessments):
        row = rows.get(a.key)
        if row is None:  # an indicator whose components are assessed one by one
            continue
        road = row.component.roadmap if row.component is not None and any(
            rv.text for rv in row.component.roadmap.values()) else row.indicator.roadmap
        rv = road.get(str(milestone))
        if rv is None or not rv.text:
            continue
        cell = row.years.get(milestone)
        value = cell.value if cell is not None else None
        lo, hi = rv.bounds()
        met: bool | None = None
        if value is not None and (lo is not None or hi is not None):
            if (a.direction or 1) > 0:
                met = value >= lo if lo is not None else value <= (hi if hi is not None else value)
            else:
                met = value <= hi if hi is not None else value >= (lo if lo is not None else value)
        out.append((a, figure_text(rv, lang), value, met))
    return out


class _Doc:
    """python-docx with the report's named styles."""

    def __init__(self, font: str) -> None:
        from docx import Document
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Mm, Pt

        self.doc = Document()
        doc = self.doc
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
        sec.left_margin, sec.right_margin = Mm(30), Mm(15)
        sec.header_distance = Mm(10)
        styles = doc.styles
        normal = styles["Normal"]
        self._font(normal, font, 14)
        pf = normal.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(6), 1.15
        pf.first_line_indent = Cm(1.27)
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        C, L, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT

        def style(name: str, size: float, *, bold: bool = False, italic: bool = False, align: Any = C,
                  indent: bool = False, after: float = 0, base: str = "Normal") -> None:
            st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = styles[base]
            self._font(st, font, size, bold=bold, italic=italic)
            p = st.paragraph_format
            p.alignment = align
            p.first_line_indent = Cm(1.27) if indent else Cm(0)
            p.space_after = Pt(after)
            p.line_spacing = 1.0
            p.keep_with_next = name in ("SDG Tên loại", "SDG Trích yếu")

        style("SDG Quốc hiệu", 12, bold=True)  # 12-13; the motto one point larger
        style("SDG Tiêu ngữ", 13, bold=True)
        style("SDG Cơ quan", 12, bold=True)
        style("SDG Số ký hiệu", 13)
        style("SDG Địa danh", 14, italic=True)
        style("SDG Tên loại", 14, bold=True, after=0)
        style("SDG Trích yếu", 14, bold=True, after=0)
        style("SDG Chức vụ", 14, bold=True)
        style("SDG Người ký", 14, bold=True)
        style("SDG Nơi nhận", 12, bold=True, italic=True, align=L)
        style("SDG Nơi nhận mục", 11, align=L)
        style("SDG Mục", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
        style("SDG Trích dẫn", 14, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
        style("SDG Bảng", 11, align=L)
        style("SDG Bảng đầu", 11, bold=True)
        style("SDG Số trang", 13)
        style("SDG Gạch", 2, after=8)
        style("SDG Phụ lục", 14, bold=True, after=0)
        style("SDG Phụ lục ghi chú", 13, italic=True, after=12)
        for name, size in (("Heading 1", 14), ("Heading 2", 14)):
            st = styles[name]
            self._font(st, font, size, bold=True, italic=name == "Heading 2")
            p = st.paragraph_format
            p.alignment = L
            p.first_line_indent = Cm(1.27) if name == "Heading 2" else Cm(0)
            p.space_before, p.space_after = Pt(6), Pt(6)
            p.keep_with_next = True
        self.R = R
        self.Pt, self.Mm, self.Cm = Pt, Mm, Cm

    @staticmethod
    def _font(st: Any, font: str, size: float, *, bold: bool = False, italic: bool = False) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        st.font.name = font
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = italic
        st.font.color.rgb = RGBColor(0, 0, 0)
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), font)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)

    def p(self, text: str, style: str = "Normal", container: Any = None) -> Any:
        target = self.doc if container is None else container
        return target.add_paragraph(clean(text), style=style)

    def heading(self, text: str, level: int) -> Any:
        return self.doc.add_paragraph(clean(text), style=f"Heading {level}")

    def rule(self, container: Any, line_mm: float, width_mm: float) -> None:
        """A solid line ``line_mm`` long, centred in ``width_mm``: an empty paragraph of the
        "SDG Gạch" style whose bottom border runs between indents (Word and LibreOffice draw it)."""
        from docx.oxml.ns import qn

        par = (self.doc if container is None else container).add_paragraph("", style="SDG Gạch")
        ppr = par._p.get_or_add_pPr()
        bdr = ppr.makeelement(qn("w:pBdr"), {})
        bottom = bdr.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1",
                                                   qn("w:color"): "000000"})
        bdr.append(bottom)
        ppr.insert(0, bdr)
        side = str(max(0, int((width_mm - line_mm) / 2 * 56.7)))  # twips on each side
        ind = ppr.makeelement(qn("w:ind"), {qn("w:left"): side, qn("w:right"): side})
        ppr.append(ind)

    def table(self, heads: list[str], rows: Iterable[list[str]], widths_mm: list[float]) -> Any:
        rows = list(rows)
        t = self.doc.add_table(rows=1 + len(rows), cols=len(heads))
        t.style = self.doc.styles["Table Grid"]
        for c, h in enumerate(heads):
            cell = t.rows[0].cells[c]
            cell.paragraphs[0].style = self.doc.styles["SDG Bảng đầu"]
            cell.paragraphs[0].add_run(clean(h))
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values):
                cell = t.rows[r].cells[c]
                cell.paragraphs[0].style = self.doc.styles["SDG Bảng"]
                cell.paragraphs[0].add_run(clean(v))
        self.widths(t, widths_mm)
        _repeat_header(t)
        return t

    def widths(self, table: Any, widths_mm: list[float]) -> None:
        """Fixed column widths (the grid and every cell: LibreOffice reads the grid)."""
        table.autofit = False
        for c, w in enumerate(widths_mm):
            table.columns[c].width = self.Mm(w)
            for row in table.rows:
                row.cells[c].width = self.Mm(w)


def _repeat_header(table: Any) -> None:
    from docx.oxml.ns import qn

    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _borderless(table: Any) -> None:
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = tblpr.makeelement(qn("w:tblBorders"), {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{side}"), {qn("w:val"): "nil"}))
    tblpr.append(borders)


def _page_number(doc: _Doc, section: Any) -> None:
    """Page numbers centred in the top margin, none on the first page (Decree 30, App. I)."""
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    par = header.paragraphs[0]
    par.style = doc.doc.styles["SDG Số trang"]
    fld = par._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    run = fld.makeelement(qn("w:r"), {})
    text = run.makeelement(qn("w:t"), {})
    text.text = "2"
    run.append(text)
    fld.append(run)
    par._p.append(fld)


def _kind(year: int) -> str:
    return {MILESTONES[0]: "summary_mid", MILESTONES[1]: "summary_final"}.get(year, "summary")


def document_bytes(con: Consolidation, assessments: list[Assessment], *, lang: str = "vi",
                   templates: Path | str | None = None) -> bytes:
    """The report as .docx bytes (deterministic)."""
    vi = lang != "en"
    L = T["vi" if vi else "en"]
    labels = status_labels("vi" if vi else "en")
    year = con.year
    province = province_settings(year, templates)
    name = str(province.get("province" if vi else "province_en") or province.get("province", ""))
    issued_by = {"issuer_lines": ["ỦY BAN NHÂN DÂN", f"TỈNH {name.upper()}"] if vi
                 else ["PEOPLE'S COMMITTEE", f"OF {name.upper()} PROVINCE"], "place": name}
    conf = {**DEFAULTS["vi" if vi else "en"], **issued_by, **dict(province.get("report" if vi else "report_en", {}))}
    cat = con.catalogue
    issuer_name = province.get("issuer" if vi else "issuer_en", "")
    d = _Doc("Times New Roman")
    doc = d.doc
    props = doc.core_properties
    props.title = L["type"] + " " + L[_kind(year)].format(year=year)
    props.author = str(province.get("dpi", {}).get("name" if vi else "name_en", "sdgxl"))
    props.last_modified_by = "sdgxl"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = ""
    props.keywords = "SDG"
    props.subject = cat.source.title

    # cells 1-4: issuing body | national title; number | place and date
    head = doc.add_table(rows=2, cols=2)
    _borderless(head)
    d.widths(head, [62, 103])
    left, right = head.rows[0].cells
    lines = [str(x) for x in conf["issuer_lines"]]
    left.paragraphs[0].style = doc.styles["SDG Cơ quan"]
    left.paragraphs[0].add_run(clean("\n".join(lines)))
    d.rule(left, 25, 60)
    right.paragraphs[0].style = doc.styles["SDG Quốc hiệu"]
    right.paragraphs[0].add_run(L["nation"])
    d.p(L["motto"], "SDG Tiêu ngữ", right)
    d.rule(right, 62, 101)
    n_cell, date_cell = head.rows[1].cells
    n_cell.paragraphs[0].style = doc.styles["SDG Số ký hiệu"]
    n_cell.paragraphs[0].add_run(clean(L["number"].format(symbol=conf["symbol"])))
    date_cell.paragraphs[0].style = doc.styles["SDG Địa danh"]
    date_cell.paragraphs[0].add_run(clean(L["date"].format(place=conf["place"], year=year)))

    # cell 5a: type and summary
    d.p("", "SDG Tên loại")
    d.p(L["type"], "SDG Tên loại")
    d.p(L[_kind(year)].format(year=year), "SDG Trích yếu")
    d.rule(None, 50, 165)

    # cell 6: the body
    d.p(L["intro"].format(plan=_plan_reference(cat, lang), issuer=issuer_name, year=year))
    _overall(d, con, assessments, L, labels, lang)
    _by_goal(d, con, assessments, L, labels, lang)
    _off_track(d, con, assessments, L, labels, lang)
    _missing(d, con, L, lang)
    _gathered(d, con, "difficulties", L["h_difficulties"], L, lang)
    _gathered(d, con, "proposals", L["h_proposals"], L, lang)
    if year in MILESTONES:
        _milestone(d, con, assessments, year, L)

    # cells 7 and 9: recipients | signer
    d.p("")
    sign = doc.add_table(rows=1, cols=2)
    _borderless(sign)
    d.widths(sign, [80, 85])
    rcp, who = sign.rows[0].cells
    rcp.paragraphs[0].style = doc.styles["SDG Nơi nhận"]
    rcp.paragraphs[0].add_run(L["recipients"])
    for item in conf["recipients"]:
        d.p(f"- {item}", "SDG Nơi nhận mục", rcp)
    who.paragraphs[0].style = doc.styles["SDG Chức vụ"]
    who.paragraphs[0].add_run(clean("\n".join(str(x) for x in conf["signer"])))
    for _ in range(4):
        d.p("", "SDG Người ký", who)
    d.p(str(conf.get("signer_name", "")), "SDG Người ký", who)
    _page_number(d, doc.sections[0])

    # the appendix: the provincial table, landscape
    _appendix(d, con, assessments, conf, issuer_name, L, labels, lang)

    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _overall(d: _Doc, con: Consolidation, assessments: list[Assessment], L: dict[str, str],
             labels: dict[Status, str], lang: str) -> None:
    d.heading(L["h_overall"], 1)
    year = con.year
    assessed = [a for a in assessments if a.status is not Status.not_assessable]
    parts = ", ".join(f"{labels[st].lower()} {sum(a.status is st for a in assessed)}" for st in ORDER[:-1])
    done = sum(st.in_full for st in con.agencies)
    nd, nt = con.targets_reported()
    d.p(L["o_ind"].format(count=con.count.text(lang), m=con.with_data().indicators, year=year), "SDG Mục")
    d.p(i18n.render(L["o_ass"], {"n": len(assessed), "parts": parts, "na": len(assessments) - len(assessed)}, lang),
        "SDG Mục")
    d.p(L["o_ag"].format(done=done, total=len(con.agencies), nd=nd, nt=nt), "SDG Mục")
    if year in MILESTONES:
        rows = milestone_rows(con, assessments, year)
        d.p(L["o_milestone"].format(year=year, ok=sum(m is True for *_, m in rows),
                                    no=sum(m is False for *_, m in rows), na=sum(m is None for *_, m in rows)),
            "SDG Mục")


def _plan_reference(cat: Any, lang: str) -> str:
    """The plan as the report cites it: "Kế hoạch số 144/KH-UBND" in Vietnamese; in English
    "Plan No. 144/KH-UBND of 25 July 2018 of the Kien Giang People's Committee" (from the
    catalogue's source: its number, date and province)."""
    src = cat.source
    if lang != "en":
        return str(src.document or src.title)
    number = re.sub(r"^\s*Kế hoạch\s+(số\s+)?", "", src.document or "")
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")  # not %B: the locale's month names
    when = f" of {src.date.day} {months[src.date.month - 1]} {src.date.year}" if src.date is not None else ""
    province = src.province_en or src.province
    if not number or not number.isascii():
        return f"the SDG action plan{when} of the {province} People's Committee"
    return f"Plan No. {number}{when} of the {province} People's Committee"


def _agency_name(con: Consolidation, agency: str, lang: str) -> str:
    return con.catalogue.agency(agency).name_in(lang)


def _by_goal(d: _Doc, con: Consolidation, assessments: list[Assessment], L: dict[str, str],
             labels: dict[Status, str], lang: str) -> None:
    d.heading(L["h_goals"], 1)
    cat = con.catalogue
    by_key = {a.key: a for a in flatten(assessments)}
    on = dt.date(con.year, 12, 31)
    roles = cat.target_agencies(on)  # every lead gets a form (of narratives only if it reports no value)
    for goal in cat.goals:
        title = goal.title_in(lang)
        d.heading(L["goal"].format(n=goal.number, title=title), 2)
        rows = [r for r in con.rows if cat.goal_of(r.indicator) == goal.number]
        shown = [r for r in rows if con.year in r.years and r.years[con.year].value is not None]
        if shown:
            d.p(L["g_key"], "SDG Mục")
            for r in shown:
                cell = r.years[con.year]
                a = by_key.get(r.key)
                # the component is in the printed code ("3.9 (Nam)"): the name is the indicator's
                name = r.indicator.name_in(lang).rstrip(" .;:")
                unit = unit_in(r.component.unit if r.component is not None and r.component.unit
                               else r.indicator.unit, lang)
                status = (a.label(lang) + (f" – {a.milestone_text(lang)}" if a.milestone_text(lang) else "")
                          if a is not None else "")
                assert cell.value is not None
                d.p("- " + L["g_ind"].format(code=display_code(cat, r.key, lang=lang), name=name,
                                             value=i18n.number(cell.value, lang), unit=f" {unit}" if unit else "",
                                             vyear=con.year, status=status.lower() if status else "—"), "SDG Mục")
        elif rows:
            d.p(L["g_nodata"].format(year=con.year), "SDG Mục")
        for target in [t for t in cat.targets if t.goal == goal.number]:
            written = con.narratives_of(target.code)
            leads = roles[target.code][0]
            silent = [a for a in leads if a not in {n["agency"] for n in written}]
            for n in written:
                if not n["results"]:
                    continue
                role = L["lead"] if n["role"] == "lead" else L["cooperate"]
                d.p(L["g_target"].format(code=target.code, agency=_agency_name(con, n["agency"], lang), role=role),
                    "SDG Mục")
                d.p(n["results"], "SDG Trích dẫn")
            if written and silent:
                d.p(f"{target.code}: " + L["g_none"].format(
                    agencies=", ".join(_agency_name(con, a, lang) for a in silent)), "SDG Mục")


def _off_track(d: _Doc, con: Consolidation, assessments: list[Assessment], L: dict[str, str],
               labels: dict[Status, str], lang: str) -> None:
    d.heading(L["h_off"], 1)
    off = [a for a in assessments if a.status in (Status.deterioration, Status.limited_progress)]
    if not off:
        d.p(L["none"], "SDG Mục")
        return
    d.p(L["off_intro"], "SDG Mục")
    rows = {row.key: row for row in con.rows}
    body = []
    for a in flatten(off):
        row = rows.get(a.key)
        if row is None:
            continue
        name = row.indicator.name_in(lang)  # the component is in the code column
        latest = f"{i18n.number(a.latest[1], lang)} ({a.latest[0]})" if a.latest else ""
        body.append([display_code(con.catalogue, a.key, lang=lang), name, latest, a.target_in(lang), a.label(lang)])
    d.table([L["col_code"], L["col_name"], L["col_latest"], L["col_target"], L["col_status"]], body,
            [16, 75, 25, 25, 24])


def _missing(d: _Doc, con: Consolidation, L: dict[str, str], lang: str) -> None:
    d.heading(L["h_missing"], 1)
    chase = [st for st in con.agencies if not st.in_full]  # the complement of part I's count
    if not chase:
        d.p(L["none"], "SDG Mục")
    for st in chase:
        d.p(f"- {st.name_in(lang)}: {st.reason(lang)}.", "SDG Mục")


def _gathered(d: _Doc, con: Consolidation, key: str, heading: str, L: dict[str, str], lang: str) -> None:
    d.heading(heading, 1)
    items = [n for n in con.narratives if n[key]]
    if not items:
        d.p(L["none"], "SDG Mục")
    for n in items:
        d.p("- " + L["by"].format(agency=_agency_name(con, n["agency"], lang), target=n["target"], text=n[key]),
            "SDG Mục")


def _milestone(d: _Doc, con: Consolidation, assessments: list[Assessment], year: int, L: dict[str, str]) -> None:
    d.heading(L["h_milestone"].format(year=year), 1)
    d.p(L["m_intro"].format(year=year), "SDG Mục")
    lang = "vi" if L is T["vi"] else "en"
    body = []
    for a, text, value, met in milestone_rows(con, assessments, year, lang):
        body.append([display_code(con.catalogue, a.key), text, "" if value is None else i18n.number(value, lang),
                     L["m_ok"] if met else L["m_no"] if met is False else L["m_na"]])
    d.table([L["col_code"], L["col_milestone"].format(year=year), L["col_value"].format(year=year),
             L["col_result"]], body, [20, 60, 40, 45])


def _appendix(d: _Doc, con: Consolidation, assessments: list[Assessment], conf: dict[str, Any], issuer: str,
              L: dict[str, str], labels: dict[Status, str], lang: str) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION

    doc = d.doc
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = d.Mm(297), d.Mm(210)
    sec.top_margin, sec.bottom_margin = d.Mm(20), d.Mm(20)
    sec.left_margin, sec.right_margin = d.Mm(20), d.Mm(15)
    sec.different_first_page_header_footer = False
    d.p(L["appendix"], "SDG Phụ lục")
    d.p(L["appendix_title"].format(year=con.year), "SDG Phụ lục")
    d.p(L["appendix_sub"].format(symbol=conf["symbol"], year=con.year, issuer=issuer), "SDG Phụ lục ghi chú")
    by_key = {a.key: a for a in flatten(assessments)}
    prev = con.year - 1
    codes = printed_codes(con.catalogue, lang)
    body = []
    for row in con.rows:
        ind, comp = row.indicator, row.component
        road = comp.roadmap if comp is not None and any(rv.text for rv in comp.roadmap.values()) else ind.roadmap
        name = ind.name_in(lang)  # the component is in the code column ("3.9 (Nam)")
        unit = unit_in(comp.unit if comp is not None and comp.unit else ind.unit, lang)

        a = by_key.get(row.key)
        body.append([display_code(con.catalogue, row.key, codes), name, unit,
                     *[figure_text(road.get(y), lang) for y in ("2020", "2025", "2030")],
                     _shown(row.years.get(prev), lang), _shown(row.years.get(con.year), lang),
                     a.label(lang) if a is not None else ""])
    # the roadmap's years and the reported years told apart; the code column holds the longest
    # printed code's word ("(Vegetables)", "(Households)") without breaking it
    d.table([L["col_code"], L["col_name"], L["col_unit"], *(L["col_plan"].format(year=y) for y in (2020, 2025, 2030)),
             L["col_value"].format(year=prev), L["col_value"].format(year=con.year), L["col_status"]],
            body, [26, 64, 16, 22, 22, 22, 24, 24, 40])


def _shown(cell: Any, lang: str) -> str:
    """A provincial table's cell as the appendix prints it: a number the Vietnamese way, or text."""
    if cell is None or cell.display is None:
        return ""
    return i18n.number(cell.value, lang) if cell.value is not None else clean(cell.display)


def _fixed_zip(data: bytes) -> bytes:
    """The same parts, in the same order, with fixed dates (python-docx stamps the time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_document(con: Consolidation, assessments: list[Assessment], out_dir: Path, *, lang: str = "vi",
                   pdf: bool = True, templates: Path | str | None = None) -> tuple[Path, Path | None]:
    """Write the report document (.docx) into ``out_dir``, and its PDF through LibreOffice
    when it is installed. Returns (docx, pdf or None)."""
    path = out_dir / document_filename(con.year, lang)
    atomic_write_bytes(path, document_bytes(con, assessments, lang=lang, templates=templates))
    pdf_path: Path | None = None
    if pdf:
        from sdgxl import libreoffice

        if libreoffice.available():
            pdf_path = libreoffice.to_pdf(path, path.with_suffix(".pdf"))
    return path, pdf_path
