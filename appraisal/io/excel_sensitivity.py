"""Sensitivity sheets added to the appraisal workbook (the report of :func:`appraisal.sensitivity.report`).

``add_sensitivity_sheets(wb, rep, lang, ranking=...)`` appends five sheets after the existing ones
(titles in the language of the workbook, :func:`sheet_titles`):

- **Sensitivity** (``Wrażliwość``): the settings of the analysis (method, samples, seed, sampler,
  engine and input hash), the critical change in one sentence, the project most often first, and
  the agreement of the method's variants (TOPSIS normalizations, WSM);
- **Acceptability** (``Akceptowalność``): the SMAA-2 rank acceptability matrix as a heat map (projects
  sorted by expected rank) with the expected rank, the 5–95 % rank interval and the confidence
  factor; the pairwise winning probabilities P(row above column); the central weights (a row per
  criterion, a column per project that is ever first);
- **Stability** (``Stabilność``): per criterion and group, the weight interval over which the
  whole ranking, the top project and the top-k set stay as they are; the criterion of the
  critical change is highlighted; below, a range ("tornado") chart of the criteria's intervals and,
  level with its bars, a bar chart of their base weights;
- **Sweeps** (``Przebiegi``): for each criterion and group, on a page of its own, a chart of every
  project's rank as its weight goes from 0 to 1 (rank 1 on top, a dashed line at the base weight)
  and, beside it, the ranking in each range of the weight;
- **Chart data** (``Dane wykresów``, hidden: numbers, not a page to print): what the charts draw
  (the tornado's bar segments, every sweep's ranks at each weight).

Criteria and groups appear by their labels in the workbook's language (from the criteria set of
``ranking``; a plain matrix's criteria are its column names), methods by their labels. Every value is
written as a number with a number format (a spreadsheet shows it with the reader's decimal comma);
text composed with numbers goes through :mod:`appraisal.numfmt`. Nothing is a formula, and nothing
here refers to the appraisal sheets, so their formulas are left as they are.

Printing: A4 landscape, one page wide; manual page breaks (:func:`paginate`) keep each table, and
each chart with its table, on one page, a table longer than a page being split into equal parts, so
that no page holds a table's last row alone. Charts are anchored to cells at both corners
(:func:`place`), so they cover the rows planned whatever the spreadsheet's fonts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, ScatterChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import Series as ChartSeries
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break

from .. import methods, numfmt
from ..criteria import i18n
from ..criteria.i18n import N_, _, pgettext
from .excel_report import HEAD, SUB, print_setup
from .xlsx import put


def sheet_titles() -> dict[str, str]:
    """The titles of the sheets added, in the current language, by role."""
    return {"summary": pgettext("sensitivity", "Sensitivity"),
            "acceptability": pgettext("sensitivity", "Acceptability"),
            "stability": pgettext("sensitivity", "Stability"),
            "sweeps": pgettext("sensitivity", "Sweeps"),
            "data": pgettext("sensitivity", "Chart data")}


#: the weight samplers, described (gettext msgids)
SAMPLERS = {"dirichlet": N_("Dirichlet around the base weights"),
            "uniform": N_("uniform on the simplex (no preference information)"),
            "ahp": N_("perturbed pairwise judgments (AHP)"),
            "panel": N_("the panel's individual experts' weights")}

#: the tornado's bar segments, left to right (a column each on the chart data sheet, after the
#: criterion and its base weight; gettext msgids)
SEGMENTS = (N_("bar start (not drawn)"), N_("top project unchanged, below the base weight"),
            N_("whole ranking unchanged, below the base weight"),
            N_("whole ranking unchanged, above the base weight"), N_("top project unchanged, above the base weight"))


def kind_label(kind: Any) -> str:
    """What a stability row or a sweep is ("criterion", "group"), as a reader reads it."""
    kinds = {"criterion": pgettext("sensitivity", "criterion"), "group": pgettext("sensitivity", "group")}
    return kinds.get(kind, str(kind or ""))


FONT = "Calibri"  # named: a font without a name is drawn in the spreadsheet's own default font
TITLE = {"font": Font(name=FONT, bold=True, size=14)}
NOTE = {"font": Font(name=FONT, italic=True, color="666666")}
WRAP_NOTE = {"font": Font(name=FONT, italic=True, color="666666"),
             "alignment": Alignment(wrap_text=True, vertical="top")}
BOLD = {"font": Font(name=FONT, bold=True)}
# a table's cells sit at the bottom of their row, the spreadsheets' default: a wrapped label ends level with
# the numbers beside it
WRAP = {"alignment": Alignment(wrap_text=True, vertical="bottom")}
WRAP_BOLD = {"font": Font(name=FONT, bold=True), "alignment": Alignment(wrap_text=True, vertical="bottom")}
LEFT = {"alignment": Alignment(horizontal="left")}
CENTER = {"alignment": Alignment(horizontal="center")}
CENTER_BOLD = {"font": Font(name=FONT, bold=True), "alignment": Alignment(horizontal="center")}
NO = {"font": Font(name=FONT, bold=True, color="9C0006"), "alignment": Alignment(horizontal="center")}
BLOCK = {**SUB, "font": Font(name=FONT, bold=True, color="1F4E79")}
CENTER_HEAD = {**HEAD, "alignment": Alignment(wrap_text=True, vertical="center", horizontal="center")}
SHARE = {"number_format": "0.000"}
NUM2 = {"number_format": "0.00"}
NUM3 = {"number_format": "0.000"}
NUM4 = {"number_format": "0.0000"}
CRITICAL_FILL = PatternFill("solid", fgColor="FCE4D6")
BASE_FILL = PatternFill("solid", fgColor="E2EFDA")
DIAGONAL_FILL = PatternFill("solid", fgColor="D9D9D9")
#: the tornado's colours: the whole ranking unchanged (dark), the top project unchanged (light); the weights
RANKING_COLOUR, TOP_COLOUR, WEIGHT_COLOUR = "1F4E79", "9DC3E6", "548235"

#: white → dark green: a rank acceptability of 0 is white, 1 is dark green
HEAT = ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                      end_type="num", end_value=1, end_color="2E7D32")
#: red ← white (even odds) → green, for P(row above column)
ODDS = ColorScaleRule(start_type="num", start_value=0, start_color="F8696B", mid_type="num", mid_value=0.5,
                      mid_color="FFFFFF", end_type="num", end_value=1, end_color="63BE7B")

ROW_PT = 15.0  # a default row (Calibri 11) in points
ROW_CM = ROW_PT / 72 * 2.54
#: the page: A4 landscape, and the margins set on these sheets (inches)
PAGE_PT = (842.0, 595.0)
MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
#: the share of a page's height the breaks plan to fill (spreadsheets differ a little in row heights)
PAGE_FILL = 0.95

#: the widest column of criteria's labels (a longer label wraps)
LABEL_WIDTH = 44
#: the Sweeps sheet: the columns under a chart and their width; the ranking table starts after a gap
CHART_COLS, CHART_COL_WIDTH = 7, 12.0
SWEEP_TABLE_COL = CHART_COLS + 2


def _col(c: int) -> str:
    return get_column_letter(c)


def _num(v: Any) -> float | int | None:
    """A number to write, or None (blank) for a missing or non-finite one."""
    if v is None or isinstance(v, bool):
        return None
    f = float(v)
    if not math.isfinite(f):
        return None
    return v


def _n4(x: Any) -> str:
    """A weight in a sentence: four decimals in the reader's language (``0,1042``)."""
    return numfmt.number(_num(x), 4)


