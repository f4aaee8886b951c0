"""Ranks with ties, gates, and the :class:`Ranking` result of appraising a matrix or a package.

- :func:`ranks`: by score descending; scores within 1e-12 share the smallest rank (1, 2, 2, 4).
  Vectorised over leading dimensions (..., m).
- :func:`rank_matrix`: a plain decision matrix (ids × criteria) with weights and directions.
- :func:`rank_package`: a package: gates first (failing projects are listed as ineligible with
  the failed gates, and not ranked), then the criteria tree's global weights (AHP hierarchy
  synthesis), then the method, its cross-checks shown beside it.

Which methods there are, how each scores and whether higher is better is the registry's
(:mod:`appraisal.methods`); nothing here names a method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import ahp, numfmt, points
from . import methods as registry
from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import _, ngettext
from .methods import check_normalization
from .provenance import ENGINE, canonical_json, input_hash, input_hash_of_parts

# the numpy-only part (ranks with ties, the checks of a plain matrix, scores by method) lives in
# appraisal.scoring, so that the sensitivity analysis of a CSV matrix never loads pydantic; its names
# stay importable from here
from .scoring import (  # noqa: F401 (re-exported)
    TIE_TOLERANCE,
    check_defined,
    check_matrix,
    checked_matrix,
    direction_signs,
    method_scores,
    normalise_weights,
    ranks,
    score,
)
from .value import ValueFunctions, value_functions

#: the methods' names, in registry order (:mod:`appraisal.methods`)
METHODS = tuple(registry.names())


# --- the result -------------------------------------------------------------------------------------

class _Out(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)


class MethodScore(_Out):
    score: float
    rank: int


class CardScore(_Out):
    points: dict[str, float]
    base: float
    bonus: float
    total: float
    passed: bool
    reasons: list[str] = Field(default_factory=list)


class Result(_Out):
    id: str
    title: str | None = None
    score: float
    rank: int
    cross_check: dict[str, MethodScore] = Field(default_factory=dict)
    card: CardScore | None = None


class FailedGate(_Out):
    id: str
    label: str


class Ineligible(_Out):
    id: str
    title: str | None = None
    failed_gates: list[FailedGate]


class CriterionInfo(_Out):
    id: str
    label: str | None = None
    group: str | None = None
    direction: Literal["benefit", "cost"]
    weight: float


class ExpertWeights(_Out):
    file: str
    expert_weight: float
    weights: dict[str, float]
    cr: float
    consistent: bool


class Revisit(_Out):
    row: str
    column: str
    given: float
    consistent_value: float
    nearest_saaty: float
    cr_if_changed: float


class GroupWeights(_Out):
    """One group's local weights; for pairwise judgments also their consistency.

    ``lambda_max`` is the principal eigenvalue of ``matrix`` (whichever method gave the weights), ``ci``
    and ``cr`` Saaty's CI and CR from it. For a panel ``matrix`` is the AIJ matrix (weighted geometric
    mean of the judgments) and these figures are its own under both aggregations (with AIP the weights
    are the averaged priorities). ``gci``/``gci_threshold``: geometric consistency index and its
    threshold (Aguarón & Moreno-Jiménez 2003), with the geometric method only.
    """

    group: str
    label: str | None = None
    how: Literal["pairwise", "direct", "equal"]
    method: str | None = None
    weights: dict[str, float]
    lambda_max: float | None = None
    ci: float | None = None
    cr: float | None = None
    consistent: bool | None = None
    gci: float | None = Field(default=None, description="geometric consistency index (method geometric only)")
    gci_threshold: float | None = Field(default=None, description="the GCI's threshold for this n")
    revisit: list[Revisit] = Field(default_factory=list)
    aggregation: str | None = None
    experts: list[ExpertWeights] = Field(default_factory=list)
    matrix: list[list[float]] | None = Field(default=None, description="the pairwise matrix used (AIJ for a panel)")


class Ranking(_Out):
    """The answer to "how do these projects rank?", serialisable to JSON (``--json``)."""

    engine: str = ENGINE
    input_hash: str
    method: str
    normalization: str | None = None
    random_index: str | None = None
    partnership: str | None = None
    source: str | None = None
    criteria: list[CriterionInfo]
    results: list[Result]
    ineligible: list[Ineligible] = Field(default_factory=list)
    weights: list[GroupWeights] = Field(default_factory=list)
    card: dict[str, Any] | None = None
    #: the decision matrix that was scored (eligible projects × criteria), rows in ``alternatives`` order
    matrix: Any = Field(default=None, exclude=True)
    alternatives: list[str] = Field(default_factory=list, exclude=True)
    #: the package that was ranked (None for a plain matrix)
    package: Any = Field(default=None, exclude=True)

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def scores(self) -> dict[str, float]:
        return {r.id: r.score for r in self.results}

    def to_frame(self):
        """The results as a pandas DataFrame indexed by id (score, rank, cross-checks)."""
        import pandas as pd

        rows = []
        for r in self.results:
            row = {"id": r.id, "title": r.title, "score": r.score, "rank": r.rank}
            for m, ms in r.cross_check.items():
                row[f"{m}_score"], row[f"{m}_rank"] = ms.score, ms.rank
            if r.card is not None:
                row["points"], row["passed"] = r.card.total, r.card.passed
            rows.append(row)
        return pd.DataFrame(rows).set_index("id")


def group_weights_report(node: ahp.NodeWeights) -> GroupWeights:
    local = {k: float(v) for k, v in zip(node.children, node.local)}
    if node.ahp is None:
        return GroupWeights(group=node.group, label=node.label, how=node.how, weights=local)
    a = node.ahp
    return GroupWeights(
        group=node.group, label=node.label, how="pairwise", method=a.method, weights=local,
        lambda_max=a.lambda_max, ci=a.ci, cr=a.cr, consistent=a.consistent,
        gci=a.gci, gci_threshold=a.gci_threshold,
        revisit=[Revisit(row=d.row, column=d.column, given=d.given, consistent_value=d.consistent,
                         nearest_saaty=d.nearest_saaty, cr_if_changed=d.cr_if_changed) for d in a.diagnostics],
        aggregation=a.aggregation,
        experts=[ExpertWeights(**e.to_dict()) for e in a.experts],
        matrix=a.matrix.tolist(),
    )


def _results(ids, titles, main, others, main_ranks) -> list[Result]:
    """Result rows ordered by rank (then input order); ``others`` are cross-check (name, scores, ranks)."""
    other_ranks = {name: r for name, _s, r in others}
    others = [(name, s) for name, s, _r in others]
    rows = []
    for i, ident in enumerate(ids):
        cc = {name: MethodScore(score=float(s[i]), rank=int(other_ranks[name][i])) for name, s in others}
        rows.append(Result(id=ident, title=titles[i] if titles else None, score=float(main[i]),
                           rank=int(main_ranks[i]), cross_check=cc))
    order = sorted(range(len(ids)), key=lambda i: (main_ranks[i], i))
    return [rows[i] for i in order]


def _method_scores(scores: dict[str, np.ndarray], method: str, normalization: str, card_totals=None,
                   card_passed=None):
    """The main method's scores and ranks, and its cross-checks as (name, scores, ranks), each ranked
    the way its method says (``higher_is_better``; the selection card by :func:`points.card_ranks`).

    A method can be undefined (NaN: TOPSIS when every weighted column is constant): an error when it
    ranks, but as a cross-check it is left out (WSM then ranks everyone tied)."""
    entry = registry.get(method)
    if entry.card:
        main, main_ranks = card_totals, points.card_ranks(card_totals, card_passed)
    else:
        main = check_defined(scores[method])
        main_ranks = ranks(main, higher_is_better=entry.higher_is_better)
    cross = []
    for name in entry.cross_checks:
        other = registry.get(name)
        s = scores[name]
        if not np.isnan(s).any():
            cross.append((other.key(normalization), s, ranks(s, higher_is_better=other.higher_is_better)))
    return main, main_ranks, cross


def rank_matrix(ids: list[str], criteria: list[str], x: Any, weights: Any, directions: Any,
                method: str = "topsis", normalization: str = "vector", source: str | None = None) -> Ranking:
    """Rank the rows of a decision matrix (checked and scored by :func:`appraisal.scoring.checked_matrix`)."""
    x, w, d, scores = checked_matrix(ids, criteria, x, weights, directions, method, normalization, source)
    entry = registry.get(method)
    main, main_ranks, others = _method_scores(scores, method, normalization)
    norm = entry.normalization_label(normalization)
    h = input_hash({"ids": ids, "criteria": criteria, "matrix": x, "weights": w, "directions": d,
                    "method": method, "normalization": norm})
    infos = [CriterionInfo(id=c, direction="benefit" if s > 0 else "cost", weight=float(wi))
             for c, s, wi in zip(criteria, d, w)]
    return Ranking(input_hash=h, method=method, normalization=norm, source=source, criteria=infos,
                   results=_results(ids, None, main, others, main_ranks),
                   matrix=x, alternatives=list(ids))


@dataclass
class Prepared:
    """A package made ready for scoring: gates applied, weights synthesised, the matrix built.

    Scoring is then one kernel call — for one package, or for many stacked as (B, m, n) (batch).
    """

    pkg: Any
    method: str
    normalization: str
    ids: list[str]
    titles: list[str]
    x: np.ndarray
    w: np.ndarray
    d: np.ndarray
    ineligible: list[Ineligible]
    criteria: list[CriterionInfo]
    weights: list[GroupWeights]
    input_hash: str
    #: the criteria set's value functions (the yardstick of attainment and of R-TOPSIS)
    values: ValueFunctions | None = None
    card_info: dict[str, Any] | None = None
    card_rows: list[CardScore] | None = None


@dataclass
class _SetFacts:
    """What a criteria set alone decides, worked out once per set (a batch scores thousands of
    packages on one shared set): the global weights and their report, directions, the criterion
    infos, and the set's canonical JSON for the input hash."""

    crit_ids: list[str]
    w: np.ndarray
    d: np.ndarray
    criteria: list[CriterionInfo]
    weights: list[GroupWeights]
    canonical: str
    values: ValueFunctions


