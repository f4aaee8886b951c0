"""A long table of projects: one row per project, many partnerships (and voivodeships) in one file.

Regional teams often keep the packages of all their partnerships in one sheet (Excel) or CSV: a row per
project, with the voivodeship and the partnership in columns, then the project's fields, one column per
criterion and per gate of the criteria set, and optionally ``comment:<criterion id>`` columns.
:func:`read_long_table` splits such a table into one :class:`TablePackage` per partnership.

Problems of the whole table (an unreadable file, no header, a required or criterion column missing, an
unknown column, an unsupported file type) raise :class:`InputError`. A problem of a single row only marks
*its* partnership (``TablePackage.error``, located by row and column, or by sheet and cell), so that the
other partnerships can still be appraised.

Columns (names matched case-insensitively, spaces trimmed, ``_`` and a space alike):

==================  ====================================================================
voivodeship         ``voivodeship``, ``województwo``, ``wojewodztwo`` (required)
partnership         ``partnership``, ``partnerstwo`` (required)
id                  ``id``, ``projekt_id``, ``id projektu`` (required)
title               ``title``, ``tytuł``, ``tytul``, ``nazwa projektu`` (required)
lead_jst            ``lead_jst``, ``jst wiodąca``, ``jst wiodaca``, ``lider``
partners            ``partners``, ``partnerzy`` (names separated by ``;`` or line breaks)
cost                ``cost``, ``koszt``, ``koszt (pln)``
funding_source      ``funding_source``, ``źródło finansowania``, ``zrodlo finansowania``
funding_amount      ``funding_amount``, ``kwota``
status              ``status``
description         ``description``, ``opis``
advisor             ``advisor``, ``doradca`` (the partnership's: the first one given)
==================  ====================================================================

plus a column per leaf criterion and per gate (required; bonus criteria optional), named by the id,
and ``comment:<id>`` / ``komentarz:<id>``. Columns whose name is empty or starts with ``#`` are ignored;
any other column is an error (most often a misspelt criterion id). A criterion or gate id wins over a
field name spelt the same. Rows with no project id and no partnership are skipped, and so are rows
with no project id that hold nothing but a voivodeship and a partnership.
"""

from __future__ import annotations

