"""Sensitivity analysis: how robust is a ranking, and what would change it? (DESIGN.md section 3)

Sampling and analysis are kept apart (as in SALib): *samplers* draw weight vectors (S, n) or
decision matrices (S, m, n) from a seeded ``numpy.random.Generator``; *analyses* score them with
the vectorised kernels (no Python loop per sample) and summarise.

- :func:`oat_weights`: one-at-a-time re-weighting — criterion (or group) weight set to t, every
  other weight scaled by (1 − t)/(1 − w), so the weights stay on the simplex;
- :func:`sweeps`: every project's rank along t ∈ [0, 1] for each criterion and group;
- :func:`stability_intervals`: the largest interval around the base weight over which the whole
  ranking, the top project and the top-k set stay the same (grid scan, then bisection to 1e-5);
- :func:`critical_change`: the smallest one-weight change that gives another top project
  (Triantaphyllou & Sánchez 1997, with the proportional re-weighting above);
- :func:`smaa`: Monte Carlo / SMAA-2 (Lahdelma & Salminen 2001): rank acceptability indices (tied
  alternatives share their positions equally, so rows and columns sum to 1), expected rank and
  5–95 % rank interval, pairwise winning probabilities, central weights and confidence factors,
  accumulated chunk by chunk so memory stays bounded whatever the number of samples;
- :func:`method_robustness`: TOPSIS (vector, min-max) vs WSM rankings, Spearman ρ and Kendall τ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import ahp
from .criteria import InputError
from .ranking import TIE_TOLERANCE, ranks, score

#: samples per chunk (fixed, so results do not depend on the machine)
CHUNK = 16_384
MAX_SAMPLES = 10_000_000
SWEEP_POINTS = 101
SCAN_POINTS = 2001
BISECTION_WIDTH = 1e-5


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

    @property
    def m(self) -> int:
        return len(self.ids)

    @property
    def n(self) -> int:
        return len(self.criteria)

    def scores(self, w: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
        """Scores for weights (..., n) (and matrices (..., m, n), default the base matrix)."""
        return score(self.x if x is None else x, w, self.directions, self.method, self.normalization)

    @classmethod
    def from_ranking(cls, rk) -> Problem:
        """The problem behind a :class:`~appraisal.ranking.Ranking` (its eligible projects)."""
        if rk.method not in ("topsis", "wsm"):
            raise InputError(f"sensitivity analysis needs a weighted method (topsis or wsm), not {rk.method!r}")
        crit = [c.id for c in rk.criteria]
        groups: dict[str, list[int]] = {}
        scales = None
        cs = None
        if rk.package is not None:
            cs = rk.package.criteria_set
            for path, leaf in cs.leaf_paths():
                for g in path[1:]:
                    groups.setdefault(g.id, []).append(crit.index(leaf.id))
            by_id = {c.id: c for c in cs.leaves()}
            scales = [np.array(by_id[c].scale.values) if by_id[c].scale else None for c in crit]
        return cls(ids=list(rk.alternatives), criteria=crit, x=np.asarray(rk.matrix, float),
                   weights=np.array([c.weight for c in rk.criteria]),
                   directions=np.array([1.0 if c.direction == "benefit" else -1.0 for c in rk.criteria]),
                   method=rk.method, normalization=rk.normalization if rk.method == "topsis" else "vector",
                   groups=groups, scales=scales, criteria_set=cs)


# --- ranks with ties, from one argsort ------------------------------------------------------------------

def tied_ranks(s: np.ndarray, tol: float = TIE_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
    """For scores (S, m): each alternative's best rank (1 = top) and the size of its tie group.

    One argsort per row; alternatives whose sorted scores differ by ≤ tol form a tie group that
    shares the positions first … first + size − 1.
    """
    s = np.asarray(s, dtype=float)
    S, m = s.shape
    order = np.argsort(-s, axis=1)
    ss = np.take_along_axis(s, order, axis=1)
    idx = np.broadcast_to(np.arange(m), (S, m))
    new = np.ones((S, m), dtype=bool)
    new[:, 1:] = (ss[:, :-1] - ss[:, 1:]) > tol
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
    last = np.ones((S, m), dtype=bool)
    last[:, :-1] = new[:, 1:]
    end = np.minimum.accumulate(np.where(last, idx, m - 1)[:, ::-1], axis=1)[:, ::-1]
    first = np.empty((S, m), dtype=np.int64)
    size = np.empty((S, m), dtype=np.int64)
    rows = np.arange(S)[:, None]
    first[rows, order] = start + 1
    size[rows, order] = end - start + 1
    return first, size


def acceptability_counts(first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """(m, m) counts: entry [i, r] = share of samples giving alternative i position r + 1."""
    S, m = first.shape
    acc = np.zeros(m * m)
    alt = np.broadcast_to(np.arange(m), (S, m))
    for k in range(int(size.max())):
        use = size > k
        pos = first[use] - 1 + k
        acc += np.bincount(alt[use] * m + pos, weights=1.0 / size[use], minlength=m * m)
    return acc.reshape(m, m)


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
        raise InputError(f"concentration must be > 0, got {concentration:g}", where="--concentration")
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


def _group_matrices(cs) -> dict[str, tuple[np.ndarray, list[np.ndarray], np.ndarray]]:
    """Per pairwise group: (matrix used, each expert's matrix, expert weights)."""
    out = {}
    for g in cs.iter_groups():
        if g.pairwise:
            mats = [ahp.complete_reciprocal(np.array(j.numeric())) for j in g.pairwise]
            ew = np.array([j.weight for j in g.pairwise], dtype=float)
            agg = mats[0] if len(mats) == 1 else ahp.aggregate_judgments(np.stack(mats), ew)
            out[g.id] = (agg, mats, ew / ew.sum())
    return out


def _base_local(cs) -> dict[str, np.ndarray]:
    _, nodes = ahp.synthesize(cs)
    return {nd.group: nd.local for nd in nodes}


def perturbed_judgments(cs, change: float = 0.5) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Global weights from perturbed AHP judgments: each upper-triangle judgment of every pairwise
    group moves one step down or up Saaty's scale (1/9 … 9) with probability change/2 each; the
    perturbed matrices are re-weighted by batched power iteration, then synthesised down the tree.
    """
    if not 0 <= change <= 1:
        raise InputError(f"judgment change probability must be in [0, 1], got {change:g}", where="--judgment-change")
    if cs is None:
        raise InputError("perturbing AHP judgments needs a package whose criteria are weighed by pairwise judgments", where="--sampler")
    groups = _group_matrices(cs)
    if not groups:
        raise InputError("no group of the criteria set is weighed by pairwise judgments; use another sampler", where="--sampler")
    base = _base_local(cs)
    grid = np.log(ahp.SAATY_SCALE)

    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        local = dict(base)
        for gid, (a, _mats, _ew) in groups.items():
            k = a.shape[0]
            iu = np.triu_indices(k, 1)
            vals = np.log(a[iu])
            pos = np.interp(vals, grid, np.arange(len(grid)))  # fractional position on the scale
            u = rng.random((size, len(vals)))
            step = np.where(u < change / 2, -1, np.where(u < change, 1, 0))
            lower, upper = np.floor(pos), np.ceil(pos)
            new_pos = np.where(step < 0, np.where(lower < pos, lower, pos - 1),
                               np.where(step > 0, np.where(upper > pos, upper, pos + 1), pos))
            new_pos = np.clip(new_pos, 0, len(grid) - 1)
            new_vals = np.where(step == 0, vals, np.interp(new_pos, np.arange(len(grid)), grid))
            mats = np.ones((size, k, k))
            mats[:, iu[0], iu[1]] = np.exp(new_vals)
            mats[:, iu[1], iu[0]] = np.exp(-new_vals)
            local[gid], _ = ahp.eigenvector_weights(mats)
        return _tree_weights(cs, local, size)

    return draw


def panel_members(cs) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Global weights where each panel group takes one expert's own weights per sample (chosen in
    proportion to the experts' weights); other groups keep their weights."""
    if cs is None:
        raise InputError("sampling a panel's weights needs a package whose criteria are weighed by a panel", where="--sampler")
    panels = {gid: v for gid, v in _group_matrices(cs).items() if len(v[1]) > 1}
    if not panels:
        raise InputError("no group of the criteria set is weighed by a panel of experts; use another sampler", where="--sampler")
    base = _base_local(cs)
    expert_w = {gid: np.stack([ahp.eigenvector_weights(mt)[0] for mt in mats]) for gid, (_, mats, _) in panels.items()}

    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        local = dict(base)
        for gid, (_a, _mats, ew) in panels.items():
            pick = rng.choice(len(ew), size=size, p=ew)
            local[gid] = expert_w[gid][pick]
        return _tree_weights(cs, local, size)

    return draw


def perturbed_scores(x: np.ndarray, scales: list[np.ndarray | None] | None, level_change: float = 0.0,
                     quantity_change: float = 0.0) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Matrices (S, m, n) with uncertain scores: an ordinal score moves one level down or up with
    probability level_change/2 each (staying put at the ends of its scale); a quantity is multiplied
    by a factor uniform in [1 − quantity_change, 1 + quantity_change]."""
    if not 0 <= level_change <= 1:
        raise InputError(f"probability must be in [0, 1], got {level_change:g}", where="--score-change")
    if not 0 <= quantity_change < 1:
        raise InputError(f"relative change must be in [0, 1), got {quantity_change:g}", where="--quantity-change")
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

def oat_weights(w: np.ndarray, cols: list[int], t: np.ndarray) -> np.ndarray:
    """Weights (T, n) with the criteria ``cols`` together at weight t (shared as at base) and every
    other weight scaled by (1 − t)/(1 − their base total)."""
    w = np.asarray(w, dtype=float)
    t = np.atleast_1d(np.asarray(t, dtype=float))
    inside = np.zeros(len(w), bool)
    inside[cols] = True
    w_in, w_out = w[inside].sum(), w[~inside].sum()
    share_in = w[inside] / w_in if w_in > 0 else np.full(inside.sum(), 1.0 / inside.sum())
    share_out = w[~inside] / w_out if w_out > 0 else np.full((~inside).sum(), 1.0 / max((~inside).sum(), 1))
    out = np.empty((len(t), len(w)))
    out[:, inside] = t[:, None] * share_in
    out[:, ~inside] = (1 - t)[:, None] * share_out
    return out


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
            raise InputError(f"unknown criterion {unknown[0]!r}; known: {', '.join(known)}", where="--criterion")
    for name in names or known:
        cols, kind = known[name]
        yield name, cols, kind


def _edges(problem: Problem, cols: list[int], k: int) -> dict[str, list]:
    """For each property (ranking, top, top_k): the grid brackets [inner, outer] around the first
    change below and above the base weight (None where the property holds to the end of [0, 1]).
    One grid scan of the weight's whole range."""
    w0 = float(problem.weights[cols].sum())
    base = ranks(problem.scores(problem.weights[None, :]))
    grid = np.linspace(0, 1, SCAN_POINTS)
    grid_ranks = ranks(problem.scores(oat_weights(problem.weights, cols, grid)))
    out = {}
    for what in ("ranking", "top", "top_k"):
        ok = (_signature(problem, grid_ranks, what, k) == _signature(problem, base, what, k)[0]).all(axis=1)
        below, above = None, None
        bad = np.flatnonzero((grid < w0) & ~ok)
        if bad.size:
            j = bad[-1]
            below = [min(w0, grid[j + 1]), grid[j]]
        bad = np.flatnonzero((grid > w0) & ~ok)
        if bad.size:
            j = bad[0]
            above = [max(w0, grid[j - 1]), grid[j]]
        out[what] = [below, above]
    return out


def _bisect_all(problem: Problem, jobs: list[tuple[list[int], str, list]], k: int) -> None:
    """Narrow every bracket [inner, outer] to BISECTION_WIDTH, all brackets at once: each step
    scores one midpoint per bracket in a single kernel call."""
    base = ranks(problem.scores(problem.weights[None, :]))
    while True:
        active = [b for b in jobs if abs(b[2][1] - b[2][0]) > BISECTION_WIDTH]
        if not active:
            return
        mids = [(b[2][0] + b[2][1]) / 2 for b in active]
        w = np.concatenate([oat_weights(problem.weights, cols, np.array([t])) for (cols, _, _), t in zip(active, mids)])
        r = ranks(problem.scores(w))
        for (cols, what, bracket), t, row in zip(active, mids, r):
            same = bool((_signature(problem, row[None], what, k)[0] == _signature(problem, base, what, k)[0]).all())
            bracket[0 if same else 1] = t


def stability_intervals(problem: Problem, k: int = 3, names: list[str] | None = None) -> dict[str, dict]:
    """Per criterion (and group): the weight interval around the base over which the whole ranking,
    the top project and the top-k set stay as they are (to 1e-5)."""
    if not 1 <= k <= problem.m:
        raise InputError(f"top-k needs 1 ≤ k ≤ {problem.m}, got {k}", where="--top-k")

    def edge(v: float | None) -> float | None:  # not rounded: a rounded edge could fall on the wrong side
        return None if v is None else float(v)

    targets = list(_targets(problem, names))
    edges = {name: _edges(problem, cols, k) for name, cols, _kind in targets}
    _bisect_all(problem, [(cols, what, bracket) for name, cols, _ in targets
                          for what, pair in edges[name].items() for bracket in pair if bracket is not None], k)
    out = {}
    for name, cols, kind in targets:
        entry: dict[str, Any] = {"kind": kind, "base": float(problem.weights[cols].sum())}
        for what, (below, above) in edges[name].items():
            lo, out_lo = (0.0, None) if below is None else below
            hi, out_hi = (1.0, None) if above is None else above
            entry[what] = [edge(lo), edge(hi)]
            if what == "top":  # the first weights outside the interval that give another top project
                entry["top_changes_at"] = [edge(out_lo), edge(out_hi)]
        out[name] = entry
    return out


def critical_change(problem: Problem, stability: dict[str, dict]) -> dict | None:
    """The smallest change of one criterion's weight that gives another top project."""
    best = None
    for name, entry in stability.items():
        if entry["kind"] != "criterion":
            continue
        w0 = entry["base"]
        for to in entry["top_changes_at"]:
            if to is None:
                continue
            change = abs(to - w0)
            if best is None or change < best["absolute"] - 1e-15:
                best = {"criterion": name, "from": w0, "to": to, "absolute": change,
                        "relative": change / w0 if w0 > 0 else None}
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


def smaa(problem: Problem, weights: Callable[[np.random.Generator, int], np.ndarray], samples: int, seed: int,
         matrices: Callable[[np.random.Generator, int], np.ndarray] | None = None,
         progress: Callable[[int], None] | None = None) -> SMAAResult:
    """Monte Carlo over weights (and, optionally, uncertain scores), chunk by chunk."""
    if samples <= 0:
        raise InputError(f"the number of samples must be positive, got {samples}", where="--samples")
    m, n = problem.m, problem.n
    rng = np.random.default_rng(seed)
    acc = np.zeros((m, m))
    wins = np.zeros((m, m))
    central = np.zeros((m, n))
    done = 0
    while done < samples:
        size = min(CHUNK, samples - done)
        w = weights(rng, size)
        x = matrices(rng, size) if matrices is not None else None
        s = problem.scores(w, x)
        if np.isnan(s).any():
            s = np.where(np.isnan(s), 0.0, s)  # an undefined sample (all weight on constant criteria): all tie
        first, size_tie = tied_ranks(s)
        acc += acceptability_counts(first, size_tie)
        f16 = first.astype(np.int16)
        wins += np.count_nonzero(f16[:, :, None] < f16[:, None, :], axis=0)
        if size_tie.max() > 1:  # tied alternatives are each half above the other
            wins += 0.5 * np.count_nonzero(f16[:, :, None] == f16[:, None, :], axis=0)
        share_top = np.where(first == 1, 1.0 / size_tie, 0.0)
        central += share_top.T @ w
        done += size
        if progress is not None:
            progress(size)
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


def method_robustness(problem: Problem) -> list[dict]:
    """Rank correlations between TOPSIS (vector), TOPSIS (min-max) and WSM at the base weights."""
    w = problem.weights
    variants = {
        "topsis_vector": score(problem.x, w, problem.directions, "topsis", "vector"),
        "topsis_minmax": score(problem.x, w, problem.directions, "topsis", "minmax"),
        "wsm": score(problem.x, w, problem.directions, "wsm"),
    }
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
    slower and erratic (DESIGN.md section 3, measured in benchmarks/)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def report(problem: Problem, samples: int = 10_000, seed: int = 0, sampler: str = "dirichlet",
           concentration: float = 100.0, judgment_change: float = 0.5, score_change: float = 0.0,
           quantity_change: float = 0.0, top_k: int = 3, names: list[str] | None = None,
           force: bool = False, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Every analysis of this module on one problem, as a JSON-ready dict (DESIGN.md section 4)."""
    from .provenance import ENGINE, input_hash

    if samples <= 0:
        raise InputError(f"the number of samples must be positive, got {samples}", where="--samples")
    if samples > MAX_SAMPLES and not force:
        raise InputError(f"{samples} samples is more than {MAX_SAMPLES:,}; add --force to run it anyway",
                         where="--samples")
    if sampler == "uniform":
        draw = uniform_simplex(problem.n)
    elif sampler == "dirichlet":
        draw = dirichlet_around(problem.weights, concentration)
    elif sampler == "ahp":
        draw = perturbed_judgments(problem.criteria_set, judgment_change)
    elif sampler == "panel":
        draw = panel_members(problem.criteria_set)
    else:
        raise InputError(f"unknown sampler {sampler!r}; use {', '.join(SAMPLERS)}", where="--sampler")
    mats = None
    if score_change or quantity_change:
        mats = perturbed_scores(problem.x, problem.scales, score_change, quantity_change)
    with one_blas_thread():
        stab = stability_intervals(problem, top_k, names)
        res = smaa(problem, draw, samples, seed, mats, progress)
        swept = sweeps(problem, names=names)
    ids, crit = problem.ids, problem.criteria
    interval = res.rank_interval()

    def num(v: float) -> float | None:
        return None if np.isnan(v) else float(v)

    settings = {"sampler": sampler, "concentration": concentration if sampler == "dirichlet" else None,
                "judgment_change": judgment_change if sampler == "ahp" else None,
                "score_change": score_change, "quantity_change": quantity_change, "top_k": top_k}
    return {
        "engine": ENGINE,
        "input_hash": input_hash({"ids": ids, "criteria": crit, "matrix": problem.x, "weights": problem.weights,
                                  "directions": problem.directions, "method": problem.method,
                                  "normalization": problem.normalization, **settings}),
        "method": problem.method,
        "normalization": problem.normalization if problem.method == "topsis" else "minmax",
        "samples": samples,
        "seed": seed,
        **settings,
        "base_weights": {c: float(w) for c, w in zip(crit, problem.weights)},
        "rank_acceptability": {i: res.acceptability[k].tolist() for k, i in enumerate(ids)},
        "expected_rank": {i: float(v) for i, v in zip(ids, res.expected_rank())},
        "rank_interval_5_95": {i: [int(a), int(b)] for i, (a, b) in zip(ids, interval)},
        "pairwise_winning": {a: {b: float(res.pairwise[ka, kb]) for kb, b in enumerate(ids) if kb != ka}
                             for ka, a in enumerate(ids)},
        "central_weights": {i: (None if np.isnan(res.central_weights[k]).any()
                                else {c: float(v) for c, v in zip(crit, res.central_weights[k])})
                            for k, i in enumerate(ids)},
        "confidence": {i: num(res.confidence[k]) for k, i in enumerate(ids)},
        "stability": stab,
        "critical_change": critical_change(problem, stab),
        "sweeps": swept,
        "method_robustness": method_robustness(problem),
    }
