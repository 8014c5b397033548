"""xlsxwriter, with workbook-structure protection and fast paths for the hot loops.

sdgxl writes every workbook with xlsxwriter. This module adds what xlsxwriter lacks
(``<workbookProtection>``) and replaces a few of its innermost methods with faster ones
that write **the same bytes**: a test builds every form, the consolidated workbook with
its dashboard, the report, the console and the exports with these classes and with
xlsxwriter's own, and compares the files byte for byte.

The fast paths cover what sdgxl's writers produce (shared strings, numbers, blanks and
classic formulas, no comments); anything else goes xlsxwriter's own way.

Formats are **fixed once made**: ``add_format`` takes every property, and a format's
``set_*`` methods raise afterwards. That lets workbooks share work: a format is made once
per distinct set of properties and copied, and ``styles.xml`` is written once per distinct
set of formats in use (the forms of a year share one).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable
from typing import Any

import xlsxwriter
import xlsxwriter.worksheet
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_rowcol_to_cell_fast

__all__ = ["Workbook", "Worksheet", "hf_section", "legacy_hash", "row_height", "wrapped_lines"]

# functions that xlsxwriter writes as they are (no _xlfn. prefix)
_CLASSIC = frozenset({"IF", "AND", "OR", "NOT", "ISNUMBER", "LEN", "INT", "SUM", "COUNTIF", "SUMPRODUCT", "LEFT",
                      "CELL", "ISNA", "MATCH"})
_FUNC = re.compile(r"([A-Z][A-Z0-9._]*)\(")
_CACHE_MAX = 1024


def hf_section(text: str, size: int | None = None) -> str:
    """Text for a header or footer section (after ``&L``, ``&C`` or ``&R``), in font ``size``.

    A size code runs on while digits follow: ``&8`` then ``2026-SYT-…`` reads as size
    82026 (the printed id loses its year, and Excel may refuse the footer). A space ends
    the code when the text starts with a digit; ``&`` in the text is doubled (a literal
    ampersand, not a code). Codes such as ``&P`` are written by the caller, not passed here."""
    body = text.replace("&", "&&")
    if size is None:
        return body
    return f"&{size}" + (" " if body[:1].isdigit() else "") + body


class FixedFormat(Format):  # type: ignore[misc]
    """A format whose properties cannot change once it is made."""

    _fixed = False
    _prototype = 0  # which prototype it is a copy of (0: none)


def _fixed_setter(name: str) -> Callable[..., Any]:
    setter = getattr(Format, name)

    def set_property(self: FixedFormat, *args: Any, **kwargs: Any) -> Any:
        if self._fixed:
            raise TypeError(f"sdgxl.xlsxw formats are fixed once made: give '{name[4:]}' to add_format")
        return setter(self, *args, **kwargs)

    return set_property


for _name in [n for n in dir(Format) if n.startswith("set_") and callable(getattr(Format, n))]:
    setattr(FixedFormat, _name, _fixed_setter(_name))

# formats made once per distinct properties, copied into each workbook
_PROTOTYPES: dict[tuple[tuple[str, Any], ...], FixedFormat] = {}
_PROTOTYPE_IDS = itertools.count(1)
# styles.xml per distinct formats in use (prototype, xf index, dxf index of each)
_STYLES: dict[tuple[Any, ...], str] = {}


class Worksheet(xlsxwriter.worksheet.Worksheet):  # type: ignore[misc]
    """A worksheet whose cell loop takes fast paths with xlsxwriter's exact output."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        # xlsxwriter runs ~100 regex substitutions per formula to add future-function
        # prefixes; formulas made only of classic functions need none of them
        if set(_FUNC.findall(formula)) <= _CLASSIC:
            formula = formula[1:] if formula.startswith("{") else formula
            formula = formula[1:] if formula.startswith("=") else formula
            return formula[:-1] if formula.endswith("}") else formula
        return str(super()._prepare_formula(formula, expand_future_functions))

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind = cell.__class__.__name__
        fmt = cell.format
        if fmt is not None:
            style = f' s="{fmt._get_xf_index()}"'
        elif (row in self.row_info and self.row_info[row].row_format) or col in self.col_info:
            super()._write_cell(row, col, cell)  # the row's or column's format applies
            return
        else:
            style = ""
        if kind == "String" and not self.constant_memory:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style} t="s"><v>{cell.string}</v></c>')
        elif kind == "Number":
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style}><v>{cell.number:.16G}</v></c>')
        elif kind == "Blank":
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style}/>')
        else:
            super()._write_cell(row, col, cell)


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """An in-memory workbook of :class:`Worksheet` s that never turns text into formulas,
    numbers or links, with optional workbook-structure protection."""

    worksheet_class = Worksheet

    def __init__(self, target: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(target, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                  "strings_to_urls": False, **(options or {})})
        self.structure_password: str | None = None

    def add_format(self, properties: dict[str, Any] | None = None) -> Format:
        # Format() applies every property through its setter (~0.2 ms a format); a copy of
        # a format made once with the same properties is the same object, made 10x faster
        props = {**self.default_format_properties, **(properties or {})}
        key = tuple(sorted(props.items()))
        try:
            proto = _PROTOTYPES.get(key)
        except TypeError:  # a property that is not hashable
            return super().add_format(properties)
        if proto is None:
            proto = FixedFormat(props)
            proto._fixed, proto._prototype = True, next(_PROTOTYPE_IDS)
            proto._get_format_key()  # a pure function of the properties, which are now fixed
            if len(_PROTOTYPES) < _CACHE_MAX:
                _PROTOTYPES[key] = proto
        fmt = copy.copy(proto)
        fmt.xf_format_indices = self.xf_format_indices
        fmt.dxf_format_indices = self.dxf_format_indices
        self.formats.append(fmt)
        return fmt

    def _styles_key(self) -> tuple[Any, ...] | None:
        """What styles.xml is made of, or None when it cannot be told cheaply."""
        if not self.in_memory:
            return None
        used = []
        for f in self.formats:
            if not getattr(f, "_prototype", 0):
                return None
            used.append((f._prototype, f.xf_index, f.dxf_index))
        return (tuple(used), tuple(self.palette), tuple(self.custom_colors), self.has_comments)

    def _prepare_format_properties(self) -> None:
        # runs after the worksheets (which number the formats in use) and before styles.xml
        self._styles_cache_key = self._styles_key()
        self._styles_xml = _STYLES.get(self._styles_cache_key) if self._styles_cache_key else None
        if self._styles_xml is None:
            super()._prepare_format_properties()  # only styles.xml reads what this prepares

    def _get_packager(self) -> Packager:
        return _Packager()

    def protect_structure(self, password: str = "") -> None:
        """Lock the workbook's structure (no adding, deleting, unhiding sheets)."""
        self.structure_password = password

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        if self.structure_password is not None:
            attrs = [("lockStructure", "1")]
            if self.structure_password:
                attrs.insert(0, ("workbookPassword", legacy_hash(self.structure_password)))
            self._xml_empty_tag("workbookProtection", attrs)


