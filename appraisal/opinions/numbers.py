"""The numbers an opinion prints: values, contributions, attainment, group percentages, the selection
card, strengths and weaknesses, and the robustness of the rank (SMAA-2).

Definitions (docs/design.md#reference-levels). Every number that decides an
opinion rests on the criteria set's own yardstick, never on the other projects of the package, so
adding or withdrawing another project changes no project's category, deciding rule, reasons or
percentages — only its rank and its TOPSIS/WSM score, which are relative to the package by design
and shown beside as its standing among its partners' projects:

- **value** v of a criterion (``CriterionAssessment.attainment``, 0 … 1): the criterion's value
  function (:mod:`appraisal.value`): a scale by its own range, (level − worst)/(best − worst), or the
  levels' explicit values; a quantity by the set's reference levels (neutral → 0, good → 1, linear
  through optional breakpoints, clipped); reversed for a cost;
- **contribution** = global weight × v; a project's contributions sum to its **attainment**
  (0 … 100 %): the weighted sum on the set's yardstick;
- **group percentage** = the contributions of the group's criteria as a % of the group's weight (the
  group's attainment); a group minimum (rule) compares this percentage with the minimum;
- **strengths**: up to 3 criteria with the largest contributions w·v among those with v ≥ 0.5;
  **weaknesses and risks**: up to 3 with the largest lost contributions w·(1 − v) among those with
  v < 0.5 (0.5 compared with a 1e-9 tolerance; ties broken by the larger weight, then the criteria
  order), then every group below its minimum, and a failed selection card;
- **rule score** (what the score thresholds read): the attainment; for a criteria set with a selection
  card (karta oceny), the merit points as a share of the maximum (bonus excluded), shown as points.

The robustness sentence comes from a SMAA-2 run over the package's weights (:func:`robustness`, in
:mod:`appraisal.sensitivity`): the share of weight scenarios with the project among the top k.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import methods, numfmt
from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import N_, _, ngettext
from .models import CardSummary, CriterionAssessment, Robustness, package_of

TOP_STRENGTHS = 3
#: a value within this of 0.5 counts as 0.5 (a mid-scale value can come out as 0.49999999999999994)
HALF_TOLERANCE = 1e-9


@dataclass
class _Numbers:
    """Values, contributions and rule scores of the projects that pass the gates (rows in
    ``ranking.alternatives`` order), all on the criteria set's yardstick."""

    ids: list[str]
    v: np.ndarray  # (m, n) values 0 … 1 (appraisal.value)
    w: np.ndarray  # (n,) global weights
    contributions: np.ndarray  # (m, n) w · v
    group_cols: dict[str, list[int]]
    group_labels: dict[str, str]
    rule_scores: dict[str, float]  # attainment, or the card's merit-point share
    cards: dict[str, Any]  # the card result of each project (criteria sets with a selection card)
    max_points: float | None  # the card's most merit points (None: no card)


