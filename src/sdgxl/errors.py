"""sdgxl's own exceptions.

The library raises these where work cannot go on (a catalogue that does not load, an
output folder that cannot be written). Problems found *in data* are not exceptions:
they are :class:`sdgxl.issues.Issue` objects collected into reports. The CLI turns
each exception into a one-line message in the user's language and an exit code; no
user ever sees a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CatalogueError", "CatalogueProblem", "OutputError", "SdgxlError", "UsageError"]


class SdgxlError(Exception):
    """Base class; ``exit_code`` is what the CLI returns for it."""

    exit_code = 1

    def __init__(self, message: str, *, message_en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message

    def text(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message


class UsageError(SdgxlError):
    """The command was given something it cannot use (exit code 2)."""

    exit_code = 2


class OutputError(SdgxlError):
    """An output could not be written (open in Excel, a read-only folder): exit code 73,
    "cannot create output" in BSD's sysexits. What was received is already in the ledger."""

    exit_code = 73


@dataclass(frozen=True)
class CatalogueProblem:
    """One problem in a catalogue file, with where it is."""

    location: str  # "indicators[12] (3.1a) › unit_kind" or "Chỉ tiêu!F14" or "line 3, column 5"
    message: str
    message_en: str = ""

    def text(self, lang: str = "vi") -> str:
        return self.message_en or self.message if lang == "en" else self.message


@dataclass
class CatalogueError(SdgxlError):
    """A catalogue file that does not load; ``problems`` says every place that is wrong."""

    path: str
    problems: list[CatalogueProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = len(self.problems)
        super().__init__(
            f"Danh mục {self.path} có {n} lỗi",
            message_en=f"Catalogue {self.path} has {n} problem{'s' if n != 1 else ''}",
        )

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        lines = [self.message] + [f"  {p.location}: {p.message}" for p in self.problems]
        return "\n".join(lines)
