"""Harker's method for incomplete pairwise matrices (appraisal.ahp.harker_weights and friends).

Harker, P. T. (1987). Alternative modes of questioning in the analytic hierarchy process. Mathematical
Modelling 9(3-5), 353-360; Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic
hierarchy process. Mathematical Modelling 9(11), 837-848. A missing a_ij (and a_ji) is NaN; C has
c_ij = a_ij where given, 0 where missing, c_ii = 1 + (missing in row i); the weights are C's principal
right eigenvector.

Harker's own worked example was not at hand (the numbers could not be found), so the exact cases below
are derived by hand in their comments; everything else is a property checked by hypothesis, and the
weights are cross-checked against numpy.linalg.eig of C built here, independently of the kernel.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import ahp
from appraisal.criteria import InputError

SETTINGS = settings(max_examples=60, deadline=None)

judgment = st.floats(min_value=1 / 9, max_value=9, allow_nan=False, allow_infinity=False)


# --- strategies --------------------------------------------------------------------------------------

@st.composite
def connected_pattern(draw, n_min=3, n_max=15):
    """A symmetric (n, n) bool mask of answered pairs whose graph is connected (a random spanning tree
    plus random extra pairs), diagonal True."""
    n = draw(st.integers(n_min, n_max))
    order = draw(st.permutations(range(n)))
    answered = np.eye(n, dtype=bool)
    for k in range(1, n):  # each item joins the tree through one item placed before it
        parent = order[draw(st.integers(0, k - 1))]
        answered[order[k], parent] = answered[parent, order[k]] = True
    extra = draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))
    iu = np.triu_indices(n, k=1)
    for i, j in zip(*iu):
        if extra[i * n + j]:
            answered[i, j] = answered[j, i] = True
    return answered


@st.composite
def incomplete_matrix(draw, n_min=3, n_max=15):
    """A reciprocal matrix on Saaty's range (usually inconsistent) with NaN for the unanswered pairs."""
    answered = draw(connected_pattern(n_min, n_max))
    n = answered.shape[0]
    upper = np.array(draw(st.lists(judgment, min_size=n * n, max_size=n * n))).reshape(n, n)
    a = ahp.complete_reciprocal(upper)
    return np.where(answered, a, np.nan)


def harker_c(partial: np.ndarray) -> np.ndarray:
    """Harker's C, built directly from the definition (for the cross-checks)."""
    n = partial.shape[0]
    c = np.array(partial, dtype=float)
    for i in range(n):
        m_i = 0
        for j in range(n):
            if i != j and np.isnan(c[i, j]):
                c[i, j] = 0.0
                m_i += 1
        c[i, i] = 1.0 + m_i
    return c


def perron(c: np.ndarray) -> tuple[np.ndarray, float]:
    vals, vecs = np.linalg.eig(c)
    k = int(np.argmax(vals.real))
    v = np.abs(vecs[:, k].real)
    return v / v.sum(), float(vals[k].real)


def connected_by_search(answered: np.ndarray) -> bool:
    """Depth-first search from item 0 over answered pairs (the test's own connectivity check)."""
    n = answered.shape[0]
    seen, todo = {0}, [0]
    while todo:
        i = todo.pop()
        for j in range(n):
            if answered[i, j] and j not in seen:
                seen.add(j)
                todo.append(j)
    return len(seen) == n


# --- exact cases, derived by hand --------------------------------------------------------------------

def test_three_items_one_pair_missing_is_the_path_product():
    """3×3 with a_12 = a, a_23 = b given and a_13 missing: C = [[2, a, 0], [1/a, 1, b], [0, 1/b, 2]].

    Try w = (ab, b, 1): C·w = (2ab + ab, b + b + b, 1 + 2) = 3·w. A non-negative irreducible matrix has
    only one positive eigenvector (Perron-Frobenius), so w/Σw are Harker's weights and λmax = 3. The
    completion is a_13 = w_1/w_3 = ab: the value along the only path 1 → 2 → 3 (the geometric mean of
    one path's value is that value). Two answered pairs form a tree, which always has a consistent
    completion, so CR = 0.
    """
    a, b = 3.0, 5.0
    partial = np.array([[1, a, np.nan], [1 / a, 1, b], [np.nan, 1 / b, 1]])
    w, lam = ahp.harker_weights(partial)
    # the power iteration stops when no weight moves by more than 1e-14 a step, which leaves it within
    # about 1e-14·r/(1 − r) of the limit (r = |λ2/λ1| = 2/3 here): 1e-13 is that margin, not slack
    np.testing.assert_allclose(w, np.array([a * b, b, 1]) / (a * b + b + 1), rtol=0, atol=1e-13)
    assert float(lam) == pytest.approx(3.0, abs=1e-13)
    full = ahp.complete_harker(partial)
    # a ratio of weights carries the relative error of the smaller one (w_3 ≈ 0.048): 1e-12
    assert full[0, 2] == pytest.approx(a * b, rel=1e-12)
    assert full[2, 0] == pytest.approx(1 / (a * b), rel=1e-12)
    assert full[0, 1] == a and full[1, 2] == b  # given judgments are kept as they are
    ci, cr = ahp.consistency(lam, 3)
    assert float(ci) == 0.0 and float(cr) == 0.0


