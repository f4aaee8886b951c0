"""The sensitivity sheets of the appraisal workbook: the report's numbers, heat maps and charts, the CLI,
and a LibreOffice round trip that leaves the appraisal formulas intact."""

from __future__ import annotations

import copy
import itertools
import json
import math
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from appraisal.console.cli import main
from appraisal.io.excel_report import TITLES as REPORT_TITLES
from appraisal.io.excel_report import build_appraisal_workbook
from appraisal.io.excel_sensitivity import CRITICAL_FILL, HEADER_ROW, TITLES, WORDS, add_sensitivity_sheets
from appraisal.io.formats import load_package
from appraisal.io.xlsx import save_atomic
from appraisal.ranking import rank_matrix
from appraisal.sensitivity import Problem, report
from builders import named_cells

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
ROW_EMU = 190500  # a default 15 pt row


# --- fixtures and helpers ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dolina():
    rk = load_package(PACKAGE).rank()
    rep = report(Problem.from_ranking(rk), samples=2000, seed=1)
    return rk, rep


def write(rk, rep, path: Path, lang: str = "pl") -> Path:
    wb = build_appraisal_workbook(rk, lang)
    add_sensitivity_sheets(wb, rep, lang)
    return save_atomic(wb, path)


@pytest.fixture(scope="module")
def written(dolina, tmp_path_factory):
    rk, rep = dolina
    return write(rk, rep, tmp_path_factory.mktemp("sens") / "wrazliwosc.xlsx")


@pytest.fixture(scope="module")
def built(dolina):
    rk, rep = dolina
    wb = build_appraisal_workbook(rk, "pl")
    add_sensitivity_sheets(wb, rep, "pl")
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


def small_matrix_ranking(ids=("A1", "A2", "A3", "A4", "A5")):
    crit = ["koszt", "ludnosc", "gotowosc", "ryzyko"]
    x = [[12.5, 5200, 4, 2], [4.0, 1800, 2, 3], [30.0, 21000, 5, 4], [8.2, 3100, 3, 1], [8.2, 3100, 3, 1.5]]
    return rank_matrix(list(ids), crit, x, [3, 2, 1, 1], ["-", "+", "+", "-"], "topsis", "vector")


# --- the workbook -----------------------------------------------------------------------------------------

def test_sheets_are_added_after_the_appraisal_sheets(dolina, written):
    rk, _ = dolina
    before = build_appraisal_workbook(rk, "pl").sheetnames
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == before + list(TITLES["pl"].values())
    assert set(REPORT_TITLES["pl"].values()) <= set(wb.sheetnames)
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    for title in TITLES["pl"].values():
        ws = wb[title]
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.freeze_panes is not None


def test_summary_sheet(dolina, book):
    _, rep = dolina
    wb, exact = book
    ws = wb[TITLES["pl"]["summary"]]
    w = WORDS["pl"]
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert labels[w["method"]] == "TOPSIS"
    assert labels[w["samples"]] == 2000 and labels[w["seed"]] == 1
    assert labels[w["sampler"]].startswith("dirichlet")
    assert labels[w["concentration"]] == rep["concentration"]
    assert labels[w["top_k"]] == rep["top_k"]
    assert labels[w["engine"]] == rep["engine"] and labels[w["input_hash"]] == rep["input_hash"]
    # the critical change, in a sentence and as numbers
    cc = rep["critical_change"]
    assert cc is not None
    sentence = ws.cell(row_of(ws, w["critical"]) + 1, 1).value
    assert cc["criterion"] in sentence and f"{cc['from']:.4f}" in sentence and f"{cc['to']:.4f}" in sentence
    r = row_of(ws, cc["criterion"])
    same([ws.cell(r, c).value for c in range(2, 6)], [cc["from"], cc["to"], cc["absolute"], cc["relative"]],
         exact)
    # the method robustness table
    head = row_of(ws, w["methods"])
    assert [ws.cell(head, c).value for c in range(2, 6)] == [w["spearman"], w["kendall"], w["same_ranking"],
                                                             w["same_top"]]
    for k, pair in enumerate(rep["method_robustness"]):
        row = head + 1 + k
        same([ws.cell(row, 2).value, ws.cell(row, 3).value], [pair["spearman"], pair["kendall"]], exact)
        assert ws.cell(row, 5).value == (w["yes"] if pair["same_top"] else w["no"])
        assert ws.cell(row, 4).value == (w["yes"] if pair["same_ranking"] else w["no"])


