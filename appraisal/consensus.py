"""How far a panel agrees: the AHP consensus indicator S* (Goepel 2013), pairwise similarity and clusters.

Kernels are pure numpy and batched: priorities ``P`` of shape (K, n), K participants' priority vectors
over the same n items (each row sums to 1), or a stack (..., K, n).

Goepel, K. D. (2013). Implementing the Analytic Hierarchy Process as a Standard Method for Multi-Criteria
Decision Making in Corporate Enterprises – A New AHP Excel Template with Multiple Inputs. Proceedings of
the International Symposium on the Analytic Hierarchy Process (ISAHP 2013), Kuala Lumpur. The same
indicator is computed by Goepel's AHP-OS (group results and the Group Consensus Cluster Analysis); it
rests on Jost, L. (2006). Entropy and diversity. Oikos 113(2), 363–375.

- :func:`shannon_entropy`: H(p) = −Σ p_j ln p_j (0·ln 0 = 0); its diversity (Hill number) is D = exp(H);
- :func:`homogeneity`: the relative homogeneity S = 1/Dβ = exp(Hα − Hγ), where Hα is the mean of the
  participants' entropies, Hγ the entropy of their mean priorities and Hβ = Hγ − Hα ≥ 0 (H is concave);
  S = 1 when everyone gives the same priorities;
- :func:`consensus`: S* = (S − Dα,min/n)/(1 − Dα,min/n). On a judgment scale whose largest value is M
  (9 on Saaty's), a participant's priorities are at most as concentrated as (M, 1, …, 1)/(M + n − 1)
  (one item M times as important as every other), whose diversity is Dα,min
  (:func:`alpha_min_diversity`); the mean priorities are at most uniform, Dγ,max = n. So S*
  runs from 0 (n participants each putting a different item M times above all others) to 1;
- :func:`similarity_matrix`: S* of every pair of participants, (K, K), with unit diagonal;
- :func:`clusters`: AHP-OS's greedy grouping of like-minded participants from that matrix;
- :func:`consensus_word`: Goepel's five words for S* (very low < 0.5 ≤ low < 0.625 ≤ moderate < 0.75
  ≤ high < 0.875 ≤ very high), from his BPMSG notes on interpreting the indicator (bpmsg.com, "AHP
  consensus indicator – how to interpret" and the consensus word-scale table of AHP-OS).
"""

from __future__ import annotations

import numpy as np

from .criteria.errors import InputError
from .criteria.i18n import _

#: Saaty's scale tops out at 9: one item at most 9 times as important as another.
SCALE_MAX = 9.0
#: Goepel's word scale for S*: each word with the lowest S* it covers (a word holds from its bound up to
#: the next word's bound, that bound excluded).
CONSENSUS_WORDS = (
    ("very_low", -np.inf),
    ("low", 0.5),
    ("moderate", 0.625),
    ("high", 0.75),
    ("very_high", 0.875),
)
#: rows of P are accepted as priorities when they sum to 1 within this
SUM_TOLERANCE = 1e-6


def shannon_entropy(p: np.ndarray) -> np.ndarray:
    """H(p) = −Σ_j p_j ln p_j over the last axis (0·ln 0 = 0); shape (...)."""
    p = np.asarray(p, dtype=float)
    safe = np.where(p > 0, p, 1.0)
    return -(p * np.log(safe)).sum(axis=-1)


