"""The command line's machine interface (docs/design.md, section 6) and its human output."""

from __future__ import annotations

import json

import numpy as np
import pytest

from appraisal.console.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pairwise(tmp_path):
    p = tmp_path / "pw.csv"
    p.write_text(",koszt,jakosc,ryzyko\nkoszt,1,3,5\njakosc,,1,3\nryzyko,,,1\n", encoding="utf-8")
    return p


@pytest.fixture
def matrix(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("id,koszt,ludnosc,gotowosc\nA1,250,16,12\nA2,200,16,8\nA3,300,32,16\nA4,275,32,8\n",
                 encoding="utf-8")
    return p


def test_weights_json_contract(capsys, pairwise):
    code, out, _ = run(capsys, "weights", str(pairwise), "--json")
    assert code == 0
    obj = json.loads(out)
    assert {"method", "weights", "lambda_max", "ci", "cr", "consistent"} <= set(obj)
    assert obj["method"] == "eigenvector"
    assert list(obj["weights"]) == ["koszt", "jakosc", "ryzyko"]
    assert sum(obj["weights"].values()) == pytest.approx(1.0)
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    vals = np.linalg.eigvals(a)
    assert obj["lambda_max"] == pytest.approx(max(vals.real), abs=1e-9)
    assert obj["ci"] == pytest.approx((obj["lambda_max"] - 3) / 2, abs=1e-12)
    assert obj["cr"] == pytest.approx(obj["ci"] / 0.58, abs=1e-12)
    assert obj["consistent"] is (obj["cr"] <= 0.1)


def test_weights_geometric(capsys, pairwise, tmp_path):
    code, out, _ = run(capsys, "weights", str(pairwise), "--method", "geometric", "--json")
    assert code == 0
    obj = json.loads(out)
    g = np.array([15, 1, 1 / 15]) ** (1 / 3)
    assert list(obj["weights"].values()) == pytest.approx(list(g / g.sum()), abs=1e-12)
    assert obj["method"] == "geometric"


def test_inconsistent_matrix_names_judgments_to_revisit(capsys, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text(",a,b,c\na,1,9,1/9\nb,,1,9\nc,,,1\n", encoding="utf-8")
    code, out, _ = run(capsys, "weights", str(p))
    assert code == 0
    assert "INCONSISTENT" in out and "vs" in out and "→" in out
    obj = json.loads(run(capsys, "weights", str(p), "--json")[1])
    assert obj["consistent"] is False and obj["revisit"]
    first = obj["revisit"][0]
    w = obj["weights"]
    assert first["consistent_value"] == pytest.approx(w[first["row"]] / w[first["column"]])


def test_panel_json(capsys, tmp_path, pairwise):
    q = tmp_path / "e2.csv"
    # another expert, criteria in another order
    q.write_text(",ryzyko,koszt,jakosc\nryzyko,1,1/3,1\nkoszt,,1,2\njakosc,,,1\n", encoding="utf-8")
    code, out, _ = run(capsys, "weights", str(pairwise), str(q), "--expert-weights", "2,1", "--json")
    assert code == 0
    obj = json.loads(out)
    assert [e["file"] for e in obj["experts"]] == [str(pairwise), str(q)]
    assert all({"weights", "cr", "consistent"} <= set(e) for e in obj["experts"])
    a1 = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    a2 = np.array([[1, 2, 3], [1 / 2, 1, 1], [1 / 3, 1, 1]])  # e2 reordered to koszt, jakosc, ryzyko
    agg = np.exp((2 * np.log(a1) + np.log(a2)) / 3)
    vals, vecs = np.linalg.eig(agg)
    v = np.abs(vecs[:, np.argmax(vals.real)].real)
    assert list(obj["weights"].values()) == pytest.approx(list(v / v.sum()), abs=1e-9)
    assert obj["aggregation"] == "aij"


def test_rank_json_contract_and_order(capsys, matrix):
    code, out, _ = run(capsys, "rank", str(matrix), "--weights", "2,1,1", "--directions", "-,+,+", "--json")
    assert code == 0
    obj = json.loads(out)
    assert obj["method"] == "topsis" and obj["normalization"] == "vector"
    ranks = [r["rank"] for r in obj["results"]]
    assert ranks == sorted(ranks)
    assert all({"id", "score", "rank"} <= set(r) for r in obj["results"])
    assert sum(c["weight"] for c in obj["criteria"]) == pytest.approx(1.0)
    assert obj["engine"].startswith("appraise ") and obj["input_hash"].startswith("sha256:")


def test_rank_wsm_and_minmax(capsys, matrix):
    obj = json.loads(run(capsys, "rank", str(matrix), "--directions=-,+,+", "--method", "wsm", "--json")[1])
    assert obj["method"] == "wsm" and obj["normalization"] == "minmax"
    x = np.array([[250, 16, 12], [200, 16, 8], [300, 32, 16], [275, 32, 8]], float)
    r = (x - x.min(0)) / (x.max(0) - x.min(0))
    r[:, 0] = 1 - r[:, 0]
    expected = dict(zip(["A1", "A2", "A3", "A4"], r.mean(axis=1)))
    assert {e["id"]: e["score"] for e in obj["results"]} == pytest.approx(expected, abs=1e-12)
    obj = json.loads(run(capsys, "rank", str(matrix), "--directions=-,+,+", "--normalization", "minmax",
                         "--json")[1])
    assert obj["normalization"] == "minmax"


def test_rank_human_table(capsys, matrix):
    code, out, _ = run(capsys, "rank", str(matrix), "--directions", "-,+,+")
    assert code == 0 and "TOPSIS" in out and "vector" in out
    # the cross-check is headed by its method's name, not by its key (wsm, topsis_vector)
    head = next(line for line in out.splitlines() if line.startswith("Rank"))
    assert "WSM" in head.split() and "wsm" not in head.split()
    assert out.count("A") >= 4


def test_rank_output_file_is_written_whole(capsys, matrix, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    code, _out, _ = run(capsys, "rank", str(matrix), "--directions", "-,+,+", "-o", str(target))
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["method"] == "topsis"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    # a failing run leaves the previous file alone
    code, _, _ = run(capsys, "rank", str(matrix), "--directions", "-,+,x", "-o", str(target))
    assert code == 2 and json.loads(target.read_text(encoding="utf-8"))["method"] == "topsis"


def test_demo_prints_and_writes(capsys, tmp_path):
    code, out, _ = run(capsys, "demo", "-o", str(tmp_path / "out"))
    assert code == 0
    # the failed gate by its name, not its id
    assert "CR =" in out and "TOPSIS" in out and "At least two local governments" in out and "min_two_jst" not in out
    obj = json.loads((tmp_path / "out" / "ranking.json").read_text(encoding="utf-8"))
    assert obj["results"] and obj["ineligible"]
    card = json.loads((tmp_path / "out" / "ranking_karta.json").read_text(encoding="utf-8"))
    assert card["method"] == "points"


def test_criteria_show_and_list(capsys):
    code, out, _ = run(capsys, "criteria", "show", "cwd")
    assert code == 0
    for ident in ("partnership_benefit", "strategy_fit", "feasibility", "funding", "in_strategy", "min_two_jst"):
        assert ident in out
    code, out, _ = run(capsys, "criteria", "show", "cwd", "--json")
    assert json.loads(out)["id"] == "cwd"
    code, out, _ = run(capsys, "criteria", "list")
    assert code == 0 and out.startswith("cwd:")


@pytest.mark.parametrize("kind,key", [("package", "projects"), ("criteria", "groups")])
def test_schema(capsys, kind, key):
    code, out, _ = run(capsys, "schema", kind)
    obj = json.loads(out)
    assert code == 0 and key in obj["properties"] and obj["$schema"].startswith("https://json-schema.org/")


def test_validate_good_files(capsys):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "samples"
    for f in ("pakiet_dolina_baryczy.json", "pakiet_dolina_baryczy.toml", "pakiet_karta.json", "karta_oceny.toml",
              "pairwise_groups.csv", "matrix.csv"):
        code, out, err = run(capsys, "validate", str(root / f))
        assert code == 0, err + out
        assert "valid" in out
