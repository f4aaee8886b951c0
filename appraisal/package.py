"""A package of key projects (pakiet projektów kluczowych) and the projects in it.

A package document (JSON or TOML; read by ``appraisal.io.formats.load_package``) resolves its criteria set (a
built-in name, a file beside the package, or the set written inline), checks every
reference and value, and returns a :class:`Package`. ``Package.rank()`` appraises it.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict, StrictBool, ValidationError

from .criteria import (
    CriteriaSet,
    InputError,
    Weighting,
    first_problem,
    load_criteria,
    parse_document,
    validation_problems,
    weighting_problems,
)
from .criteria.i18n import _

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$")]
# a score is a number: not true/false, not a numeric string
ScoreValue = Annotated[float, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Partnership(_Model):
    name: str = Field(min_length=1)
    voivodeship: str | None = None
    members: list[str] = Field(default_factory=list, description="member JSTs (gminy, powiaty)")


class Funding(_Model):
    source: str = Field(min_length=1, description="e.g. FEnIKS, FE dla Mazowsza 2021-2027, KPO, own budget")
    amount: float | None = Field(default=None, ge=0, description="PLN")


class Project(_Model):
    """A key project (projekt kluczowy) with its scores, gate answers and the advisor's comments."""

    id: Identifier
    title: str = Field(min_length=1)
    lead_jst: str | None = None
    partners: list[str] = Field(default_factory=list)
    cost: float | None = Field(default=None, ge=0, description="total cost in PLN")
    funding: list[Funding] = Field(default_factory=list)
    status: str | None = None
    description: str | None = None
    scores: dict[str, ScoreValue] = Field(default_factory=dict, description="value per leaf (and bonus) criterion")
    gates: dict[str, StrictBool] = Field(default_factory=dict, description="answer per gate: true = met")
    comments: dict[str, str] = Field(default_factory=dict, description="advisor's comment per criterion")


class Package(_Model):
    """A partnership's package of key projects, with the criteria it is appraised on."""

    partnership: Partnership
    advisor: str | None = None
    date: _dt.date | None = None
    budget: float | None = Field(default=None, gt=0, description="money available for the package's projects, "
                                 "PLN: the default budget of 'appraise portfolio' and of the workbook's "
                                 "portfolio sheet")
    criteria: str | CriteriaSet = Field(
        default="cwd", description="a built-in set name, a path to a criteria file, or the set itself"
    )
    weights: dict[str, Weighting] = Field(
        default_factory=dict, description="overrides of the criteria set's weighting, by group id"
    )
    projects: list[Project]

    _criteria_set: CriteriaSet | None = PrivateAttr(default=None)
    _source: str | None = PrivateAttr(default=None)
    #: where a field (``projects[2].title``) sits in the source when that is not its path (a table's row and
    #: column): filled by readers of tables for the fields a message may need to name
    _locations: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def criteria_set(self) -> CriteriaSet:
        """The resolved criteria set, with this package's weight overrides applied."""
        if self._criteria_set is None:
            cs, problems = self._resolve_criteria(None)
            if problems:
                raise first_problem(problems)
            self._criteria_set = cs
        return self._criteria_set

    def _resolve_criteria(self, base: Path | None) -> tuple[CriteriaSet | None, list[InputError]]:
        """The criteria set (a built-in name, a file relative to ``base``, or inline) with the
        weight overrides applied, or every problem that stops it from being used."""
        src = self._source
        if isinstance(self.criteria, CriteriaSet):
            cs = self.criteria
            problems = [InputError(msg, source=src, where=where) for where, msg in cs.problems()]
            if problems:
                return None, problems
        else:
            try:
                cs = load_criteria(self.criteria, base)
            except InputError as exc:
                if src and exc.source and exc.source != src:
                    exc = InputError(_("criteria set {problem}").format(problem=exc), source=src, where="criteria")
                return None, [exc.located(src, "criteria")]
        if self.weights:
            try:
                cs = apply_weight_overrides(cs, self.weights)
            except InputError as exc:
                return None, [exc.located(src)]
        return cs, []

    def problems(self) -> list[InputError]:
        """Every semantic problem of this package (references, values, duplicates)."""
        src = self._source
        out: list[InputError] = []
        if self._criteria_set is None:
            cs, problems = self._resolve_criteria(None)
            if problems:
                return problems
            self._criteria_set = cs
        cs = self.criteria_set
        leaves = {c.id: c for c in cs.leaves()}
        bonus = {c.id: c for c in cs.bonus}
        gates = {g.id for g in cs.gates}
        if len(self.projects) < 2:
            out.append(InputError(_("a package needs at least two projects to rank, got {n}").format(
                n=len(self.projects)), source=src, where="projects"))
        seen: dict[str, int] = {}
        for i, p in enumerate(self.projects):
            where = f"projects[{i}] ({p.id})"
            if p.id in seen:
                out.append(InputError(_("duplicate project id {id!r} (also {where})").format(
                    id=p.id, where=f"projects[{seen[p.id]}]"), source=src, where=f"projects[{i}].id"))
            else:
                seen[p.id] = i
            for key in p.scores:
                if key not in leaves and key not in bonus:
                    out.append(InputError(_("score for unknown criterion {id!r}").format(id=key), source=src,
                                          where=f"{where}.scores"))
            for cid, crit in {**leaves, **bonus}.items():
                if cid not in p.scores:
                    if cid in leaves:
                        out.append(InputError(_("missing score for criterion {id!r}").format(id=cid), source=src,
                                              where=f"{where}.scores"))
                    continue
                why = crit.value_problem(p.scores[cid])
                if why:
                    out.append(InputError(why, source=src, where=f"{where}.scores.{cid}"))
            for key in p.gates:
                if key not in gates:
                    out.append(InputError(_("answer for unknown gate {id!r}").format(id=key), source=src,
                                          where=f"{where}.gates"))
            for gid in gates:
                if gid not in p.gates:
                    out.append(InputError(_("no answer for gate {id!r}").format(id=gid), source=src,
                                          where=f"{where}.gates"))
            for key in p.comments:
                if key not in leaves and key not in bonus and key not in gates:
                    out.append(InputError(_("comment on unknown criterion {id!r}").format(id=key), source=src,
                                          where=f"{where}.comments"))
        return out

    def check(self) -> Package:
        problems = self.problems()
        if problems:
            raise first_problem(problems)
        return self

    def rank(self, method: str = "topsis", normalization: str = "vector"):
        """Appraise the package: gates, hierarchical weights, then ``method``; returns a Ranking."""
        from .ranking import rank_package

        return rank_package(self, method=method, normalization=normalization)


