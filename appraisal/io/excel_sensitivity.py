"""Sensitivity sheets added to the appraisal workbook (the report of :func:`appraisal.sensitivity.report`).

``add_sensitivity_sheets(wb, rep, lang)`` appends four sheets after the existing ones:

- **Sensitivity** (``Wrażliwość``): the settings of the analysis (method, samples, seed, sampler,
  engine and input hash), the critical change in one sentence, the project most often first, and
  the agreement of TOPSIS (vector, min-max) and WSM;
- **Acceptability** (``Akceptowalność``): the SMAA-2 rank acceptability matrix as a heat map (projects
  sorted by expected rank) with the expected rank, the 5–95 % rank interval and the confidence
  factor; the pairwise winning probabilities P(row above column); the central weights;
- **Stability** (``Stabilność``): per criterion and group, the weight interval over which the
  whole ranking, the top project and the top-k set stay as they are; the criterion of the
  critical change is highlighted;
- **Sweeps** (``Przebiegi``): for each criterion and group, every project's rank as its weight goes
  from 0 to 1, a block of numbers with a scatter chart (lines) beside it, rank 1 on top and a
  vertical line at the base weight.

Every value is written as a number (or as text through :func:`~appraisal.io.xlsx.put`, never as a
formula); nothing here refers to the appraisal sheets, so their formulas are left as they are.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from .. import methods
from .excel_report import HEAD, SUB, print_setup
from .xlsx import put

TITLES = {
    "pl": {"summary": "Wrażliwość", "acceptability": "Akceptowalność", "stability": "Stabilność",
           "sweeps": "Przebiegi"},
    "en": {"summary": "Sensitivity", "acceptability": "Acceptability", "stability": "Stability",
           "sweeps": "Sweeps"},
}

WORDS: dict[str, dict[str, Any]] = {
    "pl": {
        "title": "Analiza wrażliwości rankingu",
        "settings": "Ustawienia analizy", "method": "Metoda", "normalization": "Normalizacja",
        "samples": "Liczba losowań (Monte Carlo)", "seed": "Ziarno losowania", "sampler": "Losowanie wag",
        "concentration": "Koncentracja rozkładu Dirichleta",
        "judgment_change": "Prawdopodobieństwo zmiany porównania AHP",
        "score_change": "Prawdopodobieństwo zmiany oceny o jeden poziom",
        "quantity_change": "Zmiana wielkości liczbowych (±)", "top_k": "k (zbiór k najlepszych)",
        "engine": "Silnik", "input_hash": "Skrót danych wejściowych",
        "samplers": {"dirichlet": "rozkład Dirichleta wokół wag bazowych",
                     "uniform": "jednostajnie na sympleksie (bez wiedzy o wagach)",
                     "ahp": "zaburzone porównania parami (AHP)",
                     "panel": "wagi poszczególnych ekspertów panelu"},
        "critical": "Zmiana krytyczna",
        "critical_text": "Najmniejsza zmiana jednej wagi, po której inny projekt jest pierwszy: "
                         "{c} z {a:.4f} na {b:.4f} (|Δ| = {d:.4f}{rel}). "
                         "Pozostałe wagi zmieniają się proporcjonalnie.",
        "critical_rel": ", {r:.1f} % wagi bazowej",
        "critical_none": "Żadna zmiana pojedynczej wagi nie zmienia projektu na pierwszym miejscu.",
        "criterion": "Kryterium", "from": "Waga bazowa", "to": "Nowa waga", "absolute": "|Δ|",
        "relative": "Zmiana względna",
        "glance": "W skrócie",
        "most_first": "Najczęściej na 1. miejscu: {i} ({p:.1f} % losowań, współczynnik pewności {c}).",
        "robustness": "Zgodność metod przy wagach bazowych",
        "methods": "Metody", "spearman": "ρ Spearmana", "kendall": "τ Kendalla",
        "same_ranking": "Ten sam ranking",
        "same_top": "Ten sam zwycięzca", "yes": "tak", "no": "NIE",
        "method_ranks": "Miejsca według metod",
        "method_names": {"topsis_vector": "TOPSIS (wektorowa)", "topsis_minmax": "TOPSIS (min-max)",
                         "wsm": "WSM"},
        "see": "Szczegóły: arkusze {a}, {s} i {w}.",
        # acceptability
        "acc_title": "Akceptowalność miejsc (SMAA-2)",
        "acc_note": "Udział losowań, w których projekt zajmuje dane miejsce "
                    "(remisy dzielą miejsca po równo); projekty uporządkowane według oczekiwanego miejsca.",
        "id": "ID", "rank": "Miejsce", "expected": "Oczekiwane miejsce", "lo": "Miejsce 5 %",
        "hi": "Miejsce 95 %",
        "confidence": "Współczynnik pewności",
        "pairwise": "Prawdopodobieństwo, że projekt w wierszu jest wyżej niż projekt w kolumnie",
        "central": "Wagi centralne: średnie wagi losowań, w których projekt jest pierwszy",
        "base_weights": "Wagi bazowe", "never_first": "nigdy nie jest pierwszy",
        # stability
        "stab_title": "Przedziały stabilności wag",
        "stab_note": "Waga jednego kryterium (lub grupy) zmienia się od 0 do 1, pozostałe skalują się "
                     "proporcjonalnie. Przedział wokół wagi bazowej, w którym nie zmienia się: cały ranking, "
                     "projekt na 1. miejscu, zbiór k najlepszych (dokładność 1e-5).",
        "stab_critical": "Wyróżniono kryterium zmiany krytycznej: {c}.",
        "name": "Kryterium / grupa", "kind": "Rodzaj", "base": "Waga bazowa", "ranking": "Cały ranking",
        "top": "Projekt na 1. miejscu", "top_k_set": "{k} najlepszych",
        "changes_at": "Zwycięzca zmienia się przy wadze",
        "lo_w": "od", "hi_w": "do", "below": "poniżej", "above": "powyżej",
        "kinds": {"criterion": "kryterium", "group": "grupa"},
        # sweeps
        "sw_title": "Przebiegi: miejsce projektu przy wadze od 0 do 1",
        "sw_note": "Waga jednego kryterium (grupy) = t, pozostałe skalują się proporcjonalnie do (1 − t). "
                   "Na wykresach miejsce 1 jest u góry, pionowa linia to waga bazowa.",
        "t": "t (waga)", "base_line": "waga bazowa", "sw_block": "{kind} · waga bazowa {base:.4f}",
        "sw_chart": "{name} ({kind}, waga bazowa {base:.4f})", "sw_none": "Brak przebiegów w raporcie.",
    },
    "en": {
        "title": "Sensitivity analysis of the ranking",
        "settings": "Settings", "method": "Method", "normalization": "Normalization",
        "samples": "Samples (Monte Carlo)", "seed": "Seed", "sampler": "Weight sampler",
        "concentration": "Dirichlet concentration", "judgment_change": "Probability an AHP judgment changes",
        "score_change": "Probability a score moves one level",
        "quantity_change": "Change of quantities (±)", "top_k": "k (top-k set)",
        "engine": "Engine", "input_hash": "Input hash",
        "samplers": {"dirichlet": "Dirichlet around the base weights", "uniform": "uniform on the simplex "
                     "(no preference information)", "ahp": "perturbed pairwise judgments (AHP)",
                     "panel": "the panel's individual experts' weights"},
        "critical": "Critical change",
        "critical_text": "The smallest change of one weight that puts another project first: "
                         "{c} from {a:.4f} to {b:.4f} (|Δ| = {d:.4f}{rel}). "
                         "The other weights change proportionally.",
        "critical_rel": ", {r:.1f} % of the base weight",
        "critical_none": "No single weight change alters the top project.",
        "criterion": "Criterion", "from": "Base weight", "to": "New weight", "absolute": "|Δ|",
        "relative": "Relative change",
        "glance": "At a glance",
        "most_first": "Most often first: {i} ({p:.1f} % of the samples, confidence factor {c}).",
        "robustness": "Agreement of the methods at the base weights",
        "methods": "Methods", "spearman": "Spearman ρ", "kendall": "Kendall τ",
        "same_ranking": "Same ranking",
        "same_top": "Same top", "yes": "yes", "no": "NO",
        "method_ranks": "Ranks by method",
        "method_names": {"topsis_vector": "TOPSIS (vector)", "topsis_minmax": "TOPSIS (min-max)",
                         "wsm": "WSM"},
        "see": "Details: the {a}, {s} and {w} sheets.",
        "acc_title": "Rank acceptability (SMAA-2)",
        "acc_note": "Share of the samples giving a project each rank "
                    "(tied projects share the ranks equally); projects sorted by expected rank.",
        "id": "ID", "rank": "Rank", "expected": "Expected rank", "lo": "Rank 5 %", "hi": "Rank 95 %",
        "confidence": "Confidence factor",
        "pairwise": "Probability that the project in the row ranks above the project in the column",
        "central": "Central weights: the mean weights of the samples in which the project is first",
        "base_weights": "Base weights", "never_first": "never first",
        "stab_title": "Weight stability intervals",
        "stab_note": "One criterion's (or group's) weight goes from 0 to 1, the others scale proportionally. "
                     "The interval around the base weight over which the whole ranking, the top project and "
                     "the top-k set stay as they are (to 1e-5).",
        "stab_critical": "Highlighted: the criterion of the critical change, {c}.",
        "name": "Criterion / group", "kind": "Kind", "base": "Base weight", "ranking": "Whole ranking",
        "top": "Top project", "top_k_set": "Top {k}", "changes_at": "Top project changes at weight",
        "lo_w": "from", "hi_w": "to", "below": "below", "above": "above",
        "kinds": {"criterion": "criterion", "group": "group"},
        "sw_title": "Sweeps: each project's rank as one weight goes from 0 to 1",
        "sw_note": "One criterion's (group's) weight = t, the others scale proportionally to (1 − t). "
                   "On the charts rank 1 is on top; the vertical line is the base weight.",
        "t": "t (weight)", "base_line": "base weight", "sw_block": "{kind} · base weight {base:.4f}",
        "sw_chart": "{name} ({kind}, base weight {base:.4f})", "sw_none": "The report has no sweeps.",
    },
}

TITLE = {"font": Font(bold=True, size=14)}
NOTE = {"font": Font(italic=True, color="666666")}
WRAP_NOTE = {"font": Font(italic=True, color="666666"),
             "alignment": Alignment(wrap_text=True, vertical="top")}
BOLD = {"font": Font(bold=True)}
CENTER_HEAD = {**HEAD, "alignment": Alignment(wrap_text=True, vertical="center", horizontal="center")}
ROTATED_HEAD = {**HEAD, "alignment": Alignment(text_rotation=90, vertical="bottom", horizontal="center")}
SHARE = {"number_format": "0.000"}
NUM2 = {"number_format": "0.00"}
NUM3 = {"number_format": "0.000"}
NUM4 = {"number_format": "0.0000"}
CRITICAL_FILL = PatternFill("solid", fgColor="FCE4D6")
DIAGONAL_FILL = PatternFill("solid", fgColor="D9D9D9")

#: white → dark green: a rank acceptability of 0 is white, 1 is dark green
HEAT = ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                      end_type="num", end_value=1, end_color="2E7D32")
#: red ← white (even odds) → green, for P(row above column)
ODDS = ColorScaleRule(start_type="num", start_value=0, start_color="F8696B", mid_type="num", mid_value=0.5,
                      mid_color="FFFFFF", end_type="num", end_value=1, end_color="63BE7B")

ROW_CM = 0.53  # default row height (15 pt) in centimetres
HEADER_ROW = 4  # the Sweeps sheet's header row: t, then the project ids


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


def add_sensitivity_sheets(wb, rep, lang: str = "pl") -> None:
    """Append the sensitivity sheets (see the module docstring) to ``wb``; ``rep``: a
    :class:`~appraisal.sensitivity.SensitivityReport` or its JSON (``to_json_dict()``)."""
    if hasattr(rep, "to_json_dict"):
        rep = rep.to_json_dict()
    w = WORDS[lang]
    # methods compared in method_robustness: the registry's labels, the variants' own words first
    w = {**w, "method_names": {**{m.name: m.label[lang] for m in methods.METHODS}, **w["method_names"]}}
    t = TITLES[lang]
    order = sorted(rep["rank_acceptability"], key=lambda i: (rep["expected_rank"][i], i))
    summary = wb.create_sheet(t["summary"])
    acc = wb.create_sheet(t["acceptability"])
    stab = wb.create_sheet(t["stability"])
    sw = wb.create_sheet(t["sweeps"])
    _summary_sheet(summary, rep, w, t, order)
    _acceptability_sheet(acc, rep, w, order)
    _stability_sheet(stab, rep, w)
    _sweeps_sheet(sw, rep, w)
    for ws in (summary, acc, stab, sw):
        print_setup(ws)


# --- Sensitivity (summary) ----------------------------------------------------------------------------------

def _summary_sheet(ws, rep: dict, w: dict, t: dict, order: list[str]) -> None:
    put(ws, 1, 1, w["title"], TITLE)
    put(ws, 2, 1, f"{rep.get('engine', '')} · {rep.get('input_hash', '')}", NOTE)
    r = 4
    put(ws, r, 1, w["settings"], SUB)
    put(ws, r, 2, "", SUB)
    r += 1
    method = str(rep["method"]).upper()
    sampler = rep.get("sampler", "")
    left = {"alignment": Alignment(horizontal="left")}
    rows: list[tuple[str, Any, dict | None]] = [
        (w["method"], method, None),
        (w["normalization"], rep.get("normalization", ""), None),
        (w["samples"], rep["samples"], {"number_format": "#,##0", "alignment": Alignment(horizontal="left")}),
        (w["seed"], rep["seed"], {"alignment": Alignment(horizontal="left")}),
        (w["sampler"], f"{sampler}: {w['samplers'].get(sampler, '')}".rstrip(": "), None),
    ]
    if rep.get("concentration") is not None:
        rows.append((w["concentration"], rep["concentration"], left))
    if rep.get("judgment_change") is not None:
        rows.append((w["judgment_change"], rep["judgment_change"], left))
    for key in ("score_change", "quantity_change", "top_k"):
        if key in rep:
            fmt = {"number_format": "0%"} if key == "quantity_change" else {}
            rows.append((w[key], rep[key], {**fmt, "alignment": Alignment(horizontal="left")}))
    rows += [(w["engine"], rep.get("engine", ""), None), (w["input_hash"], rep.get("input_hash", ""), None)]
    for label, value, style in rows:
        put(ws, r, 1, label, BOLD)
        put(ws, r, 2, value, style)
        r += 1

    r += 1
    put(ws, r, 1, w["critical"], SUB)
    for c in range(2, 7):
        put(ws, r, c, "", SUB)
    r += 1
    cc = rep.get("critical_change")
    if cc is None:
        text = w["critical_none"]
    else:
        rel = "" if cc.get("relative") is None else w["critical_rel"].format(r=100 * cc["relative"])
        text = w["critical_text"].format(c=cc["criterion"], a=cc["from"], b=cc["to"], d=cc["absolute"],
                                         rel=rel)
    put(ws, r, 1, text, {"alignment": Alignment(wrap_text=True, vertical="top")})
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    ws.row_dimensions[r].height = 33
    r += 1
    if cc is not None:
        for k, h in enumerate([w["criterion"], w["from"], w["to"], w["absolute"], w["relative"]]):
            put(ws, r, 1 + k, h, HEAD)
        r += 1
        put(ws, r, 1, cc["criterion"])
        put(ws, r, 2, _num(cc["from"]), NUM4)
        put(ws, r, 3, _num(cc["to"]), NUM4)
        put(ws, r, 4, _num(cc["absolute"]), NUM4)
        put(ws, r, 5, _num(cc.get("relative")), {"number_format": "0.0%"})
        r += 1

    r += 1
    put(ws, r, 1, w["glance"], SUB)
    for c in range(2, 7):
        put(ws, r, c, "", SUB)
    r += 1
    if order:
        best = max(order, key=lambda i: rep["rank_acceptability"][i][0])
        conf = rep.get("confidence", {}).get(best)
        put(ws, r, 1, w["most_first"].format(i=best, p=100 * rep["rank_acceptability"][best][0],
                                             c="—" if conf is None else f"{conf:.2f}"))
        r += 1
    put(ws, r, 1, w["see"].format(a=t["acceptability"], s=t["stability"], w=t["sweeps"]), NOTE)
    r += 2

    pairs = rep.get("method_robustness") or []
    put(ws, r, 1, w["robustness"], SUB)
    for c in range(2, 7):
        put(ws, r, c, "", SUB)
    r += 1
    for k, h in enumerate([w["methods"], w["spearman"], w["kendall"], w["same_ranking"], w["same_top"]]):
        put(ws, r, 1 + k, h, HEAD)
    r += 1
    names = w["method_names"]
    per_method: dict[str, list] = {}
    for p in pairs:
        put(ws, r, 1, f"{names.get(p['a'], p['a'])} — {names.get(p['b'], p['b'])}")
        put(ws, r, 2, _num(p["spearman"]), NUM3)
        put(ws, r, 3, _num(p["kendall"]), NUM3)
        for c, key in ((4, "same_ranking"), (5, "same_top")):
            if key in p:
                ok = bool(p[key])
                style = None if ok else {"font": Font(bold=True, color="9C0006")}
                put(ws, r, c, w["yes"] if ok else w["no"], style)
        ranks = p.get("ranks") or {}
        if "a" in ranks:
            per_method.setdefault(p["a"], ranks["a"])
        if "b" in ranks:
            per_method.setdefault(p["b"], ranks["b"])
        r += 1
    ids = list(rep["rank_acceptability"])
    if per_method and all(len(v) == len(ids) for v in per_method.values()):
        r += 1
        put(ws, r, 1, w["method_ranks"], SUB)
        for c in range(2, 2 + len(per_method)):
            put(ws, r, c, "", SUB)
        r += 1
        put(ws, r, 1, w["id"], HEAD)
        meths = list(per_method)
        for k, mname in enumerate(meths):
            put(ws, r, 2 + k, names.get(mname, mname), HEAD)
        r += 1
        pos = {i: k for k, i in enumerate(ids)}
        for i in sorted(ids, key=lambda i: (per_method[meths[0]][pos[i]], i)):
            put(ws, r, 1, i)
            for k, mname in enumerate(meths):
                put(ws, r, 2 + k, _num(per_method[mname][pos[i]]))
            r += 1
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 20
    for c in "CDEF":
        ws.column_dimensions[c].width = 18
    ws.freeze_panes = "A4"


# --- Acceptability ------------------------------------------------------------------------------------------

def _acceptability_sheet(ws, rep: dict, w: dict, order: list[str]) -> None:
    m = len(order)
    put(ws, 1, 1, w["acc_title"], TITLE)
    put(ws, 2, 1, w["acc_note"], NOTE)
    # header: ID | Rank (1 … m) | expected | 5 % | 95 % | confidence
    put(ws, 4, 1, w["id"], CENTER_HEAD)
    put(ws, 5, 1, "", CENTER_HEAD)
    ws.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
    put(ws, 4, 2, w["rank"], CENTER_HEAD)
    for c in range(3, 2 + m):
        put(ws, 4, c, "", CENTER_HEAD)
    if m > 1:
        ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=1 + m)
    for k in range(m):
        put(ws, 5, 2 + k, k + 1, CENTER_HEAD)
    extra = 2 + m
    for k, h in enumerate([w["expected"], w["lo"], w["hi"], w["confidence"]]):
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
        put(ws, row, extra + 1, _num(lo))
        put(ws, row, extra + 2, _num(hi))
        put(ws, row, extra + 3, _num(rep.get("confidence", {}).get(ident)), NUM2)
    last = first + m - 1
    if m:
        ws.conditional_formatting.add(f"B{first}:{_col(1 + m)}{last}", HEAT)
    ws.row_dimensions[4].height = 20
    ws.row_dimensions[5].height = 20

    # pairwise winning probabilities
    r = last + 3
    put(ws, r, 1, w["pairwise"], SUB)
    for c in range(2, 2 + m):
        put(ws, r, c, "", SUB)
    r += 1
    put(ws, r, 1, w["id"], CENTER_HEAD)
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

    # central weights
    r = p0 + m + 2
    crit = list(rep.get("base_weights") or {})
    if not crit:
        crit = next((list(cw) for cw in rep.get("central_weights", {}).values() if cw), [])
    put(ws, r, 1, w["central"], SUB)
    for c in range(2, 2 + len(crit)):
        put(ws, r, c, "", SUB)
    r += 1
    put(ws, r, 1, w["id"], {**HEAD, "alignment": Alignment(vertical="bottom")})
    for j, c in enumerate(crit):
        put(ws, r, 2 + j, c, ROTATED_HEAD)
    if crit:
        ws.row_dimensions[r].height = min(409, 12 + 6.5 * max(len(str(c)) for c in crit))
    r += 1
    put(ws, r, 1, w["base_weights"], {"font": Font(italic=True)})
    for j, c in enumerate(crit):
        put(ws, r, 2 + j, _num((rep.get("base_weights") or {}).get(c)), {**NUM4, "font": Font(italic=True)})
    r += 1
    for ident in order:
        put(ws, r, 1, ident, BOLD)
        cw = rep.get("central_weights", {}).get(ident)
        if cw is None:
            put(ws, r, 2 + len(crit), w["never_first"], NOTE)
        else:
            for j, c in enumerate(crit):
                put(ws, r, 2 + j, _num(cw.get(c)), NUM4)
        r += 1

    width_a = max([len(w["base_weights"]) + 2, 10, *(len(str(i)) + 3 for i in order)])
    ws.column_dimensions["A"].width = min(width_a, 30)
    width = max(8, min(14, max((len(str(i)) + 2 for i in order), default=8)))
    for c in range(2, max(2 + m, 2 + len(crit)) + 1):
        ws.column_dimensions[_col(c)].width = width
    for k in range(4):
        ws.column_dimensions[_col(extra + k)].width = 13
    ws.freeze_panes = "B6"
    ws.print_title_rows = "4:5"


# --- Stability ----------------------------------------------------------------------------------------------

STABILITY_COLUMNS = (("ranking", 0), ("ranking", 1), ("top", 0), ("top", 1), ("top_k", 0), ("top_k", 1),
                     ("top_changes_at", 0), ("top_changes_at", 1))


def _stability_sheet(ws, rep: dict, w: dict) -> None:
    cc = rep.get("critical_change")
    crit_name = cc["criterion"] if cc else None
    put(ws, 1, 1, w["stab_title"], TITLE)
    put(ws, 2, 1, w["stab_note"], WRAP_NOTE)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=11)
    ws.row_dimensions[2].height = 32
    if crit_name is not None:
        put(ws, 3, 1, w["stab_critical"].format(c=crit_name), {"font": Font(italic=True, color="9C0006")})
    hr = 5
    for c, h in ((1, w["name"]), (2, w["kind"]), (3, w["base"])):
        put(ws, hr, c, h, CENTER_HEAD)
        put(ws, hr + 1, c, "", CENTER_HEAD)
        ws.merge_cells(start_row=hr, start_column=c, end_row=hr + 1, end_column=c)
    k = rep.get("top_k", 3)
    groups = [w["ranking"], w["top"], w["top_k_set"].format(k=k), w["changes_at"]]
    for g, h in enumerate(groups):
        c = 4 + 2 * g
        put(ws, hr, c, h, CENTER_HEAD)
        put(ws, hr, c + 1, "", CENTER_HEAD)
        ws.merge_cells(start_row=hr, start_column=c, end_row=hr, end_column=c + 1)
        lo, hi = (w["below"], w["above"]) if g == 3 else (w["lo_w"], w["hi_w"])
        put(ws, hr + 1, c, lo, CENTER_HEAD)
        put(ws, hr + 1, c + 1, hi, CENTER_HEAD)
    ws.row_dimensions[hr].height = 32
    row = hr + 2
    for name, e in rep.get("stability", {}).items():
        put(ws, row, 1, name, BOLD)
        put(ws, row, 2, w["kinds"].get(e.get("kind"), e.get("kind", "")))
        put(ws, row, 3, _num(e.get("base")), NUM4)
        for c, (key, side) in enumerate(STABILITY_COLUMNS, start=4):
            pair = e.get(key) or [None, None]
            put(ws, row, c, _num(pair[side]), NUM4)
        if name == crit_name and e.get("kind") == "criterion":
            for c in range(1, 12):
                ws.cell(row, c).fill = CRITICAL_FILL
                ws.cell(row, c).font = Font(bold=True, color="9C0006")
        row += 1
    names = list(rep.get("stability", {}))
    ws.column_dimensions["A"].width = min(40, max([20, *(len(str(n)) + 3 for n in names)]))
    ws.column_dimensions["B"].width = 12
    for c in range(3, 12):
        ws.column_dimensions[_col(c)].width = 11
    ws.freeze_panes = f"B{hr + 2}"
    ws.print_title_rows = f"{hr}:{hr + 1}"


# --- Sweeps -------------------------------------------------------------------------------------------------

def _sweeps_sheet(ws, rep: dict, w: dict) -> None:
    sweeps = rep.get("sweeps") or {}
    put(ws, 1, 1, w["sw_title"], TITLE)
    put(ws, 2, 1, w["sw_note"], NOTE)
    if not sweeps:
        put(ws, 4, 1, w["sw_none"])
        return
    ids = list(next(iter(sweeps.values()))["ranks"])
    m = len(ids)
    hr = HEADER_ROW
    put(ws, hr, 1, w["t"], HEAD)
    for k, ident in enumerate(ids):
        put(ws, hr, 2 + k, ident, CENTER_HEAD)
    sheet = quote_sheetname(ws.title)
    hx = m + 3  # the base-weight line's two points: x (the base weight) and y (rank 1 and rank m)
    chart_col = hx + 3
    chart_h = max(12.0, min(45.0, 8.0 + 0.45 * m))  # the legend lists every project
    chart_w = 20.0 if m <= 20 else 26.0
    rows_for_chart = math.ceil(chart_h / ROW_CM) + 2
    r = hr + 1
    for name, s in sweeps.items():
        kind = w["kinds"].get(s.get("kind"), s.get("kind", ""))
        base = float(s["base"])
        tt = list(s["t"])
        T = len(tt)
        put(ws, r, 1, name, {**SUB, "font": Font(bold=True, color="1F4E79")})
        put(ws, r, 2, w["sw_block"].format(kind=kind, base=base), SUB)
        for c in range(3, 2 + m):
            put(ws, r, c, None, SUB)
        d0 = r + 1
        for i, tv in enumerate(tt):
            put(ws, d0 + i, 1, _num(tv), NUM2)
        for k, ident in enumerate(ids):
            col = s["ranks"].get(ident, [])
            for i, v in enumerate(col):
                put(ws, d0 + i, 2 + k, _num(v))
        put(ws, r, hx, w["base_line"], NOTE)
        put(ws, r, hx + 1, w["rank"], NOTE)
        for i, y in enumerate((1, max(m, 2))):
            put(ws, d0 + i, hx, base, {**NUM4, **NOTE})
            put(ws, d0 + i, hx + 1, y, NOTE)
        chart = _sweep_chart(ws, sheet, name, kind, d0, T, ids, w, base, hx)
        chart.height, chart.width = chart_h, chart_w
        ws.add_chart(chart, f"{_col(chart_col)}{r}")
        r += max(T + 1, rows_for_chart) + 2
    ws.column_dimensions["A"].width = min(34, max([10, len(w["t"]) + 2, *(len(str(n)) + 3 for n in sweeps)]))
    for k, ident in enumerate(ids):
        ws.column_dimensions[_col(2 + k)].width = max(5, min(14, len(str(ident)) + 2))
    ws.column_dimensions[_col(m + 2)].width = 3
    ws.column_dimensions[_col(hx)].width = max(12, len(w["base_line"]) + 2)
    ws.column_dimensions[_col(hx + 1)].width = 9
    ws.freeze_panes = f"B{hr + 1}"
    ws.print_title_rows = f"{hr}:{hr}"


def _title(text: str, size: int = 1100) -> Title:
    """A chart title in a modest bold font (the default is large next to a block of numbers)."""
    cp = CharacterProperties(sz=size, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=cp), r=[RegularTextRun(rPr=cp, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _sweep_chart(ws, sheet: str, name: str, kind: str, d0: int, T: int, ids: list[str], w: dict,
                 base: float, hx: int) -> ScatterChart:
    """Rank (y, 1 on top) against the weight t (x, 0 … 1), one line per project, and the base weight."""
    m = len(ids)
    chart = ScatterChart()
    chart.title = _title(w["sw_chart"].format(name=name, kind=kind, base=base))
    chart.style = 2
    chart.scatterStyle = "lineMarker"
    chart.x_axis.title = w["t"]
    chart.y_axis.title = w["rank"]
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
    xref = Reference(ws, min_col=1, min_row=d0, max_row=d0 + T - 1)
    for k, _ident in enumerate(ids):
        yref = Reference(ws, min_col=2 + k, min_row=d0, max_row=d0 + T - 1)
        s = Series(yref, xref)
        s.tx = SeriesLabel(strRef=StrRef(f"{sheet}!${_col(2 + k)}${HEADER_ROW}"))
        s.marker = Marker(symbol="none")
        s.smooth = False
        s.graphicalProperties = GraphicalProperties(ln=LineProperties(w=22225))  # 1.75 pt
        chart.series.append(s)
    # the base weight: a vertical dashed line from rank 1 to rank m (its two points are beside the block)
    chart.series.append(XYSeries(
        tx=SeriesLabel(strRef=StrRef(f"{sheet}!${_col(hx)}${d0 - 1}")),
        xVal=AxDataSource(numRef=NumRef(f=f"{sheet}!${_col(hx)}${d0}:${_col(hx)}${d0 + 1}")),
        yVal=NumDataSource(numRef=NumRef(f=f"{sheet}!${_col(hx + 1)}${d0}:${_col(hx + 1)}${d0 + 1}")),
        marker=Marker(symbol="none"), smooth=False,
        spPr=GraphicalProperties(ln=LineProperties(solidFill="000000", prstDash="dash", w=15875))))
    chart.legend.position = "r"
    return chart
