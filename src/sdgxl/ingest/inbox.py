"""What an inbox holds, as ``sdgxl collect`` and ``sdgxl validate`` both read it: the files
under the paths given (hidden and lock files left out), the officer's ``received.csv``
files set apart, and each saved email (``.eml``/``.msg``) replaced by its spreadsheet
attachments, written under a folder given (names made safe by
:func:`sdgxl.ingest.mail.safe_name`). One function, so that both commands see the same
returns.

An email that cannot be read stays in the list (it is then reported as a file that is not a
form, with the reason); an email read but with no spreadsheet attached is set apart in
:attr:`Inbox.mails` with no files, for the caller to report as a file-level issue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sdgxl.ingest.mail import MAIL_SUFFIXES, MailMessage, read_message, safe_name

if TYPE_CHECKING:
    from sdgxl.catalogue.models import Catalogue
    from sdgxl.validate.engine import FileReport

__all__ = ["RECEIVED_CSV", "Inbox", "Mail", "no_form_report", "open_inbox", "sender_registry", "sender_warnings",
           "warn_senders"]

RECEIVED_CSV = "received.csv"  # file,received: the officer's record of when files arrived


@dataclass
class Mail:
    message: MailMessage
    files: list[Path]  # its spreadsheet attachments, as written (empty: no form attached)
    names: dict[str, str] = field(default_factory=dict)  # written path → the attachment's name as sent


@dataclass
class Inbox:
    files: list[Path]  # what to validate: spreadsheets and other files, emails' attachments in place of them
    mails: list[Mail]  # the emails read
    received_csvs: list[Path]  # the officer's received.csv files

    def mail_of(self) -> dict[str, Mail]:
        """Written attachment path → the email it came in."""
        return {str(f): m for m in self.mails for f in m.files}


def open_inbox(paths: list[Path], attachments: Path, *, keep: Callable[[Path], bool] | None = None) -> Inbox:
    """List ``paths`` (files, or folders walked recursively) and unpack their emails into
    ``attachments`` (``<attachments>/<message>/<name>``; a file already there with the same
    bytes is not rewritten). ``keep``: which listed files to keep (collect leaves out its own
    outputs and ledger)."""
    from sdgxl.fileio import atomic_write_bytes
    from sdgxl.text import slug
    from sdgxl.validate.engine import iter_input_files

    found = [p for p in iter_input_files(paths) if not p.name.startswith(".~lock.") and (keep is None or keep(p))]
    csvs = [p for p in found if p.name.lower() == RECEIVED_CSV]
    files = [p for p in found if p.name.lower() != RECEIVED_CSV]
    mails: list[Mail] = []
    for path in [p for p in files if p.suffix.lower() in MAIL_SUFFIXES]:
        msg = read_message(path)
        if msg.problem is not None:
            continue  # stays in files: reported as a file that is not a form, with the reason
        files.remove(path)
        where = attachments / (slug(path.stem) or "thu")
        used: set[str] = set()
        mail = Mail(msg, [])
        for n, att in enumerate(msg.attachments):
            name = safe_name(att.name, n)
            while name in used:
                name = f"{n}-{name}"
            used.add(name)
            target = where / name
            if not (target.exists() and target.read_bytes() == att.data):
                atomic_write_bytes(target, att.data)
            files.append(target)
            mail.files.append(target)
            mail.names[str(target)] = att.name
        mails.append(mail)
    return Inbox(files, mails, csvs)


def sender_registry(cat: Catalogue) -> dict[str, str]:
    """Email address (lower-case) → agency id: the catalogue's ``email``/``emails`` and the
    ``[agency_emails]`` table of ``province.toml``."""
    from sdgxl.resources import load_province

    out: dict[str, str] = {}
    for a in cat.agencies:
        for addr in [a.email or "", *(a.emails or [])]:
            if "@" in addr:
                out[addr.strip().lower()] = a.id
    table = load_province().get("agency_emails", {})
    if isinstance(table, dict):
        for agency, addrs in table.items():
            for addr in addrs if isinstance(addrs, list) else [addrs]:
                if isinstance(addr, str) and "@" in addr:
                    out.setdefault(addr.strip().lower(), str(agency).upper())
    return out


def no_form_report(mail: Mail, agency: str | None) -> FileReport:
    """The report of an email with no spreadsheet attached: a file-level error on the message."""
    from sdgxl.validate.checks import Issue
    from sdgxl.validate.engine import FileReport

    return FileReport(str(mail.message.path), agency=agency, readable=False,
                      issues=[Issue("mail-no-form", value=", ".join(mail.message.skipped[:10]))])


def sender_warnings(inbox: Inbox, registry: dict[str, str]) -> dict[str, str]:
    """File (an attachment, or a message with no form) → its email's sender address, for
    the emails sent from an address registered to no agency (none when no address is
    registered at all)."""
    if not registry:
        return {}
    out: dict[str, str] = {}
    for mail in inbox.mails:
        sender = mail.message.sender
        if sender and sender not in registry:
            for f in mail.files or [mail.message.path]:
                out[str(f)] = sender
    return out


def warn_senders(reports: list[FileReport], unregistered: dict[str, str]) -> None:
    """Add the ``sender-unregistered`` warning to the reports of files :func:`sender_warnings` named."""
    from sdgxl.validate.checks import Issue

    for r in reports:
        if r.path in unregistered:
            r.issues.append(Issue("sender-unregistered", value=unregistered[r.path]))