def test_four_items_symmetric_inconsistent_case():
    """4×4, a_12 missing, s = 3: a_13 = s, a_32 = s (path 1 → 3 → 2 says a_12 = s² = 9), a_14 = 1/s,
    a_42 = 1/s (path 1 → 4 → 2 says a_12 = 1/s² = 1/9), a_34 = 1. The paths disagree: inconsistent.

    Relabelling 1 ↔ 2 and 3 ↔ 4 maps the matrix onto itself (a_13 → a_24 = 1/a_42 = s, a_32 → a_41 =
    1/a_14 = s, a_34 → a_43 = 1), so the Perron vector has w_1 = w_2, w_3 = w_4. With w = (1, 1, r, r)
    and t = s + 1/s, rows 1 and 3 of C·w = λ·w read 2 + r·t = λ and t + 2r = λ·r, so r²·t = t, r = 1:
    w is uniform, λmax = 2 + t = 2 + 3 + 1/3 = 16/3. The completion a_12 = w_1/w_2 = 1 is the geometric
    mean of the two path values, sqrt(s² · s⁻²) = 1. CI = (16/3 − 4)/3 = 4/9, CR = (4/9)/0.90.
    """
    s = 3.0
    nan = np.nan
    partial = np.array([
        [1, nan, s, 1 / s],
        [nan, 1, 1 / s, s],
        [1 / s, s, 1, 1],
        [s, 1 / s, 1, 1],
    ])
    w, lam = ahp.harker_weights(partial)
    np.testing.assert_allclose(w, [0.25, 0.25, 0.25, 0.25], rtol=0, atol=1e-14)
    assert float(lam) == pytest.approx(16 / 3, abs=1e-12)
    full = ahp.complete_harker(partial)
    assert full[0, 1] == pytest.approx(np.sqrt(s * s * (1 / s) * (1 / s)), abs=1e-13)
    ci, cr = ahp.consistency(lam, 4)
    assert float(ci) == pytest.approx(4 / 9, abs=1e-12)
    assert float(cr) == pytest.approx(4 / 9 / 0.90, abs=1e-12)


def test_missing_pairs_mask():
    nan = np.nan
    partial = np.array([[1, 2, nan], [0.5, 1, 4], [nan, 0.25, 1]])
    assert ahp.missing_pairs(partial).tolist() == [[False, False, True], [False, False, False],
                                                   [True, False, False]]
    stack = np.stack([partial, np.ones((3, 3))])
    mask = ahp.missing_pairs(stack)
    assert mask.shape == (2, 3, 3) and mask[0, 0, 2] and not mask[1].any()


# --- properties --------------------------------------------------------------------------------------

@SETTINGS
@given(upper=st.lists(judgment, min_size=15 * 15, max_size=15 * 15), n=st.integers(1, 15))
def test_complete_matrix_equals_eigenvector_weights(upper, n):
    a = ahp.complete_reciprocal(np.array(upper).reshape(15, 15)[:n, :n])
    w, lam = ahp.harker_weights(a)
    w_ev, lam_ev = ahp.eigenvector_weights(a)
    assert np.array_equal(w, w_ev) and float(lam) == float(lam_ev)


@SETTINGS
@given(answered=connected_pattern(), v=st.lists(st.floats(min_value=0.05, max_value=20), min_size=15,
                                                 max_size=15))
