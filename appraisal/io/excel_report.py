"""The appraisal workbook: the package's own sheets plus the results, with live formulas.

``write_appraisal_workbook(ranking, path, lang)`` writes:

- the input sheets of the package (:mod:`appraisal.io.package_workbook`), so the workbook can be
  read back by ``appraise rank``;
- **Summary**: rank, project, TOPSIS and WSM scores and ranks, eligibility (with the failed
  gate), cost and funding, a colour scale and a native bar chart of the scores;
- **AHP weights**: each group's pairwise grid with λmax, CI, CR and a consistency flag, local
  weights, then the criteria's global weights — the cells named ``Weights``;
- **Matrix**: raw values, normalised values, weighted values, ideal and anti-ideal, the
  distances, the TOPSIS scores (named ``Scores``), the oriented min-max values and the WSM
  scores, and the ranks — all as formulas over the ``Weights`` cells, so changing a weight in
  Excel recomputes every score and rank (and multiplying all weights by one factor changes
  nothing, as they are divided by their sum);
- **Breakdown**: each criterion's contribution w·r to each project's weighted sum, with a
  stacked bar chart.

The formulas follow DESIGN.md section 3 exactly (ties: 1 + how many score higher by > 1e-12),
so a spreadsheet's values equal the engine's to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from .. import ahp, methods
from .xlsx import formula, put, save_atomic

TITLES = {
    "pl": {"summary": "Podsumowanie", "ahp": "Wagi AHP", "matrix": "Macierz", "breakdown": "Wkład"},
    "en": {"summary": "Summary", "ahp": "AHP weights", "matrix": "Matrix", "breakdown": "Breakdown"},
}
WORDS = {
    "pl": {
        "rank": "Miejsce", "id": "ID", "title": "Projekt", "topsis": "TOPSIS", "wsm": "WSM", "rank_wsm": "Miejsce WSM",
        "rank_topsis": "Miejsce TOPSIS",
        "eligible": "Kwalifikowalny", "yes": "tak", "no": "nie", "cost": "Koszt (PLN)", "funding": "Finansowanie",
        "points": "Punkty (karta)", "passed": "Spełnia kartę",
        "raw": "Wartości", "normalized": "Wartości znormalizowane", "weighted": "Wartości ważone",
        "ideal": "Rozwiązanie idealne A⁺", "anti": "Antyidealne A⁻", "direction": "Kierunek",
        "weight": "Waga (znormalizowana)", "dpos": "d⁺", "dneg": "d⁻", "minmax": "Wartości min-max (do WSM)",
        "results": "Wyniki", "criterion": "Kryterium", "group": "Grupa", "global": "Waga globalna",
        "local": "Waga lokalna", "consistent": "spójna", "inconsistent": "NIESPÓJNA",
        "weights_note": "Zmień wagi globalne poniżej (komórki o nazwie Weights): wyniki i miejsca w arkuszach "
                        "Macierz, Podsumowanie i Wkład przeliczą się. Wagi są dzielone przez ich sumę.",
        "breakdown_note": "Wkład kryterium = waga × wartość min-max (0 najgorsza … 1 najlepsza); suma = wynik WSM.",
        "attainment_note": "Wkład kryterium = waga × wartość na skali kryterium z zestawu kryteriów (poziom skali lub "
                           "poziomy odniesienia: neutralny 0, dobry 1), niezależnie od innych projektów; suma = "
                           "stopień spełnienia kryteriów (jak w opiniach).",
        "attainment": "Stopień spełnienia kryteriów",
        "how": {"pairwise": "porównania parami (AHP)", "direct": "wagi bezpośrednie", "equal": "wagi równe"},
        "experts": "Eksperci", "expert_weight": "waga eksperta", "not_ranked": "nieoceniany",
        "scores_chart": "Wyniki TOPSIS", "breakdown_chart": "Wkład kryteriów",
        "own_score": "Wynik {m}", "own_rank": "Miejsce {m}",
        "values_note": "miejsca i wyniki {m} wpisane jako wartości (arkusz nie ma dla tej metody formuł; "
                       "formuły liczą TOPSIS i WSM)",
    },
    "en": {
        "rank": "Rank", "id": "ID", "title": "Project", "topsis": "TOPSIS", "wsm": "WSM", "rank_wsm": "WSM rank",
        "rank_topsis": "TOPSIS rank",
        "eligible": "Eligible", "yes": "yes", "no": "no", "cost": "Cost (PLN)", "funding": "Funding",
        "points": "Points (card)", "passed": "Passes the card",
        "raw": "Values", "normalized": "Normalised values", "weighted": "Weighted values",
        "ideal": "Ideal A⁺", "anti": "Anti-ideal A⁻", "direction": "Direction",
        "weight": "Weight (normalised)", "dpos": "d⁺", "dneg": "d⁻", "minmax": "Min-max values (for WSM)",
        "results": "Results", "criterion": "Criterion", "group": "Group", "global": "Global weight",
        "local": "Local weight", "consistent": "consistent", "inconsistent": "INCONSISTENT",
        "weights_note": "Change the global weights below (the cells named Weights): the scores and ranks on the "
                        "Matrix, Summary and Breakdown sheets recompute. Weights are divided by their sum.",
        "breakdown_note": "Contribution = weight × min-max value (0 worst … 1 best); the sum is the WSM score.",
        "attainment_note": "Contribution = weight × the criterion's value on the criteria set's yardstick (its scale's "
                           "level or its reference levels: neutral 0, good 1), whatever the other projects; the sum "
                           "is the attainment (as in the opinions).",
        "attainment": "Attainment",
        "how": {"pairwise": "pairwise comparisons (AHP)", "direct": "direct weights", "equal": "equal weights"},
        "experts": "Experts", "expert_weight": "expert weight", "not_ranked": "not ranked",
        "scores_chart": "TOPSIS scores", "breakdown_chart": "Criteria contributions",
        "own_score": "{m} score", "own_rank": "{m} rank",
        "values_note": "{m} ranks and scores written as values (no live formulas for this method; the formulas "
                       "compute TOPSIS and WSM)",
    },
}

BOLD = Font(bold=True)
HEAD = {"font": Font(bold=True, color="FFFFFF"), "fill": PatternFill("solid", fgColor="1F4E79"),
        "alignment": Alignment(wrap_text=True, vertical="center")}
SUB = {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="D9E1F2")}
INPUT = {"fill": PatternFill("solid", fgColor="FFF2CC"), "number_format": "0.0000"}
NUM4 = {"number_format": "0.0000"}
NUM6 = {"number_format": "0.000000"}
MONEY = {"number_format": "#,##0"}
WRAP = {"alignment": Alignment(wrap_text=True, vertical="top")}


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
    matrix's rows and columns) and the normalization of the Matrix sheet's live TOPSIS block (with the
    criteria set's value functions when it is ``reference``)."""

    rk: Any
    lang: str
    w: dict
    t: dict
    ids: list
    crit: list
    norm: str
    values: Any = None

    @property
    def m(self) -> int:
        return len(self.ids)

    @property
    def n(self) -> int:
        return len(self.crit)