def _numbers(ranking, lang: str = "pl") -> _Numbers:
    """The numbers of the ranking's projects that pass the gates (the groups labelled in ``lang``)."""
    from ..ranking import card_scores, set_values

    pkg = package_of(ranking)
    cs = pkg.criteria_set
    crit = [c.id for c in ranking.criteria]
    w = np.array([c.weight for c in ranking.criteria], dtype=float)
    x = np.asarray(ranking.matrix, dtype=float).reshape(-1, len(w))
    values = set_values(cs)
    if list(values.ids) != crit:  # pragma: no cover - the ranking's criteria are the set's leaves
        raise ValueError("the ranking's criteria are not the criteria set's leaves")
    v = values(x)
    contributions = v * w[None, :]
    group_cols: dict[str, list[int]] = {}
    for path, leaf in cs.leaf_paths():
        for g in path[1:]:
            group_cols.setdefault(g.id, []).append(crit.index(leaf.id))
    labels = {g.id: g.label.get(lang) for g in cs.iter_groups() if g is not cs}
    ids = list(ranking.alternatives)
    cards: dict[str, Any] = {}
    max_points = None
    if cs.card is not None and ids:  # judged by the card whatever method ranks the package
        cards = {r.id: r.card for r in ranking.results if r.card is not None}
        if ranking.card is not None and set(ids) <= set(cards):  # the ranking scored the card already
            max_points = float(ranking.card["max_points"])
        else:  # the one admissible project of a package, not ranked
            by_id = {p.id: p for p in pkg.projects}
            info, rows = card_scores(cs, [by_id[i] for i in ids], x)
            max_points = float(info["max_points"])
            cards = dict(zip(ids, rows))
    attained = contributions.sum(axis=1)
    rule_scores = {}
    for i, ident in enumerate(ids):
        if max_points is not None:
            rule_scores[ident] = cards[ident].base / max_points if max_points > 0 else 0.0
        else:
            rule_scores[ident] = float(attained[i])
    return _Numbers(ids, v, w, contributions, group_cols, labels, rule_scores, cards, max_points)


def _group_percents(nums: _Numbers) -> list[dict[str, float | None]]:
    """Every project's group percentages (one dict per row of ``nums``): the group's contributions as a %
    of its weight (a group of weight 0 counts as fully attained). One computation for the opinions,
    :func:`~appraisal.opinions.recommend` and :func:`~appraisal.opinions.categories` (the batch), so that
    they always agree."""
    groups = list(nums.group_cols)
    member = np.zeros((len(groups), len(nums.w)))
    for k, g in enumerate(groups):
        member[k, nums.group_cols[g]] = 1.0
    gw = (member * nums.w).sum(axis=-1)
    # an elementwise product and a sum along the criteria, not a matrix product: BLAS may round a row
    # differently with another number of rows, and a project's numbers must not depend on its neighbours
    got = (nums.contributions[:, None, :] * member[None, :, :]).sum(axis=-1)
    pct = np.where(gw > 0, 100.0 * got / np.where(gw > 0, gw, 1.0), 100.0)
    return [{g: float(pct[i, k]) for k, g in enumerate(groups)} for i in range(len(nums.ids))]


def _card_passed(nums: _Numbers, ident: str) -> bool | None:
    """Whether the project passes the selection card (None: the criteria set has no card)."""
    card = nums.cards.get(ident)
    return None if nums.max_points is None or card is None else bool(card.passed)


# --- the opinion's score and the criteria's lines ----------------------------------------------------------------

def _score_label(ranking, lang: str) -> str:
    return methods.get(ranking.method).describe(ranking.normalization, lang)


def _fmt_score(ranking, score: float | None, lang: str) -> str:
    if score is None:
        return "—"
    return numfmt.amount(score, lang) if methods.get(ranking.method).card else numfmt.number(score, 3, lang)


def _value_text(crit, value: float, lang: str) -> tuple[str, str | None, str | None]:
    """(value text, level label, descriptor) of a score on a criterion; an amount in PLN (the unit
    ``PLN`` or ``PLN/…``) as money (:func:`appraisal.numfmt.money`)."""
    if crit.scale is not None:
        lv = crit.scale.level(value)
        label = lv.label.get(lang) if lv is not None and lv.label is not None else None
        desc = lv.descriptor.get(lang) if lv is not None else None
        return (f"{numfmt.amount(value, lang)} — {label}" if label else numfmt.amount(value, lang)), label, desc
    unit = crit.unit or ""
    if unit == "PLN" or unit.startswith("PLN/"):  # money, as the language writes it: 6 210 zł/osobę, 6,210 PLN/…
        return f"{numfmt.money(value, lang)}{unit.removeprefix('PLN')}", None, None
    return f"{numfmt.amount(value, lang)}{' ' + unit if unit else ''}", None, None


