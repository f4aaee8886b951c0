"""Advisory opinions: the recommendation rules, the numbers behind an opinion, the robustness sentence,
and the model's JSON against its schema. (Files, DOCX, regeneration: test_opinion_files.py.)"""

from __future__ import annotations

import copy
import json
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
from appraisal.package import load_package, package_from_document
from builders import cwd_package_doc

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pakiet_dolina_baryczy.json"
R = op.Recommendation


@pytest.fixture(scope="module")
def ranking():
    return load_package(SAMPLE).rank()


def plain(text: str) -> str:
    return text.replace(numfmt.NBSP, " ")


# --- rules -------------------------------------------------------------------------------------------------

def rules(**kw) -> OpinionRules:
    return OpinionRules(**kw)


@pytest.mark.parametrize(("score", "category", "rule_id"), [
    (0.95, R.RECOMMENDED, "score.recommended"),
    (0.60, R.RECOMMENDED, "score.recommended"),  # at the threshold: reached
    (0.5999, R.WITH_CONDITIONS, "score.recommended_with_conditions"),
    (0.45, R.WITH_CONDITIONS, "score.recommended_with_conditions"),
    (0.40, R.NEEDS_REWORK, "score.needs_rework"),
    (0.30, R.NEEDS_REWORK, "score.needs_rework"),
    (0.2999, R.NOT_RECOMMENDED, "score.below"),
    (0.0, R.NOT_RECOMMENDED, "score.below"),
])
def test_default_thresholds_decide_and_are_stated(score, category, rule_id):
    dec = op.decide(rules(), score)
    assert dec.category == category
    ref = op._rule_ref(dec.decided_by, "pl", {})
    assert ref.id == rule_id and ref.category == category
    assert category.label("pl") in ref.text


def test_failed_gate_decides_whatever_else():
    dec = op.decide(rules(), 0.99, failed_gates=True, group_percent={"x": 0}, card_passed=False)
    assert dec.category == R.NOT_RECOMMENDED
    assert op._rule_ref(dec.decided_by, "en", {}).id == "gate"
    softer = rules(gate={"category": "needs_rework"})
    assert op.decide(softer, None, failed_gates=True).category == R.NEEDS_REWORK


def test_group_minimum_caps_and_decides_only_when_binding():
    rs = rules(group_minimum=[GroupMinimum(group="feasibility", min_percent=40, at_most="needs_rework")])
    capped = op.decide(rs, 0.9, group_percent={"feasibility": 39.9})
    assert capped.category == R.NEEDS_REWORK
    ref = op._rule_ref(capped.decided_by, "pl", {"feasibility": "Wykonalność"})
    assert ref.id == "group_minimum.feasibility" and "„Wykonalność”" in ref.text and "40" in ref.text
    assert [op._rule_ref(r, "pl", {}).id for r in capped.applied] == ["score.recommended", "group_minimum.feasibility"]
    # at the minimum: not below it
    assert op.decide(rs, 0.9, group_percent={"feasibility": 40.0}).category == R.RECOMMENDED
    # the cap applies but the score already gives worse: the threshold decides, the cap is listed
    low = op.decide(rs, 0.1, group_percent={"feasibility": 10})
    assert low.category == R.NOT_RECOMMENDED
    assert op._rule_ref(low.decided_by, "pl", {}).id == "score.below"
    assert len(low.applied) == 2


def test_the_worst_binding_cap_decides():
    rs = rules(group_minimum=[GroupMinimum(group="a", min_percent=50, at_most="recommended_with_conditions"),
                              GroupMinimum(group="b", min_percent=50, at_most="not_recommended")],
               card=CardCap(at_most="needs_rework"))
    dec = op.decide(rs, 0.9, group_percent={"a": 10, "b": 10}, card_passed=False)
    assert dec.category == R.NOT_RECOMMENDED
    assert op._rule_ref(dec.decided_by, "en", {}).id == "group_minimum.b"
    dec = op.decide(rs, 0.9, group_percent={"a": 10, "b": 90}, card_passed=False)
    assert dec.category == R.NEEDS_REWORK and op._rule_ref(dec.decided_by, "en", {}).id == "card"
    assert op.decide(rs, 0.9, group_percent={"a": 90, "b": 90}, card_passed=True).category == R.RECOMMENDED


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
    # the deciding rule gives exactly the category decided
    for dec in (a, b):
        assert op._rule_ref(dec.decided_by, "pl", {}).category == dec.category


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


