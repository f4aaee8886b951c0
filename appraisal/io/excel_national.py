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

All text goes through :func:`~appraisal.io.xlsx.put` (a name such as ``=HYPERLINK(…)`` stays text);
the only formulas are the sums written here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from ..batch import polish_key
from .excel_report import HEAD, SUB, print_setup
from .xlsx import formula, put, save_atomic

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
        "recommend_rule": "Rekomendowane: {rule}",
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
    },
    "en": {
        "national_title": "Packages of key projects of the partnerships — national summary",
        "voivodeship": "Voivodeship", "partnership": "Partnership", "projects": "Projects",
        "eligible": "Eligible", "recommended": "Recommended", "total_cost": "Total cost (PLN)",
        "top_id": "Top project (ID)", "top_title": "Top project", "top_score": "Top score",
        "median": "Median score", "method": "Method", "file": "File", "total": "TOTAL",
        "recommend_rule": "Recommended: {rule}",
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
    },
}

MONEY = {"number_format": "#,##0"}
SCORE = {"number_format": "0.0000"}
COUNT = {"number_format": "0"}
TITLE = {"font": Font(bold=True, size=14)}
NOTE = {"font": Font(italic=True, color="666666")}
WARN = {"font": Font(bold=True, color="9C0006")}
RED = {"font": Font(color="9C0006")}
UNSPECIFIED = ("nieokreślone", "unspecified")

# --- sheet titles -------------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
MAX_TITLE = 31


def sheet_title(name: str, taken: set[str], fallback: str = "-") -> str:
    """``name`` as a valid Excel sheet title not in ``taken`` (casefolded; the new title is added).

    Excel allows at most 31 characters, none of ``[]:*?/\\``, no apostrophe at either end, and no
    two titles equal ignoring case (``History`` is reserved).
    """
    t = _FORBIDDEN.sub("-", str(name or "")).strip().strip("'").strip()
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


def _link(cell, title: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(title)}!A1")
    cell.font = Font(color="0563C1", underline="single")


def _partnership_table(ws, top: int, rows: list[dict], sources: list[str], w: dict,
                       links: dict[str, str] | None = None) -> dict[str, int]:
    """Header at ``top``, one row per package, a TOTAL row of SUMs; returns the rows and columns used."""
    heads = [w["voivodeship"], w["partnership"], w["projects"], w["eligible"], w["recommended"], w["total_cost"],
             *sources, w["top_id"], w["top_title"], w["top_score"], w["median"], w["method"], w["file"]]
    for j, h in enumerate(heads, start=1):
        put(ws, top, j, h, HEAD)
    c_src = 7
    c_top = c_src + len(sources)
    first = top + 1
    r = first
    for p in rows:
        vv = str(p.get("voivodeship") or "")
        cell = put(ws, r, 1, vv)
        if links and vv in links:
            _link(cell, links[vv])
        put(ws, r, 2, str(p.get("partnership") or ""))
        for j, k in ((3, "projects"), (4, "eligible"), (5, "recommended")):
            v = p.get(k)
            if v is not None:
                put(ws, r, j, int(v), COUNT)
        total = _num(p.get("total_cost"))
        if total is not None:
            put(ws, r, 6, total, MONEY)
        by_source = p.get("cost_by_source") or {}
        for j, s in enumerate(sources):
            v = _num(by_source.get(s))
            if v:  # blank where 0 (or absent)
                put(ws, r, c_src + j, v, MONEY)
        top_p = p.get("top_project") or {}
        if top_p:
            put(ws, r, c_top, str(top_p.get("id") or ""))
            put(ws, r, c_top + 1, str(top_p.get("title") or ""))
            s = _num(top_p.get("score"))
            if s is not None:
                put(ws, r, c_top + 2, s, SCORE)
        med = _num(p.get("median_score"))
        if med is not None:
            put(ws, r, c_top + 3, med, SCORE)
        put(ws, r, c_top + 4, _method(p))
        put(ws, r, c_top + 5, str(p.get("file") or ""))
        r += 1
    last = r - 1
    total_row = r
    put(ws, total_row, 1, w["total"], SUB)
    put(ws, total_row, 2, None, SUB)
    for j in range(3, c_src + len(sources)):
        style = {**SUB, **(COUNT if j < 6 else MONEY)}
        letter = get_column_letter(j)
        if rows:
            formula(ws, total_row, j, f"=SUM({letter}{first}:{letter}{last})", style)
        else:
            put(ws, total_row, j, 0, style)
    return {"header": top, "first": first, "last": last, "total": total_row, "ncols": len(heads),
            "c_top": c_top}


def _partnership_widths(ws, sources: list[str], c_top: int) -> None:
    widths = {1: 22, 2: 42, 3: 10, 4: 14, 5: 14, 6: 18}
    for j in range(len(sources)):
        widths[7 + j] = max(14, min(30, len(sources[j]) + 4))
    widths.update({c_top: 12, c_top + 1: 44, c_top + 2: 12, c_top + 3: 12, c_top + 4: 18, c_top + 5: 40})
    for j, width in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = width


