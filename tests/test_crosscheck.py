"""Cross-checks against independent implementations: pymcdm (TOPSIS, WSM, AHP) and numpy.linalg.eig.

pymcdm is an optional dependency (the ``crosscheck`` extra). Locally a missing pymcdm skips this module;
on CI (environment variable CI == "true") it must be installed, so the import is allowed to fail.

How the two sides line up (read from pymcdm 1.4's source):

* ``pymcdm.methods.TOPSIS(normalization_function)`` normalises each column with ``f(x, cost)``, weights it,
  and takes PIS/NIS as the column max/min of the weighted matrix.
  - ``vector_normalization``: benefit x/‖x‖₂, cost 1 − x/‖x‖₂. Ours (``normalization="vector"``) keeps x/‖x‖₂
    and takes the ideal as the column min for a cost; the gaps |v − v*| are identical, so the closeness is.
  - ``minmax_normalization`` (pymcdm's default for TOPSIS): benefit (x−min)/(max−min), cost (max−x)/(max−min),
    a constant column → all ones. Ours (``normalization="minmax"``) is the same oriented min-max, with a
    constant column → all zeros; either way the column has no gap and adds nothing to d⁺ or d⁻.
* ``pymcdm.methods.WSM(minmax_normalization)`` is Σ w_j r_ij with the same oriented min-max as our WSM (pymcdm's
  default for WSM is sum normalisation, so it is set explicitly). A constant column gives r = 1 in pymcdm and
  r = 0 in ours: pymcdm's scores are then ours + Σ w_j over constant columns (same ranks).
* ``pymcdm.weights.subjective.AHP(matrix=...)`` takes the principal eigenvector by ``numpy.linalg.eig`` and
  rejects judgments off the 1–9 grid (and reciprocals), so it is compared on Saaty-grid matrices only; its
  CR uses the Tummala & Ling (1998) random index (RI_M), so CI = CR·RI_M is compared, not CR.
* ``numpy.linalg.eig``: the eigenvector of the eigenvalue with the largest real part (Perron root), real part,
  normalised to sum 1 — compared with our power iteration on continuous random reciprocal matrices.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

if os.environ.get("CI") == "true":
    import pymcdm
else:
    pymcdm = pytest.importorskip("pymcdm")

from pymcdm.methods import TOPSIS, WSM
from pymcdm.normalizations import minmax_normalization, vector_normalization
from pymcdm.weights.subjective import AHP

from appraisal import ahp
from appraisal.ranking import ranks
from appraisal.topsis import topsis
from appraisal.wsm import wsm

SETTINGS = settings(max_examples=100, deadline=None)
TOL = 1e-9


def pm_topsis(x, w, d, normalization_function):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TOPSIS(normalization_function)(x, w, d.astype(int), validation=False)


def pm_wsm(x, w, d):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return WSM(minmax_normalization)(x, w, d.astype(int), validation=False)


# --- strategies --------------------------------------------------------------------------------------

@st.composite
def problems(draw):
    """m 2..12 alternatives, n 1..8 criteria, positive values, random directions and weights (sum 1)."""
    m = draw(st.integers(2, 12))
    n = draw(st.integers(1, 8))
    x = np.array(draw(st.lists(st.integers(1, 10_000).map(lambda k: k / 10.0), min_size=m * n,
                               max_size=m * n))).reshape(m, n)
    d = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=n, max_size=n)))
    return x, w / w.sum(), d


def varying(x):
    return np.ptp(x, axis=0) > 0


# --- TOPSIS ------------------------------------------------------------------------------------------

@given(p=problems())
@SETTINGS
def test_topsis_vector_matches_pymcdm(p):
    """Ours: normalization="vector" (x/‖x‖, cost ideal = column min); pymcdm: vector_normalization
    (cost → 1 − x/‖x‖, ideal = column max). Same closeness."""
    x, w, d = p
    assume(varying(x).any())
    np.testing.assert_allclose(topsis(x, w, d, "vector"), pm_topsis(x, w, d, vector_normalization),
                               rtol=0, atol=TOL)


@given(p=problems())
@SETTINGS
def test_topsis_minmax_matches_pymcdm(p):
    """Ours: normalization="minmax" (oriented, constant column → 0); pymcdm: minmax_normalization
    (oriented, constant column → 1), which is also pymcdm's default for TOPSIS."""
    x, w, d = p
    assume(varying(x).any())
    ours = topsis(x, w, d, "minmax")
    np.testing.assert_allclose(ours, pm_topsis(x, w, d, minmax_normalization), rtol=0, atol=TOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = TOPSIS()(x, w, d, validation=False)
    np.testing.assert_allclose(ours, default, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", range(20))
def test_topsis_seeded_random_matrices_match_pymcdm(seed):
    """Seeded continuous (not gridded) matrices, including a forced constant column in half of them."""
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 13)), int(rng.integers(1, 9))
    x = rng.uniform(0.1, 1000, size=(m, n))
    if seed % 2 and n > 1:
        x[:, rng.integers(n)] = rng.uniform(0.1, 1000)
    d = rng.choice([1, -1], size=n)
    w = rng.dirichlet(np.ones(n))
    np.testing.assert_allclose(topsis(x, w, d, "vector"), pm_topsis(x, w, d, vector_normalization),
                               rtol=0, atol=TOL)
    np.testing.assert_allclose(topsis(x, w, d, "minmax"), pm_topsis(x, w, d, minmax_normalization),
                               rtol=0, atol=TOL)