def apply_weight_overrides(cs: CriteriaSet, overrides: dict[str, Weighting]) -> CriteriaSet:
    """A copy of ``cs`` whose groups named in ``overrides`` are weighed as the override says."""
    data = cs.model_dump()
    groups = {}

    def index(node: dict[str, Any]) -> None:
        groups[node["id"]] = node
        for g in node.get("groups") or []:
            index(g)

    index(data)
    for gid, w in overrides.items():
        if gid not in groups:
            raise InputError(_("weights given for unknown group {id!r}").format(id=gid), where="weights")
        node = groups[gid]
        kids = [k["id"] for k in (node.get("groups") or node.get("criteria"))]
        probs = weighting_problems(w, kids, f"weights.{gid}")
        if probs:
            where, msg = probs[0]
            raise InputError(msg, where=where)
        node.update(w.model_dump())
    return CriteriaSet.model_validate(data)


def package_problems(doc: Any, source: str | None = None,
                     base: Path | None = None) -> tuple[Package | None, list[InputError]]:
    """Validate a package document: the package (when it parses) and every problem found."""
    try:
        pkg = Package.model_validate(doc)
    except ValidationError as exc:
        return None, validation_problems(exc, source)
    pkg._source = source
    cs, problems = pkg._resolve_criteria(base)
    if problems:
        return pkg, problems
    pkg._criteria_set = cs
    return pkg, pkg.problems()


def package_from_document(doc: Any, source: str | None = None, base: Path | None = None) -> Package:
    pkg, problems = package_problems(doc, source, base)
    if problems:
        raise first_problem(problems)
    assert pkg is not None
    return pkg


def parse_package(data: bytes, suffix: str, source: str = "<package>", base: Path | None = None) -> Package:
    """A package from the bytes of a ``.json``/``.toml`` document already in memory (files are read by
    :func:`appraisal.io.formats.load_package`, which knows the workbook too)."""
    return package_from_document(parse_document(data, suffix, source), source, base)


def package_schema() -> dict[str, Any]:
    schema = Package.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "appraise package"
    return schema


__all__ = [
    "Funding", "Package", "Partnership", "Project", "apply_weight_overrides",
    "package_from_document", "package_problems", "package_schema", "parse_package",
]
