"""Sensitivity analysis (docs/design.md#sensitivity and #sensitivity-json): SMAA-2 acceptabilities, stability intervals,
critical change, sweeps, samplers, rank correlations, and the ``appraise sensitivity`` command.

Every expected value here is recomputed independently (plain loops, numpy.linalg.eig, scipy.stats,
the definitions in docs/design.md#sensitivity) or follows from the construction of the input; nothing is a
recorded output of the code under test.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.stats
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from appraisal import ahp
from appraisal import sensitivity as sens
from appraisal.console.cli import main
from appraisal.criteria import InputError
from appraisal.io.formats import load_package
from appraisal.ranking import TIE_TOLERANCE, rank_matrix, ranks, score
from appraisal.value import value_functions
from builders import cwd_package_doc

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DOLINA = SAMPLES / "pakiet_dolina_baryczy.json"
MATRIX_CSV = SAMPLES / "matrix.csv"
MATRIX_DIRECTIONS = "-,+,+,-"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- inputs ---------------------------------------------------------------------------------------------

_DOLINA_PROBLEM: dict[str, sens.Problem] = {}


def dolina(method: str = "topsis", normalization: str = "vector") -> sens.Problem:
    """The sample package as a Problem (a fresh copy, so tests may change it)."""
    key = f"{method}/{normalization}"
    if key not in _DOLINA_PROBLEM:
        _DOLINA_PROBLEM[key] = sens.Problem.from_ranking(load_package(DOLINA).rank(method, normalization))
    p = _DOLINA_PROBLEM[key]
    return dataclasses.replace(p, x=p.x.copy(), weights=p.weights.copy())


def matrix_problem(x, weights, directions, method="topsis", normalization="vector", ids=None) -> sens.Problem:
    """A Problem built the way the CLI builds it for a CSV matrix (through rank_matrix)."""
    x = np.asarray(x, dtype=float)
    m, n = x.shape
    ids = ids or [f"A{i + 1}" for i in range(m)]
    crit = [f"c{j + 1}" for j in range(n)]
    rk = rank_matrix(ids, crit, x, weights, ["+" if d > 0 else "-" for d in directions], method, normalization)
    return sens.Problem.from_ranking(rk)


def csv_problem() -> sens.Problem:
    from appraisal.io.csv import read_matrix

    mt = read_matrix(MATRIX_CSV)
    rk = rank_matrix(mt.ids, mt.criteria, mt.values, [0.3, 0.3, 0.2, 0.2], MATRIX_DIRECTIONS.split(","))
    return sens.Problem.from_ranking(rk)


def dominates(x: np.ndarray, d: np.ndarray, i: int, strict_everywhere: bool = False) -> bool:
    """Row i is at least as good as every other row on every criterion (by direction), strictly better
    on at least one (on every one if ``strict_everywhere``)."""
    o = x * d  # larger is better everywhere
    for k in range(len(x)):
        if k == i:
            continue
        if strict_everywhere:
            if not (o[i] > o[k]).all():
                return False
        elif not ((o[i] >= o[k]).all() and (o[i] > o[k]).any()):
            return False
    return True


def with_dominator(problem: sens.Problem, row: int, beyond_scale: bool = False) -> sens.Problem:
    """The package with project ``row`` made best on every criterion: the top of each ordinal scale
    (or beyond it, if ``beyond_scale``: then strictly better than everyone everywhere) and 10 %
    better than the best quantity."""
    x = problem.x.copy()
    others = np.delete(x, row, axis=0)
    for j in range(problem.n):
        d = problem.directions[j]
        scale = problem.scales[j] if problem.scales else None
        best = others[:, j].max() if d > 0 else others[:, j].min()
        if scale is not None and not beyond_scale:
            x[row, j] = scale.max() if d > 0 else scale.min()
        else:
            x[row, j] = best * (1.1 if d > 0 else 0.9) if best != 0 else d
    return dataclasses.replace(problem, x=x)


# --- an independent SMAA: one sample at a time, docs/design.md#smaa's definitions ------------------------------------

def pairwise_ties(s: np.ndarray, tol: float = TIE_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
    """Best rank = 1 + how many score higher by more than tol; tie group = those within tol."""
    s = np.asarray(s, dtype=float)
    first = np.array([1 + int(np.sum(s > si + tol)) for si in s])
    size = np.array([int(np.sum(np.abs(s - si) <= tol)) for si in s])
    return first, size


def draw_stream(weights, matrices, samples: int, seed: int, chunk: int):
    """The samples smaa draws: same Generator, same chunk sizes, weights then matrices per chunk."""
    rng = np.random.default_rng(seed)
    ws, xs, done = [], [], 0
    while done < samples:
        size = min(chunk, samples - done)
        ws.append(weights(rng, size))
        xs.append(matrices(rng, size) if matrices is not None else None)
        done += size
    w = np.concatenate(ws)
    x = None if matrices is None else np.concatenate(xs)
    return w, x


def naive_smaa(problem: sens.Problem, w_all: np.ndarray, x_all: np.ndarray | None):
    m, n = problem.m, problem.n
    S = len(w_all)
    acc = np.zeros((m, m))
    wins = np.zeros((m, m))
    central = np.zeros((m, n))
    for k in range(S):
        x = problem.x if x_all is None else x_all[k]
        s = score(x, w_all[k], problem.directions, problem.method, problem.normalization, problem.reference)
        first, size = pairwise_ties(s)
        for i in range(m):
            for p in range(first[i] - 1, first[i] - 1 + size[i]):
                acc[i, p] += 1.0 / size[i]
            if first[i] == 1:
                central[i] += w_all[k] / size[i]
            for j in range(m):
                if j != i:
                    wins[i, j] += 1.0 if first[i] < first[j] else 0.5 if first[i] == first[j] else 0.0
    acc /= S
    wins /= S
    top = acc[:, 0] * S
    central_w = np.full((m, n), np.nan)
    for i in range(m):
        if top[i] > 0:
            central_w[i] = central[i] / top[i]
    return acc, wins, central_w


def assert_doubly_stochastic(acc: np.ndarray, tol: float = 1e-12) -> None:
    m = acc.shape[0]
    assert acc.shape == (m, m)
    assert (acc >= 0).all()
    np.testing.assert_allclose(acc.sum(axis=1), np.ones(m), rtol=0, atol=tol)
    np.testing.assert_allclose(acc.sum(axis=0), np.ones(m), rtol=0, atol=tol)


# --- 1. acceptability rows and columns sum to 1 -----------------------------------------------------------

def _sampler(problem: sens.Problem, name: str):
    return {"uniform": lambda: sens.uniform_simplex(problem.n),
            "dirichlet": lambda: sens.dirichlet_around(problem.weights, 30.0),
            "ahp": lambda: sens.perturbed_judgments(problem.criteria_set, 0.5),
            "panel": lambda: sens.panel_members(problem.criteria_set)}[name]()


@pytest.mark.parametrize("uncertain", [False, True], ids=["exact-scores", "uncertain-scores"])
@pytest.mark.parametrize("sampler", ["uniform", "dirichlet", "ahp", "panel"])
def test_acceptability_doubly_stochastic_on_the_package(sampler, uncertain):
    p = dolina()
    mats = sens.perturbed_scores(p.x, p.scales, 0.4, 0.25) if uncertain else None
    res = sens.smaa(p, _sampler(p, sampler), 2500, seed=11, matrices=mats)
    assert res.samples == 2500
    assert_doubly_stochastic(res.acceptability)
    # winning probabilities are complementary (ties counted half each way)
    off = ~np.eye(p.m, dtype=bool)
    np.testing.assert_allclose((res.pairwise + res.pairwise.T)[off], 1.0, rtol=0, atol=1e-12)
    assert (np.diag(res.pairwise) == 0).all()


@pytest.mark.parametrize("method", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
@pytest.mark.parametrize("sampler", ["uniform", "dirichlet"])
def test_acceptability_doubly_stochastic_on_a_csv_matrix(sampler, method):
    p = csv_problem()
    p = dataclasses.replace(p, method=method[0], normalization=method[1])
    for mats in (None, sens.perturbed_scores(p.x, None, 0.0, 0.3)):
        res = sens.smaa(p, _sampler(p, sampler), 3000, seed=3, matrices=mats)
        assert_doubly_stochastic(res.acceptability)


def test_report_acceptability_sums_with_uncertainty_through_report():
    p = dolina()
    for sampler in ("uniform", "dirichlet", "ahp", "panel"):
        rep = sens.report(p, samples=1500, seed=2, sampler=sampler, score_change=0.3, quantity_change=0.1)
        acc = np.array([rep["rank_acceptability"][i] for i in p.ids])
        assert_doubly_stochastic(acc)


@pytest.mark.parametrize("method", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
def test_exact_ties_share_their_positions_equally(method):
    # A and B are identical: tied in every sample. E beats both when c2 weighs more, loses otherwise.
    x = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    p = matrix_problem(x, [0.5, 0.5], [1, 1], *method, ids=["A", "B", "E"])
    S = 4000
    for sampler in (sens.uniform_simplex(2), sens.dirichlet_around(np.array([0.5, 0.5]), 5.0)):
        res = sens.smaa(p, sampler, S, seed=1)
        acc = res.acceptability
        assert_doubly_stochastic(acc)
        k = round(acc[2, 0] * S)  # samples with E first
        assert acc[2, 0] == k / S and 0 < k < S  # E is sometimes first, sometimes last
        assert acc[2, 1] == 0.0
        assert acc[2, 2] == (S - k) / S
        for i in (0, 1):  # A and B: ½ at each of their two positions in every sample
            assert acc[i, 0] == (0.5 * (S - k)) / S
            assert acc[i, 1] == 0.5
            assert acc[i, 2] == (0.5 * k) / S
        assert res.pairwise[0, 1] == 0.5 and res.pairwise[1, 0] == 0.5
        # central weights of the tied pair are the same
        np.testing.assert_array_equal(res.central_weights[0], res.central_weights[1])


def test_tied_pair_between_others_gets_half_each():
    # C dominates everyone (strictly), D is dominated (strictly), A = B: always ranks 2-3 shared
    x = [[5.0, 1.0, 7.0], [3.0, 2.0, 5.0], [3.0, 2.0, 5.0], [1.0, 4.0, 2.0]]
    p = matrix_problem(x, [0.3, 0.3, 0.4], [1, -1, 1], ids=["C", "A", "B", "D"])
    res = sens.smaa(p, sens.uniform_simplex(3), 3000, seed=9)
    expected = np.array([[1, 0, 0, 0], [0, 0.5, 0.5, 0], [0, 0.5, 0.5, 0], [0, 0, 0, 1]], float)
    np.testing.assert_array_equal(res.acceptability, expected)


# --- 2. a dominating project ----------------------------------------------------------------------------

def _random_with_dominator(rng, m, n):
    d = rng.choice([-1.0, 1.0], n)
    x = rng.uniform(1, 10, (m, n))
    o = x * d
    best = o.max(axis=0)
    dom = best + rng.uniform(0.5, 2, n)
    eq = rng.integers(n)  # equal to the best on one criterion, strictly better elsewhere
    dom[eq] = best[eq]
    i = rng.integers(m)
    x[i] = dom * d
    return x, d, i


@pytest.mark.parametrize("method", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
def test_dominating_project_always_first_random_matrices(method):
    rng = np.random.default_rng(20240611)
    for _ in range(5):
        m, n = int(rng.integers(3, 8)), int(rng.integers(3, 6))
        x, d, i = _random_with_dominator(rng, m, n)
        assert dominates(x, d, i)
        w = rng.dirichlet(np.ones(n))
        p = matrix_problem(x, w, d, *method)
        for sampler in (sens.uniform_simplex(n), sens.dirichlet_around(p.weights, 3.0)):
            res = sens.smaa(p, sampler, 2000, seed=int(rng.integers(1000)))
            assert res.acceptability[i, 0] == 1.0
            assert all(res.pairwise[i, j] == 1.0 for j in range(m) if j != i)
            assert all(res.pairwise[j, i] == 0.0 for j in range(m) if j != i)


@pytest.mark.parametrize("sampler", ["uniform", "dirichlet", "ahp", "panel"])
def test_dominating_project_always_first_on_the_package(sampler):
    p = with_dominator(dolina(), row=0)
    assert dominates(p.x, p.directions, 0)
    res = sens.smaa(p, _sampler(p, sampler), 2000, seed=4)
    assert res.acceptability[0, 0] == 1.0
    assert all(res.pairwise[0, j] == 1.0 for j in range(1, p.m))
    assert res.confidence[0] == 1.0
    assert np.isnan(res.central_weights[1:]).all()  # nobody else is ever first


# --- 3. Dirichlet concentration --------------------------------------------------------------------------

def test_huge_concentration_collapses_onto_the_base_ranking():
    p = dolina()
    base_scores = p.scores(p.weights)
    assert np.min(np.diff(np.sort(base_scores))) > 1e-3  # no near-ties at the base weights
    base = ranks(base_scores)
    res = sens.smaa(p, sens.dirichlet_around(p.weights, 1e9), 3000, seed=0)
    at_base = res.acceptability[np.arange(p.m), base - 1]
    assert (at_base > 0.999).all(), at_base
    res = sens.smaa(p, sens.dirichlet_around(p.weights, 2.0), 3000, seed=0)
    at_base = res.acceptability[np.arange(p.m), base - 1]
    assert at_base.min() < 0.9, at_base


def test_dirichlet_sampler_mean_and_zero_weights():
    w = np.array([0.5, 0.0, 0.3, 0.2])
    draw = sens.dirichlet_around(w, 50.0)
    s = draw(np.random.default_rng(0), 20000)
    assert s.shape == (20000, 4)
    assert (s[:, 1] == 0).all()
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(s.mean(axis=0), w, atol=0.005)
    tight = sens.dirichlet_around(w, 1e6)(np.random.default_rng(0), 2000)
    assert tight.std(axis=0).max() < s.std(axis=0).max() / 50


# --- 4. stability intervals ------------------------------------------------------------------------------

SIGNATURES = ("ranking", "top", "top_k")


def _sig(r: np.ndarray, what: str, k: int) -> np.ndarray:
    return r if what == "ranking" else (r == 1) if what == "top" else (r <= k)


def _ranks_at(problem: sens.Problem, cols: list[int], t) -> np.ndarray:
    return ranks(problem.scores(sens.oat_weights(problem.weights, cols, np.atleast_1d(t))))


def check_stability(problem: sens.Problem, k: int = 3, with_groups: bool = True) -> dict:
    stab = sens.stability_intervals(problem, k)
    base_r = ranks(problem.scores(problem.weights))
    targets = [(c, [j]) for j, c in enumerate(problem.criteria)]
    if with_groups:
        targets += [(g, cols) for g, cols in problem.groups.items() if len(cols) < problem.n]
    assert list(stab) == [name for name, _ in targets]
    fine = np.linspace(0, 1, 10001)  # step 1e-4
    for name, cols in targets:
        e = stab[name]
        w0 = float(problem.weights[cols].sum())
        assert e["base"] == pytest.approx(w0, abs=1e-12)
        fine_r = _ranks_at(problem, cols, fine)
        for what in SIGNATURES:
            base_sig = _sig(base_r, what, k)
            lo, hi = e[what]
            assert 0 <= lo <= w0 + 1e-6 and w0 - 1e-6 <= hi <= 1, (name, what, lo, w0, hi)

            def same(t, base_sig=base_sig, what=what, cols=cols):
                return bool((_sig(_ranks_at(problem, cols, t)[0], what, k) == base_sig).all())

            if lo > 0:
                assert not same(max(lo - 2e-4, 0.0)), (name, what, "below lo", lo)
                assert same(min(lo + 1e-6, w0)), (name, what, "just inside lo", lo)
            if hi < 1:
                assert not same(min(hi + 2e-4, 1.0)), (name, what, "above hi", hi)
                assert same(max(hi - 1e-6, w0)), (name, what, "just inside hi", hi)
            # the whole interval keeps the property (scanned every 1e-4)
            inside = (fine >= lo + 1e-6) & (fine <= hi - 1e-6)
            ok = (_sig(fine_r[inside], what, k) == base_sig).all(axis=1)
            assert ok.all(), (name, what, lo, hi, fine[inside][~ok][:5])
    return stab


def test_stability_intervals_on_the_package():
    check_stability(dolina())


def test_stability_intervals_on_the_package_wsm():
    check_stability(dolina("wsm"), k=2)


@st.composite
def problems(draw):
    m = draw(st.integers(3, 8))
    n = draw(st.integers(2, 5))
    vals = draw(st.lists(st.integers(1, 400), min_size=m * n, max_size=m * n))
    x = np.array(vals, float).reshape(m, n) / 4.0
    w = np.array(draw(st.lists(st.integers(1, 20), min_size=n, max_size=n)), float)
    d = np.array(draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=n, max_size=n)))
    method = draw(st.sampled_from([("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")]))
    k = draw(st.integers(1, m))
    return x, w, d, method, k


def _no_near_ties(p: sens.Problem) -> bool:
    s = p.scores(p.weights)
    return bool(np.isfinite(s).all() and np.min(np.diff(np.sort(s))) > 1e-9)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_stability_intervals_random_matrices(case):
    x, w, d, method, k = case
    try:
        p = matrix_problem(x, w, d, *method)
    except InputError:  # every column constant: no ranking at all
        reject()
    assume(_no_near_ties(p))
    check_stability(p, k)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_critical_change_random_matrices(case):
    x, w, d, method, _k = case
    try:
        p = matrix_problem(x, w, d, *method)
    except InputError:
        reject()
    assume(_no_near_ties(p))
    check_critical_change(p, sens.stability_intervals(p))


# --- 5. critical change ----------------------------------------------------------------------------------

def check_critical_change(problem: sens.Problem, stab: dict) -> dict | None:
    cc = sens.critical_change(problem, stab)
    base_top = ranks(problem.scores(problem.weights)) == 1
    if cc is None:
        # then no criterion's "top" interval ends inside [0, 1]
        assert all(stab[c]["top"] == [0.0, 1.0] for c in problem.criteria)
        return None
    j = problem.criteria.index(cc["criterion"])
    w0 = float(problem.weights[j])
    assert cc["from"] == pytest.approx(w0, abs=1e-12)
    assert cc["absolute"] == pytest.approx(abs(cc["to"] - cc["from"]), abs=2e-6)
    if w0 > 0:  # both rounded to 6 decimals
        assert cc["relative"] == pytest.approx(cc["absolute"] / w0, abs=1e-6 + 1e-6 / w0)
    # at `to` another project comes first
    r = _ranks_at(problem, [j], cc["to"])[0]
    assert not ((r == 1) == base_top).all()
    # and no smaller change of any one weight does (every 1e-4, both directions)
    steps = np.arange(0.0, cc["absolute"] - 1e-4, 1e-4)
    for c in range(problem.n):
        wc = float(problem.weights[c])
        for sign in (-1, 1):
            t = wc + sign * steps
            t = t[(t >= 0) & (t <= 1)]
            if t.size == 0:
                continue
            tops = _ranks_at(problem, [c], t) == 1
            same = (tops == base_top).all(axis=1)
            assert same.all(), (problem.criteria[c], sign, t[~same][:3], cc)
    return cc


def test_critical_change_on_the_package():
    p = dolina()
    cc = check_critical_change(p, sens.stability_intervals(p))
    assert cc is not None  # the sample's top project can be displaced


def test_critical_change_on_the_csv_matrix():
    p = csv_problem()
    cc = check_critical_change(p, sens.stability_intervals(p))
    assert cc is not None


@pytest.mark.parametrize("method", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
def test_no_critical_change_when_one_project_dominates(method):
    rng = np.random.default_rng(7)
    x = rng.uniform(1, 10, (5, 4))
    d = np.array([1.0, -1.0, 1.0, -1.0])
    x[2] = np.where(d > 0, x.max(axis=0) + 1, x.min(axis=0) - 0.5)
    assert dominates(x, d, 2, strict_everywhere=True)
    p = matrix_problem(x, [0.1, 0.2, 0.3, 0.4], d, *method)
    stab = sens.stability_intervals(p)
    assert all(stab[c]["top"] == [0.0, 1.0] for c in p.criteria)
    assert sens.critical_change(p, stab) is None


def test_no_critical_change_when_one_project_dominates_the_package():
    p = with_dominator(dolina(), row=3, beyond_scale=True)
    assert dominates(p.x, p.directions, 3, strict_everywhere=True)
    assert sens.critical_change(p, sens.stability_intervals(p)) is None


# --- 6. reproducibility -----------------------------------------------------------------------------------

def test_report_is_reproducible_by_seed(monkeypatch):
    monkeypatch.setattr(sens, "CHUNK", 700)  # several chunks, the last one partial
    p = dolina()
    kw = {"samples": 2500, "sampler": "ahp", "score_change": 0.2, "quantity_change": 0.1}
    a = json.dumps(sens.report(p, seed=5, **kw).to_json_dict())
    b = json.dumps(sens.report(p, seed=5, **kw).to_json_dict())
    assert a == b
    c = sens.report(p, seed=6, **kw)
    assert json.loads(a)["rank_acceptability"] != c["rank_acceptability"]
    assert json.loads(a)["seed"] == 5 and c["seed"] == 6


def test_cli_is_reproducible_by_seed(capsys):
    args = ["sensitivity", str(DOLINA), "--json", "--samples", "3000", "--sampler", "panel",
            "--quantity-change", "0.1"]
    code1, out1, _ = run(capsys, *args, "--seed", "5")
    code2, out2, _ = run(capsys, *args, "--seed", "5")
    assert code1 == code2 == 0
    assert out1 == out2
    code3, out3, _ = run(capsys, *args, "--seed", "6")
    assert code3 == 0
    assert json.loads(out1)["rank_acceptability"] != json.loads(out3)["rank_acceptability"]


# --- 7. vectorised vs a plain loop -------------------------------------------------------------------------

def _compare_with_naive(monkeypatch, p, sampler, mats=None, samples=300, seed=17, chunk=64):
    monkeypatch.setattr(sens, "CHUNK", chunk)
    res = sens.smaa(p, sampler, samples, seed, mats)
    w_all, x_all = draw_stream(sampler, mats, samples, seed, chunk)
    acc, wins, central = naive_smaa(p, w_all, x_all)
    np.testing.assert_allclose(res.acceptability, acc, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.pairwise, wins, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.isnan(res.central_weights), np.isnan(central))
    np.testing.assert_allclose(res.central_weights, central, rtol=0, atol=1e-12, equal_nan=True)
    # expected rank and 5-95 % interval from the acceptabilities
    np.testing.assert_allclose(res.expected_rank(), acc @ np.arange(1, p.m + 1), rtol=0, atol=1e-12)
    for i in range(p.m):
        cum = np.cumsum(acc[i])
        lo = 1 + next(r for r in range(p.m) if cum[r] >= 0.05 - 1e-12)
        hi = 1 + next(r for r in range(p.m) if cum[r] >= 0.95 - 1e-12)
        assert tuple(res.rank_interval()[i]) == (lo, hi)
    # confidence factors: first at its own central weights (over the score draws, if any)
    crng = np.random.default_rng([seed, 1])
    xs = mats(crng, 4096) if mats is not None else p.x[None]
    for i in range(p.m):
        if np.isnan(central[i]).any():
            assert np.isnan(res.confidence[i])
            continue
        shares = []
        for xk in xs:
            first, size = pairwise_ties(score(xk, central[i], p.directions, p.method, p.normalization,
                                              p.reference))
            shares.append(1.0 / size[i] if first[i] == 1 else 0.0)
        assert res.confidence[i] == pytest.approx(np.mean(shares), abs=1e-12)
    return res


def test_smaa_matches_a_plain_loop_with_ties(monkeypatch):
    # A2 and A4 are identical (tied in every sample)
    x = [[3.0, 200.0, 5.0], [4.0, 150.0, 2.0], [2.0, 120.0, 4.0], [4.0, 150.0, 2.0], [1.0, 90.0, 5.0]]
    p = matrix_problem(x, [0.4, 0.35, 0.25], [1, -1, 1])
    res = _compare_with_naive(monkeypatch, p, sens.uniform_simplex(3))
    assert res.acceptability[1].tolist() == res.acceptability[3].tolist()


@pytest.mark.parametrize("method", [("topsis", "minmax"), ("wsm", "vector")])
def test_smaa_matches_a_plain_loop_other_methods(monkeypatch, method):
    p = dataclasses.replace(csv_problem(), method=method[0], normalization=method[1])
    _compare_with_naive(monkeypatch, p, sens.dirichlet_around(p.weights, 10.0),
                        sens.perturbed_scores(p.x, None, 0.0, 0.2), samples=200)


@pytest.mark.parametrize("sampler", ["dirichlet", "ahp", "panel"])
def test_smaa_matches_a_plain_loop_on_the_package(monkeypatch, sampler):
    p = dolina()
    mats = sens.perturbed_scores(p.x, p.scales, 0.3, 0.1) if sampler == "dirichlet" else None
    _compare_with_naive(monkeypatch, p, _sampler(p, sampler), mats, samples=250, chunk=100)


def test_tied_ranks_match_the_pairwise_definition():
    rng = np.random.default_rng(123)
    for m in (1, 2, 3, 5, 8, 13):
        s = rng.integers(0, 4, (300, m)).astype(float)  # lots of exact ties
        jitter = s + rng.uniform(-2e-13, 2e-13, s.shape)  # ties within the tolerance
        for scores in (s, jitter):
            first, size = sens.tied_ranks(scores)
            assert first.shape == size.shape == (300, m)
            for k in range(300):
                f, z = pairwise_ties(scores[k])
                np.testing.assert_array_equal(first[k], f)
                np.testing.assert_array_equal(size[k], z)
            np.testing.assert_array_equal(first, ranks(scores))
            counts = sens.acceptability_counts(first, size)
            np.testing.assert_allclose(counts.sum(axis=0), 300, rtol=0, atol=1e-9)
            np.testing.assert_allclose(counts.sum(axis=1), 300, rtol=0, atol=1e-9)


def test_tied_ranks_not_tied_beyond_the_tolerance():
    s = np.array([[1.0, 1.0 + 1e-9, 0.5, 0.5]])
    first, size = sens.tied_ranks(s)
    assert first.tolist() == [[2, 1, 3, 3]]
    assert size.tolist() == [[1, 1, 2, 2]]


def _principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    v = np.abs(vecs[:, k].real)
    return v / v.sum(), float(vals[k].real)


def _capture_eigen(monkeypatch):
    calls = []
    original = ahp.eigenvector_weights

    def spy(a, *args, **kw):
        out = original(a, *args, **kw)
        calls.append((np.array(a, dtype=float), np.array(out[0])))
        return out

    monkeypatch.setattr(ahp, "eigenvector_weights", spy)
    return calls


def _global_from_local(cs, local: dict[str, np.ndarray]) -> np.ndarray:
    out = []
    for path, leaf in cs.leaf_paths():
        g = 1.0
        nodes = [*path, leaf]
        for parent, child in itertools.pairwise(nodes):
            g *= local[parent.id][[c.id for c in parent.children].index(child.id)]
        out.append(g)
    return np.array(out)


def test_perturbed_judgments_match_eig_per_sample(monkeypatch):
    p = dolina()
    cs = p.criteria_set
    groups = [g.id for g in cs.iter_groups() if g.pairwise]
    assert len(groups) >= 3
    base_local = {nd.group: np.asarray(nd.local) for nd in ahp.synthesize(cs)[1]}
    draw = sens.perturbed_judgments(cs, 0.6)
    calls = _capture_eigen(monkeypatch)
    S = 200
    w = draw(np.random.default_rng(8), S)
    assert w.shape == (S, p.n)
    assert len(calls) == len(groups)
    local = {gid: out for gid, (_mats, out) in zip(groups, calls)}
    for gid, (mats, out) in zip(groups, calls):
        assert mats.shape[0] == S and out.shape == (S, mats.shape[1])
        for k in range(S):
            v, _ = _principal(mats[k])
            np.testing.assert_allclose(out[k], v, rtol=0, atol=1e-9, err_msg=gid)
    for k in range(S):
        lk = {g: (local[g][k] if g in local else base_local[g]) for g in base_local}
        np.testing.assert_allclose(w[k], _global_from_local(cs, lk), rtol=0, atol=1e-12)


def test_perturbed_judgments_stay_on_saatys_scale(monkeypatch):
    p = dolina()
    cs = p.criteria_set
    grid = np.log(ahp.SAATY_SCALE)

    def pos(v):  # fractional position on Saaty's scale
        return np.interp(np.log(v), grid, np.arange(len(grid)))

    # the matrices as given: what the sampler works on when nothing moves
    unchanged = sens.perturbed_judgments(cs, 0.0)  # built before the spy: the set-up weighs matrices too
    originals = _capture_eigen(monkeypatch)
    unchanged(np.random.default_rng(0), 3)
    originals = [mats[0] for mats, _ in originals]
    monkeypatch.undo()
    assert len(originals) == sum(1 for g in cs.iter_groups() if g.pairwise)
    for change in (0.5, 1.0):
        draw = sens.perturbed_judgments(cs, change)
        calls = _capture_eigen(monkeypatch)
        draw(np.random.default_rng(1), 2000)
        monkeypatch.undo()
        moved = total = 0
        for a0, (mats, _) in zip(originals, calls, strict=True):
            k = a0.shape[0]
            iu = np.triu_indices(k, 1)
            np.testing.assert_allclose(mats[:, np.arange(k), np.arange(k)], 1.0, rtol=0, atol=0)
            np.testing.assert_allclose(mats[:, iu[1], iu[0]] * mats[:, iu[0], iu[1]], 1.0, rtol=1e-12)
            orig = a0[iu]
            new = mats[:, iu[0], iu[1]]
            same = np.isclose(new, orig, rtol=1e-12, atol=0)
            on_scale = np.isclose(new[..., None], ahp.SAATY_SCALE, rtol=1e-12, atol=0).any(axis=-1)
            assert (same | on_scale).all()
            step = np.abs(pos(new) - pos(orig))
            assert (step[~same] <= 1 + 1e-9).all() and (step[~same] > 0).all()
            inner = (orig > 1 / 9 + 1e-9) & (orig < 9 - 1e-9)  # can move either way
            moved += int((~same[:, inner]).sum())
            total += int(same[:, inner].size)
        assert total > 0
        if change == 1.0:
            assert moved == total
        else:
            assert abs(moved / total - change) < 0.05


def test_perturbed_judgments_with_no_change_give_the_base_weights():
    p = dolina()
    w = sens.perturbed_judgments(p.criteria_set, 0.0)(np.random.default_rng(3), 50)
    np.testing.assert_allclose(w, np.broadcast_to(p.weights, w.shape), rtol=0, atol=1e-12)


def test_panel_members_draw_each_experts_own_weights():
    p = dolina()
    cs = p.criteria_set
    panel = [g for g in cs.iter_groups() if g.pairwise and len(g.pairwise) > 1]
    assert len(panel) == 1
    g = panel[0]
    own = np.array([_principal(ahp.complete_reciprocal(np.array(j.numeric(), float)))[0] for j in g.pairwise])
    ew = np.array([j.weight for j in g.pairwise], float)
    cols = p.groups[g.id]
    others = [j for j in range(p.n) if j not in cols]
    S = 6000
    w = sens.panel_members(cs)(np.random.default_rng(2), S)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    # the other groups keep their base weights (relative to one another)
    rel = w[:, others] / w[:, others].sum(axis=1, keepdims=True)
    np.testing.assert_allclose(rel, np.broadcast_to(p.weights[others] / p.weights[others].sum(), rel.shape),
                               atol=1e-12)
    inside = w[:, cols] / w[:, cols].sum(axis=1, keepdims=True)
    dist = np.abs(inside[:, None, :] - own[None, :, :]).max(axis=2)
    which = dist.argmin(axis=1)
    assert (dist.min(axis=1) < 1e-9).all()
    np.testing.assert_allclose(np.bincount(which, minlength=len(ew)) / S, ew / ew.sum(), atol=0.025)


def test_perturbed_scores_stay_on_the_scales_and_within_bounds():
    p = dolina()
    mats = sens.perturbed_scores(p.x, p.scales, 0.5, 0.2)(np.random.default_rng(0), 3000)
    assert mats.shape == (3000, p.m, p.n)
    for j, scale in enumerate(p.scales):
        col = mats[:, :, j]
        if scale is None:  # uniform factor in [0.8, 1.2]
            ratio = col / p.x[:, j]
            assert ratio.min() >= 0.8 - 1e-12 and ratio.max() <= 1.2 + 1e-12
            assert ratio.min() < 0.801 and ratio.max() > 1.199
            assert abs(ratio.std() - 0.4 / np.sqrt(12)) < 0.005
        else:
            assert np.isin(col, scale).all()
            level = np.searchsorted(scale, col)
            base = np.searchsorted(scale, p.x[:, j])
            assert (np.abs(level - base) <= 1).all()
            # p = 0.5 of a move, half of them blocked at either end of the scale
            at_end = (base == 0) | (base == len(scale) - 1)
            expected = np.where(at_end, 0.25, 0.5).mean()
            assert abs((level != base).mean() - expected) < 0.03


# --- 8. oat_weights --------------------------------------------------------------------------------------

def test_oat_weights_single_and_group():
    rng = np.random.default_rng(5)
    t = np.array([0.0, 0.05, 0.3, 0.77, 1.0])
    for n in (2, 3, 6):
        w = rng.dirichlet(np.ones(n))
        for cols in ([0], [n - 1], list(range(n - 1)) if n > 2 else [1], [0, n - 1] if n > 2 else [0]):
            out = sens.oat_weights(w, cols, t)
            inside = np.zeros(n, bool)
            inside[cols] = True
            assert out.shape == (len(t), n)
            np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=0, atol=1e-12)
            np.testing.assert_allclose(out[:, inside].sum(axis=1), t, rtol=0, atol=1e-12)
            share_in = w[inside] / w[inside].sum()
            np.testing.assert_allclose(out[:, inside], t[:, None] * share_in, rtol=0, atol=1e-12)
            share_out = w[~inside] / w[~inside].sum()
            np.testing.assert_allclose(out[:, ~inside], (1 - t)[:, None] * share_out, rtol=0, atol=1e-12)
            # at the base weight nothing moves
            np.testing.assert_allclose(sens.oat_weights(w, cols, w[inside].sum())[0], w, rtol=0, atol=1e-12)


def test_oat_weights_zero_base_weight_is_shared_equally():
    w = np.array([0.6, 0.0, 0.0, 0.4])
    out = sens.oat_weights(w, [1, 2], np.array([0.5]))[0]
    np.testing.assert_allclose(out, [0.3, 0.25, 0.25, 0.2], rtol=0, atol=1e-15)


# --- 9. rank correlations --------------------------------------------------------------------------------

def test_spearman_and_kendall_match_scipy():
    rng = np.random.default_rng(99)
    checked = 0
    for _ in range(300):
        m = int(rng.integers(2, 12))
        top = int(rng.integers(2, m + 2))
        ra = rng.integers(1, top, m)
        rb = rng.integers(1, top, m) if rng.random() < 0.6 else ra[rng.permutation(m)]
        if len(set(ra)) < 2 or len(set(rb)) < 2:
            continue
        rho = scipy.stats.spearmanr(ra, rb)[0]
        tau = scipy.stats.kendalltau(ra, rb, variant="b")[0]
        assert sens.spearman(ra, rb) == pytest.approx(rho, abs=1e-12)
        assert sens.kendall_tau_b(ra, rb) == pytest.approx(tau, abs=1e-12)
        checked += 1
    assert checked > 200
    r = np.array([1, 2, 2, 4, 5])
    assert sens.spearman(r, r) == pytest.approx(1.0, abs=1e-12)
    assert sens.kendall_tau_b(r, 6 - r) == pytest.approx(-1.0, abs=1e-12)


def test_method_robustness_reports_ranks_of_each_method():
    p = dolina()
    leaves = {c.id: c for c in p.criteria_set.leaves()}
    rows = sens.method_robustness(p)
    names = ["topsis_vector", "topsis_minmax", "topsis_reference", "wsm"]  # R-TOPSIS: the package has a yardstick
    assert [(r["a"], r["b"]) for r in rows] == list(itertools.combinations(names, 2))
    expected = {"topsis_vector": ranks(score(p.x, p.weights, p.directions, "topsis", "vector")),
                "topsis_minmax": ranks(score(p.x, p.weights, p.directions, "topsis", "minmax")),
                "topsis_reference": ranks(score(p.x, p.weights, p.directions, "topsis", "reference",
                                                value_functions([leaves[c] for c in p.criteria]))),
                "wsm": ranks(score(p.x, p.weights, p.directions, "wsm"))}
    for r in rows:
        ra, rb = expected[r["a"]], expected[r["b"]]
        assert r["ranks"] == {"a": ra.tolist(), "b": rb.tolist()}
        assert r["spearman"] == pytest.approx(scipy.stats.spearmanr(ra, rb)[0], abs=1e-12)
        assert r["kendall"] == pytest.approx(scipy.stats.kendalltau(ra, rb)[0], abs=1e-12)
        assert r["same_ranking"] is bool((ra == rb).all())
        assert r["same_top"] is (set(np.flatnonzero(ra == 1)) == set(np.flatnonzero(rb == 1)))
    # a plain matrix has no yardstick: no R-TOPSIS row
    rows = sens.method_robustness(csv_problem())
    assert [(r["a"], r["b"]) for r in rows] == list(itertools.combinations(["topsis_vector", "topsis_minmax", "wsm"], 2))


# --- 10. sweeps -------------------------------------------------------------------------------------------

def test_sweeps_at_the_base_weight_give_the_base_ranks_exact_grid():
    x = [[3.0, 200.0, 5.0], [4.0, 150.0, 2.0], [2.0, 120.0, 4.0], [5.0, 260.0, 3.0]]
    p = matrix_problem(x, [0.25, 0.5, 0.25], [1, -1, 1])
    base = ranks(p.scores(p.weights))
    sw = sens.sweeps(p, points=5)
    assert list(sw) == p.criteria
    for j, c in enumerate(p.criteria):
        e = sw[c]
        assert e["kind"] == "criterion" and e["t"] == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert e["base"] == p.weights[j]
        at = e["t"].index(p.weights[j])
        assert [e["ranks"][i][at] for i in p.ids] == base.tolist()


def test_sweeps_on_the_package():
    p = dolina()
    base = ranks(p.scores(p.weights))
    sw = sens.sweeps(p)
    groups = [g for g, cols in p.groups.items() if len(cols) < p.n]
    assert list(sw) == p.criteria + groups
    t = np.linspace(0, 1, sens.SWEEP_POINTS)
    for name, e in sw.items():
        cols = [p.criteria.index(name)] if name in p.criteria else p.groups[name]
        assert e["kind"] == ("criterion" if name in p.criteria else "group")
        w0 = float(p.weights[cols].sum())
        assert e["base"] == pytest.approx(w0, abs=1e-12)
        assert e["t"][0] == 0.0 and e["t"][-1] == 1.0 and len(e["t"]) == sens.SWEEP_POINTS
        assert set(e["ranks"]) == set(p.ids)
        r = np.array([e["ranks"][i] for i in p.ids]).T  # (T, m)
        assert r.shape == (sens.SWEEP_POINTS, p.m) and r.min() >= 1 and r.max() <= p.m
        # the nearest grid point to the base weight: if the ranking does not change between it and the
        # base weight (scanned finely), the sweep must show the base ranks there
        at = int(np.argmin(np.abs(t - w0)))
        between = np.linspace(min(t[at], w0), max(t[at], w0), 201)
        scan = _ranks_at(p, cols, between)
        if (scan == base).all():
            assert r[at].tolist() == base.tolist(), name
        # at the ends: all weight on / none on the target
        expect0 = ranks(p.scores(sens.oat_weights(p.weights, cols, [0.0])[0]))
        assert r[0].tolist() == expect0.tolist()


def test_sweeps_and_stability_limited_to_named_criteria():
    p = dolina()
    assert list(sens.sweeps(p, names=["readiness", "funding"])) == ["readiness", "funding"]
    assert list(sens.stability_intervals(p, names=["synergy"])) == ["synergy"]


# --- 11. bad input on the command line ---------------------------------------------------------------------

@pytest.fixture
def cwd_package(tmp_path):
    path = tmp_path / "bez_panelu.json"
    path.write_text(json.dumps(cwd_package_doc(4), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def direct_package(tmp_path):
    """The cwd set with every group weighed directly: no pairwise judgments anywhere."""
    doc = cwd_package_doc(4)
    doc["weights"] = {
        "cwd": {"weights": {"partnership_benefit": 3, "strategy_fit": 3, "feasibility": 2, "funding": 1}},
        "partnership_benefit": {"weights": {"jst_count": 1, "population_served": 2, "partnership_scope": 3}},
        "feasibility": {"weights": {"readiness": 3, "institutional_capacity": 1, "implementation_risk": 2}},
    }
    path = tmp_path / "bez_ahp.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


BAD = [
    ("samples-0", [str(DOLINA), "--samples", "0"], "--samples", "positive"),
    ("samples-neg", [str(DOLINA), "--samples", "-5"], "--samples", "positive"),
    ("samples-neg-eq", [str(DOLINA), "--samples=-5"], "--samples", "positive"),
    ("samples-huge", [str(DOLINA), "--samples", "20000000"], "--samples", "--force"),
    ("concentration-0", [str(DOLINA), "--concentration", "0"], "--concentration", "> 0"),
    ("concentration-neg", [str(DOLINA), "--concentration", "-1"], "--concentration", "> 0"),
    ("score-change", [str(DOLINA), "--score-change", "1.5"], "--score-change", "[0, 1]"),
    ("quantity-change", [str(DOLINA), "--quantity-change", "-0.1"], "--quantity-change", "[0, 1)"),
    ("judgment-change", [str(DOLINA), "--sampler", "ahp", "--judgment-change", "2"], "--judgment-change",
     "[0, 1]"),
    ("criterion", [str(DOLINA), "--criterion", "nonexistent"], "--criterion", "nonexistent"),
    ("top-k", [str(DOLINA), "--top-k", "0"], "--top-k", "0"),
    ("ahp-on-csv", [str(MATRIX_CSV), "--directions", MATRIX_DIRECTIONS, "--sampler", "ahp"], "--sampler",
     "pairwise"),
    ("panel-on-csv", [str(MATRIX_CSV), "--directions", MATRIX_DIRECTIONS, "--sampler", "panel"], "--sampler",
     "panel"),
    ("panel-without-pairwise", ["DIRECT", "--sampler", "panel"], "--sampler", "pairwise"),
    ("ahp-without-pairwise", ["DIRECT", "--sampler", "ahp"], "--sampler", "pairwise"),
    ("method-points", [str(DOLINA), "--method", "points"], "--method", "points"),
]


@pytest.mark.parametrize(("args", "option", "problem"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_one_line_exit_2(capsys, cwd_package, direct_package, args, option, problem):
    args = [str(cwd_package) if a == "CWD" else str(direct_package) if a == "DIRECT" else a for a in args]
    code, out, err = run(capsys, "sensitivity", *args)
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    assert option in lines[0], lines[0]
    assert problem in lines[0], lines[0]
    assert out == ""


def test_huge_sample_count_refused_in_the_engine_unless_forced(monkeypatch):
    p = dolina()
    with pytest.raises(InputError, match=r"^samples: .*add force to run it anyway") as raised:
        sens.report(p, samples=sens.MAX_SAMPLES + 1)
    assert raised.value.cli_line().startswith("--samples: ") and "add --force" in raised.value.cli_line()
    # with force the limit does not apply (a small limit keeps this cheap)
    monkeypatch.setattr(sens, "MAX_SAMPLES", 100)
    with pytest.raises(InputError, match="^samples: "):
        sens.report(p, samples=101)
    rep = sens.report(p, samples=101, force=True)
    assert rep["samples"] == 101


# --- 12. the command's output ------------------------------------------------------------------------------

def _check_json_contract(obj: dict, samples: int, seed: int, ids: list[str], criteria: list[str]) -> None:
    assert obj["samples"] == samples and obj["seed"] == seed
    ra = obj["rank_acceptability"]
    assert list(ra) == ids
    acc = np.array([ra[i] for i in ids])
    assert_doubly_stochastic(acc)
    stab = obj["stability"]
    for c in criteria:
        e = stab[c]
        for what in ("ranking", "top"):
            lo, hi = e[what]
            assert 0 <= lo <= e["base"] + 1e-6 <= hi + 2e-6 <= 1 + 2e-6
    cc = obj["critical_change"]
    if cc is not None:
        assert {"criterion", "from", "to", "absolute", "relative"} <= set(cc)
        assert cc["criterion"] in criteria
        assert cc["absolute"] == pytest.approx(abs(cc["to"] - cc["from"]), abs=2e-6)
        assert cc["relative"] == pytest.approx(cc["absolute"] / cc["from"], abs=1e-6 + 1e-6 / cc["from"])


def test_cli_json_contract_on_the_package(capsys):
    code, out, err = run(capsys, "sensitivity", str(DOLINA), "--json", "--samples", "1500", "--seed", "3")
    assert code == 0, err
    obj = json.loads(out)
    p = dolina()
    _check_json_contract(obj, 1500, 3, p.ids, p.criteria)
    assert obj["critical_change"] is not None


def test_cli_json_contract_on_a_csv_matrix(capsys, tmp_path):
    code, out, err = run(capsys, "sensitivity", str(MATRIX_CSV), "--weights", "3,3,2,2", "--directions",
                         MATRIX_DIRECTIONS, "--json", "--samples", "800", "--seed", "1", "--method", "wsm")
    assert code == 0, err
    obj = json.loads(out)
    _check_json_contract(obj, 800, 1, ["A1", "A2", "A3", "A4", "A5", "A6"],
                         ["koszt_mln", "ludnosc", "gotowosc", "ryzyko"])
    # a dominating project: critical_change is null
    dom = tmp_path / "dom.csv"
    dom.write_text("id,a,b,c\nX,10,1,9\nY,5,3,4\nZ,7,2,6\nW,3,5,8\n", encoding="utf-8")
    code, out, err = run(capsys, "sensitivity", str(dom), "--directions", "+,-,+", "--json", "--samples", "500")
    assert code == 0, err
    obj = json.loads(out)
    _check_json_contract(obj, 500, 0, ["X", "Y", "Z", "W"], ["a", "b", "c"])
    assert obj["critical_change"] is None
    assert obj["rank_acceptability"]["X"][0] == 1.0


def test_cli_human_output_has_the_tables(capsys):
    code, out, err = run(capsys, "sensitivity", str(DOLINA), "--samples", "1000", "--seed", "2")
    assert code == 0, err
    for heading in ("Rank acceptability", "Weight stability intervals", "Critical change",
                    "Methods compared"):
        assert heading in out, heading
    p = dolina()
    assert all(i in out for i in p.ids)
    assert all(c in out for c in p.criteria)
    assert "1,000 samples, seed 2" in out


def test_cli_human_output_says_when_no_change_gives_another_top(capsys, tmp_path):
    dom = tmp_path / "dom.csv"
    dom.write_text("id,a,b\nX,10,1\nY,5,3\nZ,7,2\n", encoding="utf-8")
    code, out, err = run(capsys, "sensitivity", str(dom), "--directions", "+,-", "--samples", "300")
    assert code == 0, err
    assert "No change of a single weight gives another top project" in out
    assert "Rank acceptability" in out and "Methods compared" in out


def test_rank_correlations_when_one_ranking_is_all_tied():
    from appraisal.sensitivity import kendall_tau_b, spearman

    tied, varied = np.array([1, 1, 1, 1]), np.array([1, 2, 3, 4])
    assert spearman(tied, tied) == 1.0 and kendall_tau_b(tied, tied) == 1.0
    assert np.isnan(spearman(tied, varied)) and np.isnan(kendall_tau_b(varied, tied))


# --- 13. the numbers audit ------------------------------------------------------------------------------------
#
# (1) stability intervals keep their 1e-4 accuracy for a flip narrower than the scan step; (2) the critical
# change names its variant and also gives Triantaphyllou & Sánchez's (1997) relative measure; (3) the AHP and
# panel samplers follow a group's method (geometric) and aggregation (AIP); (4) top-k larger than the number
# of projects is clamped with a warning; (5) R-TOPSIS (normalization "reference") runs through everything.

def brute_force_interval(problem: sens.Problem, cols: list[int], what: str, k: int,
                         points: int = 1_000_001) -> tuple[float, float]:
    """The interval around the base weight over which the property holds, by scanning ``points`` weights
    (step 1e-6 by default): the first and last scanned weights of the run that holds the base weight."""
    t = np.linspace(0, 1, points)
    base = _sig(ranks(problem.scores(problem.weights)), what, k)
    same = np.empty(points, dtype=bool)
    for a in range(0, points, 200_000):
        r = ranks(problem.scores(sens.oat_weights(problem.weights, cols, t[a:a + 200_000])))
        same[a:a + 200_000] = (_sig(r, what, k) == base).all(axis=1)
    i0 = int(np.argmin(np.abs(t - problem.weights[cols].sum())))
    assert same[i0]
    below = np.flatnonzero(~same[:i0])
    above = np.flatnonzero(~same[i0:])
    lo = 0.0 if below.size == 0 else t[below[-1] + 1]
    hi = 1.0 if above.size == 0 else t[i0 + above[0] - 1]
    return float(lo), float(hi)


def narrow_flip_problem(depth: float = 3e-10) -> sens.Problem:
    """Three projects, three benefit criteria, weights 0.4/0.3/0.3. As c1's weight t goes down from 0.4,
    B's TOPSIS score comes close to A's near t ≈ 0.22 and moves away again (their difference has a smooth
    minimum there). B's value on c2 is raised just enough (found by brentq) for that minimum to be
    −``depth``: B passes A and falls back again, on an interval about 1e-4 wide — narrower than the step
    of the stability scan."""
    from scipy.optimize import brentq, minimize_scalar

    x0 = np.array([[8.0, 5.0, 8.0], [7.0, 7.0, 6.0], [1.0, 9.0, 1.0]])
    w, d = np.array([0.4, 0.3, 0.3]), np.ones(3)

    def closest(lam: float):
        x = x0.copy()
        x[1, 1] += lam

        def gap(t: float) -> float:
            s = score(x, sens.oat_weights(w, [0], np.array([t]))[0], d)
            return float(s[0] - s[1])

        return minimize_scalar(gap, bounds=(0.1, 0.35), method="bounded", options={"xatol": 1e-12})

    assert closest(0.0).fun > 1e-3  # without the tuning B stays clearly below A
    lam = brentq(lambda v: closest(v).fun + depth, 0.0, 1.0, xtol=1e-15)
    x = x0.copy()
    x[1, 1] += lam
    return matrix_problem(x, w, d, ids=["A", "B", "C"])


def test_stability_finds_a_flip_narrower_than_the_scan_step():
    p = narrow_flip_problem()
    base = ranks(p.scores(p.weights))
    assert base.tolist() == [1, 2, 3]
    # where B is above A along c1's sweep (fine scan, step 1e-6): one run, narrower than the scan step,
    # with no point of the stability scan inside
    t = np.linspace(0, 1, 1_000_001)
    s = p.scores(sens.oat_weights(p.weights, [0], t))
    flip = t[s[:, 1] > s[:, 0] + TIE_TOLERANCE]
    assert flip.size > 20
    width = flip[-1] - flip[0]
    assert np.allclose(np.diff(flip), 1e-6) and width < 1 / (sens.SCAN_POINTS - 1)
    grid = np.linspace(0, 1, sens.SCAN_POINTS)
    assert not ((grid >= flip[0] - 1e-6) & (grid <= flip[-1] + 1e-6)).any()
    assert flip[-1] < 0.4  # below the base weight: the interval must stop at the flip
    stab = sens.stability_intervals(p, k=2)
    for name, cols in (("c1", [0]), ("c2", [1]), ("c3", [2])):
        for what in SIGNATURES:
            lo, hi = brute_force_interval(p, cols, what, 2)
            got = stab[name][what]
            assert got[0] == pytest.approx(lo, abs=1e-4), (name, what, got, lo, hi)
            assert got[1] == pytest.approx(hi, abs=1e-4), (name, what, got, lo, hi)
    assert stab["c1"]["ranking"][0] == pytest.approx(flip[-1], abs=1e-4)
    assert stab["c1"]["top"][0] == pytest.approx(flip[-1], abs=1e-4)
    # along c1 the top project first changes at the flip (B first, just below it)
    to = stab["c1"]["top_changes_at"][0]
    assert to == pytest.approx(flip[-1], abs=1e-4) and to > flip[0]
    assert _ranks_at(p, [0], to)[0].tolist() == [2, 1, 3]
    # the critical change: the smallest |t − w| over every criterion, as the fine scan finds it
    cc = sens.critical_change(p, stab)
    best = min(abs(edge - p.weights[j]) for j in range(p.n)
               for edge in brute_force_interval(p, [j], "top", 2) if 0 < edge < 1)
    assert cc["absolute"] == pytest.approx(best, abs=1e-4)


@pytest.mark.parametrize("method", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
def test_stability_intervals_match_a_brute_force_scan(method):
    rng = np.random.default_rng(31)
    for _ in range(3):
        m, n = int(rng.integers(4, 7)), int(rng.integers(3, 5))
        x = rng.uniform(1, 10, (m, n))
        d = rng.choice([-1.0, 1.0], n)
        p = matrix_problem(x, rng.dirichlet(np.ones(n) * 3), d, *method)
        if not _no_near_ties(p):
            continue
        stab = sens.stability_intervals(p, k=2)
        for j, c in enumerate(p.criteria):
            for what in SIGNATURES:
                lo, hi = brute_force_interval(p, [j], what, 2, points=200_001)
                assert stab[c][what][0] == pytest.approx(lo, abs=1e-4), (c, what)
                assert stab[c][what][1] == pytest.approx(hi, abs=1e-4), (c, what)


# (2) critical change: variant, T&S's relative measure, the percent-top critical criterion

def ts_wsm(problem: sens.Problem) -> tuple[dict, dict]:
    """Triantaphyllou & Sánchez (1997), Theorem 1, for WSM on the oriented min-max values r: with A_i above
    A_j, changing W_k alone by δ (the other weights as they are; WSM's ranking does not depend on the
    weights' scale) reverses them at δ = (P_i − P_j)/(r_jk − r_ik), feasible when W_k + δ ≥ 0 (where the
    two tie at W_k + δ = 0, the ranking has changed too: ties share a rank). Returns,
    per criterion, the smallest |δ|·100/W_k over the pairs (the criticality degree D'_k, any pair) and over
    the pairs of the top project (percent-top)."""
    from appraisal.normalization import minmax

    r = minmax(problem.x, problem.directions)
    w = problem.weights
    p = r @ w
    any_pair, top = {}, {}
    first = int(np.argmax(p))
    for k, c in enumerate(problem.criteria):
        if w[k] <= 0:
            continue
        best_any = best_top = np.inf
        for i in range(problem.m):
            for j in range(problem.m):
                if p[i] <= p[j] or r[j, k] == r[i, k]:
                    continue
                delta = (p[i] - p[j]) / (r[j, k] - r[i, k])
                if w[k] + delta < -1e-9:  # infeasible: the weight would have to go below 0 (at 0: a tie)
                    continue
                pct = 100 * abs(delta) / w[k]
                best_any = min(best_any, pct)
                if i == first:
                    best_top = min(best_top, pct)
        any_pair[c], top[c] = best_any, best_top
    return any_pair, top


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_relative_critical_change_follows_triantaphyllou_and_sanchez_for_wsm(case):
    x, w, d, _method, _k = case
    try:
        p = matrix_problem(x, w, d, "wsm")
    except InputError:
        reject()
    assume(_no_near_ties(p))
    stab = sens.stability_intervals(p)
    any_pair, top = ts_wsm(p)
    for c in p.criteria:
        expected = any_pair[c]
        got = stab[c]["criticality_degree"]
        if np.isinf(expected):
            assert got is None
        else:
            assert got == pytest.approx(expected, rel=1e-6, abs=1e-6)
    ts = sens.critical_change_relative(p, stab)
    finite = {c: v for c, v in top.items() if np.isfinite(v)}
    if not finite:
        assert ts is None
        return
    best = min(finite.values())
    assert ts["ts_percent"] == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert finite[ts["criterion"]] == pytest.approx(best, rel=1e-6, abs=1e-6)


def test_critical_change_names_its_variant_and_both_relative_measures():
    p = dolina()
    stab = sens.stability_intervals(p)
    cc = sens.critical_change(p, stab)
    assert cc["variant"] == "proportional"
    w0, to = cc["from"], cc["to"]
    assert cc["absolute"] == pytest.approx(abs(to - w0), abs=1e-12)
    assert cc["relative"] == pytest.approx(abs(to - w0) / w0, abs=1e-12)
    assert cc["relative_percent"] == pytest.approx(100 * cc["relative"], abs=1e-9)
    # T&S: the change of W_j alone (others held, then all renormalised) that reaches the threshold
    edge = stab[cc["criterion"]]["top"][0 if to < w0 else 1]
    delta = (edge - w0) / (1 - edge)
    assert cc["ts_delta"] == pytest.approx(delta, abs=1e-9)
    assert cc["ts_percent"] == pytest.approx(100 * abs(delta) / w0, abs=1e-6)
    w = p.weights.copy()
    j = p.criteria.index(cc["criterion"])
    w[j] += delta  # T&S's perturbation, before renormalising: the same weights as t = edge
    np.testing.assert_allclose(w / w.sum(), sens.oat_weights(p.weights, [j], np.array([edge]))[0], atol=1e-12)
    # the percent-top critical criterion: the smallest T&S percentage over every criterion and side
    ts = sens.critical_change_relative(p, stab)
    pcts = []
    for c in p.criteria:
        e = stab[c]
        for side in (0, 1):
            if e["top_changes_at"][side] is not None and e["base"] > 0:
                t = e["top"][side]
                pcts.append((100 * abs(t - e["base"]) / (1 - t) / e["base"], c))
    assert ts["ts_percent"] == pytest.approx(min(pcts)[0], abs=1e-9)
    assert ts["criterion"] == min(pcts)[1]
    rep = sens.report(p, samples=200, seed=1)
    assert rep["critical_change"] == cc
    assert rep["critical_change_relative"] == ts


# (3) samplers follow the group's method and aggregation

ROOT_EXPERTS = [
    {"expert": "E1", "weight": 2, "matrix": [[1, 1, 2, 3], [1, 1, 2, 3], ["1/2", "1/2", 1, 2],
                                              ["1/3", "1/3", "1/2", 1]]},
    {"expert": "E2", "weight": 1, "matrix": [[1, 2, 2, 5], ["1/2", 1, 3, 4], ["1/2", "1/3", 1, 2],
                                              ["1/5", "1/4", "1/2", 1]]},
]


def geometric_aip_doc(one_expert: bool = False) -> dict:
    """The sample package with the root weighed by row geometric means and (unless ``one_expert``) its
    strategy-fit panel and a two-expert root aggregated by AIP."""
    doc = json.loads(DOLINA.read_text(encoding="utf-8"))
    panel = doc["weights"]["strategy_fit"]["pairwise"]
    if one_expert:
        doc["weights"] = {"cwd": {"pairwise": ROOT_EXPERTS[1:], "method": "geometric"},
                          "strategy_fit": {"pairwise": panel[:1], "method": "geometric"}}
    else:
        doc["weights"] = {"cwd": {"pairwise": ROOT_EXPERTS, "method": "geometric", "aggregation": "aip"},
                          "strategy_fit": {"pairwise": panel, "aggregation": "aip"}}
    return doc


def geometric_aip_problem(one_expert: bool = False) -> sens.Problem:
    from appraisal.package import package_from_document

    pkg = package_from_document(geometric_aip_doc(one_expert), "geo_aip.json")
    return sens.Problem.from_ranking(pkg.rank("topsis"))


def test_the_test_set_really_uses_geometric_and_aip():
    p = geometric_aip_problem()
    cs = p.criteria_set
    root = next(g for g in cs.iter_groups() if g.id == "cwd")
    assert root.method == "geometric" and root.aggregation == "aip" and len(root.pairwise) == 2
    mats = [ahp.complete_reciprocal(np.array(j.numeric(), float)) for j in root.pairwise]
    geo = ahp.aggregate_priorities(np.stack([ahp.geometric_weights(a) for a in mats]), [2, 1])
    eig_aij = ahp.eigenvector_weights(ahp.aggregate_judgments(np.stack(mats), [2, 1]))[0]
    assert np.abs(geo - eig_aij).max() > 1e-4  # the difference the samplers must respect
    local = {nd.group: nd.local for nd in ahp.synthesize(cs)[1]}
    np.testing.assert_allclose(local["cwd"], geo, atol=1e-12)


@pytest.mark.parametrize("one_expert", [False, True], ids=["panels-aip", "one-expert"])
def test_ahp_sampler_with_no_change_gives_the_base_weights_geometric_aip(one_expert):
    p = geometric_aip_problem(one_expert)
    w = sens.perturbed_judgments(p.criteria_set, 0.0)(np.random.default_rng(3), 40)
    np.testing.assert_allclose(w, np.broadcast_to(p.weights, w.shape), rtol=0, atol=1e-12)


def test_panel_sampler_on_a_one_expert_panel_gives_the_base_weights():
    p = geometric_aip_problem(one_expert=True)
    w = sens.panel_members(p.criteria_set)(np.random.default_rng(3), 40)
    np.testing.assert_allclose(w, np.broadcast_to(p.weights, w.shape), rtol=0, atol=1e-12)


def test_panel_sampler_draws_each_experts_geometric_weights_and_averages_to_aip():
    p = geometric_aip_problem()
    cs = p.criteria_set
    root = next(g for g in cs.iter_groups() if g.id == "cwd")
    own = np.stack([ahp.geometric_weights(ahp.complete_reciprocal(np.array(j.numeric(), float)))
                    for j in root.pairwise])
    S = 8000
    w = sens.panel_members(cs)(np.random.default_rng(5), S)
    groups = [g.id for g in root.groups]
    share = np.stack([w[:, p.groups[g]].sum(axis=1) for g in groups], axis=1)  # the root's local weights
    dist = np.abs(share[:, None, :] - own[None]).max(axis=2)
    assert (dist.min(axis=1) < 1e-12).all()
    np.testing.assert_allclose(np.bincount(dist.argmin(axis=1), minlength=2) / S, [2 / 3, 1 / 3], atol=0.02)
    # AIP is the experts' weighted mean priority: the panel draws average to it
    np.testing.assert_allclose(share.mean(axis=0), ahp.aggregate_priorities(own, [2, 1]), atol=0.01)


def test_ahp_sampler_perturbs_each_experts_judgments_under_aip(monkeypatch):
    p = geometric_aip_problem()
    cs = p.criteria_set
    calls = []
    original = ahp.geometric_weights

    def spy(a, *args, **kw):
        out = original(a, *args, **kw)
        calls.append((np.array(a, dtype=float), np.array(out)))
        return out

    draw = sens.perturbed_judgments(cs, 0.7)
    monkeypatch.setattr(ahp, "geometric_weights", spy)
    S = 300
    w = draw(np.random.default_rng(2), S)
    monkeypatch.undo()
    root = next(g for g in cs.iter_groups() if g.id == "cwd")
    mats = [c for c in calls if c[0].shape[-1] == 4]
    assert len(mats) == 1
    a, out = mats[0]
    assert a.shape == (S, 2, 4, 4)  # each expert's matrix perturbed on its own
    given = np.stack([ahp.complete_reciprocal(np.array(j.numeric(), float)) for j in root.pairwise])
    moved = ~np.isclose(a, given[None], rtol=1e-12)
    assert moved[:, 0].any() and moved[:, 1].any()
    for k in range(S):  # geometric weights of each perturbed matrix, aggregated by AIP
        own = np.stack([original(a[k, e]) for e in range(2)])
        np.testing.assert_allclose(out[k], own, atol=1e-12)
        root_local = ahp.aggregate_priorities(own, [2, 1])
        share = np.array([w[k, p.groups[g.id]].sum() for g in root.groups])
        np.testing.assert_allclose(share, root_local, atol=1e-12)


@pytest.mark.parametrize(("sampler", "one_expert"), [("ahp", False), ("ahp", True), ("panel", True)])
def test_no_change_samplers_reproduce_the_base_ranking(sampler, one_expert):
    p = geometric_aip_problem(one_expert)
    rep = sens.report(p, samples=500, seed=4, sampler=sampler, judgment_change=0.0)
    base = ranks(p.scores(p.weights))
    for i, ident in enumerate(p.ids):
        assert rep["rank_acceptability"][ident][base[i] - 1] == 1.0


def test_cli_no_change_samplers_on_a_geometric_aip_package(capsys, tmp_path):
    path = tmp_path / "geo_aip.json"
    path.write_text(json.dumps(geometric_aip_doc(), ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "sensitivity", str(path), "--sampler", "ahp", "--judgment-change", "0",
                         "--samples", "300", "--json")
    assert code == 0, err
    obj = json.loads(out)
    p = geometric_aip_problem()
    base = ranks(p.scores(p.weights))
    assert [obj["rank_acceptability"][i][base[k] - 1] for k, i in enumerate(p.ids)] == [1.0] * p.m


def test_cli_panel_sampler_on_one_expert_groups_warns_and_keeps_the_base(capsys, cwd_package):
    code, out, err = run(capsys, "sensitivity", str(cwd_package), "--sampler", "panel", "--samples", "200",
                         "--json")
    assert code == 0, err
    assert "warning:" in err and "one expert" in err
    obj = json.loads(out)
    assert any("one expert" in wng for wng in obj["warnings"])
    acc = np.array(list(obj["rank_acceptability"].values()))
    assert set(np.unique(acc)) <= {0.0, 1.0}


# (4) top-k larger than the number of projects

def test_top_k_larger_than_the_projects_is_clamped_with_a_warning():
    p = dolina()
    rep = sens.report(p, samples=200, seed=0, top_k=p.m + 5)
    assert rep["top_k"] == p.m
    assert len(rep["warnings"]) == 1 and f"top-k {p.m + 5}" in rep["warnings"][0]
    assert all(e["top_k"] == [0.0, 1.0] for e in rep["stability"].values())
    assert sens.report(p, samples=200, seed=0, top_k=3)["warnings"] == []


def test_cli_top_k_larger_than_the_projects_warns_on_stderr(capsys):
    p = dolina()
    code, out, err = run(capsys, "sensitivity", str(DOLINA), "--top-k", "50", "--samples", "200", "--json")
    assert code == 0, err
    assert err.count("warning:") == 1 and "top-k 50" in err and f"{p.m}" in err
    obj = json.loads(out)
    assert obj["top_k"] == p.m and len(obj["warnings"]) == 1
    code, out, err = run(capsys, "sensitivity", str(DOLINA), "--top-k", "50", "--samples", "200")
    assert code == 0, err
    assert "warning:" in err and f"top-k = {p.m}" in out


# (5) R-TOPSIS

def test_sensitivity_with_the_reference_normalization():
    pkg = load_package(DOLINA)
    rk = pkg.rank("topsis", "reference")
    p = sens.Problem.from_ranking(rk)
    assert p.reference is not None and p.normalization == "reference"
    base = ranks(p.scores(p.weights))
    assert dict(zip(p.ids, base.tolist())) == {r.id: r.rank for r in rk.results}
    np.testing.assert_allclose(p.scores(p.weights), [rk.scores()[i] for i in p.ids], atol=1e-12)
    rep = sens.report(p, samples=600, seed=2, score_change=0.3, quantity_change=0.1)
    assert rep["normalization"] == "reference"
    assert_doubly_stochastic(np.array([rep["rank_acceptability"][i] for i in p.ids]))
    rows = {(r["a"], r["b"]): r for r in rep["method_robustness"]}
    assert ("topsis_vector", "topsis_reference") in rows
    assert rows[("topsis_vector", "topsis_reference")]["ranks"]["b"] == base.tolist()
    check_stability(p)


def test_smaa_with_score_uncertainty_and_the_reference_normalization(monkeypatch):
    p = dolina("topsis", "reference")
    mats = sens.perturbed_scores(p.x, p.scales, 0.4, 0.2)
    res = _compare_with_naive(monkeypatch, p, sens.dirichlet_around(p.weights, 20.0), mats, samples=250,
                              chunk=100)
    assert_doubly_stochastic(res.acceptability)


def test_cli_sensitivity_reference_normalization(capsys):
    code, out, err = run(capsys, "sensitivity", str(DOLINA), "--normalization", "reference", "--samples", "300",
                         "--score-change", "0.2", "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert obj["normalization"] == "reference"
    rk = load_package(DOLINA).rank("topsis", "reference")
    top = rk.results[0].id
    assert obj["stability"] and obj["rank_acceptability"][top][0] > 0


# --- 9. the typed report and its DataFrame views (a notebook needs no nested dicts) ----------------------------

def test_report_is_typed_and_its_frames_hold_the_same_numbers_as_its_json():
    p = dolina()
    rep = sens.report(p, samples=3000, seed=3)
    js = rep.to_json_dict()
    assert isinstance(rep, sens.SensitivityReport) and rep.ids == p.ids and rep.criteria == p.criteria
    assert rep.smaa.acceptability.shape == (p.m, p.m)
    acc = rep.acceptability_frame()
    assert list(acc.index) == p.ids and list(acc.columns) == list(range(1, p.m + 1))
    for i in p.ids:
        assert acc.loc[i].tolist() == pytest.approx(js["rank_acceptability"][i], abs=0)
    summary = rep.to_frame()
    for i in p.ids:
        assert summary.loc[i, "expected_rank"] == pytest.approx(js["expected_rank"][i], abs=1e-12)
        assert [summary.loc[i, "rank_5"], summary.loc[i, "rank_95"]] == js["rank_interval_5_95"][i]
        assert summary.loc[i, "p_first"] == pytest.approx(js["rank_acceptability"][i][0], abs=0)
    win = rep.winning_frame()
    a, b = p.ids[0], p.ids[1]
    assert win.loc[a, b] == pytest.approx(js["pairwise_winning"][a][b], abs=0) and np.isnan(win.loc[a, a])
    stab = rep.stability_frame()
    c0 = p.criteria[0]
    assert [stab.loc[c0, "ranking.low"], stab.loc[c0, "ranking.high"]] == js["stability"][c0]["ranking"]
    sweep = rep.sweep_frame(c0)
    assert list(sweep.index) == js["sweeps"][c0]["t"] and list(sweep.columns) == p.ids
    assert sweep[p.ids[0]].tolist() == js["sweeps"][c0]["ranks"][p.ids[0]]
    assert len(rep.robustness_frame()) == len(js["method_robustness"])
    with pytest.raises(InputError, match=r"^criterion: no sweep of 'nope'"):
        rep.sweep_frame("nope")


# --- 10. the block counts against brute force (ties included) ------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.integers(2, 12), st.integers(0, 2**32 - 1), st.sampled_from([0, 2, 4, 1000]))
def test_ranks_and_pairwise_counts_equal_a_brute_force_count(S, m, seed, levels):
    rng = np.random.default_rng(seed)
    s = rng.random((S, m))
    if levels:
        s = np.round(s * levels) / levels  # ties, few or many
    first, size = sens.tied_ranks(s)
    for k in range(S):  # brute force: rank = 1 + how many are better beyond the tolerance; size = how many tie
        better = s[k][None, :] - s[k][:, None] > sens.TIE_TOLERANCE
        tied = np.abs(s[k][None, :] - s[k][:, None]) <= sens.TIE_TOLERANCE
        assert first[k].tolist() == (1 + better.sum(axis=1)).tolist()
        assert size[k].tolist() == tied.sum(axis=1).tolist()
    wins = sens.pairwise_counts(first, ties=bool(size.max() > 1))
    above = (first[:, :, None] < first[:, None, :]).sum(axis=0) + 0.5 * (first[:, :, None] == first[:, None, :]).sum(
        axis=0)
    np.fill_diagonal(above, 0)
    assert np.array_equal(wins, above)
    acc = sens.acceptability_counts(first, size)
    assert np.allclose(acc.sum(axis=1), S) and np.allclose(acc.sum(axis=0), S)


def test_smaa_gives_the_same_bits_on_one_thread_or_two(monkeypatch):
    monkeypatch.setattr(sens, "CHUNK", 500)  # many blocks, several in flight, the last one partial
    p = dolina()
    runs = []
    for threads in (1, 2):
        monkeypatch.setattr(sens, "SMAA_THREADS", threads)
        seen = []
        runs.append((sens.smaa(p, sens.dirichlet_around(p.weights, 50.0), 4321, 7,
                               sens.perturbed_scores(p.x, p.scales, 0.2, 0.1), seen.append), seen))
    (one, seen_one), (two, seen_two) = runs
    for key in ("acceptability", "pairwise", "central_weights", "confidence"):
        assert np.array_equal(getattr(one, key), getattr(two, key), equal_nan=True), key
    assert seen_one == seen_two and sum(seen_two) == 4321
