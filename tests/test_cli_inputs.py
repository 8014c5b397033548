"""What the command line does with outputs it cannot write and with inputs it cannot use:
exit code 73 and a translated message naming the path for every command that writes; an
unknown area a usage error listing the known ones; a year with nothing recorded said so;
range and date errors in the user's language; dates as dd/mm/yyyy (or ISO) everywhere."""

from __future__ import annotations

import pytest

from tests.conftest import assert_no_traceback, run_cli


@pytest.fixture(scope="module")
def ledger(demo_cycle) -> str:
    return str(demo_cycle.folder / "sdgxl.sqlite")


@pytest.fixture(scope="module")
def blocker(tmp_path_factory) -> str:
    """A plain file where a command would need a folder."""
    path = tmp_path_factory.mktemp("blocked") / "a-file"
    path.write_text("x", encoding="utf-8")
    return str(path)


def _commands(ledger: str, inbox: str, bad: str) -> dict[str, list[str]]:
    return {
        "report": ["report", "--db", ledger, "--year", "2026", "--no-pdf", "--out", bad],
        "export": ["export", "--db", ledger, "--out", f"{bad}/x.csv"],
        "generate": ["generate", "--year", "2026", "--out", bad],
        "collect": ["collect", inbox, "--db", ledger, "--year", "2026", "--out", bad],
        "catalogue": ["catalogue", "export", "--out", f"{bad}/danh-muc.xlsx"],
        "console": ["console", "--out", f"{bad}/c.xlsm"],
    }


@pytest.mark.parametrize("where", ["proc", "file"])
@pytest.mark.parametrize("command", ["report", "export", "generate", "collect", "catalogue", "console"])
def test_an_output_that_cannot_be_written_is_exit_73(command, where, ledger, demo_cycle, blocker, tmp_path):
    bad = "/proc/sdgxl-x" if where == "proc" else blocker
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    args = _commands(ledger, str(inbox), bad)[command]
    vi = run_cli(*args, cwd=tmp_path)
    assert_no_traceback(vi)
    assert vi.returncode == 73, vi.stdout + vi.stderr
    said = " ".join(vi.stderr.split())
    assert f"Không ghi được {bad}" in said and "dữ liệu đã nhận không bị mất" in said
    assert "No such file" not in said and "Not a directory" not in said and "File exists" not in said
    en = run_cli("--lang", "en", *args, cwd=tmp_path)
    assert en.returncode == 73 and f"Cannot write {bad}" in " ".join(en.stderr.split())


def test_a_folder_given_as_the_output_file(ledger, tmp_path):
    proc = run_cli("export", "--db", ledger, "--out", str(tmp_path))
    assert proc.returncode == 73
    assert f"Không ghi được {tmp_path}: đó là một thư mục, không phải tệp" in " ".join(proc.stderr.split())
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