_FACTS: dict[tuple[int, str], tuple[Any, _SetFacts]] = {}
_FACTS_LIMIT = 64


def _label(text) -> str | None:
    """A label of the criteria set ({pl, en}) in the current language (Polish when it has no other)."""
    return text.get(i18n.current()) or text.get("pl")


def _set_facts(cs) -> _SetFacts:
    key = (id(cs), i18n.current())  # the labels are the set's in the current language
    hit = _FACTS.get(key)
    if hit is not None and hit[0] is cs:
        return hit[1]
    global_w, nodes = ahp.synthesize(cs)
    leaves = cs.leaves()
    group_of = {leaf.id: path[-1].id for path, leaf in cs.leaf_paths()}
    crit_ids = [c.id for c in leaves]
    facts = _SetFacts(
        crit_ids=crit_ids, w=np.array([global_w[c] for c in crit_ids]),
        d=np.array([c.sign for c in leaves], dtype=float),
        criteria=[CriterionInfo(id=c.id, label=_label(c.label), group=group_of[c.id], direction=c.direction,
                                weight=float(global_w[c.id])) for c in leaves],
        weights=[group_weights_report(nd) for nd in nodes],
        canonical=canonical_json(cs.model_dump(mode="json")), values=value_functions(leaves))
    if len(_FACTS) >= _FACTS_LIMIT:  # packages with their own weights each bring a new set: keep a few
        _FACTS.pop(next(iter(_FACTS)))
    _FACTS[key] = (cs, facts)  # the set is kept alive with its facts, so its id is never reused
    return facts


