"""xlsxwriter, with workbook-structure protection and fast paths for the hot loops.

sdgxl writes every workbook with xlsxwriter. This module adds what xlsxwriter lacks
(``<workbookProtection>``) and replaces a few of its innermost methods with faster ones
that write **the same bytes**: a test builds every form with these classes and with
xlsxwriter's own worksheet class and compares the files byte for byte.

The fast paths cover what sdgxl's writers produce (shared strings, numbers, blanks and
classic formulas, no comments); anything else goes xlsxwriter's own way.
"""

from __future__ import annotations

import re
from typing import Any

import xlsxwriter
import xlsxwriter.worksheet
from xlsxwriter.utility import xl_rowcol_to_cell_fast

__all__ = ["Workbook", "Worksheet", "legacy_hash"]

# functions that xlsxwriter writes as they are (no _xlfn. prefix)
_CLASSIC = frozenset({"IF", "AND", "OR", "NOT", "ISNUMBER", "LEN", "INT", "SUM", "COUNTIF", "SUMPRODUCT"})
_FUNC = re.compile(r"([A-Z][A-Z0-9._]*)\(")
_ATTR_ESCAPES = re.compile('["&<>\n]')


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

    def _escape_attributes(self, attribute: Any) -> Any:
        # most attributes are ints (style indices, row numbers): nothing to escape
        if not isinstance(attribute, str) or not _ATTR_ESCAPES.search(attribute):
            return attribute
        return (attribute.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("\n", "&#xA;"))

    def _calculate_spans(self) -> None:
        if self.comments:
            super()._calculate_spans()
            return
        # the same spans as xlsxwriter's: per block of 16 rows, the first and last used column
        spans: dict[int, str] = {}
        lo: int | None = None
        hi = 0
        table = self.table
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            if cells:
                first, last = min(cells), max(cells)
                if lo is None:
                    lo, hi = first, last
                else:
                    lo, hi = min(lo, first), max(hi, last)
            if ((row_num + 1) % 16 == 0 or row_num == self.dim_rowmax) and lo is not None:
                spans[row_num // 16] = f"{lo + 1}:{hi + 1}"
                lo = None
        self.row_spans = spans

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
