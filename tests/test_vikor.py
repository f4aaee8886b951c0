"""VIKOR (Opricovic & Tzeng 2004, v = 0.5): the kernel against pymcdm, a worked example, properties, and the
method through the registry (rank, sensitivity, batch, portfolio).

pymcdm is an optional dependency (the ``crosscheck`` extra): without it the pymcdm tests are skipped
(required on CI, as in tests/test_crosscheck.py). pymcdm 1.4's ``VIKOR()`` (no normalization) takes
f* = column max and f⁻ = column min after turning a cost column into its negation, which is the textbook
definition; it refuses a constant column and divides by zero when all S (or all R) are equal, so it is
compared on matrices where neither happens.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from appraisal import methods
from appraisal.io.formats import load_package
from appraisal.portfolio import portfolio
from appraisal.ranking import rank_matrix, ranks
from appraisal.vikor import vikor, vikor_tables
from builders import run_cli

ROOT = Path(__file__).resolve().parents[1]
DOLINA = ROOT / "samples" / "pakiet_dolina_baryczy.json"
MATRIX = ROOT / "samples" / "matrix.csv"
SETTINGS = settings(max_examples=100, deadline=None)


@st.composite
def problems(draw, min_m=2):
    """m 2..10 alternatives, n 1..6 criteria, positive values, random directions and weights (sum 1)."""
    m = draw(st.integers(min_m, 10))
    n = draw(st.integers(1, 6))
    x = np.array(draw(st.lists(st.integers(1, 10_000).map(lambda k: k / 10.0), min_size=m * n,
                               max_size=m * n))).reshape(m, n)
    d = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=n, max_size=n)))
    return x, w / w.sum(), d


# --- a worked example ------------------------------------------------------------------------------------

def test_worked_example_by_hand():
    """Three alternatives, a benefit and a cost criterion, w = (0.6, 0.4), worked by hand:
    f* = (9, 2), f⁻ = (3, 8); regrets d = [[1, 0], [0.5, 0.5], [0, 1]];
    S = (0.6, 0.5, 0.4), R = (0.6, 0.3, 0.4); S* = 0.4, S⁻ = 0.6, R* = 0.3, R⁻ = 0.6;
    Q = 0.5·(S − 0.4)/0.2 + 0.5·(R − 0.3)/0.3 = (1, 0.25, 1/6): A3 first, then A2, then A1."""
    x = np.array([[3.0, 2.0], [6.0, 5.0], [9.0, 8.0]])
    w = np.array([0.6, 0.4])
    d = np.array([1, -1])
    t = vikor_tables(x, w, d)
    np.testing.assert_allclose(t.s, [0.6, 0.5, 0.4], atol=1e-12)
    np.testing.assert_allclose(t.r, [0.6, 0.3, 0.4], atol=1e-12)
    np.testing.assert_allclose(t.q, [1.0, 0.25, 1 / 6], atol=1e-12)
    np.testing.assert_allclose(vikor(x, w, d), t.q, atol=1e-12)
    assert ranks(vikor(x, w, d), higher_is_better=False).tolist() == [3, 2, 1]


def test_published_example_pymcdm_documentation():
    """The example in pymcdm's documentation of VIKOR (pymcdm 1.4, ``pymcdm.methods.VIKOR`` docstring;
    Kizielewicz, Shekhovtsov & Sałabun, SoftwareX 22 (2023) 101368): 5 alternatives, 4 benefit criteria,
    equal weights, printed Q = [0.5679, 0.7667, 1, 0.7493, 0] (4 decimals)."""
    x = np.array([[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]], float)
    q = vikor(x, np.full(4, 0.25), np.ones(4))
    np.testing.assert_allclose(np.round(q, 4), [0.5679, 0.7667, 1, 0.7493, 0], atol=0)


# --- against pymcdm ---------------------------------------------------------------------------------------

def _pymcdm():
    if os.environ.get("CI") == "true":
        import pymcdm  # noqa: F401
    return pytest.importorskip("pymcdm")


@SETTINGS
@given(problems())
def test_matches_pymcdm(p):
    _pymcdm()
    from pymcdm.methods import VIKOR

    x, w, d = p
    assume((np.ptp(x, axis=0) > 0).all())
    t = vikor_tables(x, w, d)
    assume(np.ptp(t.s) > 1e-9 and np.ptp(t.r) > 1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = VIKOR()(x, w, d.astype(int), validation=False)
    np.testing.assert_allclose(vikor(x, w, d), theirs, atol=1e-9)


# --- properties -----------------------------------------------------------------------------------------

@SETTINGS
@given(problems())
def test_textbook_equals_vectorised_and_q_in_unit_interval(p):
    x, w, d = p
    q = vikor(x, w, d)
    np.testing.assert_allclose(q, vikor_tables(x, w, d).q, atol=1e-9)
    assert np.all(np.isfinite(q)) and q.min() >= 0 and q.max() <= 1 + 1e-12


@SETTINGS
@given(problems(), st.integers(1, 5))
def test_stacked_equals_one_at_a_time(p, k):
    x, w, d = p
    rng = np.random.default_rng(k)
    xs = np.stack([x * rng.uniform(0.5, 2.0, size=x.shape) for _ in range(k)])
    ws = rng.dirichlet(np.ones(len(w)), size=k)
    np.testing.assert_allclose(vikor(xs, w, d), np.stack([vikor(xi, w, d) for xi in xs]), atol=1e-12)
    np.testing.assert_allclose(vikor(x, ws, d), np.stack([vikor(x, wi, d) for wi in ws]), atol=1e-12)
    np.testing.assert_allclose(vikor(xs, ws, d), np.stack([vikor(xi, wi, d) for xi, wi in zip(xs, ws)]),
                               atol=1e-12)


@SETTINGS
@given(problems(), st.floats(min_value=1e-3, max_value=1e3), st.data())
def test_invariant_to_scaling_a_column(p, factor, data):
    x, w, d = p
    j = data.draw(st.integers(0, x.shape[1] - 1))
    y = x.copy()
    y[:, j] *= factor
    np.testing.assert_allclose(vikor(y, w, d), vikor(x, w, d), atol=1e-9)


def test_degenerate_cases_are_defined():
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])  # the second column is constant: it adds nothing
    np.testing.assert_allclose(vikor(x, [0.5, 0.5], [1, 1]), vikor(x[:, :1], [0.5], [1]))
    same = np.array([[2.0, 3.0], [2.0, 3.0]])  # every alternative alike: S⁻ = S*, R⁻ = R*, all tie at Q = 0
    assert vikor(same, [0.5, 0.5], [1, -1]).tolist() == [0.0, 0.0]


# --- through the registry ---------------------------------------------------------------------------------

def test_registry_entry():
    m = methods.get("vikor")
    assert not m.higher_is_better and m.weighted and not m.card
    assert "vikor" in methods.names()
    np.testing.assert_allclose(m.values_for_portfolio(np.array([0.0, 0.25, 1.0])), [1.0, 0.75, 0.0])


def test_rank_matrix_lowest_q_first():
    x = np.array([[3.0, 2.0], [6.0, 5.0], [9.0, 8.0]])
    rk = rank_matrix(["A1", "A2", "A3"], ["f1", "f2"], x, [0.6, 0.4], "+-", method="vikor")
    assert [r.id for r in rk.results] == ["A3", "A2", "A1"]
    assert [r.rank for r in rk.results] == [1, 2, 3]
    assert rk.results[0].score == pytest.approx(1 / 6)
    assert set(rk.results[0].cross_check) == {"topsis_vector", "wsm"}


def test_cli_rank_package_lowest_q_first(capsys):
    code, out, err = run_cli(capsys, "rank", DOLINA, "--method", "vikor", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["method"] == "vikor"
    scores = [r["score"] for r in doc["results"]]
    assert scores == sorted(scores)  # ordered by rank: lowest Q first
    assert doc["results"][0]["rank"] == 1 and scores[0] == min(scores)
    code, out, err = run_cli(capsys, "rank", DOLINA, "--method", "vikor")
    assert code == 0 and "lower is better" in out


def test_cli_sensitivity_with_vikor(capsys):
    code, out, err = run_cli(capsys, "sensitivity", MATRIX, "--weights", "0.3,0.3,0.2,0.2",
                             "--directions", "-,+,+,-", "--method", "vikor", "--samples", "2000", "--json")
    assert code == 0, err
    doc = json.loads(out)
    acc = np.array(list(doc["rank_acceptability"].values()))
    np.testing.assert_allclose(acc.sum(axis=0), 1.0)
    np.testing.assert_allclose(acc.sum(axis=1), 1.0)
    # at the base weights, the project ranked first by VIKOR (lowest Q) is first in the sweeps' base ranks
    rk = rank_matrix(*_matrix(), [0.3, 0.3, 0.2, 0.2], "-++-", method="vikor")
    top = rk.results[0].id
    assert doc["stability"] and doc["method"] == "vikor"
    assert any(p["a"] == "vikor" or p["b"] == "vikor" for p in doc["method_robustness"])
    assert doc["expected_rank"][top] == min(doc["expected_rank"].values())


def _matrix():
    from appraisal.io.csv import read_matrix

    m = read_matrix(MATRIX)
    return m.ids, m.criteria, m.values


def test_batch_with_vikor(tmp_path, capsys):
    code, _out, err = run_cli(capsys, "batch", ROOT / "samples" / "pakiety", "-o", tmp_path / "out",
                             "--method", "vikor", "--workers", "1", "--lang", "pl")
    assert code in (0, 3), err
    league = json.loads((tmp_path / "out" / "league.json").read_text(encoding="utf-8"))
    by_package: dict[str, list] = {}
    for row in league:
        if row["eligible"] and row["rank"] is not None:
            by_package.setdefault(row["key"], []).append((row["rank"], row["score"]))
    assert by_package
    for rows in by_package.values():  # within a package, rank 1 has the lowest Q, and so on
        rows.sort()
        assert [q for _, q in rows] == sorted(q for _, q in rows)
    # the national league sheet: best first, i.e. the lowest Q first
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "out" / "podsumowanie_krajowe.xlsx", read_only=True)
    ws = wb["Ranking krajowy"]
    head = next(i for i, r in enumerate(ws.iter_rows(values_only=True)) if r and r[4] == "Wynik")
    scores = [r[4] for r in list(ws.iter_rows(values_only=True))[head + 1:] if r and isinstance(r[4], float)]
    assert scores and scores == sorted(scores)


def test_portfolio_with_vikor_maximises_one_minus_q():
    pkg = load_package(DOLINA)
    rk = pkg.rank("vikor")
    costs = {p.id: p.cost for p in pkg.projects}
    budget = sum(costs[r.id] for r in rk.results) / 2
    pf = portfolio(rk, budget)
    assert pf.method == "vikor"
    chosen = {i.id for i in pf.chosen}
    assert pf.total_score == pytest.approx(sum(1 - r.score for r in rk.results if r.id in chosen))
    # brute force: no set that fits scores more in 1 − Q
    import itertools

    ids = [r.id for r in rk.results]
    value = {r.id: 1 - r.score for r in rk.results}
    best = max(sum(value[i] for i in s) for k in range(len(ids) + 1) for s in itertools.combinations(ids, k)
               if sum(costs[i] for i in s) <= budget + 1e-6)
    assert pf.total_score == pytest.approx(best, abs=1e-9)