def test_consistent_judgments_with_pairs_removed_give_back_the_weights(answered, v):
    """a_ij = w_i/w_j with pairs removed (still connected): w is an eigenvector of C for λ = n (each
    row of C·w is (n − m_i)·w_i + m_i·w_i), so Harker returns w itself and the completion is consistent."""
    n = answered.shape[0]
    w_true = np.array(v[:n]) / np.sum(v[:n])
    partial = np.where(answered, w_true[:, None] / w_true[None, :], np.nan)
    w, lam = ahp.harker_weights(partial)
    np.testing.assert_allclose(w, w_true, rtol=0, atol=1e-12)
    assert float(lam) == pytest.approx(n, abs=1e-10)
    full = ahp.complete_harker(partial)
    np.testing.assert_allclose(full, w_true[:, None] / w_true[None, :], rtol=1e-10)


@SETTINGS
@given(partial=incomplete_matrix())
def test_weights_are_the_perron_vector_of_harkers_c(partial):
    """Cross-check against numpy.linalg.eig of C built here from the definition."""
    w, lam = ahp.harker_weights(partial)
    w_eig, lam_eig = perron(harker_c(partial))
    np.testing.assert_allclose(w, w_eig, rtol=1e-9, atol=1e-12)
    assert float(lam) == pytest.approx(lam_eig, rel=1e-10)
    assert np.all(w > 0) and w.sum() == pytest.approx(1.0, abs=1e-12)


@SETTINGS
@given(partial=incomplete_matrix())
def test_completed_matrix_has_harkers_eigenvector_and_lambda(partial):
    """Â (missing a_ij = w_i/w_j) satisfies Â·w = C·w = λ·w with Â positive, so its Perron vector is
    Harker's w and its λmax Harker's λ: Saaty's CR of Â is the participant's CR."""
    n = partial.shape[0]
    w, lam = ahp.harker_weights(partial)
    full = ahp.complete_harker(partial)
    answered = ~np.isnan(partial)
    assert not np.isnan(full).any()
    assert np.array_equal(full[answered], partial[answered])  # given judgments untouched
    np.testing.assert_allclose(full * full.T, np.ones((n, n)), rtol=0, atol=1e-12)  # reciprocal
    w_full, lam_full = ahp.eigenvector_weights(full)
    np.testing.assert_allclose(w_full, w, rtol=1e-9, atol=1e-12)
    assert float(lam_full) == pytest.approx(float(lam), rel=1e-10)
    assert float(lam) >= n - 1e-9  # λmax ≥ n for a positive reciprocal matrix, so CR ≥ 0
    ci, cr = ahp.consistency(lam, n)
    ci_full, cr_full = ahp.consistency(lam_full, n)
    assert float(ci) == pytest.approx(float(ci_full), abs=1e-9)
    assert float(cr) == pytest.approx(float(cr_full), abs=1e-9)


@SETTINGS
@given(answered=connected_pattern(n_min=2, n_max=9), cut=st.integers(1, 8))
def test_connectivity_agrees_with_a_graph_search(answered, cut):
    """comparisons_connected on a connected pattern, and on the same pattern with every pair across a
    cut of the items removed (then it is disconnected)."""
    n = answered.shape[0]
    a = np.where(answered, 1.0, np.nan)
    assert ahp.comparisons_connected(a) is True
    k = cut % (n - 1) + 1  # items 0..k-1 against k..n-1
    split = answered.copy()
    split[:k, k:] = False
    split[k:, :k] = False
    b = np.where(split, 1.0, np.nan)
    assert ahp.comparisons_connected(b) is connected_by_search(split) is False
    with pytest.raises(InputError, match=f"do not connect all {n} items"):
        ahp.harker_weights(b)


@SETTINGS
@given(partials=st.lists(incomplete_matrix(n_min=6, n_max=6), min_size=1, max_size=6), full=st.booleans())
def test_a_batch_equals_the_matrices_one_by_one(partials, full):
    stack = np.stack(partials)
    if full:  # a complete matrix in the batch too (it takes the eigenvector_weights path)
        stack = np.concatenate([stack, ahp.complete_reciprocal(np.nan_to_num(stack[:1], nan=2.0))])
    w, lam = ahp.harker_weights(stack)
    assert w.shape == stack.shape[:2] and lam.shape == stack.shape[:1]
    for k, m in enumerate(stack):
        w_k, lam_k = ahp.harker_weights(m)
        np.testing.assert_allclose(w[k], w_k, rtol=0, atol=1e-12)
        assert float(lam[k]) == pytest.approx(float(lam_k), abs=1e-10)
    full_stack = ahp.complete_harker(stack)
    for k, m in enumerate(stack):
        np.testing.assert_allclose(full_stack[k], ahp.complete_harker(m), rtol=1e-11)
    # a 2-level batch keeps its shape
    w2, lam2 = ahp.harker_weights(stack[None])
    assert w2.shape == (1, *w.shape) and lam2.shape == (1, *lam.shape)


