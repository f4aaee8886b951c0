"""The appraisal workbook: live formulas recalculated by LibreOffice equal the engine to 1e-9; the sheets read
well (rows aligned, labels not cut, criteria by their labels, no internal names); a card package's card sheet."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from appraisal.console.cli import main
from appraisal.criteria import InputError, i18n
from appraisal.io.excel_report import OTHER_TITLES, TITLES, build_appraisal_workbook, write_appraisal_workbook
from appraisal.io.formats import load_package
from appraisal.io.xlsx_rows import column_width, longest_word, text_lines, text_width
from appraisal.package import package_from_document
from appraisal.portfolio import budget_portfolio
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
    gate = next(g for g in pkg.criteria_set.gates if g.id == "min_two_jst").label.get(lang)  # in the book's language
    assert summary.cell(p03, 1).value == "—" and gate in summary.cell(p03, 8).value
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



# --- reading well ------------------------------------------------------------------------------------------

def result_sheets(wb):
    """The sheets the appraisal adds (not the package's own input sheets)."""
    names = set(TITLES["pl"].values()) | set(TITLES["en"].values()) | set(OTHER_TITLES["pl"].values()) | set(
        OTHER_TITLES["en"].values())
    return [ws for ws in wb.worksheets if ws.title in names]


#: the fills of the header rows (centred vertically, as headers are)
HEADER_FILLS = {"001F4E79", "00D9E1F2"}


def texts(ws):
    """Every text cell of a sheet (not formulas)."""
    return [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.data_type != "f"]


def with_budget(name: str, budget: float):
    """The sample package ``name`` with a budget (so that its workbook has a portfolio sheet)."""
    doc = load_package(SAMPLES / name).model_dump(mode="json")
    doc["budget"] = budget
    return package_from_document(doc, str(SAMPLES / name), SAMPLES)


@pytest.fixture(scope="module")
def polish_books():
    """Polish appraisal workbooks of both samples (with a portfolio) under the methods that write differently:
    TOPSIS, R-TOPSIS, VIKOR (values, no live formulas) and the selection card."""
    books = {}
    with i18n.use("pl"):
        dolina = with_budget("pakiet_dolina_baryczy.json", 60e6)
        karta = with_budget("pakiet_karta.json", 40e6)
        for name, pkg, args in (("topsis", dolina, ()), ("reference", dolina, ("topsis", "reference")),
                                ("vikor", dolina, ("vikor",)), ("points", karta, ("points",)),
                                ("karta_topsis", karta, ())):
            rk = pkg.rank(*args)
            books[name] = (rk, build_appraisal_workbook(rk, None, *budget_portfolio(rk)))
    return books


def test_the_workbook_is_in_the_current_language_by_default():
    rk = load_package(SAMPLES / "pakiet_karta.json").rank("points")
    with i18n.use("pl"):
        pl = build_appraisal_workbook(rk)
    en = build_appraisal_workbook(rk)  # the tests' language: English
    assert pl.sheetnames[:2] == ["Podsumowanie", "Karta oceny"] and en.sheetnames[:2] == ["Summary", "Selection card"]
    assert pl["Podsumowanie"]["A4"].value == "Miejsce" and en["Summary"]["A4"].value == "Rank"
    assert TITLES["pl"] == {"summary": "Podsumowanie", "ahp": "Wagi AHP", "matrix": "Macierz", "breakdown": "Wkład"}


def test_wrapped_rows_are_top_aligned_and_tall_enough(polish_books):
    """A row whose title (or funding, or reason) wraps keeps every other cell of the row at the top, level with
    the first line of the wrapped text; and the row is tall enough for all of its lines."""
    checked = 0
    for _rk, wb in polish_books.values():
        for ws in result_sheets(wb):
            for row in ws.iter_rows(min_row=4):
                wrapped = [c for c in row if isinstance(c.value, str) and c.alignment.wrap_text
                           and (ws.cell(c.row, c.column).coordinate not in ws.merged_cells)
                           and text_lines(c.value, column_width(ws, c.column), bool(c.font.b)) > 1]
                if not wrapped or any(c.fill.fgColor.rgb in HEADER_FILLS for c in row):  # data rows, not headers
                    continue
                checked += 1
                lines = max(text_lines(c.value, column_width(ws, c.column), bool(c.font.b)) for c in wrapped)
                assert (ws.row_dimensions[row[0].row].height or 15) >= 15 * lines, (ws.title, row[0].row)
                for c in row:
                    if c.value is not None:
                        assert c.alignment.vertical == "top", (ws.title, c.coordinate, c.value)
    assert checked >= 20  # the summaries' titles and funding, the card's reasons, the portfolio's rows


def test_columns_fit_their_labels(polish_books):
    """No word of a header is broken (the column is as wide as its widest word) and no text that does not wrap
    is cut by a filled cell to its right."""
    for _rk, wb in polish_books.values():
        for ws in result_sheets(wb):
            merged = {c for rng in ws.merged_cells.ranges for row in ws[rng.coord] for c in
                      (row if isinstance(row, tuple) else (row,))}
            for c in texts(ws):
                if c in merged or c.row <= 3:  # titles and notes above the tables run on over empty cells
                    continue
                width = column_width(ws, c.column)
                bold = bool(c.font.b)
                if c.alignment.wrap_text:
                    assert width >= text_width(longest_word(c.value, bold), bold) - 0.01, (ws.title, c.coordinate)
                elif ws.cell(c.row, c.column + 1).value not in (None, ""):
                    assert width >= text_width(c.value, bold) - 0.01, (ws.title, c.coordinate, c.value)


def test_criteria_appear_by_their_labels_never_by_their_ids(polish_books):
    rk, wb = polish_books["topsis"]
    cs = rk.package.criteria_set
    nodes = [*cs.iter_groups(), *cs.leaves(), *cs.bonus, *cs.gates]
    ids = re.compile(r"\b(" + "|".join(sorted((re.escape(n.id) for n in nodes), key=len, reverse=True)) + r")\b")
    for ws in result_sheets(wb):
        for c in texts(ws):
            assert not ids.search(c.value), (ws.title, c.coordinate, c.value)
    labels = [c.label.get("pl") for c in cs.leaves()]
    for title, row in ((TITLES["pl"]["matrix"], 3), (TITLES["pl"]["breakdown"], 4)):
        ws = wb[title]
        assert [ws.cell(row, 2 + j).value for j in range(len(labels))] == labels
        assert ws.cell(row, 1).value in ("Kryterium", "ID")
    ahp = wb[TITLES["pl"]["ahp"]]
    first = named_cells(wb, "Weights")[0].row
    assert ahp.cell(first - 1, 1).value == "Kryterium"  # the criterion column is headed as such
    assert [ahp.cell(first + j, 1).value for j in range(len(labels))] == labels
    groups = {g.id: g.label.get("pl") for g in cs.iter_groups()}
    assert {ahp.cell(first + j, 3).value for j in range(len(labels))} == {groups[c.group] for c in rk.criteria}


def test_no_internal_names_in_any_cell(polish_books):
    """Solver names and the variants' keys are not for the reader: methods appear by their labels."""
    solvers = re.compile(r"highs|milp|scipy", re.IGNORECASE)
    keys = re.compile(r"\b(topsis|wsm|vikor|points|vector|minmax|reference)(_\w+)?\b")  # names, not labels
    seen = set()
    for name, (rk, wb) in polish_books.items():
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for c in texts(ws):
                assert not solvers.search(c.value) and not keys.search(c.value), (name, ws.title, c.coordinate)
        seen.update(wb.sheetnames)
    assert {"Portfel", "Karta oceny"} <= seen  # the portfolio's note and the card's words were looked at


def test_card_sheet_recalculates_to_the_engines_card(tmp_path, recalc):
    """The card sheet: per project the points of each criterion (labels as headers), under each criterion's
    most points and minimum; merit points against the threshold; bonus; total; passes or not, and why —
    the sums and the verdict as formulas that LibreOffice recalculates to the engine's card."""
    pkg = load_package(SAMPLES / "pakiet_karta.json")
    with i18n.use("pl"):  # the card's reasons are made in the language of the workbook
        rk = pkg.rank("points")
    cs = pkg.criteria_set
    path = write_appraisal_workbook(rk, tmp_path / "karta.xlsx", "pl")
    ws = openpyxl.load_workbook(recalc(path), data_only=True)["Karta oceny"]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Miejsce (karta)")
    heads = [ws.cell(head, c).value for c in range(1, ws.max_column + 1)]
    col = {h: i + 1 for i, h in enumerate(heads)}
    leaves, bonus = cs.leaves(), cs.bonus
    assert [h for h in heads if h in {c.label.get("pl") for c in leaves}] == [c.label.get("pl") for c in leaves]
    for b in bonus:
        assert f"Premiujące: {b.label.get('pl')}" in col
    most, least = head + 1, head + 2
    for c in leaves:
        assert ws.cell(most, col[c.label.get("pl")]).value == c.scale.high
        assert ws.cell(least, col[c.label.get("pl")]).value == c.minimum  # None where there is no minimum
    assert ws.cell(most, col["Punkty merytoryczne"]).value == rk.card["max_points"]
    assert ws.cell(least, col["Punkty merytoryczne"]).value == rk.card["threshold"]
    rows = {ws.cell(r, 2).value: r for r in range(least + 1, ws.max_row + 1) if ws.cell(r, 2).value}
    assert list(rows)[:len(rk.results)] == [r.id for r in rk.results]  # in the card's order
    passed_some = failed_some = False
    for res in rk.results:
        r, card = rows[res.id], res.card
        assert ws.cell(r, 1).value == res.rank
        for c in leaves:
            assert ws.cell(r, col[c.label.get("pl")]).value == card.points[c.id]
        for b in bonus:
            assert ws.cell(r, col[f"Premiujące: {b.label.get('pl')}"]).value == card.points[b.id]
        assert ws.cell(r, col["Punkty merytoryczne"]).value == pytest.approx(card.base)
        assert ws.cell(r, col["Punkty premiowe"]).value == pytest.approx(card.bonus)
        assert ws.cell(r, col["Razem"]).value == pytest.approx(card.total)
        assert ws.cell(r, col["Spełnia wymogi karty"]).value == ("tak" if card.passed else "nie")
        why = ws.cell(r, col["Powód niespełnienia wymogów"]).value
        assert (why or "") == "; ".join(card.reasons)
        passed_some |= card.passed
        failed_some |= not card.passed
    assert passed_some and failed_some
    assert any("Gotowość techniczna i formalna" in (ws.cell(r, col["Powód niespełnienia wymogów"]).value or "")
               for r in rows.values())  # a reason names its criterion by its label


def test_changing_points_on_the_card_sheet_recomputes_the_verdict(tmp_path, recalc):
    rk = load_package(SAMPLES / "pakiet_karta.json").rank("points")
    failing = next(r for r in rk.results if not r.card.passed and r.card.base >= rk.card["threshold"])
    path = write_appraisal_workbook(rk, tmp_path / "karta.xlsx", "pl")
    wb = openpyxl.load_workbook(path)
    ws = wb["Karta oceny"]
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Miejsce (karta)")
    col = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(head + 3, ws.max_row + 1) if ws.cell(r, 2).value == failing.id)
    for c in load_package(SAMPLES / "pakiet_karta.json").criteria_set.leaves():  # raise it to every minimum
        cell = ws.cell(row, col[c.label.get("pl")])
        if c.minimum is not None and cell.value < c.minimum:
            cell.value = c.minimum
    wb.save(tmp_path / "zmieniona.xlsx")
    got = openpyxl.load_workbook(recalc(tmp_path / "zmieniona.xlsx"), data_only=True)["Karta oceny"]
    assert got.cell(row, col["Spełnia wymogi karty"]).value == "tak"
    assert got.cell(row, col["Razem"]).value == pytest.approx(got.cell(row, col["Punkty merytoryczne"]).value
                                                             + failing.card.bonus)


