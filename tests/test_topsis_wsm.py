"""TOPSIS, WSM, normalisations, ranks with ties and rank_frame: a published example and properties.

Published example: Hwang, C.-L. & Yoon, K. (1981) "Multiple Attribute Decision Making: Methods and
Applications. A State-of-the-Art Survey", Springer (Lecture Notes in Economics and Mathematical
Systems 186), pp. 133-134, the fighter-aircraft selection solved by TOPSIS with vector normalisation
(doi:10.1007/978-3-642-48318-9). The book prints the tables to 4 decimals and the closeness
coefficients to 3; we compare at that precision.

Everything else is a property (hypothesis). Decision matrices are drawn on a 0.1 grid in [0.1, 1000] so
that near-equal values do not turn float rounding into a fake failure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from appraisal import normalization
from appraisal.criteria import InputError
from appraisal.frame import rank_frame
from appraisal.ranking import check_defined, rank_matrix, ranks, score
from appraisal.topsis import topsis, topsis_tables
from appraisal.wsm import wsm

SETTINGS = settings(max_examples=60, deadline=None)
NORMS = ("vector", "minmax")

# --- published example: Hwang & Yoon (1981), fighter aircraft -----------------------------------------

# A1..A4; X1 max speed (Mach), X2 ferry range (NM), X3 max payload (lb), X4 acquisition cost ($10^6, cost),
# X5 reliability, X6 maneuverability (qualitative ratings on the 1-9 interval scale).
FIGHTER = np.array([
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
])
FIGHTER_W = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
FIGHTER_D = np.array([1, 1, 1, -1, 1, 1])
FIGHTER_C = [0.643, 0.268, 0.613, 0.312]  # published relative closeness C*, 3 decimals
# The book computes C* from its rounded 4-decimal distances (A3: 0.0920 / (0.0580 + 0.0920) = 0.6133), while
# the exact value is 0.61354; so the published C* are compared within one unit of their third decimal.
C_TOL = 1e-3 + 1e-9
FIGHTER_RANKS = [1, 4, 2, 3]  # A1 > A3 > A4 > A2
FIGHTER_NORMALIZED = [
    [0.4671, 0.3662, 0.5056, 0.5063, 0.4811, 0.6708],
    [0.5839, 0.6591, 0.4550, 0.5983, 0.2887, 0.3727],
    [0.4204, 0.4882, 0.5308, 0.4143, 0.6736, 0.5217],
    [0.5139, 0.4392, 0.5056, 0.4603, 0.4811, 0.3727],
]
FIGHTER_IDEAL = [0.1168, 0.0659, 0.0531, 0.0414, 0.1347, 0.2012]
FIGHTER_ANTI = [0.0841, 0.0366, 0.0455, 0.0598, 0.0577, 0.1118]
FIGHTER_DPOS = [0.0545, 0.1197, 0.0580, 0.1009]
FIGHTER_DNEG = [0.0983, 0.0439, 0.0920, 0.0458]


def test_hwang_yoon_1981_fighter_aircraft_closeness_and_order():
    """Hwang & Yoon (1981) pp. 133-134: C* = 0.643, 0.268, 0.613, 0.312; order A1 > A3 > A4 > A2."""
    c = topsis(FIGHTER, FIGHTER_W, FIGHTER_D, "vector")
    np.testing.assert_allclose(c, FIGHTER_C, rtol=0, atol=C_TOL)
    assert ranks(c).tolist() == FIGHTER_RANKS
    # the same through the public entry point, results ordered by rank
    r = rank_matrix(["A1", "A2", "A3", "A4"], [f"X{i}" for i in range(1, 7)], FIGHTER, FIGHTER_W,
                    ["+", "+", "+", "-", "+", "+"])
    assert [x.id for x in r.results] == ["A1", "A3", "A4", "A2"]
    assert [x.rank for x in r.results] == [1, 2, 3, 4]
    assert r.normalization == "vector"
    np.testing.assert_allclose([x.score for x in r.results], [0.643, 0.613, 0.312, 0.268], rtol=0, atol=C_TOL)


def test_hwang_yoon_1981_fighter_aircraft_intermediate_tables():
    """Hwang & Yoon (1981) pp. 133-134, the 4-decimal tables. The book's own arithmetic is slightly off in
    the cost column X4 (0.5063 0.5983 0.4143 0.4603 where 5.5/√117.75 = 0.5069 …) and in A4·X2
    (0.4392 vs 1800/√16.78e6 = 0.4394), so the normalised matrix is compared at 1e-3; the weighted
    ideal points and distances, computed by the book from rounded values, at 1.5e-4."""
    t = topsis_tables(FIGHTER, FIGHTER_W, FIGHTER_D, "vector")
    np.testing.assert_allclose(t.normalized, FIGHTER_NORMALIZED, rtol=0, atol=1e-3)
    np.testing.assert_allclose(t.ideal, FIGHTER_IDEAL, rtol=0, atol=1.5e-4)
    np.testing.assert_allclose(t.anti_ideal, FIGHTER_ANTI, rtol=0, atol=1.5e-4)
    np.testing.assert_allclose(t.d_pos, FIGHTER_DPOS, rtol=0, atol=1.5e-4)
    np.testing.assert_allclose(t.d_neg, FIGHTER_DNEG, rtol=0, atol=1.5e-4)
    np.testing.assert_allclose(t.score, FIGHTER_C, rtol=0, atol=C_TOL)
    # the columns that the book did compute exactly agree at its 4 decimals
    exact_cols = [0, 2, 4, 5]
    np.testing.assert_allclose(t.normalized[:, exact_cols], np.array(FIGHTER_NORMALIZED)[:, exact_cols],
                               rtol=0, atol=5e-5 + 1e-9)


def test_fighter_cost_column_orientation_matters():
    """Treating the cost X4 as a benefit must change the numbers (guards against ignoring directions)."""
    wrong = topsis(FIGHTER, FIGHTER_W, np.ones(6), "vector")
    assert np.abs(wrong - np.array(FIGHTER_C)).max() > 1e-3


# --- strategies --------------------------------------------------------------------------------------

def grid_values(min_value=1, max_value=10_000):
    return st.integers(min_value, max_value).map(lambda k: k / 10.0)


@st.composite
def problems(draw, m_min=2, m_max=12, n_min=1, n_max=8):
    m = draw(st.integers(m_min, m_max))
    n = draw(st.integers(n_min, n_max))
    x = np.array(draw(st.lists(grid_values(), min_size=m * n, max_size=m * n))).reshape(m, n)
    d = np.array(draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=n, max_size=n)))
    return x, w / w.sum(), d


def defined(x):
    """At least one column differs (all weights are positive in the strategies)."""
    return bool(np.any(np.ptp(x, axis=0) > 0))


def oriented_minmax(x, d):
    """Textbook oriented min-max written out column by column (the test's own reference)."""
    out = np.zeros_like(x, dtype=float)
    for j in range(x.shape[1]):
        col = x[:, j]
        lo, hi = col.min(), col.max()
        if hi > lo:
            out[:, j] = (col - lo) / (hi - lo) if d[j] > 0 else (hi - col) / (hi - lo)
    return out


# --- normalisations ----------------------------------------------------------------------------------

@given(p=problems())
@SETTINGS
def test_normalizations(p):
    x, _, d = p
    r = normalization.minmax(x, d)
    np.testing.assert_allclose(r, oriented_minmax(x, d), rtol=0, atol=1e-12)
    assert np.all((r >= 0) & (r <= 1))
    for j in range(x.shape[1]):
        if np.ptp(x[:, j]) > 0:
            best = np.argmax(x[:, j]) if d[j] > 0 else np.argmin(x[:, j])
            assert r[best, j] == pytest.approx(1.0) and r[:, j].min() == pytest.approx(0.0)
        else:
            assert np.all(r[:, j] == 0)
    v = normalization.vector(x)
    np.testing.assert_allclose(np.sqrt((v ** 2).sum(axis=0)), 1.0, rtol=1e-12)
    np.testing.assert_allclose(v * np.linalg.norm(x, axis=0), x, rtol=1e-12)
    assert np.all(normalization.vector(np.zeros((3, 2))) == 0)


# --- TOPSIS and WSM against their definitions ---------------------------------------------------------

@given(p=problems())
@SETTINGS
def test_topsis_kernel_equals_textbook_route(p):
    """The matrix-product kernel and the step-by-step tables give the same closeness."""
    x, w, d = p
    assume(defined(x))
    for norm in NORMS:
        t = topsis_tables(x, w, d, norm)
        np.testing.assert_allclose(topsis(x, w, d, norm), t.score, rtol=0, atol=1e-12)
        np.testing.assert_allclose(t.score, t.d_neg / (t.d_pos + t.d_neg), rtol=0, atol=1e-15)


@given(p=problems())
@SETTINGS
def test_wsm_is_weighted_sum_of_oriented_minmax(p):
    x, w, d = p
    np.testing.assert_allclose(wsm(x, w, d), oriented_minmax(x, d) @ w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(score(x, w, d, "wsm"), wsm(x, w, d), rtol=0, atol=0)


@given(p=problems())
@SETTINGS
def test_scores_in_unit_interval(p):
    x, w, d = p
    assume(defined(x))
    for norm in NORMS:
        c = topsis(x, w, d, norm)
        assert not np.isnan(c).any()
        assert np.all((c >= -1e-15) & (c <= 1 + 1e-15))
    s = wsm(x, w, d)
    assert np.all((s >= -1e-15) & (s <= 1 + 1e-15))


@st.composite
def dominated_problems(draw):
    x, w, d = draw(problems(m_min=1, m_max=11))
    m, n = x.shape
    best = np.where(d > 0, x.max(axis=0), x.min(axis=0))
    extra = np.array(draw(st.lists(st.integers(0, 500), min_size=n, max_size=n))) / 10.0
    k = draw(st.integers(0, n - 1))
    extra[k] = max(extra[k], draw(st.integers(1, 500)) / 10.0)  # strictly better somewhere
    dom = best + d * extra
    assume(np.all(dom > 0))
    pos = draw(st.integers(0, m))
    return np.insert(x, pos, dom, axis=0), w, d, pos


@given(p=dominated_problems())
@SETTINGS
def test_dominating_alternative_ranks_first(p):
    x, w, d, pos = p
    for s in [topsis(x, w, d, n) for n in NORMS] + [wsm(x, w, d)]:
        r = ranks(s)
        assert r[pos] == 1
        assert np.all(np.delete(r, pos) > 1)
    # TOPSIS: the dominating alternative is the ideal itself
    for norm in NORMS:
        assert topsis(x, w, d, norm)[pos] == pytest.approx(1.0, abs=1e-12)


@given(p=problems(), seed=st.integers(0, 2**32 - 1))
@SETTINGS
def test_permuting_rows_permutes_scores(p, seed):
    x, w, d = p
    assume(defined(x))
    perm = np.random.default_rng(seed).permutation(x.shape[0])
    for norm in NORMS:
        np.testing.assert_allclose(topsis(x[perm], w, d, norm), topsis(x, w, d, norm)[perm], rtol=0, atol=1e-12)
    np.testing.assert_allclose(wsm(x[perm], w, d), wsm(x, w, d)[perm], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ranks(topsis(x[perm], w, d))[...], ranks(topsis(x, w, d))[perm])


@given(p=problems(), factors=st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=8, max_size=8))
@SETTINGS
def test_vector_topsis_invariant_to_positive_column_rescaling(p, factors):
    x, w, d = p
    assume(defined(x))
    f = np.array(factors[: x.shape[1]])
    np.testing.assert_allclose(topsis(x * f, w, d, "vector"), topsis(x, w, d, "vector"), rtol=0, atol=1e-9)
    # min-max TOPSIS and WSM are invariant too (positive affine per column)
    np.testing.assert_allclose(topsis(x * f, w, d, "minmax"), topsis(x, w, d, "minmax"), rtol=0, atol=1e-9)
    np.testing.assert_allclose(wsm(x * f, w, d), wsm(x, w, d), rtol=0, atol=1e-9)


@given(p=problems(n_max=7), value=grid_values(), wc=st.floats(min_value=0.0, max_value=0.95),
       pos=st.integers(0, 7), direction=st.sampled_from([1.0, -1.0]))
@SETTINGS
def test_appending_a_constant_column(p, value, wc, pos, direction):
    """A constant criterion carries no information: TOPSIS scores unchanged (others' weights rescaled),
    WSM ranks unchanged, and no NaN anywhere."""
    x, w, d = p
    assume(defined(x))
    pos = min(pos, x.shape[1])
    x2 = np.insert(x, pos, value, axis=1)
    w2 = np.insert((1 - wc) * w, pos, wc)
    d2 = np.insert(d, pos, direction)
    for norm in NORMS:
        c2 = topsis(x2, w2, d2, norm)
        assert not np.isnan(c2).any()
        np.testing.assert_allclose(c2, topsis(x, w, d, norm), rtol=0, atol=1e-9)
    s2 = wsm(x2, w2, d2)
    assert not np.isnan(s2).any()
    np.testing.assert_allclose(s2, (1 - wc) * wsm(x, w, d), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ranks(s2), ranks(wsm(x, w, d)))


@given(m=st.integers(2, 12), n=st.integers(1, 8), value=grid_values(), d=st.sampled_from([1.0, -1.0]))
@SETTINGS
def test_all_constant_matrix_is_undefined(m, n, value, d):
    x = np.full((m, n), value)
    w = np.full(n, 1.0 / n)
    dirs = np.full(n, d)
    for norm in NORMS:
        c = topsis(x, w, dirs, norm)
        assert np.isnan(c).all()
        with pytest.raises(InputError):
            check_defined(c)
        assert np.isnan(topsis_tables(x, w, dirs, norm).score).all()
    with pytest.raises(InputError):
        rank_matrix([f"A{i}" for i in range(m)], [f"c{j}" for j in range(n)], x, w, ["+"] * n)
    assert np.all(wsm(x, w, dirs) == 0)


def test_zero_weight_on_every_varying_column_is_undefined():
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    c = topsis(x, np.array([0.0, 1.0]), np.array([1, 1]))
    assert np.isnan(c).all()
    with pytest.raises(InputError):
        check_defined(c)
    assert check_defined(topsis(x, np.array([0.5, 0.5]), np.array([1, 1]))) is not None


# --- batched shapes ----------------------------------------------------------------------------------

@given(p=problems(), s=st.integers(1, 6), raw=st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=48,
                                                        max_size=48))