class _WeightsCells(NamedTuple):
    """Where the AHP sheet's Weights cells are: column E from ``first_row``, one row per criterion."""

    title: str
    first_row: int

    def cell(self, j: int) -> str:
        return _abs(self.title, self.first_row + j, 5)


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
    """Which optional columns the summary has."""

    live_rank: int | None  # the Matrix column of the method's live ranks, None: ranks written as values
    own: bool  # the method's scores and ranks are written as values in their own columns ...
    own_col: int  # ... from this one
    has_card: bool  # the selection card's points and verdict (columns K, L)


def build_appraisal_workbook(rk, lang: str = "pl", portfolio=None, portfolio_error=None) -> Workbook:
    """The appraisal workbook of a :class:`~appraisal.ranking.Ranking` (see the module docstring).

    With ``portfolio`` (a :class:`~appraisal.portfolio.Portfolio`) a portfolio sheet follows the
    summary; with ``portfolio_error`` (the :class:`InputError` saying why the package's budget has no
    portfolio) that sheet says why. The writer runs no solver: :func:`appraisal.portfolio.budget_portfolio`
    gives both for a package with a budget (:func:`appraisal.io.formats.save` calls it)."""
    wb = _input_sheets(rk, lang)
    ctx = _context(rk, lang)
    summary = wb.create_sheet(ctx.t["summary"], 0)
    wsheet = wb.create_sheet(ctx.t["ahp"], 1)
    mx = wb.create_sheet(ctx.t["matrix"], 2)
    bd = wb.create_sheet(ctx.t["breakdown"], 3)
    wb.active = 0
    weights = _weights_sheet(wb, wsheet, ctx)
    cells = _matrix_sheet(wb, mx, ctx, weights)
    _summary_sheet(summary, ctx, cells)
    _breakdown_sheet(bd, ctx, cells)
    for ws in (summary, wsheet, mx, bd):
        print_setup(ws)
    if portfolio_error is not None:  # the ranking still stands: the sheet says why there is no portfolio
        _no_portfolio_sheet(wb, rk, lang, portfolio_error)
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
    return _Context(rk=rk, lang=lang, w=WORDS[lang], t=TITLES[lang], ids=list(rk.alternatives), crit=rk.criteria,
                    norm=norm, values=values)


