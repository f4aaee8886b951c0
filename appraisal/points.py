"""The Polish selection card (karta oceny): points per criterion, minima, a threshold, bonus on top.

Pure numpy over (..., m, n) point matrices:
- ``base`` = Σ merit points; ``bonus`` = Σ bonus points;
- a project *passes* when it reaches every per-criterion minimum and ``base ≥ threshold``;
- ``total`` = base + bonus, where bonus is counted only for projects that pass when
  ``bonus_only_if_passed`` (the usual rule: premium points go only to projects that met the minimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class CardResult:
    base: np.ndarray  # (..., m)
    bonus: np.ndarray  # (..., m)
    total: np.ndarray  # (..., m)
    below_minimum: np.ndarray  # (..., m, n) bool
    below_threshold: np.ndarray  # (..., m) bool
    passed: np.ndarray  # (..., m) bool


def card(points: np.ndarray, minima: np.ndarray, threshold: float | None,
         bonus_points: np.ndarray | None = None, bonus_only_if_passed: bool = True) -> CardResult:
    """Score a card. ``minima`` has NaN where a criterion has no minimum; ``threshold`` None = none."""
    p = np.asarray(points, dtype=float)
    base = p.sum(axis=-1)
    mins = np.asarray(minima, dtype=float)
    below_min = np.where(np.isnan(mins), False, p < np.nan_to_num(mins) - 1e-9)
    below_thr = np.zeros(base.shape, bool) if threshold is None else base < threshold - 1e-9
    passed = ~below_min.any(axis=-1) & ~below_thr
    if bonus_points is None or np.asarray(bonus_points).shape[-1] == 0:
        bonus = np.zeros_like(base)
    else:
        bonus = np.asarray(bonus_points, dtype=float).sum(axis=-1)
    counted = np.where(passed, bonus, 0.0) if bonus_only_if_passed else bonus
    return CardResult(base, bonus, base + counted, below_min, below_thr, passed)


def card_ranks(total: np.ndarray, passed: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Ranks on a card: every project that passes comes before every one that does not; within
    each part by total points descending, ties sharing the smallest rank (1, 2, 2, 4)."""
    t = np.asarray(total, dtype=float)
    p = np.asarray(passed, dtype=bool)
    other_passes_i_not = p[..., None, :] & ~p[..., :, None]
    same = p[..., None, :] == p[..., :, None]
    better = other_passes_i_not | (same & (t[..., None, :] > t[..., :, None] + tol))
    return 1 + better.sum(axis=-1)
