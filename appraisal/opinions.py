"""Advisory opinions (opinia doradcza, Komponent II): one per project, built from a package's ranking.

An :class:`Opinion` identifies the project (partnership, voivodeship, advisor, date, engine version,
input hash), gives its score and rank, a :class:`Recommendation` with the rule that decided it, a
per-criterion assessment, strengths, weaknesses and risks, a robustness sentence (when the SMAA is
run), conditions, and the advisor's own text. Files are written by :mod:`appraisal.io.opinion_output`
(DOCX through :mod:`appraisal.io.docx`, Markdown through :mod:`appraisal.io.markdown`, JSON).

Definitions (DESIGN.md section 3, "Reference levels and attainment"). Every number that decides an
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

Recommendation rules (:class:`~appraisal.criteria.OpinionRules`, from the criteria set's
``[opinions]`` section, a ``--rules`` file, or the defaults):

1. a failed admissibility gate decides outright (default: not recommended); the project has no score;
2. the best category whose threshold the rule score reaches (defaults ≥ 0.60 recommended, ≥ 0.45 with
   conditions, ≥ 0.30 needs rework, below: not recommended);
3. a project that fails the selection card (a criterion's minimum or the points threshold) is judged
   by the card: the card rule's category (default "needs rework") decides — unless its points are
   already below a worse threshold (failing the card never earns a better category than the points);
4. caps can only lower it: each group below its minimum makes the project at most its category. The
   worst binding cap decides (the first listed on a tie); when no cap binds, the threshold (or the
   card) decides. The deciding rule is stated in the opinion, every rule that applied is listed, and
   the conditions are those of the deciding rule and of every applicable cap.

A project that alone passes the gates has no rank or TOPSIS score (nothing to compare it with) but
is judged exactly like any other. The category is monotone in the attainment: with everything else
equal, a higher attainment never gives a worse category.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import methods, numfmt
from .criteria import OpinionRules
from .criteria.errors import InputError
from .criteria.models import RECOMMENDATIONS, CardCap, GateRule, GroupMinimum, ScoreRule
from .provenance import ENGINE, input_hash

SCHEMA_VERSION = 1
TOP_STRENGTHS = 3


class Recommendation(str, Enum):
    """The opinion's category (rekomendacja), best first."""

    RECOMMENDED = "recommended"
    WITH_CONDITIONS = "recommended_with_conditions"
    NEEDS_REWORK = "needs_rework"
    NOT_RECOMMENDED = "not_recommended"

    @property
    def order(self) -> int:
        """0 for the best category … 3 for the worst."""
        return RECOMMENDATIONS.index(self.value)

    def label(self, lang: str = "pl") -> str:
        return LABELS[lang if lang in LABELS else "pl"][self.value]


LABELS = {
    "pl": {"recommended": "rekomendowany", "recommended_with_conditions": "rekomendowany warunkowo",
           "needs_rework": "do przeformułowania", "not_recommended": "nierekomendowany"},
    "en": {"recommended": "recommended", "recommended_with_conditions": "recommended with conditions",
           "needs_rework": "needs rework", "not_recommended": "not recommended"},
}


def _q(text: str, lang: str) -> str:
    return f"„{text}”" if lang == "pl" else f"\"{text}\""


# --- the model --------------------------------------------------------------------------------------------------

class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FundingLine(_M):
    source: str
    amount: float | None = None


class Identification(_M):
    project_id: str
    project_title: str
    partnership: str
    voivodeship: str | None = None
    advisor: str | None = None
    date: _dt.date | None = None
    engine: str = ENGINE
    input_hash: str = Field(description="hash of the inputs: the package, criteria set, method, rules, robustness run")
    ranking_hash: str = Field(description="input hash of the ranking the opinion comes from")
    criteria_set: str
    method: str
    normalization: str | None = None
    lead_jst: str | None = None
    partners: list[str] = Field(default_factory=list)
    cost: float | None = None
    funding: list[FundingLine] = Field(default_factory=list)
    status: str | None = None
    description: str | None = None


class RuleRef(_M):
    """A recommendation rule as stated in the opinion."""

    id: str = Field(description=(
        "gate, score.<category>, score.below, group_minimum.<group> (group_minimum.<group>.<at_most> when the "
        "group has several minima) or card; 'unranked' only in opinions written by earlier versions"))
    kind: Literal["gate", "score", "group_minimum", "card", "unranked"]
    category: Recommendation = Field(description="the category the rule gives (gate, score) or caps at")
    text: str
    note: str | None = None


class CriterionAssessment(_M):
    id: str
    label: str
    group: str
    group_label: str
    kind: Literal["scale", "quantity"]
    direction: Literal["benefit", "cost"]
    value: float | None = None
    value_text: str
    level_label: str | None = None
    descriptor: str | None = None
    unit: str | None = None
    weight: float = Field(description="global weight")
    attainment: float | None = Field(default=None, description=(
        "the value on the criteria set's yardstick (the scale's range or the reference levels), 0 worst … 1 "
        "best, independent of the other projects; null for a project that fails a gate"))
    contribution: float | None = Field(default=None, description="global weight × attainment")
    comment: str | None = None


class GroupAssessment(_M):
    id: str
    label: str
    weight: float
    contribution: float | None = None
    percent: float | None = Field(default=None, description=(
        "the group's attainment: the contributions of its criteria as a % of the group's weight"))
    minimum_percent: float | None = None
    below_minimum: bool = False


