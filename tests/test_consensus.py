"""The AHP consensus indicator S* (Goepel 2013) and the cluster analysis of AHP-OS (appraisal.consensus).

Goepel, K. D. (2013). Implementing the Analytic Hierarchy Process as a Standard Method for Multi-Criteria
Decision Making in Corporate Enterprises – A New AHP Excel Template with Multiple Inputs. ISAHP 2013,
Kuala Lumpur. S = 1/Dβ = exp(Hα − Hγ); S* = (S − Dα,min/Dγ,max)/(1 − Dα,min/Dγ,max), Dα,min the
diversity of (M, 1, …, 1)/(M + n − 1), Dγ,max = n.

The kernel is cross-checked against a loop-by-loop implementation of those textbook formulas written
here with the math module; the rest are exact cases that follow from the definitions and properties
that hold for every input.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import ahp, consensus
from appraisal.criteria import InputError

SETTINGS = settings(max_examples=60, deadline=None)


# --- the textbook, one loop at a time ----------------------------------------------------------------

def textbook_entropy(p: list[float]) -> float:
    return -sum(x * math.log(x) for x in p if x > 0)


def textbook(priorities: list[list[float]], scale_max: float = 9.0) -> tuple[float, float]:
    """(S, S*) straight from Goepel's definitions, with Python loops and the math module."""
    k_count, n = len(priorities), len(priorities[0])
    h_alpha = sum(textbook_entropy(row) for row in priorities) / k_count
    mean = [sum(priorities[k][j] for k in range(k_count)) / k_count for j in range(n)]
    h_gamma = textbook_entropy(mean)
    d_beta = math.exp(h_gamma - h_alpha)
    s = 1.0 / d_beta
    total = scale_max + n - 1
    d_alpha_min = math.exp(textbook_entropy([scale_max / total] + [1.0 / total] * (n - 1)))
    d_gamma_max = n
    floor = d_alpha_min / d_gamma_max
    return s, (s - floor) / (1.0 - floor)


# --- strategies --------------------------------------------------------------------------------------

@st.composite
def priority_matrix(draw, k_min=1, k_max=8, n_min=2, n_max=12):
    """K participants' priorities over n items: positive rows normalised to sum 1."""
    k = draw(st.integers(k_min, k_max))
    n = draw(st.integers(n_min, n_max))
    raw = np.array(draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=k * n, max_size=k * n)))
    raw = raw.reshape(k, n)
    return raw / raw.sum(axis=1, keepdims=True)


@st.composite
def ahp_priorities(draw, k_min=2, k_max=6):
    """Priorities the way a panel produces them: eigenvectors of Saaty-scale pairwise matrices."""
    k = draw(st.integers(k_min, k_max))
    n = draw(st.integers(3, 7))
    scale = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]
    upper = np.array(draw(st.lists(st.sampled_from(scale), min_size=k * n * n, max_size=k * n * n)))
    w, _lam = ahp.eigenvector_weights(ahp.complete_reciprocal(upper.reshape(k, n, n)))
    return w


def dominant(n: int, scale_max: float = 9.0) -> np.ndarray:
    """(M, 1, …, 1)/(M + n − 1): one item M times as important as each of the others."""
    p = np.ones(n)
    p[0] = scale_max
    return p / p.sum()


# --- exact cases -------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 10, 15])
@pytest.mark.parametrize("scale_max", [9.0, 5.0])
def test_n_participants_each_with_a_different_dominant_item_have_no_consensus(n, scale_max):
    """K = n participants, participant k judging item k M times as important as every other: each has
    the most concentrated priorities the scale allows (Hα = ln Dα,min) and their mean is uniform
    (Hγ = ln n = ln Dγ,max), so S = Dα,min/n and S* = 0 — the two bounds S* is built from."""
    p = np.stack([np.roll(dominant(n, scale_max), k) for k in range(n)])
    d_alpha_min = consensus.alpha_min_diversity(n, scale_max)
    assert float(consensus.homogeneity(p)) == pytest.approx(d_alpha_min / n, rel=1e-13)
    assert float(consensus.consensus(p, scale_max)) == pytest.approx(0.0, abs=1e-12)
    assert textbook(p.tolist(), scale_max)[1] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("n", "scale_max"), [(2, 9.0), (3, 9.0), (4, 9.0), (9, 9.0), (15, 9.0), (5, 3.0)])
