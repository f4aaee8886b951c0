"""Portfolio under a budget: the set of eligible projects with the largest total score that fits.

An exact 0/1 programme solved with :func:`scipy.optimize.milp` (HiGHS). Definitions (the tests
check each against brute force over all subsets):

- **Eligible for funding**: ranked in the :class:`~appraisal.ranking.Ranking` (passed every gate)
  and, when the ranking's method is ``points``, passing the selection card. Every other project is
  listed as ineligible with the reason.
- **Feasible set**: its total cost ≤ the budget; for every source limit, its spending from that
  source ≤ the limit; it holds every ``must`` project and no ``exclude`` project. Sums are exact
  (:func:`math.fsum` in Python): the solver's answer is re-checked and, if its tolerances let in a
  set that does not fit exactly, that set is cut off and the programme solved again.
- **Optimum**: the largest total score S* (the projects' scores in the ranking). Sets whose score
  is within ``score_tolerance(scores)`` = 1e-9 · max(1, max |score|) of S* tie with it; among them
  the one that spends the least wins (costs within ``COST_TOLERANCE`` = 0.005 PLN tie); among
  those the one that holds the better-ranked project at the first project (in ranking order)
  where they differ. So the same input always gives the same choice.
- **Spending per source**: a limit named L applies to a project's funding entries whose source is
  L, or L followed by `` (`` and a sub-measure — ``"FEDS 2021-2027"`` covers
  ``"FEDS 2021-2027 (priorytet 2)"`` — compared without regard to case and runs of spaces. An entry
  with an amount spends that amount; a project's only entry without an amount spends the whole
  cost; several entries of one project with a missing amount are an error, raised only when a
  limit needs that entry. A project without funding entries spends nothing from any limited source.
- **Next project**: the smallest budget B' > B at which a better total score (by strictly more than
  the tie tolerance) becomes possible under the same source limits, must and exclude lists; the
  portfolio chosen at B' (same rules) says which projects enter and leave. None when no feasible set
  scores better.
- **Projects without a cost**: an error naming them when they are eligible and not excluded.
- **Infeasible constraints** (unknown ids, a must project that is ineligible or also excluded,
  must projects over the budget or a source limit): :class:`InputError` with one line.

The numeric part (:func:`select`, :func:`next_budget`) works on plain arrays and knows nothing of
packages or files; :func:`portfolio` builds the arrays from a ranking and returns a
:class:`Portfolio`.
"""

from __future__ import annotations

import math
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .criteria import InputError
from .provenance import ENGINE, input_hash

COST_TOLERANCE = 0.005  # PLN: half a grosz
MAX_CUTS = 2_000
#: the solver sees every bound loosened by this fraction of the row's largest coefficient, ten times its
#: own tolerance (~1e-7): sets in that band are then refused by the exact check and cut off.
SOLVER_MARGIN = 1e-6


def score_tolerance(scores: np.ndarray) -> float:
    """Total scores closer than this tie (1e-9 relative to the largest project score, at least 1e-9)."""
    s = np.asarray(scores, dtype=float)
    return 1e-9 * max(1.0, float(np.max(np.abs(s))) if s.size else 1.0)


# --- the exact 0/1 kernel ------------------------------------------------------------------------------

@dataclass
class _Rows:
    """Constraints ``rows @ x <= upper``, checked exactly in Python and given to the solver scaled."""

    rows: list[np.ndarray]
    upper: list[float]

    def add(self, row: np.ndarray, upper: float) -> _Rows:
        return _Rows([*self.rows, np.asarray(row, dtype=float)], [*self.upper, float(upper)])

    def holds(self, x: np.ndarray) -> bool:
        return all(math.fsum(r[x]) <= u for r, u in zip(self.rows, self.upper))


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

    HiGHS works with tolerances (feasibility ~1e-7 relative, integrality 1e-6), and was seen to miss
    the optimum when a set's activity sat within that tolerance of a bound. So it is given every
    bound loosened by ``SOLVER_MARGIN`` times the row's largest coefficient (a superset of the feasible
    sets, with no set near its bounds but by coincidence); each set it returns is re-checked with
    exact sums, and one that fails is cut off (Σ_{i∈S} x_i − Σ_{i∉S} x_i ≤ |S| − 1, integers, so
    exact) and the programme solved again. The first set that passes is optimal among the feasible
    sets. Rows are scaled to a largest coefficient of 1 and the objective to ~1e6 (HiGHS's absolute
    gap is 1e-6; the relative gap is set to 0).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = lb.size
    big = float(np.max(np.abs(objective))) if objective.size else 0.0
    c = objective / big * 1e6 if big > 0 else np.zeros(m)
    a_rows, b = [], []
    for r, u in zip(rows.rows, rows.upper):
        s = float(np.max(np.abs(r))) if r.size else 0.0
        if s == 0.0:
            if u < 0:
                return None
            continue
        a_rows.append(r / s)
        b.append(u / s + SOLVER_MARGIN)
    cuts: list[np.ndarray] = []
    cut_b: list[float] = []
    for _ in range(MAX_CUTS):
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
    total_cost: float