def test_sparse_answers_converge_through_the_eig_finish():
    """A path 1-2-…-15 (14 answers out of 105): the power iteration is slow (|λ2/λ1| near 1) and the
    kernel finishes with numpy.linalg.eig; the result still matches C's Perron vector and, the path
    being a tree, the completion is consistent (λmax = n)."""
    n = 15
    rng = np.random.default_rng(7)
    steps = rng.choice([1 / 9, 1 / 5, 1 / 3, 2, 3, 7, 9], size=n - 1)
    partial = np.full((n, n), np.nan)
    np.fill_diagonal(partial, 1.0)
    for i, x in enumerate(steps):
        partial[i, i + 1], partial[i + 1, i] = x, 1 / x
    w, lam = ahp.harker_weights(partial)
    w_eig, _lam = perron(harker_c(partial))
    np.testing.assert_allclose(w, w_eig, rtol=1e-8)
    assert float(lam) == pytest.approx(n, abs=1e-9)
    # along the path, w_i / w_{i+1} = a_{i,i+1}
    np.testing.assert_allclose(w[:-1] / w[1:], steps, rtol=1e-8)


# --- bad input ---------------------------------------------------------------------------------------

def test_disconnected_is_an_input_error_naming_the_items():
    nan = np.nan
    partial = np.array([
        [1, 2, nan, nan],
        [0.5, 1, nan, nan],
        [nan, nan, 1, 3],
        [nan, nan, 1 / 3, 1],
    ])
    assert ahp.comparisons_connected(partial) is False
    with pytest.raises(InputError, match=r"do not connect all 4 items.*items 3, 4 with one of items 1, 2"):
        ahp.harker_weights(partial)
    with pytest.raises(InputError, match="do not connect"):
        ahp.complete_harker(partial)
    with pytest.raises(InputError, match=r"^matrix 2: the answered pairs do not connect"):
        ahp.harker_weights(np.stack([np.ones((4, 4)), partial]))


def test_two_items_with_the_pair_skipped_is_disconnected():
    partial = np.array([[1.0, np.nan], [np.nan, 1.0]])
    assert ahp.comparisons_connected(partial) is False
    # a pair counts as answered only when both of its judgments are there
    assert ahp.comparisons_connected(np.array([[1.0, 2.0], [np.nan, 1.0]])) is False
    assert ahp.comparisons_connected(np.array([[1.0, 2.0], [0.5, 1.0]])) is True
    with pytest.raises(InputError, match="at least 1 answered pairs"):
        ahp.harker_weights(partial)


@pytest.mark.parametrize(("cell", "value", "message"), [
    ((0, 1), np.nan, r"judgment \[2, 1\] is missing but \[1, 2\] = 2"),  # only a_21 gets NaN below
    ((1, 2), 0.0, r"judgment \[2, 3\] = 0 must be a positive finite number"),
    ((1, 2), -3.0, r"judgment \[2, 3\] = -3 must be a positive finite number"),
    ((1, 2), np.inf, r"judgment \[2, 3\] = inf must be a positive finite number"),
    ((1, 1), 2.0, r"diagonal \[2, 2\] must be 1, got 2"),
    ((1, 1), np.nan, r"diagonal \[2, 2\] must be 1, got nan"),
])
def test_bad_judgments_are_input_errors(cell, value, message):
    a = np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])
    i, j = cell
    if np.isnan(value) and i != j:
        a[j, i] = value  # a_ji missing while a_ij = 2 is given
    else:
        a[i, j] = value
    with pytest.raises(InputError, match=message):
        ahp.harker_weights(a)


def test_shape_errors():
    with pytest.raises(InputError, match="must be square"):
        ahp.harker_weights(np.ones((2, 3)))
    with pytest.raises(InputError, match=r"expected one \(n, n\) matrix"):
        ahp.comparisons_connected(np.ones((2, 3, 3)))
    with pytest.raises(InputError, match="larger than the random-index table"):
        ahp.harker_weights(np.ones((16, 16)))