def test_alpha_min_diversity_closed_form(n, scale_max):
    """With s = M + n − 1: H = −(M/s)·ln(M/s) − (n − 1)·(1/s)·ln(1/s) = ln s − (M/s)·ln M, so
    Dα,min = exp(H) = s · M^(−M/s). For n = 4, M = 9: s = 12, Dα,min = 12 · 9^(−3/4) = 4/√3."""
    s = scale_max + n - 1
    assert consensus.alpha_min_diversity(n, scale_max) == pytest.approx(s * scale_max ** (-scale_max / s),
                                                                      rel=1e-14)
    if (n, scale_max) == (4, 9.0):
        assert consensus.alpha_min_diversity(4) == pytest.approx(4 / math.sqrt(3), rel=1e-14)


def test_two_items_by_hand():
    """n = 2, K = 2, priorities (0.9, 0.1) and (0.1, 0.9), M = 9: Hα = H(0.9, 0.1) = ln Dα,min and the
    mean is (0.5, 0.5), Hγ = ln 2: S* = 0. And (0.9, 0.1) with (0.5, 0.5): S = exp(Hα − Hγ) with
    Hα = (H(.9, .1) + ln 2)/2 and Hγ = H(.7, .3)."""
    def h(*p: float) -> float:
        return -sum(x * math.log(x) for x in p)

    assert float(consensus.consensus(np.array([[0.9, 0.1], [0.1, 0.9]]))) == pytest.approx(0, abs=1e-12)
    s = math.exp((h(0.9, 0.1) + math.log(2)) / 2 - h(0.7, 0.3))
    floor = math.exp(h(0.9, 0.1)) / 2
    p = np.array([[0.9, 0.1], [0.5, 0.5]])
    assert float(consensus.homogeneity(p)) == pytest.approx(s, rel=1e-13)
    assert float(consensus.consensus(p)) == pytest.approx((s - floor) / (1 - floor), rel=1e-12)


@SETTINGS
@given(p=priority_matrix(k_min=1, k_max=1), copies=st.integers(1, 9))
def test_identical_participants_agree_fully(p, copies):
    same = np.repeat(p, copies, axis=0)
    assert float(consensus.homogeneity(same)) == pytest.approx(1.0, abs=1e-12)
    assert float(consensus.consensus(same)) == pytest.approx(1.0, abs=1e-12)
    # two identical rows: the mean is the row itself in floating point, so S and S* are exactly 1
    pair = np.repeat(p, 2, axis=0)
    assert float(consensus.homogeneity(pair)) == 1.0 and float(consensus.consensus(pair)) == 1.0


def test_one_participant_is_full_consensus():
    assert float(consensus.consensus(np.array([[0.7, 0.2, 0.1]]))) == 1.0


# --- properties --------------------------------------------------------------------------------------

@SETTINGS
@given(p=priority_matrix(), scale_max=st.sampled_from([9.0, 5.0, 3.0]))
def test_kernel_equals_the_textbook_loops(p, scale_max):
    s_ref, s_star_ref = textbook(p.tolist(), scale_max)
    assert float(consensus.homogeneity(p)) == pytest.approx(s_ref, rel=1e-12, abs=1e-12)
    assert float(consensus.consensus(p, scale_max)) == pytest.approx(s_star_ref, rel=1e-12, abs=1e-12)


@SETTINGS
@given(p=ahp_priorities())
def test_kernel_equals_the_textbook_loops_on_ahp_priorities(p):
    s_ref, s_star_ref = textbook(p.tolist())
    assert float(consensus.homogeneity(p)) == pytest.approx(s_ref, rel=1e-12)
    assert float(consensus.consensus(p)) == pytest.approx(s_star_ref, rel=1e-12, abs=1e-12)
    assert float(consensus.consensus(p)) <= 1.0 + 1e-12


@SETTINGS
@given(p=priority_matrix(), data=st.data())
def test_invariant_to_the_order_of_participants_and_of_items(p, data):
    k, n = p.shape
    rows = data.draw(st.permutations(range(k)))
    cols = data.draw(st.permutations(range(n)))
    q = p[np.array(rows)][:, np.array(cols)]
    assert float(consensus.consensus(q)) == pytest.approx(float(consensus.consensus(p)), rel=1e-12, abs=1e-12)
    assert float(consensus.homogeneity(q)) == pytest.approx(float(consensus.homogeneity(p)), rel=1e-12)
    sim_p = consensus.similarity_matrix(p)
    sim_q = consensus.similarity_matrix(q)
    np.testing.assert_allclose(sim_q, sim_p[np.ix_(rows, rows)], rtol=1e-12, atol=1e-12)


