"""Reply drafts: for each email whose attachments have issues, an ``.eml`` the officer opens
in the mail client, checks and sends (To: the sender, ``Re:`` the subject, threaded by
``In-Reply-To``/``References``, a short summary in the body, the feedback copies attached).

Drafts carry ``X-Unsent: 1`` (Outlook opens such a file as a message to send) and no
``Date`` or ``Message-ID``: the mail client sets them when it is sent, and the same
collect writes the same bytes. Everything taken from the message (subject, names) is data:
header values are single-line and folded by the ``email`` package.
"""

from __future__ import annotations

import email.policy
import hashlib
from dataclasses import dataclass, field
from email.header import Header
from email.message import EmailMessage
from pathlib import Path

from sdgxl.fileio import atomic_write_bytes
from sdgxl.i18n import t
from sdgxl.text import slug

__all__ = ["ReplyFile", "reply_filename", "write_reply"]

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass
class ReplyFile:
    """What one returned file in the message gave."""

    name: str  # the attachment's name as sent
    errors: int
    warnings: int
    feedback: Path | None = None
    notes: list[str] = field(default_factory=list)  # the first errors, then the first warnings, one line each
    fresh: Path | None = None  # a fresh form of the right year (for last year's form), to attach
    other_agency: str | None = None  # the agency whose form it is, when not the sender address's agency
    more_errors: int = 0  # errors not among the notes (the feedback copy has them all)
    more_warnings: int = 0


def reply_filename(message: Path) -> str:
    return f"{slug(message.stem) or 'thu'}_tra-loi.eml"


def _one_line(text: str | None, limit: int = 200) -> str:
    return " ".join((text or "").split())[:limit]


def _subject(text: str) -> str:
    """The Subject header's value, encoded here: the ``email`` package's folder drops the
    space between two RFC 2047 encoded words (``2026 – Sở`` came back as ``2026 –Sở``);
    ``email.header.Header`` splits inside the words and keeps every space."""
    if text.isascii():
        return text
    return Header(text, "utf-8", header_name="Subject").encode(linesep="\r\n")


def write_reply(out_dir: Path, message: Path, *, to: str, subject: str | None, message_id: str | None,
                sender: str | None, agency_name: str | None, files: list[ReplyFile],
                skipped: list[str], lang: str = "vi") -> Path:
    """Write the draft for ``message`` into ``out_dir``; returns its path."""
    vi = lang != "en"
    draft = EmailMessage(policy=email.policy.default)
    if sender:
        draft["From"] = sender
    draft["To"] = to
    subj = _one_line(subject) or t("reply_subject", lang)
    subj = subj if subj.lower().startswith(("re:", "tl:", "trả lời:")) else f"Re: {subj}"
    draft.set_raw("Subject", _subject(subj))  # stored as encoded (lines of 76 at most: not refolded)
    if message_id and "\n" not in message_id and "\r" not in message_id:
        draft["In-Reply-To"] = message_id
        draft["References"] = message_id
    draft["X-Unsent"] = "1"
    who = _one_line(agency_name) or t("reply_nobody", lang)
    lines = [t("reply_dear", lang, who=who), "", t("reply_received", lang)]
    for f in files:
        counts = t("n_errors_warnings", lang, errors=f.errors, warnings=f.warnings)
        lines.append(f"- {_one_line(f.name, 120)}: {counts}.")
        lines += [f"    {_one_line(n, 300)}" for n in f.notes]
        more = [t(key, lang, n=n) for key, n in (("n_more_errors", f.more_errors), ("n_more_warnings", f.more_warnings))
                if n > 0]
        if more:
            lines.append("    " + t("reply_more", lang, what=(", " if vi else " and ").join(more)))
        if f.other_agency:
            lines.append("    " + t("reply_other_agency", lang, other=_one_line(f.other_agency, 120), to=to))
    if skipped:
        lines.append(t("reply_skipped", lang, names=", ".join(_one_line(s, 80) for s in skipped[:10])))
    if not files:
        lines.append(t("reply_no_form", lang))
    lines.append("")
    if any(f.fresh for f in files):
        lines.append(t("reply_other_year", lang))
    errors = sum(f.errors for f in files)
    if files and not errors:
        lines.append(t("reply_warnings_only", lang))
    elif any(f.feedback for f in files):
        lines.append(t("reply_correct", lang))
    lines += ["", t("reply_regards", lang)]
    draft.set_content("\n".join(lines) + "\n", charset="utf-8")
    for f in files:
        for path in (f.feedback, f.fresh):
            if path is not None and path.exists():
                draft.add_attachment(path.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=path.name)
    if draft.is_multipart():  # a boundary from the content, not a random one: same inputs, same bytes
        draft.set_boundary("=_sdgxl_" + hashlib.sha256(draft.as_bytes()).hexdigest()[:32])
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / reply_filename(message)
    atomic_write_bytes(target, draft.as_bytes(policy=email.policy.SMTP))
    return target