def split_points(crits: list[CriterionAssessment]) -> tuple[list[CriterionAssessment], list[CriterionAssessment]]:
    """(strengths, weaknesses) among the criteria with a value: strengths are those with v ≥ 0.5
    by largest contribution w·v, weaknesses those with v < 0.5 by largest lost contribution w·(1 − v);
    ties by the larger weight, then the criteria order; at most TOP_STRENGTHS each. The comparison
    with 0.5 allows 1e-9 (a mid-scale value can come out as 0.49999999999999994)."""
    informative = [a for a in crits if a.attainment is not None]
    strong = [a for a in informative if a.attainment >= 0.5 - HALF_TOLERANCE]
    weak = [a for a in informative if a.attainment < 0.5 - HALF_TOLERANCE]
    strong.sort(key=lambda a: (-a.weight * a.attainment, -a.weight))
    weak.sort(key=lambda a: (-a.weight * (1.0 - a.attainment), -a.weight))
    return strong[:TOP_STRENGTHS], weak[:TOP_STRENGTHS]


def _point_text(a: CriterionAssessment, lang: str, crit=None, card: bool = False) -> str:
    """A strength or weakness line, in ``lang``. On a selection card the points are shown as points
    ("7 z 10 pkt"); otherwise the value on the criterion's yardstick and the contribution."""
    share = numfmt.percent(a.attainment or 0.0, lang)
    with i18n.use(lang):
        if card and crit is not None and crit.scale is not None and a.value is not None:
            return _("{criterion}: {points} of {top} points{level} ({share} of the scale)").format(
                criterion=a.label, points=numfmt.amount(a.value, lang), top=numfmt.amount(crit.scale.high, lang),
                level=f" — {a.level_label}" if a.level_label else "", share=share)
        return _("{criterion}: {value} ({share} of the criterion's scale; contribution {contribution} of a "
                 "possible {weight})").format(
            criterion=a.label, value=a.value_text, share=share,
            contribution=numfmt.number(a.contribution or 0.0, 3, lang), weight=numfmt.number(a.weight, 3, lang))


def _evidence(nums: _Numbers, pid: str, rule_score: float, card, lang: str) -> str:
    """The number the deciding threshold read, in ``lang``: the attainment, or the card's merit points."""
    with i18n.use(lang):
        if card is not None and nums.max_points is not None:
            text = _("merit points {points} of {max_points} ({share})").format(
                points=numfmt.amount(card.points, lang), max_points=numfmt.amount(card.max_points, lang),
                share=numfmt.percent(rule_score, lang))
            if not card.passed and card.reasons:
                text += "; " + "; ".join(card.reasons)
            return text
        return _("attainment {share}").format(share=numfmt.percent(rule_score, lang))


def _card_summary(nums: _Numbers, card, cs, lang: str) -> CardSummary:
    """A project's selection card as the opinion prints it, with why it fails (if it does)."""
    from ..ranking import card_threshold

    threshold = card_threshold(cs)
    reasons = []
    with i18n.use(lang):
        for c in cs.leaves():
            pts = card.points.get(c.id)
            if c.minimum is not None and pts is not None and pts < c.minimum:
                reasons.append(_("{criterion}: {points} < minimum {minimum}").format(
                    criterion=c.label.get(lang), points=numfmt.amount(pts, lang),
                    minimum=numfmt.amount(c.minimum, lang)))
        if threshold is not None and card.base < threshold:
            reasons.append(_("total points {points} < threshold {threshold}").format(
                points=numfmt.amount(card.base, lang), threshold=numfmt.amount(threshold, lang)))
    return CardSummary(points=card.base, bonus=card.bonus, total=card.total, max_points=nums.max_points or 0.0,
                       threshold=threshold, passed=card.passed, reasons=reasons)


# --- robustness --------------------------------------------------------------------------------------------------

