"""The layout of the package workbook: what its writer and its reader agree on.

Sheet names, keys, rows and columns, the words on the sheets (a catalogue per language: ``SHEETS[lang]``,
``WORDS[lang]``, ``MODES[lang]``, ...), the lists offered in cells, and the styles. Nothing here reads or
writes a workbook; :mod:`.write` and :mod:`.read` both import this module, and it imports neither.

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

import re

from openpyxl.styles import Alignment, Font, PatternFill, Protection

#: the meta sheet's ``format`` and ``format_version``: a reader refuses a newer version
FORMAT_NAME = "appraise-package-workbook"
FORMAT_VERSION = 1
META_SHEET = "_appraise"
#: the characters a spreadsheet cell holds
CELL_LIMIT = 32_767
#: Excel's limits on a data validation: input message 255 characters, error message 225, titles 32
PROMPT_LIMIT, ERROR_LIMIT, TITLE_LIMIT = 255, 225, 32

# --- the sheets, their keys, rows and columns ----------------------------------------------------------

#: the sheet titles per language (the meta sheet also records the titles a workbook was written with)
SHEETS: dict[str, dict[str, str]] = {
    "pl": {"package": "Pakiet", "projects": "Projekty", "scores": "Oceny", "gates": "Kryteria dostępowe",
           "comments": "Komentarze", "weights": "Wagi", "scales": "Skale"},
    "en": {"package": "Package", "projects": "Projects", "scores": "Scores", "gates": "Gates",
           "comments": "Comments", "weights": "Weights", "scales": "Scales"},
}
FIRST_ROW = 3  # first data row of the project sheets
GRID_COL = 3  # first grid column (C) and the value column of the key/value rows on Wagi/Pakiet
#: the key columns of the projects sheet, before and after the funding columns
PROJECT_KEYS = ["id", "title", "lead_jst", "partners", "cost"]
TAIL_KEYS = ["status", "description"]
FUNDING_SLOTS = 3  # funding columns written at least (more when a project has more sources)
#: the key of a funding column of the projects sheet: ``funding_source_<k>`` or ``funding_amount_<k>``
FUNDING_KEY = re.compile(r"funding_(source|amount)_(\d+)")

# --- the lists offered in cells, and the choices on the weights sheet (key -> label per language) ------

VOIVODESHIPS = [
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie", "mazowieckie",
    "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie", "świętokrzyskie", "warmińsko-mazurskie",
    "wielkopolskie", "zachodniopomorskie",
]
STATUSES = ["koncepcja", "dokumentacja w przygotowaniu", "dokumentacja gotowa", "pozwolenia uzyskane",
            "w realizacji"]
SAATY_LIST = ["9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9"]
MODES = {"pl": {"pairwise": "porównania parami", "direct": "wagi bezpośrednie"},
         "en": {"pairwise": "pairwise", "direct": "direct"}}
METHODS = {"pl": {"eigenvector": "wektor własny", "geometric": "średnie geometryczne"},
           "en": {"eigenvector": "eigenvector", "geometric": "geometric"}}
AGGREGATIONS = {"aij": "AIJ", "aip": "AIP"}
ANSWERS = {"pl": ("tak", "nie"), "en": ("yes", "no")}

# --- the words on the sheets: a catalogue per language, the same keys in each -------------------------

#: labels, hints and messages; texts with ``{name}`` fields are filled with ``str.format``

WORDS: dict[str, dict[str, str]] = {
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

# --- styles --------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(bold=True, size=12)
KEY_FONT = Font(size=8, color="808080")
NOTE_FONT = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BLOCK_FILL = PatternFill("solid", fgColor="BDD7EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")
TOP = Alignment(vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top")
LEFT_WRAP_TOP = Alignment(wrap_text=True, vertical="top", horizontal="left")
UNLOCKED = Protection(locked=False)
MONEY = "#,##0"


def number_text(v: float) -> str:
    """A number as the sheets show it: an integer without ".0", anything else in %g."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:g}"