# --- AHP weights and the Weights cells ----------------------------------------------------------------


def _weights_sheet(wb, ws, ctx: _Context) -> _WeightsCells:
    """Each group's weights (a pairwise grid with its consistency, or the direct or equal weights), then the
    criteria's global weights: the cells named ``Weights``."""
    rk = ctx.rk
    put(ws, 1, 1, ctx.t["ahp"], {"font": Font(bold=True, size=14)})
    put(ws, 2, 1, f"{rk.engine} · {rk.input_hash} · RI: {rk.random_index or ahp.RI_TABLE_NAME}",
        {"font": Font(italic=True, color="666666")})
    r = 4
    for g in rk.weights:
        r = _group_weights(ws, r, g, ctx.w) + 1
    return _weights_cells(wb, ws, ctx, r)


def _group_weights(ws, r: int, g, w: dict) -> int:
    """One group's weights from row ``r``; the row after them."""
    put(ws, r, 1, f"{g.group} — {g.label or ''}", SUB)
    put(ws, r, 2, w["how"][g.how], SUB)
    r += 1
    if g.how == "pairwise" and g.matrix is not None:
        return _pairwise_weights(ws, r, g, w)
    for k in list(g.weights):
        put(ws, r, 1, k)
        put(ws, r, 2, g.weights[k], NUM4)
        r += 1
    return r


def _pairwise_weights(ws, r: int, g, w: dict) -> int:
    """A pairwise group from row ``r``: the grid with the local weights, λmax, CI, CR and the consistency
    flag, then the experts (if pooled); the row after them."""
    kids = list(g.weights)
    for j, k in enumerate(kids):
        put(ws, r, 2 + j, k, HEAD)
    put(ws, r, 2 + len(kids), w["local"], HEAD)
    for i, k in enumerate(kids):
        put(ws, r + 1 + i, 1, k, {"font": BOLD})
        for j in range(len(kids)):
            put(ws, r + 1 + i, 2 + j, float(g.matrix[i][j]), {"number_format": "0.000"})
        put(ws, r + 1 + i, 2 + len(kids), g.weights[k], NUM4)
    r += len(kids) + 1
    flag = w["consistent"] if g.consistent else w["inconsistent"]
    for label, value in (("λmax", g.lambda_max), ("CI", g.ci), ("CR", g.cr)):
        put(ws, r, 1, label, {"font": BOLD})
        put(ws, r, 2, value, NUM4)
        r += 1
    put(ws, r - 1, 3, flag, {"font": Font(bold=True, color="006100" if g.consistent else "9C0006")})
    if g.experts:
        put(ws, r, 1, w["experts"], {"font": BOLD})
        r += 1
        for e in g.experts:
            put(ws, r, 1, e.file)
            put(ws, r, 2, e.expert_weight, {"number_format": "0.000"})
            put(ws, r, 3, f"CR = {e.cr:.4f} ({w['consistent'] if e.consistent else w['inconsistent']})")
            r += 1
    return r


