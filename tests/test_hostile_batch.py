"""Batch under hostile conditions (issue 11): planted links, interrupted and concurrent runs, file names
that are not UTF-8, special files, tampered records of an earlier run, an output folder inside the input.

Each case ends in one line and exit 2 (or is skipped / reported and the rest scored), in bounded time
and memory, and nothing is written outside the output folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from appraisal.batch import discover
from appraisal.criteria import i18n
from appraisal.io.batch_output import NATIONAL_WORKBOOK
from appraisal.io.files import folder_lock
from builders import run_cli

ROOT = Path(__file__).resolve().parents[1]
PAKIETY = ROOT / "samples" / "pakiety"
GOOD = [
    PAKIETY / "lubelskie" / "partnerstwo-gmin-ziemi-tarnoborskiej.json",
    PAKIETY / "łódzkie" / "zwiazek-gmin-doliny-wolicy.json",
    PAKIETY / "mazowieckie" / "partnerstwo-gmin-ziemi-bialinskiej.json",
]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system features")


def tree_of(root: Path, *files: Path, broken: bool = False) -> Path:
    """``root/<voivodeship>/<file>`` for each file; ``broken``: and a package that cannot be read."""
    for f in files:
        (root / f.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(f, root / f.parent.name / f.name)
    if broken:
        (root / "lubelskie").mkdir(parents=True, exist_ok=True)
        (root / "lubelskie" / "zepsuty.json").write_text("{ zepsuty", encoding="utf-8")
    return root


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def summary_of(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


#: the command line in a child: 3 GB of address space at most (a read without limit dies, not the machine)
CHILD = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)); "
         "from appraisal.console.cli import main; sys.exit(main(sys.argv[1:]))")


def cli_process(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command line in a child process (its own process group, so its workers go with it), with a
    time and a memory limit: a hang or an unbounded read fails the test instead of stalling or
    exhausting the machine."""
    argv = [sys.executable, "-c", CHILD, *map(str, args)]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             errors="backslashreplace", start_new_session=True)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"appraise {' '.join(map(str, args))} did not finish in {timeout} s")
    return subprocess.CompletedProcess(argv, child.returncode, out, err)


# --- 3: a planted link never takes a write (or a removal) outside the output folder -------------------------

@POSIX
@pytest.mark.parametrize("folder", ["workbooks", "packages", "workbooks/lubelskie", "packages/lubelskie"])
def test_a_planted_link_in_the_output_folder_is_refused(tmp_path, capsys, folder):
    root = tree_of(tmp_path / "in", *GOOD)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / folder).parent.mkdir(parents=True, exist_ok=True)
    (out / folder).symlink_to(elsewhere, target_is_directory=True)
    code, _, err = run_cli(capsys, "batch", root, "-o", out, "--workbooks", "--workers", "1")
    line = one_line(err)
    assert code == 2 and "outside the output folder" in line and folder.split("/")[0] in line
    assert list(elsewhere.iterdir()) == []
    assert not (out / "summary.json").exists()


@POSIX
def test_a_failed_package_never_removes_a_file_through_a_link(tmp_path, capsys):
    """Without --workbooks the workbooks folder is only cleaned: a link there must not lead the clean-up
    of a failed package's old workbook to a file outside."""
    root = tree_of(tmp_path / "in", *GOOD, broken=True)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (elsewhere / "lubelskie").mkdir(parents=True)
    victim = elsewhere / "lubelskie" / "zepsuty.xlsx"
    victim.write_bytes(b"not yours")
    out.mkdir()
    (out / "workbooks").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = run_cli(capsys, "batch", root, "-o", out, "--workers", "1")
    assert code in (2, 3), err
    assert victim.read_bytes() == b"not yours"


