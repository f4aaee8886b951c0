"""The package workbook: an Excel template an advisor fills in, and the reader that turns it into a Package.

``build_template(cs, lang, package=None)`` lays out one workbook (labels and sheet names in Polish or
English): the package (partnership, advisor, date), the projects, their scores, gate answers and
comments (one row per project, the same row on every sheet), the weights of every group of the
criteria tree (pairwise grids or direct weights, with a block per expert of a panel), the rubric, and
a very hidden sheet ``_appraise`` holding the criteria set itself. ``read_workbook(path)`` reads such a
workbook back (also one exported with result sheets added, or re-saved by Excel or LibreOffice) and
names the sheet and cell of every problem.

Layout, for people and tools:

- every sheet that holds values has machine keys beside the human labels: a hidden column A on
  *Pakiet/Package* and *Wagi/Weights*, row 2 (small grey font) on the project sheets. The reader finds
  values by key, not by position.
- *Projekty/Projects*: row 1 labels, row 2 keys (``id``, ``title``, ``lead_jst``, ``partners``,
  ``cost``, ``funding_source_N``/``funding_amount_N``, ``status``, ``description``), data from row 3.
- *Oceny/Scores*, *Kryteria dostępowe/Gates*, *Komentarze/Comments*: row r belongs to the project in
  row r of the projects sheet; columns A/B repeat its id and title by formula (ignored by the reader);
  then one column per criterion (row 2: its id).
- *Wagi/Weights*: one block per group, root first. A block starts at a row whose column A holds
  ``group:<group id>``; an expert's own grid of a panel starts at ``expert:<group id>:<k>``. Inside a
  block, column A names the rows: ``mode``, ``method``, ``aggregation``, ``expert``, ``expert_weight``
  (values in column C), ``ids`` (the children's ids over the grid columns, which start at column C),
  ``labels``, and ``row:<child id>`` for each grid row; the direct weights sit in the column after a
  one-column gap to the right of the grid. Only the upper triangle is read.
- ``_appraise``: column A keys, column B values: ``format`` (``appraise-package-workbook``),
  ``format_version`` (1), ``engine``, ``lang``, ``sheet:<key>`` (the sheet titles), ``criteria_ref``,
  ``criteria_json_parts`` and ``criteria_json`` (the base criteria set as JSON, in chunks of at most
  30,000 characters in columns B, C, …).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..ahp import aggregate_judgments, complete_reciprocal
from ..criteria import (
    CriteriaSet,
    InputError,
    Judgments,
    Weighting,
    criteria_problems,
    first_problem,
    load_criteria,
    parse_judgment,
)
from ..criteria.models import _fmt as _criteria_fmt
from .cells import CellValueError, cell_number, cell_text, gate_answer, seen_value, shown, split_list
from .xlsx import formula, open_workbook, put, save_atomic

FORMAT_NAME = "appraise-package-workbook"
FORMAT_VERSION = 1
META_SHEET = "_appraise"
#: characters of the criteria-set JSON per cell of the meta sheet (Excel holds at most 32,767)
CHUNK = 30_000
CELL_LIMIT = 32_767
#: Excel's limits on a data validation: input message 255 characters, error message 225, titles 32
PROMPT_LIMIT, ERROR_LIMIT, TITLE_LIMIT = 255, 225, 32

SHEETS: dict[str, dict[str, str]] = {
    "pl": {"package": "Pakiet", "projects": "Projekty", "scores": "Oceny", "gates": "Kryteria dostępowe",
           "comments": "Komentarze", "weights": "Wagi", "scales": "Skale"},
    "en": {"package": "Package", "projects": "Projects", "scores": "Scores", "gates": "Gates",
           "comments": "Comments", "weights": "Weights", "scales": "Scales"},
}

VOIVODESHIPS = [
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie", "mazowieckie",
    "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie", "świętokrzyskie", "warmińsko-mazurskie",
    "wielkopolskie", "zachodniopomorskie",
]
STATUSES = ["koncepcja", "dokumentacja w przygotowaniu", "dokumentacja gotowa", "pozwolenia uzyskane",
            "w realizacji"]
SAATY_LIST = ["9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9"]
FUNDING_SLOTS = 3
FIRST_ROW = 3  # first data row of the project sheets
GRID_COL = 3  # first grid column (C) and the value column of the key/value rows on Wagi/Pakiet

MODES = {"pl": {"pairwise": "porównania parami", "direct": "wagi bezpośrednie"},
         "en": {"pairwise": "pairwise", "direct": "direct"}}
METHODS = {"pl": {"eigenvector": "wektor własny", "geometric": "średnie geometryczne"},
           "en": {"eigenvector": "eigenvector", "geometric": "geometric"}}
AGGREGATIONS = {"aij": "AIJ", "aip": "AIP"}
ANSWERS = {"pl": ("tak", "nie"), "en": ("yes", "no")}

# --- the words on the sheets -------------------------------------------------------------------------

T: dict[str, dict[str, str]] = {
    "pl": {
        "package_title": "Pakiet projektów kluczowych partnerstwa JST",
        "package_hint": "Wypełnij żółte pola. Projekty wpisz w arkuszu „{projects}”; oceny, kryteria dostępowe "
                        "i komentarze – w tym samym wierszu co projekt, w kolejnych arkuszach.",
        "partnership": "Nazwa partnerstwa",
        "voivodeship": "Województwo",
        "members": "JST członkowskie (oddziel średnikiem ;)",
        "advisor": "Doradca Partnerstwa",
        "date": "Data oceny (RRRR-MM-DD)",
        "criteria": "Zestaw kryteriów (tylko do odczytu)",
        "criteria_label": "Nazwa zestawu kryteriów",
        "budget": "Budżet na projekty pakietu (PLN; portfel w ramach budżetu)",
        "howto": "Jak wypełnić",
        "howto_lines": (
            "1. „{projects}”: jeden projekt w wierszu, od wiersza 3; identyfikator (np. P01) jest obowiązkowy, "
            "wiersze bez identyfikatora są pomijane.\n"
            "2. „{scores}”: ocena każdego kryterium w tym samym wierszu co projekt; dozwolone poziomy "
            "pokazuje lista i opis w arkuszu „{scales}”.\n"
            "3. „{gates}”: tak/nie dla każdego kryterium dostępowego; projekt z odpowiedzią „nie” nie jest "
            "rangowany.\n"
            "4. „{comments}”: uzasadnienie ocen (opcjonalnie).\n"
            "5. „{weights}”: wagi grup i kryteriów – porównania parami (AHP) albo wagi bezpośrednie.\n"
            "Arkusza ani kolumn nie zmieniaj nazw; wiersze 1–2 arkuszy projektowych są nagłówkami."
        ),
        "id": "Id projektu",
        "title": "Tytuł projektu",
        "lead_jst": "Lider (JST)",
        "partners": "Partnerzy (JST, oddziel średnikiem ;)",
        "cost": "Koszt całkowity [PLN]",
        "funding_source": "Źródło finansowania {k}",
        "funding_amount": "Kwota {k} [PLN]",
        "status": "Stan przygotowania",
        "description": "Opis projektu",
        "bonus": "Premiujące",
        "status_prompt": "Wybierz z listy albo wpisz własny opis stanu przygotowania.",
        "gate_prompt": "tak – spełnione; nie – niespełnione (projekt nie będzie rangowany)",
        "scale_error": "Wybierz jeden z poziomów skali z listy.",
        "quantity_prompt": "Liczba{unit}{bounds}.",
        "unit": " w jednostkach: {unit}",
        "min": "≥ {v}",
        "max": "≤ {v}",
        "reference": "{neutral} → 0 % (neutralny), {good} → 100 % (dobry)",
        "number_error": "Wpisz liczbę{bounds}.",
        "weights_title": "Wagi kryteriów",
        "weights_hint1": "Porównania parami: liczba w żółtej komórce mówi, o ile ważniejsze jest kryterium z WIERSZA "
                         "od kryterium z KOLUMNY: 1 równie ważne, 3 umiarkowanie, 5 wyraźnie, 7 bardzo wyraźnie, "
                         "9 skrajnie ważniejsze (2, 4, 6, 8 – pośrednie).",
        "weights_hint2": "Ułamek 1/3 oznacza, że to kryterium z KOLUMNY jest umiarkowanie ważniejsze. Wypełniaj tylko "
                         "komórki nad przekątną; pod przekątną arkusz sam pokazuje odwrotności.",
        "weights_hint3": "Wagi bezpośrednie: dowolne nieujemne liczby (punkty, procenty) w kolumnie „Waga "
                         "bezpośrednia”; zostaną przeskalowane do sumy 1. O tym, co obowiązuje, decyduje pole "
                         "„Sposób ważenia”.",
        "group_block": "Grupa: {label} [{id}]",
        "root_block": "Poziom główny (grupy kryteriów): {label} [{id}]",
        "expert_block": "Ekspert {k} z panelu – {name} – grupa {label} [{id}]",
        "block_note": "Ile razy kryterium z wiersza jest ważniejsze od kryterium z kolumny (1–9; 1/3 = kolumna "
                      "umiarkowanie ważniejsza).",
        "panel_note": "Panel ekspertów ({agg}): {experts}. Poniżej macierz zagregowana (średnia geometryczna ważona, "
                      "tylko do odczytu); zmieniaj porównania w blokach ekspertów niżej.",
        "mode": "Sposób ważenia",
        "judgment": "Porównanie parami",
        "method": "Metoda AHP",
        "aggregation": "Agregacja panelu (AIJ: ocen, AIP: priorytetów)",
        "expert": "Ekspert (autor porównań)",
        "expert_weight": "Waga eksperta w panelu",
        "grid_corner": "wiersz ↓ względem kolumny →",
        "direct": "Waga bezpośrednia",
        "expert_no": "ekspert {k}",
        "weight_of": "waga {w}",
        "scales_title": "Skale ocen i kryteria (tylko do odczytu)",
        "scale_cols": "Id|Kryterium|Grupa|Kierunek|Rodzaj / jednostka|Wartość|Etykieta poziomu|Opis",
        "benefit": "korzyść (więcej = lepiej)",
        "cost_dir": "koszt (mniej = lepiej)",
        "kind_scale": "skala",
        "kind_quantity": "liczba",
        "gates_title": "Kryteria dostępowe (tak/nie)",
        "gate_kind": "tak/nie",
        "root": "",
    },
    "en": {
        "package_title": "Package of key projects of a JST partnership",
        "package_hint": "Fill in the yellow cells. Enter the projects on the sheet '{projects}'; scores, gate "
                        "answers and comments in the same row as the project on the following sheets.",
        "partnership": "Partnership name",
        "voivodeship": "Voivodeship",
        "members": "Member JSTs (separated by ;)",
        "advisor": "Partnership advisor",
        "date": "Appraisal date (YYYY-MM-DD)",
        "criteria": "Criteria set (read-only)",
        "criteria_label": "Criteria set name",
        "budget": "Budget for the package's projects (PLN; portfolio under a budget)",
        "howto": "How to fill in",
        "howto_lines": (
            "1. '{projects}': one project per row from row 3; the id (e.g. P01) is required, rows without an id "
            "are skipped.\n"
            "2. '{scores}': a score for every criterion in the project's row; the list and the sheet '{scales}' "
            "show the admissible levels.\n"
            "3. '{gates}': yes/no for every gate; a project answering 'no' is not ranked.\n"
            "4. '{comments}': the reasons for the scores (optional).\n"
            "5. '{weights}': the weights of groups and criteria, pairwise (AHP) or direct.\n"
            "Do not rename sheets or columns; rows 1-2 of the project sheets are headers."
        ),
        "id": "Project id",
        "title": "Project title",
        "lead_jst": "Lead (JST)",
        "partners": "Partners (JSTs, separated by ;)",
        "cost": "Total cost [PLN]",
        "funding_source": "Funding source {k}",
        "funding_amount": "Amount {k} [PLN]",
        "status": "Preparation status",
        "description": "Description",
        "bonus": "Bonus",
        "status_prompt": "Pick from the list or type your own status.",
        "gate_prompt": "yes – met; no – not met (the project will not be ranked)",
        "scale_error": "Pick one of the scale's levels from the list.",
        "quantity_prompt": "A number{unit}{bounds}.",
        "unit": " in {unit}",
        "min": "≥ {v}",
        "max": "≤ {v}",
        "reference": "{neutral} → 0 % (neutral), {good} → 100 % (good)",
        "number_error": "Enter a number{bounds}.",
        "weights_title": "Criteria weights",
        "weights_hint1": "Pairwise: the number in a yellow cell says how much more important the ROW criterion is "
                         "than the COLUMN criterion: 1 equal, 3 moderately, 5 strongly, 7 very strongly, "
                         "9 extremely more important (2, 4, 6, 8 in between).",
        "weights_hint2": "1/3 means the COLUMN criterion is moderately more important. Fill in only the cells above "
                         "the diagonal; below it the sheet shows the reciprocals.",
        "weights_hint3": "Direct weights: any non-negative numbers (points, percentages) in the column 'Direct "
                         "weight'; they are rescaled to sum 1. The field 'Weighting' decides which applies.",
        "group_block": "Group: {label} [{id}]",
        "root_block": "Top level (criteria groups): {label} [{id}]",
        "expert_block": "Panel expert {k} – {name} – group {label} [{id}]",
        "block_note": "How much more important the row criterion is than the column criterion (1–9; 1/3 = the "
                      "column is moderately more important).",
        "panel_note": "Panel of experts ({agg}): {experts}. Below, the aggregated matrix (weighted geometric mean, "
                      "read-only); change the judgments in the experts' blocks further down.",
        "mode": "Weighting",
        "judgment": "Pairwise judgment",
        "method": "AHP method",
        "aggregation": "Panel aggregation (AIJ: judgments, AIP: priorities)",
        "expert": "Expert (author of the judgments)",
        "expert_weight": "Expert's weight in the panel",
        "grid_corner": "row ↓ compared with column →",
        "direct": "Direct weight",
        "expert_no": "expert {k}",
        "weight_of": "weight {w}",
        "scales_title": "Scales and criteria (read-only)",
        "scale_cols": "Id|Criterion|Group|Direction|Kind / unit|Value|Level label|Description",
        "benefit": "benefit (more is better)",
        "cost_dir": "cost (less is better)",
        "kind_scale": "scale",
        "kind_quantity": "number",
        "gates_title": "Gates (yes/no)",
        "gate_kind": "yes/no",
        "root": "",
    },
}

PROJECT_KEYS = ["id", "title", "lead_jst", "partners", "cost"]
TAIL_KEYS = ["status", "description"]

# --- styles --------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
KEY_FONT = Font(size=8, color="808080")
NOTE_FONT = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BLOCK_FILL = PatternFill("solid", fgColor="BDD7EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")
TOP = Alignment(vertical="top")
UNLOCKED = Protection(locked=False)
MONEY = "#,##0"


def _fmt(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:g}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _put(ws, row: int, col: int, value: Any, style: dict[str, Any] | None = None):
    """:func:`put`, with text made storable: control characters a cell cannot hold (a vertical tab pasted
    from a word processor) become spaces, and text longer than a cell holds is refused."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
        if len(value) > CELL_LIMIT:
            raise InputError(f"a text of {len(value):,} characters is longer than a spreadsheet cell holds "
                             f"({CELL_LIMIT:,}): {value[:40]!r}...", where=f"{ws.title}!{get_column_letter(col)}{row}")
    return put(ws, row, col, value, style)


