"""The vocabulary of an appraisal: criteria, their scales, gates and the criteria tree.

A :class:`CriteriaSet` is a tree. Its root and every inner node are groups; the leaves are
the criteria that projects are scored on. Each group says how its children are weighed:
direct weights, one or more experts' AHP pairwise matrices, or (saying nothing) equally.
Gates (yes/no admissibility conditions) and bonus criteria of a selection card sit beside
the tree. This module only describes; computing weights and scores is the engine's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .i18n import _, ngettext
from .judgments import RECIPROCITY_TOLERANCE, THOUSANDS_SEPARATORS, parse_judgment  # noqa: F401

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=True)


class Text(_Model):
    """A text in Polish and English (either may be given alone; the other falls back to it)."""

    pl: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _one_language(self) -> Text:
        if not (self.pl or self.en):
            raise ValueError(_("needs a text in at least one language (pl or en)"))
        return self

    def get(self, lang: str = "pl") -> str:
        if lang == "en":
            return self.en or self.pl or ""
        return self.pl or self.en or ""


class Level(_Model):
    """One level of an ordinal scale: its value (points) and the rubric text the advisor reads."""

    value: float
    label: Text | None = None
    descriptor: Text
    attainment: float | None = Field(default=None, ge=0, le=1, description=(
        "this level's value on the criterion's yardstick, 0 (worst) … 1 (best); give it on every level "
        "or on none (then the scale's own range is used: (level − worst)/(best − worst))"))


class Scale(_Model):
    levels: list[Level] = Field(min_length=2)

    @field_validator("levels")
    @classmethod
    def _distinct(cls, levels: list[Level]) -> list[Level]:
        values = [lv.value for lv in levels]
        if len(set(values)) != len(values):
            raise ValueError(_("scale levels must have distinct values"))
        return sorted(levels, key=lambda lv: lv.value)

    @property
    def values(self) -> list[float]:
        return [lv.value for lv in self.levels]

    @property
    def low(self) -> float:
        return self.levels[0].value

    @property
    def high(self) -> float:
        return self.levels[-1].value

    def level(self, value: float) -> Level | None:
        for lv in self.levels:
            if abs(lv.value - value) <= 1e-9:
                return lv
        return None

    @property
    def explicit(self) -> bool:
        """Whether the levels carry their own attainment values."""
        return any(lv.attainment is not None for lv in self.levels)

    def describe(self) -> str:
        vals = [_fmt(v) for v in self.values]
        if len(vals) > 2 and all(float(v).is_integer() for v in self.values) and (
            self.values == [self.low + i for i in range(len(vals))]
        ):
            return f"{vals[0]}–{vals[-1]}"
        return "/".join(reversed(vals))


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"


class Breakpoint(_Model):
    """A point of a quantity's value function between its neutral and good levels."""

    at: float = Field(description="the quantity (in the criterion's unit), strictly between neutral and good")
    value: float = Field(ge=0, le=1, description="its value: 0 = neutral … 1 = good")


