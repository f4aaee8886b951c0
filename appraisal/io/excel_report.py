"""The appraisal workbook: the package's own sheets plus the results, with live formulas.

``write_appraisal_workbook(ranking, path, lang)`` writes, in ``lang`` (None: the current language):

- the input sheets of the package (:mod:`appraisal.io.package_workbook`), so the workbook can be
  read back by ``appraise rank``;
- **Summary**: rank, project, TOPSIS and WSM scores and ranks, eligibility (with the failed
  gates), cost and funding, a colour scale and a native bar chart of the scores — of the selection
  card's points when the package has a card;
- **Selection card** (a package whose criteria set has a card): each project's points per criterion
  under the criteria's maxima and minima, the merit points against the threshold, the bonus points, the
  total, whether the project passes the card and, when it does not, why;
- **AHP weights**: each group's pairwise grid with λmax, CI, CR and a consistency flag, local
  weights, then the criteria's global weights — the cells named ``Weights``;
- **Matrix**: raw values, normalised values, weighted values, ideal and anti-ideal, the
  distances, the TOPSIS scores (named ``Scores``), the oriented min-max values and the WSM
  scores, and the ranks — all as formulas over the ``Weights`` cells, so changing a weight in
  Excel recomputes every score and rank (and multiplying all weights by one factor changes
  nothing, as they are divided by their sum);
- **Breakdown**: each criterion's contribution w·r to each project's weighted sum, with a
  stacked bar chart.

The formulas follow docs/design.md#ranks and #topsis exactly (ties: 1 + how many score higher by > 1e-12),
so a spreadsheet's values equal the engine's to rounding.

Every word on the sheets is a gettext message (English in the code, Polish in
``criteria/locale/pl/LC_MESSAGES/workbooks.po``); criteria, groups and gates appear by their labels in
the workbook's language (a plain matrix's criteria by its column names), methods by their labels. Every
data row is top-aligned, so a wrapped title stays level with its row's numbers; columns are as wide as
what they hold and rows as tall as their wrapped text (:func:`appraisal.io.xlsx_rows.fit_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from .. import ahp, methods, numfmt
from ..criteria import i18n
from ..criteria.i18n import _, pgettext
from .package_workbook.layout import FONT_NAME, ByLanguage
from .xlsx import formula, put, save_atomic
from .xlsx_rows import column_width, fit_columns, fit_rows, keep_together, page_rows_height, text_width


def _titles() -> dict[str, str]:
    """The titles of the four sheets every appraisal workbook has, in the current language."""
    return {"summary": pgettext("appraisal sheet", "Summary"), "ahp": pgettext("appraisal sheet", "AHP weights"),
            "matrix": pgettext("appraisal sheet", "Matrix"), "breakdown": pgettext("appraisal sheet", "Breakdown")}


def _other_titles() -> dict[str, str]:
    """The titles of the sheets some workbooks have: the selection card, the portfolio."""
    return {"card": pgettext("appraisal sheet", "Selection card"),
            "portfolio": pgettext("appraisal sheet", "Portfolio")}


#: the sheet titles by language, ``TITLES["pl"]["summary"]`` (translated when asked for)
TITLES = ByLanguage(_titles)
OTHER_TITLES = ByLanguage(_other_titles)


def _words() -> dict[str, str]:
    """The words on the result sheets, in the current language."""
    return {
        "rank": pgettext("appraisal sheet", "Rank"), "id": pgettext("appraisal sheet", "ID"),
        "title": pgettext("appraisal sheet", "Project"),
        "topsis": pgettext("appraisal sheet", "TOPSIS score"), "rank_topsis": pgettext("appraisal sheet", "TOPSIS rank"),
        "wsm": pgettext("appraisal sheet", "WSM score"), "rank_wsm": pgettext("appraisal sheet", "WSM rank"),
        "eligible": pgettext("appraisal sheet", "Eligible"), "yes": pgettext("appraisal sheet", "yes"),
        "no": pgettext("appraisal sheet", "no"), "cost": pgettext("appraisal sheet", "Cost (PLN)"),
        "funding": pgettext("appraisal sheet", "Funding"), "points": pgettext("appraisal sheet", "Points (card)"),
        "passed": pgettext("appraisal sheet", "Passes the card"),
        "raw": pgettext("appraisal sheet", "Values"), "weighted": pgettext("appraisal sheet", "Weighted values"),
        "ideal": pgettext("appraisal sheet", "Ideal A⁺"), "anti": pgettext("appraisal sheet", "Anti-ideal A⁻"),
        "direction": pgettext("appraisal sheet", "Direction"),
        "weight": pgettext("appraisal sheet", "Weight (normalised)"),
        "minmax": pgettext("appraisal sheet", "Min-max values (for WSM)"),
        "criterion": pgettext("appraisal sheet", "Criterion"), "group": pgettext("appraisal sheet", "Group"),
        "global": pgettext("appraisal sheet", "Global weight"), "local": pgettext("appraisal sheet", "Local weight"),
        "consistent": pgettext("appraisal sheet", "consistent"),
        "inconsistent": pgettext("appraisal sheet", "INCONSISTENT"),
        "benefit": pgettext("appraisal sheet", "benefit"), "cost_dir": pgettext("appraisal sheet", "cost"),
        "expert_weight": pgettext("appraisal sheet", "Expert weight"),
        "weights_note": _("Change the global weights below (the cells named Weights): the scores and ranks on the "
                          "Matrix, Summary and Breakdown sheets recompute. Weights are divided by their sum."),
        "breakdown_note": _("Contribution = weight × min-max value (0 worst … 1 best); the sum is the WSM score."),
        "attainment_note": _("Contribution = weight × the criterion's value on the criteria set's yardstick (its "
                             "scale's level or its reference levels: neutral 0, good 1), whatever the other "
                             "projects; the sum is the attainment (as in the opinions)."),
        "attainment": pgettext("appraisal sheet", "Attainment"),
        "pairwise": _("pairwise comparisons (AHP)"), "direct": _("direct weights"), "equal": _("equal weights"),
        "experts": pgettext("appraisal sheet", "Experts"),
        "scores_chart": pgettext("appraisal sheet", "TOPSIS scores"),
        "points_chart": pgettext("appraisal sheet", "Selection card points"),
        "points_axis": pgettext("appraisal sheet", "points"),
        "breakdown_chart": pgettext("appraisal sheet", "Criteria contributions"),
        "own_score": pgettext("appraisal sheet", "{m} score"), "own_rank": pgettext("appraisal sheet", "{m} rank"),
        "values_note": _("{m} ranks and scores written as values (no live formulas for this method; the formulas "
                         "compute TOPSIS and WSM)"),
        "method_line": _("Method: {method}; compared with: {others}"),
        "method_alone": _("Method: {method}"),
        "matrix_line": _("Live formulas: {topsis}; {wsm}"),
        "normalized": _("Normalised values: {method}"),
        "not_eligible": _("no: {gates}"),
        "card_title": _("{partnership}: selection card"),
        "card_rules": _("Merit points: at most {most}; threshold: {threshold}. A project passes the card when it "
                        "reaches every criterion's minimum and the threshold."),
        "no_threshold": pgettext("appraisal sheet", "none"),
        "bonus_rule": _("Bonus points (at most {most}) are added to the merit points of the projects that pass "
                        "the card."),
        "bonus_rule_all": _("Bonus points (at most {most}) are added to every project's merit points."),
        "card_note": _("The sums, the total and whether a project passes are formulas over the points: change a "
                       "project's points and they recompute. The reasons are those of the scored package."),
        "card_rank": pgettext("appraisal sheet", "Rank (card)"),
        "merit": pgettext("appraisal sheet", "Merit points"),
        "bonus": pgettext("appraisal sheet", "Bonus points"),
        "bonus_of": pgettext("appraisal sheet", "Bonus: {label}"),
        "total": pgettext("appraisal sheet", "Total"),
        "why_not": pgettext("appraisal sheet", "Why it does not pass"),
        "most": pgettext("appraisal sheet", "most points"),
        "minimum": pgettext("appraisal sheet", "minimum (threshold)"),
        "gates_failed": _("does not meet the gates: {gates}"),
    }


BOLD = Font(name=FONT_NAME, bold=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
NOTE = Font(name=FONT_NAME, italic=True, color="595959")
GREY = Font(name=FONT_NAME, italic=True, color="808080", size=9)
HEAD = {"font": Font(name=FONT_NAME, bold=True, color="FFFFFF"), "fill": PatternFill("solid", fgColor="1F4E79"),
        "alignment": Alignment(wrap_text=True, vertical="center")}
SUB = {"font": Font(name=FONT_NAME, bold=True), "fill": PatternFill("solid", fgColor="D9E1F2")}
#: a header of a block of criteria: bold on blue, wrapped, top-aligned
SUB_WRAP = {**SUB, "alignment": Alignment(wrap_text=True, vertical="top")}
INPUT = {"fill": PatternFill("solid", fgColor="FFF2CC"), "number_format": "0.0000"}
NUM3 = {"number_format": "0.000"}
NUM4 = {"number_format": "0.0000"}
NUM6 = {"number_format": "0.000000"}
MONEY = {"number_format": "#,##0"}
POINTS = {"number_format": "0.##"}
WRAP = {"alignment": Alignment(wrap_text=True, vertical="top")}
CENTER = {"alignment": Alignment(horizontal="center", vertical="top")}
BOLD_WRAP = {"font": BOLD, "alignment": Alignment(wrap_text=True, vertical="top")}
RED = Font(name=FONT_NAME, color="9C0006")
GREEN = Font(name=FONT_NAME, color="006100")
INELIGIBLE_FILL = PatternFill("solid", fgColor="F2F2F2")


def _col(c: int) -> str:
    return get_column_letter(c)


def _abs(sheet: str, row: int, col: int) -> str:
    return f"{quote_sheetname(sheet)}!${_col(col)}${row}"


def _rng(row1: int, col1: int, row2: int, col2: int, sheet: str | None = None, absolute: bool = True) -> str:
    d = "$" if absolute else ""
    ref = f"{d}{_col(col1)}{d}{row1}:{d}{_col(col2)}{d}{row2}"
    return f"{quote_sheetname(sheet)}!{ref}" if sheet else ref


def value_formula(cell: str, xs, ys) -> str:
    """An Excel expression of a piecewise-linear value function (points xs ascending, ys) of ``cell``:
    flat beyond the end points, linear between neighbours — the same as ``numpy.interp``."""
    xs, ys = [float(v) for v in xs], [float(v) for v in ys]
    expr = repr(ys[-1])
    for k in range(len(xs) - 1, 0, -1):
        x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
        slope = (y1 - y0) / (x1 - x0)
        expr = f"IF({cell}<={x1!r},{y0!r}+({cell}-({x0!r}))*{slope!r},{expr})"
    return f"IF({cell}<={xs[0]!r},{ys[0]!r},{expr})"


def top_align(ws, first_row: int = 1) -> None:
    """Every written cell from ``first_row`` on that has no vertical alignment of its own is aligned to the
    top, so that a row's numbers stay level with the first line of its wrapped texts."""
    made: dict[tuple, Alignment] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None:
                continue
            a = cell.alignment
            if a.vertical is not None:
                continue
            key = (a.horizontal, a.wrap_text, a.indent)
            if key not in made:
                made[key] = Alignment(horizontal=a.horizontal, vertical="top", wrap_text=a.wrap_text, indent=a.indent)
            cell.alignment = made[key]


