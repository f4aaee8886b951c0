"""The layout of the package workbook: what its writer and its reader agree on.

Sheet names, keys, rows and columns, the words on the sheets, the lists offered in cells, and the styles.
Nothing here reads or writes a workbook; :mod:`.write` and :mod:`.read` both import this module, and it
imports neither.

The words are gettext messages (English in the code, Polish in ``criteria/locale/pl/LC_MESSAGES/workbooks.po``):
:func:`words`, :func:`sheets`, :func:`modes`, :func:`methods` and :func:`answers` give them in the current
language. A reader must recognise a workbook written in either language, so :data:`SHEETS`, :data:`MODES`,
:data:`METHODS` and :data:`ANSWERS` give them by language too (``SHEETS["pl"]["scores"]`` is "Oceny"),
translated when asked for (:class:`ByLanguage`).

Layout, for people and tools:

- every sheet that holds values has machine keys beside the human labels: a hidden column A on
  *Pakiet/Package*, *Wagi/Weights* and *Skale/Scales*, a hidden row 2 on the project sheets, a hidden row of
  the children's ids above each grid of *Wagi/Weights*. The reader finds values by key, not by position;
  a person reads the criteria by their labels, never by their ids.
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
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection

from ...criteria import i18n
from ...criteria.i18n import _, pgettext

#: the meta sheet's ``format`` and ``format_version``: a reader refuses a newer version
FORMAT_NAME = "appraise-package-workbook"
FORMAT_VERSION = 1
META_SHEET = "_appraise"
#: the characters a spreadsheet cell holds
CELL_LIMIT = 32_767
#: Excel's limits on a data validation: input message 255 characters, error message 225, titles 32
PROMPT_LIMIT, ERROR_LIMIT, TITLE_LIMIT = 255, 225, 32

# --- words by language -----------------------------------------------------------------------------------


class ByLanguage(Mapping):
    """Words made in each language when asked for: ``table["pl"]`` is ``make()`` in Polish (gettext), for the
    readers that recognise a workbook written in either language. Iterating gives the languages."""

    def __init__(self, make: Callable[[], Any]):
        self._make = make

    def __getitem__(self, lang: str) -> Any:
        if lang not in i18n.LANGUAGES:
            raise KeyError(lang)
        with i18n.use(lang):
            return self._make()

    def __iter__(self) -> Iterator[str]:
        return iter(i18n.LANGUAGES)

    def __len__(self) -> int:
        return len(i18n.LANGUAGES)


# --- the sheets, their keys, rows and columns ----------------------------------------------------------


def sheets() -> dict[str, str]:
    """The sheet titles in the current language (the meta sheet also records the titles a workbook was
    written with)."""
    return {"package": pgettext("package template", "Package"), "projects": pgettext("package template", "Projects"),
            "scores": pgettext("package template", "Scores"), "gates": pgettext("package template", "Gates"),
            "comments": pgettext("package template", "Comments"), "weights": pgettext("package template", "Weights"),
            "scales": pgettext("package template", "Scales")}


#: the sheet titles by language: ``SHEETS["pl"]["scores"]``
SHEETS = ByLanguage(sheets)
FIRST_ROW = 3  # first data row of the project sheets
KEY_ROW = 2  # the row of the keys on the project sheets (hidden)
GRID_COL = 3  # first grid column (C) and the value column of the key/value rows on Wagi/Pakiet
#: the key columns of the projects sheet, before and after the funding columns
PROJECT_KEYS = ["id", "title", "lead_jst", "partners", "cost"]
TAIL_KEYS = ["status", "description"]
FUNDING_SLOTS = 3  # funding columns written at least (more when a project has more sources)
#: the key of a funding column of the projects sheet: ``funding_source_<k>`` or ``funding_amount_<k>``
FUNDING_KEY = re.compile(r"funding_(source|amount)_(\d+)")

# --- the lists offered in cells, and the choices on the weights sheet (key -> label) ---------------------

VOIVODESHIPS = [
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie", "mazowieckie",
    "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie", "świętokrzyskie", "warmińsko-mazurskie",
    "wielkopolskie", "zachodniopomorskie",
]
STATUSES = ["koncepcja", "dokumentacja w przygotowaniu", "dokumentacja gotowa", "pozwolenia uzyskane",
            "w realizacji"]
SAATY_LIST = ["9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9"]


def modes() -> dict[str, str]:
    """How a group is weighed, as the list on the weights sheet offers it."""
    return {"pairwise": pgettext("template weighting", "pairwise"),
            "direct": pgettext("template weighting", "direct")}


def methods() -> dict[str, str]:
    """The AHP prioritisation methods, as the list on the weights sheet offers them."""
    return {"eigenvector": pgettext("template weighting", "eigenvector"),
            "geometric": pgettext("template weighting", "geometric")}


def answers() -> tuple[str, str]:
    """A gate's answers: yes, no."""
    return pgettext("package template", "yes"), pgettext("package template", "no")


MODES = ByLanguage(modes)
METHODS = ByLanguage(methods)
ANSWERS = ByLanguage(answers)
AGGREGATIONS = {"aij": "AIJ", "aip": "AIP"}

# --- the words on the sheets ---------------------------------------------------------------------------


