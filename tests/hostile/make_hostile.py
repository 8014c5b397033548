"""The hostile corpus: returned files crafted as an attacker would, one or more per class of
issue 12 ("no returned file can crash, stall, poison or impersonate").

    python tests/hostile/make_hostile.py OUT_DIR     # writes every file, to look at

Every file starts from a form sdgxl generates, filled with the sample values, then gets
one crafted change at byte, zip or XML level. The bytes depend only on the catalogue and
the generator (same inputs, same bytes). tests/hostile/test_hostile.py builds them in a
fixture and states, for each, the exact outcome.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))

from sdgxl.catalogue import bundled  # noqa: E402
from sdgxl.demo.fill import Entry, FormFile  # noqa: E402
from sdgxl.demo.samples import sample_entries  # noqa: E402
from sdgxl.forms.generate import generate_forms  # noqa: E402
from sdgxl.forms.spec import META_SHEET  # noqa: E402

YEAR = 2026
AGENCIES = ("SYT", "SCT", "SXD", "SGDDT")


class Corpus:
    """The generated forms of :data:`AGENCIES` (and SCT's and SXD's of the year before), and
    the makers of hostile files from them."""

    def __init__(self, folder: Path) -> None:
        cat = bundled()
        self.forms = {r.agency: r.path for r in generate_forms(cat, YEAR, folder / str(YEAR), agencies=AGENCIES)}
        self.last_year = {r.agency: r.path for r in generate_forms(cat, YEAR - 1, folder / str(YEAR - 1),
                                                                     agencies=["SCT", "SXD"])}

    def filled(self, agency: str, *entries: Entry, year: int = YEAR) -> FormFile:
        ff = FormFile(self.forms[agency] if year == YEAR else self.last_year[agency])
        ff.fill(sample_entries(year, agency))
        if entries:
            ff.fill(list(entries))
        return ff

    def genuine(self, agency: str, year: int = YEAR) -> bytes:
        return self.filled(agency, year=year).to_bytes()

    # ------------------------------------------------------------------ 1: forged part cache
    def forged_styles(self, agency: str = "SCT") -> bytes:
        """The value cells' style given the 0% format, with the styles part's CRC-32 and size
        made equal to the genuine one's (that every form of the generation shares)."""
        ff = self.filled(agency)
        genuine = ff.parts["xl/styles.xml"]
        style = _value_style(ff)
        forged = _set_xf_format(genuine, style, 9)
        assert len(forged) == len(genuine) and forged != genuine
        ff.parts["xl/styles.xml"] = forge_crc(forged, zlib.crc32(genuine))
        assert zlib.crc32(ff.parts["xl/styles.xml"]) == zlib.crc32(genuine)
        return ff.to_bytes()

    # ------------------------------------------------------------------ 2: impersonation
    def impersonating(self, claimed: str = "SCT") -> bytes:
        """``claimed``'s form with values changed (sent under another agency's file name)."""
        ff = self.filled(claimed)
        for e in sample_entries(YEAR, claimed):
            if e.value is not None and isinstance(e.value, (int, float)) and "#" not in e.key:
                ff.fill([Entry(e.key, 1)])
        return ff.to_bytes()

    # ------------------------------------------------------------------ 9: versions
    def saved(self, agency: str, when: str, *entries: Entry) -> bytes:
        """A return the agency saved at ``when`` (``docProps/core.xml``, as Excel writes it)."""
        ff = self.filled(agency, *entries)
        core = ff.parts["docProps/core.xml"].decode("utf-8")
        core = re.sub(r"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{when}\g<2>", core)
        ff.parts["docProps/core.xml"] = core.encode("utf-8")
        return ff.to_bytes()

    # ------------------------------------------------------------------ 3, 13, 14: text as data
    def with_texts(self, agency: str, note: str | None = None, source: str | None = None,
                   value: str | None = None, key: str | None = None) -> bytes:
        ff = self.filled(agency)
        key = key or next(e.key for e in sample_entries(YEAR, agency) if "#" not in e.key)
        ff.fill([Entry(key, value, kind="text", note=note, source=source)] if value is not None
                else [Entry(key, None, note=note, source=source)])
        return ff.to_bytes()

    def with_raw_text(self, agency: str, col: str, raw_xml_text: str, value_error: bool = True) -> bytes:
        """A text cell written as the raw XML text (``_x0007_`` escapes, character references)."""
        ff = self.filled(agency)
        key = next(e.key for e in sample_entries(YEAR, agency) if "#" not in e.key)
        r = ff.row_of(key)
        xml = ff._sheet()
        cell = f'<c r="{col}{r}" t="inlineStr"><is><t>{raw_xml_text}</t></is></c>'
        xml, n = re.subn(rf'<c r="{col}{r}"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1, flags=re.S)
        assert n == 1
        ff._put_sheet(xml)
        if value_error:  # an error too, so that a feedback copy is due
            ff.fill([Entry(key, "chưa có", kind="text")])
        return ff.to_bytes()

    # ------------------------------------------------------------------ 11: character references
    def char_ref_in_shared_strings(self, ref: str = "&#x110000;") -> bytes:
        ff = self.filled("SYT")
        xml = ff.parts["xl/sharedStrings.xml"].decode("utf-8")
        xml = xml.replace("<t>", f"<t>{ref}", 3)
        ff.parts["xl/sharedStrings.xml"] = xml.encode("utf-8")
        return ff.to_bytes()

    def char_ref_in_formula(self, ref: str = "&#xD800;") -> bytes:
        ff = self.filled("SYT")
        e = next(e for e in sample_entries(YEAR, "SYT") if "#" not in e.key and isinstance(e.value, (int, float)))
        key = e.key
        ff.fill([Entry(key, f"={e.value}+0", kind="formula", cached=e.value)])  # the sample value, as a formula
        r = ff.row_of(key)
        xml = ff._sheet()
        xml = re.sub(rf'(<c r="J{r}"[^>]*><f>)(.*?)(</f>)', rf"\g<1>\g<2>{ref}\g<3>", xml, count=1)
        ff._put_sheet(xml)
        return ff.to_bytes()

    def char_ref_in_properties(self, ref: str = "&#99999999999999999999;") -> bytes:
        ff = self.filled("SYT")
        xml = ff.parts["docProps/custom.xml"].decode("utf-8")
        xml, n = re.subn(r"(<vt:lpwstr>)", rf"\g<1>{ref}", xml, count=2)
        assert n
        ff.parts["docProps/custom.xml"] = xml.encode("utf-8")
        return ff.to_bytes()

    # ------------------------------------------------------------------ 12, 15: the hidden sheet
    def with_meta(self, agency: str, key: str, value: str) -> bytes:
        ff = self.filled(agency)
        ff.set_meta(key, value)
        return ff.to_bytes()

    def bad_row_map(self, agency: str = "SYT") -> bytes:
        """The first entry of the row map (hidden sheet, column A) made text."""
        ff = self.filled(agency)
        xml = ff._sheet(META_SHEET)
        first = min(ff.rows.values())
        m = re.search(rf'<c r="(A\d+)"[^>]*><v>{first}</v></c>', xml)
        assert m, "row map entry"
        xml = xml.replace(m.group(0), f'<c r="{m.group(1)}" t="inlineStr"><is><t>x</t></is></c>', 1)
        ff._put_sheet(xml, META_SHEET)
        return ff.to_bytes()

    def long_sheet_name(self, agency: str = "SYT") -> bytes:
        """The data sheet renamed to 100 characters (Excel allows 31), in the workbook and
        the hidden sheet alike."""
        ff = self.filled(agency)
        old = ff.data_sheet
        new = "S" * 100
        wb = ff.parts["xl/workbook.xml"].decode("utf-8").replace(f'name="{old}"', f'name="{new}"')
        ff.parts["xl/workbook.xml"] = wb.encode("utf-8")
        ff.set_meta("data_sheet", new)
        return ff.to_bytes()

    # ------------------------------------------------------------------ 18, 19, 20: sizes
    def far_cell(self, ref: str, sheet: str | None = None, quote: str = '"') -> bytes:
        ff = self.filled("SYT")
        row = re.sub(r"[A-Za-z]+", "", ref)
        xml = ff._sheet(sheet)
        q = quote
        xml = xml.replace("</sheetData>", f"<row r={q}{row}{q}><c r={q}{ref}{q}><v>1</v></c></row></sheetData>", 1)
        ff._put_sheet(xml, sheet)
        return ff.to_bytes()

    def whole_sheet_merge(self) -> bytes:
        ff = self.filled("SYT", Entry("3.3", 239))  # an error, so that a feedback copy is due
        xml = ff._sheet()
        merge = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        if "<mergeCells" in xml:
            xml = re.sub(r"<mergeCells\b.*?</mergeCells>", merge, xml, count=1, flags=re.S)
        else:
            xml = re.sub(r"(</sheetData>(?:<sheetProtection\b[^>]*/>)?)", rf"\g<1>{merge}", xml, count=1)
        ff._put_sheet(xml)
        return ff.to_bytes()

    def many_issues(self, rows: int = 60_000) -> bytes:
        """``rows`` added rows, each with a value (each one a row-added issue): ~1.5 MB."""
        ff = self.filled("SYT")
        xml = ff._sheet()
        start = max(ff.rows.values()) + 10
        body = "".join(f'<row r="{r}"><c r="J{r}"><v>{r}</v></c></row>' for r in range(start, start + rows))
        ff._put_sheet(xml.replace("</sheetData>", body + "</sheetData>", 1))
        return ff.to_bytes()


def _value_style(ff: FormFile) -> int:
    """The style index of the value cells (column J) of the data sheet's rows."""
    xml = ff._sheet()
    r = min(ff.rows.values())
    m = re.search(rf'<c r="J{r}"[^>]*? s="(\d+)"', xml)
    assert m
    return int(m.group(1))


def _set_xf_format(styles: bytes, index: int, fmt: int) -> bytes:
    """styles.xml with the cell format ``index``'s numFmtId set to ``fmt`` (same length)."""
    text = styles.decode("utf-8")
    block = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
    assert block
    xfs = list(re.finditer(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", block.group(1), re.S))
    xf = xfs[index]
    old = re.search(r'numFmtId="(\d+)"', xf.group(0))
    assert old and len(old.group(1)) == len(str(fmt))
    new_xf = xf.group(0).replace(old.group(0), f'numFmtId="{fmt}"', 1)
    at = block.start(1) + xf.start()
    return (text[:at] + new_xf + text[at + len(xf.group(0)):]).encode("utf-8")


def forge_crc(data: bytes, target: int) -> bytes:
    """``data`` with a few hex digits of its colours (``rgb="FF…"``) changed so that its
    CRC-32 is ``target`` and its length unchanged. CRC-32 is affine over GF(2): each digit's
    change flips a fixed set of CRC bits, and a set of changes that flips exactly the
    difference is found by Gaussian elimination."""
    spots: list[tuple[int, int]] = []  # (offset, replacement byte)
    for m in re.finditer(rb'rgb="FF([0-9A-F]{6})"', data):
        for i in range(m.start(1), m.end(1)):
            c = data[i]
            spots.append((i, ord("0") if c != ord("0") else ord("1")))
    base = zlib.crc32(data)
    rows: list[tuple[int, int]] = []  # (effect on the CRC, bit set of spots)
    for n, (i, c) in enumerate(spots):
        changed = data[:i] + bytes([c]) + data[i + 1:]
        rows.append((zlib.crc32(changed) ^ base, 1 << n))
    want = base ^ target
    basis: dict[int, tuple[int, int]] = {}  # leading bit → (effect, spots)
    for eff, sel in rows:
        for bit in sorted(basis, reverse=True):
            if eff >> bit & 1:
                eff, sel = eff ^ basis[bit][0], sel ^ basis[bit][1]
        if eff:
            basis[eff.bit_length() - 1] = (eff, sel)
    chosen = 0
    for bit in sorted(basis, reverse=True):
        if want >> bit & 1:
            want ^= basis[bit][0]
            chosen ^= basis[bit][1]
    if want:
        raise ValueError("not enough colour digits to forge the CRC")
    out = bytearray(data)
    for n, (i, c) in enumerate(spots):
        if chosen >> n & 1:
            out[i] = c
    return bytes(out)


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def build(folder: Path) -> dict[str, bytes]:
    """Every hostile file, by name (what ``python make_hostile.py OUT`` writes)."""
    c = Corpus(folder / "forms")
    return {
        "01_forged_styles.xlsx": c.forged_styles(),
        "02_2026_SYT_bao-cao-sdg.xlsx": c.impersonating("SCT"),
        "03_csv_semicolon.xlsx": c.with_texts("SYT", note="Số liệu sơ bộ;=1+2;", source="@SUM(1+1)*cmd|' /C calc'!A0"),
        "11_shared_strings.xlsx": c.char_ref_in_shared_strings(),
        "11_formula.xlsx": c.char_ref_in_formula(),
        "11_properties.xlsx": c.char_ref_in_properties(),
        "12_year_inf.xlsx": c.with_meta("SYT", "year", "inf"),
        "12_first_row.xlsx": c.with_meta("SYT", "first_row", "-5"),
        "12_row_map.xlsx": c.bad_row_map(),
        "13_markup.xlsx": c.with_texts("SYT", note="[/]", value="[link=https://evil.example]bấm[/link]"),
        "14_control.xlsx": c.with_raw_text("SYT", "M", "a_x0007_b_x001B_[31m"),
        "15_long_sheet.xlsx": c.long_sheet_name(),
        "18_far_cell.xlsx": c.far_cell("XFD1048576"),
        "19_merge.xlsx": c.whole_sheet_merge(),
        "20_many_issues.xlsx": c.many_issues(),
    }


if __name__ == "__main__":
    import tempfile

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as t:
        for name, data in build(Path(t)).items():
            (out / name).write_bytes(data)
            print(out / name, len(data))