#: the methods the Matrix sheet writes as live formulas, with the column of their ranks there. A method
#: of the registry without a writer here has its ranks and scores written as values in the summary
#: (which says so); the selection card's points are values anyway.
LIVE_RANK_COLUMN = {"topsis": 5, "wsm": 7}
#: the method whose normalization the Matrix sheet's live TOPSIS block follows when it ranks
_LIVE_TOPSIS = "topsis"


def _topsis_normalization(rk) -> str:
    if rk.method == _LIVE_TOPSIS:
        return rk.normalization
    key = next((k for k in (rk.results[0].cross_check if rk.results else {}) if k.startswith("topsis_")), None)
    return key.split("_", 1)[1] if key else "vector"


@dataclass(frozen=True)
class _Context:
    """What several sheets need: the ranking, its words and titles, the alternatives and criteria (the
    matrix's rows and columns), the normalization of the Matrix sheet's live TOPSIS block (with the
    criteria set's value functions when it is ``reference``), the names of the criteria, groups and gates
    in the workbook's language, and the selection card's rows made in that language (None: no card)."""

    rk: Any
    lang: str
    w: dict
    t: dict
    ids: list
    crit: list
    norm: str
    values: Any = None
    names: dict = field(default_factory=dict)
    card: dict | None = None
    groups: frozenset = frozenset()

    @property
    def m(self) -> int:
        return len(self.ids)

    @property
    def n(self) -> int:
        return len(self.crit)

    def name(self, ident: str, fallback: str | None = None) -> str:
        """A criterion's, group's or gate's label in the workbook's language (a plain matrix: its name)."""
        return self.names.get(ident) or fallback or ident


class _WeightsCells(NamedTuple):
    """Where the AHP sheet's Weights cells are: column B from ``first_row``, one row per criterion."""

    title: str
    first_row: int

    def cell(self, j: int) -> str:
        return _abs(self.title, self.first_row + j, _W_COL)


#: points in a centimetre (a chart's size is in cm)
_POINTS_PER_CM = 72 / 2.54
#: the column of the global weights (the cells named Weights) on the AHP sheet
_W_COL = 2
#: the Matrix sheet's first criterion column (criterion j is in column _C0 + j) and the rows of the
#: directions and of the normalised weights
_C0 = 2
_R_DIR, _R_W = 4, 5


class _MatrixCells(NamedTuple):
    """Where the other sheets' formulas find the Matrix sheet's cells: its title and the first rows of the
    raw values, the min-max values and the results (columns D-G: TOPSIS, its rank, WSM, its rank)."""

    title: str
    raw0: int
    mm0: int
    res0: int


class _SummaryColumns(NamedTuple):
    """The summary's columns: ``at`` gives the column of each key (rank, id, title, points, passed, topsis,
    rank_topsis, wsm, rank_wsm, eligible, cost, funding, own_score, own_rank; the optional ones only when
    present)."""

    live_rank: int | None  # the Matrix column of the method's live ranks, None: ranks written as values
    own: bool  # the method's scores and ranks are written as values in their own columns
    card: bool  # the selection card's points and verdict
    at: dict


def build_appraisal_workbook(rk, lang: str | None = None, portfolio=None, portfolio_error=None) -> Workbook:
    """The appraisal workbook of a :class:`~appraisal.ranking.Ranking` (see the module docstring), in
    ``lang`` (None: the current language).

    With ``portfolio`` (a :class:`~appraisal.portfolio.Portfolio`) a portfolio sheet follows the
    summary; with ``portfolio_error`` (the :class:`InputError` saying why the package's budget has no
    portfolio) that sheet says why. The writer runs no solver: :func:`appraisal.portfolio.budget_portfolio`
    gives both for a package with a budget (:func:`appraisal.io.formats.save` calls it)."""
    with i18n.use(lang):
        return _build(rk, i18n.current(), portfolio, portfolio_error)