@SETTINGS
def test_weight_samples_broadcast(p, s, raw):
    """x (m, n) with weights (S, n) → (S, m), equal to a loop over samples."""
    x, _, d = p
    assume(defined(x))
    n = x.shape[1]
    ws = np.array(raw[: s * n]).reshape(s, n)
    ws = ws / ws.sum(axis=1, keepdims=True)
    for norm in NORMS:
        got = topsis(x, ws, d, norm)
        assert got.shape == (s, x.shape[0])
        np.testing.assert_allclose(got, np.stack([topsis(x, wk, d, norm) for wk in ws]), rtol=0, atol=1e-12)
        np.testing.assert_allclose(score(x, ws, d, "topsis", norm), got, rtol=0, atol=0)
    got = wsm(x, ws, d)
    assert got.shape == (s, x.shape[0])
    np.testing.assert_allclose(got, np.stack([wsm(x, wk, d) for wk in ws]), rtol=0, atol=1e-12)


@given(m=st.integers(2, 12), n=st.integers(1, 8), b=st.integers(1, 5), data=st.data())
@SETTINGS
def test_matrix_stack_broadcast(m, n, b, data):
    """x (B, m, n) with weights (n,) → (B, m), equal to a loop over B; and (B, m, n) with (B, n)."""
    xs = np.array(data.draw(st.lists(grid_values(), min_size=b * m * n, max_size=b * m * n))).reshape(b, m, n)
    assume(all(defined(xk) for xk in xs))
    d = np.array(data.draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=n, max_size=n)))
    w = np.array(data.draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=n, max_size=n)))
    w = w / w.sum()
    wb = np.array(data.draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=b * n,
                                     max_size=b * n))).reshape(b, n)
    for norm in NORMS:
        got = topsis(xs, w, d, norm)
        assert got.shape == (b, m)
        np.testing.assert_allclose(got, np.stack([topsis(xk, w, d, norm) for xk in xs]), rtol=0, atol=1e-12)
        got_b = topsis(xs, wb, d, norm)
        assert got_b.shape == (b, m)
        np.testing.assert_allclose(got_b, np.stack([topsis(xk, wk, d, norm) for xk, wk in zip(xs, wb)]),
                                   rtol=0, atol=1e-12)
    got = wsm(xs, w, d)
    assert got.shape == (b, m)
    np.testing.assert_allclose(got, np.stack([wsm(xk, w, d) for xk in xs]), rtol=0, atol=1e-12)


