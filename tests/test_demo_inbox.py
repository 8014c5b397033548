"""The demo's inbox is what a DPI's really is: saved emails (one late by its server's
Received header, one saved twice, one sent from another agency's address) beside bare
files; the demo says who is late and why."""

from __future__ import annotations

import email
import email.policy

import pytest

from tests.conftest import assert_no_traceback, run_cli


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-inbox") / "sdgxl-demo"
    proc = run_cli("demo", str(folder))
    return folder, proc


def test_the_inbox_holds_emails_and_bare_files(demo_run):
    folder, proc = demo_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_no_traceback(proc)
    inbox = folder / "hop-thu" / "2026"
    emails = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*.eml"))
    assert emails == ["MTTQ/2026_MTTQ_bao-cao-sdg.eml", "SNNMT/2026_SNNMT_bao-cao-sdg.eml",
                      "SNNMT/2026_SNNMT_bao-cao-sdg_gui-lai.eml", "SVHTT/2026_SVHTT_bao-cao-sdg.eml",
                      "SYT/2026_SYT_bao-cao-sdg.eml"]
    assert len(list(inbox.rglob("*.xlsx"))) >= 10  # bare files beside them
    mttq = email.message_from_bytes((inbox / "MTTQ" / "2026_MTTQ_bao-cao-sdg.eml").read_bytes(),
                                    policy=email.policy.default)
    assert "18 Nov 2026" in str(mttq["Received"]) and mttq["From"].addresses[0].domain == "kiengiang.example"


def test_the_demo_says_who_is_late_and_why(demo_run):
    _, proc = demo_run
    text = " ".join(proc.stdout.split())
    assert "Nộp muộn (hạn 15/11/2026):" in text
    assert "MTTQ – Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh: nhận lúc 18/11/2026 08:15, theo máy chủ thư (Received)" \
        in text
    late_part = text.split("Nộp muộn (hạn 15/11/2026):")[1].split("Sổ theo dõi")[0]
    assert late_part.count("•") == 1  # copying or saving files made nobody else late


def test_the_wrong_sender_and_the_resent_message(demo_run):
    from sdgxl.ledger import Ledger

    folder, _ = demo_run
    ledger = Ledger(folder / "sdgxl.sqlite")
    try:
        subs = [s for s in ledger.submissions(2026) if s.sender]
        wrong = [i for i in ledger.issues(2026) if i["code"] == "wrong-agency"]
    finally:
        ledger.close()
    assert {s.agency for s in subs} == {"SYT", "MTTQ", "SNNMT", "SVHTT"}  # the resent one recorded once
    assert len(subs) == 4
    assert len(wrong) == 1 and wrong[0]["agency"] == "SVHTT" and "SCT" in wrong[0]["params"]
    replies = sorted(p.name for p in (folder / "tong-hop" / "thu-tra-loi").glob("*.eml"))
    assert "2026-svhtt-bao-cao-sdg_tra-loi.eml" in replies