class Point(_M):
    """A strength or a weakness."""

    kind: Literal["criterion", "group", "card", "gate"]
    id: str
    text: str


class CardSummary(_M):
    points: float
    bonus: float
    total: float
    max_points: float
    threshold: float | None = None
    passed: bool
    reasons: list[str] = Field(default_factory=list)


class Robustness(_M):
    samples: int
    seed: int
    sampler: str
    concentration: float | None = None
    top_k: int
    share_top_k: float = Field(description="share of weight scenarios with the project among the top k")
    share_first: float
    expected_rank: float
    text: str


class ChangeBlock(_M):
    """What changed since the previous generation of this opinion."""

    score_old: float | None = None
    score_new: float | None = None
    rank_old: int | None = None
    rank_new: int | None = None
    recommendation_old: Recommendation | None = None
    recommendation_new: Recommendation
    previous_input_hash: str | None = None
    text: str


class AdvisorText(_M):
    """The advisor's own text: kept across regenerations (a DOCX edit wins, see io.opinion_output)."""

    notes: str = Field(default="", description="Uwagi doradcy / Advisor's notes (free text)")
    recommendations: str = Field(default="", description="the advisor's own conditions and recommendations")
    source: Literal["new", "json", "docx"] = "new"
    written_digest: str = Field(default="", description="digest of notes and recommendations as written")
    docx_digest: str = Field(default="", description=(
        "sha256 of the DOCX file as last written (\"sha256:<hex>\"; empty when unknown): a DOCX that differs "
        "from it is kept as <id>.prev.docx before it is replaced"))
    comments: dict[str, str] = Field(default_factory=dict, description=(
        "per-criterion comments the advisor typed in the DOCX (section 3, comment column), by criterion id; "
        "each replaces the package's comment on that criterion, and is kept across regenerations"))


class Opinion(_M):
    """An advisory opinion on one project (opinia doradcza, Komponent II)."""

    kind: Literal["opinion"] = "opinion"
    schema_version: int = SCHEMA_VERSION
    lang: Literal["pl", "en"]
    identification: Identification
    eligible: bool
    failed_gates: list[Point] = Field(default_factory=list)
    score: float | None = None
    score_label: str
    rule_score: float | None = Field(default=None, description=(
        "what the score thresholds read: the attainment, or for a selection card the merit points' share"))
    attainment: float | None = Field(default=None, description=(
        "Σ weight × value on the criteria set's yardstick, 0 … 1 (independent of the other projects)"))
    wsm_score: float | None = Field(default=None, description="the sum of the contributions (= attainment)")
    rank: int | None = None
    ranked: int = Field(description="how many projects of the package are ranked")
    card: CardSummary | None = None
    recommendation: Recommendation
    recommendation_label: str
    decided_by: RuleRef
    decision_text: str
    rules_applied: list[RuleRef]
    criteria: list[CriterionAssessment]
    groups: list[GroupAssessment]
    strengths: list[Point]
    weaknesses: list[Point]
    robustness: Robustness | None = None
    conditions: list[str] = Field(description="conditions and recommendations from the rules")
    advisor: AdvisorText = Field(default_factory=AdvisorText)
    changes: ChangeBlock | None = None


class SummaryRow(_M):
    project_id: str
    title: str
    rank: int | None = None
    score: float | None = None
    recommendation: Recommendation
    recommendation_label: str
    share_top_k: float | None = None
    file: str | None = None


class OpinionBundle(_M):
    """Every opinion of a package, with a summary table."""

    kind: Literal["opinion_bundle"] = "opinion_bundle"
    schema_version: int = SCHEMA_VERSION
    lang: Literal["pl", "en"]
    partnership: str
    voivodeship: str | None = None
    advisor: str | None = None
    date: _dt.date | None = None
    engine: str = ENGINE
    input_hash: str
    method: str
    normalization: str | None = None
    top_k: int | None = None
    summary: list[SummaryRow]
    opinions: list[Opinion]


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def opinion_schema() -> dict[str, Any]:
    """JSON Schema of one opinion file (``appraise schema opinion``)."""
    return _schema(Opinion, "appraise opinion")


def bundle_schema() -> dict[str, Any]:
    """JSON Schema of the package bundle of opinions."""
    return _schema(OpinionBundle, "appraise opinion bundle")


# --- rules ------------------------------------------------------------------------------------------------------

def rules_for(ranking, rules: OpinionRules | None = None) -> OpinionRules:
    """The rules given, else the criteria set's ``[opinions]``, else the defaults; checked against the set."""
    cs = _package(ranking).criteria_set
    chosen = rules if rules is not None else (cs.opinions or OpinionRules())
    problems = chosen.problems([g.id for g in cs.iter_groups() if g is not cs], cs.id, "")
    if problems:
        where, msg = problems[0]
        raise InputError(msg, where=where)
    return chosen


def load_opinion_rules(path, cs=None) -> OpinionRules:
    """Rules from a TOML/JSON file (the keys of a criteria set's ``[opinions]`` section, at the top level
    or under ``opinions``), checked — against the criteria set ``cs`` too when given."""
    from pydantic import ValidationError

    from .criteria import first_problem, read_document, validation_problems

    source = str(path)
    doc = read_document(path)
    if set(doc) == {"opinions"} and isinstance(doc["opinions"], dict):
        doc = doc["opinions"]
    try:
        rules = OpinionRules.model_validate(doc)
    except ValidationError as exc:
        raise first_problem(validation_problems(exc, source)) from None
    if cs is not None:
        problems = rules.problems([g.id for g in cs.iter_groups() if g is not cs], cs.id, "")
        if problems:
            where, msg = problems[0]
            raise InputError(msg, source=source, where=where)
    return rules


