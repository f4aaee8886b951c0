"""Column normalisations of decision matrices of shape (..., m, n), shared by TOPSIS and WSM.

``directions`` is an array of +1 (benefit) / −1 (cost) of shape (n,). A column that cannot be
scaled (zero norm, or max = min) becomes all zeros, so it contributes nothing (never NaN).
"""

from __future__ import annotations

import numpy as np


def vector(x: np.ndarray) -> np.ndarray:
    """x / ‖x‖₂ per column (orientation kept; the ideal is chosen later by direction)."""
    x = np.asarray(x, dtype=float)
    norm = np.sqrt((x * x).sum(axis=-2, keepdims=True))
    safe = np.where(norm > 0, norm, 1.0)
    return np.where(norm > 0, x / safe, 0.0)


def minmax(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Oriented min-max: benefit (x − min)/(max − min), cost (max − x)/(max − min); 0 worst … 1 best."""
    x = np.asarray(x, dtype=float)
    lo = x.min(axis=-2, keepdims=True)
    hi = x.max(axis=-2, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    up = (x - lo) / safe
    r = np.where(np.asarray(directions) > 0, up, 1.0 - up)
    return np.where(span > 0, r, 0.0)


NORMALIZATIONS = ("vector", "minmax")
