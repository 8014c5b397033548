"""Returns that arrive by email: ``.eml`` (RFC 5322, what Thunderbird and webmail save) and
Outlook ``.msg`` ([MS-OXMSG]) files found in the inbox, read without trusting them.

A message gives its attachments (each then validated as a returned file), who sent it, its
subject and Message-ID (kept in the ledger as provenance) and when it arrived: the time the
DPI's mail server wrote in the topmost ``Received`` header, else the sender's ``Date``.

Email is hostile input too: the message's size, the number of attachments and each
attachment's size are bounded before anything is decoded; attachment names (RFC 2231
parameters and RFC 2047 encoded words, often Vietnamese) are data, reduced to a safe ASCII
file name before anything is written. ``.eml`` is read by the standard library's ``email``
package (``policy.default``); ``.msg`` by ``olefile`` (BSD licence, the OLE reader of
oletools) and the few [MS-OXMSG] properties needed.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
import struct
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sdgxl.text import slug

__all__ = ["MAIL_LIMITS", "MAIL_SUFFIXES", "SPREADSHEET_SUFFIXES", "Attachment", "MailMessage", "read_message",
           "safe_name"]

MAIL_SUFFIXES = (".eml", ".msg")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
MAIL_LIMITS = {
    "message_bytes": 80 * 1024 * 1024,  # the saved message (attachments are base64: 4/3 of their size)
    "attachments": 20,  # spreadsheets taken from one message
    "attachment_bytes": 50 * 1024 * 1024,  # as the returned-file limit
    "parts": 200,  # MIME parts walked
}


@dataclass
class Attachment:
    name: str  # as the sender named it (data, never a path)
    data: bytes


@dataclass
class MailMessage:
    path: Path
    sender: str | None = None  # the address, lower-case
    sender_name: str | None = None
    subject: str | None = None
    message_id: str | None = None
    date: str | None = None  # the sender's Date (UTC ISO 8601)
    received: str | None = None  # the DPI server's Received time (UTC ISO 8601)
    attachments: list[Attachment] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # attachments not taken (not spreadsheets, over limits)
    problem: str | None = None  # why the message could not be read (None: read)

    @property
    def arrival(self) -> tuple[str | None, str]:
        """(time, source) of its arrival: the server's Received, else the Date."""
        if self.received:
            return self.received, "email-received"
        if self.date:
            return self.date, "email-date"
        return None, "first-seen"


