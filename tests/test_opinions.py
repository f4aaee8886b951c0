"""Advisory opinions: the recommendation rules, the numbers behind an opinion, the robustness sentence,
and the model's JSON against its schema. (Files, DOCX, regeneration: test_opinion_files.py.)

The numbers are checked against docs/design.md#reference-levels, worked out here
by hand (``hand_value`` reads the criteria set's scales and reference levels; the weights come from
``ranking.criteria``): a criterion's value never depends on the other projects of the package."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from appraisal import numfmt
from appraisal import opinions as op
from appraisal import sensitivity as sens
from appraisal.console.cli import main
from appraisal.criteria import InputError, OpinionRules, load_criteria
from appraisal.criteria.models import RECOMMENDATIONS, CardCap, GroupMinimum, ScoreRule
from appraisal.io.formats import load_package
from appraisal.package import package_from_document
from builders import cwd_package_doc

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pakiet_dolina_baryczy.json"
KARTA = ROOT / "samples" / "pakiet_karta.json"
R = op.Recommendation


@pytest.fixture(scope="module")
def ranking():
    return load_package(SAMPLE).rank()


def plain(text: str) -> str:
    return text.replace(numfmt.NBSP, " ")


def pct(share: float) -> str:
    """A share as the Polish opinion prints it (numfmt: Babel's Polish percent), spaces plain."""
    return plain(numfmt.percent(share, "pl"))


def words(lang: str = "pl", groups: dict[str, str] | None = None, max_points: float | None = None):
    return op._Words(lang, groups or {}, max_points)


# --- independent arithmetic: the definitions written out by hand ---------------------------------------------

def hand_value(crit, x: float) -> float:
    """A criterion's value 0 … 1 from the criteria set alone: a scale by its own range (or its levels'
    explicit values), reversed for a cost; a quantity linear between its reference points (neutral 0,
    breakpoints, good 1), flat beyond them."""
    if crit.scale is not None:
        levels = crit.scale.levels
        if any(lv.attainment is not None for lv in levels):
            return next(lv.attainment for lv in levels if lv.value == x)
        lo, hi = min(lv.value for lv in levels), max(lv.value for lv in levels)
        up = (x - lo) / (hi - lo)
        return up if crit.direction == "benefit" else 1.0 - up
    ref = crit.reference
    pts = sorted([(ref.neutral, 0.0), *((b.at, b.value) for b in ref.breakpoints), (ref.good, 1.0)])
    if x <= pts[0][0]:
        return pts[0][1]
    if x >= pts[-1][0]:
        return pts[-1][1]
    for (x0, y0), (x1, y1) in pairwise(pts):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise AssertionError("unreachable")


@dataclass
class Hand:
    v: dict[str, float]  # values by criterion
    w: dict[str, float]  # global weights by criterion
    attainment: float  # Σ w·v
    groups: dict[str, float]  # group percentages: Σ_group w·v / Σ_group w, in %


def hand_numbers(ranking, pid: str) -> Hand:
    cs = ranking.package.criteria_set
    p = next(p for p in ranking.package.projects if p.id == pid)
    w = {c.id: c.weight for c in ranking.criteria}
    v = {c.id: hand_value(cs.criterion(c.id), p.scores[c.id]) for c in ranking.criteria}
    groups = {}
    for g in {c.group for c in ranking.criteria}:
        cols = [c.id for c in ranking.criteria if c.group == g]
        groups[g] = 100 * sum(w[c] * v[c] for c in cols) / sum(w[c] for c in cols)
    return Hand(v, w, sum(w[c] * v[c] for c in w), groups)


TOL = 1e-9  # a rule score or group percentage this close to a threshold reaches it (float sums)


def hand_decision(rules: OpinionRules, score: float, pct: dict[str, float], card_passed: bool | None = None):
    """(category, deciding rule (id, category), every rule that applied as (id, category)), by the rules
    of the module docstring: the best threshold reached gives the base category, or a failed card the
    card's category unless the threshold's is worse; each group below a minimum caps it; the worst binding
    cap (the first listed on a tie) decides. A threshold is reached within TOL (a share; a percentage within
    100·TOL). A group with several minima names each by its cap: group_minimum.<group>.<at_most>."""
    met = [r for r in rules.score if score >= r.min_score - TOL]
    best = min(met, key=lambda r: R(r.category).order) if met else None
    base = (f"score.{best.category}", R(best.category)) if best else ("score.below", R.NOT_RECOMMENDED)
    if rules.card is not None and card_passed is False and R(rules.card.at_most).order >= base[1].order:
        base = ("card", R(rules.card.at_most))
    groups = [gm.group for gm in rules.group_minimum]

    def cap_id(gm):
        return f"group_minimum.{gm.group}" + (f".{gm.at_most}" if groups.count(gm.group) > 1 else "")

    caps = [(cap_id(gm), R(gm.at_most)) for gm in rules.group_minimum
            if pct[gm.group] < gm.min_percent - 100 * TOL]
    applied = [base, *caps]
    decided = max(applied, key=lambda rc: rc[1].order)  # the first of the worst: the base unless a cap is worse
    return decided[1], decided, applied


def hand_split(crits, v: dict[str, float], w: dict[str, float]):
    """(strength ids, weakness ids): v ≥ 0.5 (1e-9 allowed) by w·v, v < 0.5 by w·(1 − v), then the larger
    weight, then the criteria order; three each."""
    order = {a.id: k for k, a in enumerate(crits)}
    ids = [a.id for a in crits]
    hi = sorted((c for c in ids if v[c] >= 0.5 - 1e-9), key=lambda c: (-w[c] * v[c], -w[c], order[c]))
    lo = sorted((c for c in ids if v[c] < 0.5 - 1e-9), key=lambda c: (-w[c] * (1 - v[c]), -w[c], order[c]))
    return hi[:3], lo[:3]


def test_the_hand_value_function_reads_the_cwd_yardstick():
    # worked from criteria/sets/cwd.toml: the helper the other tests rely on
    cs = load_criteria("cwd")
    c = cs.criterion
    assert hand_value(c("jst_count"), 2) == pytest.approx(1 / 9)  # neutral 1, good 10
    assert hand_value(c("population_served"), 12500) == pytest.approx(0.75)  # breakpoint 5 000 → 0.5, good 20 000
    assert hand_value(c("cost_per_beneficiary"), 6000) == pytest.approx(0.25)  # cost: 2 000 → 0.5, 10 000 → 0
    assert hand_value(c("implementation_risk"), 2) == pytest.approx(0.75)  # cost scale 1–5
    assert hand_value(c("synergy"), 1) == pytest.approx(1 / 3)  # scale 0–3


# --- rules -------------------------------------------------------------------------------------------------

def rules(**kw) -> OpinionRules:
    return OpinionRules(**kw)


@pytest.mark.parametrize(("score", "category", "rule_id", "text"), [
    (0.95, R.RECOMMENDED, "score.recommended", f"stopień spełnienia kryteriów ≥ {pct(0.6)} ⇒ rekomendowany"),
    (0.60, R.RECOMMENDED, "score.recommended", f"stopień spełnienia kryteriów ≥ {pct(0.6)} ⇒ rekomendowany"),  # reached
    (0.5999, R.WITH_CONDITIONS, "score.recommended_with_conditions",
     f"stopień spełnienia kryteriów ≥ {pct(0.45)} ⇒ rekomendowany warunkowo"),
    (0.45, R.WITH_CONDITIONS, "score.recommended_with_conditions",
     f"stopień spełnienia kryteriów ≥ {pct(0.45)} ⇒ rekomendowany warunkowo"),
    (0.40, R.NEEDS_REWORK, "score.needs_rework", f"stopień spełnienia kryteriów ≥ {pct(0.3)} ⇒ do przeformułowania"),
    (0.30, R.NEEDS_REWORK, "score.needs_rework", f"stopień spełnienia kryteriów ≥ {pct(0.3)} ⇒ do przeformułowania"),
    (0.2999, R.NOT_RECOMMENDED, "score.below", f"stopień spełnienia kryteriów < {pct(0.3)} ⇒ nierekomendowany"),
    (0.0, R.NOT_RECOMMENDED, "score.below", f"stopień spełnienia kryteriów < {pct(0.3)} ⇒ nierekomendowany"),
])
def test_default_thresholds_decide_and_are_stated(score, category, rule_id, text):
    dec = op.decide(rules(), score)
    assert dec.category == category
    ref = op._rule_ref(dec.decided_by, words("pl"))
    assert ref.id == rule_id and ref.kind == "score" and ref.category == category
    assert plain(ref.text) == text


def test_rule_texts_read_the_attainment_or_on_a_card_the_points():
    top = ScoreRule(category="recommended", min_score=0.6)
    mid = ScoreRule(category="recommended_with_conditions", min_score=0.45)
    low = ScoreRule(category="needs_rework", min_score=0.3)
    assert op._rule_ref(top, words("en")).text == "attainment ≥ 60% ⇒ recommended"
    assert op._rule_ref(("below", low), words("en")).text == "attainment < 30% ⇒ not recommended"
    # on a selection card of 55 merit points the threshold is stated in points: 0.6 × 55 = 33, 0.45 × 55 = 24.75
    card = words("pl", max_points=55)
    assert plain(op._rule_ref(top, card).text) == f"suma punktów ≥ 33 z 55 ({pct(0.6)}) ⇒ rekomendowany"
    assert plain(op._rule_ref(mid, card).text) == (
        f"suma punktów ≥ 24,75 z 55 ({pct(0.45)}) ⇒ rekomendowany warunkowo")
    assert plain(op._rule_ref(("below", low), card).text) == f"suma punktów < 16,5 z 55 ({pct(0.3)}) ⇒ nierekomendowany"
    assert op._rule_ref(top, words("en", max_points=55)).text == "merit points ≥ 33 of 55 (60%) ⇒ recommended"
    gm = GroupMinimum(group="feasibility", min_percent=40, at_most="recommended_with_conditions")
    assert plain(op._rule_ref(gm, words("pl", {"feasibility": "Wykonalność"})).text) == (
        f"grupa „Wykonalność” poniżej {pct(0.4)} wagi grupy ⇒ co najwyżej „rekomendowany warunkowo”")


def test_failed_gate_decides_whatever_else():
    dec = op.decide(rules(), 0.99, failed_gates=True, group_percent={"x": 0}, card_passed=False)
    assert dec.category == R.NOT_RECOMMENDED
    assert op._rule_ref(dec.decided_by, words("en")).id == "gate"
    softer = rules(gate={"category": "needs_rework"})
    assert op.decide(softer, None, failed_gates=True).category == R.NEEDS_REWORK


def test_group_minimum_caps_and_decides_only_when_binding():
    rs = rules(group_minimum=[GroupMinimum(group="feasibility", min_percent=40, at_most="needs_rework")])
    capped = op.decide(rs, 0.9, group_percent={"feasibility": 39.9})
    assert capped.category == R.NEEDS_REWORK
    ref = op._rule_ref(capped.decided_by, words("pl", {"feasibility": "Wykonalność"}))
    assert ref.id == "group_minimum.feasibility" and "„Wykonalność”" in ref.text and "40" in ref.text
    assert ref.category == R.NEEDS_REWORK
    assert [op._rule_ref(r, words()).id for r in capped.applied] == ["score.recommended", "group_minimum.feasibility"]
    # at the minimum: not below it
    assert op.decide(rs, 0.9, group_percent={"feasibility": 40.0}).category == R.RECOMMENDED
    # the cap applies but the score already gives worse: the threshold decides, the cap is listed
    low = op.decide(rs, 0.1, group_percent={"feasibility": 10})
    assert low.category == R.NOT_RECOMMENDED
    assert op._rule_ref(low.decided_by, words()).id == "score.below"
    assert len(low.applied) == 2


def test_a_threshold_is_reached_despite_float_rounding_but_not_a_hair_further():
    # level 3 of 5 on every criterion is 60 %, even when the weighted sum is 0.5999999999999999
    assert op.decide(rules(), 0.5999999999999999).category == R.RECOMMENDED
    assert op.decide(rules(), 0.6 - 1e-6).category == R.WITH_CONDITIONS
    rs = rules(group_minimum=[GroupMinimum(group="g", min_percent=40, at_most="needs_rework")])
    assert op.decide(rs, 0.9, group_percent={"g": 39.99999999999999}).category == R.RECOMMENDED
    assert op.decide(rs, 0.9, group_percent={"g": 40 - 1e-4}).category == R.NEEDS_REWORK


def test_the_worst_binding_cap_decides_even_over_a_failed_card():
    rs = rules(group_minimum=[GroupMinimum(group="a", min_percent=50, at_most="recommended_with_conditions"),
                              GroupMinimum(group="b", min_percent=50, at_most="not_recommended")],
               card=CardCap(at_most="needs_rework"))
    dec = op.decide(rs, 0.9, group_percent={"a": 10, "b": 10}, card_passed=False)
    assert dec.category == R.NOT_RECOMMENDED
    assert op._rule_ref(dec.decided_by, words("en")).id == "group_minimum.b"
    assert [op._rule_ref(r, words("en")).id for r in dec.applied] == ["card", "group_minimum.a", "group_minimum.b"]
    # a's cap ("with conditions") is milder than the card's category: the card decides
    dec = op.decide(rs, 0.9, group_percent={"a": 10, "b": 90}, card_passed=False)
    assert dec.category == R.NEEDS_REWORK and op._rule_ref(dec.decided_by, words("en")).id == "card"
    assert op.decide(rs, 0.9, group_percent={"a": 90, "b": 90}, card_passed=True).category == R.RECOMMENDED
    # two caps to the same category: the first listed decides
    tie = rules(group_minimum=[GroupMinimum(group="a", min_percent=50, at_most="not_recommended"),
                               GroupMinimum(group="b", min_percent=50, at_most="not_recommended")])
    dec = op.decide(tie, 0.9, group_percent={"a": 10, "b": 10})
    assert op._rule_ref(dec.decided_by, words()).id == "group_minimum.a"


@pytest.mark.parametrize("score", [0.95, 0.6, 0.5, 0.3])
def test_a_failed_card_is_judged_by_the_card_not_by_a_threshold(score):
    # whatever the merit points' share (down to the lowest threshold), the card rule gives the category
    dec = op.decide(rules(), score, card_passed=False)
    ref = op._rule_ref(dec.decided_by, words("pl", max_points=55))
    assert dec.category == R.NEEDS_REWORK and ref.id == "card" and ref.kind == "card"
    assert ref.category == R.NEEDS_REWORK and R.NEEDS_REWORK.label("pl") in ref.text
    assert [op._rule_ref(r, words()).id for r in dec.applied] == ["card"]
    strict = rules(card=CardCap(at_most="not_recommended"))
    assert op.decide(strict, score, card_passed=False).category == R.NOT_RECOMMENDED
    # passing the card: the thresholds decide as without a card
    assert op.decide(rules(), score, card_passed=True).category == op.decide(rules(), score).category


@pytest.mark.parametrize("score", [0.29, 0.1, 0.0])
def test_failing_the_card_never_earns_a_better_category_than_the_points(score):
    # points below the lowest threshold: not recommended by the points, stated in points, failed card or not
    dec = op.decide(rules(), score, card_passed=False)
    ref = op._rule_ref(dec.decided_by, words("pl", max_points=55))
    assert dec.category == R.NOT_RECOMMENDED and ref.id == "score.below"
    assert "suma punktów < 16,5 z 55" in ref.text
    assert dec.category == op.decide(rules(), score, card_passed=True).category
    # passing the card: the thresholds decide as without a card
    assert op.decide(rules(), score, card_passed=True).category == op.decide(rules(), score).category


def test_card_cap_can_be_switched_off():
    assert op.decide(rules(card=None), 0.9, card_passed=False).category == R.RECOMMENDED
    assert op.decide(rules(), 0.9, card_passed=False).category == R.NEEDS_REWORK


def test_recommendation_values_match_the_criteria_vocabulary():
    assert [r.value for r in R] == list(RECOMMENDATIONS)
    assert [r.order for r in R] == [0, 1, 2, 3]
    assert R.WITH_CONDITIONS.label("pl") == "rekomendowany warunkowo"
    assert R.NEEDS_REWORK.label("pl") == "do przeformułowania"
    assert R.NOT_RECOMMENDED.label("en") == "not recommended"


score_rules = st.lists(st.floats(0.01, 1.0), min_size=1, max_size=3, unique=True).map(
    lambda xs: [ScoreRule(category=c, min_score=s) for c, s in
                zip(["recommended", "recommended_with_conditions", "needs_rework"], sorted(xs, reverse=True))])


@settings(max_examples=200, deadline=None)
@given(score_rules, st.floats(0, 1), st.floats(0, 1), st.floats(0, 100), st.floats(1, 100),
       st.sampled_from(RECOMMENDATIONS), st.one_of(st.none(), st.booleans()))
def test_category_is_monotone_in_the_score(srules, s1, s2, pct, minimum, at_most, card_passed):
    rs = OpinionRules(score=srules, group_minimum=[GroupMinimum(group="g", min_percent=minimum, at_most=at_most)])
    lo, hi = sorted((s1, s2))
    a = op.decide(rs, lo, group_percent={"g": pct}, card_passed=card_passed)
    b = op.decide(rs, hi, group_percent={"g": pct}, card_passed=card_passed)
    assert b.category.order <= a.category.order
    for dec, s in ((a, lo), (b, hi)):
        # the deciding rule gives exactly the category decided, and both agree with the written-out rules
        ref = op._rule_ref(dec.decided_by, words())
        assert ref.category == dec.category
        want, decided, applied = hand_decision(rs, s, {"g": pct}, card_passed)
        assert dec.category == want and ref.id == decided[0]
        assert [op._rule_ref(r, words()).id for r in dec.applied] == [i for i, _ in applied]


def test_rules_are_validated():
    with pytest.raises(ValidationError, match="thresholds must fall"):
        OpinionRules(score=[ScoreRule(category="recommended", min_score=0.4),
                            ScoreRule(category="needs_rework", min_score=0.5)])
    with pytest.raises(ValidationError, match="two thresholds"):
        OpinionRules(score=[ScoreRule(category="needs_rework", min_score=0.4),
                            ScoreRule(category="needs_rework", min_score=0.3)])
    with pytest.raises(ValidationError):
        ScoreRule(category="recommended", min_score=1.5)
    with pytest.raises(ValidationError):
        ScoreRule(category="not_recommended", min_score=0.1)  # below every threshold is the fallback
    cs = load_criteria("cwd")
    bad = OpinionRules(group_minimum=[GroupMinimum(group="feasability", min_percent=40)])
    problems = bad.problems([g.id for g in cs.iter_groups() if g is not cs], cs.id, "")
    assert problems and problems[0][0] == "group_minimum[0].group" and "feasability" in problems[0][1]
    root = OpinionRules(group_minimum=[GroupMinimum(group="cwd", min_percent=40)])
    assert "whole criteria set" in root.problems(["feasibility"], "cwd")[0][1]
    # a group may have several minima, but not two capping at the same category
    two = OpinionRules(group_minimum=[GroupMinimum(group="feasibility", min_percent=40, at_most="needs_rework"),
                                      GroupMinimum(group="feasibility", min_percent=25, at_most="needs_rework")])
    assert "two minima" in two.problems(["feasibility"], "cwd", "")[0][1]
    assert not cs.opinions.problems([g.id for g in cs.iter_groups() if g is not cs], cs.id, "")


def test_the_builtin_set_carries_its_rules_and_a_bad_set_is_refused():
    cs = load_criteria("cwd")
    assert cs.opinions is not None
    assert [(r.category, r.min_score) for r in cs.opinions.score] == [
        ("recommended", 0.6), ("recommended_with_conditions", 0.45), ("needs_rework", 0.3)]
    assert [(gm.group, gm.min_percent, gm.at_most) for gm in cs.opinions.group_minimum] == [
        ("feasibility", 40, "recommended_with_conditions"), ("feasibility", 25, "needs_rework"),
        ("funding", 25, "recommended_with_conditions")]
    assert cs.opinions.gate.category == "not_recommended" and cs.opinions.card.at_most == "needs_rework"
    doc = cs.model_dump(mode="json", exclude_none=True)
    doc["opinions"]["group_minimum"][0]["group"] = "nope"
    from appraisal.criteria import criteria_problems

    _, problems = criteria_problems(doc, "set.json")
    assert any("unknown group 'nope'" in p.message for p in problems)


def test_the_cwd_sets_two_feasibility_minima_and_the_funding_minimum():
    rs = load_criteria("cwd").opinions
    fine = {"feasibility": 90.0, "funding": 90.0}

    def dec(**pct):
        d = op.decide(rs, 0.9, group_percent={**fine, **pct})
        return d.category, d.decided_by

    cat, by = dec(feasibility=24.9)  # below both: the 25 % minimum (at most "needs rework") decides
    assert cat == R.NEEDS_REWORK and isinstance(by, GroupMinimum)
    assert (by.group, by.min_percent, by.at_most) == ("feasibility", 25, "needs_rework")
    for pct in (25.0, 32.0, 39.9):  # between the two: at most "with conditions", by the 40 % minimum
        cat, by = dec(feasibility=pct)
        assert cat == R.WITH_CONDITIONS and (by.group, by.min_percent) == ("feasibility", 40)
    assert dec(feasibility=40.0)[0] == R.RECOMMENDED
    cat, by = dec(funding=24.9)
    assert cat == R.WITH_CONDITIONS and (by.group, by.min_percent) == ("funding", 25)
    cat, by = dec(feasibility=10.0, funding=10.0)  # three caps apply, the worst decides
    assert cat == R.NEEDS_REWORK and (by.group, by.min_percent) == ("feasibility", 25)
    assert len(op.decide(rs, 0.9, group_percent={"feasibility": 10.0, "funding": 10.0}).applied) == 4


def cwd_strong_doc(feasibility: list[tuple[int, int, int]]) -> dict:
    """Projects at the top of every criterion outside feasibility, with (readiness, institutional capacity,
    implementation risk) given per project."""
    doc = cwd_package_doc(len(feasibility))
    for p, (ready, capacity, risk) in zip(doc["projects"], feasibility):
        p["scores"].update(jst_count=10, population_served=20000, partnership_scope=5, strategy_objective=5,
                           territorial_challenges=5, synergy=3, funding_identified=5, own_contribution=5,
                           cost_per_beneficiary=500, readiness=ready, institutional_capacity=capacity,
                           implementation_risk=risk)
    return doc


def test_the_cwd_sets_feasibility_minima_decide_opinions():
    # P1 nothing prepared, P2 partly (levels 2, 2 and a high risk), P3 well prepared
    rk = package_from_document(cwd_strong_doc([(0, 0, 5), (2, 2, 4), (4, 4, 2)])).rank()
    rs = rk.package.criteria_set.opinions
    ops = {o.identification.project_id: o for o in op.build_opinions(rk, lang="pl")}
    hand = {pid: hand_numbers(rk, pid) for pid in ops}
    feas = {pid: h.groups["feasibility"] for pid, h in hand.items()}
    assert feas["P1"] < 25 <= feas["P2"] < 40 <= feas["P3"]  # the cases this test is about
    assert all(h.attainment >= 0.6 for h in hand.values())  # every one reaches "recommended" on its attainment

    p1 = ops["P1"]
    assert p1.recommendation == R.NEEDS_REWORK
    assert p1.decided_by.id == "group_minimum.feasibility.needs_rework" and p1.decided_by.category == R.NEEDS_REWORK
    assert "25" in p1.decided_by.text and "co najwyżej „do przeformułowania”" in p1.decided_by.text
    assert [(r.id, r.category) for r in p1.rules_applied] == [
        ("score.recommended", R.RECOMMENDED), ("group_minimum.feasibility.recommended_with_conditions",
                                                R.WITH_CONDITIONS),
        ("group_minimum.feasibility.needs_rework", R.NEEDS_REWORK)]
    assert any(w.kind == "group" and w.id == "feasibility" for w in p1.weaknesses)
    feas_conditions = {c.get("pl") for gm in rs.group_minimum if gm.group == "feasibility" for c in gm.conditions}
    assert feas_conditions and feas_conditions <= set(p1.conditions)

    p2 = ops["P2"]
    assert p2.recommendation == R.WITH_CONDITIONS
    assert p2.decided_by.id == "group_minimum.feasibility.recommended_with_conditions"
    assert p2.decided_by.category == R.WITH_CONDITIONS
    assert "40" in p2.decided_by.text
    assert [(r.id, r.category) for r in p2.rules_applied] == [
        ("score.recommended", R.RECOMMENDED), ("group_minimum.feasibility.recommended_with_conditions",
                                                R.WITH_CONDITIONS)]

    p3 = ops["P3"]
    assert p3.recommendation == R.RECOMMENDED and p3.decided_by.id == "score.recommended"
    assert [r.id for r in p3.rules_applied] == ["score.recommended"]
    for pid, o in ops.items():
        g = next(g for g in o.groups if g.id == "feasibility")
        assert g.percent == pytest.approx(feas[pid]) and g.minimum_percent == 40  # the highest minimum is shown
        assert g.below_minimum == (feas[pid] < 40)
        assert op.categories(rk)[pid] == o.recommendation


def test_funding_below_its_minimum_caps_at_with_conditions():
    doc = cwd_strong_doc([(5, 5, 1), (5, 5, 1)])
    doc["projects"][0]["scores"].update(funding_identified=0, own_contribution=1, cost_per_beneficiary=9000)
    rk = package_from_document(doc).rank()
    h = hand_numbers(rk, "P1")
    assert h.groups["funding"] < 25 and h.attainment >= 0.6
    o = op.build_opinions(rk)[[r.id for r in rk.results].index("P1")]
    assert o.identification.project_id == "P1"
    assert o.recommendation == R.WITH_CONDITIONS
    assert o.decided_by.id == "group_minimum.funding" and o.decided_by.category == R.WITH_CONDITIONS


@pytest.mark.parametrize(("content", "expect"), [
    ('[[score]]\ncategory = "recommended"\nmin_score = 0.5\n[[score]]\ncategory = "needs_rework"\nmin_score = 0.6\n',
     "score: Value error, thresholds must fall"),
    ('[[group_minimum]]\ngroup = "feasability"\nmin_percent = 40\n', "group_minimum[0].group: unknown group"),
    ('[[group_minimum]]\ngroup = "feasibility"\nmin_percent = 140\n', "group_minimum[0].min_percent"),
    ('[gate]\ncategory = "recommended"\n', "gate.category"),
    ('[[score]]\ncategory = "recommended"\nmin_score = 0.5\nthreshold = 3\n', "score[0].threshold"),
    ('score = [\n', "invalid TOML"),
])
def test_bad_rules_file_is_one_line_with_file_and_key(tmp_path, capsys, content, expect):
    rules_file = tmp_path / "reguly.toml"
    rules_file.write_text(content, encoding="utf-8")
    code = main(["opinions", str(SAMPLE), "-o", str(tmp_path / "out"), "--rules", str(rules_file), "--samples", "0"])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert str(rules_file) in lines[0] and expect in lines[0]
    assert not (tmp_path / "out").exists()  # nothing written on bad input


def test_rules_file_overrides_the_set(tmp_path, ranking):
    f = tmp_path / "rules.json"
    f.write_text(json.dumps({"opinions": {"score": [{"category": "recommended", "min_score": 0.6}]}}), "utf-8")
    rs = op.load_opinion_rules(f, ranking.package.criteria_set)
    got = op.recommend(ranking, rs)
    wants = {}
    for r in ranking.results:  # no caps in the file: only the one threshold on the attainment decides
        wants[r.id] = R.RECOMMENDED if hand_numbers(ranking, r.id).attainment >= 0.6 else R.NOT_RECOMMENDED
        assert got[r.id][0] == wants[r.id]
        assert got[r.id][1].id == ("score.recommended" if wants[r.id] == R.RECOMMENDED else "score.below")
    assert set(wants.values()) == {R.RECOMMENDED, R.NOT_RECOMMENDED}  # the threshold splits the sample
    # it reads the attainment, not the TOPSIS score: some project is below 0.6 on TOPSIS but recommended
    assert any(r.score < 0.6 and wants[r.id] == R.RECOMMENDED for r in ranking.results)
    assert got["P03"][0] == R.NOT_RECOMMENDED and got["P03"][1].id == "gate"


# --- numbers behind an opinion ------------------------------------------------------------------------------

def test_values_come_from_the_reference_levels_not_from_the_package():
    # worked by hand from cwd.toml: jst_count neutral 1 / good 10; population 0 / 5 000 (0.5) / 20 000;
    # cost per beneficiary (a cost) 10 000 / 2 000 (0.5) / 500; implementation risk a cost scale 1–5
    doc = cwd_package_doc(3)
    cases = {
        "P1": {"jst_count": (2, 1 / 9), "population_served": (2500, 0.25), "cost_per_beneficiary": (6000, 0.25),
               "implementation_risk": (3, 0.5), "partnership_scope": (3, 0.6), "synergy": (1, 1 / 3)},
        "P2": {"jst_count": (12, 1.0), "population_served": (30000, 1.0), "cost_per_beneficiary": (300, 1.0),
               "implementation_risk": (5, 0.0), "partnership_scope": (5, 1.0), "synergy": (3, 1.0)},
        "P3": {"jst_count": (10, 1.0), "population_served": (12500, 0.75), "cost_per_beneficiary": (14222, 0.0),
               "implementation_risk": (1, 1.0), "partnership_scope": (0, 0.0), "synergy": (0, 0.0)},
    }
    for p in doc["projects"]:
        p["scores"].update({cid: x for cid, (x, _) in cases[p["id"]].items()})
    rk = package_from_document(doc).rank()
    for o in op.build_opinions(rk):
        by_id = {a.id: a for a in o.criteria}
        for cid, (_, v) in cases[o.identification.project_id].items():
            assert by_id[cid].attainment == pytest.approx(v, abs=1e-12), (o.identification.project_id, cid)
            assert by_id[cid].contribution == pytest.approx(by_id[cid].weight * v, abs=1e-12)


def test_contributions_are_weight_times_value_and_sum_to_the_attainment(ranking):
    ops = {o.identification.project_id: o for o in op.build_opinions(ranking)}
    crit = ranking.criteria
    assert sum(c.weight for c in crit) == pytest.approx(1.0)
    for res in ranking.results:
        o, h = ops[res.id], hand_numbers(ranking, res.id)
        assert [a.id for a in o.criteria] == [c.id for c in crit]
        for a, c in zip(o.criteria, crit):
            assert a.weight == pytest.approx(c.weight, abs=1e-15)
            assert a.attainment == pytest.approx(h.v[c.id], abs=1e-12)
            assert a.contribution == pytest.approx(c.weight * h.v[c.id], abs=1e-12)
        assert sum(a.contribution for a in o.criteria) == pytest.approx(h.attainment, abs=1e-12)
        assert o.attainment == pytest.approx(h.attainment, abs=1e-12)
        assert o.wsm_score == pytest.approx(h.attainment, abs=1e-12)
        assert o.rule_score == pytest.approx(h.attainment, abs=1e-12)  # no card: the thresholds read the attainment
        assert o.score == res.score and o.rank == res.rank and o.ranked == len(ranking.results)
        assert 0 <= o.attainment <= 1
        for g in o.groups:
            cols = [c for c in crit if c.group == g.id]
            assert g.weight == pytest.approx(sum(c.weight for c in cols))
            assert g.contribution == pytest.approx(sum(c.weight * h.v[c.id] for c in cols))
            assert g.percent == pytest.approx(h.groups[g.id])


def same_judgement(a, b) -> bool:
    """Two opinions on one project agree on everything but its standing in the package (the numbers up to
    float summation order, which may change with the number of rows)."""
    def groups(o):
        return [(g.id, g.weight, g.minimum_percent, g.below_minimum) for g in o.groups]

    return (a.recommendation == b.recommendation and a.decided_by == b.decided_by
            and a.rules_applied == b.rules_applied and a.criteria == b.criteria and groups(a) == groups(b)
            and a.strengths == b.strengths and a.weaknesses == b.weaknesses and a.conditions == b.conditions
            and a.attainment == pytest.approx(b.attainment, abs=1e-12)
            and a.rule_score == pytest.approx(b.rule_score, abs=1e-12)
            and [g.percent for g in a.groups] == pytest.approx([g.percent for g in b.groups], abs=1e-9)
            and [g.contribution for g in a.groups] == pytest.approx([g.contribution for g in b.groups], abs=1e-12))


def test_opinions_do_not_depend_on_the_other_projects(ranking):
    doc = json.loads(SAMPLE.read_text("utf-8"))
    doc["projects"] = [p for p in doc["projects"] if p["id"] not in ("P02", "P05")]
    smaller = package_from_document(doc).rank()
    full = {o.identification.project_id: o for o in op.build_opinions(ranking)}
    part = {o.identification.project_id: o for o in op.build_opinions(smaller)}
    assert set(part) == set(full) - {"P02", "P05"}
    for pid, o in part.items():
        assert same_judgement(o, full[pid]), pid
    # only the package-relative standing moves
    assert any(part[r.id].score != full[r.id].score for r in smaller.results)
    cats_full, cats_part = op.categories(ranking), op.categories(smaller)
    assert all(cats_part[pid] == cats_full[pid] for pid in cats_part)


def test_group_minimum_from_the_set_decides_the_sample(ranking):
    ops = op.build_opinions(ranking, lang="pl")
    cs = ranking.package.criteria_set
    rs = cs.opinions
    highest = {}
    for gm in rs.group_minimum:
        highest[gm.group] = max(gm.min_percent, highest.get(gm.group, 0))
    recs = op.recommend(ranking, lang="pl")
    seen = set()
    for o in ops:
        if not o.eligible:
            continue
        pid = o.identification.project_id
        h = hand_numbers(ranking, pid)
        want, decided, applied = hand_decision(rs, h.attainment, h.groups)
        assert (o.recommendation, o.decided_by) == recs[pid]
        assert o.recommendation == want
        assert (o.decided_by.id, o.decided_by.category) == decided
        assert [(r.id, r.category) for r in o.rules_applied] == applied
        below = {g.id for g in o.groups if g.below_minimum}
        assert below == {g for g, m in highest.items() if h.groups[g] < m}
        assert {w.id for w in o.weaknesses if w.kind == "group"} == below
        for g in o.groups:
            assert g.minimum_percent == highest.get(g.id)
        capped = [gm for gm in rs.group_minimum if h.groups[gm.group] < gm.min_percent]
        assert {c.get("pl") for gm in capped for c in gm.conditions} <= set(o.conditions)
        seen.add(decided)
    # the sample exercises a threshold and both feasibility minima
    assert any(i.startswith("score.") for i, _ in seen)
    assert ("group_minimum.feasibility.recommended_with_conditions", R.WITH_CONDITIONS) in seen
    assert ("group_minimum.feasibility.needs_rework", R.NEEDS_REWORK) in seen


def test_decision_text_states_the_rule_and_the_attainment(ranking):
    for lang, head in (("pl", "stopień spełnienia kryteriów"), ("en", "attainment")):
        for o in op.build_opinions(ranking, lang=lang):
            if not o.eligible:
                continue
            h = hand_numbers(ranking, o.identification.project_id)
            assert o.decided_by.text in o.decision_text
            assert f"{head} {numfmt.percent(h.attainment, lang)}" in o.decision_text
            assert o.recommendation.label(lang) in o.decision_text
            if o.decided_by.kind == "group_minimum":
                g = o.decided_by.id.split(".")[1]
                assert numfmt.percent(h.groups[g] / 100, lang) in o.decision_text


def test_strengths_and_weaknesses_follow_their_definitions(ranking):
    for lang in ("en", "pl"):
        for o in op.build_opinions(ranking, lang=lang):
            if not o.eligible:
                continue
            h = hand_numbers(ranking, o.identification.project_id)
            strong, weak = hand_split(o.criteria, h.v, h.w)
            assert [p.id for p in o.strengths] == strong
            assert [p.id for p in o.weaknesses if p.kind == "criterion"] == weak
            assert all(h.v[c] >= 0.5 for c in strong) and all(h.v[c] < 0.5 for c in weak)
            for p in [*o.strengths, *(p for p in o.weaknesses if p.kind == "criterion")]:
                a = next(a for a in o.criteria if a.id == p.id)
                share = numfmt.percent(h.v[p.id], lang)
                c, w = numfmt.number(h.w[p.id] * h.v[p.id], 3, lang), numfmt.number(h.w[p.id], 3, lang)
                if lang == "pl":
                    assert p.text == f"{a.label}: {a.value_text} ({share} skali kryterium; wkład {c} z możliwych {w})"
                else:
                    assert p.text == (f"{a.label}: {a.value_text} ({share} of the criterion's scale; "
                                      f"contribution {c} of a possible {w})")


def test_a_criterion_equal_for_every_project_keeps_its_absolute_value():
    doc = cwd_package_doc(4)
    for p in doc["projects"]:  # jst_count is 3 in every project of the builder
        p["scores"]["partnership_scope"] = 5  # the top of its scale, for everyone
        p["scores"]["strategy_objective"] = 0  # the bottom of its scale, for everyone
    rk = package_from_document(doc).rank()
    w = {c.id: c.weight for c in rk.criteria}
    for o in op.build_opinions(rk):
        h = hand_numbers(rk, o.identification.project_id)
        by_id = {a.id: a for a in o.criteria}
        assert by_id["jst_count"].attainment == pytest.approx(2 / 9)  # (3 − 1) / (10 − 1)
        assert by_id["jst_count"].contribution == pytest.approx(w["jst_count"] * 2 / 9)
        assert by_id["partnership_scope"].attainment == 1.0
        assert by_id["partnership_scope"].contribution == pytest.approx(w["partnership_scope"])
        assert by_id["strategy_objective"].attainment == 0.0 and by_id["strategy_objective"].contribution == 0.0
        strong, weak = hand_split(o.criteria, h.v, h.w)
        assert [p.id for p in o.strengths] == strong
        assert [p.id for p in o.weaknesses if p.kind == "criterion"] == weak
        # equal everywhere, yet a strength and a weakness: the yardstick is the set's, not the package's
        assert "partnership_scope" in strong and "strategy_objective" in weak
        assert o.attainment == pytest.approx(h.attainment)


def test_ineligible_project_gets_an_opinion(ranking):
    o = next(o for o in op.build_opinions(ranking, lang="pl") if o.identification.project_id == "P03")
    assert not o.eligible and o.score is None and o.rank is None
    assert o.attainment is None and o.rule_score is None and o.groups == [] and o.strengths == []
    assert o.recommendation == R.NOT_RECOMMENDED and o.decided_by.id == "gate"
    assert [g.id for g in o.failed_gates] == ["min_two_jst"]
    assert "Spełnić kryterium dostępowe: W projekcie uczestniczą co najmniej dwie JST." in o.conditions
    assert all(a.contribution is None and a.attainment is None for a in o.criteria)
    assert len(o.criteria) == len(ranking.criteria)


def test_per_criterion_assessment_has_level_descriptor_and_comment(ranking):
    o = next(o for o in op.build_opinions(ranking, lang="pl") if o.identification.project_id == "P01")
    cs = ranking.package.criteria_set
    p = next(p for p in ranking.package.projects if p.id == "P01")
    readiness = next(a for a in o.criteria if a.id == "readiness")
    lv = cs.criterion("readiness").scale.level(p.scores["readiness"])
    assert readiness.level_label == lv.label.pl and readiness.descriptor == lv.descriptor.pl
    assert readiness.comment == p.comments["readiness"]
    cost = next(a for a in o.criteria if a.id == "cost_per_beneficiary")
    # money as Polish writes it (numfmt: "6 210 zł"), the rest of the unit as the criteria set gives it
    assert cost.value_text == numfmt.money(p.scores["cost_per_beneficiary"], "pl") + "/osobę"
    assert plain(cost.value_text) == "6 210 zł/osobę" and cost.descriptor is None


def karta_by_hand(rk, pid: str):
    """(merit points, most merit points, passes the card) from the card's scales, minima and threshold."""
    cs = rk.package.criteria_set
    p = next(p for p in rk.package.projects if p.id == pid)
    leaves = cs.leaves()
    top = sum(max(c.scale.values) for c in leaves)
    base = sum(p.scores[c.id] for c in leaves)
    minima_met = all(c.minimum is None or p.scores[c.id] >= c.minimum for c in leaves)
    return base, top, minima_met and base >= cs.card.threshold_percent / 100 * top


@pytest.mark.parametrize("method", ["points", "topsis"])
def test_a_card_package_is_judged_on_its_points_and_a_failed_card_by_the_card_rule(method):
    rk = load_package(KARTA).rank(method)
    rs = OpinionRules()  # the sample card set has no [opinions]: the defaults
    assert rk.package.criteria_set.opinions is None
    cs = rk.package.criteria_set
    fails_high = False
    for lang in ("pl", "en"):
        for o in op.build_opinions(rk, lang=lang):
            pid = o.identification.project_id
            base, top, passed = karta_by_hand(rk, pid)
            assert top == 55  # 10 + 6 + 10 + 9 + 4 + 10 + 6
            assert o.rule_score == pytest.approx(base / top, abs=1e-12)  # the merit points' share, bonus excluded
            assert o.card.points == base and o.card.max_points == top and o.card.passed == passed
            want, decided, _ = hand_decision(rs, base / top, {}, passed)
            assert o.recommendation == want and (o.decided_by.id, o.decided_by.category) == decided
            pts = f"{numfmt.amount(base, lang)} {'z' if lang == 'pl' else 'of'} {numfmt.amount(top, lang)}"
            assert pts in o.decision_text
            if passed:
                assert o.decided_by.kind == "score" and not any(w.kind == "card" for w in o.weaknesses)
                # the threshold is stated in points: e.g. 0.6 × 55 = 33
                rule = next(r for r in rs.score if r.category == o.recommendation.value)
                assert f" {numfmt.amount(rule.min_score * top, lang)} {'z' if lang == 'pl' else 'of'} 55 " in o.decided_by.text
            else:
                assert o.recommendation == R.NEEDS_REWORK and o.decided_by.id == "card"
                assert [r.id for r in o.rules_applied] == ["card"]
                assert any(w.kind == "card" for w in o.weaknesses)
                fails_high = fails_high or base / top >= 0.6
            # strengths and weaknesses are shown in points of each criterion's scale
            for p in [*o.strengths, *(w for w in o.weaknesses if w.kind == "criterion")]:
                a = next(a for a in o.criteria if a.id == p.id)
                high = max(cs.criterion(a.id).scale.values)
                assert a.attainment == pytest.approx(a.value / high)  # every card scale starts at 0
                if lang == "pl":
                    assert p.text.startswith(f"{a.label}: {numfmt.amount(a.value, 'pl')} z {numfmt.amount(high, 'pl')} pkt")
                    assert p.text.endswith(f"({numfmt.percent(a.value / high, 'pl')} skali)")
                else:
                    assert p.text.startswith(f"{a.label}: {numfmt.amount(a.value, 'en')} of {numfmt.amount(high, 'en')} points")
    # a project with a high points share that fails a criterion's minimum: the card, not a threshold, decides
    assert fails_high


# --- robustness --------------------------------------------------------------------------------------------

def naive_topsis(x, w, d):
    v = x / np.sqrt((x * x).sum(axis=0)) * w
    best = np.where(d > 0, v.max(axis=0), v.min(axis=0))
    worst = np.where(d > 0, v.min(axis=0), v.max(axis=0))
    dp, dn = np.sqrt(((v - best) ** 2).sum(axis=1)), np.sqrt(((v - worst) ** 2).sum(axis=1))
    return dn / (dp + dn)


def test_robustness_sentence_matches_an_independent_count(ranking):
    samples, seed = 3000, 11
    run = op.robustness(ranking, samples, seed)
    ops = {o.identification.project_id: o for o in op.build_opinions(ranking, robustness=run, lang="pl")}
    problem = sens.Problem.from_ranking(ranking)
    ws = sens.dirichlet_around(problem.weights, 100.0)(np.random.default_rng(seed), samples)
    x, d = problem.x, problem.directions
    in_top = np.zeros(problem.m)
    first = np.zeros(problem.m)
    for w in ws:
        s = naive_topsis(x, w, d)
        rank = 1 + (s[None, :] > s[:, None]).sum(axis=1)
        in_top += rank <= 3
        first += rank == 1
    for k, pid in enumerate(problem.ids):
        rob = ops[pid].robustness
        assert rob.top_k == 3 and rob.samples == samples and rob.seed == seed
        assert rob.share_top_k == pytest.approx(in_top[k] / samples, abs=1e-12)
        assert rob.share_first == pytest.approx(first[k] / samples, abs=1e-12)
        text = plain(rob.text)
        assert text.startswith(f"W {pct(in_top[k] / samples)} scenariuszy wag projekt ")
        assert "w pierwszej trójce" in text and "3 000 losowań" in text and "Dirichleta" in text
        assert f"ziarno {seed}" in text
    assert ops["P03"].robustness is None


def test_robustness_in_english_and_top_k_for_two_projects():
    doc = cwd_package_doc(2)
    rk = package_from_document(doc).rank()
    run = op.robustness(rk, 500, 1, sampler="uniform")
    o = op.build_opinions(rk, robustness=run, lang="en")[0]
    assert run.top_k == 2
    assert o.robustness.text.startswith(f"In {numfmt.percent(o.robustness.share_top_k, 'en')} of weight scenarios "
                                        f"the project stays in the top 2")
    assert "uniformly over the weight simplex" in o.robustness.text
    assert o.robustness.share_top_k == 1.0  # with two projects both are always in the top 2


def test_robustness_needs_weights():
    rk = load_package(KARTA).rank("points")
    with pytest.raises(InputError, match="use samples 0"):
        op.robustness(rk, 100, 0)


def test_same_seed_same_opinions(ranking):
    a = op.build_opinions(ranking, robustness=op.robustness(ranking, 2000, 5))
    b = op.build_opinions(ranking, robustness=op.robustness(ranking, 2000, 5))
    c = op.build_opinions(ranking, robustness=op.robustness(ranking, 2000, 6))
    dump = [o.model_dump(mode="json") for o in a]
    assert dump == [o.model_dump(mode="json") for o in b]
    assert dump != [o.model_dump(mode="json") for o in c]
    assert a[0].identification.input_hash != c[0].identification.input_hash  # the seed is an input


# --- JSON against the schema --------------------------------------------------------------------------------

def test_opinions_and_bundle_validate_against_the_exported_schemas(ranking):
    run = op.robustness(ranking, 500, 0)
    ops = op.build_opinions(ranking, robustness=run)
    validator = Draft202012Validator(op.opinion_schema())
    Draft202012Validator.check_schema(op.opinion_schema())
    for o in ops:
        validator.validate(json.loads(o.model_dump_json()))
    bundle = op.build_bundle(ranking, ops, robustness=run)
    Draft202012Validator(op.bundle_schema()).validate(json.loads(bundle.model_dump_json()))
    broken = json.loads(ops[0].model_dump_json())
    broken["recommendation"] = "maybe"
    assert list(validator.iter_errors(broken))
    broken = copy.deepcopy(json.loads(ops[0].model_dump_json()))
    del broken["identification"]["input_hash"]
    assert list(validator.iter_errors(broken))


def test_schema_command_prints_the_opinion_schema(capsys):
    assert main(["schema", "opinion"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(op.opinion_schema()))
    assert "recommendation" in out["properties"]


def test_identification_carries_engine_and_input_hash(ranking):
    o = op.build_opinions(ranking, advisor="Jan Źdźbło")[0]
    idn = o.identification
    assert idn.engine.startswith("appraise ") and idn.input_hash.startswith("sha256:")
    assert idn.ranking_hash == ranking.input_hash and idn.input_hash != ranking.input_hash
    assert idn.partnership == ranking.package.partnership.name and idn.voivodeship == "dolnośląskie"
    assert idn.advisor == "Jan Źdźbło" and str(idn.date) == "2026-10-15"
    other = copy.deepcopy(ranking.package.criteria_set.opinions)
    other.score[0].min_score = 0.7
    assert op.build_opinions(ranking, other)[0].identification.input_hash != idn.input_hash  # rules are inputs


# --- groups and criteria equal for every project, strengths by contribution, fewer than two eligible ---------

FEASIBILITY = ("readiness", "institutional_capacity", "implementation_risk")


def sample_with(**scores):
    doc = json.loads(SAMPLE.read_text("utf-8"))
    for p in doc["projects"]:
        p["scores"].update(scores)
    return package_from_document(doc)


@pytest.mark.parametrize(("levels", "capped"), [
    ({"readiness": 1, "institutional_capacity": 1, "implementation_risk": 5}, True),  # 20 %, 20 %, 0 %
    ({"readiness": 5, "institutional_capacity": 5, "implementation_risk": 1}, False),  # the top of each
])
def test_a_group_equal_for_every_project_keeps_its_percentage_and_its_caps(levels, capped):
    rk = sample_with(**levels).rank()
    rs = rk.package.criteria_set.opinions
    cs = rk.package.criteria_set
    w = {c.id: c.weight for c in rk.criteria}
    want_pct = 100 * sum(w[c] * hand_value(cs.criterion(c), levels[c]) for c in FEASIBILITY) / sum(w[c] for c in FEASIBILITY)
    assert (want_pct < 25) == capped and (want_pct == pytest.approx(100)) == (not capped)
    cats = op.categories(rk)
    for o in op.build_opinions(rk):
        if not o.eligible:
            continue
        h = hand_numbers(rk, o.identification.project_id)
        feas = next(g for g in o.groups if g.id == "feasibility")
        assert feas.percent == pytest.approx(want_pct) and feas.below_minimum == capped
        want, decided, applied = hand_decision(rs, h.attainment, h.groups)
        assert o.recommendation == want and (o.decided_by.id, o.decided_by.category) == decided
        assert [(r.id, r.category) for r in o.rules_applied] == applied
        assert any(r.id.startswith("group_minimum.feasibility.") for r in o.rules_applied) == capped
        if capped:
            assert o.recommendation.order >= R.NEEDS_REWORK.order
        assert cats[o.identification.project_id] == o.recommendation
    assert {k: v[0] for k, v in op.recommend(rk).items()} == cats


def test_a_partly_constant_group_counts_every_criterion():
    rk = sample_with(readiness=5, institutional_capacity=5).rank()  # implementation_risk still varies
    cats = op.categories(rk)
    w = {c.id: c.weight for c in rk.criteria}
    gw = sum(w[c] for c in FEASIBILITY)
    for o in op.build_opinions(rk):
        if not o.eligible:
            continue
        p = next(p for p in rk.package.projects if p.id == o.identification.project_id)
        risk_v = (5 - p.scores["implementation_risk"]) / 4  # a cost scale 1–5
        feas = next(g for g in o.groups if g.id == "feasibility")
        want = 100 * (w["readiness"] + w["institutional_capacity"] + w["implementation_risk"] * risk_v) / gw
        assert feas.percent == pytest.approx(want)
        assert feas.below_minimum == (want < 40)
        assert cats[o.identification.project_id] == o.recommendation
    # the levels at the top carry weight even though every project has them
    best = [o for o in op.build_opinions(rk) if o.eligible
            and next(a for a in o.criteria if a.id == "implementation_risk").attainment == 1.0]
    assert best and all(next(g for g in o.groups if g.id == "feasibility").percent == pytest.approx(100) for o in best)
    worst = min(100 * (w["readiness"] + w["institutional_capacity"]) / gw, 100.0)
    assert all(next(g for g in o.groups if g.id == "feasibility").percent >= worst - 1e-9
               for o in op.build_opinions(rk) if o.eligible)


def test_a_constant_group_is_shown_with_its_percentage():
    from appraisal.io.markdown import opinion_markdown

    rk = sample_with(readiness=5, institutional_capacity=5, implementation_risk=1).rank()
    o = next(o for o in op.build_opinions(rk, lang="pl") if o.eligible)
    md = opinion_markdown(o)
    row = next(line for line in md.splitlines() if line.startswith("| Wykonalność |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[3] == numfmt.percent(1.0, "pl") and cells[4] == numfmt.percent(0.40, "pl")
    assert "nie dotyczy" not in md


def test_strengths_are_the_largest_contributions_not_the_highest_attainment():
    def a(cid, weight, r):
        return op.CriterionAssessment(id=cid, label=cid, group="g", group_label="g", kind="scale", direction="benefit",
                                      value_text="", weight=weight, attainment=r, contribution=weight * r)

    crits = [a("small_full", 0.05, 1.0), a("big_good", 0.40, 0.75), a("mid", 0.20, 0.6),
             a("small_zero", 0.05, 0.0), a("big_weak", 0.30, 0.3), a("half", 0.12, 0.49999999999999994)]
    strong, weak = op.split_points(crits)
    assert [c.id for c in strong] == ["big_good", "mid", "half"]  # 0.30, 0.12, 0.06; small_full (r = 1, 0.05) is left out
    assert [c.id for c in weak] == ["big_weak", "small_zero"]  # lost 0.21, 0.05


def test_mid_scale_value_is_a_strength_not_a_weakness():
    # a scale 0.3 / 0.6 / 0.9: the middle level is half the range, but (0.6 − 0.3)/(0.9 − 0.3) rounds below 0.5
    cs = load_criteria("cwd").model_dump(mode="json", exclude_none=True)
    syn = next(c for g in cs["groups"] if g["id"] == "strategy_fit" for c in g["criteria"] if c["id"] == "synergy")
    syn["scale"]["levels"] = [dict(lv, value=x) for lv, x in zip(syn["scale"]["levels"], (0.3, 0.6, 0.9))]
    doc = cwd_package_doc(3)
    doc["criteria"] = cs
    for p, x in zip(doc["projects"], (0.3, 0.6, 0.9)):
        p["scores"]["synergy"] = x
    rk = package_from_document(doc).rank()
    o = next(o for o in op.build_opinions(rk) if o.identification.project_id == "P2")
    a = next(a for a in o.criteria if a.id == "synergy")
    assert a.attainment < 0.5 and abs(a.attainment - 0.5) < 1e-12  # the rounding the tolerance is for
    assert "synergy" not in [p.id for p in o.weaknesses]
    h = hand_numbers(rk, "P2")
    strong, weak = hand_split(o.criteria, h.v, h.w)
    assert "synergy" not in weak
    assert [p.id for p in o.strengths] == strong


def one_eligible_doc(eligible: int):
    doc = cwd_package_doc(3)
    for p in doc["projects"][eligible:]:
        p["gates"] = {k: False for k in p["gates"]}
    return doc


def test_the_lone_admissible_project_is_judged_by_attainment_and_has_no_rank():
    pkg = package_from_document(one_eligible_doc(1))
    with pytest.raises(InputError, match="only 1 project"):
        pkg.rank()
    rk = op.ranking_for_opinions(pkg)
    assert rk.results == [] and rk.alternatives == ["P1"]
    ops = op.build_opinions(rk, lang="pl")
    assert [o.identification.project_id for o in ops] == ["P1", "P2", "P3"]
    first = ops[0]
    assert first.eligible and first.score is None and first.rank is None and first.robustness is None
    h = hand_numbers(rk, "P1")
    rs = pkg.criteria_set.opinions
    want, decided, applied = hand_decision(rs, h.attainment, h.groups)
    assert first.attainment == pytest.approx(h.attainment) and first.rule_score == pytest.approx(h.attainment)
    assert first.recommendation == want and (first.decided_by.id, first.decided_by.category) == decided
    assert [(r.id, r.category) for r in first.rules_applied] == applied
    assert first.decided_by.kind in ("score", "group_minimum")
    for a in first.criteria:
        assert a.attainment == pytest.approx(h.v[a.id]) and a.contribution == pytest.approx(h.w[a.id] * h.v[a.id])
    assert f"stopień spełnienia kryteriów {numfmt.percent(h.attainment, 'pl')}" in first.decision_text
    assert first.strengths or first.weaknesses
    for o in ops[1:]:
        assert not o.eligible and o.recommendation == R.NOT_RECOMMENDED and o.decided_by.id == "gate"
    assert op.categories(rk) == {o.identification.project_id: o.recommendation for o in ops}
    bundle = op.build_bundle(rk, ops)
    assert [s.rank for s in bundle.summary] == [None, None, None]
    # the same project in a package where all three pass: the same judgement, only now with a rank
    together = {o.identification.project_id: o
                for o in op.build_opinions(package_from_document(cwd_package_doc(3)).rank(), lang="pl")}
    t = together["P1"]
    assert t.rank is not None
    assert same_judgement(first, t)


def test_no_project_passing_the_gates_still_gets_gate_opinions():
    rk = op.ranking_for_opinions(package_from_document(one_eligible_doc(0)))
    ops = op.build_opinions(rk, lang="en")
    assert [o.recommendation for o in ops] == [R.NOT_RECOMMENDED] * 3


def test_lone_admissible_project_cli_writes_opinions_and_says_so(tmp_path, capsys):
    src = tmp_path / "one.json"
    src.write_text(json.dumps(one_eligible_doc(1), ensure_ascii=False), "utf-8")
    out = tmp_path / "o"
    assert main(["opinions", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "only 1 project(s) pass the gates" in err and "attainment" in err
    pkg = package_from_document(one_eligible_doc(1))
    rk = op.ranking_for_opinions(pkg)
    h = hand_numbers(rk, "P1")
    want, _, _ = hand_decision(pkg.criteria_set.opinions, h.attainment, h.groups)
    o1 = json.loads((out / "p1.json").read_text("utf-8"))
    assert o1["recommendation"] == want.value and o1["rank"] is None and o1["score"] is None
    assert o1["robustness"] is None and o1["attainment"] == pytest.approx(h.attainment)
    assert json.loads((out / "p2.json").read_text("utf-8"))["recommendation"] == "not_recommended"
    assert (out / "pakiet.docx").exists() and (out / "p1.md").exists()


def test_a_group_exactly_at_its_minimum_is_not_below_it():
    # the weighted sum can come out a hair below the exact percentage (34.99999999999999): it still reaches it
    doc = cwd_package_doc(2)
    for p in doc["projects"]:  # funding has direct weights 0.40 / 0.35 / 0.25: 0.40·0 + 0.35·1 + 0.25·0 = 35 %
        p["scores"].update(funding_identified=0, own_contribution=5, cost_per_beneficiary=10000)
    rk = package_from_document(doc).rank()
    rs = OpinionRules(group_minimum=[GroupMinimum(group="funding", min_percent=35, at_most="needs_rework")])
    for o in op.build_opinions(rk, rs):
        g = next(g for g in o.groups if g.id == "funding")
        assert numfmt.percent(g.percent / 100) == numfmt.percent(0.35)  # shown as 35 % …
        assert not g.below_minimum  # … and so not below a 35 % minimum
        assert "group_minimum.funding" not in [r.id for r in o.rules_applied]
