"""The command line follows conventions: --lang (and SDGXL_LANG) for the whole program,
help and usage errors included; help fully in one language without Typer's type labels;
``-`` as standard output; a ledger location that is said, never silently new; no stray
files; a warning when the forms' deadline has passed."""

from __future__ import annotations

import io
import re
import threading
import time

import pandas as pd
import pytest

from sdgxl.cli_help import help_is_localised
from tests.conftest import assert_no_traceback, run_cli

TYPER_LABELS = ("<bool>", "<list[Path]>", "{files}", "<int>", "<str>", "<path>")


@pytest.fixture(scope="module")
def ledger(demo_cycle) -> str:
    return str(demo_cycle.folder / "sdgxl.sqlite")


def test_lang_before_the_command(ledger, demo_cycle):
    year = str(demo_cycle.years[-1])
    en = run_cli("--lang", "en", "status", "--year", year, "--db", ledger)
    assert en.returncode == 0, en.stderr
    assert "agencies reported in full" in en.stdout and "cơ quan" not in en.stdout
    env = run_cli("status", "--year", year, "--db", ledger, env={"SDGXL_LANG": "en"})
    assert env.returncode == 0 and "agencies reported in full" in env.stdout
    vi = run_cli("status", "--year", year, "--db", ledger, env={"SDGXL_LANG": "vi"})
    assert "cơ quan đã báo cáo đầy đủ" in vi.stdout


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_help_is_in_one_language_without_type_labels(lang):
    from typer.main import get_command

    from sdgxl.cli import app
    from sdgxl.cli_help import localise

    command = get_command(app)
    localise(command, lang)
    assert help_is_localised(command, lang) == []
    for args in ([], ["validate"], ["collect"], ["export"], ["catalogue"], ["catalogue", "show"]):
        proc = run_cli("--lang", lang, *args, "--help")
        text = proc.stdout
        assert proc.returncode == 0, proc.stderr
        assert not any(label in text for label in TYPER_LABELS), (args, text)
        if lang == "vi":
            assert "Cách dùng:" in text and "Tùy chọn:" in text and "Hiện hướng dẫn này" in text
            assert not any(w in text for w in ("Usage:", "Options:", "Show this", "default:", "env var")), text
            assert not re.search(r"\b(the|and|of|or|to)\b", text), text
        else:
            assert "Usage:" in text and "Options:" in text
            assert not any(w in text for w in ("Cách dùng", "Tùy chọn", "Danh mục", "Kiểm tra")), text
    files = run_cli("--lang", lang, "validate", "--help").stdout
    assert ("TỆP..." if lang == "vi" else "FILES...") in files
    assert ("--year SỐ" if lang == "vi" else "--year N") in files


def test_usage_errors_in_the_users_language():
    vi = run_cli("generate")
    assert vi.returncode == 2 and "Lỗi: Thiếu tùy chọn '--year'" in vi.stderr and "Error" not in vi.stderr
    assert "Gõ 'sdgxl generate --help' để xem hướng dẫn." in vi.stderr
    en = run_cli("--lang", "en", "generate")
    assert en.returncode == 2 and "Error: Missing option '--year'" in en.stderr
    typo = run_cli("staus")
    assert typo.returncode == 2 and "Không có lệnh 'staus'. Có phải ý bạn là 'status'?" in typo.stderr
    bad = run_cli("status", "--year", "năm-nay")
    assert bad.returncode == 2 and "cần một số nguyên" in bad.stderr
    choice = run_cli("export", "--format", "zip", env={"SDGXL_LANG": "en"})
    assert choice.returncode == 2 and "'zip' is not one of" in choice.stderr
    for proc in (vi, en, typo, bad, choice):
        assert_no_traceback(proc)


def test_out_dash_is_standard_output(ledger, tmp_path):
    proc = run_cli("export", "--db", ledger, "--out", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(io.StringIO(proc.stdout))
    assert len(frame) > 100 and frame.columns[0] == "area"  # no byte-order mark in a pipe
    assert not (tmp_path / "-").exists() and list(tmp_path.iterdir()) == []
    import subprocess
    import sys

    raw = subprocess.run([sys.executable, "-m", "sdgxl", "export", "--db", ledger, "--out", "-", "--format",
                          "parquet"], capture_output=True, cwd=tmp_path, timeout=120)
    assert raw.returncode == 0 and len(pd.read_parquet(io.BytesIO(raw.stdout))) == len(frame)


def test_ledger_location_is_said_and_never_silently_new(ledger, demo_cycle, tmp_path):
    inbox = tmp_path / "empty-inbox"
    inbox.mkdir()
    fresh = run_cli("collect", str(inbox), "--year", "2026", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert f"Chưa có sổ theo dõi ở {tmp_path / 'sdgxl.sqlite'}: tạo sổ mới" in fresh.stderr
    assert "SDGXL_DB" in fresh.stderr
    again = run_cli("collect", str(inbox), "--year", "2026", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert "tạo sổ mới" not in again.stderr
    # SDGXL_DB names the ledger from any folder; a missing ledger is an error naming where it looked
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    status = run_cli("status", "--year", str(demo_cycle.years[-1]), cwd=elsewhere, env={"SDGXL_DB": ledger})
    assert status.returncode == 0 and "Sở Y tế" in status.stdout
    missing = run_cli("status", "--year", "2026", cwd=elsewhere, env={"SDGXL_DB": ""})
    assert missing.returncode == 2 and str(elsewhere / "sdgxl.sqlite") in missing.stderr
    assert "SDGXL_DB" in missing.stderr
    # no stray lock file beside the ledgers
    assert not list(tmp_path.rglob("*.lock")) and not list(demo_cycle.folder.rglob("*.lock"))


def test_lock_file_is_removed_and_still_excludes(tmp_path):
    """The lock file goes when released; one taken while another waits stays exclusive."""
    from sdgxl.fileio import file_lock
    from sdgxl.ledger import LedgerBusy

    def _file_lock(p, wait):
        return file_lock(p, wait, busy=lambda: LedgerBusy("ledger_busy"))

    path = tmp_path / "l.sqlite.lock"
    order: list[str] = []
    with _file_lock(path, 0):
        assert path.exists()
        with pytest.raises(LedgerBusy), _file_lock(path, 0):
            pass

        def waiter(name: str) -> None:
            with _file_lock(path, 10):
                order.append(f"{name}+")
                time.sleep(0.3)
                order.append(f"{name}-")

        threads = [threading.Thread(target=waiter, args=(n,)) for n in "ab"]
        for th in threads:
            th.start()
        time.sleep(0.5)
    for th in threads:
        th.join()
    assert sorted(order) == ["a+", "a-", "b+", "b-"]
    assert order[1] == order[0][0] + "-" and order[3] == order[2][0] + "-"  # never both inside
    assert not path.exists()


def test_generate_warns_when_the_deadline_has_passed(tmp_path):
    past = run_cli("generate", "--year", "2026", "--agency", "SYT", "--deadline", "2020-11-15",
                   "--out", str(tmp_path / "a"))
    assert past.returncode == 0 and "hạn gửi ghi trên biểu mẫu (15/11/2020) đã qua" in past.stderr
    future = run_cli("--lang", "en", "generate", "--year", "2026", "--agency", "SYT", "--deadline", "2099-11-15",
                     "--out", str(tmp_path / "b"))
    assert future.returncode == 0 and "has passed" not in future.stderr
    assert "Department of Health" in future.stdout and "Sở Y tế" not in future.stdout  # the agency in English