# --- names ---------------------------------------------------------------------------------------------------

@dataclass
class _Names:
    """What a reader reads for the report's keys, in the workbook's language."""

    criteria: dict[str, str]  # criterion or group id → its label
    titles: dict[str, str]  # project id → its title
    sheets: dict[str, str]  # role → sheet title

    def of(self, key: str) -> str:
        return self.criteria.get(key) or key

    def project(self, ident: str) -> str:
        title = self.titles.get(ident)
        return f"{ident} — {title}" if title else ident


def _names(ranking: Any, lang: str) -> _Names:
    """Labels of the criteria and groups (the criteria set's, in ``lang``; else the ranking's; a plain
    matrix's criteria keep their column names) and the projects' titles."""
    labels: dict[str, str] = {}
    titles: dict[str, str] = {}
    if ranking is not None:
        for g in getattr(ranking, "weights", None) or []:
            if getattr(g, "label", None):
                labels[g.group] = g.label
        for c in getattr(ranking, "criteria", None) or []:
            if getattr(c, "label", None):
                labels[c.id] = c.label
        cs = getattr(getattr(ranking, "package", None), "criteria_set", None)
        if cs is not None:
            for g in cs.iter_groups():
                labels[g.id] = g.label.get(lang)
            for c in cs.leaves():
                labels[c.id] = c.label.get(lang)
        for r in getattr(ranking, "results", None) or []:
            if getattr(r, "title", None):
                titles[r.id] = r.title
    return _Names(labels, titles, sheet_titles())


def add_sensitivity_sheets(wb, rep, lang: str | None = None, ranking: Any = None) -> None:
    """Append the sensitivity sheets (see the module docstring) to ``wb``. ``rep``: a
    :class:`~appraisal.sensitivity.SensitivityReport` or its JSON (``to_json_dict()``); ``ranking``: the
    :class:`~appraisal.ranking.Ranking` analysed, whose criteria set names the criteria (by default the
    report's own); ``lang``: the language of the sheets (None: the current language)."""
    if ranking is None:
        ranking = getattr(rep, "ranking", None)
    if hasattr(rep, "to_json_dict"):
        rep = rep.to_json_dict()
    with i18n.use(lang):
        names = _names(ranking, i18n.current())
        t = names.sheets
        order = sorted(rep["rank_acceptability"], key=lambda i: (rep["expected_rank"][i], i))
        summary = wb.create_sheet(t["summary"])
        acc = wb.create_sheet(t["acceptability"])
        stab = wb.create_sheet(t["stability"])
        sw = wb.create_sheet(t["sweeps"])
        data = wb.create_sheet(t["data"])
        for ws in (summary, acc, stab, sw, data):
            print_setup(ws)
            ws.page_margins = MARGINS
        _summary_sheet(summary, rep, names, order)
        _acceptability_sheet(acc, rep, names, order)
        tornado = _chart_data_sheet(data, rep, names)
        _stability_sheet(stab, rep, names, tornado)
        _sweeps_sheet(sw, rep, names, tornado)


# --- printing ------------------------------------------------------------------------------------------------

def column_points(width: float | None) -> float:
    """A column ``width`` (in characters, as in the file) in points: 7 px a character and 5 px padding."""
    return 0.75 * (7.0 * (width if width is not None else 8.43) + 5.0)


def print_width(ws, last_col: int) -> float:
    """The width in points of columns A … ``last_col``."""
    dims = ws.column_dimensions
    return sum(column_points(dims[_col(c)].width if _col(c) in dims else None) for c in range(1, last_col + 1))


def page_rows_pt(width_pt: float) -> float:
    """The height of sheet (in points, unscaled) that one page holds when a sheet ``width_pt`` wide is
    scaled to one page wide: the page's height divided by the scale, of which :data:`PAGE_FILL`."""
    page_w = PAGE_PT[0] - 72 * (MARGINS.left + MARGINS.right)
    page_h = PAGE_PT[1] - 72 * (MARGINS.top + MARGINS.bottom)
    scale = min(1.0, page_w / max(width_pt, 1.0))
    return PAGE_FILL * page_h / scale


def rows_height(ws, first: int, last: int) -> float:
    """The height in points of rows ``first`` … ``last``."""
    out = 0.0
    for r in range(first, last + 1):
        h = ws.row_dimensions[r].height if r in ws.row_dimensions else None
        out += h if h is not None else ROW_PT
    return out


