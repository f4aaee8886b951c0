"""What a workshop's answers say: each participant's weights and consistency, the group's, the consensus.

Everything here is computed from the stored judgments by the engine's own kernels, so the dashboard shows
what ``appraise weights`` and ``appraise rank`` say about the exported files:

- a participant's matrix of a group: the pairs they answered; a skipped pair is completed by Harker's
  method (1987), :func:`appraisal.ahp.harker_weights` — the weights are the principal eigenvector of
  Harker's matrix and the skipped a_ij is w_i/w_j, so the completed matrix has the same weights and λmax.
  Until the answered pairs connect all the group's items the matrix is "in progress" and left out;
- a participant's CR is Saaty's CR of that completed matrix, and the judgments to revisit are the engine's
  diagnostics (:func:`appraisal.ahp.diagnose`) among the pairs they answered, each with the value of the
  scale that would lower the CR most (:func:`best_value`: all 17 tried, the other answers kept);
- the group: AIJ (weighted geometric mean of the completed matrices, the advisor's participant weights),
  its eigenvector and CR — exactly :func:`appraisal.ahp.analyse_panel`, the engine's panel;
- the consensus S* of Goepel (2013) over the participants' priorities, with its word scale, the matrix of
  pairwise S* between participants and the clusters of like-minded ones (:mod:`appraisal.consensus`);
- the package ranked with the criteria set whose judged groups are weighed by this panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import ahp, consensus
from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..criteria.judgments import RECIPROCITY_TOLERANCE, judgment_text
from ..criteria.models import Judgments, Weighting
from ..package import Package, apply_weight_overrides
from .store import Member

#: up to this many counted participants the dashboard shows each one's weights and the whole similarity
#: matrix; above it (a hall of 200), the spread of the weights and the clusters (the matrix grows as K²)
FULL_TABLES = 30

#: Saaty's 1–9 scale: the values a participant can give (a_row,column), strongest for the row first
SCALE = (9, 8, 7, 6, 5, 4, 3, 2, 1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9)


def _label(text) -> str:
    return text.get(i18n.current()) or text.get("pl") or ""


@dataclass
class Item:
    id: str
    label: str


@dataclass
class Node:
    """A group of the criteria tree judged in the workshop."""

    id: str
    label: str
    items: list[Item]

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        ids = self.ids
        return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]

    def label_of(self, item_id: str) -> str:
        return next(i.label for i in self.items if i.id == item_id)


def judged_nodes(pkg: Package, groups: list[str] | None = None) -> list[Node]:
    """The groups of the package's criteria tree (all of them, or those named), in tree order."""
    out = []
    for g in pkg.criteria_set.iter_groups():
        if groups is not None and g.id not in groups:
            continue
        if len(g.children) < 2:
            continue
        out.append(Node(g.id, _label(g.label), [Item(k.id, _label(k.label)) for k in g.children]))
    return out


@dataclass
class Revisit:
    row: str
    column: str
    given: float
    consistent: float
    nearest: float
    cr_if_changed: float


@dataclass
class Answers:
    """One participant's answers to one group, and what they give."""

    node: Node
    member: Member
    given: dict[tuple[str, str], float]  # answered pairs (row before column in the group's order)
    skipped: list[tuple[str, str]]  # pairs skipped on purpose
    status: str  # "none", "incomplete" (pairs do not yet connect the items) or "ok"
    matrix: np.ndarray | None = None  # the completed matrix (status ok)
    weights: np.ndarray | None = None
    cr: float | None = None
    revisit: list[Revisit] = field(default_factory=list)

    @property
    def completed(self) -> list[tuple[str, str]]:
        """Pairs not answered whose value Harker's method filled in."""
        return [p for p in self.node.pairs if p not in self.given] if self.status == "ok" else []

    @property
    def consistent(self) -> bool | None:
        return None if self.cr is None else self.cr <= ahp.CR_THRESHOLD

    def weight_map(self) -> dict[str, float]:
        return {} if self.weights is None else dict(zip(self.node.ids, map(float, self.weights)))