class Reference(_Model):
    """Reference levels of a quantity criterion: the yardstick its values are read on, owned by the
    criteria set (as M-MACBETH's "neutral" and "good" levels; Bana e Costa & Vansnick). A project at
    ``neutral`` or worse gets value 0, at ``good`` or better 1, linear in between (through the
    ``breakpoints``, when given). For a cost criterion ``good`` is below ``neutral``."""

    neutral: float = Field(description="the level that earns nothing (value 0)")
    good: float = Field(description="the level that earns the full weight (value 1)")
    breakpoints: list[Breakpoint] = Field(default_factory=list)
    note: Text | None = Field(default=None, description="where the reference levels come from")

    @model_validator(mode="after")
    def _sound(self) -> Reference:
        if self.good == self.neutral:
            raise ValueError(_("good ({good}) must differ from neutral ({neutral})").format(
                good=_fmt(self.good), neutral=_fmt(self.neutral)))
        lo, hi = sorted((self.neutral, self.good))
        last_at, last_v = self.neutral, 0.0
        toward = 1.0 if self.good > self.neutral else -1.0
        for i, b in enumerate(sorted(self.breakpoints, key=lambda b: toward * b.at)):
            if not lo < b.at < hi:
                raise ValueError(_("breakpoint at {at} must lie strictly between neutral {neutral} and good {good}")
                                 .format(at=_fmt(b.at), neutral=_fmt(self.neutral), good=_fmt(self.good)))
            if b.at == last_at and i:
                raise ValueError(_("two breakpoints at {at}").format(at=_fmt(b.at)))
            if b.value < last_v:
                raise ValueError(_("breakpoint values must not fall from neutral to good ({value} at {at}, then "
                                   "{next_value} at {next_at})").format(value=_fmt(last_v), at=_fmt(last_at),
                                                                        next_value=_fmt(b.value), next_at=_fmt(b.at)))
            last_at, last_v = b.at, b.value
        return self

    def points(self) -> tuple[list[float], list[float]]:
        """The value function as points (quantity, value) with the quantities ascending."""
        pts = [(self.neutral, 0.0), *((b.at, b.value) for b in self.breakpoints), (self.good, 1.0)]
        pts.sort()
        return [p[0] for p in pts], [p[1] for p in pts]


class Criterion(_Model):
    """A leaf criterion (kryterium merytoryczne)."""

    id: Identifier
    label: Text
    description: Text | None = None
    direction: Literal["benefit", "cost"] = "benefit"
    kind: Literal["scale", "quantity"]
    scale: Scale | None = None
    unit: str | None = None
    min_value: float | None = Field(default=None, description="smallest admissible quantity")
    max_value: float | None = Field(default=None, description="largest admissible quantity")
    minimum: float | None = Field(
        default=None, description="selection card: the least a project must score on this criterion"
    )
    reference: Reference | None = Field(default=None, description=(
        "a quantity's reference levels (neutral → 0, good → 1): required for every quantity"))

    @model_validator(mode="after")
    def _kind_fits(self) -> Criterion:
        if self.kind == "scale" and self.scale is None:
            raise ValueError(_("criterion {id!r} is of kind 'scale' but has no scale").format(id=self.id))
        if self.kind == "quantity" and self.scale is not None:
            raise ValueError(_("criterion {id!r} is a quantity and cannot have a scale").format(id=self.id))
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValueError(_("criterion {id!r}: min_value is above max_value").format(id=self.id))
        return self

    def value_points(self) -> tuple[list[float], list[float]]:
        """The criterion's value function as points (raw value ascending, value 0 … 1, oriented so that
        1 is best): piecewise linear between the points, flat beyond them. It depends on the criteria
        set alone, never on the other projects: a scale by its own range (or its levels' explicit
        attainment), a quantity by its reference levels."""
        if self.scale is not None:
            xs = self.scale.values
            if self.scale.explicit:
                return xs, [float(lv.attainment) for lv in self.scale.levels]  # type: ignore[arg-type]
            lo, hi = self.scale.low, self.scale.high
            up = [(v - lo) / (hi - lo) for v in xs]
            return xs, (up if self.direction == "benefit" else [1.0 - u for u in up])
        if self.reference is None:
            raise ValueError(_("quantity criterion {id!r} has no reference levels").format(id=self.id))
        return self.reference.points()

    @property
    def sign(self) -> int:
        return 1 if self.direction == "benefit" else -1

    def value_problem(self, value: float) -> str | None:
        """Why ``value`` is not an admissible score of this criterion (None when it is)."""
        if self.scale is not None:
            if self.scale.level(value) is None:
                return _("{value} is not a level of scale {scale}").format(value=_fmt(value), scale=self.scale.describe())
            return None
        if self.min_value is not None and value < self.min_value:
            return _("{value} is below the smallest admissible value {min}").format(value=_fmt(value),
                                                                                   min=_fmt(self.min_value))
        if self.max_value is not None and value > self.max_value:
            return _("{value} is above the largest admissible value {max}").format(value=_fmt(value),
                                                                                  max=_fmt(self.max_value))
        return None