def set_values(cs) -> ValueFunctions:
    """The criteria set's value functions, leaves in order (worked out once per set)."""
    return _set_facts(cs).values


def prepare_package(pkg, method: str = "topsis", normalization: str = "vector", checked: bool = False,
                    min_eligible: int = 2) -> Prepared:
    """Everything before scoring: checks, gates, hierarchical weights, the matrix, the card.

    ``checked``: the package was checked just now (``load_package`` does), so skip checking it again.
    ``min_eligible``: fewer projects passing the gates is an error (opinions pass 0: the gate-failure
    opinions need no ranking).
    """
    entry = registry.get(method)
    check_normalization(normalization)
    if not checked:
        pkg.check()
    cs = pkg.criteria_set
    gates = {g.id: _label(g.label) for g in cs.gates}
    eligible, ineligible = [], []
    for p in pkg.projects:
        failed = [FailedGate(id=g, label=label) for g, label in gates.items() if not p.gates.get(g, False)]
        if failed:
            ineligible.append(Ineligible(id=p.id, title=p.title, failed_gates=failed))
        else:
            eligible.append(p)
    if len(eligible) < min_eligible:
        names = ", ".join(f"{i.id} ({', '.join(g.id for g in i.failed_gates)})" for i in ineligible)
        # the English keeps one wording for every count; Polish words it by the count
        raise InputError(ngettext("only {n} project(s) pass the gates, at least two are needed to rank; "
                                  "failing: {failing}",
                                  "only {n} project(s) pass the gates, at least two are needed to rank; "
                                  "failing: {failing}", len(eligible)).format(n=len(eligible), failing=names),
                         source=pkg.source)

    facts = _set_facts(cs)
    x = np.array([[p.scores[c] for c in facts.crit_ids] for p in eligible], dtype=float).reshape(
        len(eligible), len(facts.crit_ids))
    card_info, card_rows = None, None
    if (entry.card or cs.card is not None) and len(eligible) >= 2:
        card_info, card_rows = card_scores(cs, eligible, x)
    norm = entry.normalization_label(normalization)
    h = input_hash_of_parts({"package": canonical_json(pkg.model_dump(mode="json", exclude={"criteria"})),
                             "criteria": facts.canonical, "method": canonical_json(method),
                             "normalization": canonical_json(norm)})
    return Prepared(
        pkg=pkg, method=method, normalization=normalization, ids=[p.id for p in eligible],
        titles=[p.title for p in eligible], x=x, w=facts.w.copy(), d=facts.d.copy(), ineligible=ineligible,
        criteria=facts.criteria, weights=facts.weights, input_hash=h, values=facts.values, card_info=card_info,
        card_rows=card_rows)


