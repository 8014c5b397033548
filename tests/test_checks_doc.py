"""docs/checks.md documents every check code, with the code's severity and scope."""

from __future__ import annotations

import re

from sdgxl.validate.checks import CHECKS
from tests.conftest import ROOT


def doc_table() -> dict[str, tuple[str, ...]]:
    """code → (severity, scope, title (vi), title (en)) of the table's rows."""
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        m = re.fullmatch(r"`([a-z0-9-]+)`", cells[0])
        if m and len(cells) != 3:  # (the table of parameters has three columns)
            assert len(cells) == 7 and all(cells), line  # code, severity, scope, two titles, meaning, example
            rows[m.group(1)] = tuple(cells[1:5])
    return rows


def doc_rows() -> dict[str, tuple[str, str]]:
    return {code: (row[0], row[1]) for code, row in doc_table().items()}


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


def test_every_check_has_a_title_in_both_languages_documented():
    """A check without a short title in Vietnamese and in English fails (it is shown beside the
    code wherever a person reads issues), and the table's title columns are the code's."""
    from sdgxl.validate.checks import TITLES

    assert set(TITLES) == set(CHECKS)
    for code, (_, _, vi, en) in doc_table().items():
        check = CHECKS[code]
        assert check.title_vi.strip() and check.title_en.strip(), code
        assert (vi, en) == (check.title_vi, check.title_en), code
        assert check.label("vi") == f"{vi} ({code})" and check.label("en") == f"{en} ({code})"
    titles = [c.title_vi for c in CHECKS.values()]
    assert len(set(titles)) == len(titles)  # each title tells its check apart
    assert all(c.title_vi != c.title_en for c in CHECKS.values())  # translated
