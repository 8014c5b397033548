"""Read a returned form without trusting it.

* The file type is sniffed from its bytes, not its name (``.xls``, encrypted OOXML, a
  PDF renamed ``.xlsx`` …), and every such case becomes a :class:`FileProblem`.
* A zip is inspected before anything is decompressed: entry count, total size and
  compression ratio are bounded (decompression bombs), and so is the sheet's size.
* Values come from python-calamine (Rust, fast, no entity expansion). What calamine does
  not expose (number formats, formulas, error cells, sheet protection, custom document
  properties) comes from a scan of the relevant XML parts with regular expressions over
  bytes: nothing is executed, no DTD or entity is ever expanded.
* Nothing in the file runs: macros (``.xlsm``) are ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine as pc

from sdgxl.errors import SdgxlError
from sdgxl.forms.layout import COL, META_SHEET, parse_meta, parse_meta_narratives
from sdgxl.ingest.zipread import ZipIndex

__all__ = ["LIMITS", "CellInfo", "FileProblem", "RawForm", "feedback_problem", "read_bytes", "read_form"]

LIMITS = {
    "file_bytes": 50 * 1024 * 1024,  # the attachment itself
    "zip_entries": 5000,
    "zip_total": 300 * 1024 * 1024,  # uncompressed, all parts
    "zip_ratio": 200,  # uncompressed / compressed, for parts over 1 MiB
    "sheet_xml": 100 * 1024 * 1024,  # one sheet's XML, uncompressed
    "rows": 100_000,
    "cols": 1_000,
    "cells": 2_000_000,  # rows × columns of one sheet's rectangle (what the reader allocates)
    "merged_cells": 200_000,  # cells covered by merged ranges (what the feedback copy allocates)
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_ENT = re.compile(rb"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
REPLACEMENT = "\ufffd"  # what an illegal character becomes: visible, never an error


def _char(code: int) -> str:
    """The character of a reference, or U+FFFD when XML does not allow it (beyond U+10FFFF,
    a surrogate, a control character other than tab, line feed and carriage return)."""
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or \
            (code < 0x20 and code not in (0x9, 0xA, 0xD)):
        return REPLACEMENT
    return chr(code)


class FileProblem(SdgxlError):
    """The file cannot be read as a form; ``code`` is a file-level check code (validation
    turns it into that issue, with ``reason`` as its parameter)."""

    def __init__(self, code: str, reason: Any = None, *, guess: str | None = None) -> None:
        super().__init__("file_problem", code=code, reason=reason)
        self.code = code
        self.reason = reason  # the check's ``reason`` parameter: text, or {"t": message key, …}
        self.guess = guess


def _unescape(raw: bytes) -> str:
    def sub(m: re.Match[bytes]) -> bytes:
        e = m.group(1)
        if e.startswith(b"#"):  # a 20-digit reference is just too large: no int of that size is made
            digits = e[2:].lstrip(b"0") if e.startswith(b"#x") else e[1:].lstrip(b"0")
            code = 0x110000 if len(digits) > 8 else int(digits or b"0", 16 if e.startswith(b"#x") else 10)
            return _char(code).encode("utf-8")
        return {b"amp": b"&", b"lt": b"<", b"gt": b">", b"quot": b'"', b"apos": b"'"}[e]

    return _ENT.sub(sub, raw).decode("utf-8", "replace")


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: _unescape(v) for k, v in _ATTR.findall(raw)}


class CellInfo(NamedTuple):
    """What the XML says of one input cell beyond its value."""

    style: int | None
    type: str | None  # the t attribute: s, str, n, b, e, inlineStr
    formula: str | None
    has_value: bool
    raw: str | None  # the <v> text (e.g. "#DIV/0!" for an error)


@dataclass
class RawForm:
    path: Path
    kind: str  # "xlsx" or "ods"
    sheets: list[str]
    hidden: set[str]
    meta: dict[str, str] | None
    meta_rows: list[dict[str, Any]]
    props: dict[str, str]
    data_sheet: str | None
    grid: list[list[Any]]
    cells: dict[tuple[int, int], CellInfo] = field(default_factory=dict)
    numfmt: dict[int, str] = field(default_factory=dict)  # style index → number format code
    protected: dict[str, bool] = field(default_factory=dict)
    first_sheet_text: str = ""
    meta_narratives: list[dict[str, Any]] = field(default_factory=list)  # the narrative rows the form says
    narrative_sheet: str | None = None
    narrative_grid: list[list[Any]] = field(default_factory=list)
    saved_at: str | None = None  # the last-saved time the file states (UTC, ISO 8601; the saver's clock)

    def number_format(self, row: int, col: int) -> str | None:
        info = self.cells.get((row, col))
        if info is None or info.style is None:
            return None
        return self.numfmt.get(info.style)


# built-in number formats that show a percentage
_BUILTIN_FMT = {9: "0%", 10: "0.00%"}


def _sniff(data: bytes, path: Path) -> str:
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise FileProblem("file-encrypted")
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            raise FileProblem("file-xls")
        raise FileProblem("file-not-spreadsheet", {"t": "why_ole2"})
    if not data.startswith(b"PK"):
        head = data[:8]
        what = ("PDF" if head.startswith(b"%PDF") else "HTML" if b"<html" in data[:512].lower() else None)
        if not data:
            raise FileProblem("file-unreadable", {"t": "why_empty"})
        raise FileProblem("file-not-spreadsheet", {"t": "why_not_zip", "suffix": path.suffix or {"t": "no_suffix"},
                                                   "what": what or {"t": "text_other"}})
    return "zip"


class _Archive:
    """The parts of a workbook's zip: the lean index when it applies, else ``zipfile``."""

    def __init__(self, data: bytes) -> None:
        try:
            self.index = ZipIndex.parse(data)
        except ValueError as exc:
            raise FileProblem("file-unreadable", f"zip: {exc}") from None
        self.zf: zipfile.ZipFile | None = None
        if self.index is None:
            try:
                self.zf = zipfile.ZipFile(io.BytesIO(data))
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
                raise FileProblem("file-unreadable", f"zip: {exc}") from None
            names = self.zf.namelist()
            if len(set(names)) != len(names):
                raise FileProblem("file-unreadable", {"t": "why_duplicate_part"})

    def entries(self) -> list[tuple[str, int, int, int]]:
        """(name, size, compressed size, CRC) of every part."""
        if self.index is not None:
            return [(m.name, m.size, m.compressed, m.crc) for m in self.index.members.values()]
        assert self.zf is not None
        return [(i.filename, i.file_size, i.compress_size, i.CRC) for i in self.zf.infolist()]

    def info(self, name: str) -> tuple[int, int] | None:
        """(CRC, size) of a part, or None."""
        if self.index is not None:
            m = self.index.members.get(name)
            return None if m is None else (m.crc, m.size)
        assert self.zf is not None
        try:
            i = self.zf.getinfo(name)
        except KeyError:
            return None
        return (i.CRC, i.file_size)

    def content_key(self, name: str, limit: int) -> tuple[bytes | None, bytes | None]:
        """(a key of the part's content, its bytes when they had to be read for the key).

        The key is made of the bytes the part is actually stored as (with the lean index:
        the deflate stream, which alone decides what the part inflates to), never of what
        the zip declares (CRC-32 and size can be forged to match another file's part)."""
        if self.index is not None:
            try:
                stored = self.index.stored(name)
            except ValueError as exc:
                raise FileProblem("file-unreadable", f"{name}: {exc}") from None
            if stored is None:
                return None, None
            return bytes([stored[0]]) + hashlib.sha256(stored[1]).digest(), None
        raw = self.read(name, limit)
        return (None, None) if raw is None else (b"=" + hashlib.sha256(raw).digest(), raw)

    def read(self, name: str, limit: int | None = None) -> bytes | None:
        info = self.info(name)
        if info is None:
            return None
        if limit is not None and info[1] > limit:
            raise FileProblem("file-too-large", {"t": "why_part_size", "part": name, "mib": info[1] // (1024 * 1024)})
        try:
            if self.index is not None:
                return self.index.read(name, limit if limit is not None else LIMITS["zip_total"])
            assert self.zf is not None
            return self.zf.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
            raise FileProblem("file-unreadable", f"{name}: {exc}") from None


def _open_zip(data: bytes) -> _Archive:
    archive = _Archive(data)
    infos = archive.entries()
    if len(infos) > LIMITS["zip_entries"]:
        raise FileProblem("file-too-large", {"t": "why_zip_entries", "n": len(infos)})
    total = sum(size for _, size, _, _ in infos)
    if total > LIMITS["zip_total"]:
        raise FileProblem("file-too-large", {"t": "why_zip_total", "mib": total // (1024 * 1024)})
    for name, size, compressed, _ in infos:
        if size > 1024 * 1024 and size > LIMITS["zip_ratio"] * max(compressed, 1):
            raise FileProblem("file-too-large", {"t": "why_zip_ratio", "part": name,
                                                 "ratio": size // max(compressed, 1)})
    return archive


def _read_part(zf: _Archive, name: str, limit: int | None = None) -> bytes | None:
    return zf.read(name, limit)


def _grid(sheet: Any) -> list[list[Any]]:
    if sheet.total_height > LIMITS["rows"] or sheet.total_width > LIMITS["cols"]:
        raise FileProblem("file-too-large", {"t": "why_sheet_size", "sheet": sheet.name,
                                             "rows": sheet.total_height, "cols": sheet.total_width})
    rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    start = sheet.start
    if start and (start[0] or start[1]):
        width = len(rows[0]) if rows else 0
        rows = [[""] * (start[1] + width) for _ in range(start[0])] + [[""] * start[1] + r for r in rows]
    return rows


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_V = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_S = re.compile(rb'\bs="([0-9]+)"')
_T = re.compile(rb'\bt="(\w+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _cell_info(head: bytes, body: bytes) -> CellInfo:
    st = _S.search(head)
    ty = _T.search(head)
    fm = _F.search(body) if body else None
    vm = _V.search(body) if body else None
    return CellInfo(
        style=int(st.group(1)) if st else None,
        type=ty.group(1).decode() if ty else None,
        formula=("=" + _unescape(fm.group(1) or b"")) if fm else None,
        has_value=vm is not None and vm.group(1) != b"",
        raw=_unescape(vm.group(1)) if vm else None,
    )


def _scan_sheet(xml: bytes, cols: set[int]) -> tuple[dict[tuple[int, int], CellInfo], bool]:
    """Formulas, types and styles of the cells in ``cols`` (0-based column numbers)."""
    cells: dict[tuple[int, int], CellInfo] = {}
    letters = sorted({bytes([65 + c]) for c in cols if c < 26})
    if letters and len(letters) == len(cols) and xml.find(b"<c r=") >= 0:
        # every writer we know puts r first: one pass that only stops at the wanted columns
        fast = re.compile(rb'<c r="([' + b"".join(letters) + rb'])([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
        for m in fast.finditer(xml):
            head, body = m.group(3), m.group(4) or b""
            key = (int(m.group(2)) - 1, m.group(1)[0] - 65)
            if b"t=" not in head and b"<f" not in body:  # the usual cell: a number or nothing
                st = _S.search(head)
                cells[key] = CellInfo(int(st.group(1)) if st else None, None, None, b"<v>" in body, None)
            else:
                cells[key] = _cell_info(head, body)
    else:
        for m in _CELL.finditer(xml):
            head = m.group(1)
            ref = _REF.search(head)
            if not ref:
                continue
            col = _col_index(ref.group(1))
            if col in cols:
                cells[(int(ref.group(2)) - 1, col)] = _cell_info(head, m.group(2) or b"")
    at = xml.rfind(b"sheetProtection")
    prot = _PROT.search(xml, max(at - 10, 0)) if at >= 0 else None
    protected = bool(prot and _SHEET_ON.search(prot.group(1)))
    return cells, protected


_PROT = re.compile(rb"<(?:\w+:)?sheetProtection\b([^>]*)>")
_SHEET_ON = re.compile(rb"""(?:^|\s)(?:\w+:)?sheet\s*=\s*["'](?:1|true)["']""")


_PART_CACHE: dict[tuple[str, bytes], Any] = {}  # (what, key of the bytes read) → parsed
_CACHE_MAX = 256


def _cached(zf: _Archive, name: str, parse: Any, limit: int) -> Any:
    """Parse a small part once per distinct content (forms of one generation share them),
    keyed by the part's own bytes (:meth:`_Archive.content_key`)."""
    key, raw = zf.content_key(name, limit)
    if key is None:
        return parse(None)
    hit = _PART_CACHE.get((name, key))
    if hit is None:
        hit = parse(raw if raw is not None else _read_part(zf, name, limit))
        if len(_PART_CACHE) >= _CACHE_MAX:
            _PART_CACHE.clear()
        _PART_CACHE[(name, key)] = hit
    return hit


def _styles(xml: bytes | None) -> dict[int, str]:
    if not xml:
        return {}
    fmts = dict(_BUILTIN_FMT)
    for m in re.finditer(rb"<(?:\w+:)?numFmt\b([^>]*)/?>", xml):
        a = _attrs(m.group(1))
        if a.get("numFmtId", "").isdigit():
            fmts[int(a["numFmtId"])] = a.get("formatCode", "")
    out: dict[int, str] = {}
    block = re.search(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", xml, re.S)
    if block:
        for n, m in enumerate(re.finditer(rb"<(?:\w+:)?xf\b([^>]*?)/?>", block.group(1))):
            a = _attrs(m.group(1))
            fid = a.get("numFmtId", "0")
            if fid.isdigit() and int(fid) in fmts:
                out[n] = fmts[int(fid)]
    return out


def _props(xml: bytes | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if not xml:
        return out
    for m in re.finditer(rb"<(?:\w+:)?property\b([^>]*)>(.*?)</(?:\w+:)?property>", xml, re.S):
        name = _attrs(m.group(1)).get("name")
        val = re.search(rb">([^<]*)<", m.group(2))
        if name and val:
            out[name] = _unescape(val.group(1))
    return out


_SAVED = re.compile(rb"<(?:dcterms:modified|dc:date)\b[^>]*>\s*([0-9T:.+Z -]{10,40})\s*<")


def saved_time(xml: bytes | None) -> str | None:
    """The last-saved time in ``docProps/core.xml`` (``dcterms:modified``, written by Excel,
    LibreOffice and WPS on save) or an ODS ``meta.xml`` (``dc:date``), as UTC ISO 8601; None
    when absent or not a time. A time without a zone is the saving computer's local time,
    which the file does not say: it is read as Vietnam time (UTC+7)."""
    m = _SAVED.search(xml or b"")
    if m is None:
        return None
    text = m.group(1).decode("ascii").strip().replace(" ", "T").replace("Z", "+00:00")
    text = re.sub(r"\.\d+", "", text)  # fractions of a second (LibreOffice writes nanoseconds)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def _workbook_sheets(zf: _Archive) -> dict[str, tuple[str, str]]:
    """Sheet name → (state, path of its XML part)."""
    limit = 10 * 1024 * 1024
    a, _ = zf.content_key("xl/workbook.xml", limit)
    b, _ = zf.content_key("xl/_rels/workbook.xml.rels", limit)
    if a is None or b is None:
        return {}
    key = ("sheets", a + b)
    hit = _PART_CACHE.get(key)
    if hit is None:
        hit = _PART_CACHE[key] = _parse_workbook_sheets(_read_part(zf, "xl/workbook.xml", limit) or b"",
                                                        _read_part(zf, "xl/_rels/workbook.xml.rels", limit) or b"")
    return dict(hit)


def _parse_workbook_sheets(wb: bytes, rels: bytes) -> dict[str, tuple[str, str]]:
    targets: dict[str, str] = {}
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
        a = _attrs(m.group(1))
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[a.get("Id", "")] = target
    out: dict[str, tuple[str, str]] = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        a = _attrs(m.group(1))
        out[a.get("name", "")] = (a.get("state", "visible"), targets.get(a.get("id", ""), ""))
    return out


def read_bytes(path: Path | str) -> bytes:
    """The bytes of a returned file, read once, bounded. Anything but a regular file (a FIFO,
    a device, a folder) is refused without being opened, and a file that becomes one between
    the look and the opening is refused too (it is opened without blocking, then checked)."""
    path = Path(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise FileProblem("file-unreadable", {"t": "why_not_regular"})
        if st.st_size > LIMITS["file_bytes"]:
            raise FileProblem("file-too-large", {"t": "why_file_size", "mib": st.st_size // (1024 * 1024)})
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise FileProblem("file-unreadable", {"t": "why_not_regular"})
            data = fh.read(LIMITS["file_bytes"] + 1)
    except OSError as exc:
        raise FileProblem("file-unreadable", f"{type(exc).__name__}: {exc.strerror or exc}") from None
    if len(data) > LIMITS["file_bytes"]:
        raise FileProblem("file-too-large", {"t": "why_file_size", "mib": len(data) // (1024 * 1024)})
    return data


# what makes a sheet need walking cell by cell (one pass over its XML): a cell or row without
# its reference first (``<c>``, ``<c s="1" r=…>``), a prefixed element, a two-letter column,
# row 10000 and beyond. The usual sheet, as Excel, LibreOffice and sdgxl write it, has none.
_IRREGULAR = re.compile(rb'<c(?:>|\s(?!r=")|\sr="[A-Za-z]*(?:[A-Za-z][A-Za-z]|[0-9]{5}))'
                        rb'|<row(?:>|\s(?!r=")|\sr="[0-9]{5})|<\w+:(?:c|row)[\s>]')
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_R_ATTR = re.compile(rb'\br\s*=\s*["\']([A-Za-z]*)([0-9]*)["\']')


def _check_extent(xml: bytes, sheet: str) -> None:
    """Refuse a sheet whose rectangle (what the reader allocates, one slot per cell from A1 to
    the farthest cell) is over the limits, before anything is allocated for it. The usual
    sheet, every row and cell with its reference and none past row 9999 or column Z, is
    told by one scan (:data:`_IRREGULAR`); any other is walked cell by cell, as the reader will place them."""
    if _IRREGULAR.search(xml) is None:
        return
    height = width = 0
    row = col = -1
    for m in _ROW_OR_CELL.finditer(xml):
        ref = _R_ATTR.search(m.group(2))
        letters, digits = (ref.group(1), ref.group(2)) if ref else (b"", b"")
        if m.group(1) == b"row":
            row = int(digits) - 1 if digits and len(digits) < 10 else (row + 1 if not digits else 1 << 40)
            col = -1
        else:
            if digits:
                row = int(digits) - 1 if len(digits) < 10 else 1 << 40
            col = _col_index(letters.upper()) if letters and len(letters) < 5 else (col + 1 if not letters else 1 << 40)
            height, width = max(height, row + 1), max(width, col + 1)
        if height > LIMITS["rows"] or width > LIMITS["cols"] or height * width > LIMITS["cells"]:
            raise FileProblem("file-too-large", {"t": "why_sheet_size", "sheet": sheet, "rows": height, "cols": width})


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref\s*=\s*"([A-Z]{1,4})([0-9]{1,9}):([A-Z]{1,4})([0-9]{1,9})"')


def feedback_problem(data: bytes) -> str | None:
    """Why an annotated copy of this workbook is not made (None: it can be). The copy is
    written by a reader that makes an object per cell of every sheet, merged ranges included:
    sheets' total size and merged areas are bounded first."""
    try:
        zf = _open_zip(data)
    except FileProblem as exc:
        return exc.code
    sheets = [(n, size) for n, size, _, _ in zf.entries() if n.startswith("xl/worksheets/")]
    if sum(size for _, size in sheets) > 10 * 1024 * 1024:
        return "file-too-large"
    merged = 0
    for name, _ in sheets:
        try:
            xml = zf.read(name, 10 * 1024 * 1024) or b""
        except FileProblem as exc:
            return exc.code
        for m in _MERGE.finditer(xml):
            rows = abs(int(m.group(4)) - int(m.group(2))) + 1
            cols = abs(_col_index(m.group(3)) - _col_index(m.group(1))) + 1
            merged += rows * cols
            if merged > LIMITS["merged_cells"]:
                return "merged-cells"
    return None


def _sheet_part(parts: dict[str, tuple[str, str]], name: str) -> str | None:
    entry = parts.get(name)
    return entry[1] if entry else None


def read_form(path: Path | str, data: bytes | None = None) -> RawForm:
    """Read a returned file. Raises :class:`FileProblem` when it cannot be read as a form
    (the caller turns it into a file-level issue); never anything else for bad input."""
    path = Path(path)
    if data is None:
        data = read_bytes(path)
    _sniff(data, path)
    zf = _open_zip(data)
    entries = {name: size for name, size, _, _ in zf.entries()}
    names = set(entries)
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "mimetype" in names and (_read_part(zf, "mimetype", 1024) or b"").startswith(
            b"application/vnd.oasis.opendocument.spreadsheet"):
        kind = "ods"
    elif "word/document.xml" in names:
        raise FileProblem("file-not-spreadsheet", "Word (.docx)")
    else:
        raise FileProblem("file-not-spreadsheet", "zip")
    parts: dict[str, tuple[str, str]] = {}
    xmls: dict[str, bytes] = {}
    if kind == "xlsx":
        for name in names:
            if name.startswith("xl/worksheets/") and entries[name] > LIMITS["sheet_xml"]:
                raise FileProblem("file-too-large", {"t": "why_part_size", "part": name,
                                                     "mib": entries[name] // (1024 * 1024)})
        parts = _workbook_sheets(zf)
    else:
        _check_ods(_read_part(zf, "content.xml", LIMITS["sheet_xml"]) or b"")

    def load(book: Any, name: str | None, index: int = 0) -> list[list[Any]]:
        """A sheet's grid, its extent checked before the reader allocates it."""
        if kind == "xlsx":
            sheet_name = name if name is not None else next(iter(parts), None)
            part = _sheet_part(parts, sheet_name) if sheet_name is not None else None
            if part is None:  # a sheet the reader finds and we do not: not read
                raise FileProblem("file-unreadable", {"t": "why_sheet_part", "sheet": sheet_name or ""})
            xml = xmls[part] = _read_part(zf, part, LIMITS["sheet_xml"]) or b""
            _check_extent(xml, sheet_name or "")
        return _grid(book.get_sheet_by_name(name) if name is not None else book.get_sheet_by_index(index))

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine raises its own types (and panics) for broken parts
        raise _reader_failure(exc) from None
    try:
        metas = book.sheets_metadata
        sheets = [m.name for m in metas]
        hidden = {m.name for m in metas if str(m.visible).rsplit(".", 1)[-1].lower() != "visible"}
        meta: dict[str, str] | None = None
        meta_rows: list[dict[str, Any]] = []
        meta_narratives: list[dict[str, Any]] = []
        if META_SHEET in sheets:
            meta_grid = load(book, META_SHEET)
            meta, meta_rows = parse_meta(meta_grid)
            meta_narratives = parse_meta_narratives(meta_grid)
        first_text = ""
        if meta is None and sheets:
            first = load(book, sheets[0] if kind == "xlsx" else None)
            first_text = " ".join(str(v) for row in first[:30] for v in row[:20] if isinstance(v, str))
        data_sheet = meta.get("data_sheet") if meta else None
        grid: list[list[Any]] = []
        if data_sheet and data_sheet in sheets:
            grid = load(book, data_sheet)
        narrative_sheet = meta.get("narrative_sheet") if meta else None
        narrative_grid: list[list[Any]] = []
        if narrative_sheet and narrative_sheet in sheets:
            narrative_grid = load(book, narrative_sheet)
    except FileProblem:
        raise
    except BaseException as exc:
        raise _reader_failure(exc) from None
    finally:
        book.close()
    form = RawForm(path=path, kind=kind, sheets=sheets, hidden=hidden, meta=meta, meta_rows=meta_rows,
                   props={}, data_sheet=data_sheet if data_sheet in sheets else None, grid=grid,
                   first_sheet_text=first_text, meta_narratives=meta_narratives,
                   narrative_sheet=narrative_sheet if narrative_sheet in sheets else None,
                   narrative_grid=narrative_grid)
    # one small part: the time the saving program wrote (the agency's clock)
    try:
        form.saved_at = saved_time(_read_part(zf, "docProps/core.xml" if kind == "xlsx" else "meta.xml", 1 << 20))
    except FileProblem:  # a damaged or oversized property part: the values may still be read
        form.saved_at = None
    if kind == "xlsx":
        form.props = _cached(zf, "docProps/custom.xml", _props, 10 * 1024 * 1024)
        if form.data_sheet:
            part = _sheet_part(parts, form.data_sheet)
            if part is not None:
                xml = xmls.get(part)
                if xml is None:
                    xml = _read_part(zf, part, LIMITS["sheet_xml"]) or b""
                form.cells, form.protected[form.data_sheet] = _scan_sheet(xml, {COL["value"]})
            form.numfmt = _cached(zf, "xl/styles.xml", _styles, 20 * 1024 * 1024)
    return form


def _reader_failure(exc: BaseException) -> FileProblem:
    """What the spreadsheet reader raised, as a file problem; only an interruption goes on."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    if isinstance(exc, MemoryError):
        return FileProblem("file-too-large", {"t": "why_memory"})
    return FileProblem("file-unreadable", f"{type(exc).__name__}: {str(exc)[:200]}")


_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/>|>(.*?)</table:(?:covered-)?table-cell>)", re.S)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]+)"')


def _check_ods(xml: bytes) -> None:
    """An OpenDocument sheet's rectangle, rows and cells repeated included, as for .xlsx.
    Empty rows and cells after the last value cost nothing (LibreOffice writes a million)."""
    for table in _ODS_TABLE.finditer(xml):
        height = width = row_at = 0
        for m in _ODS_ROW.finditer(table.group(1)):
            rep = _ODS_REPEAT.search(m.group(1))
            rows = int(rep.group(1)) if rep and len(rep.group(1)) < 10 else (1 << 40 if rep else 1)
            col_at = used = 0
            for c in _ODS_CELL.finditer(m.group(3) or b""):
                crep = _ODS_REPEAT.search(c.group(1))
                cols = int(crep.group(1)) if crep and len(crep.group(1)) < 10 else (1 << 40 if crep else 1)
                col_at += cols
                if b"value-type" in c.group(1) or _ODS_TEXT.search(c.group(3) or b""):
                    used = col_at
            row_at += rows
            if used:
                height, width = row_at, max(width, used)
            if height > LIMITS["rows"] or width > LIMITS["cols"] or height * width > LIMITS["cells"]:
                raise FileProblem("file-too-large", {"t": "why_sheet_size", "sheet": "content.xml", "rows": height,
                                                     "cols": width})


_ODS_TABLE = re.compile(rb"<table:table\b[^>]*>(.*?)</table:table>", re.S)
_ODS_TEXT = re.compile(rb"<text:p\b[^>/]*>(?!</text:p>)")
