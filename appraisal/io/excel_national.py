"""The national workbook: every partnership's package side by side, across the voivodeships.

``write_national_workbook(summary, league, path, lang)`` writes (``summary`` and ``league`` as
produced by :mod:`appraisal.batch`):

- **National** (``Kraj``): one row per scored package, sorted by voivodeship in Polish alphabetical
  order (ł after l, ś after s, ź and ż at the end), then partnership: projects, eligible,
  recommended, total cost, the top project with its score, the median score and the method, a
  column per funding source (blank where 0) and the package's file; a TOTAL row of live ``SUM``
  formulas; a note with the rule for "recommended", the engine, the source and the counts;
- one sheet per **voivodeship** (its name, made a valid and unique sheet title): its packages as
  above, then its projects by partnership and rank within the package, the ineligible ones last
  with the gates they failed;
- **National league** (``Ranking krajowy``): every project of every package, by score (ineligible
  last), with a colour scale on the score;
- **Errors** (``Błędy``): the packages that could not be read or scored and the skipped files, so
  nothing is lost silently.

The workbook is written in openpyxl's write-only mode, row by row, so a national run of tens of
thousands of packages neither holds a quarter of a million cells in memory nor takes minutes.
A project list longer than an Excel sheet (1,048,576 rows) goes on in continuation sheets
(``Ranking krajowy (2)``, …), each with its own heading, so no row is lost.

Sheet titles, headings and notes are in the current language (``lang``: :mod:`appraisal.criteria.i18n`),
methods by their labels, counts in sentences through :mod:`appraisal.numfmt`. Every sheet prints on A4
landscape, one page wide, its table's header repeated on each page; the columns printed are those up to
the method, and the funding sources when there are at most :data:`PRINTED_SOURCES` of them (a national
run has one per regional programme: a note then says they are not printed); the file is not printed.

All text is written as text (a name such as ``=HYPERLINK(…)`` stays text, with Excel's quote
prefix); the only formulas are the sums written here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import methods, numfmt
from ..batch import LEAGUE_FIELDS, polish_key
from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _, ngettext, pgettext
from .excel_report import HEAD, SUB, print_setup
from .excel_sensitivity import lines
from .xlsx_rows import Formula, SheetRows, fill_elsewhere, save_with_rows


def sheet_titles() -> dict[str, str]:
    """The titles of the workbook's own sheets, in the current language, by role."""
    return {"national": pgettext("national", "National"), "league": pgettext("national", "National league"),
            "errors": pgettext("national", "Errors")}


def words() -> dict[str, Any]:
    """The workbook's words in the current language (made once per workbook: the league's rows are
    written in another process, with these)."""
    return {
        "national_title": _("Packages of key projects of the partnerships — national summary"),
        "voivodeship": pgettext("national", "Voivodeship"),
        "partnership": pgettext("national", "Partnership"),
        "projects": pgettext("national", "Projects"),
        "eligible": pgettext("national", "Eligible"),
        "recommended": pgettext("national", "Recommended"),
        "total_cost": pgettext("national", "Total cost (PLN)"),
        "top_id": pgettext("national", "Top project (ID)"),
        "top_title": pgettext("national", "Top project"),
        "top_score": pgettext("national", "Top score"),
        "median": pgettext("national", "Median score"),
        "method": pgettext("national", "Method"),
        "file": pgettext("national", "File"),
        "total": pgettext("national", "TOTAL"),
        "recommend_rule": _("Recommended: projects in the category 'recommended' under the advisory-opinion rules "
                            "of the package's criteria set (score thresholds, gates, group minima, selection card), "
                            "as in 'appraise opinions'."),
        "recommendation": pgettext("national", "Recommendation"),
        "categories": {"recommended": pgettext("national", "recommended"),
                       "recommended_with_conditions": pgettext("national", "recommended with conditions"),
                       "needs_rework": pgettext("national", "needs rework"),
                       "not_recommended": pgettext("national", "not recommended")},
        "vv_projects": pgettext("national", "Projects"),
        "rank": pgettext("national", "Rank in package"),
        "id": pgettext("national", "ID"),
        "title": pgettext("national", "Project"),
        "score": pgettext("national", "Score"),
        "is_eligible": pgettext("national: a project", "Eligible"),
        "failed_gates": pgettext("national", "Failed gates"),
        "cost": pgettext("national", "Cost (PLN)"),
        "funding": pgettext("national", "Funding"),
        "yes": pgettext("national", "yes"),
        "no": pgettext("national", "no"),
        "league_title": pgettext("national", "National league of projects"),
        "league_note": _("Scores are computed within each package (the partnership's own criteria and weights); "
                         "bear that in mind when comparing projects of different partnerships."),
        "errors_title": _("Packages not scored and files skipped"),
        "failed": _("Packages that could not be read or scored"),
        "where": pgettext("national", "Where"),
        "reason": pgettext("national", "Reason"),
        "skipped": _("Skipped files (not packages)"),
        "no_errors": _("No errors: every package found was scored."),
        "no_skipped": _("No files were skipped."),
        "no_voivodeship": pgettext("national", "no voivodeship"),
        "no_rows": _("No packages were scored."),
        "continued": pgettext("national", "(continued)"),
    }


