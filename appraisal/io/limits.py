"""Per-funding-source spending limits for ``appraise portfolio --by-source FILE``.

A CSV (``source;limit``, one source per row; a header row such as ``źródło;limit`` or
``source,limit`` is optional), or a JSON/TOML mapping ``{"source": limit, ...}`` (also accepted
under a top-level ``source_limits`` or ``limits`` key). Limits are PLN ≥ 0, written as numbers;
in a CSV also with spaces or dots grouping thousands, a decimal comma (with ``;`` or tab as the
separator) and a ``zł``/``PLN`` suffix. Bad rows end in one line naming the file and the row.

Each limit is rounded to the grosz (half a grosz up) with :func:`appraisal.portfolio.to_grosze`, as
every amount of the portfolio is, and returned as ``grosze / 100`` (:func:`~appraisal.portfolio.from_grosze`),
so that the portfolio compares it in the same whole grosze: ``3 914 733,32`` is exactly 391 473 332 grosze.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..criteria import read_document
from ..criteria.errors import InputError
from ..filenames import DOCUMENT_SUFFIXES
from ..portfolio import from_grosze, to_grosze
from .cells import cell_number
from .csv import read_table

SOURCE_HEADERS = {"source", "funding source", "źródło", "zrodlo", "źródło finansowania", "zrodlo finansowania",
                  "program", "fundusz"}
LIMIT_HEADERS = {"limit", "limit (pln)", "limit pln", "kwota", "kwota (pln)", "amount", "amount (pln)",
                 "budżet", "budzet", "dostępne środki", "dostepne srodki"}


def read_source_limits(path: str | Path) -> dict[str, float]:
    """Source → limit (PLN) from a CSV, JSON or TOML file (see the module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _from_csv(path)
    if suffix in DOCUMENT_SUFFIXES:
        return _from_document(path)
    raise InputError(f"unsupported file type {suffix or '(none)'!r} for source limits; expected .csv, .json or "
                     f".toml", source=str(path))


def _limit(value: Any, decimal_comma: bool) -> float:
    """A limit in PLN, rounded to the grosz (ValueError when it is not an amount ≥ 0)."""
    v = cell_number(value, decimal_comma=decimal_comma, money=True)
    if v < 0:
        raise ValueError("negative")
    return from_grosze(to_grosze(v))


def _from_csv(path: Path) -> dict[str, float]:
    t = read_table(path)
    src = t.source
    rows = t.rows
    first = [c.casefold() for c in rows[0]]
    start = 0
    if len(first) >= 2 and first[0] in SOURCE_HEADERS and first[1] in LIMIT_HEADERS:
        start = 1
    elif len(first) >= 2 and first[1]:
        try:
            _limit(rows[0][1], t.decimal_comma)
        except ValueError:
            raise InputError(f"row 1: expected a header 'source;limit' (or 'źródło;limit') or a first source "
                             f"with its limit, got {rows[0][1]!r} as the limit", source=src) from None
    out: dict[str, float] = {}
    first_row: dict[str, int] = {}
    for r in range(start, len(rows)):
        row = rows[r]
        if not any(row):
            continue
        where = f"row {r + 1}"
        name = row[0] if row else ""
        if not name:
            raise InputError(f"{where}, column 1: empty source name", source=src)
        if len(row) < 2 or not row[1]:
            raise InputError(f"{where}, column 2: no limit for source {name!r}", source=src)
        if len(row) > 2:
            raise InputError(f"{where}: {len(row)} cells; expected two (source and limit) — with a comma as the "
                             f"separator, write the limit without commas or use ';'", source=src)
        try:
            value = _limit(row[1], t.decimal_comma)
        except ValueError:
            raise InputError(f"{where}, column 2: limit {row[1]!r} for {name!r} is not an amount of PLN ≥ 0",
                             source=src) from None
        key = " ".join(name.split()).casefold()
        if key in first_row:
            raise InputError(f"{where}: source {name!r} given twice (also row {first_row[key]})", source=src)
        first_row[key] = r + 1
        out[name] = value
    if not out:
        raise InputError("no source limits in the file", source=src)
    return out


def _from_document(path: Path) -> dict[str, float]:
    src = str(path)
    doc = read_document(path)
    prefix = ""
    for key in ("source_limits", "limits"):
        if set(doc) == {key} and isinstance(doc[key], dict):
            doc, prefix = doc[key], f"{key}."
            break
    if not doc:
        raise InputError("no source limits in the file", source=src)
    out: dict[str, float] = {}
    seen: dict[str, str] = {}
    for name, value in doc.items():
        where = f"{prefix}{name}"
        if not str(name).strip():
            raise InputError("empty source name", source=src, where=where or "(top level)")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InputError(f"the limit must be a number of PLN ≥ 0, got {type(value).__name__}", source=src,
                             where=where)
        try:
            out[name] = _limit(value, decimal_comma=True)
        except (ValueError, OverflowError):
            raise InputError(f"the limit must be a number of PLN ≥ 0, got {value!r}", source=src,
                             where=where) from None
        key = " ".join(str(name).split()).casefold()
        if key in seen:
            raise InputError(f"source given twice (also as {seen[key]!r})", source=src, where=where)
        seen[key] = name
    return out
