"""Writing the package workbook: the empty template an advisor fills in, or a package written out to edit.

``build_template(cs, lang, package=None)`` lays out one workbook (labels and sheet names in Polish or
English, from :mod:`.layout`): the package (partnership, advisor, date), the projects, their scores,
gate answers and comments (one row per project, the same row on every sheet), the weights of every group
of the criteria tree (pairwise grids or direct weights, with a block per expert of a panel), the rubric,
and a very hidden sheet ``_appraise`` holding the criteria set itself. ``write_template`` saves it
completely or not at all. Every text goes into its cell through :func:`_put`, which refuses a text longer
than a cell holds; :func:`check_cell_texts` refuses such a package before any cell is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ... import numfmt
from ...ahp import aggregate_judgments, complete_reciprocal
from ...criteria import i18n
from ...criteria.errors import InputError
from ...criteria.i18n import _
from ...criteria.judgments import judgment_text
from ...criteria.models import CriteriaSet, Judgments
from ...criteria.sets import load_criteria
from ..xlsx import formula, put, save_atomic
from ..xlsx_rows import fit_columns, fit_rows, longest_word, text_lines, text_width
from .layout import (
    AGGREGATIONS,
    BLOCK_FILL,
    BOLD,
    CELL_LIMIT,
    CENTER_TOP,
    ERROR_LIMIT,
    FIRST_ROW,
    FORMAT_NAME,
    FORMAT_VERSION,
    FUNDING_KEY,
    FUNDING_SLOTS,
    GRID_COL,
    HEADER_FILL,
    INPUT_FILL,
    KEY_FONT,
    KEY_ROW,
    LEFT_WRAP_TOP,
    LOCKED_FILL,
    META_SHEET,
    MONEY,
    NOTE_FONT,
    PROJECT_KEYS,
    PROMPT_LIMIT,
    SAATY_LIST,
    STATUSES,
    SUBTITLE_FONT,
    TAIL_KEYS,
    TITLE_FONT,
    TITLE_LIMIT,
    TOP,
    UNLOCKED,
    VOIVODESHIPS,
    WRAP_TOP,
    answers,
    methods,
    modes,
    number_text,
    sheets,
    words,
)

#: characters of the criteria-set JSON per cell of the meta sheet (Excel holds at most 32,767)
CHUNK = 30_000
#: a column of the scores, gates or comments sheet: (key, header, the criterion or gate)
_Column = tuple[str, str, Any]


# --- the workbook ----------------------------------------------------------------------------------------

def build_template(cs: CriteriaSet, lang: str | None = None, package=None, rows: int = 30,
                   criteria_ref: str | None = None) -> Workbook:
    """A package workbook for ``cs``: empty (``rows`` project rows) or filled in from ``package``; its sheet
    names and words in ``lang`` (None: the current language)."""
    if lang is not None and lang not in i18n.LANGUAGES:
        raise InputError(_("unknown language {lang!r}; use pl or en").format(lang=lang))
    with i18n.use(lang):
        return _build_template(cs, i18n.current(), package, rows, criteria_ref)


def _build_template(cs: CriteriaSet, lang: str, package, rows: int, criteria_ref: str | None) -> Workbook:
    if rows < 1:
        raise InputError(_("rows must be at least 1, got {rows}").format(rows=rows))
    if package is not None:
        check_cell_texts(package)
    effective = package.criteria_set if package is not None else cs
    base = _base_criteria(package, cs) if package is not None else cs
    if criteria_ref is None and package is not None and isinstance(package.criteria, str):
        criteria_ref = package.criteria
    projects = list(package.projects) if package is not None else []
    n_rows = max(rows, len(projects) + 5) if package is not None else rows
    names = sheets()

    wb = Workbook()
    ws_pkg = wb.active
    ws_pkg.title = names["package"]
    _write_package_sheet(ws_pkg, effective, package, criteria_ref, lang)
    funding_slots = max([FUNDING_SLOTS, *(len(p.funding) for p in projects)])
    proj_cols = _write_projects_sheet(wb.create_sheet(names["projects"]), projects, n_rows, funding_slots,
                                      words())
    rows_of = _ProjectRows(names["projects"], {"id": proj_cols["id"], "title": proj_cols["title"]}, n_rows,
                           projects)
    crit_cols, gate_cols = _criterion_columns(effective, lang)
    _write_scores_sheet(wb.create_sheet(names["scores"]), rows_of, crit_cols, lang)
    _write_gates_sheet(wb.create_sheet(names["gates"]), rows_of, gate_cols, lang)
    _write_comments_sheet(wb.create_sheet(names["comments"]), rows_of, crit_cols + gate_cols, lang)
    _write_weights_sheet(wb.create_sheet(names["weights"]), effective, lang)
    _write_scales_sheet(wb.create_sheet(names["scales"]), effective, lang)
    _write_meta(wb.create_sheet(META_SHEET), base, lang, criteria_ref)
    for ws in wb.worksheets[:-1]:
        fit_rows(ws, most=300.0)
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def write_template(path, cs: CriteriaSet, lang: str | None = None, package=None, rows: int = 30,
                   criteria_ref: str | None = None) -> Path:
    """Build the package workbook and save it completely or not at all."""
    wb = build_template(cs, lang=lang, package=package, rows=rows, criteria_ref=criteria_ref)
    return save_atomic(wb, path)


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


def _criterion_columns(cs: CriteriaSet, lang: str) -> tuple[list[_Column], list[_Column]]:
    """The score columns (the tree's leaves, then the bonus criteria) and the gate columns."""
    t = words()
    leaf_groups = {leaf.id: path[-1] for path, leaf in cs.leaf_paths()}
    crit_cols = []
    for leaf in cs.leaves():
        grp = leaf_groups[leaf.id]
        prefix = "" if grp is cs else f"{grp.label.get(lang)}: "
        crit_cols.append((leaf.id, prefix + leaf.label.get(lang) + (f" [{leaf.unit}]" if leaf.unit else ""), leaf))
    for b in cs.bonus:
        crit_cols.append((b.id, f"{t['bonus']}: {b.label.get(lang)}" + (f" [{b.unit}]" if b.unit else ""), b))
    gate_cols = [(g.id, g.label.get(lang), g) for g in cs.gates]
    return crit_cols, gate_cols


# --- texts that must fit a cell ---------------------------------------------------------------------------

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
        raise InputError(_("a text of {n} characters is longer than a workbook cell holds ({limit})").format(
            n=numfmt.number(n, 0), limit=numfmt.number(CELL_LIMIT, 0)),
            source=package.source, where=package._locations.get(where, where))


# --- cells -----------------------------------------------------------------------------------------------

def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _put(ws, row: int, col: int, value: Any, style: dict[str, Any] | None = None):
    """:func:`put`, with text made storable: control characters a cell cannot hold (a vertical tab pasted
    from a word processor) become spaces, and text longer than a cell holds is refused."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
        if len(value) > CELL_LIMIT:
            raise InputError(_("a text of {n} characters is longer than a spreadsheet cell holds ({limit}): "
                               "{start!r}...").format(n=numfmt.number(len(value), 0),
                                                      limit=numfmt.number(CELL_LIMIT, 0), start=value[:40]),
                             where=f"{ws.title}!{get_column_letter(col)}{row}")
    return put(ws, row, col, value, style)


def _header(ws, row: int, col: int, text: str, wrap: bool = True):
    return _put(ws, row, col, text, {"font": BOLD, "fill": HEADER_FILL,
                                    "alignment": WRAP_TOP if wrap else TOP})


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


def _print_projects_only(ws, n_projects: int, n_cols: int) -> None:
    """A filled sheet prints its header and its projects, not the empty rows left for more."""
    if n_projects:
        ws.print_area = f"A1:{get_column_letter(max(n_cols, 1))}{FIRST_ROW + n_projects - 1}"


def _word_width(label: str) -> float:
    """The width a header column needs so that the longest word of its (bold, wrapped) label is not broken."""
    return text_width(longest_word(label, bold=True), bold=True) + 0.5


def _list_validation(items: list[str], **kw) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(items) + '"', allow_blank=True, **kw)


def _number_value(v: float) -> int | float:
    v = float(v)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def _sheet_ref(title: str) -> str:
    """A sheet's name as formulas write it: plain when it is a simple word, else in single quotes."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _col_range(col: int, n_rows: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + n_rows - 1}"



# --- the sheets ------------------------------------------------------------------------------------------

def _write_package_sheet(ws, cs: CriteriaSet, package, criteria_ref, lang) -> None:
    """Package: the partnership, advisor, date, criteria set and budget (column A keys), then how to fill in."""
    t = words()
    names = sheets()
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
        cell.alignment = LEFT_WRAP_TOP
        if editable:
            _input(cell)
        else:
            cell.fill = LOCKED_FILL
        if key == "date":
            cell.number_format = "yyyy-mm-dd"
        if key == "budget":
            cell.number_format = MONEY
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
    """Projects: a row of labels, a row of keys, then one project a row; the column of each key."""
    keys = list(PROJECT_KEYS)
    for k in range(1, funding_slots + 1):
        keys += [f"funding_source_{k}", f"funding_amount_{k}"]
    keys += TAIL_KEYS
    cols = {key: i + 1 for i, key in enumerate(keys)}
    widths = {"id": 10, "title": 45, "lead_jst": 24, "partners": 36, "cost": 16, "status": 26, "description": 50}
    for key, col in cols.items():
        m = FUNDING_KEY.fullmatch(key)
        label = t[f"funding_{m.group(1)}"].format(k=m.group(2)) if m else t[key]
        _header(ws, 1, col, label)
        _key(ws, KEY_ROW, col, key)
        width = widths.get(key, 30 if m and m.group(1) == "source" else 16)
        ws.column_dimensions[get_column_letter(col)].width = max(width, _word_width(label))
    ws.row_dimensions[KEY_ROW].hidden = True
    money = {"cost"} | {k for k in keys if k.startswith("funding_amount_")}
    for r in range(FIRST_ROW, FIRST_ROW + n_rows):
        for key, col in cols.items():
            cell = _input(ws.cell(r, col), MONEY if key in money else None)
            cell.alignment = WRAP_TOP if key in ("title", "description", "partners") else TOP
    for k, p in enumerate(projects):
        _put_project(ws, FIRST_ROW + k, cols, p)
    dv = _list_validation(STATUSES, showErrorMessage=False, showInputMessage=True,
                          promptTitle=_clip(t["status"], TITLE_LIMIT), prompt=_clip(t["status_prompt"], PROMPT_LIMIT))
    ws.add_data_validation(dv)
    dv.add(_col_range(cols["status"], n_rows))
    ws.freeze_panes = ws.cell(FIRST_ROW, 3).coordinate
    _print_projects_only(ws, len(projects), len(cols))
    _protect(ws)
    return cols


def _put_project(ws, r: int, cols: dict[str, int], p) -> None:
    """One project's fields into row ``r`` of the projects sheet."""
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


class _ProjectRows(NamedTuple):
    """What the scores, gates and comments sheets take from the projects sheet: its title, the columns of
    the projects' ids and titles (which columns A/B repeat by formula), the number of rows, the projects."""

    projects_title: str
    link: dict[str, int]
    n_rows: int
    projects: list


def _write_scores_sheet(ws, rows_of: _ProjectRows, crit_cols, lang: str) -> None:
    """Scores: a column per criterion, each with its own validation (the scale's levels, or the bounds)."""
    _write_row_sheet(ws, rows_of, crit_cols, lang)
    for k, (_key_, _label, crit) in enumerate(crit_cols):
        _score_validation(ws, GRID_COL + k, crit, rows_of.n_rows, lang)
    for k, p in enumerate(rows_of.projects):
        for j, (cid, _label, _crit) in enumerate(crit_cols):
            if cid in p.scores:
                ws.cell(FIRST_ROW + k, GRID_COL + j).value = _number_value(p.scores[cid])


def _write_gates_sheet(ws, rows_of: _ProjectRows, gate_cols, lang: str) -> None:
    """Gates: a column per gate, answered yes or no from a list."""
    t = words()
    _write_row_sheet(ws, rows_of, gate_cols, lang, width=24)  # few columns: room for their labels
    yes, no = answers()
    for j in range(len(gate_cols)):
        dv = _list_validation([yes, no], showErrorMessage=True, showInputMessage=True,
                              promptTitle=_clip(gate_cols[j][1], TITLE_LIMIT),
                              prompt=_clip(t["gate_prompt"], PROMPT_LIMIT),
                              errorTitle=_clip(gate_cols[j][1], TITLE_LIMIT), error=f"{yes} / {no}")
        ws.add_data_validation(dv)
        dv.add(_col_range(GRID_COL + j, rows_of.n_rows))
    for k, p in enumerate(rows_of.projects):
        for j, (gid, _label, _gate) in enumerate(gate_cols):
            if gid in p.gates:
                _put(ws, FIRST_ROW + k, GRID_COL + j, yes if p.gates[gid] else no)


def _write_comments_sheet(ws, rows_of: _ProjectRows, comment_cols, lang: str) -> None:
    """Comments: a wide, wrapped column per criterion and gate."""
    _write_row_sheet(ws, rows_of, comment_cols, lang, width=36)
    for k, p in enumerate(rows_of.projects):
        for j, (cid, _label, _crit) in enumerate(comment_cols):
            if cid in p.comments:
                _put(ws, FIRST_ROW + k, GRID_COL + j, p.comments[cid])
    for r in range(FIRST_ROW, FIRST_ROW + rows_of.n_rows):
        for j in range(len(comment_cols)):
            ws.cell(r, GRID_COL + j).alignment = WRAP_TOP


def _write_row_sheet(ws, rows_of: _ProjectRows, columns, lang: str, width: float = 16) -> None:
    """Scores, gates or comments: A/B the project's id and title by formula, then one column per key."""
    t = words()
    n_rows, link = rows_of.n_rows, rows_of.link
    _header(ws, 1, 1, t["id"])
    _header(ws, 1, 2, t["title"])
    _key(ws, KEY_ROW, 1, "id")
    _key(ws, KEY_ROW, 2, "title")
    for j, (key, label, _crit) in enumerate(columns):
        _header(ws, 1, GRID_COL + j, label)
        _key(ws, KEY_ROW, GRID_COL + j, key)
        ws.column_dimensions[get_column_letter(GRID_COL + j)].width = max(width, _word_width(label))
    ws.row_dimensions[KEY_ROW].hidden = True
    sheet = _sheet_ref(rows_of.projects_title)
    for r in range(FIRST_ROW, FIRST_ROW + n_rows):
        for col, key in ((1, "id"), (2, "title")):
            ref = f"{sheet}!{get_column_letter(link[key])}{r}"
            formula(ws, r, col, f'=IF({ref}="","",{ref})',
                    {"fill": LOCKED_FILL, "alignment": WRAP_TOP if key == "title" else TOP})
        for j in range(len(columns)):
            _input(ws.cell(r, GRID_COL + j)).alignment = TOP
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 40
    for k, p in enumerate(rows_of.projects):  # the titles are formulas: their rows are measured here
        if p.title:
            lines = text_lines(p.title, 40)
            if lines > 1:
                ws.row_dimensions[FIRST_ROW + k].height = 15.0 * lines + 2
    ws.freeze_panes = ws.cell(FIRST_ROW, GRID_COL).coordinate
    _print_projects_only(ws, len(rows_of.projects), GRID_COL + len(columns) - 1)
    _protect(ws)


def _score_validation(ws, col: int, crit, n_rows: int, lang: str) -> None:
    """The validation of a criterion's score column, with its prompt and error message in ``lang``."""
    t = words()
    title = _clip(crit.label.get(lang), TITLE_LIMIT)
    if crit.scale is not None:
        dv, prompt = _scale_validation(crit.scale, lang)
    else:
        dv, prompt = _quantity_validation(crit, t)
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.promptTitle = title
    dv.prompt = _clip(prompt, PROMPT_LIMIT)
    dv.errorTitle = title
    ws.add_data_validation(dv)
    dv.add(_col_range(col, n_rows))


def _scale_validation(scale, lang: str) -> tuple[DataValidation, str]:
    """A scale's levels as a list (or its range, when the list is longer than Excel takes), and the prompt
    naming the levels, best first."""
    t = words()
    levels = list(reversed(scale.levels))
    prompt = "; ".join(f"{number_text(lv.value)} – {lv.label.get(lang)}" if lv.label else number_text(lv.value)
                       for lv in levels)
    items = ",".join(number_text(lv.value) for lv in scale.levels)
    if len(items) <= 250:
        dv = _list_validation([number_text(lv.value) for lv in scale.levels])
    else:
        dv = DataValidation(type="decimal", operator="between", formula1=repr(scale.low),
                            formula2=repr(scale.high), allow_blank=True)
    dv.error = _clip(t["scale_error"] + " " + scale.describe(), ERROR_LIMIT)
    return dv, prompt


def _quantity_validation(crit, t: dict[str, str]) -> tuple[DataValidation, str]:
    """A number within the criterion's bounds (any number when it has none), and the prompt."""
    bounds = _bounds(crit, t)
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
    return dv, prompt


def _bounds(crit, t: dict[str, str]) -> list[str]:
    """A quantity's bounds as words ("≥ 0", "≤ 100"), as many as it has."""
    bounds = []
    if crit.min_value is not None:
        bounds.append(t["min"].format(v=number_text(crit.min_value)))
    if crit.max_value is not None:
        bounds.append(t["max"].format(v=number_text(crit.max_value)))
    return bounds


def _write_weights_sheet(ws, cs: CriteriaSet, lang: str) -> None:
    """Weights: the hints, then a block per group of the criteria tree, root first."""
    t = words()
    _put(ws, 1, 2, t["weights_title"], {"font": TITLE_FONT})
    for k, key in enumerate(("weights_hint1", "weights_hint2", "weights_hint3")):
        _put(ws, 2 + k, 2, t[key], {"font": NOTE_FONT})
    dvs = _weights_validations(ws, lang)
    widest = 0
    row = 6
    for g in cs.iter_groups():
        widest = max(widest, len(g.children))
        row = _write_group_block(ws, row, g, g is cs, lang, dvs)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 46
    grid = list(range(GRID_COL, GRID_COL + widest + 2))
    # as wide as the longest word of a label above the grid (16 at least), so that no word is broken
    fit_columns(ws, first_row=6, heads=tuple(range(6, ws.max_row + 1)), lo=16, hi=30, columns=grid)
    # the hints and notes wrap across the grids' width rather than run on past them (which would make the
    # printed page smaller)
    for r in range(2, ws.max_row + 1):
        if r in (2, 3, 4) or ws.cell(r, 1).value == "note":
            ws.cell(r, 2).alignment = LEFT_WRAP_TOP
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=grid[-1])
    _protect(ws)