FONT = "Calibri"  # named: a font without a name is drawn in the spreadsheet's own default
#: every cell of a table row sits at the top, level with the first line of the wrapped texts beside it
TOP = {"alignment": Alignment(vertical="top")}
MONEY = {"number_format": "#,##0", **TOP}
SCORE = {"number_format": "0.0000", **TOP}
COUNT = {"number_format": "0", **TOP}
WRAP = {"alignment": Alignment(wrap_text=True, vertical="top")}
RED_WRAP = {"font": Font(name=FONT, color="9C0006"), "alignment": Alignment(wrap_text=True, vertical="top")}
HEAD_WRAP = {**HEAD, "alignment": Alignment(wrap_text=True, vertical="center")}
TITLE = {"font": Font(name=FONT, bold=True, size=14)}
NOTE = {"font": Font(name=FONT, italic=True, color="666666")}
RED = {"font": Font(name=FONT, color="9C0006"), **TOP}
LINK = {"font": Font(name=FONT, color="0563C1", underline="single"), **TOP}
WARN_LINK = {"font": Font(name=FONT, bold=True, color="9C0006", underline="single")}
UNSPECIFIED = ("nieokreślone", "unspecified")

#: rows of an Excel sheet
EXCEL_ROWS = 1_048_576
#: rows of a sheet here: a longer project list goes on in continuation sheets (tests lower it)
MAX_ROWS = EXCEL_ROWS

# --- sheet titles -------------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
MAX_TITLE = 31


def sheet_title(name: str, taken: set[str], fallback: str = "-") -> str:
    """``name`` as a valid Excel sheet title not in ``taken`` (casefolded; the new title is added).

    Excel allows at most 31 characters, none of ``[]:*?/\\``, no apostrophe at either end, and no
    two titles equal ignoring case (``History`` is reserved). LibreOffice drops a sheet with an
    apostrophe anywhere in its title, so one inside becomes a typographic ’.
    """
    t = _FORBIDDEN.sub("-", str(name or "")).strip().strip("'").strip().replace("'", "\u2019")
    if not t:
        t = fallback
    t = t[:MAX_TITLE].rstrip().rstrip("'").rstrip() or fallback[:MAX_TITLE]
    base, n = t, 2
    while t.casefold() in taken or t.casefold() == "history":
        suffix = f" ({n})"
        t = base[: MAX_TITLE - len(suffix)].rstrip().rstrip("'").rstrip() + suffix
        n += 1
    taken.add(t.casefold())
    return t


# --- writing row by row -----------------------------------------------------------------------------------

class _Sheet(SheetRows):
    """A sheet filled from the top (:class:`~appraisal.io.xlsx_rows.SheetRows`); column widths,
    frozen panes and page setup given when it is made."""

    def __init__(self, wb: Workbook, title: str, widths: dict[int, float], freeze: str | None = None):
        self.widths = widths
        ws = wb.create_sheet(title)
        for j, width in widths.items():
            ws.column_dimensions[get_column_letter(j)].width = width
        if freeze:
            ws.freeze_panes = freeze
        print_setup(ws)
        super().__init__(ws)
        self.title = title


