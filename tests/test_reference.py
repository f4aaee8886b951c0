"""Reference levels, absolute attainment and R-TOPSIS (docs/design.md#reference-levels, #r-topsis): a verdict is about the
project, not its neighbours.

- value functions: a scale by its own range (or explicit values per level), a quantity by the set's
  reference levels (neutral → 0, good → 1, breakpoints, clipped), checked against hand-computed values;
- bad reference levels: one line naming the file and the key, exit 2;
- the property the issue asks for: over random packages, adding or removing any project never changes
  another project's attainment, category, deciding rule, strengths or weaknesses (opinions), and with
  ``--normalization reference`` never changes the others' scores, hence their order;
- R-TOPSIS against a plain textbook implementation written here (Aires & Ferreira 2019: max-min
  normalisation on the domain, ideal = the weights, anti-ideal = 0), stacked (B, m, n) and (S, n);
- the demo's top project gets the category its numbers give, for the stated reason;
- the workbook's live R-TOPSIS formulas recalculate in LibreOffice to the engine's scores.
"""

from __future__ import annotations

import copy
import json
from itertools import pairwise
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from appraisal import batch
from appraisal import opinions as op
from appraisal.console.cli import main
from appraisal.criteria import InputError, load_criteria
from appraisal.io.excel_report import value_formula, write_appraisal_workbook
from appraisal.io.formats import load_package
from appraisal.package import package_from_document
from appraisal.ranking import prepare_package, set_values
from appraisal.topsis import topsis
from appraisal.value import attainment, value_functions
from builders import CWD_GATES, named_cells

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CWD = load_criteria("cwd")
KARTA = load_criteria(SAMPLES / "karta_oceny.toml")


# --- value functions ------------------------------------------------------------------------------------

def test_value_functions_of_the_builtin_set_by_hand():
    f = value_functions(CWD.leaves())
    col = {c: j for j, c in enumerate(f.ids)}
    x = np.array([[1, 2500, 2, 4, 3, 1, 2, 3, 4, 5, 0, 1250],
                  [10, 30000, 5, 0, 0, 3, 5, 5, 1, 0, 5, 20000],
                  [12, 12500, 0, 1, 1, 0, 0, 0, 5, 1, 1, 400]], dtype=float)
    assert list(f.ids) == [c.id for c in CWD.leaves()]
    v = f(x)
    assert v[0, col["jst_count"]] == 0.0 and v[1, col["jst_count"]] == 1.0 and v[2, col["jst_count"]] == 1.0
    # population served: neutral 0, good 20 000, breakpoint (5 000, 0.5)
    assert v[:, col["population_served"]] == pytest.approx([0.25, 1.0, 0.5 + 0.5 * 7500 / 15000])
    # a 0–5 scale: level / 5; "2 — częściowa" is 40 %, not 0 %
    assert v[0, col["partnership_scope"]] == pytest.approx(0.4)
    assert v[0, col["territorial_challenges"]] == pytest.approx(0.6)
    assert v[:, col["synergy"]] == pytest.approx([1 / 3, 1.0, 0.0])
    # implementation risk is a cost on 1–5: level 4 → 0.25, level 1 → 1
    assert v[:, col["implementation_risk"]] == pytest.approx([0.25, 1.0, 0.0])
    # cost per beneficiary: a cost, good 500, neutral 10 000, breakpoint (2 000, 0.5), clipped
    assert v[:, col["cost_per_beneficiary"]] == pytest.approx([0.5 + 0.5 * 750 / 1500, 0.0, 1.0])
    w = np.full(12, 1 / 12)
    assert attainment(v, w) == pytest.approx(v.mean(axis=1))
    assert f.domain[col["cost_per_beneficiary"]] == (10000.0, 500.0)


def test_explicit_level_values_replace_the_scale_range():
    doc = CWD.model_dump(mode="json")
    levels = doc["groups"][2]["criteria"][0]["scale"]["levels"]  # readiness 0 … 5
    for lv, a in zip(levels, [0, 0.05, 0.2, 0.5, 0.8, 1]):
        lv["attainment"] = a
    from appraisal.criteria import CriteriaSet

    cs = CriteriaSet.model_validate(doc)
    assert cs.problems() == []
    f = value_functions(cs.leaves())
    j = list(f.ids).index("readiness")
    assert f(np.array([[0, 1, 2, 3, 4, 5]], float).T.repeat(12, axis=1))[:, j] == pytest.approx(
        [0, 0.05, 0.2, 0.5, 0.8, 1])


