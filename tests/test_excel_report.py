"""The appraisal workbook: live formulas recalculated by LibreOffice equal the engine to 1e-9."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from appraisal.console.cli import main
from appraisal.criteria import InputError
from appraisal.io.excel_report import TITLES, build_appraisal_workbook, write_appraisal_workbook
from appraisal.io.formats import load_package
from appraisal.package import package_from_document
from appraisal.ranking import rank_matrix
from builders import named_cells

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TOL = 1e-9


def matrix_sheet_results(wb, rk):
    """id → (topsis, topsis rank, wsm, wsm rank) from the Matrix sheet's result block."""
    scores = named_cells(wb, "Scores")
    ws = scores[0].parent
    out = {}
    for c in scores:
        row = c.row
        out[ws.cell(row, 1).value] = tuple(ws.cell(row, k).value for k in (4, 5, 6, 7))
    assert set(out) == set(rk.alternatives)
    return out


def assert_matches_engine(values, rk):
    topsis_key = "topsis" if rk.method == "topsis" else next(k for k in rk.results[0].cross_check if "topsis" in k)
    for r in rk.results:
        t, t_rank, s_wsm, w_rank = values[r.id]
        engine_t = r.score if rk.method == "topsis" else r.cross_check[topsis_key].score
        engine_t_rank = r.rank if rk.method == "topsis" else r.cross_check[topsis_key].rank
        engine_w = r.score if rk.method == "wsm" else r.cross_check["wsm"].score
        engine_w_rank = r.rank if rk.method == "wsm" else r.cross_check["wsm"].rank
        assert t == pytest.approx(engine_t, abs=TOL), r.id
        assert s_wsm == pytest.approx(engine_w, abs=TOL), r.id
        assert t_rank == engine_t_rank and w_rank == engine_w_rank, r.id


def small_matrix_ranking(method="topsis", normalization="vector", weights=(3, 2, 1, 1)):
    ids = ["A1", "A2", "A3", "A4", "A5"]
    crit = ["koszt", "ludnosc", "gotowosc", "ryzyko"]
    x = [[12.5, 5200, 4, 2], [4.0, 1800, 2, 3], [30.0, 21000, 5, 4], [8.2, 3100, 3, 1], [8.2, 3100, 3, 1.5]]
    return rank_matrix(ids, crit, x, list(weights), ["-", "+", "+", "-"], method, normalization)


