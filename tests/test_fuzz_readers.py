"""Fuzzing the readers: whatever bytes come in, the answer is a result or an InputError.

Arbitrary bytes and mutated valid files (byte flips, deletions, insertions of separators, quotes,
brackets, NULs, truncation ...) go to the CSV readers, the JSON/TOML document reader and the package
parser; a package that parses is also ranked. Any exception other than
:class:`appraisal.criteria.InputError` fails, and so does a call that does not finish in time.
A few end-to-end cases go through the command line (exit code 0 or 2, no traceback).
"""

from __future__ import annotations

import copy
import json
import math
import signal
import tempfile
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.console.cli import main
from appraisal.criteria import InputError, parse_document
from appraisal.io.csv import read_matrix, read_pairwise
from appraisal.package import parse_package
from builders import CWD_SCORES, cwd_package_doc

MAX_SECONDS = 5.0
HARD_LIMIT = 20  # seconds; SIGALRM turns a hang (in Python code) into a failure instead of a stuck run

FUZZ = settings(max_examples=200, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
FUZZ_CLI = settings(FUZZ, max_examples=40)


class Hang(Exception):
    pass


@contextmanager
def hard_limit(seconds: int = HARD_LIMIT):
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def must_return_or_input_error(fn, *args, names_file: str | bool = False, **kwargs):
    """Call fn; return its result, or None when it raised InputError. Anything else fails.

    The error must be one non-empty line; with ``names_file`` it must name a file (that one, when
    ``names_file`` is a file name)."""
    t0 = time.perf_counter()
    try:
        with hard_limit():
            result = fn(*args, **kwargs)
    except InputError as exc:
        msg = str(exc)
        assert msg.strip(), "InputError with an empty message"
        assert "\n" not in msg and "\r" not in msg, f"InputError message is not one line: {msg!r}"
        if names_file:
            assert exc.source, f"InputError does not name a file: {msg!r}"
            if isinstance(names_file, str):
                assert names_file in msg, f"InputError does not name {names_file}: {msg!r}"
        result = None
    elapsed = time.perf_counter() - t0
    assert elapsed < MAX_SECONDS, f"{getattr(fn, '__name__', fn)} took {elapsed:.1f} s"
    return result


# --- seeds: valid files --------------------------------------------------------------------------------

PAIRWISE_SEEDS = [
    b",a,b,c\na,1,2,3\nb,1/2,1,2\nc,1/3,1/2,1\n",
    b";a;b;c\r\na;1;2,5;3\r\nb;;1;2\r\nc;;;1\r\n",
    "\ufeff,Jakość,Koszt,Ryzyko\nJakość,1,3,5\nKoszt,,1,3\nRyzyko,,,1\n".encode("utf-8"),
    ",Jakość,Koszt\nJakość,1,3\nKoszt,1/3,1\n".encode("cp1250"),
    b'"","a","b"\n"a",1,"1/4"\n"b",4,1\n',
]

MATRIX_SEEDS = [
    b"id,c1,c2,c3\nA,1,2,3\nB,4,5,6\nC,7,8,1\n",
    "id;koszt;ludność\nP1;1 200 000,50;3500\nP2;980 000;4100\nP3;2 450 000,00;900\n".encode("cp1250"),
    b"id\tx\ty\nA\t0.5\t-1\nB\t0.25\t-2e3\n",
    b'"id","a","b"\n"X","1","2"\n"Y","3","4"\n\n\n',
]

def cwd_package() -> dict:
    doc = cwd_package_doc()
    doc["partnership"] = {"name": "Partnerstwo"}
    doc["weights"] = {"funding": {"weights": {"funding_identified": 2, "own_contribution": 1,
                                              "cost_per_beneficiary": 1}}}
    return doc


def _levels(n: int) -> dict:
    return {"levels": [{"value": v, "descriptor": {"pl": f"poziom {v}"}} for v in range(n)]}


def inline_package() -> dict:
    """A package carrying its own small criteria set: AHP at the root, direct weights, a gate."""
    criteria = {
        "id": "root", "label": {"pl": "Ocena"},
        "pairwise": [{"expert": "A", "weight": 2, "matrix": [[1, 3], ["1/3", 1]]},
                     {"expert": "B", "matrix": [[1, "1/2"], [2, 1]]}],
        "groups": [
            {"id": "g1", "label": {"en": "G1"}, "weights": {"q": 0.6, "s": 0.4},
             "criteria": [
                 {"id": "q", "label": {"en": "Q"}, "kind": "quantity", "direction": "cost", "min_value": 0,
                  "reference": {"neutral": 100, "good": 0}},
                 {"id": "s", "label": {"en": "S"}, "kind": "scale", "scale": _levels(4)}]},
            {"id": "g2", "label": {"en": "G2"}, "method": "geometric",
             "pairwise": [{"matrix": [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]}],
             "criteria": [
                 {"id": "r", "label": {"en": "R"}, "kind": "scale", "minimum": 1, "scale": _levels(3)},
                 {"id": "t", "label": {"en": "T"}, "kind": "scale", "scale": _levels(6)},
                 {"id": "u", "label": {"en": "U"}, "kind": "scale", "direction": "cost", "scale": _levels(5)}]},
        ],
        "gates": [{"id": "ok", "label": {"en": "OK"}}],
    }
    projects = [
        {"id": "A", "title": "a", "scores": {"q": 10, "s": 1, "r": 2, "t": 5, "u": 1}, "gates": {"ok": True}},
        {"id": "B", "title": "b", "scores": {"q": 20, "s": 3, "r": 1, "t": 2, "u": 4}, "gates": {"ok": True}},
        {"id": "C", "title": "c", "scores": {"q": 5, "s": 0, "r": 0, "t": 3, "u": 2}, "gates": {"ok": False}},
        {"id": "D", "title": "d", "scores": {"q": 15, "s": 2, "r": 2, "t": 4, "u": 3}, "gates": {"ok": True}},
    ]
    return {"partnership": {"name": "Inline"}, "criteria": criteria, "projects": projects}


def card_package() -> dict:
    """A selection card: every criterion on a point scale, a threshold, a bonus criterion."""
    criteria = {
        "id": "karta", "label": {"pl": "Karta"},
        "criteria": [
            {"id": "k1", "label": {"pl": "K1"}, "kind": "scale", "scale": _levels(4), "minimum": 1},
            {"id": "k2", "label": {"pl": "K2"}, "kind": "scale", "scale": _levels(3)},
        ],
        "bonus": [{"id": "b1", "label": {"pl": "B1"}, "kind": "scale", "scale": _levels(3)}],
        "card": {"threshold_percent": 40},
    }
    projects = [
        {"id": "A", "title": "a", "scores": {"k1": 3, "k2": 1, "b1": 2}},
        {"id": "B", "title": "b", "scores": {"k1": 1, "k2": 2}},
        {"id": "C", "title": "c", "scores": {"k1": 0, "k2": 2, "b1": 1}},
    ]
    return {"partnership": {"name": "Karta"}, "criteria": criteria, "projects": projects}


def _ragged_inline() -> dict:
    doc = inline_package()
    doc["criteria"]["groups"][1]["pairwise"][0]["matrix"] = [[2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]
    return doc


PACKAGE_DOCS = [cwd_package(), inline_package(), card_package()]

PACKAGE_TOML = """\
criteria = "cwd"
advisor = "Anna"
date = 2026-10-15

[partnership]
name = "Partnerstwo \\"Dolina\\""
members = ["Gmina A", "Gmina B"]

[weights.strategy_fit]
weights = { strategy_objective = 0.5, territorial_challenges = 0.3, synergy = 0.2 }

[[projects]]
id = "P1"
title = "Pierwszy"
cost = 1_200_000.0
scores = { jst_count = 2, population_served = 6200, partnership_scope = 2, strategy_objective = 4, territorial_challenges = 3, synergy = 1, readiness = 4, institutional_capacity = 3, implementation_risk = 3, funding_identified = 3, own_contribution = 3, cost_per_beneficiary = 6210 }
gates = { in_strategy = true, min_two_jst = true, eligible_costs = true }

[[projects]]
id = "P2"
title = "Drugi"
[projects.scores]
jst_count = 5
population_served = 21000
partnership_scope = 4
strategy_objective = 5
territorial_challenges = 4
synergy = 3
readiness = 3
institutional_capacity = 4
implementation_risk = 2
funding_identified = 4
own_contribution = 2
cost_per_beneficiary = 950
[projects.gates]
in_strategy = true
min_two_jst = true
eligible_costs = true
"""

PACKAGE_SEEDS_JSON = [json.dumps(d, ensure_ascii=False, indent=1).encode() for d in PACKAGE_DOCS]
PACKAGE_SEEDS_TOML = [PACKAGE_TOML.encode()]
CWD_TOML = (resources.files("appraisal.criteria") / "sets" / "cwd.toml").read_bytes()
CRITERIA_SEEDS = [(CWD_TOML, ".toml"), (json.dumps(inline_package()["criteria"]).encode(), ".json"),
                  (json.dumps(card_package()["criteria"]).encode(), ".json")]


def test_seeds_are_valid():
    """Every seed is a valid input, so the mutations start from something that works."""
    for data in PAIRWISE_SEEDS:
        read_pairwise(data=data, source="x.csv")
    for data in MATRIX_SEEDS:
        read_matrix(data=data, source="x.csv")
    for data in PACKAGE_SEEDS_JSON:
        rk = parse_package(data, ".json", "x.json").rank()
        assert len(rk.results) >= 2
    card = parse_package(PACKAGE_SEEDS_JSON[2], ".json", "x.json").rank("points")
    assert card.card is not None
    for data in PACKAGE_SEEDS_TOML:
        assert len(parse_package(data, ".toml", "x.toml").rank().results) == 2
    from appraisal.criteria import criteria_problems

    for data, suffix in CRITERIA_SEEDS:
        cs, problems = criteria_problems(parse_document(data, suffix, "c" + suffix), "c" + suffix)
        assert cs is not None and not problems, problems


# --- mutation strategy ---------------------------------------------------------------------------------

TOKENS = [b",", b";", b'"', b"/", b"-", b"0", b"\n", b"\x00", b"{", b"}", b"[", b"]", b"=", b"\t", b" ",
          b"\r", b"'", b"\\", b"#", b":", b".", b"e", b"1/0", b"0/0", b"1e308", b"1e-320", b"nan", b"inf",
          b"-1", b"9" * 30, b"\xff", b"\xc5", b"\xef\xbb\xbf", b"\xe2\x80\xaf", b'""', b"[[", b"]]",
          b"true", b"null", b"1_0", b"\"\"\"", b"\xa0"]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "insert", "truncate", "duplicate", "swap"]))
        n = len(data)
        if op == "insert" or n == 0:
            pos = draw(st.integers(0, n))
            tok = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=4))
            data[pos:pos] = tok
        elif op == "flip":
            pos = draw(st.integers(0, n - 1))
            data[pos] = data[pos] ^ draw(st.integers(1, 255))
        elif op == "delete":
            pos = draw(st.integers(0, n - 1))
            del data[pos:pos + draw(st.integers(1, 16))]
        elif op == "truncate":
            del data[draw(st.integers(0, n)):]
        elif op == "duplicate":
            a = draw(st.integers(0, n - 1))
            b = draw(st.integers(a, min(n, a + 64)))
            pos = draw(st.integers(0, n))
            data[pos:pos] = data[a:b]
        else:  # swap two bytes
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            data[i], data[j] = data[j], data[i]
    return bytes(data)