def test_the_builtin_set_carries_its_rules_and_a_bad_set_is_refused():
    cs = load_criteria("cwd")
    assert cs.opinions is not None
    assert [(r.category, r.min_score) for r in cs.opinions.score] == [
        ("recommended", 0.6), ("recommended_with_conditions", 0.45), ("needs_rework", 0.3)]
    assert {gm.group: gm.min_percent for gm in cs.opinions.group_minimum} == {"feasibility": 40, "funding": 25}
    doc = cs.model_dump(mode="json", exclude_none=True)
    doc["opinions"]["group_minimum"][0]["group"] = "nope"
    from appraisal.criteria import criteria_problems

    _, problems = criteria_problems(doc, "set.json")
    assert any("unknown group 'nope'" in p.message for p in problems)


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
    f.write_text(json.dumps({"opinions": {"score": [{"category": "recommended", "min_score": 0.3}]}}), "utf-8")
    rs = op.load_opinion_rules(f, ranking.package.criteria_set)
    got = op.recommend(ranking, rs)
    for r in ranking.results:  # no caps in the file: only the one threshold decides
        want = R.RECOMMENDED if r.score >= 0.3 else R.NOT_RECOMMENDED
        assert got[r.id][0] == want
    assert got["P03"][0] == R.NOT_RECOMMENDED and got["P03"][1].id == "gate"


# --- numbers behind an opinion ------------------------------------------------------------------------------

def textbook_minmax(x: np.ndarray, directions: list[str]) -> np.ndarray:
    r = np.zeros_like(x, dtype=float)
    for j, d in enumerate(directions):
        lo, hi = x[:, j].min(), x[:, j].max()
        if hi > lo:
            r[:, j] = (x[:, j] - lo) / (hi - lo) if d == "benefit" else (hi - x[:, j]) / (hi - lo)
    return r


def test_contributions_are_weight_times_minmax_and_sum_to_the_wsm_score(ranking):
    pkg = ranking.package
    ops = {o.identification.project_id: o for o in op.build_opinions(ranking)}
    crit = ranking.criteria
    eligible = ranking.alternatives
    by_id = {p.id: p for p in pkg.projects}
    x = np.array([[by_id[i].scores[c.id] for c in crit] for i in eligible], dtype=float)
    r = textbook_minmax(x, [c.direction for c in crit])
    w = np.array([c.weight for c in crit])
    for i, pid in enumerate(eligible):
        o = ops[pid]
        got = np.array([a.contribution for a in o.criteria])
        np.testing.assert_allclose(got, w * r[i], atol=1e-12)
        res = next(x for x in ranking.results if x.id == pid)
        assert sum(got) == pytest.approx(res.cross_check["wsm"].score, abs=1e-12)
        assert o.wsm_score == pytest.approx(res.cross_check["wsm"].score, abs=1e-12)
        assert o.score == res.score and o.rank == res.rank and o.ranked == len(eligible)
        for g in o.groups:
            cols = [j for j, c in enumerate(crit) if c.group == g.id]
            assert g.weight == pytest.approx(w[cols].sum())
            assert g.percent == pytest.approx(100 * (w[cols] * r[i, cols]).sum() / w[cols].sum())


def test_group_minimum_from_the_set_decides_the_sample(ranking):
    ops = op.build_opinions(ranking)
    cs = ranking.package.criteria_set
    minima = {gm.group: gm for gm in cs.opinions.group_minimum}
    seen = set()
    for o in ops:
        if not o.eligible:
            continue
        rec, ref = op.recommend(ranking)[o.identification.project_id]
        assert (o.recommendation, o.decided_by) == (rec, ref)
        below = [g for g in o.groups if g.below_minimum]
        assert {g.id for g in below} == {g.id for g in o.groups if g.id in minima and g.percent < minima[g.id].min_percent}
        threshold = next((r for r in cs.opinions.score if o.rule_score >= r.min_score), None)
        base = R(threshold.category) if threshold else R.NOT_RECOMMENDED
        caps = [R(minima[g.id].at_most) for g in below]
        assert o.recommendation.order == max([base.order, *(c.order for c in caps)])
        seen.add(o.decided_by.kind)
        if o.decided_by.kind == "group_minimum":
            g = o.decided_by.id.split(".", 1)[1]
            assert any(b.id == g for b in below)
            assert R(minima[g].at_most).order > base.order
            assert any(w.kind == "group" and w.id == g for w in o.weaknesses)
            assert {c.get("pl") for c in minima[g].conditions} <= set(o.conditions)
        else:
            assert o.decided_by.id == (f"score.{threshold.category}" if threshold else "score.below")
    assert seen == {"score", "group_minimum"}  # the sample exercises both