@POSIX
def test_planted_links_in_place_of_the_summaries_are_replaced_not_followed(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    names = ["summary.json", "league.json", "errors.json", *dict.fromkeys(NATIONAL_WORKBOOK.values()), ".appraise-run.json"]
    for name in names:
        (elsewhere / name).write_text("untouched", encoding="utf-8")
        (out / name).symlink_to(elsewhere / name)
    code, _, err = run_cli(capsys, "batch", root, "-o", out, "--workers", "1")
    assert code == 0, err
    assert all((elsewhere / n).read_text(encoding="utf-8") == "untouched" for n in names)
    assert not (out / "summary.json").is_symlink() and summary_of(out)["counts"]["scored"] == len(GOOD)


# --- 4: an interrupted run is never taken for a finished one ----------------------------------------------------

def test_only_failed_refuses_after_an_interrupted_run(tmp_path, capsys, monkeypatch):
    root = tree_of(tmp_path / "in", *GOOD)
    out = tmp_path / "out"
    assert run_cli(capsys, "batch", root, "-o", out, "--workers", "1")[0] == 0
    (root / "lubelskie" / "zepsuty.json").write_text("{ zepsuty", encoding="utf-8")  # fails in the next run

    from appraisal.io.batch_output import PackageWriter

    calls = []

    def interrupted(self, job, ranking):  # Ctrl-C after the first package was written
        calls.append(job.key)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return original(self, job, ranking)

    original = PackageWriter.__call__
    monkeypatch.setattr(PackageWriter, "__call__", interrupted)
    code, _, _ = run_cli(capsys, "batch", root, "-o", out, "--workers", "1")
    assert code != 0
    monkeypatch.setattr(PackageWriter, "__call__", original)
    code, out_text, err = run_cli(capsys, "batch", root, "-o", out, "--only-failed", "--workers", "1")
    line = one_line(err)
    assert code == 2 and "did not finish" in line and "without --only-failed" in line, (out_text, err)
    # the whole batch again, then a retry works
    assert run_cli(capsys, "batch", root, "-o", out, "--workers", "1")[0] == 3
    code, _, err = run_cli(capsys, "batch", root, "-o", out, "--only-failed", "--workers", "1")
    assert code == 3 and "did not finish" not in err


@POSIX
def test_only_failed_refuses_after_a_run_killed_by_sigkill(tmp_path):
    root = tmp_path / "in"
    for i in range(150):
        (root / f"v{i % 5}").mkdir(parents=True, exist_ok=True)
        shutil.copy(GOOD[i % len(GOOD)], root / f"v{i % 5}" / f"p{i:03d}.json")
    out = tmp_path / "out"
    done = cli_process("batch", root, "-o", out, "--workers", "1")
    assert done.returncode == 0, done.stderr
    child = subprocess.Popen([sys.executable, "-c", CHILD, "batch", str(root), "-o", str(out), "--workers", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = out / ".appraise-run.json"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                if json.loads(marker.read_text(encoding="utf-8")).get("state") == "running":
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.002)
        else:
            pytest.fail("no run marker appeared")
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    retry = cli_process("batch", root, "-o", out, "--only-failed")
    assert retry.returncode == 2 and "did not finish" in one_line(retry.stderr), retry.stderr


# --- 5: one run at a time in an output folder -------------------------------------------------------------------

@POSIX
def test_a_second_run_into_a_locked_folder_is_refused(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD, broken=True)
    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out):
        code, _, err = run_cli(capsys, "batch", root, "-o", out, "--workers", "1")
        line = one_line(err)
        assert code == 2 and "another appraise run" in line
        assert [p.name for p in out.iterdir()] == [".appraise.lock"]
        code, _, err = run_cli(capsys, "batch", root, "-o", out, "--only-failed")
        assert code == 2 and "another appraise run" in one_line(err)
        code, _, err = run_cli(capsys, "batch", root, "-o", out, "--dry-run")  # writes nothing: no lock
        assert code == 3, err
    assert run_cli(capsys, "batch", root, "-o", out, "--workers", "1")[0] == 3


def test_the_lock_file_and_the_run_marker_are_never_packages(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD)
    out = tmp_path / "out"
    assert run_cli(capsys, "batch", root, "-o", out, "--workers", "1")[0] == 0
    assert (out / ".appraise-run.json").is_file() and (out / ".appraise.lock").is_file()
    jobs, skipped = discover(out)
    assert all(not Path(j.file).name.startswith(".appraise") for j in jobs)
    assert all(not Path(s["file"]).name.startswith(".appraise") for s in skipped)


# --- 8: file names that are not UTF-8 ----------------------------------------------------------------------------

@POSIX
def test_file_names_that_are_not_utf8_are_scored_and_reported(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD)
    broot = os.fsencode(root)
    shutil.copy(os.fsencode(GOOD[0]), broot + b"/lubelskie/pakiet_\xff.json")
    os.mkdir(broot + b"/\xb3\xf3dzkie")  # "łódzkie" in cp1250, as a Windows ZIP leaves it
    shutil.copy(os.fsencode(GOOD[1]), broot + b"/\xb3\xf3dzkie/p.json")
    with open(broot + b"/lubelskie/zepsuty_\xfe.json", "wb") as f:
        f.write(b"{ zepsuty")
    with open(broot + b"/lubelskie/notatka_\xfe.txt", "wb") as f:
        f.write(b"x")
    out = tmp_path / "out"
    code, text, err = run_cli(capsys, "batch", root, "-o", out, "--workbooks", "--workers", "2")
    assert code == 3, err
    assert text.strip().splitlines()[-1] == f"{len(GOOD) + 2} packages scored, 1 failed"
    raw = (out / "summary.json").read_bytes()
    raw.decode("utf-8")  # valid UTF-8 throughout
    summary = json.loads(raw)
    files = [p["file"] for p in summary["partnerships"]]
    assert any(f.endswith("pakiet_\\xff.json") for f in files), files
    assert any("\\xb3\\xf3dzkie" in f for f in files), files
    assert summary["errors"][0]["file"].endswith("zepsuty_\\xfe.json")
    assert "zepsuty_\\xfe.json" in summary["errors"][0]["reason"]
    assert any(s["file"].endswith("notatka_\\xfe.txt") for s in summary["skipped"])
    assert "zepsuty_\\xfe.json" in err and "notatka_\\xfe.txt" in err
    league = json.loads((out / "league.json").read_text(encoding="utf-8"))
    assert any(r["key"] == "lubelskie/pakiet_\\xff" for r in league)
    wb = openpyxl.load_workbook(out / NATIONAL_WORKBOOK[i18n.current()], read_only=True)  # in the run's language
    assert "-xb3-xf3dzkie" in wb.sheetnames  # a backslash cannot be in a sheet title
    for p in (out / "packages").rglob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))
    assert len(list((out / "workbooks").rglob("*.xlsx"))) == len(GOOD) + 2
    # a retry matches the failed package again by its key
    shutil.copy(os.fsencode(GOOD[2]), broot + b"/lubelskie/zepsuty_\xfe.json")
    code, text, err = run_cli(capsys, "batch", root, "-o", out, "--only-failed")
    assert code == 0 and text.strip().endswith("1 packages scored, 0 failed"), err


