"""docs/form-format.md describes the form format that sdgxl.forms.layout implements."""

from __future__ import annotations

import re

from sdgxl.forms.layout import (
    COL,
    FIRST_ROW,
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    LETTER,
    META_FIELDS,
    META_ROW_FIELDS,
    OPTIONAL_META_FIELDS,
    PROPERTY_FIELDS,
    SUPPORTED_FORMATS,
    form_id,
    parse_meta,
    row_layout,
)
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "form-format.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = DOC.index(f"## {title}")
    end = DOC.find("\n## ", start + 1)
    return DOC[start:end if end > 0 else None]


def test_versions_are_documented():
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", _section("Versions"), re.M)
    assert {int(v) for v, _ in rows} == set(FORMAT_VERSIONS) == set(SUPPORTED_FORMATS)
    assert f"The current version is **{FORMAT_VERSION}**" in DOC
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for version in FORMAT_VERSIONS:
        assert f"FORMAT_VERSION {version}" in changelog


def test_columns_are_documented():
    rows = re.findall(r"^\| `(\w+)` \| ([A-Z]) \|", _section("The indicator sheet"), re.M)
    assert [name for name, _ in rows] == sorted(COL, key=COL.__getitem__)
    assert dict(rows) == LETTER
    assert f"From row {FIRST_ROW + 1}" in DOC


def test_metadata_fields_are_documented():
    section = _section("The metadata sheet `_sdgxl`")
    rows = re.findall(r"^\| `(\w+)` \| (property|) *\|", section, re.M)
    assert tuple(k for k, _ in rows) == META_FIELDS
    assert {k for k, p in rows if p} == set(PROPERTY_FIELDS)
    columns = re.findall(r"^\| `(\w+)` \| [^|]+\|$", section, re.M)
    assert tuple(c for c in columns if c not in META_FIELDS) == META_ROW_FIELDS


def test_the_form_id_example_holds():
    m = re.search(r'`form_id\("(\w+)", "(\w+)", (\d+), "(\w+)"\)` = `([\w-]+)`', DOC)
    assert m
    assert form_id(m[1], m[2], int(m[3]), m[4]) == m[5]


def test_row_layout_puts_a_heading_before_each_goal():
    layout = row_layout([2, 2, 3, 16])
    assert layout.goals == [(FIRST_ROW, 2), (FIRST_ROW + 3, 3), (FIRST_ROW + 5, 16)]
    assert layout.rows == [FIRST_ROW + 1, FIRST_ROW + 2, FIRST_ROW + 4, FIRST_ROW + 6]
    assert layout.end == FIRST_ROW + 7


def test_metadata_parses_what_the_generator_writes(tmp_path):
    """The generator's metadata sheet, read back by the one parser, gives the spec's fields and
    rows where the layout put them."""
    import python_calamine as pc

    from sdgxl.catalogue import bundled
    from sdgxl.forms.generate import generate_forms
    from sdgxl.forms.layout import META_SHEET
    from sdgxl.forms.spec import build_spec

    (result,) = generate_forms(bundled(), 2026, tmp_path, agencies=["SYT"])
    book = pc.CalamineWorkbook.from_path(str(result.path))
    meta, rows = parse_meta(book.get_sheet_by_name(META_SHEET).to_python())
    spec = build_spec(bundled(), "SYT", 2026)
    assert meta == spec.meta() and tuple(meta) == tuple(k for k in META_FIELDS if k in meta)
    assert set(META_FIELDS) - set(meta) <= set(OPTIONAL_META_FIELDS)
    assert [int(r["row"]) - 1 for r in rows] == spec.layout().rows
    assert [r["key"] for r in rows] == [row.key for row in spec.rows]


def test_every_ledger_schema_version_is_in_the_changelog():
    from sdgxl.ledger import SCHEMA_VERSION

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = {int(v) for v in re.findall(r"\*\*SCHEMA_VERSION (\d+)\*\*", changelog)}
    assert found == set(range(1, SCHEMA_VERSION + 1))
