"""Hostile conditions at the command line (issue 11, items 14, 15 and 19): output folders that cannot be
made, names longer than the file system allows, a disk that fills up while a workbook is saved, and
Ctrl-C. Each ends in one line on stderr with the exit code the README promises — 2 for what the user
can fix, 130 after Ctrl-C — never a traceback, and the file that was there before is kept."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from appraisal.commands import common
from builders import run_cli

ROOT = Path(__file__).resolve().parents[1]
DOLINA = ROOT / "samples" / "pakiet_dolina_baryczy.json"


def one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


# --- 14: output folders that cannot be made -------------------------------------------------------------------

def test_demo_into_a_folder_under_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "plik"
    blocker.write_text("not a folder")
    code, _, err = run_cli(capsys, "demo", "-o", blocker / "demo")
    assert code == 2
    line = one_line(err)
    assert str(blocker / "demo") in line and "output folder" in line


def test_demo_on_a_read_only_disk_is_one_line(tmp_path, capsys, monkeypatch):
    # root may write anywhere, so a read-only file system is what the system says: EROFS
    def read_only(self, *a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    code, _, err = run_cli(capsys, "demo", "-o", tmp_path / "demo")
    assert code == 2
    assert "Read-only file system" in one_line(err)


@pytest.mark.parametrize("command", ["demo", "rank"])
def test_an_output_name_over_255_bytes_is_one_line(tmp_path, capsys, command):
    long = "ocena_" + "ż" * 130  # 266 bytes in UTF-8: more than a file name may have
    if command == "demo":
        code, _, err = run_cli(capsys, "demo", "-o", tmp_path / long)
    else:
        code, _, err = run_cli(capsys, "rank", DOLINA, "-o", tmp_path / f"{long}.json")
    assert code == 2
    assert "File name too long" in one_line(err)
    assert list(tmp_path.iterdir()) == []


def test_a_file_system_error_anywhere_is_one_line_naming_the_file(capsys, monkeypatch):
    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/dane/pakiet.json")

    monkeypatch.setattr(common, "load_ranking", denied)
    code, _, err = run_cli(capsys, "rank", DOLINA)
    assert code == 2
    assert one_line(err) == "appraise: error: /srv/dane/pakiet.json: Permission denied"


def test_an_unexpected_os_error_is_still_an_internal_error(capsys, monkeypatch):
    def odd(*a, **k):
        raise OSError(errno.EPROTO, "Protocol error")

    monkeypatch.setattr(common, "load_ranking", odd)
    code, _, err = run_cli(capsys, "rank", DOLINA)
    assert code == 1 and "internal error" in err


# --- 15: the disk fills up while a workbook is saved ---------------------------------------------------------

FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from appraisal.console.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file-size limits")
@pytest.mark.parametrize("limit", [20_000, 50_000])  # full while openpyxl writes a sheet / while the file is written
def test_a_disk_filling_up_while_a_workbook_is_saved_is_one_line_and_the_old_file_stays(tmp_path, limit):
    target = tmp_path / "ocena.xlsx"
    target.write_bytes(b"the advisor's previous workbook")
    run = subprocess.run([sys.executable, "-c", FULL_DISK.format(limit=limit), "rank", str(DOLINA), "-o",
                          str(target)], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 2, run
    line = one_line(run.stderr)
    assert "Exception ignored" not in run.stderr
    assert str(target) in line and "too large" in line.lower()
    assert target.read_bytes() == b"the advisor's previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["ocena.xlsx"]


# --- 19: Ctrl-C --------------------------------------------------------------------------------------------------

def test_ctrl_c_inside_a_command_exits_130(capsys, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(common, "load_ranking", interrupted)
    code, _, err = run_cli(capsys, "rank", DOLINA)
    assert code == 130 and err.strip() == "aborted"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_to_a_running_analysis_exits_130_without_a_traceback(tmp_path):
    # 500 million samples (minutes of work, memory flat: blocks of 16,384): still running when interrupted
    proc = subprocess.Popen([sys.executable, "-m", "appraisal.console.cli", "sensitivity", str(DOLINA),
                             "--samples", "500000000", "--force", "--seed", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # well into the sampling
    assert proc.poll() is None, "the analysis ended before it could be interrupted"
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, err)
    assert time.monotonic() - started < 30  # the blocks in flight on the other threads are not waited out
    assert "aborted" in err and "Traceback" not in err
