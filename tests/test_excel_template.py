"""The package workbook (Excel template): writing, reading back, errors with Sheet!Cell, LibreOffice."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import appraisal.io.package_workbook.write as xt
import appraisal.io.xlsx as xlsx_mod
from appraisal.ahp import complete_reciprocal
from appraisal.console.cli import main
from appraisal.criteria import InputError, load_criteria, parse_judgment
from appraisal.io.formats import load_package
from appraisal.io.package_workbook import (
    SHEETS,
    build_template,
    read_workbook,
    workbook_problems,
    write_template,
)
from appraisal.package import package_from_document
from conftest import recalculate

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DOLINA = SAMPLES / "pakiet_dolina_baryczy.json"
KARTA = SAMPLES / "pakiet_karta.json"


# --- helpers -------------------------------------------------------------------------------------------

def export(pkg, path: Path, lang: str = "pl") -> Path:
    wb = build_template(pkg.criteria_set, lang=lang, package=pkg)
    wb.save(path)
    return path


def key_col(ws, key: str, row: int = 2) -> int:
    for c in range(1, ws.max_column + 1):
        if ws.cell(row, c).value == key:
            return c
    raise AssertionError(f"no column {key!r} in row {row} of {ws.title}")


def block_rows(ws, block: str) -> dict[str, int]:
    """Rows of the Weights sheet's block whose column A says ``block`` (e.g. 'group:cwd'), by key."""
    rows: dict[str, int] = {}
    inside = False
    for r in range(1, ws.max_row + 1):
        key = ws.cell(r, 1).value
        if not isinstance(key, str):
            continue
        if key.startswith(("group:", "expert:")):
            if inside:
                break
            inside = key == block
            if inside:
                rows["start"] = r
            continue
        if inside:
            rows.setdefault(key, r)
    assert rows, f"no block {block}"
    return rows


def grid_cell(ws, block: str, row_id: str, col_index: int):
    rows = block_rows(ws, block)
    return ws.cell(rows[f"row:{row_id}"], 3 + col_index)


def ref(cell) -> str:
    return f"{cell.parent.title}!{cell.coordinate}"


def assert_same_ranking(a, b) -> None:
    assert [r.id for r in a.results] == [r.id for r in b.results]
    assert [r.rank for r in a.results] == [r.rank for r in b.results]
    for x, y in zip(a.results, b.results):
        assert abs(x.score - y.score) <= 1e-12, (x.id, x.score, y.score)
        assert set(x.cross_check) == set(y.cross_check)
        for m in x.cross_check:
            assert abs(x.cross_check[m].score - y.cross_check[m].score) <= 1e-12
            assert x.cross_check[m].rank == y.cross_check[m].rank
    assert [i.id for i in a.ineligible] == [i.id for i in b.ineligible]
    assert [[g.id for g in i.failed_gates] for i in a.ineligible] == [[g.id for g in i.failed_gates]
                                                                      for i in b.ineligible]


def problems_of(path) -> list[InputError]:
    pkg, problems = workbook_problems(path)
    assert pkg is None
    return problems


# --- round trips ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("sample", [DOLINA, KARTA], ids=["dolina", "karta"])
def test_round_trip_of_the_samples(tmp_path, sample, lang):
    pkg = load_package(sample)
    path = export(pkg, tmp_path / "pakiet.xlsx", lang)
    back = read_workbook(path)
    assert back.source == str(path)
    assert back.partnership == pkg.partnership
    assert (back.advisor, back.date) == (pkg.advisor, pkg.date)
    assert [p.model_dump() for p in back.projects] == [p.model_dump() for p in pkg.projects]
    assert sum(len(p.comments) for p in back.projects) > 0
    assert sum(len(p.funding) for p in back.projects) > 0
    assert_same_ranking(pkg.rank(), back.rank())
    assert_same_ranking(pkg.rank("wsm"), back.rank("wsm"))
    if sample is KARTA:
        a, b = pkg.rank("points"), back.rank("points")
        assert_same_ranking(a, b)
        assert [r.card.total for r in a.results] == [r.card.total for r in b.results]
        assert back.criteria_set.card == pkg.criteria_set.card
        assert [c.id for c in back.criteria_set.bonus] == [c.id for c in pkg.criteria_set.bonus]
    wb = openpyxl.load_workbook(path)
    assert SHEETS[lang]["scores"] in wb.sheetnames
    assert wb[xt.META_SHEET].sheet_state == "veryHidden"


