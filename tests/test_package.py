"""Packages: gates, hierarchy synthesis, TOPSIS/WSM on global weights, the selection card."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from appraisal import ahp
from appraisal.criteria import InputError, load_criteria
from appraisal.io.formats import load_package
from appraisal.package import Package, package_from_document, parse_package
from appraisal.ranking import rank_matrix


def _scale(values):
    return {"levels": [{"value": v, "descriptor": {"pl": f"poziom {v}", "en": f"level {v}"}} for v in values]}


def small_set(top_weighting=None):
    """Two groups; group g1 weighs its criteria by a consistent pairwise matrix, g2 directly."""
    top = top_weighting or {"weights": {"g1": 3, "g2": 1}}
    return {
        "id": "small", "label": {"pl": "Mały zestaw", "en": "Small set"},
        **top,
        "groups": [
            {"id": "g1", "label": {"pl": "Korzyść"},
             # consistent: w = (0.5, 0.25, 0.25)
             "pairwise": [{"matrix": [[1, 2, 2], ["1/2", 1, 1], ["1/2", 1, 1]]}],
             "criteria": [
                 {"id": "a", "label": {"pl": "A"}, "kind": "scale", "scale": _scale([0, 1, 2, 3, 4, 5])},
                 {"id": "b", "label": {"pl": "B"}, "kind": "quantity", "unit": "osób", "min_value": 0,
                  "reference": {"neutral": 0, "good": 6000}},
                 {"id": "c", "label": {"pl": "C"}, "kind": "scale", "scale": _scale([0, 1, 2, 3])},
             ]},
            {"id": "g2", "label": {"pl": "Koszt"}, "weights": {"d": 1, "e": 3},
             "criteria": [
                 {"id": "d", "label": {"pl": "D"}, "kind": "quantity", "direction": "cost", "min_value": 0,
                  "reference": {"neutral": 200, "good": 50}},
                 {"id": "e", "label": {"pl": "E"}, "kind": "scale", "scale": _scale([1, 2, 3, 4, 5]),
                  "direction": "cost"},
             ]},
        ],
        "gates": [{"id": "in_strategy", "label": {"pl": "W strategii", "en": "In the strategy"}}],
    }


PROJECTS = [
    ("P1", {"a": 5, "b": 1200, "c": 3, "d": 100.0, "e": 2}, True),
    ("P2", {"a": 3, "b": 5000, "c": 1, "d": 80.0, "e": 1}, True),
    ("P3", {"a": 4, "b": 300, "c": 2, "d": 150.0, "e": 4}, False),
    ("P4", {"a": 1, "b": 2500, "c": 0, "d": 60.0, "e": 3}, True),
    ("P5", {"a": 2, "b": 800, "c": 2, "d": 90.0, "e": 5}, True),
]


def small_package(**over):
    doc = {
        "partnership": {"name": "Partnerstwo Testowe", "voivodeship": "lubelskie", "members": ["Gmina A", "Gmina B"]},
        "advisor": "Anna Nowak", "date": "2026-10-01",
        "criteria": small_set(),
        "projects": [
            {"id": pid, "title": f"Projekt {pid}", "scores": dict(scores), "gates": {"in_strategy": gate},
             "cost": 1_000_000.0 * (k + 1)}
            for k, (pid, scores, gate) in enumerate(PROJECTS)
        ],
    }
    doc.update(over)
    return doc


def test_gates_come_first_and_name_the_failed_gate():
    rk = package_from_document(small_package()).rank()
    assert [i.id for i in rk.ineligible] == ["P3"]
    assert rk.ineligible[0].failed_gates[0].id == "in_strategy"
    assert rk.ineligible[0].failed_gates[0].label == "In the strategy"  # the set's label in the language (en here)
    from appraisal.criteria import i18n
    with i18n.use("pl"):
        assert package_from_document(small_package()).rank().ineligible[0].failed_gates[0].label == "W strategii"
    assert "P3" not in {r.id for r in rk.results}
    assert sorted(r.rank for r in rk.results) == [1, 2, 3, 4]


def test_global_weight_is_product_of_local_weights():
    rk = package_from_document(small_package()).rank()
    w = {c.id: c.weight for c in rk.criteria}
    # top: g1 3/4, g2 1/4; g1 pairwise consistent (1/2, 1/4, 1/4); g2 direct (1/4, 3/4)
    expected = {"a": 0.75 * 0.5, "b": 0.75 * 0.25, "c": 0.75 * 0.25, "d": 0.25 * 0.25, "e": 0.25 * 0.75}
    for k, v in expected.items():
        assert w[k] == pytest.approx(v, abs=1e-12)
    assert sum(w.values()) == pytest.approx(1.0, abs=1e-12)
    g1 = next(g for g in rk.weights if g.group == "g1")
    assert g1.how == "pairwise" and g1.cr == pytest.approx(0.0, abs=1e-9) and g1.consistent
    assert next(g for g in rk.weights if g.group == "g2").how == "direct"


def test_package_scores_equal_a_plain_matrix_ranking_on_the_global_weights():
    pkg = package_from_document(small_package())
    for method in ("topsis", "wsm"):
        rk = pkg.rank(method)
        ids = [pid for pid, _, gate in PROJECTS if gate]
        crit = ["a", "b", "c", "d", "e"]
        x = [[{p: s for p, s, _ in PROJECTS}[i][c] for c in crit] for i in ids]
        w = [c.weight for c in rk.criteria]
        plain = rank_matrix(ids, crit, x, w, ["+", "+", "+", "-", "-"], method)
        assert rk.scores() == pytest.approx(plain.scores(), abs=1e-12)
        assert [r.id for r in rk.results] == [r.id for r in plain.results]
        other = "wsm" if method == "topsis" else "topsis_vector"
        assert all(other in r.cross_check for r in rk.results)


def test_pairwise_top_level_and_a_panel_override():
    panel = {"g1": {"pairwise": [
        {"expert": "E1", "weight": 2, "matrix": [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]},
        {"expert": "E2", "weight": 1, "matrix": [[1, 1, 3], [1, 1, 3], ["1/3", "1/3", 1]]},
    ]}}
    doc = small_package(weights=panel)
    doc["criteria"] = small_set({"pairwise": [{"matrix": [[1, 3], ["1/3", 1]]}]})
    rk = package_from_document(doc).rank()
    g1 = next(g for g in rk.weights if g.group == "g1")
    assert [e.file for e in g1.experts] == ["E1", "E2"]
    assert g1.aggregation == "aij"
    # AIJ: element-wise weighted geometric mean (2:1) of the two matrices
    m1 = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    m2 = np.array([[1, 1, 3], [1, 1, 3], [1 / 3, 1 / 3, 1]])
    agg = np.exp((2 * np.log(m1) + np.log(m2)) / 3)
    vals, vecs = np.linalg.eig(agg)
    k = np.argmax(vals.real)
    v = np.abs(vecs[:, k].real)
    v /= v.sum()
    assert list(g1.weights.values()) == pytest.approx(list(v), abs=1e-9)
    root = next(g for g in rk.weights if g.group == "small")
    assert root.weights == pytest.approx({"g1": 0.75, "g2": 0.25})


def test_override_of_unknown_group_is_an_error():
    with pytest.raises(InputError, match="unknown group 'nope'"):
        package_from_document(small_package(weights={"nope": {"weights": {"x": 1}}}))


def test_one_project_through_the_gates_is_a_clear_error():
    doc = small_package()
    for p in doc["projects"][1:]:
        p["gates"]["in_strategy"] = False
    with pytest.raises(InputError, match="only 1 project"):
        package_from_document(doc).rank()


def test_json_and_toml_of_a_package_rank_the_same(tmp_path):
    # TOML has no null and the same structure; write it by hand from the JSON document
    doc = small_package()
    (tmp_path / "set.json").write_text(json.dumps(small_set()), encoding="utf-8")
    doc["criteria"] = "set.json"
    (tmp_path / "p.json").write_text(json.dumps(doc), encoding="utf-8")
    lines = ['criteria = "set.json"', 'advisor = "Anna Nowak"', "date = 2026-10-01", "",
             "[partnership]", 'name = "Partnerstwo Testowe"', 'voivodeship = "lubelskie"',
             'members = ["Gmina A", "Gmina B"]']
    for p in doc["projects"]:
        lines += ["", "[[projects]]", f'id = "{p["id"]}"', f'title = "{p["title"]}"', f"cost = {p['cost']}",
                  "scores = { " + ", ".join(f"{k} = {v}" for k, v in p["scores"].items()) + " }",
                  "gates = { in_strategy = " + ("true" if p["gates"]["in_strategy"] else "false") + " }"]
    (tmp_path / "p.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    a, b = load_package(tmp_path / "p.json"), load_package(tmp_path / "p.toml")
    assert a.model_dump() == b.model_dump()
    ra, rb = a.rank(), b.rank()
    assert ra.to_json_dict()["results"] == rb.to_json_dict()["results"]
    assert ra.input_hash == rb.input_hash


def test_input_hash_is_stable_and_follows_the_inputs():
    doc = small_package()
    h1 = package_from_document(doc).rank().input_hash
    assert package_from_document(copy.deepcopy(doc)).rank().input_hash == h1
    doc["projects"][0]["scores"]["a"] = 4
    assert package_from_document(doc).rank().input_hash != h1
    assert h1.startswith("sha256:") and len(h1) == len("sha256:") + 64


@pytest.mark.parametrize("method", ["topsis", "wsm"])
def test_input_hash_is_the_hash_of_package_criteria_and_method(method):
    """The hash is composed from parts serialised apart (the criteria set once per batch); it must
    equal the plain hash of the whole input, and a changed weight in the set must change it."""
    from appraisal.provenance import input_hash

    pkg = package_from_document(small_package())
    whole = {"package": pkg.model_dump(mode="json", exclude={"criteria"}),
             "criteria": pkg.criteria_set.model_dump(mode="json"), "method": method,
             "normalization": "vector" if method == "topsis" else "minmax"}
    assert pkg.rank(method).input_hash == input_hash(whole)
    other = package_from_document(small_package(weights={"g2": {"weights": {"d": 1, "e": 1}}}))
    assert other.criteria_set.model_dump() != pkg.criteria_set.model_dump()
    assert other.rank(method).input_hash != pkg.rank(method).input_hash


def test_problems_lists_every_problem():
    doc = small_package()
    doc["projects"][0]["scores"]["zzz"] = 1
    del doc["projects"][1]["scores"]["b"]
    doc["projects"][2]["scores"]["a"] = 2.5
    doc["projects"][3]["id"] = "P1"
    from appraisal.package import package_problems

    _, problems = package_problems(doc, "x.json")
    text = "\n".join(map(str, problems))
    assert "unknown criterion 'zzz'" in text
    assert "missing score for criterion 'b'" in text
    assert "2.5 is not a level of scale 0–5" in text
    assert "duplicate project id 'P1'" in text
    assert len(problems) == 4


# --- the selection card -----------------------------------------------------------------------------

def card_set(threshold):
    return {
        "id": "karta", "label": {"pl": "Karta"}, "weights": {"m1": 1, "m2": 1},
        "groups": [
            {"id": "m1", "label": {"pl": "M1"}, "criteria": [
                {"id": "k1", "label": {"pl": "K1"}, "kind": "scale", "scale": _scale([0, 5, 7, 10]), "minimum": 5},
                {"id": "k2", "label": {"pl": "K2"}, "kind": "scale", "scale": _scale([0, 3, 6])},
            ]},
            {"id": "m2", "label": {"pl": "M2"}, "criteria": [
                {"id": "k3", "label": {"pl": "K3"}, "kind": "scale", "scale": _scale([0, 2, 4, 6, 8, 10])},
            ]},
        ],
        "bonus": [{"id": "b1", "label": {"pl": "Premia"}, "kind": "scale", "scale": _scale([0, 5])}],
        "card": threshold,
    }


def card_package(threshold):
    projects = {  # k1, k2, k3, bonus
        "A": (10, 6, 10, 5),  # 26 + 5
        "B": (7, 6, 4, 5),    # 17 + 5
        "C": (0, 6, 10, 5),   # 16, below the k1 minimum: no bonus
        "D": (5, 3, 8, 0),    # 16
        "E": (5, 0, 2, 5),    # 7, below the threshold: no bonus
    }
    return {"partnership": {"name": "Karta test"}, "criteria": card_set(threshold),
            "projects": [{"id": k, "title": k, "scores": {"k1": v[0], "k2": v[1], "k3": v[2], "b1": v[3]}}
                         for k, v in projects.items()]}


def test_card_points_minimum_threshold_and_bonus():
    rk = package_from_document(card_package({"threshold_percent": 50})).rank("points")
    res = {r.id: r for r in rk.results}
    assert rk.card["max_points"] == 26 and rk.card["threshold"] == 13
    assert {k: r.card.total for k, r in res.items()} == {"A": 31, "B": 22, "C": 16, "D": 16, "E": 7}
    assert {k: r.card.passed for k, r in res.items()} == {"A": True, "B": True, "C": False, "D": True,
                                                          "E": False}
    assert any("minimum 5" in s for s in res["C"].card.reasons)
    assert any("threshold 13" in s for s in res["E"].card.reasons)
    # every project that passes comes before every one that does not, then by points
    assert [(r.id, r.rank) for r in rk.results] == [("A", 1), ("B", 2), ("D", 3), ("C", 4), ("E", 5)]
    assert {"topsis_vector", "wsm"} <= set(rk.results[0].cross_check)
    assert rk.normalization is None


def test_card_threshold_in_points_and_bonus_for_all():
    doc = card_package({"threshold_points": 17, "bonus_only_if_passed": False})
    rk = package_from_document(doc).rank("points")
    res = {r.id: r.card for r in rk.results}
    assert res["C"].total == 21 and not res["C"].passed
    assert res["D"].total == 16 and not res["D"].passed and res["B"].passed


def test_card_needs_point_scales():
    doc = small_package()
    with pytest.raises(InputError, match="is a quantity|are quantities"):
        package_from_document(doc).rank("points")


def test_topsis_on_a_card_package_also_reports_the_card():
    rk = package_from_document(card_package({"threshold_percent": 50})).rank("topsis")
    assert all(r.card is not None for r in rk.results)
    assert rk.method == "topsis" and rk.normalization == "vector"


def test_builtin_cwd_set_is_sound():
    cs = load_criteria("cwd")
    assert [g.id for g in cs.groups] == ["partnership_benefit", "strategy_fit", "feasibility", "funding"]
    assert all(2 <= len(g.criteria) <= 4 for g in cs.groups)
    assert {g.id for g in cs.gates} >= {"in_strategy", "min_two_jst"}
    assert cs.problems() == []
    w, nodes = ahp.synthesize(cs)
    assert sum(w.values()) == pytest.approx(1.0)
    for nd in nodes:
        if nd.ahp is not None:
            assert nd.ahp.consistent, nd.group
    for c in cs.leaves():
        assert c.label.pl and c.label.en
        if c.scale:
            assert all(lv.descriptor.pl and lv.descriptor.en for lv in c.scale.levels)


def test_parse_package_from_bytes_matches_file(tmp_path):
    doc = small_package()
    data = json.dumps(doc).encode()
    p = parse_package(data, ".json", "mem.json")
    assert isinstance(p, Package) and p.rank().scores() == package_from_document(doc).rank().scores()


def test_card_ranks_ties_and_pass_order():
    from appraisal.points import card_ranks

    total = np.array([40.0, 37.0, 37.0, 50.0, 20.0])
    passed = np.array([True, True, True, False, True])
    assert card_ranks(total, passed).tolist() == [1, 2, 2, 5, 4]
    stacked = card_ranks(np.stack([total, total[::-1]]), np.stack([passed, passed[::-1]]))
    assert stacked.tolist() == [[1, 2, 2, 5, 4], [4, 5, 2, 2, 1]]


def test_criteria_sets_are_parsed_once_and_reread_when_the_file_changes(tmp_path):
    assert load_criteria("cwd") is load_criteria("cwd")
    path = tmp_path / "set.json"
    path.write_text(json.dumps(small_set()), encoding="utf-8")
    first = load_criteria(path)
    assert load_criteria(path) is first
    changed = small_set()
    changed["label"] = {"pl": "Zmieniony zestaw"}
    path.write_text(json.dumps(changed, indent=1), encoding="utf-8")
    again = load_criteria(path)
    assert again is not first and again.label.pl == "Zmieniony zestaw"
