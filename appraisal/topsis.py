"""TOPSIS (Hwang & Yoon 1981), vectorised over weight samples and over stacked matrices.

``topsis(x, w, directions)`` takes a decision matrix ``x`` of shape (m, n) or (B, m, n) and
weights ``w`` of shape (n,) or (S, n); leading dimensions broadcast as in numpy (so (m, n) with
(S, n) gives (S, m) scores; (B, m, n) with (n,) gives (B, m)).

Steps: normalise each column (``vector``: x/‖x‖₂, the default; ``minmax``: oriented to 0 worst
… 1 best; ``reference``: R-TOPSIS, below); weight; ideal A⁺ and anti-ideal A⁻ per column by direction (for minmax the values
are already oriented, so A⁺ is the column maximum); Euclidean distances d⁺, d⁻; closeness
C = d⁻/(d⁺ + d⁻). Because weights are non-negative, the weighted ideal is the weight times the
normalised ideal, so d² = (normalised squared gaps) @ w²: one matrix product for all samples.
A constant column contributes nothing. Where d⁺ + d⁻ = 0 (every weighted column constant) the
closeness is undefined and returned as NaN; :func:`appraisal.ranking.check_defined` turns that
into a clear error.

``reference`` (R-TOPSIS, Aires & Ferreira 2019) normalises each column by the criteria set's own
domain instead of the package's values: r = v(x), the criterion's value function
(:mod:`appraisal.value`: (x − worst)/(best − worst) over the reference levels or the scale's range,
clipped; piecewise linear where the set gives breakpoints), and fixes the ideal at 1 and the
anti-ideal at 0 on every column. Nothing in a project's distances depends on the other projects,
so adding or removing a project never changes the order of the others (no rank reversal). The
value functions are passed as ``reference`` (a :class:`~appraisal.value.ValueFunctions`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import normalization
from .normalization import row_dot


def _normalise(x: np.ndarray, directions: np.ndarray, method: str,
               reference=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalised matrix with its per-column ideal and anti-ideal (unweighted)."""
    d = np.asarray(directions)
    if method == "reference":
        if reference is None:
            raise ValueError("the reference normalization needs the criteria set's value functions")
        r = reference(x)
        return r, np.ones(r.shape[-1]), np.zeros(r.shape[-1])
    if method == "vector":
        r = normalization.vector(x)
        hi, lo = r.max(axis=-2), r.min(axis=-2)
        return r, np.where(d > 0, hi, lo), np.where(d > 0, lo, hi)
    if method == "minmax":
        r = normalization.minmax(x, d)
        return r, r.max(axis=-2), r.min(axis=-2)
    raise ValueError(f"unknown normalization {method!r}; use vector, minmax or reference")


def topsis(x: np.ndarray, w: np.ndarray, directions: np.ndarray, normalization: str = "vector",
           reference=None) -> np.ndarray:
    """Closeness coefficients, shape broadcast(x[..., :, 0], w[..., None, 0]) i.e. (..., m)."""
    r, pos, neg = _normalise(x, directions, normalization, reference)
    gap_pos = (r - pos[..., None, :]) ** 2
    gap_neg = (r - neg[..., None, :]) ** 2
    w2 = np.asarray(w, dtype=float) ** 2
    d_pos = np.sqrt(np.maximum(row_dot(gap_pos, w2), 0.0))
    d_neg = np.sqrt(np.maximum(row_dot(gap_neg, w2), 0.0))
    total = d_pos + d_neg
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, d_neg / np.where(total > 0, total, 1.0), np.nan)


@dataclass
class TopsisTables:
    """The intermediate tables of one TOPSIS run, for explaining a score."""

    normalized: np.ndarray
    weighted: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    d_pos: np.ndarray
    d_neg: np.ndarray
    score: np.ndarray


def topsis_tables(x: np.ndarray, w: np.ndarray, directions: np.ndarray,
                  normalization: str = "vector", reference=None) -> TopsisTables:
    """TOPSIS on one (m, n) matrix with every intermediate table (the plain textbook route)."""
    r, pos, neg = _normalise(x, directions, normalization, reference)
    w = np.asarray(w, dtype=float)
    v = r * w
    ideal, anti = pos * w, neg * w
    d_pos = np.sqrt(((v - ideal) ** 2).sum(axis=-1))
    d_neg = np.sqrt(((v - anti) ** 2).sum(axis=-1))
    total = d_pos + d_neg
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(total > 0, d_neg / np.where(total > 0, total, 1.0), np.nan)
    return TopsisTables(r, v, ideal, anti, d_pos, d_neg, score)