def paginate(ws, blocks: list[tuple[int, int]], width_pt: float, repeat_pt: float = 0.0,
             new_page: bool = False) -> list[int]:
    """Manual page breaks for ``ws`` printed one page wide (``width_pt``: the width printed). Each block
    (first row, last row; in order, not overlapping) starts a new page when it does not fit on the rest
    of the current one (``new_page``: always, but the first); a block taller than a page is split into
    equal parts, so that no page holds only a table's last rows. ``repeat_pt``: the height of the rows
    repeated at the top of each page. Returns the rows after which a page ends."""
    cap = page_rows_pt(width_pt)
    breaks: list[int] = []
    used = 0.0
    prev_end = 0
    for a, b in blocks:
        gap = rows_height(ws, prev_end + 1, a - 1) if a > prev_end + 1 else 0.0
        h = rows_height(ws, a, b)
        prev_end = b
        if used + gap + h <= cap and not (new_page and used > repeat_pt):
            used += gap + h
            continue
        if used > repeat_pt:
            breaks.append(a - 1)
        used = repeat_pt
        if used + h <= cap:
            used += h
            continue
        rows = b - a + 1
        parts = math.ceil(h / max(cap - repeat_pt, ROW_PT))
        per = math.ceil(rows / parts)
        breaks += [a - 1 + k * per for k in range(1, parts) if a - 1 + k * per < b]
        used = repeat_pt + rows_height(ws, a + (parts - 1) * per, b)
    for r in breaks:
        ws.row_breaks.append(Break(id=r))
    return breaks


def chart_rows(height_cm: float) -> int:
    """The default rows a chart ``height_cm`` tall covers."""
    return math.ceil(height_cm / ROW_CM)


def place(ws, chart, col: int, row: int, end_col: int, end_row: int) -> None:
    """Put ``chart`` over the cells from (``col``, ``row``) to before (``end_col``, ``end_row``): anchored
    at both corners, it covers the same cells in every spreadsheet, whatever its fonts make of the
    columns' widths, so that the page breaks planned in rows hold."""
    chart.anchor = TwoCellAnchor(editAs="oneCell", _from=AnchorMarker(col=col - 1, row=row - 1),
                                 to=AnchorMarker(col=end_col - 1, row=end_row - 1))
    ws.add_chart(chart)


def lines(text: Any, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide (an average
    letter is narrower than the digit a width counts, and a line breaks between words)."""
    if not isinstance(text, str) or not text:
        return 1
    return -(-len(text) // max(4, int(width * 1.1) - 1))


def fit_rows(ws) -> None:
    """Give each row with a wrapped text the height of its lines: spreadsheets do not all grow a row for
    wrapped text when they open a file, and the page breaks are planned on the rows' heights."""
    merged = ws.merged_cells
    dims = ws.column_dimensions
    for row in ws.iter_rows():
        need = 1
        for c in row:
            if isinstance(c.value, str) and c.alignment.wrap_text and c.coordinate not in merged:
                width = dims[c.column_letter].width if c.column_letter in dims else None
                need = max(need, lines(c.value, width or 8.43))
        if need > 1:
            r = row[0].row
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, ROW_PT * need)