# --- 9: only regular files are read -----------------------------------------------------------------------------

@POSIX
def test_fifos_and_devices_are_skipped_in_bounded_time(tmp_path):
    root = tree_of(tmp_path / "in", *GOOD)
    os.mkfifo(root / "lubelskie" / "rura.xlsx")
    os.mkfifo(root / "lubelskie" / "rura.json")
    (root / "lubelskie" / "zero.json").symlink_to("/dev/zero")
    (root / "lubelskie" / "losowy.xlsx").symlink_to("/dev/urandom")
    (root / "lubelskie" / "brak.toml").symlink_to(tmp_path / "nie-ma")
    (root / "lubelskie" / "dowiazanie.json").symlink_to(GOOD[2])  # a link to a regular file is read
    out = tmp_path / "out"
    done = cli_process("batch", root, "-o", out, "--workers", "2", timeout=90)
    assert done.returncode == 0, done.stderr
    summary = summary_of(out)
    assert summary["counts"]["scored"] == len(GOOD) + 1 and summary["errors"] == []
    skipped = {Path(s["file"]).name: s["reason"] for s in summary["skipped"]}
    assert "named pipe" in skipped["rura.xlsx"] and "named pipe" in skipped["rura.json"]
    assert "device" in skipped["zero.json"] and "device" in skipped["losowy.xlsx"]
    assert "broken link" in skipped["brak.toml"]
    assert all("not a regular file" in skipped[n] for n in ("rura.xlsx", "zero.json", "losowy.xlsx"))


