"""Analytic Hierarchy Process (Saaty 1980): weights from pairwise judgments, and their consistency.

Kernels are pure numpy and batched: a matrix of shape (n, n) or a stack (S, n, n).

- :func:`eigenvector_weights`: principal right eigenvector (sum 1) and λmax, by power iteration
  started from the row geometric means (all-positive matrices are primitive, so it converges);
- :func:`geometric_weights`: normalised row geometric means (RGMM);
- λmax is always the principal eigenvalue of the matrix, whichever method gives the weights, so CI and
  CR are Saaty's CI and CR of the matrix itself: CI = (λmax − n)/(n − 1), CR = CI / RI with Saaty's
  random index (n ≤ 2: CR = 0). λmax ≥ n for every positive reciprocal matrix, so CR ≥ 0;
- :func:`geometric_consistency_index`: with the geometric method, also the GCI of Aguarón &
  Moreno-Jiménez (2003), GCI = 2/((n − 1)(n − 2)) Σ_{i<j} ln²(a_ij·w_j/w_i) with the row-geometric-mean
  weights, judged against its own thresholds (:func:`gci_threshold`: 0.31 for n = 3, 0.35 for n = 4,
  0.37 for n > 4), not against CR ≤ 0.10;
- :func:`diagnose`: the judgments most at odds with the weights, with the consistent value;
- :func:`harker_weights` and :func:`complete_harker`: matrices with skipped pairs (NaN), by Harker's
  method (1987), once the answered pairs connect the items (:func:`comparisons_connected`);
- :func:`aggregate_judgments` (AIJ, weighted geometric mean) and :func:`aggregate_priorities` (AIP).
  A panel's λmax, CI, CR (and GCI) are those of its AIJ matrix under either aggregation; see
  :func:`analyse_panel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import _
from .criteria.judgments import RECIPROCITY_TOLERANCE
from .normalization import unit_sum

#: Saaty's random consistency index by matrix size (n = 1..15).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
                10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
RI_TABLE_NAME = "Saaty (1980), n = 3..15"
MAX_N = max(RANDOM_INDEX)
CR_THRESHOLD = 0.10
#: Aguarón & Moreno-Jiménez (2003) thresholds of the geometric consistency index by n (n > 4: 0.37).
GCI_THRESHOLDS = {3: 0.31, 4: 0.35}
GCI_THRESHOLD_LARGE = 0.37
GCI_TABLE_NAME = "Aguarón & Moreno-Jiménez (2003)"
SAATY_SCALE = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])


def _check_shape(a: np.ndarray) -> int:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise InputError(_("pairwise matrix must be square, got shape {shape}").format(shape=a.shape))
    n = a.shape[-1]
    if n > MAX_N:
        raise InputError(_("{n}×{n} pairwise matrix is larger than the random-index table supports (n ≤ {max})").format(
            n=n, max=MAX_N))
    return n


def geometric_weights(a: np.ndarray) -> np.ndarray:
    """Row geometric means normalised to sum 1; shape (..., n)."""
    a = np.asarray(a, dtype=float)
    _check_shape(a)
    g = np.exp(np.log(a).mean(axis=-1))
    return g / g.sum(axis=-1, keepdims=True)


def eigenvector_weights(a: np.ndarray, tol: float = 1e-14, max_iter: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Principal right eigenvector (normalised to sum 1) and its eigenvalue λmax.

    Batched power iteration over (..., n, n), started from the row geometric means: each step is
    one matrix-vector product per matrix, until no weight moves by more than ``tol``. The few very
    inconsistent matrices that converge slowly (|λ₂/λ₁| near 1) are finished by
    ``numpy.linalg.eig`` after ``max_iter`` steps instead of holding up the whole batch.
    """
    a = np.asarray(a, dtype=float)
    n = _check_shape(a)
    batch = a.shape[:-2]
    flat = a.reshape(-1, n, n)
    w, lam = _perron(flat, geometric_weights(flat), tol, max_iter)
    return w.reshape(*batch, n), lam.reshape(batch)


