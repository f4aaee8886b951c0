"""Weighted sum model: S_i = Σ_j w_j · r_ij with oriented min-max values r (0 worst … 1 best).

Shapes as in :mod:`appraisal.topsis`: x (m, n) or (B, m, n), w (n,) or (S, n), broadcast.
A constant column has r = 0: it adds nothing to any score.
"""

from __future__ import annotations

import numpy as np

from . import normalization


def wsm(x: np.ndarray, w: np.ndarray, directions: np.ndarray) -> np.ndarray:
    return normalization.row_dot(normalization.minmax(x, directions), w)


def kernel(x: np.ndarray, w: np.ndarray, directions: np.ndarray, normalization: str | None = None,
           reference=None) -> np.ndarray:
    """The registry's entry point (:mod:`appraisal.methods`): WSM reads no normalization (always oriented
    min-max) and no reference."""
    return wsm(x, w, directions)
