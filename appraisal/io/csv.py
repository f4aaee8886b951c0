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

        data = read_limited(path, MAX_CSV_BYTES, "CSV file")  # type: ignore[arg-type]
    if len(data) > MAX_CSV_BYTES:
        raise InputError(f"CSV file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB", source=src)
    if b"\x00" in data:
        raise InputError("binary data (NUL bytes), not a CSV text file", source=src)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot decode as UTF-8 or Windows-1250 (byte {exc.start})", source=src) from None
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
        raise InputError(f"row {len(raw) + 1} (line {reader.line_num}): not a readable CSV row: {exc}",
                         source=src) from None
    rows = []
    for i, r in enumerate(raw):
        for j, c in enumerate(r):
            if len(c) > MAX_CELL_CHARS:
                hint = (" (a quote opened in this cell is never closed?)" if c.count("\n") > 1 else "")
                raise InputError(f"row {i + 1}, column {j + 1}: a cell of {len(c):,} characters is longer than "
                                 f"the {MAX_CELL_CHARS:,} a CSV cell may hold{hint}", source=src)
        cells = [c.strip() for c in r]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise InputError("the file is empty", source=src)
    return Table(src, rows, decimal_comma=delimiter != ",")


def _cell(table: Table, r: int, c: int, name: str | None = None) -> str:
    where = f"row {r + 1}, column {c + 1}"
    return f"{where} ({name})" if name else where


def parse_number(text: str, decimal_comma: bool) -> float:
    t = text.translate(THOUSANDS_SEPARATORS)
    if decimal_comma:
        t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(v):
        raise ValueError(f"{text!r} is not a finite number")
    return v


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
        raise InputError("row 1: expected an empty cell and then the criterion names", source=src)
    for c, name in enumerate(names):
        if not name:
            raise InputError(f"{_cell(t, 0, c + 1)}: empty criterion name", source=src)
        if name in names[:c]:
            raise InputError(f"{_cell(t, 0, c + 1)}: criterion {name!r} named twice", source=src)
    n = len(names)
    if n < 2:
        raise InputError("a pairwise matrix needs at least two criteria", source=src)
    if n > max_n:
        raise InputError(f"{n}×{n} matrix is larger than the random-index table supports (n ≤ {max_n})", source=src)
    body = t.rows[1:]
    if len(body) != n:
        raise InputError(f"not square: {n} criteria in row 1 but {len(body)} rows of judgments", source=src)
    raw: list[list[float | None]] = []
    warnings = []
    for i, row in enumerate(body):
        r = i + 1
        label = row[0] if row else ""
        if label != names[i]:
            raise InputError(f"{_cell(t, r, 0)}: row is named {label!r} but column {i + 2} is {names[i]!r}; "
                             f"names in the first row and column must match, in the same order", source=src)
        if len(row) > n + 1:
            raise InputError(f"{_cell(t, r, n + 1)}: {len(row) - 1} judgments in a row of a {n}×{n} matrix",
                             source=src)
        vals: list[float | None] = []
        for j in range(n):
            text = row[j + 1] if j + 1 < len(row) else ""
            if not text:
                vals.append(None)
                continue
            try:
                v = parse_judgment(text, t.decimal_comma)
            except ValueError as exc:
                raise InputError(f"{_cell(t, r, j + 1, f'{names[i]} vs {names[j]}')}: {exc}", source=src) from None
            if i != j and not (1 / 9 - 1e-9 <= v <= 9 + 1e-9):
                warnings.append(one_line(f"{src}: {_cell(t, r, j + 1, f'{names[i]} vs {names[j]}')}: judgment {text} is "
                                f"outside Saaty's scale 1/9 … 9 (used as given)"))
            vals.append(v)
        raw.append(vals)
    a = np.ones((n, n))
    for i in range(n):
        d = raw[i][i]
        if d is not None and abs(d - 1) > 1e-9:
            raise InputError(f"{_cell(t, i + 1, i + 1, f'{names[i]} vs {names[i]}')}: the diagonal must be 1, "
                             f"got {body[i][i + 1]}", source=src)
        for j in range(i + 1, n):
            up, low = raw[i][j], raw[j][i]
            pair = f"{names[i]} vs {names[j]}"
            if up is None and low is None:
                raise InputError(f"{_cell(t, i + 1, j + 1, pair)}: empty judgment (and none below the diagonal)",
                                 source=src)
            if up is not None and low is not None and abs(up * low - 1) > RECIPROCITY_TOLERANCE:
                raise InputError(f"{_cell(t, i + 1, j + 1, pair)}: not reciprocal: {body[i][j + 1]} here but "
                                 f"{body[j][i + 1]} at row {j + 2}, column {i + 2} (expected 1/{body[i][j + 1]})",
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
        raise InputError("row 1: expected 'id' and then the criterion names", source=src)
    for c, name in enumerate(criteria):
        if not name:
            raise InputError(f"{_cell(t, 0, c + 1)}: empty criterion name", source=src)
        if name in criteria[:c]:
            raise InputError(f"{_cell(t, 0, c + 1)}: criterion {name!r} named twice", source=src)
    ids: list[str] = []
    first_row: dict[str, int] = {}
    values = []
    for r, row in enumerate(t.rows[1:], start=1):
        if not any(row):
            continue
        ident = row[0] if row else ""
        if not ident:
            raise InputError(f"{_cell(t, r, 0)}: empty id", source=src)
        if ident in first_row:
            raise InputError(f"{_cell(t, r, 0)}: duplicate id {ident!r} (also row {first_row[ident] + 1})",
                             source=src)
        first_row[ident] = r
        if len(row) > len(criteria) + 1:
            raise InputError(f"{_cell(t, r, len(criteria) + 1)}: more cells than criteria in row 1", source=src)
        vals = []
        for c, name in enumerate(criteria):
            text = row[c + 1] if c + 1 < len(row) else ""
            if not text:
                raise InputError(f"{_cell(t, r, c + 1, name)}: missing value", source=src)
            try:
                vals.append(parse_number(text, t.decimal_comma))
            except ValueError as exc:
                raise InputError(f"{_cell(t, r, c + 1, name)}: {exc}", source=src) from None
        ids.append(ident)
        values.append(vals)
    if len(ids) < 2:
        raise InputError(f"at least two alternatives are needed to rank, got {len(ids)}", source=src)
    return DecisionMatrix(src, ids, criteria, np.array(values, dtype=float))
