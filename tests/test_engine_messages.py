"""The engine's messages in the user's language: real bad inputs through the library give Polish messages
by default (the product's language) and the English ones (the gettext msgids) with ``i18n.use("en")``.

Each Polish check names a word of the translation and checks that the English text is gone, so a message
that is not translated (or not made in the current language) fails here.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from appraisal import methods, numfmt
from appraisal.ahp import analyse
from appraisal.criteria import InputError, i18n
from appraisal.criteria.problems import first_problem
from appraisal.io.formats import load_package
from appraisal.package import package_from_document, package_problems
from appraisal.portfolio import portfolio
from appraisal.ranking import rank_matrix
from builders import cwd_package_doc

ROOT = Path(__file__).resolve().parents[1]
KARTA = ROOT / "samples" / "pakiet_karta.json"


@pytest.fixture
def polish(monkeypatch):
    """The product's default: no APPRAISE_LANG, no --lang: Polish."""
    monkeypatch.delenv("APPRAISE_LANG", raising=False)
    i18n.set_language(None)
    assert i18n.current() == "pl"


def error_of(call) -> InputError:
    with pytest.raises(InputError) as info:
        call()
    return info.value


# --- a non-reciprocal pairwise matrix --------------------------------------------------------------------------

def _non_reciprocal_package() -> dict:
    doc = cwd_package_doc(3)
    ids = ["partnership_benefit", "strategy_fit", "feasibility", "funding"]
    matrix = [[1, 3, 1, 1], [3, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]  # [a, b] = 3 and [b, a] = 3
    doc["weights"] = {"cwd": {"pairwise": [{"matrix": matrix}]}}
    assert len(matrix) == len(ids)
    return doc


def test_a_non_reciprocal_matrix_is_refused_in_polish(polish):
    err = error_of(lambda: analyse(np.array([[1.0, 3.0], [3.0, 1.0]]), ["a", "b"]))
    assert "brak odwrotności" in str(err) and "not reciprocal" not in str(err)
    assert "[a, b] = 3" in str(err)  # the judgments named as today
    err = error_of(lambda: package_from_document(_non_reciprocal_package(), source="pakiet.json"))
    assert "brak odwrotności" in err.message and "not reciprocal" not in err.message
    assert err.where == "weights.cwd.pairwise[0]"  # the location is the field path, in any language


def test_a_non_reciprocal_matrix_in_english():
    with i18n.use("en"):
        err = error_of(lambda: package_from_document(_non_reciprocal_package(), source="pakiet.json"))
    assert err.message.startswith("not reciprocal: [partnership_benefit, strategy_fit] = 3")


# --- a package with a missing field (pydantic's errors, translated by type) -----------------------------------

def _without_title() -> dict:
    doc = cwd_package_doc(3)
    del doc["projects"][1]["title"]
    return doc


def test_a_missing_field_in_polish_keeps_its_location(polish):
    err = error_of(lambda: package_from_document(_without_title(), source="pakiet.json"))
    assert err.where == "projects[1].title"
    assert "Pole jest wymagane" in err.message and "Field required" not in err.message
    assert str(err).startswith("pakiet.json: projects[1].title: Pole jest wymagane")


def test_a_missing_field_in_english():
    with i18n.use("en"):
        err = error_of(lambda: package_from_document(_without_title(), source="pakiet.json"))
    assert err.where == "projects[1].title" and err.message == "Field required"


def test_other_pydantic_errors_in_polish(polish):
    doc = cwd_package_doc(2)
    doc["projects"][0]["colour"] = "red"  # extra_forbidden
    doc["projects"][1]["cost"] = -5  # greater_than_equal
    doc["partnership"]["name"] = ""  # string_too_short
    _pkg, problems = package_problems(doc, "pakiet.json")
    by_where = {p.where: p.message for p in problems}
    assert "Niedozwolone pole" in by_where["projects[0].colour"]
    assert "większa lub równa 0" in by_where["projects[1].cost"] and "(podano -5)" in by_where["projects[1].cost"]
    assert "co najmniej 1 znak" in by_where["partnership.name"]
    assert not any("Input should" in m or "Extra inputs" in m or "String should" in m for m in by_where.values())
    # the first problem says how many more there are, with the Polish plural (2 more: "problemy")
    assert "i jeszcze 2 problemy" in first_problem(problems).message
    with i18n.use("en"):  # a message is made in the language current when it is made
        _pkg, problems = package_problems(doc, "pakiet.json")
        first = first_problem(problems)
    assert {p.message.split(" (got")[0] for p in problems} >= {
        "Extra inputs are not permitted", "Input should be greater than or equal to 0"}
    assert "(and 2 more problems;" in first.message


def test_a_validator_message_of_the_criteria_set_in_polish(polish):
    doc = cwd_package_doc(2)
    doc["projects"][0]["scores"]["readiness"] = 7  # not a level of its 0–5 scale
    err = error_of(lambda: package_from_document(doc, source="pakiet.json"))
    assert "nie jest poziomem skali" in err.message and "is not a level" not in err.message
    assert err.where == "projects[0] (P1).scores.readiness"


# --- a bad weight --------------------------------------------------------------------------------------------------

def _rank_with_a_negative_weight():
    return rank_matrix(["A", "B"], ["x", "y"], [[1.0, 2.0], [2.0, 1.0]], [0.5, -1.0], "+,+")


def test_a_negative_weight_in_polish(polish):
    err = error_of(_rank_with_a_negative_weight)
    assert err.param == "weights"
    assert "waga 2 jest ujemna (-1)" in str(err) and "is negative" not in str(err)


def test_a_negative_weight_in_english():
    with i18n.use("en"):
        err = error_of(_rank_with_a_negative_weight)
    assert str(err) == "weights: weight 2 is negative (-1); weights must be ≥ 0"


# --- the selection card's reasons --------------------------------------------------------------------------------

def _failed_with_bonus(rk):
    failed = [r for r in rk.results if r.card is not None and not r.card.passed and r.card.bonus > 0]
    assert failed, "the sample card package has a project that fails with bonus points"
    return failed[0]


def test_a_bonus_not_counted_in_polish_names_the_criterion_by_its_label(polish):
    rk = load_package(KARTA).rank("points")
    res = _failed_with_bonus(rk)
    text = "; ".join(res.card.reasons)
    assert "punkty premiowe" in text and "nieuwzględnione" in text and "not counted" not in text
    cs = rk.package.criteria_set
    below = [c for c in cs.leaves() if c.minimum is not None and res.card.points[c.id] < c.minimum]
    for c in below:  # a criterion below its minimum is named by its Polish label, never by its id
        assert f"{c.label.get('pl')}: " in text and f"{c.id}:" not in text


def test_a_bonus_not_counted_in_english():
    with i18n.use("en"):
        rk = load_package(KARTA).rank("points")
    res = _failed_with_bonus(rk)
    assert f"bonus {numfmt.amount(res.card.bonus, lang='en')} not counted (only for projects that pass)" \
        in res.card.reasons


# --- money in messages, method labels, the demo --------------------------------------------------------------

def test_money_in_a_portfolio_message_is_written_by_numfmt(polish):
    doc = cwd_package_doc(3)
    for p, cost in zip(doc["projects"], (10e6, 10e6, 1e6)):
        p["cost"] = cost
    rk = package_from_document(doc).rank()
    err = error_of(lambda: portfolio(rk, 15e6, must=["P1", "P2"]))
    assert f"kosztują {numfmt.money(20e6, lang='pl')}, więcej niż budżet {numfmt.money(15e6, lang='pl')}" \
        in err.message
    with i18n.use("en"):
        err = error_of(lambda: portfolio(rk, 15e6, must=["P1", "P2"]))
    assert f"cost {numfmt.money(20e6, lang='en')}, more than the budget" in err.message


def test_method_labels_have_no_internal_names(polish):
    keys = {m.key(n) for m in methods.METHODS for n in (m.normalizations or (None,))}
    assert {"topsis_reference", "wsm", "points", "vikor"} <= keys
    for key in keys:
        for lang in ("pl", "en"):
            label = methods.variant_label(key, lang)
            assert "_" not in label and label != key, (key, lang, label)
    assert methods.variant_label("topsis_reference") == "TOPSIS (poziomy odniesienia)"
    assert methods.variant_label("topsis_reference", "en") == "TOPSIS (reference levels)"
    assert methods.get("points").label_in() == "karta oceny" and methods.get("points").label["en"] == "selection card"
    assert methods.get("topsis").describe("vector") == "TOPSIS (normalizacja wektorowa)"
    assert methods.get("topsis").describe("vector", "en") == "TOPSIS (vector normalization)"


def test_the_demo_speaks_polish_by_default(polish, tmp_path):
    from appraisal.demo import run_demo

    rep = run_demo(tmp_path / "demo")
    text = "\n".join(rep.sections)
    assert "zestaw kryteriów" in rep.sections[0] and "projektów" in rep.sections[0]
    assert "== Opinie doradcze:" in text and "Wszystkie dołączone partnerstwa" in text
    assert "Województwo" in rep.sections[-1]
    for english in ("projects, criteria set", "selection card", "portfolio under a budget", "Advisory opinions",
                    "All bundled partnerships", "Voivodeship", "Top project"):
        assert english not in text, english
    top = json.loads((tmp_path / "demo" / "partnerships.json").read_text(encoding="utf-8"))["partnerships"][0]
    assert numfmt.number(top["top_project"]["score"], 4, lang="pl") in rep.sections[-1]


def test_batch_reasons_in_polish_also_from_worker_processes(polish, tmp_path):
    from appraisal.batch import discover, run

    root = tmp_path / "pakiety"
    (root / "mazowieckie").mkdir(parents=True)
    (root / "opolskie").mkdir()
    good = cwd_package_doc(3)
    bad = copy.deepcopy(good)
    bad["projects"][0]["scores"]["nieznane"] = 1
    for name, doc in (("a.json", good), ("b.json", bad), ("c.json", good)):
        (root / "mazowieckie" / name).write_text(json.dumps(doc), encoding="utf-8")
    jobs, skipped = discover(root)
    assert skipped == [{"file": str(root / "opolskie"), "reason": "pusty folder"}]
    result = run(jobs, workers=2, read=load_package)
    errors = [o.error for o in result.failed]
    assert len(errors) == 1 and "ocena dla nieznanego kryterium 'nieznane'" in errors[0]
    assert "unknown criterion" not in errors[0]