ANY_BYTES = st.binary(max_size=600)
TEXTISH = st.text(alphabet=st.sampled_from(list(',;\t"\n\r/ -+.0123456789eE_abcx{}[]=:#\'\\')), max_size=300).map(
    lambda s: s.encode())


# --- CSV readers ---------------------------------------------------------------------------------------

def _check_pairwise(data: bytes) -> None:
    pw = must_return_or_input_error(read_pairwise, data=data, source="x.csv", names_file="x.csv")
    if pw is not None:
        n = len(pw.names)
        assert 2 <= n <= 15 and pw.matrix.shape == (n, n)
        assert all(isinstance(w, str) and "\n" not in w for w in pw.warnings)


def _check_matrix(data: bytes) -> None:
    m = must_return_or_input_error(read_matrix, data=data, source="x.csv", names_file="x.csv")
    if m is not None:
        assert m.values.shape == (len(m.ids), len(m.criteria))
        assert len(m.ids) >= 2 and len(set(m.ids)) == len(m.ids)


@FUZZ
@given(data=st.one_of(ANY_BYTES, TEXTISH))
def test_pairwise_arbitrary_bytes(data):
    _check_pairwise(data)


@FUZZ
@given(data=mutated(PAIRWISE_SEEDS))
def test_pairwise_mutated(data):
    _check_pairwise(data)