def _build(rk, lang: str, portfolio, portfolio_error) -> Workbook:
    wb = _input_sheets(rk, lang)
    ctx = _context(rk, lang)
    summary = wb.create_sheet(ctx.t["summary"], 0)
    sheets = [summary]
    if ctx.card is not None:
        sheets.append(wb.create_sheet(_other_titles()["card"], 1))
    wsheet = wb.create_sheet(ctx.t["ahp"], len(sheets))
    mx = wb.create_sheet(ctx.t["matrix"], len(sheets) + 1)
    bd = wb.create_sheet(ctx.t["breakdown"], len(sheets) + 2)
    wb.active = 0
    weights = _weights_sheet(wb, wsheet, ctx)
    cells = _matrix_sheet(wb, mx, ctx, weights)
    _summary_sheet(summary, ctx, cells)
    if ctx.card is not None:
        _card_sheet(sheets[1], ctx)
    _breakdown_sheet(bd, ctx, cells)
    for ws in (*sheets, wsheet, mx, bd):
        top_align(ws)
        print_setup(ws)
    if portfolio_error is not None:  # the ranking still stands: the sheet says why there is no portfolio
        _no_portfolio_sheet(wb, rk, portfolio_error)
    if portfolio is not None:
        add_portfolio_sheet(wb, portfolio, lang, index=1)
    return wb


def _input_sheets(rk, lang: str) -> Workbook:
    """The package's own sheets (so ``appraise rank`` reads the workbook back); none for a plain matrix."""
    if rk.package is not None:
        from .package_workbook import build_template

        return build_template(rk.package.criteria_set, lang=lang, package=rk.package)
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _context(rk, lang: str) -> _Context:
    norm = _topsis_normalization(rk)
    values = None
    if norm == "reference":
        from ..ranking import set_values

        values = set_values(rk.package.criteria_set)
    names = {c.id: c.label for c in rk.criteria if c.label} if rk.package is None else {}
    card = None
    if rk.package is not None:
        cs = rk.package.criteria_set
        for node in [*cs.iter_groups(), *cs.leaves(), *cs.bonus, *cs.gates]:
            names[node.id] = node.label.get(lang)
        if any(r.card is not None for r in rk.results):
            card = _card_rows(rk)
    groups = frozenset(g.id for g in rk.package.criteria_set.iter_groups()) if rk.package is not None else frozenset()
    return _Context(rk=rk, lang=lang, w=_words(), t=_titles(), ids=list(rk.alternatives), crit=rk.criteria,
                    norm=norm, values=values, names=names, card=card, groups=groups)


def _card_rows(rk) -> dict:
    """Each ranked project's selection card (points, sums, verdict, reasons) with its reasons in the current
    language: scored again from the ranked matrix (the card's numbers do not change; its words might)."""
    from ..criteria.errors import InputError
    from ..ranking import card_scores

    by_id = {p.id: p for p in rk.package.projects}
    try:
        _info, rows = card_scores(rk.package.criteria_set, [by_id[i] for i in rk.alternatives], rk.matrix)
    except (InputError, KeyError):
        return {r.id: r.card for r in rk.results}
    return dict(zip(rk.alternatives, rows))


# --- AHP weights and the Weights cells ----------------------------------------------------------------


def _weights_sheet(wb, ws, ctx: _Context) -> _WeightsCells:
    """Each group's weights (a pairwise grid with its consistency, or the direct or equal weights), then the
    criteria's global weights: the cells named ``Weights``."""
    rk = ctx.rk
    put(ws, 1, 1, ctx.t["ahp"], {"font": TITLE_FONT})
    put(ws, 2, 1, f"{rk.engine} · {rk.input_hash} · RI: {rk.random_index or ahp.RI_TABLE_NAME}", {"font": GREY})
    r = 4
    heads: list[int] = []
    blocks = []
    for g in rk.weights:
        end = _group_weights(ws, r, g, ctx, heads)
        blocks.append((r, end - 1))
        r = end + 1
    cells = _weights_cells(wb, ws, ctx, r, heads)
    # column A: the criteria's labels on one line where they fit; the others: numbers, and the labels over the
    # grids wrapped at their longest word
    fit_columns(ws, first_row=4, heads=tuple(heads), lo=24, hi=50, columns=[1])
    fit_columns(ws, first_row=4, heads=tuple(heads), lo=11, hi=24, columns=list(range(2, ws.max_column + 1)))
    fit_rows(ws, first_row=4)
    ws.freeze_panes = "B3"
    keep_together(ws, [(a, b, 0.0) for a, b in blocks] + [(r, ws.max_row, 0.0)])
    return cells


def _group_weights(ws, r: int, g, ctx: _Context, heads: list[int]) -> int:
    """One group's weights from row ``r``; the row after them."""
    w = ctx.w
    width = len(g.weights) + 2 if g.how == "pairwise" and g.matrix is not None else 2
    put(ws, r, 1, ctx.name(g.group, g.label), SUB_WRAP)
    put(ws, r, 2, w[g.how], SUB_WRAP)
    for c in range(3, width + 1):
        ws.cell(r, c).fill = SUB["fill"]
    if width > 2:
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
    r += 1
    if g.how == "pairwise" and g.matrix is not None:
        return _pairwise_weights(ws, r, g, ctx, heads)
    put(ws, r, 1, _children_head(ctx, g), HEAD)
    put(ws, r, 2, w["local"], HEAD)
    heads.append(r)
    r += 1
    for k in list(g.weights):
        put(ws, r, 1, ctx.name(k), WRAP)
        put(ws, r, 2, g.weights[k], NUM4)
        r += 1
    return r


def _children_head(ctx: _Context, g) -> str:
    """The header over a group's children: groups or criteria."""
    return ctx.w["group"] if g.weights and all(k in ctx.groups for k in g.weights) else ctx.w["criterion"]


def _pairwise_weights(ws, r: int, g, ctx: _Context, heads: list[int]) -> int:
    """A pairwise group from row ``r``: the grid with the local weights, λmax, CI, CR and the consistency
    flag, then the experts (if pooled); the row after them."""
    w = ctx.w
    kids = list(g.weights)
    put(ws, r, 1, _children_head(ctx, g), HEAD)
    for j, k in enumerate(kids):
        put(ws, r, 2 + j, ctx.name(k), HEAD)
    put(ws, r, 2 + len(kids), w["local"], HEAD)
    heads.append(r)
    for i, k in enumerate(kids):
        put(ws, r + 1 + i, 1, ctx.name(k), BOLD_WRAP)
        for j in range(len(kids)):
            put(ws, r + 1 + i, 2 + j, float(g.matrix[i][j]), NUM3)
        put(ws, r + 1 + i, 2 + len(kids), g.weights[k], NUM4)
    r += len(kids) + 1
    flag = w["consistent"] if g.consistent else w["inconsistent"]
    for label, value in (("λmax", g.lambda_max), ("CI", g.ci), ("CR", g.cr)):
        put(ws, r, 1, label, {"font": BOLD})
        put(ws, r, 2, value, NUM4)
        r += 1
    put(ws, r - 1, 3, flag, {"font": Font(name=FONT_NAME, bold=True, color=GREEN.color if g.consistent else RED.color)})
    if g.experts:
        for c, h in enumerate((w["experts"], w["expert_weight"], "CR"), start=1):
            put(ws, r, c, h, SUB_WRAP)
        heads.append(r)
        r += 1
        for e in g.experts:
            put(ws, r, 1, e.file, WRAP)
            put(ws, r, 2, e.expert_weight, NUM3)
            put(ws, r, 3, e.cr, NUM4)
            put(ws, r, 4, w["consistent"] if e.consistent else w["inconsistent"],
                {"font": GREEN if e.consistent else RED})
            r += 1
    return r