class Judgments(_Model):
    """One expert's AHP pairwise matrix over a group's children (rows/columns in children order)."""

    expert: str | None = None
    weight: float = Field(default=1.0, gt=0, description="this expert's weight in the panel")
    matrix: list[list[float | str]]

    @field_validator("matrix")
    @classmethod
    def _numbers(cls, matrix: list[list[float | str]]) -> list[list[float | str]]:
        for i, row in enumerate(matrix):
            for j, cell in enumerate(row):
                try:
                    parse_judgment(cell)
                except ValueError as exc:
                    raise ValueError(_("row {row}, column {column}: {problem}").format(
                        row=i + 1, column=j + 1, problem=exc)) from None
        return matrix

    def numeric(self) -> list[list[float]]:
        return [[parse_judgment(c) for c in row] for row in self.matrix]


class Weighting(_Model):
    """How a group's children are weighed: direct weights, or AHP pairwise matrices (a panel)."""

    weights: dict[str, float] | None = None
    pairwise: list[Judgments] | None = None
    aggregation: Literal["aij", "aip"] = "aij"
    method: Literal["eigenvector", "geometric"] = "eigenvector"

    @model_validator(mode="after")
    def _one_way(self) -> Weighting:
        if self.weights is not None and self.pairwise is not None:
            raise ValueError(_("give either direct weights or pairwise judgments, not both"))
        if self.pairwise is not None and not self.pairwise:
            raise ValueError(_("pairwise needs at least one expert's matrix"))
        return self


class Group(Weighting):
    """An inner node of the criteria tree: either sub-groups or criteria, weighed among themselves."""

    id: Identifier
    label: Text
    description: Text | None = None
    groups: list[Group] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _children(self) -> Group:
        if self.groups and self.criteria:
            raise ValueError(_("group {id!r} holds both sub-groups and criteria; use one or the other").format(id=self.id))
        if not (self.groups or self.criteria):
            raise ValueError(_("group {id!r} is empty").format(id=self.id))
        return self

    @property
    def children(self) -> list[Group | Criterion]:
        return list(self.groups) if self.groups else list(self.criteria)

    def iter_groups(self) -> Iterator[Group]:
        yield self
        for g in self.groups:
            yield from g.iter_groups()

    def leaves(self) -> list[Criterion]:
        if self.criteria:
            return list(self.criteria)
        return [leaf for g in self.groups for leaf in g.leaves()]

    def leaf_paths(self) -> list[tuple[list[Group], Criterion]]:
        """Each leaf with the groups on its path from this node down."""
        if self.criteria:
            return [([self], c) for c in self.criteria]
        out = []
        for g in self.groups:
            for path, leaf in g.leaf_paths():
                out.append(([self, *path], leaf))
        return out


class Gate(_Model):
    """An admissibility gate (kryterium dostępowe): yes/no, a project answering 'no' is not ranked."""

    id: Identifier
    label: Text
    description: Text | None = None


class CardRules(_Model):
    """Selection-card (karta oceny) rules: a total threshold on the merit points, bonus on top."""

    threshold_points: float | None = Field(default=None, ge=0)
    threshold_percent: float | None = Field(default=None, ge=0, le=100)
    bonus_only_if_passed: bool = Field(
        default=True, description="bonus (premium) points are added only for projects that pass"
    )

    @model_validator(mode="after")
    def _one_threshold(self) -> CardRules:
        if self.threshold_points is not None and self.threshold_percent is not None:
            raise ValueError(_("give threshold_points or threshold_percent, not both"))
        return self


#: opinion categories, best first (the engine's ``Recommendation`` uses the same values)
RECOMMENDATIONS = ("recommended", "recommended_with_conditions", "needs_rework", "not_recommended")
Category = Literal["recommended", "recommended_with_conditions", "needs_rework", "not_recommended"]


class ScoreRule(_Model):
    """A score threshold: a rule score at or above ``min_score`` earns ``category`` (the best category
    whose threshold is met wins; below every threshold a project is not recommended). The rule score is
    the project's attainment on the criteria set's yardstick (0 … 1), or on a selection card its merit
    points as a share of the maximum — never a score relative to the package."""

    category: Literal["recommended", "recommended_with_conditions", "needs_rework"]
    min_score: float = Field(ge=0, le=1, description=(
        "attainment (0 … 1; on a selection card the merit points' share) from which the category is given"))
    note: Text | None = Field(default=None, description="why this threshold (shown with the rule)")
    conditions: list[Text] = Field(default_factory=list, description="conditions stated when this rule decides")