#: a rule score or group percentage within this of a threshold counts as reaching it (level 3 of 5 on
#: every criterion is 60 %, even when the weighted sum comes out as 0.5999999999999999)
RULE_TOLERANCE = 1e-9


@dataclass
class Decision:
    category: Recommendation
    decided_by: Any
    applied: list[Any] = field(default_factory=list)


def decide(rules: OpinionRules, score: float | None = None, failed_gates: bool = False,
           group_percent: dict[str, float | None] | None = None, card_passed: bool | None = None) -> Decision:
    """The category and the deciding rule (see the module docstring). Rules are the model objects
    (a ScoreRule, ``("below", lowest ScoreRule)`` for "below every threshold", a GroupMinimum, the
    CardCap, the GateRule). ``card_passed`` is None when the criteria set has no selection card."""
    if failed_gates:
        return Decision(Recommendation(rules.gate.category), rules.gate, [rules.gate])
    if score is None:
        raise ValueError("a project that passes the gates needs a score")
    caps: list[tuple[Any, Recommendation]] = []
    for gm in rules.group_minimum:
        pct = (group_percent or {}).get(gm.group)
        if pct is not None and pct < gm.min_percent - 100 * RULE_TOLERANCE:
            caps.append((gm, Recommendation(gm.at_most)))
    met = next((r for r in rules.score if score >= r.min_score - RULE_TOLERANCE), None)
    category = Recommendation(met.category) if met is not None else Recommendation.NOT_RECOMMENDED
    base_rule: Any = met if met is not None else ("below", rules.score[-1])
    if rules.card is not None and card_passed is False:
        # judged by the card: its category decides, unless the points threshold is already worse (failing
        # the card never earns a better category than the points alone would)
        card_category = Recommendation(rules.card.at_most)
        if card_category.order >= category.order:
            base_rule, category = rules.card, card_category
    applied = [base_rule, *(c for c, _ in caps)]
    binding = [(c, cat) for c, cat in caps if cat.order > category.order]
    if not binding:
        return Decision(category, base_rule, applied)
    worst = max(cat.order for _, cat in binding)
    cap, cat = next((c, k) for c, k in binding if k.order == worst)
    return Decision(cat, cap, applied)


@dataclass
class _Words:
    """What the rule texts need to know: the language, the groups' labels, and — for a criteria set with
    a selection card — the most merit points (the thresholds are then stated in points)."""

    lang: str
    group_labels: dict[str, str]
    max_points: float | None = None
    #: groups with more than one minimum: their rule ids carry the cap (group_minimum.<group>.<at_most>)
    several_minima: frozenset[str] = frozenset()


def _threshold_words(w: _Words, share: float, op: str) -> str:
    lang = w.lang
    if w.max_points is not None:
        pts = numfmt.amount(share * w.max_points, lang)
        return (f"suma punktów {op} {pts} z {numfmt.amount(w.max_points, lang)} ({numfmt.percent(share, lang)})"
                if lang == "pl" else
                f"merit points {op} {pts} of {numfmt.amount(w.max_points, lang)} ({numfmt.percent(share, lang)})")
    return (f"stopień spełnienia kryteriów {op} {numfmt.percent(share, lang)}" if lang == "pl"
            else f"attainment {op} {numfmt.percent(share, lang)}")


def _rule_ref(rule: Any, w: _Words) -> RuleRef:
    lang = w.lang
    pl = lang == "pl"

    def cap_words(category: str) -> str:
        return (f"co najwyżej {_q(LABELS['pl'][category], 'pl')}" if pl
                else f"at most {_q(LABELS['en'][category], 'en')}")

    note = rule[1].note if isinstance(rule, tuple) else getattr(rule, "note", None)
    note_text = None
    if isinstance(rule, GateRule):
        text = (f"niespełnione kryterium dostępowe ⇒ {LABELS['pl'][rule.category]}" if pl
                else f"a failed admissibility gate ⇒ {LABELS['en'][rule.category]}")
        ref = RuleRef(id="gate", kind="gate", category=Recommendation(rule.category), text=text)
    elif isinstance(rule, ScoreRule):
        text = f"{_threshold_words(w, rule.min_score, '≥')} ⇒ {LABELS[lang][rule.category]}"
        ref = RuleRef(id=f"score.{rule.category}", kind="score", category=Recommendation(rule.category), text=text)
    elif isinstance(rule, tuple):
        text = f"{_threshold_words(w, rule[1].min_score, '<')} ⇒ {LABELS[lang]['not_recommended']}"
        ref = RuleRef(id="score.below", kind="score", category=Recommendation.NOT_RECOMMENDED, text=text)
        note = None
    elif isinstance(rule, GroupMinimum):
        label = w.group_labels.get(rule.group, rule.group)
        pct = numfmt.percent(rule.min_percent / 100, lang)
        text = (f"grupa {_q(label, 'pl')} poniżej {pct} wagi grupy ⇒ {cap_words(rule.at_most)}" if pl
                else f"group {_q(label, 'en')} below {pct} of the group's weight ⇒ {cap_words(rule.at_most)}")
        ident = f"group_minimum.{rule.group}" + (f".{rule.at_most}" if rule.group in w.several_minima else "")
        ref = RuleRef(id=ident, kind="group_minimum", category=Recommendation(rule.at_most), text=text)
    elif isinstance(rule, CardCap):
        text = (f"niespełnione wymogi karty oceny (minimum kryterium lub próg punktowy) ⇒ "
                f"{LABELS['pl'][rule.at_most]}" if pl else
                f"failing the selection card (a criterion's minimum or the points threshold) ⇒ "
                f"{LABELS['en'][rule.at_most]}")
        ref = RuleRef(id="card", kind="card", category=Recommendation(rule.at_most), text=text)
    else:  # pragma: no cover - decide() returns only the kinds above
        raise TypeError(f"not a rule: {rule!r}")
    if note is not None:
        note_text = note.get(lang)
    ref.note = note_text
    return ref