# --- bad reference levels: one line with the file and the key ---------------------------------------------

QUANTITY = """
id = "maly"
label = {{ pl = "Mały zestaw" }}

[[groups]]
id = "g"
label = {{ pl = "G" }}

[[groups.criteria]]
id = "ludnosc"
label = {{ pl = "Ludność" }}
kind = "quantity"
direction = "{direction}"
{reference}

[[groups.criteria]]
id = "skala"
label = {{ pl = "Skala" }}
kind = "scale"
scale.levels = [{{ value = 0, descriptor = {{ pl = "zero" }} }}, {{ value = 1, descriptor = {{ pl = "jeden" }} }}]
"""


@pytest.mark.parametrize("direction,reference,fragments", [
    ("benefit", "", ["groups[0].criteria[0].reference", "needs reference levels"]),
    ("benefit", "reference = { neutral = 5, good = 5 }", ["groups[0].criteria[0].reference", "must differ"]),
    ("benefit", 'reference = { neutral = 0, good = "dużo" }', ["groups[0].criteria[0].reference.good", "number"]),
    ("benefit", "reference = { neutral = 100, good = 0 }", ["groups[0].criteria[0].reference.good",
                                                            "above neutral"]),
    ("cost", "reference = { neutral = 0, good = 100 }", ["groups[0].criteria[0].reference.good", "below neutral"]),
    ("benefit", "reference = { neutral = 0, good = 100, breakpoints = [{ at = 150, value = 0.5 }] }",
     ["groups[0].criteria[0].reference", "strictly between"]),
    ("benefit", "reference = { neutral = 0, good = 100, breakpoints = [{ at = 20, value = 0.6 }, "
                "{ at = 50, value = 0.4 }] }", ["groups[0].criteria[0].reference", "must not fall"]),
])
def test_bad_reference_levels_are_one_line_naming_file_and_key(tmp_path, capsys, direction, reference, fragments):
    crit = tmp_path / "zestaw.toml"
    crit.write_text(QUANTITY.format(direction=direction, reference=reference), encoding="utf-8")
    pkg = tmp_path / "pakiet.json"
    pkg.write_text(json.dumps({"partnership": {"name": "P"}, "criteria": "zestaw.toml", "projects": [
        {"id": "A", "title": "A", "scores": {"ludnosc": 10, "skala": 1}},
        {"id": "B", "title": "B", "scores": {"ludnosc": 20, "skala": 0}}]}), encoding="utf-8")
    code = main(["rank", str(pkg)])  # loading the package loads the set: one line, exit 2
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "zestaw.toml" in err and all(f in err for f in fragments), err
    code = main(["validate", str(crit)])  # validate lists each problem on a line of its own
    run = capsys.readouterr()
    assert code == 2 and "Traceback" not in run.out + run.err
    assert any("zestaw.toml" in line and all(f in line for f in fragments) for line in run.out.splitlines()), run


def test_a_scale_with_reference_levels_or_partial_level_values_is_refused():
    doc = CWD.model_dump(mode="json")
    doc["groups"][0]["criteria"][2]["reference"] = {"neutral": 0, "good": 5}
    doc["groups"][2]["criteria"][0]["scale"]["levels"][0]["attainment"] = 0.0
    from appraisal.criteria import criteria_problems

    _, problems = criteria_problems(doc, "x.toml")
    text = [str(p) for p in problems]
    assert any("groups[0].criteria[2].reference" in t and "is a scale" in t for t in text), text
    assert any("groups[2].criteria[0].scale.levels" in t and "on every level" in t for t in text), text


# --- the property: a verdict is about the project, not its neighbours ------------------------------------

def _cwd_project(draw, ident: str, gates_ok: bool) -> dict:
    scores = {}
    for c in CWD.leaves():
        if c.scale is not None:
            scores[c.id] = draw(st.sampled_from(c.scale.values))
        elif c.id == "jst_count":
            scores[c.id] = draw(st.integers(1, 14))
        else:
            scores[c.id] = draw(st.floats(0, 40000, allow_nan=False).map(lambda v: round(v, 2)))
    gates = dict(CWD_GATES)
    if not gates_ok:
        gates[draw(st.sampled_from(sorted(gates)))] = False
    return {"id": ident, "title": f"Projekt {ident}", "scores": scores, "gates": gates}