def _weights_cells(wb, ws, ctx: _Context, r: int) -> _WeightsCells:
    """From row ``r``: the note, then the criteria with their global weights, the input cells named ``Weights``."""
    w = ctx.w
    put(ws, r, 1, w["weights_note"], {"alignment": Alignment(wrap_text=True), "font": Font(italic=True)})
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    ws.row_dimensions[r].height = 45
    r += 1
    for j, h in enumerate([w["criterion"], w["title"], w["group"], w["direction"], w["global"]]):
        put(ws, r, 1 + j, h, HEAD)
    first_w = r + 1
    for j, c in enumerate(ctx.crit):
        row = first_w + j
        put(ws, row, 1, c.id)
        put(ws, row, 2, c.label or "")
        put(ws, row, 3, c.group or "")
        put(ws, row, 4, "+" if c.direction == "benefit" else "-")
        put(ws, row, 5, float(c.weight), INPUT)
    weights_ref = _rng(first_w, 5, first_w + ctx.n - 1, 5, ws.title)
    wb.defined_names["Weights"] = DefinedName("Weights", attr_text=weights_ref)
    for col, width in zip("ABCDE", (24, 44, 22, 10, 14)):
        ws.column_dimensions[col].width = width
    return _WeightsCells(ws.title, first_w)


# --- Matrix: raw → normalised → weighted → ideal/anti → distances → scores; min-max → WSM ----------------


def _matrix_sheet(wb, mx, ctx: _Context, weights: _WeightsCells) -> _MatrixCells:
    """Every score as a formula over the ``Weights`` cells; the TOPSIS scores are named ``Scores``."""
    m, n = ctx.m, ctx.n
    _matrix_head(mx, ctx, weights)
    raw0 = _matrix_block(mx, ctx, 7, ctx.w["raw"])
    for i in range(m):
        for j in range(n):
            put(mx, raw0 + i, _C0 + j, float(ctx.rk.matrix[i][j]))
    norm0 = _normalized_block(mx, ctx, raw0)
    wt0, r_ideal, r_anti = _weighted_block(mx, ctx, norm0)
    mm0 = _matrix_block(mx, ctx, r_anti + 2, ctx.w["minmax"])
    for i in range(m):
        for j in range(n):
            formula(mx, mm0 + i, _C0 + j, _oriented_minmax(ctx, raw0, i, j), NUM6)
    res0 = mm0 + m + 2
    _results_block(wb, mx, ctx, res0, wt0, (r_ideal, r_anti), mm0)
    mx.column_dimensions["A"].width = 26
    for j in range(max(n, 7)):
        mx.column_dimensions[_col(_C0 + j)].width = 14
    mx.freeze_panes = "B4"
    return _MatrixCells(mx.title, raw0, mm0, res0)


def _matrix_head(mx, ctx: _Context, weights: _WeightsCells) -> None:
    """The title, the criteria, their directions and their normalised weights (row _R_W)."""
    put(mx, 1, 1, ctx.t["matrix"], {"font": Font(bold=True, size=14)})
    put(mx, 2, 1, f"TOPSIS, normalization: {ctx.norm}; WSM: min-max. {ctx.rk.engine} · {ctx.rk.input_hash}",
        {"font": Font(italic=True, color="666666")})
    _matrix_header(mx, ctx, 3, ctx.w["criterion"])
    put(mx, _R_DIR, 1, ctx.w["direction"], {"font": BOLD})
    put(mx, _R_W, 1, ctx.w["weight"], {"font": BOLD})
    for j, c in enumerate(ctx.crit):
        col = _C0 + j
        put(mx, _R_DIR, col, "+" if c.direction == "benefit" else "-")
        formula(mx, _R_W, col, f"={weights.cell(j)}/SUM(Weights)", NUM6)


def _matrix_header(mx, ctx: _Context, row: int, title: str) -> None:
    put(mx, row, 1, title, SUB)
    for j, c in enumerate(ctx.crit):
        put(mx, row, _C0 + j, c.id, SUB)


def _matrix_block(mx, ctx: _Context, top: int, title: str) -> int:
    """A block's header at row ``top`` and the alternatives below it; the block's first row."""
    _matrix_header(mx, ctx, top, title)
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


