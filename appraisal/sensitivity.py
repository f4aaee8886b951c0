"""Sensitivity analysis: how robust is a ranking, and what would change it? (docs/design.md#sensitivity)

Sampling and analysis are kept apart (as in SALib): *samplers* draw weight vectors (S, n) or
decision matrices (S, m, n) from a seeded ``numpy.random.Generator``; *analyses* score them with
the vectorised kernels (no Python loop per sample) and summarise.

- :func:`oat_weights`: one-at-a-time re-weighting — criterion (or group) weight set to t, every
  other weight scaled by (1 − t)/(1 − w), so the weights stay on the simplex;
- :func:`sweeps`: every project's rank along t ∈ [0, 1] for each criterion and group;
- :func:`stability_intervals`: the largest interval around the base weight over which the whole
  ranking, the top project and the top-k set stay the same. Each of these can only change where two
  projects' scores cross, so the crossings are bracketed — the sign changes of each pair's score
  difference on a 2001-point scan, and the double crossings a scan step can hide (a pair that swaps
  and swaps back between two scan points), searched for by golden section around each scanned minimum
  of |difference| that is small for the difference's curvature — and the ones that decide an edge are
  located by bisection to 1e-10 (the promise is 1e-4);
- :func:`critical_change`: the smallest change of one criterion's weight (absolute, |t − w|, in the
  proportional variant above) that gives another top project, with Triantaphyllou & Sánchez's (1997)
  relative measure of the same change; :func:`critical_change_relative`: their "percent-top" critical
  criterion, the one whose smallest such change is the smallest in % of its own weight. T&S change
  W_j alone by δ (the others held) and renormalise; since TOPSIS and WSM rank the same for weights
  multiplied by any factor, that is t = (w + δ)/(1 + δ) here, i.e. δ = (t − w)/(1 − t), and their
  relative change is 100·|δ|/w %;
- :func:`smaa`: Monte Carlo / SMAA-2 (Lahdelma & Salminen 2001): rank acceptability indices (tied
  alternatives share their positions equally, so rows and columns sum to 1), expected rank and
  5–95 % rank interval, pairwise winning probabilities, central weights and confidence factors,
  accumulated chunk by chunk so memory stays bounded whatever the number of samples;
- :func:`method_robustness`: TOPSIS (vector, min-max, and R-TOPSIS when the criteria set gives the
  yardstick) vs WSM rankings, Spearman ρ and Kendall τ.

The AHP-judgment and panel samplers follow each group's own weighting: its method (principal
eigenvector or row geometric means) and, for a panel, its aggregation (AIJ: the judgments' weighted
geometric mean is perturbed and weighed; AIP: each expert's judgments are perturbed and weighed on
their own, and the priorities averaged with the experts' weights).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import methods as registry
from . import numfmt
from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import _
from .normalization import unit_sum
from .scoring import TIE_TOLERANCE, ranks  # numpy only: a CSV matrix's analysis never loads pydantic
from .value import ValueFunctions

#: samples per chunk (fixed, so results do not depend on the machine)
CHUNK = 16_384
#: threads scoring and counting the Monte Carlo blocks (the draws stay in order in one thread)
SMAA_THREADS = min(2, os.cpu_count() or 1)
MAX_SAMPLES = 10_000_000
SWEEP_POINTS = 101
#: the scan of each weight over [0, 1] that brackets the crossings of the projects' scores
SCAN_POINTS = 2001
#: every crossing is located to this width (the intervals promise 1e-4)
CROSSING_WIDTH = 1e-10
#: a scanned minimum of |score difference| is searched for a hidden double crossing when it is at most
#: this many times the difference's second difference there (a parabola through the three scanned points
#: dips below zero only if the minimum is under half of it: a margin of 4)
HIDDEN_MARGIN = 2.0
#: "changes at": this far beyond an interval's edge (or half-way into a narrower piece)
OUT_STEP = 1e-8
#: pair values held at once while scanning
PAIR_BLOCK = 4_000_000


def _weighted(method: str) -> registry.Method:
    """The registry entry of ``method``, which must read the weights (sensitivity varies them)."""
    entry = registry.get(method)
    if not entry.weighted:
        raise InputError(_("sensitivity analysis needs a weighted method ({methods}), not {method!r}").format(
            methods=", ".join(registry.weighted_names()), method=method), param="method")
    return entry


@dataclass
class Problem:
    """What is analysed: a decision matrix with its criteria, base weights, directions and method."""

    ids: list[str]
    criteria: list[str]
    x: np.ndarray
    weights: np.ndarray
    directions: np.ndarray
    method: str = "topsis"
    normalization: str = "vector"
    #: group id → the criteria (column indices) under it, for group sweeps and stability
    groups: dict[str, list[int]] = field(default_factory=dict)
    #: per criterion: the sorted levels of its ordinal scale, or None for a quantity
    scales: list[np.ndarray | None] | None = None
    #: the criteria tree the weights came from (for the AHP-judgment and panel samplers)
    criteria_set: Any = None
    #: the criteria set's value functions, columns in order: the yardstick of R-TOPSIS
    #: (``normalization="reference"``); None for a plain matrix
    reference: ValueFunctions | None = None

    @property
    def m(self) -> int:
        return len(self.ids)

    @property
    def n(self) -> int:
        return len(self.criteria)

    def scores(self, w: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
        """Oriented scores (higher is better: a lower-is-better method's scores are negated, as the
        registry says) for weights (..., n) (and matrices (..., m, n), default the base matrix); every
        rank, crossing and acceptability here is taken on them."""
        entry = registry.get(self.method)
        return entry.oriented(entry.scores(self.x if x is None else x, w, self.directions, self.normalization,
                                           self.reference))

    @classmethod
    def from_matrix(cls, ids: list[str], criteria: list[str], x: Any, weights: Any, directions: Any,
                    method: str = "topsis", normalization: str = "vector", source: str | None = None) -> Problem:
        """The problem of a plain decision matrix, checked as :func:`~appraisal.ranking.rank_matrix` checks
        it (the same errors), without building the :class:`~appraisal.ranking.Ranking`: the same problem as
        ``Problem.from_ranking(rank_matrix(...))``, with numpy alone."""
        from .scoring import checked_matrix

        x, w, d, _scores = checked_matrix(ids, criteria, x, weights, directions, method, normalization, source)
        entry = _weighted(method)
        return cls(ids=list(ids), criteria=list(criteria), x=x, weights=np.array([float(v) for v in w]),
                   directions=np.array([1.0 if v > 0 else -1.0 for v in d]), method=method,
                   normalization=normalization if entry.normalizations else "vector")

    @classmethod
    def from_ranking(cls, rk) -> Problem:
        """The problem behind a :class:`~appraisal.ranking.Ranking` (its eligible projects)."""
        entry = _weighted(rk.method)
        crit = [c.id for c in rk.criteria]
        groups: dict[str, list[int]] = {}
        scales = None
        cs = None
        reference = None
        if rk.package is not None:
            cs = rk.package.criteria_set
            for path, leaf in cs.leaf_paths():
                for g in path[1:]:
                    groups.setdefault(g.id, []).append(crit.index(leaf.id))
            by_id = {c.id: c for c in cs.leaves()}
            scales = [np.array(by_id[c].scale.values) if by_id[c].scale else None for c in crit]
            from .ranking import set_values

            reference = set_values(cs)  # the set's value functions, worked out once per set (columns = leaves)
        return cls(ids=list(rk.alternatives), criteria=crit, x=np.asarray(rk.matrix, float),
                   weights=np.array([c.weight for c in rk.criteria]),
                   directions=np.array([1.0 if c.direction == "benefit" else -1.0 for c in rk.criteria]),
                   method=rk.method, normalization=rk.normalization if entry.normalizations else "vector",
                   groups=groups, scales=scales, criteria_set=cs, reference=reference)


# --- ranks with ties, from one argsort ------------------------------------------------------------------

def tied_ranks(s: np.ndarray, tol: float = TIE_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
    """For scores (S, m): each alternative's best rank (1 = top) and the size of its tie group.

    One argsort per row; alternatives whose sorted scores differ by ≤ tol form a tie group that
    shares the positions first … first + size − 1. Without any tie in the block (the usual case)
    the ranks are the inverse permutation of the sort, and every group has size 1.
    """
    s = np.asarray(s, dtype=float)
    S, m = s.shape
    order = np.argsort(-s, axis=1)
    ss = np.take_along_axis(s, order, axis=1)
    gap = (ss[:, :-1] - ss[:, 1:]) > tol  # a gap after sorted position k: a new group starts at k + 1
    first = np.empty((S, m), dtype=np.int64)
    if gap.all():
        np.put_along_axis(first, order, np.broadcast_to(np.arange(1, m + 1), (S, m)), axis=1)
        return first, np.ones((S, m), dtype=np.int64)
    idx = np.broadcast_to(np.arange(m), (S, m))
    new = np.ones((S, m), dtype=bool)
    new[:, 1:] = gap
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
    last = np.ones((S, m), dtype=bool)
    last[:, :-1] = gap
    end = np.minimum.accumulate(np.where(last, idx, m - 1)[:, ::-1], axis=1)[:, ::-1]
    size = np.empty((S, m), dtype=np.int64)
    rows = np.arange(S)[:, None]
    first[rows, order] = start + 1
    size[rows, order] = end - start + 1
    return first, size


def acceptability_counts(first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """(m, m) counts: entry [i, r] = share of samples giving alternative i position r + 1."""
    S, m = first.shape
    alt = np.broadcast_to(np.arange(m), (S, m))
    biggest = int(size.max())
    if biggest == 1:  # no ties: one count per alternative and sample
        return np.bincount((alt * m + first - 1).ravel(), minlength=m * m).reshape(m, m).astype(float)
    acc = np.zeros(m * m)
    for k in range(biggest):
        use = size > k
        pos = first[use] - 1 + k
        acc += np.bincount(alt[use] * m + pos, weights=1.0 / size[use], minlength=m * m)
    return acc.reshape(m, m)


def _count_true(c: np.ndarray) -> np.ndarray:
    """Per row of a boolean (k, S) array, how many are true: bits packed eight to a byte, then counted."""
    return np.bitwise_count(np.packbits(c, axis=1)).sum(axis=1, dtype=np.int64)


def pairwise_counts(first: np.ndarray, ties: bool = True) -> np.ndarray:
    """(m, m) counts: entry [i, j] = samples in which alternative i is ranked above j, a tie counted
    half to each (``first``: (S, m) best ranks from :func:`tied_ranks`; ``ties``: whether any tie is
    in the block; without one, i above j in every sample where j is not above i).

    Each pair is compared once (i < j), a whole block of samples at a time with the samples on the
    contiguous axis: a loop over the alternatives, never over the samples.
    """
    S, m = first.shape
    ranks = np.ascontiguousarray(first.T, dtype=np.uint8 if m < 256 else np.uint16)  # (m, S)
    wins = np.zeros((m, m))
    for i in range(m - 1):
        a, b = ranks[i], ranks[i + 1:]
        above = _count_true(a < b)
        below = _count_true(a > b) if ties else S - above
        half = 0.5 * (S - above - below)
        wins[i, i + 1:] = above + half
        wins[i + 1:, i] = below + half
    return wins


# --- samplers ---------------------------------------------------------------------------------------------

def uniform_simplex(n: int) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Weights uniformly distributed on the simplex (no preference information)."""
    return lambda rng, size: rng.dirichlet(np.ones(n), size)