@FUZZ
@given(data=st.one_of(ANY_BYTES, TEXTISH))
def test_matrix_arbitrary_bytes(data):
    _check_matrix(data)


@FUZZ
@given(data=mutated(MATRIX_SEEDS))
def test_matrix_mutated(data):
    _check_matrix(data)


# --- what the fuzzers found, kept as plain regression cases ---------------------------------------------

@pytest.mark.parametrize("reader, data", [
    pytest.param(read_matrix, b'"id","a\n,"b"""X",""""1","2"\n"Y",","b', id="matrix-fuzzed"),
    pytest.param(read_matrix, b'id,"a\nb",c\nA,x,1\nB,2,3\n', id="matrix"),
    pytest.param(read_pairwise, b',"a\nb",c\n"a\nb",1,x\nc,,1\n', id="pairwise"),
])
def test_regression_criterion_name_with_a_line_break(reader, data):
    """A quoted criterion name may hold a line break; the error must still be one line."""
    must_return_or_input_error(reader, data=data, source="x.csv", names_file="x.csv")


def test_regression_pairwise_warning_with_a_line_break_in_a_name():
    pw = read_pairwise(data=b',"a\nb",c\n"a\nb",1,12\nc,,1\n', source="x.csv")
    assert pw.warnings and all("\n" not in w for w in pw.warnings), pw.warnings


