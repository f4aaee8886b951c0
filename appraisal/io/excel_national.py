"""The national workbook: every partnership's package side by side, across the voivodeships.

``write_national_workbook(summary, league, path, lang)`` writes (``summary`` and ``league`` as
produced by :mod:`appraisal.batch`):

- **National** (``Kraj``): one row per scored package, sorted by voivodeship in Polish alphabetical
  order (ł after l, ś after s, ź and ż at the end), then partnership: projects, eligible,
  recommended, total cost and a column per funding source (blank where 0), the top project with
  its score, the median score and the method; a TOTAL row of live ``SUM`` formulas; a note with
  the rule for "recommended", the engine, the source and the counts;
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
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import methods
from ..batch import LEAGUE_FIELDS, polish_key
from ..criteria.errors import InputError
from .excel_report import HEAD, SUB, print_setup
from .xlsx_rows import Formula, SheetRows, fill_elsewhere, save_with_rows

TITLES = {
    "pl": {"national": "Kraj", "league": "Ranking krajowy", "errors": "Błędy"},
    "en": {"national": "National", "league": "National league", "errors": "Errors"},
}
WORDS: dict[str, dict[str, Any]] = {
    "pl": {
        "national_title": "Pakiety projektów kluczowych partnerstw — zestawienie krajowe",
        "voivodeship": "Województwo", "partnership": "Partnerstwo", "projects": "Projekty",
        "eligible": "Kwalifikowalne", "recommended": "Rekomendowane", "total_cost": "Koszt łącznie (PLN)",
        "top_id": "Najlepszy projekt (ID)", "top_title": "Najlepszy projekt", "top_score": "Wynik najlepszego",
        "median": "Mediana wyników", "method": "Metoda", "file": "Plik", "total": "RAZEM",
        "recommend_rule": "Rekomendowane: projekty z kategorią „rekomendowany” według reguł opinii doradczej zestawu "
                          "kryteriów pakietu (progi wyniku, kryteria dostępowe, minima grup, karta oceny), "
                          "jak w „appraise opinions”.",
        "recommendation": "Rekomendacja",
        "categories": {"recommended": "rekomendowany", "recommended_with_conditions": "rekomendowany warunkowo",
                       "needs_rework": "do przeformułowania", "not_recommended": "nierekomendowany"},
        "engine": "Silnik: {engine} · źródło: {source}",
        "counts": "Pakiety: znalezione {found}, ocenione {scored}, z błędami {failed}; pominięte pliki {skipped}.",
        "see_errors": "Uwaga: {n} pakiet(y/ów) nie oceniono — zob. arkusz „{sheet}”.",
        "vv_projects": "Projekty", "rank": "Miejsce w pakiecie", "id": "ID", "title": "Projekt",
        "score": "Wynik", "is_eligible": "Kwalifikowalny", "failed_gates": "Niespełnione kryteria dostępowe",
        "cost": "Koszt (PLN)", "funding": "Finansowanie", "yes": "tak", "no": "nie",
        "league_title": "Ranking krajowy projektów",
        "league_note": "Wyniki liczone są w obrębie każdego pakietu (własne kryteria i wagi partnerstwa); "
                       "porównując projekty różnych partnerstw, miej to na uwadze.",
        "errors_title": "Pakiety nieocenione i pominięte pliki",
        "failed": "Pakiety, których nie udało się wczytać lub ocenić", "where": "Miejsce", "reason": "Przyczyna",
        "skipped": "Pominięte pliki (nie są pakietami)",
        "no_errors": "Brak błędów: wszystkie znalezione pakiety zostały ocenione.",
        "no_skipped": "Nie pominięto żadnych plików.",
        "no_voivodeship": "bez województwa",
        "no_rows": "Brak ocenionych pakietów.",
        "continued": "(ciąg dalszy)",
    },
    "en": {
        "national_title": "Packages of key projects of the partnerships — national summary",
        "voivodeship": "Voivodeship", "partnership": "Partnership", "projects": "Projects",
        "eligible": "Eligible", "recommended": "Recommended", "total_cost": "Total cost (PLN)",
        "top_id": "Top project (ID)", "top_title": "Top project", "top_score": "Top score",
        "median": "Median score", "method": "Method", "file": "File", "total": "TOTAL",
        "recommend_rule": "Recommended: projects in the category 'recommended' under the advisory-opinion rules of "
                          "the package's criteria set (score thresholds, gates, group minima, selection card), "
                          "as in 'appraise opinions'.",
        "recommendation": "Recommendation",
        "categories": {"recommended": "recommended", "recommended_with_conditions": "recommended with conditions",
                       "needs_rework": "needs rework", "not_recommended": "not recommended"},
        "engine": "Engine: {engine} · source: {source}",
        "counts": "Packages: found {found}, scored {scored}, failed {failed}; files skipped {skipped}.",
        "see_errors": "Note: {n} package(s) could not be scored — see the “{sheet}” sheet.",
        "vv_projects": "Projects", "rank": "Rank in package", "id": "ID", "title": "Project",
        "score": "Score", "is_eligible": "Eligible", "failed_gates": "Failed gates",
        "cost": "Cost (PLN)", "funding": "Funding", "yes": "yes", "no": "no",
        "league_title": "National league of projects",
        "league_note": "Scores are computed within each package (the partnership's own criteria and weights); "
                       "bear that in mind when comparing projects of different partnerships.",
        "errors_title": "Packages not scored and files skipped",
        "failed": "Packages that could not be read or scored", "where": "Where", "reason": "Reason",
        "skipped": "Skipped files (not packages)",
        "no_errors": "No errors: every package found was scored.",
        "no_skipped": "No files were skipped.",
        "no_voivodeship": "no voivodeship",
        "no_rows": "No packages were scored.",
        "continued": "(continued)",
    },
}

MONEY = {"number_format": "#,##0"}
SCORE = {"number_format": "0.0000"}
COUNT = {"number_format": "0"}
TITLE = {"font": Font(bold=True, size=14)}
NOTE = {"font": Font(italic=True, color="666666")}
RED = {"font": Font(color="9C0006")}
LINK = {"font": Font(color="0563C1", underline="single")}
WARN_LINK = {"font": Font(bold=True, color="9C0006", underline="single")}
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
        ws = wb.create_sheet(title)
        for j, width in widths.items():
            ws.column_dimensions[get_column_letter(j)].width = width
        if freeze:
            ws.freeze_panes = freeze
        print_setup(ws)
        super().__init__(ws)
        self.title = title


# --- helpers ------------------------------------------------------------------------------------------

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
    m = str(p.get("method") or "")
    return m + (f" ({p['normalization']})" if p.get("normalization") else "")


def _partnership_heads(sources: list[str], w: dict) -> list[str]:
    return [w["voivodeship"], w["partnership"], w["projects"], w["eligible"], w["recommended"], w["total_cost"],
            *sources, w["top_id"], w["top_title"], w["top_score"], w["median"], w["method"], w["file"]]


def _partnership_table(sh: _Sheet, rows: list[dict], sources: list[str], w: dict,
                       links: dict[str, str] | None = None) -> dict[str, int]:
    """Header, one row per package, a TOTAL row of SUMs; returns the rows and columns used."""
    heads = _partnership_heads(sources, w)
    header = sh.row(heads, [HEAD] * len(heads), height=32)
    c_src = 7
    first = header + 1
    for p in rows:
        top_p = p.get("top_project") or {}
        by_source = p.get("cost_by_source") or {}
        vv = str(p.get("voivodeship") or "")
        counts = [None if p.get(k) is None else int(p[k]) for k in ("projects", "eligible", "recommended")]
        values = [vv, str(p.get("partnership") or ""), *counts, _num(p.get("total_cost")),
                  *(_num(by_source.get(s)) or None for s in sources),  # blank where 0 (or absent)
                  str(top_p.get("id") or "") if top_p else None, str(top_p.get("title") or "") if top_p else None,
                  _num(top_p.get("score")) if top_p else None, _num(p.get("median_score")), _method(p),
                  str(p.get("file") or "")]
        styles = [None, None, COUNT, COUNT, COUNT, MONEY, *([MONEY] * len(sources)), None, None, SCORE, SCORE,
                  None, None]
        if links and vv in links:
            sh.row(values, [LINK, *styles[1:]], links={0: links[vv]})
        else:
            sh.row(values, styles)
    last = sh.r
    totals: list[Any] = [w["total"], None]
    for j in range(3, c_src + len(sources)):
        letter = get_column_letter(j)
        totals.append(Formula(f"=SUM({letter}{first}:{letter}{last})") if rows else 0)
    total = sh.row(totals, [SUB, SUB] + [{**SUB, **(COUNT if j < 6 else MONEY)} for j in range(3, c_src + len(sources))])
    return {"header": header, "first": first, "last": last, "total": total, "ncols": len(heads),
            "c_top": c_src + len(sources)}


def _partnership_widths(sources: list[str]) -> dict[int, float]:
    widths = {1: 22, 2: 42, 3: 10, 4: 14, 5: 14, 6: 18}
    for j in range(len(sources)):
        widths[7 + j] = max(14, min(30, len(sources[j]) + 4))
    c_top = 7 + len(sources)
    widths.update({c_top: 12, c_top + 1: 44, c_top + 2: 12, c_top + 3: 12, c_top + 4: 18, c_top + 5: 40})
    return widths


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


_LEAGUE_STYLES = [None, None, None, None, SCORE, COUNT, None, RED, MONEY, None, None]
_LEAGUE_STYLES_RED = [None, None, None, None, SCORE, COUNT, RED, RED, MONEY, None, RED]
_VV_STYLES = [None, None, None, COUNT, SCORE, MONEY, None, RED, None, None]
_VV_STYLES_RED = [None, None, None, COUNT, SCORE, MONEY, RED, RED, None, RED]


def _pages(n: int, first_capacity: int, capacity: int) -> list[tuple[int, int]]:
    """Split ``n`` rows into (start, stop) pages: the first sheet holds ``first_capacity`` rows,
    each continuation sheet ``capacity``."""
    pages = [(0, min(n, max(0, first_capacity)))]
    while pages[-1][1] < n:
        start = pages[-1][1]
        pages.append((start, min(n, start + capacity)))
    return pages


# --- the workbook -------------------------------------------------------------------------------------

def write_national_workbook(summary: dict, league: Iterable[Any], path: str | Path, lang: str = "pl",
                            alongside: Callable[[], None] | None = None) -> Path:
    """Build and save the national workbook of a batch run (see the module docstring) atomically.

    The league's rows are written by a second process while this one writes the other sheets;
    ``alongside`` (a task that writes no part of the workbook, e.g. league.json from the same rows)
    runs in that process after them."""
    if lang not in WORDS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(WORDS)}")
    sheets: list[_Sheet] = []
    try:
        wb = _build(summary, league, lang, sheets, alongside)
    except BaseException:
        for sh in sheets:
            sh.discard()
        raise
    return save_with_rows(wb, sheets, path)


def _build(summary: dict, league: Iterable[Any], lang: str, made: list[_Sheet],
           alongside: Callable[[], None] | None = None) -> Workbook:
    """The workbook (write-only) with every sheet's rows in ``made``, to be saved by save_with_rows."""
    w, t = WORDS[lang], TITLES[lang]
    partnerships = sorted(summary.get("partnerships") or [],
                          key=lambda p: (polish_key(p.get("voivodeship")), polish_key(p.get("partnership")),
                                         str(p.get("key") or "")))
    rows = _league_tuples(league or [])
    errors = list(summary.get("errors") or [])
    skipped = list(summary.get("skipped") or [])
    counts = summary.get("counts") or {}
    sources = _sources(partnerships)
    if len(partnerships) + 10 > EXCEL_ROWS:
        raise InputError(f"{len(partnerships):,} packages do not fit on one sheet of the national workbook "
                         f"({EXCEL_ROWS:,} rows); summary.json and league.json hold them all")

    wb = Workbook(write_only=True)

    def new(title: str, widths: dict[int, float], freeze: str | None = None) -> _Sheet:
        made.append(_Sheet(wb, title, widths, freeze))
        return made[-1]

    taken = {t["national"].casefold(), t["league"].casefold(), t["errors"].casefold()}
    widths = _partnership_widths(sources)
    national = new(t["national"], widths, freeze="C7")

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
    for j, width in enumerate((36, 44, 10, 14, 12, 18, 14, 40, 36, 26), start=1):
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
    league_widths = dict(enumerate((22, 40, 10, 50, 10, 12, 14, 40, 16, 40, 26), start=1))
    league_sheets = [new(t["league"], league_widths, freeze="C5")]
    for k in range(2, len(league_pages) + 1):
        league_sheets.append(new(sheet_title(f"{t['league']} ({k})", taken), league_widths, freeze="C5"))
    errors_sh = new(t["errors"], {1: 60, 2: 30, 3: 80})

    # --- National league: its rows written by another process while this one writes the rest --------
    heads = [w["voivodeship"], w["partnership"], w["id"], w["title"], w["score"], w["rank"], w["is_eligible"],
             w["failed_gates"], w["cost"], w["funding"], w["recommendation"]]
    hr = 4  # title, note, blank, heading
    for sh, (start, stop) in zip(league_sheets, league_pages):
        sh.register([TITLE], [NOTE], [HEAD] * len(heads), _LEAGUE_STYLES, _LEAGUE_STYLES_RED)
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
            sh.row(heads, [HEAD] * len(heads), height=32)
            for x in ranked[start:stop]:
                sh.row(*_project_values(x, w, with_vv=True))
        if alongside is not None:
            alongside()

    with fill_elsewhere(league_sheets, fill_league):
        # --- National ------------------------------------------------------------------------------------
        national.row([w["national_title"]], [TITLE])
        national.row([w["recommend_rule"]], [NOTE])
        national.row([w["engine"].format(engine=summary.get("engine") or "—", source=summary.get("source") or "—")],
                     [NOTE])
        national.row([w["counts"].format(
            found=counts.get("found", len(partnerships) + len(errors)), scored=counts.get("scored", len(partnerships)),
            failed=counts.get("failed", len(errors)), skipped=counts.get("skipped", len(skipped)))], [NOTE])
        if errors:
            national.row([w["see_errors"].format(n=len(errors), sheet=t["errors"])], [WARN_LINK], links={0: t["errors"]})
        else:
            national.blank()
        info = _partnership_table(national, partnerships, sources, w, links=vv_title)
        if not partnerships:
            national.blank()
            national.row([w["no_rows"]], [NOTE])
        last_col = get_column_letter(info["ncols"])
        national.ws.auto_filter.ref = f"A{info['header']}:{last_col}{max(info['last'], info['header'])}"

        # --- one sheet per voivodeship -------------------------------------------------------------------------
        for v, vrows, projects, pages, pages_sheets in vv_plan:
            first = pages_sheets[0]
            first.row([v or w["no_voivodeship"]], [TITLE])
            first.blank()
            _partnership_table(first, vrows, sources, w)
            first.blank()
            first.row([w["vv_projects"]], [SUB])
            for k, ((start, stop), sh) in enumerate(zip(pages, pages_sheets)):
                if k:
                    sh.row([f"{v or w['no_voivodeship']} {w['continued']}"], [TITLE])
                    sh.blank()
                sh.row(proj_heads, [HEAD] * len(proj_heads))
                for x in projects[start:stop]:
                    sh.row(*_project_values(x, w, with_vv=False))

        # --- Errors ------------------------------------------------------------------------------------------
        errors_sh.row([w["errors_title"]], [TITLE])
        errors_sh.blank()
        errors_sh.row([w["failed"]], [SUB])
        if errors:
            errors_sh.row([w["file"], w["where"], w["reason"]], [HEAD] * 3)
            for e in errors:
                errors_sh.row([str(e.get("file") or e.get("key") or ""),
                               None if e.get("where") is None else str(e["where"]), str(e.get("reason") or "")],
                              [None, None, RED])
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


