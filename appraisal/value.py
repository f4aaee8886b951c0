"""Reference-anchored values and absolute attainment (docs/design.md#reference-levels).

Each criterion of a criteria set owns a *value function* (:meth:`Criterion.value_points`): a scale
by its own range (v = (level − worst)/(best − worst), or the levels' explicit attainment), a
quantity by its reference levels (neutral → 0, good → 1, piecewise linear through optional
breakpoints, clipped). The function looks at the project's own value only, so a project's values
— and everything computed from them — never change when another project is added or removed.

- :class:`ValueFunctions` maps a decision matrix (..., m, n) to values v in [0, 1] of the same shape
  (1 = best, cost criteria already reversed), one ``numpy.interp`` per criterion (a loop over the n
  columns, never over projects or samples);
- :func:`attainment`: Σ_j w_j · v_ij for weights (n,) or (S, n), i.e. the weighted sum on the
  criteria set's own yardstick (0 … 1, shown as 0–100 %);
- ``values.domain``: each criterion's (worst, best) raw values — the ends of the yardstick, where
  R-TOPSIS (``--normalization reference``, :mod:`appraisal.topsis`) fixes its anti-ideal and ideal.

Example: population served with neutral 0, good 20 000 and a breakpoint (5 000, 0.5) gives
2 500 → 0.25, 5 000 → 0.5, 12 500 → 0.75, 30 000 → 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .normalization import row_dot


@dataclass(frozen=True)
class ValueFunctions:
    """The value functions of n criteria, in column order: points (xs ascending, ys in [0, 1])."""

    ids: tuple[str, ...]
    xs: tuple[np.ndarray, ...]
    ys: tuple[np.ndarray, ...]

    @property
    def n(self) -> int:
        return len(self.xs)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Values v (..., m, n) of a decision matrix x (..., m, n): 0 worst … 1 best."""
        x = np.asarray(x, dtype=float)
        if x.shape[-1] != self.n:
            raise ValueError(f"matrix has {x.shape[-1]} columns, the value functions {self.n}")
        v = np.empty(x.shape)
        for j in range(self.n):  # one vectorised interpolation per criterion
            v[..., j] = np.interp(x[..., j], self.xs[j], self.ys[j])
        return v

    @property
    def domain(self) -> list[tuple[float, float]]:
        """Each criterion's (worst, best) raw value: where its value is 0 and where it reaches 1."""
        out = []
        for xs, ys in zip(self.xs, self.ys):
            out.append((float(xs[int(np.argmin(ys))]), float(xs[int(np.argmax(ys))])))
        return out

    def key(self) -> tuple:
        """A hashable description (batches group packages scored with the same functions)."""
        return tuple((tuple(a), tuple(b)) for a, b in zip(self.xs, self.ys))


def value_functions(criteria) -> ValueFunctions:
    """The value functions of these criteria (``Criterion`` objects, in column order)."""
    xs, ys = [], []
    for c in criteria:
        px, py = c.value_points()
        xs.append(np.asarray(px, dtype=float))
        ys.append(np.asarray(py, dtype=float))
    return ValueFunctions(tuple(c.id for c in criteria), tuple(xs), tuple(ys))


def attainment(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Absolute attainment Σ_j w_j v_ij of values v (..., m, n) with weights (n,) or (S, n) summing
    to 1: shape (..., m), 0 … 1."""
    return row_dot(np.asarray(v, dtype=float), w)
