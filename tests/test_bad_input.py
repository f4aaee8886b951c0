"""Bad input through the command line: one line on stderr naming the place, exit code 2, no traceback.

The rule (docs/design.md#exit-codes): every bad input ends with ONE line on stderr that names the file
and the row/column, cell or field, and what is wrong; exit code 2; no traceback (unless --debug).
Lines starting with ``warning:`` are notes, not errors, and are ignored when counting.

Most cases run the CLI in-process through ``appraisal.console.cli.main`` (fast); Python warnings
raised during the run (numpy RuntimeWarnings and the like) are counted as stderr lines, because the
installed ``appraise`` prints them there. A few cases run the real ``appraise`` in a subprocess.
"""

from __future__ import annotations

import copy
import json
import math
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from appraisal.console.cli import main
from appraisal.criteria import InputError
from builders import cwd_package_doc

# --- helpers ---------------------------------------------------------------------------------------


class Run:
    def __init__(self, code: int, out: str, err: str, py_warnings: list[str]):
        self.code = code
        self.out = out
        self.err = err
        self.py_warnings = py_warnings

    @property
    def err_lines(self) -> list[str]:
        """Non-empty stderr lines that are not 'warning:' notes (Python warnings included)."""
        lines = [ln for ln in self.err.splitlines() if ln.strip() and not ln.startswith("warning:")]
        return lines + self.py_warnings

    @property
    def warning_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.startswith("warning:")]

    def __repr__(self) -> str:
        return f"Run(code={self.code}, err={self.err!r}, py_warnings={self.py_warnings!r}, out={self.out[:300]!r})"


def cli(capsys, *args) -> Run:
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main([str(a) for a in args])
    cap = capsys.readouterr()
    py = [f"{w.category.__name__}: {w.message}" for w in caught]
    return Run(code, cap.out, cap.err, py)


def _has(line: str, fragment) -> bool:
    """``fragment`` is a string (case-insensitive substring) or a tuple of alternatives."""
    if isinstance(fragment, tuple):
        return any(_has(line, f) for f in fragment)
    return fragment.lower() in line.lower()


def assert_bad(run: Run, *fragments) -> str:
    """Exit 2, exactly one error line on stderr, no traceback, and the line holds every fragment."""
    assert "Traceback" not in run.err, run
    assert "Traceback" not in run.out, run
    assert run.code == 2, run
    lines = run.err_lines
    assert len(lines) == 1, f"expected one error line on stderr, got {lines!r} ({run!r})"
    line = lines[0]
    missing = [f for f in fragments if not _has(line, f)]
    assert not missing, f"error line {line!r} lacks {missing!r}"
    return line


def assert_ok(run: Run) -> None:
    assert "Traceback" not in run.err, run
    assert run.code == 0, run
    assert run.err_lines == [], run


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def strict_json(text: str):
    """json.loads that refuses NaN/Infinity (which are not JSON)."""

    def bad(name):
        raise ValueError(f"{name} in JSON output")

    return json.loads(text, parse_constant=bad)


# --- pairwise CSV (appraise weights) -----------------------------------------------------------------

PAIRWISE_OK = ",a,b,c\na,1,2,3\nb,1/2,1,2\nc,1/3,1/2,1\n"


def _square(n: int) -> str:
    names = [f"c{i}" for i in range(1, n + 1)]
    rows = ["," + ",".join(names)]
    for i in range(n):
        rows.append(names[i] + "," + ",".join("1" for _ in range(n)))
    return "\n".join(rows) + "\n"


PAIRWISE_BAD = [
    pytest.param(",a,b,c\na,1,2,3\nb,1/2,1,2\n", ("square", "3", "2"), id="non-square-3-names-2-rows"),
    pytest.param(",a,b\na,1,3\nb,3,1\n", ("row 2", "column 3", "reciprocal", "a vs b"), id="non-reciprocal"),
    pytest.param(",a,b\na,1,0\nb,,1\n", ("row 2", "column 3", "'0'", "positive"), id="zero"),
    pytest.param(",a,b\na,1,-2\nb,,1\n", ("row 2", "column 3", "-2", "positive"), id="negative"),
    pytest.param(",a,b\na,1,abc\nb,,1\n", ("row 2", "column 3", "'abc'", "not a number"), id="non-numeric"),
    pytest.param(",a,b\na,1,1/0\nb,,1\n", ("row 2", "column 3", "1/0"), id="fraction-over-zero"),
    pytest.param(",a,b,c\na,1,,3\nb,,1,2\nc,,,1\n", ("row 2", "column 3", "empty", "a vs b"),
                 id="empty-with-empty-mirror"),
    pytest.param(",a,b\na,1,2\nc,,1\n", ("row 3", "column 1", "'c'", "'b'"), id="names-differ"),
    pytest.param(",a,b\nb,1,2\na,,1\n", ("row 2", "column 1", "'b'", "'a'"), id="names-in-other-order"),
    pytest.param(_square(16), ("16", "15"), id="16x16-larger-than-RI-table"),
    pytest.param(",a\na,1\n", ("two",), id="single-criterion"),
    pytest.param(",a,b\na,2,2\nb,,1\n", ("row 2", "column 2", "diagonal"), id="diagonal-not-1"),
    pytest.param(",a,a\na,1,2\na,,1\n", ("row 1", "column 3", "'a'", "twice"), id="criterion-named-twice"),
    pytest.param(",a,b\na,1,2,5\nb,,1\n", ("row 2", "column 4"), id="too-many-judgments"),
    pytest.param("", ("empty",), id="empty-file"),
    pytest.param(b",a,b\na,1,2\x00\nb,,1\n", ("binary",), id="nul-bytes"),
]


