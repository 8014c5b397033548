"""sdgxl's own exceptions: one family, each carrying a message key and parameters.

The library raises these where work cannot go on (a catalogue that does not load, an
output folder that cannot be written, a file that cannot be read as a form). Problems
found *in data* are not exceptions: they are :class:`sdgxl.validate.checks.Issue` objects
collected into reports. Like an issue, an error is data until shown: ``key`` names a
message of :data:`sdgxl.i18n.MESSAGES` and ``params`` fills it, in the reader's language,
when :meth:`SdgxlError.text` is called (the CLI, the console). No user ever sees a
traceback; the CLI turns each error into its message and :attr:`~SdgxlError.exit_code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sdgxl.i18n import MESSAGES, show, t

__all__ = ["CatalogueError", "CatalogueProblem", "OutputError", "SdgxlError", "UsageError"]


class SdgxlError(Exception):
    """Base class; ``exit_code`` is what the CLI returns for it."""

    exit_code = 1

    def __init__(self, key: str, **params: Any) -> None:
        if key not in MESSAGES:
            raise KeyError(f"unknown message key {key!r}")
        self.key = key
        self.params = params
        super().__init__(self.text("vi"))  # str(error): the default language

    def text(self, lang: str = "vi") -> str:
        """The message in ``lang``."""
        return t(self.key, lang, **self.params)


class UsageError(SdgxlError):
    """The command was given something it cannot use (exit code 2)."""

    exit_code = 2


class OutputError(SdgxlError):
    """An output could not be written (open in Excel, a read-only folder): exit code 73,
    "cannot create output" in BSD's sysexits. What was received is already in the ledger."""

    exit_code = 73


@dataclass(frozen=True)
class CatalogueProblem:
    """One problem in a catalogue file, with where it is (``"indicators › #12 (3.1a) ›
    unit_kind"``, ``"Chỉ tiêu!F14"``); the message is a key and parameters, like an error's."""

    location: str | dict[str, Any]  # a place, or words for one ({"t": "line_col", "line": 3, "col": 5})
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "warning": reported, the catalogue still passes (no English title)

    def text(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.params)

    def place(self, lang: str = "vi") -> str:
        return show(self.location, lang)

    @property
    def message(self) -> str:
        return self.text("vi")

    @classmethod
    def from_pydantic(cls, where: str, err: Any) -> CatalogueProblem:
        """One pydantic error: its type in Vietnamese, pydantic's own words in English."""
        if str(err["type"]).startswith("crosswalk_"):  # the crosswalk's own reasons (sdgxl.catalogue.models)
            ctx = dict(err.get("ctx", {}))
            return cls(where, str(ctx.pop("xw_key")), ctx)
        kind = f"pyd_{err['type']}"
        detail = err["msg"].removeprefix("Value error, ") if err["type"] == "value_error" else ""
        expected = err.get("ctx", {}).get("expected") if err["type"] in ("enum", "literal_error") else None
        return cls(where, "cat_invalid", {
            "what": {"t": kind if kind in MESSAGES else "pyd_value_error"},
            "detail": f": {detail}" if detail else "",
            "accepted": {"t": "cat_accepted", "expected": str(expected)} if expected else None,
            "msg": err["msg"],
        })


class CatalogueError(SdgxlError):
    """A catalogue file that does not load; ``problems`` says every place that is wrong."""

    def __init__(self, path: str, problems: list[CatalogueProblem] | None = None) -> None:
        self.path = path
        self.problems = list(problems or [])
        super().__init__("catalogue_has_problems", path=path, n=len(self.problems))

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return "\n".join([self.text("en")] + [f"  {p.place('en')}: {p.text('en')}" for p in self.problems])