def _rule_conditions(rule: Any, lang: str) -> list[str]:
    if isinstance(rule, tuple):
        return []
    return [c.get(lang) for c in getattr(rule, "conditions", [])]


# --- a package where fewer than two projects pass the gates ---------------------------------------------------

def _unranked_ids(ranking) -> list[str]:
    """Projects that pass the gates but were not ranked (the one admissible project of a package): they
    have no rank or TOPSIS score, but are judged on the criteria set's yardstick like any other."""
    ranked = {r.id for r in ranking.results}
    return [pid for pid in ranking.alternatives if pid not in ranked]


def ranking_for_opinions(pkg, method: str = "topsis", normalization: str = "vector"):
    """The package's ranking, or — when fewer than two projects pass the gates — a ranking without
    results that still lists the ineligible projects (and the one admissible project, unranked), so
    that every project gets its opinion. ``len(result.results) == 0`` tells the two apart."""
    from .ranking import Ranking, prepare_package, rank_package

    prep = prepare_package(pkg, method, normalization, min_eligible=0)
    if len(prep.ids) >= 2:
        return rank_package(pkg, method, normalization)
    norm = methods.get(method).normalization_label(normalization)
    return Ranking(input_hash=prep.input_hash, method=method, normalization=norm, partnership=pkg.partnership.name,
                   source=pkg.source, criteria=prep.criteria, results=[], ineligible=prep.ineligible,
                   weights=prep.weights, matrix=prep.x, alternatives=prep.ids, package=pkg)


# --- numbers behind an opinion ------------------------------------------------------------------------------------

def _package(ranking):
    if ranking.package is None:
        raise InputError("opinions need a package (JSON/TOML/XLSX) with its criteria set, not a plain matrix")
    return ranking.package


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

    def words(self, lang: str, rules: OpinionRules) -> _Words:
        groups = [gm.group for gm in rules.group_minimum]
        return _Words(lang, self.group_labels, self.max_points,
                      frozenset(g for g in groups if groups.count(g) > 1))


def _numbers(ranking, lang: str = "pl") -> _Numbers:
    from .ranking import card_scores, set_values

    pkg = _package(ranking)
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
    :func:`recommend` and :func:`categories` (the batch), so that they always agree."""
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
    card = nums.cards.get(ident)
    return None if nums.max_points is None or card is None else bool(card.passed)


def recommend(ranking, rules: OpinionRules | None = None,
              lang: str = "pl") -> dict[str, tuple[Recommendation, RuleRef]]:
    """Each project's recommendation and the rule that decided it — without building opinions."""
    rules = rules_for(ranking, rules)
    nums = _numbers(ranking, lang)
    words = nums.words(lang, rules)
    out: dict[str, tuple[Recommendation, RuleRef]] = {}
    percents = _group_percents(nums)
    for i, ident in enumerate(nums.ids):
        dec = decide(rules, nums.rule_scores[ident], False, percents[i], _card_passed(nums, ident))
        out[ident] = (dec.category, _rule_ref(dec.decided_by, words))
    for inel in ranking.ineligible:
        dec = decide(rules, failed_gates=True)
        out[inel.id] = (dec.category, _rule_ref(dec.decided_by, words))
    return out


def categories(ranking, rules: OpinionRules | None = None) -> dict[str, Recommendation]:
    """Each project's category only (what a batch summary counts): :func:`recommend` without the
    rule texts, ranked projects first in rank order, then any unranked one, then the ineligible ones."""
    rules = rules_for(ranking, rules)
    nums = _numbers(ranking)
    row = {ident: i for i, ident in enumerate(nums.ids)}
    percents = _group_percents(nums)
    order = [res.id for res in ranking.results] + _unranked_ids(ranking)
    out = {ident: decide(rules, nums.rule_scores[ident], False, percents[row[ident]],
                         _card_passed(nums, ident)).category for ident in order}
    gate = Recommendation(rules.gate.category)
    out.update((inel.id, gate) for inel in ranking.ineligible)
    return out


# --- robustness --------------------------------------------------------------------------------------------------