@pytest.mark.parametrize("content, fragments", PAIRWISE_BAD)
def test_pairwise_bad(capsys, tmp_path, content, fragments):
    f = write(tmp_path / "pairwise_in.csv", content)
    assert_bad(cli(capsys, "weights", f), "pairwise_in.csv", *fragments)


def test_pairwise_judgment_outside_saaty_scale_is_a_warning(capsys, tmp_path):
    f = write(tmp_path / "scale12.csv", ",a,b\na,1,12\nb,,1\n")
    run = cli(capsys, "weights", f, "--json")
    assert_ok(run)
    assert len(run.warning_lines) == 1, run
    w = run.warning_lines[0]
    for frag in ("scale12.csv", "row 2", "column 3", "12"):
        assert frag in w, w
    data = strict_json(run.out)
    assert set(data["weights"]) == {"a", "b"}


def test_pairwise_missing_file(capsys, tmp_path):
    assert_bad(cli(capsys, "weights", tmp_path / "nope.csv"), "nope.csv", "no such file")


def test_panel_mismatched_criteria(capsys, tmp_path):
    f1 = write(tmp_path / "expert1.csv", ",a,b\na,1,2\nb,,1\n")
    f2 = write(tmp_path / "expert2.csv", ",a,c\na,1,2\nc,,1\n")
    assert_bad(cli(capsys, "weights", f1, f2), "expert2.csv", "'c'", "differ")


def test_panel_same_criteria_in_another_order_is_fine(capsys, tmp_path):
    f1 = write(tmp_path / "expert1.csv", ",a,b\na,1,2\nb,,1\n")
    f2 = write(tmp_path / "expert2.csv", ",b,a\nb,1,1/3\na,,1\n")
    assert_ok(cli(capsys, "weights", f1, f2, "--json"))


@pytest.mark.parametrize("value, fragments", [
    pytest.param("1,2,3", ("3", "2"), id="wrong-count"),
    pytest.param("1,-2", ("negative",), id="negative"),
    pytest.param("0,0", ("zero",), id="all-zero"),
    pytest.param("1,x", ("'1,x'", "number"), id="non-numeric"),
])
def test_panel_bad_expert_weights(capsys, tmp_path, value, fragments):
    f1 = write(tmp_path / "expert1.csv", ",a,b\na,1,2\nb,,1\n")
    f2 = write(tmp_path / "expert2.csv", ",a,b\na,1,3\nb,,1\n")
    assert_bad(cli(capsys, "weights", f1, f2, f"--expert-weights={value}"),
               ("--expert-weights", "expert weights"), *fragments)


def test_expert_weights_with_a_single_file(capsys, tmp_path):
    f1 = write(tmp_path / "expert1.csv", ",a,b\na,1,2\nb,,1\n")
    assert_bad(cli(capsys, "weights", f1, "--expert-weights", "1"), "--expert-weights", "panel")


# --- decision matrix CSV (appraise rank F.csv) ---------------------------------------------------

MATRIX_OK = "id,c1,c2,c3\nA,1,2,3\nB,4,5,6\nC,7,8,1\n"