def _normalized_block(mx, ctx: _Context, raw0: int) -> int:
    """The values normalised as the live TOPSIS block's normalization says; the block's first row."""
    norm0 = _matrix_block(mx, ctx, raw0 + ctx.m + 1, ctx.w["normalized"] + f" ({ctx.norm})")
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


def _weighted_block(mx, ctx: _Context, norm0: int) -> tuple[int, int, int]:
    """The weighted values, then the ideal and the anti-ideal rows right below them; the rows of the three."""
    m = ctx.m
    wt0 = _matrix_block(mx, ctx, norm0 + m + 1, ctx.w["weighted"])
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
    heads = [w["id"], w["dpos"], w["dneg"], w["topsis"], w["rank"], w["wsm"], w["rank_wsm"]]
    for k, h in enumerate(heads):
        put(mx, res0 - 1, 1 + k, h, SUB)
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
        formula(mx, row, 5, f"=1+SUMPRODUCT(--({score_rng}>D{row}+1E-12))")
        mm_row = _rng(mm0 + i, _C0, mm0 + i, cn, absolute=False)
        formula(mx, row, 6, f"=SUMPRODUCT({mm_row},{w_rng})", NUM6)
        formula(mx, row, 7, f"=1+SUMPRODUCT(--({wsm_rng}>F{row}+1E-12))")
    wb.defined_names["Scores"] = DefinedName("Scores", attr_text=f"{quote_sheetname(mx.title)}!{score_rng}")


# --- Summary ------------------------------------------------------------------------------------------