def _selection(x: np.ndarray, scores: np.ndarray, costs: np.ndarray) -> Selection:
    return Selection(x, math.fsum(scores[x]), math.fsum(costs[x]))


def _base_rows(costs, budget, spend, limits) -> _Rows:
    rows = _Rows([], [])
    if budget is not None:
        rows = rows.add(costs, budget)
    for k in range(0 if spend is None else len(limits)):
        rows = rows.add(spend[k], limits[k])
    return rows


def _bounds(m: int, must, exclude) -> tuple[np.ndarray, np.ndarray]:
    lb = np.zeros(m) if must is None else np.asarray(must, dtype=float)
    ub = np.ones(m) if exclude is None else 1.0 - np.asarray(exclude, dtype=float)
    return lb, ub


def select(scores: Any, costs: Any, budget: float, spend: Any = None, limits: Any = None,
           must: Any = None, exclude: Any = None) -> Selection | None:
    """The optimal set (see the module docstring for the tie-break), projects in ranking order.

    ``spend``: (k, m) spending of each project from each of the k limited sources; ``limits``: (k,).
    ``must``/``exclude``: bool masks. None when no set is feasible.
    """
    s = np.asarray(scores, dtype=float)
    cost = np.asarray(costs, dtype=float)
    m = s.size
    lb, ub = _bounds(m, must, exclude)
    rows = _base_rows(cost, budget, None if spend is None else np.asarray(spend, dtype=float).reshape(-1, m),
                      limits)
    first = _solve(-s, rows, lb, ub)
    if first is None:
        return None
    best = math.fsum(s[first])
    tol = score_tolerance(s)
    # among the sets that tie on score, the cheapest
    tied = rows.add(-s, -(best - tol))
    cheap = _solve(cost, tied, lb, ub)
    if cheap is None:  # pragma: no cover - ``first`` itself satisfies ``tied``
        cheap = first
    least = math.fsum(cost[cheap])
    cands = tied.add(cost, least + COST_TOLERANCE)
    # unique?  (one more solve: is there another tying set?)
    other = _solve(np.zeros(m), cands.add(np.where(cheap, 1.0, -1.0), float(cheap.sum()) - 1.0), lb, ub)
    if other is None:
        return _selection(cheap, s, cost)
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
    return _selection(incumbent, s, cost)


def _lex_greater(a: np.ndarray, b: np.ndarray) -> bool:
    diff = np.flatnonzero(a != b)
    return bool(diff.size == 0 or a[diff[0]])


def next_budget(scores: Any, costs: Any, best_score: float, spend: Any = None, limits: Any = None,
                must: Any = None, exclude: Any = None) -> float | None:
    """The smallest total cost of a set that scores strictly more than ``best_score`` + the tie tolerance
    under the other constraints (no budget): the budget at which a strictly better portfolio appears
    (strictly, so that at that budget the old optimum no longer ties with the new one)."""
    s = np.asarray(scores, dtype=float)
    cost = np.asarray(costs, dtype=float)
    m = s.size
    lb, ub = _bounds(m, must, exclude)
    rows = _base_rows(cost, None, None if spend is None else np.asarray(spend, dtype=float).reshape(-1, m),
                      limits)
    # strictly more: score > t  <=>  -score <= the float just below -t (sums are correctly rounded)
    floor = -(best_score + score_tolerance(s))
    x = _solve(cost, rows.add(-s, math.nextafter(floor, -math.inf)), lb, ub)
    return None if x is None else math.fsum(cost[x])


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
    """The answer to "which projects fit our budget?", serialisable to JSON (``--json``)."""

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
    total_score: float
    money_left: float
    sources: list[SourceUse] = Field(default_factory=list)
    next: NextStep | None = None
    tie_break: str = ("largest total score; ties (within 1e-9 relative) go to the set that spends less "
                      "(within 0.005 PLN), then to the set holding the better-ranked project at the first "
                      "difference in ranking order")

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# --- from a ranking ----------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def source_matches(limit_name: str, source: str) -> bool:
    """A limit named L covers the source L and "L (sub-measure)" (case and spacing ignored)."""
    a, b = _norm(limit_name), _norm(source)
    return b == a or b.startswith(a + " (")