@pytest.mark.parametrize("args, fragments", [
    pytest.param(["--weights", "1,2", "--directions", "+,+,+"], ("--weights", "2", "3"), id="weights-wrong-count"),
    pytest.param(["--weights", "1,-2,1", "--directions", "+,+,+"], ("--weights", "weight 2", "negative"),
                 id="weights-negative"),
    pytest.param(["--weights", "0,0,0", "--directions", "+,+,+"], ("--weights", "zero"), id="weights-all-zero"),
    pytest.param(["--weights", "1,x,1", "--directions", "+,+,+"], ("--weights", "weight 2", "'x'", "number"),
                 id="weights-non-numeric"),
    pytest.param(["--weights", "nan,1,1", "--directions", "+,+,+"], ("--weights", "finite"), id="weights-nan"),
    pytest.param(["--weights", "", "--directions", "+,+,+"], ("--weights", "0", "3"), id="weights-empty"),
    pytest.param(["--directions", "+,x,+"], ("--directions", "direction 2", "'x'"), id="direction-x"),
    pytest.param(["--directions", "+,+"], ("--directions", "2", "3"), id="directions-wrong-count"),
    pytest.param(["--directions", "+,+,+,-"], ("--directions", "4", "3"), id="directions-too-many"),
    pytest.param([], ("--directions", "required"), id="directions-missing"),
    pytest.param(["--directions", "+,+,+", "--method", "points"], ("points",), id="points-on-csv"),
])
def test_matrix_bad_options(capsys, tmp_path, args, fragments):
    f = write(tmp_path / "matrix_in.csv", MATRIX_OK)
    assert_bad(cli(capsys, "rank", f, *args), *fragments)


@pytest.mark.parametrize("content, directions, fragments", [
    pytest.param("id,c1,c2\nA,1,abc\nB,4,5\n", "+,+", ("row 2", "column 3", "c2", "'abc'", "not a number"),
                 id="non-numeric-cell"),
    pytest.param("id,c1,c2\nA,1,\nB,4,5\n", "+,+", ("row 2", "column 3", "c2", "missing"), id="missing-last-cell"),
    pytest.param("id,c1,c2\nA,,3\nB,4,5\n", "+,+", ("row 2", "column 2", "c1", "missing"), id="missing-inner-cell"),
    pytest.param("id,c1,c2\nA,1,2\nB,4\n", "+,+", ("row 3", "column 3", "c2", "missing"), id="short-row"),
    pytest.param("id,c1,c2\nA,1,2\nB,inf,5\n", "+,+", ("row 3", "column 2", "c1", "finite"), id="infinite-cell"),
    pytest.param("id,c1,c2\nA,1,2\nA,4,5\n", "+,+", ("row 3", "column 1", "duplicate", "'A'"), id="duplicate-id"),
    pytest.param("id,c1,c2\nA,1,2\n", "+,+", ("two", "1"), id="one-alternative"),
    pytest.param("id,c1,c2\n", "+,+", ("two", "0"), id="no-alternatives"),
    pytest.param("id,c1,c2\nA,1,2\nB,1,2\nC,1,2\n", "+,+", ("undefined",), id="all-constant"),
    pytest.param("id,c1,c2\nA,1,2,7\nB,1,2\n", "+,+", ("row 2", "column 4"), id="too-many-cells"),
    pytest.param("id,c1,c1\nA,1,2\nB,1,3\n", "+,+", ("row 1", "column 3", "'c1'", "twice"), id="criterion-twice"),
    pytest.param("id,c1,c2\n,1,2\nB,1,3\n", "+,+", ("row 2", "column 1", "empty id"), id="empty-id"),
    pytest.param("id\nA\nB\n", "", ("row 1",), id="no-criteria"),
])
def test_matrix_bad_file(capsys, tmp_path, content, directions, fragments):
    f = write(tmp_path / "matrix_in.csv", content)
    assert_bad(cli(capsys, "rank", f, f"--directions={directions}"), "matrix_in.csv", *fragments)


def test_matrix_wsm_all_constant_ranks_everyone_tied(capsys, tmp_path):
    """WSM is defined when every column is constant (every score 0): all tie for rank 1. The TOPSIS
    cross-check, undefined there, is left out instead of failing the WSM ranking (it used to: exit 2)."""
    f = write(tmp_path / "matrix_in.csv", "id,c1,c2\nA,1,2\nB,1,2\nC,1,2\n")
    run = cli(capsys, "rank", f, "--directions", "+,-", "--method", "wsm", "--json")
    assert run.code == 0, run
    out = json.loads(run.out)
    assert [r["rank"] for r in out["results"]] == [1, 1, 1]
    assert all(r["score"] == 0 and "topsis_vector" not in r.get("cross_check", {}) for r in out["results"])
    # TOPSIS itself stays an error there: its closeness is 0/0
    assert_bad(cli(capsys, "rank", f, "--directions", "+,-"), "matrix_in.csv", "undefined")


def test_matrix_unsupported_extension(capsys, tmp_path):
    f = write(tmp_path / "matrix_in.xyz", MATRIX_OK)
    assert_bad(cli(capsys, "rank", f), "matrix_in.xyz", ".xyz")


