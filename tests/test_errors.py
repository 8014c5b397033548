"""One family of errors, each a message key and parameters rendered in the reader's language;
texts live in one home (sdgxl.i18n and workbook_templates/texts.*.toml), not inline."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re

import pytest

import sdgxl
from sdgxl.errors import CatalogueError, CatalogueProblem, OutputError, SdgxlError, UsageError
from sdgxl.ledger import Ledger
from tests.conftest import ROOT

SRC = ROOT / "src" / "sdgxl"


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(sdgxl.__path__, "sdgxl."):
        if info.name in ("sdgxl.__main__", "sdgxl.lo_worker"):
            continue  # the entry point runs the CLI; the worker runs under LibreOffice's Python
        names.append(info.name)
    return names


def test_every_exception_of_the_package_is_an_sdgxl_error():
    found = []
    for name in _modules():
        if name.startswith("sdgxl.console.xl") or name == "sdgxl.xl":
            continue  # needs xlwings at import (checked in test_console)
        module = importlib.import_module(name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == name:
                found.append(obj)
                assert issubclass(obj, SdgxlError), obj
    names = {c.__name__ for c in found}
    assert {"FileProblem", "ExtractionError", "LedgerError", "LedgerBusy", "CatalogueError"} <= names


def test_an_error_is_a_key_and_parameters_rendered_per_language():
    exc = UsageError("paths_not_found", paths=["a.xlsx", "b.xlsx"])
    assert exc.text("vi") == "Không tìm thấy: a.xlsx, b.xlsx" and exc.text("en") == "Not found: a.xlsx, b.xlsx"
    assert exc.exit_code == 2 and OutputError("output_not_writable", path="x", reason="busy").exit_code == 73
    with pytest.raises(KeyError):
        SdgxlError("no such key")
    cat = CatalogueError("c.json", [CatalogueProblem({"t": "line_col", "line": 3, "col": 5}, "cat_bad_json",
                                                     {"reason": "Expecting value"})])
    assert cat.text("en") == "Catalogue c.json has 1 problem"
    assert cat.problems[0].place("vi") == "dòng 3, cột 5" and cat.problems[0].place("en") == "line 3, column 5"


def test_the_ledger_is_a_context_manager(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        assert ledger.counts()["submissions"] == 0
    # disposed: a new connection still works (dispose only drops the pool), the file is there
    assert (tmp_path / "l.sqlite").exists()


@pytest.mark.parametrize("path", ["cli.py", "console/xl.py"])
def test_front_ends_have_no_inline_translations(path):
    """The CLI and the console take their words from the one home for texts: no ``… if vi else …``
    and no language test choosing between two literals."""
    source = (SRC / path).read_text(encoding="utf-8")
    assert not re.search(r"if vi\b|\bvi = l|if lg != \"en\" else|if lang != \"en\" else", source)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp) and isinstance(node.body, ast.Constant) and \
                isinstance(node.orelse, ast.Constant):
            assert not (isinstance(node.body.value, str) and isinstance(node.orelse.value, str)
                        and re.search(r"[^\x00-\x7f]", node.body.value + node.orelse.value)), ast.unparse(node)


def test_workbook_texts_have_the_same_keys_in_both_languages():
    from sdgxl.resources import load_texts

    def keys(d: dict, prefix: str = "") -> set[str]:
        out = set()
        for k, v in d.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out

    assert keys(load_texts("vi")) == keys(load_texts("en"))


def test_every_error_raised_names_a_message():
    """Every ``SdgxlError(...)`` (and subclass) raised with a literal key names a message that
    exists: a sentence or a misspelt key would only fail when the error happens."""
    from sdgxl.i18n import MESSAGES

    families = {"SdgxlError", "UsageError", "OutputError", "LedgerError", "LedgerBusy"}
    keys = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in families:
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                    f"{path.name}:{node.lineno}: the first argument is a message key"
                assert not node.keywords or all(k.arg != "message_en" for k in node.keywords), path.name
                keys.append((path.name, node.lineno, first.value))
    assert len(keys) > 30
    assert [k for k in keys if k[2] not in MESSAGES] == []