class GroupMinimum(_Model):
    """A cap: a group scoring below ``min_percent`` of its weight makes the project at most ``at_most``.
    A group may have several minima with different caps (e.g. below 40 % at most "with conditions",
    below 25 % at most "needs rework"): the worst binding one decides."""

    group: Identifier
    min_percent: float = Field(gt=0, le=100, description=(
        "the group's attainment (Σ weight × value on the criteria set's yardstick) in % of its weight"))
    at_most: Category = "needs_rework"
    note: Text | None = None
    conditions: list[Text] = Field(default_factory=list, description="conditions stated whenever the cap applies")


class GateRule(_Model):
    """What a failed admissibility gate means for the opinion (the project is not ranked at all)."""

    category: Literal["needs_rework", "not_recommended"] = "not_recommended"
    note: Text | None = None
    conditions: list[Text] = Field(default_factory=list)


class CardCap(_Model):
    """What failing the selection card (a criterion's minimum or the points threshold) means: the project
    is judged by the card and gets ``at_most`` — or the category of its points' threshold when that is
    worse (failing the card never earns a better category than the points alone)."""

    at_most: Category = "needs_rework"
    note: Text | None = None
    conditions: list[Text] = Field(default_factory=list)


def _default_score_rules() -> list[ScoreRule]:
    return [ScoreRule(category="recommended", min_score=0.60),
            ScoreRule(category="recommended_with_conditions", min_score=0.45),
            ScoreRule(category="needs_rework", min_score=0.30)]


class OpinionRules(_Model):
    """How an advisory opinion's recommendation is decided (the engine applies them; see
    appraisal/opinions/rules.py): a failed gate decides outright; otherwise the thresholds on the attainment (on
    a selection card: the merit points' share) give a category, a failed selection card gives the card's
    category (unless the points' is worse), and a group below its minimum can only lower it."""

    score: list[ScoreRule] = Field(default_factory=_default_score_rules)
    gate: GateRule = Field(default_factory=GateRule)
    card: CardCap | None = Field(default_factory=CardCap, description=(
        "the category for failing the selection card (null: failing it changes nothing)"))
    group_minimum: list[GroupMinimum] = Field(default_factory=list)

    @field_validator("score")
    @classmethod
    def _ordered(cls, rules: list[ScoreRule]) -> list[ScoreRule]:
        if not rules:
            raise ValueError(_("at least one score threshold is needed"))
        cats = [r.category for r in rules]
        dup = next((c for c in cats if cats.count(c) > 1), None)
        if dup:
            raise ValueError(_("category {category!r} has two thresholds").format(category=dup))
        ordered = sorted(rules, key=lambda r: RECOMMENDATIONS.index(r.category))
        for better, worse in pairwise(ordered):
            if better.min_score <= worse.min_score:
                raise ValueError(_("thresholds must fall as the category worsens: {better} {better_score} is not "
                                   "above {worse} {worse_score}").format(
                    better=better.category, better_score=_fmt(better.min_score), worse=worse.category,
                    worse_score=_fmt(worse.min_score)))
        return ordered

    def problems(self, group_ids: list[str], root: str | None = None,
                 where: str = "opinions") -> list[tuple[str, str]]:
        """Problems against a criteria set whose inner groups are ``group_ids`` (the root excluded)."""
        out = []
        seen = set()
        for i, gm in enumerate(self.group_minimum):
            loc = f"{where}.group_minimum[{i}].group" if where else f"group_minimum[{i}].group"
            if gm.group == root:
                out.append((loc, _("{group!r} is the whole criteria set, not a group; use the score thresholds").format(
                    group=gm.group)))
            elif gm.group not in group_ids:
                out.append((loc, _("unknown group {group!r}; the groups are {groups}").format(
                    group=gm.group, groups=", ".join(group_ids))))
            elif (gm.group, gm.at_most) in seen:
                out.append((loc, _("group {group!r} has two minima capping at {category!r}").format(
                    group=gm.group, category=gm.at_most)))
            seen.add((gm.group, gm.at_most))
        return out