@pytest.mark.parametrize("args", [
    pytest.param(["--directions=-,+,+"], id="directions-equals"),
    pytest.param(["--directions", "-,+,+"], id="directions-space"),
    pytest.param(["--directions=-,+,+", "--weights=-0.0,2,1"], id="weights-equals"),
    pytest.param(["--directions", "-,+,+", "--weights", "-0.0,2,1"], id="weights-space"),
    pytest.param(["--weights", "-0.0,2,1", "--directions", "-,-,+"], id="weights-first-space"),
])
def test_values_starting_with_a_minus_are_values(capsys, tmp_path, args):
    f = write(tmp_path / "matrix_in.csv", MATRIX_OK)
    run = cli(capsys, "rank", f, *args, "--json")
    assert_ok(run)
    data = strict_json(run.out)
    assert [r["id"] for r in data["results"]] and len(data["results"]) == 3
    assert data["criteria"][0]["direction"] == "cost"


@pytest.mark.parametrize("spelling", [["--weights=-1,1,1"], ["--weights", "-1,1,1"]])
def test_negative_weight_starting_with_minus_is_read_as_a_value(capsys, tmp_path, spelling):
    f = write(tmp_path / "matrix_in.csv", MATRIX_OK)
    # a usage error ("requires an argument") would mean the value was taken for an option
    assert_bad(cli(capsys, "rank", f, *spelling, "--directions=+,+,+"), "--weights", "weight 1", "negative")


# --- packages (JSON / TOML) --------------------------------------------------------------------------

def make_package() -> dict:
    return cwd_package_doc()


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(v)


def to_toml(pkg: dict) -> str:
    """Enough TOML for make_package()-shaped documents (tables, arrays of tables, scalars)."""
    out = []
    for k, v in pkg.items():
        if not isinstance(v, (dict, list)) or (isinstance(v, list) and not v):
            out.append(f"{k} = {_toml_value(v)}")
    for k, v in pkg.items():
        if isinstance(v, dict):
            out.append(f"\n[{k}]")
            out += [f"{kk} = {_toml_value(vv)}" for kk, vv in v.items()]
    for p in pkg.get("projects", []):
        out.append("\n[[projects]]")
        out += [f"{k} = {_toml_value(v)}" for k, v in p.items() if not isinstance(v, dict)]
        for k, v in p.items():
            if isinstance(v, dict):
                out.append(f"[projects.{k}]")
                out += [f"{kk} = {_toml_value(vv)}" for kk, vv in v.items()]
    return "\n".join(out) + "\n"


def write_pkg(path: Path, pkg: dict) -> Path:
    if path.suffix == ".toml":
        return write(path, to_toml(pkg))
    return write(path, json.dumps(pkg, ensure_ascii=False, indent=2))


def _mut(fn):
    def build():
        p = copy.deepcopy(make_package())
        fn(p)
        return p
    return build


def _set(path, value):
    def fn(p):
        node = p
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
    return fn


def _del(path):
    def fn(p):
        node = p
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
    return fn


PACKAGE_BAD = [
    pytest.param(_set(["projects", 0, "scores", "nonexistent"], 1),
                 ("projects[0]", "scores", "'nonexistent'", "unknown criterion"), id="score-for-unknown-criterion"),
    pytest.param(_del(["projects", 1, "scores", "readiness"]),
                 ("projects[1]", "scores", "'readiness'", "missing"), id="missing-score"),
    pytest.param(_set(["projects", 2, "id"], "P1"),
                 ("projects[2]", "duplicate", "'P1'"), id="duplicate-project-id"),
    pytest.param(lambda p: p.update(projects=p["projects"][:1]),
                 ("projects", "two", "1"), id="one-project"),
    pytest.param(lambda p: p.update(projects=[]), ("projects", "two", "0"), id="no-projects"),
    pytest.param(_set(["projects", 1, "scores", "synergy"], 2.5),
                 ("projects[1]", "synergy", "2.5", "level"), id="scale-value-not-a-level"),
    pytest.param(_set(["projects", 1, "scores", "synergy"], 9),
                 ("projects[1]", "synergy", "9", "level"), id="scale-value-above-top"),
    pytest.param(_set(["projects", 1, "scores", "synergy"], "abc"),
                 ("projects[1]", "synergy", "number", "abc"), id="non-numeric-score"),
    pytest.param(_set(["projects", 0, "scores", "population_served"], -5),
                 ("projects[0]", "population_served", "-5"), id="quantity-below-minimum"),
    pytest.param(_del(["projects", 0, "gates", "min_two_jst"]),
                 ("projects[0]", "gates", "min_two_jst"), id="gate-unanswered"),
    pytest.param(_set(["projects", 0, "gates", "nonexistent_gate"], True),
                 ("projects[0]", "gates", "nonexistent_gate"), id="unknown-gate"),
    pytest.param(_del(["partnership"]), ("partnership",), id="missing-partnership"),
    pytest.param(_set(["projects", 0, "unexpected"], 1), ("projects[0]", "unexpected"), id="unknown-field"),
    pytest.param(_set(["criteria"], "nonexistent"), ("criteria", "'nonexistent'"), id="unknown-criteria-set"),
    pytest.param(_set(["weights"], {"nogroup": {"weights": {"a": 1}}}), ("weights", "'nogroup'"),
                 id="weights-for-unknown-group"),
    pytest.param(_set(["weights"], {"strategy_fit": {"weights": {"strategy_objective": 1,
                                                                 "territorial_challenges": 1, "synergy": -1}}}),
                 ("weights.strategy_fit", "negative"), id="weights-override-negative"),
    pytest.param(lambda p: [pr["gates"].update(in_strategy=False) for pr in p["projects"][:2]],
                 ("gates", "P1", "P2"), id="fewer-than-two-pass-the-gates"),
]