# --- helpers ------------------------------------------------------------------------------------------

#: a line of text in a cell, in points (Calibri 11)
LINE_PT = 15.0


def height(values: list[Any], widths: dict[int, float], wrapped: tuple[int, ...]) -> float | None:
    """The height of a row whose columns ``wrapped`` (0-based) wrap their text; None for one line.
    Spreadsheets do not all grow a row for wrapped text when they open a file, so it is written."""
    n = max(lines(values[j], widths.get(j + 1, 8.43)) for j in wrapped)
    return None if n <= 1 else LINE_PT * n


def note_lines(text: str, widths: dict[int, float], columns: int) -> list[str]:
    """``text`` cut between words into lines as wide as the first ``columns`` columns (a note printed
    within the page, not cut off at its edge)."""
    import textwrap

    chars = int(sum(widths.get(j, 8.43) for j in range(1, columns + 1)) * 0.95)
    return textwrap.wrap(text, width=max(40, chars)) or [text]

def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _sources(partnerships: list[dict]) -> list[str]:
    names = {str(s) for p in partnerships for s in (p.get("cost_by_source") or {})}
    return sorted(names, key=lambda s: (s.casefold() in UNSPECIFIED, polish_key(s)))


def _method(p: dict) -> str:
    """The package's method as a reader reads it: "TOPSIS (vector normalization)", "WSM (weighted sum)"."""
    m = str(p.get("method") or "")
    if m not in methods.names():
        return m + (f" ({p['normalization']})" if p.get("normalization") else "")
    entry = methods.get(m)
    return methods.variant_label(entry.key(p.get("normalization")) if entry.normalizations else m)


#: the first column of the funding sources in a partnership table: after the columns printed, before the
#: package's file (a run has a source per regional programme, often too many to print on a page's width)
C_SOURCES = 12
#: at most this many source columns are printed with the table
PRINTED_SOURCES = 4


def _partnership_heads(sources: list[str], w: dict) -> list[str]:
    return [w["voivodeship"], w["partnership"], w["projects"], w["eligible"], w["recommended"], w["total_cost"],
            w["top_id"], w["top_title"], w["top_score"], w["median"], w["method"], *sources, w["file"]]


def _partnership_table(sh: _Sheet, rows: list[dict], sources: list[str], w: dict,
                       links: dict[str, str] | None = None) -> dict[str, int]:
    """Header, one row per package, a TOTAL row of SUMs; returns the rows and columns used."""
    heads = _partnership_heads(sources, w)
    header = sh.row(heads, [HEAD_WRAP] * len(heads), height=45)
    first = header + 1
    wrapped = (1, 7, 10)  # partnership, top project, method
    for p in rows:
        top_p = p.get("top_project") or {}
        by_source = p.get("cost_by_source") or {}
        vv = str(p.get("voivodeship") or "")
        counts = [None if p.get(k) is None else int(p[k]) for k in ("projects", "eligible", "recommended")]
        values = [vv, str(p.get("partnership") or ""), *counts, _num(p.get("total_cost")),
                  str(top_p.get("id") or "") if top_p else None, str(top_p.get("title") or "") if top_p else None,
                  _num(top_p.get("score")) if top_p else None, _num(p.get("median_score")), _method(p),
                  *(_num(by_source.get(s)) or None for s in sources),  # blank where 0 (or absent)
                  str(p.get("file") or "")]
        styles = [*_PARTNERSHIP_STYLES, *[MONEY] * len(sources), TOP]
        h = height(values, sh.widths, wrapped)
        if links and vv in links:
            sh.row(values, [LINK, *styles[1:]], height=h, links={0: links[vv]})
        else:
            sh.row(values, styles, height=h)
    last = sh.r
    summed = [*range(3, 7), *range(C_SOURCES, C_SOURCES + len(sources))]

    def total(j: int) -> Any:
        letter = get_column_letter(j)
        return Formula(f"=SUM({letter}{first}:{letter}{last})") if rows else 0

    ncols = len(heads)
    totals: list[Any] = [w["total"], *(total(j) if j in summed else None for j in range(2, ncols + 1))]
    total_row = sh.row(totals, [SUB, *({**SUB, **(COUNT if j < 6 else MONEY)} for j in range(2, ncols + 1))])
    return {"header": header, "first": first, "last": last, "total": total_row, "ncols": len(heads)}