def package_texts(package) -> list[tuple[str, str]]:
    """(field path, text) of every text of ``package`` that the workbook writes into one cell, as written
    (lists joined with "; ")."""
    part = package.partnership
    out = [("partnership.name", part.name), ("partnership.voivodeship", part.voivodeship),
           ("partnership.members", "; ".join(part.members)), ("advisor", package.advisor)]
    for k, p in enumerate(package.projects):
        at = f"projects[{k}]"
        out += [(f"{at}.id", p.id), (f"{at}.title", p.title), (f"{at}.lead_jst", p.lead_jst),
                (f"{at}.partners", "; ".join(p.partners)), (f"{at}.status", p.status),
                (f"{at}.description", p.description)]
        out += [(f"{at}.funding[{i}].source", f.source) for i, f in enumerate(p.funding)]
        out += [(f"{at}.comments.{cid}", text) for cid, text in p.comments.items()]
    return [(where, text) for where, text in out if isinstance(text, str)]


def long_texts(package) -> list[tuple[str, int]]:
    """(field path, length) of each text of ``package`` longer than a workbook cell holds."""
    return [(where, len(text)) for where, text in package_texts(package) if len(text) > CELL_LIMIT]


def check_cell_texts(package) -> None:
    """Refuse a package whose text would not fit a workbook cell, naming the input file and the field (or
    where the package's reader found it: a table's row and column) rather than the cell being written."""
    for where, n in long_texts(package):
        raise InputError(f"a text of {n:,} characters is longer than a workbook cell holds ({CELL_LIMIT:,})",
                         source=package.source, where=package._locations.get(where, where))


def _header(ws, row: int, col: int, text: str, wrap: bool = True):
    return _put(ws, row, col, text, {"font": BOLD, "fill": HEADER_FILL,
                                    "alignment": WRAP_TOP if wrap else Alignment(vertical="top")})


def _key(ws, row: int, col: int, text: str):
    return _put(ws, row, col, text, {"font": KEY_FONT})


def _input(cell, number_format: str | None = None):
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    if number_format:
        cell.number_format = number_format
    return cell