class CriteriaSet(Group):
    """A whole criteria set: the tree (this node is its root), gates, bonus criteria and card rules."""

    version: str = "1"
    gates: list[Gate] = Field(default_factory=list)
    bonus: list[Criterion] = Field(
        default_factory=list, description="bonus (premium) criteria: points added on top in the card"
    )
    card: CardRules | None = None
    opinions: OpinionRules | None = Field(
        default=None, description="rules deciding the advisory opinion's recommendation (default rules if absent)"
    )

    def problems(self) -> list[tuple[str, str]]:
        """Semantic problems as (where, what) pairs; empty when the set is sound."""
        out: list[tuple[str, str]] = []
        seen: dict[str, str] = {}

        def claim(ident: str, where: str) -> None:
            if ident in seen:
                out.append((where, _("id {id!r} is used twice (also at {where})").format(id=ident, where=seen[ident])))
            else:
                seen[ident] = where

        def walk(group: Group, where: str) -> None:
            claim(group.id, where)
            kids = group.children
            ids = [k.id for k in kids]
            for i, kid in enumerate(kids):
                kind = "groups" if group.groups else "criteria"
                if isinstance(kid, Group):
                    walk(kid, f"{where}.{kind}[{i}]")
                else:
                    claim(kid.id, f"{where}.{kind}[{i}]")
                    out.extend(_criterion_problems(kid, f"{where}.{kind}[{i}]"))
            out.extend(weighting_problems(group, ids, where))

        walk(self, "criteria")
        for i, gate in enumerate(self.gates):
            claim(gate.id, f"gates[{i}]")
        for i, crit in enumerate(self.bonus):
            claim(crit.id, f"bonus[{i}]")
            out.extend(_criterion_problems(crit, f"bonus[{i}]"))
        if self.card is not None and self.card.threshold_points is not None:
            top = sum(c.scale.high if c.scale else 0.0 for c in self.leaves())
            if self.card.threshold_points > top:
                out.append(("card.threshold_points", _("threshold {threshold} is above the most points a project "
                                                       "can get ({top})").format(
                    threshold=_fmt(self.card.threshold_points), top=_fmt(top))))
        if self.card is not None:
            for crit in self.leaves():
                if crit.kind != "scale":
                    out.append(("card", _("criterion {id!r}: a selection card needs point scales, but it is a "
                                          "quantity").format(id=crit.id)))
        if self.opinions is not None:
            inner = [g.id for g in self.iter_groups() if g is not self]
            out.extend(self.opinions.problems(inner, self.id))
        return out

    def leaf_ids(self) -> list[str]:
        return [c.id for c in self.leaves()]

    def criterion(self, ident: str) -> Criterion | None:
        for c in [*self.leaves(), *self.bonus]:
            if c.id == ident:
                return c
        return None


