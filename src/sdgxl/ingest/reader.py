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
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine as pc

from sdgxl.errors import SdgxlError
from sdgxl.forms.layout import COL, META_SHEET, parse_meta, parse_meta_narratives
from sdgxl.ingest.zipread import ZipIndex

__all__ = ["LIMITS", "CellInfo", "FileProblem", "RawForm", "read_form"]

LIMITS = {
    "file_bytes": 50 * 1024 * 1024,  # the attachment itself
    "zip_entries": 5000,
    "zip_total": 300 * 1024 * 1024,  # uncompressed, all parts
    "zip_ratio": 200,  # uncompressed / compressed, for parts over 1 MiB
    "sheet_xml": 100 * 1024 * 1024,  # one sheet's XML, uncompressed
    "rows": 100_000,
    "cols": 1_000,
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_ENT = re.compile(rb"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")


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
        if e.startswith(b"#x"):
            return chr(int(e[2:], 16)).encode("utf-8")
        if e.startswith(b"#"):
            return chr(int(e[1:])).encode("utf-8")
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
        self.index = ZipIndex.parse(data)
        self.zf: zipfile.ZipFile | None = None
        if self.index is None:
            try:
                self.zf = zipfile.ZipFile(io.BytesIO(data))
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                raise FileProblem("file-unreadable", f"zip: {exc}") from None

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


_PART_CACHE: dict[tuple[str, int, int], Any] = {}  # (part, CRC, size) → parsed


def _cached(zf: _Archive, name: str, parse: Any, limit: int) -> Any:
    """Parse a small part once per distinct content (forms of one generation share them)."""
    info = zf.info(name)
    if info is None:
        return parse(None)
    key = (name, info[0], info[1])
    hit = _PART_CACHE.get(key)
    if hit is None:
        hit = parse(_read_part(zf, name, limit))
        if len(_PART_CACHE) > 256:
            _PART_CACHE.clear()
        _PART_CACHE[key] = hit
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
    a, b = zf.info("xl/workbook.xml"), zf.info("xl/_rels/workbook.xml.rels")
    if a is None or b is None:
        return {}
    key = ("sheets", a[0] ^ (b[0] << 1), a[1] + (b[1] << 32))
    hit = _PART_CACHE.get(key)
    if hit is None:
        hit = _PART_CACHE[key] = _parse_workbook_sheets(zf)
    return dict(hit)


def _parse_workbook_sheets(zf: _Archive) -> dict[str, tuple[str, str]]:
    wb = _read_part(zf, "xl/workbook.xml", 10 * 1024 * 1024) or b""
    rels = _read_part(zf, "xl/_rels/workbook.xml.rels", 10 * 1024 * 1024) or b""
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


def read_form(path: Path | str, data: bytes | None = None) -> RawForm:
    """Read a returned file. Raises :class:`FileProblem` when it cannot be read as a form
    (the caller turns it into a file-level issue); never anything else for bad input."""
    path = Path(path)
    if data is None:
        try:
            size = path.stat().st_size
            if size > LIMITS["file_bytes"]:
                raise FileProblem("file-too-large", {"t": "why_file_size", "mib": size // (1024 * 1024)})
            data = path.read_bytes()
        except OSError as exc:
            raise FileProblem("file-unreadable", f"{type(exc).__name__}: {exc.strerror or exc}") from None
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
    if kind == "xlsx":
        for name in names:
            if name.startswith("xl/worksheets/") and entries[name] > LIMITS["sheet_xml"]:
                raise FileProblem("file-too-large", {"t": "why_part_size", "part": name,
                                                     "mib": entries[name] // (1024 * 1024)})
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own types for broken parts
        raise FileProblem("file-unreadable", f"{type(exc).__name__}: {str(exc)[:200]}") from None
    try:
        metas = book.sheets_metadata
        sheets = [m.name for m in metas]
        hidden = {m.name for m in metas if str(m.visible).rsplit(".", 1)[-1].lower() != "visible"}
        meta: dict[str, str] | None = None
        meta_rows: list[dict[str, Any]] = []
        meta_narratives: list[dict[str, Any]] = []
        if META_SHEET in sheets:
            meta_grid = _grid(book.get_sheet_by_name(META_SHEET))
            meta, meta_rows = parse_meta(meta_grid)
            meta_narratives = parse_meta_narratives(meta_grid)
        first_text = ""
        if meta is None and sheets:
            first = _grid(book.get_sheet_by_index(0))
            first_text = " ".join(str(v) for row in first[:30] for v in row[:20] if isinstance(v, str))
        data_sheet = meta.get("data_sheet") if meta else None
        grid: list[list[Any]] = []
        if data_sheet and data_sheet in sheets:
            grid = _grid(book.get_sheet_by_name(data_sheet))
        narrative_sheet = meta.get("narrative_sheet") if meta else None
        narrative_grid: list[list[Any]] = []
        if narrative_sheet and narrative_sheet in sheets:
            narrative_grid = _grid(book.get_sheet_by_name(narrative_sheet))
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem("file-unreadable", f"{type(exc).__name__}: {str(exc)[:200]}") from None
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
            parts = _workbook_sheets(zf)
            for name, (_, part) in parts.items():
                if name == form.data_sheet:
                    xml = _read_part(zf, part, LIMITS["sheet_xml"]) or b""
                    form.cells, form.protected[name] = _scan_sheet(xml, {COL["value"]})
            form.numfmt = _cached(zf, "xl/styles.xml", _styles, 20 * 1024 * 1024)
    return form
