"""What the commands moved into the library (issue 12, part 2/3), called from Python: a panel's matrices
aligned (ahp.align_panel), a batch run (io.batch_run.run_batch), the demo (demo.run_demo), the problem of a
plain matrix without its Ranking (sensitivity.Problem.from_matrix); and the thin command line itself: a
lazy table of commands, one module each, whose --help imports none of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import numpy as np
import pytest

from appraisal import ahp, ranking, scoring
from appraisal import sensitivity as sens
from appraisal.criteria.errors import InputError
from appraisal.io.csv import read_pairwise

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PANEL = [SAMPLES / "panel" / f"ekspert{k}.csv" for k in (1, 2, 3)]


# --- ahp.align_panel ------------------------------------------------------------------------------------------

def _pairwise(names: list[str], upper: list[float]) -> np.ndarray:
    n = len(names)
    a = np.ones((n, n))
    a[np.triu_indices(n, 1)] = upper
    return ahp.complete_reciprocal(a)


def test_align_panel_reorders_each_expert_to_the_first_experts_names():
    first = _pairwise(["a", "b", "c"], [3.0, 5.0, 2.0])
    order = [2, 0, 1]  # the second expert lists c, a, b
    second = first[np.ix_(order, order)]
    aligned, names = ahp.align_panel([first, second], [["a", "b", "c"], ["c", "a", "b"]])
    assert names == ["a", "b", "c"]
    assert len(aligned) == 2
    np.testing.assert_array_equal(aligned[0], first)
    np.testing.assert_array_equal(aligned[1], first)


def test_align_panel_keeps_matrices_already_in_order():
    mats = [read_pairwise(p) for p in PANEL]
    aligned, names = ahp.align_panel([m.matrix for m in mats], [m.names for m in mats])
    assert names == mats[0].names
    for m, a in zip(mats, aligned):
        np.testing.assert_array_equal(a, m.matrix)


def test_align_panel_refuses_other_criteria_naming_the_parameter():
    a = _pairwise(["a", "b"], [3.0])
    with pytest.raises(InputError, match=r"^names_per_matrix: criteria \['a', 'x'\] of matrix 2 differ") as err:
        ahp.align_panel([a, a], [["a", "b"], ["a", "x"]])
    assert err.value.param == "names_per_matrix"
    assert err.value.cli_line().startswith("--names-per-matrix: ")
    with pytest.raises(InputError, match=r"^names_per_matrix: 1 lists of names for 2 matrices"):
        ahp.align_panel([a, a], [["a", "b"]])


def test_align_panel_with_sources_names_the_experts_file_and_row():
    a = _pairwise(["a", "b"], [3.0])
    with pytest.raises(InputError) as err:
        ahp.align_panel([a, a], [["a", "b"], ["a", "x"]], ["e1.csv", "e2.csv"])
    assert str(err.value) == "e2.csv: row 1: criteria ['a', 'x'] differ from ['a', 'b'] in e1.csv"
    assert err.value.param is None


def test_weights_command_gives_the_panel_of_the_aligned_matrices(capsys):
    from appraisal.console.cli import main

    mats = [read_pairwise(p) for p in PANEL]
    aligned, names = ahp.align_panel([m.matrix for m in mats], [m.names for m in mats])
    want = ahp.analyse_panel(aligned, names, [m.source for m in mats], [2, 1, 1]).to_dict()
    assert main(["weights", *map(str, PANEL), "--expert-weights", "2,1,1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(want))


# --- the numpy-only scoring, and Problem.from_matrix -------------------------------------------------------

def test_scoring_names_stay_importable_from_ranking():
    for name in ("TIE_TOLERANCE", "ranks", "check_defined", "check_matrix", "normalise_weights", "direction_signs",
                 "score", "method_scores"):
        assert getattr(ranking, name) is getattr(scoring, name), name


MATRIX = {"ids": ["A", "B", "C", "D"], "criteria": ["cost", "q1", "q2", "risk"],
          "x": [[250, 16, 12, 5], [200, 16, 8, 3], [300, 32, 16, 4], [275, 32, 8, 4]]}


@pytest.mark.parametrize("method,normalization", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector"),
                                                  ("vikor", "minmax")])
def test_problem_from_matrix_is_the_problem_of_its_ranking(method, normalization):
    args = (MATRIX["ids"], MATRIX["criteria"], MATRIX["x"], [3, 3, 2, 2], "-++-", method, normalization, "m.csv")
    a = sens.Problem.from_matrix(*args)
    b = sens.Problem.from_ranking(ranking.rank_matrix(*args))
    assert (a.ids, a.criteria, a.method, a.normalization) == (b.ids, b.criteria, b.method, b.normalization)
    for field in ("x", "weights", "directions"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
        assert getattr(a, field).dtype == getattr(b, field).dtype
    assert (a.groups, a.scales, a.criteria_set, a.reference) == (b.groups, b.scales, b.criteria_set, b.reference)
    ra = sens.report(a, samples=500, seed=3).to_json_dict()
    rb = sens.report(b, samples=500, seed=3).to_json_dict()
    assert json.dumps(ra) == json.dumps(rb)


@pytest.mark.parametrize("change", [
    {"method": "points"}, {"normalization": "reference"}, {"normalization": "nope"}, {"x": [[1, 2]]},
    {"weights": [1, 2]}, {"weights": [1, -1, 1, 1]}, {"directions": "++"}, {"directions": "+?+-"},
    {"ids": ["A", "A", "C", "D"]}, {"x": [[1, 1, 1, 1]] * 4},
])
def test_problem_from_matrix_refuses_what_rank_matrix_refuses(change):
    kw = {**MATRIX, "weights": [3, 3, 2, 2], "directions": "-++-", "method": "topsis", "normalization": "vector",
          "source": "m.csv", **change}
    args = [kw[k] for k in ("ids", "criteria", "x", "weights", "directions", "method", "normalization", "source")]
    with pytest.raises(InputError) as want:
        ranking.rank_matrix(*args)
    with pytest.raises(InputError) as got:
        sens.Problem.from_matrix(*args)
    assert (str(got.value), got.value.param) == (str(want.value), want.value.param)


# --- io.batch_run.run_batch ------------------------------------------------------------------------------------

def test_run_batch_dry_run_scores_the_bundled_tree_and_writes_nothing(tmp_path):
    from appraisal.io.batch_run import run_batch

    out = tmp_path / "out"
    totals = []
    rep = run_batch(SAMPLES / "pakiety", out, dry_run=True, workers=1, progress=_counting(totals))
    assert not rep.nothing_to_retry and rep.result is not None
    assert len(rep.scored) == len(rep.result.outcomes) == 38 and rep.failed == []
    assert totals == [38]
    assert {"wall_s", "workers", "read_and_validate_s", "score_s", "write_s", "summary_s"} <= set(rep.timings)
    assert not out.exists()


def _counting(totals):
    from contextlib import nullcontext

    def progress(total):
        totals.append(total)
        return nullcontext(None)

    return progress


def test_run_batch_writes_then_a_retry_finds_nothing_to_retry(tmp_path):
    from appraisal.io.batch_run import run_batch

    src = tmp_path / "tree" / "dolnośląskie"
    src.mkdir(parents=True)
    for f in sorted((SAMPLES / "pakiety" / "dolnośląskie").glob("*.json"))[:2]:
        (src / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "out"
    rep = run_batch(tmp_path / "tree", out, workers=1)
    assert len(rep.scored) == 2 and (out / "summary.json").exists()
    assert json.loads((out / ".appraise-run.json").read_text())["state"] == "finished"
    again = run_batch(tmp_path / "tree", out, workers=1, only_failed=True)
    assert again.nothing_to_retry and again.result is None and again.failed == []


def test_run_batch_refuses_what_is_not_a_tree_or_a_table(tmp_path):
    from appraisal.io.batch_run import run_batch

    with pytest.raises(InputError, match="no such folder or file"):
        run_batch(tmp_path / "nothing", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no packages found"):
        run_batch(tmp_path / "empty", tmp_path / "out")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError, match="expected a folder of packages, or a long table"):
        run_batch(tmp_path / "notes.txt", tmp_path / "out")


# --- demo.run_demo ------------------------------------------------------------------------------------------------

def test_run_demo_returns_its_sections_and_files_and_shows_them_as_it_goes(tmp_path):
    from appraisal.demo import run_demo

    seen = []
    rep = run_demo(tmp_path / "demo", "en", on_section=seen.append)
    assert seen == rep.sections and len(rep.sections) == 7
    assert rep.sections[0].startswith("== ") and "Advisory opinions" in rep.sections[5]
    assert rep.sections[6].startswith("== All bundled partnerships: 38 packages")
    assert rep.notes == []
    names = {Path(p).name for p in rep.written}
    assert {"ocena_dolina_baryczy.xlsx", "ocena_karta.xlsx", "ranking.json", "ranking_karta.json", "portfel.json",
            "partnerships.json"} <= names
    assert all(Path(p).exists() for p in rep.written)


def test_run_demo_into_a_folder_that_cannot_be_made(tmp_path):
    from appraisal.demo import run_demo

    (tmp_path / "plik").write_text("a file")
    with pytest.raises(InputError, match="cannot make the output folder"):
        run_demo(tmp_path / "plik" / "demo")


# --- the thin command line ---------------------------------------------------------------------------------

def test_every_command_of_the_lazy_table_lists_its_own_help():
    from appraisal.console import cli

    assert cli.cli.list_commands(None) == sorted(cli.COMMANDS)
    for name, summary in cli.COMMANDS.items():
        real = cli.cli.get_command(None, name)
        assert real is not None and real.name == name, name
        assert " ".join(real.help.partition("\n\n")[0].split()) == summary, name
        stub = click.Command(name, help=summary)
        for limit in (20, 45, 70, 200):
            assert stub.get_short_help_str(limit) == real.get_short_help_str(limit), (name, limit)
    assert cli.cli.get_command(None, "nope") is None


CHILD = """
import sys
from appraisal.console.cli import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.startswith("appraisal.commands.")
                or m.split(".")[0] in ("pydantic", "pandas", "scipy", "openpyxl", "docx"))
print("LOADED", " ".join(sorted({m if m.startswith("appraisal") else m.split(".")[0] for m in loaded})))
sys.exit(code)
"""


def _loaded(*args: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    line = [ln for ln in run.stdout.splitlines() if ln.startswith("LOADED")][-1]
    return set(line.split()[1:]) - START_UP


#: loaded by the command line itself, before any command: click's own messages in the user's language
START_UP = {"appraisal.commands.clickwords"}


def test_help_imports_no_command():
    assert _loaded("--help") == set()


def test_a_command_imports_its_own_module_only_and_sensitivity_of_a_csv_no_pydantic():
    assert _loaded("sensitivity", str(SAMPLES / "matrix.csv"), "--directions", "-,+,+,-", "--samples", "50",
                   "--json") == {"appraisal.commands.common", "appraisal.commands.sensitivity"}
    got = _loaded("weights", str(SAMPLES / "pairwise_groups.csv"))
    assert {m for m in got if m.startswith("appraisal.commands.")} == {"appraisal.commands.common",
                                                                        "appraisal.commands.weights"}