SAMPLER_WORDS = {
    "pl": {"dirichlet": "z rozkładu Dirichleta wokół wag bazowych (koncentracja {c})",
           "uniform": "z rozkładu jednostajnego na sympleksie wag",
           "ahp": "z zaburzonych ocen porównań parami AHP",
           "panel": "spośród wag poszczególnych ekspertów panelu"},
    "en": {"dirichlet": "from a Dirichlet distribution around the base weights (concentration {c})",
           "uniform": "uniformly over the weight simplex",
           "ahp": "from perturbed AHP pairwise judgments",
           "panel": "from the individual weights of the panel's experts"},
}
TOP_WORDS = {
    "pl": {1: "na pierwszym miejscu", 2: "w pierwszej dwójce", 3: "w pierwszej trójce"},
    "en": {1: "first", 2: "in the top 2", 3: "in the top 3"},
}


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
    from . import sensitivity as sens

    if not methods.get(ranking.method).weighted:
        raise InputError(f"the robustness analysis varies the weights, which method {ranking.method} does not use; "
                         f"use --samples 0 or --method {'/'.join(methods.weighted_names())}", where="--samples")
    problem = sens.Problem.from_ranking(ranking)
    if sampler == "dirichlet":
        draw = sens.dirichlet_around(problem.weights, concentration)
    elif sampler == "uniform":
        draw = sens.uniform_simplex(problem.n)
    elif sampler == "ahp":
        draw = sens.perturbed_judgments(problem.criteria_set, judgment_change)
    elif sampler == "panel":
        draw = sens.panel_members(problem.criteria_set)
    else:
        raise InputError(f"unknown sampler {sampler!r}; use {', '.join(sens.SAMPLERS)}", where="--sampler")
    with sens.one_blas_thread():
        res = sens.smaa(problem, draw, samples, seed)
    return RobustnessRun(samples, seed, sampler, concentration if sampler == "dirichlet" else None,
                         min(3, problem.m), list(problem.ids), res.acceptability)


def _robustness(run: RobustnessRun, ident: str, base_rank: int, lang: str) -> Robustness:
    i = run.ids.index(ident)
    acc = run.acceptability[i]
    k = run.top_k
    share = float(acc[:k].sum())
    first = float(acc[0])
    expected = float(acc @ np.arange(1, len(acc) + 1))
    words = TOP_WORDS[lang][k]
    how = SAMPLER_WORDS[lang][run.sampler].format(c=numfmt.amount(run.concentration or 0, lang))
    n = numfmt.number(run.samples, 0, lang)
    if lang == "pl":
        verb = "pozostaje" if base_rank <= k else "znajduje się"
        text = (f"W {numfmt.percent(share, lang)} scenariuszy wag projekt {verb} {words}"
                + (f" (na pierwszym miejscu w {numfmt.percent(first, lang)}; oczekiwane miejsce "
                   f"{numfmt.number(expected, 1, lang)})" if k > 1 else
                   f" (oczekiwane miejsce {numfmt.number(expected, 1, lang)})")
                + f". Analiza SMAA-2: {n} losowań wag {how}, ziarno {run.seed}.")
    else:
        verb = "stays" if base_rank <= k else "is"
        text = (f"In {numfmt.percent(share, lang)} of weight scenarios the project {verb} {words}"
                + (f" (first in {numfmt.percent(first, lang)}; expected rank {numfmt.number(expected, 1, lang)})"
                   if k > 1 else f" (expected rank {numfmt.number(expected, 1, lang)})")
                + f". SMAA-2: {n} weight samples {how}, seed {run.seed}.")
    return Robustness(samples=run.samples, seed=run.seed, sampler=run.sampler, concentration=run.concentration,
                      top_k=k, share_top_k=share, share_first=first, expected_rank=expected, text=text)


# --- building opinions --------------------------------------------------------------------------------------------

@dataclass
class Previous:
    """What regeneration keeps or compares: the advisor's text and the previous numbers."""

    notes: str = ""
    recommendations: str = ""
    source: Literal["json", "docx"] = "json"
    score: float | None = None
    rank: int | None = None
    recommendation: Recommendation | None = None
    input_hash: str | None = None
    known: bool = True  # False when only the advisor's text is known (no previous JSON)
    changes: ChangeBlock | None = None  # the previous opinion's own "what changed" block
    comments: dict[str, str] = field(default_factory=dict)  # per-criterion comments edited in the DOCX


def advisor_digest(notes: str, recommendations: str) -> str:
    text = f"{notes}\x1f{recommendations}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _score_label(ranking, lang: str) -> str:
    return methods.get(ranking.method).describe(ranking.normalization, lang)


def _fmt_score(ranking, score: float | None, lang: str) -> str:
    if score is None:
        return "—"
    return numfmt.amount(score, lang) if methods.get(ranking.method).card else numfmt.number(score, 3, lang)


def _value_text(crit, value: float, lang: str) -> tuple[str, str | None, str | None]:
    """(value text, level label, descriptor) of a score on a criterion."""
    if crit.scale is not None:
        lv = crit.scale.level(value)
        label = lv.label.get(lang) if lv is not None and lv.label is not None else None
        desc = lv.descriptor.get(lang) if lv is not None else None
        return (f"{numfmt.amount(value, lang)} — {label}" if label else numfmt.amount(value, lang)), label, desc
    unit = f" {crit.unit}" if crit.unit else ""
    return f"{numfmt.amount(value, lang)}{unit}", None, None


HALF_TOLERANCE = 1e-9


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
    """A strength or weakness line. On a selection card the points are shown as points ("7 z 10 pkt");
    otherwise the value on the criterion's yardstick and the contribution."""
    share = numfmt.percent(a.attainment or 0.0, lang)
    if card and crit is not None and crit.scale is not None and a.value is not None:
        pts, top = numfmt.amount(a.value, lang), numfmt.amount(crit.scale.high, lang)
        label = f" — {a.level_label}" if a.level_label else ""
        return (f"{a.label}: {pts} z {top} pkt{label} ({share} skali)" if lang == "pl"
                else f"{a.label}: {pts} of {top} points{label} ({share} of the scale)")
    c, w = numfmt.number(a.contribution or 0.0, 3, lang), numfmt.number(a.weight, 3, lang)
    if lang == "pl":
        return f"{a.label}: {a.value_text} ({share} skali kryterium; wkład {c} z możliwych {w})"
    return f"{a.label}: {a.value_text} ({share} of the criterion's scale; contribution {c} of a possible {w})"