def test_sheet_names_and_choices_are_known_in_both_languages():
    """The reader recognises a workbook written in either language: the tables by language are the catalogs'
    words (Polish from criteria/locale/pl/LC_MESSAGES/workbooks.po), the same as the sheets a template gets."""
    from appraisal.io.package_workbook.layout import MODES

    assert list(SHEETS) == ["pl", "en"]
    assert SHEETS["pl"] == {"package": "Pakiet", "projects": "Projekty", "scores": "Oceny",
                            "gates": "Kryteria dostępowe", "comments": "Komentarze", "weights": "Wagi",
                            "scales": "Skale"}
    assert SHEETS["en"]["scores"] == "Scores" and MODES["pl"]["pairwise"] == "porównania parami"
    cs = load_criteria("cwd")
    for lang in ("pl", "en"):
        assert build_template(cs, lang=lang, rows=2).sheetnames[:7] == list(SHEETS[lang].values())
    assert build_template(cs, rows=2).sheetnames[0] == "Package"  # the current language (the tests': English)


def test_the_keys_are_out_of_sight_and_the_criteria_appear_by_their_labels(tmp_path):
    """The machine keys the reader goes by (row 2 of the project sheets, the ids above each grid, the ids of the
    scales sheet) are hidden; the cells a person sees name criteria, groups and gates by their labels."""
    import re

    pkg = load_package(DOLINA)
    cs = pkg.criteria_set
    wb = openpyxl.load_workbook(export(pkg, tmp_path / "p.xlsx", "pl"))
    for name in ("Projekty", "Oceny", "Kryteria dostępowe", "Komentarze"):
        assert wb[name].row_dimensions[2].hidden, name
        assert wb[name].cell(2, 1).value == "id"  # still there for the reader
    assert wb["Skale"].column_dimensions["A"].hidden and wb["Wagi"].column_dimensions["A"].hidden
    w = wb["Wagi"]
    rows = block_rows(w, "group:strategy_fit")
    assert w.row_dimensions[rows["ids"]].hidden
    assert [w.cell(rows["labels"], 3 + j).value for j in range(3)] == [
        c.label.get("pl") for c in next(g for g in cs.iter_groups() if g.id == "strategy_fit").children]
    assert w.cell(rows["row:synergy"], 2).value == cs.criterion("synergy").label.get("pl")
    ids = re.compile(r"\b(" + "|".join(n.id for n in [*cs.iter_groups(), *cs.leaves(), *cs.gates]
                                       if n.id != cs.id) + r")\b")
    seen = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden_cols = {k for k, d in ws.column_dimensions.items() if d.hidden}
        hidden_rows = {k for k, d in ws.row_dimensions.items() if d.hidden}
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.data_type != "f" and c.column_letter not in hidden_cols \
                        and c.row not in hidden_rows:
                    seen += 1
                    assert not ids.search(c.value), (ws.title, c.coordinate, c.value)
    assert seen > 100
    assert read_workbook(tmp_path / "p.xlsx").rank().scores() == pytest.approx(pkg.rank().scores(), abs=1e-12)


def test_panel_survives_the_round_trip(tmp_path):
    pkg = load_package(DOLINA)
    back = read_workbook(export(pkg, tmp_path / "p.xlsx"))
    want = pkg.weights["strategy_fit"].pairwise
    got = back.weights["strategy_fit"].pairwise
    assert len(want) == len(got) == 3
    assert [j.expert for j in got] == [j.expert for j in want]
    assert [j.weight for j in got] == [j.weight for j in want]
    for a, b in zip(want, got):
        np.testing.assert_allclose(np.array(b.numeric()), complete_reciprocal(np.array(a.numeric())),
                                   rtol=0, atol=1e-12)
    # the groups the package does not override read back as the criteria set's own weighting
    assert set(back.weights) == {"strategy_fit"}
    assert back.criteria_set.model_dump()["groups"][1]["pairwise"] is not None
    # the panel block names its experts, and the aggregated grid is there to look at
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Wagi"]
    keys = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert [k for k in keys if isinstance(k, str) and k.startswith("expert:")] == [
        "expert:strategy_fit:1", "expert:strategy_fit:2", "expert:strategy_fit:3"]
    assert ws.cell(block_rows(ws, "expert:strategy_fit:2")["expert"], 3).value.startswith("Tomasz Wrona")
    agg = grid_cell(ws, "group:strategy_fit", "strategy_objective", 1).value
    expected = np.exp((2 * np.log(2) + np.log(0.5) + np.log(3)) / 4)
    assert agg == pytest.approx(expected, abs=1e-12)


def test_judgment_text_reads_back_exactly():
    for v in [3, 3.0, "1/3", 0.5, 1 / 7, 2.5, 0.333333, 1.5874010519681994, "2,5", 9, 1e-5]:
        written = xt.judgment_text(v)
        assert parse_judgment(written) == pytest.approx(parse_judgment(v), rel=1e-12, abs=0)
    assert xt.judgment_text(3.0) == 3 and isinstance(xt.judgment_text(3.0), int)
    assert xt.judgment_text(0.5) == "1/2"
    assert xt.judgment_text(1 / 7) == "1/7"
    assert xt.judgment_text(2.5) == "2.5"