def _weights_cells(wb, ws, ctx: _Context, r: int, heads: list[int]) -> _WeightsCells:
    """From row ``r``: the note, then the criteria with their global weights, the input cells named ``Weights``."""
    w = ctx.w
    put(ws, r, 1, w["weights_note"], {"alignment": Alignment(wrap_text=True, vertical="top"), "font": NOTE})
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    r += 1
    for j, h in enumerate([w["criterion"], w["global"], w["group"], w["direction"]]):
        put(ws, r, 1 + j, h, HEAD)
    heads.append(r)
    first_w = r + 1
    for j, c in enumerate(ctx.crit):
        row = first_w + j
        put(ws, row, 1, ctx.name(c.id, c.label), WRAP)
        put(ws, row, _W_COL, float(c.weight), INPUT)
        put(ws, row, 3, ctx.name(c.group) if c.group else "", WRAP)
        put(ws, row, 4, w["benefit"] if c.direction == "benefit" else w["cost_dir"])
    weights_ref = _rng(first_w, _W_COL, first_w + ctx.n - 1, _W_COL, ws.title)
    wb.defined_names["Weights"] = DefinedName("Weights", attr_text=weights_ref)
    return _WeightsCells(ws.title, first_w)


# --- Matrix: raw → normalised → weighted → ideal/anti → distances → scores; min-max → WSM ----------------


def _matrix_sheet(wb, mx, ctx: _Context, weights: _WeightsCells) -> _MatrixCells:
    """Every score as a formula over the ``Weights`` cells; the TOPSIS scores are named ``Scores``."""
    m, n = ctx.m, ctx.n
    heads = [3]
    _matrix_head(mx, ctx, weights)
    raw0 = _matrix_block(mx, ctx, 7, ctx.w["raw"], heads)
    for i in range(m):
        for j in range(n):
            put(mx, raw0 + i, _C0 + j, float(ctx.rk.matrix[i][j]))
    norm0 = _normalized_block(mx, ctx, raw0, heads)
    wt0, r_ideal, r_anti = _weighted_block(mx, ctx, norm0, heads)
    mm0 = _matrix_block(mx, ctx, r_anti + 2, ctx.w["minmax"], heads)
    for i in range(m):
        for j in range(n):
            formula(mx, mm0 + i, _C0 + j, _oriented_minmax(ctx, raw0, i, j), NUM6)
    res0 = mm0 + m + 2
    heads.append(res0 - 1)
    _results_block(wb, mx, ctx, res0, wt0, (r_ideal, r_anti), mm0)
    fit_columns(mx, first_row=3, heads=tuple(heads), lo=11, hi=30, fixed={1: 30})
    fit_rows(mx, first_row=3)
    mx.freeze_panes = "B4"
    # each block on one page: the head (criteria, directions, weights), raw, normalised, weighted with the
    # ideal and anti-ideal, min-max, results
    keep_together(mx, [(3, _R_W, 0.0), (7, raw0 + m - 1, 0.0), (norm0 - 1, norm0 + m - 1, 0.0),
                       (wt0 - 1, r_anti, 0.0), (mm0 - 1, mm0 + m - 1, 0.0), (res0 - 1, res0 + m - 1, 0.0)])
    return _MatrixCells(mx.title, raw0, mm0, res0)


def _matrix_head(mx, ctx: _Context, weights: _WeightsCells) -> None:
    """The title, the criteria, their directions and their normalised weights (row _R_W)."""
    rk = ctx.rk
    put(mx, 1, 1, ctx.t["matrix"], {"font": TITLE_FONT})
    line = ctx.w["matrix_line"].format(topsis=methods.get("topsis").describe(ctx.norm),
                                       wsm=methods.get("wsm").describe(None))
    put(mx, 2, 1, f"{line} · {rk.engine} · {rk.input_hash}", {"font": GREY})
    _matrix_header(mx, ctx, 3, ctx.w["criterion"])
    put(mx, _R_DIR, 1, ctx.w["direction"], {"font": BOLD})
    put(mx, _R_W, 1, ctx.w["weight"], {"font": BOLD})
    for j, c in enumerate(ctx.crit):
        col = _C0 + j
        put(mx, _R_DIR, col, ctx.w["benefit"] if c.direction == "benefit" else ctx.w["cost_dir"])
        formula(mx, _R_W, col, f"={weights.cell(j)}/SUM(Weights)", NUM6)


def _matrix_header(mx, ctx: _Context, row: int, title: str) -> None:
    put(mx, row, 1, title, SUB_WRAP)
    for j, c in enumerate(ctx.crit):
        put(mx, row, _C0 + j, ctx.name(c.id, c.label), SUB_WRAP)


def _matrix_block(mx, ctx: _Context, top: int, title: str, heads: list[int]) -> int:
    """A block's header at row ``top`` and the alternatives below it; the block's first row."""
    _matrix_header(mx, ctx, top, title)
    heads.append(top)
    for i, ident in enumerate(ctx.ids):
        put(mx, top + 1 + i, 1, ident)
    return top + 1


def _wcell(j: int) -> str:
    """Criterion j's normalised weight on the Matrix sheet (row absolute)."""
    return f"{_col(_C0 + j)}${_R_W}"


def _col_range(ctx: _Context, top: int, j: int) -> str:
    return _rng(top, _C0 + j, top + ctx.m - 1, _C0 + j)


def _oriented_minmax(ctx: _Context, top: int, i: int, j: int) -> str:
    cell = f"{_col(_C0 + j)}{top + i}"
    rng = _col_range(ctx, top, j)
    num = f"({cell}-MIN({rng}))" if ctx.crit[j].direction == "benefit" else f"(MAX({rng})-{cell})"
    return f"=IF(MAX({rng})=MIN({rng}),0,{num}/(MAX({rng})-MIN({rng})))"


def _normalized_block(mx, ctx: _Context, raw0: int, heads: list[int]) -> int:
    """The values normalised as the live TOPSIS block's normalization says; the block's first row."""
    title = ctx.w["normalized"].format(method=methods.get("topsis").describe(ctx.norm))
    norm0 = _matrix_block(mx, ctx, raw0 + ctx.m + 1, title, heads)
    for i in range(ctx.m):
        for j in range(ctx.n):
            if ctx.norm == "vector":
                cell, rng = f"{_col(_C0 + j)}{raw0 + i}", _col_range(ctx, raw0, j)
                f = f"=IF(SUMSQ({rng})=0,0,{cell}/SQRT(SUMSQ({rng})))"
            elif ctx.norm == "reference":  # R-TOPSIS: the criterion's value function on the set's reference levels
                f = "=" + value_formula(f"{_col(_C0 + j)}{raw0 + i}", ctx.values.xs[j], ctx.values.ys[j])
            else:
                f = _oriented_minmax(ctx, raw0, i, j)
            formula(mx, norm0 + i, _C0 + j, f, NUM6)
    return norm0


def _weighted_block(mx, ctx: _Context, norm0: int, heads: list[int]) -> tuple[int, int, int]:
    """The weighted values, then the ideal and the anti-ideal rows right below them; the rows of the three."""
    m = ctx.m
    wt0 = _matrix_block(mx, ctx, norm0 + m + 1, ctx.w["weighted"], heads)
    for i in range(m):
        for j in range(ctx.n):
            formula(mx, wt0 + i, _C0 + j, f"={_col(_C0 + j)}{norm0 + i}*{_wcell(j)}", NUM6)
    r_ideal, r_anti = wt0 + m, wt0 + m + 1
    put(mx, r_ideal, 1, ctx.w["ideal"], {"font": BOLD})
    put(mx, r_anti, 1, ctx.w["anti"], {"font": BOLD})
    for j, c in enumerate(ctx.crit):
        if ctx.norm == "reference":  # fixed at the ends of the set's yardstick: value 1 and value 0, weighted
            formula(mx, r_ideal, _C0 + j, f"={_wcell(j)}", NUM6)
            formula(mx, r_anti, _C0 + j, "=0", NUM6)
            continue
        rng = _col_range(ctx, wt0, j)
        best, worst = ("MAX", "MIN") if (c.direction == "benefit" or ctx.norm == "minmax") else ("MIN", "MAX")
        formula(mx, r_ideal, _C0 + j, f"={best}({rng})", NUM6)
        formula(mx, r_anti, _C0 + j, f"={worst}({rng})", NUM6)
    return wt0, r_ideal, r_anti