_PARTNERSHIP_STYLES = [TOP, WRAP, COUNT, COUNT, COUNT, MONEY, TOP, WRAP, SCORE, SCORE, WRAP]


def _partnership_widths(sources: list[str]) -> dict[int, float]:
    widths = {1: 20, 2: 32, 3: 10, 4: 15, 5: 16, 6: 15, 7: 11, 8: 34, 9: 11, 10: 11, 11: 22}
    for j in range(len(sources)):
        widths[C_SOURCES + j] = max(14, min(24, len(sources[j]) + 2))
    widths[C_SOURCES + len(sources)] = 40
    return widths


def _printed_columns(sources: list[str]) -> int:
    """The columns printed: up to the method, and the funding sources when there are few."""
    return C_SOURCES - 1 + (len(sources) if len(sources) <= PRINTED_SOURCES else 0)


def _not_printed(sources: list[str]) -> str | None:
    """The note saying that the funding sources' columns are not printed, when they are too many."""
    n = len(sources)
    if n <= PRINTED_SOURCES:
        return None
    return ngettext("Not printed: the costs by funding source (columns {first}–{last}); {n} source does not fit "
                    "on the width of a page.",
                    "Not printed: the costs by funding source (columns {first}–{last}); {n} sources do not fit "
                    "on the width of a page.", n).format(first=get_column_letter(C_SOURCES),
                                                         last=get_column_letter(C_SOURCES + n - 1), n=n)


def _print(sh: _Sheet, header: int, columns: int) -> None:
    """Print ``columns`` columns (one page wide) and repeat row ``header`` (a table's header) on every page."""
    sh.ws.print_title_rows = f"{header}:{header}"
    sh.ws.print_area = f"A1:{get_column_letter(columns)}{max(sh.r, header)}"


def _league_tuples(league: Iterable[Any]) -> list[tuple]:
    """League rows as tuples of :data:`~appraisal.batch.LEAGUE_FIELDS` (dicts are accepted too)."""
    return [x if type(x) is tuple else tuple(x.get(f) for f in LEAGUE_FIELDS) if isinstance(x, dict) else tuple(x)
            for x in league]


_VV, _PART, _KEY, _ID, _TITLE, _SCORE, _RANK, _ELIG, _GATES, _COST, _FUND, _REC = range(len(LEAGUE_FIELDS))


def _project_values(x: tuple, w: dict, with_vv: bool) -> tuple[list[Any], list[dict | None]]:
    """One project: on the league sheet (``with_vv``) or on a voivodeship sheet (the columns of its heading)."""
    eligible = bool(x[_ELIG])
    score, cost = _num(x[_SCORE]), _num(x[_COST])
    rank = None if x[_RANK] is None else int(x[_RANK])
    gates = "; ".join(str(g) for g in (x[_GATES] or []))
    yes_no = w["yes"] if eligible else w["no"]
    if with_vv:
        values = [str(x[_VV] or ""), str(x[_PART] or ""), str(x[_ID] or ""), str(x[_TITLE] or ""), score, rank,
                  yes_no, gates, cost, str(x[_FUND] or ""), w["categories"].get(x[_REC], x[_REC])]
        return values, (_LEAGUE_STYLES if eligible else _LEAGUE_STYLES_RED)
    values = [str(x[_PART] or ""), str(x[_TITLE] or ""), str(x[_ID] or ""), rank, score, cost, yes_no, gates,
              str(x[_FUND] or ""), w["categories"].get(x[_REC], x[_REC])]
    return values, (_VV_STYLES if eligible else _VV_STYLES_RED)


