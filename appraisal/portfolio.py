"""Portfolio under a budget: the set of eligible projects with the largest total score that fits.

An exact 0/1 programme solved with :func:`scipy.optimize.milp` (HiGHS). Definitions (the tests
check each against brute force over all subsets):

- **Money** (:func:`to_grosze`, :func:`from_grosze`): every amount — project costs, funding
  amounts, the budget, source limits — is converted once to a whole number of grosze (1/100 PLN,
  a Python ``int``) and every comparison of money is between exact integer sums. The conversion
  takes the decimal the amount is written as (``Decimal(repr(x))`` for a float, which is the typed
  decimal for any amount of up to 15 significant digits, so every amount to the grosz below
  10 000 000 000 000 PLN) and rounds it to the grosz, half a grosz and more up (``ROUND_HALF_UP``):
  2.675 is 268 grosze, 0.004 is 0. So a set whose cost equals the budget to the grosz fits:
  2 696 372,75 + 1 218 360,57 is exactly a budget of 3 914 733,32. Amounts are reported as
  ``grosze / 100`` (the float whose shortest form is that amount to the grosz).
- **Eligible for funding**: ranked in the :class:`~appraisal.ranking.Ranking` (passed every gate)
  and, when the ranking's method is ``points``, passing the selection card. Every other project is
  listed as ineligible with the reason.
- **Feasible set**: its total cost ≤ the budget; for every source limit, its spending from that
  source ≤ the limit (all in grosze); it holds every ``must`` project and no ``exclude`` project.
  The solver works on floats with tolerances: its answer is re-checked with the integer sums and,
  if it let in a set that does not fit exactly, that set is cut off and the programme solved again
  (:func:`_solve`).
- **Optimum**: the largest total score S* (the projects' scores in the ranking). Sets whose score
  is within ``score_tolerance(scores)`` = 1e-9 · max(1, max |score|) of S* tie with it; among them
  the one that spends the least wins (costs compared to the grosz); among those the one that holds
  the better-ranked project at the first project (in ranking order) where they differ. So the same
  input always gives the same choice.
- **Spending per source**: a limit named L applies to a project's funding entries whose source is
  L, or L followed by `` (`` and a sub-measure — ``"FEDS 2021-2027"`` covers
  ``"FEDS 2021-2027 (priorytet 2)"`` — compared without regard to case and runs of spaces. An entry
  with an amount spends that amount (in grosze); a project's only entry without an amount spends the
  whole cost; several entries of one project with a missing amount are an error, raised only when a
  limit needs that entry. A project without funding entries spends nothing from any limited source.
- **Next project**: the smallest budget B' > B at which a better total score (by strictly more than
  the tie tolerance) becomes possible under the same source limits, must and exclude lists: the
  cost, in grosze, of a set that scores better, so an amount to the grosz. The portfolio chosen at
  B' (same rules) says which projects enter and leave. None when no feasible set scores better.
- **Projects without a cost**: an error naming them when they are eligible and not excluded.
- **Infeasible constraints** (unknown ids, a must project that is ineligible or also excluded,
  must projects over the budget or a source limit): :class:`InputError` with one line.

The numeric part (:func:`select`, :func:`next_budget`) works on plain arrays of PLN (converted to
grosze as above) and knows nothing of packages or files; :func:`portfolio` builds the arrays from a
ranking and returns a :class:`Portfolio`.
"""

from __future__ import annotations

import math
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import methods, numfmt
from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import _, ngettext
from .provenance import ENGINE, input_hash

MAX_CUTS = 2_000
#: the solver sees every bound loosened by this fraction of the row's largest coefficient, ten times its
#: own tolerance (~1e-7): sets in that band are then refused by the exact check and cut off.
SOLVER_MARGIN = 1e-6


# --- money ---------------------------------------------------------------------------------------------