def _spending(project, limit_name: str) -> float:
    entries = [f for f in project.funding if source_matches(limit_name, f.source)]
    total = []
    for f in entries:
        if f.amount is not None:
            total.append(f.amount)
        elif len(project.funding) == 1:
            total.append(float(project.cost))
        else:
            raise InputError(f"project {project.id}: funding source {f.source!r} has no amount, and the project "
                             f"has {len(project.funding)} sources, so its spending under the limit "
                             f"{limit_name!r} is unknown; give the amount of each source")
    return math.fsum(total)


def _money(v: float) -> str:
    return f"{v:,.2f}".replace(",", " ").removesuffix(".00") + " PLN"


def portfolio(rk, budget: float, source_limits: dict[str, float] | None = None,
              must: list[str] | tuple[str, ...] = (), exclude: list[str] | tuple[str, ...] = ()) -> Portfolio:
    """Choose the portfolio of a ranked package (``rk.package``) under ``budget`` (PLN)."""
    pkg = rk.package
    if pkg is None:
        raise InputError("a portfolio needs a package (with project costs), not a plain matrix")
    if not (isinstance(budget, (int, float)) and math.isfinite(budget) and budget > 0):
        raise InputError(f"the budget must be a positive number of PLN, got {budget!r}", where="--budget")
    limits = dict(source_limits or {})
    for name, lim in limits.items():
        if not (isinstance(lim, (int, float)) and math.isfinite(lim) and lim >= 0):
            raise InputError(f"the limit for source {name!r} must be a number ≥ 0, got {lim!r}")
    projects = {p.id: p for p in pkg.projects}
    known = ", ".join(projects)
    must, exclude = list(dict.fromkeys(must)), list(dict.fromkeys(exclude))
    for flag, ids in (("--must", must), ("--exclude", exclude)):
        for i in ids:
            if i not in projects:
                raise InputError(f"{flag} {i}: no such project in the package; known ids: {known}")
    both = [i for i in must if i in exclude]
    if both:
        raise InputError(f"project {both[0]} is both in --must and in --exclude")
    all_sources = {_norm(f.source) for p in pkg.projects for f in p.funding}
    for name in limits:
        if not any(source_matches(name, s) for s in all_sources):
            listed = "; ".join(sorted({f.source for p in pkg.projects for f in p.funding})) or "none"
            raise InputError(f"source limit {name!r} matches no funding source of the package's projects; "
                             f"their sources: {listed}")

    card_fail = {r.id for r in rk.results if rk.method == "points" and r.card is not None and not r.card.passed}
    ranked = [r for r in rk.results if r.id not in card_fail]

    reasons = {"does_not_fit": "does not fit", "excluded": "excluded (--exclude)",
               "failed_gates": "failed gates", "failed_card": "does not pass the selection card"}

    def item(pid, result=None, why=None, details=()) -> Item:
        p = projects[pid]
        reason = None if why is None else reasons[why] + (f": {'; '.join(details)}" if details else "")
        return Item(id=pid, title=p.title, cost=p.cost, score=None if result is None else result.score,
                    rank=None if result is None else result.rank, reason=reason, why=why, details=list(details),
                    funding=[FundingLine(source=f.source, amount=f.amount) for f in p.funding])

    ineligible = [item(i.id, None, "failed_gates", [g.label or g.id for g in i.failed_gates]) for i in rk.ineligible]
    ineligible += [item(r.id, r, "failed_card", r.card.reasons) for r in rk.results if r.id in card_fail]
    ineligible.sort(key=lambda it: [p.id for p in pkg.projects].index(it.id))
    for i in must:
        if all(r.id != i for r in ranked):
            why = next(it.reason for it in ineligible if it.id == i)
            raise InputError(f"--must {i}: the project is not eligible for funding ({why})")
    no_cost = [r.id for r in ranked if projects[r.id].cost is None and r.id not in exclude]
    if no_cost:
        raise InputError(f"project{'s' if len(no_cost) > 1 else ''} {', '.join(no_cost)} "
                         f"{'have' if len(no_cost) > 1 else 'has'} no cost; give the cost in the package "
                         f"or leave {'them' if len(no_cost) > 1 else 'it'} out with --exclude")

    ids = [r.id for r in ranked]
    m = len(ids)
    scores = np.array([r.score for r in ranked], dtype=float)
    costs = np.array([0.0 if projects[i].cost is None else projects[i].cost for i in ids], dtype=float)
    must_mask = np.array([i in must for i in ids], dtype=bool)
    excl_mask = np.array([i in exclude for i in ids], dtype=bool)
    names = list(limits)
    spend = np.zeros((len(names), m))
    for k, name in enumerate(names):
        for j, i in enumerate(ids):
            if not excl_mask[j]:
                spend[k, j] = _spending(projects[i], name)
    lim = np.array([limits[n] for n in names], dtype=float)

    must_cost = math.fsum(costs[must_mask])
    if must_cost > budget:
        raise InputError(f"the projects that must be in ({', '.join(must)}) "
                         f"cost {_money(must_cost)}, more than the budget {_money(budget)}")
    for k, name in enumerate(names):
        used = math.fsum(spend[k][must_mask])
        if used > lim[k]:
            raise InputError(f"the projects that must be in spend {_money(used)} from {name!r}, more than its "
                             f"limit {_money(lim[k])}")

    sel = select(scores, costs, budget, spend, lim, must_mask, excl_mask)
    if sel is None:  # pragma: no cover - the must set alone is feasible (checked above)
        raise InputError("no set of projects satisfies the budget and the limits")
    by_id = {r.id: r for r in ranked}
    chosen = [item(i, by_id[i]) for i, x in zip(ids, sel.chosen) if x]
    not_chosen = [item(i, by_id[i], "excluded" if excl_mask[j] else "does_not_fit")
                  for j, (i, x) in enumerate(zip(ids, sel.chosen)) if not x]
    assert sel.total_cost <= budget  # exact: select() re-checks every set with math.fsum
    sources = [SourceUse(source=n, limit=float(lim[k]), spent=math.fsum(spend[k][sel.chosen]),
                         left=float(lim[k]) - math.fsum(spend[k][sel.chosen])) for k, n in enumerate(names)]

    nxt = None
    b2 = next_budget(scores, costs, sel.total_score, spend, lim, must_mask, excl_mask)
    if b2 is not None:
        bigger = select(scores, costs, b2, spend, lim, must_mask, excl_mask)
        assert bigger is not None
        nxt = NextStep(budget=b2, extra=b2 - budget, total_score=bigger.total_score, total_cost=bigger.total_cost,
                       enter=[i for i, a, b in zip(ids, sel.chosen, bigger.chosen) if b and not a],
                       leave=[i for i, a, b in zip(ids, sel.chosen, bigger.chosen) if a and not b])
    h = input_hash({"ranking": rk.input_hash, "budget": budget, "source_limits": limits, "must": sorted(must),
                    "exclude": sorted(exclude)})
    return Portfolio(input_hash=h, method=rk.method, normalization=rk.normalization, partnership=rk.partnership,
                     source=rk.source, budget=float(budget), source_limits={k: float(v) for k, v in limits.items()},
                     must=must, exclude=exclude, chosen=chosen, not_chosen=not_chosen, ineligible=ineligible,
                     total_cost=sel.total_cost, total_score=sel.total_score, money_left=budget - sel.total_cost,
                     sources=sources, next=nxt)




def parse_budget(text: str) -> float:
    """A budget typed on the command line: 25000000, "25 000 000", 25_000_000, "25000000,50", "… zł"."""
    from .io.cells import cell_number

    try:
        value = cell_number(str(text).replace("_", ""), decimal_comma=True, money=True)
    except (ValueError, OverflowError):
        raise InputError(f"{text!r} is not an amount of PLN (write e.g. 25000000 or '25 000 000')",
                         where="--budget") from None
    if value <= 0:
        raise InputError(f"the budget must be more than 0 PLN, got {text!r}", where="--budget")
    return value


__all__ = ["Item", "NextStep", "Portfolio", "Selection", "next_budget", "parse_budget", "portfolio",
           "score_tolerance", "select", "source_matches"]