def _criterion_problems(crit: Criterion, where: str) -> list[tuple[str, str]]:
    out = []
    if crit.kind == "quantity" and crit.reference is None:
        out.append((f"{where}.reference", _("quantity criterion {id!r} needs reference levels: "
                                            "reference = {{ neutral = …, good = … }} (the value earning nothing and "
                                            "the value earning the full weight, in its unit)").format(id=crit.id)))
    if crit.reference is not None:
        ref = crit.reference
        if crit.kind == "scale":
            out.append((f"{where}.reference", _("criterion {id!r} is a scale: its yardstick is its own levels "
                                                "(give 'attainment' on the levels instead of reference levels)")
                        .format(id=crit.id)))
        elif crit.direction == "benefit" and ref.good < ref.neutral:
            out.append((f"{where}.reference.good", _("criterion {id!r} is a benefit: good ({good}) must be above "
                                                     "neutral ({neutral})").format(
                id=crit.id, good=_fmt(ref.good), neutral=_fmt(ref.neutral))))
        elif crit.direction == "cost" and ref.good > ref.neutral:
            out.append((f"{where}.reference.good", _("criterion {id!r} is a cost: good ({good}) must be below "
                                                     "neutral ({neutral})").format(
                id=crit.id, good=_fmt(ref.good), neutral=_fmt(ref.neutral))))
    if crit.scale is not None and crit.scale.explicit:
        levels = crit.scale.levels
        missing = [_fmt(lv.value) for lv in levels if lv.attainment is None]
        if missing:
            out.append((f"{where}.scale.levels", _("criterion {id!r}: attainment is given on some levels but not "
                                                   "on {levels}; give it on every level or on none").format(
                id=crit.id, levels=", ".join(missing))))
        else:
            vals = [lv.attainment for lv in levels]
            if crit.direction == "cost":
                vals = vals[::-1]
            if any(b < a for a, b in pairwise(vals)):
                text = (_("criterion {id!r}: attainment must not fall as the level gets better (higher levels are "
                          "better for a benefit)") if crit.direction == "benefit" else
                        _("criterion {id!r}: attainment must not fall as the level gets better (lower levels are "
                          "better for a cost)"))
                out.append((f"{where}.scale.levels", text.format(id=crit.id)))
    if crit.minimum is not None and crit.scale is not None and crit.minimum > crit.scale.high:
        out.append((where, _("criterion {id!r}: minimum {minimum} is above the top of its scale ({top})").format(
            id=crit.id, minimum=_fmt(crit.minimum), top=_fmt(crit.scale.high))))
    return out


def weighting_problems(weighting: Weighting, child_ids: list[str], where: str) -> list[tuple[str, str]]:
    """Problems of a node's weighting against the ids of the children it weighs."""
    out = []
    n = len(child_ids)
    if weighting.weights is not None:
        keys = set(weighting.weights)
        for k in sorted(keys - set(child_ids)):
            out.append((f"{where}.weights", _("weight given for {id!r}, which is not one of {ids}").format(
                id=k, ids=child_ids)))
        for k in child_ids:
            if k not in keys:
                out.append((f"{where}.weights", _("no weight given for {id!r}").format(id=k)))
        vals = list(weighting.weights.values())
        if any(v < 0 for v in vals):
            out.append((f"{where}.weights", _("weights must not be negative")))
        elif vals and sum(vals) <= 0:
            out.append((f"{where}.weights", _("weights are all zero")))
    if weighting.pairwise is not None:
        for e, judg in enumerate(weighting.pairwise):
            loc = f"{where}.pairwise[{e}]"
            rows = judg.matrix
            short = next((i for i, r in enumerate(rows) if len(r) != n), None)
            if len(rows) != n or short is not None:
                got = (ngettext("{n} row", "{n} rows", len(rows)).format(n=len(rows)) if len(rows) != n
                       else ngettext("row {row} has {n} entry", "row {row} has {n} entries",
                                     len(rows[short])).format(row=short + 1, n=len(rows[short])))  # type: ignore[index]
                out.append((loc, _("matrix must be {n}×{n} (one row and column per child: {children}), got {got}")
                            .format(n=n, children=", ".join(child_ids), got=got)))
                continue
            if n > 15:
                out.append((loc, _("{n}×{n} matrix is larger than Saaty's random-index table supports (n ≤ 15)").format(n=n)))
            num = judg.numeric()
            for i in range(n):
                if abs(num[i][i] - 1.0) > 1e-9:
                    out.append((loc, _("diagonal at row {row} must be 1, got {value!r}").format(
                        row=i + 1, value=judg.matrix[i][i])))
                for j in range(i + 1, n):
                    prod = num[i][j] * num[j][i]
                    if abs(prod - 1.0) > RECIPROCITY_TOLERANCE:
                        out.append((loc, _("not reciprocal: [{a}, {b}] = {ab!r} but [{b}, {a}] = {ba!r}").format(
                            a=child_ids[i], b=child_ids[j], ab=judg.matrix[i][j], ba=judg.matrix[j][i])))
    return out


Group.model_rebuild()
CriteriaSet.model_rebuild()