def _eligible_text(row: dict, w: dict) -> str:
    return w["yes"] if row.get("eligible") else w["no"]


def _gates(row: dict) -> str:
    return "; ".join(str(g) for g in (row.get("failed_gates") or []))


# --- the workbook -------------------------------------------------------------------------------------

def build_national_workbook(summary: dict, league: list[dict], lang: str = "pl") -> Workbook:
    """The national workbook of a batch run (see the module docstring)."""
    if lang not in WORDS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(WORDS)}")
    w, t = WORDS[lang], TITLES[lang]
    partnerships = sorted(summary.get("partnerships") or [],
                          key=lambda p: (polish_key(p.get("voivodeship")), polish_key(p.get("partnership")),
                                         str(p.get("key") or "")))
    league = list(league or [])
    errors = list(summary.get("errors") or [])
    skipped = list(summary.get("skipped") or [])
    counts = summary.get("counts") or {}
    sources = _sources(partnerships)

    wb = Workbook()
    wb.remove(wb.active)
    taken = {t["national"].casefold(), t["league"].casefold(), t["errors"].casefold()}
    national = wb.create_sheet(t["national"])

    voivodeships = sorted({str(p.get("voivodeship") or "") for p in partnerships}
                          | {str(x.get("voivodeship") or "") for x in league}, key=polish_key)
    vv_title = {v: sheet_title(v, taken, fallback=w["no_voivodeship"]) for v in voivodeships}
    vv_sheets = {v: wb.create_sheet(vv_title[v]) for v in voivodeships}
    league_ws = wb.create_sheet(t["league"])
    errors_ws = wb.create_sheet(t["errors"])
    wb.active = 0

    # --- National ------------------------------------------------------------------------------------
    put(national, 1, 1, w["national_title"], TITLE)
    put(national, 2, 1, w["recommend_rule"].format(rule=summary.get("recommend_rule") or "—"), NOTE)
    put(national, 3, 1, w["engine"].format(engine=summary.get("engine") or "—", source=summary.get("source") or "—"),
        NOTE)
    put(national, 4, 1, w["counts"].format(
        found=counts.get("found", len(partnerships) + len(errors)), scored=counts.get("scored", len(partnerships)),
        failed=counts.get("failed", len(errors)), skipped=counts.get("skipped", len(skipped))), NOTE)
    top = 6
    if errors:
        put(national, 5, 1, w["see_errors"].format(n=len(errors), sheet=t["errors"]), WARN)
        _link(national.cell(5, 1), t["errors"])
        national.cell(5, 1).font = Font(bold=True, color="9C0006", underline="single")
    info = _partnership_table(national, top, partnerships, sources, w, links=vv_title)
    if not partnerships:
        put(national, info["total"] + 2, 1, w["no_rows"], NOTE)
    national.freeze_panes = national.cell(info["first"], 3).coordinate
    last_col = get_column_letter(info["ncols"])
    national.auto_filter.ref = f"A{info['header']}:{last_col}{max(info['last'], info['header'])}"
    national.row_dimensions[info["header"]].height = 32
    _partnership_widths(national, sources, info["c_top"])

    # --- one sheet per voivodeship -------------------------------------------------------------------------
    # laid out to share the column widths of the partnership table above it
    proj_heads = [w["partnership"], w["title"], w["id"], w["rank"], w["score"], w["cost"], w["is_eligible"],
                  w["failed_gates"], w["funding"]]
    proj_widths = (36, 44, 10, 14, 12, 18, 14, 40, 36)
    for v, ws in vv_sheets.items():
        put(ws, 1, 1, v or w["no_voivodeship"], TITLE)
        rows = [p for p in partnerships if str(p.get("voivodeship") or "") == v]
        vinfo = _partnership_table(ws, 3, rows, sources, w)
        ws.row_dimensions[3].height = 32
        _partnership_widths(ws, sources, vinfo["c_top"])
        for j, width in enumerate(proj_widths, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)
        ws.freeze_panes = "C4"
        r = vinfo["total"] + 2
        put(ws, r, 1, w["vv_projects"], SUB)
        r += 1
        for j, h in enumerate(proj_heads, start=1):
            put(ws, r, j, h, HEAD)
        r += 1
        order = {p.get("key"): i for i, p in enumerate(rows)}
        projects = [x for x in league if str(x.get("voivodeship") or "") == v]
        projects.sort(key=lambda x: (order.get(x.get("key"), len(order)), polish_key(x.get("partnership")),
                                     str(x.get("key") or ""), not x.get("eligible") or x.get("rank") is None,
                                     x.get("rank") if x.get("rank") is not None else 0, polish_key(x.get("id"))))
        for x in projects:
            _project_row(ws, r, x, w, with_vv=False)
            r += 1
        print_setup(ws)

    # --- National league -------------------------------------------------------------------------------
    put(league_ws, 1, 1, w["league_title"], TITLE)
    put(league_ws, 2, 1, w["league_note"], NOTE)
    heads = [w["voivodeship"], w["partnership"], w["id"], w["title"], w["score"], w["rank"], w["is_eligible"],
             w["failed_gates"], w["cost"], w["funding"]]
    hr = 4
    for j, h in enumerate(heads, start=1):
        put(league_ws, hr, j, h, HEAD)
    league_ws.row_dimensions[hr].height = 32

    def league_key(x: dict):
        s = _num(x.get("score"))
        scored = bool(x.get("eligible")) and s is not None
        return (not scored, -(s or 0.0) if scored else 0.0, polish_key(x.get("voivodeship")),
                polish_key(x.get("partnership")), x.get("rank") if x.get("rank") is not None else 0,
                polish_key(x.get("id")))

    ranked = sorted(league, key=league_key)
    r = hr + 1
    last_scored = None
    for x in ranked:
        _project_row(league_ws, r, x, w, with_vv=True)
        if x.get("eligible") and _num(x.get("score")) is not None:
            last_scored = r
        r += 1
    if last_scored is not None:
        league_ws.conditional_formatting.add(
            f"E{hr + 1}:E{last_scored}",
            ColorScaleRule(start_type="min", start_color="F8696B", mid_type="percentile", mid_value=50,
                           mid_color="FFEB84", end_type="max", end_color="63BE7B"))
    league_ws.auto_filter.ref = f"A{hr}:{get_column_letter(len(heads))}{max(r - 1, hr)}"
    league_ws.freeze_panes = f"C{hr + 1}"
    for col, width in zip("ABCDEFGHIJ", (22, 40, 10, 50, 10, 12, 14, 40, 16, 40)):
        league_ws.column_dimensions[col].width = width

    # --- Errors ------------------------------------------------------------------------------------------
    put(errors_ws, 1, 1, w["errors_title"], TITLE)
    r = 3
    put(errors_ws, r, 1, w["failed"], SUB)
    r += 1
    if errors:
        for j, h in enumerate((w["file"], w["where"], w["reason"]), start=1):
            put(errors_ws, r, j, h, HEAD)
        r += 1
        for e in errors:
            put(errors_ws, r, 1, str(e.get("file") or e.get("key") or ""))
            if e.get("where") is not None:
                put(errors_ws, r, 2, str(e["where"]))
            put(errors_ws, r, 3, str(e.get("reason") or ""), RED)
            r += 1
    else:
        put(errors_ws, r, 1, w["no_errors"])
        r += 1
    r += 1
    put(errors_ws, r, 1, w["skipped"], SUB)
    r += 1
    if skipped:
        for j, h in enumerate((w["file"], w["reason"]), start=1):
            put(errors_ws, r, j, h, HEAD)
        r += 1
        for s in skipped:
            put(errors_ws, r, 1, str(s.get("file") or ""))
            put(errors_ws, r, 2, str(s.get("reason") or ""))
            r += 1
    else:
        put(errors_ws, r, 1, w["no_skipped"])
    for col, width in zip("ABC", (60, 30, 80)):
        errors_ws.column_dimensions[col].width = width

    for ws in (national, league_ws, errors_ws):
        print_setup(ws)
    return wb