def finish_package(prep: Prepared, scores: dict[str, np.ndarray]) -> Ranking:
    """The Ranking of a prepared package from its scores by method name (:func:`method_scores`, computed
    alone or in a batch)."""
    pkg, method, normalization = prep.pkg, prep.method, prep.normalization
    totals, passed = None, None
    if prep.card_rows is not None:
        totals = np.array([r.total for r in prep.card_rows])
        passed = np.array([r.passed for r in prep.card_rows])
    try:
        main, main_ranks, others = _method_scores(scores, method, normalization, totals, passed)
    except InputError as exc:
        raise exc.located(pkg.source) from None
    norm = registry.get(method).normalization_label(normalization)
    results = _results(prep.ids, prep.titles, main, others, main_ranks)
    if prep.card_rows is not None:
        by_id = dict(zip(prep.ids, prep.card_rows))
        for r in results:
            r.card = by_id[r.id]
    return Ranking(input_hash=prep.input_hash, method=method, normalization=norm,
                   partnership=pkg.partnership.name, random_index=ahp.RI_TABLE_NAME,
                   source=pkg.source, criteria=prep.criteria, results=results, ineligible=prep.ineligible,
                   weights=prep.weights, card=prep.card_info,
                   matrix=prep.x,
                   alternatives=prep.ids, package=pkg)


def rank_package(pkg, method: str = "topsis", normalization: str = "vector") -> Ranking:
    """Appraise a :class:`~appraisal.package.Package` (see the module docstring)."""
    prep = prepare_package(pkg, method, normalization)
    return finish_package(prep, method_scores(method, prep.x, prep.w, prep.d, normalization, prep.values))


def card_threshold(cs) -> float | None:
    """The selection card's threshold on the merit points (None: no threshold)."""
    rules = cs.card
    if rules is not None and rules.threshold_points is not None:
        return rules.threshold_points
    if rules is not None and rules.threshold_percent is not None:
        return float(sum(c.scale.high for c in cs.leaves() if c.scale)) * rules.threshold_percent / 100.0
    return None


def card_scores(cs, projects, x) -> tuple[dict[str, Any], list[CardScore]]:
    """The selection card of these projects (rows of ``x``, the criteria set's leaves as columns): the
    card's facts (most points, threshold, bonus) and each project's points, pass/fail and reasons."""
    leaves = cs.leaves()
    quantities = [c.id for c in leaves if c.kind != "scale"]
    if quantities:
        raise InputError(ngettext("the selection card (method points) needs every criterion scored in points on a "
                                  "scale; {criteria} is a quantity",
                                  "the selection card (method points) needs every criterion scored in points on a "
                                  "scale; {criteria} are quantities", len(quantities)).format(
            criteria=", ".join(quantities)))
    rules = cs.card
    top = float(sum(c.scale.high for c in leaves))
    threshold = card_threshold(cs)
    minima = np.array([np.nan if c.minimum is None else c.minimum for c in leaves])
    bonus_ids = [b.id for b in cs.bonus]
    bx = np.array([[p.scores.get(b, 0.0) for b in bonus_ids] for p in projects], dtype=float).reshape(
        len(projects), len(bonus_ids))
    only_passed = True if rules is None else rules.bonus_only_if_passed
    res = points.card(x, minima, threshold, bx, only_passed)
    rows = []
    lang = i18n.current()

    def shown(v: float) -> str:
        return numfmt.amount(float(v), lang=lang)

    for i, p in enumerate(projects):
        # each reason names the criterion by its label in the current language, never by its id
        reasons = [_("{criterion}: {points} < minimum {minimum}").format(
            criterion=leaves[j].label.get(lang), points=shown(x[i, j]), minimum=shown(leaves[j].minimum))
            for j in np.flatnonzero(res.below_minimum[i])]
        if res.below_threshold[i]:
            reasons.append(_("total {points} < threshold {threshold}").format(points=shown(res.base[i]),
                                                                               threshold=shown(threshold)))
        if only_passed and not res.passed[i] and res.bonus[i] > 0:
            reasons.append(_("bonus {bonus} not counted (only for projects that pass)").format(
                bonus=shown(res.bonus[i])))
        pts = {c.id: float(v) for c, v in zip(leaves, x[i])}
        pts.update({b: float(v) for b, v in zip(bonus_ids, bx[i])})
        rows.append(CardScore(points=pts, base=float(res.base[i]), bonus=float(res.bonus[i]),
                              total=float(res.total[i]), passed=bool(res.passed[i]), reasons=reasons))
    info = {"max_points": top, "threshold": threshold, "bonus_criteria": bonus_ids,
            "max_bonus": float(sum(b.scale.high for b in cs.bonus if b.scale)),
            "bonus_only_if_passed": only_passed}
    return info, rows
