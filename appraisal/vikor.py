"""VIKOR (Opricovic & Tzeng 2004), v = 0.5, vectorised over weight samples and over stacked matrices.

Shapes as in :mod:`appraisal.topsis`: ``x`` (m, n) or (B, m, n), ``w`` (n,) or (S, n), broadcast, so
(m, n) with (S, n) gives (S, m) and (B, m, n) with (n,) gives (B, m).

For each criterion j the best value f*_j (the column maximum for a benefit, the minimum for a cost) and
the worst f⁻_j; for each alternative i the regret on j, d_ij = (f*_j − f_ij)/(f*_j − f⁻_j) ∈ [0, 1], and

- S_i = Σ_j w_j d_ij (group utility), R_i = max_j w_j d_ij (individual regret),
- Q_i = v (S_i − S*)/(S⁻ − S*) + (1 − v)(R_i − R*)/(R⁻ − R*), S* = min S, S⁻ = max S (R alike).

Lower Q is better (the registry says so: ``higher_is_better=False``); Q ∈ [0, 1]. Weights are used as
given (the engine passes them summing to 1).

Degenerate cases, defined so that nothing is NaN:
- a constant column (f*_j = f⁻_j) has d_ij = 0: it adds nothing to S or R;
- when S⁻ = S* (every alternative has the same S, to ``TIE`` = 1e-12, the engine's tie tolerance: S and R
  lie in [0, 1] for weights summing to 1, and a spread of rounding noise must not be blown up to 1) the S
  part of Q is 0, and likewise the R part when R⁻ = R*; so when all alternatives tie on both, Q = 0 for
  all of them (all tie first).
  (pymcdm refuses a constant column and divides by zero when S⁻ = S*.)

Every quotient is scale-free: multiplying a column by a positive factor changes nothing.

The compromise conditions of step 5 (acceptable advantage C1, acceptable stability C2) are not applied:
the engine ranks by Q. :func:`vikor_tables` is the readable textbook version on one matrix, with S and
R; :func:`vikor` is the vectorised one the engine calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: the weight of the strategy of maximum group utility (S) against individual regret (R)
V = 0.5
#: S⁻ − S* (or R⁻ − R*) at most this is no spread: that part of Q is 0
TIE = 1e-12


def _regrets(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """d = (f* − f)/(f* − f⁻) per column, oriented by direction; 0 on a constant column. Shape (..., m, n)."""
    x = np.asarray(x, dtype=float)
    big = np.abs(x).max(axis=-2, keepdims=True)  # scale each column first (no overflow near float limits)
    x = x / np.where(big > 0, big, 1.0)
    hi = x.max(axis=-2, keepdims=True)
    lo = x.min(axis=-2, keepdims=True)
    span = hi - lo
    benefit = np.asarray(directions) > 0
    gap = np.where(benefit, hi - x, x - lo)
    return np.where(span > 0, gap / np.where(span > 0, span, 1.0), 0.0)


def _spread(s: np.ndarray) -> np.ndarray:
    """(s − min)/(max − min) along the last axis, 0 where max = min."""
    lo = s.min(axis=-1, keepdims=True)
    span = s.max(axis=-1, keepdims=True) - lo
    return np.where(span > TIE, (s - lo) / np.where(span > TIE, span, 1.0), 0.0)


def vikor(x: np.ndarray, w: np.ndarray, directions: np.ndarray, v: float = V) -> np.ndarray:
    """Q of every alternative, shape broadcast(x[..., :, 0], w[..., None, 0]) i.e. (..., m); lower is better."""
    d = _regrets(x, directions)  # (..., m, n)
    w = np.asarray(w, dtype=float)
    if d.ndim == 2:  # one matrix, many weight vectors: S is one matrix product, R one broadcast max
        s = w @ d.T  # (..., m)
        r = (w[..., None, :] * d).max(axis=-1)
    else:
        wd = d * w[..., None, :]
        s, r = wd.sum(axis=-1), wd.max(axis=-1)
    return v * _spread(s) + (1 - v) * _spread(r)


def kernel(x: np.ndarray, w: np.ndarray, directions: np.ndarray, normalization: str | None = None,
           reference=None) -> np.ndarray:
    """The registry's entry point (:mod:`appraisal.methods`): VIKOR's own linear normalization, no choice."""
    return vikor(x, w, directions)


@dataclass
class VikorTables:
    """The intermediate tables of one VIKOR run (the textbook route), for explaining a score."""

    best: np.ndarray
    worst: np.ndarray
    s: np.ndarray
    r: np.ndarray
    q: np.ndarray


def vikor_tables(x: np.ndarray, w: np.ndarray, directions: np.ndarray, v: float = V) -> VikorTables:
    """VIKOR on one (m, n) matrix, step by step as in Opricovic & Tzeng (2004), with loops."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    m, n = x.shape
    best = np.array([x[:, j].max() if directions[j] > 0 else x[:, j].min() for j in range(n)])
    worst = np.array([x[:, j].min() if directions[j] > 0 else x[:, j].max() for j in range(n)])
    s, r = np.zeros(m), np.zeros(m)
    for i in range(m):
        terms = [0.0 if best[j] == worst[j] else w[j] * (best[j] - x[i, j]) / (best[j] - worst[j])
                 for j in range(n)]
        s[i], r[i] = sum(terms), max(terms)
    s_star, s_minus, r_star, r_minus = s.min(), s.max(), r.min(), r.max()
    q = np.zeros(m)
    for i in range(m):
        part_s = 0.0 if s_minus - s_star <= TIE else (s[i] - s_star) / (s_minus - s_star)
        part_r = 0.0 if r_minus - r_star <= TIE else (r[i] - r_star) / (r_minus - r_star)
        q[i] = v * part_s + (1 - v) * part_r
    return VikorTables(best, worst, s, r, q)