def test_score_rejects_unknown_method_and_normalization():
    x, w, d = FIGHTER, FIGHTER_W, FIGHTER_D
    with pytest.raises(InputError):
        score(x, w, d, "electre")
    with pytest.raises(InputError):
        score(x, w, d, "topsis", "sum")
    with pytest.raises(InputError):
        rank_matrix(["a", "b", "c", "d"], list("123456"), x, w, d, normalization="sum")
    with pytest.raises(InputError):
        rank_matrix(["a", "b", "c", "d"], list("123456"), x, w, d, method="points")


# --- ranks with ties ---------------------------------------------------------------------------------

def test_ranks_competition_style():
    assert ranks(np.array([0.9, 0.5, 0.5, 0.1])).tolist() == [1, 2, 2, 4]
    assert ranks(np.array([0.1, 0.5, 0.9, 0.5])).tolist() == [4, 2, 1, 2]
    assert ranks(np.array([0.3, 0.3, 0.3])).tolist() == [1, 1, 1]
    assert ranks(np.array([0.7])).tolist() == [1]


def test_ties_within_tolerance_share_a_rank():
    assert ranks(np.array([0.5, 0.5 + 5e-13, 0.1])).tolist() == [1, 1, 3]
    assert ranks(np.array([0.1, 0.9 - 1e-13, 0.9, 0.9 + 1e-13])).tolist() == [4, 1, 1, 1]