def _results_block(wb, mx, ctx: _Context, res0: int, wt0: int, ideal_rows: tuple[int, int], mm0: int) -> None:
    """From row ``res0``: d⁺, d⁻, the TOPSIS score (the cells named ``Scores``) and rank, the WSM score and rank."""
    w, m, cn = ctx.w, ctx.m, _C0 + ctx.n - 1
    heads = [w["id"], "d⁺", "d⁻", w["topsis"], w["rank_topsis"], w["wsm"], w["rank_wsm"]]
    for k, h in enumerate(heads):
        put(mx, res0 - 1, 1 + k, h, SUB_WRAP)
    r_ideal, r_anti = ideal_rows
    ideal_rng = _rng(r_ideal, _C0, r_ideal, cn)
    anti_rng = _rng(r_anti, _C0, r_anti, cn)
    w_rng = _rng(_R_W, _C0, _R_W, cn)
    score_rng = _rng(res0, 4, res0 + m - 1, 4)
    wsm_rng = _rng(res0, 6, res0 + m - 1, 6)
    for i, ident in enumerate(ctx.ids):
        row = res0 + i
        weighted_row = _rng(wt0 + i, _C0, wt0 + i, cn, absolute=False)
        put(mx, row, 1, ident)
        formula(mx, row, 2, f"=SQRT(SUMXMY2({weighted_row},{ideal_rng}))", NUM6)
        formula(mx, row, 3, f"=SQRT(SUMXMY2({weighted_row},{anti_rng}))", NUM6)
        formula(mx, row, 4, f"=IF(B{row}+C{row}=0,NA(),C{row}/(B{row}+C{row}))", NUM6)
        formula(mx, row, 5, f"=1+SUMPRODUCT(--({score_rng}>D{row}+1E-12))", CENTER)
        mm_row = _rng(mm0 + i, _C0, mm0 + i, cn, absolute=False)
        formula(mx, row, 6, f"=SUMPRODUCT({mm_row},{w_rng})", NUM6)
        formula(mx, row, 7, f"=1+SUMPRODUCT(--({wsm_rng}>F{row}+1E-12))", CENTER)
    wb.defined_names["Scores"] = DefinedName("Scores", attr_text=f"{quote_sheetname(mx.title)}!{score_rng}")


# --- Summary ------------------------------------------------------------------------------------------


def _summary_sheet(ws, ctx: _Context, cells: _MatrixCells) -> None:
    """The ranked projects (scores and ranks as references to the Matrix sheet), then the ineligible ones,
    a colour scale and the chart of the scores (of the card's points when there is a card)."""
    rk = ctx.rk
    projects = {p.id: p for p in rk.package.projects} if rk.package is not None else {}
    put(ws, 1, 1, (rk.partnership or ctx.t["summary"]), {"font": TITLE_FONT})
    cols = _summary_columns(ws, ctx)
    row_of = {ident: cells.res0 + i for i, ident in enumerate(ctx.ids)}
    sr = 5
    for res in rk.results:
        _ranked_row(ws, sr, ctx, cells, cols, res, row_of[res.id], projects.get(res.id))
        sr += 1
    last_ranked = sr - 1
    for inel in rk.ineligible:
        _ineligible_row(ws, sr, ctx, cols, inel, projects.get(inel.id))
        sr += 1
    scored = _col(cols.at["points" if cols.card else "topsis"])
    ws.conditional_formatting.add(
        f"{scored}5:{scored}{last_ranked}",
        ColorScaleRule(start_type="min", start_color="F8696B", mid_type="percentile", mid_value=50,
                       mid_color="FFEB84", end_type="max", end_color="63BE7B"))
    fit_columns(ws, first_row=4, heads=(4,), lo=7, hi=48)
    for key in ("eligible", "passed"):  # "yes" mostly; the reasons of a "no" wrap
        if key in cols.at:
            letter = _col(cols.at[key])
            ws.column_dimensions[letter].width = min(ws.column_dimensions[letter].width, 24)
    fit_rows(ws, first_row=4)
    ws.freeze_panes = ws.cell(5, cols.at["title"] + 1).coordinate
    chart = _scores_chart(ws, ctx, cols, last_ranked, f"B{sr + 2}")
    _print_table_and_chart(ws, 4, sr - 1, chart, sr + 2)


def _print_table_and_chart(ws, head: int, last: int, chart, chart_row: int) -> None:
    """Print the table (header row ``head`` … ``last``) with its header on every page when it takes more
    than one, and the chart below it on the same page when it fits there, else on the next."""
    table = sum((ws.row_dimensions[r].height or 15.0) for r in range(1, last + 1))
    repeated = 0.0
    if table > page_rows_height(ws):
        ws.print_title_rows = f"{head}:{head}"
        repeated = ws.row_dimensions[head].height or 15.0
    keep_together(ws, [(chart_row, chart_row, chart.height * _POINTS_PER_CM)], repeated=repeated)


def _method_line(ctx: _Context) -> str:
    """The method and the methods it is compared with, as labels."""
    rk = ctx.rk
    entry = methods.get(rk.method)
    others = [methods.variant_label(k) for k in (rk.results[0].cross_check if rk.results else {})]
    method = entry.describe(rk.normalization)
    if not others:
        return ctx.w["method_alone"].format(method=method)
    return ctx.w["method_line"].format(method=method, others=", ".join(others))


def _summary_columns(ws, ctx: _Context) -> _SummaryColumns:
    """The method lines (rows 2 and 3) and the column headers (row 4)."""
    rk, w = ctx.rk, ctx.w
    entry = methods.get(rk.method)
    live_rank = LIVE_RANK_COLUMN.get(rk.method)
    own = live_rank is None and not entry.card  # its scores are in no live column: written as values
    label = entry.label_in()
    line = _method_line(ctx) + (f" · {w['values_note'].format(m=label)}" if own else "")
    put(ws, 2, 1, line, {"font": NOTE})
    put(ws, 3, 1, f"{rk.engine} · {rk.input_hash}", {"font": GREY})
    card = ctx.card is not None
    keys = ["rank", "id", "title"]
    if card:
        keys += ["points", "passed"]
    keys += ["topsis", "rank_topsis", "wsm", "rank_wsm", "eligible", "cost", "funding"]
    heads = {k: w[k] for k in keys}
    if own:
        keys += ["own_score", "own_rank"]
        heads["own_score"] = w["own_score"].format(m=label)
        heads["own_rank"] = w["own_rank"].format(m=label)
    at = {k: 1 + i for i, k in enumerate(keys)}
    for k, col in at.items():
        put(ws, 4, col, heads[k], HEAD)
    return _SummaryColumns(live_rank, own, card, at)


