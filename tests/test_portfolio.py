"""Portfolio under a budget: the 0/1 programme against brute force over every subset, the rules
around it (eligibility, per-source spending, must/exclude, the next project), the command line,
the --by-source reader and the workbook's portfolio sheet."""

from __future__ import annotations

import itertools
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import numfmt
from appraisal.console.cli import main
from appraisal.criteria import InputError
from appraisal.io.cells import parse_budget
from appraisal.io.formats import load_package
from appraisal.io.limits import read_source_limits
from appraisal.package import package_from_document
from appraisal.portfolio import (
    from_grosze,
    next_budget,
    portfolio,
    score_tolerance,
    select,
    source_matches,
    to_grosze,
)
from builders import cwd_package_doc

ROOT = Path(__file__).resolve().parents[1]
DOLINA = ROOT / "samples" / "pakiet_dolina_baryczy.json"
KARTA = ROOT / "samples" / "pakiet_karta.json"
SETTINGS = settings(max_examples=150, deadline=None)


def _en(amount: float) -> str:
    """An amount of PLN as an English message writes it (numfmt), as a regular expression."""
    return re.escape(numfmt.money(amount, lang="en"))


# --- brute force: the definitions of the module docstring, over all 2^m subsets --------------------------

def gr(pln) -> int:
    """The money definition, written out apart from the module: PLN → whole grosze, from the decimal
    the amount is written as (its shortest repr), half a grosz up."""
    return int(Decimal(repr(float(pln))).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def gsum(amounts, x) -> int:
    """The exact cost (spending) of the set ``x`` in grosze: a sum of Python ints."""
    return sum(gr(a) for a in np.asarray(amounts, dtype=float)[x])


def subsets(m):
    return [np.array(bits, dtype=bool) for bits in itertools.product([False, True], repeat=m)]


def fits(x, costs, budget, spend, limits, must, exclude):
    if budget is not None and gsum(costs, x) > gr(budget):
        return False
    if spend is not None and any(gsum(spend[k], x) > gr(limits[k]) for k in range(len(limits))):
        return False
    return bool(np.all(x[must]) and not np.any(x[exclude]))


def brute_best(scores, costs, budget, spend=None, limits=None, must=None, exclude=None):
    """The optimal set: largest score (ties within the tolerance), then least cost (to the grosz),
    then lexicographically largest indicator in ranking order. None if nothing fits."""
    m = len(scores)
    must = np.zeros(m, bool) if must is None else must
    exclude = np.zeros(m, bool) if exclude is None else exclude
    ok = [x for x in subsets(m) if fits(x, costs, budget, spend, limits, must, exclude)]
    if not ok:
        return None
    best = max(math.fsum(scores[x]) for x in ok)
    tied = [x for x in ok if math.fsum(scores[x]) >= best - score_tolerance(scores)]
    least = min(gsum(costs, x) for x in tied)
    cheap = [x for x in tied if gsum(costs, x) == least]
    return max(cheap, key=lambda x: tuple(x.astype(int)))


def brute_next(scores, costs, best, spend=None, limits=None, must=None, exclude=None):
    """The next budget in grosze: the least exact cost of a set that scores strictly better."""
    m = len(scores)
    must = np.zeros(m, bool) if must is None else must
    exclude = np.zeros(m, bool) if exclude is None else exclude
    better = [gsum(costs, x) for x in subsets(m) if fits(x, costs, None, spend, limits, must, exclude)
              and math.fsum(scores[x]) > best + score_tolerance(scores)]
    return min(better) if better else None


@st.composite
def problems(draw, ties: bool = False):
    m = draw(st.integers(1, 10))
    if ties:  # few distinct values: many optimal sets that tie on score and on cost
        scores = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0]), min_size=m, max_size=m)))
        costs = np.array(draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, 5.0]), min_size=m, max_size=m)))
    else:
        scores = np.array(draw(st.lists(st.floats(0, 1, allow_subnormal=False), min_size=m, max_size=m)))
        # PLN with grosze, from 0 to 50 million
        costs = np.array(draw(st.lists(st.integers(0, 5_000_000_000), min_size=m, max_size=m))) / 100
    budget = draw(st.floats(0, float(costs.sum()) + 1.0, allow_subnormal=False))
    k = draw(st.integers(0, 2))
    spend = limits = None
    if k:
        share = np.array(draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=k * m, max_size=k * m)))
        spend = share.reshape(k, m) * costs
        limits = np.array(draw(st.lists(st.floats(0, float(costs.sum()) + 1.0, allow_subnormal=False),
                                        min_size=k, max_size=k)))
    flags = draw(st.lists(st.sampled_from(["", "", "", "must", "exclude"]), min_size=m, max_size=m))
    must = np.array([f == "must" for f in flags])
    exclude = np.array([f == "exclude" for f in flags])
    return scores, costs, budget, spend, limits, must, exclude


