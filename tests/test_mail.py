"""Returns by email: .eml and Outlook .msg read (Vietnamese attachment names in RFC 2231 and
RFC 2047 encoded words), the arrival from the DPI server's Received header, the sender
matched against the agency registry, provenance in the ledger, reply drafts; hostile
messages bounded and never fatal."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import shutil

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdgxl.catalogue import bundled
from sdgxl.collect import collect, sender_registry
from sdgxl.ingest import mail
from sdgxl.ingest.mail import read_message, safe_name
from sdgxl.ledger import Ledger
from tests.mailfixtures import VN, eml, msg
from tests.test_collect import YEAR, put

NAME = "Báo cáo Sở Y tế năm 2026.xlsx"
SENT = dt.datetime(YEAR, 11, 14, 8, 0, tzinfo=VN)


@pytest.mark.parametrize("encoded_words", [False, True])
def test_eml_attachments_with_vietnamese_names(tmp_path, encoded_words):
    data = eml(sender="Sở Y tế <SYT.baocao@kiengiang.example>", subject="Báo cáo SDG năm 2026",
               attachments=[(NAME, b"PK\x03\x04x"), ("chu-ky.png", b"\x89PNG")], sent=SENT,
               received=dt.datetime(YEAR, 11, 16, 9, 30, tzinfo=VN), encoded_word_names=encoded_words)
    raw = data.decode("utf-8")
    assert ("=?UTF-8?B?" in raw) == encoded_words and ("utf-8''B%C3%A1o" in raw) != encoded_words
    (tmp_path / "thu.eml").write_bytes(data)
    m = read_message(tmp_path / "thu.eml")
    assert m.problem is None and [a.name for a in m.attachments] == [NAME]
    assert m.attachments[0].data == b"PK\x03\x04x" and m.skipped == ["chu-ky.png"]
    assert (m.sender, m.subject, m.message_id) == ("syt.baocao@kiengiang.example", "Báo cáo SDG năm 2026",
                                                    "<a1@kiengiang.example>")
    assert m.arrival == (f"{YEAR}-11-16T02:30:00+00:00", "email-received")
    assert m.date == f"{YEAR}-11-14T01:00:00+00:00"
    assert safe_name(NAME, 0) == "bao-cao-so-y-te-nam-2026.xlsx"
    assert safe_name("../../etc/passwd", 3) == "passwd.bin" and safe_name("", 2) == "dinh-kem-2.bin"


def test_without_a_received_header_the_date_is_used(tmp_path):
    (tmp_path / "thu.eml").write_bytes(eml(sender="a@b.example", subject="x", attachments=[], sent=SENT))
    assert read_message(tmp_path / "thu.eml").arrival == (f"{YEAR}-11-14T01:00:00+00:00", "email-date")


def test_outlook_msg_fixture_reads_here_and_in_extract_msg(tmp_path):
    path = tmp_path / "thu.msg"
    path.write_bytes(msg(sender="syt.baocao@kiengiang.example", subject="Báo cáo SDG năm 2026",
                         attachments=[(NAME, b"PK\x03\x04data"), ("scan.pdf", b"%PDF")], sent=SENT,
                         delivered=dt.datetime(YEAR, 11, 14, 8, 5, tzinfo=VN)))
    m = read_message(path)
    assert m.problem is None and [(a.name, a.data) for a in m.attachments] == [(NAME, b"PK\x03\x04data")]
    assert m.skipped == ["scan.pdf"] and m.sender == "syt.baocao@kiengiang.example"
    assert m.subject == "Báo cáo SDG năm 2026" and m.message_id == "<m1@kiengiang.example>"
    assert m.arrival == (f"{YEAR}-11-14T01:05:00+00:00", "email-received")  # PidTagMessageDeliveryTime
    # an independent reader of [MS-OXMSG] sees the same message
    extract_msg = pytest.importorskip("extract_msg")
    other = extract_msg.openMsg(str(path))
    try:
        assert other.subject == "Báo cáo SDG năm 2026" and other.messageId == "<m1@kiengiang.example>"
        assert (other.attachments[0].longFilename, other.attachments[0].data) == (NAME, b"PK\x03\x04data")
    finally:
        other.close()


def test_hostile_messages_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setitem(mail.MAIL_LIMITS, "attachments", 2)
    monkeypatch.setitem(mail.MAIL_LIMITS, "attachment_bytes", 1000)
    data = eml(sender="a@b.example", subject="x", sent=SENT,
               attachments=[(f"f{n}.xlsx", b"PK" + bytes(10)) for n in range(4)] + [("big.xlsx", bytes(5000))])
    (tmp_path / "many.eml").write_bytes(data)
    m = read_message(tmp_path / "many.eml")
    assert len(m.attachments) == 2 and m.skipped == ["f2.xlsx", "f3.xlsx", "big.xlsx"]
    monkeypatch.setitem(mail.MAIL_LIMITS, "message_bytes", 100)
    assert "MiB" in (read_message(tmp_path / "many.eml").problem or "") or \
        read_message(tmp_path / "many.eml").problem is not None
    (tmp_path / "broken.msg").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert read_message(tmp_path / "broken.msg").problem is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000) | st.text(max_size=2000).map(lambda t: ("From: x\nSubject: " + t).encode()))
def test_any_bytes_give_a_message_or_a_problem(tmp_path, data):
    path = tmp_path / "x.eml"
    path.write_bytes(data)
    m = read_message(path)
    assert m.problem is not None or isinstance(m.attachments, list)


def test_example_addresses_are_examples():
    registry = sender_registry(bundled())
    assert registry["syt.baocao@kiengiang.example"] == "SYT"
    assert all(addr.endswith(".example") for addr in registry)  # none presented as a real address


def _mail(inbox, name, form_path, *, sender, received, subject="Báo cáo SDG năm 2026", mid="<1@k.example>",
          attach_name=NAME):
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / name).write_bytes(eml(sender=sender, subject=subject, attachments=[(attach_name, form_path.read_bytes())],
                                   sent=received - dt.timedelta(minutes=5), received=received, message_id=mid))


def test_collect_reads_emails_and_drafts_replies(tmp_path, forms, ledger_db):
    """A late email (by the server's Received header), the same email saved twice, an
    agency's form sent from another agency's address, and a bare file beside them."""
    filled = tmp_path / "filled"
    syt = put(filled, forms["SYT"], "SYT", day=2, changes=[{"key": "3.3", "what": "value", "value": 239}])
    sct = put(filled, forms["SCT"], "SCT", day=2)
    mttq = put(filled, forms["MTTQ"], "MTTQ", day=2)
    inbox = tmp_path / "inbox"
    _mail(inbox, "syt.eml", syt, sender="Sở Y tế <syt.baocao@kiengiang.example>",
          received=dt.datetime(YEAR, 11, 10, 9, 0, tzinfo=VN), mid="<syt@k.example>")
    shutil.copyfile(inbox / "syt.eml", inbox / "syt (1).eml")  # saved twice
    _mail(inbox, "mttq.eml", mttq, sender="mttq.baocao@kiengiang.example",
          received=dt.datetime(YEAR, 11, 19, 16, 0, tzinfo=VN), mid="<mttq@k.example>",
          attach_name="MTTQ.xlsx")  # after the deadline by the server's clock, though saved on the 2nd
    _mail(inbox, "sct-tu-syt.eml", sct, sender="syt.baocao@kiengiang.example",
          received=dt.datetime(YEAR, 11, 11, 9, 0, tzinfo=VN), mid="<x@k.example>", attach_name="SCT.xlsx")
    put(inbox, forms["SNV"], "SNV", day=5)  # a bare file
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    by = {(o.message.name if o.message else o.path.name): o for o in res.files}
    assert sorted([by["syt.eml"].status, by["syt (1).eml"].status]) == ["new", "skipped"]  # the same file
    first = by["syt.eml"] if by["syt.eml"].status == "new" else by["syt (1).eml"]
    assert first.received_source == "email-received" and first.sender == "syt.baocao@kiengiang.example"
    late = {s.agency: (s.late, s.received_source) for s in res.consolidation.agencies}
    assert late["MTTQ"] == (True, "email-received") and late["SYT"] == (False, "email-received")
    assert late["SNV"] == (False, "saved")
    # SCT's form from SYT's address: an error naming both, nothing merged
    sct_out = by["sct-tu-syt.eml"]
    assert not sct_out.valid
    ledger = Ledger(ledger_db)
    issues = [i for i in ledger.issues(YEAR) if i["code"] == "wrong-agency"]
    subs = {s.file_name: s for s in ledger.submissions(YEAR)}
    ledger.close()
    assert len(issues) == 1 and issues[0]["value"] == "SCT" and "SYT" in (issues[0]["params"] or "")
    wrong = email.message_from_bytes((tmp_path / "out" / "thu-tra-loi" / "sct-tu-syt_tra-loi.eml").read_bytes(),
                                     policy=email.policy.default).get_body(preferencelist=("plain",)).get_content()
    assert "syt.baocao@kiengiang.example" in wrong and "Sở Công Thương" in wrong
    assert not any(st.agency == "SCT" and st.valid_rows for st in res.consolidation.agencies)
    prov = subs["bao-cao-so-y-te-nam-2026.xlsx"]
    assert (prov.sender, prov.subject, prov.message_id, prov.received_source) == (
        "syt.baocao@kiengiang.example", "Báo cáo SDG năm 2026", "<syt@k.example>", "email-received")
    # reply drafts: SYT (an error) and the wrong-agency message; none for MTTQ (clean) or a duplicate
    names = sorted(p.name for p in res.replies)
    syt_reply = f"{first.message.stem.replace(' (1)', '-1')}_tra-loi.eml"
    assert names == sorted(["sct-tu-syt_tra-loi.eml", syt_reply])
    draft = email.message_from_bytes((tmp_path / "out" / "thu-tra-loi" / syt_reply).read_bytes(),
                                     policy=email.policy.default)
    assert draft["To"] == "syt.baocao@kiengiang.example"
    # from the receiver of the year collected (the Department of Finance since 2025), not [dpi]
    from sdgxl.areas import receiver

    assert draft["From"] == receiver(YEAR)["email"] == "tonghop.stc@angiang.example"
    assert draft["Subject"] == "Re: Báo cáo SDG năm 2026" and draft["In-Reply-To"] == "<syt@k.example>"
    assert draft["X-Unsent"] == "1"
    body = draft.get_body(preferencelist=("plain",)).get_content()
    assert "Kính gửi Sở Y tế" in body and "1 lỗi" in body and "ngoài giới hạn" in body
    assert "– Ngoài giới hạn (value-out-of-range): " in body  # the check's title beside its code
    (att,) = list(draft.iter_attachments())
    assert att.get_filename() == "bao-cao-so-y-te-nam-2026_phan-hoi.xlsx"
    fb = openpyxl.load_workbook(__import__("io").BytesIO(att.get_content()))
    assert fb.sheetnames[0] == "Phản hồi"
    # collecting the same inbox again changes nothing and writes the same drafts
    before = (tmp_path / "out" / "thu-tra-loi" / syt_reply).read_bytes()
    again = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    assert all(o.status == "skipped" for o in again.files) and not again.replies
    assert (tmp_path / "out" / "thu-tra-loi" / syt_reply).read_bytes() == before


def test_reply_subject_keeps_every_space_and_warnings_only_need_no_resend(tmp_path):
    from sdgxl.outputs.reply import ReplyFile, write_reply

    subject = "Báo cáo chỉ tiêu SDG năm 2026 – Sở Y tế tỉnh Kiên Giang – lần gửi thứ hai, có đính kèm biểu mẫu"
    path = write_reply(tmp_path, tmp_path / "syt.eml", to="syt.baocao@kiengiang.example", subject=subject,
                       message_id="<a@k.example>", sender="tonghop.stc@angiang.example", agency_name="Sở Y tế",
                       files=[ReplyFile("SYT.xlsx", 0, 2, None, ["C12: tăng gấp đôi so với năm trước"])], skipped=[])
    draft = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert draft["Subject"] == f"Re: {subject}"
    assert all(len(line) <= 78 for line in path.read_bytes().split(b"\r\n"))
    body = draft.get_body(preferencelist=("plain",)).get_content()
    assert "C12: tăng gấp đôi" in body and "không cần gửi lại" in body and "sửa các lỗi" not in body


def test_reply_names_the_sender_address_of_another_agencys_form(tmp_path):
    from sdgxl.outputs.reply import ReplyFile, write_reply

    path = write_reply(tmp_path, tmp_path / "x.eml", to="syt.baocao@kiengiang.example", subject="SDG",
                       message_id=None, sender=None, agency_name="Sở Y tế",
                       files=[ReplyFile("SCT.xlsx", 1, 0, None, ["Biểu mẫu của SCT"], other_agency="Sở Công Thương")],
                       skipped=[])
    body = email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_body(
        preferencelist=("plain",)).get_content()
    assert "Sở Công Thương" in body and "syt.baocao@kiengiang.example" in body


def test_validate_opens_emails_as_collect_does(tmp_path, forms):
    """`sdgxl validate inbox/` reads an email's attachment (not "not a spreadsheet"), leaves
    the officer's received.csv out, reports an email with no form and an unregistered sender."""
    import json

    from typer.testing import CliRunner

    from sdgxl.cli import app

    syt = put(tmp_path / "filled", forms["SYT"], "SYT", day=2)
    inbox = tmp_path / "inbox"
    when = dt.datetime(YEAR, 11, 10, 9, 0, tzinfo=VN)
    _mail(inbox, "syt.eml", syt, sender="Sở Y tế <syt.baocao@kiengiang.example>", received=when)
    (inbox / "received.csv").write_text("file,received\nsyt.eml,10/11/2026\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(inbox), "--year", str(YEAR), "--format", "json"])
    files = json.loads(res.stdout)["files"]
    assert [f["path"] for f in files] == [f"{inbox / 'syt.eml'} › {NAME}"]
    assert files[0]["agency"] == "SYT" and res.exit_code in (0, 1)
    assert not any(i["code"] == "file-not-spreadsheet" for i in files[0]["issues"])
    _mail(inbox, "la.eml", syt, sender="unknown@gmail.com", received=when, attach_name="SYT.xlsx")
    (inbox / "trong.eml").write_bytes(eml(sender="syt.baocao@kiengiang.example", subject="SDG",
                                          attachments=[], sent=SENT))
    res = CliRunner().invoke(app, ["validate", str(inbox), "--year", str(YEAR), "--format", "json"])
    codes = {f["path"].split(" › ")[0].rsplit("/", 1)[-1]: [i["code"] for i in f["issues"]]
             for f in json.loads(res.stdout)["files"]}
    assert codes["trong.eml"] == ["mail-no-form"] and res.exit_code == 1
    assert "sender-unregistered" in codes["la.eml"] and "sender-unregistered" not in codes["syt.eml"]


def test_an_email_with_no_form_is_recorded_and_an_unknown_sender_warned(tmp_path, forms, ledger_db):
    syt = put(tmp_path / "filled", forms["SYT"], "SYT", day=2)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "trong.eml").write_bytes(eml(sender="syt.baocao@kiengiang.example", subject="Báo cáo SDG",
                                          attachments=[], sent=SENT, received=SENT))
    _mail(inbox, "la.eml", syt, sender="unknown@gmail.com", received=SENT, attach_name="SYT.xlsx")
    res = collect(inbox, bundled(), year=YEAR, out_dir=tmp_path / "out", db=ledger_db)
    by = {o.path.name: o for o in res.files}
    bare = by["trong.eml"]
    assert bare.status == "new" and bare.errors == 1 and bare.agency == "SYT" and bare.submission_id
    assert by["syt.xlsx"].warnings >= 1 and by["syt.xlsx"].sender == "unknown@gmail.com"
    ledger = Ledger(ledger_db)
    issues = {(i.get("file_name", ""), i["code"], i["value"]) for i in ledger.issues(YEAR)}
    ledger.close()
    assert any(code == "mail-no-form" for _, code, _ in issues)
    assert any(code == "sender-unregistered" and value == "unknown@gmail.com" for _, code, value in issues)
    wb = openpyxl.load_workbook(res.consolidated, read_only=True)
    sheet = [ws for ws in wb.worksheets if ws.title.startswith(("Vấn đề", "Lỗi", "Các lỗi"))] or wb.worksheets
    text = " ".join(str(c) for ws in sheet for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "Thư không có biểu mẫu" in text and "unknown@gmail.com" in text
    assert any(p.name == "trong_tra-loi.eml" for p in res.replies)
