"""Per-funding-source spending limits for ``appraise portfolio --by-source FILE`` (or ``--by-source TEXT``).

A CSV (``source;limit``, one source per row; a header row such as ``źródło;limit`` or
``source,limit`` is optional), or a JSON/TOML mapping ``{"source": limit, ...}`` (also accepted
under a top-level ``source_limits`` or ``limits`` key), or the pairs typed on the command line
(:func:`source_limits`: ``"KPO=5 mln; FEDS 2021-2027=20 000 000"``). Limits are PLN ≥ 0; a limit written
as text is an amount read by :func:`appraisal.io.cells.parse_amount` (``1 000 000``, ``2,5 mln``,
``1 000 000,00 zł``; ``40,000`` and ``40.000`` are refused as ambiguous). Bad rows end in one line naming the
file and the row.

Each limit is rounded to the grosz (half a grosz up) with :func:`appraisal.portfolio.to_grosze`, as
every amount of the portfolio is, and returned as ``grosze / 100`` (:func:`~appraisal.portfolio.from_grosze`),
so that the portfolio compares it in the same whole grosze: ``3 914 733,32`` is exactly 391 473 332 grosze.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..criteria import read_document
from ..criteria.errors import InputError
from ..criteria.i18n import _, pgettext
from ..filenames import DOCUMENT_SUFFIXES
from ..portfolio import from_grosze, to_grosze
from .cells import AmbiguousNumber, cell_number, not_a_number, parse_amount, parse_named_amounts
from .csv import read_table, row_column

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
    raise InputError(_("unsupported file type {suffix!r} for source limits; expected .csv, .json or .toml").format(
        suffix=suffix or pgettext("reader", "(none)")), source=str(path))


def source_limits(value: str | Path, param: str = "by_source") -> dict[str, float]:
    """Source → limit (PLN) from what ``--by-source`` was given: a file (CSV, JSON or TOML), or the pairs
    themselves, ``name=amount`` separated by ``;`` (``"KPO=5 mln; FEDS 2021-2027=20 000 000"``; see
    :func:`appraisal.io.cells.parse_named_amounts`). A value with ``=`` that is no file is read as pairs (a file
    name with ``=`` still reads as the file), so is one that has no suffix of a limits file."""
    text = str(value)
    path = Path(text)
    if path.is_file() or ("=" not in text and path.suffix.lower() in (".csv", *DOCUMENT_SUFFIXES)):
        return read_source_limits(path)
    if "=" in text or ":" in text:
        return parse_named_amounts(text, param)
    return read_source_limits(path)


def _limit(value: Any, decimal_comma: bool) -> float:
    """A limit in PLN, rounded to the grosz (ValueError when it is not an amount ≥ 0; :class:`AmbiguousNumber`
    for ``40,000``). Text is rounded from the digits written (never through a float)."""
    v = parse_amount(value) if isinstance(value, str) else cell_number(value, decimal_comma=decimal_comma, money=True)
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
        except AmbiguousNumber as exc:
            raise InputError(_("{where}: {problem}").format(where=row_column(1, 2), problem=exc), source=src) from None
        except (ValueError, OverflowError):
            raise InputError(_("row 1: expected a header 'source;limit' (or 'źródło;limit') or a first source with "
                               "its limit, got {value!r} as the limit").format(value=rows[0][1]), source=src) from None
    out: dict[str, float] = {}
    first_row: dict[str, int] = {}
    for r in range(start, len(rows)):
        row = rows[r]
        if not any(row):
            continue
        where = pgettext("reader", "row {row}").format(row=r + 1)
        name = row[0] if row else ""
        if not name:
            raise InputError(_("{where}: empty source name").format(where=row_column(r + 1, 1)), source=src)
        if len(row) < 2 or not row[1]:
            raise InputError(_("{where}: no limit for source {name!r}").format(where=row_column(r + 1, 2), name=name),
                             source=src)
        if len(row) > 2:
            raise InputError(_("{where}: {n} cells; expected two (source and limit) — with a comma as the separator, "
                               "write the limit without commas or use ';'").format(where=where, n=len(row)),
                             source=src)
        try:
            value = _limit(row[1], t.decimal_comma)
        except (ValueError, OverflowError) as exc:
            message = _("limit {value!r} for {name!r} is not an amount of PLN ≥ 0").format(value=row[1], name=name)
            raise InputError(_("{where}: {problem}").format(where=row_column(r + 1, 2),
                                                            problem=not_a_number(exc, message)),
                             source=src) from None
        key = " ".join(name.split()).casefold()
        if key in first_row:
            raise InputError(_("{where}: source {name!r} given twice (also row {row})").format(
                where=where, name=name, row=first_row[key]), source=src)
        first_row[key] = r + 1
        out[name] = value
    if not out:
        raise InputError(_("no source limits in the file"), source=src)
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
        raise InputError(_("no source limits in the file"), source=src)
    out: dict[str, float] = {}
    seen: dict[str, str] = {}
    for name, value in doc.items():
        where = f"{prefix}{name}"
        if not str(name).strip():
            raise InputError(_("empty source name"), source=src, where=where or pgettext("reader", "(top level)"))
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InputError(_("the limit must be a number of PLN ≥ 0, got {type}").format(type=type(value).__name__),
                             source=src, where=where)
        try:
            out[name] = _limit(value, decimal_comma=True)
        except (ValueError, OverflowError) as exc:
            message = _("the limit must be a number of PLN ≥ 0, got {value!r}").format(value=value)
            raise InputError(not_a_number(exc, message), source=src, where=where) from None
        key = " ".join(str(name).split()).casefold()
        if key in seen:
            raise InputError(_("source given twice (also as {name!r})").format(name=seen[key]), source=src,
                             where=where)
        seen[key] = name
    return out
