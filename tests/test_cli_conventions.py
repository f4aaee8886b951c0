"""The command line's conventions (issue 13, items 2, 4, 6 and 7): Polish by default (messages, click's own
messages, numbers), one switch --lang; -o never overwrites an input; - is standard input or output; --json on
validate, batch and opinions; warnings on stderr; weights --strict exits 4; the samples installed with the
package can be listed and copied."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from appraisal import numfmt
from appraisal.commands import common
from appraisal.commands.samples import sample_files
from appraisal.criteria import i18n
from appraisal.criteria.models import RECOMMENDATIONS
from appraisal.demo import samples_dir
from builders import run_cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DOLINA = SAMPLES / "pakiet_dolina_baryczy.json"
DOLINA_TOML = SAMPLES / "pakiet_dolina_baryczy.toml"
KARTA = SAMPLES / "pakiet_karta.json"
MATRIX = SAMPLES / "matrix.csv"
INCONSISTENT = SAMPLES / "pairwise_inconsistent.csv"
GROUPS = SAMPLES / "pairwise_groups.csv"
WORKBOOK = next((SAMPLES / "pakiety").rglob("*.xlsx"))
CLI_PO = ROOT / "criteria" / "locale" / "pl" / "LC_MESSAGES" / "cli.po"


@pytest.fixture
def polish(monkeypatch):
    """The product's default: no APPRAISE_LANG, no --lang."""
    monkeypatch.delenv("APPRAISE_LANG")
    i18n.set_language(None)