def _card_project(draw, ident: str, gates_ok: bool) -> dict:
    scores = {c.id: draw(st.sampled_from(c.scale.values)) for c in [*KARTA.leaves(), *KARTA.bonus]}
    gates = {g.id: True for g in KARTA.gates}
    if not gates_ok:
        gates[KARTA.gates[0].id] = False
    return {"id": ident, "title": f"Projekt {ident}", "scores": scores, "gates": gates}


@st.composite
def packages(draw):
    card = draw(st.booleans())
    make = _card_project if card else _cwd_project
    k = draw(st.integers(3, 7))  # a package needs two projects: removing one leaves at least two
    projects = [make(draw, f"P{i + 1}", draw(st.integers(0, 4)) > 0) for i in range(k)]
    extra = make(draw, "NEW", draw(st.integers(0, 4)) > 0)
    criteria = str(SAMPLES / "karta_oceny.toml") if card else "cwd"
    return criteria, projects, extra, draw(st.sampled_from(["topsis", "wsm"]))


def _opinions(criteria, projects, method):
    pkg = package_from_document({"partnership": {"name": "Partnerstwo"}, "criteria": criteria,
                                 "projects": copy.deepcopy(projects)})
    try:
        rk = op.ranking_for_opinions(pkg, method)
    except InputError as exc:  # every admissible project alike on every weighted criterion: TOPSIS undefined
        assume("undefined" not in str(exc))
        raise
    return {o.identification.project_id: o for o in op.build_opinions(rk)}, op.categories(rk)


def _verdict(o):
    return {
        "attainment": o.attainment, "category": o.recommendation, "rule": o.decided_by.id,
        "rules": [r.id for r in o.rules_applied], "strengths": [p.text for p in o.strengths],
        "weaknesses": [p.text for p in o.weaknesses], "conditions": o.conditions,
        "groups": [(g.id, g.percent, g.below_minimum) for g in o.groups],
        "criteria": [(a.id, a.attainment, a.contribution) for a in o.criteria],
        "card": None if o.card is None else (o.card.points, o.card.passed, o.card.reasons),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages(), st.data())
def test_adding_or_removing_a_project_never_changes_another_projects_verdict(case, data):
    criteria, projects, extra, method = case
    base, base_cats = _opinions(criteria, projects, method)
    drop = data.draw(st.sampled_from([p["id"] for p in projects]))
    variants = [[p for p in projects if p["id"] != drop], [*projects, extra]]
    for variant in variants:
        got, cats = _opinions(criteria, variant, method)
        for pid in set(got) & set(base):
            a, b = _verdict(got[pid]), _verdict(base[pid])
            assert a == b, (pid, {k: (a[k], b[k]) for k in a if a[k] != b[k]})
            assert cats[pid] == base_cats[pid] == base[pid].recommendation, pid


@settings(max_examples=60, deadline=None)
@given(packages(), st.data())
def test_reference_topsis_never_reorders_the_others(case, data):
    criteria, projects, extra, _ = case
    ok = [p for p in projects if all(p["gates"].values())]
    if len(ok) < 3:
        ok = [{**p, "gates": {g: True for g in p["gates"]}} for p in projects[:3]] if len(projects) >= 3 else None
    if ok is None:
        return
    extra = {**extra, "gates": {g: True for g in extra["gates"]}}

    def scores(ps):
        pkg = package_from_document({"partnership": {"name": "P"}, "criteria": criteria,
                                     "projects": copy.deepcopy(ps)})
        return pkg.rank("topsis", "reference").scores()

    base = scores(ok)
    drop = data.draw(st.sampled_from([p["id"] for p in ok]))
    for variant in ([p for p in ok if p["id"] != drop], [*ok, extra]):
        got = scores(variant)
        common = [pid for pid in base if pid in got]
        assert [got[p] for p in common] == pytest.approx([base[p] for p in common], abs=1e-12)
        order = sorted(common, key=lambda p: -base[p])
        assert all(got[a] >= got[b] - 1e-12 for a, b in pairwise(order))


def test_the_cases_from_the_issue_no_longer_move_the_verdicts():
    """Removing P06 from the Dolina Baryczy package, or adding a hopeless decoy (a copy of P06 with the
    lowest levels), used to move P04, P08 and P02 between categories."""
    doc = json.loads((SAMPLES / "pakiet_dolina_baryczy.json").read_text(encoding="utf-8"))
    base, _ = _opinions("cwd", doc["projects"], "topsis")
    decoy = copy.deepcopy(next(p for p in doc["projects"] if p["id"] == "P06"))
    decoy["id"] = "DECOY"
    for c in CWD.leaves():
        if c.scale is not None:
            decoy["scores"][c.id] = c.scale.high if c.direction == "cost" else c.scale.low
    decoy["scores"]["jst_count"], decoy["scores"]["population_served"] = 1, 0
    for variant in ([p for p in doc["projects"] if p["id"] != "P06"], [*doc["projects"], decoy]):
        got, _ = _opinions("cwd", variant, "topsis")
        for pid in ("P02", "P04", "P08"):
            assert _verdict(got[pid]) == _verdict(base[pid]), pid