def alpha_min_diversity(n: int, scale_max: float = SCALE_MAX) -> float:
    """Dα,min: the diversity exp(H) of the priorities (M, 1, …, 1)/(M + n − 1), M = ``scale_max``.

    The most concentrated priorities a participant can give on a scale that tops out at M: one item
    judged M times as important as each of the other n − 1, which are equal.
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise InputError(_("consensus needs at least 2 items, got {n}").format(n=n))
    m = float(scale_max)
    if not (np.isfinite(m) and m > 1):
        raise InputError(_("the scale's largest value must be a finite number above 1, got {value}").format(
            value=f"{m:g}"))
    p = np.full(n, 1.0)
    p[0] = m
    return float(np.exp(shannon_entropy(p / p.sum())))


def _priorities(priorities: np.ndarray) -> np.ndarray:
    """P as floats (..., K, n), checked: K ≥ 1, n ≥ 2, finite, ≥ 0, rows summing to 1."""
    p = np.asarray(priorities, dtype=float)
    if p.ndim < 2 or p.shape[-2] < 1 or p.shape[-1] < 2:
        raise InputError(_("priorities must have shape (participants, items) with at least 1 participant "
                           "and 2 items, got {shape}").format(shape=p.shape))
    bad = np.argwhere(~(np.isfinite(p) & (p >= 0)))
    if bad.size:
        *_lead, k, j = bad[0]
        raise InputError(_("priority of item {j} of participant {k} is {value}; priorities must be finite and "
                           "≥ 0").format(j=j + 1, k=k + 1, value=f"{p[tuple(bad[0])]:g}"))
    sums = p.sum(axis=-1)
    off = np.argwhere(np.abs(sums - 1) > SUM_TOLERANCE)
    if off.size:
        *_lead, k = off[0]
        raise InputError(_("the priorities of participant {k} sum to {total}, not 1").format(
            k=k + 1, total=f"{sums[tuple(off[0])]:g}"))
    return p


def _beta_entropy(alpha: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    # Hβ = Hγ − Hα ≥ 0 by the concavity of H; rounding can leave −1e-16 where the priorities agree
    return np.maximum(gamma - alpha, 0.0)


def homogeneity(priorities: np.ndarray) -> np.ndarray:
    """Relative homogeneity S = 1/Dβ = exp(Hα − Hγ) of priorities (..., K, n); shape (...).

    Hα: the mean over the K participants of H(p_k); Hγ: H of their mean priorities.
    """
    return _homogeneity(_priorities(priorities))


def _homogeneity(p: np.ndarray) -> np.ndarray:
    alpha = shannon_entropy(p).mean(axis=-1)
    gamma = shannon_entropy(p.mean(axis=-2))
    return np.exp(-_beta_entropy(alpha, gamma))


def _rescale(s: np.ndarray, n: int, scale_max: float) -> np.ndarray:
    floor = alpha_min_diversity(n, scale_max) / n  # Dα,min / Dγ,max
    return (s - floor) / (1.0 - floor)


def consensus(priorities: np.ndarray, scale_max: float = SCALE_MAX) -> np.ndarray:
    """Goepel's AHP consensus indicator S* of priorities (..., K, n); shape (...).

    S* = (S − Dα,min/n)/(1 − Dα,min/n), S the relative homogeneity, Dα,min the diversity of
    (M, 1, …, 1)/(M + n − 1) for the scale maximum M = ``scale_max``. One participant: S* = 1.
    """
    p = _priorities(priorities)
    return _rescale(_homogeneity(p), p.shape[-1], scale_max)


def similarity_matrix(priorities: np.ndarray, scale_max: float = SCALE_MAX) -> np.ndarray:
    """S* of each pair of participants: (..., K, n) → (..., K, K), symmetric with diagonal exactly 1.

    Entry (i, j) is ``consensus(P[[i, j]])``, computed for all pairs at once by broadcasting.
    """
    p = _priorities(priorities)
    h = shannon_entropy(p)  # (..., K)
    alpha = (h[..., :, None] + h[..., None, :]) / 2.0
    gamma = shannon_entropy((p[..., :, None, :] + p[..., None, :, :]) / 2.0)  # (..., K, K)
    s = _rescale(np.exp(-_beta_entropy(alpha, gamma)), p.shape[-1], scale_max)
    k = np.arange(p.shape[-2])
    s[..., k, k] = 1.0
    return s


def clusters(similarity: np.ndarray, threshold: float = 0.75) -> list[list[int]]:
    """Groups of like-minded participants from a (K, K) similarity matrix (AHP-OS's cluster analysis).

    Greedy: take the participant with the most others whose similarity to them exceeds ``threshold``
    (counting themselves; the first such participant on a tie); they and those others are a cluster
    and leave the matrix. Repeat while the best such set has at least two members. Each cluster is
    sorted by index, the clusters come in the order found, and participants left over belong to none.
    """
    s = np.asarray(similarity, dtype=float)
    if s.ndim != 2 or s.shape[0] != s.shape[1]:
        raise InputError(_("a similarity matrix must be square, got shape {shape}").format(shape=s.shape))
    if np.isnan(s).any() or not np.isfinite(threshold):
        raise InputError(_("the similarity matrix and the threshold must be numbers (no NaN)"))
    k = s.shape[0]
    close = (s > threshold) | np.eye(k, dtype=bool)
    left = np.ones(k, dtype=bool)
    found: list[list[int]] = []
    while left.any():
        members = close & left[None, :] & left[:, None]
        counts = members.sum(axis=1)
        best = int(np.argmax(counts))
        if counts[best] < 2:
            break
        group = np.flatnonzero(members[best])
        found.append([int(i) for i in group])
        left[group] = False
    return found


def consensus_word(s: float) -> str:
    """Goepel's word for S*: ``very_low`` (< 0.5), ``low`` (0.5 to < 0.625), ``moderate`` (0.625 to < 0.75),
    ``high`` (0.75 to < 0.875) or ``very_high`` (≥ 0.875). The key, not a sentence: translate it where shown."""
    x = float(s)
    if np.isnan(x):
        raise InputError(_("no consensus word for a consensus that is not a number"))
    word = CONSENSUS_WORDS[0][0]
    for name, bound in CONSENSUS_WORDS:
        if x >= bound:
            word = name
    return word