_LEAGUE_STYLES = [TOP, WRAP, TOP, WRAP, SCORE, COUNT, TOP, RED_WRAP, MONEY, WRAP, TOP]
_LEAGUE_STYLES_RED = [TOP, WRAP, TOP, WRAP, SCORE, COUNT, RED, RED_WRAP, MONEY, WRAP, RED]
_VV_STYLES = [WRAP, WRAP, TOP, COUNT, SCORE, MONEY, TOP, RED_WRAP, WRAP, TOP]
_VV_STYLES_RED = [WRAP, WRAP, TOP, COUNT, SCORE, MONEY, RED, RED_WRAP, WRAP, RED]


def _pages(n: int, first_capacity: int, capacity: int) -> list[tuple[int, int]]:
    """Split ``n`` rows into (start, stop) pages: the first sheet holds ``first_capacity`` rows,
    each continuation sheet ``capacity``."""
    pages = [(0, min(n, max(0, first_capacity)))]
    while pages[-1][1] < n:
        start = pages[-1][1]
        pages.append((start, min(n, start + capacity)))
    return pages


# --- the workbook -------------------------------------------------------------------------------------

def write_national_workbook(summary: dict, league: Iterable[Any], path: str | Path, lang: str | None = None,
                            alongside: Callable[[], None] | None = None) -> Path:
    """Build and save the national workbook of a batch run (see the module docstring) atomically, in
    ``lang`` (None: the current language; an unknown one is a ValueError).

    The league's rows are written by a second process while this one writes the other sheets;
    ``alongside`` (a task that writes no part of the workbook, e.g. league.json from the same rows)
    runs in that process after them."""
    sheets: list[_Sheet] = []
    try:
        with i18n.use(lang):
            wb = _build(summary, league, sheets, alongside)
    except BaseException:
        for sh in sheets:
            sh.discard()
        raise
    return save_with_rows(wb, sheets, path)


