"""The schema of an advisory opinion and of a package's bundle of opinions (pydantic models).

An :class:`Opinion` identifies the project (:class:`Identification`: partnership, voivodeship, advisor,
date, engine version, input hash), gives its score and rank, a :class:`Recommendation` with the rule
that decided it (:class:`RuleRef`), a per-criterion assessment (:class:`CriterionAssessment`), the
groups (:class:`GroupAssessment`), strengths, weaknesses and risks (:class:`Point`), the selection
card (:class:`CardSummary`), a robustness sentence (:class:`Robustness`), conditions, the advisor's
own text (:class:`AdvisorText`) and what changed since the previous version (:class:`ChangeBlock`).
An :class:`OpinionBundle` is every opinion of a package with a summary table (:class:`SummaryRow`).
:class:`Previous` is what a regeneration carries over from the opinion written before.

Every model forbids unknown fields, so an opinion JSON read back is checked against this schema
(``appraise schema opinion``: :func:`opinion_schema`; the bundle: :func:`bundle_schema`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..criteria.models import RECOMMENDATIONS
from ..portfolio import FundingLine
from ..provenance import ENGINE
from .words import category_label

SCHEMA_VERSION = 1


class Recommendation(str, Enum):
    """The opinion's category (rekomendacja), best first."""

    RECOMMENDED = "recommended"
    WITH_CONDITIONS = "recommended_with_conditions"
    NEEDS_REWORK = "needs_rework"
    NOT_RECOMMENDED = "not_recommended"

    @property
    def order(self) -> int:
        """0 for the best category … 3 for the worst."""
        return RECOMMENDATIONS.index(self.value)

    def label(self, lang: str | None = None) -> str:
        """The category in ``lang`` (None: the current language; Polish for a language without words)."""
        with i18n.use(lang if lang is None or lang in i18n.LANGUAGES else i18n.DEFAULT):
            return category_label(self.value)


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Identification(_M):
    project_id: str
    project_title: str
    partnership: str
    voivodeship: str | None = None
    advisor: str | None = None
    date: _dt.date | None = None
    engine: str = ENGINE
    input_hash: str = Field(description="hash of the inputs: the package, criteria set, method, rules, robustness run")
    ranking_hash: str = Field(description="input hash of the ranking the opinion comes from")
    criteria_set: str
    method: str
    normalization: str | None = None
    lead_jst: str | None = None
    partners: list[str] = Field(default_factory=list)
    cost: float | None = None
    funding: list[FundingLine] = Field(default_factory=list)
    status: str | None = None
    description: str | None = None


class RuleRef(_M):
    """A recommendation rule as stated in the opinion."""

    id: str = Field(description=(
        "gate, score.<category>, score.below, group_minimum.<group> (group_minimum.<group>.<at_most> when the "
        "group has several minima) or card; 'unranked' only in opinions written by earlier versions"))
    kind: Literal["gate", "score", "group_minimum", "card", "unranked"]
    category: Recommendation = Field(description="the category the rule gives (gate, score) or caps at")
    text: str
    note: str | None = None


class CriterionAssessment(_M):
    id: str
    label: str
    group: str
    group_label: str
    kind: Literal["scale", "quantity"]
    direction: Literal["benefit", "cost"]
    value: float | None = None
    value_text: str
    level_label: str | None = None
    descriptor: str | None = None
    unit: str | None = None
    weight: float = Field(description="global weight")
    attainment: float | None = Field(default=None, description=(
        "the value on the criteria set's yardstick (the scale's range or the reference levels), 0 worst … 1 "
        "best, independent of the other projects; null for a project that fails a gate"))
    contribution: float | None = Field(default=None, description="global weight × attainment")
    comment: str | None = None


class GroupAssessment(_M):
    id: str
    label: str
    weight: float
    contribution: float | None = None
    percent: float | None = Field(default=None, description=(
        "the group's attainment: the contributions of its criteria as a % of the group's weight"))
    minimum_percent: float | None = None
    below_minimum: bool = False


class Point(_M):
    """A strength or a weakness."""

    kind: Literal["criterion", "group", "card", "gate"]
    id: str
    text: str


class CardSummary(_M):
    points: float
    bonus: float
    total: float
    max_points: float
    threshold: float | None = None
    passed: bool
    reasons: list[str] = Field(default_factory=list)


class Robustness(_M):
    samples: int
    seed: int
    sampler: str
    concentration: float | None = None
    top_k: int
    share_top_k: float = Field(description="share of weight scenarios with the project among the top k")
    share_first: float
    expected_rank: float
    text: str