def _weights_validations(ws, lang: str) -> dict[str, DataValidation]:
    """The lists of the weights sheet (mode, method, aggregation, Saaty's judgments), added to ``ws``."""
    t = words()
    modes_, methods_ = modes(), methods()
    dvs = {
        "mode": _list_validation([modes_["pairwise"], modes_["direct"]], showErrorMessage=True),
        "method": _list_validation([methods_["eigenvector"], methods_["geometric"]], showErrorMessage=True),
        "aggregation": _list_validation(list(AGGREGATIONS.values()), showErrorMessage=True),
        "saaty": _list_validation(SAATY_LIST, showErrorMessage=True, errorStyle="warning",
                                  showInputMessage=True, promptTitle=_clip(t["judgment"], TITLE_LIMIT),
                                  prompt=_clip(t["block_note"], PROMPT_LIMIT),
                                  error=_clip(t["block_note"], ERROR_LIMIT)),
    }
    for dv in dvs.values():
        ws.add_data_validation(dv)
    return dvs


def _write_group_block(ws, row: int, g, is_root: bool, lang: str, dvs: dict[str, DataValidation]) -> int:
    """One group's block from ``row``: title, notes, mode/method/aggregation, its grid (for a panel, the
    aggregated grid, read-only, then a block per expert); the row after it."""
    t = words()
    modes_, methods_ = modes(), methods()
    kids = g.children
    label = g.label.get(lang)
    panel = g.pairwise is not None and len(g.pairwise) > 1
    title = (t["root_block"] if is_root else t["group_block"]).format(label=label)
    row = _block_title(ws, row, f"group:{g.id}", title, len(kids))
    _put(ws, row, 2, t["block_note"], {"font": NOTE_FONT})
    _key(ws, row, 1, "note")
    row += 1
    if panel:
        experts = "; ".join(f"{j.expert or t['expert_no'].format(k=k)} ({t['weight_of'].format(w=number_text(j.weight))})"
                            for k, j in enumerate(g.pairwise, start=1))
        _put(ws, row, 2, t["panel_note"].format(agg=AGGREGATIONS[g.aggregation], experts=experts),
            {"font": NOTE_FONT})
        _key(ws, row, 1, "note")
        row += 1
    mode = "pairwise" if g.pairwise else "direct"
    row = _kv(ws, row, "mode", t["mode"], modes_[mode], dvs["mode"])
    row = _kv(ws, row, "method", t["method"], methods_[g.method], dvs["method"])
    row = _kv(ws, row, "aggregation", t["aggregation"], AGGREGATIONS[g.aggregation], dvs["aggregation"])
    if g.pairwise is not None and not panel:
        row = _kv(ws, row, "expert", t["expert"], g.pairwise[0].expert)
    if panel:
        mats = np.stack([_complete(j) for j in g.pairwise])
        agg = aggregate_judgments(mats, np.array([j.weight for j in g.pairwise], dtype=float))
        row = _grid(ws, row, kids, lang, None, dvs["saaty"], direct_column=True, aggregated=agg)
    else:
        direct = None
        if g.weights is not None:
            direct = g.weights
        elif not g.pairwise:
            direct = {k.id: 1 for k in kids}
        upper = g.pairwise[0].matrix if g.pairwise else None
        row = _grid(ws, row, kids, lang, upper, dvs["saaty"], direct=direct or {}, direct_column=True)
    row += 1
    if panel:
        row = _write_expert_blocks(ws, row, g, lang, dvs["saaty"])
    return row