def test_summary_says_when_no_single_weight_change_alters_the_top(dolina, tmp_path):
    rk, rep = dolina
    rep = copy.deepcopy(rep.to_json_dict())
    rep["critical_change"] = None
    ws = openpyxl.load_workbook(write(rk, rep, tmp_path / "n.xlsx", "en"))["Sensitivity"]
    sentence = ws.cell(row_of(ws, WORDS["en"]["critical"]) + 1, 1).value
    assert sentence == "No single weight change alters the top project."
    st = openpyxl.load_workbook(tmp_path / "n.xlsx")["Stability"]
    assert all(st.cell(r, 1).fill.fgColor.rgb != CRITICAL_FILL.fgColor.rgb for r in range(7, st.max_row + 1))


def test_acceptability_matrix_equals_the_report(dolina, book):
    _, rep = dolina
    wb, exact = book
    ws = wb[TITLES["pl"]["acceptability"]]
    ids = order_by_expected_rank(rep)
    m = len(ids)
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
    _, rep = dolina
    wb, exact = book
    ws = wb[TITLES["pl"]["acceptability"]]
    w = WORDS["pl"]
    ids = order_by_expected_rank(rep)
    m = len(ids)
    head = row_of(ws, w["pairwise"]) + 1
    assert [ws.cell(head, 2 + j).value for j in range(m)] == ids
    for k, a in enumerate(ids):
        assert ws.cell(head + 1 + k, 1).value == a
        for j, b in enumerate(ids):
            expected = None if a == b else rep["pairwise_winning"][a][b]
            assert ws.cell(head + 1 + k, 2 + j).value == expected, (a, b)
    crit = list(rep["base_weights"])
    head = row_of(ws, w["central"]) + 1
    assert [ws.cell(head, 2 + j).value for j in range(len(crit))] == crit
    assert ws.cell(head + 1, 1).value == w["base_weights"]
    base_row = [ws.cell(head + 1, 2 + j).value for j in range(len(crit))]
    same(base_row, list(rep["base_weights"].values()), exact)
    never = 0
    for k, ident in enumerate(ids):
        row = head + 2 + k
        assert ws.cell(row, 1).value == ident
        got = [ws.cell(row, 2 + j).value for j in range(len(crit))]
        cw = rep["central_weights"][ident]
        if cw is None:
            never += 1
            assert got == [None] * len(crit)
            assert ws.cell(row, 2 + len(crit)).value == w["never_first"]
        else:
            same(got, [cw[c] for c in crit], exact)
    assert never >= 1  # the sample really has projects that are never first


def test_heat_maps_on_the_acceptability_and_pairwise_ranges(dolina, written):
    _, rep = dolina
    ws = openpyxl.load_workbook(written)[TITLES["pl"]["acceptability"]]
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
    p0 = row_of(ws, WORDS["pl"]["pairwise"]) + 2
    odds = rules[f"B{p0}:{last}{p0 + m - 1}"]
    assert odds[0].type == "colorScale" and len(odds[0].colorScale.cfvo) == 3


def test_stability_numbers_equal_the_report(dolina, book):
    _, rep = dolina
    wb, exact = book
    ws = wb[TITLES["pl"]["stability"]]
    w = WORDS["pl"]
    assert ws.cell(5, 8).value == w["top_k_set"].format(k=rep["top_k"])
    critical = rep["critical_change"]["criterion"]
    names = list(rep["stability"])
    assert [ws.cell(7 + k, 1).value for k in range(len(names))] == names
    for k, name in enumerate(names):
        e = rep["stability"][name]
        row = 7 + k
        assert ws.cell(row, 2).value == w["kinds"][e["kind"]]
        expected = [e["base"], *e["ranking"], *e["top"], *e["top_k"], *e["top_changes_at"]]
        got = [ws.cell(row, c).value for c in range(3, 12)]
        same(got, expected, exact)  # exact in memory, within 1e-15 after saving (openpyxl writes 16 digits)
        assert all(ws.cell(row, c).number_format == "0.0000" for c in range(3, 12))
        highlighted = ws.cell(row, 1).fill.fgColor.rgb == CRITICAL_FILL.fgColor.rgb
        assert highlighted == (name == critical), name


def test_sweep_blocks_hold_the_reports_ranks(dolina, book):
    _, rep = dolina
    wb, exact = book
    ws = wb[TITLES["pl"]["sweeps"]]
    ids = list(rep["rank_acceptability"])
    assert [ws.cell(HEADER_ROW, 2 + k).value for k in range(len(ids))] == ids
    for name, s in rep["sweeps"].items():
        r = row_of(ws, name, start=HEADER_ROW + 1)
        T = len(s["t"])
        same([ws.cell(r + 1 + i, 1).value for i in range(T)], s["t"], exact)
        for k, ident in enumerate(ids):
            assert [ws.cell(r + 1 + i, 2 + k).value for i in range(T)] == s["ranks"][ident], (name, ident)