def to_grosze(amount: Any) -> int:
    """An amount of PLN as a whole number of grosze, rounded to the grosz, half a grosz up.

    A float is taken as the decimal it is written as (``Decimal(repr(x))``: 0.1 is 10 grosze, 2.675 is
    268), an int as PLN, a string as a plain decimal (``"3914733.32"``), a :class:`~decimal.Decimal`
    as is. Raises ValueError for a value that is not a finite amount (nan, inf, bool, other types)."""
    if isinstance(amount, bool):
        raise ValueError(f"not an amount of PLN: {amount!r}")
    try:
        if isinstance(amount, Decimal):
            d = amount
        elif isinstance(amount, (int, np.integer)):
            d = Decimal(int(amount))
        elif isinstance(amount, (float, np.floating)):
            d = Decimal(repr(float(amount)))
        elif isinstance(amount, str):
            d = Decimal(amount.strip())
        else:
            raise ValueError(f"not an amount of PLN: {amount!r}")
        if not d.is_finite():
            raise ValueError(f"not an amount of PLN: {amount!r}")
        return int((d * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        raise ValueError(f"not an amount of PLN: {amount!r}") from None


def from_grosze(grosze: int) -> float:
    """Grosze as PLN: the float nearest to ``grosze / 100`` (exact division, correctly rounded), whose
    shortest form is the amount to the grosz; :func:`to_grosze` gives ``grosze`` back."""
    return int(grosze) / 100


def _grosze_array(values: Any) -> np.ndarray:
    """PLN amounts as an array of Python ints (grosze), so that sums are exact at any size."""
    flat = np.asarray(values, dtype=object).ravel()
    return np.array([to_grosze(v) for v in flat], dtype=object)


def score_tolerance(scores: np.ndarray) -> float:
    """Total scores closer than this tie (1e-9 relative to the largest project score, at least 1e-9)."""
    s = np.asarray(scores, dtype=float)
    return 1e-9 * max(1.0, float(np.max(np.abs(s))) if s.size else 1.0)


# --- the exact 0/1 kernel ------------------------------------------------------------------------------

def _exact_sum(values: np.ndarray) -> int | float:
    """Integer grosze (object arrays) add up exactly as ints; scores (floats) with :func:`math.fsum`."""
    if values.dtype == object:
        return sum((int(v) for v in values), 0)
    return math.fsum(values)


@dataclass
class _Rows:
    """Constraints ``rows @ x <= upper``, checked exactly in Python and given to the solver scaled.

    A money row holds Python ints (grosze, an object array) with an int bound and is checked with
    integer sums; a score row holds floats and is checked with :func:`math.fsum`."""

    rows: list[np.ndarray]
    upper: list[int | float]

    def add(self, row: np.ndarray, upper: float) -> _Rows:  # upper: an int for a money row
        row = np.asarray(row)
        if row.dtype != object:
            row, upper = row.astype(float), float(upper)
        return _Rows([*self.rows, row], [*self.upper, upper])

    def holds(self, x: np.ndarray) -> bool:
        return all(_exact_sum(r[x]) <= u for r, u in zip(self.rows, self.upper))


@contextmanager
def _quiet_stdout():
    """HiGHS (scipy 1.17) sometimes prints a debug line from C++ straight to file descriptor 1, which
    would break ``--json`` output: point that descriptor at /dev/null while it runs."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _solve(objective: np.ndarray, rows: _Rows, lb: np.ndarray, ub: np.ndarray) -> np.ndarray | None:
    """A set (bool array) minimising ``objective`` over the sets that satisfy ``rows`` *exactly*, or None.

    HiGHS works on floats with tolerances (feasibility ~1e-7 relative, integrality 1e-6): it may let
    in a set a grosz over a bound, or refuse one exactly at it, and was seen to miss the optimum when
    a set's activity sat within that tolerance of a bound. So it is given every bound loosened by
    ``SOLVER_MARGIN`` times the row's largest coefficient (a superset of the feasible sets, so a set
    costing exactly the budget is never refused, and with no set near its bounds but by coincidence);
    each set it returns is re-checked with exact sums (integer grosze for money), and one that fails
    is cut off (Σ_{i∈S} x_i − Σ_{i∉S} x_i ≤ |S| − 1, integers, so exact) and the programme solved
    again. The first set that passes is optimal among the feasible sets. Rows are scaled to a largest
    coefficient of 1 and the objective to ~1e6 (HiGHS's absolute gap is 1e-6; the relative gap is
    set to 0).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = lb.size
    obj = np.asarray(objective, dtype=float)
    big = float(np.max(np.abs(obj))) if obj.size else 0.0
    c = obj / big * 1e6 if big > 0 else np.zeros(m)
    a_rows, b = [], []
    for r, u in zip(rows.rows, rows.upper):
        rf = np.asarray(r, dtype=float)
        s = float(np.max(np.abs(rf))) if rf.size else 0.0
        if s == 0.0:
            if u < 0:
                return None
            continue
        a_rows.append(rf / s)
        b.append(float(u) / s + SOLVER_MARGIN)
    cuts: list[np.ndarray] = []
    cut_b: list[float] = []
    for _cut in range(MAX_CUTS):
        a = np.array(a_rows + cuts).reshape(-1, m)
        ub_all = np.array(b + cut_b)
        cons = [LinearConstraint(a, -np.inf, ub_all)] if a.shape[0] else []
        with _quiet_stdout():
            res = milp(c, integrality=np.ones(m), bounds=Bounds(lb, ub), constraints=cons,
                       options={"mip_rel_gap": 0.0, "presolve": True})
        if res.status == 2:  # infeasible
            return None
        if res.x is None:
            raise RuntimeError(f"the 0/1 programme was not solved: {res.message}")
        x = np.round(res.x).astype(bool)
        if rows.holds(x) and np.all(x >= lb.astype(bool)) and not np.any(x & ~ub.astype(bool)):
            return x
        cuts.append(np.where(x, 1.0, -1.0))
        cut_b.append(float(x.sum()) - 1.0)
    raise RuntimeError(f"the 0/1 programme needed more than {MAX_CUTS} exact-feasibility cuts")


@dataclass
class Selection:
    chosen: np.ndarray  # bool, one per project
    total_score: float
    cost_grosze: int  # exact

    @property
    def total_cost(self) -> float:
        """The total cost in PLN (``cost_grosze / 100``)."""
        return from_grosze(self.cost_grosze)


def _selection(x: np.ndarray, scores: np.ndarray, cost_g: np.ndarray) -> Selection:
    return Selection(x, math.fsum(scores[x]), _exact_sum(cost_g[x]))


def _base_rows(cost_g: np.ndarray, budget_g: int | None, spend_g: list[np.ndarray], limits_g: list[int]) -> _Rows:
    rows = _Rows([], [])
    if budget_g is not None:
        rows = rows.add(cost_g, int(budget_g))
    for row, lim in zip(spend_g, limits_g):
        rows = rows.add(row, int(lim))
    return rows


def _bounds(m: int, must, exclude) -> tuple[np.ndarray, np.ndarray]:
    lb = np.zeros(m) if must is None else np.asarray(must, dtype=float)
    ub = np.ones(m) if exclude is None else 1.0 - np.asarray(exclude, dtype=float)
    return lb, ub


def _money_inputs(scores: Any, costs: Any, spend: Any, limits: Any) -> tuple[np.ndarray, np.ndarray,
                                                                              list[np.ndarray], list[int]]:
    """Scores as floats; costs, spending (k, m) and limits (k,) in PLN as grosze."""
    s = np.asarray(scores, dtype=float)
    m = s.size
    cost_g = _grosze_array(costs)
    if spend is None:
        return s, cost_g, [], []
    spend_g = _grosze_array(spend).reshape(-1, m)
    limits_g = [to_grosze(v) for v in np.asarray(limits, dtype=object).ravel()]
    if len(limits_g) != spend_g.shape[0]:
        raise ValueError(f"{spend_g.shape[0]} rows of spending but {len(limits_g)} limits")
    return s, cost_g, list(spend_g), limits_g


def select(scores: Any, costs: Any, budget: Any, spend: Any = None, limits: Any = None,
           must: Any = None, exclude: Any = None) -> Selection | None:
    """The optimal set (see the module docstring for the tie-break), projects in ranking order.

    ``costs``, ``budget``: PLN; ``spend``: (k, m) spending of each project from each of the k limited
    sources, ``limits``: (k,), PLN; all converted with :func:`to_grosze`. ``must``/``exclude``: bool
    masks. None when no set is feasible.
    """
    s, cost_g, spend_g, limits_g = _money_inputs(scores, costs, spend, limits)
    return _select(s, cost_g, None if budget is None else to_grosze(budget), spend_g, limits_g, must, exclude)


def _select(s: np.ndarray, cost_g: np.ndarray, budget_g: int | None, spend_g: list[np.ndarray],
            limits_g: list[int], must: Any, exclude: Any) -> Selection | None:
    m = s.size
    lb, ub = _bounds(m, must, exclude)
    rows = _base_rows(cost_g, budget_g, spend_g, limits_g)
    first = _solve(-s, rows, lb, ub)
    if first is None:
        return None
    best = math.fsum(s[first])
    tol = score_tolerance(s)
    # among the sets that tie on score, the cheapest
    tied = rows.add(-s, -(best - tol))
    cheap = _solve(np.asarray(cost_g, dtype=float), tied, lb, ub)
    if cheap is None:  # pragma: no cover - ``first`` itself satisfies ``tied``
        cheap = first
    least = _exact_sum(cost_g[cheap])
    cands = tied.add(cost_g, least)  # the same cost, to the grosz
    # unique?  (one more solve: is there another tying set?)
    other = _solve(np.zeros(m), cands.add(np.where(cheap, 1.0, -1.0), float(cheap.sum()) - 1.0), lb, ub)
    if other is None:
        return _selection(cheap, s, cost_g)
    # several tie on score and cost: the one with the better-ranked project at the first difference
    incumbent = cheap if _lex_greater(cheap, other) else other
    lo, hi = lb.copy(), ub.copy()
    prefer = -np.linspace(1.0, 0.5, m) if m else np.zeros(0)
    for i in range(m):
        if lo[i] == hi[i]:
            continue
        if not incumbent[i]:
            lo_try = lo.copy()
            lo_try[i] = 1.0
            found = _solve(prefer, cands, lo_try, hi)
            if found is not None:
                incumbent = found
        if incumbent[i]:
            lo[i] = 1.0
        else:
            hi[i] = 0.0
    return _selection(incumbent, s, cost_g)


def _lex_greater(a: np.ndarray, b: np.ndarray) -> bool:
    diff = np.flatnonzero(a != b)
    return bool(diff.size == 0 or a[diff[0]])


def next_budget(scores: Any, costs: Any, best_score: float, spend: Any = None, limits: Any = None,
                must: Any = None, exclude: Any = None) -> float | None:
    """The smallest total cost of a set that scores strictly more than ``best_score`` + the tie tolerance
    under the other constraints (no budget): the budget at which a strictly better portfolio appears
    (strictly, so that at that budget the old optimum no longer ties with the new one). In PLN, exact
    to the grosz: ``from_grosze`` of that set's cost in grosze. Arguments as for :func:`select`."""
    s, cost_g, spend_g, limits_g = _money_inputs(scores, costs, spend, limits)
    g = _next_budget(s, cost_g, best_score, spend_g, limits_g, must, exclude)
    return None if g is None else from_grosze(g)


def _next_budget(s: np.ndarray, cost_g: np.ndarray, best_score: float, spend_g: list[np.ndarray],
                 limits_g: list[int], must: Any, exclude: Any) -> int | None:
    """:func:`next_budget` in grosze."""
    lb, ub = _bounds(s.size, must, exclude)
    rows = _base_rows(cost_g, None, spend_g, limits_g)
    # strictly more: score > t  <=>  -score <= the float just below -t (sums are correctly rounded)
    floor = -(best_score + score_tolerance(s))
    x = _solve(np.asarray(cost_g, dtype=float), rows.add(-s, math.nextafter(floor, -math.inf)), lb, ub)
    return None if x is None else _exact_sum(cost_g[x])


# --- the result --------------------------------------------------------------------------------------

class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FundingLine(_Out):
    source: str
    amount: float | None = None


class Item(_Out):
    id: str
    title: str | None = None
    cost: float | None = None
    score: float | None = Field(default=None, description="the project's score in the ranking")
    rank: int | None = None
    reason: str | None = Field(default=None, description="why not chosen, or why not eligible")
    why: Literal["does_not_fit", "excluded", "failed_gates", "failed_card"] | None = Field(
        default=None, description="the reason as a code")
    details: list[str] = Field(default_factory=list, description="the failed gates, or the card's reasons")
    funding: list[FundingLine] = Field(default_factory=list)


class SourceUse(_Out):
    source: str
    limit: float
    spent: float
    left: float


class NextStep(_Out):
    """What a larger budget would buy: the smallest budget with a strictly better portfolio."""

    budget: float
    extra: float = Field(description="budget − the current budget")
    total_score: float
    total_cost: float
    enter: list[str]
    leave: list[str] = Field(default_factory=list)


class Portfolio(_Out):
    """The answer to "which projects fit our budget?", serialisable to JSON (``--json``).

    Every amount (budget, limits, costs, totals, money left, the next budget) is a whole number of
    grosze divided by 100 (see :func:`from_grosze`): exact to the grosz."""

    engine: str = ENGINE
    input_hash: str
    method: str
    normalization: str | None = None
    partnership: str | None = None
    source: str | None = None
    budget: float
    source_limits: dict[str, float] = Field(default_factory=dict)
    must: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    chosen: list[Item]
    not_chosen: list[Item]
    ineligible: list[Item]
    total_cost: float
    total_score: float = Field(description="the sum of the chosen projects' portfolio values: their scores when "
                               "the method ranks higher scores first, else the registry's portfolio_value")
    money_left: float
    sources: list[SourceUse] = Field(default_factory=list)
    next: NextStep | None = None
    tie_break: str = Field(default_factory=lambda: _(
        "largest total score; ties (within 1e-9 relative) go to the set that spends less (amounts compared in "
        "grosze), then to the set holding the better-ranked project at the first difference in ranking order"))

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# --- from a ranking ----------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def source_matches(limit_name: str, source: str) -> bool:
    """A limit named L covers the source L and "L (sub-measure)" (case and spacing ignored)."""
    a, b = _norm(limit_name), _norm(source)
    return b == a or b.startswith(a + " (")


def _project_grosze(project, value: Any, what: str) -> int:
    try:
        return to_grosze(value)
    except ValueError:
        raise InputError(_("project {id}: {what} {value!r} is not an amount of PLN").format(
            id=project.id, what=what, value=value)) from None


def _spending(project, limit_name: str, cost_g: int) -> int:
    """What ``project`` spends from the source ``limit_name``, in grosze (``cost_g``: its cost)."""
    entries = [f for f in project.funding if source_matches(limit_name, f.source)]
    total = 0
    for f in entries:
        if f.amount is not None:
            total += _project_grosze(project, f.amount,
                                     _("the amount of funding source {source!r}").format(source=f.source))
        elif len(project.funding) == 1:
            total += cost_g
        else:
            raise InputError(_("project {id}: funding source {source!r} has no amount, and the project has {n} "
                               "sources, so its spending under the limit {limit!r} is unknown; give the amount of "
                               "each source").format(id=project.id, source=f.source, n=len(project.funding),
                                                     limit=limit_name))
    return total


def _reported(value: Any) -> Any:
    """An amount as reported: rounded to the grosz (a value that is no amount, e.g. inf, as it is)."""
    if value is None:
        return None
    try:
        return from_grosze(to_grosze(value))
    except ValueError:
        return value


def _amount_arg(value: Any) -> int | None:
    """A budget or limit given to :func:`portfolio` in grosze, or None when it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    try:
        return to_grosze(value)
    except ValueError:
        return None


def portfolio(rk, budget: float, source_limits: dict[str, float] | None = None,
              must: list[str] | tuple[str, ...] = (), exclude: list[str] | tuple[str, ...] = ()) -> Portfolio:
    """Choose the portfolio of a ranked package (``rk.package``) under ``budget`` (PLN; amounts are
    rounded to the grosz and compared in grosze, see the module docstring)."""
    pkg = rk.package
    if pkg is None:
        raise InputError(_("a portfolio needs a package (with project costs), not a plain matrix"))
    budget_g = _amount_arg(budget)
    if budget_g is None or budget <= 0:
        raise InputError(_("the budget must be a positive number of PLN, got {value!r}").format(value=budget),
                         param="budget")
    if budget_g == 0:
        raise InputError(_("the budget must be at least 0.01 PLN (one grosz), got {value!r}").format(value=budget),
                         param="budget")
    limits = dict(source_limits or {})
    limits_of: dict[str, int] = {}
    for name, lim in limits.items():
        g = _amount_arg(lim)
        if g is None or lim < 0:
            raise InputError(_("the limit for source {source!r} must be a number ≥ 0, got {value!r}").format(
                source=name, value=lim))
        limits_of[name] = g
    projects = {p.id: p for p in pkg.projects}
    known = ", ".join(projects)
    must, exclude = list(dict.fromkeys(must)), list(dict.fromkeys(exclude))
    for flag, ids in (("must", must), ("exclude", exclude)):
        for i in ids:
            if i not in projects:
                raise InputError(_("{id}: no such project in the package; known ids: {known}").format(
                    id=i, known=known), param=flag)
    both = [i for i in must if i in exclude]
    if both:
        raise InputError(_("project {id} is both in {{param:must}} and in {{param:exclude}}").format(id=both[0]))
    all_sources = {_norm(f.source) for p in pkg.projects for f in p.funding}
    for name in limits:
        if not any(source_matches(name, s) for s in all_sources):
            listed = "; ".join(sorted({f.source for p in pkg.projects for f in p.funding})) or _("none")
            raise InputError(_("source limit {source!r} matches no funding source of the package's projects; "
                               "their sources: {sources}").format(source=name, sources=listed))

    entry = methods.get(rk.method)
    card_fail = {r.id for r in rk.results if entry.card and r.card is not None and not r.card.passed}
    ranked = [r for r in rk.results if r.id not in card_fail]

    reasons = {"does_not_fit": _("does not fit"), "excluded": _("excluded (--exclude)"),
               "failed_gates": _("failed gates"), "failed_card": _("does not pass the selection card")}

    def item(pid, result=None, why=None, details=()) -> Item:
        p = projects[pid]
        reason = None if why is None else reasons[why] + (f": {'; '.join(details)}" if details else "")
        return Item(id=pid, title=p.title, cost=_reported(p.cost), score=None if result is None else result.score,
                    rank=None if result is None else result.rank, reason=reason, why=why, details=list(details),
                    funding=[FundingLine(source=f.source, amount=_reported(f.amount)) for f in p.funding])

    ineligible = [item(i.id, None, "failed_gates", [g.label or g.id for g in i.failed_gates]) for i in rk.ineligible]
    ineligible += [item(r.id, r, "failed_card", r.card.reasons) for r in rk.results if r.id in card_fail]
    ineligible.sort(key=lambda it: [p.id for p in pkg.projects].index(it.id))
    for i in must:
        if all(r.id != i for r in ranked):
            why = next(it.reason for it in ineligible if it.id == i)
            raise InputError(_("{id}: the project is not eligible for funding ({why})").format(id=i, why=why),
                             param="must")
    no_cost = [r.id for r in ranked if projects[r.id].cost is None and r.id not in exclude]
    if no_cost:
        raise InputError(ngettext("project {ids} has no cost; give the cost in the package or leave it out with "
                                  "{{param:exclude}}",
                                  "projects {ids} have no cost; give the cost in the package or leave them out with "
                                  "{{param:exclude}}", len(no_cost)).format(ids=", ".join(no_cost)))

    ids = [r.id for r in ranked]
    m = len(ids)
    # what is summed: the scores, oriented by the registry (a lower-is-better method gives its own value)
    scores = entry.values_for_portfolio(np.array([r.score for r in ranked], dtype=float)).reshape(m)
    must_mask = np.array([i in must for i in ids], dtype=bool)
    excl_mask = np.array([i in exclude for i in ids], dtype=bool)
    # money, converted once: grosze (Python ints) from here on
    cost_g = np.array([0 if projects[i].cost is None or excl_mask[j] else
                       _project_grosze(projects[i], projects[i].cost, "cost") for j, i in enumerate(ids)], dtype=object)
    names = list(limits)
    lim_g = [limits_of[n] for n in names]
    spend_g = [np.array([0 if excl_mask[j] else _spending(projects[i], name, cost_g[j]) for j, i in enumerate(ids)],
                        dtype=object).reshape(m) for name in names]

    lang = i18n.current()  # amounts in messages as a reader of this language writes them (appraisal.numfmt)
    must_cost = _exact_sum(cost_g[must_mask])
    if must_cost > budget_g:
        raise InputError(_("the projects that must be in ({ids}) cost {cost}, more than the budget {budget}").format(
            ids=", ".join(must), cost=numfmt.money(from_grosze(must_cost), lang=lang),
            budget=numfmt.money(from_grosze(budget_g), lang=lang)))
    for k, name in enumerate(names):
        used = _exact_sum(spend_g[k][must_mask])
        if used > lim_g[k]:
            raise InputError(_("the projects that must be in spend {spent} from {source!r}, more than its limit "
                               "{limit}").format(spent=numfmt.money(from_grosze(used), lang=lang), source=name,
                                                 limit=numfmt.money(from_grosze(lim_g[k]), lang=lang)))

    sel = _select(scores, cost_g, budget_g, spend_g, lim_g, must_mask, excl_mask)
    if sel is None:  # pragma: no cover - the must set alone is feasible (checked above)
        raise InputError(_("no set of projects satisfies the budget and the limits"))
    by_id = {r.id: r for r in ranked}
    chosen = [item(i, by_id[i]) for i, x in zip(ids, sel.chosen) if x]
    not_chosen = [item(i, by_id[i], "excluded" if excl_mask[j] else "does_not_fit")
                  for j, (i, x) in enumerate(zip(ids, sel.chosen)) if not x]
    assert sel.cost_grosze <= budget_g  # exact: _select() re-checks every set in integer grosze
    spent = [_exact_sum(spend_g[k][sel.chosen]) for k in range(len(names))]
    sources = [SourceUse(source=n, limit=from_grosze(lim_g[k]), spent=from_grosze(spent[k]),
                         left=from_grosze(lim_g[k] - spent[k])) for k, n in enumerate(names)]

    nxt = None
    b2 = _next_budget(scores, cost_g, sel.total_score, spend_g, lim_g, must_mask, excl_mask)
    if b2 is not None:
        bigger = _select(scores, cost_g, b2, spend_g, lim_g, must_mask, excl_mask)
        assert bigger is not None
        nxt = NextStep(budget=from_grosze(b2), extra=from_grosze(b2 - budget_g), total_score=bigger.total_score,
                       total_cost=bigger.total_cost,
                       enter=[i for i, a, b in zip(ids, sel.chosen, bigger.chosen) if b and not a],
                       leave=[i for i, a, b in zip(ids, sel.chosen, bigger.chosen) if a and not b])
    budget_pln = from_grosze(budget_g)
    limits_pln = {n: from_grosze(g) for n, g in limits_of.items()}
    h = input_hash({"ranking": rk.input_hash, "budget": budget_pln, "source_limits": limits_pln,
                    "must": sorted(must), "exclude": sorted(exclude)})
    return Portfolio(input_hash=h, method=rk.method, normalization=rk.normalization, partnership=rk.partnership,
                     source=rk.source, budget=budget_pln, source_limits=limits_pln,
                     must=must, exclude=exclude, chosen=chosen, not_chosen=not_chosen, ineligible=ineligible,
                     total_cost=sel.total_cost, total_score=sel.total_score,
                     money_left=from_grosze(budget_g - sel.cost_grosze), sources=sources, next=nxt)


def budget_portfolio(rk) -> tuple[Portfolio | None, InputError | None]:
    """The portfolio under the package's own budget, or the error saying why there is none; (None, None)
    when the ranking has no package or the package no budget. The ranking stands either way."""
    pkg = rk.package
    if pkg is None or getattr(pkg, "budget", None) is None:
        return None, None
    try:
        return portfolio(rk, pkg.budget), None
    except InputError as exc:
        return None, exc


__all__ = ["Item", "NextStep", "Portfolio", "Selection", "budget_portfolio", "from_grosze", "next_budget", "portfolio",
           "score_tolerance", "select", "source_matches", "to_grosze"]
