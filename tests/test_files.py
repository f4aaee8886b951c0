"""Atomic writing: a complete file or none, and one clear line when the file system says no."""

from __future__ import annotations

import errno
import os

import pytest

from appraisal.console.cli import main
from appraisal.criteria import InputError
from appraisal.io.files import atomic_write, atomic_write_text


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "wynik.json"
    target.write_text("stary", encoding="utf-8")

    def disk_full(tmp):
        tmp.write_text("poło", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(InputError) as exc:
        atomic_write(target, disk_full)
    assert str(exc.value) == f"{target}: cannot write: {os.strerror(errno.ENOSPC)}"
    assert target.read_text(encoding="utf-8") == "stary"
    assert [p.name for p in tmp_path.iterdir()] == ["wynik.json"]


def test_a_folder_in_the_way_is_one_line(tmp_path):
    (tmp_path / "wynik.json").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        atomic_write_text(tmp_path / "wynik.json", "x")
    with pytest.raises(InputError, match="folder to write into does not exist"):
        atomic_write_text(tmp_path / "brak" / "wynik.json", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wynik.json"]


def test_other_errors_pass_through_and_leave_no_temporary(tmp_path):
    def broken(tmp):
        raise KeyError("błąd programu")

    with pytest.raises(KeyError):
        atomic_write(tmp_path / "x.json", broken)
    assert list(tmp_path.iterdir()) == []


def test_cli_output_that_is_a_folder_exits_2(tmp_path, capsys):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "samples" / "pakiet_dolina_baryczy.json"
    (tmp_path / "portfel.json").mkdir()
    code = main(["portfolio", str(sample), "--budget", "60000000", "-o", str(tmp_path / "portfel.json")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and ("is a folder" in err or "is a directory" in err)