def _protect(ws) -> None:
    """Protect a sheet (no password), leaving columns and rows free to be resized and formatted; print it
    landscape, one page wide."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _fit_rows(ws) -> None:
    """Give rows with wrapped text a height that shows it (spreadsheets do not re-measure on opening)."""
    widths = {}
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text or cell.data_type == "f":
                continue
            letter = cell.column_letter
            if letter not in widths:
                dim = ws.column_dimensions.get(letter)
                widths[letter] = (dim.width if dim is not None and dim.width else 8.43)
            per_line = max(1.0, widths[letter] * (0.95 if cell.font.b else 1.1))
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n")))
        if lines > 1:
            r = row[0].row
            height = min(15.0 * lines + 2, 300.0)
            current = ws.row_dimensions[r].height
            if current is None or current < height:
                ws.row_dimensions[r].height = height


def _list_validation(items: list[str], **kw) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(items) + '"', allow_blank=True, **kw)


def _number_value(v: float) -> int | float:
    v = float(v)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def judgment_text(value: float | str) -> int | str:
    """How a judgment is written into a grid cell: an integer as a number, a reciprocal as ``"1/k"``,
    anything else as text that :func:`parse_judgment` reads back to the same number."""
    x = parse_judgment(value)
    if x.is_integer():
        return int(x)
    if isinstance(value, str):
        text = value.strip()
        if parse_judgment(text) == x:
            return text
    k = round(1.0 / x)
    if k >= 2 and abs(1.0 / k - x) <= 1e-12 * max(1.0, x):
        return f"1/{k}"
    return repr(x)


# --- writing ---------------------------------------------------------------------------------------------

def _base_criteria(package, cs: CriteriaSet) -> CriteriaSet:
    """The package's criteria set without its weight overrides (the set the meta sheet stores)."""
    if isinstance(package.criteria, CriteriaSet):
        return package.criteria
    if not package.weights:
        return package.criteria_set
    base = Path(package.source).parent if package.source else None
    try:
        return load_criteria(package.criteria, base)
    except InputError:
        return package.criteria_set  # best effort: the overrides then read back as the set's own weighting


def build_template(cs: CriteriaSet, lang: str = "pl", package=None, rows: int = 30,
                   criteria_ref: str | None = None) -> Workbook:
    """A package workbook for ``cs``: empty (``rows`` project rows) or filled in from ``package``."""
    if lang not in SHEETS:
        raise InputError(f"unknown language {lang!r}; use pl or en")
    if rows < 1:
        raise InputError(f"rows must be at least 1, got {rows}")
    if package is not None:
        check_cell_texts(package)
    effective = package.criteria_set if package is not None else cs
    base = _base_criteria(package, cs) if package is not None else cs
    if criteria_ref is None and package is not None and isinstance(package.criteria, str):
        criteria_ref = package.criteria
    projects = list(package.projects) if package is not None else []
    n_rows = max(rows, len(projects) + 5) if package is not None else rows
    names = SHEETS[lang]
    t = T[lang]

    wb = Workbook()
    ws_pkg = wb.active
    ws_pkg.title = names["package"]
    _write_package_sheet(ws_pkg, effective, package, criteria_ref, lang)
    funding_slots = max([FUNDING_SLOTS, *(len(p.funding) for p in projects)])
    proj_cols = _write_projects_sheet(wb.create_sheet(names["projects"]), projects, n_rows, funding_slots, t)
    link = {"id": proj_cols["id"], "title": proj_cols["title"]}

    leaf_groups = {leaf.id: path[-1] for path, leaf in effective.leaf_paths()}
    crit_cols = []
    for leaf in effective.leaves():
        grp = leaf_groups[leaf.id]
        prefix = "" if grp is effective else f"{grp.label.get(lang)}: "
        crit_cols.append((leaf.id, prefix + leaf.label.get(lang) + (f" [{leaf.unit}]" if leaf.unit else ""), leaf))
    for b in effective.bonus:
        crit_cols.append((b.id, f"{t['bonus']}: {b.label.get(lang)}" + (f" [{b.unit}]" if b.unit else ""), b))
    gate_cols = [(g.id, g.label.get(lang), g) for g in effective.gates]

    ws = wb.create_sheet(names["scores"])
    _write_row_sheet(ws, names["projects"], link, crit_cols, n_rows, lang)
    for k, (_, _, crit) in enumerate(crit_cols):
        _score_validation(ws, GRID_COL + k, crit, n_rows, lang)
    for k, p in enumerate(projects):
        for j, (cid, _, _) in enumerate(crit_cols):
            if cid in p.scores:
                ws.cell(FIRST_ROW + k, GRID_COL + j).value = _number_value(p.scores[cid])

    ws = wb.create_sheet(names["gates"])
    _write_row_sheet(ws, names["projects"], link, gate_cols, n_rows, lang)
    yes, no = ANSWERS[lang]
    for j in range(len(gate_cols)):
        dv = _list_validation([yes, no], showErrorMessage=True, showInputMessage=True,
                              promptTitle=_clip(gate_cols[j][1], TITLE_LIMIT),
                              prompt=_clip(t["gate_prompt"], PROMPT_LIMIT),
                              errorTitle=_clip(gate_cols[j][1], TITLE_LIMIT), error=f"{yes} / {no}")
        ws.add_data_validation(dv)
        dv.add(_col_range(GRID_COL + j, n_rows))
    for k, p in enumerate(projects):
        for j, (gid, _, _) in enumerate(gate_cols):
            if gid in p.gates:
                _put(ws, FIRST_ROW + k, GRID_COL + j, yes if p.gates[gid] else no)

    ws = wb.create_sheet(names["comments"])
    comment_cols = crit_cols + gate_cols
    _write_row_sheet(ws, names["projects"], link, comment_cols, n_rows, lang, width=36)
    for k, p in enumerate(projects):
        for j, (cid, _, _) in enumerate(comment_cols):
            if cid in p.comments:
                _put(ws, FIRST_ROW + k, GRID_COL + j, p.comments[cid])
    for r in range(FIRST_ROW, FIRST_ROW + n_rows):
        for j in range(len(comment_cols)):
            ws.cell(r, GRID_COL + j).alignment = WRAP_TOP

    _write_weights_sheet(wb.create_sheet(names["weights"]), effective, lang)
    _write_scales_sheet(wb.create_sheet(names["scales"]), effective, lang)
    _write_meta(wb.create_sheet(META_SHEET), base, lang, criteria_ref)
    for ws in wb.worksheets[:-1]:
        _fit_rows(ws)
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def write_template(path, cs: CriteriaSet, lang: str = "pl", package=None, rows: int = 30,
                   criteria_ref: str | None = None) -> Path:
    """Build the package workbook and save it completely or not at all."""
    wb = build_template(cs, lang=lang, package=package, rows=rows, criteria_ref=criteria_ref)
    return save_atomic(wb, path)