import difflib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..criteria import CriteriaSet, validation_problems
from ..criteria.errors import InputError
from ..criteria.i18n import _, ngettext, pgettext
from ..filenames import WORKBOOK_SUFFIXES
from ..package import Package, Project, package_problems
from .cells import (
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
from .csv import read_table, row_column

CSV_SUFFIXES = (".csv", ".tsv", ".txt")

#: field -> the names its column may have (compared after :func:`_norm`)
ALIASES: dict[str, tuple[str, ...]] = {
    "voivodeship": ("voivodeship", "województwo", "wojewodztwo"),
    "partnership": ("partnership", "partnerstwo"),
    "id": ("id", "projekt_id", "id projektu"),
    "title": ("title", "tytuł", "tytul", "nazwa projektu"),
    "lead_jst": ("lead_jst", "jst wiodąca", "jst wiodaca", "lider"),
    "partners": ("partners", "partnerzy"),
    "cost": ("cost", "koszt", "koszt (pln)"),
    "funding_source": ("funding_source", "źródło finansowania", "zrodlo finansowania"),
    "funding_amount": ("funding_amount", "kwota"),
    "status": ("status",),
    "description": ("description", "opis"),
    "advisor": ("advisor", "doradca"),
}
REQUIRED = ("voivodeship", "partnership", "id", "title")
COMMENT_RE = re.compile(r"^\s*(comment|komentarz)\s*:\s*(.*?)\s*$", re.IGNORECASE)

PROJECT_REF = re.compile(r"^projects\[(\d+)\](?: \([^)]*\))?(?:\.(.*))?$")


@dataclass
class TablePackage:
    """One partnership's package read from a long table."""

    key: str  #: "<voivodeship>/<partnership>" as written in the table (not sanitised)
    voivodeship: str
    partnership: str
    package: Package | None  #: None when this partnership's rows have a problem
    error: InputError | None  #: the first problem, located by row and column (CSV) or sheet and cell (xlsx)
    rows: list[int]  #: the table rows of this partnership, 1-based as a spreadsheet shows them


# --------------------------------------------------------------------------- cell values

def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def _group_norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _or(names) -> str:
    """``a or b or c``, in the current language."""
    return (" " + pgettext("reader", "or") + " ").join(names)


# --------------------------------------------------------------------------- the two kinds of file

class _Grid:
    """Cells of a table, addressed by 1-based row and column, with locations in the file's own terms."""

    source: str
    #: text cells with a decimal comma (``;``-separated CSV and every text cell of a workbook)
    decimal_comma: bool

    def header(self) -> tuple[int, dict[int, str]]:
        raise NotImplementedError

    def data_rows(self, header_row: int, columns: set[int]) -> list[int]:
        raise NotImplementedError

    def value(self, row: int, col: int) -> Any:
        raise NotImplementedError

    def where(self, row: int, col: int, name: str) -> str:
        raise NotImplementedError

    def where_row(self, row: int) -> str:
        raise NotImplementedError


class _CsvGrid(_Grid):
    def __init__(self, path: Path):
        table = read_table(path)
        self.source = table.source
        self.rows = table.rows
        self.decimal_comma = table.decimal_comma

    def header(self) -> tuple[int, dict[int, str]]:
        for i, row in enumerate(self.rows):
            if any(row):
                return i + 1, {c + 1: text for c, text in enumerate(row)}
        raise InputError(_("the file is empty"), source=self.source)  # pragma: no cover - read_table refuses it

    def data_rows(self, header_row: int, columns: set[int]) -> list[int]:
        return list(range(header_row + 1, len(self.rows) + 1))

    def value(self, row: int, col: int) -> Any:
        cells = self.rows[row - 1]
        return cells[col - 1] if col <= len(cells) else ""

    def where(self, row: int, col: int, name: str) -> str:
        return row_column(row, name)

    def where_row(self, row: int) -> str:
        return pgettext("reader", "row {row}").format(row=row)


class _XlsxGrid(_Grid):
    decimal_comma = True

    def __init__(self, path: Path, sheet: str | None):
        from openpyxl.worksheet.worksheet import Worksheet

        from .xlsx import open_workbook

        self.path = path
        self.source = str(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.wb = open_workbook(path)
        if sheet is None:
            if not self.wb.worksheets:
                raise InputError(_("the workbook has no worksheet"), source=self.source)
            ws = self.wb.worksheets[0]  # the first worksheet (chart sheets are not worksheets)
        else:
            if sheet not in self.wb.sheetnames:
                raise InputError(_("no sheet {sheet!r} (the sheets are: {sheets})").format(
                    sheet=sheet, sheets=", ".join(self.wb.sheetnames)), source=self.source)
            ws = self.wb[sheet]
        if not isinstance(ws, Worksheet):
            raise InputError(_("sheet {sheet!r} is a chart, not a table of projects").format(sheet=ws.title),
                             source=self.source)
        self.ws = ws
        self.title = ws.title
        self.cells = ws._cells  # {(row, col): cell}, only the cells that exist
        self._values_ws = None

    def header(self) -> tuple[int, dict[int, str]]:
        rows = sorted({r for (r, c), cell in self.cells.items() if cell_text(cell.value) is not None})
        if not rows:
            raise InputError(_("sheet {sheet!r} is empty").format(sheet=self.title), source=self.source)
        r = rows[0]
        return r, {c: (cell_text(cell.value) or "") for (rr, c), cell in self.cells.items() if rr == r}

    def data_rows(self, header_row: int, columns: set[int]) -> list[int]:
        return sorted({r for (r, c) in self.cells if r > header_row and c in columns})

    def value(self, row: int, col: int) -> Any:
        """The value a person sees: for a formula, the value a spreadsheet last computed."""
        cell = self.cells.get((row, col))
        if cell is None:
            return None

        def computed() -> Any:
            if self._values_ws is None:
                from .xlsx import open_workbook

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._values_ws = open_workbook(self.path, data_only=True)[self.title]
            return self._values_ws.cell(row=row, column=col).value

        return seen_value(cell, computed)

    def where(self, row: int, col: int, name: str) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.title}!{get_column_letter(col)}{row}"

    def where_row(self, row: int) -> str:
        return f"{self.title}!{row}:{row}"


def _open_grid(path: Path, sheet: str | None) -> _Grid:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _CsvGrid(path)
    if suffix in WORKBOOK_SUFFIXES:
        return _XlsxGrid(path, sheet)
    raise InputError(_("unsupported file type {suffix!r}: a table of projects is a .csv or .xlsx file").format(
        suffix=suffix or _("(no extension)")), source=str(path))


# --------------------------------------------------------------------------- the header

@dataclass
class _Columns:
    fields: dict[str, int] = field(default_factory=dict)  # field -> column
    scores: dict[str, int] = field(default_factory=dict)  # criterion id -> column
    gates: dict[str, int] = field(default_factory=dict)  # gate id -> column
    comments: dict[str, int] = field(default_factory=dict)  # criterion/gate id -> column
    names: dict[int, str] = field(default_factory=dict)  # column -> its name as written

    def all(self) -> set[int]:
        return {*self.fields.values(), *self.scores.values(), *self.gates.values(), *self.comments.values()}


def _id_lookup(ids: list[str]) -> dict[str, str]:
    """Normalised name -> id; an exact spelling always wins over another id normalised alike."""
    out: dict[str, str] = {}
    for ident in ids:
        out.setdefault(_norm(ident), ident)
    return out


def _read_header(grid: _Grid, cs: CriteriaSet) -> tuple[int, _Columns]:
    header_row, header = grid.header()
    src = grid.source
    crits = [c.id for c in [*cs.leaves(), *cs.bonus]]
    gate_ids = [g.id for g in cs.gates]
    crit_by = _id_lookup(crits)
    gate_by = _id_lookup(gate_ids)
    comment_by = _id_lookup([*crits, *gate_ids])
    field_by = {_norm(alias): f for f, aliases in ALIASES.items() for alias in aliases}
    cols = _Columns()
    taken: dict[tuple[str, str], int] = {}
    unknown: list[tuple[int, str]] = []
    bad_comments: list[tuple[int, str]] = []

    def claim(kind: str, key: str, c: int, name: str) -> None:
        if (kind, key) in taken:
            first = cols.names[taken[(kind, key)]]
            what = {"score": _("the scores of criterion {id}"), "gate": _("the answers to gate {id}"),
                    "comment": _("the comments on {id}")}.get(kind, "{id}").format(id=key)
            raise InputError(_("columns {first!r} and {name!r} are both the column of {what}; keep one of them")
                             .format(first=first, name=name, what=what),
                             source=src, where=grid.where(header_row, c, name))
        taken[(kind, key)] = c
        cols.names[c] = name

    for c in sorted(header):
        name = header[c].strip()
        if not name or name.startswith("#"):
            continue
        key = _norm(name)
        exact = {i for i in crits if i == name} | {i for i in gate_ids if i == name}
        m = COMMENT_RE.match(name)
        if exact:
            ident = next(iter(exact))
            if ident in crits:
                claim("score", ident, c, name)
                cols.scores[ident] = c
            else:
                claim("gate", ident, c, name)
                cols.gates[ident] = c
        elif key in crit_by:
            claim("score", crit_by[key], c, name)
            cols.scores[crit_by[key]] = c
        elif key in gate_by:
            claim("gate", gate_by[key], c, name)
            cols.gates[gate_by[key]] = c
        elif key in field_by:
            claim("field", field_by[key], c, name)
            cols.fields[field_by[key]] = c
        elif m:
            target = m.group(2)
            ident = target if target in crits or target in gate_ids else comment_by.get(_norm(target))
            if ident is None:
                bad_comments.append((c, name))
            else:
                claim("comment", ident, c, name)
                cols.comments[ident] = c
        else:
            unknown.append((c, name))

    missing = [f for f in REQUIRED if f not in cols.fields]
    if missing:
        named = "; ".join(_or(ALIASES[f]) for f in missing)
        raise InputError(ngettext("missing required column: {names} (the first non-empty row must hold the column "
                                  "names)",
                                  "missing required columns: {names} (the first non-empty row must hold the column "
                                  "names)", len(missing)).format(names=named),
                         source=src, where=grid.where_row(header_row))
    known_names = [*crits, *gate_ids, *(a for aliases in ALIASES.values() for a in aliases)]
    if unknown:
        parts = []
        for _c, name in unknown:
            close = difflib.get_close_matches(name.casefold(), known_names, n=1, cutoff=0.75)
            parts.append(f"{name!r}" + (_(" (did you mean {name!r}?)").format(name=close[0]) if close else ""))
        c0, name0 = unknown[0]
        raise InputError(ngettext("unknown column {names}: not a project field, nor a criterion or gate of criteria "
                                  "set {set!r} (to keep a column of notes, start its name with #)",
                                  "unknown columns {names}: not a project field, nor a criterion or gate of criteria "
                                  "set {set!r} (to keep a column of notes, start its name with #)", len(unknown))
                         .format(names=", ".join(parts), set=cs.id),
                         source=src, where=grid.where(header_row, c0, name0))
    if bad_comments:
        c0, name0 = bad_comments[0]
        raise InputError(_("column {name!r}: a comment on an unknown criterion or gate (criteria set {set!r} has "
                           "{ids})").format(name=name0, set=cs.id, ids=", ".join([*crits, *gate_ids])), source=src,
                         where=grid.where(header_row, c0, name0))
    no_score = [i for i in cs.leaf_ids() if i not in cols.scores]
    no_gate = [g for g in gate_ids if g not in cols.gates]
    if no_score or no_gate:
        what = []
        if no_score:
            what.append(ngettext("criterion {ids}", "criteria {ids}", len(no_score)).format(ids=", ".join(no_score)))
        if no_gate:
            what.append(ngettext("gate {ids}", "gates {ids}", len(no_gate)).format(ids=", ".join(no_gate)))
        what_text = what[0] if len(what) == 1 else _("{a} and {b}").format(a=what[0], b=what[1])
        raise InputError(_("no column for {what}: the table needs a column per criterion and per gate of criteria "
                           "set {set!r}, named by its id").format(what=what_text, set=cs.id), source=src)
    return header_row, cols


# --------------------------------------------------------------------------- rows and partnerships

@dataclass
class _Group:
    voivodeship: str
    partnership: str
    rows: list[int] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    project_rows: list[int] = field(default_factory=list)
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, message)
    advisor: str | None = None
    members: set[str] = field(default_factory=set)


