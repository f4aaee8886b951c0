"""Small valid inputs that several test modules start from (and then break on purpose)."""

from __future__ import annotations

#: a score for every leaf criterion of the built-in cwd set
CWD_SCORES = {
    "jst_count": 3, "population_served": 5000, "partnership_scope": 3, "strategy_objective": 4,
    "territorial_challenges": 3, "synergy": 2, "readiness": 4, "institutional_capacity": 3,
    "implementation_risk": 2, "funding_identified": 3, "own_contribution": 3, "cost_per_beneficiary": 1200,
}
CWD_GATES = {"in_strategy": True, "min_two_jst": True, "eligible_costs": True}


def cwd_package_doc(n: int = 3) -> dict:
    """A valid package document on the cwd set with ``n`` projects that differ on a few criteria."""
    projects = []
    for i in range(n):
        s = dict(CWD_SCORES)
        s["population_served"] += 1000 * i
        s["readiness"] = min(i + 2, 5)
        s["cost_per_beneficiary"] += 150 * i
        s["synergy"] = i % 4
        projects.append({"id": f"P{i + 1}", "title": f"Projekt {i + 1}", "scores": s, "gates": dict(CWD_GATES)})
    return {"partnership": {"name": "Partnerstwo testowe"}, "criteria": "cwd", "projects": projects}


def named_cells(wb, name):
    """The cells a workbook-level defined name points to, in order."""
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1
    sheet, ref = dests[0]
    cells = wb[sheet][ref.replace("$", "")]
    return [c for row in cells for c in (row if isinstance(row, tuple) else (row,))]


def run_cli(capsys, *args):
    """Run the command line in this process: (exit code, stdout, stderr)."""
    from appraisal.console.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err