# --- 13: tampered records of an earlier run --------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(("name", "content", "says"), [
    ("summary.json", '{"errors": [{"file": "x"}], "partnerships": []}', "summary"),
    ("summary.json", '{"errors": [], "partnerships": [{"key": 1}]}', "summary"),
    ("summary.json", '[1, 2]', "summary"),
    ("summary.json", DEEP, "nested too deeply"),
    ("summary.json", '{"errors": [], "partnerships": [], "x": ' + DEEP + "}", "nested too deeply"),
    ("summary.json", b"\xff\xfe{}", "UTF-8"),
    ("league.json", DEEP, "nested too deeply"),
    ("league.json", '{"key": "x"}', "league"),
    ("league.json", "gates not a list", "league"),
    ("league.json", '[{"key": ["a"]}]', "league"),
    (".appraise-run.json", DEEP, "nested too deeply"),
    (".appraise-run.json", '{"state": ["finished"]}', "run"),
])
def test_tampered_records_of_an_earlier_run_are_one_line(tmp_path, capsys, name, content, says):
    root = tree_of(tmp_path / "in", *GOOD, broken=True)
    out = tmp_path / "out"
    assert run_cli(capsys, "batch", root, "-o", out, "--workers", "1")[0] == 3
    shutil.copy(GOOD[2], root / "lubelskie" / "zepsuty.json")  # fixed: the retry has work to do
    target = out / name
    if content == "gates not a list":  # every row there, one field of the wrong type
        rows = json.loads(target.read_text(encoding="utf-8"))
        content = json.dumps([{**r, "failed_gates": 5} for r in rows])
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "batch", root, "-o", out, "--only-failed")
    line = one_line(err)
    assert code == 2 and says in line and name in line, err


@POSIX
@pytest.mark.parametrize("special", ["fifo", "zero"])
def test_an_earlier_summary_that_is_not_a_regular_file_is_one_line(tmp_path, special):
    root = tree_of(tmp_path / "in", *GOOD, broken=True)
    out = tmp_path / "out"
    assert cli_process("batch", root, "-o", out, "--workers", "1").returncode == 3
    (out / "summary.json").unlink()
    if special == "fifo":
        os.mkfifo(out / "summary.json")
    else:
        (out / "summary.json").symlink_to("/dev/zero")
    done = cli_process("batch", root, "-o", out, "--only-failed", timeout=60)
    assert done.returncode == 2 and "not a regular file" in one_line(done.stderr), done.stderr


# --- 17: an output folder inside the input tree ------------------------------------------------------------------

def test_an_output_folder_inside_the_input_is_never_read_back(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD)
    out = root / "wyniki"
    for _ in range(2):
        code, text, err = run_cli(capsys, "batch", root, "-o", out, "--workbooks", "--workers", "2")
        assert code == 0, err
        assert text.strip().endswith(f"{len(GOOD)} packages scored, 0 failed")
    summary = summary_of(out)
    assert summary["counts"]["found"] == len(GOOD) and summary["errors"] == []
    assert {Path(s["file"]).name: s["reason"] for s in summary["skipped"]} == {
        "wyniki": "the output folder of this run"}


def test_an_earlier_output_folder_in_the_tree_is_skipped(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD)
    other = tree_of(tmp_path / "other", GOOD[0])
    assert run_cli(capsys, "batch", other, "-o", root / "stare-wyniki", "--workers", "1")[0] == 0
    code, text, err = run_cli(capsys, "batch", root, "-o", tmp_path / "out", "--workers", "1")
    assert code == 0 and text.strip().endswith(f"{len(GOOD)} packages scored, 0 failed"), err
    skipped = {Path(s["file"]).name: s["reason"] for s in summary_of(tmp_path / "out")["skipped"]}
    assert "appraise output folder" in skipped["stare-wyniki"]


def test_the_output_folder_cannot_be_the_input_folder(tmp_path, capsys):
    root = tree_of(tmp_path / "in", *GOOD)
    code, _, err = run_cli(capsys, "batch", root, "-o", root)
    assert code == 2 and "output folder" in one_line(err)
    assert sorted(p.name for p in root.iterdir()) == sorted({f.parent.name for f in GOOD})