def _title(text: str, size: int = 1100) -> Title:
    """A chart title in a modest bold font (the default is large next to a block of numbers)."""
    cp = CharacterProperties(sz=size, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=cp), r=[RegularTextRun(rPr=cp, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _fill_row(ws, r: int, first: int, last: int, style: dict) -> None:
    """Style the empty cells ``first`` … ``last`` of row ``r`` (a heading's band)."""
    for c in range(first, last + 1):
        if ws.cell(r, c).value is None:
            put(ws, r, c, None, style)


def _heads(ws, r: int, heads: list[str], first_left: bool = True, height: float = 30) -> None:
    """A header row: the first heading left, the others centred, wrapped."""
    for k, h in enumerate(heads):
        put(ws, r, 1 + k, h, HEAD if (k == 0 and first_left) else CENTER_HEAD)
    ws.row_dimensions[r].height = height


# --- Sensitivity (summary) -----------------------------------------------------------------------------------

def _summary_sheet(ws, rep: dict, names: _Names, order: list[str]) -> None:
    t = names.sheets
    width = 6
    blocks: list[tuple[int, int]] = []
    put(ws, 1, 1, pgettext("sensitivity", "Sensitivity analysis of the ranking"), TITLE)
    put(ws, 2, 1, f"{rep.get('engine', '')} · {rep.get('input_hash', '')}", NOTE)
    r = 4
    put(ws, r, 1, pgettext("sensitivity", "Settings"), SUB)
    _fill_row(ws, r, 2, 2, SUB)
    r += 1
    method = str(rep["method"])
    entry = methods.get(method) if method in methods.names() else None
    norm = rep.get("normalization")
    norm_words = methods.NORMALIZATION_WORDS.get(norm or "")
    sampler = rep.get("sampler", "")
    rows: list[tuple[str, Any, dict | None]] = [
        (pgettext("sensitivity", "Method"), entry.label_in() if entry is not None else method, None),
        (pgettext("sensitivity", "Normalization"), _(norm_words) if norm_words else (norm or "—"), None),
        (pgettext("sensitivity", "Samples (Monte Carlo)"), rep["samples"], {"number_format": "#,##0", **LEFT}),
        (pgettext("sensitivity", "Seed"), rep["seed"], LEFT),
        (pgettext("sensitivity", "Weight sampler"), _(SAMPLERS[sampler]) if sampler in SAMPLERS else sampler, None),
    ]
    if rep.get("concentration") is not None:
        rows.append((pgettext("sensitivity", "Dirichlet concentration"), rep["concentration"], LEFT))
    if rep.get("judgment_change") is not None:
        rows.append((_("Probability an AHP judgment changes"), rep["judgment_change"], LEFT))
    if "score_change" in rep:
        rows.append((_("Probability a score moves one level"), rep["score_change"], LEFT))
    if "quantity_change" in rep:
        rows.append((pgettext("sensitivity", "Change of quantities (±)"), rep["quantity_change"],
                     {"number_format": "0%", **LEFT}))
    if "top_k" in rep:
        rows.append((pgettext("sensitivity", "k (top-k set)"), rep["top_k"], LEFT))
    rows += [(pgettext("sensitivity", "Engine"), rep.get("engine", ""), None),
             (pgettext("sensitivity", "Input hash"), rep.get("input_hash", ""), None)]
    for label, value, style in rows:
        put(ws, r, 1, label, BOLD)
        put(ws, r, 2, value, style)
        r += 1
    blocks.append((1, r - 1))

    r += 1
    start = r
    put(ws, r, 1, pgettext("sensitivity", "Critical change"), SUB)
    _fill_row(ws, r, 2, width, SUB)
    r += 1
    cc = rep.get("critical_change")
    if cc is None:
        text = _("No single weight change alters the top project.")
    else:
        rel = "" if cc.get("relative") is None else _(", {share} of the base weight").format(
            share=numfmt.percent(cc["relative"]))
        text = _("The smallest change of one weight that puts another project first: {criterion} from {a} to {b} "
                 "(|Δ| = {d}{rel}). The other weights change proportionally.").format(
            criterion=names.of(cc["criterion"]), a=_n4(cc["from"]), b=_n4(cc["to"]), d=_n4(cc["absolute"]),
            rel=rel)
    put(ws, r, 1, text, WRAP)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.row_dimensions[r].height = 33
    r += 1
    if cc is not None:
        _heads(ws, r, [pgettext("sensitivity", "Criterion"), pgettext("sensitivity", "Base weight"),
                       pgettext("sensitivity", "New weight"), "|Δ|", pgettext("sensitivity", "Relative change")])
        r += 1
        put(ws, r, 1, names.of(cc["criterion"]), WRAP)
        put(ws, r, 2, _num(cc["from"]), NUM4)
        put(ws, r, 3, _num(cc["to"]), NUM4)
        put(ws, r, 4, _num(cc["absolute"]), NUM4)
        put(ws, r, 5, _num(cc.get("relative")), {"number_format": "0.0%"})
        r += 1

    r += 1
    put(ws, r, 1, pgettext("sensitivity", "At a glance"), SUB)
    _fill_row(ws, r, 2, width, SUB)
    r += 1
    if order:
        best = max(order, key=lambda i: rep["rank_acceptability"][i][0])
        conf = rep.get("confidence", {}).get(best)
        put(ws, r, 1, _("Most often first: {project} ({share} of the samples, confidence factor {confidence}).").format(
            project=names.project(best), share=numfmt.percent(rep["rank_acceptability"][best][0]),
            confidence=numfmt.number(conf, 2)))
        r += 1
    put(ws, r, 1, _("Details: the {a}, {s} and {w} sheets.").format(
        a=t["acceptability"], s=t["stability"], w=t["sweeps"]), NOTE)
    blocks.append((start, r))
    r += 2

    start = r
    put(ws, r, 1, _("Agreement of the methods at the base weights"), SUB)
    _fill_row(ws, r, 2, width, SUB)
    r += 1
    _heads(ws, r, [pgettext("sensitivity", "Methods"), pgettext("sensitivity", "Spearman ρ"),
                   pgettext("sensitivity", "Kendall τ"), pgettext("sensitivity", "Same ranking"),
                   pgettext("sensitivity", "Same top")])
    r += 1
    per_method: dict[str, list] = {}
    for p in rep.get("method_robustness") or []:
        put(ws, r, 1, f"{methods.variant_label(p['a'])} — {methods.variant_label(p['b'])}", WRAP)
        put(ws, r, 2, _num(p["spearman"]), NUM3)
        put(ws, r, 3, _num(p["kendall"]), NUM3)
        for c, key in ((4, "same_ranking"), (5, "same_top")):
            if key in p:
                ok = bool(p[key])
                put(ws, r, c, pgettext("sensitivity", "yes") if ok else pgettext("sensitivity", "NO"),
                    CENTER if ok else NO)
        ranks = p.get("ranks") or {}
        for side in ("a", "b"):
            if side in ranks:
                per_method.setdefault(p[side], ranks[side])
        r += 1
    blocks.append((start, r - 1))
    ids = list(rep["rank_acceptability"])
    if per_method and all(len(v) == len(ids) for v in per_method.values()):
        r += 1
        start = r
        meths = list(per_method)
        put(ws, r, 1, pgettext("sensitivity", "Ranks by method"), SUB)
        _fill_row(ws, r, 2, 1 + len(meths), SUB)
        r += 1
        _heads(ws, r, [pgettext("sensitivity", "Project"), *(methods.variant_label(m) for m in meths)])
        r += 1
        pos = {i: k for k, i in enumerate(ids)}
        for i in sorted(ids, key=lambda i: (per_method[meths[0]][pos[i]], i)):
            put(ws, r, 1, names.project(i), WRAP)
            for k, mname in enumerate(meths):
                put(ws, r, 2 + k, _num(per_method[mname][pos[i]]), CENTER)
            r += 1
        blocks.append((start, r - 1))
        width = max(width, 1 + len(meths))
    ws.column_dimensions["A"].width = 64
    ws.column_dimensions["B"].width = 20
    for c in range(3, width + 1):
        ws.column_dimensions[_col(c)].width = 18
    ws.freeze_panes = "A4"
    fit_rows(ws)
    paginate(ws, blocks, print_width(ws, width))


# --- Acceptability -------------------------------------------------------------------------------------------

def _acceptability_sheet(ws, rep: dict, names: _Names, order: list[str]) -> None:
    m = len(order)
    put(ws, 1, 1, pgettext("sensitivity", "Rank acceptability (SMAA-2)"), TITLE)
    put(ws, 2, 1, _("Share of the samples giving a project each rank (tied projects share the ranks equally); "
                    "projects sorted by expected rank."), NOTE)
    # header: ID | Rank (1 … m) | expected | 5 % | 95 % | confidence
    put(ws, 4, 1, pgettext("sensitivity", "ID"), CENTER_HEAD)
    put(ws, 5, 1, "", CENTER_HEAD)
    ws.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
    put(ws, 4, 2, pgettext("sensitivity", "Rank"), CENTER_HEAD)
    for c in range(3, 2 + m):
        put(ws, 4, c, "", CENTER_HEAD)
    if m > 1:
        ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=1 + m)
    for k in range(m):
        put(ws, 5, 2 + k, k + 1, CENTER_HEAD)
    extra = 2 + m
    for k, h in enumerate([pgettext("sensitivity", "Expected rank"), pgettext("sensitivity", "Rank 5 %"),
                           pgettext("sensitivity", "Rank 95 %"), pgettext("sensitivity", "Confidence factor")]):
        put(ws, 4, extra + k, h, CENTER_HEAD)
        put(ws, 5, extra + k, "", CENTER_HEAD)
        ws.merge_cells(start_row=4, start_column=extra + k, end_row=5, end_column=extra + k)
    first = 6
    for k, ident in enumerate(order):
        row = first + k
        put(ws, row, 1, ident, BOLD)
        for j, v in enumerate(rep["rank_acceptability"][ident]):
            put(ws, row, 2 + j, _num(v), SHARE)
        put(ws, row, extra, _num(rep["expected_rank"][ident]), NUM2)
        lo, hi = rep["rank_interval_5_95"][ident]
        put(ws, row, extra + 1, _num(lo), CENTER)
        put(ws, row, extra + 2, _num(hi), CENTER)
        put(ws, row, extra + 3, _num(rep.get("confidence", {}).get(ident)), NUM2)
    last = first + m - 1
    if m:
        ws.conditional_formatting.add(f"B{first}:{_col(1 + m)}{last}", HEAT)
    ws.row_dimensions[4].height = 20
    ws.row_dimensions[5].height = 20
    blocks = [(1, last)]

    # pairwise winning probabilities
    r = last + 3
    start = r
    put(ws, r, 1, _("Probability that the project in the row ranks above the project in the column"), SUB)
    _fill_row(ws, r, 2, 1 + m, SUB)
    r += 1
    put(ws, r, 1, pgettext("sensitivity", "ID"), CENTER_HEAD)
    for k, ident in enumerate(order):
        put(ws, r, 2 + k, ident, CENTER_HEAD)
    p0 = r + 1
    pw = rep.get("pairwise_winning", {})
    for k, a in enumerate(order):
        row = p0 + k
        put(ws, row, 1, a, BOLD)
        for j, b in enumerate(order):
            if a == b:
                put(ws, row, 2 + j, None, {"fill": DIAGONAL_FILL})
            else:
                put(ws, row, 2 + j, _num(pw.get(a, {}).get(b)), SHARE)
    if m:
        ws.conditional_formatting.add(f"B{p0}:{_col(1 + m)}{p0 + m - 1}", ODDS)
    blocks.append((start, p0 + m - 1))

    # central weights: a row per criterion, a column per project that is ever first
    r = p0 + m + 2
    start = r
    base = rep.get("base_weights") or {}
    central = rep.get("central_weights", {})
    crit = list(base) or next((list(cw) for cw in central.values() if cw), [])
    firsts = [i for i in order if central.get(i) is not None]
    never = [i for i in order if central.get(i) is None]
    put(ws, r, 1, _("Central weights: the mean weights of the samples in which the project is first"), SUB)
    _fill_row(ws, r, 2, max(2 + len(firsts), 1 + m), SUB)
    r += 1
    _heads(ws, r, [pgettext("sensitivity", "Criterion"), pgettext("sensitivity", "Base weight"), *firsts])
    r += 1
    for c in crit:
        label = names.of(c)
        put(ws, r, 1, label, WRAP if len(label) > LABEL_WIDTH - 2 else None)
        put(ws, r, 2, _num(base.get(c)), {**NUM4, "font": Font(name=FONT, italic=True)})
        for j, ident in enumerate(firsts):
            put(ws, r, 3 + j, _num(central[ident].get(c)), NUM4)
        r += 1
    if never:
        put(ws, r, 1, _("Never first: {projects}.").format(projects=", ".join(never)), NOTE)
        r += 1
    blocks.append((start, r - 1))

    label_width = max([len(names.of(c)) for c in crit] or [0])
    ws.column_dimensions["A"].width = max([10, *(len(str(i)) + 3 for i in order), min(label_width + 2, LABEL_WIDTH)])
    width = max(9, min(14, max((len(str(i)) + 2 for i in order), default=9)))
    last_col = max(2 + m, 2 + len(firsts))
    for c in range(2, last_col + 1):
        ws.column_dimensions[_col(c)].width = width
    for k in range(4):
        ws.column_dimensions[_col(extra + k)].width = 13
    ws.freeze_panes = "B6"
    fit_rows(ws)
    paginate(ws, blocks, print_width(ws, max(last_col, extra + 3)))


# --- Chart data ----------------------------------------------------------------------------------------------

@dataclass
class _ChartData:
    """Where the charts' numbers are on the chart data sheet: the tornado's header row and its rows (one
    per criterion), and each sweep's header row and last row."""

    header: int
    first: int
    last: int
    sweeps: dict[str, tuple[int, int]]


def segments(e: dict) -> list[float]:
    """The tornado's segments of one criterion's stability entry (:data:`SEGMENTS`): the bar starts where
    its top project starts to hold; light to where the whole ranking holds; dark to the base weight and
    on to where the ranking stops holding; light to where the top project changes."""
    base = float(e.get("base") or 0.0)

    def side(key: str, k: int) -> float:
        v = _num((e.get(key) or [None, None])[k])
        return base if v is None else float(v)

    r_lo, r_hi = min(side("ranking", 0), base), max(side("ranking", 1), base)
    t_lo, t_hi = min(side("top", 0), r_lo), max(side("top", 1), r_hi)
    return [t_lo, r_lo - t_lo, base - r_lo, r_hi - base, t_hi - r_hi]


def _chart_data_sheet(ws, rep: dict, names: _Names) -> _ChartData:
    """The numbers the charts draw: the tornado's segments per criterion, then each sweep's ranks."""
    t = names.sheets
    put(ws, 1, 1, pgettext("sensitivity", "Chart data"), TITLE)
    put(ws, 2, 1, _("The numbers drawn by the charts of the {stability} and {sweeps} sheets.").format(
        stability=t["stability"], sweeps=t["sweeps"]), NOTE)
    hr = 4
    _heads(ws, hr, [pgettext("sensitivity", "Criterion"), pgettext("sensitivity", "Base weight"),
                    *(_(seg) for seg in SEGMENTS)], height=45)
    r = hr + 1
    for name, e in rep.get("stability", {}).items():
        if e.get("kind") != "criterion":
            continue
        put(ws, r, 1, names.of(name), WRAP)
        put(ws, r, 2, _num(e.get("base")), NUM4)
        for k, v in enumerate(segments(e)):
            put(ws, r, 3 + k, v, NUM4)
        r += 1
    data = _ChartData(hr, hr + 1, r - 1, {})
    blocks = [(1, max(r - 1, hr))]

    sweeps = rep.get("sweeps") or {}
    ids = list(next(iter(sweeps.values()))["ranks"]) if sweeps else []
    m = len(ids)
    hx = m + 3  # the base-weight line's two points: x (the base weight) and y (rank 1 and rank m)
    r += 1
    for name, s in sweeps.items():
        put(ws, r, 1, names.of(name), BLOCK)
        put(ws, r, 2, _("{kind} · base weight {base}").format(kind=kind_label(s.get("kind")), base=_n4(s["base"])),
            SUB)
        _fill_row(ws, r, 3, 1 + m, SUB)
        start, head = r, r + 1
        put(ws, head, 1, pgettext("sensitivity", "t (weight)"), HEAD)
        for k, ident in enumerate(ids):
            put(ws, head, 2 + k, ident, CENTER_HEAD)
        put(ws, head, hx, pgettext("sensitivity", "base weight"), NOTE)
        put(ws, head, hx + 1, pgettext("sensitivity", "Rank"), NOTE)
        d0 = head + 1
        tt = list(s["t"])
        for i, tv in enumerate(tt):
            put(ws, d0 + i, 1, _num(tv), NUM2)
        for k, ident in enumerate(ids):
            for i, v in enumerate(s["ranks"].get(ident, [])):
                put(ws, d0 + i, 2 + k, _num(v))
        for i, y in enumerate((1, max(m, 2))):
            put(ws, d0 + i, hx, float(s["base"]), {**NUM4, **NOTE})
            put(ws, d0 + i, hx + 1, y, NOTE)
        end = d0 + len(tt) - 1
        data.sweeps[name] = (head, end)
        blocks.append((start, end))
        r = end + 2
    ws.column_dimensions["A"].width = min(44, max([14, *(len(names.of(n)) + 2 for n in rep.get("stability", {}))]))
    for c in range(2, 8):
        ws.column_dimensions[_col(c)].width = 14
    for k, ident in enumerate(ids):
        if 2 + k >= 8:
            ws.column_dimensions[_col(2 + k)].width = max(6, min(14, len(str(ident)) + 2))
    if m:
        ws.column_dimensions[_col(hx)].width = 14
    ws.freeze_panes = "B5"
    fit_rows(ws)
    paginate(ws, blocks, print_width(ws, max(7, hx + 1 if m else 7)))
    ws.sheet_state = "hidden"  # numbers for the charts, not a page to print; a spreadsheet shows it on request
    return data


# --- Stability -----------------------------------------------------------------------------------------------

STABILITY_COLUMNS = (("ranking", 0), ("ranking", 1), ("top", 0), ("top", 1), ("top_k", 0), ("top_k", 1),
                     ("top_changes_at", 0), ("top_changes_at", 1))


def _stability_sheet(ws, rep: dict, names: _Names, data: _ChartData) -> None:
    cc = rep.get("critical_change")
    crit_name = cc["criterion"] if cc else None
    put(ws, 1, 1, pgettext("sensitivity", "Weight stability intervals"), TITLE)
    put(ws, 2, 1, _("One criterion's (or group's) weight goes from 0 to 1, the others scale proportionally. "
                    "The interval around the base weight over which the whole ranking, the top project and "
                    "the top-k set stay as they are (to 1e-5)."), WRAP_NOTE)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=11)
    ws.row_dimensions[2].height = 32
    if crit_name is not None:
        put(ws, 3, 1, _("Highlighted: the criterion of the critical change, {criterion}.").format(
            criterion=names.of(crit_name)), {"font": Font(name=FONT, italic=True, color="9C0006")})
    hr = 5
    for c, h in ((1, pgettext("sensitivity", "Criterion / group")), (2, pgettext("sensitivity", "Kind")),
                 (3, pgettext("sensitivity", "Base weight"))):
        put(ws, hr, c, h, CENTER_HEAD)
        put(ws, hr + 1, c, "", CENTER_HEAD)
        ws.merge_cells(start_row=hr, start_column=c, end_row=hr + 1, end_column=c)
    k = rep.get("top_k", 3)
    groups = [pgettext("sensitivity", "Whole ranking"), pgettext("sensitivity", "Top project"),
              pgettext("sensitivity", "Top {k}").format(k=k), pgettext("sensitivity", "Top project changes at weight")]
    for g, h in enumerate(groups):
        c = 4 + 2 * g
        put(ws, hr, c, h, CENTER_HEAD)
        put(ws, hr, c + 1, "", CENTER_HEAD)
        ws.merge_cells(start_row=hr, start_column=c, end_row=hr, end_column=c + 1)
        if g == 3:
            lo, hi = pgettext("sensitivity", "below"), pgettext("sensitivity", "above")
        else:
            lo, hi = pgettext("sensitivity", "from"), pgettext("sensitivity", "to")
        put(ws, hr + 1, c, lo, CENTER_HEAD)
        put(ws, hr + 1, c + 1, hi, CENTER_HEAD)
    ws.row_dimensions[hr].height = 32
    row = hr + 2
    for name, e in rep.get("stability", {}).items():
        label = names.of(name)
        put(ws, row, 1, label, WRAP_BOLD if len(label) > LABEL_WIDTH - 2 else BOLD)
        kind = e.get("kind", "")
        put(ws, row, 2, kind_label(kind))
        put(ws, row, 3, _num(e.get("base")), NUM4)
        for c, (key, side) in enumerate(STABILITY_COLUMNS, start=4):
            pair = e.get(key) or [None, None]
            put(ws, row, c, _num(pair[side]), NUM4)
        if name == crit_name and kind == "criterion":
            for c in range(1, 12):
                ws.cell(row, c).fill = CRITICAL_FILL
                ws.cell(row, c).font = Font(name=FONT, bold=True, color="9C0006")
        row += 1
    last = row - 1
    labels = [names.of(n) for n in rep.get("stability", {})]
    ws.column_dimensions["A"].width = min(LABEL_WIDTH, max([20, *(len(x) + 2 for x in labels)]))
    ws.column_dimensions["B"].width = 12
    for c in range(3, 12):
        ws.column_dimensions[_col(c)].width = 11
    ws.freeze_panes = f"B{hr + 2}"
    fit_rows(ws)
    width = print_width(ws, 11)

    blocks = [(1, last)]
    n = data.last - data.first + 1
    if n > 0:
        top = last + 3
        put(ws, top, 1, pgettext("sensitivity", "Stability intervals of the criteria weights"), SUB)
        _fill_row(ws, top, 2, 11, SUB)
        put(ws, top + 1, 1, _("Each bar: the weights of one criterion at which the project on top stays the "
                              "same (light) and the whole ranking stays the same (dark); the white line is the "
                              "base weight. Right: the base weights."), WRAP_NOTE)
        ws.merge_cells(start_row=top + 1, start_column=1, end_row=top + 1, end_column=11)
        ws.row_dimensions[top + 1].height = 30
        rows = chart_rows(max(7.0, min(24.0, 2.5 + 0.7 * n)))
        sheet = quote_sheetname(names.sheets["data"])
        cats = f"{sheet}!$A${data.first}:$A${data.last}"
        place(ws, _tornado_chart(sheet, data, cats), 1, top + 2, 8, top + 2 + rows)
        place(ws, _weights_chart(sheet, data, cats), 8, top + 2, 12, top + 2 + rows)
        blocks.append((top, top + 2 + rows))
    if rows_height(ws, 1, last) > page_rows_pt(width):  # the table itself takes more than a page
        ws.print_title_rows = f"{hr}:{hr + 1}"
        paginate(ws, blocks, width, rows_height(ws, hr, hr + 1))
    else:
        paginate(ws, blocks, width)


