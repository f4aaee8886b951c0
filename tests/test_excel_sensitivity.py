"""The sensitivity sheets of the appraisal workbook: the report's numbers, heat maps and charts (the sweeps,
the tornado of stability intervals, the base weights), the criteria by their labels, the page breaks,
the CLI, and LibreOffice: a round trip that leaves the appraisal formulas intact and a rendered PDF."""

from __future__ import annotations

import copy
import itertools
import json
import posixpath
import re
import subprocess
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from appraisal import methods
from appraisal.console.cli import main
from appraisal.criteria import i18n
from appraisal.criteria.i18n import pgettext
from appraisal.io.excel_report import TITLES as REPORT_TITLES
from appraisal.io.excel_report import build_appraisal_workbook
from appraisal.io.excel_sensitivity import (
    CRITICAL_FILL,
    SEGMENTS,
    add_sensitivity_sheets,
    page_rows_pt,
    paginate,
    rows_height,
    sheet_titles,
)
from appraisal.io.formats import load_package
from appraisal.io.xlsx import save_atomic
from appraisal.ranking import rank_matrix
from appraisal.sensitivity import Problem, report
from builders import named_cells
from conftest import soffice_or_skip

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PACKAGE = SAMPLES / "pakiet_dolina_baryczy.json"
TOL = 1e-9

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


# --- fixtures and helpers ---------------------------------------------------------------------------------

def titles(lang: str) -> dict[str, str]:
    with i18n.use(lang):
        return sheet_titles()


def word(message: str, lang: str = "pl") -> str:
    """A label of the sheets in ``lang`` (the catalogs' translation of the English msgid)."""
    with i18n.use(lang):
        return pgettext("sensitivity", message)


def labels(rk, lang: str = "pl") -> dict[str, str]:
    """Criterion and group id → label in ``lang``, read from the package's criteria set."""
    cs = rk.package.criteria_set
    out = {g.id: g.label.get(lang) for g in cs.iter_groups()}
    out.update({c.id: c.label.get(lang) for c in cs.leaves()})
    return out


@pytest.fixture(scope="module")
def dolina():
    rk = load_package(PACKAGE).rank()
    rep = report(Problem.from_ranking(rk), samples=2000, seed=1)
    return rk, rep


def write(rk, rep, path: Path, lang: str = "pl") -> Path:
    wb = build_appraisal_workbook(rk, lang)
    add_sensitivity_sheets(wb, rep, lang, ranking=rk)
    return save_atomic(wb, path)


@pytest.fixture(scope="module")
def written(dolina, tmp_path_factory):
    rk, rep = dolina
    return write(rk, rep, tmp_path_factory.mktemp("sens") / "wrazliwosc.xlsx")


@pytest.fixture(scope="module")
def built(dolina):
    rk, rep = dolina
    wb = build_appraisal_workbook(rk, "pl")
    add_sensitivity_sheets(wb, rep, "pl", ranking=rk)
    return wb


@pytest.fixture(params=["in memory", "saved"])
def book(request, built, written):
    """The workbook as built (values exactly the report's) and as saved and reopened."""
    if request.param == "in memory":
        return built, True
    return openpyxl.load_workbook(written), False


def same(got, expected, exact: bool) -> None:
    """Exactly the report's floats in the workbook object; in the saved file to 16 significant digits
    (openpyxl writes numbers with "%.16g", so a float that needs 17 digits comes back 1 ulp off)."""
    if exact:
        assert got == expected
        return
    if not isinstance(expected, (list, tuple)):
        got, expected = [got], [expected]
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        if e is None or isinstance(e, str):
            assert g == e
        else:
            assert g == pytest.approx(e, rel=1e-15, abs=0)


def row_of(ws, text, col: int = 1, start: int = 1) -> int:
    """The first row at or below ``start`` whose cell in ``col`` holds exactly ``text``."""
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, col).value == text:
            return r
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def order_by_expected_rank(rep) -> list[str]:
    return sorted(rep["rank_acceptability"], key=lambda i: (rep["expected_rank"][i], i))


def acceptability_rows(ws, rep) -> dict[str, list]:
    m = len(rep["rank_acceptability"])
    out = {}
    for r in range(6, 6 + m):
        out[ws.cell(r, 1).value] = [ws.cell(r, c).value for c in range(2, 2 + m + 5)]
    return out