def test_pymcdm_documented_topsis_example():
    """pymcdm's own TOPSIS docstring example (minmax, its default): [0.500, 0.617, 0.500]."""
    x = np.array([[1, 2, 5], [3000, 3750, 4500]], dtype=float).T
    w = np.array([0.5, 0.5])
    d = np.array([-1, 1])
    np.testing.assert_allclose(topsis(x, w, d, "minmax"), [0.500, 0.617, 0.500], rtol=0, atol=5e-4)
    assert ranks(topsis(x, w, d, "minmax")).tolist() == [2, 1, 2]


# --- WSM ---------------------------------------------------------------------------------------------

@given(p=problems())
@SETTINGS
def test_wsm_matches_pymcdm_minmax(p):
    """Ours: Σ w·r, oriented min-max with constant column → 0; pymcdm WSM(minmax_normalization): the same,
    constant column → 1, i.e. ours + Σ w_j over the constant columns."""
    x, w, d = p
    const = ~varying(x)
    ours = wsm(x, w, d)
    theirs = pm_wsm(x, w, d)
    np.testing.assert_allclose(ours + w[const].sum(), theirs, rtol=0, atol=TOL)
    np.testing.assert_array_equal(ranks(ours), ranks(theirs))


@pytest.mark.parametrize("seed", range(10))
def test_wsm_seeded_random_matrices_match_pymcdm(seed):
    rng = np.random.default_rng(1000 + seed)
    m, n = int(rng.integers(2, 13)), int(rng.integers(1, 9))
    x = rng.uniform(0.1, 1000, size=(m, n))
    d = rng.choice([1, -1], size=n)
    w = rng.dirichlet(np.ones(n))
    np.testing.assert_allclose(wsm(x, w, d), pm_wsm(x, w, d), rtol=0, atol=TOL)


# --- AHP ---------------------------------------------------------------------------------------------

def numpy_principal(a):
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    v = vecs[:, k].real
    return v / v.sum(), float(vals[k].real)


@given(n=st.integers(3, 15), data=st.data())
@SETTINGS
def test_eigenvector_matches_numpy_eig(n, data):
    """Continuous judgments in [1/9, 9] (not on the Saaty grid), sizes 3..15."""
    upper = np.array(data.draw(st.lists(st.floats(min_value=1 / 9, max_value=9), min_size=n * n,
                                        max_size=n * n))).reshape(n, n)
    a = ahp.complete_reciprocal(upper)
    w, lam = ahp.eigenvector_weights(a)
    w_np, lam_np = numpy_principal(a)
    np.testing.assert_allclose(w, w_np, rtol=0, atol=TOL)
    assert float(lam) == pytest.approx(lam_np, abs=1e-9)
    _ci, cr = ahp.consistency(lam, n)
    assert float(cr) == pytest.approx((lam_np - n) / (n - 1) / ahp.RANDOM_INDEX[n], abs=1e-9)


@pytest.mark.parametrize("n", range(3, 16))
def test_eigenvector_matches_numpy_eig_seeded(n):
    """Seeded log-uniform judgments in [1/9, 9], batched: 50 matrices per size at once."""
    rng = np.random.default_rng(n)
    stack = ahp.complete_reciprocal(np.exp(rng.uniform(-np.log(9), np.log(9), size=(50, n, n))))
    w, lam = ahp.eigenvector_weights(stack)
    for k, a in enumerate(stack):
        w_np, lam_np = numpy_principal(a)
        np.testing.assert_allclose(w[k], w_np, rtol=0, atol=TOL)
        assert float(lam[k]) == pytest.approx(lam_np, abs=1e-9)


@given(n=st.integers(3, 15), data=st.data())
@SETTINGS
def test_eigenvector_matches_pymcdm_ahp_on_saaty_grid(n, data):
    """pymcdm's AHP only takes judgments on the 1..9 grid and their reciprocals."""
    grid = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    upper = np.array(data.draw(st.lists(st.sampled_from(grid), min_size=n * n, max_size=n * n))).reshape(n, n)
    a = ahp.complete_reciprocal(upper)
    model = AHP(matrix=a)
    w_pm = model()
    w, lam = ahp.eigenvector_weights(a)
    np.testing.assert_allclose(w, w_pm, rtol=0, atol=TOL)
    # pymcdm's CR divides by the Tummala & Ling RI; compare the CI, which does not depend on the table
    ci, _ = ahp.consistency(lam, n)
    assert float(ci) == pytest.approx(model.get_cr() * AHP.RI_M[n - 1], abs=1e-9)


def test_pymcdm_ahp_rejects_off_grid_judgments():
    """Documents why the pymcdm AHP comparison is restricted to the grid (docs/design.md#peer-libraries): a group judgment
    such as the geometric mean of 2 and 3 is refused by pymcdm, and accepted by ours."""
    a = ahp.complete_reciprocal(np.array([[1, np.sqrt(6), 5], [0, 1, 2], [0, 0, 1]], dtype=float))
    with pytest.raises(ValueError):
        AHP(matrix=a)
    w, _lam = ahp.eigenvector_weights(a)
    np.testing.assert_allclose(w, numpy_principal(a)[0], rtol=0, atol=TOL)