class _TableReader:
    def __init__(self, grid: _Grid, cs: CriteriaSet):
        self.grid = grid
        self.cs = cs
        self.src = grid.source

    def read(self) -> list[TablePackage]:
        grid, cs = self.grid, self.cs
        header_row, cols = _read_header(grid, cs)
        self.cols = cols
        f = cols.fields
        groups: dict[tuple[str, str], _Group] = {}
        rows = grid.data_rows(header_row, cols.all())
        for r in rows:
            problems: list[tuple[int, int, str]] = []

            def get(c: int, problems=problems, r=r) -> Any:
                try:
                    return grid.value(r, c)
                except CellValueError as exc:
                    problems.append((r, c, str(exc)))
                    return None

            voiv = cell_text(get(f["voivodeship"])) or ""
            part = cell_text(get(f["partnership"])) or ""
            pid = cell_text(get(f["id"]))
            if pid is None and not problems:
                if not part:
                    continue
                others = cols.all() - {f["voivodeship"], f["partnership"]}
                if not any(self._filled(r, c) for c in others):
                    continue
            gkey = (_group_norm(voiv), _group_norm(part))
            group = groups.get(gkey)
            if group is None:
                group = groups[gkey] = _Group(voiv, part)
            group.rows.append(r)
            if not part:
                group.problems.append((r, f["partnership"], _("project {id} has no partnership").format(
                    id=pid or pgettext("reader", "(no id)"))))
            if not voiv:
                group.problems.append((r, f["voivodeship"], _("project {id} of partnership {partnership} has no "
                                                              "voivodeship").format(id=pid or pgettext("reader", "(no id)"),
                                                                                    partnership=part or pgettext("reader", "(none)"))))
            if pid is None:
                if not any(c == f["id"] for _r, c, _m in problems):
                    group.problems.append((r, f["id"], _("this row has no project id; give the project an id "
                                                         "or clear the row")))
            else:
                self.read_project(r, pid, group, get)
            group.problems.extend(problems)  # cells that could not be read at all
        if not groups:
            raise InputError(_("no projects below the header (row {row})").format(row=header_row), source=self.src)
        return [self.finish(g) for g in groups.values()]

    def _filled(self, r: int, c: int) -> bool:
        try:
            return cell_text(self.grid.value(r, c)) is not None
        except CellValueError:
            return True  # an error shown in a cell is content

    def read_project(self, r: int, pid: str, group: _Group, get) -> None:
        grid, cols, cs = self.grid, self.cols, self.cs
        f = cols.fields
        dc = grid.decimal_comma

        def bad(c: int, msg: str) -> None:
            group.problems.append((r, c, msg))

        proj: dict[str, Any] = {"id": pid}
        title = cell_text(get(f["title"]))
        if title is None:
            bad(f["title"], _("project {id} has no title").format(id=pid))
        proj["title"] = title or pid
        for key in ("lead_jst", "status", "description"):
            if key in f:
                text = cell_text(get(f[key]))
                if text is not None:
                    proj[key] = text
        if "partners" in f:
            proj["partners"] = split_list(cell_text(get(f["partners"])))
        if "cost" in f:
            v = get(f["cost"])
            if cell_text(v) is not None:
                try:
                    proj["cost"] = cell_number(v, dc, money=True)
                except (ValueError, OverflowError) as exc:
                    bad(f["cost"], not_a_number(exc, _('cost "{value}" is not a number (PLN)').format(value=shown(v))))
        source = cell_text(get(f["funding_source"])) if "funding_source" in f else None
        amount = None
        if "funding_amount" in f:
            v = get(f["funding_amount"])
            if cell_text(v) is not None:
                try:
                    amount = cell_number(v, dc, money=True)
                except (ValueError, OverflowError) as exc:
                    bad(f["funding_amount"], not_a_number(exc, _('amount "{value}" is not a number (PLN)').format(
                        value=shown(v))))
                if source is None:
                    bad(f["funding_amount"], _("an amount of funding without its source (project {id})").format(id=pid))
        proj["funding"] = ([{"source": source, **({"amount": amount} if amount is not None else {})}]
                           if source is not None else [])
        if "advisor" in f:
            advisor = cell_text(get(f["advisor"]))
            if advisor is not None and group.advisor is None:
                group.advisor = advisor
        if proj.get("lead_jst"):
            group.members.add(proj["lead_jst"])
        group.members.update(proj.get("partners", []))

        scores: dict[str, float] = {}
        for cid, c in cols.scores.items():
            v = get(c)
            if cell_text(v) is None:
                continue  # a missing leaf score is reported by the package checks
            try:
                scores[cid] = cell_number(v, dc)
            except (ValueError, OverflowError) as exc:
                crit = cs.criterion(cid)
                bad(c, not_a_number(exc, _('"{value}" is not {what} (criterion {id})').format(
                    value=shown(v), what=expected_value(crit), id=cid)))
        gates: dict[str, bool] = {}
        for gid, c in cols.gates.items():
            v = get(c)
            if cell_text(v) is None:
                continue  # reported by the package checks
            try:
                gates[gid] = gate_answer(v)
            except ValueError:
                bad(c, _('"{value}" is not an answer to gate {id}: write tak or nie (yes or no)').format(
                    value=shown(v), id=gid))
        comments: dict[str, str] = {}
        for cid, c in cols.comments.items():
            text = cell_text(get(c))
            if text is not None:
                comments[cid] = text
        proj.update(scores=scores, gates=gates, comments=comments)
        self.check_project(r, proj, group)
        group.projects.append(proj)
        group.project_rows.append(r)

    def check_project(self, r: int, proj: dict[str, Any], group: _Group) -> None:
        """Record what the project model refuses (an id with spaces, a negative cost) and mend the copy,
        so that the package checks still run over every project of the partnership."""
        for _attempt in range(3):
            try:
                Project.model_validate(proj)
                return
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                problems = validation_problems(exc)
            for err, p in zip(errors, problems):
                group.problems.append((r, self.column_of(p.where or "", p.message), p.message))
                head = err["loc"][0] if err.get("loc") else None
                if head == "id":
                    proj["id"] = f"row-{r}-invalid"
                elif head == "title":
                    proj["title"] = proj["id"]
                elif head == "funding":
                    proj["funding"] = []
                elif head is not None:
                    proj.pop(head, None)

    def column_of(self, rest: str, message: str) -> int:
        """The column of a project field path such as ``scores.readiness`` or ``funding[0].amount``."""
        cols = self.cols
        f = cols.fields
        head = re.split(r"[.\[]", rest, maxsplit=1)[0] if rest else ""
        tail = rest.split(".", 1)[1] if "." in rest else ""
        named = re.search(r"'([^']+)'", message)
        if head in ("scores", "gates", "comments"):
            table = {"scores": cols.scores, "gates": cols.gates, "comments": cols.comments}[head]
            ident = tail or (named.group(1) if named else "")
            if ident in table:
                return table[ident]
            if ident in cols.scores:
                return cols.scores[ident]
        if head == "funding":
            if rest.endswith(".amount") and "funding_amount" in f:
                return f["funding_amount"]
            if "funding_source" in f:
                return f["funding_source"]
        if head in f:
            return f[head]
        return f["id"]

    def finish(self, g: _Group) -> TablePackage:
        grid, cs = self.grid, self.cs
        key = f"{g.voivodeship}/{g.partnership}"
        found: list[tuple[int, int, str]] = list(g.problems)
        doc: dict[str, Any] = {
            "partnership": {"name": g.partnership or "?", "voivodeship": g.voivodeship or None,
                            "members": sorted(g.members)},
            "criteria": cs,
            "projects": g.projects,
        }
        if g.advisor is not None:
            doc["advisor"] = g.advisor
        pkg, problems = package_problems(doc, self.src)
        for p in problems:
            found.append(self.locate(p, g))
        if not found:
            assert pkg is not None
            pkg._source = self.src
            pkg._locations = self.long_text_locations(pkg, g)
            return TablePackage(key, g.voivodeship, g.partnership, pkg, None, list(g.rows))
        seen: set[tuple[int, int]] = set()
        unique = []
        for r, c, msg in sorted(found, key=lambda t: (t[0], t[1])):  # stable: our own message first
            if (r, c) in seen:
                continue
            seen.add((r, c))
            unique.append((r, c, msg))
        r, c, msg = unique[0]
        if len(unique) > 1:
            more = len(unique) - 1
            msg = ngettext("{message} (and {n} more problem in this partnership's rows)",
                           "{message} (and {n} more problems in this partnership's rows)", more).format(message=msg,
                                                                                                        n=more)
        where = grid.where(r, c, self.cols.names.get(c, str(c)))
        return TablePackage(key, g.voivodeship, g.partnership, None, InputError(msg, source=self.src, where=where),
                            list(g.rows))

    def long_text_locations(self, pkg: Package, g: _Group) -> dict[str, str]:
        """Row and column of each text too long for a workbook cell: an appraisal workbook written later
        refuses it naming the table's cell, not the path of a field the table does not show."""
        from .package_workbook import long_texts

        out = {}
        for where, _text in long_texts(pkg):
            r, c, _msg = self.locate(InputError("", where=where), g)
            out[where] = self.grid.where(r, c, self.cols.names.get(c, str(c)))
        return out

    def locate(self, p: InputError, g: _Group) -> tuple[int, int, str]:
        """A package problem (``projects[2].scores.readiness``) as (row, column, message)."""
        f = self.cols.fields
        where = p.where or ""

        def row_of(m: re.Match) -> str:
            i = int(m.group(1))
            return pgettext("reader", "row {row}").format(row=g.project_rows[i]) if i < len(g.project_rows) else m.group(0)

        message = re.sub(r"projects\[(\d+)\]", row_of, p.message)
        m = PROJECT_REF.match(where)
        if m and int(m.group(1)) < len(g.project_rows):
            r = g.project_rows[int(m.group(1))]
            return r, self.column_of(m.group(2) or "", p.message), message
        first = g.rows[0]
        if where.startswith("partnership.voivodeship"):
            return first, f["voivodeship"], message
        if where.startswith("partnership.members"):
            return first, f.get("lead_jst", f.get("partners", f["partnership"])), message
        if where.startswith("advisor") and "advisor" in f:
            return first, f["advisor"], message
        if where == "projects":
            message = _("partnership {partnership}: {message}").format(partnership=g.partnership or pgettext("reader", "(none)"),
                                                                        message=message)
        return first, f["partnership"], message


def read_long_table(path: str | Path, criteria: CriteriaSet, sheet: str | None = None) -> list[TablePackage]:
    """Split a long table of projects (CSV or Excel) into one package per partnership, in table order.

    ``criteria`` is the set every package is appraised on (each package refers to this very object).
    ``sheet`` picks a worksheet of a workbook (the first one by default; ignored for CSV).
    Raises :class:`InputError` only for a problem of the whole table; a problem of a row is reported in
    its partnership's ``TablePackage.error``.
    """
    path = Path(path)
    cs_problems = criteria.problems()
    if cs_problems:
        where, msg = cs_problems[0]
        raise InputError(_("the criteria set cannot be used: {where}: {problem}").format(where=where, problem=msg),
                         source=str(path))
    grid = _open_grid(path, sheet)
    return _TableReader(grid, criteria).read()


__all__ = ["ALIASES", "TablePackage", "read_long_table"]