def test_large_criteria_set_is_stored_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(xt, "CHUNK", 4000)
    pkg = load_package(DOLINA)
    path = export(pkg, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(path)[xt.META_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "criteria_json")
    parts = [ws.cell(row, c).value for c in range(2, ws.max_column + 1) if ws.cell(row, c).value]
    assert len(parts) > 5 and all(len(p) <= 4000 for p in parts)
    meta = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert meta["format"] == "appraise-package-workbook" and meta["format_version"] == 1
    assert meta["criteria_json_parts"] == len(parts) and meta["lang"] == "pl"
    assert meta["sheet:scores"] == "Oceny" and meta["criteria_ref"] == "cwd"
    assert_same_ranking(pkg.rank(), read_workbook(path).rank())


def test_without_the_meta_sheet_the_named_builtin_set_is_used(tmp_path):
    pkg = load_package(DOLINA)
    wb = build_template(pkg.criteria_set, package=pkg)
    wb.security.lockStructure = False
    del wb[xt.META_SHEET]
    wb.save(tmp_path / "p.xlsx")
    back = read_workbook(tmp_path / "p.xlsx")
    assert back.criteria == "cwd"
    assert_same_ranking(pkg.rank(), back.rank())


def test_without_the_meta_sheet_a_set_file_beside_the_workbook_is_used(tmp_path):
    pkg = load_package(KARTA)
    wb = build_template(pkg.criteria_set, lang="pl", package=pkg)
    wb.security.lockStructure = False
    del wb[xt.META_SHEET]
    wb.save(tmp_path / "p.xlsx")
    exc = one_problem(tmp_path / "p.xlsx")
    assert exc.where == "Pakiet!C9" and "'karta_oceny'" in exc.message and "_appraise" in exc.message
    shutil.copy(SAMPLES / "karta_oceny.toml", tmp_path / "karta_oceny.toml")
    back = read_workbook(tmp_path / "p.xlsx")
    assert back.criteria == "karta_oceny.toml"
    assert_same_ranking(pkg.rank("points"), back.rank("points"))


# --- a template filled in by hand ------------------------------------------------------------------------

FILLED = [  # id, title, scores (cwd leaves in order), gates
    ("A1", "Kanalizacja", [2, 6200, 2, 4, 3, 1, 4, 3, 3, 3, 3, 6210], ["tak", "tak", "tak"]),
    ("A2", "Trasa rowerowa", [6, 14000, 5, 3, 2, 3, 2, 3, 4, 4, 2, 1714], ["TAK", "t", True]),
    ("A3", "Rynek", [1, 8400, 0, 3, 3, 2, 5, 4, 2, 4, 5, 1964], ["tak", "nie", "tak"]),
    ("A4", "Dom seniora", [3, 1400, 3, 5, 5, 2, 2, 2, 2, 3, 2, 5571], ["yes", 1, "1"]),
    ("A5", "Transport", [5, 3400, 4, 3, 4, 2, 3, 3, 2, 3, "4", "2824,5"], ["Tak", "y", "true"]),
]
ROOT_UPPER = {(0, 1): "1/3", (0, 2): 3, (0, 3): "2", (1, 2): "5", (1, 3): 7, (2, 3): "1/2"}


def fill_template(path: Path) -> Path:
    cs = load_criteria("cwd")
    wb = build_template(cs, lang="pl", rows=8, criteria_ref="cwd")
    proj, scores, gates, comments = wb["Projekty"], wb["Oceny"], wb["Kryteria dostępowe"], wb["Komentarze"]
    leaves = cs.leaf_ids()
    for k, (pid, title, vals, answers) in enumerate(FILLED):
        r = 3 + k
        proj.cell(r, key_col(proj, "id")).value = pid
        proj.cell(r, key_col(proj, "title")).value = title
        proj.cell(r, key_col(proj, "cost")).value = 1_000_000 * (k + 1)
        for cid, v in zip(leaves, vals):
            scores.cell(r, key_col(scores, cid)).value = v
        for g, a in zip(cs.gates, answers):
            gates.cell(r, key_col(gates, g.id)).value = a
    comments.cell(3, key_col(comments, "readiness")).value = "Projekt budowlany gotowy."
    pkg_ws = wb["Pakiet"]
    rows = {pkg_ws.cell(r, 1).value: r for r in range(1, pkg_ws.max_row + 1)}
    pkg_ws.cell(rows["partnership"], 3).value = "Partnerstwo Testowe"
    pkg_ws.cell(rows["voivodeship"], 3).value = "lubelskie"
    pkg_ws.cell(rows["members"], 3).value = "Gmina A; Gmina B;Gmina C"
    pkg_ws.cell(rows["date"], 3).value = dt.datetime(2026, 10, 1)
    w = wb["Wagi"]
    root = [g.id for g in cs.groups]
    for (i, j), v in ROOT_UPPER.items():
        grid_cell(w, "group:cwd", root[i], j).value = v
    # feasibility: from pairwise to direct weights; strategy_fit: other direct weights
    feas = block_rows(w, "group:feasibility")
    w.cell(feas["mode"], 3).value = "wagi bezpośrednie"
    for cid, v in zip(["readiness", "institutional_capacity", "implementation_risk"], [5, "3", 2]):
        w.cell(feas[f"row:{cid}"], 3 + 3 + 1).value = v
    strat = block_rows(w, "group:strategy_fit")
    for cid, v in zip(["strategy_objective", "territorial_challenges", "synergy"], [0.5, 0.3, 0.2]):
        w.cell(strat[f"row:{cid}"], 3 + 3 + 1).value = v
    wb.save(path)
    return path


def filled_equivalent() -> dict:
    cs = load_criteria("cwd")
    n = 4
    upper = [[1.0] * n for _ in range(n)]
    for (i, j), v in ROOT_UPPER.items():
        upper[i][j] = parse_judgment(v)
    return {
        "partnership": {"name": "Partnerstwo Testowe", "voivodeship": "lubelskie",
                        "members": ["Gmina A", "Gmina B", "Gmina C"]},
        "date": "2026-10-01",
        "criteria": "cwd",
        "weights": {
            "cwd": {"pairwise": [{"expert": "Zespół metodyczny CWD",
                                  "matrix": complete_reciprocal(np.array(upper)).tolist()}]},
            "feasibility": {"weights": {"readiness": 5, "institutional_capacity": 3, "implementation_risk": 2}},
            "strategy_fit": {"weights": {"strategy_objective": 0.5, "territorial_challenges": 0.3, "synergy": 0.2}},
        },
        "projects": [
            {"id": pid, "title": title, "cost": 1_000_000.0 * (k + 1),
             "scores": {cid: float(str(v).replace(",", ".")) for cid, v in zip(cs.leaf_ids(), vals)},
             "gates": {g.id: str(a).lower() in ("tak", "t", "true", "yes", "y", "1") for g, a in zip(cs.gates, answers)}}
            for k, (pid, title, vals, answers) in enumerate(FILLED)
        ],
    }


def test_filled_template_ranks_like_the_equivalent_json_package(tmp_path):
    path = fill_template(tmp_path / "wypelniony.xlsx")
    back = read_workbook(path)
    ref_pkg = package_from_document(filled_equivalent())
    assert [p.id for p in back.projects] == [f"A{k}" for k in range(1, 6)]
    assert back.projects[4].scores["cost_per_beneficiary"] == 2824.5
    assert back.projects[0].comments == {"readiness": "Projekt budowlany gotowy."}
    assert back.partnership.members == ["Gmina A", "Gmina B", "Gmina C"]
    assert back.date == dt.date(2026, 10, 1)
    assert set(back.weights) == {"cwd", "feasibility", "strategy_fit"}
    assert back.weights["feasibility"].weights == {"readiness": 5, "institutional_capacity": 3,
                                                   "implementation_risk": 2}
    m = np.array(back.weights["cwd"].pairwise[0].numeric())
    assert m[0, 1] == pytest.approx(1 / 3, abs=1e-15) and m[1, 0] == 3 and m[0, 2] == 3
    a, b = ref_pkg.rank(), back.rank()
    assert [i.id for i in b.ineligible] == ["A3"]
    assert_same_ranking(a, b)


def test_blank_template_reports_the_missing_projects(tmp_path):
    path = write_template(tmp_path / "pusty.xlsx", load_criteria("cwd"), lang="en", rows=5)
    problems = problems_of(path)
    assert any(p.where == "Projects!A3" and "at least two projects" in p.message for p in problems)
    assert any(p.where == "Package!C4" and "name" in p.message for p in problems)


# --- errors name the sheet and cell -----------------------------------------------------------------------

@pytest.fixture
def dolina_xlsx(tmp_path):
    return export(load_package(DOLINA), tmp_path / "pakiet.xlsx")


def edit(path: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def one_problem(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_workbook(path)
    return info.value


def score_cell(wb, cid: str, row: int = 3, sheet: str = "Oceny"):
    ws = wb[sheet]
    return ws.cell(row, key_col(ws, cid))


def test_score_that_is_not_a_level(dolina_xlsx):
    cell = {}

    def change(wb):
        c = cell["c"] = score_cell(wb, "readiness", 5)
        c.value = 7
    exc = one_problem(edit(dolina_xlsx, change))
    assert exc.where == f"Oceny!{cell['c'].coordinate}"
    assert exc.source == str(dolina_xlsx)
    assert str(exc) == f"{dolina_xlsx}: Oceny!{cell['c'].coordinate}: 7 is not a level of scale 0–5"


def test_score_that_is_not_a_number(dolina_xlsx):
    edit(dolina_xlsx, lambda wb: setattr(score_cell(wb, "partnership_scope", 4), "value", "abc"))
    exc = one_problem(dolina_xlsx)
    col = openpyxl.utils.get_column_letter(key_col(openpyxl.load_workbook(dolina_xlsx)["Oceny"], "partnership_scope"))
    assert exc.where == f"Oceny!{col}4"
    assert exc.message == '"abc" is not a level of scale 0–5'


def test_quantity_text_and_missing_score(dolina_xlsx):
    def change(wb):
        score_cell(wb, "population_served", 3).value = "dużo"
        score_cell(wb, "readiness", 9).value = None
    problems = problems_of(edit(dolina_xlsx, change))
    ws = openpyxl.load_workbook(dolina_xlsx)["Oceny"]
    wheres = {p.where: p.message for p in problems}
    pop = f"Oceny!{openpyxl.utils.get_column_letter(key_col(ws, 'population_served'))}3"
    ready = f"Oceny!{openpyxl.utils.get_column_letter(key_col(ws, 'readiness'))}9"
    assert wheres[pop] == '"dużo" is not a number (osób)'
    assert wheres[ready] == "missing score for criterion readiness (project P07)"
    assert len(problems) == 2  # the package's own check of the same cells is not repeated


def test_bad_and_empty_judgments(dolina_xlsx):
    cells = {}

    def change(wb):
        w = wb["Wagi"]
        cells["bad"] = grid_cell(w, "group:cwd", "partnership_benefit", 2)
        cells["bad"].value = "abc"
        cells["empty"] = grid_cell(w, "group:feasibility", "readiness", 2)
        cells["empty"].value = None
        cells["zero"] = grid_cell(w, "expert:strategy_fit:2", "strategy_objective", 1)
        cells["zero"].value = "0"
    problems = problems_of(edit(dolina_xlsx, change))
    wheres = {p.where: p.message for p in problems}
    assert wheres[ref(cells["bad"])] == 'judgment "abc" is not a number or a fraction such as 1/3'
    assert wheres[ref(cells["empty"])] == "empty judgment (readiness vs implementation_risk)"
    assert "must be positive" in wheres[ref(cells["zero"])]
    assert len(problems) == 3
    assert str(one_problem(dolina_xlsx)).startswith(f"{dolina_xlsx}: Wagi!")


def test_judgment_turned_into_a_date_and_negative_direct_weight(dolina_xlsx):
    cells = {}

    def change(wb):
        w = wb["Wagi"]
        cells["date"] = grid_cell(w, "group:cwd", "strategy_fit", 2)
        cells["date"].value = dt.datetime(2026, 1, 3)
        rows = block_rows(w, "group:funding")
        cells["neg"] = w.cell(rows["row:own_contribution"], 3 + 3 + 1)
        cells["neg"].value = -1
    problems = problems_of(edit(dolina_xlsx, change))
    wheres = {p.where: p.message for p in problems}
    assert "became a date" in wheres[ref(cells["date"])]
    assert wheres[ref(cells["neg"])] == "direct weight -1 is negative; weights must be ≥ 0"


def test_unknown_gate_answer(dolina_xlsx):
    cell = {}

    def change(wb):
        cell["c"] = score_cell(wb, "min_two_jst", 6, "Kryteria dostępowe")
        cell["c"].value = "może"
    exc = one_problem(edit(dolina_xlsx, change))
    assert exc.where == f"Kryteria dostępowe!{cell['c'].coordinate}"
    assert exc.message.startswith('"może" is not an answer to gate min_two_jst')


def test_duplicate_project_ids(dolina_xlsx):
    edit(dolina_xlsx, lambda wb: setattr(wb["Projekty"]["A5"], "value", "P01"))
    exc = one_problem(dolina_xlsx)
    assert exc.where == "Projekty!A5"
    assert "duplicate project id 'P01'" in exc.message


def test_row_without_an_id_and_bad_cost(dolina_xlsx):
    def change(wb):
        ws = wb["Projekty"]
        ws.cell(20, key_col(ws, "title")).value = "Projekt bez identyfikatora"
        ws.cell(4, key_col(ws, "cost")).value = "dużo"
        ws.cell(5, key_col(ws, "cost")).value = -5
    problems = problems_of(edit(dolina_xlsx, change))
    ws = openpyxl.load_workbook(dolina_xlsx)["Projekty"]
    cost = openpyxl.utils.get_column_letter(key_col(ws, "cost"))
    wheres = {p.where: p.message for p in problems}
    assert "no project id" in wheres["Projekty!A20"]
    assert wheres[f"Projekty!{cost}4"] == 'cost "dużo" is not a number (PLN)'
    assert "greater than or equal to 0" in wheres[f"Projekty!{cost}5"]


def test_every_problem_is_collected(dolina_xlsx):
    def change(wb):
        score_cell(wb, "readiness", 3).value = "x"
        score_cell(wb, "synergy", 4).value = 9
        score_cell(wb, "in_strategy", 5, "Kryteria dostępowe").value = "?"
        grid_cell(wb["Wagi"], "group:partnership_benefit", "jst_count", 1).value = "1/0"
        wb["Pakiet"]["C4"].value = None
    problems = problems_of(edit(dolina_xlsx, change))
    assert len(problems) == 5
    assert len({p.where for p in problems}) == 5
    assert all(p.source == str(dolina_xlsx) and "!" in p.where for p in problems)
    assert {p.where.split("!")[0] for p in problems} == {"Oceny", "Kryteria dostępowe", "Wagi", "Pakiet"}
    assert "(and 4 more problems" in str(one_problem(dolina_xlsx))


def test_formula_typed_into_an_input_cell(dolina_xlsx):
    cell = {}

    def change(wb):
        cell["c"] = score_cell(wb, "synergy", 3)
        cell["c"].value = "=1+2"
    exc = one_problem(edit(dolina_xlsx, change))
    assert exc.where == ref(cell["c"]) and "never computed" in exc.message


def test_corrupt_file(tmp_path):
    p = tmp_path / "pakiet.xlsx"
    p.write_bytes(os.urandom(3000))
    exc = one_problem(p)
    assert exc.source == str(p) and "not a valid zip" in exc.message
    assert workbook_problems(p)[0] is None and len(workbook_problems(p)[1]) == 1


def test_workbook_over_the_size_limit(dolina_xlsx, monkeypatch):
    monkeypatch.setattr(xlsx_mod, "MAX_WORKBOOK_BYTES", 1000)
    exc = one_problem(dolina_xlsx)
    assert "larger than" in exc.message and exc.source == str(dolina_xlsx)


def test_not_a_package_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hello"
    wb.save(tmp_path / "inny.xlsx")
    exc = one_problem(tmp_path / "inny.xlsx")
    assert "not an appraise package workbook" in exc.message


def test_xlsm_with_macros_is_read_and_macros_ignored(dolina_xlsx, tmp_path):
    target = tmp_path / "pakiet.xlsm"
    with zipfile.ZipFile(dolina_xlsx) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + os.urandom(512))
    pkg = read_workbook(target)
    assert_same_ranking(load_package(DOLINA).rank(), pkg.rank())


def test_hidden_sheet_and_merged_cells_do_not_crash(dolina_xlsx):
    def change(wb):
        wb["Komentarze"].sheet_state = "hidden"
        wb["Oceny"].merge_cells("C1:D1")
        ws = wb["Komentarze"]
        c = key_col(ws, "partnership_scope")
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + 1)
    back = read_workbook(edit(dolina_xlsx, change))
    orig = load_package(DOLINA)
    assert back.projects[0].comments["partnership_scope"] == orig.projects[0].comments["partnership_scope"]
    assert [p.scores for p in back.projects] == [p.scores for p in orig.projects]
    assert_same_ranking(orig.rank(), back.rank())


def test_extra_sheets_are_ignored(dolina_xlsx):
    def change(wb):
        wb.security.lockStructure = False
        wb.create_sheet("Wyniki")["A1"] = "=1/0"
    assert_same_ranking(load_package(DOLINA).rank(), read_workbook(edit(dolina_xlsx, change)).rank())


# --- writing safely ---------------------------------------------------------------------------------------

def test_formula_injection_stays_text(tmp_path):
    doc = json.loads(DOLINA.read_text(encoding="utf-8"))
    doc["projects"][0]["title"] = '=HYPERLINK("http://evil","x")'
    doc["projects"][0]["comments"]["readiness"] = "+48 123 456"
    doc["projects"][0]["partners"] = ["-Gmina"]
    doc["advisor"] = "@admin"
    pkg = package_from_document(doc, str(DOLINA), DOLINA.parent)
    path = export(pkg, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    proj, com, pk = wb["Projekty"], wb["Komentarze"], wb["Pakiet"]
    cells = [proj.cell(3, key_col(proj, "title")), proj.cell(3, key_col(proj, "partners")),
             com.cell(3, key_col(com, "readiness")),
             next(pk.cell(r, 3) for r in range(1, pk.max_row + 1) if pk.cell(r, 1).value == "advisor")]
    assert [c.value for c in cells] == ['=HYPERLINK("http://evil","x")', "-Gmina", "+48 123 456", "@admin"]
    assert [c.data_type for c in cells] == ["s"] * 4
    back = read_workbook(path)
    assert back.projects[0].title == '=HYPERLINK("http://evil","x")'
    assert back.projects[0].comments["readiness"] == "+48 123 456"
    assert back.projects[0].partners == ["-Gmina"]
    assert back.advisor == "@admin"


def test_validations_prompts_panes_and_protection(dolina_xlsx):
    wb = openpyxl.load_workbook(dolina_xlsx)
    assert wb.security.lockStructure
    cs = load_criteria("cwd")
    ws = wb["Oceny"]
    dvs = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            dvs[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    for crit in cs.leaves():
        letter = openpyxl.utils.get_column_letter(key_col(ws, crit.id))
        dv = dvs[letter]
        assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32 and dv.showInputMessage
        if crit.scale is not None:
            assert dv.type == "list"
            assert dv.formula1 == '"' + ",".join(str(int(v)) for v in crit.scale.values) + '"'
            top = crit.scale.levels[-1]
            assert dv.prompt.startswith(f"{int(top.value)} – {top.label.get('pl')}")
        else:
            assert dv.type == "decimal" and crit.unit in dv.prompt
    assert str(dvs["I"].sqref) == "I3:I32"
    for title in ("Projekty", "Oceny", "Kryteria dostępowe", "Komentarze"):
        assert wb[title].freeze_panes == "C3"
        assert wb[title].protection.sheet and not wb[title].protection.formatColumns
    assert ws["A3"].value == '=IF(Projekty!A3="","",Projekty!A3)' and ws["A3"].protection.locked
    assert not ws["D3"].protection.locked and ws["D1"].protection.locked
    assert wb["Skale"].protection.sheet
    gates = wb["Kryteria dostępowe"].data_validations.dataValidation
    assert gates and all(dv.formula1 == '"tak,nie"' for dv in gates)
    status = wb["Projekty"].data_validations.dataValidation[0]
    assert "koncepcja" in status.formula1 and not status.showErrorMessage
    # judgments: text cells with Saaty's list (warning only), lower triangle by formula, diagonal locked
    w = wb["Wagi"]
    upper = grid_cell(w, "group:cwd", "partnership_benefit", 2)
    lower = grid_cell(w, "group:cwd", "feasibility", 0)
    diag = grid_cell(w, "group:cwd", "feasibility", 2)
    assert upper.number_format == "@" and not upper.protection.locked and upper.value == 2
    assert lower.data_type == "f" and upper.coordinate in lower.value and lower.protection.locked
    assert diag.value == 1 and diag.protection.locked
    saaty = [dv for dv in w.data_validations.dataValidation if "1/9" in (dv.formula1 or "")]
    assert len(saaty) == 1 and saaty[0].errorStyle == "warning" and upper.coordinate in str(saaty[0].sqref)
    pk = wb["Pakiet"]
    assert pk.column_dimensions["A"].hidden
    voiv = [dv for dv in pk.data_validations.dataValidation if "dolnośląskie" in dv.formula1]
    assert len(voiv) == 1 and voiv[0].formula1.count(",") == 15
    date = next(pk.cell(r, 3) for r in range(1, pk.max_row + 1) if pk.cell(r, 1).value == "date")
    assert date.is_date


# --- the command line ------------------------------------------------------------------------------------

def test_cli_template_rank_validate(tmp_path, capsys):
    blank = tmp_path / "szablon.xlsx"
    assert main(["template", "--criteria", "cwd", "--lang", "pl", "-o", str(blank)]) == 0
    assert openpyxl.load_workbook(blank).sheetnames[:3] == ["Pakiet", "Projekty", "Oceny"]
    filled = tmp_path / "pakiet.xlsx"
    assert main(["template", "--from", str(DOLINA), "--lang", "pl", "-o", str(filled)]) == 0
    capsys.readouterr()
    assert main(["rank", str(filled), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = load_package(DOLINA).rank()
    assert [r["id"] for r in got["results"]] == [r.id for r in want.results]
    assert [r["score"] for r in got["results"]] == pytest.approx([r.score for r in want.results], abs=1e-12)
    assert main(["validate", str(filled)]) == 0
    assert "valid package workbook" in capsys.readouterr().out
    edit(filled, lambda wb: setattr(score_cell(wb, "readiness", 4), "value", "abc"))
    assert main(["rank", str(filled)]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and "Oceny!" in err[0]
    assert main(["validate", str(filled)]) == 2
    assert "Oceny!" in capsys.readouterr().out


# --- a real spreadsheet engine ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def libreoffice_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lo")
    src = fill_template(folder / "wypelniony.xlsx")
    return src, recalculate(src, folder)


def test_libreoffice_saved_workbook_reads_the_same(libreoffice_copy):
    src, converted = libreoffice_copy
    a, b = read_workbook(src), read_workbook(converted)
    assert [p.model_dump() for p in a.projects] == [p.model_dump() for p in b.projects]
    assert (a.partnership, a.date) == (b.partnership, b.date)
    assert {k: v.model_dump() for k, v in a.weights.items()} == {k: v.model_dump() for k, v in b.weights.items()}
    assert_same_ranking(a.rank(), b.rank())
    assert_same_ranking(package_from_document(filled_equivalent()).rank(), b.rank())


def test_libreoffice_computes_the_reciprocals_and_keeps_judgments_text(libreoffice_copy):
    _, converted = libreoffice_copy
    book = xlsx_mod.open_workbook(converted, data_only=True)
    values = book["Wagi"]
    root = ["partnership_benefit", "strategy_fit", "feasibility", "funding"]
    # upper (0, 2) is the number 3 -> lower shows "1/3"; upper (0, 1) is the text "1/3" -> lower shows "3"
    assert grid_cell(values, "group:cwd", root[2], 0).value == "1/3"
    assert grid_cell(values, "group:cwd", root[1], 0).value == "3"
    assert grid_cell(values, "group:cwd", root[3], 2).value == "2"
    assert grid_cell(values, "group:cwd", root[0], 1).value == "1/3"
    formulas = openpyxl.load_workbook(converted)["Wagi"]
    lower = grid_cell(formulas, "group:cwd", root[2], 0)
    assert lower.data_type == "f"
    # the scores sheet's id column is still a formula showing the project's id
    assert book["Oceny"]["A3"].value == "A1" and book["Oceny"]["B4"].value == "Trasa rowerowa"


WEIRD = [True, dt.datetime(2026, 1, 3), dt.time(12, 30), -1e300, 1e300, "#REF!", "=1/0", "x" * 5000, " ", 0,
         "1/0", "nan", "inf", "1e999", "-0", "3,5,6", "1_000", "  9  "]


@pytest.mark.parametrize("k", range(len(WEIRD)))
def test_odd_values_anywhere_give_located_problems_never_a_traceback(dolina_xlsx, k):
    value = WEIRD[k]

    def change(wb):
        proj, sc, ga, co, w, pk = (wb[t] for t in ("Projekty", "Oceny", "Kryteria dostępowe", "Komentarze",
                                                    "Wagi", "Pakiet"))
        for key in ("id", "title", "cost", "partners", "funding_amount_2", "funding_source_3"):
            proj.cell(3 + k % 8, key_col(proj, key)).value = value
        sc.cell(4, key_col(sc, "readiness")).value = value
        sc.cell(5, key_col(sc, "population_served")).value = value
        ga.cell(6, key_col(ga, "in_strategy")).value = value
        co.cell(7, key_col(co, "synergy")).value = value
        grid_cell(w, "group:cwd", "strategy_fit", 3).value = value
        grid_cell(w, "expert:strategy_fit:3", "strategy_objective", 2).value = value
        fund = block_rows(w, "group:funding")
        w.cell(fund["row:funding_identified"], 7).value = value
        w.cell(block_rows(w, "group:feasibility")["mode"], 3).value = value
        w.cell(block_rows(w, "expert:strategy_fit:1")["expert_weight"], 3).value = value
        for r in range(4, 9):
            pk.cell(r, 3).value = value
        proj.cell(1_000_000, 1).value = "stray"  # a stray cell far below costs one row, not a million
    _, problems = workbook_problems(edit(dolina_xlsx, change))
    assert problems, value
    assert all(isinstance(p, InputError) and p.source == str(dolina_xlsx) and p.where for p in problems)
    assert any("!" in p.where for p in problems)


def test_text_a_cell_cannot_hold(tmp_path):
    doc = json.loads(DOLINA.read_text(encoding="utf-8"))
    doc["projects"][1]["comments"]["readiness"] = "wklejone\x0bz Worda\x07"
    pkg = package_from_document(doc, str(DOLINA), DOLINA.parent)
    back = read_workbook(export(pkg, tmp_path / "p.xlsx"))
    assert back.projects[1].comments["readiness"] == "wklejone z Worda"
    doc["projects"][1]["description"] = "x" * 40_000
    pkg = package_from_document(doc, str(DOLINA), DOLINA.parent)
    with pytest.raises(InputError) as info:
        write_template(tmp_path / "q.xlsx", pkg.criteria_set, package=pkg)
    # named in the input (issue 11, item 18), not by the cell of the workbook being written
    assert info.value.source == str(DOLINA) and info.value.where == "projects[1].description"
    assert "40,000 characters" in info.value.message
    assert not (tmp_path / "q.xlsx").exists()