def _utc(when: dt.datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def _parse_date(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return _utc(email.utils.parsedate_to_datetime(str(text).strip()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def received_time(headers: list[str]) -> str | None:
    """The time in the topmost ``Received`` header (the last hop: the DPI's own server):
    the date after its last ``;`` (RFC 5321 §4.4)."""
    for header in headers[:1]:
        if ";" in header:
            return _parse_date(header.rsplit(";", 1)[1])
    return None


def safe_name(name: str, n: int) -> str:
    """An attachment's name as a safe ASCII file name (``Báo cáo SYT.xlsx`` → ``bao-cao-syt.xlsx``),
    numbered when empty; the suffix kept only when it is a spreadsheet's."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if "." + suffix.lower() in SPREADSHEET_SUFFIXES else ".bin"
    return f"{(slug(stem) or f'dinh-kem-{n}')[:80]}{suffix}"


def _address(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    name, addr = email.utils.parseaddr(str(value))
    return (addr.strip().lower() or None), (name.strip() or None)


def _take(msg: MailMessage, name: str, size: int) -> bool:
    """Whether an attachment is taken: a spreadsheet by its name, within the limits."""
    if not name.lower().endswith(SPREADSHEET_SUFFIXES):
        msg.skipped.append(name or "?")
        return False
    if len(msg.attachments) >= MAIL_LIMITS["attachments"] or size > MAIL_LIMITS["attachment_bytes"]:
        msg.skipped.append(name)
        return False
    return True


def read_eml(path: Path, data: bytes) -> MailMessage:
    msg = MailMessage(path)
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    msg.sender, msg.sender_name = _address(str(parsed.get("From", "") or ""))
    msg.subject = str(parsed.get("Subject", "") or "").strip() or None
    msg.message_id = str(parsed.get("Message-ID", "") or "").strip() or None
    msg.date = _parse_date(parsed.get("Date"))
    msg.received = received_time([str(h) for h in parsed.get_all("Received", [])])
    for n, part in enumerate(parsed.walk()):
        if n >= MAIL_LIMITS["parts"]:
            msg.skipped.append("…")
            break
        if part.is_multipart() or part.get_content_disposition() not in ("attachment", "inline"):
            continue
        name = part.get_filename() or ""
        if part.get_content_disposition() == "inline" and not name:
            continue
        raw = part.get_payload()
        encoded = len(raw) if isinstance(raw, str) else 0
        if not _take(msg, name, encoded * 3 // 4):  # base64 decodes to 3/4: bounded before decoding
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and len(payload) <= MAIL_LIMITS["attachment_bytes"]:
            msg.attachments.append(Attachment(name, payload))
    return msg


# [MS-OXPROPS] property ids and [MS-OXCDATA] types used here
_PT_STRING8, _PT_UNICODE, _PT_BINARY, _PT_SYSTIME = 0x001E, 0x001F, 0x0102, 0x0040
_SUBJECT, _SENDER_NAME, _SENDER_EMAIL, _SENDER_SMTP = 0x0037, 0x0C1A, 0x0C1F, 0x5D01
_MESSAGE_ID, _HEADERS, _DELIVERY_TIME, _SUBMIT_TIME = 0x1035, 0x007D, 0x0E06, 0x0039
_ATTACH_DATA, _ATTACH_FILENAME, _ATTACH_LONG_FILENAME = 0x3701, 0x3704, 0x3707


def _filetime(value: int) -> str | None:
    if value <= 0:
        return None
    try:
        return _utc(dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=value // 10))
    except OverflowError:
        return None


def read_msg(path: Path, data: bytes) -> MailMessage:
    """An Outlook message: its properties in ``__substg1.0_IIIITTTT`` streams (variable
    length) and ``__properties_version1.0`` (fixed length: times), attachments in
    ``__attach_version1.0_#XXXXXXXX`` storages ([MS-OXMSG] 2.2)."""
    import olefile

    msg = MailMessage(path)
    with olefile.OleFileIO(data) as ole:
        def stream(storage: str, prop: int, kinds: tuple[int, ...], limit: int) -> bytes | None:
            for kind in kinds:
                name = f"{storage}__substg1.0_{prop:04X}{kind:04X}"
                if ole.exists(name):
                    if ole.get_size(name) > limit:
                        return None
                    raw: bytes = ole.openstream(name).read(limit)
                    return raw
            return None

        def text(storage: str, prop: int) -> str | None:
            raw = stream(storage, prop, (_PT_UNICODE,), 1 << 20)
            if raw is not None:
                return raw.decode("utf-16-le", "replace").rstrip("\x00").strip() or None
            raw = stream(storage, prop, (_PT_STRING8,), 1 << 20)
            return raw.decode("cp1252", "replace").rstrip("\x00").strip() or None if raw is not None else None

        def times(storage: str, header: int) -> dict[int, str | None]:
            name = f"{storage}__properties_version1.0"
            if not ole.exists(name) or ole.get_size(name) > 1 << 20:
                return {}
            raw = ole.openstream(name).read()
            out: dict[int, str | None] = {}
            for at in range(header, len(raw) - 15, 16):
                tag, _, value = struct.unpack_from("<IIQ", raw, at)
                if tag & 0xFFFF == _PT_SYSTIME:
                    out[tag >> 16] = _filetime(value)
            return out

        msg.subject = text("", _SUBJECT)
        msg.sender = (text("", _SENDER_SMTP) or text("", _SENDER_EMAIL) or "").lower() or None
        if msg.sender and "@" not in msg.sender:  # an Exchange (X.500) address: not an email address
            msg.sender = None
        msg.sender_name = text("", _SENDER_NAME)
        msg.message_id = text("", _MESSAGE_ID)
        headers = text("", _HEADERS)
        if headers:
            parsed = email.message_from_string(headers, policy=email.policy.default)
            msg.received = received_time([str(h) for h in parsed.get_all("Received", [])])
            msg.date = _parse_date(parsed.get("Date"))
            if msg.sender is None:
                msg.sender, _ = _address(str(parsed.get("From", "") or ""))
        fixed = times("", 32)
        msg.received = msg.received or fixed.get(_DELIVERY_TIME)
        msg.date = msg.date or fixed.get(_SUBMIT_TIME)
        storages = sorted({"/".join(e[:1]) for e in ole.listdir(streams=True, storages=True)
                           if e and e[0].startswith("__attach_version1.0_#")})
        for n, storage in enumerate(storages):
            if n >= MAIL_LIMITS["parts"]:
                break
            prefix = storage + "/"
            name = text(prefix, _ATTACH_LONG_FILENAME) or text(prefix, _ATTACH_FILENAME) or ""
            size_name = f"{prefix}__substg1.0_{_ATTACH_DATA:04X}{_PT_BINARY:04X}"
            size = ole.get_size(size_name) if ole.exists(size_name) else 0
            if not _take(msg, name, size):
                continue
            blob = stream(prefix, _ATTACH_DATA, (_PT_BINARY,), MAIL_LIMITS["attachment_bytes"])
            if blob is not None:
                msg.attachments.append(Attachment(name, blob))
    return msg


def read_message(path: Path | str) -> MailMessage:
    """A saved email (``.eml`` or Outlook ``.msg``, told apart by its bytes). A message that
    cannot be read says why in ``problem``; nothing is raised for bad input."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAIL_LIMITS["message_bytes"]:
            return MailMessage(path, problem=f"{size // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as exc:
        return MailMessage(path, problem=f"{type(exc).__name__}: {exc.strerror or exc}")
    try:
        if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return read_msg(path, data)
        return read_eml(path, data)
    except Exception as exc:  # a damaged message: reported, the others go on
        return MailMessage(path, problem=f"{type(exc).__name__}: {str(exc)[:200]}")