def _perron(flat: np.ndarray, w: np.ndarray, tol: float, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """Principal eigenvector (sum 1) and eigenvalue of each non-negative primitive (S, n, n) matrix: power
    iteration from the positive start ``w`` (S, n), the slow ones finished by ``numpy.linalg.eig``."""
    for _step in range(max_iter):
        aw = np.matmul(flat, w[:, :, None])[:, :, 0]
        w_new = aw / aw.sum(axis=1, keepdims=True)
        moving = np.abs(w_new - w).max(axis=1) > tol
        w = w_new
        if not moving.any():
            break
    else:
        slow = np.flatnonzero(moving)
        vals, vecs = np.linalg.eig(flat[slow])
        k = np.argmax(vals.real, axis=1)
        v = np.abs(vecs[np.arange(len(slow)), :, k].real)  # Perron vector: one sign, real
        w[slow] = v / v.sum(axis=1, keepdims=True)
    lam = np.matmul(flat, w[:, :, None])[:, :, 0].sum(axis=1)
    return w, lam


def geometric_consistency_index(a: np.ndarray) -> np.ndarray:
    """GCI (Aguarón & Moreno-Jiménez 2003) of (..., n, n) pairwise matrices; shape (...).

    GCI = 2/((n − 1)(n − 2)) Σ_{i<j} ln²(a_ij·w_j/w_i), w the row geometric means (the GCI belongs to
    that prioritisation method). 0 for a consistent matrix, and for n ≤ 2 (always consistent; the
    formula's denominator vanishes).
    """
    a = np.asarray(a, dtype=float)
    n = _check_shape(a)
    if n <= 2:
        return np.zeros(a.shape[:-2])
    lw = np.log(geometric_weights(a))
    err = np.log(a) + lw[..., None, :] - lw[..., :, None]  # ln(a_ij · w_j / w_i)
    iu = np.triu_indices(n, k=1)
    return 2.0 * (err[..., iu[0], iu[1]] ** 2).sum(axis=-1) / ((n - 1) * (n - 2))


def gci_threshold(n: int) -> float | None:
    """Aguarón & Moreno-Jiménez (2003): GCI ≤ 0.31 (n = 3), 0.35 (n = 4), 0.37 (n > 4); None for n ≤ 2."""
    if n <= 2:
        return None
    return GCI_THRESHOLDS.get(n, GCI_THRESHOLD_LARGE)


def random_index(n: int) -> float:
    if n not in RANDOM_INDEX:
        raise InputError(_("no random index for n = {n} (the table covers n ≤ {max})").format(n=n, max=MAX_N))
    return RANDOM_INDEX[n]


def consistency(lambda_max: np.ndarray | float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CI and CR for λmax of n×n matrices (CR = 0 for n ≤ 2)."""
    lam = np.asarray(lambda_max, dtype=float)
    if n <= 2:
        zero = np.zeros_like(lam)
        return zero, zero
    ci = (lam - n) / (n - 1)
    ci = np.where(np.abs(ci) < 1e-12, 0.0, ci)
    return ci, ci / random_index(n)


def weights(a: np.ndarray, method: str = "eigenvector") -> tuple[np.ndarray, np.ndarray]:
    """Weights of (..., n, n) pairwise matrices by ``method``, and their λmax.

    λmax is the principal eigenvalue of each matrix whatever the method (for ``geometric`` it is not
    estimated from the geometric weights), so that CI and CR from it are Saaty's for the matrix.
    """
    a = np.asarray(a, dtype=float)
    if method == "eigenvector":
        return eigenvector_weights(a)
    if method == "geometric":
        _w, lam = eigenvector_weights(a)
        return geometric_weights(a), lam
    raise InputError(_("unknown AHP method {method!r}; use eigenvector or geometric").format(method=method))


def aggregate_judgments(matrices: np.ndarray, expert_weights: np.ndarray | None = None) -> np.ndarray:
    """AIJ: the element-wise weighted geometric mean of the experts' matrices (E, n, n) → (n, n)."""
    m = np.asarray(matrices, dtype=float)
    e = unit_sum(np.ones(m.shape[0]) if expert_weights is None else expert_weights)
    return np.exp(np.einsum("e,eij->ij", e, np.log(m)))


def aggregate_priorities(priorities: np.ndarray, expert_weights: np.ndarray | None = None) -> np.ndarray:
    """AIP: the weighted arithmetic mean of the experts' priority vectors (E, n) → (n,)."""
    p = np.asarray(priorities, dtype=float)
    e = unit_sum(np.ones(p.shape[0]) if expert_weights is None else expert_weights)
    return unit_sum(e @ p)


@dataclass(frozen=True)
class Judgment:
    """A judgment worth revisiting: its place, the value given and the value consistent with the weights."""

    row: str
    column: str
    given: float
    consistent: float
    nearest_saaty: float
    error: float  # |ln(a_ij · w_j / w_i)|
    cr_if_changed: float  # CR of the matrix with this one judgment set to nearest_saaty


def diagnose(a: np.ndarray, w: np.ndarray, names: list[str], top: int = 3) -> list[Judgment]:
    """The ``top`` upper-triangle judgments contributing most to inconsistency (largest |ln ε_ij|)."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    iu = np.triu_indices(n, k=1)
    ratio = np.outer(w, 1 / w)  # w_i / w_j
    err = np.abs(np.log(a * ratio.T))[iu]
    order = np.argsort(-err, kind="stable")[:top]
    out = []
    for k in order:
        i, j = iu[0][k], iu[1][k]
        if err[k] < 1e-9:
            break
        ideal = w[i] / w[j]
        nearest = SAATY_SCALE[np.argmin(np.abs(np.log(SAATY_SCALE) - np.log(ideal)))]
        changed = a.copy()
        changed[i, j], changed[j, i] = nearest, 1.0 / nearest
        _w, lam = eigenvector_weights(changed)
        cr_after = float(consistency(lam, n)[1])
        out.append(Judgment(names[i], names[j], float(a[i, j]), float(ideal), float(nearest), float(err[k]),
                            cr_after))
    return out


def complete_reciprocal(upper: np.ndarray) -> np.ndarray:
    """A reciprocal matrix from the upper triangle of ``upper`` (lower set to 1/upper, diagonal 1)."""
    a = np.array(upper, dtype=float)
    n = a.shape[-1]
    il = np.tril_indices(n, k=-1)
    a[(..., *il)] = 1.0 / np.swapaxes(a, -1, -2)[(..., *il)]
    idx = np.arange(n)
    a[..., idx, idx] = 1.0
    return a


@dataclass
class AHPResult:
    """Weights of one pairwise matrix (or a panel's aggregate) with its consistency.

    ``lambda_max`` is the principal eigenvalue of ``matrix`` (for either method), ``ci``/``cr`` Saaty's
    CI/CR from it and ``consistent`` means CR ≤ 0.10. With ``method == "geometric"`` also ``gci``, the
    geometric consistency index of ``matrix``, and ``gci_threshold``, its own threshold (None for
    n ≤ 2); both None with the eigenvector method. For a panel, ``matrix`` is the AIJ matrix and the
    consistency figures are its own, also when the weights are aggregated priorities (AIP).
    """

    names: list[str]
    matrix: np.ndarray
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    method: str
    diagnostics: list[Judgment] = field(default_factory=list)
    experts: list[ExpertResult] = field(default_factory=list)
    aggregation: str | None = None
    gci: float | None = None
    gci_threshold: float | None = None

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def consistent(self) -> bool:
        return bool(self.cr <= CR_THRESHOLD)

    @property
    def gci_consistent(self) -> bool | None:
        """GCI within its threshold (None without a GCI; True for n ≤ 2)."""
        if self.gci is None:
            return None
        return self.gci_threshold is None or bool(self.gci <= self.gci_threshold)

    def weight_map(self) -> dict[str, float]:
        return {k: float(v) for k, v in zip(self.names, self.weights)}

    def to_dict(self) -> dict:
        out = {
            "method": self.method,
            "weights": self.weight_map(),
            "lambda_max": float(self.lambda_max),
            "ci": float(self.ci),
            "cr": float(self.cr),
            "consistent": self.consistent,
        }
        if self.gci is not None:
            out["gci"] = float(self.gci)
            out["gci_threshold"] = self.gci_threshold
        out["random_index"] = RI_TABLE_NAME
        out["revisit"] = [
            {"row": d.row, "column": d.column, "given": d.given, "consistent_value": d.consistent,
             "nearest_saaty": d.nearest_saaty, "cr_if_changed": d.cr_if_changed} for d in self.diagnostics
        ]
        if self.experts:
            out["aggregation"] = self.aggregation
            out["experts"] = [e.to_dict() for e in self.experts]
        return out


@dataclass
class ExpertResult:
    name: str
    weight: float
    result: AHPResult

    def to_dict(self) -> dict:
        out = {"file": self.name, "expert_weight": self.weight, "weights": self.result.weight_map(),
               "cr": float(self.result.cr), "consistent": self.result.consistent}
        if self.result.gci is not None:
            out["gci"] = float(self.result.gci)
        return out


def check_pairwise(a: np.ndarray, names: list[str] | None = None, tol: float = RECIPROCITY_TOLERANCE) -> int:
    """Reject a matrix that is not square, positive, finite, with unit diagonal and reciprocal."""
    n = _check_shape(a)
    if a.ndim != 2:
        raise InputError(_("expected one (n, n) matrix, got shape {shape}").format(shape=a.shape))
    names = names or [str(i + 1) for i in range(n)]
    if len(names) != n:
        raise InputError(_("{count} names for a {n}×{n} matrix").format(count=len(names), n=n))
    bad = np.argwhere(~np.isfinite(a) | (a <= 0))
    if bad.size:
        i, j = bad[0]
        raise InputError(_("judgment [{row}, {column}] = {value} must be a positive finite number").format(
            row=names[i], column=names[j], value=f"{a[i, j]:g}"))
    off = np.argwhere(np.abs(np.diag(a) - 1) > 1e-9)
    if off.size:
        i = off[0][0]
        raise InputError(_("diagonal [{name}, {name}] must be 1, got {value}").format(name=names[i], value=f"{a[i, i]:g}"))
    err = np.abs(a * a.T - 1)
    if (err > tol).any():
        i, j = np.argwhere(err > tol)[0]
        raise InputError(_("not reciprocal: [{a}, {b}] = {ab} but [{b}, {a}] = {ba}").format(
            a=names[i], b=names[j], ab=f"{a[i, j]:g}", ba=f"{a[j, i]:g}"))
    return n


def analyse(matrix: np.ndarray, names: list[str], method: str = "eigenvector", top: int = 3) -> AHPResult:
    """Weights, λmax, CI, CR and diagnostics of one (n, n) reciprocal matrix (checked first).

    λmax is the matrix's principal eigenvalue for either method; with ``geometric`` the result also
    carries the GCI and its threshold.
    """
    a = np.asarray(matrix, dtype=float)
    n = check_pairwise(a, names)
    w, lam = weights(a, method)
    ci, cr = consistency(lam, n)
    diag = diagnose(a, w, names, top) if float(cr) > CR_THRESHOLD else []
    gci = float(geometric_consistency_index(a)) if method == "geometric" else None
    return AHPResult(list(names), a, w, float(lam), float(ci), float(cr), method, diag,
                     gci=gci, gci_threshold=gci_threshold(n) if gci is not None else None)


def analyse_panel(matrices: list[np.ndarray], names: list[str], experts: list[str],
                  expert_weights: list[float] | None = None, method: str = "eigenvector",
                  aggregation: str = "aij") -> AHPResult:
    """A panel: each expert's result (own weights, λmax, CI, CR, GCI), and the group's.

    The group's ``matrix`` is always the AIJ matrix, the experts' judgments aggregated by the weighted
    geometric mean, and the group's λmax, CI, CR (GCI with ``geometric``) and judgments to revisit are
    those of that matrix analysed by ``method``, under either aggregation. With ``aij`` the group's
    weights are that matrix's weights; with ``aip`` they are the weighted mean of the experts' priority
    vectors, while the consistency stays the AIJ matrix's: there is no matrix whose eigenvector the AIP
    weights are, and Σ(A·w) with w not the eigenvector of A is not an eigenvalue (it can fall below n,
    giving a negative CR, or flag two perfectly consistent experts as inconsistent). The AIJ matrix of
    consistent experts is consistent (CR = 0), and λmax ≥ n so CR ≥ 0.
    """
    stack = np.stack([np.asarray(m, dtype=float) for m in matrices])
    ew = np.ones(len(matrices)) if expert_weights is None else np.asarray(expert_weights, dtype=float)
    if ew.shape != (len(matrices),):
        raise InputError(_("{count} expert weights given for {n} experts").format(count=len(ew), n=len(matrices)),
                         param="expert_weights")
    for k, x in enumerate(ew):
        if not np.isfinite(x):
            raise InputError(_("expert weight {k} is not a finite number").format(k=k + 1), param="expert_weights")
        if x < 0:
            raise InputError(_("expert weight {k} is negative ({value}); expert weights must be ≥ 0").format(
                k=k + 1, value=f"{x:g}"), param="expert_weights")
    if not (ew > 0).any():
        raise InputError(_("expert weights are all zero"), param="expert_weights")
    individual = [analyse(m, names, method) for m in stack]
    if aggregation not in ("aij", "aip"):
        raise InputError(_("unknown panel aggregation {aggregation!r}; use aij or aip").format(aggregation=aggregation))
    group = analyse(aggregate_judgments(stack, ew), names, method)
    if aggregation == "aip":
        # the weights are the averaged priorities; λmax, CI, CR, GCI and diagnostics stay the AIJ matrix's
        group.weights = aggregate_priorities(np.stack([r.weights for r in individual]), ew)
    group.aggregation = aggregation
    shares = unit_sum(ew)
    group.experts = [ExpertResult(e, float(x), r) for e, x, r in zip(experts, shares, individual)]
    return group


def align_panel(matrices: list[np.ndarray], names_per_matrix: list[list[str]],
                sources: list[str] | None = None) -> tuple[list[np.ndarray], list[str]]:
    """A panel's matrices with every expert's rows and columns in the first expert's order of the criteria.

    ``names_per_matrix[k]`` names the rows (and columns) of ``matrices[k]``; returns the matrices reordered
    and the first expert's names, ready for :func:`analyse_panel`. An expert who names other criteria is an
    :class:`InputError`: about ``names_per_matrix``, or, with ``sources`` (the experts' files), naming the
    file and its first row, where the names are.
    """
    if len(names_per_matrix) != len(matrices):
        raise InputError(_("{count} lists of names for {n} matrices").format(count=len(names_per_matrix),
                                                                              n=len(matrices)),
                         param="names_per_matrix")
    if not matrices:
        raise InputError(_("a panel needs at least one matrix"), param="matrices")
    names = names_per_matrix[0]
    aligned = [matrices[0]]
    for k in range(1, len(matrices)):
        own = names_per_matrix[k]
        if sorted(own) != sorted(names):
            if sources is None:
                raise InputError(_("criteria {own} of matrix {k} differ from {names} of matrix 1").format(
                    own=own, k=k + 1, names=names), param="names_per_matrix")
            raise InputError(_("criteria {own} differ from {names} in {file}").format(own=own, names=names,
                                                                                    file=sources[0]),
                             source=sources[k], where=_("row {row}").format(row=1))
        order = [list(own).index(n) for n in names]
        aligned.append(np.asarray(matrices[k])[np.ix_(order, order)])
    return aligned, list(names)


@dataclass
class NodeWeights:
    """Local weights of one group of the criteria tree and how they were obtained."""

    group: str
    label: str
    children: list[str]
    local: np.ndarray
    how: str  # "pairwise", "direct" or "equal"
    ahp: AHPResult | None = None


def synthesize(root) -> tuple[dict[str, float], list[NodeWeights]]:
    """Hierarchy synthesis over a criteria tree (``appraisal.criteria.Group``).

    Each group's local weights come from its pairwise judgments (one expert, or a panel
    aggregated by AIJ/AIP), its direct weights (normalised), or are equal; a leaf's global
    weight is the product of the local weights on its path. Returns the global weights by
    leaf id (summing to 1) and each group's local weights.
    """
    nodes: list[NodeWeights] = []
    global_w: dict[str, float] = {}

    def visit(group, factor: float) -> None:
        kids = group.children
        ids = [k.id for k in kids]
        label = group.label.get(i18n.current()) or group.label.get("pl")
        if group.pairwise:
            mats = [complete_reciprocal(np.array(j.numeric())) for j in group.pairwise]
            experts = [j.expert or _("expert {n}").format(n=i + 1) for i, j in enumerate(group.pairwise)]
            if len(mats) == 1:
                res = analyse(mats[0], ids, group.method)
            else:
                res = analyse_panel(mats, ids, experts, [j.weight for j in group.pairwise],
                                    group.method, group.aggregation)
            node = NodeWeights(group.id, label, ids, res.weights, "pairwise", res)
        elif group.weights is not None:
            w = np.array([float(group.weights[i]) for i in ids])
            node = NodeWeights(group.id, label, ids, unit_sum(w), "direct")
        else:
            node = NodeWeights(group.id, label, ids, np.full(len(ids), 1.0 / len(ids)), "equal")
        nodes.append(node)
        for kid, lw in zip(kids, node.local):
            if hasattr(kid, "groups"):  # a sub-group, not a leaf criterion
                visit(kid, factor * float(lw))
            else:
                global_w[kid.id] = factor * float(lw)

    visit(root, 1.0)
    return global_w, nodes


# --- Incomplete judgments: Harker's method -------------------------------------------------------------
#
# Harker, P. T. (1987). Alternative modes of questioning in the analytic hierarchy process. Mathematical
# Modelling 9(3–5), 353–360; and Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic
# hierarchy process. Mathematical Modelling 9(11), 837–848.
#
# A participant may skip pairs: the matrix then has NaN where a_ij (and a_ji) is missing. Harker replaces
# each missing entry by 0 and adds the number of missing entries of a row to its diagonal, C = (c_ij) with
# c_ij = a_ij (answered), 0 (missing), c_ii = 1 + m_i. The weights are C's principal right eigenvector.
# Filling a missing a_ij with w_i/w_j gives a positive reciprocal matrix Â with Â·w = C·w = λ·w
# (each missing a_ij·w_j = w_i is exactly what the extra diagonal m_i·w_i puts back), so w and λ are Â's
# Perron vector and root: Saaty's CI and CR of Â are the participant's. The weights are determined only
# when the answered pairs connect all n items (Bozóki, Fülöp & Rónyai 2010, "On optimal completion of
# incomplete pairwise comparison matrices", Mathematical and Computer Modelling 52, 318–333): otherwise
# C is reducible and its principal eigenvalue n is not simple.


def missing_pairs(partial: np.ndarray) -> np.ndarray:
    """Boolean mask (..., n, n) of the missing judgments: NaN entries off the diagonal."""
    a = np.asarray(partial, dtype=float)
    n = _check_shape(a)
    return np.isnan(a) & ~np.eye(n, dtype=bool)


def _reachable(answered: np.ndarray) -> np.ndarray:
    """(..., n, n) bool: j reachable from i over answered pairs (the transitive closure, by squaring)."""
    n = answered.shape[-1]
    r = answered | np.eye(n, dtype=bool)
    steps = 1
    while steps < n - 1:  # after k squarings, paths of length up to 2^k are covered
        r = np.matmul(r.astype(np.int64), r.astype(np.int64)) > 0
        steps *= 2
    return r


def comparisons_connected(partial: np.ndarray) -> bool:
    """True when the answered pairs of one (n, n) matrix (NaN = missing) connect all n items."""
    a = np.asarray(partial, dtype=float)
    n = _check_shape(a)
    if a.ndim != 2:
        raise InputError(_("expected one (n, n) matrix, got shape {shape}").format(shape=a.shape))
    missing = missing_pairs(a)
    answered = ~(missing | missing.T)  # a pair counts when both of its judgments are given
    return bool(_reachable(answered)[0].all()) if n else True


def _check_partial(a: np.ndarray) -> tuple[int, np.ndarray]:
    """Validate a (..., n, n) matrix with NaN for missing judgments; return n and the missing mask."""
    n = _check_shape(a)
    missing = missing_pairs(a)
    flat = a.reshape(-1, n, n)
    where = (lambda k: _("matrix {k}: ").format(k=k + 1)) if a.ndim > 2 else (lambda k: "")
    diag = flat[:, np.arange(n), np.arange(n)]
    off = np.argwhere(~(np.abs(diag - 1) <= 1e-9))  # NaN on the diagonal fails too
    if off.size:
        k, i = off[0]
        raise InputError(where(k) + _("diagonal [{i}, {i}] must be 1, got {value}").format(
            i=i + 1, value=f"{diag[k, i]:g}"))
    miss = missing.reshape(-1, n, n)
    lopsided = np.argwhere(miss & ~np.swapaxes(miss, -1, -2))
    if lopsided.size:
        k, i, j = lopsided[0]
        raise InputError(where(k) + _("judgment [{i}, {j}] is missing but [{j}, {i}] = {value}; "
                                      "a skipped pair has both missing").format(
            i=i + 1, j=j + 1, value=f"{flat[k, j, i]:g}"))
    bad = np.argwhere(~miss & ~((flat > 0) & np.isfinite(flat)))
    if bad.size:
        k, i, j = bad[0]
        raise InputError(where(k) + _("judgment [{i}, {j}] = {value} must be a positive finite number").format(
            i=i + 1, j=j + 1, value=f"{flat[k, i, j]:g}"))
    reach = _reachable(~miss)[:, 0, :]  # the items connected to item 1
    apart = np.flatnonzero(~reach.all(axis=1))
    if apart.size:
        k = apart[0]
        apart_items = ", ".join(str(int(j) + 1) for j in np.flatnonzero(~reach[k]))
        linked = ", ".join(str(int(j) + 1) for j in np.flatnonzero(reach[k]))
        raise InputError(where(k) + _("the answered pairs do not connect all {n} items; compare at least one of "
                                      "items {apart} with one of items {linked} (connecting {n} items takes at "
                                      "least {need} answered pairs)").format(
            n=n, apart=apart_items, linked=linked, need=n - 1))
    return n, missing


def harker_weights(partial: np.ndarray, tol: float = 1e-14, max_iter: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Harker's (1987) weights of (..., n, n) pairwise matrices with NaN for missing judgments, and λmax.

    C has c_ij = a_ij where given, 0 where missing and c_ii = 1 + m_i (m_i missing in row i); the
    weights are C's principal right eigenvector (sum 1) and λmax its eigenvalue, which is also the
    principal eigenvalue of the completed matrix (:func:`complete_harker`). Matrices with nothing
    missing go to :func:`eigenvector_weights` (identical results). The others: batched power iteration
    started from the geometric means of each row's given judgments (the row geometric means of C
    would be 0), finished by ``numpy.linalg.eig`` after ``max_iter`` steps when slow (sparse answers
    converge slowly). C is non-negative, irreducible when the answered pairs connect the items and has
    a positive diagonal, so it is primitive and the iteration converges. Raises :class:`InputError`
    when a diagonal entry is not 1, a_ij is missing but a_ji is not, a given judgment is not a positive
    finite number, or the answered pairs do not connect all items.
    """
    a = np.asarray(partial, dtype=float)
    n, missing = _check_partial(a)
    batch = a.shape[:-2]
    flat = a.reshape(-1, n, n)
    miss = missing.reshape(-1, n, n)
    w = np.empty((flat.shape[0], n))
    lam = np.empty(flat.shape[0])
    full = ~miss.any(axis=(1, 2))
    if full.any():
        w[full], lam[full] = eigenvector_weights(flat[full], tol, max_iter)
    part = np.flatnonzero(~full)
    if part.size:
        m = miss[part]
        c = np.where(m, 0.0, flat[part])
        idx = np.arange(n)
        c[:, idx, idx] = 1.0 + m.sum(axis=2)
        logs = np.where(m, 0.0, np.log(np.where(m, 1.0, flat[part])))
        g = np.exp(logs.sum(axis=2) / (n - m.sum(axis=2)))  # geometric mean of the given judgments
        w[part], lam[part] = _perron(c, g / g.sum(axis=1, keepdims=True), tol, max_iter)
    return w.reshape(*batch, n), lam.reshape(batch)


def complete_harker(partial: np.ndarray) -> np.ndarray:
    """The completed reciprocal matrix (..., n, n): each missing a_ij set to w_i/w_j, Harker's weights.

    Its principal eigenvector is :func:`harker_weights`'s w and its principal eigenvalue Harker's λmax,
    so ``consistency(lambda_max, n)`` is Saaty's CI and CR of this matrix. Given judgments are kept.
    """
    a = np.asarray(partial, dtype=float)
    w, _lam = harker_weights(a)
    missing = missing_pairs(a)
    ratio = w[..., :, None] / w[..., None, :]
    return np.where(missing, ratio, a)