@pytest.mark.parametrize("mutate, fragments", PACKAGE_BAD)
def test_package_bad(capsys, tmp_path, mutate, fragments):
    f = write_pkg(tmp_path / "pakiet.json", _mut(mutate)())
    assert_bad(cli(capsys, "rank", f), "pakiet.json", *fragments)


@pytest.mark.parametrize("mutate, fragments", [
    pytest.param(_set(["projects", 2, "id"], "P1"), ("projects[2]", "duplicate", "'P1'"), id="duplicate-id"),
    pytest.param(_set(["projects", 1, "scores", "synergy"], 2.5), ("projects[1]", "synergy", "level"),
                 id="scale-value"),
    pytest.param(_set(["projects", 0, "scores", "nonexistent"], 1), ("projects[0]", "'nonexistent'"),
                 id="unknown-criterion"),
])
def test_package_bad_toml(capsys, tmp_path, mutate, fragments):
    f = write_pkg(tmp_path / "pakiet.toml", _mut(mutate)())
    assert_bad(cli(capsys, "rank", f), "pakiet.toml", *fragments)


@pytest.mark.parametrize("name", ["pakiet.json", "pakiet.toml"])
def test_package_valid_base_ranks(capsys, tmp_path, name):
    """The base the bad packages are made from is itself fine (so each failure is the mutation's)."""
    f = write_pkg(tmp_path / name, make_package())
    run = cli(capsys, "rank", f, "--json")
    assert_ok(run)
    assert [r["id"] for r in strict_json(run.out)["results"]]


def test_package_criteria_file_that_does_not_exist(capsys, tmp_path):
    pkg = make_package()
    pkg["criteria"] = "nonexistent.toml"
    f = write_pkg(tmp_path / "pakiet.json", pkg)
    assert_bad(cli(capsys, "rank", f), "nonexistent.toml", "criteria", "no such file")


def test_package_invalid_json(capsys, tmp_path):
    f = write(tmp_path / "pakiet.json", '{\n  "partnership": {"name": "x"},\n  "projects": [\n    {"id": "P1",}\n  ]\n}\n')
    assert_bad(cli(capsys, "rank", f), "pakiet.json", "line 4", "column", "json")


def test_package_invalid_toml(capsys, tmp_path):
    f = write(tmp_path / "pakiet.toml", '[partnership]\nname = "x"\n\n[[projects]]\nid = P1\n')
    assert_bad(cli(capsys, "rank", f), "pakiet.toml", "line 5", "toml")


def test_package_not_utf8(capsys, tmp_path):
    f = write(tmp_path / "pakiet.json", b'{"partnership": {"name": "\xb3\xf3d\xbc"}}')
    assert_bad(cli(capsys, "rank", f), "pakiet.json", "utf-8", "byte")


def test_package_top_level_not_an_object(capsys, tmp_path):
    f = write(tmp_path / "pakiet.json", "[1, 2]")
    assert_bad(cli(capsys, "rank", f), "pakiet.json", "object")


def test_package_nan_is_not_json(capsys, tmp_path):
    text = json.dumps(make_package()).replace('"synergy": 0', '"synergy": NaN', 1)
    f = write(tmp_path / "pakiet.json", text)
    assert_bad(cli(capsys, "rank", f), "pakiet.json", "nan")


def test_package_file_does_not_exist(capsys, tmp_path):
    assert_bad(cli(capsys, "rank", tmp_path / "brak.json"), "brak.json", "no such file")


@pytest.mark.parametrize("name", ["pakiet.yaml", "pakiet"])
def test_package_unsupported_extension(capsys, tmp_path, name):
    f = write(tmp_path / name, json.dumps(make_package()))
    line = assert_bad(cli(capsys, "rank", f), name, "unsupported")
    assert ".json" in line