def _sheet_ref(title: str) -> str:
    """A sheet's name as formulas write it: plain when it is a simple word, else in single quotes."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _col_range(col: int, n_rows: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + n_rows - 1}"


def _write_package_sheet(ws, cs: CriteriaSet, package, criteria_ref, lang) -> None:
    t = T[lang]
    names = SHEETS[lang]
    _put(ws, 1, 2, t["package_title"], {"font": TITLE_FONT})
    _put(ws, 2, 2, t["package_hint"].format(**names), {"font": NOTE_FONT})
    part = package.partnership if package is not None else None
    values: list[tuple[str, Any, bool]] = [
        ("partnership", part.name if part else None, True),
        ("voivodeship", part.voivodeship if part else None, True),
        ("members", "; ".join(part.members) if part else None, True),
        ("advisor", package.advisor if package is not None else None, True),
        ("date", package.date if package is not None else None, True),
        ("criteria", cs.id, False),
        ("criteria_label", cs.label.get(lang), False),
        ("budget", package.budget if package is not None else None, True),
    ]
    row = 4
    for key, value, editable in values:
        _key(ws, row, 1, key)
        _put(ws, row, 2, t[key], {"font": BOLD, "fill": HEADER_FILL, "alignment": WRAP_TOP})
        cell = _put(ws, row, GRID_COL, value) if value is not None else ws.cell(row, GRID_COL)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if editable:
            _input(cell)
        else:
            cell.fill = LOCKED_FILL
        if key == "date":
            cell.number_format = "yyyy-mm-dd"
        if key == "budget":
            cell.number_format = "#,##0"
        if key == "voivodeship":
            dv = _list_validation(VOIVODESHIPS, showErrorMessage=True, errorStyle="warning",
                                  errorTitle=_clip(t["voivodeship"], TITLE_LIMIT),
                                  error=_clip(", ".join(VOIVODESHIPS), ERROR_LIMIT))
            ws.add_data_validation(dv)
            dv.add(cell.coordinate)
        row += 1
    row += 1
    _put(ws, row, 2, t["howto"], {"font": BOLD})
    for line in t["howto_lines"].format(**names).split("\n"):
        row += 1
        _put(ws, row, 2, line)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 80
    _protect(ws)


def _write_projects_sheet(ws, projects, n_rows: int, funding_slots: int, t) -> dict[str, int]:
    keys = list(PROJECT_KEYS)
    for k in range(1, funding_slots + 1):
        keys += [f"funding_source_{k}", f"funding_amount_{k}"]
    keys += TAIL_KEYS
    cols = {key: i + 1 for i, key in enumerate(keys)}
    widths = {"id": 10, "title": 45, "lead_jst": 24, "partners": 36, "cost": 16, "status": 26, "description": 50}
    for key, col in cols.items():
        m = re.fullmatch(r"funding_(source|amount)_(\d+)", key)
        label = t[f"funding_{m.group(1)}"].format(k=m.group(2)) if m else t[key]
        _header(ws, 1, col, label)
        _key(ws, 2, col, key)
        width = widths.get(key, 30 if m and m.group(1) == "source" else 16)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 45
    money = {"cost"} | {k for k in keys if k.startswith("funding_amount_")}
    for r in range(FIRST_ROW, FIRST_ROW + n_rows):
        for key, col in cols.items():
            cell = _input(ws.cell(r, col), MONEY if key in money else None)
            cell.alignment = WRAP_TOP if key in ("title", "description", "partners") else TOP
    for k, p in enumerate(projects):
        r = FIRST_ROW + k
        _put(ws, r, cols["id"], p.id)
        _put(ws, r, cols["title"], p.title)
        if p.lead_jst is not None:
            _put(ws, r, cols["lead_jst"], p.lead_jst)
        if p.partners:
            _put(ws, r, cols["partners"], "; ".join(p.partners))
        if p.cost is not None:
            _put(ws, r, cols["cost"], _number_value(p.cost))
        for i, f in enumerate(p.funding, start=1):
            _put(ws, r, cols[f"funding_source_{i}"], f.source)
            if f.amount is not None:
                _put(ws, r, cols[f"funding_amount_{i}"], _number_value(f.amount))
        if p.status is not None:
            _put(ws, r, cols["status"], p.status)
        if p.description is not None:
            _put(ws, r, cols["description"], p.description)
    dv = _list_validation(STATUSES, showErrorMessage=False, showInputMessage=True,
                          promptTitle=_clip(t["status"], TITLE_LIMIT), prompt=_clip(t["status_prompt"], PROMPT_LIMIT))
    ws.add_data_validation(dv)
    dv.add(_col_range(cols["status"], n_rows))
    ws.freeze_panes = ws.cell(FIRST_ROW, 3).coordinate
    _protect(ws)
    return cols


def _write_row_sheet(ws, projects_title: str, link: dict[str, int], columns, n_rows: int, lang: str,
                     width: float = 16) -> None:
    """Scores, gates or comments: A/B the project's id and title by formula, then one column per key."""
    t = T[lang]
    _header(ws, 1, 1, t["id"])
    _header(ws, 1, 2, t["title"])
    _key(ws, 2, 1, "id")
    _key(ws, 2, 2, "title")
    for j, (key, label, _) in enumerate(columns):
        _header(ws, 1, GRID_COL + j, label)
        _key(ws, 2, GRID_COL + j, key)
        ws.column_dimensions[get_column_letter(GRID_COL + j)].width = width
    ws.row_dimensions[1].height = 75
    sheet = _sheet_ref(projects_title)
    for r in range(FIRST_ROW, FIRST_ROW + n_rows):
        for col, key in ((1, "id"), (2, "title")):
            ref = f"{sheet}!{get_column_letter(link[key])}{r}"
            formula(ws, r, col, f'=IF({ref}="","",{ref})', {"fill": LOCKED_FILL})
        for j in range(len(columns)):
            _input(ws.cell(r, GRID_COL + j))
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 40
    ws.freeze_panes = ws.cell(FIRST_ROW, GRID_COL).coordinate
    _protect(ws)


def _score_validation(ws, col: int, crit, n_rows: int, lang: str) -> None:
    t = T[lang]
    title = _clip(crit.label.get(lang), TITLE_LIMIT)
    if crit.scale is not None:
        levels = list(reversed(crit.scale.levels))
        prompt = "; ".join(f"{_fmt(lv.value)} – {lv.label.get(lang)}" if lv.label else _fmt(lv.value)
                           for lv in levels)
        items = ",".join(_fmt(lv.value) for lv in crit.scale.levels)
        if len(items) <= 250:
            dv = _list_validation([_fmt(lv.value) for lv in crit.scale.levels])
        else:
            dv = DataValidation(type="decimal", operator="between", formula1=repr(crit.scale.low),
                                formula2=repr(crit.scale.high), allow_blank=True)
        dv.error = _clip(t["scale_error"] + " " + crit.scale.describe(), ERROR_LIMIT)
    else:
        bounds = []
        if crit.min_value is not None:
            bounds.append(t["min"].format(v=_fmt(crit.min_value)))
        if crit.max_value is not None:
            bounds.append(t["max"].format(v=_fmt(crit.max_value)))
        bound_text = (", " + ", ".join(bounds)) if bounds else ""
        unit = t["unit"].format(unit=crit.unit) if crit.unit else ""
        prompt = t["quantity_prompt"].format(unit=unit, bounds=bound_text)
        if crit.min_value is not None and crit.max_value is not None:
            dv = DataValidation(type="decimal", operator="between", formula1=repr(float(crit.min_value)),
                                formula2=repr(float(crit.max_value)), allow_blank=True)
        elif crit.min_value is not None:
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual",
                                formula1=repr(float(crit.min_value)), allow_blank=True)
        elif crit.max_value is not None:
            dv = DataValidation(type="decimal", operator="lessThanOrEqual",
                                formula1=repr(float(crit.max_value)), allow_blank=True)
        else:
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300",
                                allow_blank=True)
        dv.error = _clip(t["number_error"].format(bounds=bound_text), ERROR_LIMIT)
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.promptTitle = title
    dv.prompt = _clip(prompt, PROMPT_LIMIT)
    dv.errorTitle = title
    ws.add_data_validation(dv)
    dv.add(_col_range(col, n_rows))


def _write_weights_sheet(ws, cs: CriteriaSet, lang: str) -> None:
    t = T[lang]
    _put(ws, 1, 2, t["weights_title"], {"font": TITLE_FONT})
    for k, key in enumerate(("weights_hint1", "weights_hint2", "weights_hint3")):
        _put(ws, 2 + k, 2, t[key], {"font": NOTE_FONT})
    modes, methods = MODES[lang], METHODS[lang]
    dv_mode = _list_validation([modes["pairwise"], modes["direct"]], showErrorMessage=True)
    dv_method = _list_validation([methods["eigenvector"], methods["geometric"]], showErrorMessage=True)
    dv_agg = _list_validation(list(AGGREGATIONS.values()), showErrorMessage=True)
    dv_saaty = _list_validation(SAATY_LIST, showErrorMessage=True, errorStyle="warning",
                                showInputMessage=True, promptTitle=_clip(t["judgment"], TITLE_LIMIT),
                                prompt=_clip(t["block_note"], PROMPT_LIMIT),
                                error=_clip(t["block_note"], ERROR_LIMIT))
    for dv in (dv_mode, dv_method, dv_agg, dv_saaty):
        ws.add_data_validation(dv)
    widest = 0
    row = 6
    for g in cs.iter_groups():
        kids = g.children
        widest = max(widest, len(kids))
        label = g.label.get(lang)
        panel = g.pairwise is not None and len(g.pairwise) > 1
        title = (t["root_block"] if g is cs else t["group_block"]).format(label=label, id=g.id)
        row = _block_title(ws, row, f"group:{g.id}", title, len(kids))
        _put(ws, row, 2, t["block_note"], {"font": NOTE_FONT})
        _key(ws, row, 1, "note")
        row += 1
        if panel:
            experts = "; ".join(f"{j.expert or t['expert_no'].format(k=k)} ({t['weight_of'].format(w=_fmt(j.weight))})"
                                for k, j in enumerate(g.pairwise, start=1))
            _put(ws, row, 2, t["panel_note"].format(agg=AGGREGATIONS[g.aggregation], experts=experts),
                {"font": NOTE_FONT})
            _key(ws, row, 1, "note")
            row += 1
        mode = "pairwise" if g.pairwise else "direct"
        row = _kv(ws, row, "mode", t["mode"], modes[mode], dv_mode)
        row = _kv(ws, row, "method", t["method"], methods[g.method], dv_method)
        row = _kv(ws, row, "aggregation", t["aggregation"], AGGREGATIONS[g.aggregation], dv_agg)
        if g.pairwise is not None and not panel:
            row = _kv(ws, row, "expert", t["expert"], g.pairwise[0].expert)
        if panel:
            mats = np.stack([_complete(j) for j in g.pairwise])
            agg = aggregate_judgments(mats, np.array([j.weight for j in g.pairwise], dtype=float))
            row = _grid(ws, row, kids, lang, None, dv_saaty, direct_column=True, aggregated=agg)
        else:
            direct = None
            if g.weights is not None:
                direct = g.weights
            elif not g.pairwise:
                direct = {k.id: 1 for k in kids}
            upper = g.pairwise[0].matrix if g.pairwise else None
            row = _grid(ws, row, kids, lang, upper, dv_saaty, direct=direct or {}, direct_column=True)
        row += 1
        if panel:
            for k, j in enumerate(g.pairwise, start=1):
                name = j.expert or t["expert_no"].format(k=k)
                row = _block_title(ws, row, f"expert:{g.id}:{k}",
                                   t["expert_block"].format(k=k, name=name, label=label, id=g.id), len(kids))
                row = _kv(ws, row, "expert", t["expert"], j.expert)
                row = _kv(ws, row, "expert_weight", t["expert_weight"], _number_value(j.weight))
                row = _grid(ws, row, kids, lang, j.matrix, dv_saaty)
                row += 1
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 46
    for c in range(GRID_COL, GRID_COL + widest + 2):
        ws.column_dimensions[get_column_letter(c)].width = 16
    _protect(ws)