def feed(monkeypatch, data: bytes) -> None:
    """``data`` on standard input (not a terminal)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


class _Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def terminal(monkeypatch, name: str) -> None:
    """Make standard input or output (``name``) a terminal for click."""
    real = common.binary_stream
    monkeypatch.setattr(common, "binary_stream", lambda which: _Terminal() if which == name else real(which))


def python_cli(*args, env=None, stdin=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "appraisal.console.cli", *map(str, args)], input=stdin,
                          capture_output=True, env=env, cwd=cwd, timeout=300, check=False)


def only_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- Polish by default, one switch --------------------------------------------------------------------------

def test_errors_are_polish_by_default_and_english_with_lang_en(polish, capsys, tmp_path):
    missing = tmp_path / "brak.json"
    code, _, err = run_cli(capsys, "rank", missing)
    assert code == 2 and only_line(err).startswith("appraise: błąd: ") and str(missing) in err
    code, _, err = run_cli(capsys, "rank", missing, "--lang", "en")
    assert code == 2 and only_line(err).startswith("appraise: error: ")


@pytest.mark.parametrize("args,polish_text,english_text", [
    (["rank", "--no-such"], "Nie ma opcji '--no-such'", "No such option"),
    (["rank"], "Brak argumentu 'SOURCE'", "Missing argument 'SOURCE'"),
    (["rank", str(DOLINA), "--method", "magic"], "nie jest żadną z wartości", "is not one of"),
    (["rank", str(DOLINA), "--method"], "wymaga wartości", "requires an argument"),
    (["opinions", str(DOLINA), "-o", "x", "--samples", "-3"], "nie mieści się w zakresie", "is not in the range"),
    (["rank", str(DOLINA), "extra"], "Nieoczekiwany dodatkowy argument", "Got unexpected extra argument"),
    (["rankk"], "Nie ma polecenia 'rankk'", "No such command"),
])
def test_clicks_own_messages_follow_the_language(polish, capsys, monkeypatch, args, polish_text, english_text):
    code, _, err = run_cli(capsys, *args)
    line = only_line(err)
    assert code == 2 and polish_text in line and ": błąd: " in line and "zob. '" in line, line
    assert english_text not in line
    monkeypatch.setenv("APPRAISE_LANG", "en")
    code, _, err = run_cli(capsys, *args)
    line = only_line(err)
    assert code == 2 and english_text in line and ": error: " in line, line


def test_lang_may_stand_before_the_command_too(polish, capsys):
    assert run_cli(capsys, "validate", DOLINA)[1].strip().endswith(": poprawny pakiet")
    assert run_cli(capsys, "--lang", "en", "validate", DOLINA)[1].strip().endswith(": valid package")
    assert run_cli(capsys, "validate", DOLINA, "--lang", "en")[1].strip().endswith(": valid package")
    code, _, err = run_cli(capsys, "--lang", "en", "rank", "--nope")
    assert code == 2 and "No such option" in err


def test_warnings_are_polish_and_on_stderr_only(polish, capsys, tmp_path):
    f = tmp_path / "skala.csv"
    f.write_text(",a,b\na,1,12\nb,,1\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "weights", f, "--json")
    assert code == 0 and json.loads(out)["weights"]  # stdout is the JSON alone
    assert next(ln for ln in err.splitlines() if ln.strip()).startswith("ostrzeżenie: ")
    code, out, err = run_cli(capsys, "weights", f, "--lang", "en")
    assert code == 0 and "warning" not in out and err.startswith("warning: ")


def test_ctrl_c_says_so_in_polish(polish, capsys, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(common, "load_ranking", interrupted)
    code, _, err = run_cli(capsys, "rank", DOLINA)
    assert code == 130 and err.strip() == "przerwano"


def test_terminal_numbers_are_polish(polish, capsys):
    obj = json.loads(run_cli(capsys, "rank", DOLINA, "--json")[1])
    code, out, _ = run_cli(capsys, "rank", DOLINA)
    assert code == 0
    for r in obj["results"]:
        assert numfmt.number(r["score"], 4, "pl") in out
    assert not re.search(r"\d\.\d{3}", out), "a number with a decimal point in Polish output"
    pf = json.loads(run_cli(capsys, "portfolio", DOLINA, "--budget", "60 000 000", "--json")[1])
    code, out, _ = run_cli(capsys, "portfolio", DOLINA, "--budget", "60 000 000")
    assert code == 0 and f"Pozostaje: {numfmt.money(pf['money_left'], 'pl')}" in out
    assert numfmt.money(pf["money_left"], "pl").endswith("\u00a0zł") and "PLN" not in out.replace("(PLN)", "")


def _english_fragments() -> list[str]:
    """Pieces of English from the command line's catalog that its Polish does not contain: the words of
    every message that differs in Polish, cut at the placeholders."""
    with open(CLI_PO, "rb") as fh:
        catalog = read_po(fh, locale="pl")
    polish_texts = " ".join(m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalog if m.id)
    out = set()
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        if ids[0] in strings:
            continue
        for text in ids:
            for piece in re.split(r"\{[^}]*\}", text):
                piece = piece.strip(" :;,.()[]—-")
                if len(piece) >= 6 and re.search(r"[a-z]{3}", piece) and piece not in polish_texts:
                    out.add(piece)
    return sorted(out)


def test_the_check_finds_english_words():
    fragments = _english_fragments()
    assert len(fragments) > 80
    assert "Portfolio under a budget" in fragments and "Rank acceptability (SMAA-2" in fragments


def test_the_default_output_of_every_command_has_no_english(polish, capsys, tmp_path):
    """Each command, as a Polish user runs it (no --lang): nothing of the catalog's English on stdout or
    stderr (numbers Polish too)."""
    fragments = _english_fragments()
    tree = tmp_path / "pakiety" / "dolnośląskie"
    tree.mkdir(parents=True)
    shutil.copy(DOLINA, tree / "dolina.json")
    (tree / "zepsuty.json").write_text("{", encoding="utf-8")
    runs = [
        ("rank", DOLINA), ("rank", MATRIX, "--directions", "-,+,+,-"), ("rank", KARTA, "--method", "points"),
        ("sensitivity", DOLINA, "--samples", "500"), ("weights", INCONSISTENT, "--strict"),
        ("weights", *sorted((SAMPLES / "panel").glob("*.csv")), "--aggregation", "aip", "--method", "geometric"),
        ("criteria", "list"), ("criteria", "show", "cwd"), ("validate", DOLINA), ("validate", GROUPS),
        ("portfolio", DOLINA, "--budget", "60000000"),
        ("template", "-o", tmp_path / "szablon.xlsx"),
        ("opinions", DOLINA, "-o", tmp_path / "opinie", "--format", "md", "--samples", "0"),
        ("batch", tmp_path / "pakiety", "-o", tmp_path / "wyniki", "--workers", "1"),
        ("samples", "list"), ("samples", "copy", tmp_path / "próbki"),
    ]
    seen = []
    for args in runs:
        code, out, err = run_cli(capsys, *args)
        assert code in (0, 3, 4), (args, code, err)
        text = out + err
        found = [f for f in fragments if re.search(rf"\b{re.escape(f)}\b", text)]
        assert not found, (args, found)
        assert not re.search(r"(?<![\d.])\d+\.\d{2,}(?![\d.])", out.replace("1.0.", "")), (args, out[:2000])
        seen.append(args[0])
    assert set(seen) >= {"rank", "sensitivity", "weights", "criteria", "validate", "portfolio", "template",
                         "opinions", "batch", "samples"}


def test_demo_output_is_polish_by_default(polish, capsys, tmp_path):
    code, out, err = run_cli(capsys, "demo", "-o", tmp_path / "demo")
    assert code == 0
    fragments = [f for f in _english_fragments() if re.search(rf"\b{re.escape(f)}\b", out + err)]
    assert not fragments
    assert "zapisane pliki:" in out and "Miejsce" in out and "Pozostaje: " in out
    for word in ("written:", "Rank ", "Score", "Method:", "projects,", "All bundled partnerships", "portfolio"):
        assert word not in out, word


# --- never overwrite an input (item 4) ------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["rank", "sensitivity", "portfolio"])
@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "relative"])
def test_o_onto_the_input_is_refused_unless_forced(capsys, tmp_path, monkeypatch, command, how):
    source = tmp_path / "pakiet.json"
    shutil.copy(DOLINA, source)
    before = source.read_bytes()
    target = {"same": source, "symlink": tmp_path / "link.json", "hardlink": tmp_path / "hard.json",
              "relative": Path("pakiet.json")}[how]
    if how == "symlink":
        target.symlink_to(source)
    elif how == "hardlink":
        os.link(source, target)
    monkeypatch.chdir(tmp_path)
    extra = {"rank": [], "sensitivity": ["--samples", "200"], "portfolio": ["--budget", "60000000"]}[command]
    code, _, err = run_cli(capsys, command, source, *extra, "-o", target)
    line = only_line(err)
    assert code == 2 and "--output" in line and "--force" in line and "input" in line
    assert source.read_bytes() == before
    code, _, err = run_cli(capsys, command, source, *extra, "-o", target, "--force")
    assert code == 0, err
    written = json.loads((tmp_path / target).read_text(encoding="utf-8"))
    assert written != json.loads(before) and "projects" not in written  # the result, not the package


def test_o_onto_another_file_is_not_refused(capsys, tmp_path):
    other = tmp_path / "ranking.json"
    other.write_text("{}", encoding="utf-8")
    code, _, err = run_cli(capsys, "rank", DOLINA, "-o", other)
    assert code == 0, err and json.loads(other.read_text(encoding="utf-8"))["results"]


def test_rank_o_onto_its_own_workbook_is_refused(capsys, tmp_path):
    book = tmp_path / "pakiet.xlsx"
    shutil.copy(WORKBOOK, book)
    before = book.read_bytes()
    code, _, err = run_cli(capsys, "rank", book, "-o", book)
    assert code == 2 and "--force" in only_line(err) and book.read_bytes() == before


def test_template_onto_a_filled_workbook_is_refused_unless_forced(capsys, tmp_path):
    filled = tmp_path / "pakiet.xlsx"
    assert run_cli(capsys, "template", "--from", DOLINA, "-o", filled)[0] == 0
    before = filled.read_bytes()
    code, _, err = run_cli(capsys, "template", "-o", filled)
    line = only_line(err)
    assert code == 2 and str(filled) in line and "--force" in line and filled.read_bytes() == before
    # --from the same file is refused too (the input would be destroyed)
    code, _, err = run_cli(capsys, "template", "--from", filled, "-o", filled)
    assert code == 2 and "--force" in only_line(err) and filled.read_bytes() == before
    code, _, err = run_cli(capsys, "template", "-o", filled, "--force")
    assert code == 0 and filled.read_bytes() != before


def test_template_over_an_empty_template_is_allowed_and_over_another_file_is_not(capsys, tmp_path):
    empty = tmp_path / "szablon.xlsx"
    assert run_cli(capsys, "template", "-o", empty)[0] == 0
    code, _, err = run_cli(capsys, "template", "-o", empty, "--rows", "5")
    assert code == 0, err
    stranger = tmp_path / "budzet.xlsx"
    stranger.write_bytes(b"someone's spreadsheet")
    code, _, err = run_cli(capsys, "template", "-o", stranger)
    assert code == 2 and "--force" in only_line(err) and stranger.read_bytes() == b"someone's spreadsheet"


# --- standard input and output (item 6) ----------------------------------------------------------------------

def _results(obj) -> list:
    return [(r["id"], r["rank"], r["score"]) for r in obj["results"]]


@pytest.mark.parametrize("source,extra", [(DOLINA, []), (DOLINA_TOML, []), (DOLINA_TOML, ["--input-format", "toml"]),
                                          (MATRIX, ["--directions", "-,+,+,-"]), (WORKBOOK, [])])
def test_rank_reads_standard_input(capsys, monkeypatch, source, extra):
    expected = json.loads(run_cli(capsys, "rank", source, *extra, "--json")[1])
    feed(monkeypatch, source.read_bytes())
    code, out, err = run_cli(capsys, "rank", "-", *extra, "--json")
    assert code == 0, err
    assert _results(json.loads(out)) == _results(expected)


def test_a_bad_standard_input_is_named_as_such(capsys, monkeypatch):
    feed(monkeypatch, b'{"partnership": ')
    code, _, err = run_cli(capsys, "rank", "-")
    line = only_line(err)
    assert code == 2 and "<standard input>" in line and "JSON" in line and "/tmp" not in line


def test_validate_reads_standard_input(capsys, monkeypatch):
    feed(monkeypatch, DOLINA.read_bytes())
    code, out, _ = run_cli(capsys, "validate", "-")
    assert code == 0 and out.strip() == "<standard input>: valid package"
    # a criteria file named by the package is looked for beside it: standard input has no folder
    feed(monkeypatch, KARTA.read_bytes())
    code, out, _ = run_cli(capsys, "validate", "-")
    assert code == 2 and out.startswith("<standard input>: ") and "appraise-stdin" not in out
    feed(monkeypatch, b"id,a\nP1,x\n")
    code, out, _ = run_cli(capsys, "validate", "-", "--json")
    obj = json.loads(out)
    assert code == 2 and obj["valid"] is False and obj["problems"]
    assert all(p["file"] == "<standard input>" and "appraise-stdin" not in p["line"] for p in obj["problems"])


def test_weights_reads_standard_input_once(capsys, monkeypatch):
    expected = json.loads(run_cli(capsys, "weights", GROUPS, "--json")[1])
    feed(monkeypatch, GROUPS.read_bytes())
    code, out, _ = run_cli(capsys, "weights", "-", "--json")
    assert code == 0 and json.loads(out)["weights"] == expected["weights"]
    code, _, err = run_cli(capsys, "weights", "-", "-")
    assert code == 2 and "once" in only_line(err)


def test_standard_input_that_is_a_terminal_is_refused(capsys, monkeypatch):
    terminal(monkeypatch, "stdin")
    code, _, err = run_cli(capsys, "rank", "-")
    assert code == 2 and "nothing is piped in" in only_line(err)


def test_batch_does_not_read_standard_input(capsys):
    code, _, err = run_cli(capsys, "batch", "-")
    assert code == 2 and "standard input" in only_line(err)


@pytest.mark.parametrize("command,extra", [("rank", []), ("portfolio", ["--budget", "60000000"]),
                                           ("sensitivity", ["--samples", "200"])])
def test_o_dash_writes_the_workbook_to_standard_output(tmp_path, command, extra):
    run = python_cli(command, DOLINA, *extra, "-o", "-")
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout[:4] == b"PK\x03\x04"
    book = tmp_path / "out.xlsx"
    book.write_bytes(run.stdout)
    import openpyxl

    assert len(openpyxl.load_workbook(book).sheetnames) >= 2
    assert "Traceback" not in run.stderr.decode()


def test_template_to_standard_output_and_package_from_standard_input(tmp_path):
    run = python_cli("template", "--from", "-", "-o", "-", stdin=DOLINA.read_bytes(), cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    book = tmp_path / "t.xlsx"
    book.write_bytes(run.stdout)
    from appraisal.io.formats import load_package

    assert [p.id for p in load_package(book).projects] == [p.id for p in load_package(DOLINA).projects]


def test_o_dash_is_refused_on_a_terminal_and_with_json(capsys, monkeypatch):
    code, _, err = run_cli(capsys, "rank", DOLINA, "-o", "-", "--json")
    assert code == 2 and "--json" in only_line(err)
    terminal(monkeypatch, "stdout")
    code, _, err = run_cli(capsys, "rank", DOLINA, "-o", "-")
    assert code == 2 and "terminal" in only_line(err)


# --- --json on validate, batch and opinions (item 6) ---------------------------------------------------------

def test_validate_json(capsys, tmp_path):
    code, out, _err = run_cli(capsys, "validate", DOLINA, "--json")
    obj = json.loads(out)
    assert code == 0 and obj == {"file": str(DOLINA), "kind": "package", "valid": True, "problems": [],
                                 "warnings": obj["warnings"]}
    bad = tmp_path / "zly.json"
    doc = json.loads(DOLINA.read_text(encoding="utf-8"))
    doc["projects"][0]["cost"] = "dużo"
    doc["projects"][2]["cost"] = "mało"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _err = run_cli(capsys, "validate", bad, "--json")
    obj = json.loads(out)
    assert code == 2 and obj["valid"] is False and len(obj["problems"]) >= 2
    for p in obj["problems"]:
        assert set(p) == {"file", "where", "message", "line"} and p["file"] == str(bad) and p["message"]
        assert p["line"].startswith(str(bad)) and p["message"] in p["line"]
    assert any("projects[0]" in (p["where"] or "") for p in obj["problems"])


def test_validate_json_keeps_warnings_on_stderr_too(capsys):
    code, out, err = run_cli(capsys, "validate", INCONSISTENT, "--json")
    obj = json.loads(out)
    assert code == 0 and obj["kind"] == "pairwise matrix" and obj["warnings"]
    assert all(ln.startswith("warning: ") for ln in err.splitlines() if ln.strip()) and err.strip()


def test_batch_json(capsys, tmp_path):
    tree = tmp_path / "pakiety"
    (tree / "dolnośląskie").mkdir(parents=True)
    (tree / "opolskie").mkdir()
    shutil.copy(DOLINA, tree / "dolnośląskie" / "dolina.json")
    shutil.copy(DOLINA, tree / "opolskie" / "druga.json")
    (tree / "opolskie" / "zepsuty.json").write_text("{ nie json", encoding="utf-8")
    out_dir = tmp_path / "wyniki"
    code, out, err = run_cli(capsys, "batch", tree, "-o", out_dir, "--workers", "1", "--json")
    assert code == 3, err
    obj = json.loads(out)
    assert obj["source"] == str(tree) and obj["output"] == str(out_dir) and obj["dry_run"] is False
    assert sorted(Path(s["file"]).name for s in obj["scored"]) == ["dolina.json", "druga.json"]
    assert [Path(f["file"]).name for f in obj["failed"]] == ["zepsuty.json"]
    assert set(obj["failed"][0]) >= {"file", "where", "message"} and "JSON" in obj["failed"][0]["message"]
    assert obj["written"] and all(Path(p).is_file() for p in obj["written"])
    assert str(out_dir / "summary.json") in obj["written"]
    assert "failed: " in err  # the human lines stay on stderr
    code, out, _ = run_cli(capsys, "batch", tree, "-o", tmp_path / "x", "--workers", "1", "--json", "--dry-run")
    assert code == 3 and json.loads(out)["written"] == [] and not (tmp_path / "x").exists()


def test_opinions_json(capsys, tmp_path):
    out_dir = tmp_path / "opinie"
    code, out, err = run_cli(capsys, "opinions", DOLINA, "-o", out_dir, "--format", "md", "--samples", "0",
                             "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert obj["output"] == str(out_dir) and obj["formats"] == ["md"]
    from appraisal.io.formats import load_package

    assert sorted(o["project"] for o in obj["opinions"]) == sorted(p.id for p in load_package(DOLINA).projects)
    for o in obj["opinions"]:
        assert o["recommendation"] in RECOMMENDATIONS
        assert o["rule"] and o["files"] and all(Path(f).is_file() for f in o["files"])
    assert obj["bundle"] and all(Path(f).is_file() for f in obj["bundle"])


# --- weights --strict, exit codes documented (item 6) --------------------------------------------------------

def test_weights_strict_exits_4_when_inconsistent(capsys):
    code, out, err = run_cli(capsys, "weights", INCONSISTENT, "--strict")
    assert code == 4 and "CR" in out and "--strict" in only_line(err)
    code, out, _ = run_cli(capsys, "weights", INCONSISTENT, "--strict", "--json")
    assert code == 4 and json.loads(out)["consistent"] is False
    assert run_cli(capsys, "weights", INCONSISTENT)[0] == 0
    code, out, err = run_cli(capsys, "weights", GROUPS, "--strict", "--json")
    assert code == 0 and json.loads(out)["consistent"] is True and err == ""


def test_exit_codes_are_documented(capsys):
    import appraisal.console.cli as cli_module

    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    for line in ("0 ", "1 ", "2 ", "3 ", "4 ", "130"):
        assert re.search(rf"^\s+{line}", out, re.MULTILINE), line
    assert "weights --strict" in out and "4 ``weights --strict``" in cli_module.__doc__
    code, out, _ = run_cli(capsys, "weights", "--help")
    assert "--strict" in out and "code 4" in out


def test_debug_after_the_subcommand_shows_the_traceback(capsys, tmp_path):
    from appraisal.console.cli import main

    with pytest.raises(Exception, match="brak.json"):
        main(["rank", str(tmp_path / "brak.json"), "--debug"])


# --- the samples installed with the package (item 7) --------------------------------------------------------

def test_samples_list(capsys):
    code, out, _ = run_cli(capsys, "samples", "list")
    listed = out.split()
    assert code == 0 and "pakiet_dolina_baryczy.json" in listed and "karta_oceny.toml" in listed
    bundled = sorted(p.relative_to(samples_dir()).as_posix() for p in samples_dir().rglob("*")
                     if p.is_file() and p.suffix in (".json", ".toml", ".csv", ".xlsx", ".md")
                     and "__pycache__" not in p.parts)
    assert listed == bundled == [str(rel) for rel, _ in sample_files()]


def test_samples_copy_refuses_to_overwrite_unless_forced(capsys, tmp_path):
    folder = tmp_path / "próbki"
    code, out, _ = run_cli(capsys, "samples", "copy", folder)
    assert code == 0
    copied = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert copied == [str(rel) for rel, _ in sample_files()] and str(len(copied)) in out
    for rel in copied:
        assert (folder / rel).read_bytes() == (samples_dir() / rel).read_bytes()
    mine = folder / "pakiet_karta.json"
    mine.write_text("my edits", encoding="utf-8")
    code, _, err = run_cli(capsys, "samples", "copy", folder)
    assert code == 2 and "--force" in only_line(err) and mine.read_text(encoding="utf-8") == "my edits"
    code, _, _ = run_cli(capsys, "samples", "copy", folder, "--force")
    assert code == 0 and mine.read_bytes() == (samples_dir() / "pakiet_karta.json").read_bytes()
    # the copied samples work, wherever they are
    assert run_cli(capsys, "rank", folder / "pakiet_karta.json", "--method", "points")[0] == 0


def test_samples_copy_into_a_file_is_refused(capsys, tmp_path):
    blocker = tmp_path / "plik"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "samples", "copy", blocker)
    assert code == 2 and "Traceback" not in err


def test_the_wheel_carries_the_polish_catalogs_and_the_samples_command():
    """tests/test_packaging.py builds the wheel; here only that what it packs is declared."""
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]
    assert "locale/*/LC_MESSAGES/*.mo" in data["appraisal.criteria"]
    assert (ROOT / "criteria" / "locale" / "pl" / "LC_MESSAGES" / "cli.mo").is_file()