def dirichlet_around(w: np.ndarray, concentration: float) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Dirichlet with mean ``w`` and parameters concentration·w (larger = closer to ``w``).

    Criteria with weight 0 keep weight 0.
    """
    w = np.asarray(w, dtype=float)
    if not concentration > 0:
        raise InputError(_("concentration must be > 0, got {value}").format(value=f"{concentration:g}"),
                         param="concentration")
    pos = w > 0

    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        out = np.zeros((size, len(w)))
        out[:, pos] = rng.dirichlet(concentration * w[pos] / w[pos].sum(), size)
        return out

    return draw


def _tree_weights(cs, local: dict[str, np.ndarray], size: int) -> np.ndarray:
    """Global leaf weights (size, n) from each group's local weights ((size, k) or (k,))."""
    cols = []
    for path, _leaf in cs.leaf_paths():
        g = np.ones(size)
        for parent, child in zip(path, [*path[1:], _leaf]):
            k = [c.id for c in parent.children].index(child.id)
            lw = local[parent.id]
            g = g * (lw[:, k] if lw.ndim == 2 else lw[k])
        cols.append(g)
    return np.stack(cols, axis=1)


@dataclass
class _PairwiseGroup:
    """A group weighed by pairwise judgments, as the criteria set says to weigh it."""

    id: str
    method: str  # "eigenvector" or "geometric"
    aggregation: str  # "aij" or "aip" (one expert: either)
    experts: np.ndarray  # (E, k, k) each expert's matrix
    expert_weights: np.ndarray  # (E,), summing to 1
    aij: np.ndarray  # (k, k): the experts' weighted geometric mean (the one matrix, for one expert)

    @property
    def panel(self) -> bool:
        return len(self.experts) > 1


def _pairwise_groups(cs) -> list[_PairwiseGroup]:
    from . import ahp  # the AHP samplers' only (a CSV matrix has no judgments)

    out = []
    for g in cs.iter_groups():
        if g.pairwise:
            mats = np.stack([ahp.complete_reciprocal(np.array(j.numeric())) for j in g.pairwise])
            ew = np.array([j.weight for j in g.pairwise], dtype=float)
            agg = mats[0] if len(mats) == 1 else ahp.aggregate_judgments(mats, ew)
            out.append(_PairwiseGroup(g.id, g.method, g.aggregation, mats, ew / ew.sum(), agg))
    return out


def _local_weights(mats: np.ndarray, method: str) -> np.ndarray:
    """Weights of pairwise matrices (..., k, k) by the group's method (batched)."""
    from . import ahp

    if method == "geometric":
        return ahp.geometric_weights(mats)
    return ahp.eigenvector_weights(mats)[0]


def _base_local(cs) -> dict[str, np.ndarray]:
    from . import ahp

    _global, nodes = ahp.synthesize(cs)
    return {nd.group: nd.local for nd in nodes}


