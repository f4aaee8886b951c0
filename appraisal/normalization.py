"""Column normalisations of decision matrices of shape (..., m, n), shared by TOPSIS and WSM.

``directions`` is an array of +1 (benefit) / −1 (cost) of shape (n,). A column that cannot be
scaled (zero norm, or max = min) becomes all zeros, so it contributes nothing (never NaN).
"""

from __future__ import annotations

import numpy as np


def _scaled(x: np.ndarray) -> np.ndarray:
    """Each column divided by its largest absolute value (both normalisations are scale-free, and
    this keeps ‖x‖ and max − min finite for values near the float limits)."""
    x = np.asarray(x, dtype=float)
    big = np.abs(x).max(axis=-2, keepdims=True)
    return x / np.where(big > 0, big, 1.0)


def vector(x: np.ndarray) -> np.ndarray:
    """x / ‖x‖₂ per column (orientation kept; the ideal is chosen later by direction)."""
    x = _scaled(x)
    norm = np.sqrt((x * x).sum(axis=-2, keepdims=True))
    return x / np.where(norm > 0, norm, 1.0)


def minmax(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Oriented min-max: benefit (x − min)/(max − min), cost (max − x)/(max − min); 0 worst … 1 best."""
    x = _scaled(x)
    lo = x.min(axis=-2, keepdims=True)
    hi = x.max(axis=-2, keepdims=True)
    span = hi - lo
    up = (x - lo) / np.where(span > 0, span, 1.0)
    r = np.where(np.asarray(directions) > 0, up, 1.0 - up)
    return np.where(span > 0, r, 0.0)


def unit_sum(w: np.ndarray) -> np.ndarray:
    """Non-negative weights (..., n) rescaled to sum 1 (divided by their maximum first, so that
    huge but equal weights give equal shares instead of overflowing)."""
    w = np.asarray(w, dtype=float)
    w = w / w.max(axis=-1, keepdims=True)
    return w / w.sum(axis=-1, keepdims=True)


def row_dot(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Σ_j a[..., i, j] · v[..., j] for every row i, broadcast over leading dimensions: shape (..., m).

    One matrix (m, n) with many vectors (S, n) is a single GEMM (S, n) @ (n, m), much faster than
    S small products; stacked matrices (B, m, n) go through a batched matmul.
    """
    v = np.asarray(v, dtype=float)
    if a.ndim == 2:
        return v @ a.T
    return np.matmul(a, v[..., :, None])[..., 0]