def _resolve(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → resolved part name, for ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in zf.namelist():
        return {}
    root = ET.fromstring(zf.read(rels_name))
    return {r.get("Id"): _resolve(folder, r.get("Target")) for r in root.findall("rel:Relationship", NS)}


def sheet_charts(path: Path, title: str) -> list[tuple[ET.Element, ET.Element]]:
    """(chart XML, its drawing anchor) for every chart on the sheet named ``title``, in anchor order."""
    with zipfile.ZipFile(path) as zf:
        wbx = ET.fromstring(zf.read("xl/workbook.xml"))
        wb_rels = _rels(zf, "xl/workbook.xml")
        sheet_el = next(s for s in wbx.find("m:sheets", NS) if s.get("name") == title)
        sheet_part = wb_rels[sheet_el.get(R_ID)]
        sheet_rels = _rels(zf, sheet_part)
        drawing_el = ET.fromstring(zf.read(sheet_part)).find("m:drawing", NS)
        if drawing_el is None:
            return []
        drawing_part = sheet_rels[drawing_el.get(R_ID)]
        drawing_rels = _rels(zf, drawing_part)
        out = []
        for anchor in ET.fromstring(zf.read(drawing_part)):
            ref = anchor.find(".//c:chart", NS)
            if ref is not None:
                out.append((ET.fromstring(zf.read(drawing_rels[ref.get(R_ID)])), anchor))
        return out


def chart_files(path: Path) -> int:
    return sum(bool(re.fullmatch(r"xl/charts/chart\d+\.xml", n)) for n in zipfile.ZipFile(path).namelist())


def chart_title(chart: ET.Element) -> str:
    return "".join(t.text or "" for t in chart.findall("c:chart/c:title//a:t", NS))


def corners(anchor: ET.Element) -> tuple[int, int, int, int]:
    """A two-cell anchor's (first column, first row, end column, end row), 1-based."""
    assert anchor.tag.endswith("twoCellAnchor")
    frm, to = anchor.find("xdr:from", NS), anchor.find("xdr:to", NS)
    return (int(frm.find("xdr:col", NS).text) + 1, int(frm.find("xdr:row", NS).text) + 1,
            int(to.find("xdr:col", NS).text) + 1, int(to.find("xdr:row", NS).text) + 1)


def cells(wb, ref: str) -> list:
    """The values a chart reference (``'Sheet'!$A$1:$A$9``) points to."""
    sheet, rng = ref.rsplit("!", 1)
    ws = wb[sheet.strip("'").replace("''", "'")]
    got = ws[rng.replace("$", "")]
    if not isinstance(got, tuple):
        return [got.value]
    return [c.value for row in got for c in (row if isinstance(row, tuple) else (row,))]


def ref_rows(ref: str) -> tuple[str, int, int]:
    """(column, first row, last row) of a one-column chart reference."""
    col, r1, col2, r2 = re.search(r"!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$", ref).groups()
    assert col == col2
    return col, int(r1), int(r2)


def small_matrix_ranking(ids=("A1", "A2", "A3", "A4", "A5")):
    crit = ["koszt", "ludnosc", "gotowosc", "ryzyko"]
    x = [[12.5, 5200, 4, 2], [4.0, 1800, 2, 3], [30.0, 21000, 5, 4], [8.2, 3100, 3, 1], [8.2, 3100, 3, 1.5]]
    return rank_matrix(list(ids), crit, x, [3, 2, 1, 1], ["-", "+", "+", "-"], "topsis", "vector")


def expected_ranges(s: dict, ids: list[str]) -> list[tuple[float, float, list[str]]]:
    """The runs of sweep points with the same ranks, computed here from the report's sweep."""
    runs = []
    for i, t in enumerate(s["t"]):
        ranks = [s["ranks"][x][i] for x in ids]
        if runs and runs[-1][3] == ranks:
            runs[-1][1] = t
        else:
            runs.append([t, t, sorted(ids, key=lambda x: (s["ranks"][x][i], ids.index(x))), ranks])
    return [(a, b, order) for a, b, order, _ in runs]


# --- the workbook -----------------------------------------------------------------------------------------

def test_sheets_are_added_after_the_appraisal_sheets(dolina, written):
    rk, _ = dolina
    before = build_appraisal_workbook(rk, "pl").sheetnames
    wb = openpyxl.load_workbook(written)
    t = titles("pl")
    assert list(t.values()) == ["Wrażliwość", "Akceptowalność", "Stabilność", "Przebiegi", "Dane wykresów"]
    assert wb.sheetnames == before + list(t.values())
    assert set(REPORT_TITLES["pl"].values()) <= set(wb.sheetnames)
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    for role, title in t.items():
        ws = wb[title]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in ("9", 9)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0  # one page wide, as many pages long as the breaks make
        assert ws.freeze_panes is not None
        # the chart data are numbers for the charts, not a page to print
        assert ws.sheet_state == ("hidden" if role == "data" else "visible")


def test_criteria_by_their_labels_never_their_ids(dolina, written):
    """No cell and no chart title of the sensitivity sheets holds a criterion's or group's id, nor a
    method's internal name; the labels are there."""
    rk, rep = dolina
    wb = openpyxl.load_workbook(written)
    names = labels(rk)
    ids = set(names)
    assert {"population_served", "jst_count", "partnership_benefit"} <= ids  # the sample's ids
    internal = {"topsis_vector", "topsis_minmax", "topsis_reference", "wsm", "dirichlet"}
    seen_labels = set()
    for title in titles("pl").values():
        for row in wb[title].iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    words = set(re.findall(r"[A-Za-z_]+", c.value))
                    assert not words & ids, (title, c.coordinate, c.value)
                    assert not words & internal, (title, c.coordinate, c.value)
                    seen_labels |= {v for v in names.values() if v == c.value}
        for chart, _ in sheet_charts(written, title):
            assert not set(re.findall(r"[A-Za-z_]+", chart_title(chart))) & ids
    assert seen_labels == set(names.values()) - {rk.package.criteria_set.label.get("pl")}
    stab = wb[titles("pl")["stability"]]
    assert stab.cell(7, 1).value == names[next(iter(rep["stability"]))]


def test_summary_sheet(dolina, book):
    rk, rep = dolina
    wb, exact = book
    ws = wb[titles("pl")["summary"]]
    names = labels(rk)
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert values[word("Method")] == "TOPSIS"
    assert values[word("Normalization")] == "wektorowa"
    assert values[word("Samples (Monte Carlo)")] == 2000 and values[word("Seed")] == 1
    assert values[word("Weight sampler")] == "rozkład Dirichleta wokół wag bazowych"
    assert values[word("Dirichlet concentration")] == rep["concentration"]
    assert values[word("k (top-k set)")] == rep["top_k"]
    assert values[word("Engine")] == rep["engine"] and values[word("Input hash")] == rep["input_hash"]
    # the critical change, in a Polish sentence (the criterion's label, decimal commas) and as numbers
    cc = rep["critical_change"]
    assert cc is not None
    sentence = ws.cell(row_of(ws, word("Critical change")) + 1, 1).value
    assert sentence.startswith("Najmniejsza zmiana jednej wagi")
    assert names[cc["criterion"]] in sentence and cc["criterion"] not in sentence
    assert f"{cc['from']:.4f}".replace(".", ",") in sentence and f"{cc['to']:.4f}".replace(".", ",") in sentence
    r = row_of(ws, names[cc["criterion"]])
    same([ws.cell(r, c).value for c in range(2, 6)], [cc["from"], cc["to"], cc["absolute"], cc["relative"]],
         exact)
    assert ws.cell(r, 2).number_format == "0.0000"  # a number the spreadsheet shows in the reader's locale
    # the agreement of the methods, by their labels
    head = row_of(ws, word("Methods"))
    assert [ws.cell(head, c).value for c in range(2, 6)] == ["ρ Spearmana", "τ Kendalla", word("Same ranking"),
                                                             word("Same top")]
    with i18n.use("pl"):
        expected = [f"{methods.variant_label(p['a'])} — {methods.variant_label(p['b'])}"
                    for p in rep["method_robustness"]]
    assert "TOPSIS (poziomy odniesienia) — WSM (suma ważona)" in expected
    for k, pair in enumerate(rep["method_robustness"]):
        row = head + 1 + k
        assert ws.cell(row, 1).value == expected[k]
        same([ws.cell(row, 2).value, ws.cell(row, 3).value], [pair["spearman"], pair["kendall"]], exact)
        assert ws.cell(row, 5).value == ("tak" if pair["same_top"] else "NIE")
        assert ws.cell(row, 4).value == ("tak" if pair["same_ranking"] else "NIE")
    # the project most often first, with its title
    best = max(rep["rank_acceptability"], key=lambda i: rep["rank_acceptability"][i][0])
    title = next(p.title for p in rk.results if p.id == best)
    assert any(isinstance(c.value, str) and c.value.startswith(f"Najczęściej na 1. miejscu: {best} — {title}")
               for c in ws["A"])


def test_summary_says_when_no_single_weight_change_alters_the_top(dolina, tmp_path):
    rk, rep = dolina
    rep = copy.deepcopy(rep.to_json_dict())
    rep["critical_change"] = None
    wb = openpyxl.load_workbook(write(rk, rep, tmp_path / "n.xlsx", "en"))
    ws = wb["Sensitivity"]
    sentence = ws.cell(row_of(ws, "Critical change") + 1, 1).value
    assert sentence == "No single weight change alters the top project."
    st = wb["Stability"]
    assert all(st.cell(r, 1).fill.fgColor.rgb != CRITICAL_FILL.fgColor.rgb for r in range(7, st.max_row + 1))


def test_acceptability_matrix_equals_the_report(dolina, book):
    _, rep = dolina
    wb, exact = book
    ws = wb[titles("pl")["acceptability"]]
    ids = order_by_expected_rank(rep)
    m = len(ids)
    assert ws["B4"].value == "Miejsce"
    assert [ws.cell(5, c).value for c in range(2, 2 + m)] == list(range(1, m + 1))
    rows = acceptability_rows(ws, rep)
    assert list(rows) == ids  # sorted by expected rank
    for i in ids:
        got = rows[i]
        assert got[:m] == rep["rank_acceptability"][i]  # exact floats (shares of 2000 samples), also saved
        same(got[m], rep["expected_rank"][i], exact)
        assert got[m + 1:m + 3] == rep["rank_interval_5_95"][i]
        same(got[m + 3], rep["confidence"][i], exact)
    assert all(ws.cell(6 + k, 2 + j).number_format == "0.000" for k in range(m) for j in range(m))


def test_pairwise_and_central_weights_equal_the_report(dolina, book):
    rk, rep = dolina
    wb, exact = book
    ws = wb[titles("pl")["acceptability"]]
    ids = order_by_expected_rank(rep)
    m = len(ids)
    head = row_of(ws, "Prawdopodobieństwo, że projekt w wierszu jest wyżej niż projekt w kolumnie") + 1
    assert [ws.cell(head, 2 + j).value for j in range(m)] == ids
    for k, a in enumerate(ids):
        assert ws.cell(head + 1 + k, 1).value == a
        for j, b in enumerate(ids):
            expected = None if a == b else rep["pairwise_winning"][a][b]
            assert ws.cell(head + 1 + k, 2 + j).value == expected, (a, b)
    # central weights: a row per criterion (its label), the base weight, a column per project ever first
    names = labels(rk)
    crit = list(rep["base_weights"])
    firsts = [i for i in ids if rep["central_weights"][i] is not None]
    never = [i for i in ids if rep["central_weights"][i] is None]
    assert firsts and never  # the sample really has both
    head = row_of(ws, "Wagi centralne: średnie wagi losowań, w których projekt jest na 1. miejscu") + 1
    assert [ws.cell(head, c).value for c in range(1, 3 + len(firsts))] == ["Kryterium", "Waga bazowa", *firsts]
    for k, c in enumerate(crit):
        row = head + 1 + k
        assert ws.cell(row, 1).value == names[c]
        same(ws.cell(row, 2).value, rep["base_weights"][c], exact)
        same([ws.cell(row, 3 + j).value for j in range(len(firsts))],
             [rep["central_weights"][i][c] for i in firsts], exact)
    assert ws.cell(head + 1 + len(crit), 1).value == f"Nigdy na 1. miejscu: {', '.join(never)}."


def test_heat_maps_on_the_acceptability_and_pairwise_ranges(dolina, written):
    _, rep = dolina
    ws = openpyxl.load_workbook(written)[titles("pl")["acceptability"]]
    m = len(rep["rank_acceptability"])
    last = get_column_letter(1 + m)
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    heat = rules[f"B6:{last}{5 + m}"]
    assert len(heat) == 1 and heat[0].type == "colorScale"
    scale = heat[0].colorScale
    assert [(v.type, float(v.val)) for v in scale.cfvo] == [("num", 0.0), ("num", 1.0)]
    first, end = scale.color[0].rgb[-6:], scale.color[-1].rgb[-6:]
    assert first == "FFFFFF"
    red, green, blue = (int(end[k:k + 2], 16) for k in (0, 2, 4))
    assert green > red and green > blue and green < 0xC0  # a dark green
    p0 = row_of(ws, "Prawdopodobieństwo, że projekt w wierszu jest wyżej niż projekt w kolumnie") + 2
    odds = rules[f"B{p0}:{last}{p0 + m - 1}"]
    assert odds[0].type == "colorScale" and len(odds[0].colorScale.cfvo) == 3


def test_stability_numbers_equal_the_report(dolina, book):
    rk, rep = dolina
    wb, exact = book
    ws = wb[titles("pl")["stability"]]
    names = labels(rk)
    assert ws.cell(5, 8).value == word("Top {k}").format(k=rep["top_k"]) == f"{rep['top_k']} najlepszych"
    critical = rep["critical_change"]["criterion"]
    keys = list(rep["stability"])
    assert [ws.cell(7 + k, 1).value for k in range(len(keys))] == [names[n] for n in keys]
    for k, name in enumerate(keys):
        e = rep["stability"][name]
        row = 7 + k
        assert ws.cell(row, 2).value == {"criterion": "kryterium", "group": "grupa"}[e["kind"]]
        expected = [e["base"], *e["ranking"], *e["top"], *e["top_k"], *e["top_changes_at"]]
        got = [ws.cell(row, c).value for c in range(3, 12)]
        same(got, expected, exact)  # exact in memory, within 1e-15 after saving (openpyxl writes 16 digits)
        assert all(ws.cell(row, c).number_format == "0.0000" for c in range(3, 12))
        highlighted = ws.cell(row, 1).fill.fgColor.rgb == CRITICAL_FILL.fgColor.rgb
        assert highlighted == (name == critical), name


def test_tornado_and_weights_charts(dolina, written):
    """A stacked bar chart of the stability intervals, a bar per criterion (none per group), and a bar
    chart of the base weights beside it, level with it; their numbers are the report's."""
    rk, rep = dolina
    wb = openpyxl.load_workbook(written)
    names = labels(rk)
    criteria = [n for n, e in rep["stability"].items() if e["kind"] == "criterion"]
    assert len(criteria) == len(rk.criteria) == 12
    charts = sheet_charts(written, titles("pl")["stability"])
    assert [chart_title(c) for c, _ in charts] == ["Przedziały stabilności", "Wagi bazowe"]
    (tornado, t_anchor), (weights, w_anchor) = charts

    bar = tornado.find("c:chart/c:plotArea/c:barChart", NS)
    assert bar.find("c:barDir", NS).get("val") == "bar" and bar.find("c:grouping", NS).get("val") == "stacked"
    assert bar.find("c:overlap", NS).get("val") == "100"
    series = bar.findall("c:ser", NS)
    assert len(series) == len(SEGMENTS) == 5
    segments = []
    for ser in series:
        _, r1, r2 = ref_rows(ser.find("c:val/c:numRef/c:f", NS).text)
        assert r2 - r1 + 1 == len(criteria)  # a bar per criterion
        cats = ser.find("c:cat/c:strRef/c:f", NS).text
        assert cells(wb, cats) == [names[c] for c in criteria]
        segments.append(cells(wb, ser.find("c:val/c:numRef/c:f", NS).text))
    assert series[0].find("c:spPr/a:noFill", NS) is not None  # the start of each bar is not drawn
    assert all(s.find("c:spPr/a:solidFill", NS) is not None for s in series[1:])
    for k, name in enumerate(criteria):
        e = rep["stability"][name]
        lo, a, b, c, d = (seg[k] for seg in segments)
        assert lo == pytest.approx(e["top"][0], abs=1e-12)
        assert lo + a == pytest.approx(e["ranking"][0], abs=1e-12)
        assert lo + a + b == pytest.approx(e["base"], abs=1e-12)
        assert lo + a + b + c == pytest.approx(e["ranking"][1], abs=1e-12)
        assert lo + a + b + c + d == pytest.approx(e["top"][1], abs=1e-12)
        assert min(a, b, c, d) >= 0
    # first criterion on top, the weight axis 0 … 1 at the bottom
    cat_ax = tornado.find("c:chart/c:plotArea/c:catAx", NS)
    assert cat_ax.find("c:scaling/c:orientation", NS).get("val") == "maxMin"
    val_ax = tornado.find("c:chart/c:plotArea/c:valAx", NS)
    assert float(val_ax.find("c:scaling/c:max", NS).get("val")) == 1
    assert val_ax.find("c:crosses", NS).get("val") == "max"

    wbar = weights.find("c:chart/c:plotArea/c:barChart", NS)
    (wser,) = wbar.findall("c:ser", NS)
    got = cells(wb, wser.find("c:val/c:numRef/c:f", NS).text)
    assert got == pytest.approx([rep["base_weights"][c] for c in criteria], rel=1e-15)
    assert cells(wb, wser.find("c:cat/c:strRef/c:f", NS).text) == [names[c] for c in criteria]
    assert wbar.find("c:dLbls/c:showVal", NS).get("val") == "1"
    # side by side on the same rows, below the table
    t0, tr0, t1, tr1 = corners(t_anchor)
    w0, wr0, _, wr1 = corners(w_anchor)
    assert (tr0, tr1) == (wr0, wr1) and t1 == w0 and t0 == 1
    assert tr0 > 7 + len(rep["stability"])


def test_sweeps_charts_and_ranking_ranges(dolina, written):
    """A scatter chart per sweep, its lines the report's ranks (on the chart data sheet), rank 1 on top;
    beside it the ranking in each range of the weight; a sweep a page."""
    rk, rep = dolina
    wb = openpyxl.load_workbook(written)
    t = titles("pl")
    ws = wb[t["sweeps"]]
    names = labels(rk)
    ids = list(rep["rank_acceptability"])
    m = len(ids)
    assert chart_files(written) >= 2 + len(rep["sweeps"])  # the stability charts, a chart per sweep, …
    charts = sheet_charts(written, ws.title)
    assert len(charts) == len(rep["sweeps"])
    spans, starts = [], []
    for (chart, anchor), (name, s) in zip(charts, rep["sweeps"].items(), strict=True):
        kind = {"criterion": "kryterium", "group": "grupa"}[s["kind"]]
        heading = f"{names[name]} ({kind}, waga bazowa {s['base']:.4f})".replace(".", ",")
        assert chart_title(chart) == heading
        block = row_of(ws, heading, start=4)
        starts.append(block)
        scatter = chart.find("c:chart/c:plotArea/c:scatterChart", NS)
        series = scatter.findall("c:ser", NS)
        assert len(series) == m + 1  # a line per project and the base-weight line
        for ser, ident in zip(series[:m], ids):
            x = ser.find("c:xVal/c:numRef/c:f", NS).text
            y = ser.find("c:yVal/c:numRef/c:f", NS).text
            assert x.startswith(f"'{t['data']}'!") and y.startswith(f"'{t['data']}'!")
            assert cells(wb, x) == pytest.approx(s["t"], rel=1e-15)
            assert cells(wb, y) == s["ranks"][ident]
            assert cells(wb, ser.find("c:tx/c:strRef/c:f", NS).text) == [ident]
        base_x = cells(wb, series[m].find("c:xVal/c:numRef/c:f", NS).text)
        assert base_x == pytest.approx([s["base"]] * 2, rel=1e-15)
        assert cells(wb, series[m].find("c:yVal/c:numRef/c:f", NS).text) == [1, m]
        axes = {ax.find("c:axId", NS).get("val"): ax for ax in chart.findall("c:chart/c:plotArea/c:valAx", NS)}
        x_id, y_id = (e.get("val") for e in scatter.findall("c:axId", NS))
        x_axis, y_axis = axes[x_id], axes[y_id]
        assert x_axis.find("c:axPos", NS).get("val") == "b"
        assert y_axis.find("c:scaling/c:orientation", NS).get("val") == "maxMin"
        assert float(y_axis.find("c:scaling/c:min", NS).get("val")) == 1
        assert float(x_axis.find("c:scaling/c:min", NS).get("val")) == 0
        assert float(x_axis.find("c:scaling/c:max", NS).get("val")) == 1
        # below the heading, on the columns left of the ranking table
        c0, r0, c1, r1 = corners(anchor)
        assert (c0, r0) == (1, block + 1)
        table = next(c for c in range(1, ws.max_column + 1) if ws.cell(block + 1, c).value == "Waga od")
        assert c1 <= table
        spans.append((r0, r1))
        # the ranking in each range of the weight, the base weight's range highlighted
        ranges = expected_ranges(s, ids)
        for k, (lo, hi, order) in enumerate(ranges):
            row = block + 2 + k
            assert ws.cell(row, table).value == pytest.approx(lo, rel=1e-15)
            assert ws.cell(row, table + 1).value == pytest.approx(hi, rel=1e-15)
            assert [ws.cell(row, table + 2 + j).value for j in range(m)] == order
            assert ws.cell(row, table).font.b == (lo <= s["base"] and (k + 1 == len(ranges)
                                                                       or ranges[k + 1][0] > s["base"]))
        assert ws.cell(block + 2 + len(ranges), table).value is None
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end < start  # charts do not overlap
    # a sweep a page: a break before each sweep's heading but the first
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    assert breaks == [start - 1 for start in starts[1:]]


def test_page_breaks_keep_tables_whole(dolina, written):
    """Every visible sheet: its breaks fall before a heading (a table's first row), never inside a
    table; the summary, acceptability and stability tables are not cut."""
    wb = openpyxl.load_workbook(written)
    t = titles("pl")
    for role in ("summary", "acceptability", "stability", "sweeps"):
        ws = wb[t[role]]
        for b in ws.row_breaks.brk:
            first = ws.cell(b.id + 1, 1)  # the first row of the next page: a heading of a block
            assert first.value not in (None, "") and first.fill.fgColor.rgb not in (None, "00000000"), (role, b.id)
    summary = wb[t["summary"]]
    breaks = [b.id for b in summary.row_breaks.brk]
    assert all(summary.cell(b + 1, 1).value in (word("Critical change"), word("At a glance"),
                                                 "Zgodność metod przy wagach bazowych", word("Ranks by method"))
               for b in breaks)


def test_paginate_splits_a_table_longer_than_a_page_into_equal_parts():
    """A table taller than a page is cut into parts of (nearly) equal length, never one row alone; a
    block that does not fit on the rest of a page starts the next one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    width = 700.0  # points: printed at 100 %
    per_page = int(page_rows_pt(width) // 15)
    long = per_page * 2 + 1  # one row more than two pages: the naive break leaves it alone on a third
    breaks = paginate(ws, [(1, 5), (7, 7 + long - 1)], width)
    assert breaks[0] == 6  # the long table starts on a page of its own
    bounds = [*breaks, 7 + long - 1]  # each page: the rows after one bound to the next
    parts = [b - a for a, b in itertools.pairwise(bounds)]
    assert sum(parts) == long
    assert len(parts) == 3 and max(parts) - min(parts) <= 1 and min(parts) > 1
    assert all(rows_height(ws, a + 1, b) <= page_rows_pt(width) for a, b in itertools.pairwise(bounds))
    ws2 = openpyxl.Workbook().active
    short = paginate(ws2, [(1, per_page - 3), (per_page - 1, per_page + 5)], width)
    assert short == [per_page - 2]  # the second table does not fit after the first: next page
    assert paginate(openpyxl.Workbook().active, [(1, 4), (6, 9)], width) == []


def test_a_report_limited_to_some_criteria(dolina, tmp_path):
    rk, _ = dolina
    rep = report(Problem.from_ranking(rk), samples=500, seed=2, names=["readiness", "funding"])
    path = write(rk, rep, tmp_path / "dwa.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    st = wb["Stability"]
    names = labels(rk, "en")
    assert [st.cell(7, 1).value, st.cell(8, 1).value, st.cell(9, 1).value] == [names["readiness"],
                                                                               names["funding"], None]
    assert [st.cell(7, 2).value, st.cell(8, 2).value] == ["criterion", "group"]
    (tornado, _), _ = sheet_charts(path, "Stability")
    ser = tornado.findall("c:chart/c:plotArea/c:barChart/c:ser", NS)[0]
    assert cells(wb, ser.find("c:cat/c:strRef/c:f", NS).text) == [names["readiness"]]  # one criterion, one bar
    assert len(sheet_charts(path, "Sweeps")) == 2


def test_english_labels(dolina, tmp_path):
    rk, rep = dolina
    path = write(rk, rep, tmp_path / "en.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-5:] == ["Sensitivity", "Acceptability", "Stability", "Sweeps", "Chart data"]
    assert not set(titles("pl").values()) & set(wb.sheetnames)
    assert wb["Sensitivity"]["A1"].value == "Sensitivity analysis of the ranking"
    assert wb["Acceptability"]["B4"].value == "Rank"
    assert wb["Stability"]["D5"].value == "Whole ranking"
    polish_labels = set(labels(rk, "pl").values()) - set(labels(rk, "en").values())
    polish = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
    for title in titles("en").values():
        for row in wb[title].iter_rows():
            for c in row:
                text = c.value if isinstance(c.value, str) else ""
                for project in rk.results:  # the projects' titles are the user's, in Polish
                    text = text.replace(project.title, "")
                assert not polish.search(text) and text not in polish_labels, (title, c.coordinate, text)
    headings = [chart_title(ch) for ch, _ in sheet_charts(path, "Sweeps")]
    assert headings and all("base weight 0." in h for h in headings)


def test_text_from_the_input_is_never_a_formula(tmp_path):
    ids = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+48 600", "-Gmina", "@SUM(A1:A9)", "A5"]
    rk = small_matrix_ranking(ids)
    rep = report(Problem.from_ranking(rk), samples=300, seed=0)
    path = write(rk, rep, tmp_path / "t.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    seen = 0
    for title in titles("en").values():
        for row in wb[title].iter_rows():
            for c in row:
                if c.value in ids[:4]:
                    seen += 1
                    assert c.data_type == "s", (title, c.coordinate)
    assert seen >= 4 * 4  # acceptability rows, pairwise rows and columns, sweep ranges and headers …


def test_a_plain_matrix_keeps_its_column_names(tmp_path):
    rk = small_matrix_ranking()
    rep = report(Problem.from_ranking(rk), samples=300, seed=0)
    path = write(rk, rep, tmp_path / "m.xlsx", "pl")
    ws = openpyxl.load_workbook(path)[titles("pl")["stability"]]
    assert [ws.cell(7 + k, 1).value for k in range(4)] == ["koszt", "ludnosc", "gotowosc", "ryzyko"]


# --- the command line ---------------------------------------------------------------------------------------

def test_cli_writes_the_appraisal_workbook_with_the_sensitivity_sheets(tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    code = main(["sensitivity", str(PACKAGE), "--samples", "2000", "--lang", "pl", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    assert {"Podsumowanie", "Wagi AHP", "Macierz", "Wkład"} <= set(wb.sheetnames)
    assert wb.sheetnames[-5:] == list(titles("pl").values())
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    rk = load_package(PACKAGE).rank()
    assert len(named_cells(wb, "Weights")) == len(rk.criteria)
    # the numbers are those of the JSON report of the same run
    code = main(["sensitivity", str(PACKAGE), "--samples", "2000", "--json"])
    assert code == 0
    rep = json.loads(capsys.readouterr().out)
    rows = acceptability_rows(wb[titles("pl")["acceptability"]], rep)
    m = len(rep["rank_acceptability"])
    assert {i: v[:m] for i, v in rows.items()} == rep["rank_acceptability"]
    assert len(sheet_charts(out, titles("pl")["sweeps"])) == len(rep["sweeps"])
    assert len(sheet_charts(out, titles("pl")["stability"])) == 2
    # the workbook is still a package workbook the tool reads back
    again = load_package(out).rank()
    assert again.scores() == pytest.approx(rk.scores(), abs=1e-12)


def test_cli_workbook_names_the_criteria_by_their_labels(tmp_path, capsys):
    """The command line's workbook (``appraise sensitivity … -o x.xlsx``), not only the library call:
    the stability table and the tornado name the criteria by their Polish labels."""
    out = tmp_path / "s.xlsx"
    assert main(["sensitivity", str(PACKAGE), "--samples", "500", "--lang", "pl", "-o", str(out)]) == 0
    capsys.readouterr()
    rk = load_package(PACKAGE).rank()
    names = labels(rk)
    ws = openpyxl.load_workbook(out)[titles("pl")["stability"]]
    got = [ws.cell(7 + k, 1).value for k in range(len(names) - 1)]
    assert got[:2] == [names["jst_count"], names["population_served"]]
    assert not set(got) & set(names)


def test_cli_csv_matrix_workbook(tmp_path, capsys):
    out = tmp_path / "m.xlsx"
    code = main(["sensitivity", str(SAMPLES / "matrix.csv"), "--directions", "-,+,+,-", "--samples", "2000",
                 "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [*REPORT_TITLES["en"].values(), *titles("en").values()]
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    assert len(sheet_charts(out, "Sweeps")) == 4  # four criteria, no groups
    ws = wb["Stability"]
    assert [ws.cell(7 + k, 1).value for k in range(4)] == ["koszt_mln", "ludnosc", "gotowosc", "ryzyko"]


def test_cli_json_file_equals_the_printed_json(tmp_path, capsys):
    args = ["sensitivity", str(PACKAGE), "--samples", "2000", "--seed", "5"]
    assert main([*args, "--json"]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "s.json"
    assert main([*args, "-o", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert json.loads(text) == json.loads(printed)
    assert text == printed


# --- LibreOffice -------------------------------------------------------------------------------------------

def test_libreoffice_recalculates_and_the_sensitivity_numbers_survive(dolina, written, recalc):
    rk, rep = dolina
    got = openpyxl.load_workbook(recalc(written), data_only=True)
    t = titles("pl")
    assert [n for n in got.sheetnames if n in t.values()] == list(t.values())
    # the appraisal formulas still give the engine's TOPSIS scores
    assert rk.method == "topsis"
    scores = named_cells(got, "Scores")
    by_id = {c.parent.cell(c.row, 1).value: c.value for c in scores}
    assert by_id == pytest.approx({r.id: r.score for r in rk.results}, abs=TOL)
    # … and the sensitivity numbers are still there
    rows = acceptability_rows(got[t["acceptability"]], rep)
    m = len(rep["rank_acceptability"])
    for i, v in rows.items():
        assert v[:m] == pytest.approx(rep["rank_acceptability"][i], rel=1e-14, abs=1e-15)
        assert v[m] == pytest.approx(rep["expected_rank"][i], rel=1e-14)
    st = got[t["stability"]]
    for k, e in enumerate(rep["stability"].values()):
        assert [st.cell(7 + k, c).value for c in (4, 5, 6, 7)] == pytest.approx([*e["ranking"], *e["top"]],
                                                                                 rel=1e-14)


def test_the_sheets_print_on_few_pages(dolina, tmp_path):
    """Rendered by LibreOffice: the summary, acceptability and stability sheets take at most two pages
    each and the sweeps one page each (before the page breaks, the sweeps' tables left single rows on
    pages of their own: 53 pages for the sample)."""
    rk, rep = dolina
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    add_sensitivity_sheets(wb, rep, "pl", ranking=rk)
    path = save_atomic(wb, tmp_path / "druk.xlsx")
    exe = soffice_or_skip()
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex[:8]}"
    run = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                         capture_output=True, text=True, timeout=240, check=False)
    pdf = tmp_path / "druk.pdf"
    assert run.returncode == 0 and pdf.exists(), f"LibreOffice failed: {run.stdout} {run.stderr}"
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
    assert len(rep["sweeps"]) + 3 <= pages <= 2 + 2 + 2 + len(rep["sweeps"]), pages
