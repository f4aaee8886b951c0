"""Reading a filled package workbook back into a package: :func:`read_workbook` and :func:`workbook_problems`.

The reader finds values by the machine keys of :mod:`.layout` (column A, row 2, the meta sheet), not by
position, so it reads workbooks written in either language, exported with result sheets added, or
re-saved by Excel or LibreOffice. The criteria set comes from the meta sheet (or, when the sheets were
copied into a new workbook without it, from the set named on the package sheet). Every problem found is an
:class:`InputError` naming the sheet and cell; the package document read is then checked by
:func:`appraisal.package.package_problems`, whose problems are traced back to their cells as well.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from ...criteria.errors import InputError
from ...criteria.i18n import _, pgettext
from ...criteria.judgments import parse_judgment
from ...criteria.models import CriteriaSet, Judgments, Weighting
from ...criteria.models import _fmt as _criteria_fmt
from ...criteria.problems import first_problem
from ...criteria.sets import criteria_problems, load_criteria
from ..cells import (
    CellValueError,
    cell_number,
    cell_text,
    expected_value,
    gate_answer,
    not_a_number,
    seen_value,
    shown,
    split_list,
)
from ..csv import versus
from ..xlsx import open_workbook
from .layout import (
    AGGREGATIONS,
    FIRST_ROW,
    FORMAT_NAME,
    FORMAT_VERSION,
    FUNDING_KEY,
    GRID_COL,
    META_SHEET,
    METHODS,
    MODES,
    SHEETS,
    VOIVODESHIPS,
    number_text,
)

if TYPE_CHECKING:
    from ...package import Package


def read_workbook(path) -> Package:
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
    """One reading of one workbook: the problems found so far, and the cell of every field read (to name
    the cell of a problem the package's own checks find later)."""

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
            wanted = (" " + pgettext("reader", "or") + " ").join(dict.fromkeys(names))
            raise InputError(_("no sheet {sheets}: not an appraise package workbook (write one with 'appraise "
                               "template')").format(sheets=wanted), source=self.src)
        return None

    # -- the whole workbook
    def read(self):
        from ...package import package_problems

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
        doc["projects"] = [p for _r, p in rows]
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
            raise InputError(_("the workbook is in format version {version}, newer than this appraise reads "
                               "({supported}); update appraise").format(version=version, supported=FORMAT_VERSION),
                             source=self.src,
                             where=f"{META_SHEET}!B{meta['format_version'][0]}")
        for key, (_row, values) in meta.items():
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
                self.problems.append(InputError(_("the stored criteria set is incomplete"), source=self.src,
                                                where=where))
                return None
            try:
                doc = json.loads("".join(chunks))
            except ValueError:
                self.problems.append(InputError(_("the stored criteria set is damaged (not JSON)"), source=self.src,
                                                where=where))
                return None
            cs, problems = criteria_problems(doc, self.src)
            if problems:
                first = problems[0]
                self.problems.append(InputError(_("the stored criteria set is invalid: {where}: {problem}").format(
                    where=first.where, problem=first.message), source=self.src, where=where))
                return None
            return cs
        # no meta sheet (sheets copied into a new workbook): the criteria set named on the package sheet
        row = self.pkg_rows.get("criteria")
        ref = cell_text(ws_pkg.cell(row, GRID_COL).value) if row else None
        where = self.ref(ws_pkg, row, GRID_COL) if row else f"{ws_pkg.title}!A1"
        if not ref:
            self.problems.append(InputError(_("the hidden sheet {sheet} with the criteria set is missing and no "
                                              "criteria set is named here").format(sheet=META_SHEET),
                                            source=self.src, where=where))
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
        self.problems.append(InputError(_("the hidden sheet {sheet} with the criteria set is missing, and the "
                                          "criteria set {name!r} named here cannot be loaded: {problem}").format(
                                            sheet=META_SHEET, name=ref, problem=errors[0].message),
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
                self.err(ws, r, GRID_COL, _("the partnership's name is missing"))
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
                    self.err(ws, r, GRID_COL, _('"{value}" is not a date (write it as 2026-10-15 or 15.10.2026)').format(
                        value=shown(v)))
        r = self.pkg_rows.get("budget")
        if r is not None:
            self.cells["budget"] = self.ref(ws, r, GRID_COL)
            v = self.get(ws, r, GRID_COL)
            if v is not _BAD and cell_text(v) is not None:
                try:
                    doc["budget"] = _cell_number(v)
                except (ValueError, OverflowError) as exc:
                    self.err(ws, r, GRID_COL, not_a_number(exc, _('"{value}" is not an amount of PLN (write e.g. '
                                                                  '25000000, 25 000 000 or 25 mln)').format(
                        value=shown(v))))
        return doc

    # -- projects
    def key_columns(self, ws, first_col: int = 1) -> dict[str, int]:
        cols: dict[str, int] = {}
        for c in range(first_col, ws.max_column + 1):
            v = ws.cell(2, c).value
            if isinstance(v, str) and v.strip():
                key = v.strip()
                if key in cols:
                    self.err(ws, 2, c, _("column key {key!r} appears twice in row 2 (also column {column})").format(
                        key=key, column=get_column_letter(cols[key])))
                    continue
                cols[key] = c
        return cols

    def read_projects(self, ws, cs) -> list[tuple[int, dict[str, Any]]]:
        """(row, project document) of every row with a project; the cells of each in ``project_cells``."""
        cols = self.key_columns(ws)
        if "id" not in cols or "title" not in cols:
            missing = "id" if "id" not in cols else "title"
            raise InputError(_("row 2 of the projects sheet must hold the column keys (id, title, ...); {key!r} is "
                               "missing").format(key=missing), source=self.src, where=f"{ws.title}!A2")
        self.project_cols = cols
        self.projects_title = ws.title
        out: list[tuple[int, dict[str, Any]]] = []
        slots = sorted({int(m.group(2)) for k in cols if (m := FUNDING_KEY.fullmatch(k))})
        for r in _rows_with_cells(ws, FIRST_ROW, set(cols.values())):
            proj = self.read_project(ws, r, cols, slots)
            if proj is not None:
                out.append((r, proj))
        return out

    def read_project(self, ws, r: int, cols: dict[str, int], slots: list[int]) -> dict[str, Any] | None:
        """The project in row ``r`` (None when the row has no id), its cells appended to ``project_cells``."""
        raw = {key: self.get(ws, r, c) for key, c in cols.items()}
        vals = {k: (None if v is _BAD else v) for k, v in raw.items()}
        pid = cell_text(vals["id"])
        if pid is None:
            if raw["id"] is _BAD:
                return None
            filled = [k for k, v in vals.items() if cell_text(v) is not None]
            if filled:
                self.err(ws, r, cols["id"], _("this row has a {column} but no project id; give the project an id "
                                              "(such as {example}) or clear the row").format(
                    column=filled[0], example=f"P{r - FIRST_ROW + 1:02d}"))
            return None
        cells: dict[str, str] = {"": self.ref(ws, r, cols["id"])}
        for key, c in cols.items():
            cells[key] = self.ref(ws, r, c)
        proj: dict[str, Any] = {"id": pid, "title": cell_text(vals["title"])}
        if proj["title"] is None:
            self.err(ws, r, cols["title"], _("project {id} has no title").format(id=pid))
            proj["title"] = pid
        for key in ("lead_jst", "status", "description"):
            if key in cols and cell_text(vals[key]) is not None:
                proj[key] = cell_text(vals[key])
        if "partners" in cols:
            proj["partners"] = split_list(cell_text(vals["partners"]))
        if "cost" in cols and cell_text(vals["cost"]) is not None:
            try:
                proj["cost"] = _cell_number(vals["cost"])
            except (ValueError, OverflowError) as exc:
                self.err(ws, r, cols["cost"], not_a_number(exc, _('cost "{value}" is not a number (PLN)').format(
                    value=shown(vals["cost"]))))
        proj["funding"] = self.read_funding(ws, r, cols, slots, vals, pid, cells)
        proj["scores"], proj["gates"], proj["comments"] = {}, {}, {}
        self.project_cells.append(cells)
        return proj

    def read_funding(self, ws, r: int, cols: dict[str, int], slots: list[int], vals: dict[str, Any], pid: str,
                     cells: dict[str, str]) -> list[dict[str, Any]]:
        """The sources of funding (and amounts) of the project in row ``r``; their cells into ``cells``."""
        funding = []
        for k in slots:
            sc, ac = cols.get(f"funding_source_{k}"), cols.get(f"funding_amount_{k}")
            source = cell_text(vals.get(f"funding_source_{k}")) if sc else None
            amount_raw = vals.get(f"funding_amount_{k}") if ac else None
            amount = None
            if cell_text(amount_raw) is not None:
                try:
                    amount = _cell_number(amount_raw)
                except (ValueError, OverflowError) as exc:
                    self.err(ws, r, ac, not_a_number(exc, _('amount "{value}" is not a number (PLN)').format(
                        value=shown(amount_raw))))
                    continue
            if source is None:
                if amount is not None:
                    self.err(ws, r, sc or ac, _("an amount of funding without its source (project {id})").format(id=pid))
                continue
            i = len(funding)
            cells[f"funding[{i}]"] = cells[f"funding[{i}].source"] = self.ref(ws, r, sc)
            if ac:
                cells[f"funding[{i}].amount"] = self.ref(ws, r, ac)
            funding.append({"source": source, **({"amount": amount} if amount is not None else {})})
        return funding

    # -- scores, gates, comments (row r belongs to the project in row r of the projects sheet)
    def criteria_columns(self, ws, known: set[str], what: str) -> dict[str, int]:
        """The columns of the ids in row 2; ``what`` (criterion, gate, comment) says what an unknown id is not."""
        unknown = {"criterion": _("unknown criterion {key!r}: not in the criteria set of this workbook"),
                   "gate": _("unknown gate {key!r}: not in the criteria set of this workbook"),
                   "comment": _("unknown criterion or gate {key!r}: not in the criteria set of this workbook")}[what]
        cols = self.key_columns(ws, first_col=GRID_COL)
        for key, c in list(cols.items()):
            if key not in known:
                self.err(ws, 2, c, unknown.format(key=key))
                del cols[key]
        return cols

    def read_scores(self, ws, rows, cs) -> None:
        crits = {c.id: c for c in [*cs.leaves(), *cs.bonus]}
        leaf_ids = set(cs.leaf_ids())
        cols = self.criteria_columns(ws, set(crits), "criterion")
        for cid in crits:
            if cid not in cols and cid in leaf_ids:
                self.err(ws, 2, 1, _("no column for criterion {id} (row 2 holds the criterion ids)").format(id=cid))
        for (r, proj), cells in zip(rows, self.project_cells):
            for cid, c in cols.items():
                crit = crits[cid]
                cells[f"scores.{cid}"] = self.ref(ws, r, c)
                v = self.get(ws, r, c)
                if v is _BAD:
                    continue
                if cell_text(v) is None:
                    if cid in leaf_ids:
                        self.err(ws, r, c, _("missing score for criterion {id} (project {project})").format(
                            id=cid, project=proj["id"]))
                    continue
                try:
                    x = _cell_number(v)
                except (ValueError, OverflowError) as exc:
                    self.err(ws, r, c, not_a_number(exc, _('"{value}" is not {what}').format(
                        value=shown(v), what=expected_value(crit))))
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
                self.err(ws, 2, 1, _("no column for gate {id} (row 2 holds the gate ids)").format(id=gid))
        for (r, proj), cells in zip(rows, self.project_cells):
            for gid, c in cols.items():
                cells[f"gates.{gid}"] = self.ref(ws, r, c)
                v = self.get(ws, r, c)
                if v is _BAD:
                    continue
                if cell_text(v) is None:
                    self.err(ws, r, c, _("no answer for gate {id} (project {project}): write tak or nie (yes or "
                                         "no)").format(id=gid, project=proj["id"]))
                    continue
                try:
                    proj["gates"][gid] = gate_answer(v)
                except ValueError:
                    self.err(ws, r, c, _('"{value}" is not an answer to gate {id}: write tak or nie (yes or no)')
                             .format(value=shown(v), id=gid))

    def read_comments(self, ws, rows, cs) -> None:
        if ws is None:
            return
        known = {c.id for c in [*cs.leaves(), *cs.bonus]} | {g.id for g in cs.gates}
        cols = self.criteria_columns(ws, known, "comment")
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
                    self.err(ws, r, 1, _("a second block for group {id}").format(id=key[6:]))
                    current = None
            elif key.startswith("expert:"):
                gid = key.split(":")[1] if key.count(":") >= 1 else ""
                current = {"start": r, "rows": {}}
                if gid in blocks:
                    blocks[gid]["experts"].append(current)
                else:
                    self.err(ws, r, 1, _("an expert's block for group {id!r} comes before the group's block").format(
                        id=gid))
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
                    self.err(ws, r, GRID_COL, _("choose how group {id} is weighed").format(id=g.id))
                return default
            found = _lookup(tables, text)
            if found is None:
                options = " / ".join(dict.fromkeys(label for tb in tables for label in tb.values()))
                self.err(ws, r, GRID_COL, _('"{value}" is not one of: {options}').format(value=shown(text),
                                                                                         options=options))
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
            for eb in block["experts"]:
                j = self.read_expert(ws, g, eb, kids)
                if j is not None:
                    judgments.append(j)
        else:
            name = cell_text(self.get(ws, rows["expert"], GRID_COL)) if "expert" in rows else None
            m = self.read_grid(ws, g, block, kids)
            if m is not None:
                judgments.append(Judgments(expert=name, matrix=m))
        if len(self.problems) > before or not judgments:
            return None
        return Weighting(pairwise=judgments, method=method or "eigenvector", aggregation=agg or "aij")

    def read_expert(self, ws, g, eb, kids) -> Judgments | None:
        """One expert's block of a panel: name, weight (1 when not given) and grid."""
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
                             _('expert weight "{value}" must be a positive number').format(value=shown(v)))
                    weight = 1.0
        m = self.read_grid(ws, g, eb, kids)
        return None if m is None else Judgments(expert=name, weight=weight, matrix=m)

    def grid_rows(self, ws, g, block, kids) -> list[int] | None:
        rows = block["rows"]
        missing = [k for k in kids if f"row:{k}" not in rows]
        if missing or "ids" not in rows:
            self.err(ws, block["start"], 1, _("the grid of group {id} is incomplete (no row for {missing})").format(
                id=g.id, missing=", ".join(missing) or _("the ids")))
            return None
        ids_row = rows["ids"]
        for j, k in enumerate(kids):
            v = cell_text(ws.cell(ids_row, GRID_COL + j).value)
            if v != k:
                self.err(ws, ids_row, GRID_COL + j, _("expected the id {id!r} here (the grid's columns follow the "
                                                      "criteria set's order), found {found!r}").format(id=k, found=v))
                return None
        return [rows[f"row:{k}"] for k in kids]

    def read_grid(self, ws, g, block, kids) -> list[list[float]] | None:
        grid_rows = self.grid_rows(ws, g, block, kids)
        if grid_rows is None:
            return None
        n = len(kids)
        m = [[1.0] * n for _i in range(n)]
        ok = True
        for i in range(n):
            for j in range(i + 1, n):
                r, c = grid_rows[i], GRID_COL + j
                v = self.get(ws, r, c)
                if v is _BAD:
                    ok = False
                    continue
                if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
                    self.err(ws, r, c, _("judgment became a date (a spreadsheet read 1/3 as 3 January?); type "
                                         "it as text, e.g. '1/3 with an apostrophe"))
                    ok = False
                    continue
                if v is None or (isinstance(v, str) and not v.strip()):
                    self.err(ws, r, c, _("empty judgment ({pair})").format(pair=versus(kids[i], kids[j])))
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
            self.err(ws, rows.get("mode", 1), 1, _("no row for {ids} in the block of group {id}").format(
                ids=", ".join(missing), id=g.id))
            return None
        out: dict[str, float] = {}
        ok = True
        for k, r in zip(kids, grid_rows):
            v = self.get(ws, r, wcol)
            if v is _BAD:
                ok = False
                continue
            if cell_text(v) is None:
                self.err(ws, r, wcol, _("missing direct weight for {id}").format(id=k))
                ok = False
                continue
            try:
                x = _cell_number(v)
            except (ValueError, OverflowError) as exc:
                self.err(ws, r, wcol, not_a_number(exc, _('direct weight "{value}" is not a number').format(
                    value=shown(v))))
                ok = False
                continue
            if x < 0:
                self.err(ws, r, wcol, _("direct weight {value} is negative; weights must be ≥ 0").format(
                    value=number_text(x)))
                ok = False
                continue
            out[k] = x
        if ok and sum(out.values()) <= 0:
            self.err(ws, grid_rows[0], wcol, _("the direct weights of group {id} are all zero").format(id=g.id))
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