def _changes(prev: Previous | None, score: float | None, rank: int | None, category: Recommendation,
             ranking, lang: str, h: str | None = None) -> ChangeBlock | None:
    """The "what changed" block against the previous opinion. When the previous opinion came from the same
    inputs (its input hash is ``h``: a re-run, e.g. to add a format), its own block is carried over — the
    numbers it compares are still the latest change (its text in the current language)."""
    if prev is None or not prev.known:
        return None
    old_score, old_rank, old_rec, old_hash = prev.score, prev.rank, prev.recommendation, prev.input_hash
    if h is not None and prev.input_hash == h:
        if prev.changes is None:
            return None
        ch = prev.changes
        old_score, old_rank, old_rec, old_hash = ch.score_old, ch.rank_old, ch.recommendation_old, ch.previous_input_hash
    score_changed = (old_score is None) != (score is None) or (
        score is not None and old_score is not None and abs(score - old_score) > 1e-9)
    rank_changed = old_rank != rank
    cat_changed = old_rec != category
    if not (score_changed or rank_changed or cat_changed):
        return None
    parts = []
    old_s, new_s = _fmt_score(ranking, old_score, lang), _fmt_score(ranking, score, lang)
    if score_changed:
        parts.append(f"{'wynik' if lang == 'pl' else 'score'} {old_s} → {new_s}")
    if rank_changed:
        parts.append(f"{'miejsce' if lang == 'pl' else 'rank'} {old_rank or '—'} → {rank or '—'}")
    if cat_changed:
        old_c = old_rec.label(lang) if old_rec else "—"
        parts.append(f"{'rekomendacja' if lang == 'pl' else 'recommendation'} {_q(old_c, lang)} → "
                     f"{_q(category.label(lang), lang)}")
    head = "Zmiany względem poprzedniej wersji opinii" if lang == "pl" else "Changes since the previous version"
    return ChangeBlock(score_old=old_score, score_new=score, rank_old=old_rank, rank_new=rank,
                       recommendation_old=old_rec, recommendation_new=category,
                       previous_input_hash=old_hash, text=f"{head}: {'; '.join(parts)}.")


def opinions_input_hash(ranking, rules: OpinionRules, run: RobustnessRun | None) -> str:
    return input_hash({"ranking": ranking.input_hash, "rules": rules.model_dump(mode="json"),
                       "robustness": None if run is None else run.settings()})