def _write_expert_blocks(ws, row: int, g, lang: str, dv_saaty: DataValidation) -> int:
    """A block per expert of a group's panel: name, weight, own grid; the row after them."""
    t = words()
    label = g.label.get(lang)
    kids = g.children
    for k, j in enumerate(g.pairwise, start=1):
        name = j.expert or t["expert_no"].format(k=k)
        row = _block_title(ws, row, f"expert:{g.id}:{k}",
                           t["expert_block"].format(k=k, name=name, label=label), len(kids))
        row = _kv(ws, row, "expert", t["expert"], j.expert)
        row = _kv(ws, row, "expert_weight", t["expert_weight"], _number_value(j.weight))
        row = _grid(ws, row, kids, lang, j.matrix, dv_saaty)
        row += 1
    return row


def _complete(j: Judgments) -> np.ndarray:
    return complete_reciprocal(np.array(j.numeric(), dtype=float))


def _block_title(ws, row: int, key: str, title: str, n: int) -> int:
    _key(ws, row, 1, key)
    _put(ws, row, 2, title, {"font": SUBTITLE_FONT, "fill": BLOCK_FILL})
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
    t = words()
    n = len(kids)
    wcol = GRID_COL + n + 1
    _key(ws, row, 1, "ids")
    for j, kid in enumerate(kids):
        _key(ws, row, GRID_COL + j, kid.id)
    if direct_column:
        _key(ws, row, wcol, "weight")
    ws.row_dimensions[row].hidden = True  # the reader's keys; a person reads the labels below
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
        _header(ws, r, 2, kid.label.get(lang))
        for j in range(n):
            c = GRID_COL + j
            if i == j:
                _put(ws, r, c, 1, {"fill": LOCKED_FILL, "alignment": CENTER_TOP, "number_format": "@"})
            elif aggregated is not None:
                _put(ws, r, c, float(aggregated[i][j]),
                    {"fill": LOCKED_FILL, "alignment": CENTER_TOP, "number_format": "0.000", "font": NOTE_FONT})
            elif i < j:
                cell = ws.cell(r, c)
                if upper is not None:
                    _put(ws, r, c, judgment_text(upper[i][j]))
                _input(cell, "@")
                cell.alignment = CENTER_TOP
                dv_saaty.add(cell.coordinate)
            else:
                ref = f"{get_column_letter(GRID_COL + i)}{first + j}"
                formula(ws, r, c, f'=IF({ref}="","",IF({ref}&""="1","1",IF(LEFT({ref},2)="1/",'
                                  f'MID({ref},3,99),"1/"&{ref})))',
                        {"fill": LOCKED_FILL, "alignment": CENTER_TOP, "font": NOTE_FONT})
        if direct_column:
            cell = ws.cell(r, wcol)
            if direct and kid.id in direct:
                _put(ws, r, wcol, _number_value(direct[kid.id]))
            _input(cell, "General")
    return first + n