def test_a_card_package_charts_and_colours_its_points(polish_books):
    """With a selection card the summary's chart and colour scale are of the card's points (ranked by the card or
    by TOPSIS); without one, of TOPSIS."""
    for name in ("points", "karta_topsis", "topsis"):
        rk, wb = polish_books[name]
        ws = wb["Podsumowanie"]
        heads = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
        key = "Wynik TOPSIS" if name == "topsis" else "Punkty (karta oceny)"
        letter = openpyxl.utils.get_column_letter(heads[key])
        (chart,) = ws._charts
        assert chart.series[0].val.numRef.f.endswith(f"!${letter}$5:${letter}${4 + len(rk.results)}")
        (rule_range,) = [str(r.sqref) for r in ws.conditional_formatting]
        assert rule_range == f"{letter}5:{letter}{4 + len(rk.results)}"
        if name != "topsis":
            points = {ws.cell(r, 2).value: ws.cell(r, heads[key]).value for r in range(5, 5 + len(rk.results))}
            assert points == {r.id: r.card.total for r in rk.results}
            assert "Karta oceny" in wb.sheetnames
        else:
            assert "Karta oceny" not in wb.sheetnames


def test_template_sheets_show_labels_not_ids(polish_books):
    """The package's own sheets in the workbook keep their machine keys (the reader needs them) out of sight:
    hidden rows and columns; the visible cells name criteria, groups and gates by their labels."""
    rk, wb = polish_books["topsis"]
    cs = rk.package.criteria_set
    nodes = [*cs.iter_groups(), *cs.leaves(), *cs.bonus, *cs.gates]
    ids = re.compile(r"\b(" + "|".join(sorted((re.escape(n.id) for n in nodes if n.id != cs.id), key=len,
                                              reverse=True)) + r")\b")
    looked = 0
    for ws in wb.worksheets:
        if ws in result_sheets(wb) or ws.sheet_state != "visible":
            continue
        hidden_cols = {k for k, d in ws.column_dimensions.items() if d.hidden}
        hidden_rows = {k for k, d in ws.row_dimensions.items() if d.hidden}
        for c in texts(ws):
            if c.column_letter in hidden_cols or c.row in hidden_rows:
                continue
            looked += 1
            assert not ids.search(c.value), (ws.title, c.coordinate, c.value)
    assert looked > 100