@st.composite
def grosze_problems(draw):
    """Amounts with grosze, as a treasurer writes them (whole grosze / 100), with the budget equal to
    the exact cost of some set and each source limit equal to the exact spending of some set: the
    sets that cost exactly the money there is, which float sums would put a fraction of a grosz over."""
    m = draw(st.integers(1, 9))
    scores = np.array(draw(st.lists(st.floats(0, 1, allow_subnormal=False), min_size=m, max_size=m)))
    cost_g = draw(st.lists(st.integers(0, 5_000_000_000), min_size=m, max_size=m))  # up to 50 million PLN
    costs = np.array([g / 100 for g in cost_g])
    at = draw(st.lists(st.booleans(), min_size=m, max_size=m))
    budget = sum(g for g, a in zip(cost_g, at) if a) / 100
    k = draw(st.integers(0, 2))
    spend = limits = None
    if k:
        spend_g = [[draw(st.sampled_from([0, g, g // 2, g // 3])) for g in cost_g] for _ in range(k)]
        spend = np.array([[g / 100 for g in row] for row in spend_g])
        limits = []
        for row in spend_g:
            used = draw(st.lists(st.booleans(), min_size=m, max_size=m))
            limits.append(sum(g for g, u in zip(row, used) if u) / 100)
        limits = np.array(limits)
        assert all(gr(a) == g for row, grow in zip(spend, spend_g) for a, g in zip(row, grow))
    assert all(gr(c) == g for c, g in zip(costs, cost_g)) and gr(budget) == sum(g for g, a in zip(cost_g, at) if a)
    flags = draw(st.lists(st.sampled_from(["", "", "", "", "must", "exclude"]), min_size=m, max_size=m))
    must = np.array([f == "must" for f in flags])
    exclude = np.array([f == "exclude" for f in flags])
    return scores, costs, budget, spend, limits, must, exclude


def check_against_brute_force(problem):
    scores, costs, budget, spend, limits, must, exclude = problem
    expected = brute_best(scores, costs, budget, spend, limits, must, exclude)
    got = select(scores, costs, budget, spend, limits, must, exclude)
    if expected is None:
        assert got is None
        return
    assert got is not None
    assert fits(got.chosen, costs, budget, spend, limits, must, exclude)
    assert got.cost_grosze == gsum(costs, got.chosen) <= gr(budget)
    assert got.total_cost == got.cost_grosze / 100
    assert got.total_score == pytest.approx(math.fsum(scores[expected]), abs=1e-9)
    assert got.chosen.tolist() == expected.tolist()
    nb = next_budget(scores, costs, got.total_score, spend, limits, must, exclude)
    bn = brute_next(scores, costs, math.fsum(scores[expected]), spend, limits, must, exclude)
    assert (nb is None) == (bn is None)
    if nb is not None:
        # exact: the cost in grosze of a set that scores better, not a float sum near it
        assert nb == bn / 100 and to_grosze(nb) == gr(nb) == bn
        assert bn > gr(budget)
        bigger = select(scores, costs, nb, spend, limits, must, exclude)
        # some set scores more than the old optimum + the tolerance at nb; the one chosen there may be a
        # cheaper set within the tolerance of that one (scores 0, 1e-9 and 1e-9 + 6e-14 with a tolerance
        # of 1e-9), so it scores more than the old optimum, not always by more than the tolerance
        assert bigger.total_score > got.total_score
        assert bigger.chosen.tolist() == brute_best(scores, costs, nb, spend, limits, must, exclude).tolist()
        assert bigger.cost_grosze <= bn


@SETTINGS
@given(problems())
def test_milp_equals_brute_force(problem):
    check_against_brute_force(problem)


@SETTINGS
@given(problems(ties=True))
def test_tie_break_equals_brute_force(problem):
    check_against_brute_force(problem)


@SETTINGS
@given(grosze_problems())
def test_amounts_with_grosze_equal_brute_force_in_integer_grosze(problem):
    check_against_brute_force(problem)


def test_tie_break_prefers_less_money_then_the_better_ranked_project():
    # {0} and {1, 2} score 2; {1, 2} costs less -> chosen
    got = select(np.array([2.0, 1.0, 1.0]), np.array([5.0, 2.0, 2.0]), 5.0)
    assert got.chosen.tolist() == [False, True, True]
    # same score, same cost: the set with the better-ranked (earlier) project
    got = select(np.array([1.0, 1.0, 1.0]), np.array([3.0, 3.0, 3.0]), 4.0)
    assert got.chosen.tolist() == [True, False, False]
    # a zero-score project is never bought with positive money
    got = select(np.array([1.0, 0.0]), np.array([1.0, 1.0]), 10.0)
    assert got.chosen.tolist() == [True, False]


def test_a_set_a_grosz_over_the_budget_is_refused_though_the_solver_takes_it():
    # 60 000 000 + 40 000 000,01 exceeds 100 000 000 by one grosz: within HiGHS's feasibility tolerance
    from scipy.optimize import Bounds, LinearConstraint, milp

    scores, costs = np.array([1.0, 0.9, 0.6]), np.array([60e6, 40_000_000.01, 39e6])
    plain = milp(-scores, integrality=np.ones(3), bounds=Bounds(0, 1),
                 constraints=[LinearConstraint(costs / 60e6, -np.inf, 100e6 / 60e6)], options={"mip_rel_gap": 0})
    assert np.round(plain.x).tolist() == [1, 1, 0]  # the solver alone takes the set a grosz over
    got = select(scores, costs, 100e6)
    assert got.chosen.tolist() == [True, False, True]
    assert got.total_cost == 99e6 and got.cost_grosze == 9_900_000_000
    # and a budget one grosz larger buys it: that is the next budget, to the grosz
    assert next_budget(scores, costs, got.total_score) == 100_000_000.01
    assert select(scores, costs, 100_000_000.01).chosen.tolist() == [True, True, False]


# --- money in grosze ---------------------------------------------------------------------------------

A, B, BUDGET = 2_696_372.75, 1_218_360.57, 3_914_733.32  # A + B == BUDGET to the grosz; in floats, A + B > BUDGET


def test_a_set_costing_exactly_the_budget_fits():
    assert A + B > BUDGET and A + B - BUDGET == pytest.approx(4.66e-10, rel=1e-2)  # the float sum drifts
    scores, costs = np.array([1.0, 0.9]), np.array([A, B])
    got = select(scores, costs, BUDGET)
    assert got.chosen.tolist() == [True, True]
    assert got.cost_grosze == 391_473_332 and got.total_cost == BUDGET
    assert next_budget(scores, costs, got.total_score) is None  # nothing better: both are in
    # one grosz less and only the first fits; the next budget is the budget itself, exactly
    less = select(scores, costs, 3_914_733.31)
    assert less.chosen.tolist() == [True, False]
    assert next_budget(scores, costs, less.total_score) == BUDGET
    # also as limits per source, equal to the spending to the grosz
    spend = np.array([[A, B], [A / 2, 0.0]])
    assert select(scores, costs, BUDGET, spend, np.array([BUDGET, 1_348_186.38])).chosen.tolist() == [True, True]
    assert select(scores, costs, BUDGET, spend, np.array([BUDGET, 1_348_186.37])).chosen.tolist() == [False, True]


def test_a_package_whose_costs_sum_to_the_budget_chooses_both_and_leaves_nothing():
    funding = [[{"source": "KPO", "amount": 2_000_000.25}, {"source": "wkład własny", "amount": 696_372.50}],
               [{"source": "KPO", "amount": 1_218_360.57}]]
    rk = package([A, B], funding).rank()
    pf = portfolio(rk, BUDGET, {"KPO": 3_218_360.82})
    assert sorted(i.id for i in pf.chosen) == ["P1", "P2"] and pf.not_chosen == []
    assert pf.total_cost == BUDGET and pf.money_left == 0.0 and pf.next is None
    assert [(s.limit, s.spent, s.left) for s in pf.sources] == [(3_218_360.82, 3_218_360.82, 0.0)]
    lower = portfolio(rk, 3_914_733.31, {"KPO": 3_218_360.82})
    assert len(lower.chosen) == 1 and lower.next is not None
    assert lower.next.budget == BUDGET and lower.next.extra == 0.01 and lower.next.total_cost == BUDGET
    assert to_grosze(lower.money_left) == 391_473_331 - to_grosze(lower.total_cost)
    assert lower.money_left == (391_473_331 - to_grosze(lower.total_cost)) / 100


def test_next_budget_is_the_exact_cost_of_a_set_in_grosze():
    # 0.1 + 0.2 is 0.30000000000000004 in floats; the set costs 30 grosze
    scores, costs = np.array([1.0, 1.0]), np.array([0.1, 0.2])
    alone = select(scores, costs, 0.2)
    assert alone.chosen.tolist() == [True, False] and alone.cost_grosze == 10  # ties on score: the cheaper
    nb = next_budget(scores, costs, alone.total_score)
    assert nb == 0.3 and to_grosze(nb) == 30 and repr(nb) == "0.3"
    assert select(scores, costs, nb).chosen.tolist() == [True, True]
    # many amounts: the next budget is the exact cost of the cheapest better set, and buys it
    rng = np.random.default_rng(7)
    for _ in range(20):
        cost_g = rng.integers(1, 10**9, size=6)
        costs, scores = cost_g / 100, rng.random(6)
        best = select(scores, costs, float(cost_g.sum() // 2) / 100)
        nb = next_budget(scores, costs, best.total_score)
        if nb is None:
            continue
        assert to_grosze(nb) == brute_next(scores, costs, best.total_score)  # the exact cost of a set
        assert Decimal(repr(nb)).as_tuple().exponent >= -2  # written to the grosz, no float tail
        assert select(scores, costs, nb).total_score > best.total_score


@pytest.mark.parametrize("pln,grosze", [
    (3_914_733.32, 391_473_332), (0.1, 10), (0.3, 30), (2.675, 268), (0.005, 1), (0.0049, 0), (1e-7, 0),
    (10, 1000), ("1218360.57", 121_836_057), (Decimal("0.125"), 13), (np.float64(2696372.75), 269_637_275),
    (np.int64(7), 700), (99_999_999_999.99, 9_999_999_999_999),
])
def test_to_grosze_takes_the_written_decimal_and_rounds_half_a_grosz_up(pln, grosze):
    assert to_grosze(pln) == grosze
    assert to_grosze(from_grosze(grosze)) == grosze


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, None, "abc", [1.0]])
def test_to_grosze_refuses_what_is_not_an_amount(value):
    with pytest.raises(ValueError):
        to_grosze(value)


def test_nothing_better_means_no_next_budget():
    assert next_budget(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 3.0) is None
    assert next_budget(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 2.0) == 2.0


# --- from a ranked package ---------------------------------------------------------------------------

def package(costs, funding=None, gates_fail=(), budget=None):
    doc = cwd_package_doc(len(costs))
    for i, p in enumerate(doc["projects"]):
        if costs[i] is not None:
            p["cost"] = costs[i]
        if funding is not None:
            p["funding"] = funding[i]
        if i in gates_fail:
            p["gates"]["min_two_jst"] = False
    if budget is not None:
        doc["budget"] = budget
    return package_from_document(doc, "pakiet.json")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=2, max_size=8), st.integers(1, 150), st.integers(0, 2 ** 8 - 1))
def test_package_portfolio_equals_brute_force(costs_m, budget_m, failing):
    costs = [c * 1e6 for c in costs_m]
    fail = {i for i in range(len(costs)) if failing >> i & 1}
    if len(costs) - len(fail) < 2:
        fail = set()
    rk = package(costs, gates_fail=fail).rank()
    pf = portfolio(rk, budget_m * 1e6)
    ids = [r.id for r in rk.results]
    scores = np.array([r.score for r in rk.results])
    cost = np.array([costs[int(i[1:]) - 1] for i in ids])
    best = brute_best(scores, cost, budget_m * 1e6)
    assert [i.id for i in pf.chosen] == [i for i, x in zip(ids, best) if x]
    assert {i.id for i in pf.not_chosen} == {i for i, x in zip(ids, best) if not x}
    assert {i.id for i in pf.ineligible} == {f"P{j + 1}" for j in fail}
    assert gr(pf.total_cost) == gsum(cost, best) <= gr(pf.budget)
    assert pf.total_score == pytest.approx(math.fsum(scores[best]), abs=1e-9)
    assert pf.money_left == (gr(pf.budget) - gsum(cost, best)) / 100
    nb = brute_next(scores, cost, math.fsum(scores[best]))
    if nb is None:
        assert pf.next is None
    else:
        assert pf.next.budget == nb / 100 and pf.next.extra == (nb - gr(pf.budget)) / 100
        at_next = brute_best(scores, cost, nb / 100)
        assert pf.next.enter == [i for i, a, b in zip(ids, best, at_next) if b and not a]
        assert pf.next.leave == [i for i, a, b in zip(ids, best, at_next) if a and not b]


def test_samples_choose_what_brute_force_chooses():
    for path, method in ((DOLINA, "topsis"), (DOLINA, "wsm"), (KARTA, "points")):
        pkg = load_package(path)
        rk = pkg.rank(method)
        eligible = [r for r in rk.results if method != "points" or r.card.passed]
        cost = {p.id: p.cost for p in pkg.projects}
        budget = 0.6 * sum(cost[r.id] for r in eligible)
        pf = portfolio(rk, budget)
        best = brute_best(np.array([r.score for r in eligible]), np.array([cost[r.id] for r in eligible]), budget)
        assert [i.id for i in pf.chosen] == [r.id for r, x in zip(eligible, best) if x], (path, method)
    karta = portfolio(load_package(KARTA).rank("points"), 1e8)
    assert {i.id: i.why for i in karta.ineligible} == {"K03": "failed_card", "K05": "failed_card"}


FEDS = "Fundusze Europejskie dla Dolnego Śląska 2021-2027"


def test_source_limits_cover_sub_measures_and_bind():
    funding = [
        [{"source": f"{FEDS} (priorytet 2)", "amount": 8e6}, {"source": "wkład własny JST", "amount": 2e6}],
        [{"source": f"{FEDS}  (mobilność)", "amount": 7e6}, {"source": "wkład własny JST", "amount": 3e6}],
        [{"source": "KPO"}],
        [{"source": "fundusze europejskie dla dolnego śląska 2021-2027", "amount": 9e6},
         {"source": "wkład własny JST", "amount": 1e6}],
    ]
    assert source_matches(FEDS, f"{FEDS}  (mobilność)") and not source_matches(FEDS, f"{FEDS}-bis")
    rk = package([10e6] * 4, funding).rank()
    free = portfolio(rk, 40e6)
    assert len(free.chosen) == 4
    pf = portfolio(rk, 40e6, {FEDS: 16e6, "KPO": 10e6})
    spent = {s.source: s.spent for s in pf.sources}
    per_project = {"P1": 8e6, "P2": 7e6, "P3": 0.0, "P4": 9e6}
    assert spent[FEDS] == sum(per_project[i.id] for i in pf.chosen) <= 16e6
    assert spent["KPO"] == (10e6 if any(i.id == "P3" for i in pf.chosen) else 0)  # one source: the whole cost
    scores = np.array([r.score for r in rk.results])
    ids = [r.id for r in rk.results]
    spend = np.array([[per_project[i] for i in ids], [10e6 if i == "P3" else 0 for i in ids]])
    best = brute_best(scores, np.full(4, 10e6), 40e6, spend, np.array([16e6, 10e6]))
    assert [i.id for i in pf.chosen] == [i for i, x in zip(ids, best) if x]
    assert len(pf.chosen) == 3


def test_several_sources_without_amounts_are_an_error_only_under_a_limit():
    funding = [[{"source": "KPO"}, {"source": "wkład własny"}], [{"source": "KPO", "amount": 1e6}]]
    rk = package([5e6, 5e6], funding).rank()
    assert len(portfolio(rk, 1e7).chosen) == 2
    with pytest.raises(InputError, match=r"project P1: funding source 'KPO' has no amount"):
        portfolio(rk, 1e7, {"KPO": 3e6})
    assert [i.id for i in portfolio(rk, 1e7, {"KPO": 3e6}, exclude=["P1"]).chosen] == ["P2"]


@pytest.mark.parametrize("kwargs,message", [
    ({"must": ["P9"]}, r"must: P9: no such project in the package; known ids: P1, P2, P3"),
    ({"exclude": ["X"]}, r"exclude: X: no such project"),
    ({"must": ["P2"], "exclude": ["P2"]}, r"project P2 is both in must and in exclude"),
    ({"must": ["P3"]}, r"must: P3: the project is not eligible for funding \(failed gates: "),
    # amounts as numfmt writes them (the one place numbers are formatted): 20,000,000 PLN in English
    ({"must": ["P1", "P2"]}, r"the projects that must be in \(P., P.\) cost " + _en(20e6) + ", more than the "
                             r"budget " + _en(15e6)),
    ({"limits": {"KPO": 4e6}, "must": ["P1"]}, r"the projects that must be in spend " + _en(5e6) + " from 'KPO', "
                                              r"more than its limit " + _en(4e6)),
    ({"limits": {"RPO": 4e6}}, r"source limit 'RPO' matches no funding source .*their sources: KPO"),
])
def test_infeasible_constraints_are_clear_errors(kwargs, message):
    rk = package([10e6, 10e6, 1e6], [[{"source": "KPO", "amount": 5e6}]] * 3, gates_fail={2}).rank()
    with pytest.raises(InputError, match=message):
        portfolio(rk, 15e6, kwargs.get("limits"), kwargs.get("must", ()), kwargs.get("exclude", ()))


def test_a_project_without_a_cost_is_named_unless_left_out():
    rk = package([10e6, None, None], gates_fail={2}).rank()
    with pytest.raises(InputError, match=r"^project P2 has no cost; give the cost in the package or leave it out"):
        portfolio(rk, 15e6)
    pf = portfolio(rk, 15e6, exclude=["P2"])  # P3 has no cost either, but is not eligible
    assert [i.id for i in pf.chosen] == ["P1"] and pf.not_chosen[0].why == "excluded"


def test_must_and_exclude_are_obeyed_and_recorded():
    rk = package([10e6, 10e6, 10e6]).rank()
    best_alone = portfolio(rk, 10e6).chosen[0].id
    other = next(r.id for r in rk.results if r.id != best_alone)
    pf = portfolio(rk, 10e6, must=[other])
    assert [i.id for i in pf.chosen] == [other] and pf.must == [other]
    pf = portfolio(rk, 10e6, exclude=[best_alone])
    assert best_alone not in [i.id for i in pf.chosen] and pf.exclude == [best_alone]


def test_result_carries_provenance_and_changes_with_the_inputs():
    rk = package([10e6, 10e6, 10e6]).rank()
    a, b = portfolio(rk, 10e6), portfolio(rk, 20e6)
    assert a.engine.startswith("appraise ") and a.input_hash.startswith("sha256:")
    assert a.input_hash == portfolio(rk, 10e6).input_hash != b.input_hash
    assert portfolio(rk, 10e6, exclude=["P1"]).input_hash != a.input_hash


@pytest.mark.parametrize("text,value", [("25000000", 25e6), ("25 000 000", 25e6), ("25_000_000", 25e6),
                                        ("25 000 000,50 zł", 25000000.5), ("1.5e7", 1.5e7),
                                        ("3 914 733,32", 3_914_733.32), ("3914733.32", 3_914_733.32),
                                        # more than two decimals: to the grosz, half a grosz up
                                        ("10,0050", 10.01), ("10,0049", 10.0),
                                        # dots between groups of three: thousands, the Polish way (PLN has
                                        # two decimals, so three digits after a dot are not grosze)
                                        ("25.000.000", 25e6), ("12 345", 12345.0), ("1.234.567,89", 1234567.89),
                                        ("12.5", 12.5), ("12.34", 12.34)])
def test_budget_parsing(text, value):
    assert parse_budget(text) == value
    assert to_grosze(parse_budget(text)) == round(Decimal(str(value)) * 100)


@pytest.mark.parametrize("text", ["0", "-5", "abc", "25,000", "nan", "inf", "0,004"])
def test_bad_budgets(text):
    with pytest.raises(InputError, match=r"^budget: "):
        parse_budget(text)


# --- command line ------------------------------------------------------------------------------------

def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(capsys):
    code, out, err = run(capsys, "portfolio", DOLINA, "--budget", "60000000", "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert {"budget", "chosen", "not_chosen", "ineligible", "total_cost", "total_score"} <= set(obj)
    assert obj["budget"] == 60e6
    for key in ("chosen", "not_chosen", "ineligible"):
        for it in obj[key]:
            assert {"id", "cost", "score"} <= set(it)
    rk = load_package(DOLINA).rank()
    scores = rk.scores()
    for it in obj["chosen"] + obj["not_chosen"]:
        assert it["score"] == scores[it["id"]]
    assert obj["total_cost"] == math.fsum(it["cost"] for it in obj["chosen"]) <= 60e6
    assert obj["total_score"] == pytest.approx(sum(it["score"] for it in obj["chosen"]), abs=1e-12)
    assert [it["id"] for it in obj["ineligible"]] == [i.id for i in rk.ineligible]
    all_ids = [it["id"] for key in ("chosen", "not_chosen", "ineligible") for it in obj[key]]
    assert sorted(all_ids) == sorted(p.id for p in load_package(DOLINA).projects)


def test_human_output_and_json_file(capsys, tmp_path):
    out_file = tmp_path / "portfel.json"
    code, out, _ = run(capsys, "portfolio", DOLINA, "--budget", "60 000 000", "--lang", "pl", "-o", out_file)
    assert code == 0
    assert "Wybrane:" in out and f"Pozostaje: {numfmt.money(6.3e6, lang='pl')}" in out
    assert "Następny przy większym budżecie" in out
    assert "nie mieści się w budżecie" in out and "does not fit" not in out  # the engine's reasons in Polish too
    saved = json.loads(out_file.read_text(encoding="utf-8"))
    assert saved["money_left"] == 6.3e6 and saved["next"]["enter"]


@pytest.fixture
def small(tmp_path):
    doc = cwd_package_doc(3)
    for p, c in zip(doc["projects"], (10e6, 10e6, 1e6)):
        p["cost"] = c
        p["funding"] = [{"source": "KPO", "amount": c / 2}, {"source": "wkład własny", "amount": c / 2}]
    doc["projects"][2]["gates"]["min_two_jst"] = False
    path = tmp_path / "pakiet.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("args,message", [
    (["--budget", "0"], "--budget: the budget must be more than 0 PLN"),
    (["--budget", "dużo"], "--budget: 'dużo' is not an amount of PLN"),
    ([], "no budget: give --budget PLN"),
    (["--budget", "15e6", "--must", "P1,P2"], "the projects that must be in (P1, P2) cost "
                                              + numfmt.money(20e6, lang="en")),
    (["--budget", "15e6", "--must", "P3"], "--must: P3: the project is not eligible for funding"),
    (["--budget", "15e6", "--must", "P7"], "--must: P7: no such project in the package; known ids: P1, P2, P3"),
    (["--budget", "15e6", "--must", "P1", "--exclude", "P1"], "project P1 is both in --must and in --exclude"),
])
def test_cli_infeasible_inputs_exit_2_with_one_line(capsys, small, args, message):
    code, out, err = run(capsys, "portfolio", small, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_cli_budget_equal_to_the_costs_to_the_grosz(capsys, tmp_path):
    doc = cwd_package_doc(2)
    for p, c in zip(doc["projects"], (A, B)):
        p["cost"] = c
    path = tmp_path / "pakiet.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(capsys, "portfolio", path, "--budget", "3 914 733,32 zł", "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert sorted(it["id"] for it in obj["chosen"]) == ["P1", "P2"] and obj["not_chosen"] == []
    assert obj["budget"] == obj["total_cost"] == BUDGET and obj["money_left"] == 0.0 and obj["next"] is None
    code, out, err = run(capsys, "portfolio", path, "--budget", "3914733,31", "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert len(obj["chosen"]) == 1 and obj["next"]["budget"] == BUDGET and obj["next"]["extra"] == 0.01


def test_cli_by_source_limits(capsys, small, tmp_path):
    limits = tmp_path / "limity.csv"
    limits.write_text("źródło;limit\nKPO;5 000 000,00\n", encoding="utf-8")
    code, out, err = run(capsys, "portfolio", small, "--budget", "25000000", "--by-source", limits, "--json")
    assert code == 0, err
    obj = json.loads(out)
    assert obj["source_limits"] == {"KPO": 5e6}
    assert [s["spent"] for s in obj["sources"]] == [5e6] and len(obj["chosen"]) == 1
    bad = tmp_path / "zle.csv"
    bad.write_text("źródło;limit\nKPO;pięć\n", encoding="utf-8")
    code, _, err = run(capsys, "portfolio", small, "--budget", "25000000", "--by-source", bad)
    assert code == 2 and f"{bad}: row 2, column 2: limit 'pięć' for 'KPO' is not an amount of PLN" in err


def test_cli_uses_the_packages_budget(capsys, small):
    doc = json.loads(small.read_text(encoding="utf-8"))
    doc["budget"] = 11e6
    small.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "portfolio", small, "--json")
    assert code == 0 and json.loads(out)["budget"] == 11e6
    code, out, _ = run(capsys, "portfolio", small, "--json", "--budget", "30000000")
    assert json.loads(out)["budget"] == 30e6
    doc["budget"] = 0
    small.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = run(capsys, "portfolio", small)
    assert code == 2 and "budget" in err and "greater than 0" in err


def test_package_schema_has_the_budget(capsys):
    code, out, _ = run(capsys, "schema", "package")
    assert code == 0
    assert json.loads(out)["properties"]["budget"]["anyOf"][0]["exclusiveMinimum"] == 0


# --- --by-source reader --------------------------------------------------------------------------------

@pytest.mark.parametrize("name,text,expected", [
    ("a.csv", "źródło;limit\nFEDS 2021-2027;25 000 000,50\nKPO;1 000 000 zł\n",
     {"FEDS 2021-2027": 25000000.5, "KPO": 1e6}),
    ("b.csv", "source,limit\nKPO,1000000\n", {"KPO": 1e6}),
    ("b2.csv", "źródło;limit\nKPO;40 000\nFEDS;40.000.000\n", {"KPO": 40000.0, "FEDS": 4e7}),
    ("c.csv", "KPO;3000000\nFEnIKS;0\n", {"KPO": 3e6, "FEnIKS": 0.0}),
    ("d.json", '{"KPO": 3000000, "FEnIKS": "1 000 000"}', {"KPO": 3e6, "FEnIKS": 1e6}),
    ("e.toml", '[source_limits]\nKPO = 3_000_000\n"FE dla Mazowsza" = 2.5e6\n', {"KPO": 3e6, "FE dla Mazowsza": 2.5e6}),
    # to the grosz, half a grosz up
    ("f.csv", "źródło;limit\nKPO;3 914 733,32\nFEnIKS;1 000 000,005 zł\n", {"KPO": 3_914_733.32, "FEnIKS": 1_000_000.01}),
    ("g.json", '{"KPO": 3914733.32, "FEnIKS": 0.004}', {"KPO": 3_914_733.32, "FEnIKS": 0.0}),
])
def test_read_source_limits(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert read_source_limits(path) == expected


@pytest.mark.parametrize("name,text,message", [
    ("a.csv", "źródło;limit\nKPO;\n", "row 2, column 2: no limit for source 'KPO'"),
    ("b.csv", "źródło;limit\nKPO;-5\n", "row 2, column 2: limit '-5' for 'KPO' is not an amount of PLN ≥ 0"),
    ("c.csv", "źródło;limit\nKPO;5\nkpo ;6\n", "row 3: source 'kpo' given twice (also row 2)"),
    ("d.csv", "źródło;limit\n;5\n", "row 2, column 1: empty source name"),
    ("e.csv", "source,limit\nKPO,1,000,000\n", "row 2: 4 cells; expected two"),
    ("f.csv", "źródło;kwota zł\nKPO;5\n", "row 1: expected a header"),
    ("g.csv", "źródło;limit\n", "no source limits in the file"),
    ("h.json", '{"KPO": true}', "KPO: the limit must be a number of PLN ≥ 0, got bool"),
    ("i.json", '{"KPO": "dużo"}', "KPO: the limit must be a number of PLN ≥ 0, got 'dużo'"),
    ("j.json", "[1, 2]", "expected an object at the top level"),
    ("k.txt", "KPO;5", "unsupported file type '.txt'"),
])
def test_bad_source_limit_files(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_source_limits(path)
    assert str(exc.value).startswith(str(path)) and message in str(exc.value) and "\n" not in str(exc.value)


# --- the workbook ----------------------------------------------------------------------------------------

def test_workbook_portfolio_sheet_recalculates(tmp_path, recalc, capsys):
    path = tmp_path / "ocena.xlsx"
    code, _, err = run(capsys, "portfolio", DOLINA, "--budget", "60000000", "--lang", "pl", "-o", path)
    assert code == 0, err
    pf = portfolio(load_package(DOLINA).rank(), 60e6)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[1] == "Portfel"
    ws = wb["Portfel"]
    assert ws["C6"].value.startswith("=SUM(F") and ws["C7"].value == "=C5-C6"
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "wybrany"}
    assert list(rows) == [i.id for i in pf.chosen]
    values = openpyxl.load_workbook(recalc(path), data_only=True)["Portfel"]
    assert values["C5"].value == 60e6
    assert values["C6"].value == pytest.approx(pf.total_cost, abs=1e-6)
    assert values["C7"].value == pytest.approx(pf.money_left, abs=1e-6)
    assert values["C8"].value == pytest.approx(pf.total_score, abs=1e-12)
    assert all(values.cell(r, 6).value == next(i.cost for i in pf.chosen if i.id == k) for k, r in rows.items())


def test_package_budget_puts_the_sheet_in_the_rank_workbook_and_survives_the_template(tmp_path, capsys):
    doc = json.loads(DOLINA.read_text(encoding="utf-8"))
    doc["budget"] = 50e6
    src = tmp_path / "pakiet.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ocena.xlsx"
    code, _, err = run(capsys, "rank", src, "-o", out, "--lang", "en")
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert "Portfolio" in wb.sheetnames and wb["Portfolio"]["C5"].value == 50e6
    back = load_package(out)  # the appraisal workbook reads back as the package, budget included
    assert back.budget == 50e6
    code, _, err = run(capsys, "rank", DOLINA, "-o", tmp_path / "plain.xlsx", "--lang", "pl")
    assert code == 0, err
    assert "Portfel" not in openpyxl.load_workbook(tmp_path / "plain.xlsx").sheetnames


def test_bad_budget_cell_in_the_template_names_the_cell(tmp_path):
    from appraisal.io.package_workbook import write_template

    pkg = load_package(DOLINA)
    path = tmp_path / "pakiet.xlsx"
    write_template(path, pkg.criteria_set, lang="pl", package=pkg)
    wb = openpyxl.load_workbook(path)
    ws = wb["Pakiet"]
    row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "budget")
    ws.cell(row, 3).value = "sporo"
    wb.save(path)
    with pytest.raises(InputError, match=rf"Pakiet!C{row}: \"sporo\" is not an amount of PLN"):
        load_package(path)
    ws.cell(row, 3).value = "12 500 000 zł"
    wb.save(path)
    assert load_package(path).budget == 12.5e6


def test_a_budget_that_cannot_be_used_does_not_stop_the_ranking_workbook(tmp_path, capsys):
    """A package with a budget but an eligible project without a cost: `rank -o` still writes the
    appraisal workbook, whose portfolio sheet says why no portfolio was chosen; a batch with
    --workbooks scores the package."""
    doc = cwd_package_doc(3)
    doc["budget"] = 50e6
    for p, c in zip(doc["projects"], (10e6, None, 5e6)):
        p.pop("cost", None)
        if c is not None:
            p["cost"] = c
    path = tmp_path / "in" / "lubelskie" / "pakiet.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    code = main(["rank", str(path), "-o", str(tmp_path / "ocena.xlsx"), "--lang", "pl"])
    assert code == 0, capsys.readouterr().err
    wb = openpyxl.load_workbook(tmp_path / "ocena.xlsx")
    assert wb.sheetnames[1] == "Portfel"
    text = wb["Portfel"]["A3"].value
    # the sheet is Polish, the engine's reason too (project P2 has no cost: "projekt P2 nie ma kosztu")
    assert "Nie można wybrać portfela" in text and "50 000 000" in text.replace("\xa0", " ")
    assert "projekt P2 nie ma kosztu" in text
    code = main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workbooks"])
    assert code == 0 and len(list((tmp_path / "out" / "workbooks").rglob("*.xlsx"))) == 1


def test_validate_warns_of_a_budget_no_portfolio_can_use(tmp_path, capsys):
    doc = cwd_package_doc(3)
    doc["budget"] = 50e6
    for p, c in zip(doc["projects"], (10e6, None, None)):
        p.pop("cost", None)
        if c is not None:
            p["cost"] = c
    doc["projects"][2]["gates"]["min_two_jst"] = False  # P3 is not admissible: its missing cost does not matter
    path = tmp_path / "pakiet.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 0 and "valid package" in out
    # warnings go to stderr
    assert "has a budget, but P2 has no cost" in err and "P3" not in err.split("has a budget")[1]
    doc["projects"][1]["cost"] = 1e6
    path.write_text(json.dumps(doc), encoding="utf-8")
    main(["validate", str(path)])
    assert "budget" not in "".join(capsys.readouterr())
