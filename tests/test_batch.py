"""Batch scoring: every package, one national picture, nothing lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from appraisal.batch import Job, discover, output_path, run, safe_part, score_prepared
from appraisal.io.formats import load_package
from appraisal.package import package_from_document
from appraisal.ranking import prepare_package
from builders import run_cli

ROOT = Path(__file__).resolve().parents[1]
PAKIETY = ROOT / "samples" / "pakiety"
GOOD = [
    PAKIETY / "dolnośląskie" / "partnerstwo-gmin-ziemi-zlotoborskiej.xlsx",
    PAKIETY / "lubelskie" / "partnerstwo-gmin-ziemi-tarnoborskiej.json",
    PAKIETY / "łódzkie" / "zwiazek-gmin-doliny-wolicy.json",
    PAKIETY / "mazowieckie" / "partnerstwo-gmin-ziemi-bialinskiej.json",
]


@pytest.fixture
def tree(tmp_path):
    """A mixed tree: good packages, a corrupt workbook, an unknown criterion, an empty folder, a note."""
    root = tmp_path / "pakiety"
    for f in GOOD:
        (root / f.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(f, root / f.parent.name / f.name)
    (root / "mazowieckie" / "zepsuty.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    doc = json.loads(GOOD[1].read_text(encoding="utf-8"))
    doc["projects"][2]["scores"]["nieznane_kryterium"] = 3
    (root / "lubelskie" / "nieznane.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (root / "opolskie").mkdir()
    (root / "lubelskie" / "notatki.txt").write_text("spotkanie 12.10", encoding="utf-8")
    return root


def test_mixed_tree_reports_failures_and_scores_the_rest(tree, tmp_path, capsys):
    out_dir = tmp_path / "wyniki"
    code, out, err = run_cli(capsys, "batch", tree, "-o", out_dir, "--workers", "2")
    assert code == 3
    assert out.strip().splitlines()[-1] == "4 packages scored, 2 failed"
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"] == {"found": 6, "scored": 4, "failed": 2, "skipped": 2}
    reasons = {Path(e["file"]).name: e["reason"] for e in summary["errors"]}
    assert "not an Excel .xlsx workbook" in reasons["zepsuty.xlsx"]
    assert "unknown criterion 'nieznane_kryterium'" in reasons["nieznane.json"]
    assert "projects[2]" in reasons["nieznane.json"]
    skipped = {Path(s["file"]).name: s["reason"] for s in summary["skipped"]}
    assert skipped == {"opolskie": "empty folder", "notatki.txt": "not a package file (.txt)"}
    assert json.loads((out_dir / "errors.json").read_text(encoding="utf-8")) == summary["errors"]
    assert {p["partnership"] for p in summary["partnerships"]} == {
        load_package(f).partnership.name for f in GOOD}
    for line in summary["partnerships"]:
        assert line["projects"] >= line["eligible"] >= line["recommended"] >= 0
        assert line["total_cost"] == pytest.approx(sum(line["cost_by_source"].values()), rel=1e-9)
    assert "failed:" in err and "zepsuty.xlsx" in err
    wb = openpyxl.load_workbook(out_dir / "national_summary.xlsx")  # the tests' language: English
    assert {"dolnośląskie", "lubelskie", "łódzkie", "mazowieckie"} <= set(wb.sheetnames)


def test_each_package_is_ranked_as_if_alone(tree, tmp_path, capsys):
    out_dir = tmp_path / "wyniki"
    run_cli(capsys, "batch", tree, "-o", out_dir)
    for f in GOOD:
        alone = load_package(f).rank().to_json_dict()
        written = sorted((out_dir / "packages").rglob("*.json"))
        match = [json.loads(p.read_text(encoding="utf-8")) for p in written]
        match = [m for m in match if Path(m["file"]).name == f.name]
        assert len(match) == 1
        got = {k: v for k, v in match[0].items() if k not in ("file", "voivodeship", "source")}
        assert got == {k: v for k, v in alone.items() if k != "source"}


def test_one_and_many_workers_give_identical_results(tree, tmp_path, capsys):
    outs = []
    for workers in ("1", "3"):
        out_dir = tmp_path / f"w{workers}"
        run_cli(capsys, "batch", tree, "-o", out_dir, "--workers", workers)
        summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
        packages = {p.relative_to(out_dir).as_posix(): p.read_text(encoding="utf-8")
                    for p in sorted((out_dir / "packages").rglob("*.json"))}
        league = (out_dir / "league.json").read_text(encoding="utf-8")
        outs.append((summary["partnerships"], summary["errors"], packages, league))
    assert outs[0] == outs[1]


def test_batched_kernels_equal_single_scoring():
    preps = [prepare_package(load_package(f)) for f in GOOD[1:]]
    together = score_prepared(preps)
    for f, rk in zip(GOOD[1:], together):
        alone = load_package(f).rank()
        assert rk.scores() == alone.scores()
        assert [r.rank for r in rk.results] == [r.rank for r in alone.results]


def test_only_failed_retries_just_those(tree, tmp_path, capsys):
    out_dir = tmp_path / "wyniki"
    assert run_cli(capsys, "batch", tree, "-o", out_dir)[0] == 3
    first = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    # fix one of the two broken packages
    shutil.copy(GOOD[0], tree / "mazowieckie" / "zepsuty.xlsx")
    code, out, _ = run_cli(capsys, "batch", tree, "-o", out_dir, "--only-failed")
    assert code == 3 and out.strip().splitlines()[-1] == "1 packages scored, 1 failed"
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["scored"] == 5 and summary["counts"]["failed"] == 1
    assert [e["key"] for e in summary["errors"]] == ["lubelskie/nieznane"]
    kept = {p["key"]: p for p in first["partnerships"]}
    for p in summary["partnerships"]:
        if p["key"] in kept:
            assert p == kept[p["key"]]
    league = json.loads((out_dir / "league.json").read_text(encoding="utf-8"))
    assert {r["key"] for r in league} == {p["key"] for p in summary["partnerships"]}


def test_dry_run_writes_nothing(tree, tmp_path, capsys):
    out_dir = tmp_path / "wyniki"
    code, out, err = run_cli(capsys, "batch", tree, "-o", out_dir, "--dry-run")
    assert code == 3 and not out_dir.exists()
    assert "dry run" in err and out.strip().endswith("4 packages scored, 2 failed")


def test_all_good_exits_zero_and_with_workbooks(tmp_path, capsys):
    root = tmp_path / "in" / "lubelskie"
    root.mkdir(parents=True)
    shutil.copy(GOOD[1], root / GOOD[1].name)
    code, out, _ = run_cli(capsys, "batch", tmp_path / "in", "-o", tmp_path / "out", "--workbooks", "--lang", "en")
    assert code == 0 and out.strip().endswith("1 packages scored, 0 failed")
    books = list((tmp_path / "out" / "workbooks").rglob("*.xlsx"))
    assert len(books) == 1
    assert load_package(books[0]).rank().scores() == load_package(GOOD[1]).rank().scores()
    assert (tmp_path / "out" / "national_summary.xlsx").is_file()


def test_shared_criteria_set(tmp_path, capsys):
    root = tmp_path / "in" / "lubelskie"
    root.mkdir(parents=True)
    shutil.copy(GOOD[1], root / GOOD[1].name)
    code, _, _ = run_cli(capsys, "batch", tmp_path / "in", "-o", tmp_path / "out", "--criteria", "cwd")
    assert code == 0
    line = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["partnerships"][0]
    assert line["partnership"] == load_package(GOOD[1]).partnership.name


def test_empty_source_and_missing_folder(tmp_path, capsys):
    (tmp_path / "nic").mkdir()
    code, _, err = run_cli(capsys, "batch", tmp_path / "nic", "-o", tmp_path / "o")
    assert code == 2 and "no packages found" in err
    code, _, err = run_cli(capsys, "batch", tmp_path / "brak", "-o", tmp_path / "o")
    assert code == 2 and "no such folder" in err


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "mazowieckie/../../x", "/absolute/path", "Związek Gmin Łódź/Partnerstwo ..",
    "a/b/../../../c", "..", "...", "con/.hidden", "ąęśćżźńłó/ĄĘŚĆŻŹŃŁÓ",
])
def test_output_paths_never_leave_the_folder(tmp_path, key):
    out_dir = tmp_path / "wyniki"
    path = output_path(out_dir, "packages", key, ".json", set())
    assert out_dir.resolve() in path.resolve().parents
    assert all(part not in ("..", ".") for part in path.relative_to(out_dir).parts)
    assert path.name.isascii()


def test_safe_part_transliterates_polish():
    assert safe_part("Partnerstwo Gmin Ziemi Łódzkiej / Ślęża") == "partnerstwo-gmin-ziemi-lodzkiej-sleza"
    assert safe_part("..") == "_" and safe_part("") == "_"


def test_discover_orders_in_polish_and_skips_lock_files(tmp_path):
    for v in ("śląskie", "lubuskie", "łódzkie"):
        (tmp_path / v).mkdir()
        shutil.copy(GOOD[1], tmp_path / v / "p.json")
    (tmp_path / "lubuskie" / "~$p.xlsx").write_bytes(b"lock")
    jobs, skipped = discover(tmp_path)
    assert [j.voivodeship for j in jobs] == ["lubuskie", "łódzkie", "śląskie"]
    assert skipped == [{"file": str(tmp_path / "lubuskie" / "~$p.xlsx"), "reason": "Excel lock file"}]


def test_a_worker_crash_in_one_package_does_not_stop_the_rest(tmp_path):
    jobs = [Job("a", str(GOOD[1]), "lubelskie"), Job("b", str(tmp_path / "missing.json"), "x"),
            Job("c", str(GOOD[2]), "łódzkie")]
    result = run(jobs, workers=2, read=load_package)
    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert "no such file" in result.outcomes[1].error


def _long_table(path, packages, names, change=None):
    """A long table (one row per project) of these packages, partnership names replaced by ``names``;
    ``change`` = (criterion, value) puts a value into the last row."""
    import csv

    from appraisal.criteria import load_criteria

    cs = load_criteria("cwd")
    crit = [c.id for c in cs.leaves()]
    gates = [g.id for g in cs.gates]
    rows = [["voivodeship", "partnership", "id", "title", "cost", *crit, *gates]]
    for pkg, name in zip(packages, names):
        for p in pkg.projects:
            rows.append([pkg.partnership.voivodeship, name, p.id, p.title, str(p.cost or 0),
                         *(f"{p.scores[c]:g}" for c in crit), *("tak" if p.gates[g] else "nie" for g in gates)])
    if change is not None:
        rows[-1][rows[0].index(change[0])] = change[1]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_long_table_batch_with_hostile_names_stays_in_the_folder(tmp_path, capsys):
    pkgs = [load_package(GOOD[1]), load_package(GOOD[2])]
    names = ["../../poza/Związek Gmin Łąk", "Partnerstwo /etc/passwd .."]
    table = _long_table(tmp_path / "projekty.csv", pkgs, names)
    out_dir = tmp_path / "deep" / "wyniki"
    code, _out, err = run_cli(capsys, "batch", table, "-o", out_dir, "--workbooks")
    assert code == 0, err
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != table]
    assert written and all(out_dir in p.parents for p in written)
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert sorted(p["partnership"] for p in summary["partnerships"]) == sorted(names)
    by_name = {p["partnership"]: p for p in summary["partnerships"]}
    for pkg, name in zip(pkgs, names):
        # the table carries no weight overrides: compare with the package on the plain cwd weights
        doc = pkg.model_dump(mode="json", exclude={"weights"})
        alone = package_from_document(doc).rank()
        assert by_name[name]["top_project"]["id"] == alone.results[0].id
        assert by_name[name]["top_project"]["score"] == pytest.approx(alone.results[0].score, abs=1e-12)
    assert all(p.name.isascii() for p in (out_dir / "packages").rglob("*"))


def test_long_table_with_one_bad_partnership(tmp_path, capsys):
    pkgs = [load_package(GOOD[1]), load_package(GOOD[2])]
    table = _long_table(tmp_path / "projekty.csv", pkgs, ["Dobra", "Zła"], change=("readiness", "abc"))
    lines = table.read_text(encoding="utf-8").splitlines()
    code, out, _ = run_cli(capsys, "batch", table, "-o", tmp_path / "o")
    assert code == 3 and out.strip().endswith("1 packages scored, 1 failed")
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["partnerships"][0]["partnership"] == "Dobra"
    err = summary["errors"][0]
    assert f"row {len(lines)}" in err["reason"] and "readiness" in err["reason"] and "abc" in err["reason"]


def test_recommended_follows_the_opinion_rules(tree, tmp_path, capsys):
    """The summary's "recommended" and the league's category are what an advisory opinion on the
    package alone would say (appraisal.opinions.recommend)."""
    from appraisal.opinions import recommend

    out_dir = tmp_path / "wyniki"
    run_cli(capsys, "batch", tree, "-o", out_dir)
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    league = json.loads((out_dir / "league.json").read_text(encoding="utf-8"))
    assert summary["counts"]["scored"] == len(GOOD)
    for line in summary["partnerships"]:
        alone = {k: v[0].value for k, v in recommend(load_package(line["file"]).rank()).items()}
        assert line["recommended"] == sum(c == "recommended" for c in alone.values())
        assert line["recommendations"] == {c: sum(v == c for v in alone.values()) for c in
                                           ("recommended", "recommended_with_conditions", "needs_rework",
                                            "not_recommended")}
        assert {r["id"]: r["recommendation"] for r in league if r["key"] == line["key"]} == alone
    assert {r["recommendation"] for r in league} >= {"not_recommended"}  # the samples have failed gates


def _tree_of(tmp_path, *files):
    root = tmp_path / "in"
    for f in files:
        (root / f.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(f, root / f.parent.name / f.name)
    return root


def test_a_package_whose_workbook_cannot_be_written_fails_alone(tmp_path, capsys):
    """Control characters in a name are dropped from the workbooks; a title no cell can hold fails
    only its own package, whose results are removed, and the rest is written."""
    root = _tree_of(tmp_path, GOOD[1], GOOD[2])
    doc = json.loads(GOOD[3].read_text(encoding="utf-8"))
    doc["partnership"]["name"] = "Ctrl \x01\x1b nazwa"
    (root / "mazowieckie").mkdir()
    (root / "mazowieckie" / "ctrl.json").write_text(json.dumps(doc), encoding="utf-8")
    doc["partnership"]["name"] = "Za długi tytuł"
    doc["projects"][0]["title"] = "Ż" * 40_000
    (root / "mazowieckie" / "dlugi.json").write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    code, last, err = run_cli(capsys, "batch", root, "-o", out, "--workbooks", "--workers", "2")
    assert code == 3 and last.strip().splitlines()[-1] == "3 packages scored, 1 failed", err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [e["key"] for e in summary["errors"]] == ["mazowieckie/dlugi"]
    assert "32,767" in summary["errors"][0]["reason"]
    assert not (out / "packages" / "mazowieckie" / "dlugi.json").exists()
    assert not (out / "workbooks" / "mazowieckie" / "dlugi.xlsx").exists()
    assert (out / "workbooks" / "mazowieckie" / "ctrl.xlsx").exists()
    assert "Ctrl \x01\x1b nazwa" in {p["partnership"] for p in summary["partnerships"]}  # JSON keeps it as given


def test_a_package_that_fails_now_loses_its_earlier_results(tmp_path, capsys):
    root = _tree_of(tmp_path, GOOD[1], GOOD[2])
    out = tmp_path / "out"
    assert run_cli(capsys, "batch", root, "-o", out)[0] == 0
    stale = sorted((out / "packages").rglob("*.json"))
    assert len(stale) == 2
    broken = root / GOOD[2].parent.name / GOOD[2].name
    broken.write_text("{ zepsuty", encoding="utf-8")
    assert run_cli(capsys, "batch", root, "-o", out)[0] == 3
    assert [p.name for p in sorted((out / "packages").rglob("*.json"))] == [GOOD[1].name]


def test_only_failed_needs_the_earlier_league_and_the_same_settings(tree, tmp_path, capsys):
    out = tmp_path / "wyniki"
    assert run_cli(capsys, "batch", tree, "-o", out)[0] == 3
    code, _, err = run_cli(capsys, "batch", tree, "-o", out, "--only-failed", "--method", "wsm")
    assert code == 2 and "earlier run used method 'topsis'" in err and len(err.strip().splitlines()) == 1
    (out / "league.json").unlink()
    code, _, err = run_cli(capsys, "batch", tree, "-o", out, "--only-failed")
    assert code == 2 and "league is missing" in err and len(err.strip().splitlines()) == 1
    (out / "league.json").write_text("[{", encoding="utf-8")
    code, _, err = run_cli(capsys, "batch", tree, "-o", out, "--only-failed")
    assert code == 2 and "cannot be read" in err


def test_a_folder_in_place_of_league_json_is_one_line(tmp_path, capsys):
    root = _tree_of(tmp_path, GOOD[1], GOOD[2])
    (tmp_path / "out" / "league.json").mkdir(parents=True)
    code, _, err = run_cli(capsys, "batch", root, "-o", tmp_path / "out", "--workers", "2")
    assert code == 2 and "league.json" in err and "is a folder" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "out" / "summary.json").exists()