def test_strengths_and_weaknesses_follow_their_definitions(ranking):
    for o in op.build_opinions(ranking, lang="en"):
        if not o.eligible:
            continue
        informative = [a for a in o.criteria if a.attainment is not None]
        # strengths: the largest weighted contributions w·r (r ≥ 0.5); weaknesses: the largest lost w·(1 − r)
        hi = sorted((a for a in informative if a.attainment >= 0.5 - 1e-9),
                    key=lambda a: (-a.weight * a.attainment, -a.weight))[:3]
        lo = sorted((a for a in informative if a.attainment < 0.5 - 1e-9),
                    key=lambda a: (-a.weight * (1 - a.attainment), -a.weight))[:3]
        assert [p.id for p in o.strengths] == [a.id for a in hi]
        assert [p.id for p in o.weaknesses if p.kind == "criterion"] == [a.id for a in lo]
        for p in o.strengths:
            a = next(a for a in o.criteria if a.id == p.id)
            assert a.label in p.text and numfmt.number(a.contribution, 3, "en") in p.text


def test_constant_criterion_is_neither_strength_nor_weakness():
    doc = cwd_package_doc(4)
    pkg = package_from_document(doc)
    rk = pkg.rank()
    o = op.build_opinions(rk)[0]
    const = next(a for a in o.criteria if a.id == "jst_count")  # 3 in every project of the builder
    assert const.attainment is None and const.contribution == 0
    assert all(p.id != "jst_count" for p in [*o.strengths, *o.weaknesses])


def test_ineligible_project_gets_an_opinion(ranking):
    o = next(o for o in op.build_opinions(ranking) if o.identification.project_id == "P03")
    assert not o.eligible and o.score is None and o.rank is None
    assert o.recommendation == R.NOT_RECOMMENDED and o.decided_by.id == "gate"
    assert [g.id for g in o.failed_gates] == ["min_two_jst"]
    assert "Spełnić kryterium dostępowe: W projekcie uczestniczą co najmniej dwie JST." in o.conditions
    assert all(a.contribution is None for a in o.criteria)
    assert len(o.criteria) == len(ranking.criteria)


def test_per_criterion_assessment_has_level_descriptor_and_comment(ranking):
    o = next(o for o in op.build_opinions(ranking) if o.identification.project_id == "P01")
    cs = ranking.package.criteria_set
    p = next(p for p in ranking.package.projects if p.id == "P01")
    readiness = next(a for a in o.criteria if a.id == "readiness")
    lv = cs.criterion("readiness").scale.level(p.scores["readiness"])
    assert readiness.level_label == lv.label.pl and readiness.descriptor == lv.descriptor.pl
    assert readiness.comment == p.comments["readiness"]
    cost = next(a for a in o.criteria if a.id == "cost_per_beneficiary")
    assert plain(cost.value_text) == "6 210 PLN/osobę" and cost.descriptor is None


def test_selection_card_opinions_use_points_and_the_card_cap():
    rk = load_package(ROOT / "samples" / "pakiet_karta.json").rank("points")
    ops = op.build_opinions(rk, lang="en")
    for o in ops:
        res = next(r for r in rk.results if r.id == o.identification.project_id)
        assert o.rule_score == pytest.approx(res.card.base / rk.card["max_points"])
        if not res.card.passed:
            assert o.recommendation.order >= R.NEEDS_REWORK.order
            assert any(w.kind == "card" for w in o.weaknesses)
    assert any(not o.card.passed for o in ops)


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
    ops = {o.identification.project_id: o for o in op.build_opinions(ranking, robustness=run)}
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
        assert text.startswith(f"W {plain(numfmt.percent(in_top[k] / samples))} scenariuszy wag projekt ")
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
    rk = load_package(ROOT / "samples" / "pakiet_karta.json").rank("points")
    with pytest.raises(InputError, match="--samples 0"):
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


# --- review fixes: constant groups, strengths by contribution, fewer than two eligible ------------------------

FEASIBILITY = ("readiness", "institutional_capacity", "implementation_risk")


def sample_with(**scores):
    doc = json.loads(SAMPLE.read_text("utf-8"))
    for p in doc["projects"]:
        p["scores"].update(scores)
    return package_from_document(doc)


def test_a_group_of_constant_criteria_has_no_percentage_and_no_cap():
    rk = sample_with(readiness=5, institutional_capacity=5, implementation_risk=1).rank()
    ops = op.build_opinions(rk)
    cats = op.categories(rk)
    for o in ops:
        if not o.eligible:
            continue
        feas = next(g for g in o.groups if g.id == "feasibility")
        assert feas.percent is None and not feas.below_minimum
        assert all(r.id != "group_minimum.feasibility" for r in o.rules_applied)
        assert o.decided_by.id != "group_minimum.feasibility"
        assert cats[o.identification.project_id] == o.recommendation
    # the best projects are no longer all demoted to "needs rework"
    assert {o.recommendation for o in ops if o.eligible} != {R.NEEDS_REWORK}
    assert {k: v[0] for k, v in op.recommend(rk).items()} == cats