def _write_scales_sheet(ws, cs: CriteriaSet, lang: str) -> None:
    """Scales (read-only): every criterion with its direction, kind, bounds and levels; then the gates."""
    t = words()
    _put(ws, 1, 2, t["scales_title"], {"font": TITLE_FONT})
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
            parts = _bounds(crit, t)
            if crit.reference is not None:
                ref = crit.reference
                steps = "".join(f"; {number_text(b.at)} → {number_text(100 * b.value)} %" for b in ref.breakpoints)
                parts.append(t["reference"].format(neutral=number_text(ref.neutral), good=number_text(ref.good)) + steps)
            bounds = ", ".join(parts)
        values = [crit.id, crit.label.get(lang), group, direction, kind, bounds, "",
                  crit.description.get(lang) if crit.description else ""]
        for c, v in enumerate(values, start=1):
            style = {"font": BOLD, "alignment": WRAP_TOP}
            if c <= 2:
                style["fill"] = HEADER_FILL
            _put(ws, row, c, v, style)
        if bounds:  # a quantity's bounds and reference levels: over the value and level columns
            ws.merge_cells(start_row=row, start_column=6, end_row=row, end_column=7)
        row += 1
        if crit.scale is not None:
            for lv in reversed(crit.scale.levels):
                _put(ws, row, 1, crit.id, {"font": KEY_FONT})
                _put(ws, row, 6, _number_value(lv.value), {"alignment": CENTER_TOP})
                _put(ws, row, 7, lv.label.get(lang) if lv.label else "", {"alignment": WRAP_TOP})
                _put(ws, row, 8, lv.descriptor.get(lang), {"alignment": WRAP_TOP})
                row += 1
    if cs.gates:
        row += 1
        _put(ws, row, 2, t["gates_title"], {"font": SUBTITLE_FONT})
        row += 1
        for g in cs.gates:
            _put(ws, row, 1, g.id, {"font": KEY_FONT})
            _put(ws, row, 2, g.label.get(lang), {"font": BOLD, "alignment": WRAP_TOP})
            _put(ws, row, 5, t["gate_kind"])
            _put(ws, row, 8, g.description.get(lang) if g.description else "", {"alignment": WRAP_TOP})
            row += 1
    for c, width in enumerate((20, 40, 24, 22, 16, 10, 22, 90), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.column_dimensions["A"].hidden = True  # the ids, for tools; a person reads the labels
    ws.freeze_panes = "C3"
    _protect(ws)


def _write_meta(ws, cs: CriteriaSet, lang: str, criteria_ref: str | None) -> None:
    """The very hidden meta sheet: format, engine, language, sheet titles and the criteria set as JSON."""
    from appraisal import __version__

    data = json.dumps(cs.model_dump(mode="json", exclude_none=True), ensure_ascii=False, separators=(",", ":"))
    chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [""]
    rows: list[tuple[str, list[Any]]] = [
        ("format", [FORMAT_NAME]),
        ("format_version", [FORMAT_VERSION]),
        ("engine", [__version__]),
        ("lang", [lang]),
        *((f"sheet:{k}", [v]) for k, v in sheets().items()),
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