def _summary_sheet(ws, ctx: _Context, cells: _MatrixCells) -> None:
    """The ranked projects (scores and ranks as references to the Matrix sheet), then the ineligible ones,
    a colour scale and the scores chart."""
    rk = ctx.rk
    projects = {p.id: p for p in rk.package.projects} if rk.package is not None else {}
    put(ws, 1, 1, (rk.partnership or ctx.t["summary"]), {"font": Font(bold=True, size=14)})
    cols = _summary_columns(ws, ctx)
    row_of = {ident: cells.res0 + i for i, ident in enumerate(ctx.ids)}
    sr = 5
    for res in rk.results:
        _ranked_row(ws, sr, ctx, cells, cols, res, row_of[res.id], projects.get(res.id))
        sr += 1
    last_ranked = sr - 1
    for inel in rk.ineligible:
        _ineligible_row(ws, sr, ctx.w, inel, projects.get(inel.id))
        sr += 1
    ws.conditional_formatting.add(
        f"D5:D{last_ranked}",
        ColorScaleRule(start_type="min", start_color="F8696B", mid_type="percentile", mid_value=50,
                       mid_color="FFEB84", end_type="max", end_color="63BE7B"))
    for col, width in zip("ABCDEFGHIJKL", (8, 8, 60, 10, 10, 10, 10, 40, 16, 50, 12, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C5"
    _scores_chart(ws, ctx, last_ranked, f"B{sr + 2}")


def _summary_columns(ws, ctx: _Context) -> _SummaryColumns:
    """The method line (row 2) and the column headers (row 4)."""
    rk, w, lang = ctx.rk, ctx.w, ctx.lang
    entry = methods.get(rk.method)
    live_rank = LIVE_RANK_COLUMN.get(rk.method)
    own = live_rank is None and not entry.card  # its scores are in no live column: written as values
    label = entry.label[lang]
    put(ws, 2, 1, f"{rk.method.upper()}" + (f" ({rk.normalization})" if rk.normalization else "")
        + f" · {rk.engine} · {rk.input_hash}" + (f" · {w['values_note'].format(m=label)}" if own else ""),
        {"font": Font(italic=True, color="666666")})
    cols = [w["rank"], w["id"], w["title"], w["topsis"], w["rank_topsis"], w["wsm"], w["rank_wsm"], w["eligible"],
            w["cost"], w["funding"]]
    has_card = any(res.card is not None for res in rk.results)
    if has_card:
        cols += [w["points"], w["passed"]]
    own_col = len(cols) + 1
    if own:
        cols += [w["own_score"].format(m=label), w["own_rank"].format(m=label)]
    for k, h in enumerate(cols):
        put(ws, 4, 1 + k, h, HEAD)
    ws.row_dimensions[4].height = 30
    return _SummaryColumns(live_rank, own, own_col, has_card)


def _ranked_row(ws, sr: int, ctx: _Context, cells: _MatrixCells, cols: _SummaryColumns, res, mrow: int,
                project) -> None:
    """A ranked project at row ``sr``; ``mrow`` is its row in the Matrix sheet's results."""
    w = ctx.w
    if cols.live_rank is None:
        put(ws, sr, 1, res.rank)
    else:
        formula(ws, sr, 1, f"={_abs(cells.title, mrow, cols.live_rank)}")
    put(ws, sr, 2, res.id)
    put(ws, sr, 3, res.title or "", WRAP)
    formula(ws, sr, 4, f"={_abs(cells.title, mrow, 4)}", NUM4)
    formula(ws, sr, 5, f"={_abs(cells.title, mrow, 5)}")
    formula(ws, sr, 6, f"={_abs(cells.title, mrow, 6)}", NUM4)
    formula(ws, sr, 7, f"={_abs(cells.title, mrow, 7)}")
    put(ws, sr, 8, w["yes"])
    _project_money(ws, sr, project)
    _fit_row(ws, sr)
    if cols.has_card and res.card is not None:
        put(ws, sr, 11, res.card.total)
        put(ws, sr, 12, w["yes"] if res.card.passed else f"{w['no']}: {'; '.join(res.card.reasons)}")
    if cols.own:
        put(ws, sr, cols.own_col, res.score, NUM4)
        put(ws, sr, cols.own_col + 1, res.rank)


def _ineligible_row(ws, sr: int, w: dict, inel, project) -> None:
    """A project that failed a gate, at row ``sr``: no rank, the failed gates."""
    put(ws, sr, 1, "—")
    put(ws, sr, 2, inel.id)
    put(ws, sr, 3, inel.title or "", WRAP)
    put(ws, sr, 8, f"{w['no']}: " + "; ".join(g.label for g in inel.failed_gates),
        {"font": Font(color="9C0006")})
    _project_money(ws, sr, project)
    _fit_row(ws, sr)


def _scores_chart(ws, ctx: _Context, last_ranked: int, anchor: str) -> None:
    """A bar chart of the summary's TOPSIS scores (rows 5 … ``last_ranked``)."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = ctx.w["scores_chart"]
    chart.y_axis.title = ctx.w["topsis"]
    chart.x_axis.scaling.orientation = "maxMin"
    chart.add_data(Reference(ws, min_col=4, min_row=4, max_row=last_ranked), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=5, max_row=last_ranked))
    chart.legend = None
    chart.height, chart.width = max(7.5, 0.6 * ctx.m + 3), 16
    ws.add_chart(chart, anchor)


# --- Breakdown: contributions to the weighted sum -------------------------------------------------------


def _breakdown_sheet(bd, ctx: _Context, cells: _MatrixCells) -> None:
    """Each criterion's contribution to each project's weighted sum, with a stacked bar chart.

    With a criteria set: weight × the criterion's value on the set's yardstick (the opinions' numbers),
    summing to the attainment; a plain matrix has no yardstick: weight × min-max value, summing to WSM."""
    rk, w, n = ctx.rk, ctx.w, ctx.n
    put(bd, 1, 1, ctx.t["breakdown"], {"font": Font(bold=True, size=14)})
    yardstick = None
    if rk.package is not None:
        from ..ranking import set_values

        yardstick = set_values(rk.package.criteria_set)
    put(bd, 2, 1, w["breakdown_note" if yardstick is None else "attainment_note"], {"font": Font(italic=True)})
    put(bd, 4, 1, w["id"], HEAD)
    for j, c in enumerate(ctx.crit):
        put(bd, 4, 2 + j, c.id, HEAD)
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
        formula(bd, row, 2 + n, f"=SUM({_rng(row, 2, row, 1 + n, absolute=False)})", NUM4)
    _breakdown_chart(bd, ctx)
    bd.column_dimensions["A"].width = 12
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
    stacked.height, stacked.width = max(8, 0.6 * m + 4), 22
    bd.add_chart(stacked, f"A{m + 7}")


def _no_portfolio_sheet(wb, rk, lang: str, error) -> None:
    """The portfolio sheet when the package's budget has no portfolio: why."""
    ws = wb.create_sheet(PORTFOLIO_TITLE[lang], 1)
    put(ws, 1, 1, PORTFOLIO_WORDS[lang]["title"], {"font": Font(bold=True, size=14)})
    from .text import pln

    put(ws, 3, 1, PORTFOLIO_WORDS[lang]["none"].format(budget=pln(rk.package.budget), reason=error.message),
        {"font": Font(bold=True, color="9C0006")})
    ws.column_dimensions["A"].width = 120
    print_setup(ws)


def print_setup(ws) -> None:
    """Landscape A4, one page wide (advisors print these sheets)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; write-only sheets lack the constant)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _fit_row(ws, row: int) -> None:
    """Row height for the wrapped title (column C) and funding (column J) texts; spreadsheets do not
    always grow rows by themselves when a file is opened."""
    lines = 1
    for col, chars in ((3, 58), (10, 48)):
        text = ws.cell(row, col).value
        if isinstance(text, str):
            lines = max(lines, -(-len(text) // chars))
    ws.row_dimensions[row].height = 15 * lines


def _project_money(ws, row: int, project) -> None:
    if project is None:
        return
    if project.cost is not None:
        put(ws, row, 9, float(project.cost), MONEY)
    if project.funding:
        put(ws, row, 10, "; ".join(f.source + (f" {f.amount:,.0f}".replace(",", " ") if f.amount is not None else "")
                                  for f in project.funding), WRAP)


def write_appraisal_workbook(rk, path: str | Path, lang: str = "pl", portfolio=None, portfolio_error=None) -> Path:
    """Build and save the appraisal workbook atomically (the arguments of :func:`build_appraisal_workbook`)."""
    return save_atomic(build_appraisal_workbook(rk, lang, portfolio, portfolio_error), path)


PORTFOLIO_TITLE = {"pl": "Portfel", "en": "Portfolio"}
PORTFOLIO_WORDS = {
    "pl": {
        "title": "Portfel projektów w ramach budżetu", "budget": "Budżet (PLN)",
        "none": "Nie można wybrać portfela dla budżetu pakietu ({budget} PLN): {reason}",
        "total_cost": "Koszt wybranych projektów (PLN)", "left": "Pozostaje (PLN)",
        "total_score": "Suma wyników wybranych", "next": "Następny przy większym budżecie",
        "none_next": "żaden projekt nie wejdzie przy większym budżecie",
        "next_text": "budżet {budget} PLN (+{extra} PLN): wchodzą {enter}{leave}; suma wyników {score}",
        "leave": "; wypadają {ids}", "status": "Status", "chosen": "wybrany", "not_chosen": "niewybrany",
        "ineligible": "niekwalifikujący się", "rank": "Miejsce", "id": "ID", "project": "Projekt",
        "score": "Wynik", "cost": "Koszt (PLN)", "funding": "Finansowanie", "reason": "Powód",
        "sources": "Limity źródeł finansowania", "source": "Źródło", "limit": "Limit (PLN)",
        "spent": "Wydane (PLN)", "source_left": "Pozostaje (PLN)",
        "note": "Wybór: dokładny program 0/1 (scipy.optimize.milp) maksymalizujący sumę wyników przy koszcie ≤ "
                "budżet; remisy: mniejszy koszt, potem projekt wyżej w rankingu. Wybór nie przelicza się po "
                "zmianie wag w arkuszu — uruchom appraise ponownie.",
        "must": "Obowiązkowo", "exclude": "Wyłączone",
    },
    "en": {
        "title": "Portfolio under a budget", "budget": "Budget (PLN)",
        "none": "No portfolio can be chosen for the package's budget ({budget} PLN): {reason}",
        "total_cost": "Cost of the chosen projects (PLN)",
        "left": "Money left (PLN)", "total_score": "Total score of the chosen", "next": "Next with more money",
        "none_next": "no project can enter with more money",
        "next_text": "budget {budget} PLN (+{extra} PLN): {enter} enter{leave}; total score {score}",
        "leave": "; {ids} leave", "status": "Status", "chosen": "chosen", "not_chosen": "not chosen",
        "ineligible": "not eligible", "rank": "Rank", "id": "ID", "project": "Project", "score": "Score",
        "cost": "Cost (PLN)", "funding": "Funding", "reason": "Why not",
        "sources": "Funding source limits", "source": "Source", "limit": "Limit (PLN)", "spent": "Spent (PLN)",
        "source_left": "Left (PLN)",
        "note": "Choice: an exact 0/1 programme (scipy.optimize.milp) maximising the total score with cost ≤ budget; "
                "ties: the smaller cost, then the better-ranked project. The choice is not recomputed when the "
                "weights change in this workbook: run appraise again.",
        "must": "Must be in", "exclude": "Left out",
    },
}


def add_portfolio_sheet(wb, pf, lang: str = "pl", index: int | None = None):
    """The portfolio sheet: budget, totals (=SUM over the chosen rows), money left, the next project,
    source limits, then every project: chosen, not chosen, not eligible."""
    from .text import pln, portfolio_reason

    w = PORTFOLIO_WORDS[lang]
    ws = wb.create_sheet(PORTFOLIO_TITLE[lang], index)
    points = methods.get(pf.method).card
    score_fmt = {"number_format": "General" if points else "0.0000"}
    put(ws, 1, 1, f"{pf.partnership + ' — ' if pf.partnership else ''}{w['title']}", {"font": Font(bold=True, size=14)})
    put(ws, 2, 1, f"{pf.method.upper()}" + (f" ({pf.normalization})" if pf.normalization else "")
        + f" · {pf.engine} · {pf.input_hash}", {"font": Font(italic=True, color="666666")})
    put(ws, 3, 1, w["note"], {"font": Font(italic=True), "alignment": Alignment(wrap_text=True, vertical="top")})
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=8)
    ws.row_dimensions[3].height = 32
    r = 5
    labels = {"budget": r, "total_cost": r + 1, "left": r + 2, "total_score": r + 3, "next": r + 4}
    for key, row in labels.items():
        put(ws, row, 1, w[key], {"font": BOLD})
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
        put(ws, labels["next"], 3, w["next_text"].format(
            budget=pln(n.budget), extra=pln(n.extra), enter=", ".join(n.enter),
            leave=w["leave"].format(ids=", ".join(n.leave)) if n.leave else "",
            score=f"{n.total_score:g}" if points else f"{n.total_score:.4f}"))
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
    heads = [w["status"], w["id"], w["project"], w["rank"], w["score"], w["cost"], w["funding"], w["reason"]]
    for k, h in enumerate(heads):
        put(ws, r, 1 + k, h, HEAD)
    ws.row_dimensions[r].height = 30
    r += 1
    first = r
    groups = (("chosen", pf.chosen, "E2F0D9"), ("not_chosen", pf.not_chosen, None),
              ("ineligible", pf.ineligible, "F2F2F2"))
    for key, items, fill in groups:
        for it in items:
            style = {"fill": PatternFill("solid", fgColor=fill)} if fill else None
            put(ws, r, 1, w[key], style)
            put(ws, r, 2, it.id, style)
            put(ws, r, 3, it.title or "", {**WRAP, **(style or {})})
            put(ws, r, 4, it.rank if it.rank is not None else "—", style)
            if it.score is not None:
                put(ws, r, 5, float(it.score), score_fmt)
            if it.cost is not None:
                put(ws, r, 6, float(it.cost), MONEY)
            if it.funding:
                put(ws, r, 7, "; ".join(f.source + (f" {pln(f.amount)}" if f.amount is not None else "")
                                        for f in it.funding), WRAP)
            if it.reason:
                put(ws, r, 8, portfolio_reason(it, lang), WRAP)
            lines = max(1, -(-len(it.title or "") // 48), -(-len(ws.cell(r, 7).value or "") // 58))
            ws.row_dimensions[r].height = 15 * lines
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
    for col, width in zip("ABCDEFGH", (16, 10, 50, 9, 10, 16, 60, 40)):
        ws.column_dimensions[col].width = width
    print_setup(ws)
    return ws