def _bar_chart(title: str) -> BarChart:
    """A horizontal bar chart, one bar per criterion (the first on top), weights along the bottom, no legend."""
    chart = BarChart()
    chart.type = "bar"
    chart.style = 2
    chart.title = _title(title)
    chart.x_axis.scaling.orientation = "maxMin"  # the first criterion on top
    chart.y_axis.crosses = "max"  # … and the weight axis at the bottom
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorUnit = 0.1
    chart.y_axis.number_format = "0.0"
    chart.y_axis.majorGridlines = None
    chart.y_axis.title = pgettext("sensitivity", "weight")
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.gapWidth = 60
    chart.legend = None
    return chart


def _tornado_chart(sheet: str, data: _ChartData, cats: str) -> BarChart:
    """One bar per criterion over the weights (0 … 1) that keep the top project (light) and the whole
    ranking (dark), stacked on an undrawn start; the white line in the dark part is the base weight."""
    chart = _bar_chart(pgettext("sensitivity", "Stability intervals"))
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.y_axis.scaling.max = 1
    for k, colour in enumerate((None, TOP_COLOUR, RANKING_COLOUR, RANKING_COLOUR, TOP_COLOUR)):
        col = _col(3 + k)
        s = ChartSeries(val=NumDataSource(numRef=NumRef(f=f"{sheet}!${col}${data.first}:${col}${data.last}")),
                        cat=AxDataSource(strRef=StrRef(f=cats)),
                        tx=SeriesLabel(strRef=StrRef(f=f"{sheet}!${col}${data.header}")))
        if colour is None:
            s.graphicalProperties = GraphicalProperties(noFill=True, ln=LineProperties(noFill=True))
        else:
            s.graphicalProperties = GraphicalProperties(solidFill=colour,
                                                        ln=LineProperties(solidFill="FFFFFF", w=12700))
        chart.series.append(s)
    return chart