def test_one_scatter_chart_per_sweep_with_rank_one_on_top(dolina, written):
    _, rep = dolina
    assert chart_files(written) == 2 + len(rep["sweeps"])
    wb = openpyxl.load_workbook(written)
    ws = wb[TITLES["pl"]["sweeps"]]
    m = len(rep["rank_acceptability"])
    charts = sheet_charts(written, ws.title)
    assert len(charts) == len(rep["sweeps"])
    spans = []
    for (chart, anchor), (name, s) in zip(charts, rep["sweeps"].items(), strict=True):
        assert chart_title(chart).startswith(name + " ") and f"{s['base']:.4f}" in chart_title(chart)
        scatter = chart.find("c:chart/c:plotArea/c:scatterChart", NS)
        assert scatter is not None
        series = scatter.findall("c:ser", NS)
        assert len(series) == m + 1  # one per project and the base-weight line
        block = row_of(ws, name, start=HEADER_ROW + 1)
        T = len(s["t"])
        for ser in series[:m]:
            x = ser.find("c:xVal/c:numRef/c:f", NS).text
            y = ser.find("c:yVal/c:numRef/c:f", NS).text
            assert x.endswith(f"!$A${block + 1}:$A${block + T}")
            assert re.search(rf"!\$[A-Z]+\${block + 1}:\$[A-Z]+\${block + T}$", y)
        # the base-weight line: two points at x = base
        base_x = series[m].find("c:xVal/c:numRef/c:f", NS).text
        col, r1 = re.search(r"!\$([A-Z]+)\$(\d+):", base_x).groups()
        base_points = [ws[f"{col}{r1}"].value, ws[f"{col}{int(r1) + 1}"].value]
        assert base_points == pytest.approx([s["base"]] * 2, rel=1e-15)
        axes = {ax.find("c:axId", NS).get("val"): ax
                for ax in chart.findall("c:chart/c:plotArea/c:valAx", NS)}
        x_id, y_id = (e.get("val") for e in scatter.findall("c:axId", NS))
        x_axis, y_axis = axes[x_id], axes[y_id]
        assert x_axis.find("c:axPos", NS).get("val") == "b"
        assert y_axis.find("c:scaling/c:orientation", NS).get("val") == "maxMin"
        assert float(y_axis.find("c:scaling/c:min", NS).get("val")) == 1
        assert float(x_axis.find("c:scaling/c:min", NS).get("val")) == 0
        assert float(x_axis.find("c:scaling/c:max", NS).get("val")) == 1
        # beside the block, below its title row, right of every data column
        frm = anchor.find("xdr:from", NS)
        col0, row0 = int(frm.find("xdr:col", NS).text), int(frm.find("xdr:row", NS).text)
        assert col0 + 1 > m + 1 and row0 + 1 == block
        rows = math.ceil(int(anchor.find("xdr:ext", NS).get("cy")) / ROW_EMU)
        spans.append((row0, row0 + rows))
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end < start  # charts do not overlap


def test_short_sweeps_still_give_charts_that_do_not_overlap(dolina, tmp_path):
    rk, rep = dolina
    rep = copy.deepcopy(rep)
    for s in rep["sweeps"].values():  # 11 points: a block far shorter than a chart
        s["t"] = s["t"][::10]
        s["ranks"] = {i: v[::10] for i, v in s["ranks"].items()}
    path = write(rk, rep, tmp_path / "short.xlsx")
    charts = sheet_charts(path, TITLES["pl"]["sweeps"])
    assert len(charts) == len(rep["sweeps"])
    spans = []
    for _, anchor in charts:
        row0 = int(anchor.find("xdr:from/xdr:row", NS).text)
        spans.append((row0, row0 + math.ceil(int(anchor.find("xdr:ext", NS).get("cy")) / ROW_EMU)))
    assert all(end < start for (_, end), (start, _) in itertools.pairwise(spans))
    ws = openpyxl.load_workbook(path)[TITLES["pl"]["sweeps"]]
    name, s = next(iter(rep["sweeps"].items()))
    r = row_of(ws, name, start=HEADER_ROW + 1)
    assert [ws.cell(r + 1 + i, 1).value for i in range(11)] == pytest.approx(s["t"], rel=1e-15)


def test_a_report_limited_to_some_criteria(dolina, tmp_path):
    rk, _ = dolina
    rep = report(Problem.from_ranking(rk), samples=500, seed=2, names=["readiness", "funding"])
    path = write(rk, rep, tmp_path / "dwa.xlsx", "en")
    assert chart_files(path) == 2 + 2
    wb = openpyxl.load_workbook(path)
    st = wb["Stability"]
    assert [st.cell(7, 1).value, st.cell(8, 1).value, st.cell(9, 1).value] == ["readiness", "funding", None]
    assert [st.cell(7, 2).value, st.cell(8, 2).value] == ["criterion", "group"]


