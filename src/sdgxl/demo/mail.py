"""The demo's emails: a returned form saved as an ``.eml``, as a mail client saves what
arrives (the DPI server's ``Received`` header, the sender's ``Date``, the form attached
under a Vietnamese name). Deterministic: same inputs, same bytes."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
from email.message import EmailMessage
from pathlib import Path

from sdgxl.fileio import atomic_write_bytes

__all__ = ["write_eml"]

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def write_eml(target: Path, *, sender: str, sender_name: str, to: str, subject: str, attachment: Path,
              attachment_name: str, sent: dt.datetime, received: dt.datetime, message_id: str,
              receiver: str = "") -> Path:
    msg = EmailMessage(policy=email.policy.default)
    msg["Received"] = (f"from mail.kiengiang.example (mail.kiengiang.example [192.0.2.25]) by mx.skhdt.example "
                       f"with ESMTPS; {email.utils.format_datetime(received)}")
    msg["From"] = email.utils.formataddr((sender_name, sender))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(sent)
    msg["Message-ID"] = message_id
    msg.set_content(f"Kính gửi {receiver or 'Sở'},\n\n{sender_name} gửi báo cáo chỉ tiêu SDG (tệp đính kèm).\n\n"
                    "Trân trọng.\n")
    msg.add_attachment(attachment.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=attachment_name)
    msg.set_boundary("=_demo_" + hashlib.sha256(msg.as_bytes()).hexdigest()[:24])
    atomic_write_bytes(target, msg.as_bytes())
    return target