def _weights_chart(sheet: str, data: _ChartData, cats: str) -> BarChart:
    """The criteria's base weights, a bar each, beside the tornado and level with its bars (the same
    height, title size and bottom axis; the criteria named once, by the tornado)."""
    chart = _bar_chart(pgettext("sensitivity", "Base weights"))
    chart.series.append(ChartSeries(
        val=NumDataSource(numRef=NumRef(f=f"{sheet}!$B${data.first}:$B${data.last}")),
        cat=AxDataSource(strRef=StrRef(f=cats)), tx=SeriesLabel(strRef=StrRef(f=f"{sheet}!$B${data.header}")),
        spPr=GraphicalProperties(solidFill=WEIGHT_COLOUR)))
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False, showLegendKey=False,
                                     showPercent=False, numFmt="0.000")
    chart.x_axis.delete = True
    return chart


# --- Sweeps --------------------------------------------------------------------------------------------------

def ranking_ranges(s: dict, ids: list[str]) -> list[tuple[float, float, list[str]]]:
    """A sweep's ranking in each range of the weight t: (first t, last t, the projects best first) for
    each run of sweep points at which no rank changes."""
    out: list[tuple[float, float, list[str]]] = []
    prev = None
    for i, tv in enumerate(s["t"]):
        ranks = tuple(s["ranks"][ident][i] for ident in ids)
        if ranks != prev:
            order = [ids[k] for k in sorted(range(len(ids)), key=lambda k: (ranks[k], k))]
            out.append((float(tv), float(tv), order))
            prev = ranks
        else:
            out[-1] = (out[-1][0], float(tv), out[-1][2])
    return out