def words() -> dict[str, str]:
    """The labels, hints and messages of the sheets in the current language; texts with ``{name}`` fields
    are filled with ``str.format``."""
    return {
        "package_title": _("Package of key projects of a JST partnership"),
        "package_hint": _("Fill in the yellow cells. Enter the projects on the sheet '{projects}'; scores, gate "
                          "answers and comments in the same row as the project on the following sheets."),
        "partnership": pgettext("package template", "Partnership name"),
        "voivodeship": pgettext("package template", "Voivodeship"),
        "members": _("Member JSTs (separated by ;)"),
        "advisor": pgettext("package template", "Partnership advisor"),
        "date": _("Appraisal date (YYYY-MM-DD)"),
        "criteria": _("Criteria set (read-only)"),
        "criteria_label": pgettext("package template", "Criteria set name"),
        "budget": _("Budget for the package's projects (PLN; portfolio under a budget)"),
        "howto": pgettext("package template", "How to fill in"),
        "howto_lines": _(
            "1. '{projects}': one project per row from row 3; the id (e.g. P01) is required, rows without an id "
            "are skipped.\n"
            "2. '{scores}': a score for every criterion in the project's row; the list and the sheet '{scales}' "
            "show the admissible levels.\n"
            "3. '{gates}': yes/no for every gate; a project answering 'no' is not ranked.\n"
            "4. '{comments}': the reasons for the scores (optional).\n"
            "5. '{weights}': the weights of groups and criteria, pairwise (AHP) or direct.\n"
            "Do not rename sheets or columns; row 1 of the project sheets is their header."
        ),
        "id": pgettext("package template", "Project id"),
        "title": pgettext("package template", "Project title"),
        "lead_jst": pgettext("package template", "Lead (JST)"),
        "partners": _("Partners (JSTs, separated by ;)"),
        "cost": pgettext("package template", "Total cost [PLN]"),
        "funding_source": pgettext("package template", "Funding source {k}"),
        "funding_amount": pgettext("package template", "Amount {k} [PLN]"),
        "status": pgettext("package template", "Preparation status"),
        "description": pgettext("package template", "Description"),
        "bonus": pgettext("package template", "Bonus"),
        "status_prompt": _("Pick from the list or type your own status."),
        "gate_prompt": _("yes – met; no – not met (the project will not be ranked)"),
        "scale_error": _("Pick one of the scale's levels from the list."),
        "quantity_prompt": _("A number{unit}{bounds}."),
        "unit": _(" in {unit}"),
        "min": "≥ {v}",
        "max": "≤ {v}",
        "reference": _("{neutral} → 0 % (neutral), {good} → 100 % (good)"),
        "number_error": _("Enter a number{bounds}."),
        "weights_title": pgettext("package template", "Criteria weights"),
        "weights_hint1": _("Pairwise: the number in a yellow cell says how much more important the ROW criterion is "
                           "than the COLUMN criterion: 1 equal, 3 moderately, 5 strongly, 7 very strongly, "
                           "9 extremely more important (2, 4, 6, 8 in between)."),
        "weights_hint2": _("1/3 means the COLUMN criterion is moderately more important. Fill in only the cells "
                           "above the diagonal; below it the sheet shows the reciprocals."),
        "weights_hint3": _("Direct weights: any non-negative numbers (points, percentages) in the column 'Direct "
                           "weight'; they are rescaled to sum 1. The field 'Weighting' decides which applies."),
        "group_block": _("Group: {label}"),
        "root_block": _("Top level (criteria groups): {label}"),
        "expert_block": _("Panel expert {k} – {name} – group {label}"),
        "block_note": _("How much more important the row criterion is than the column criterion (1–9; 1/3 = the "
                        "column is moderately more important)."),
        "panel_note": _("Panel of experts ({agg}): {experts}. Below, the aggregated matrix (weighted geometric "
                        "mean, read-only); change the judgments in the experts' blocks further down."),
        "mode": pgettext("package template", "Weighting"),
        "judgment": pgettext("package template", "Pairwise judgment"),
        "method": pgettext("package template", "AHP method"),
        "aggregation": _("Panel aggregation (AIJ: judgments, AIP: priorities)"),
        "expert": _("Expert (author of the judgments)"),
        "expert_weight": pgettext("package template", "Expert's weight in the panel"),
        "grid_corner": _("row ↓ compared with column →"),
        "direct": pgettext("package template", "Direct weight"),
        "expert_no": pgettext("package template", "expert {k}"),
        "weight_of": pgettext("package template", "weight {w}"),
        "scales_title": _("Scales and criteria (read-only)"),
        "scale_cols": _("Id|Criterion|Group|Direction|Kind / unit|Value|Level label|Description"),
        "benefit": _("benefit (more is better)"),
        "cost_dir": _("cost (less is better)"),
        "kind_scale": pgettext("package template", "scale"),
        "kind_quantity": pgettext("package template", "number"),
        "gates_title": _("Gates (yes/no)"),
        "gate_kind": pgettext("package template", "yes/no"),
        "root": "",
    }


#: the words by language: ``WORDS["pl"]["title"]``
WORDS = ByLanguage(words)

# --- styles --------------------------------------------------------------------------------------------

#: the workbooks' typeface: a font without a name is shown in the spreadsheet's fallback (often a serif)
FONT_NAME = "Calibri"
BOLD = Font(name=FONT_NAME, bold=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
SUBTITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)
KEY_FONT = Font(name=FONT_NAME, size=8, color="808080")
NOTE_FONT = Font(name=FONT_NAME, italic=True, color="595959")
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

