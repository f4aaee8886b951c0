"""Scores and ranks of a plain decision matrix, numpy only (no pydantic): the kernel-level part of
:mod:`appraisal.ranking`, which re-exports every name here.

- :func:`ranks`: by score descending; scores within :data:`TIE_TOLERANCE` share the smallest rank
  (1, 2, 2, 4). Vectorised over leading dimensions (..., m).
- :func:`checked_matrix`: a decision matrix with its weights and directions checked (as
  :func:`~appraisal.ranking.rank_matrix` checks them) and scored by a method and its cross-checks.

A caller that needs the scores and not the :class:`~appraisal.ranking.Ranking` (the sensitivity
analysis of a CSV matrix) imports this module alone, so it never loads pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import methods as registry
from .criteria.errors import InputError
from .criteria.i18n import _
from .methods import check_normalization
from .normalization import unit_sum

if TYPE_CHECKING:
    from .value import ValueFunctions

TIE_TOLERANCE = 1e-12


def ranks(scores: np.ndarray, tol: float = TIE_TOLERANCE, higher_is_better: bool = True) -> np.ndarray:
    """Competition ranks (1 = best) of scores of shape (..., m): 1 + how many score better by > tol
    (higher, or lower when ``higher_is_better`` is False)."""
    s = np.asarray(scores, dtype=float)
    if not higher_is_better:
        s = -s
    higher = s[..., None, :] > s[..., :, None] + tol
    return 1 + higher.sum(axis=-1)


def check_defined(scores: np.ndarray) -> np.ndarray:
    if np.isnan(scores).any():
        raise InputError(_("the ranking is undefined: every weighted criterion has the same value for all "
                           "alternatives (or every criterion that differs has weight 0)"))
    return scores


# --- inputs shared by every entry point -------------------------------------------------------------

def normalise_weights(weights: Any, n: int, param: str = "weights") -> np.ndarray:
    """Weights as a float array of length n summing to 1; a clear error when they cannot be."""
    try:
        w = np.asarray(weights, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(_("weights must be numbers"), param=param) from None
    if w.size != n:
        raise InputError(_("{count} weights given for {n} criteria").format(count=w.size, n=n), param=param)
    if not np.all(np.isfinite(w)):
        raise InputError(_("weights must be finite numbers"), param=param)
    if np.any(w < 0):
        bad = int(np.argmax(w < 0)) + 1
        raise InputError(_("weight {k} is negative ({value}); weights must be ≥ 0").format(k=bad, value=f"{w[bad - 1]:g}"),
                         param=param)
    if not (w > 0).any():
        raise InputError(_("weights are all zero"), param=param)
    return unit_sum(w)


def direction_signs(directions: Any, n: int, param: str = "directions") -> np.ndarray:
    """+1/−1 per criterion from '+'/'-' (or 'benefit'/'cost', or ±1)."""
    table = {"+": 1, "-": -1, "benefit": 1, "cost": -1, "max": 1, "min": -1, "1": 1, "-1": -1}
    out = []
    for i, d in enumerate(list(directions)):
        key = str(d).strip().lower()
        if isinstance(d, (int, float)) and not isinstance(d, bool) and d in (1, -1):
            key = str(int(d))
        if key not in table:
            raise InputError(_("direction {k} is {value!r}; use + (benefit) or - (cost)").format(k=i + 1, value=str(d)),
                             param=param)
        out.append(table[key])
    if len(out) != n:
        raise InputError(_("{count} directions given for {n} criteria").format(count=len(out), n=n), param=param)
    return np.array(out, dtype=float)


def check_matrix(x: Any, ids: list[str], criteria: list[str]) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.shape != (len(ids), len(criteria)):
        raise InputError(_("matrix has shape {shape}, expected {rows} × {columns}").format(
            shape=x.shape, rows=len(ids), columns=len(criteria)))
    if len(ids) < 2:
        raise InputError(_("at least two alternatives are needed to rank, got {n}").format(n=len(ids)))
    if not criteria:
        raise InputError(_("no criteria to rank on"))
    seen = set()
    for i in ids:
        if i in seen:
            raise InputError(_("duplicate id {id!r}").format(id=i))
        seen.add(i)
    bad = np.argwhere(~np.isfinite(x))
    if bad.size:
        r, c = bad[0]
        raise InputError(_("value for {id!r}, criterion {criterion!r} is not a finite number").format(
            id=ids[r], criterion=criteria[c]))
    return x


def score(x: np.ndarray, w: np.ndarray, directions: np.ndarray, method: str = "topsis",
          normalization: str = "vector", reference: ValueFunctions | None = None) -> np.ndarray:
    """Scores by a weighted ``method`` of the registry for any broadcastable (…, m, n) × (…, n), as the
    method gives them (see ``higher_is_better``); ``reference``: the value functions that
    ``normalization="reference"`` (R-TOPSIS) reads."""
    return registry.get(method).scores(x, w, directions, normalization, reference)


def method_scores(method: str, x: np.ndarray, w: np.ndarray, directions: np.ndarray, normalization: str = "vector",
                  reference: ValueFunctions | None = None) -> dict[str, np.ndarray]:
    """The scores a ranking by ``method`` needs: its own (when it scores from weights) and those of its
    cross-checks, by method name; stacked inputs give stacked scores."""
    entry = registry.get(method)
    out = {}
    for name in (entry.name, *entry.cross_checks):
        m = registry.get(name)
        if m.run is not None:
            out[name] = m.run(x, w, directions, normalization, reference)
    return out


def checked_matrix(ids: list[str], criteria: list[str], x: Any, weights: Any, directions: Any,
                   method: str = "topsis", normalization: str = "vector",
                   source: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """A plain decision matrix checked in this order: the method (one that scores from weights), the
    normalization (a plain matrix has no reference levels), the matrix, the weights (normalised to sum 1),
    the directions (+1/−1), and the method's scores, which must be defined (an error then names
    ``source``). Returns ``(x, w, d, scores)``, the scores by method name: the method's own and its
    cross-checks' (:func:`method_scores`)."""
    entry = registry.get(method)
    if entry.card:
        raise InputError(_("method {method!r} needs a package with a criteria set, not a plain matrix; for a plain "
                           "matrix use {methods}").format(method=method, methods=", ".join(registry.weighted_names())),
                         param="method")
    check_normalization(normalization, has_reference=False)
    x = check_matrix(x, ids, criteria)
    w = normalise_weights(weights, len(criteria))
    d = direction_signs(directions, len(criteria))
    try:
        scores = method_scores(method, x, w, d, normalization)
        check_defined(scores[method])
    except InputError as exc:
        raise exc.located(source) from None
    return x, w, d, scores


__all__ = ["TIE_TOLERANCE", "check_defined", "check_matrix", "checked_matrix", "direction_signs", "method_scores",
           "normalise_weights", "ranks", "score"]
