"""Who sent a file, from evidence outside it, checked against what the form says.

A returned form names its agency in its hidden sheet, but anyone can send any agency's
form. What the route says about the sender is evidence: the inbox sub-folder the officer
filed it under, the file's name naming an agency in a flat inbox, and (from the arrivals
stage) the email address it came from. :func:`check_sender` makes a file whose evidence
names another agency than its form an error naming both, so nothing of it is merged.

Each piece of evidence is a :class:`SenderEvidence`; any stage may add its own (e.g.
``SenderEvidence("email", "SYT", "syt@kiengiang.gov.vn")``) and pass the list to
:func:`check_sender`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sdgxl.text import ascii_fold

__all__ = ["SenderEvidence", "check_sender", "path_evidence"]

Source = Literal["folder", "file-name", "email"]


@dataclass(frozen=True)
class SenderEvidence:
    """One piece of evidence of the sender: where it comes from, the agency it points to
    and what showed it (the folder, the file name, the address)."""

    source: Source
    agency: str
    shown_by: str


def path_evidence(path: Path, inbox: Path, ids: Iterable[str]) -> list[SenderEvidence]:
    """The evidence of a file's place in the inbox: the nearest folder named after an agency
    (``SYT/2026_….xlsx``); without one (a flat inbox), the one agency id its name holds as a
    word (``2026_SYT_bao-cao-sdg.xlsx``). The collect stage adds the email's sender
    (``SenderEvidence("email", agency, address)``) when the file came from a saved email."""
    known = set(ids)
    try:
        folders = path.relative_to(inbox).parts[:-1]
    except ValueError:
        folders = ()
    for part in reversed(folders):
        if part.upper() in known:
            return [SenderEvidence("folder", part.upper(), part)]
    words = set(ascii_fold(Path(path.name).stem).upper().replace("-", " ").replace("_", " ")
                .replace(".", " ").split())
    named = sorted(words & known)
    if len(named) == 1:
        return [SenderEvidence("file-name", named[0], path.name)]
    return []


EXPECTED = ("email", "folder")  # evidence a file is validated as (wrong-agency when the form disagrees)


def expected_agency(evidence: Sequence[SenderEvidence]) -> str | None:
    """The agency a file is validated as: the one its email's registered sender is, else the
    one its folder names (the officer filed it there)."""
    for source in EXPECTED:
        found = next((e.agency for e in evidence if e.source == source), None)
        if found:
            return found
    return None


def check_sender(report: object, evidence: Sequence[SenderEvidence]) -> None:
    """Add ``sender-mismatch`` to a readable report whose form names another agency than any
    piece of evidence (what the file was validated as, the email's sender or its folder, is
    already ``wrong-agency``); its values are then not merged. ``report`` is a
    :class:`sdgxl.validate.FileReport`."""
    from sdgxl.validate.checks import Issue
    from sdgxl.validate.engine import FileReport

    assert isinstance(report, FileReport)
    if not report.readable or not report.agency:
        return
    for e in evidence:
        if e.source not in EXPECTED and e.agency != report.agency:
            report.issues.append(Issue("sender-mismatch", value=report.agency,
                                       params={"sender": f"{e.agency} ({e.shown_by})"}))
            for o in report.observations:
                o.ok = False
            return
