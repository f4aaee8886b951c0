"""``appraise validate``: every problem of a package, criteria set, pairwise or matrix file, or of an
advisory opinion (``"kind": "opinion"``) or a bundle of opinions (``"kind": "opinion_bundle"``), checked
against the opinion models (the same models the opinion JSON Schema is exported from)."""

from __future__ import annotations

from pathlib import Path

from .. import ahp
from ..criteria import criteria_problems, read_document
from ..criteria.errors import InputError
from ..filenames import DOCUMENT_SUFFIXES, WORKBOOK_SUFFIXES


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
        return [InputError(f"unsupported file type {suffix or '(none)'!r}; expected .json, .toml or .csv",
                           source=src)], [], "file"
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
            warnings.append(f"{src}: the package has a budget, but {', '.join(no_cost)} "
                            f"{'has' if len(no_cost) == 1 else 'have'} no cost: no portfolio can be chosen "
                            f"until {'it has one' if len(no_cost) == 1 else 'they have one'} "
                            f"(or with --exclude in 'appraise portfolio')")
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


def _ahp_warnings(cs, src: str) -> list[str]:
    _, nodes = ahp.synthesize(cs)
    out = []
    for nd in nodes:
        if nd.ahp is None:
            continue
        results = [("group", nd.ahp)] + [(f"expert {e.name}", e.result) for e in nd.ahp.experts]
        for who, res in results:
            if not res.consistent:
                hint = "; ".join(f"{d.row} vs {d.column}: {d.given:.3g} → {d.consistent:.2f}" for d in res.diagnostics)
                out.append(f"{src}: group {nd.group!r} ({who}): CR = {res.cr:.3f} > 0.10, inconsistent; revisit {hint}")
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
            warnings.append(f"{path}: CR = {res.cr:.3f} > 0.10, inconsistent")
        return [], warnings, "pairwise matrix"
    try:
        read_matrix(path)
    except InputError as exc:
        return [exc], [], "decision matrix"
    return [], [], "decision matrix"