def build_opinions(ranking, rules: OpinionRules | None = None, previous: dict[str, Previous] | None = None,
                   robustness: RobustnessRun | None = None, lang: str = "pl", advisor: str | None = None,
                   date: _dt.date | None = None) -> list[Opinion]:
    """One opinion per project of the ranked package: ranked projects by rank, then the ineligible ones."""
    if lang not in LABELS:
        raise InputError(f"unknown language {lang!r}; use pl or en", where="--lang")
    pkg = _package(ranking)
    cs = pkg.criteria_set
    rules = rules_for(ranking, rules)
    nums = _numbers(ranking, lang)
    previous = previous or {}
    projects = {p.id: p for p in pkg.projects}
    group_of = {leaf.id: path[-1] for path, leaf in cs.leaf_paths()}
    leaves = {c.id: c for c in cs.leaves()}
    h = opinions_input_hash(ranking, rules, robustness)
    minima: dict[str, float] = {}  # a group's highest minimum (the first to bind)
    for gm in rules.group_minimum:
        minima[gm.group] = max(gm.min_percent, minima.get(gm.group, 0.0))
    gate_labels = {g.id: g.label.get(lang) for g in cs.gates}
    inner_groups = [g for g in cs.iter_groups() if g is not cs]

    def ident(p) -> Identification:
        return Identification(
            project_id=p.id, project_title=p.title, partnership=pkg.partnership.name,
            voivodeship=pkg.partnership.voivodeship, advisor=advisor or pkg.advisor, date=date or pkg.date,
            input_hash=h, ranking_hash=ranking.input_hash,
            criteria_set=pkg.criteria if isinstance(pkg.criteria, str) else cs.id,
            method=ranking.method, normalization=ranking.normalization, lead_jst=p.lead_jst,
            partners=list(p.partners), cost=p.cost,
            funding=[FundingLine(source=f.source, amount=f.amount) for f in p.funding],
            status=p.status, description=p.description)

    def assessments(p, i: int | None) -> list[CriterionAssessment]:
        out = []
        for j, info in enumerate(ranking.criteria):
            crit = leaves[info.id]
            g = group_of[info.id]
            value = p.scores.get(info.id)
            vt, lvl, desc = _value_text(crit, value, lang) if value is not None else ("—", None, None)
            att = contrib = None
            if i is not None:
                contrib = float(nums.contributions[i, j])
                att = float(nums.v[i, j])
            out.append(CriterionAssessment(
                id=info.id, label=crit.label.get(lang), group=g.id, group_label=g.label.get(lang),
                kind=crit.kind, direction=crit.direction, value=value, value_text=vt, level_label=lvl,
                descriptor=desc, unit=crit.unit, weight=float(info.weight), attainment=att,
                contribution=contrib, comment=comment_of(p, info.id)))
        return out

    def comment_of(p, cid: str) -> str | None:
        prev = previous.get(p.id)
        if prev is not None and cid in prev.comments:  # typed in Word: wins over the package's comment
            return prev.comments[cid] or None
        return p.comments.get(cid) or None

    def advisor_text(pid: str) -> AdvisorText:
        prev = previous.get(pid)
        notes = prev.notes if prev else ""
        recs = prev.recommendations if prev else ""
        return AdvisorText(notes=notes, recommendations=recs, source=prev.source if prev else "new",
                           written_digest=advisor_digest(notes, recs),
                           comments=dict(sorted(prev.comments.items())) if prev else {})

    ranked = len(ranking.results)
    percents = _group_percents(nums)
    words = nums.words(lang, rules)
    results = {res.id: res for res in ranking.results}
    out: list[Opinion] = []
    for pid in [res.id for res in ranking.results] + _unranked_ids(ranking):
        res = results.get(pid)  # None: the one project that passes the gates, not ranked
        p = projects[pid]
        i = nums.ids.index(pid)
        crits = assessments(p, i)
        gp = percents[i]
        card = None
        if pid in nums.cards:
            card = _card_summary(nums, nums.cards[pid], cs, lang)
        attained = float(nums.contributions[i].sum())
        rule_score = nums.rule_scores[pid]
        dec = decide(rules, rule_score, False, gp, _card_passed(nums, pid))
        category = dec.category
        groups = [GroupAssessment(
            id=g.id, label=g.label.get(lang), weight=float(nums.w[nums.group_cols[g.id]].sum()),
            contribution=float(nums.contributions[i, nums.group_cols[g.id]].sum()), percent=gp[g.id],
            minimum_percent=minima.get(g.id),
            below_minimum=g.id in minima and gp[g.id] < minima[g.id] - 100 * RULE_TOLERANCE)
            for g in inner_groups]
        strong, weak = split_points(crits)
        on_card = nums.max_points is not None
        strengths = [Point(kind="criterion", id=a.id, text=_point_text(a, lang, leaves[a.id], on_card))
                     for a in strong]
        weaknesses = [Point(kind="criterion", id=a.id, text=_point_text(a, lang, leaves[a.id], on_card))
                      for a in weak]
        for g in groups:
            if g.below_minimum:  # cite the strictest minimum the group falls below (21 %: below 25 %)
                breached = min(gm.min_percent for gm in rules.group_minimum
                               if gm.group == g.id and g.percent < gm.min_percent - 100 * RULE_TOLERANCE)
                pct, mn = numfmt.percent(g.percent / 100, lang), numfmt.percent(breached / 100, lang)
                weaknesses.append(Point(kind="group", id=g.id, text=(
                    f"Grupa {_q(g.label, lang)}: {pct} wagi grupy, poniżej minimum {mn}" if lang == "pl"
                    else f"Group {_q(g.label, lang)}: {pct} of the group's weight, below the minimum of {mn}")))
        if card is not None and not card.passed:
            weaknesses.append(Point(kind="card", id="card", text=(
                "Niespełnione wymogi karty oceny: " if lang == "pl" else "Fails the selection card: ")
                + "; ".join(card.reasons)))
        refs = [_rule_ref(r, words) for r in dec.applied]
        decided = _rule_ref(dec.decided_by, words)
        conditions = _dedup([*_rule_conditions(dec.decided_by, lang),
                             *(c for r in dec.applied[1:] for c in _rule_conditions(r, lang))])
        evidence = [_evidence(nums, pid, rule_score, card, lang)]
        if isinstance(dec.decided_by, GroupMinimum):
            g = dec.decided_by.group
            evidence.insert(0, f"{_q(nums.group_labels.get(g, g), lang)}: {numfmt.percent(gp[g] / 100, lang)}"
                            + (" wagi grupy" if lang == "pl" else " of the group's weight"))
        if lang == "pl":
            decision_text = (f"Rekomendacja {_q(category.label(lang), lang)} wynika z reguły: {decided.text} "
                             f"({'; '.join(evidence)}).")
        else:
            decision_text = (f"The recommendation {_q(category.label(lang), lang)} follows from the rule: "
                             f"{decided.text} ({'; '.join(evidence)}).")
        if res is None:
            decision_text += (" Projekt jako jedyny w pakiecie spełnia kryteria dostępowe: nie ma go z czym "
                              "porównać, więc nie ma miejsca w pakiecie ani wyniku TOPSIS; ocenę wyznacza stopień "
                              "spełnienia kryteriów." if lang == "pl" else
                              " The project is the only one of the package that passes the gates: with nothing to "
                              "compare it with it has no rank or TOPSIS score; its attainment decides.")
        rob = None if (robustness is None or res is None) else _robustness(robustness, pid, res.rank, lang)
        score = None if res is None else float(res.score)
        rank = None if res is None else res.rank
        out.append(Opinion(
            lang=lang, identification=ident(p), eligible=True, score=score,
            score_label=_score_label(ranking, lang), rule_score=rule_score, attainment=attained, wsm_score=attained,
            rank=rank, ranked=ranked, card=card, recommendation=category,
            recommendation_label=category.label(lang), decided_by=decided, decision_text=decision_text,
            rules_applied=refs, criteria=crits, groups=groups, strengths=strengths, weaknesses=weaknesses,
            robustness=rob, conditions=conditions, advisor=advisor_text(pid),
            changes=_changes(previous.get(pid), score, rank, category, ranking, lang, h)))
    for inel in ranking.ineligible:
        p = projects[inel.id]
        dec = decide(rules, failed_gates=True)
        decided = _rule_ref(dec.decided_by, words)
        failed = [Point(kind="gate", id=g.id, text=gate_labels.get(g.id, g.label)) for g in inel.failed_gates]
        names = "; ".join(f.text for f in failed)
        if lang == "pl":
            decision_text = (f"Rekomendacja {_q(dec.category.label(lang), lang)} wynika z reguły: {decided.text}. "
                             f"Niespełnione: {names}. Projekt nie był oceniany ani szeregowany.")
            gate_conds = [f"Spełnić kryterium dostępowe: {f.text}." for f in failed]
        else:
            decision_text = (f"The recommendation {_q(dec.category.label(lang), lang)} follows from the rule: "
                             f"{decided.text}. Not met: {names}. The project was not scored or ranked.")
            gate_conds = [f"Meet the admissibility gate: {f.text}." for f in failed]
        out.append(Opinion(
            lang=lang, identification=ident(p), eligible=False, failed_gates=failed,
            score_label=_score_label(ranking, lang), ranked=ranked, recommendation=dec.category,
            recommendation_label=dec.category.label(lang), decided_by=decided, decision_text=decision_text,
            rules_applied=[decided], criteria=assessments(p, None), groups=[], strengths=[],
            weaknesses=[Point(kind="gate", id=f.id, text=(
                f"Niespełnione kryterium dostępowe: {f.text}" if lang == "pl" else f"Admissibility gate not met: {f.text}"))
                for f in failed],
            conditions=_dedup([*gate_conds, *_rule_conditions(dec.decided_by, lang)]),
            advisor=advisor_text(inel.id),
            changes=_changes(previous.get(inel.id), None, None, dec.category, ranking, lang, h)))
    return out


