"""Saved emails for the tests: ``.eml`` built with the standard library, Outlook ``.msg``
written as a Compound File ([MS-CFB]) following [MS-OXMSG] with sdgxl's own CFB writer."""

from __future__ import annotations

import base64
import datetime as dt
import email.policy
import email.utils
import struct
from email.message import EmailMessage

from sdgxl.console.vba.cfb import Storage, write_cfb

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
VN = dt.timezone(dt.timedelta(hours=7))


def eml(*, sender: str, subject: str, attachments: list[tuple[str, bytes]], sent: dt.datetime,
        received: dt.datetime | None = None, message_id: str = "<a1@kiengiang.example>",
        encoded_word_names: bool = False) -> bytes:
    """An email as a mail client saves it. Attachment names go as RFC 2231 parameters (what
    ``email`` writes for non-ASCII names), or as RFC 2047 encoded words in quotes (what
    Outlook and Gmail often write) when ``encoded_word_names``."""
    msg = EmailMessage(policy=email.policy.default)
    if received is not None:
        msg["Received"] = (f"from mail.kiengiang.example (mail.kiengiang.example [192.0.2.7]) by mx.skhdt.example "
                           f"with ESMTPS id 4F2; {email.utils.format_datetime(received)}")
    msg["From"] = sender
    msg["To"] = "tonghop@skhdt.example"
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(sent)
    msg["Message-ID"] = message_id
    msg.set_content("Kính gửi Sở, đơn vị gửi báo cáo SDG.\n")
    words = {}
    for n, (name, data) in enumerate(attachments):
        if encoded_word_names:  # written by hand: the email package would refold it as RFC 2231
            words[f"placeholder{n}.xlsx"] = "=?UTF-8?B?" + base64.b64encode(name.encode("utf-8")).decode("ascii") + "?="
            name = f"placeholder{n}.xlsx"
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    raw = msg.as_bytes()
    for placeholder, word in words.items():
        raw = raw.replace(f'filename="{placeholder}"'.encode(), f'filename="{word}"'.encode())
    return raw


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")  # no terminator in the stream; the fixed entry counts it


def _filetime(when: dt.datetime) -> int:
    return int((when - dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)).total_seconds() * 10_000_000)


def msg(*, sender: str, subject: str, attachments: list[tuple[str, bytes]], sent: dt.datetime,
        delivered: dt.datetime, message_id: str = "<m1@kiengiang.example>") -> bytes:
    """An Outlook message file: string properties in ``__substg1.0_IIII001F`` streams
    (UTF-16LE), times in the ``__properties_version1.0`` stream (32-byte header at the top,
    8 bytes in an attachment), one ``__attach_version1.0_#NNNNNNNN`` storage per attachment
    with its long file name, data and method (1: by value), a ``__nameid_version1.0``
    storage ([MS-OXMSG] 2.2)."""
    root = Storage("Root Entry")

    def props(entries: list[tuple[int, int, int]], header: bytes) -> bytes:
        out = bytearray(header)
        for prop, kind, value in entries:
            out += struct.pack("<IIQ", (prop << 16) | kind, 0x6, value)
        return bytes(out)

    strings = {0x0037: subject, 0x0C1F: sender, 0x5D01: sender, 0x0C1A: "Sở Y tế", 0x1035: message_id,
               0x0E1D: subject, 0x001A: "IPM.Note"}
    for prop, text in strings.items():
        root.streams[f"__substg1.0_{prop:04X}001F"] = _unicode(text)
    top = [(0x0039, 0x0040, _filetime(sent)), (0x0E06, 0x0040, _filetime(delivered)), (0x0E07, 0x0003, 1)]
    # for a string property, the fixed entry holds its size (bytes, with the terminator)
    top += [(prop, 0x001F, len(_unicode(text)) + 2) for prop, text in strings.items()]
    header = struct.pack("<8xIIII8x", 0, len(attachments), 0, len(attachments))
    root.streams["__properties_version1.0"] = props(top, header)
    nameid = root.storage("__nameid_version1.0")
    nameid.streams.update({"__substg1.0_00020102": b"", "__substg1.0_00030102": b"", "__substg1.0_00040102": b""})
    for n, (name, data) in enumerate(attachments):
        att = root.storage(f"__attach_version1.0_#{n:08X}")
        att.streams["__substg1.0_3707001F"] = _unicode(name)
        att.streams["__substg1.0_3704001F"] = _unicode(name[:8])
        att.streams["__substg1.0_37010102"] = data
        att.streams["__substg1.0_370E001F"] = _unicode("/".join(XLSX))
        entries = [(0x3705, 0x0003, 1), (0x0E20, 0x0003, len(data)), (0x3701, 0x0102, len(data)),
                   (0x3707, 0x001F, len(_unicode(name)) + 2), (0x370B, 0x0003, 0xFFFFFFFF)]
        att.streams["__properties_version1.0"] = props(entries, b"\x00" * 8)
    return write_cfb(root)