def test_ties_within_tolerance_exact_semantics():
    # competition rank = 1 + number of scores higher by more than 1e-12: 0.5+9e-13 and 0.5−9e-13 are
    # 1.8e-12 apart, so the last is beaten by the first (and only by it)
    s = np.array([0.5 + 9e-13, 0.5, 0.5 - 9e-13])
    assert ranks(s).tolist() == [1, 1, 2]
    assert ranks(np.array([0.5 + 2e-12, 0.5])).tolist() == [1, 2]


@given(scores=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), min_size=1, max_size=12))
@SETTINGS
def test_ranks_match_definition(scores):
    s = np.array(scores)
    expected = [1 + sum(1 for t in scores if t > v) for v in scores]
    assert ranks(s).tolist() == expected
    # shift every score by less than the tolerance: unchanged
    jitter = np.linspace(0, 4e-13, len(scores))
    assert ranks(s + jitter).tolist() == expected


@given(rows=st.integers(1, 6), m=st.integers(1, 10), data=st.data())
@SETTINGS
def test_batched_ranks_equal_per_row(rows, m, data):
    s = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.2, 0.4, 0.6, 0.8, 1.0]) | st.floats(0, 1),
                                    min_size=rows * m, max_size=rows * m))).reshape(rows, m)
    got = ranks(s)
    assert got.shape == (rows, m)
    for k in range(rows):
        np.testing.assert_array_equal(got[k], ranks(s[k]))
    s3 = s.reshape(1, rows, m)
    np.testing.assert_array_equal(ranks(s3)[0], got)