@dataclass
class RobustnessRun:
    """A SMAA-2 run over the package's weights: rank acceptabilities of the eligible projects."""

    samples: int
    seed: int
    sampler: str
    concentration: float | None
    top_k: int
    ids: list[str]
    acceptability: np.ndarray  # (m, m)

    def settings(self) -> dict[str, Any]:
        return {"samples": self.samples, "seed": self.seed, "sampler": self.sampler,
                "concentration": self.concentration, "top_k": self.top_k}


def robustness(ranking, samples: int = 10_000, seed: int = 0, sampler: str = "dirichlet",
               concentration: float = 100.0, judgment_change: float = 0.5) -> RobustnessRun:
    """SMAA-2 on the ranking's weights (appraisal.sensitivity): top-k = min(3, number ranked)."""
    from .. import sensitivity as sens

    if not methods.get(ranking.method).weighted:
        raise InputError(_("the robustness analysis varies the weights, which method {method} does not use; "
                           "use {{param:samples}} 0 or {{param:method}} {methods}").format(
            method=ranking.method, methods="/".join(methods.weighted_names())), param="samples")
    problem = sens.Problem.from_ranking(ranking)
    draw = sens.weight_sampler(problem, sampler, concentration, judgment_change)
    with sens.one_blas_thread():
        res = sens.smaa(problem, draw, samples, seed)
    return RobustnessRun(samples, seed, sampler, concentration if sampler == "dirichlet" else None,
                         min(3, problem.m), list(problem.ids), res.acceptability)


#: how the weights of the robustness run are drawn, by sampler (the end of the SMAA-2 sentence)
SAMPLERS = {
    "dirichlet": N_("from a Dirichlet distribution around the base weights (concentration {concentration})"),
    "uniform": N_("uniformly over the weight simplex"),
    "ahp": N_("from perturbed AHP pairwise judgments"),
    "panel": N_("from the individual weights of the panel's experts"),
}
#: where the project is in the run's scenarios, by top k (2 or 3; top 1 is "first", in its own sentences)
TOP = {2: N_("in the top 2"), 3: N_("in the top 3")}


def _robustness(run: RobustnessRun, ident: str, base_rank: int, lang: str) -> Robustness:
    """The project's robustness in the opinion: its shares of the run's scenarios, and the sentence (in
    ``lang``)."""
    i = run.ids.index(ident)
    acc = run.acceptability[i]
    k = run.top_k
    share = float(acc[:k].sum())
    first = float(acc[0])
    expected = float(acc @ np.arange(1, len(acc) + 1))
    stays = base_rank <= k  # the project is in the top k by the base weights: it "stays" there
    fmt = {"share": numfmt.percent(share, lang), "first": numfmt.percent(first, lang),
           "expected": numfmt.number(expected, 1, lang)}
    with i18n.use(lang):
        if k > 1:
            fmt["top"] = _(TOP[k])
            where = (_("In {share} of weight scenarios the project stays {top} (first in {first}; expected rank "
                       "{expected}).") if stays else
                     _("In {share} of weight scenarios the project is {top} (first in {first}; expected rank "
                       "{expected})."))
        else:
            where = (_("In {share} of weight scenarios the project stays first (expected rank {expected}).")
                     if stays else _("In {share} of weight scenarios the project is first (expected rank {expected})."))
        how = _(SAMPLERS[run.sampler]).format(concentration=numfmt.amount(run.concentration or 0, lang))
        smaa = ngettext("SMAA-2: {samples} weight sample {sampler}, seed {seed}.",
                        "SMAA-2: {samples} weight samples {sampler}, seed {seed}.", run.samples).format(
            samples=numfmt.number(run.samples, 0, lang), sampler=how, seed=run.seed)
        text = f"{where.format(**fmt)} {smaa}"
    return Robustness(samples=run.samples, seed=run.seed, sampler=run.sampler, concentration=run.concentration,
                      top_k=k, share_top_k=share, share_first=first, expected_rank=expected, text=text)