def _build(summary: dict, league: Iterable[Any], made: list[_Sheet],
           alongside: Callable[[], None] | None = None) -> Workbook:
    """The workbook (write-only) with every sheet's rows in ``made``, to be saved by save_with_rows; in
    the current language."""
    w, t = words(), sheet_titles()
    partnerships = sorted(summary.get("partnerships") or [],
                          key=lambda p: (polish_key(p.get("voivodeship")), polish_key(p.get("partnership")),
                                         str(p.get("key") or "")))
    rows = _league_tuples(league or [])
    errors = list(summary.get("errors") or [])
    skipped = list(summary.get("skipped") or [])
    counts = summary.get("counts") or {}
    sources = _sources(partnerships)
    if len(partnerships) + 10 > EXCEL_ROWS:
        raise InputError(_("{n} packages do not fit on one sheet of the national workbook ({rows} rows); "
                           "summary.json and league.json hold them all").format(
            n=numfmt.amount(len(partnerships)), rows=numfmt.amount(EXCEL_ROWS)))

    wb = Workbook(write_only=True)

    def new(title: str, widths: dict[int, float], freeze: str | None = None) -> _Sheet:
        made.append(_Sheet(wb, title, widths, freeze))
        return made[-1]

    taken = {t["national"].casefold(), t["league"].casefold(), t["errors"].casefold()}
    widths = _partnership_widths(sources)
    not_printed = _not_printed(sources)
    printed = _printed_columns(sources)
    rule = note_lines(w["recommend_rule"], widths, printed)
    # title, the rule, engine, counts, [not printed], errors or blank, then the header
    national_header = 5 + len(rule) + (not_printed is not None)
    national = new(t["national"], widths, freeze=f"C{national_header + 1}")

    # the sheets in their order: national, each voivodeship (and its continuations), league, errors
    voivodeships = sorted({str(p.get("voivodeship") or "") for p in partnerships}
                          | {str(x[_VV] or "") for x in rows}, key=polish_key)
    vv_title = {v: sheet_title(v, taken, fallback=w["no_voivodeship"]) for v in voivodeships}
    by_vv: dict[str, list[dict]] = {v: [] for v in voivodeships}
    for p in partnerships:
        by_vv[str(p.get("voivodeship") or "")].append(p)
    projects_by_vv: dict[str, list[tuple]] = {v: [] for v in voivodeships}
    for x in rows:
        projects_by_vv[str(x[_VV] or "")].append(x)

    proj_heads = [w["partnership"], w["title"], w["id"], w["rank"], w["score"], w["cost"], w["is_eligible"],
                  w["failed_gates"], w["funding"], w["recommendation"]]
    vv_widths = dict(widths)
    for j, width in enumerate((30, 36, 9, 11, 10, 14, 13, 30, 30, 22), start=1):
        vv_widths[j] = max(vv_widths.get(j, 0), width)
    vv_plan = []
    for v in voivodeships:
        vrows = by_vv[v]
        projects = projects_by_vv[v]
        order = {p.get("key"): i for i, p in enumerate(vrows)}
        projects.sort(key=lambda x: (order.get(x[_KEY], len(order)), polish_key(x[_PART]), str(x[_KEY] or ""),
                                     not x[_ELIG] or x[_RANK] is None, x[_RANK] if x[_RANK] is not None else 0,
                                     polish_key(x[_ID])))
        used = 3 + len(vrows) + 1 + 3  # title, blank, header, packages, total, blank, sub-heading, header
        pages = _pages(len(projects), MAX_ROWS - used, MAX_ROWS - 3)
        pages_sheets = [new(vv_title[v], vv_widths, freeze="C4")]
        for k in range(2, len(pages) + 1):
            pages_sheets.append(new(sheet_title(f"{vv_title[v]} ({k})", taken), vv_widths, freeze="A4"))
        vv_plan.append((v, vrows, projects, pages, pages_sheets))

    method = summary.get("method")  # best first, the way the registry says (VIKOR: lowest Q first)
    sign = -1.0 if method in methods.names() and not methods.get(method).higher_is_better else 1.0

    def league_key(x: tuple):
        s = _num(x[_SCORE])
        scored = bool(x[_ELIG]) and s is not None
        return (not scored, -sign * (s or 0.0) if scored else 0.0, polish_key(x[_VV]), polish_key(x[_PART]),
                x[_RANK] if x[_RANK] is not None else 0, polish_key(x[_ID]))

    ranked = sorted(rows, key=league_key)
    league_pages = _pages(len(ranked), MAX_ROWS - 4, MAX_ROWS - 4)
    league_widths = dict(enumerate((20, 30, 9, 36, 10, 11, 13, 30, 14, 30, 22), start=1))
    league_sheets = [new(t["league"], league_widths, freeze="C5")]
    for k in range(2, len(league_pages) + 1):
        league_sheets.append(new(sheet_title(f"{t['league']} ({k})", taken), league_widths, freeze="C5"))
    errors_sh = new(t["errors"], {1: 50, 2: 24, 3: 80})

    # --- National league: its rows written by another process while this one writes the rest --------
    heads = [w["voivodeship"], w["partnership"], w["id"], w["title"], w["score"], w["rank"], w["is_eligible"],
             w["failed_gates"], w["cost"], w["funding"], w["recommendation"]]
    hr = 4  # title, note, blank, heading
    for sh, (start, stop) in zip(league_sheets, league_pages):
        sh.register([TITLE], [NOTE], [HEAD_WRAP] * len(heads), _LEAGUE_STYLES, _LEAGUE_STYLES_RED)
        sh.ws.print_title_rows = f"{hr}:{hr}"
        scored = [i for i in range(start, stop) if ranked[i][_ELIG] and _num(ranked[i][_SCORE]) is not None]
        if scored:
            sh.ws.conditional_formatting.add(
                f"E{hr + 1}:E{hr + 1 + scored[-1] - start}",
                ColorScaleRule(start_type="min", start_color="F8696B", mid_type="percentile", mid_value=50,
                               mid_color="FFEB84", end_type="max", end_color="63BE7B"))
        sh.ws.auto_filter.ref = f"A{hr}:{get_column_letter(len(heads))}{hr + stop - start}"

    def fill_league() -> None:
        for k, ((start, stop), sh) in enumerate(zip(league_pages, league_sheets)):
            sh.row([w["league_title"] + (f" {w['continued']}" if k else "")], [TITLE])
            sh.row([w["league_note"]], [NOTE])
            sh.blank()
            sh.row(heads, [HEAD_WRAP] * len(heads), height=32)
            for x in ranked[start:stop]:
                values, styles = _project_values(x, w, with_vv=True)
                sh.row(values, styles, height=height(values, league_widths, (1, 3, 7, 9)))
        if alongside is not None:
            alongside()

    with fill_elsewhere(league_sheets, fill_league):
        # --- National ------------------------------------------------------------------------------------
        national.row([w["national_title"]], [TITLE])
        for line in rule:
            national.row([line], [NOTE])
        national.row([_("Engine: {engine} · source: {source}").format(engine=summary.get("engine") or "—",
                                                                        source=summary.get("source") or "—")], [NOTE])
        national.row([_("Packages: found {found}, scored {scored}, failed {failed}; files skipped {skipped}.").format(
            found=numfmt.amount(counts.get("found", len(partnerships) + len(errors))),
            scored=numfmt.amount(counts.get("scored", len(partnerships))),
            failed=numfmt.amount(counts.get("failed", len(errors))),
            skipped=numfmt.amount(counts.get("skipped", len(skipped))))], [NOTE])
        if not_printed is not None:
            national.row([not_printed], [NOTE])
        if errors:
            national.row([ngettext("Note: {n} package could not be scored — see the “{sheet}” sheet.",
                                   "Note: {n} packages could not be scored — see the “{sheet}” sheet.",
                                   len(errors)).format(n=numfmt.amount(len(errors)), sheet=t["errors"])],
                         [WARN_LINK], links={0: t["errors"]})
        else:
            national.blank()
        info = _partnership_table(national, partnerships, sources, w, links=vv_title)
        if not partnerships:
            national.blank()
            national.row([w["no_rows"]], [NOTE])
        last_col = get_column_letter(info["ncols"])
        national.ws.auto_filter.ref = f"A{info['header']}:{last_col}{max(info['last'], info['header'])}"
        _print(national, info["header"], printed)

        # --- one sheet per voivodeship -------------------------------------------------------------------------
        for v, vrows, projects, pages, pages_sheets in vv_plan:
            first = pages_sheets[0]
            first.row([v or w["no_voivodeship"]], [TITLE])
            if not_printed is not None:
                first.row([not_printed], [NOTE])
            else:
                first.blank()
            _partnership_table(first, vrows, sources, w)
            first.blank()
            first.row([w["vv_projects"]], [SUB])
            for k, ((start, stop), sh) in enumerate(zip(pages, pages_sheets)):
                if k:
                    sh.row([f"{v or w['no_voivodeship']} {w['continued']}"], [TITLE])
                    sh.blank()
                header = sh.row(proj_heads, [HEAD_WRAP] * len(proj_heads), height=32)
                for x in projects[start:stop]:
                    values, styles = _project_values(x, w, with_vv=False)
                    sh.row(values, styles, height=height(values, vv_widths, (0, 1, 7, 8)))
                _print(sh, header, max(printed, len(proj_heads)))

        # --- Errors ------------------------------------------------------------------------------------------
        errors_sh.row([w["errors_title"]], [TITLE])
        errors_sh.blank()
        errors_sh.row([w["failed"]], [SUB])
        if errors:
            errors_sh.row([w["file"], w["where"], w["reason"]], [HEAD] * 3)
            for e in errors:
                errors_sh.row([str(e.get("file") or e.get("key") or ""),
                               None if e.get("where") is None else str(e["where"]), str(e.get("reason") or "")],
                              [WRAP, None, RED_WRAP])
        else:
            errors_sh.row([w["no_errors"]])
        errors_sh.blank()
        errors_sh.row([w["skipped"]], [SUB])
        if skipped:
            errors_sh.row([w["file"], w["reason"]], [HEAD] * 2)
            for sk in skipped:
                errors_sh.row([str(sk.get("file") or ""), str(sk.get("reason") or "")])
        else:
            errors_sh.row([w["no_skipped"]])
    return wb