# --- rank_frame ----------------------------------------------------------------------------------------

@given(p=problems(), method=st.sampled_from(["topsis", "wsm"]), norm=st.sampled_from(NORMS))
@SETTINGS
def test_rank_frame_agrees_with_rank_matrix(p, method, norm):
    x, w, d = p
    assume(defined(x))
    m, n = x.shape
    ids = [f"P{i:02d}" for i in range(m)][::-1]  # index order differs from sorted order
    cols = [f"k{j}" for j in range(n)]
    signs = ["+" if s > 0 else "-" for s in d]
    df = pd.DataFrame(x, index=ids, columns=cols)
    ranking = rank_matrix(ids, cols, x, w, signs, method, norm)
    by_id = {r.id: r for r in ranking.results}
    for weights, directions in ((list(w), ",".join(signs)),
                                (dict(zip(cols, w)), dict(zip(cols, signs)))):
        out = rank_frame(df, weights, directions, method, norm)
        assert list(out.index) == ids
        # a DataFrame hands numpy a column-major copy, so sums may differ in the last bit
        np.testing.assert_allclose(out["score"].to_numpy(), [by_id[i].score for i in ids], rtol=0, atol=1e-15)
        assert out["rank"].tolist() == [by_id[i].rank for i in ids]
    # and both agree with the kernels
    main = topsis(x, w, d, norm) if method == "topsis" else wsm(x, w, d)
    np.testing.assert_allclose(out["score"].to_numpy(), main, rtol=0, atol=1e-12)
    assert out["rank"].tolist() == ranks(main).tolist()