def _ranked_row(ws, sr: int, ctx: _Context, cells: _MatrixCells, cols: _SummaryColumns, res, mrow: int,
                project) -> None:
    """A ranked project at row ``sr``; ``mrow`` is its row in the Matrix sheet's results."""
    w, at = ctx.w, cols.at
    if cols.live_rank is None:
        put(ws, sr, at["rank"], res.rank, CENTER)
    else:
        formula(ws, sr, at["rank"], f"={_abs(cells.title, mrow, cols.live_rank)}", CENTER)
    put(ws, sr, at["id"], res.id)
    put(ws, sr, at["title"], res.title or "", WRAP)
    for key, mcol, style in (("topsis", 4, NUM4), ("rank_topsis", 5, CENTER), ("wsm", 6, NUM4),
                             ("rank_wsm", 7, CENTER)):
        formula(ws, sr, at[key], f"={_abs(cells.title, mrow, mcol)}", style)
    put(ws, sr, at["eligible"], w["yes"])
    _project_money(ws, sr, at, project)
    if cols.card:
        card = (ctx.card or {}).get(res.id) or res.card
        if card is not None:
            put(ws, sr, at["points"], card.total, POINTS)
            verdict = w["yes"]
            if not card.passed:
                verdict = f"{w['no']}: {'; '.join(card.reasons)}" if card.reasons else w["no"]
            put(ws, sr, at["passed"], verdict, {**WRAP, **({} if card.passed else {"font": RED})})
    if cols.own:
        put(ws, sr, at["own_score"], res.score, NUM4)
        put(ws, sr, at["own_rank"], res.rank, CENTER)


def _ineligible_row(ws, sr: int, ctx: _Context, cols: _SummaryColumns, inel, project) -> None:
    """A project that failed a gate, at row ``sr``: no rank, the failed gates."""
    at = cols.at
    put(ws, sr, at["rank"], "—", CENTER)
    put(ws, sr, at["id"], inel.id)
    put(ws, sr, at["title"], inel.title or "", WRAP)
    gates = "; ".join(ctx.name(g.id, g.label) for g in inel.failed_gates)
    put(ws, sr, at["eligible"], ctx.w["not_eligible"].format(gates=gates), {**WRAP, "font": RED})
    _project_money(ws, sr, at, project)


def _scores_chart(ws, ctx: _Context, cols: _SummaryColumns, last_ranked: int, anchor: str) -> BarChart:
    """A bar chart of the summary's scores (rows 5 … ``last_ranked``): the card's points when there is a
    card, else TOPSIS."""
    chart = BarChart()
    chart.type = "bar"
    key = "points" if cols.card else "topsis"
    chart.title = ctx.w["points_chart" if cols.card else "scores_chart"]
    chart.y_axis.title = ctx.w["points_axis"] if cols.card else ctx.w["topsis"]
    chart.x_axis.scaling.orientation = "maxMin"
    col = cols.at[key]
    chart.add_data(Reference(ws, min_col=col, min_row=4, max_row=last_ranked), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=cols.at["id"], min_row=5, max_row=last_ranked))
    chart.legend = None
    chart.height, chart.width = max(7.5, 0.6 * ctx.m + 3), 16
    ws.add_chart(chart, anchor)
    return chart


def _project_money(ws, row: int, at: dict, project) -> None:
    if project is None:
        return
    if project.cost is not None:
        put(ws, row, at["cost"], float(project.cost), MONEY)
    if project.funding:
        put(ws, row, at["funding"], "; ".join(
            f.source + (f" {numfmt.money(f.amount)}" if f.amount is not None else "") for f in project.funding),
            WRAP)


# --- Selection card -------------------------------------------------------------------------------------


def _card_sheet(ws, ctx: _Context) -> None:
    """The selection card: each project's points per criterion (rows by the card's ranking) under the
    criteria's most points and minima, the merit points against the threshold, the bonus points, the total,
    whether it passes and why not; then the projects that failed a gate. Sums, total and verdict are
    formulas over the points, minima and threshold."""
    rk, w = ctx.rk, ctx.w
    cs = rk.package.criteria_set
    info = rk.card or {}
    leaves, bonus = cs.leaves(), list(cs.bonus)
    threshold = info.get("threshold")
    only_passed = info.get("bonus_only_if_passed", True)
    put(ws, 1, 1, w["card_title"].format(partnership=rk.partnership or cs.label.get(ctx.lang)), {"font": TITLE_FONT})
    put(ws, 2, 1, cs.label.get(ctx.lang), {"font": NOTE})
    rules = w["card_rules"].format(most=numfmt.amount(info.get("max_points")),
                                   threshold=numfmt.amount(threshold) if threshold is not None else w["no_threshold"])
    if bonus:
        rules += " " + w["bonus_rule" if only_passed else "bonus_rule_all"].format(
            most=numfmt.amount(info.get("max_bonus", 0.0)))
    put(ws, 3, 1, rules)
    put(ws, 4, 1, w["card_note"], {"font": NOTE})

    head, r_max, r_min, first = 6, 7, 8, 9
    keys = ["rank", "id", "title"] + [("crit", c) for c in leaves] + ["merit"]
    if bonus:
        keys += [("bonus", b) for b in bonus] + ["bonus"]
    keys += ["total", "passed", "why"]
    at = {(k if isinstance(k, str) else k[1].id): 1 + i for i, k in enumerate(keys)}
    heads = {"rank": w["card_rank"], "id": w["id"], "title": w["title"], "merit": w["merit"], "bonus": w["bonus"],
             "total": w["total"], "passed": w["passed"], "why": w["why_not"]}
    for k in keys:
        if isinstance(k, str):
            put(ws, head, at[k], heads[k], HEAD)
        else:
            kind, c = k
            label = c.label.get(ctx.lang)
            put(ws, head, at[c.id], w["bonus_of"].format(label=label) if kind == "bonus" else label, HEAD)
    put(ws, r_max, at["title"], w["most"], {"font": NOTE, "alignment": Alignment(horizontal="right")})
    put(ws, r_min, at["title"], w["minimum"], {"font": NOTE, "alignment": Alignment(horizontal="right")})
    for c in [*leaves, *bonus]:
        if c.scale is not None:
            put(ws, r_max, at[c.id], c.scale.high, {**POINTS, "font": NOTE})
        if c.minimum is not None and c in leaves:
            put(ws, r_min, at[c.id], c.minimum, {**POINTS, "font": BOLD})
    put(ws, r_max, at["merit"], info.get("max_points"), {**POINTS, "font": NOTE})
    if threshold is not None:
        put(ws, r_min, at["merit"], threshold, {**POINTS, "font": BOLD})
    if bonus:
        put(ws, r_max, at["bonus"], info.get("max_bonus"), {**POINTS, "font": NOTE})

    rows = _card_order(ctx)
    r = first
    for res, rank in rows:
        card = ctx.card.get(res.id) or res.card
        _card_row(ws, r, ctx, at, leaves, bonus, res, rank, card, (r_min, threshold is not None, only_passed))
        r += 1
    last = r - 1
    for inel in rk.ineligible:
        gates = "; ".join(ctx.name(g.id, g.label) for g in inel.failed_gates)
        for col, value in ((at["rank"], "—"), (at["id"], inel.id), (at["title"], inel.title or ""),
                           (at["passed"], w["no"]), (at["why"], w["gates_failed"].format(gates=gates))):
            put(ws, r, col, value, {**WRAP, "fill": INELIGIBLE_FILL})
        ws.cell(r, at["passed"]).font = RED
        r += 1
    if last >= first:
        total = _col(at["total"])
        ws.conditional_formatting.add(
            f"{total}{first}:{total}{last}",
            ColorScaleRule(start_type="min", start_color="F8696B", mid_type="percentile", mid_value=50,
                           mid_color="FFEB84", end_type="max", end_color="63BE7B"))
        from openpyxl.formatting.rule import CellIsRule

        passed = _col(at["passed"])
        ws.conditional_formatting.add(f"{passed}{first}:{passed}{last}",
                                      CellIsRule(operator="equal", formula=[_text_literal(w["no"])], font=RED))
        ws.conditional_formatting.add(f"{passed}{first}:{passed}{last}",
                                      CellIsRule(operator="equal", formula=[_text_literal(w["yes"])], font=GREEN))
    fit_columns(ws, first_row=head, heads=(head,), lo=7, hi=48)
    fit_rows(ws, first_row=head)
    ws.freeze_panes = ws.cell(head + 1, at["title"] + 1).coordinate
    ws.print_title_rows = f"{head}:{r_min}"