@SETTINGS
@given(p=priority_matrix())
def test_homogeneity_bounds(p):
    """1/Dβ with Dβ = Dγ/Dα ≤ n (Dγ ≤ n, Dα ≥ 1) and Dβ ≤ K (equal participant weights, Jost 2006),
    and Dβ ≥ 1 (H is concave): max(1/K, 1/n) ≤ S ≤ 1."""
    k, n = p.shape
    s = float(consensus.homogeneity(p))
    assert max(1 / k, 1 / n) - 1e-12 <= s <= 1.0


@SETTINGS
@given(p=priority_matrix(k_min=2))
def test_similarity_matrix_is_pairwise_consensus(p):
    k = p.shape[0]
    sim = consensus.similarity_matrix(p)
    assert sim.shape == (k, k)
    assert np.array_equal(np.diag(sim), np.ones(k))  # exactly 1
    assert np.array_equal(sim, sim.T)
    for i in range(k):
        for j in range(k):
            if i != j:
                assert sim[i, j] == pytest.approx(float(consensus.consensus(p[[i, j]])), rel=1e-12, abs=1e-12)
                assert sim[i, j] == pytest.approx(textbook(p[[i, j]].tolist())[1], rel=1e-12, abs=1e-12)


@SETTINGS
@given(ps=st.lists(priority_matrix(k_min=3, k_max=3, n_min=4, n_max=4), min_size=1, max_size=5))
def test_batches_equal_one_by_one(ps):
    stack = np.stack(ps)  # (B, K, n)
    s_star = consensus.consensus(stack)
    s = consensus.homogeneity(stack)
    sim = consensus.similarity_matrix(stack)
    assert s_star.shape == s.shape == (len(ps),) and sim.shape == (len(ps), 3, 3)
    for b, p in enumerate(ps):
        assert s_star[b] == pytest.approx(float(consensus.consensus(p)), rel=1e-13, abs=1e-13)
        assert s[b] == pytest.approx(float(consensus.homogeneity(p)), rel=1e-13)
        np.testing.assert_allclose(sim[b], consensus.similarity_matrix(p), rtol=1e-13, atol=1e-13)


def test_shannon_entropy():
    assert float(consensus.shannon_entropy(np.full(4, 0.25))) == pytest.approx(math.log(4), rel=1e-15)
    assert float(consensus.shannon_entropy(np.array([1.0, 0.0, 0.0]))) == 0.0  # 0·ln 0 = 0, no NaN
    h = consensus.shannon_entropy(np.array([[0.5, 0.5], [0.9, 0.1]]))
    assert h.shape == (2,)
    assert h[1] == pytest.approx(-(0.9 * math.log(0.9) + 0.1 * math.log(0.1)), rel=1e-15)


# --- clusters ----------------------------------------------------------------------------------------

def test_two_separated_groups_are_two_clusters_and_the_outlier_none():
    """Participants 0, 2, 4, 6 put item 1 first, 1, 3, 5 item 4; participant 7 puts item 2 first. The
    larger group is found first; the outlier is similar to nobody above the threshold."""
    rng = np.random.default_rng(3)
    a = np.array([0.55, 0.25, 0.10, 0.10])
    b = np.array([0.10, 0.10, 0.25, 0.55])
    outlier = np.array([0.05, 0.80, 0.10, 0.05])
    rows = []
    for k in range(7):
        centre = a if k % 2 == 0 else b
        x = centre * np.exp(rng.normal(0, 0.05, 4))
        rows.append(x / x.sum())
    rows.append(outlier)
    p = np.array(rows)
    sim = consensus.similarity_matrix(p)
    group_a, group_b = [0, 2, 4, 6], [1, 3, 5]
    # the scenario itself: close within each group, far across groups and from the outlier
    assert sim[np.ix_(group_a, group_a)].min() > 0.9 and sim[np.ix_(group_b, group_b)].min() > 0.9
    assert sim[np.ix_(group_a, group_b)].max() < 0.75 and np.delete(sim[7], 7).max() < 0.75
    assert consensus.clusters(sim, 0.75) == [group_a, group_b]
    # a group of participants that agree has a high S*; everyone together much lower
    assert float(consensus.consensus(p[group_a])) > 0.9
    assert float(consensus.consensus(p)) < 0.75