# --- the demo's top project --------------------------------------------------------------------------------

def test_the_demo_top_project_is_recommended_with_conditions_for_its_feasibility():
    pkg = load_package(SAMPLES / "pakiet_dolina_baryczy.json")
    rk = op.ranking_for_opinions(pkg)
    ops = {o.identification.project_id: o for o in op.build_opinions(rk, lang="pl")}  # the advisor's Polish
    top = ops[rk.results[0].id]
    assert top.identification.project_id == "P02" and top.rank == 1
    # its attainment alone would earn "recommended" (≥ 60 %) ...
    assert top.attainment >= 0.60
    # ... but feasibility is below the 40 % minimum (above 25 %): at most "recommended with conditions"
    feas = next(g for g in top.groups if g.id == "feasibility")
    assert 25 <= feas.percent < 40 and feas.below_minimum
    assert top.recommendation == op.Recommendation.WITH_CONDITIONS
    assert top.decided_by.id == "group_minimum.feasibility.recommended_with_conditions"
    assert any("przygotowanie" in c for c in top.conditions)
    # the attainment is the weighted sum of the values, recomputed here from the set's own scales
    values = set_values(pkg.criteria_set)
    p02 = next(p for p in pkg.projects if p.id == "P02")
    x = np.array([[p02.scores[c] for c in values.ids]], float)
    w = np.array([c.weight for c in rk.criteria])
    assert top.attainment == pytest.approx(float(attainment(values(x), w)[0]), abs=1e-12)
    # somebody in the package is recommended outright
    assert any(o.recommendation == op.Recommendation.RECOMMENDED for o in ops.values())


# --- R-TOPSIS against a textbook implementation ------------------------------------------------------------

def rtopsis_textbook(x, w, lo, hi):
    """Aires & Ferreira (2019), max-min normalisation on the domain [lo, hi] per criterion (lo = the
    worst end, so a cost has lo > hi), ideal = the weights, anti-ideal = 0, written plainly."""
    m, n = len(x), len(w)
    out = []
    for i in range(m):
        dp = dn = 0.0
        for j in range(n):
            r = (x[i][j] - lo[j]) / (hi[j] - lo[j])
            r = min(1.0, max(0.0, r))
            v = r * w[j]
            dp += (v - w[j]) ** 2
            dn += v ** 2
        dp, dn = dp ** 0.5, dn ** 0.5
        out.append(dn / (dp + dn))
    return np.array(out)


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 6), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_reference_topsis_equals_the_textbook_on_linear_domains(m, n, seed):
    rng = np.random.default_rng(seed)
    lo = rng.uniform(-50, 50, n)
    hi = lo + rng.choice([-1, 1], n) * rng.uniform(1, 100, n)
    from appraisal.value import ValueFunctions

    xs = tuple(np.sort(np.array([a, b])) for a, b in zip(lo, hi))
    ys = tuple(np.array([0.0, 1.0]) if a < b else np.array([1.0, 0.0]) for a, b in zip(lo, hi))
    f = ValueFunctions(tuple(f"c{j}" for j in range(n)), xs, ys)
    x = rng.uniform(np.minimum(lo, hi) - 10, np.maximum(lo, hi) + 10, (m, n))
    w = rng.dirichlet(np.ones(n))
    d = np.where(hi > lo, 1.0, -1.0)
    assert topsis(x, w, d, "reference", f) == pytest.approx(rtopsis_textbook(x, w, lo, hi), abs=1e-12)
    # stacked matrices (B, m, n) and weight samples (S, n) give the same as one at a time
    xb = np.stack([x, x[::-1], x * 0.5])
    ws = rng.dirichlet(np.ones(n), 4)
    stacked = topsis(xb, w, d, "reference", f)
    many = topsis(x, ws, d, "reference", f)
    for b in range(3):
        assert stacked[b] == pytest.approx(rtopsis_textbook(xb[b], w, lo, hi), abs=1e-12)
    for s in range(4):
        assert many[s] == pytest.approx(rtopsis_textbook(x, ws[s], lo, hi), abs=1e-12)