@pytest.mark.parametrize("method,normalization", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
def test_matrix_workbook_recalculates_to_the_engine(tmp_path, recalc, method, normalization):
    rk = small_matrix_ranking(method, normalization)
    path = write_appraisal_workbook(rk, tmp_path / "ocena.xlsx", "en")
    wb = openpyxl.load_workbook(recalc(path), data_only=True)
    assert_matches_engine(matrix_sheet_results(wb, rk), rk)
    # the Summary shows the same (its cells are formulas over the Matrix sheet)
    ws = wb["Summary"]
    by_id = {ws.cell(r, 2).value: ws.cell(r, 4).value for r in range(5, 5 + len(rk.results))}
    assert by_id == pytest.approx({r.id: (r.score if method == "topsis" else r.cross_check[
        f"topsis_{normalization}"].score) for r in rk.results}, abs=TOL)


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_changing_weights_in_the_sheet_recomputes_scores_and_ranks(tmp_path, recalc, normalization):
    rk = small_matrix_ranking("topsis", normalization)
    path = write_appraisal_workbook(rk, tmp_path / "ocena.xlsx", "en")
    new_w = [0.05, 0.15, 0.5, 0.3]
    wb = openpyxl.load_workbook(path)
    for cell, v in zip(named_cells(wb, "Weights"), new_w):
        cell.value = v
    wb.save(tmp_path / "changed.xlsx")
    got = openpyxl.load_workbook(recalc(tmp_path / "changed.xlsx"), data_only=True)
    expected = rank_matrix(rk.alternatives, [c.id for c in rk.criteria], rk.matrix, new_w,
                           ["-", "+", "+", "-"], "topsis", normalization)
    assert expected.scores() != pytest.approx(rk.scores(), abs=1e-3)  # the change really matters
    assert_matches_engine(matrix_sheet_results(got, expected), expected)

    # multiplying every weight by the same factor changes nothing
    wb = openpyxl.load_workbook(path)
    for cell in named_cells(wb, "Weights"):
        cell.value = cell.value * 7.3
    wb.save(tmp_path / "scaled.xlsx")
    got = openpyxl.load_workbook(recalc(tmp_path / "scaled.xlsx"), data_only=True)
    assert_matches_engine(matrix_sheet_results(got, rk), rk)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_package_workbook_recalculates_and_reads_back(tmp_path, recalc, lang):
    pkg = load_package(SAMPLES / "pakiet_dolina_baryczy.json")
    rk = pkg.rank()
    path = write_appraisal_workbook(rk, tmp_path / "ocena.xlsx", lang)
    wb = openpyxl.load_workbook(path)
    assert set(TITLES[lang].values()) <= set(wb.sheetnames)
    assert len(named_cells(wb, "Weights")) == len(rk.criteria)
    assert len(named_cells(wb, "Scores")) == len(rk.results)
    weights = [c.value for c in named_cells(wb, "Weights")]
    assert weights == pytest.approx([c.weight for c in rk.criteria], abs=1e-15)
    recalculated = recalc(path)
    got = openpyxl.load_workbook(recalculated, data_only=True)
    assert_matches_engine(matrix_sheet_results(got, rk), rk)
    # the ineligible project is on the summary with the gate that failed, and is not ranked
    summary = got[TITLES[lang]["summary"]]
    rows = {summary.cell(r, 2).value: r for r in range(5, 5 + len(pkg.projects))}
    p03 = rows["P03"]
    assert summary.cell(p03, 1).value == "—" and "dwie JST" in summary.cell(p03, 8).value
    # a workbook written by the tool can be read back, also after LibreOffice saved it
    for f in (path, recalculated):
        again = load_package(f).rank()
        assert again.scores() == pytest.approx(rk.scores(), abs=1e-12)
        assert [i.id for i in again.ineligible] == [i.id for i in rk.ineligible]


def test_card_package_workbook(tmp_path, recalc):
    rk = load_package(SAMPLES / "pakiet_karta.json").rank("points")
    path = write_appraisal_workbook(rk, tmp_path / "karta.xlsx", "pl")
    got = openpyxl.load_workbook(recalc(path), data_only=True)
    assert_matches_engine(matrix_sheet_results(got, rk), rk)
    summary = got["Podsumowanie"]
    ranks = {summary.cell(r, 2).value: summary.cell(r, 1).value for r in range(5, 5 + len(rk.results))}
    assert ranks == {r.id: r.rank for r in rk.results}


def test_charts_colour_scale_and_text_never_formula(tmp_path):
    doc = load_package(SAMPLES / "pakiet_dolina_baryczy.json").model_dump(mode="json")
    doc["projects"][0]["title"] = '=HYPERLINK("http://evil.example","kliknij")'
    doc["projects"][1]["title"] = "+48 600 000 000"
    doc["projects"][2]["title"] = "-Gmina"
    doc["projects"][3]["title"] = "@SUM(A1:A9)"
    pkg = package_from_document(doc, str(SAMPLES / "x.json"), SAMPLES)
    rk = pkg.rank()
    wb = build_appraisal_workbook(rk, "en")
    ws = wb["Summary"]
    titles = {ws.cell(r, 2).value: ws.cell(r, 3) for r in range(5, 5 + len(pkg.projects))}
    for pid in ("P01", "P02", "P03", "P04"):
        cell = titles[pid]
        assert cell.data_type == "s" and cell.value == doc["projects"][int(pid[1:]) - 1]["title"]
    assert len(ws.conditional_formatting) == 1
    path = write_appraisal_workbook(rk, tmp_path / "c.xlsx", "en")
    names = zipfile.ZipFile(path).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 2
    back = openpyxl.load_workbook(path)
    assert all(back["Summary"].cell(r, 3).data_type == "s" for r in range(5, 5 + len(pkg.projects)))


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    rk = small_matrix_ranking()
    target = tmp_path / "ocena.xlsx"
    target.write_bytes(b"old contents")

    def boom(self, data):  # the disk fills up half-way through the file
        with open(self, "wb") as f:
            f.write(data[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", boom)
    with pytest.raises(InputError, match="cannot write: No space left on device"):  # one line, exit 2
        write_appraisal_workbook(rk, target, "en")
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["ocena.xlsx"]


def test_cli_rank_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "ocena.xlsx"
    code = main(["rank", str(SAMPLES / "pakiet_dolina_baryczy.json"), "-o", str(out), "--lang", "pl"])
    assert code == 0, capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    code = main(["rank", str(out), "--json"])
    assert code == 0


def test_matrix_values_in_the_sheet_are_the_engines():
    rk = small_matrix_ranking()
    wb = build_appraisal_workbook(rk, "en")
    ws = wb["Matrix"]
    ids = rk.alternatives
    # find the raw block: the first rows whose column A holds the ids in order
    first = next(r for r in range(1, 40) if ws.cell(r, 1).value == ids[0])
    got = np.array([[ws.cell(first + i, 2 + j).value for j in range(len(rk.criteria))] for i in range(len(ids))])
    np.testing.assert_array_equal(got, rk.matrix)