def answers_of(node: Node, member: Member, current: dict[tuple[str, str, str], float | None]) -> Answers:
    ids = node.ids
    n = len(ids)
    given: dict[tuple[str, str], float] = {}
    skipped: list[tuple[str, str]] = []
    for row, col in node.pairs:
        key = (node.id, row, col)
        if key in current:
            if current[key] is None:
                skipped.append((row, col))
            else:
                given[(row, col)] = float(current[key])
    if not given:
        return Answers(node, member, given, skipped, "none")
    partial = np.full((n, n), np.nan)
    np.fill_diagonal(partial, 1.0)
    for (row, col), v in given.items():
        i, j = ids.index(row), ids.index(col)
        partial[i, j], partial[j, i] = v, 1.0 / v
    if not ahp.comparisons_connected(partial):
        return Answers(node, member, given, skipped, "incomplete")
    matrix = ahp.complete_harker(partial)
    # the weights of the completed matrix itself (equal to Harker's), as `appraise weights` finds them in the
    # participant's exported CSV
    w, lam = ahp.eigenvector_weights(matrix)
    _ci, cr = ahp.consistency(lam, n)
    out = Answers(node, member, given, skipped, "ok", matrix, w, float(cr))
    if out.cr > ahp.CR_THRESHOLD:
        for d in ahp.diagnose(matrix, w, ids, top=n * n):
            if (d.row, d.column) not in given:
                continue  # a completed pair agrees with the weights by construction
            value, after = best_value(partial, ids.index(d.row), ids.index(d.column))
            out.revisit.append(Revisit(d.row, d.column, d.given, d.consistent, value, after))
            if len(out.revisit) == 3:
                break
    return out


def best_value(partial: np.ndarray, i: int, j: int) -> tuple[float, float]:
    """The value of Saaty's scale for pair (i, j) that gives the lowest CR with the other answers kept, and
    that CR (all 17 tried at once; a tie goes to the value nearest the one given)."""
    n = partial.shape[0]
    trials = np.repeat(partial[None], len(SCALE), axis=0)
    values = np.array(SCALE, dtype=float)
    trials[:, i, j], trials[:, j, i] = values, 1.0 / values
    _w, lam = ahp.harker_weights(trials)
    _ci, cr = ahp.consistency(lam, n)
    distance = np.abs(np.log(values) - np.log(partial[i, j]))
    k = np.lexsort((distance, np.round(cr, 12)))[0]
    return float(values[k]), float(cr[k])


@dataclass
class Panel:
    """A group's panel: the participants whose answers count, their aggregate and their consensus."""

    node: Node
    answers: list[Answers]  # everyone, in joining order
    members: list[Answers]  # those counted: status ok and a weight above 0
    result: ahp.AHPResult | None = None  # the engine's panel (AIJ) or the single participant's analysis
    consensus: float | None = None  # S*, two or more participants
    homogeneity: float | None = None
    word: str | None = None
    similarity: np.ndarray | None = None
    clusters: list[list[int]] = field(default_factory=list)  # indices into ``members``

    def spread(self) -> np.ndarray:
        """Per item, the smallest, median and largest weight a counted participant gives it: (n, 3)."""
        w = np.stack([a.weights for a in self.members])
        return np.stack([w.min(axis=0), np.median(w, axis=0), w.max(axis=0)], axis=1)

    def judgments(self) -> list[Judgments]:
        """The panel as the engine reads it: one pairwise matrix per participant (completed)."""
        return [Judgments(expert=expert_name(a.member), weight=a.member.weight,
                          matrix=[[matrix_value(x) for x in row] for row in a.matrix]) for a in self.members]


def expert_name(m: Member) -> str:
    extra = ", ".join(x for x in (m.role, m.jst) if x)
    return f"{m.name} ({extra})" if extra else m.name


