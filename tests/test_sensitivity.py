"""Sensitivity analysis (DESIGN.md sections 3 and 4): SMAA-2 acceptabilities, stability intervals,
critical change, sweeps, samplers, rank correlations, and the ``appraise sensitivity`` command.

Every expected value here is recomputed independently (plain loops, numpy.linalg.eig, scipy.stats,
the definitions in DESIGN.md) or follows from the construction of the input; nothing is a
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
from appraisal.package import load_package
from appraisal.ranking import TIE_TOLERANCE, rank_matrix, ranks, score
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


# --- an independent SMAA: one sample at a time, DESIGN.md's definitions ------------------------------------

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
        s = score(x, w_all[k], problem.directions, problem.method, problem.normalization)
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
    a = json.dumps(sens.report(p, seed=5, **kw))
    b = json.dumps(sens.report(p, seed=5, **kw))
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
            first, size = pairwise_ties(score(xk, central[i], p.directions, p.method, p.normalization))
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
    rows = sens.method_robustness(p)
    assert {(r["a"], r["b"]) for r in rows} == {("topsis_vector", "topsis_minmax"), ("topsis_vector", "wsm"),
                                                 ("topsis_minmax", "wsm")}
    expected = {"topsis_vector": ranks(score(p.x, p.weights, p.directions, "topsis", "vector")),
                "topsis_minmax": ranks(score(p.x, p.weights, p.directions, "topsis", "minmax")),
                "wsm": ranks(score(p.x, p.weights, p.directions, "wsm"))}
    for r in rows:
        ra, rb = expected[r["a"]], expected[r["b"]]
        assert r["ranks"] == {"a": ra.tolist(), "b": rb.tolist()}
        assert r["spearman"] == pytest.approx(scipy.stats.spearmanr(ra, rb)[0], abs=1e-12)
        assert r["kendall"] == pytest.approx(scipy.stats.kendalltau(ra, rb)[0], abs=1e-12)
        assert r["same_ranking"] is bool((ra == rb).all())
        assert r["same_top"] is (set(np.flatnonzero(ra == 1)) == set(np.flatnonzero(rb == 1)))


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
    ("panel-without-panel", ["CWD", "--sampler", "panel"], "--sampler", "panel"),
    ("method-points", [str(DOLINA), "--method", "points"], "--method", "points"),
]


@pytest.mark.parametrize(("args", "option", "problem"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_one_line_exit_2(capsys, cwd_package, args, option, problem):
    args = [str(cwd_package) if a == "CWD" else a for a in args]
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
    with pytest.raises(InputError, match="--force"):
        sens.report(p, samples=sens.MAX_SAMPLES + 1)
    # with force the limit does not apply (a small limit keeps this cheap)
    monkeypatch.setattr(sens, "MAX_SAMPLES", 100)
    with pytest.raises(InputError, match="--samples"):
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