def test_package_with_weights_option(capsys, tmp_path):
    f = write_pkg(tmp_path / "pakiet.json", make_package())
    assert_bad(cli(capsys, "rank", f, "--weights", "1,2"), "--weights")


# --- a package carrying its own criteria set (inline): the set is checked like a criteria file --------------

def _levels(n: int) -> dict:
    return {"levels": [{"value": v, "descriptor": {"pl": f"poziom {v}"}} for v in range(n)]}


def inline_package() -> dict:
    criteria = {
        "id": "root", "label": {"pl": "Ocena"},
        "pairwise": [{"expert": "A", "matrix": [[1, 3], ["1/3", 1]]}],
        "groups": [
            {"id": "g1", "label": {"en": "G1"}, "weights": {"q": 0.6, "s": 0.4},
             "criteria": [
                 {"id": "q", "label": {"en": "Q"}, "kind": "quantity", "direction": "cost", "min_value": 0,
                  "reference": {"neutral": 100, "good": 0}},
                 {"id": "s", "label": {"en": "S"}, "kind": "scale", "scale": _levels(4)}]},
            {"id": "g2", "label": {"en": "G2"},
             "pairwise": [{"matrix": [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]}],
             "criteria": [
                 {"id": "r", "label": {"en": "R"}, "kind": "scale", "scale": _levels(3)},
                 {"id": "t", "label": {"en": "T"}, "kind": "scale", "scale": _levels(6)},
                 {"id": "u", "label": {"en": "U"}, "kind": "scale", "direction": "cost", "scale": _levels(5)}]},
        ],
    }
    projects = [
        {"id": "A", "title": "a", "scores": {"q": 10, "s": 1, "r": 2, "t": 5, "u": 1}},
        {"id": "B", "title": "b", "scores": {"q": 20, "s": 3, "r": 1, "t": 2, "u": 4}},
        {"id": "C", "title": "c", "scores": {"q": 15, "s": 2, "r": 2, "t": 4, "u": 3}},
    ]
    return {"partnership": {"name": "Inline"}, "criteria": criteria, "projects": projects}


def _inline(fn):
    def build():
        p = inline_package()
        fn(p["criteria"], p["projects"])
        return p
    return build


def _drop_score(projects, key):
    for pr in projects:
        pr["scores"].pop(key, None)


def _dup_id(c, projects):
    c["groups"][1]["criteria"][1]["id"] = "r"
    _drop_score(projects, "t")


