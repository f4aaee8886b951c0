"""Values out of spreadsheet cells (Excel workbooks and CSV tables), as advisors type them.

Shared by the template reader and the long-table reader: text, numbers with Polish decimal commas,
thousands separators and a "zł"/"PLN" suffix, yes/no answers in Polish or English, ";" lists; and
a budget as typed on the command line (:func:`parse_budget`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import Any

from ..criteria.errors import InputError
from ..criteria.judgments import THOUSANDS_SEPARATORS

YES = {"tak", "t", "yes", "y", "true", "1", "prawda"}
NO = {"nie", "n", "no", "false", "0", "fałsz", "falsz"}


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text (None when empty); whole floats without ".0", dates as ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip() or None


def shown(value: Any) -> str:
    """A cell's value for an error message, cut to 40 characters."""
    text = cell_text(value) or ""
    return text if len(text) <= 40 else text[:37] + "..."


_DOT_GROUPS = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")


def cell_number(value: Any, decimal_comma: bool = True, money: bool = False) -> float:
    """A finite number from a cell: int/float, or text such as "3", "3,5", "1 200 000", "1.234,5"
    (with ``decimal_comma``), "38 500 000 zł" (with ``money``). Raises ValueError otherwise.

    An amount of money (``money`` and ``decimal_comma``) written with dots between groups of three
    digits and no comma, "40.000" or "40.000.000", is read the Polish way, as thousands: PLN has two
    decimal places, so three after a dot cannot be grosze."""
    if isinstance(value, (bool, _dt.date, _dt.time, _dt.timedelta)):
        raise ValueError
    if isinstance(value, (int, float)):
        x = float(value)
    elif isinstance(value, str):
        t = value.strip().translate(THOUSANDS_SEPARATORS)
        if money:
            low = t.lower()
            for suffix in ("zł", "zl", "pln"):
                if low.endswith(suffix):
                    t = t[: -len(suffix)]
                    break
        if "_" in t:
            raise ValueError
        if money and decimal_comma and _DOT_GROUPS.fullmatch(t):
            t = t.replace(".", "")
        if decimal_comma and "," in t:
            if "." in t:
                if t.rfind(",") < t.rfind("."):
                    raise ValueError
                t = t.replace(".", "")  # 1.234,5: dots group the thousands
            t = t.replace(",", ".")
        x = float(t)
    else:
        raise ValueError
    if not math.isfinite(x):
        raise ValueError
    return x


def gate_answer(value: Any) -> bool:
    """tak/nie, yes/no, true/false, 1/0, t/n, y, prawda/fałsz, or an Excel boolean; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = (cell_text(value) or "").casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError


def split_list(text: str | None) -> list[str]:
    """"Gmina A; Gmina B" (or one per line) → ["Gmina A", "Gmina B"]."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]


#: what a spreadsheet shows in a cell whose formula failed
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
_PLAIN = (str, int, float, bool, _dt.date, _dt.time, _dt.timedelta)


class CellValueError(Exception):
    """A cell whose value cannot be used at all: an Excel error shown, or a formula never computed."""


def seen_value(cell, computed: Callable[[], Any]) -> Any:
    """The value a person sees in an openpyxl ``cell``: for a formula (or anything else that is not a
    plain value), the value a spreadsheet last computed, which ``computed()`` reads (from the
    workbook opened with ``data_only``). Raises :class:`CellValueError` for a formula never
    computed and for an error value such as ``#DIV/0!``."""
    v = cell.value
    if cell.data_type == "f" or (v is not None and not isinstance(v, _PLAIN)):
        v = computed()
        if v is None:
            raise CellValueError("the cell holds a formula whose value was never computed; type the value "
                                 "itself (or open and save the workbook in a spreadsheet program)")
    if cell.data_type == "e" or (isinstance(v, str) and v.strip() in EXCEL_ERRORS):
        raise CellValueError(f"the cell shows the error {str(v).strip()}")
    return v


def parse_budget(text: str) -> float:
    """A budget typed on the command line: 25000000, "25 000 000", 25_000_000, "25000000,50", "… zł".

    Rounded to the grosz (:func:`to_grosze`; exact for any amount of up to 15 significant digits) and
    returned as ``grosze / 100``, which :func:`portfolio` turns back into the same grosze."""
    from ..portfolio import from_grosze, to_grosze

    try:
        value = cell_number(str(text).replace("_", ""), decimal_comma=True, money=True)
    except (ValueError, OverflowError):
        raise InputError(f"{text!r} is not an amount of PLN (write e.g. 25000000 or '25 000 000')",
                         param="budget") from None
    if value <= 0 or to_grosze(value) <= 0:
        raise InputError(f"the budget must be more than 0 PLN, got {text!r}", param="budget")
    return from_grosze(to_grosze(value))