class ChangeBlock(_M):
    """What changed since the previous generation of this opinion."""

    score_old: float | None = None
    score_new: float | None = None
    rank_old: int | None = None
    rank_new: int | None = None
    recommendation_old: Recommendation | None = None
    recommendation_new: Recommendation
    previous_input_hash: str | None = None
    text: str


class AdvisorText(_M):
    """The advisor's own text: kept across regenerations (a DOCX edit wins, see io.opinion_output)."""

    notes: str = Field(default="", description="Uwagi doradcy / Advisor's notes (free text)")
    recommendations: str = Field(default="", description="the advisor's own conditions and recommendations")
    source: Literal["new", "json", "docx"] = "new"
    written_digest: str = Field(default="", description="digest of notes and recommendations as written")
    docx_digest: str = Field(default="", description=(
        "sha256 of the DOCX file as last written (\"sha256:<hex>\"; empty when unknown): a DOCX that differs "
        "from it is kept as <id>.prev.docx before it is replaced"))
    comments: dict[str, str] = Field(default_factory=dict, description=(
        "per-criterion comments the advisor typed in the DOCX (section 3, comment column), by criterion id; "
        "each replaces the package's comment on that criterion, and is kept across regenerations"))


class Opinion(_M):
    """An advisory opinion on one project (opinia doradcza, Komponent II)."""

    kind: Literal["opinion"] = "opinion"
    schema_version: int = SCHEMA_VERSION
    lang: Literal["pl", "en"]
    identification: Identification
    eligible: bool
    failed_gates: list[Point] = Field(default_factory=list)
    score: float | None = None
    score_label: str
    rule_score: float | None = Field(default=None, description=(
        "what the score thresholds read: the attainment, or for a selection card the merit points' share"))
    attainment: float | None = Field(default=None, description=(
        "Σ weight × value on the criteria set's yardstick, 0 … 1 (independent of the other projects)"))
    wsm_score: float | None = Field(default=None, description="the sum of the contributions (= attainment)")
    rank: int | None = None
    ranked: int = Field(description="how many projects of the package are ranked")
    card: CardSummary | None = None
    recommendation: Recommendation
    recommendation_label: str
    decided_by: RuleRef
    decision_text: str
    rules_applied: list[RuleRef]
    criteria: list[CriterionAssessment]
    groups: list[GroupAssessment]
    strengths: list[Point]
    weaknesses: list[Point]
    robustness: Robustness | None = None
    conditions: list[str] = Field(description="conditions and recommendations from the rules")
    advisor: AdvisorText = Field(default_factory=AdvisorText)
    changes: ChangeBlock | None = None


class SummaryRow(_M):
    project_id: str
    title: str
    rank: int | None = None
    score: float | None = None
    recommendation: Recommendation
    recommendation_label: str
    share_top_k: float | None = None
    file: str | None = None


class OpinionBundle(_M):
    """Every opinion of a package, with a summary table."""

    kind: Literal["opinion_bundle"] = "opinion_bundle"
    schema_version: int = SCHEMA_VERSION
    lang: Literal["pl", "en"]
    partnership: str
    voivodeship: str | None = None
    advisor: str | None = None
    date: _dt.date | None = None
    engine: str = ENGINE
    input_hash: str
    method: str
    normalization: str | None = None
    top_k: int | None = None
    summary: list[SummaryRow]
    opinions: list[Opinion]


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def opinion_schema() -> dict[str, Any]:
    """JSON Schema of one opinion file (``appraise schema opinion``)."""
    return _schema(Opinion, "appraise opinion")


def bundle_schema() -> dict[str, Any]:
    """JSON Schema of the package bundle of opinions."""
    return _schema(OpinionBundle, "appraise opinion bundle")


@dataclass
class Previous:
    """What regeneration keeps or compares: the advisor's text and the previous numbers."""

    notes: str = ""
    recommendations: str = ""
    source: Literal["json", "docx"] = "json"
    score: float | None = None
    rank: int | None = None
    recommendation: Recommendation | None = None
    input_hash: str | None = None
    known: bool = True  # False when only the advisor's text is known (no previous JSON)
    changes: ChangeBlock | None = None  # the previous opinion's own "what changed" block
    comments: dict[str, str] = field(default_factory=dict)  # per-criterion comments edited in the DOCX


def package_of(ranking):
    """The package a ranking was made from: opinions read its criteria set and its projects."""
    if ranking.package is None:
        raise InputError(_("opinions need a package (JSON/TOML/XLSX) with its criteria set, not a plain matrix"))
    return ranking.package