def test_english_labels(dolina, tmp_path):
    rk, rep = dolina
    path = write(rk, rep, tmp_path / "en.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-4:] == ["Sensitivity", "Acceptability", "Stability", "Sweeps"]
    assert not set(TITLES["pl"].values()) & set(wb.sheetnames)
    assert wb["Sensitivity"]["A1"].value == "Sensitivity analysis of the ranking"
    assert wb["Acceptability"]["B4"].value == "Rank"
    assert wb["Stability"]["D5"].value == "Whole ranking"
    assert wb["Sweeps"].cell(HEADER_ROW, 1).value == "t (weight)"
    polish = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
    for title in TITLES["en"].values():
        for row in wb[title].iter_rows():
            for c in row:
                text = c.value if isinstance(c.value, str) else ""
                assert not polish.search(text), (title, c.coordinate, text)
    titles = [chart_title(ch) for ch, _ in sheet_charts(path, "Sweeps")]
    assert titles and all("base weight" in t for t in titles)


def test_text_from_the_input_is_never_a_formula(tmp_path):
    ids = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+48 600", "-Gmina", "@SUM(A1:A9)", "A5"]
    rk = small_matrix_ranking(ids)
    rep = report(Problem.from_ranking(rk), samples=300, seed=0)
    path = write(rk, rep, tmp_path / "t.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    seen = 0
    for title in TITLES["en"].values():
        for row in wb[title].iter_rows():
            for c in row:
                if c.value in ids[:4]:
                    seen += 1
                    assert c.data_type == "s", (title, c.coordinate)
    assert seen >= 4 * 4  # acceptability rows, pairwise rows and columns, central weights, sweeps header …


# --- the command line ---------------------------------------------------------------------------------------

def test_cli_writes_the_appraisal_workbook_with_the_sensitivity_sheets(tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    code = main(["sensitivity", str(PACKAGE), "--samples", "2000", "--lang", "pl", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    assert {"Podsumowanie", "Wagi AHP", "Macierz", "Wkład"} <= set(wb.sheetnames)
    assert wb.sheetnames[-4:] == list(TITLES["pl"].values())
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    rk = load_package(PACKAGE).rank()
    assert len(named_cells(wb, "Weights")) == len(rk.criteria)
    # the numbers are those of the JSON report of the same run
    code = main(["sensitivity", str(PACKAGE), "--samples", "2000", "--json"])
    assert code == 0
    rep = json.loads(capsys.readouterr().out)
    rows = acceptability_rows(wb[TITLES["pl"]["acceptability"]], rep)
    m = len(rep["rank_acceptability"])
    assert {i: v[:m] for i, v in rows.items()} == rep["rank_acceptability"]
    assert chart_files(out) == 2 + len(rep["sweeps"])
    # the workbook is still a package workbook the tool reads back
    again = load_package(out).rank()
    assert again.scores() == pytest.approx(rk.scores(), abs=1e-12)


def test_cli_csv_matrix_workbook(tmp_path, capsys):
    out = tmp_path / "m.xlsx"
    code = main(["sensitivity", str(SAMPLES / "matrix.csv"), "--directions", "-,+,+,-", "--samples", "2000",
                 "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [*REPORT_TITLES["en"].values(), *TITLES["en"].values()]
    assert "Weights" in wb.defined_names and "Scores" in wb.defined_names
    assert chart_files(out) == 2 + 4  # four criteria, no groups
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
    assert got.sheetnames[-4:] == list(TITLES["pl"].values())
    # the appraisal formulas still give the engine's TOPSIS scores
    assert rk.method == "topsis"
    scores = named_cells(got, "Scores")
    by_id = {c.parent.cell(c.row, 1).value: c.value for c in scores}
    assert by_id == pytest.approx({r.id: r.score for r in rk.results}, abs=TOL)
    # … and the sensitivity numbers are still there
    rows = acceptability_rows(got[TITLES["pl"]["acceptability"]], rep)
    m = len(rep["rank_acceptability"])
    for i, v in rows.items():
        assert v[:m] == pytest.approx(rep["rank_acceptability"][i], rel=1e-14, abs=1e-15)
        assert v[m] == pytest.approx(rep["expected_rank"][i], rel=1e-14)
    st = got[TITLES["pl"]["stability"]]
    for k, (name, e) in enumerate(rep["stability"].items()):
        assert st.cell(7 + k, 1).value == name
        assert [st.cell(7 + k, c).value for c in (4, 5, 6, 7)] == pytest.approx([*e["ranking"], *e["top"]],
                                                                                 rel=1e-14)
    sw = got[TITLES["pl"]["sweeps"]]
    name, s = next(reversed(rep["sweeps"].items()))
    r = row_of(sw, name, start=HEADER_ROW + 1)
    ids = list(rep["rank_acceptability"])
    assert [sw.cell(r + 1 + i, 2).value for i in range(len(s["t"]))] == s["ranks"][ids[0]]