def test_reference_normalization_needs_a_criteria_set(capsys):
    code = main(["rank", str(SAMPLES / "matrix.csv"), "--weights", "1,1,1,1", "--directions", "-,+,+,-",
                 "--normalization", "reference"])
    err = capsys.readouterr().err
    assert code == 2 and "--normalization" in err and "reference levels" in err


def test_batch_scores_reference_packages_as_alone():
    paths = sorted((SAMPLES / "pakiety").glob("*/*.json"))[:6]
    preps = [prepare_package(load_package(p), "topsis", "reference") for p in paths]
    stacked = batch.score_prepared(preps)
    for p, rk in zip(paths, stacked):
        alone = load_package(p).rank("topsis", "reference")
        assert rk.scores() == pytest.approx(alone.scores(), abs=1e-12)
        assert [r.rank for r in rk.results] == [r.rank for r in alone.results]


def test_value_formula_is_numpy_interp():
    xs, ys = [0.0, 5000.0, 20000.0], [0.0, 0.5, 1.0]
    formula = value_formula("A1", xs, ys)
    for a in (-5.0, 0.0, 2500.0, 5000.0, 12500.0, 20000.0, 99999.0):
        expr = formula.replace("A1", repr(a)).replace("IF(", "_if(").replace("<=", " <= ")
        got = eval(expr, {"_if": lambda c, t, f: t if c else f})
        assert got == pytest.approx(float(np.interp(a, xs, ys)), abs=1e-12)


def test_reference_workbook_recalculates_to_the_engine(tmp_path, recalc):
    pkg = load_package(SAMPLES / "pakiet_dolina_baryczy.json")
    rk = pkg.rank("topsis", "reference")
    path = write_appraisal_workbook(rk, tmp_path / "ocena.xlsx", "pl")
    wb = openpyxl.load_workbook(path)
    new_w = [0.3, 0.05, 0.1, 0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05]
    for cell, v in zip(named_cells(wb, "Weights"), new_w):
        cell.value = v
    wb.save(tmp_path / "zmienione.xlsx")
    for f, expected in ((path, rk.scores()), (tmp_path / "zmienione.xlsx", None)):
        got = openpyxl.load_workbook(recalc(f), data_only=True)
        cells = named_cells(got, "Scores")
        ws = cells[0].parent
        sheet = {ws.cell(c.row, 1).value: c.value for c in cells}
        if expected is None:
            prep = prepare_package(pkg, "topsis", "reference")
            w = np.array(new_w) / sum(new_w)
            s = topsis(prep.x, w, prep.d, "reference", prep.values)
            expected = dict(zip(prep.ids, s))
            assert expected != pytest.approx(rk.scores(), abs=1e-3)  # the change matters
        else:  # the "Wkład" sheet: weight × value on the set's yardstick, summing to the opinions' attainment
            ops = {o.identification.project_id: o for o in op.build_opinions(op.ranking_for_opinions(pkg))}
            bd = got["Wkład"]
            n = len(rk.criteria)
            for row in range(5, 5 + len(rk.results)):
                o = ops[bd.cell(row, 1).value]
                assert [bd.cell(row, 2 + j).value for j in range(n)] == pytest.approx(
                    [a.contribution for a in o.criteria], abs=1e-9)
                assert bd.cell(row, 2 + n).value == pytest.approx(o.attainment, abs=1e-9)
        assert sheet == pytest.approx(expected, abs=1e-9)


def test_opinions_of_a_lone_admissible_project_judge_it_by_attainment():
    doc = json.loads((SAMPLES / "pakiet_dolina_baryczy.json").read_text(encoding="utf-8"))
    for p in doc["projects"][1:]:
        p["gates"]["in_strategy"] = False
    pkg = package_from_document(doc, base=SAMPLES)
    rk = op.ranking_for_opinions(pkg)
    lone = next(o for o in op.build_opinions(rk) if o.eligible)
    full = {o.identification.project_id: o for o in op.build_opinions(op.ranking_for_opinions(
        load_package(SAMPLES / "pakiet_dolina_baryczy.json")))}
    assert lone.rank is None and lone.score is None
    assert _verdict(lone) == _verdict(full[lone.identification.project_id])


def test_unknown_normalization_is_refused():
    pkg = load_package(SAMPLES / "pakiet_dolina_baryczy.json")
    with pytest.raises(InputError, match="vector, minmax, reference"):
        pkg.rank("topsis", "zscore")