def test_regression_inline_criteria_ragged_matrix():
    """An inline criteria set with a ragged AHP matrix: InputError, not ValueError from numpy."""
    data = json.dumps(_ragged_inline()).encode()
    pkg = must_return_or_input_error(parse_package, data, ".json", "x.json", names_file=True)
    if pkg is not None:
        must_return_or_input_error(pkg.rank)


def test_matrix_without_source_names_no_file_called_None():
    """read_matrix(data=...) without a source must not call the file 'None' in its messages."""
    with pytest.raises(InputError) as info:
        read_matrix(data=b"id,a\nA,1\n")
    assert not str(info.value).startswith("None"), str(info.value)
    with pytest.raises(InputError) as info:
        read_pairwise(data=b",a,b\na,1,3\nb,3,1\n")
    assert not str(info.value).startswith("None"), str(info.value)


# --- JSON / TOML documents and packages ----------------------------------------------------------------

@FUZZ
@given(data=st.one_of(ANY_BYTES, TEXTISH), suffix=st.sampled_from([".json", ".toml", ".JSON", ".yaml", ""]))
def test_parse_document_arbitrary_bytes(data, suffix):
    doc = must_return_or_input_error(parse_document, data, suffix, "x" + suffix, names_file="x" + suffix)
    assert doc is None or isinstance(doc, dict)


@FUZZ
@given(case=st.sampled_from(CRITERIA_SEEDS).flatmap(
    lambda seed: st.tuples(mutated([seed[0]]), st.just(seed[1]))))
def test_criteria_documents_mutated(case):
    from appraisal.criteria import criteria_problems

    data, suffix = case
    doc = must_return_or_input_error(parse_document, data, suffix, "c" + suffix, names_file="c" + suffix)
    if doc is not None:
        out = must_return_or_input_error(criteria_problems, doc, "c" + suffix)
        if out is None:
            return
        cs, problems = out
        assert all(isinstance(p, InputError) for p in problems)
        assert all("\n" not in str(p) for p in problems), problems
        if cs is not None and not problems:
            from appraisal import ahp

            must_return_or_input_error(ahp.synthesize, cs)


def _check_package(data: bytes, suffix: str, method: str = "topsis") -> None:
    pkg = must_return_or_input_error(parse_package, data, suffix, "x" + suffix, names_file=True)
    if pkg is None:
        return
    rk = must_return_or_input_error(pkg.rank, method)
    if rk is not None:
        assert len(rk.results) >= 1


@FUZZ
@given(data=mutated(PACKAGE_SEEDS_JSON), method=st.sampled_from(["topsis", "wsm", "points"]))
def test_package_json_mutated(data, method):
    _check_package(data, ".json", method)


@FUZZ
@given(data=mutated(PACKAGE_SEEDS_TOML), method=st.sampled_from(["topsis", "wsm"]))
def test_package_toml_mutated(data, method):
    _check_package(data, ".toml", method)


