"""Every example in the README runs: the Python block, and each `$ appraise ...` line."""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest

from appraisal.console.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.DOTALL)


COMMANDS = [line[2:].strip() for block in _blocks("console") for line in block.splitlines()
            if line.startswith("$ appraise ")]


def test_readme_has_the_main_commands():
    assert "appraise demo" in COMMANDS
    assert "python -m pytest -q" in README
    for cmd in ("weights", "rank", "criteria", "schema", "validate", "demo"):
        assert any(c.split()[1] == cmd for c in COMMANDS), cmd


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(ROOT)
    args = []
    for a in shlex.split(command)[1:]:
        args.extend(sorted(glob.glob(a)) if "*" in a else [a])
    # the tests never write into the repository: outputs go to a temporary folder
    if args[0] == "demo" and "-o" not in args:
        args += ["-o", str(tmp_path / "demo")]
    for i, a in enumerate(args[:-1]):
        if a == "-o":
            args[i + 1] = str(tmp_path / Path(args[i + 1]).name)
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip()


def test_readme_python_example_runs(monkeypatch, capsys, tmp_path):
    (tmp_path / "samples").symlink_to(ROOT / "samples")  # the example's paths, its files written beside
    monkeypatch.chdir(tmp_path)
    blocks = _blocks("python")
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "rank" in out and "score" in out and "expected_rank" in out
    import openpyxl

    assert "Podsumowanie" in openpyxl.load_workbook(tmp_path / "ocena.xlsx").sheetnames
    assert len(openpyxl.load_workbook(tmp_path / "wrazliwosc.xlsx").sheetnames) > len(
        openpyxl.load_workbook(tmp_path / "ocena.xlsx").sheetnames)