def test_greedy_rule_on_a_hand_made_matrix():
    """Row 3 reaches {0, 1, 3, 4} above 0.75 (4 members); row 0 reaches {0, 1, 3} only, because
    s(0, 2) = 0.75 is not above the threshold. So {0, 1, 3, 4} comes first — although s(1, 4) is low:
    the cluster is the chosen participant's neighbourhood, as in AHP-OS. Then {2, 5}; nobody is left."""
    s = np.eye(6)
    for i, j, v in [(3, 0, 0.9), (3, 1, 0.9), (3, 4, 0.8), (0, 1, 0.9), (0, 2, 0.75), (1, 4, 0.1), (2, 5, 0.8)]:
        s[i, j] = s[j, i] = v
    assert consensus.clusters(s, 0.75) == [[0, 1, 3, 4], [2, 5]]
    # at 0.85, row 3 reaches {0, 1, 3} and so does row 0 ({0, 1, 3}); the first (row 0) wins the tie,
    # the same set; then nobody has a neighbour above 0.85 (s(2, 5) = 0.8)
    assert consensus.clusters(s, 0.85) == [[0, 1, 3]]
    # just below 0.75, s(0, 2) counts: rows 0 ({0, 1, 2, 3}) and 3 ({0, 1, 3, 4}) both reach 4 members
    # and row 0 comes first; then 4 and 5 are left, with s(4, 5) = 0
    assert consensus.clusters(s, 0.7499) == [[0, 1, 2, 3]]


def test_no_cluster_without_a_pair_above_the_threshold():
    s = np.full((4, 4), 0.3)
    np.fill_diagonal(s, 1.0)
    assert consensus.clusters(s, 0.75) == []
    assert consensus.clusters(np.eye(1), 0.75) == []
    everyone = np.full((3, 3), 0.95)
    assert consensus.clusters(everyone, 0.75) == [[0, 1, 2]]


@SETTINGS
@given(p=priority_matrix(k_min=2, k_max=8), threshold=st.floats(min_value=0.3, max_value=0.95))
def test_clusters_are_disjoint_sorted_and_built_around_one_member(p, threshold):
    sim = consensus.similarity_matrix(p)
    found = consensus.clusters(sim, threshold)
    seen: set[int] = set()
    for group in found:
        assert len(group) >= 2 and group == sorted(group)
        assert not seen & set(group)
        # some member is above the threshold with every other member
        assert any(all(sim[c, o] > threshold for o in group if o != c) for c in group)
        seen |= set(group)
    left = sorted(set(range(p.shape[0])) - seen)
    # the leftovers have no pair above the threshold among themselves (else the greedy would go on)
    for i in left:
        assert all(sim[i, j] <= threshold for j in left if j != i)


# --- the word scale ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("edge", "below", "at"), [
    (0.5, "very_low", "low"),
    (0.625, "low", "moderate"),
    (0.75, "moderate", "high"),
    (0.875, "high", "very_high"),
])
def test_word_scale_edges(edge, below, at):
    assert consensus.consensus_word(np.nextafter(edge, 0.0)) == below
    assert consensus.consensus_word(edge) == at


def test_word_scale_ends():
    assert consensus.consensus_word(-0.2) == "very_low"
    assert consensus.consensus_word(0.0) == "very_low"
    assert consensus.consensus_word(1.0) == "very_high"
    assert [w for w, _bound in consensus.CONSENSUS_WORDS] == ["very_low", "low", "moderate", "high", "very_high"]
    with pytest.raises(InputError):
        consensus.consensus_word(float("nan"))


# --- bad input ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("p", "message"), [
    ([[0.5, 0.6], [0.5, 0.5]], "participant 1 sum to 1.1, not 1"),
    ([[0.5, 0.5], [1.2, -0.2]], "priority of item 2 of participant 2 is -0.2"),
    ([[0.5, 0.5], [float("nan"), 0.5]], "priority of item 1 of participant 2 is nan"),
    ([[1.0], [1.0]], "at least 1 participant and 2 items"),
    ([0.5, 0.5], "shape"),
    (np.zeros((0, 3)), "at least 1 participant"),
])
def test_bad_priorities_are_input_errors(p, message):
    with pytest.raises(InputError, match=message):
        consensus.consensus(np.array(p, dtype=float))
    with pytest.raises(InputError, match=message):
        consensus.similarity_matrix(np.array(p, dtype=float))


def test_bad_scale_and_similarity():
    with pytest.raises(InputError, match="above 1"):
        consensus.alpha_min_diversity(3, 1.0)
    with pytest.raises(InputError, match="at least 2 items"):
        consensus.alpha_min_diversity(1)
    with pytest.raises(InputError, match="must be square"):
        consensus.clusters(np.ones((2, 3)))
    with pytest.raises(InputError, match="no NaN"):
        consensus.clusters(np.array([[1.0, np.nan], [np.nan, 1.0]]))