@FUZZ
@given(data=st.one_of(ANY_BYTES, TEXTISH), suffix=st.sampled_from([".json", ".toml"]))
def test_package_arbitrary_bytes(data, suffix):
    _check_package(data, suffix)


# --- structured mutations: valid JSON syntax, odd values in odd places -----------------------------------

ODD_STRINGS = ["", " ", "1/3", "1/0", "0/0", "-1", "0", "1e-320", "1e308", "nan", "inf", "-inf", "9" * 40,
               "cwd", "nonexistent", "x.toml", "1,5", "true", "P1", "A", "benefit", "cost", "scale", "quantity",
               "1e99999", "1/99999999999999999999"]
# (not "1e999999999": see test_bad_input.py::test_subprocess_huge_exponent_in_a_judgment_does_not_hang;
#  Fraction() builds 10**999999999 in one C call that no in-process guard can interrupt)

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(-10 ** 6, 10 ** 6), st.integers(-10 ** 30, 10 ** 30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, -1, 0.5, 1e-320, 5e-324, 1e308, -1e308, 1.7976931348623157e308]),
    st.sampled_from(ODD_STRINGS), st.text(max_size=8),
)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["id", "value", "x", "weights", "matrix", "a"]),
                                                 inner, max_size=3)), max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated_doc(draw) -> dict:
    doc = copy.deepcopy(draw(st.sampled_from(PACKAGE_DOCS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "add"]))
        if op == "replace":
            parent[key] = draw(JSON_VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "weights", "minimum", "bonus", *CWD_SCORES]))] = \
                draw(JSON_VALUES)
        else:
            parent[key] = draw(SCALARS)
    return doc


@FUZZ
@given(doc=mutated_doc(), method=st.sampled_from(["topsis", "wsm", "points"]),
       normalization=st.sampled_from(["vector", "minmax"]))
def test_package_structure_mutated(doc, method, normalization):
    data = json.dumps(doc, ensure_ascii=False).encode()
    pkg = must_return_or_input_error(parse_package, data, ".json", "x.json", names_file=True)
    if pkg is None:
        return
    rk = must_return_or_input_error(pkg.rank, method, normalization)
    if rk is not None:
        # a ranking that comes back must be a real one: finite scores, ranks 1..m
        scores = [r.score for r in rk.results]
        assert all(math.isfinite(s) for s in scores), scores
        assert all(math.isfinite(c.weight) for c in rk.criteria), [c.weight for c in rk.criteria]
        assert min(r.rank for r in rk.results) == 1


# --- end to end through the command line ---------------------------------------------------------------

def _assert_cli_outcome(code: int, text: str, err_only: str) -> None:
    assert "Traceback" not in text, text
    assert code in (0, 2), f"exit code {code}: {text[-2000:]}"
    if code == 2:
        lines = [ln for ln in err_only.splitlines() if ln.strip() and not ln.startswith("warning:")]
        assert len(lines) == 1, lines


@FUZZ_CLI
@given(data=st.one_of(mutated(PAIRWISE_SEEDS), mutated(MATRIX_SEEDS)),
       command=st.sampled_from([["weights"], ["weights", "--method", "geometric"],
                                ["rank", "--directions=+,-,+"], ["rank", "--directions", "-,+",
                                                                 "--weights", "1,2", "--method", "wsm"],
                                ["validate"]]))
def test_cli_csv_fuzz(capsys, data, command):
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "fuzz.csv"
        f.write_bytes(data)
        args = [command[0], str(f), *command[1:]]
        capsys.readouterr()
        with hard_limit():
            code = main(args + ["--json"] if command[0] != "validate" else args)
        cap = capsys.readouterr()
    _assert_cli_outcome(code, cap.err + cap.out, cap.err)


@FUZZ_CLI
@given(data=st.one_of(mutated(PACKAGE_SEEDS_JSON), mutated(PACKAGE_SEEDS_TOML)),
       command=st.sampled_from(["rank", "validate"]))
def test_cli_package_fuzz(capsys, data, command):
    suffix = ".toml" if data[:9] == b"criteria " or b"[[projects]]" in data else ".json"
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / f"fuzz{suffix}"
        f.write_bytes(data)
        capsys.readouterr()
        with hard_limit():
            code = main([command, str(f)])
        cap = capsys.readouterr()
    _assert_cli_outcome(code, cap.err + cap.out, cap.err)