def test_rank_frame_rejects_bad_frames():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}, index=["p", "q"])
    with pytest.raises(InputError):
        rank_frame(df, [0.5, 0.5], "+,+")
    ok = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 1.0]}, index=["p", "q"])
    with pytest.raises(InputError):
        rank_frame(ok, {"a": 1.0, "c": 1.0}, "+,+")
    with pytest.raises(InputError):
        rank_frame(ok, [1.0, 1.0], {"a": "+"})
    with pytest.raises(InputError):
        rank_frame(ok.to_numpy(), [1.0, 1.0], "+,+")



def _non_string_frame():
    x = np.array([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0], [2.5, 2.5]])
    return x, pd.DataFrame(x, index=[30, 10, 20, 40], columns=[7, 8])


def _check_against_rank_matrix(out, x):
    ids = ["30", "10", "20", "40"]
    assert list(out.index) == [30, 10, 20, 40]
    ref = rank_matrix(ids, ["7", "8"], x, [3.0, 1.0], ["+", "-"])
    by_id = {r.id: r for r in ref.results}
    np.testing.assert_allclose(out["score"].to_numpy(), [by_id[k].score for k in ids], rtol=0, atol=1e-15)
    assert out["rank"].tolist() == [by_id[k].rank for k in ids]
    np.testing.assert_allclose(out["score"].to_numpy(), topsis(x, np.array([0.75, 0.25]), np.array([1, -1])),
                               rtol=0, atol=1e-15)


def test_rank_frame_keeps_non_string_labels():
    """Integer index and column labels, weights as a dict in another order: same numbers as rank_matrix."""
    x, df = _non_string_frame()
    _check_against_rank_matrix(rank_frame(df, {8: 1.0, 7: 3.0}, {7: "+", 8: "-"}), x)
    _check_against_rank_matrix(rank_frame(df, [3.0, 1.0], "+,-"), x)


def test_rank_frame_series_weights_with_non_string_labels():
    """rank_frame accepts a pandas Series of weights by column name (frame._by_column checks for
    pd.Series). With integer column labels the Series must work exactly like the equivalent dict."""
    x, df = _non_string_frame()
    _check_against_rank_matrix(rank_frame(df, pd.Series({8: 1.0, 7: 3.0}), pd.Series({7: "+", 8: "-"})), x)