def _perturb(a: np.ndarray, change: float, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` perturbed copies (size, ..., k, k) of reciprocal matrices a (..., k, k): each upper-triangle
    judgment moves one step down or up Saaty's scale with probability change/2 each (a judgment between
    two steps moves to the neighbouring step), its reciprocal with it."""
    from . import ahp

    grid = np.log(ahp.SAATY_SCALE)
    k = a.shape[-1]
    iu = np.triu_indices(k, 1)
    vals = np.log(a[..., iu[0], iu[1]])
    pos = np.interp(vals, grid, np.arange(len(grid)))  # fractional position on the scale
    u = rng.random((size, *vals.shape))
    step = np.where(u < change / 2, -1, np.where(u < change, 1, 0))
    lower, upper = np.floor(pos), np.ceil(pos)
    new_pos = np.where(step < 0, np.where(lower < pos, lower, pos - 1),
                       np.where(step > 0, np.where(upper > pos, upper, pos + 1), pos))
    new_pos = np.clip(new_pos, 0, len(grid) - 1)
    new_vals = np.where(step == 0, vals, np.interp(new_pos, np.arange(len(grid)), grid))
    mats = np.ones((size, *a.shape))
    mats[..., iu[0], iu[1]] = np.exp(new_vals)
    mats[..., iu[1], iu[0]] = np.exp(-new_vals)
    return mats


def perturbed_judgments(cs, change: float = 0.5) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Global weights from perturbed AHP judgments: each upper-triangle judgment of every pairwise
    group moves one step down or up Saaty's scale (1/9 … 9) with probability change/2 each; the
    perturbed matrices are weighed by the group's method (batched power iteration for the principal
    eigenvector, or row geometric means), then synthesised down the tree. A panel aggregated by AIJ
    has its aggregated matrix perturbed; a panel aggregated by AIP has each expert's matrix perturbed
    and weighed, and the priorities averaged with the experts' weights. With ``change = 0`` the draws
    are the base weights.
    """
    if not 0 <= change <= 1:
        raise InputError(_("judgment change probability must be in [0, 1], got {value}").format(value=f"{change:g}"),
                         param="judgment_change")
    if cs is None:
        raise InputError(_("perturbing AHP judgments needs a package whose criteria are weighed by pairwise "
                           "judgments"), param="sampler")
    groups = _pairwise_groups(cs)
    if not groups:
        raise InputError(_("no group of the criteria set is weighed by pairwise judgments; use another sampler"),
                         param="sampler")
    base = _base_local(cs)

    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        local = dict(base)
        for g in groups:
            if g.panel and g.aggregation == "aip":
                own = _local_weights(_perturb(g.experts, change, rng, size), g.method)  # (size, E, k)
                local[g.id] = unit_sum(np.einsum("e,sek->sk", g.expert_weights, own))
            else:
                local[g.id] = _local_weights(_perturb(g.aij, change, rng, size), g.method)
        return _tree_weights(cs, local, size)

    return draw


def panel_members(cs) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Global weights where each panel group takes one expert's own weights per sample (chosen in
    proportion to the experts' weights), computed by the group's method; other groups keep their
    weights. A group judged by one expert keeps that expert's weights (the base weights; see
    :func:`sampler_warnings`). Under AIP the draws average to the base weights."""
    if cs is None:
        raise InputError(_("sampling a panel's weights needs a package whose criteria are weighed by a panel"),
                         param="sampler")
    groups = _pairwise_groups(cs)
    if not groups:
        raise InputError(_("no group of the criteria set is weighed by pairwise judgments, so there is no panel "
                           "of experts; use another sampler"), param="sampler")
    panels = [g for g in groups if g.panel]
    base = _base_local(cs)
    own = {g.id: _local_weights(g.experts, g.method) for g in panels}  # (E, k): each expert's weights

    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        local = dict(base)
        for g in panels:
            pick = rng.choice(len(g.expert_weights), size=size, p=g.expert_weights)
            local[g.id] = own[g.id][pick]
        return _tree_weights(cs, local, size)

    return draw


def sampler_warnings(problem: Problem, sampler: str) -> list[str]:
    """What the user should know about a sampler on this problem (it runs, but may not vary much)."""
    if sampler == "panel" and problem.criteria_set is not None:
        groups = _pairwise_groups(problem.criteria_set)
        if groups and not any(g.panel for g in groups):
            return [_("no group of the criteria set is judged by more than one expert: the panel sampler keeps "
                      "each group at its one expert's weights, i.e. the base weights")]
    return []


def perturbed_scores(x: np.ndarray, scales: list[np.ndarray | None] | None, level_change: float = 0.0,
                     quantity_change: float = 0.0) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Matrices (S, m, n) with uncertain scores: an ordinal score moves one level down or up with
    probability level_change/2 each (staying put at the ends of its scale); a quantity is multiplied
    by a factor uniform in [1 − quantity_change, 1 + quantity_change]."""
    if not 0 <= level_change <= 1:
        raise InputError(_("probability must be in [0, 1], got {value}").format(value=f"{level_change:g}"),
                         param="score_change")
    if not 0 <= quantity_change < 1:
        raise InputError(_("relative change must be in [0, 1), got {value}").format(value=f"{quantity_change:g}"),
                         param="quantity_change")
    x = np.asarray(x, dtype=float)
    m, n = x.shape
    scales = scales or [None] * n
    ordinal = [j for j in range(n) if scales[j] is not None]
    quantity = [j for j in range(n) if scales[j] is None]
    pos = {j: np.searchsorted(scales[j], x[:, j]) for j in ordinal}

    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        out = np.broadcast_to(x, (size, m, n)).copy()
        if level_change > 0:
            for j in ordinal:
                levels = scales[j]
                u = rng.random((size, m))
                step = np.where(u < level_change / 2, -1, np.where(u < level_change, 1, 0))
                out[:, :, j] = levels[np.clip(pos[j] + step, 0, len(levels) - 1)]
        if quantity_change > 0 and quantity:
            f = rng.uniform(1 - quantity_change, 1 + quantity_change, (size, m, len(quantity)))
            out[:, :, quantity] = x[:, quantity] * f
        return out

    return draw


# --- one at a time -------------------------------------------------------------------------------------------

def _oat_basis(w: np.ndarray, cols: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) such that the one-at-a-time weights at t are t·a + (1 − t)·b: a holds the shares of the
    criteria ``cols`` among themselves (0 elsewhere), b the shares of the others (0 on ``cols``)."""
    w = np.asarray(w, dtype=float)
    inside = np.zeros(len(w), bool)
    inside[cols] = True
    w_in, w_out = w[inside].sum(), w[~inside].sum()
    a, b = np.zeros(len(w)), np.zeros(len(w))
    a[inside] = w[inside] / w_in if w_in > 0 else 1.0 / inside.sum()
    b[~inside] = w[~inside] / w_out if w_out > 0 else 1.0 / max((~inside).sum(), 1)
    return a, b


def oat_weights(w: np.ndarray, cols: list[int], t: np.ndarray) -> np.ndarray:
    """Weights (T, n) with the criteria ``cols`` together at weight t (shared as at base) and every
    other weight scaled by (1 − t)/(1 − their base total)."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    a, b = _oat_basis(w, cols)
    return t[:, None] * a + (1 - t)[:, None] * b


def _signature(problem: Problem, r: np.ndarray, what: str, k: int) -> np.ndarray:
    """Rows of ranks (T, m) → a comparable signature: the ranks, the top set, or the top-k set."""
    if what == "ranking":
        return r
    if what == "top":
        return r == 1
    return r <= k


def sweeps(problem: Problem, points: int = SWEEP_POINTS, names: list[str] | None = None) -> dict[str, dict]:
    """Each criterion's (and group's) weight from 0 to 1: every project's rank along the way."""
    t = np.linspace(0, 1, points)
    out = {}
    for name, cols, kind in _targets(problem, names):
        r = ranks(problem.scores(oat_weights(problem.weights, cols, t)))
        out[name] = {"kind": kind, "base": float(problem.weights[cols].sum()), "t": t.tolist(),
                     "ranks": {ident: r[:, i].tolist() for i, ident in enumerate(problem.ids)}}
    return out


def _targets(problem: Problem, names: list[str] | None) -> Iterator[tuple[str, list[int], str]]:
    known = {c: ([j], "criterion") for j, c in enumerate(problem.criteria)}
    known.update({g: (cols, "group") for g, cols in problem.groups.items() if len(cols) < problem.n})
    if names:
        unknown = [nm for nm in names if nm not in known]
        if unknown:
            raise InputError(_("unknown criterion {id!r}; known: {known}").format(id=unknown[0], known=", ".join(known)),
                             param="criterion")
    for name in names or known:
        cols, kind = known[name]
        yield name, cols, kind


# --- stability intervals: every crossing of two projects' scores, located ----------------------------------------

def _pair_sign(d: np.ndarray) -> np.ndarray:
    """The order of two projects from their score difference: +1, −1, or 0 when tied within the
    tolerance (as :func:`~appraisal.ranking.ranks` ties them) or undefined."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(d) | (np.abs(d) <= TIE_TOLERANCE), 0, np.sign(d)).astype(np.int8)


def _scores_along(problem: Problem, basis: tuple[np.ndarray, np.ndarray], tau: np.ndarray,
                  t: np.ndarray) -> np.ndarray:
    """Scores (N, m) at the one-at-a-time weights t[r] of target tau[r] (``basis``: stacked (a, b))."""
    a, b = basis
    out = np.empty((len(t), problem.m))
    for c in range(0, len(t), CHUNK):
        tc, kc = t[c:c + CHUNK, None], tau[c:c + CHUNK]
        out[c:c + CHUNK] = problem.scores(tc * a[kc] + (1 - tc) * b[kc])
    return out


def _pair_difference(problem: Problem, basis, tau: np.ndarray, t: np.ndarray, i: np.ndarray,
                     k: np.ndarray) -> np.ndarray:
    """s_i − s_k at t along target tau, one (tau, t, i, k) per row: one kernel call for all rows."""
    s = _scores_along(problem, basis, tau, t)
    rows = np.arange(len(t))
    return s[rows, i] - s[rows, k]


def _scan(problem: Problem, a: np.ndarray, b: np.ndarray, grid: np.ndarray):
    """One target's scan: the scan cells where some pair of projects changes order (j, i, k, the pair's
    sign at the cell's start), and the windows around scanned minima of |s_i − s_k| that may hide a
    double crossing (lo index, hi index, i, k, sign).

    Nothing here is of size (scan points × pairs): a pair's order can only change in a cell where the
    sorted order or the ties change, and a scanned minimum f_j of |s_i − s_k| is a candidate only when
    f_j ≤ HIDDEN_MARGIN·|Δ²(s_i − s_k)|_j ≤ 2·HIDDEN_MARGIN·max_p |Δ²s_p|_j, so only pairs that close at
    point j are tested (found among the sorted scores)."""
    s = problem.scores(grid[:, None] * a + (1 - grid)[:, None] * b)  # (G, m)
    G, m = s.shape
    order = np.argsort(-s, axis=1)
    ss = np.take_along_axis(s, order, axis=1)
    with np.errstate(invalid="ignore"):
        tie = ~((ss[:, :-1] - ss[:, 1:]) > TIE_TOLERANCE)  # NaN (undefined) counts as tied
    # a pair's order can only change inside the block of sorted positions where the order or the ties
    # differ between the two ends of a cell (outside it the same projects hold the same places)
    diff = (order[1:] != order[:-1])
    diff[:, :-1] |= tie[1:] != tie[:-1]
    diff[:, 1:] |= tie[1:] != tie[:-1]
    cells = np.flatnonzero(diff.any(axis=1))
    first = np.argmax(diff[cells], axis=1)
    last = m - 1 - np.argmax(diff[cells][:, ::-1], axis=1)
    width = last - first + 1
    changes = []
    for wd in np.unique(width):
        sel = width == wd
        jj, p0 = cells[sel], first[sel]
        qa, qb = np.triu_indices(int(wd), 1)
        step = max(1, PAIR_BLOCK // max(len(qa), 1))
        for c in range(0, len(jj), step):
            jc, pc = jj[c:c + step], p0[c:c + step]
            ii = order[jc[:, None], pc[:, None] + qa]
            kk = order[jc[:, None], pc[:, None] + qb]
            s0 = _pair_sign(s[jc[:, None], ii] - s[jc[:, None], kk])
            s1 = _pair_sign(s[jc[:, None] + 1, ii] - s[jc[:, None] + 1, kk])
            r, q = np.nonzero(s0 != s1)
            changes.append((jc[r], ii[r, q], kk[r, q], s0[r, q]))
    hidden = []
    if G >= 3:
        d2 = np.abs(s[:-2] - 2 * s[1:-1] + s[2:])  # each project's second difference at points 1 … G−2
        bound = 2 * HIDDEN_MARGIN * np.where(np.isnan(d2), -np.inf, d2).max(axis=1)
        # (point, its window's other points, the second difference's points, the window)
        where = [(np.arange(1, G - 1), -1, 1, bound, -1, 1),
                 (np.array([0]), 1, 2, bound[:1], 0, 1),  # at 0: within the first scan step
                 (np.array([G - 1]), -1, -2, bound[-1:], -1, 0)]  # at 1: within the last
        for pts_j, o1, o2, lim, wlo, whi in where:
            cj, ci, ck = [], [], []
            with np.errstate(invalid="ignore"):
                for off in range(1, m):  # sorted: gaps only grow with the offset
                    gap = ss[pts_j, :-off] - ss[pts_j, off:]  # sorted descending: ≥ 0
                    hit = gap <= lim[:, None]
                    if not hit.any():
                        break
                    r, q = np.nonzero(hit)
                    cj.append(pts_j[r])
                    ci.append(order[pts_j[r], q])
                    ck.append(order[pts_j[r], q + off])
            if not cj:
                continue
            j, i, k = np.concatenate(cj), np.concatenate(ci), np.concatenate(ck)
            d0, d1, d2_ = s[j, i] - s[j, k], s[j + o1, i] - s[j + o1, k], s[j + o2, i] - s[j + o2, k]
            sg = _pair_sign(d0)
            f0, f1, f2 = sg * d0, sg * d1, sg * d2_
            with np.errstate(invalid="ignore"):
                if o2 == 1:  # interior: a minimum between both neighbours
                    keep = (sg != 0) & (_pair_sign(d1) == sg) & (_pair_sign(d2_) == sg) & (f0 <= f1) & (f0 <= f2) \
                        & (f0 <= HIDDEN_MARGIN * np.abs(f1 - 2 * f0 + f2))
                else:  # an end: |difference| growing inwards, curved enough
                    keep = (sg != 0) & (_pair_sign(d1) == sg) & (_pair_sign(d2_) == sg) & (f0 <= f1) \
                        & (f0 <= HIDDEN_MARGIN * np.abs(f0 - 2 * f1 + f2))
            hidden.append((j[keep] + wlo, j[keep] + whi, i[keep], k[keep], sg[keep]))
    return changes, hidden


def _golden_dips(problem: Problem, basis, tau, i, k, sign, lo, hi) -> tuple[np.ndarray, np.ndarray]:
    """Golden-section search, all windows at once, for a point where sign·(s_i − s_k) reaches the tie
    tolerance (the pair swaps, or ties, inside the window). Returns (found, where)."""
    gr = (np.sqrt(5.0) - 1) / 2
    a, b = lo.astype(float), hi.astype(float)
    c, d = b - gr * (b - a), a + gr * (b - a)

    def f(rows, t):
        return sign[rows] * _pair_difference(problem, basis, tau[rows], t, i[rows], k[rows])

    everyone = np.arange(len(a))
    fc, fd = f(everyone, c), f(everyone, d)
    best_t = np.where(fc < fd, c, d)
    best_f = np.fmin(fc, fd)
    while True:
        act = np.flatnonzero(~(best_f <= TIE_TOLERANCE) & (b - a > CROSSING_WIDTH))
        if act.size == 0:
            break
        left = fc[act] < fd[act]  # the minimum is in [a, d]: drop (d, b]; else drop [a, c)
        a[act] = np.where(left, a[act], c[act])
        b[act] = np.where(left, d[act], b[act])
        keep = np.where(left, c[act], d[act])
        fkeep = np.where(left, fc[act], fd[act])
        new = np.where(left, b[act] - gr * (b[act] - a[act]), a[act] + gr * (b[act] - a[act]))
        fnew = f(act, new)
        c[act] = np.where(left, new, keep)
        d[act] = np.where(left, keep, new)
        fc[act] = np.where(left, fnew, fkeep)
        fd[act] = np.where(left, fkeep, fnew)
        better = fnew < best_f[act]
        best_t[act] = np.where(better, new, best_t[act])
        best_f[act] = np.where(better, fnew, best_f[act])
    return best_f <= TIE_TOLERANCE, best_t


def _bisect(problem: Problem, basis, tau, i, k, lo, hi, sign_lo) -> np.ndarray:
    """Where the order of pair (i, k) changes inside [lo, hi] (it is ``sign_lo`` at lo and not at hi),
    to CROSSING_WIDTH, all brackets at once: one kernel call per halving."""
    lo, hi = lo.astype(float), hi.astype(float)
    while True:
        act = np.flatnonzero(hi - lo > CROSSING_WIDTH)
        if act.size == 0:
            return (lo + hi) / 2
        mid = (lo[act] + hi[act]) / 2
        same = _pair_sign(_pair_difference(problem, basis, tau[act], mid, i[act], k[act])) == sign_lo[act]
        lo[act] = np.where(same, mid, lo[act])
        hi[act] = np.where(same, hi[act], mid)


@dataclass
class _Brackets:
    """Brackets of crossings of two projects' scores, over all targets: the order of pair (i, k) along
    target ``tau`` is ``s`` at ``lo`` and something else at ``hi``; ``at`` is the located change (NaN
    until :func:`_refine` locates it)."""

    tau: np.ndarray
    i: np.ndarray
    k: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    s: np.ndarray
    at: np.ndarray


def _brackets(problem: Problem, basis, n_targets: int) -> _Brackets:
    """Every crossing of every pair along every target, bracketed: the cells of the scan where the pair's
    order changes, and, where a scanned minimum of |s_i − s_k| may hide a double crossing, the two halves
    of its window around the point where a golden-section search finds the pair swapped (or tied)."""
    grid = np.linspace(0, 1, SCAN_POINTS)
    ch: list[list[np.ndarray]] = [[] for _k in range(6)]
    hd: list[list[np.ndarray]] = [[] for _k in range(6)]
    for tau in range(n_targets):
        changes, hidden = _scan(problem, basis[0][tau], basis[1][tau], grid)
        for jj, ii, kk, sg in changes:
            for col, v in zip(ch, (np.full(jj.size, tau), ii, kk, grid[jj], grid[jj + 1], sg)):
                col.append(v)
        for jlo, jhi, ii, kk, sg in hidden:
            for col, v in zip(hd, (np.full(jlo.size, tau), ii, kk, grid[jlo], grid[jhi], sg)):
                col.append(v)
    kinds = (np.int64, np.int64, np.int64, float, float, np.int8)
    ch_a = [np.concatenate(c).astype(t) if c else np.zeros(0, t) for c, t in zip(ch, kinds)]
    hd_a = [np.concatenate(c).astype(t) if c else np.zeros(0, t) for c, t in zip(hd, kinds)]
    if hd_a[0].size:
        tau, i, k, lo, hi, sg = hd_a
        found, at = _golden_dips(problem, basis, tau, i, k, sg, lo, hi)
        tau, i, k, lo, hi, sg, at = tau[found], i[found], k[found], lo[found], hi[found], sg[found], at[found]
        s_at = _pair_sign(_pair_difference(problem, basis, tau, at, i, k))
        # the dip splits its window in two brackets, one crossing each
        extra = (np.concatenate([tau, tau]), np.concatenate([i, i]), np.concatenate([k, k]),
                 np.concatenate([lo, at]), np.concatenate([at, hi]), np.concatenate([sg, s_at]))
        ch_a = [np.concatenate([a, b]).astype(t) for a, b, t in zip(ch_a, extra, kinds)]
    return _Brackets(*ch_a, np.full(ch_a[0].size, np.nan))


def _refine(problem: Problem, basis, br: _Brackets, mask: np.ndarray) -> None:
    """Locate the crossings of the brackets in ``mask`` not located yet (all at once)."""
    idx = np.flatnonzero(mask & np.isnan(br.at))
    if idx.size:
        br.at[idx] = _bisect(problem, basis, br.tau[idx], br.i[idx], br.k[idx], br.lo[idx], br.hi[idx], br.s[idx])


def _ranks_rows(problem: Problem, w: np.ndarray) -> np.ndarray:
    out = np.empty((len(w), problem.m), dtype=np.int64)
    for c in range(0, len(w), 4096):
        out[c:c + 4096] = ranks(problem.scores(w[c:c + 4096]))
    return out


#: a change reached only this close to weight 1 (the other weights vanishing, where projects differing only
#: on them tie) needs δ → ∞ in Triantaphyllou & Sánchez's terms: infeasible
TS_END = 1e-9


def _ts_percent(w0: float, t: float) -> float | None:
    """Triantaphyllou & Sánchez's relative change (%) for moving a weight from w0 to t here: W alone
    changed by δ = (t − w0)/(1 − t), the others held, then all renormalised; 100·|δ|/w0. None for a
    zero base weight, and for t within TS_END of 1 (no finite δ)."""
    if w0 <= 0 or t >= 1 - TS_END:
        return None
    return 100.0 * abs((t - w0) / (1 - t)) / w0


WHATS = ("ranking", "top", "top_k")


def stability_intervals(problem: Problem, k: int = 3, names: list[str] | None = None) -> dict[str, dict]:
    """Per criterion (and group): the weight interval around the base over which the whole ranking,
    the top project and the top-k set stay as they are (edges to 1e-10, far within the promised 1e-4).

    Each property can change only where two projects' scores cross (:func:`_brackets`), and only where
    a pair that matters to it crosses: any pair for the ranking, a pair with a project that is first at
    the base weights for the top project, a pair with one of the base top-k for the top-k set. From the
    base weight outwards on each side, the crossing nearest to it among those pairs is located (only the
    brackets that can hold it are refined) and the property checked just beyond it; should it still hold
    there, every crossing of those pairs on that side is located and the property checked once between
    consecutive crossings. The ends 0 and 1 are checked themselves.

    ``top_changes_at``: the first weights beyond the interval where another project is first
    (``OUT_STEP`` beyond the edge); ``criticality_degree``: Triantaphyllou & Sánchez's (1997) D'_k,
    the smallest change in % of the weight, their way (see :func:`_ts_percent`), that changes the
    ranking. k larger than the number of projects is taken as the number of projects (the report
    says so).
    """
    if k < 1:
        raise InputError(_("top-k needs 1 ≤ k ≤ {m}, got {k}").format(m=problem.m, k=k), param="top_k")
    k = min(k, problem.m)
    targets = list(_targets(problem, names))
    basis = tuple(np.stack(v) for v in zip(*(_oat_basis(problem.weights, cols) for _name, cols, _kind in targets)))
    br = _brackets(problem, basis, len(targets))
    base = ranks(problem.scores(problem.weights[None, :]))
    base_sig = {what: _signature(problem, base, what, k)[0] for what in WHATS}
    member = {"ranking": None, "top": base[0] == 1, "top_k": base[0] <= k}
    rel = {what: (np.ones(br.tau.size, bool) if member[what] is None else member[what][br.i] | member[what][br.k])
           for what in WHATS}
    w0 = np.array([min(max(float(problem.weights[cols].sum()), 0.0), 1.0) for _name, cols, _kind in targets])
    wb = w0[br.tau]
    below, above = br.lo < wb, br.hi > wb
    # 1. the brackets that can hold the crossing nearest to the base weight, on each side, for each property
    cand = below & above
    for what in WHATS:
        for tau in range(len(targets)):
            mine = (br.tau == tau) & rel[what] & ~(below & above)
            for side, far, near in ((below, br.lo, br.hi), (above, br.hi, br.lo)):
                sel = mine & side
                if sel.any():
                    f = far[sel].max() if side is below else far[sel].min()
                    cand |= sel & ((near >= f) if side is below else (near <= f))
    _refine(problem, basis, br, cand)

    # 2. the nearest crossing, and the property just beyond it (or at the end of [0, 1] if none)
    walks = []  # (tau, what, side, edge, out point)
    for tau in range(len(targets)):
        for what in WHATS:
            pts = br.at[(br.tau == tau) & rel[what] & ~np.isnan(br.at)]
            for side in (0, 1):
                mine = pts[pts <= w0[tau]] if side == 0 else pts[pts >= w0[tau]]
                if mine.size == 0:
                    end = float(side)
                    walks.append((tau, what, side, None, end))
                    continue
                c = mine.max() if side == 0 else mine.min()
                rest = mine[mine < c] if side == 0 else mine[mine > c]
                nxt = (rest.max() if rest.size else 0.0) if side == 0 else (rest.min() if rest.size else 1.0)
                step = min(OUT_STEP, abs(c - nxt) / 2)
                walks.append((tau, what, side, float(c), float(c - step if side == 0 else c + step)))
    changed = _changed(problem, basis, base_sig, k, [(w[0], w[1], w[4]) for w in walks])
    edges: dict[tuple[int, str, int], tuple[float, float | None]] = {}
    redo = []
    for (tau, what, side, edge, out), ch in zip(walks, changed):
        if edge is None:  # no crossing on that side: the property holds to the end, unless the end itself differs
            edges[tau, what, side] = (out, out if ch and out != w0[tau] else None)
        elif ch:
            edges[tau, what, side] = (edge, out)
        else:
            redo.append((tau, what, side))

    # 3. (rarely) the property held beyond the nearest crossing: check it between every two crossings
    if redo:
        need = np.zeros(br.tau.size, bool)
        for tau, what, side in redo:
            need |= (br.tau == tau) & rel[what] & (below if side == 0 else above)
        _refine(problem, basis, br, need)
        pieces = []
        for tau, what, side in redo:
            pts = br.at[(br.tau == tau) & rel[what] & ~np.isnan(br.at)]
            if side == 0:
                pts = np.concatenate(([w0[tau]], np.sort(pts[pts <= w0[tau]])[::-1], [0.0]))
            else:
                pts = np.concatenate(([w0[tau]], np.sort(pts[pts >= w0[tau]]), [1.0]))
            pieces.append(pts)
        probes = [(tau, what, t) for (tau, what, _side), pts in zip(redo, pieces)
                  for t in [*((pts[:-1] + pts[1:]) / 2), pts[-1]]]
        flags = iter(_changed(problem, basis, base_sig, k, probes))
        for (tau, what, side), pts in zip(redo, pieces):
            ok = ~np.array([next(flags) for _k in range(len(pts))])
            bad = np.flatnonzero(~ok[:-1])
            if bad.size:
                j = bad[0]
                edge = pts[j]
                step = min(OUT_STEP, abs(pts[j + 1] - pts[j]) / 2)
                edges[tau, what, side] = (float(edge), float(edge - step if side == 0 else edge + step))
            else:
                end = float(side)
                edges[tau, what, side] = (end, end if not ok[-1] and end != w0[tau] else None)

    out = {}
    for tau, (name, cols, kind) in enumerate(targets):
        entry: dict[str, Any] = {"kind": kind, "base": float(problem.weights[cols].sum())}
        for what in WHATS:
            (lo, out_lo), (hi, out_hi) = edges[tau, what, 0], edges[tau, what, 1]
            entry[what] = [lo, hi]
            if what == "top":  # the first weights outside the interval that give another top project
                entry["top_changes_at"] = [out_lo, out_hi]
        pcts = [_ts_percent(entry["base"], edges[tau, "ranking", side][0]) for side in (0, 1)
                if edges[tau, "ranking", side][1] is not None]
        pcts = [v for v in pcts if v is not None]
        entry["criticality_degree"] = min(pcts) if pcts else None
        out[name] = entry
    return out


def _changed(problem: Problem, basis, base_sig: dict[str, np.ndarray], k: int,
             probes: list[tuple[int, str, float]]) -> list[bool]:
    """For each (target, property, weight): does the property differ there from the base? One batch."""
    if not probes:
        return []
    tau = np.array([p[0] for p in probes], dtype=np.int64)
    t = np.array([p[2] for p in probes], dtype=float)
    a, b = basis
    r = _ranks_rows(problem, t[:, None] * a[tau] + (1 - t)[:, None] * b[tau])
    whats = np.array([p[1] for p in probes])
    out = np.zeros(len(probes), dtype=bool)
    for what in WHATS:
        rows = whats == what
        if rows.any():
            out[rows] = ~(_signature(problem, r[rows], what, k) == base_sig[what]).all(axis=1)
    return out.tolist()


def _change(name: str, w0: float, edge: float, to: float) -> dict[str, Any]:
    """One weight change that gives another top project, with every measure of its size."""
    change = abs(to - w0)
    rel = change / w0 if w0 > 0 else None
    delta = (edge - w0) / (1 - edge) if edge < 1 - TS_END else None
    return {"criterion": name, "from": w0, "to": to, "absolute": change, "relative": rel,
            "variant": "proportional", "relative_percent": None if rel is None else 100.0 * rel,
            "threshold": edge, "ts_delta": delta, "ts_percent": _ts_percent(w0, edge)}


def _top_changes(stability: dict[str, dict]) -> Iterator[dict[str, Any]]:
    for name, entry in stability.items():
        if entry["kind"] != "criterion":
            continue
        for side, to in enumerate(entry["top_changes_at"]):
            if to is not None:
                yield _change(name, entry["base"], entry["top"][side], to)


def critical_change(problem: Problem, stability: dict[str, dict]) -> dict | None:
    """The smallest change of one criterion's weight that gives another top project: smallest in
    absolute terms, |t − w|, with the weight set to t and the others rescaled proportionally (so the
    weights sum to 1). Also carries the change's size as Triantaphyllou & Sánchez (1997) measure it
    (``ts_delta``, ``ts_percent``; see :func:`_ts_percent`) and ``threshold``, the weight where the top
    project starts to change (``to`` lies just beyond it)."""
    best = None
    for c in _top_changes(stability):
        if best is None or c["absolute"] < best["absolute"] - 1e-15:
            best = c
    return best


def critical_change_relative(problem: Problem, stability: dict[str, dict]) -> dict | None:
    """Triantaphyllou & Sánchez's (1997) percent-top critical criterion: of all one-criterion weight
    changes that give another top project, the one smallest in % of the criterion's own weight, their
    way (``ts_percent``). Same keys as :func:`critical_change`; None when no change (of a criterion with
    a positive weight, below weight 1) does."""
    best = None
    for c in _top_changes(stability):
        if c["ts_percent"] is not None and (best is None or c["ts_percent"] < best["ts_percent"] - 1e-12):
            best = c
    return best


# --- Monte Carlo / SMAA-2 -------------------------------------------------------------------------------------

@dataclass
class SMAAResult:
    samples: int
    acceptability: np.ndarray  # (m, m)
    pairwise: np.ndarray  # (m, m): P(row above column), ties counted half
    central_weights: np.ndarray  # (m, n), NaN where never first
    confidence: np.ndarray  # (m,), NaN where never first

    def expected_rank(self) -> np.ndarray:
        return self.acceptability @ np.arange(1, self.acceptability.shape[1] + 1)

    def rank_interval(self, lo: float = 0.05, hi: float = 0.95) -> np.ndarray:
        cum = np.cumsum(self.acceptability, axis=1)
        return np.stack([np.argmax(cum >= lo - 1e-12, axis=1) + 1, np.argmax(cum >= hi - 1e-12, axis=1) + 1], axis=1)


def _block_counts(problem: Problem, w: np.ndarray, x: np.ndarray | None) -> tuple[np.ndarray, np.ndarray,
                                                                                 np.ndarray, int]:
    """One block of samples: its rank acceptability counts, pairwise counts and the weights summed over
    the samples where each alternative is first (shared among tied firsts)."""
    s = problem.scores(w, x)
    if np.isnan(s).any():
        s = np.where(np.isnan(s), 0.0, s)  # an undefined sample (all weight on constant criteria): all tie
    first, size_tie = tied_ranks(s)
    share_top = np.where(first == 1, 1.0 / size_tie, 0.0)
    return (acceptability_counts(first, size_tie),
            pairwise_counts(first, ties=bool(size_tie.max() > 1)),  # tied alternatives: each half above
            share_top.T @ w, len(w))


def smaa(problem: Problem, weights: Callable[[np.random.Generator, int], np.ndarray], samples: int, seed: int,
         matrices: Callable[[np.random.Generator, int], np.ndarray] | None = None,
         progress: Callable[[int], None] | None = None) -> SMAAResult:
    """Monte Carlo over weights (and, optionally, uncertain scores), chunk by chunk."""
    if samples <= 0:
        raise InputError(_("the number of samples must be positive, got {n}").format(n=samples), param="samples")
    m, n = problem.m, problem.n
    rng = np.random.default_rng(seed)
    acc = np.zeros((m, m))
    wins = np.zeros((m, m))
    central = np.zeros((m, n))

    def fold(counts: tuple[np.ndarray, np.ndarray, np.ndarray, int]) -> None:
        nonlocal acc, wins, central
        a, b, c, size = counts
        acc += a
        wins += b
        central += c
        if progress is not None:
            progress(size)

    # the draws stay in this thread, in order (same seed, same samples); the blocks are scored and counted
    # on SMAA_THREADS threads (numpy lets go of the GIL) and folded back in the order drawn, so the sums
    # are the same bits whatever the threads
    pool = None
    if SMAA_THREADS > 1 and samples > CHUNK:
        from concurrent.futures import ThreadPoolExecutor  # imported when used: start-up counts

        pool = ThreadPoolExecutor(max_workers=SMAA_THREADS)
    pending: deque = deque()
    try:
        done = 0
        while done < samples:
            size = min(CHUNK, samples - done)
            w = weights(rng, size)
            x = matrices(rng, size) if matrices is not None else None
            if pool is None:
                fold(_block_counts(problem, w, x))
            else:
                pending.append(pool.submit(_block_counts, problem, w, x))
                while len(pending) > 2 * SMAA_THREADS:
                    fold(pending.popleft().result())
            done += size
        while pending:
            fold(pending.popleft().result())
    finally:
        if pool is not None:
            for f in pending:
                f.cancel()
            pool.shutdown(wait=True)
    np.fill_diagonal(wins, 0.0)
    acc /= samples
    wins /= samples
    top = acc[:, 0] * samples
    with np.errstate(invalid="ignore", divide="ignore"):
        central_w = np.where(top[:, None] > 0, central / np.where(top > 0, top, 1)[:, None], np.nan)
    conf = _confidence(problem, central_w, matrices, seed)
    return SMAAResult(samples, acc, wins, central_w, conf)


def _confidence(problem: Problem, central_w: np.ndarray, matrices, seed: int, draws: int = 4096) -> np.ndarray:
    """SMAA-2 confidence factor: how often an alternative is first at its own central weights
    (over the score uncertainty when there is any; otherwise 1 or 0)."""
    m = problem.m
    conf = np.full(m, np.nan)
    rng = np.random.default_rng([seed, 1])
    x = matrices(rng, draws) if matrices is not None else problem.x[None]
    for i in range(m):
        if np.isnan(central_w[i]).any():
            continue
        first, size = tied_ranks(np.atleast_2d(problem.scores(central_w[i], x)))
        conf[i] = float(np.where(first[:, i] == 1, 1.0 / size[:, i], 0.0).mean())
    return conf


# --- methods against each other -------------------------------------------------------------------------------

def _average_ranks(r: np.ndarray) -> np.ndarray:
    """Ascending average ranks of the values (ties share the mean of their positions)."""
    r = np.asarray(r, dtype=float)
    less = (r[None, :] < r[:, None]).sum(axis=1)
    equal = (r[None, :] == r[:, None]).sum(axis=1)
    return less + (equal + 1) / 2


def spearman(ra: np.ndarray, rb: np.ndarray) -> float:
    """Spearman's ρ of two rankings (Pearson correlation of average ranks; 1.0 if both are constant).

    Written out (and checked against scipy.stats in the tests) so the command need not import scipy.stats.
    """
    a, b = _average_ranks(ra), _average_ranks(rb)
    a, b = a - a.mean(), b - b.mean()
    den = np.sqrt((a * a).sum() * (b * b).sum())
    if den == 0:  # all tied in one ranking: 1 if in both, undefined (NaN) if in one only
        return 1.0 if not a.any() and not b.any() else float("nan")
    return float((a * b).sum() / den)


def kendall_tau_b(ra: np.ndarray, rb: np.ndarray) -> float:
    """Kendall's τ-b of two rankings (ties corrected)."""
    sa = np.sign(np.subtract.outer(ra, ra))
    sb = np.sign(np.subtract.outer(rb, rb))
    iu = np.triu_indices(len(ra), 1)
    sa, sb = sa[iu], sb[iu]
    den = np.sqrt((sa != 0).sum() * (sb != 0).sum())
    if den == 0:
        return 1.0 if not sa.any() and not sb.any() else float("nan")
    return float((sa * sb).sum() / den)


def method_variants(problem: Problem) -> dict[str, np.ndarray]:
    """Oriented scores at the base weights of the problem's method and of its cross-checks (registry
    order), each in every normalization it offers (R-TOPSIS only when the problem has the criteria set's
    yardstick): TOPSIS (vector), TOPSIS (min-max), R-TOPSIS, WSM for TOPSIS or WSM."""
    main = registry.get(problem.method)
    wanted = {main.name, *main.cross_checks}
    variants = {}
    for entry in registry.METHODS:
        if entry.name not in wanted or not entry.weighted:
            continue
        for norm in entry.normalizations or (None,):
            if norm == "reference" and problem.reference is None:
                continue
            variants[entry.key(norm)] = entry.oriented(entry.scores(
                problem.x, problem.weights, problem.directions, norm or "vector",
                problem.reference if norm == "reference" else None))
    return variants


def method_robustness(problem: Problem) -> list[dict]:
    """Rank correlations between the variants of :func:`method_variants` at the base weights."""
    variants = method_variants(problem)
    names = list(variants)
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ra, rb = ranks(variants[a]), ranks(variants[b])
            rho, tau = spearman(ra, rb), kendall_tau_b(ra, rb)
            out.append({"a": a, "b": b, "spearman": None if np.isnan(rho) else rho,
                        "kendall": None if np.isnan(tau) else tau,
                        "same_ranking": bool((ra == rb).all()),
                        "same_top": bool(set(np.flatnonzero(ra == 1)) == set(np.flatnonzero(rb == 1))),
                        "ranks": {"a": ra.tolist(), "b": rb.tolist()}})
    return out


# --- the whole report -----------------------------------------------------------------------------------------

SAMPLERS = ("uniform", "dirichlet", "ahp", "panel")


def one_blas_thread():
    """Keep BLAS at one thread: the products here are small and many, and two BLAS threads make them
    slower and erratic (docs/design.md#speed-habits, measured in benchmarks/)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def weight_sampler(problem: Problem, sampler: str = "dirichlet", concentration: float = 100.0,
                   judgment_change: float = 0.5) -> Callable[[np.random.Generator, int], np.ndarray]:
    """The weight sampler named ``sampler`` (one of :data:`SAMPLERS`) for ``problem``: ``draw(rng, size)``."""
    if sampler == "uniform":
        return uniform_simplex(problem.n)
    if sampler == "dirichlet":
        return dirichlet_around(problem.weights, concentration)
    if sampler == "ahp":
        return perturbed_judgments(problem.criteria_set, judgment_change)
    if sampler == "panel":
        return panel_members(problem.criteria_set)
    raise InputError(_("unknown sampler {sampler!r}; use {known}").format(sampler=sampler, known=", ".join(SAMPLERS)),
                     param="sampler")


def report(problem: Problem, samples: int = 10_000, seed: int = 0, sampler: str = "dirichlet",
           concentration: float = 100.0, judgment_change: float = 0.5, score_change: float = 0.0,
           quantity_change: float = 0.0, top_k: int = 3, names: list[str] | None = None,
           force: bool = False, progress: Callable[[int], None] | None = None,
           ranking: Any = None) -> SensitivityReport:
    """Every analysis of this module on one problem, as a :class:`SensitivityReport` (its
    ``to_json_dict()`` is the machine interface of docs/design.md#sensitivity-json). ``ranking``: the Ranking the
    problem came from, kept with the report (``save(report, "x.xlsx")`` writes its workbook)."""
    from .provenance import ENGINE, input_hash

    if samples <= 0:
        raise InputError(_("the number of samples must be positive, got {n}").format(n=samples), param="samples")
    if samples > MAX_SAMPLES and not force:
        raise InputError(_("{n} samples is more than {max}; add {{param:force}} to run it anyway").format(
            n=samples, max=numfmt.number(MAX_SAMPLES, 0, lang=i18n.current())), param="samples")
    draw = weight_sampler(problem, sampler, concentration, judgment_change)
    mats = None
    if score_change or quantity_change:
        mats = perturbed_scores(problem.x, problem.scales, score_change, quantity_change)
    warnings = sampler_warnings(problem, sampler)
    if top_k < 1:
        raise InputError(_("top-k needs 1 ≤ k ≤ {m}, got {k}").format(m=problem.m, k=top_k), param="top_k")
    if top_k > problem.m:
        warnings.append(_("top-k {k} is more than the {m} projects ranked; using top-k = {m}").format(
            k=top_k, m=problem.m))
        top_k = problem.m
    with one_blas_thread():
        stab = stability_intervals(problem, top_k, names)
        res = smaa(problem, draw, samples, seed, mats, progress)
        swept = sweeps(problem, names=names)
    ids, crit = problem.ids, problem.criteria
    settings = {"sampler": sampler, "concentration": concentration if sampler == "dirichlet" else None,
                "judgment_change": judgment_change if sampler == "ahp" else None,
                "score_change": score_change, "quantity_change": quantity_change, "top_k": top_k}
    return SensitivityReport(
        ids=list(ids), criteria=list(crit), method=problem.method,
        normalization=registry.get(problem.method).normalization_label(problem.normalization),
        samples=samples, seed=seed, settings=settings, base_weights=np.asarray(problem.weights, float),
        smaa=res, stability=stab, critical_change=critical_change(problem, stab),
        critical_change_relative=critical_change_relative(problem, stab), sweeps=swept,
        method_robustness=method_robustness(problem), warnings=warnings,
        input_hash=input_hash({"ids": ids, "criteria": crit, "matrix": problem.x, "weights": problem.weights,
                               "directions": problem.directions, "method": problem.method,
                               "normalization": problem.normalization, **settings}),
        engine=ENGINE, ranking=ranking)


@dataclass(eq=False)
class SensitivityReport:
    """Everything :func:`report` found, typed: arrays and per-criterion records, with DataFrame views.

    - :meth:`to_frame`: one row per project (expected rank, 5–95 % rank interval, P(first), confidence);
    - :meth:`acceptability_frame`: rank acceptabilities b_i^r (projects × ranks);
    - :meth:`winning_frame`: pairwise winning probabilities (row above column);
    - :meth:`central_weights_frame`: the central weight vector of each project that is ever first;
    - :meth:`stability_frame`: per criterion (and group), its weight interval keeping the ranking, the
      top project and the top-k set, with the criticality degree;
    - :meth:`sweep_frame`: one-at-a-time sweep of a criterion's weight (the weights and ranks met);
    - :meth:`robustness_frame`: agreement of the method's ranking with its variants.

    ``to_json_dict()`` is the documented machine interface (docs/design.md#sensitivity-json); ``report["key"]``
    reads that JSON view (kept for the renderers, which print exactly what the JSON holds).
    """

    ids: list[str]
    criteria: list[str]
    method: str
    normalization: str | None
    samples: int
    seed: int
    settings: dict[str, Any]
    base_weights: np.ndarray  # (n,)
    smaa: SMAAResult
    stability: dict[str, dict]
    critical_change: dict | None
    critical_change_relative: dict | None
    sweeps: dict[str, dict]
    method_robustness: list[dict]
    warnings: list[str]
    input_hash: str
    engine: str
    ranking: Any = None
    _json: dict[str, Any] | None = field(default=None, repr=False)

    def to_json_dict(self) -> dict[str, Any]:
        """The report as JSON-ready dicts and lists (docs/design.md#sensitivity-json)."""
        if self._json is not None:
            return self._json
        ids, crit, res = self.ids, self.criteria, self.smaa
        interval = res.rank_interval()

        def num(v: float) -> float | None:
            return None if np.isnan(v) else float(v)

        self._json = {
            "engine": self.engine,
            "input_hash": self.input_hash,
            "method": self.method,
            "normalization": self.normalization,
            "samples": self.samples,
            "seed": self.seed,
            **self.settings,
            "base_weights": {c: float(w) for c, w in zip(crit, self.base_weights)},
            "rank_acceptability": {i: res.acceptability[k].tolist() for k, i in enumerate(ids)},
            "expected_rank": {i: float(v) for i, v in zip(ids, res.expected_rank())},
            "rank_interval_5_95": {i: [int(a), int(b)] for i, (a, b) in zip(ids, interval)},
            "pairwise_winning": {a: {b: float(res.pairwise[ka, kb]) for kb, b in enumerate(ids) if kb != ka}
                                 for ka, a in enumerate(ids)},
            "central_weights": {i: (None if np.isnan(res.central_weights[k]).any()
                                    else {c: float(v) for c, v in zip(crit, res.central_weights[k])})
                                for k, i in enumerate(ids)},
            "confidence": {i: num(res.confidence[k]) for k, i in enumerate(ids)},
            "stability": self.stability,
            "critical_change": self.critical_change,
            "critical_change_relative": self.critical_change_relative,
            "sweeps": self.sweeps,
            "method_robustness": self.method_robustness,
            "warnings": self.warnings,
        }
        return self._json

    # the JSON view, read as a mapping (the renderers and existing callers use it)
    def __getitem__(self, key: str) -> Any:
        return self.to_json_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.to_json_dict().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.to_json_dict()

    def keys(self):
        return self.to_json_dict().keys()

    # --- DataFrame views -------------------------------------------------------------------------------
    def to_frame(self):
        """One row per project: expected rank, the 5–95 % rank interval, P(first), confidence."""
        import pandas as pd

        lo_hi = self.smaa.rank_interval()
        return pd.DataFrame({"expected_rank": self.smaa.expected_rank(), "rank_5": lo_hi[:, 0],
                             "rank_95": lo_hi[:, 1], "p_first": self.smaa.acceptability[:, 0],
                             "confidence": self.smaa.confidence},
                            index=pd.Index(self.ids, name="project"))

    def acceptability_frame(self):
        """Rank acceptabilities: the share of samples in which a project (row) takes a rank (column)."""
        import pandas as pd

        m = len(self.ids)
        return pd.DataFrame(self.smaa.acceptability, index=pd.Index(self.ids, name="project"),
                            columns=pd.Index(range(1, m + 1), name="rank"))

    def winning_frame(self):
        """P(row ranked above column), ties counted half; the diagonal is empty."""
        import pandas as pd

        pw = self.smaa.pairwise.astype(float).copy()
        np.fill_diagonal(pw, np.nan)
        return pd.DataFrame(pw, index=pd.Index(self.ids, name="project"), columns=pd.Index(self.ids, name="over"))

    def central_weights_frame(self):
        """The mean weights of the samples in which each project is first (NaN: never first)."""
        import pandas as pd

        return pd.DataFrame(self.smaa.central_weights, index=pd.Index(self.ids, name="project"),
                            columns=pd.Index(self.criteria, name="criterion"))

    def stability_frame(self):
        """Per criterion (and group): its base weight and the interval of its weight keeping each property."""
        import pandas as pd

        rows = []
        for name, entry in self.stability.items():
            row = {"criterion": name}
            for key, value in entry.items():
                if isinstance(value, dict):
                    row.update({f"{key}.{k}": v for k, v in value.items() if not isinstance(v, (dict, list))})
                elif isinstance(value, list) and len(value) == 2 and all(
                        isinstance(v, (int, float)) or v is None for v in value):
                    row[f"{key}.low"], row[f"{key}.high"] = value
                elif not isinstance(value, list):
                    row[key] = value
            rows.append(row)
        return pd.DataFrame(rows).set_index("criterion")

    def sweep_frame(self, criterion: str):
        """The one-at-a-time sweep of ``criterion``'s (or a group's) weight: one row per weight tried
        (``weight``), one column per project (its rank there)."""
        import pandas as pd

        if criterion not in self.sweeps:
            raise InputError(_("no sweep of {id!r}; swept: {swept}").format(id=criterion, swept=", ".join(self.sweeps)),
                             param="criterion")
        entry = self.sweeps[criterion]
        return pd.DataFrame(entry["ranks"], index=pd.Index(entry["t"], name="weight")).rename_axis(
            columns="project")

    def robustness_frame(self):
        """The method's ranking against its variants: one row per pair compared (Spearman's rho,
        Kendall's tau-b, whether the top agrees); the ranks themselves stay in the JSON."""
        import pandas as pd

        return pd.DataFrame([{k: v for k, v in row.items() if not isinstance(v, (dict, list))}
                             for row in self.method_robustness])