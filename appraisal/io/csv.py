"""CSV readers: AHP pairwise matrices and decision matrices, with errors naming row and column.

Both accept what Polish spreadsheets export: UTF-8 (with or without BOM) or Windows-1250,
comma, semicolon or tab separated; with a semicolon or tab separator a decimal comma is read
as a decimal point, and spaces inside numbers (``1 200 000``) are thousands separators.
Rows and columns in messages are counted from 1 as a spreadsheet shows them.
"""

from __future__ import annotations

import csv as _csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..criteria.errors import InputError, one_line
from ..criteria.i18n import _, pgettext
from ..criteria.judgments import RECIPROCITY_TOLERANCE, THOUSANDS_SEPARATORS, parse_judgment

#: the largest CSV file read (matrices, pairwise judgments, source limits, long tables)
MAX_CSV_BYTES = 20 * 1024 * 1024
#: the longest cell of a CSV file, in characters (the csv module's own default limit, 128 K)
MAX_CELL_CHARS = 128 * 1024


@dataclass
class Table:
    source: str
    rows: list[list[str]]
    decimal_comma: bool


def read_table(path: str | Path | None = None, *, data: bytes | None = None, source: str | None = None) -> Table:
    """Decode and split a CSV file (or ``data``) into rows of stripped cells; trailing blank rows dropped.

    A file is read only when it is a regular file (a named pipe or a device is refused without waiting),
    and never beyond :data:`MAX_CSV_BYTES`; a cell longer than :data:`MAX_CELL_CHARS` is refused naming
    its row and column."""
    src = source or (str(path) if path is not None else "<data>")
    if data is None:
        # imported here, not at the top: a CSV needs the TOML/JSON document reader for this one function
        from ..criteria.documents import read_limited

        data = read_limited(path, MAX_CSV_BYTES, _("CSV file"))  # type: ignore[arg-type]
    if len(data) > MAX_CSV_BYTES:
        raise InputError(_("CSV file is larger than {mb} MB").format(mb=MAX_CSV_BYTES // (1024 * 1024)), source=src)
    if b"\x00" in data:
        raise InputError(_("binary data (NUL bytes), not a CSV text file"), source=src)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError as exc:
            raise InputError(_("cannot decode as UTF-8 or Windows-1250 (byte {byte})").format(byte=exc.start),
                             source=src) from None
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: (counts[d], d != ","))
    if counts[delimiter] == 0:
        delimiter = ","
    # the csv module's own limit (128 K characters by default, for the whole process) would end in
    # "field larger than field limit" with no place: it is raised (never lowered: other threads may be
    # reading) past the largest file we read, and our own limit below names the row and column
    if _csv.field_size_limit() <= MAX_CSV_BYTES:
        _csv.field_size_limit(MAX_CSV_BYTES + 1)
    raw: list[list[str]] = []
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for r in reader:
            raw.append(r)  # noqa: PERF402 - one by one: an error names the row it is in
    except _csv.Error as exc:
        raise InputError(_("row {row} (line {line}): not a readable CSV row: {error}").format(
            row=len(raw) + 1, line=reader.line_num, error=exc), source=src) from None
    rows = []
    for i, r in enumerate(raw):
        for j, c in enumerate(r):
            if len(c) > MAX_CELL_CHARS:
                hint = (_(" (a quote opened in this cell is never closed?)") if c.count("\n") > 1 else "")
                raise InputError(_("{where}: a cell of {n} characters is longer than the {limit} a CSV cell may "
                                   "hold{hint}").format(where=row_column(i + 1, j + 1), n=count(len(c)),
                                                        limit=count(MAX_CELL_CHARS), hint=hint), source=src)
        cells = [c.strip() for c in r]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise InputError(_("the file is empty"), source=src)
    return Table(src, rows, decimal_comma=delimiter != ",")


def row_column(row: int, column: int | str) -> str:
    """``row 3, column 2`` (``column`` a number or a column's name), in the current language."""
    return _("row {row}, column {column}").format(row=row, column=column)


def count(n: int) -> str:
    """A count of characters or cells with its thousands grouped, as the reader writes numbers."""
    from ..numfmt import number

    return number(n, 0)


def _cell(table: Table, r: int, c: int, name: str | None = None) -> str:
    where = row_column(r + 1, c + 1)
    return f"{where} ({name})" if name else where


def parse_number(text: str, decimal_comma: bool) -> float:
    t = text.translate(THOUSANDS_SEPARATORS)
    if decimal_comma:
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        raise ValueError(_("{text!r} is not a number").format(text=text)) from None
    if not math.isfinite(v):
        raise ValueError(_("{text!r} is not a finite number").format(text=text))
    return v


def versus(a: str, b: str) -> str:
    """``a vs b``: the pair of criteria a judgment compares."""
    return pgettext("reader", "{a} vs {b}").format(a=a, b=b)


@dataclass
class Pairwise:
    source: str
    names: list[str]
    matrix: np.ndarray
    warnings: list[str] = field(default_factory=list)


def read_pairwise(path: str | Path | None = None, *, data: bytes | None = None,
                  source: str | None = None, max_n: int = 15) -> Pairwise:
    """An AHP pairwise matrix; blanks below (or above) the diagonal are filled with reciprocals."""
    t = read_table(path, data=data, source=source)
    src = t.source
    header = t.rows[0]
    names = header[1:]
    if not names:
        raise InputError(_("row 1: expected an empty cell and then the criterion names"), source=src)
    for c, name in enumerate(names):
        if not name:
            raise InputError(_("{where}: empty criterion name").format(where=_cell(t, 0, c + 1)), source=src)
        if name in names[:c]:
            raise InputError(_("{where}: criterion {name!r} named twice").format(where=_cell(t, 0, c + 1), name=name),
                             source=src)
    n = len(names)
    if n < 2:
        raise InputError(_("a pairwise matrix needs at least two criteria"), source=src)
    if n > max_n:
        raise InputError(_("{n}×{n} matrix is larger than the random-index table supports (n ≤ {max})").format(
            n=n, max=max_n), source=src)
    body = t.rows[1:]
    if len(body) != n:
        raise InputError(_("not square: {n} criteria in row 1 but {rows} rows of judgments").format(
            n=n, rows=len(body)), source=src)
    raw: list[list[float | None]] = []
    warnings = []
    for i, row in enumerate(body):
        r = i + 1
        label = row[0] if row else ""
        if label != names[i]:
            raise InputError(_("{where}: row is named {label!r} but column {column} is {name!r}; names in the "
                               "first row and column must match, in the same order").format(
                where=_cell(t, r, 0), label=label, column=i + 2, name=names[i]), source=src)
        if len(row) > n + 1:
            raise InputError(_("{where}: {k} judgments in a row of a {n}×{n} matrix").format(
                where=_cell(t, r, n + 1), k=len(row) - 1, n=n), source=src)
        vals: list[float | None] = []
        for j in range(n):
            text = row[j + 1] if j + 1 < len(row) else ""
            if not text:
                vals.append(None)
                continue
            try:
                v = parse_judgment(text, t.decimal_comma)
            except ValueError as exc:
                raise InputError(_("{where}: {problem}").format(where=_cell(t, r, j + 1, versus(names[i], names[j])),
                                                                problem=exc), source=src) from None
            if i != j and not (1 / 9 - 1e-9 <= v <= 9 + 1e-9):
                warnings.append(one_line(_("{source}: {where}: judgment {text} is outside Saaty's scale 1/9 … 9 (used "
                                           "as given)").format(source=src, text=text,
                                                               where=_cell(t, r, j + 1, versus(names[i], names[j])))))
            vals.append(v)
        raw.append(vals)
    a = np.ones((n, n))
    for i in range(n):
        d = raw[i][i]
        if d is not None and abs(d - 1) > 1e-9:
            raise InputError(_("{where}: the diagonal must be 1, got {value}").format(
                where=_cell(t, i + 1, i + 1, versus(names[i], names[i])), value=body[i][i + 1]), source=src)
        for j in range(i + 1, n):
            up, low = raw[i][j], raw[j][i]
            pair = versus(names[i], names[j])
            if up is None and low is None:
                raise InputError(_("{where}: empty judgment (and none below the diagonal)").format(
                    where=_cell(t, i + 1, j + 1, pair)), source=src)
            if up is not None and low is not None and abs(up * low - 1) > RECIPROCITY_TOLERANCE:
                raise InputError(_("{where}: not reciprocal: {here} here but {there} at {place} (expected "
                                   "1/{here})").format(where=_cell(t, i + 1, j + 1, pair), here=body[i][j + 1],
                                                       there=body[j][i + 1], place=row_column(j + 2, i + 2)),
                                 source=src)
            a[i, j] = up if up is not None else 1.0 / low  # type: ignore[operator]
            a[j, i] = 1.0 / a[i, j]
    return Pairwise(src, names, a, warnings)


@dataclass
class DecisionMatrix:
    source: str
    ids: list[str]
    criteria: list[str]
    values: np.ndarray


def read_matrix(path: str | Path | None = None, *, data: bytes | None = None,
                source: str | None = None) -> DecisionMatrix:
    """A decision matrix: header ``id,<criterion>,...``, one row per alternative, numbers."""
    t = read_table(path, data=data, source=source)
    src = t.source
    header = t.rows[0]
    criteria = header[1:]
    if not criteria:
        raise InputError(_("row 1: expected 'id' and then the criterion names"), source=src)
    for c, name in enumerate(criteria):
        if not name:
            raise InputError(_("{where}: empty criterion name").format(where=_cell(t, 0, c + 1)), source=src)
        if name in criteria[:c]:
            raise InputError(_("{where}: criterion {name!r} named twice").format(where=_cell(t, 0, c + 1), name=name),
                             source=src)
    ids: list[str] = []
    first_row: dict[str, int] = {}
    values = []
    for r, row in enumerate(t.rows[1:], start=1):
        if not any(row):
            continue
        ident = row[0] if row else ""
        if not ident:
            raise InputError(_("{where}: empty id").format(where=_cell(t, r, 0)), source=src)
        if ident in first_row:
            raise InputError(_("{where}: duplicate id {id!r} (also row {row})").format(
                where=_cell(t, r, 0), id=ident, row=first_row[ident] + 1), source=src)
        first_row[ident] = r
        if len(row) > len(criteria) + 1:
            raise InputError(_("{where}: more cells than criteria in row 1").format(
                where=_cell(t, r, len(criteria) + 1)), source=src)
        vals = []
        for c, name in enumerate(criteria):
            text = row[c + 1] if c + 1 < len(row) else ""
            if not text:
                raise InputError(_("{where}: missing value").format(where=_cell(t, r, c + 1, name)), source=src)
            try:
                vals.append(parse_number(text, t.decimal_comma))
            except ValueError as exc:
                raise InputError(_("{where}: {problem}").format(where=_cell(t, r, c + 1, name), problem=exc),
                                 source=src) from None
        ids.append(ident)
        values.append(vals)
    if len(ids) < 2:
        raise InputError(_("at least two alternatives are needed to rank, got {n}").format(n=len(ids)), source=src)
    return DecisionMatrix(src, ids, criteria, np.array(values, dtype=float))