def _text_literal(text: str) -> str:
    """``text`` as a string constant in a formula."""
    return '"' + text.replace('"', '""') + '"'


def _card_order(ctx: _Context) -> list[tuple[Any, int]]:
    """The ranked projects with their rank on the card, best first (the ranking's order when it ranks by
    the card; else by :func:`appraisal.points.card_ranks` over the card's totals and verdicts)."""
    import numpy as np

    from ..points import card_ranks

    rk = ctx.rk
    if methods.get(rk.method).card:
        return [(res, res.rank) for res in rk.results]
    cards = [ctx.card.get(res.id) or res.card for res in rk.results]
    ranks = card_ranks(np.array([c.total for c in cards]), np.array([c.passed for c in cards]))
    order = sorted(range(len(cards)), key=lambda i: (ranks[i], i))
    return [(rk.results[i], int(ranks[i])) for i in order]


def _card_row(ws, r: int, ctx: _Context, at: dict, leaves, bonus, res, rank: int, card, rules) -> None:
    """One project's card at row ``r``: points as values; merit sum, bonus sum, verdict and total as formulas."""
    w = ctx.w
    r_min, has_threshold, only_passed = rules
    put(ws, r, at["rank"], rank, CENTER)
    put(ws, r, at["id"], res.id)
    put(ws, r, at["title"], res.title or "", WRAP)
    for c in [*leaves, *bonus]:
        put(ws, r, at[c.id], float(card.points.get(c.id, 0.0)), POINTS)
    first, last = _col(at[leaves[0].id]), _col(at[leaves[-1].id])
    merit = _col(at["merit"])
    formula(ws, r, at["merit"], f"=SUM({first}{r}:{last}{r})", {**POINTS, "font": BOLD})
    bonus_ref = "0"
    if bonus:
        formula(ws, r, at["bonus"], f"=SUM({_col(at[bonus[0].id])}{r}:{_col(at[bonus[-1].id])}{r})", POINTS)
        bonus_ref = f"{_col(at['bonus'])}{r}"
    tests = [f"{_col(at[c.id])}{r}>={_col(at[c.id])}${r_min}-1E-9" for c in leaves if c.minimum is not None]
    if has_threshold:
        tests.append(f"{merit}{r}>={merit}${r_min}-1E-9")
    yes, no = _text_literal(w["yes"]), _text_literal(w["no"])
    passed = _col(at["passed"])
    if tests:
        formula(ws, r, at["passed"], f"=IF(AND({','.join(tests)}),{yes},{no})")
    else:
        put(ws, r, at["passed"], w["yes"])
    counted = f"IF({passed}{r}={yes},{bonus_ref},0)" if only_passed else bonus_ref
    formula(ws, r, at["total"], f"={merit}{r}+{counted}", {**POINTS, "font": BOLD})
    if card.reasons:
        put(ws, r, at["why"], "; ".join(card.reasons), WRAP)


# --- Breakdown: contributions to the weighted sum -------------------------------------------------------


def _breakdown_sheet(bd, ctx: _Context, cells: _MatrixCells) -> None:
    """Each criterion's contribution to each project's weighted sum, with a stacked bar chart.

    With a criteria set: weight × the criterion's value on the set's yardstick (the opinions' numbers),
    summing to the attainment; a plain matrix has no yardstick: weight × min-max value, summing to WSM."""
    rk, w, n = ctx.rk, ctx.w, ctx.n
    put(bd, 1, 1, ctx.t["breakdown"], {"font": TITLE_FONT})
    yardstick = None
    if rk.package is not None:
        from ..ranking import set_values

        yardstick = set_values(rk.package.criteria_set)
    put(bd, 2, 1, w["breakdown_note" if yardstick is None else "attainment_note"], {"font": NOTE})
    put(bd, 4, 1, w["id"], HEAD)
    for j, c in enumerate(ctx.crit):
        put(bd, 4, 2 + j, ctx.name(c.id, c.label), HEAD)
    put(bd, 4, 2 + n, w["wsm" if yardstick is None else "attainment"], HEAD)
    for i, ident in enumerate(ctx.ids):
        row = 5 + i
        put(bd, row, 1, ident)
        for j in range(n):
            if yardstick is None:
                value = _abs(cells.title, cells.mm0 + i, _C0 + j)
            else:
                value = value_formula(_abs(cells.title, cells.raw0 + i, _C0 + j), yardstick.xs[j], yardstick.ys[j])
            formula(bd, row, 2 + j, f"=({value})*{_abs(cells.title, _R_W, _C0 + j)}", NUM4)
        formula(bd, row, 2 + n, f"=SUM({_rng(row, 2, row, 1 + n, absolute=False)})", {**NUM4, "font": BOLD})
    fit_columns(bd, first_row=4, heads=(4,), lo=10, hi=30)
    fit_rows(bd, first_row=4)
    _breakdown_chart(bd, ctx)
    bd.freeze_panes = "B5"


def _breakdown_chart(bd, ctx: _Context) -> None:
    """A stacked bar chart of the contributions, below them."""
    m, n = ctx.m, ctx.n
    stacked = BarChart()
    stacked.type = "bar"
    stacked.grouping = "stacked"
    stacked.overlap = 100
    stacked.title = ctx.w["breakdown_chart"]
    stacked.add_data(Reference(bd, min_col=2, max_col=1 + n, min_row=4, max_row=4 + m), titles_from_data=True)
    stacked.set_categories(Reference(bd, min_col=1, min_row=5, max_row=4 + m))
    stacked.height, stacked.width = max(10, 0.6 * m + 6), 26
    stacked.legend.position = "b"
    bd.add_chart(stacked, f"A{m + 7}")
    keep_together(bd, [(4, 4 + m, 0.0), (m + 7, m + 7, stacked.height * _POINTS_PER_CM)])


# --- Portfolio ------------------------------------------------------------------------------------------


def _portfolio_words() -> dict[str, str]:
    """The words of the portfolio sheet, in the current language."""
    return {
        "title": _("Portfolio under a budget"), "budget": pgettext("appraisal sheet", "Budget (PLN)"),
        "none": _("No portfolio can be chosen for the package's budget ({budget}): {reason}"),
        "total_cost": pgettext("appraisal sheet", "Cost of the chosen projects (PLN)"),
        "left": pgettext("appraisal sheet", "Money left (PLN)"),
        "total_score": pgettext("appraisal sheet", "Total score of the chosen"),
        "total_points": pgettext("appraisal sheet", "Total points of the chosen"),
        "next": pgettext("appraisal sheet", "Next with more money"),
        "none_next": _("no project can enter with more money"),
        "next_text": _("budget {budget} (+{extra}): {enter} enter{leave}; total score {score}"),
        "next_points": _("budget {budget} (+{extra}): {enter} enter{leave}; total points {score}"),
        "leave": _("; {ids} leave"), "status": pgettext("appraisal sheet", "Status"),
        "chosen": pgettext("appraisal sheet", "chosen"), "not_chosen": pgettext("appraisal sheet", "not chosen"),
        "ineligible": pgettext("appraisal sheet", "not eligible"), "rank": pgettext("appraisal sheet", "Rank"),
        "id": pgettext("appraisal sheet", "ID"), "project": pgettext("appraisal sheet", "Project"),
        "score": pgettext("appraisal sheet", "Score"), "points": pgettext("appraisal sheet", "Points"),
        "cost": pgettext("appraisal sheet", "Cost (PLN)"), "funding": pgettext("appraisal sheet", "Funding"),
        "reason": pgettext("appraisal sheet", "Why not"),
        "sources": pgettext("appraisal sheet", "Funding source limits"),
        "source": pgettext("appraisal sheet", "Source"), "limit": pgettext("appraisal sheet", "Limit (PLN)"),
        "spent": pgettext("appraisal sheet", "Spent (PLN)"), "source_left": pgettext("appraisal sheet", "Left (PLN)"),
        "note": _("Choice: the exact best set of projects (every combination weighed) with the largest total score "
                  "at a cost within the budget; ties: the smaller cost, then the better-ranked project. The choice is "
                  "not recomputed when the weights change in this workbook: run appraise again."),
        "must": pgettext("appraisal sheet", "Must be in"), "exclude": pgettext("appraisal sheet", "Left out"),
        "method": _("Method: {method}"),
    }


