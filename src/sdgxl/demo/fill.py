"""Fill generated forms programmatically, the way an agency's spreadsheet program would.

Used by ``sdgxl demo`` (sample returns), the benchmarks (thousands of returns) and the
test corpus (every typical mistake). It edits the worksheet XML of a form directly, so
it is fast and deterministic (same inputs, same bytes), and it can write what agencies
really send: numbers, text, numbers typed as text, formulas with or without a saved
result, error values, a ``%`` number format, deleted, inserted or swapped rows, edited
locked cells, a removed sheet protection.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from sdgxl.fileio import atomic_write_bytes
from sdgxl.forms.layout import (
    COL,
    META_ROW_FIELDS,
    META_SHEET,
    NARR_COL,
    NARR_INPUTS,
    parse_meta,
    parse_meta_narratives,
)

__all__ = ["Entry", "FormFile"]

CellKind = Literal["auto", "number", "text", "formula", "formula_nocache", "error"]


@dataclass
class Entry:
    """Values for one row of a form (by row key, e.g. ``1.1b`` or ``2.4#lua``)."""

    key: str
    value: Any = None
    status: str | None = None
    source: str | None = None
    note: str | None = None
    kind: CellKind = "auto"
    cached: Any = None  # the saved result of a formula
    percent_format: bool = False  # the value cell shows %, as after typing "85%"


def _col_letters(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def _num(v: float) -> str:
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


class FormFile:
    """A form opened for editing at the XML level; :meth:`save` writes it back."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as zf:
            self.infos = zf.infolist()
            self.parts = {i.filename: zf.read(i) for i in self.infos}
        wb = self.parts["xl/workbook.xml"].decode("utf-8")
        rels = self.parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
        self.sheet_parts: dict[str, str] = {}
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"', wb):
            self.sheet_parts[_unxml(name)] = "xl/" + targets[rid]
        self.meta, self.rows, self.narratives = self._read_meta()
        self.data_sheet = self.meta["data_sheet"]

    # ------------------------------------------------------------------ reading
    def _shared(self) -> list[str]:
        xml = self.parts.get("xl/sharedStrings.xml", b"").decode("utf-8")
        return [_unxml(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<si>(.*?)</si>", xml, re.S)]

    def _read_meta(self) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:
        shared = self._shared()
        xml = self.parts[self.sheet_parts[META_SHEET]].decode("utf-8")
        cells: dict[str, str] = {}
        for ref, attrs, body in re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', xml, re.S):
            v = re.search(r"<v>(.*?)</v>", body or "")
            t = re.search(r"<t[^>]*>(.*?)</t>", body or "")
            if 't="s"' in attrs and v:
                cells[ref] = shared[int(v.group(1))]
            elif t:
                cells[ref] = _unxml(t.group(1))
            elif v:
                cells[ref] = v.group(1)
        height = max((int(re.sub(r"[A-Z]", "", ref)) for ref in cells), default=0)
        grid = [[cells.get(f"{chr(65 + c)}{r}", "") for c in range(len(META_ROW_FIELDS))]
                for r in range(1, height + 1)]
        meta, table = parse_meta(grid)
        narratives = {str(rec["target"]): int(float(rec["narrative_row"])) for rec in parse_meta_narratives(grid)}
        return meta, {str(rec["key"]): int(float(rec["row"])) for rec in table}, narratives

    # ------------------------------------------------------------------ editing
    def _sheet(self, name: str | None = None) -> str:
        return self.parts[self.sheet_parts[name or self.data_sheet]].decode("utf-8")

    def _put_sheet(self, xml: str, name: str | None = None) -> None:
        self.parts[self.sheet_parts[name or self.data_sheet]] = xml.encode("utf-8")

    def set_cell(self, ref: str, value: Any, kind: CellKind = "auto", *, cached: Any = None,
                 style: int | None = None, sheet: str | None = None) -> None:
        """Write one cell (replacing what is there, keeping its style unless ``style``)."""
        xml = self._sheet(sheet)
        m = re.search(rf'<c r="{ref}"((?: [^>]*?)?)(?:/>|>.*?</c>)', xml, re.S)
        row_num = int(re.sub(r"[A-Z]+", "", ref))
        attrs = ""
        if m:
            s = re.search(r' s="(\d+)"', m.group(1))
            attrs = f' s="{s.group(1)}"' if s else ""
        if style is not None:
            attrs = f' s="{style}"'
        cell = _cell_xml(ref, attrs, value, kind, cached)
        if m:
            xml = xml[:m.start()] + cell + xml[m.end():]
        else:
            xml = _insert_cell(xml, row_num, ref, cell)
        self._put_sheet(xml, sheet)

    def row_of(self, key: str) -> int:
        return self.rows[key]

    def fill(self, entries: list[Entry]) -> FormFile:
        for e in entries:
            r = self.rows[e.key]
            vref = f"{_col_letters(COL['value'])}{r}"
            if e.value is not None or e.kind in ("formula", "formula_nocache", "error"):
                style = self._percent_style(vref) if e.percent_format else None
                self.set_cell(vref, e.value, e.kind, cached=e.cached, style=style)
            for col, text in (("status", e.status), ("source", e.source), ("note", e.note)):
                if text is not None:
                    self.set_cell(f"{_col_letters(COL[col])}{r}", text, "text")
        return self

    def write_narratives(self, texts: dict[str, tuple[str | None, str | None, str | None]]) -> FormFile:
        """Write (results, difficulties, proposals) on the rows of the targets named, as text."""
        sheet = self.meta.get("narrative_sheet")
        for target, values in texts.items():
            if sheet is None or target not in self.narratives:
                continue
            r = self.narratives[target]
            for key, text in zip(NARR_INPUTS, values, strict=True):
                if text:
                    self.set_cell(f"{_col_letters(NARR_COL[key])}{r}", text, "text", sheet=sheet)
        return self

    def _percent_style(self, ref: str) -> int:
        """A copy of the cell's style with the 0% number format (what Excel does on "85%")."""
        xml = self._sheet()
        m = re.search(rf'<c r="{ref}"[^>]*? s="(\d+)"', xml)
        base = int(m.group(1)) if m else 0
        styles = self.parts["xl/styles.xml"].decode("utf-8")
        block = re.search(r"<cellXfs count=\"(\d+)\">(.*?)</cellXfs>", styles, re.S)
        assert block is not None
        xfs = re.findall(r"<xf\b[^>]*?/>|<xf\b[^>]*>.*?</xf>", block.group(2), re.S)
        new = re.sub(r'numFmtId="\d+"', 'numFmtId="9"', xfs[base], count=1)
        if 'applyNumberFormat="1"' not in new:
            new = new.replace("<xf ", '<xf applyNumberFormat="1" ', 1)
        count = int(block.group(1)) + 1
        styles = (styles[:block.start()] + f'<cellXfs count="{count}">' + block.group(2) + new + "</cellXfs>"
                  + styles[block.end():])
        self.parts["xl/styles.xml"] = styles.encode("utf-8")
        return count - 1

    def set_meta(self, key: str, value: str) -> None:
        """Overwrite one metadata value (simulates a tampered or foreign form)."""
        xml = self._sheet(META_SHEET)
        shared = self._shared()
        r = 2
        while True:
            m = re.search(rf'<c r="A{r}"[^>]*?t="s"[^>]*><v>(\d+)</v></c>', xml)
            if not m:
                raise KeyError(key)
            if shared[int(m.group(1))] == key:
                break
            r += 1
        self.set_cell(f"B{r}", value, "text", sheet=META_SHEET)

    def unprotect(self) -> None:
        self._put_sheet(re.sub(r"<sheetProtection\b[^>]*/>", "", self._sheet()))

    def delete_row(self, key: str, shift: bool = True) -> None:
        """Delete a row; with ``shift`` the rows below move up (as Excel's Delete Row)."""
        r = self.rows[key]
        xml = self._sheet()
        xml = re.sub(rf'<row r="{r}"[^>]*?(?:/>|>.*?</row>)', "", xml, count=1, flags=re.S)
        if shift:
            xml = _shift_rows(xml, r + 1, -1)
        self._put_sheet(xml)

    def insert_row(self, before_key: str, cells: dict[str, Any]) -> int:
        """Insert a row above a form row (rows below move down) and fill ``cells`` (column letter → value)."""
        r = self.rows[before_key]
        xml = _shift_rows(self._sheet(), r, +1)
        body = "".join(_cell_xml(f"{c}{r}", "", v, "auto", None) for c, v in sorted(cells.items()))
        xml, n = re.subn(rf'(<row r="{r + 1}"[\s>/])', f'<row r="{r}">{body}</row>\\1', xml, count=1)
        assert n == 1, f"row {r + 1} not found"
        self._put_sheet(xml)
        return r

    def swap_rows(self, key_a: str, key_b: str) -> None:
        """Exchange two rows' contents (as a sort would)."""
        a, b = self.rows[key_a], self.rows[key_b]
        xml = self._sheet()
        ra = re.search(rf'<row r="{a}"([^>]*)>(.*?)</row>', xml, re.S)
        rb = re.search(rf'<row r="{b}"([^>]*)>(.*?)</row>', xml, re.S)
        assert ra and rb
        body_a = re.sub(r'r="([A-Z]+)\d+"', rf'r="\g<1>{b}"', ra.group(2))
        body_b = re.sub(r'r="([A-Z]+)\d+"', rf'r="\g<1>{a}"', rb.group(2))
        body_a = _renumber_formulas(body_a, a, b)
        body_b = _renumber_formulas(body_b, b, a)
        first, second = sorted([(ra, body_b, a), (rb, body_a, b)], key=lambda t: t[0].start())
        out = xml[:first[0].start()] + f'<row r="{first[2]}"{first[0].group(1)}>{first[1]}</row>'
        out += xml[first[0].end():second[0].start()] + f'<row r="{second[2]}"{second[0].group(1)}>{second[1]}</row>'
        out += xml[second[0].end():]
        self._put_sheet(out)

    def copy_row_to_new(self, key: str, at_row: int) -> None:
        """Append a duplicate of a row's cells at an empty row (a copy-pasted row)."""
        r = self.rows[key]
        xml = self._sheet()
        m = re.search(rf'<row r="{r}"([^>]*)>(.*?)</row>', xml, re.S)
        assert m
        body = re.sub(r'r="([A-Z]+)\d+"', rf'r="\g<1>{at_row}"', m.group(2))
        body = re.sub(r"<f>.*?</f>", "", body)
        xml = xml.replace("</sheetData>", f'<row r="{at_row}">{body}</row></sheetData>', 1)
        self._put_sheet(xml)

    def set_saved(self, when: dt.datetime) -> FormFile:
        """Say the file was last saved at ``when``, as Excel, LibreOffice and WPS do on save
        (``dcterms:modified`` in ``docProps/core.xml``; ``lastModifiedBy`` the agency)."""
        core = self.parts.get("docProps/core.xml", b"").decode("utf-8")
        stamp = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        core = re.sub(r"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", core)
        self.parts["docProps/core.xml"] = core.encode("utf-8")
        return self

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in self.infos:
                zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(zi, self.parts[info.filename])
        return buf.getvalue()

    def save(self, path: Path | str) -> Path:
        atomic_write_bytes(path, self.to_bytes())
        return Path(path)


def _unxml(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _cell_xml(ref: str, attrs: str, value: Any, kind: CellKind, cached: Any) -> str:
    if kind == "auto":
        kind = "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else "text"
    if kind == "number":
        return f'<c r="{ref}"{attrs}><v>{_num(value)}</v></c>'
    if kind == "text":
        text = escape(str(value))
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}"{attrs} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if kind in ("formula", "formula_nocache"):
        formula = escape(str(value).lstrip("="))
        if kind == "formula_nocache" or cached is None:
            return f'<c r="{ref}"{attrs}><f>{formula}</f></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v>{escape(cached)}</v></c>'
        return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{_num(cached)}</v></c>'
    if kind == "error":
        return f'<c r="{ref}"{attrs} t="e"><v>{escape(str(value))}</v></c>'
    raise ValueError(kind)


def _insert_cell(xml: str, row_num: int, ref: str, cell: str) -> str:
    m = re.search(rf'<row r="{row_num}"([^>]*?)(/>|>(.*?)</row>)', xml, re.S)
    if not m:
        # a new row, placed in order
        rows = [(int(x.group(1)), x.start()) for x in re.finditer(r'<row r="(\d+)"', xml)]
        after = [pos for n, pos in rows if n > row_num]
        new = f'<row r="{row_num}">{cell}</row>'
        if after:
            return xml[:after[0]] + new + xml[after[0]:]
        return xml.replace("</sheetData>", new + "</sheetData>", 1)
    body = m.group(3) or ""
    col = re.sub(r"\d+", "", ref)

    def key(c: str) -> tuple[int, str]:
        return (len(c), c)

    cells = list(re.finditer(r'<c r="([A-Z]+)\d+"', body))
    insert_at = len(body)
    for c in cells:
        if key(c.group(1)) > key(col):
            insert_at = c.start()
            break
    body = body[:insert_at] + cell + body[insert_at:]
    return xml[:m.start()] + f'<row r="{row_num}"{m.group(1)}>{body}</row>' + xml[m.end():]


def _renumber_formulas(body: str, old: int, new: int) -> str:
    def fix(m: re.Match[str]) -> str:
        return re.sub(rf"([A-Z]+){old}\b", rf"\g<1>{new}", m.group(0))

    return re.sub(r"<f>.*?</f>", fix, body, flags=re.S)


def _shift_rows(xml: str, start: int, delta: int) -> str:
    """Move every row numbered ``start`` or more by ``delta`` (cell refs and formulas follow)."""
    def row(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n < start:
            return m.group(0)
        body = re.sub(r'r="([A-Z]+)\d+"', lambda c: f'r="{c.group(1)}{n + delta}"', m.group(3) or "")
        body = _renumber_formulas(body, n, n + delta)
        return f'<row r="{n + delta}"{m.group(2)}>{body}</row>'

    return re.sub(r'<row r="(\d+)"([^>]*?)>(.*?)</row>', row, xml, flags=re.S)