def _evidence(nums: _Numbers, pid: str, rule_score: float, card, lang: str) -> str:
    """The number the deciding threshold read: the attainment, or the card's merit points."""
    if card is not None and nums.max_points is not None:
        head = "suma punktów" if lang == "pl" else "merit points"
        of = "z" if lang == "pl" else "of"
        text = (f"{head} {numfmt.amount(card.points, lang)} {of} {numfmt.amount(card.max_points, lang)} "
                f"({numfmt.percent(rule_score, lang)})")
        if not card.passed and card.reasons:
            text += "; " + "; ".join(card.reasons)
        return text
    return (f"stopień spełnienia kryteriów {numfmt.percent(rule_score, lang)}" if lang == "pl"
            else f"attainment {numfmt.percent(rule_score, lang)}")


def _card_summary(nums: _Numbers, card, cs, lang: str) -> CardSummary:
    from .ranking import card_threshold

    threshold = card_threshold(cs)
    reasons = []
    for c in cs.leaves():
        pts = card.points.get(c.id)
        if c.minimum is not None and pts is not None and pts < c.minimum:
            reasons.append(f"{c.label.get(lang)}: {numfmt.amount(pts, lang)} < minimum {numfmt.amount(c.minimum, lang)}")
    if threshold is not None and card.base < threshold:
        word = ("suma punktów", "próg") if lang == "pl" else ("total points", "threshold")
        reasons.append(f"{word[0]} {numfmt.amount(card.base, lang)} < {word[1]} {numfmt.amount(threshold, lang)}")
    return CardSummary(points=card.base, bonus=card.bonus, total=card.total, max_points=nums.max_points or 0.0,
                       threshold=threshold, passed=card.passed, reasons=reasons)


def _dedup(items) -> list[str]:
    seen, out = set(), []
    for t in items:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def build_bundle(ranking, opinions: list[Opinion], lang: str = "pl", files: dict[str, str] | None = None,
                 robustness: RobustnessRun | None = None, rules: OpinionRules | None = None) -> OpinionBundle:
    """The package bundle: a summary row per opinion (ranked first, by rank) and every opinion."""
    pkg = _package(ranking)
    rules = rules_for(ranking, rules)
    first = opinions[0].identification if opinions else None
    return OpinionBundle(
        lang=lang, partnership=pkg.partnership.name, voivodeship=pkg.partnership.voivodeship,
        advisor=first.advisor if first else pkg.advisor, date=first.date if first else pkg.date,
        input_hash=opinions_input_hash(ranking, rules, robustness), method=ranking.method,
        normalization=ranking.normalization, top_k=None if robustness is None else robustness.top_k,
        summary=[SummaryRow(project_id=o.identification.project_id, title=o.identification.project_title,
                            rank=o.rank, score=o.score, recommendation=o.recommendation,
                            recommendation_label=o.recommendation_label,
                            share_top_k=o.robustness.share_top_k if o.robustness else None,
                            file=(files or {}).get(o.identification.project_id)) for o in opinions],
        opinions=opinions)


__all__ = [
    "AdvisorText", "ChangeBlock", "CriterionAssessment", "Decision", "GroupAssessment", "Identification",
    "Opinion", "OpinionBundle", "Previous", "Recommendation", "RobustnessRun", "RuleRef", "advisor_digest",
    "build_bundle", "build_opinions", "bundle_schema", "decide", "load_opinion_rules", "opinion_schema",
    "recommend", "robustness", "rules_for",
]