INLINE_BAD = [
    pytest.param(_inline(lambda c, _: c["groups"][1]["pairwise"][0].update(
        matrix=[[2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])), ("pairwise", "3×3"), id="ragged-matrix"),
    pytest.param(_inline(lambda c, _: c["groups"][1]["pairwise"][0].update(matrix=[[1, 2], [0.5, 1]])),
                 ("pairwise", "3×3"), id="matrix-too-small"),
    pytest.param(_inline(lambda c, _: c["pairwise"][0].update(matrix=[[1, 3], [3, 1]])),
                 ("pairwise", "reciprocal"), id="non-reciprocal"),
    pytest.param(_inline(lambda c, _: c["groups"][0].update(weights={"q": 1})), ("weights", "'s'"),
                 id="weight-missing"),
    pytest.param(_inline(lambda c, _: c["groups"][0].update(weights={"q": -1, "s": 2})),
                 ("weights", "negative"), id="weight-negative"),
    pytest.param(_inline(_dup_id), ("'r'", "twice"), id="criterion-id-twice"),
]


def test_inline_criteria_valid_base_ranks(capsys, tmp_path):
    f = write_pkg(tmp_path / "inline.json", inline_package())
    run = cli(capsys, "rank", f, "--json")
    assert_ok(run)
    assert len(strict_json(run.out)["results"]) == 3


@pytest.mark.parametrize("command", ["rank", "validate"])
@pytest.mark.parametrize("build, fragments", INLINE_BAD)
def test_inline_criteria_set_problems(capsys, tmp_path, command, build, fragments):
    f = write_pkg(tmp_path / "inline.json", build())
    run = cli(capsys, command, f)
    if command == "rank":
        assert_bad(run, "inline.json", "criteria", *fragments)
    else:
        assert_bad(run, "inline.json")
        found = [ln for ln in run.out.splitlines() if all(_has(ln, fr) for fr in fragments)]
        assert found, run.out


# --- names with line breaks (a quoted CSV cell may hold one): the message is still one line ----------------

@pytest.mark.parametrize("command, content", [
    pytest.param(["rank", "--directions=+,+"], 'id,"a\nb",c\nA,x,1\nB,2,3\n', id="matrix"),
    pytest.param(["weights"], ',"a\nb",c\n"a\nb",1,x\nc,,1\n', id="pairwise"),
])
def test_line_break_in_a_criterion_name(capsys, tmp_path, command, content):
    f = write(tmp_path / "nl.csv", content)
    assert_bad(cli(capsys, command[0], f, *command[1:]), "nl.csv", "row 2", "'x'")


def test_line_break_in_a_criterion_name_warning(capsys, tmp_path):
    f = write(tmp_path / "nl.csv", ',"a\nb",c\n"a\nb",1,12\nc,,1\n')
    run = cli(capsys, "weights", f)
    assert_ok(run)
    assert len(run.warning_lines) == 1, run.err


# --- appraise validate --------------------------------------------------------------------------------

def test_validate_lists_every_problem(capsys, tmp_path):
    pkg = make_package()
    pkg["projects"][0]["scores"]["bogus"] = 1
    del pkg["projects"][1]["scores"]["readiness"]
    pkg["projects"][2]["scores"]["synergy"] = 7
    f = write_pkg(tmp_path / "trzy.json", pkg)
    run = cli(capsys, "validate", f)
    line = assert_bad(run, "trzy.json", "3")
    assert "problem" in line
    out = [ln for ln in run.out.splitlines() if ln.strip() and not ln.startswith("warning:")]
    assert len(out) == 3, run.out
    assert all("trzy.json" in ln for ln in out), out
    assert any("projects[0]" in ln and "'bogus'" in ln for ln in out), out
    assert any("projects[1]" in ln and "'readiness'" in ln for ln in out), out
    assert any("projects[2]" in ln and "synergy" in ln for ln in out), out


def test_validate_unsupported_extension(capsys, tmp_path):
    f = write(tmp_path / "plik.yaml", "a: 1\n")
    run = cli(capsys, "validate", f)
    assert_bad(run, "plik.yaml")
    assert ".yaml" in run.out


def test_validate_bad_pairwise_csv(capsys, tmp_path):
    f = write(tmp_path / "pw.csv", ",a,b\na,1,3\nb,3,1\n")
    run = cli(capsys, "validate", f)
    assert_bad(run, "pw.csv")
    assert "row 2, column 3" in run.out and "reciprocal" in run.out


def test_validate_valid_package(capsys, tmp_path):
    f = write_pkg(tmp_path / "ok.json", make_package())
    run = cli(capsys, "validate", f)
    assert_ok(run)
    assert "valid" in run.out


# --- usage errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, fragments", [
    pytest.param(["frobnicate"], ("frobnicate",), id="unknown-command"),
    pytest.param(["rank", "--bogus", "x.csv"], ("--bogus",), id="unknown-option"),
    pytest.param(["--bogus"], ("--bogus",), id="unknown-global-option"),
    pytest.param(["rank"], ("source",), id="missing-argument"),
    pytest.param(["rank", "x.csv", "--method", "electre"], ("electre",), id="bad-choice"),
    pytest.param(["rank", "x.csv", "--weights"], ("--weights",), id="option-without-value"),
    pytest.param(["criteria", "frob"], ("frob",), id="unknown-subcommand"),
])
def test_usage_errors(capsys, args, fragments):
    assert_bad(cli(capsys, *args), *fragments)


# --- --debug ------------------------------------------------------------------------------------------

def test_debug_lets_the_input_error_propagate(capsys, tmp_path):
    f = write(tmp_path / "pw.csv", ",a,b\na,1,3\nb,3,1\n")
    with pytest.raises(InputError, match="reciprocal"):
        main(["--debug", "weights", str(f)])


def test_debug_package_error_propagates(capsys, tmp_path):
    pkg = make_package()
    pkg["projects"] = pkg["projects"][:1]
    f = write_pkg(tmp_path / "pakiet.json", pkg)
    with pytest.raises(InputError, match="two"):
        main(["--debug", "rank", str(f)])


# --- extreme but finite numbers: a clean result or a clean error, never NaN or numpy noise ---------------

def assert_clean(run: Run, check=None, *fragments) -> None:
    """Exit 0 with strict JSON (``check``ed first) and nothing but warnings on stderr, or a proper
    bad-input error holding ``fragments``."""
    assert "Traceback" not in run.err, run
    assert run.code in (0, 2), run
    if run.code == 2:
        assert_bad(run, *fragments)
        return
    data = strict_json(run.out)  # no NaN/Infinity in the output
    if check is not None:
        check(data)
    assert run.err_lines == [], f"numpy noise or stray lines on stderr: {run.err_lines!r}"


