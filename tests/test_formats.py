"""The library without the command line: load() and save() by suffix, a package from DataFrames, the
errors naming the parameter (``weights``) where the CLI names its option (``--weights``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from appraisal import sensitivity as sens
from appraisal.criteria.errors import InputError
from appraisal.frame import package_from_frames, rank_frame
from appraisal.io.csv import DecisionMatrix
from appraisal.io.formats import load, load_package, save
from appraisal.package import Package
from appraisal.portfolio import budget_portfolio, portfolio
from appraisal.ranking import Ranking

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DOLINA = SAMPLES / "pakiet_dolina_baryczy.json"


def test_load_picks_the_reader_by_suffix(tmp_path):
    pkg = load(DOLINA)
    assert isinstance(pkg, Package) and pkg.partnership.name.startswith("Partnerstwo Gmin Doliny Baryczy")
    csv = tmp_path / "m.csv"
    csv.write_text("id,a,b\nX,1,2\nY,3,1\n", encoding="utf-8")
    m = load(csv)
    assert isinstance(m, DecisionMatrix) and m.ids == ["X", "Y"] and m.criteria == ["a", "b"]
    workbook = next(SAMPLES.glob("pakiety/*/*.xlsx"))
    assert isinstance(load(workbook), Package)
    with pytest.raises(InputError, match=r"m\.txt: unsupported file type '\.txt'"):
        load(tmp_path / "m.txt")


def test_save_writes_json_and_workbooks_atomically_by_suffix(tmp_path):
    rk = load_package(DOLINA).rank()
    path = save(rk, tmp_path / "r.json")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(rk.to_json_dict()))
    book = openpyxl.load_workbook(save(rk, tmp_path / "r.xlsx", lang="en"))
    assert book.sheetnames[0] == "Summary"
    pf = portfolio(rk, 60e6)
    assert json.loads(save(pf, tmp_path / "p.json").read_text(encoding="utf-8"))["budget"] == 60e6
    book = openpyxl.load_workbook(save(pf, tmp_path / "p.xlsx", lang="en", ranking=rk))
    assert "Portfolio" in book.sheetnames
    with pytest.raises(InputError, match="^ranking: a portfolio workbook"):
        save(pf, tmp_path / "p2.xlsx")
    rep = sens.report(sens.Problem.from_ranking(rk), samples=300, ranking=rk)
    assert json.loads(save(rep, tmp_path / "s.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(rep.to_json_dict()))
    book = openpyxl.load_workbook(save(rep, tmp_path / "s.xlsx", lang="en"))
    assert {"Summary", "Sensitivity"} <= set(book.sheetnames)
    with pytest.raises(InputError, match=r"r\.csv: cannot write \.csv; use \.json or \.xlsx"):
        save(rk, tmp_path / "r.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json", "p.xlsx", "r.json", "r.xlsx", "s.json", "s.xlsx"]
    with pytest.raises(TypeError, match="not dict"):
        save({}, tmp_path / "x.json")


def test_the_package_budget_portfolio_is_chosen_by_the_engine_not_the_writer():
    pkg = load_package(DOLINA)
    no_budget = Package.model_validate({**pkg.model_dump(), "budget": None}).check().rank()
    assert budget_portfolio(no_budget) == (None, None)
    with_budget = Package.model_validate({**pkg.model_dump(), "budget": 60e6}).check().rank()
    pf, why = budget_portfolio(with_budget)
    assert why is None and pf.to_json_dict() == portfolio(with_budget, 60e6).to_json_dict()
    too_small = Package.model_validate({**pkg.model_dump(), "budget": 1.0}).check().rank()
    pf, why = budget_portfolio(too_small)
    assert pf is not None and not pf.chosen and why is None  # nothing fits: an empty portfolio, not an error


def _frames(pkg):
    ids = [p.id for p in pkg.projects]
    projects = pd.DataFrame([{"title": p.title, "cost": p.cost, "lead_jst": p.lead_jst,
                              "partners": "; ".join(p.partners)} for p in pkg.projects], index=ids)
    scores = pd.DataFrame([p.scores for p in pkg.projects], index=ids)
    gates = pd.DataFrame([p.gates for p in pkg.projects], index=ids)
    funding = pd.DataFrame([{"project": p.id, "source": f.source, "amount": f.amount}
                            for p in pkg.projects for f in p.funding])
    return projects, scores, gates, funding


def test_a_package_built_from_dataframes_ranks_as_the_file_does():
    pkg = load_package(DOLINA)
    projects, scores, gates, funding = _frames(pkg)
    built = package_from_frames(projects, scores, gates=gates, funding=funding,
                                partnership=pkg.partnership.model_dump(),
                                weights={k: v.model_dump(exclude_defaults=True) for k, v in pkg.weights.items()})
    a, b = built.rank(), pkg.rank()
    assert isinstance(a, Ranking)
    assert a.scores() == pytest.approx(b.scores(), abs=1e-15)
    assert [i.id for i in a.ineligible] == [i.id for i in b.ineligible]
    assert [p.partners for p in built.projects] == [p.partners for p in pkg.projects]
    assert [[f.amount for f in p.funding] for p in built.projects] == [[f.amount for f in p.funding]
                                                                       for p in pkg.projects]
    # without gates every gate is met: the project failing one in the file becomes eligible
    every = package_from_frames(projects, scores, partnership="X").rank()
    assert not every.ineligible and set(every.scores()) == {p.id for p in pkg.projects}


def test_dataframe_problems_name_the_frame_the_project_and_the_column():
    pkg = load_package(DOLINA)
    projects, scores, _, _ = _frames(pkg)
    with pytest.raises(InputError, match=r"^scores: scores for project 'P99', which is not in projects"):
        package_from_frames(projects, pd.concat([scores, scores.iloc[[0]].rename(index={"P01": "P99"})]),
                            partnership="X")
    with pytest.raises(InputError, match=r"^projects: project 'P01' has more than one row"):
        package_from_frames(pd.concat([projects, projects.iloc[[0]]]), scores, partnership="X")
    with pytest.raises(InputError, match=r"^projects: unknown column\(s\) \['colour'\]"):
        package_from_frames(projects.assign(colour="red"), scores, partnership="X")
    bad = scores.copy()
    bad.loc["P02", "readiness"] = 9
    with pytest.raises(InputError, match=r"^DataFrames: projects\[1\] \(P02\)\.scores\.readiness: 9 is not a level"):
        package_from_frames(projects, bad, partnership="X")
    with pytest.raises(InputError, match=r"^funding: row 1: project 'Q' is not in projects"):
        package_from_frames(projects, scores, partnership="X",
                            funding=pd.DataFrame([{"project": "Q", "source": "KPO", "amount": 1.0}]))


def test_library_errors_name_the_parameter_and_the_cli_its_option():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=["X", "Y", "Z"])
    with pytest.raises(InputError) as raised:
        rank_frame(df, weights=[-1, 1], directions="+,-")
    assert str(raised.value) == "weights: weight 1 is negative (-1); weights must be ≥ 0"
    assert raised.value.cli_line() == "--weights: weight 1 is negative (-1); weights must be ≥ 0"
    assert "--" not in str(raised.value)
    rk = load_package(DOLINA).rank()
    with pytest.raises(InputError) as raised:
        sens.report(sens.Problem.from_ranking(rk), samples=10, top_k=0)
    assert str(raised.value).startswith("top_k: ") and raised.value.cli_line().startswith("--top-k: ")
    with pytest.raises(InputError, match=r"^must: P9: no such project"):
        portfolio(rk, 60e6, must=["P9"])
    assert np.isfinite(rk.results[0].score)