def _complete(j: Judgments) -> np.ndarray:
    return complete_reciprocal(np.array(j.numeric(), dtype=float))


def _block_title(ws, row: int, key: str, title: str, n: int) -> int:
    _key(ws, row, 1, key)
    _put(ws, row, 2, title, {"font": Font(bold=True, size=12), "fill": BLOCK_FILL})
    for c in range(GRID_COL, GRID_COL + n + 2):
        ws.cell(row, c).fill = BLOCK_FILL
    return row + 1


def _kv(ws, row: int, key: str, label: str, value, dv: DataValidation | None = None) -> int:
    _key(ws, row, 1, key)
    _put(ws, row, 2, label, {"font": BOLD})
    cell = _put(ws, row, GRID_COL, value) if value is not None else ws.cell(row, GRID_COL)
    _input(cell)
    if dv is not None:
        dv.add(cell.coordinate)
    return row + 1


def _grid(ws, row: int, kids, lang: str, upper, dv_saaty, direct: dict | None = None,
          direct_column: bool = False, aggregated: np.ndarray | None = None) -> int:
    """An n×n pairwise grid (upper triangle input as text, diagonal 1, lower triangle reciprocal formulas)."""
    t = T[lang]
    n = len(kids)
    wcol = GRID_COL + n + 1
    _key(ws, row, 1, "ids")
    for j, kid in enumerate(kids):
        _key(ws, row, GRID_COL + j, kid.id)
    if direct_column:
        _key(ws, row, wcol, "weight")
    row += 1
    _key(ws, row, 1, "labels")
    _header(ws, row, 2, t["grid_corner"])
    for j, kid in enumerate(kids):
        _header(ws, row, GRID_COL + j, kid.label.get(lang))
    if direct_column:
        _header(ws, row, wcol, t["direct"])
    ws.row_dimensions[row].height = 60
    row += 1
    first = row
    for i, kid in enumerate(kids):
        r = first + i
        _key(ws, r, 1, f"row:{kid.id}")
        _header(ws, r, 2, f"{kid.label.get(lang)} [{kid.id}]")
        for j in range(n):
            c = GRID_COL + j
            if i == j:
                _put(ws, r, c, 1, {"fill": LOCKED_FILL, "alignment": CENTER, "number_format": "@"})
            elif aggregated is not None:
                _put(ws, r, c, float(aggregated[i][j]),
                    {"fill": LOCKED_FILL, "alignment": CENTER, "number_format": "0.000", "font": NOTE_FONT})
            elif i < j:
                cell = ws.cell(r, c)
                if upper is not None:
                    _put(ws, r, c, judgment_text(upper[i][j]))
                _input(cell, "@")
                cell.alignment = CENTER
                dv_saaty.add(cell.coordinate)
            else:
                ref = f"{get_column_letter(GRID_COL + i)}{first + j}"
                formula(ws, r, c, f'=IF({ref}="","",IF({ref}&""="1","1",IF(LEFT({ref},2)="1/",'
                                  f'MID({ref},3,99),"1/"&{ref})))',
                        {"fill": LOCKED_FILL, "alignment": CENTER, "font": NOTE_FONT})
        if direct_column:
            cell = ws.cell(r, wcol)
            if direct and kid.id in direct:
                _put(ws, r, wcol, _number_value(direct[kid.id]))
            _input(cell, "General")
    return first + n