def _no_portfolio_sheet(wb, rk, error) -> None:
    """The portfolio sheet when the package's budget has no portfolio: why."""
    w = _portfolio_words()
    ws = wb.create_sheet(_other_titles()["portfolio"], 1)
    put(ws, 1, 1, w["title"], {"font": TITLE_FONT})
    put(ws, 3, 1, w["none"].format(budget=numfmt.money(rk.package.budget), reason=error.message),
        {"font": Font(name=FONT_NAME, bold=True, color=RED.color), "alignment": Alignment(wrap_text=True, vertical="top")})
    ws.column_dimensions["A"].width = 120
    fit_rows(ws)
    print_setup(ws)


def print_setup(ws, repeat_rows: str | None = None) -> None:
    """Landscape A4, one page wide (advisors print these sheets); ``repeat_rows`` (``"4:4"``): the rows
    printed at the top of every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; write-only sheets lack the constant)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if repeat_rows:
        ws.print_title_rows = repeat_rows


def write_appraisal_workbook(rk, path: str | Path, lang: str | None = None, portfolio=None,
                             portfolio_error=None) -> Path:
    """Build and save the appraisal workbook atomically (the arguments of :func:`build_appraisal_workbook`)."""
    return save_atomic(build_appraisal_workbook(rk, lang, portfolio, portfolio_error), path)


def add_portfolio_sheet(wb, pf, lang: str | None = None, index: int | None = None):
    """The portfolio sheet: budget, totals (=SUM over the chosen rows), money left, the next project,
    source limits, then every project: chosen, not chosen, not eligible."""
    with i18n.use(lang):
        return _portfolio_sheet(wb, pf, index)


def _portfolio_sheet(wb, pf, index: int | None):
    from .text import portfolio_reason

    w = _portfolio_words()
    ws = wb.create_sheet(_other_titles()["portfolio"], index)
    points = methods.get(pf.method).card
    score_fmt = POINTS if points else NUM4
    put(ws, 1, 1, f"{pf.partnership + ' — ' if pf.partnership else ''}{w['title']}", {"font": TITLE_FONT})
    method = w["method"].format(method=methods.get(pf.method).describe(pf.normalization))
    put(ws, 2, 1, f"{method} · {pf.engine} · {pf.input_hash}", {"font": GREY})
    put(ws, 3, 1, w["note"], {"font": NOTE, "alignment": Alignment(wrap_text=True, vertical="top")})
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=8)
    r = 5
    labels = {"budget": r, "total_cost": r + 1, "left": r + 2, "total_score": r + 3, "next": r + 4}
    for key, row in labels.items():
        text = w["total_points" if key == "total_score" and points else key]
        put(ws, row, 1, text, {"font": BOLD})
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    put(ws, labels["budget"], 3, float(pf.budget), MONEY)
    extra = 0
    if pf.must:
        put(ws, labels["next"] + 1, 1, w["must"], {"font": BOLD})
        put(ws, labels["next"] + 1, 3, ", ".join(pf.must))
        extra += 1
    if pf.exclude:
        put(ws, labels["next"] + 1 + extra, 1, w["exclude"], {"font": BOLD})
        put(ws, labels["next"] + 1 + extra, 3, ", ".join(pf.exclude))
        extra += 1
    if pf.next is None:
        put(ws, labels["next"], 3, w["none_next"])
    else:
        n = pf.next
        put(ws, labels["next"], 3, w["next_points" if points else "next_text"].format(
            budget=numfmt.money(n.budget), extra=numfmt.money(n.extra), enter=", ".join(n.enter),
            leave=w["leave"].format(ids=", ".join(n.leave)) if n.leave else "",
            score=numfmt.amount(n.total_score) if points else numfmt.number(n.total_score, 4)))
    r = labels["next"] + 2 + extra
    if pf.sources:
        put(ws, r, 1, w["sources"], SUB)
        r += 1
        for k, h in enumerate([w["source"], "", w["limit"], w["spent"], w["source_left"]]):
            put(ws, r, 1 + k, h, HEAD)
        r += 1
        for su in pf.sources:
            put(ws, r, 1, su.source, WRAP)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            put(ws, r, 3, su.limit, MONEY)
            put(ws, r, 4, su.spent, MONEY)
            formula(ws, r, 5, f"=C{r}-D{r}", MONEY)
            r += 1
        r += 1
    head = r
    heads = [w["status"], w["id"], w["project"], w["rank"], w["points" if points else "score"], w["cost"],
             w["funding"], w["reason"]]
    for k, h in enumerate(heads):
        put(ws, r, 1 + k, h, HEAD)
    r += 1
    first = r
    last_chosen = first - 1
    groups = (("chosen", pf.chosen, "E2F0D9"), ("not_chosen", pf.not_chosen, None),
              ("ineligible", pf.ineligible, "F2F2F2"))
    for key, items, fill in groups:
        for it in items:
            style = {"fill": PatternFill("solid", fgColor=fill)} if fill else {}
            for c in range(1, len(heads) + 1):  # the whole row in its group's colour
                if style:
                    ws.cell(r, c).fill = style["fill"]
            put(ws, r, 1, w[key], style)
            put(ws, r, 2, it.id, style)
            put(ws, r, 3, it.title or "", {**WRAP, **style})
            put(ws, r, 4, it.rank if it.rank is not None else "—", {**CENTER, **style})
            if it.score is not None:
                put(ws, r, 5, float(it.score), score_fmt)
            if it.cost is not None:
                put(ws, r, 6, float(it.cost), MONEY)
            if it.funding:
                put(ws, r, 7, "; ".join(f.source + (f" {numfmt.money(f.amount)}" if f.amount is not None else "")
                                        for f in it.funding), WRAP)
            if it.reason:
                put(ws, r, 8, portfolio_reason(it), WRAP)
            r += 1
        if key == "chosen":
            last_chosen = r - 1
    if last_chosen >= first:
        cost_sum = f"=SUM(F{first}:F{last_chosen})"
        score_sum = f"=SUM(E{first}:E{last_chosen})"
    else:
        cost_sum = score_sum = "=0"
    formula(ws, labels["total_cost"], 3, cost_sum, MONEY)
    formula(ws, labels["left"], 3, f"=C{labels['budget']}-C{labels['total_cost']}", MONEY)
    formula(ws, labels["total_score"], 3, score_sum, score_fmt)
    fit_columns(ws, first_row=head, heads=(head,), lo=8, hi=48)
    for letter, least in (("A", 14), ("B", 8), ("C", 40)):
        ws.column_dimensions[letter].width = max(column_width(ws, ord(letter) - 64), least)
    # the labels above the table span A:B: together wide enough for the longest
    labels_width = max(text_width(ws.cell(row, 1).value, bold=True)
                       for row in range(labels["budget"], labels["next"] + 1 + extra))
    ws.column_dimensions["A"].width = max(column_width(ws, 1), labels_width - column_width(ws, 2))
    fit_rows(ws, first_row=3)
    top_align(ws)
    ws.freeze_panes = ws.cell(head + 1, 4).coordinate
    print_setup(ws, f"{head}:{head}")
    return ws