def _sweeps_sheet(ws, rep: dict, names: _Names, data: _ChartData) -> None:
    sweeps = rep.get("sweeps") or {}
    put(ws, 1, 1, _("Sweeps: each project's rank as one weight goes from 0 to 1"), TITLE)
    put(ws, 2, 1, _("One criterion's (group's) weight = t, the others scale proportionally to (1 − t). "
                    "On the charts rank 1 is on top; the vertical line is the base weight. Beside each chart: "
                    "the ranking in each range of the weight (the base weight's range in bold)."), WRAP_NOTE)
    if not sweeps:
        put(ws, 4, 1, _("The report has no sweeps."))
        return
    ids = list(next(iter(sweeps.values()))["ranks"])
    m = len(ids)
    c0 = SWEEP_TABLE_COL
    last_col = c0 + 1 + m
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.row_dimensions[2].height = 30
    for c in range(1, CHART_COLS + 1):
        ws.column_dimensions[_col(c)].width = CHART_COL_WIDTH
    ws.column_dimensions[_col(CHART_COLS + 1)].width = 2
    ws.column_dimensions[_col(c0)].width = 9
    ws.column_dimensions[_col(c0 + 1)].width = 9
    for k in range(m):
        ws.column_dimensions[_col(c0 + 2 + k)].width = max(5, min(12, max(len(str(i)) for i in ids) + 2))
    rows = chart_rows(12.0 if m <= 20 else 14.5)  # the legend lists every project
    sheet = quote_sheetname(names.sheets["data"])
    blocks: list[tuple[int, int]] = []
    r = 4
    for name, s in sweeps.items():
        heading = _("{name} ({kind}, base weight {base})").format(name=names.of(name), kind=kind_label(s.get("kind")),
                                                                  base=_n4(s["base"]))
        put(ws, r, 1, heading, BLOCK)
        _fill_row(ws, r, 2, last_col, SUB)
        head, end = data.sweeps[name]
        place(ws, _sweep_chart(sheet, heading, head, end, m), 1, r + 1, CHART_COLS + 1, r + 1 + rows)
        # the ranking in each range of the weight, the base weight's in bold
        _heads_at(ws, r + 1, c0, [pgettext("sensitivity", "Weight from"), pgettext("sensitivity", "Weight to"),
                                  *range(1, m + 1)])
        row = r + 2
        ranges = ranking_ranges(s, ids)
        base = float(s["base"])
        holding = max((k for k, (lo, _hi, _o) in enumerate(ranges) if lo <= base + 1e-12), default=0)
        for k, (lo, hi, order) in enumerate(ranges):
            bold = k == holding
            put(ws, row, c0, lo, {**NUM2, **BOLD} if bold else NUM2)
            put(ws, row, c0 + 1, hi, {**NUM2, **BOLD} if bold else NUM2)
            for j, ident in enumerate(order):
                put(ws, row, c0 + 2 + j, ident, CENTER_BOLD if bold else CENTER)
            if bold:
                for c in range(c0, last_col + 1):
                    ws.cell(row, c).fill = BASE_FILL
            row += 1
        end_row = max(r + rows, row - 1)
        blocks.append((r if blocks else 1, end_row))  # the sheet's title goes with the first sweep
        r = end_row + 2
    ws.freeze_panes = "A4"
    paginate(ws, blocks, print_width(ws, last_col), new_page=True)  # a sweep a page


