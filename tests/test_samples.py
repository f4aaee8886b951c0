"""The bundled samples: realistic packages for the pilot's partnerships, all of them usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appraisal.batch import Job, discover, polish_key, run
from appraisal.console.cli import main
from appraisal.demo import samples_dir
from appraisal.io.formats import load_package

PACKAGES = [Path(j.file) for j in discover(samples_dir() / "pakiety")[0]]


def test_the_pilot_in_numbers():
    voivodeships = {p.parent.name for p in PACKAGES}
    assert len(voivodeships) == 15
    assert 35 <= len(PACKAGES) <= 40
    assert sum(p.suffix == ".xlsx" for p in PACKAGES) >= 3
    for v in voivodeships:
        assert 1 <= sum(p.parent.name == v for p in PACKAGES) <= 3, v


@pytest.mark.parametrize("path", PACKAGES, ids=[f"{p.parent.name}/{p.name}" for p in PACKAGES])
def test_every_package_ranks(path):
    pkg = load_package(path)
    assert 4 <= len(pkg.projects) <= 15
    assert pkg.partnership.name.endswith("(fikcyjne)")
    rk = pkg.rank()
    assert len(rk.results) + len(rk.ineligible) == len(pkg.projects)
    assert all(p.scores for p in pkg.projects) and any(p.comments for p in pkg.projects)


def test_some_packages_carry_a_panel_of_experts():
    panels = 0
    for path in PACKAGES:
        cs = load_package(path).criteria_set
        panels += any(g.pairwise and 2 <= len(g.pairwise) <= 4 for g in cs.iter_groups())
    assert panels >= 4


def test_demo_summary_covers_every_package(tmp_path, capsys):
    code = main(["demo", "-o", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads((tmp_path / "partnerships.json").read_text(encoding="utf-8"))
    assert len(doc["partnerships"]) == len(PACKAGES) and doc["errors"] == []
    for name in ("ocena_dolina_baryczy.xlsx", "ocena_karta.xlsx", "ranking.json"):
        assert (tmp_path / name).is_file() and str(tmp_path / name) in out
    assert f"{len(PACKAGES)} packages in 15 voivodeships" in out


def test_a_broken_package_is_reported_and_the_rest_still_run(tmp_path):
    bad = tmp_path / "mazowieckie" / "zepsuty.json"
    bad.parent.mkdir()
    bad.write_text("{ not json", encoding="utf-8")
    jobs = [Job(key=p.stem, file=str(p), voivodeship=p.parent.name) for p in (PACKAGES[0], bad, PACKAGES[1])]
    result = run(jobs, workers=1, read=load_package)
    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert "zepsuty.json" in result.outcomes[1].error and "invalid JSON" in result.outcomes[1].error


def test_polish_order():
    names = ["śląskie", "łódzkie", "lubuskie", "świętokrzyskie", "zachodniopomorskie", "opolskie"]
    assert sorted(names, key=polish_key) == ["lubuskie", "łódzkie", "opolskie", "śląskie", "świętokrzyskie",
                                             "zachodniopomorskie"]

