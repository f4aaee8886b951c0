"""``appraise validate``: every problem of a package, criteria set, pairwise or matrix file, or of an
advisory opinion (``"kind": "opinion"``) or a bundle of opinions (``"kind": "opinion_bundle"``), checked
against the opinion models (the same models the opinion JSON Schema is exported from)."""

from __future__ import annotations

from pathlib import Path

from .. import ahp
from ..criteria import criteria_problems, read_document
from ..criteria.errors import InputError
from ..criteria.i18n import _, ngettext, pgettext
from ..filenames import DOCUMENT_SUFFIXES, WORKBOOK_SUFFIXES
from ..numfmt import amount, number


def validate_file(path: str | Path) -> tuple[list[InputError], list[str], str]:
    """(problems, warnings, what the file is). Problems are located errors; warnings are notes."""
    path = Path(path)
    src = str(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _validate_csv(path)
    if suffix in WORKBOOK_SUFFIXES:
        from .package_workbook import workbook_problems

        pkg, problems = workbook_problems(path)
        warnings = _package_warnings(pkg, src) if pkg is not None and not problems else []
        return problems, warnings, "package workbook"
    if suffix not in DOCUMENT_SUFFIXES:
        return [InputError(_("unsupported file type {suffix!r}; expected .json, .toml or .csv").format(
            suffix=suffix or pgettext("reader", "(none)")), source=src)], [], "file"
    try:
        doc = read_document(path)
    except InputError as exc:
        return [exc], [], "file"
    if doc.get("kind") in ("opinion", "opinion_bundle"):
        return _validate_opinion(doc, src)
    if "projects" in doc:
        from ..package import package_problems

        pkg, problems = package_problems(doc, src, path.parent)
        warnings = _package_warnings(pkg, src) if pkg is not None and not problems else []
        return problems, warnings, "package"
    cs, problems = criteria_problems(doc, src)
    warnings = _ahp_warnings(cs, src) if cs is not None and not problems else []
    return problems, warnings, "criteria set"


def _package_warnings(pkg, src: str) -> list[str]:
    """AHP consistency notes, and a budget that no portfolio can use (an admissible project without a cost)."""
    warnings = _ahp_warnings(pkg.criteria_set, src)
    if pkg.budget is not None:
        gates = [g.id for g in pkg.criteria_set.gates]
        no_cost = [p.id for p in pkg.projects if p.cost is None and all(p.gates.get(g, False) for g in gates)]
        if no_cost:
            warnings.append(ngettext("{source}: the package has a budget, but {ids} has no cost: no portfolio can be "
                                     "chosen until it has one (or with --exclude in 'appraise portfolio')",
                                     "{source}: the package has a budget, but {ids} have no cost: no portfolio can be "
                                     "chosen until they have one (or with --exclude in 'appraise portfolio')",
                                     len(no_cost)).format(source=src, ids=", ".join(no_cost)))
    return warnings


def _validate_opinion(doc: dict, src: str) -> tuple[list[InputError], list[str], str]:
    from pydantic import ValidationError

    from ..criteria import validation_problems
    from ..opinions import Opinion, OpinionBundle

    model, what = (Opinion, "opinion") if doc.get("kind") == "opinion" else (OpinionBundle, "opinion bundle")
    try:
        model.model_validate(doc)
    except ValidationError as exc:
        return validation_problems(exc, src), [], what
    return [], [], what


def _labels(cs) -> dict[str, str]:
    """Group and criterion id → its label in the current language (what a warning names)."""
    from ..criteria import i18n

    lang = i18n.current()
    return {node.id: node.label.get(lang) for node in [*cs.iter_groups(), *cs.leaves()]}


def _ahp_warnings(cs, src: str) -> list[str]:
    _w, nodes = ahp.synthesize(cs)
    label = _labels(cs)
    out = []
    for nd in nodes:
        if nd.ahp is None:
            continue
        results = [(None, nd.ahp)] + [(e.name, e.result) for e in nd.ahp.experts]
        for expert, res in results:
            if not res.consistent:
                hint = "; ".join(_("{row} vs {column}: {given} → {consistent}").format(
                    row=label.get(d.row, d.row), column=label.get(d.column, d.column), given=amount(d.given),
                    consistent=number(d.consistent, 2)) for d in res.diagnostics)
                if expert is None:
                    msg = _("{source}: group {group!r} (group): CR = {cr} > {limit}, inconsistent; revisit {hint}")
                else:
                    msg = _("{source}: group {group!r} (expert {expert}): CR = {cr} > {limit}, inconsistent; revisit "
                            "{hint}")
                out.append(msg.format(source=src, group=label.get(nd.group, nd.group), expert=expert,
                                      cr=number(res.cr, 3), limit=number(0.10, 2), hint=hint))
    return out


def _validate_csv(path: Path) -> tuple[list[InputError], list[str], str]:
    from .csv import read_matrix, read_pairwise, read_table

    try:
        table = read_table(path)
    except InputError as exc:
        return [exc], [], "file"
    if table.rows[0] and table.rows[0][0] == "":
        try:
            pw = read_pairwise(path)
        except InputError as exc:
            return [exc], [], "pairwise matrix"
        res = ahp.analyse(pw.matrix, pw.names)
        warnings = list(pw.warnings)
        if not res.consistent:
            warnings.append(_("{source}: CR = {cr} > {limit}, inconsistent").format(
                source=path, cr=number(res.cr, 3), limit=number(0.10, 2)))
        return [], warnings, "pairwise matrix"
    try:
        read_matrix(path)
    except InputError as exc:
        return [exc], [], "decision matrix"
    return [], [], "decision matrix"