def _project_row(ws, r: int, x: dict, w: dict, with_vv: bool) -> None:
    """One project: on the league sheet (``with_vv``) or on a voivodeship sheet (the columns of its heading)."""
    eligible = bool(x.get("eligible"))
    score = _num(x.get("score"))
    rank = x.get("rank")
    cost = _num(x.get("cost"))
    if with_vv:
        cells = [str(x.get("voivodeship") or ""), str(x.get("partnership") or ""), str(x.get("id") or ""),
                 str(x.get("title") or ""), score, rank]
        styles = [None, None, None, None, SCORE, COUNT]
        cells += [_eligible_text(x, w), _gates(x), cost, str(x.get("funding") or "")]
        styles += [None if eligible else RED, RED, MONEY, None]
    else:
        cells = [str(x.get("partnership") or ""), str(x.get("title") or ""), str(x.get("id") or ""), rank, score,
                 cost, _eligible_text(x, w), _gates(x), str(x.get("funding") or "")]
        styles = [None, None, None, COUNT, SCORE, MONEY, None if eligible else RED, RED, None]
    for j, (value, style) in enumerate(zip(cells, styles), start=1):
        if value is None or value == "":
            continue
        put(ws, r, j, int(value) if style is COUNT else value, style)


def write_national_workbook(summary: dict, league: list[dict], path: str | Path, lang: str = "pl") -> Path:
    """Build and save the national workbook atomically."""
    return save_atomic(build_national_workbook(summary, league, lang), path)