def test_pairwise_tiny_judgment(capsys, tmp_path):
    # 1/1e-320 overflows to inf: the weights must not come out as NaN
    f = write(tmp_path / "tiny.csv", ",a,b\na,1,1e-320\nb,,1\n")
    run = cli(capsys, "weights", f, "--json")

    def check(data):
        assert all(math.isfinite(v) for v in data["weights"].values()), data

    assert_clean(run, check, "tiny.csv", "row 2", "column 3")


@pytest.mark.parametrize("method", ["topsis", "wsm"])
def test_matrix_huge_values(capsys, tmp_path, method):
    f = write(tmp_path / "huge.csv", "id,c1,c2\nA,1e308,2\nB,-1e308,5\n")
    run = cli(capsys, "rank", f, "--directions", "+,+", "--method", method, "--json")
    assert_clean(run, None, "huge.csv")


def test_weights_huge_but_equal(capsys, tmp_path):
    # three equal weights are equal weights, however large
    f = write(tmp_path / "matrix_in.csv", MATRIX_OK)
    run = cli(capsys, "rank", f, "--weights", "1e308,1e308,1e308", "--directions", "+,+,+", "--json")

    def check(data):
        assert [c["weight"] for c in data["criteria"]] == pytest.approx([1 / 3] * 3)

    assert_clean(run, check, "--weights")


def test_package_weight_override_huge_but_equal(capsys, tmp_path):
    pkg = make_package()
    pkg["weights"] = {"strategy_fit": {"weights": {"strategy_objective": 1e308, "territorial_challenges": 1e308,
                                                   "synergy": 1e308}}}
    f = write_pkg(tmp_path / "pakiet.json", pkg)
    run = cli(capsys, "rank", f, "--json")

    def check(data):
        groups = {g["group"]: g["weights"] for g in data["weights"]}
        assert list(groups["strategy_fit"].values()) == pytest.approx([1 / 3] * 3), groups["strategy_fit"]

    assert_clean(run, check, "pakiet.json", "weights.strategy_fit")


# --- end to end through the installed script (a few subprocess runs) --------------------------------------

def _appraise_cmd() -> list[str]:
    exe = shutil.which("appraise")
    if exe:
        return [exe]
    return [sys.executable, "-c", "from appraisal.console.cli import run; run()"]


def _run(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([*_appraise_cmd(), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def _err_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("warning:")]


def test_subprocess_bad_pairwise(tmp_path):
    f = write(tmp_path / "pw.csv", ",a,b\na,1,3\nb,3,1\n")
    p = _run("weights", f)
    assert p.returncode == 2, p
    assert "Traceback" not in p.stderr
    lines = _err_lines(p.stderr)
    assert len(lines) == 1 and "pw.csv" in lines[0] and "row 2, column 3" in lines[0], p.stderr


def test_subprocess_bad_package(tmp_path):
    f = write(tmp_path / "pakiet.json", '{"partnership": {"name": "x"}, "projects": [}')
    p = _run("rank", f)
    assert p.returncode == 2, p
    assert "Traceback" not in p.stderr
    lines = _err_lines(p.stderr)
    assert len(lines) == 1 and "pakiet.json" in lines[0] and "line 1" in lines[0], p.stderr


def test_subprocess_unknown_command():
    p = _run("frobnicate")
    assert p.returncode == 2, p
    assert "Traceback" not in p.stderr
    assert len(_err_lines(p.stderr)) == 1, p.stderr


def test_subprocess_huge_exponent_in_a_judgment_does_not_hang(tmp_path):
    # "1e999999999" as a pairwise judgment of a package: Fraction() would build 10**999999999 (minutes of
    # CPU, hundreds of MB); a 60-byte input must end quickly, with a result or a one-line error.
    pkg = make_package()
    pkg["weights"] = {"strategy_fit": {"pairwise": [{"matrix": [[1, "1e999999999", 1], ["1e-999999999", 1, 1],
                                                                [1, 1, 1]]}]}}
    f = write_pkg(tmp_path / "pakiet.json", pkg)
    try:
        p = _run("rank", f, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("appraise rank did not finish within 20 s on a package whose judgment is '1e999999999'")
    assert p.returncode == 2, p
    assert "Traceback" not in p.stderr
    lines = _err_lines(p.stderr)
    assert len(lines) == 1 and "pakiet.json" in lines[0] and "pairwise" in lines[0], p.stderr


def test_subprocess_debug_shows_traceback(tmp_path):
    f = write(tmp_path / "pw.csv", ",a,b\na,1,3\nb,3,1\n")
    p = _run("--debug", "weights", f)
    assert p.returncode != 0
    assert "Traceback" in p.stderr and "InputError" in p.stderr, p.stderr