class _Packager(Packager):  # type: ignore[misc]
    def _write_styles_file(self) -> None:
        wb = self.workbook
        if wb._styles_xml is not None:
            self._filename("xl/styles.xml").write(wb._styles_xml)
            return
        super()._write_styles_file()
        if wb._styles_cache_key is not None and len(_STYLES) < _CACHE_MAX:
            _STYLES[wb._styles_cache_key] = self.filenames[-1][0].getvalue()


def legacy_hash(password: str) -> str:
    """The 16-bit password hash of ECMA-376 Part 4 (as Excel writes for sheets too)."""
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password)
    digest ^= 0xCE4B
    return f"{digest:X}"


def wrapped_lines(text: str, width: float, font_size: float = 10) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (Excel's
    unit: the default font's digit) at ``font_size`` points: a greedy word wrap with a
    character budget set low enough for Times New Roman with Vietnamese diacritics, so a row
    sized from it is never too short for Excel or LibreOffice."""
    budget = max(1, int(width * 1.4 * 10 / font_size) - 1)
    lines = 0
    for para in str(text).split("\n"):
        used = 0
        lines += 1
        for word in para.split(" "):
            size = len(word)
            while size > budget:  # a word longer than the line breaks anywhere
                if used:
                    lines += 1
                lines += 1
                size -= budget
                used = 0
            if used and used + 1 + size > budget:
                lines += 1
                used = size
            else:
                used += (1 if used else 0) + size
    return lines


def row_height(cells: Any, font_size: float = 10, minimum: float = 15) -> float:
    """A row height (points) that shows every (text, column width) of ``cells`` wrapped in full."""
    lines = max((wrapped_lines(text, width, font_size) for text, width in cells if text), default=1)
    return max(minimum, round(lines * font_size * 1.32 + 3, 1))