def matrix_value(x: float) -> float | str:
    """A judgment as the package holds it: written as :func:`judgment_text` writes it ("1/3" for 1/3), but a
    number that is not a fraction stays a number."""
    text = judgment_text(float(x))
    return float(text) if isinstance(text, str) and "/" not in text else text


def panel_of(node: Node, members: list[Member], current: dict[int, dict]) -> Panel:
    answers = [answers_of(node, m, current.get(m.id, {})) for m in members]
    counted = [a for a in answers if a.status == "ok" and a.member.weight > 0]
    panel = Panel(node, answers, counted)
    if not counted:
        return panel
    ids = node.ids
    if len(counted) == 1:
        panel.result = ahp.analyse(counted[0].matrix, ids)
        return panel
    panel.result = ahp.analyse_panel([a.matrix for a in counted], ids, [expert_name(a.member) for a in counted],
                                     [a.member.weight for a in counted])
    priorities = np.stack([a.weights for a in counted])
    panel.consensus = float(consensus.consensus(priorities))
    panel.homogeneity = float(consensus.homogeneity(priorities))
    panel.word = consensus.consensus_word(panel.consensus)
    panel.similarity = consensus.similarity_matrix(priorities)
    panel.clusters = consensus.clusters(panel.similarity)
    return panel


@dataclass
class Workshop:
    """Everything the dashboard shows about a session."""

    package: Package
    nodes: list[Node]
    members: list[Member]
    panels: list[Panel]
    ranking: object | None  # appraisal.ranking.Ranking, with this panel's weights
    ranking_error: str | None = None

    def overrides(self) -> dict[str, Weighting]:
        """The judged groups weighed by this panel (groups nobody has finished keep the set's weighting)."""
        return {p.node.id: Weighting(pairwise=p.judgments(), aggregation="aij", method="eigenvector")
                for p in self.panels if p.members}

    def answered(self) -> dict[int, tuple[int, int]]:
        """Per participant (by id): how many pairs they answered or skipped, and how many pairs there are."""
        total = sum(len(p.node.pairs) for p in self.panels)
        done = dict.fromkeys((m.id for m in self.members), 0)
        for p in self.panels:
            for a in p.answers:
                done[a.member.id] += len(a.given) + len(a.skipped)
        return {pid: (k, total) for pid, k in done.items()}


def package_with_panel(pkg: Package, overrides: dict[str, Weighting]) -> Package:
    """A copy of ``pkg`` whose judged groups are weighed by the workshop's panel."""
    weights = {**pkg.weights, **overrides}
    out = pkg.model_copy(update={"weights": weights})
    out._criteria_set = apply_weight_overrides(pkg.criteria_set, overrides)
    out._source = pkg.source
    return out


def analyse_workshop(pkg: Package, groups: list[str], members: list[Member], current: dict[int, dict],
                     method: str = "topsis") -> Workshop:
    nodes = judged_nodes(pkg, groups)
    panels = [panel_of(node, members, current) for node in nodes]
    ws = Workshop(pkg, nodes, members, panels, None)
    try:
        ws.ranking = package_with_panel(pkg, ws.overrides()).rank(method=method)
    except InputError as exc:
        ws.ranking_error = str(exc)
    return ws


def check_value(value: float) -> float:
    """The value of Saaty's 1–9 scale (9, …, 2, 1, 1/2, …, 1/9) that ``value`` is, else a ValueError.

    A rounded fraction counts: within the engine's reciprocity tolerance (2%) of a scale value, as 0.333 or
    0.33 for 1/3 (two neighbouring scale values are at least 11% apart, 1/8 and 1/9)."""
    for s in SCALE:
        if value > 0 and abs(math.log(value / s)) <= RECIPROCITY_TOLERANCE:
            return float(s)
    raise ValueError(_("{value} is not on the 1–9 scale (9, 8, …, 2, 1, 1/2, …, 1/9)").format(value=f"{value:g}"))