def test_a_partly_constant_group_counts_only_its_varying_criteria():
    rk = sample_with(readiness=5, institutional_capacity=5).rank()  # implementation_risk still varies
    cats = op.categories(rk)
    w = {c.id: c.weight for c in rk.criteria}
    for o in op.build_opinions(rk):
        if not o.eligible:
            continue
        risk = next(a for a in o.criteria if a.id == "implementation_risk")
        feas = next(g for g in o.groups if g.id == "feasibility")
        # only implementation_risk counts: its attainment, as a percentage
        assert feas.percent == pytest.approx(100 * risk.contribution / w["implementation_risk"])
        assert feas.percent == pytest.approx(100 * risk.attainment)
        assert feas.below_minimum == (feas.percent < 40)
        assert cats[o.identification.project_id] == o.recommendation
    # the project with the best risk level is at 100 % of its feasibility group
    best = [o for o in op.build_opinions(rk) if o.eligible
            and next(a for a in o.criteria if a.id == "implementation_risk").attainment == 1.0]
    assert best and all(next(g for g in o.groups if g.id == "feasibility").percent == pytest.approx(100) for o in best)


def test_constant_group_is_shown_as_not_applicable(tmp_path):
    from appraisal.io.markdown import opinion_markdown

    rk = sample_with(readiness=5, institutional_capacity=5, implementation_risk=1).rank()
    o = next(o for o in op.build_opinions(rk) if o.eligible)
    md = opinion_markdown(o)
    row = next(line for line in md.splitlines() if line.startswith("| Wykonalność |"))
    assert row.split(" | ")[3] == "nie dotyczy"


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
    doc = cwd_package_doc(3)
    for i, p in enumerate(doc["projects"]):
        p["scores"]["strategy_objective"] = i + 1  # 1, 2, 3: min-max gives 0.49999999999999994 for the middle
    rk = package_from_document(doc).rank()
    o = next(o for o in op.build_opinions(rk) if o.identification.project_id == "P2")
    a = next(a for a in o.criteria if a.id == "strategy_objective")
    assert a.attainment < 0.5 and abs(a.attainment - 0.5) < 1e-12  # the rounding the tolerance is for
    assert "strategy_objective" not in [p.id for p in o.weaknesses]
    strong, _ = op.split_points(o.criteria)
    assert any(c.id == "strategy_objective" for c in
               [c for c in o.criteria if c.attainment is not None and c.attainment >= 0.5 - 1e-9])
    assert [p.id for p in o.strengths] == [c.id for c in strong]


def one_eligible_doc(eligible: int):
    doc = cwd_package_doc(3)
    for p in doc["projects"][eligible:]:
        p["gates"] = {k: False for k in p["gates"]}
    return doc


def test_one_project_passing_the_gates_gets_an_unranked_opinion():
    pkg = package_from_document(one_eligible_doc(1))
    with pytest.raises(InputError, match="only 1 project"):
        pkg.rank()
    rk = op.ranking_for_opinions(pkg)
    ops = op.build_opinions(rk)
    assert [o.identification.project_id for o in ops] == ["P1", "P2", "P3"]
    first = ops[0]
    assert first.eligible and first.score is None and first.rank is None
    assert first.recommendation == R.NEEDS_REWORK and first.decided_by.id == "unranked"
    assert "nie można go porównać" in first.decision_text
    assert all(a.contribution is None for a in first.criteria)
    for o in ops[1:]:
        assert not o.eligible and o.recommendation == R.NOT_RECOMMENDED and o.decided_by.id == "gate"
    assert op.categories(rk) == {o.identification.project_id: o.recommendation for o in ops}
    bundle = op.build_bundle(rk, ops)
    assert [s.rank for s in bundle.summary] == [None, None, None]


def test_no_project_passing_the_gates_still_gets_gate_opinions():
    rk = op.ranking_for_opinions(package_from_document(one_eligible_doc(0)))
    ops = op.build_opinions(rk, lang="en")
    assert [o.recommendation for o in ops] == [R.NOT_RECOMMENDED] * 3


def test_unranked_cli_writes_opinions_and_says_so(tmp_path, capsys):
    src = tmp_path / "one.json"
    src.write_text(json.dumps(one_eligible_doc(1), ensure_ascii=False), "utf-8")
    out = tmp_path / "o"
    assert main(["opinions", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "only 1 project(s) pass the gates" in err and "not ranked" in err
    o1 = json.loads((out / "p1.json").read_text("utf-8"))
    assert o1["recommendation"] == "needs_rework" and o1["rank"] is None and o1["robustness"] is None
    assert json.loads((out / "p2.json").read_text("utf-8"))["recommendation"] == "not_recommended"
    assert (out / "pakiet.docx").exists() and (out / "p1.md").exists()
