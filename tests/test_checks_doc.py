"""docs/checks.md documents every check code, with the code's severity and scope."""

from __future__ import annotations

import re

from sdgxl.validate.checks import CHECKS
from tests.conftest import ROOT


def doc_rows() -> dict[str, tuple[str, str]]:
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([a-z0-9-]+)` \| (error|warning) \| (file|row|value) \|(.+)\|(.+)\|$", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
            assert m.group(4).strip() and m.group(5).strip(), line
    return rows


def test_every_code_is_documented_and_nothing_else():
    rows = doc_rows()
    assert set(rows) == set(CHECKS)


def test_documented_severity_and_scope_match():
    for code, (severity, scope) in doc_rows().items():
        assert CHECKS[code].severity == severity, code
        assert CHECKS[code].scope == scope, code


def test_codes_are_kebab_case_and_messages_exist():
    for code, check in CHECKS.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code)
        assert check.vi and check.en


def test_documented_parameters_match_the_templates():
    """The table of parameters in "How an issue is shaped" names each check's parameter."""
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    section = text[text.index("## How an issue is shaped"):]
    documented = dict(re.findall(r"^\| `([a-z-]+)` \| `([a-z_]+)` \|", section, re.M))
    assert documented == {code: c.param for code, c in CHECKS.items() if c.param}