def _heads_at(ws, r: int, c0: int, heads: list[Any]) -> None:
    """A header row from column ``c0``, centred and wrapped."""
    for k, h in enumerate(heads):
        put(ws, r, c0 + k, h, CENTER_HEAD)
    ws.row_dimensions[r].height = 30


def _sweep_chart(sheet: str, heading: str, head: int, end: int, m: int) -> ScatterChart:
    """Rank (y, 1 on top) against the weight t (x, 0 … 1), a line per project, and the base weight; the
    numbers are on the chart data sheet (a sweep's header row ``head``, its points to row ``end``)."""
    d0 = head + 1
    hx = m + 3
    chart = ScatterChart()
    chart.title = _title(heading)
    chart.style = 2
    chart.scatterStyle = "lineMarker"
    chart.x_axis.title = pgettext("sensitivity", "t (weight)")
    chart.y_axis.title = pgettext("sensitivity", "Rank")
    chart.x_axis.scaling.min = 0
    chart.x_axis.scaling.max = 1
    chart.x_axis.majorUnit = 0.1
    chart.x_axis.number_format = "0.0"
    chart.y_axis.scaling.min = 1
    chart.y_axis.scaling.max = max(m, 2)
    chart.y_axis.scaling.orientation = "maxMin"
    chart.y_axis.majorUnit = 1 if m <= 20 else math.ceil(m / 10)
    chart.y_axis.number_format = "0"
    chart.x_axis.axPos = "b"
    chart.x_axis.crosses = "max"  # y runs max → min, so the t axis sits at the bottom (the last rank)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    xref = f"{sheet}!$A${d0}:$A${end}"
    for k in range(m):
        col = _col(2 + k)
        chart.series.append(XYSeries(
            xVal=AxDataSource(numRef=NumRef(f=xref)),
            yVal=NumDataSource(numRef=NumRef(f=f"{sheet}!${col}${d0}:${col}${end}")),
            tx=SeriesLabel(strRef=StrRef(f"{sheet}!${col}${head}")), marker=Marker(symbol="none"), smooth=False,
            spPr=GraphicalProperties(ln=LineProperties(w=22225))))  # 1.75 pt
    # the base weight: a vertical dashed line from rank 1 to rank m (its two points are beside the sweep)
    chart.series.append(XYSeries(
        tx=SeriesLabel(strRef=StrRef(f"{sheet}!${_col(hx)}${head}")),
        xVal=AxDataSource(numRef=NumRef(f=f"{sheet}!${_col(hx)}${d0}:${_col(hx)}${d0 + 1}")),
        yVal=NumDataSource(numRef=NumRef(f=f"{sheet}!${_col(hx + 1)}${d0}:${_col(hx + 1)}${d0 + 1}")),
        marker=Marker(symbol="none"), smooth=False,
        spPr=GraphicalProperties(ln=LineProperties(solidFill="000000", prstDash="dash", w=15875))))
    chart.legend.position = "r"
    return chart


__all__ = ["add_sensitivity_sheets", "kind_label", "paginate", "ranking_ranges", "segments", "sheet_titles"]
