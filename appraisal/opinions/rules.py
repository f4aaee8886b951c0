"""The recommendation rules of an opinion: which category a project gets, and which rule says so.

The rules (:class:`~appraisal.criteria.OpinionRules`) come from the criteria set's ``[opinions]``
section, a ``--rules`` file (:func:`load_opinion_rules`), or the defaults (:func:`rules_for`).
:func:`decide` applies them to the numbers of one project (:mod:`appraisal.opinions.numbers`):

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

The category is monotone in the rule score: with everything else equal, a higher score never gives a
worse category. :func:`_rule_ref` states a rule as the opinion prints it (:class:`RuleRef`), in the
opinion's language (gettext messages, see :mod:`appraisal.opinions.words`); on a selection card the
thresholds are stated in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import numfmt
from ..criteria import OpinionRules, i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..criteria.models import CardCap, GateRule, GroupMinimum, ScoreRule
from .models import Recommendation, RuleRef, package_of
from .words import category_label, quote

#: a rule score or group percentage within this of a threshold counts as reaching it (level 3 of 5 on
#: every criterion is 60 %, even when the weighted sum comes out as 0.5999999999999999)
RULE_TOLERANCE = 1e-9


def rules_for(ranking, rules: OpinionRules | None = None) -> OpinionRules:
    """The rules given, else the criteria set's ``[opinions]``, else the defaults; checked against the set."""
    cs = package_of(ranking).criteria_set
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

    from ..criteria import first_problem, read_document, validation_problems

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


@dataclass
class Decision:
    """A project's category, the rule that decided it, and every rule that applied (deciding first)."""

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

    @classmethod
    def of(cls, lang: str, rules: OpinionRules, group_labels: dict[str, str],
           max_points: float | None) -> _Words:
        """The words for ``rules``: groups listed more than once among the minima are marked."""
        groups = [gm.group for gm in rules.group_minimum]
        return cls(lang, group_labels, max_points, frozenset(g for g in groups if groups.count(g) > 1))


def _threshold_words(w: _Words, share: float, op: str) -> str:
    lang = w.lang
    if w.max_points is not None:
        return _("merit points {op} {points} of {max_points} ({share})").format(
            op=op, points=numfmt.amount(share * w.max_points, lang), max_points=numfmt.amount(w.max_points, lang),
            share=numfmt.percent(share, lang))
    return _("attainment {op} {share}").format(op=op, share=numfmt.percent(share, lang))


def _rule_ref(rule: Any, w: _Words) -> RuleRef:
    """``rule`` (one of :func:`decide`'s rules) as the opinion states it, in ``w.lang``."""
    with i18n.use(w.lang):
        return _stated(rule, w)


def _stated(rule: Any, w: _Words) -> RuleRef:
    lang = w.lang
    note = rule[1].note if isinstance(rule, tuple) else getattr(rule, "note", None)
    note_text = None
    if isinstance(rule, GateRule):
        text = _("a failed admissibility gate ⇒ {category}").format(category=category_label(rule.category))
        ref = RuleRef(id="gate", kind="gate", category=Recommendation(rule.category), text=text)
    elif isinstance(rule, ScoreRule):
        text = f"{_threshold_words(w, rule.min_score, '≥')} ⇒ {category_label(rule.category)}"
        ref = RuleRef(id=f"score.{rule.category}", kind="score", category=Recommendation(rule.category), text=text)
    elif isinstance(rule, tuple):
        text = f"{_threshold_words(w, rule[1].min_score, '<')} ⇒ {category_label('not_recommended')}"
        ref = RuleRef(id="score.below", kind="score", category=Recommendation.NOT_RECOMMENDED, text=text)
        note = None
    elif isinstance(rule, GroupMinimum):
        label = w.group_labels.get(rule.group, rule.group)
        cap = _("at most {category}").format(category=quote(category_label(rule.at_most)))
        text = _("group {group} below {percent} of the group's weight ⇒ {cap}").format(
            group=quote(label), percent=numfmt.percent(rule.min_percent / 100, lang), cap=cap)
        ident = f"group_minimum.{rule.group}" + (f".{rule.at_most}" if rule.group in w.several_minima else "")
        ref = RuleRef(id=ident, kind="group_minimum", category=Recommendation(rule.at_most), text=text)
    elif isinstance(rule, CardCap):
        text = _("failing the selection card (a criterion's minimum or the points threshold) ⇒ {category}").format(
            category=category_label(rule.at_most))
        ref = RuleRef(id="card", kind="card", category=Recommendation(rule.at_most), text=text)
    else:  # pragma: no cover - decide() returns only the kinds above
        raise TypeError(f"not a rule: {rule!r}")
    if note is not None:
        note_text = note.get(lang)
    ref.note = note_text
    return ref


def _rule_conditions(rule: Any, lang: str) -> list[str]:
    """The conditions a rule attaches to the opinion, in ``lang``."""
    if isinstance(rule, tuple):
        return []
    return [c.get(lang) for c in getattr(rule, "conditions", [])]