def _write_scales_sheet(ws, cs: CriteriaSet, lang: str) -> None:
    t = T[lang]
    _put(ws, 1, 1, t["scales_title"], {"font": TITLE_FONT})
    cols = t["scale_cols"].split("|")
    for c, label in enumerate(cols, start=1):
        _header(ws, 2, c, label)
    group_of = {leaf.id: path[-1] for path, leaf in cs.leaf_paths()}
    row = 3
    crits = [(c, group_of[c.id].label.get(lang) if group_of[c.id] is not cs else "") for c in cs.leaves()]
    crits += [(b, t["bonus"]) for b in cs.bonus]
    for crit, group in crits:
        kind = t["kind_scale"] if crit.kind == "scale" else t["kind_quantity"] + (f" [{crit.unit}]" if crit.unit else "")
        direction = t["benefit"] if crit.direction == "benefit" else t["cost_dir"]
        bounds = ""
        if crit.kind == "quantity":
            parts = []
            if crit.min_value is not None:
                parts.append(t["min"].format(v=_fmt(crit.min_value)))
            if crit.max_value is not None:
                parts.append(t["max"].format(v=_fmt(crit.max_value)))
            if crit.reference is not None:
                ref = crit.reference
                steps = "".join(f"; {_fmt(b.at)} → {_fmt(100 * b.value)} %" for b in ref.breakpoints)
                parts.append(t["reference"].format(neutral=_fmt(ref.neutral), good=_fmt(ref.good)) + steps)
            bounds = ", ".join(parts)
        values = [crit.id, crit.label.get(lang), group, direction, kind, bounds, "",
                  crit.description.get(lang) if crit.description else ""]
        for c, v in enumerate(values, start=1):
            style = {"font": BOLD, "alignment": WRAP_TOP}
            if c <= 2:
                style["fill"] = HEADER_FILL
            _put(ws, row, c, v, style)
        row += 1
        if crit.scale is not None:
            for lv in reversed(crit.scale.levels):
                _put(ws, row, 1, crit.id, {"font": KEY_FONT})
                _put(ws, row, 6, _number_value(lv.value), {"alignment": Alignment(horizontal="center", vertical="top")})
                _put(ws, row, 7, lv.label.get(lang) if lv.label else "", {"alignment": WRAP_TOP})
                _put(ws, row, 8, lv.descriptor.get(lang), {"alignment": WRAP_TOP})
                row += 1
    if cs.gates:
        row += 1
        _put(ws, row, 1, t["gates_title"], {"font": Font(bold=True, size=12)})
        row += 1
        for g in cs.gates:
            _put(ws, row, 1, g.id, {"font": BOLD})
            _put(ws, row, 2, g.label.get(lang), {"font": BOLD, "alignment": WRAP_TOP})
            _put(ws, row, 5, t["gate_kind"])
            _put(ws, row, 8, g.description.get(lang) if g.description else "", {"alignment": WRAP_TOP})
            row += 1
    for c, width in enumerate((20, 40, 24, 22, 16, 10, 22, 90), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "C3"
    _protect(ws)


def _write_meta(ws, cs: CriteriaSet, lang: str, criteria_ref: str | None) -> None:
    from appraisal import __version__

    data = json.dumps(cs.model_dump(mode="json", exclude_none=True), ensure_ascii=False, separators=(",", ":"))
    chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [""]
    rows: list[tuple[str, list[Any]]] = [
        ("format", [FORMAT_NAME]),
        ("format_version", [FORMAT_VERSION]),
        ("engine", [__version__]),
        ("lang", [lang]),
        *((f"sheet:{k}", [v]) for k, v in SHEETS[lang].items()),
        ("criteria_ref", [criteria_ref or ""]),
        ("criteria_json_parts", [len(chunks)]),
        ("criteria_json", chunks),
    ]
    for r, (key, values) in enumerate(rows, start=1):
        _put(ws, r, 1, key)
        for c, v in enumerate(values, start=2):
            _put(ws, r, c, v)
    ws.sheet_state = "veryHidden"
    _protect(ws)


# --- reading ---------------------------------------------------------------------------------------------

def read_workbook(path) -> Package:  # noqa: F821 - appraisal.package.Package
    """Read a package workbook; raise :class:`InputError` naming the sheet and cell of the first problem."""
    pkg, problems = workbook_problems(path)
    if problems:
        raise first_problem(problems)
    assert pkg is not None
    return pkg


def workbook_problems(path):
    """(the package, or None when there is any problem; every problem found, each naming its cell)."""
    reader = _Reader(Path(path))
    try:
        pkg = reader.read()
    except InputError as exc:
        return None, [*reader.problems, exc.located(reader.src)]
    if reader.problems:
        return None, reader.problems
    return pkg, []


def _cell_number(value: Any) -> float:
    return cell_number(value, decimal_comma=True, money=True)


def _date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()
    if isinstance(value, str):
        s = value.strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y.%m.%d"):
            try:
                return _dt.datetime.strptime(s, fmt).date()
            except ValueError:
                pass
    raise ValueError


def _open_quietly(path: Path, data_only: bool = False):
    """:func:`open_workbook` without openpyxl's warnings (unsupported extensions, out-of-range dates):
    the command line's stderr is for our one-line messages; damaged cells are reported by cell."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return open_workbook(path, data_only=data_only)


def _rows_with_cells(ws, min_row: int = 1, columns: set[int] | None = None) -> list[int]:
    """The rows at or below ``min_row`` that hold cells (in ``columns``), without creating any: a sheet whose
    one stray cell sits in row 1,000,000 costs one row, not a million."""
    return sorted({r for (r, c) in ws._cells if r >= min_row and (columns is None or c in columns)})


def _lookup(tables: list[dict[str, str]], text: str) -> str | None:
    """The key whose key or label is ``text`` (case-insensitive) in any of ``tables``."""
    text = text.strip().lower()
    for table in tables:
        for key, label in table.items():
            if text in (key.lower(), label.lower()):
                return key
    return None


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.src = str(path)
        self.problems: list[InputError] = []
        self.where_reported: set[str] = set()
        self._values_wb = None
        self.criteria_ref: str | None = None  # the criteria set's name when it was loaded by name
        self.cells: dict[str, str] = {}  # package field path -> Sheet!Cell
        self.project_cells: list[dict[str, str]] = []

    # -- helpers
    def ref(self, ws, row: int, col: int) -> str:
        return f"{ws.title}!{get_column_letter(col)}{row}"

    def err(self, ws, row: int, col: int, msg: str) -> None:
        where = self.ref(ws, row, col)
        self.where_reported.add(where)
        self.problems.append(InputError(msg, source=self.src, where=where))

    def value(self, ws, row: int, col: int) -> Any:
        """The value a person sees in the cell: for a formula, the value last computed by a spreadsheet."""
        cell = ws.cell(row=row, column=col)

        def computed() -> Any:
            if self._values_wb is None:
                self._values_wb = _open_quietly(self.path, data_only=True)
            return self._values_wb[ws.title].cell(row=row, column=col).value

        return seen_value(cell, computed)

    def get(self, ws, row: int, col: int) -> Any:
        """``value`` with formula problems recorded (and None returned)."""
        try:
            return self.value(ws, row, col)
        except CellValueError as exc:
            self.err(ws, row, col, str(exc))
            return _BAD

    def sheet(self, key: str, required: bool = True):
        names = [self.meta_sheets.get(key)] if self.meta_sheets.get(key) else []
        names += [SHEETS[lang][key] for lang in SHEETS]
        for name in names:
            if name in self.wb.sheetnames:
                ws = self.wb[name]
                if isinstance(ws, Worksheet):
                    return ws
        if required:
            wanted = " or ".join(dict.fromkeys(names))
            raise InputError(f"no sheet {wanted}: not an appraise package workbook (write one with "
                             f"'appraise template')", source=self.src)
        return None

    # -- the whole workbook
    def read(self):
        from ..package import package_problems

        self.wb = _open_quietly(self.path)
        self.meta_sheets: dict[str, str] = {}
        meta = self.read_meta()
        ws_pkg = self.sheet("package")
        ws_proj = self.sheet("projects")
        doc: dict[str, Any] = self.read_package_sheet(ws_pkg)
        cs = self.criteria_set(meta, ws_pkg)
        if cs is None:
            return None
        rows = self.read_projects(ws_proj, cs)
        self.read_scores(self.sheet("scores"), rows, cs)
        self.read_gates(self.sheet("gates", required=bool(cs.gates)), rows, cs)
        self.read_comments(self.sheet("comments", required=False), rows, cs)
        doc["criteria"] = self.criteria_ref or cs
        doc["weights"] = self.read_weights(self.sheet("weights", required=False), cs)
        doc["projects"] = [p for _, p in rows]
        pkg, problems = package_problems(doc, self.src, self.path.parent)
        for p in problems:
            where = self.locate(p)
            if where is not None and where in self.where_reported:
                continue
            if where is not None:
                self.where_reported.add(where)
            self.problems.append(InputError(p.message, source=self.src, where=where or p.where))
        if pkg is not None:
            pkg._source = self.src
        return pkg

    # -- meta and criteria
    def read_meta(self) -> dict[str, tuple[int, list[Any]]]:
        if META_SHEET not in self.wb.sheetnames or not isinstance(self.wb[META_SHEET], Worksheet):
            return {}
        ws = self.wb[META_SHEET]
        meta: dict[str, tuple[int, list[Any]]] = {}
        for r in _rows_with_cells(ws, 1, {1})[:200]:
            key = ws.cell(r, 1).value
            if isinstance(key, str) and key.strip() and key.strip() not in meta:
                last = max((c for (rr, c) in ws._cells if rr == r), default=1)
                meta[key.strip()] = (r, [ws.cell(r, c).value for c in range(2, min(last, 200) + 1)])
        fmt = (meta.get("format", (0, [None]))[1] or [None])[0]
        if fmt != FORMAT_NAME:
            return {}
        version = (meta.get("format_version", (0, [None]))[1] or [None])[0]
        try:
            version_n = int(version)
        except (TypeError, ValueError):
            version_n = 0
        if version_n > FORMAT_VERSION:
            raise InputError(f"the workbook is in format version {version}, newer than this appraise reads "
                             f"({FORMAT_VERSION}); update appraise", source=self.src,
                             where=f"{META_SHEET}!B{meta['format_version'][0]}")
        for key, (_, values) in meta.items():
            if key.startswith("sheet:") and values and isinstance(values[0], str):
                self.meta_sheets[key[6:]] = values[0]
        return meta

    def criteria_set(self, meta, ws_pkg) -> CriteriaSet | None:
        if "criteria_json" in meta:
            row, values = meta["criteria_json"]
            try:
                parts = int((meta.get("criteria_json_parts", (0, [len(values)]))[1] or [len(values)])[0])
            except (TypeError, ValueError):
                parts = len(values)
            chunks = values[:parts]
            where = f"{META_SHEET}!B{row}"
            if len(chunks) < parts or not all(isinstance(c, str) for c in chunks):
                self.problems.append(InputError("the stored criteria set is incomplete", source=self.src,
                                                where=where))
                return None
            try:
                doc = json.loads("".join(chunks))
            except ValueError:
                self.problems.append(InputError("the stored criteria set is damaged (not JSON)", source=self.src,
                                                where=where))
                return None
            cs, problems = criteria_problems(doc, self.src)
            if problems:
                first = problems[0]
                self.problems.append(InputError(f"the stored criteria set is invalid: {first.where}: "
                                                f"{first.message}", source=self.src, where=where))
                return None
            return cs
        # no meta sheet (sheets copied into a new workbook): the criteria set named on the package sheet
        row = self.pkg_rows.get("criteria")
        ref = cell_text(ws_pkg.cell(row, GRID_COL).value) if row else None
        where = self.ref(ws_pkg, row, GRID_COL) if row else f"{ws_pkg.title}!A1"
        if not ref:
            self.problems.append(InputError(f"the hidden sheet {META_SHEET} with the criteria set is missing and "
                                            f"no criteria set is named here", source=self.src, where=where))
            return None
        tries = [ref]
        if not Path(ref).suffix:  # the set's id: a built-in name, or a file of that name beside the workbook
            tries += [name for name in (f"{ref}.toml", f"{ref}.json") if (self.path.parent / name).is_file()]
        errors = []
        for attempt in tries:
            try:
                cs = load_criteria(attempt, self.path.parent)
            except InputError as exc:
                errors.append(exc)
                continue
            self.criteria_ref = attempt
            return cs
        self.problems.append(InputError(f"the hidden sheet {META_SHEET} with the criteria set is missing, and the "
                                        f"criteria set {ref!r} named here cannot be loaded: {errors[0].message}",
                                        source=self.src, where=where))
        return None

    # -- package sheet
    def read_package_sheet(self, ws) -> dict[str, Any]:
        self.pkg_rows: dict[str, int] = {}
        for r in _rows_with_cells(ws, 1, {1}):
            key = ws.cell(r, 1).value
            if isinstance(key, str) and key.strip() and key.strip() not in self.pkg_rows:
                self.pkg_rows[key.strip()] = r

        def text(key: str) -> str | None:
            r = self.pkg_rows.get(key)
            if r is None:
                return None
            self.cells[key] = self.ref(ws, r, GRID_COL)
            v = self.get(ws, r, GRID_COL)
            return None if v is _BAD else cell_text(v)

        name = text("partnership")
        voiv = text("voivodeship")
        members = text("members")
        advisor = text("advisor")
        for key in ("name", "voivodeship", "members"):
            cell = self.cells.get("partnership" if key == "name" else key)
            if cell:
                self.cells[f"partnership.{key}"] = cell
        if name is None:
            r = self.pkg_rows.get("partnership", 4)
            if self.ref(ws, r, GRID_COL) not in self.where_reported:
                self.err(ws, r, GRID_COL, "the partnership's name is missing")
            name = "?"
        doc: dict[str, Any] = {
            "partnership": {"name": name, "voivodeship": voiv.lower() if voiv and voiv.lower() in VOIVODESHIPS
                            else voiv, "members": split_list(members)},
            "advisor": advisor,
        }
        r = self.pkg_rows.get("date")
        if r is not None:
            self.cells["date"] = self.ref(ws, r, GRID_COL)
            v = self.get(ws, r, GRID_COL)
            if v is not _BAD and cell_text(v) is not None:
                try:
                    doc["date"] = _date(v)
                except (ValueError, OverflowError):
                    self.err(ws, r, GRID_COL, f'"{shown(v)}" is not a date (write it as 2026-10-15 or 15.10.2026)')
        r = self.pkg_rows.get("budget")
        if r is not None:
            self.cells["budget"] = self.ref(ws, r, GRID_COL)
            v = self.get(ws, r, GRID_COL)
            if v is not _BAD and cell_text(v) is not None:
                try:
                    doc["budget"] = _cell_number(v)
                except ValueError:
                    self.err(ws, r, GRID_COL, f'"{shown(v)}" is not an amount of PLN (write e.g. 25000000)')
        return doc

    # -- projects
    def key_columns(self, ws, first_col: int = 1) -> dict[str, int]:
        cols: dict[str, int] = {}
        for c in range(first_col, ws.max_column + 1):
            v = ws.cell(2, c).value
            if isinstance(v, str) and v.strip():
                key = v.strip()
                if key in cols:
                    self.err(ws, 2, c, f"column key {key!r} appears twice in row 2 (also column "
                                       f"{get_column_letter(cols[key])})")
                    continue
                cols[key] = c
        return cols

    def read_projects(self, ws, cs) -> list[tuple[int, dict[str, Any]]]:
        cols = self.key_columns(ws)
        if "id" not in cols or "title" not in cols:
            missing = "id" if "id" not in cols else "title"
            raise InputError(f"row 2 of the projects sheet must hold the column keys (id, title, ...); "
                             f"{missing!r} is missing", source=self.src, where=f"{ws.title}!A2")
        self.project_cols = cols
        self.projects_title = ws.title
        out: list[tuple[int, dict[str, Any]]] = []
        slots = sorted({int(m.group(2)) for k in cols if (m := re.fullmatch(r"funding_(source|amount)_(\d+)", k))})
        for r in _rows_with_cells(ws, FIRST_ROW, set(cols.values())):
            raw = {key: self.get(ws, r, c) for key, c in cols.items()}
            vals = {k: (None if v is _BAD else v) for k, v in raw.items()}
            pid = cell_text(vals["id"])
            if pid is None:
                if raw["id"] is _BAD:
                    continue
                filled = [k for k, v in vals.items() if cell_text(v) is not None]
                if filled:
                    self.err(ws, r, cols["id"], f"this row has a {filled[0]} but no project id; give the project "
                                                f"an id (such as P{r - FIRST_ROW + 1:02d}) or clear the row")
                continue
            cells: dict[str, str] = {"": self.ref(ws, r, cols["id"])}
            for key, c in cols.items():
                cells[key] = self.ref(ws, r, c)
            proj: dict[str, Any] = {"id": pid, "title": cell_text(vals["title"])}
            if proj["title"] is None:
                self.err(ws, r, cols["title"], f"project {pid} has no title")
                proj["title"] = pid
            for key in ("lead_jst", "status", "description"):
                if key in cols and cell_text(vals[key]) is not None:
                    proj[key] = cell_text(vals[key])
            if "partners" in cols:
                proj["partners"] = split_list(cell_text(vals["partners"]))
            if "cost" in cols and cell_text(vals["cost"]) is not None:
                try:
                    proj["cost"] = _cell_number(vals["cost"])
                except (ValueError, OverflowError):
                    self.err(ws, r, cols["cost"], f'cost "{shown(vals["cost"])}" is not a number (PLN)')
            funding = []
            for k in slots:
                sc, ac = cols.get(f"funding_source_{k}"), cols.get(f"funding_amount_{k}")
                source = cell_text(vals.get(f"funding_source_{k}")) if sc else None
                amount_raw = vals.get(f"funding_amount_{k}") if ac else None
                amount = None
                if cell_text(amount_raw) is not None:
                    try:
                        amount = _cell_number(amount_raw)
                    except (ValueError, OverflowError):
                        self.err(ws, r, ac, f'amount "{shown(amount_raw)}" is not a number (PLN)')
                        continue
                if source is None:
                    if amount is not None:
                        self.err(ws, r, sc or ac, f"an amount of funding without its source (project {pid})")
                    continue
                i = len(funding)
                cells[f"funding[{i}]"] = cells[f"funding[{i}].source"] = self.ref(ws, r, sc)
                if ac:
                    cells[f"funding[{i}].amount"] = self.ref(ws, r, ac)
                funding.append({"source": source, **({"amount": amount} if amount is not None else {})})
            proj["funding"] = funding
            proj["scores"], proj["gates"], proj["comments"] = {}, {}, {}
            self.project_cells.append(cells)
            out.append((r, proj))
        return out

    # -- scores, gates, comments (row r belongs to the project in row r of the projects sheet)
    def criteria_columns(self, ws, known: set[str], what: str) -> dict[str, int]:
        cols = self.key_columns(ws, first_col=GRID_COL)
        for key, c in list(cols.items()):
            if key not in known:
                self.err(ws, 2, c, f"unknown {what} {key!r}: not in the criteria set of this workbook")
                del cols[key]
        return cols

    def read_scores(self, ws, rows, cs) -> None:
        crits = {c.id: c for c in [*cs.leaves(), *cs.bonus]}
        leaf_ids = set(cs.leaf_ids())
        cols = self.criteria_columns(ws, set(crits), "criterion")
        for cid in crits:
            if cid not in cols and cid in leaf_ids:
                self.err(ws, 2, 1, f"no column for criterion {cid} (row 2 holds the criterion ids)")
        for (r, proj), cells in zip(rows, self.project_cells):
            for cid, c in cols.items():
                crit = crits[cid]
                cells[f"scores.{cid}"] = self.ref(ws, r, c)
                v = self.get(ws, r, c)
                if v is _BAD:
                    continue
                if cell_text(v) is None:
                    if cid in leaf_ids:
                        self.err(ws, r, c, f"missing score for criterion {cid} (project {proj['id']})")
                    continue
                try:
                    x = _cell_number(v)
                except (ValueError, OverflowError):
                    what = (f"a level of scale {crit.scale.describe()}" if crit.scale is not None
                            else "a number" + (f" ({crit.unit})" if crit.unit else ""))
                    self.err(ws, r, c, f'"{shown(v)}" is not {what}')
                    continue
                why = crit.value_problem(x)
                if why:
                    long_number = _criteria_fmt(x)
                    if len(long_number) > 20:  # 1e300 written out in full by the criteria's message
                        why = why.replace(long_number, f"{x:g}")
                    self.err(ws, r, c, why)
                    continue
                proj["scores"][cid] = x

    def read_gates(self, ws, rows, cs) -> None:
        if ws is None:
            return
        gates = [g.id for g in cs.gates]
        cols = self.criteria_columns(ws, set(gates), "gate")
        for gid in gates:
            if gid not in cols:
                self.err(ws, 2, 1, f"no column for gate {gid} (row 2 holds the gate ids)")
        for (r, proj), cells in zip(rows, self.project_cells):
            for gid, c in cols.items():
                cells[f"gates.{gid}"] = self.ref(ws, r, c)
                v = self.get(ws, r, c)
                if v is _BAD:
                    continue
                if cell_text(v) is None:
                    self.err(ws, r, c, f"no answer for gate {gid} (project {proj['id']}): write tak or nie "
                                       f"(yes or no)")
                    continue
                try:
                    proj["gates"][gid] = gate_answer(v)
                except ValueError:
                    self.err(ws, r, c, f'"{shown(v)}" is not an answer to gate {gid}: write tak or nie '
                                       f'(yes or no)')

    def read_comments(self, ws, rows, cs) -> None:
        if ws is None:
            return
        known = {c.id for c in [*cs.leaves(), *cs.bonus]} | {g.id for g in cs.gates}
        cols = self.criteria_columns(ws, known, "criterion or gate")
        for (r, proj), cells in zip(rows, self.project_cells):
            for cid, c in cols.items():
                cells[f"comments.{cid}"] = self.ref(ws, r, c)
                v = self.get(ws, r, c)
                text = None if v is _BAD else cell_text(v)
                if text is not None:
                    proj["comments"][cid] = text

    # -- weights
    def read_weights(self, ws, cs) -> dict[str, Any]:
        if ws is None:
            return {}
        blocks: dict[str, dict[str, Any]] = {}
        current: dict[str, Any] | None = None
        for r in _rows_with_cells(ws, 1, {1}):
            key = ws.cell(r, 1).value
            if not isinstance(key, str) or not key.strip():
                continue
            key = key.strip()
            if key.startswith("group:"):
                current = {"start": r, "rows": {}, "experts": []}
                blocks.setdefault(key[6:], current)
                if blocks[key[6:]] is not current:
                    self.err(ws, r, 1, f"a second block for group {key[6:]}")
                    current = None
            elif key.startswith("expert:"):
                gid = key.split(":")[1] if key.count(":") >= 1 else ""
                current = {"start": r, "rows": {}}
                if gid in blocks:
                    blocks[gid]["experts"].append(current)
                else:
                    self.err(ws, r, 1, f"an expert's block for group {gid!r} comes before the group's block")
                    current = None
            elif current is not None:
                current["rows"].setdefault(key, r)
        out: dict[str, Any] = {}
        for g in cs.iter_groups():
            block = blocks.get(g.id)
            if block is None:
                continue
            w = self.read_block(ws, g, block)
            if w is not None and not _same_weighting(g, w):
                out[g.id] = w.model_dump(mode="json", exclude_none=True)
                self.cells[f"weights.{g.id}"] = self.ref(ws, block["start"], 2)
        return out

    def read_block(self, ws, g, block) -> Weighting | None:
        rows = block["rows"]
        kids = [k.id for k in g.children]
        before = len(self.problems)

        def choice(key: str, tables: list[dict[str, str]], default: str | None) -> str | None:
            r = rows.get(key)
            if r is None:
                return default
            v = self.get(ws, r, GRID_COL)
            if v is _BAD:
                return None
            text = cell_text(v)
            if text is None:
                if default is None:
                    self.err(ws, r, GRID_COL, f"choose how group {g.id} is weighed")
                return default
            found = _lookup(tables, text)
            if found is None:
                options = " / ".join(dict.fromkeys(label for tb in tables for label in tb.values()))
                self.err(ws, r, GRID_COL, f'"{shown(text)}" is not one of: {options}')
            return found

        mode = choice("mode", list(MODES.values()), None)
        method = choice("method", list(METHODS.values()), "eigenvector")
        agg = choice("aggregation", [AGGREGATIONS], "aij")
        if mode is None or len(self.problems) > before:
            return None
        if mode == "direct":
            weights = self.read_direct(ws, g, rows, kids)
            return None if weights is None else Weighting(weights=weights)
        judgments = []
        if block["experts"]:
            for k, eb in enumerate(block["experts"], start=1):
                er = eb["rows"]
                name = cell_text(self.get(ws, er["expert"], GRID_COL)) if "expert" in er else None
                weight = 1.0
                if "expert_weight" in er:
                    v = self.get(ws, er["expert_weight"], GRID_COL)
                    if v is not _BAD and cell_text(v) is not None:
                        try:
                            weight = _cell_number(v)
                            if weight <= 0:
                                raise ValueError
                        except (ValueError, OverflowError):
                            self.err(ws, er["expert_weight"], GRID_COL,
                                     f'expert weight "{shown(v)}" must be a positive number')
                            weight = 1.0
                m = self.read_grid(ws, g, eb, kids)
                if m is not None:
                    judgments.append(Judgments(expert=name, weight=weight, matrix=m))
        else:
            name = cell_text(self.get(ws, rows["expert"], GRID_COL)) if "expert" in rows else None
            m = self.read_grid(ws, g, block, kids)
            if m is not None:
                judgments.append(Judgments(expert=name, matrix=m))
        if len(self.problems) > before or not judgments:
            return None
        return Weighting(pairwise=judgments, method=method or "eigenvector", aggregation=agg or "aij")

    def grid_rows(self, ws, g, block, kids) -> list[int] | None:
        rows = block["rows"]
        missing = [k for k in kids if f"row:{k}" not in rows]
        if missing or "ids" not in rows:
            self.err(ws, block["start"], 1, f"the grid of group {g.id} is incomplete (no row for "
                                            f"{', '.join(missing) or 'the ids'})")
            return None
        ids_row = rows["ids"]
        for j, k in enumerate(kids):
            v = cell_text(ws.cell(ids_row, GRID_COL + j).value)
            if v != k:
                self.err(ws, ids_row, GRID_COL + j, f"expected the id {k!r} here (the grid's columns follow the "
                                                    f"criteria set's order), found {v!r}")
                return None
        return [rows[f"row:{k}"] for k in kids]

    def read_grid(self, ws, g, block, kids) -> list[list[float]] | None:
        grid_rows = self.grid_rows(ws, g, block, kids)
        if grid_rows is None:
            return None
        n = len(kids)
        m = [[1.0] * n for _ in range(n)]
        ok = True
        for i in range(n):
            for j in range(i + 1, n):
                r, c = grid_rows[i], GRID_COL + j
                v = self.get(ws, r, c)
                if v is _BAD:
                    ok = False
                    continue
                if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
                    self.err(ws, r, c, "judgment became a date (a spreadsheet read 1/3 as 3 January?); type "
                                       "it as text, e.g. '1/3 with an apostrophe")
                    ok = False
                    continue
                if v is None or (isinstance(v, str) and not v.strip()):
                    self.err(ws, r, c, f"empty judgment ({kids[i]} vs {kids[j]})")
                    ok = False
                    continue
                try:
                    x = parse_judgment(v, decimal_comma=isinstance(v, str) and "," in v and "." not in v)
                except ValueError as exc:
                    msg = str(exc)
                    if isinstance(v, str):
                        msg = msg.replace(repr(v), f'"{shown(v)}"')
                    self.err(ws, r, c, msg)
                    ok = False
                    continue
                m[i][j], m[j][i] = x, 1.0 / x
        return m if ok else None

    def read_direct(self, ws, g, rows, kids) -> dict[str, float] | None:
        n = len(kids)
        wcol = GRID_COL + n + 1
        grid_rows = [rows.get(f"row:{k}") for k in kids]
        if None in grid_rows:
            missing = [k for k, r in zip(kids, grid_rows) if r is None]
            self.err(ws, rows.get("mode", 1), 1, f"no row for {', '.join(missing)} in the block of group {g.id}")
            return None
        out: dict[str, float] = {}
        ok = True
        for k, r in zip(kids, grid_rows):
            v = self.get(ws, r, wcol)
            if v is _BAD:
                ok = False
                continue
            if cell_text(v) is None:
                self.err(ws, r, wcol, f"missing direct weight for {k}")
                ok = False
                continue
            try:
                x = _cell_number(v)
            except (ValueError, OverflowError):
                self.err(ws, r, wcol, f'direct weight "{shown(v)}" is not a number')
                ok = False
                continue
            if x < 0:
                self.err(ws, r, wcol, f"direct weight {_fmt(x)} is negative; weights must be ≥ 0")
                ok = False
                continue
            out[k] = x
        if ok and sum(out.values()) <= 0:
            self.err(ws, grid_rows[0], wcol, f"the direct weights of group {g.id} are all zero")
            ok = False
        return out if ok else None

    # -- locating the package's own problems
    def locate(self, problem: InputError) -> str | None:
        where = problem.where or ""
        m = re.match(r"^projects\[(\d+)\](?: \([^)]*\))?(?:\.(.*))?$", where)
        if m:
            i = int(m.group(1))
            if i >= len(self.project_cells):
                return None
            cells = self.project_cells[i]
            rest = m.group(2) or ""
            if rest in ("scores", "gates", "comments"):
                found = re.search(r"'([^']+)'", problem.message)
                if found and f"{rest}.{found.group(1)}" in cells:
                    return cells[f"{rest}.{found.group(1)}"]
            while rest:
                if rest in cells:
                    return cells[rest]
                if re.search(r"\[\d+\]$", rest) and rest.split("[")[0] in ("partners",):
                    rest = rest.split("[")[0]
                    continue
                rest = rest.rsplit(".", 1)[0] if "." in rest else ""
            return cells[""]
        if where == "projects":
            return f"{self.projects_title}!{get_column_letter(self.project_cols['id'])}{FIRST_ROW}"
        parts = where.split(".")
        for k in range(len(parts), 0, -1):
            key = ".".join(parts[:k])
            key = re.sub(r"\[\d+\]$", "", key)
            if key in self.cells:
                return self.cells[key]
        return None


class _BadValue:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<bad cell>"


_BAD = _BadValue()


def _same_weighting(group, w: Weighting) -> bool:
    """Whether the weighting read from the sheet is the criteria set's own (then it is no override)."""
    if w.weights is not None:
        if group.pairwise:
            return False
        if group.weights is None:
            vals = list(w.weights.values())
            return bool(vals) and all(v == vals[0] for v in vals) and vals[0] > 0
        return {k: float(v) for k, v in group.weights.items()} == w.weights
    if w.pairwise is None or not group.pairwise:
        return False
    if len(group.pairwise) != len(w.pairwise) or group.method != w.method:
        return False
    panel = len(w.pairwise) > 1
    if panel and group.aggregation != w.aggregation:
        return False
    for bj, wj in zip(group.pairwise, w.pairwise):
        if (bj.expert or None) != (wj.expert or None):
            return False
        if panel and float(bj.weight) != float(wj.weight):
            return False
        a, b = bj.numeric(), wj.numeric()
        n = len(a)
        for i in range(n):
            for j in range(i + 1, n):
                if abs(a[i][j] - b[i][j]) > 1e-12 * max(1.0, abs(a[i][j])):
                    return False
    return True


__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "META_SHEET", "SHEETS", "build_template", "judgment_text",
           "read_workbook", "workbook_problems", "write_template"]
