"""Values out of spreadsheet cells (Excel workbooks and CSV tables) and the command line, as advisors type them.

Shared by the template reader, the long-table reader and the source-limits reader: text, numbers with Polish
decimal commas and thousands separators, amounts of PLN (:func:`parse_amount`), yes/no answers in Polish or
English, ";" lists; and a budget as typed on the command line (:func:`parse_budget`).

How an amount of PLN is read (:func:`parse_amount`), the same in a cell, a CSV file and on the command line:

1. Spaces group the thousands: ``86 000 000`` (also the no-break, narrow no-break, thin and figure spaces a
   spreadsheet or Word puts there, an apostrophe and an underscore: ``86'000'000``, ``86_000_000``). Every
   group after the first has three digits (``86 00 000`` is refused).
2. The decimal mark is the comma, the Polish way: ``86 000 000,50``, ``0,5``. A dot is a decimal mark too when
   one or two digits follow it (or four and more): ``86000000.00``, ``12.5``, ``3914733.32``. A dot followed by
   exactly three digits is never a decimal mark: it groups thousands (3) or is ambiguous (4); ``1234.567`` and
   ``86 000.000`` are refused.
3. Dots (``86.000.000``, ``1.234.567,89``) or commas (``86,000,000``, ``1,234,567.89``) group the thousands
   when they can be nothing else: two or more of them, or one followed by the other mark as the decimal.
4. **Ambiguous, refused**: a single comma or dot with exactly three digits after it and one to three digits
   (not a 0) before it, nothing else: ``86,000`` and ``86.000`` (eighty-six thousand, or 86?), ``1,250``,
   ``1.250 mln``. The message says how to write it: ``86 000``, ``86000`` or ``86 tys.`` (or ``86`` / ``86,5``).
5. A multiplier after the number: ``tys.`` (thousand), ``mln`` (million), ``mld`` (billion, 10⁹), with or
   without a dot or spelt out (``tysięcy``, ``milionów``, ``miliardy`` ...): ``86 mln``, ``86,5 mln``,
   ``1,2 mld``, ``86 tys.``.
6. The currency, optional: ``zł``, ``zl``, ``PLN``, ``złotych``/``złote``/``złoty`` after the number, or ``PLN``
   before it (any case): ``86 000 000,00 zł``, ``86 mln zł``.
7. A sign (``-``, ``−``, ``+``) before it and the scientific form (``1.5e7``, ``1,5e7``) are read too; the
   callers refuse what they cannot use (a negative limit, a budget of 0).

The amount is exact: a :class:`~decimal.Decimal` of the digits written, never a float on the way; the portfolio
rounds it to the grosz (half a grosz up) and works in whole grosze. A list of amounts is separated by ``;``
(the Polish Excel list separator, since ``,`` is the decimal comma): ``25 mln; 3 914 733,32 zł``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..criteria.judgments import THOUSANDS_SEPARATORS, reads_both_ways

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


# --------------------------------------------------------------------------- amounts of PLN

class AmbiguousNumber(ValueError):
    """A number that reads two ways (``86,000``: 86 000 or 86?); ``str()`` is the message saying how to write it."""


#: the longest text read as an amount (anything longer is not an amount a person typed)
MAX_AMOUNT_CHARS = 100
#: spaces that group thousands (no-break, narrow no-break, thin, figure), apostrophes and underscores → " "
_GROUPING = str.maketrans({c: " " for c in "\u00a0\u202f\u2009\u2007\t'_’"})
_CURRENCY_AFTER = re.compile(r"\s*(?:złotych|złote|złoty|zlotych|zlote|zloty|zł|zl|pln)\.?$")
_CURRENCY_BEFORE = re.compile(r"^pln\s*")
#: multiplier word -> power of ten
_MULTIPLIERS = (
    (re.compile(r"\s*(?:tys\.?|tysiąc|tysiące|tysięcy|tysiac|tysiace|tysiecy)$"), 3),
    (re.compile(r"\s*(?:mln\.?|milion|miliony|milionów|milionow)$"), 6),
    (re.compile(r"\s*(?:mld\.?|miliard|miliardy|miliardów|miliardow)$"), 9),
)
_SIGN = re.compile(r"^([-−+])\s*")
_AMBIGUOUS = re.compile(r"(?P<int>[1-9]\d{0,2})(?P<mark>[.,])(?P<frac>\d{3})")
_DOT_DECIMALS = r"\d{1,2}|\d{4,}"  # after a dot: never three digits (those group thousands)
_FORMS = (
    # 86000, 86 000, 86 000,50, 86000000.00, 12.5
    re.compile(rf"(?P<int>\d+|\d{{1,3}}(?: \d{{3}})+)(?:,(?P<frac>\d+)|\.(?P<dfrac>{_DOT_DECIMALS}))?"),
    re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+)(?:,(?P<frac>\d+))?"),  # 86.000.000, 1.234,5
    re.compile(rf"(?P<int>\d{{1,3}}(?:,\d{{3}})+)(?:\.(?P<dfrac>{_DOT_DECIMALS}))?"),  # 86,000,000, 1,234.5
)
_SCIENTIFIC = re.compile(r"(?P<int>\d+)(?:[.,](?P<frac>\d+))?e(?P<exp>[-+]?\d{1,3})")


def _grouped(digits: str) -> str:
    """``86000000`` → ``86 000 000``."""
    head = len(digits) % 3 or 3
    return " ".join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])


def ambiguity(text: str, sign: str, m: re.Match, money: bool, multiplier: str = "") -> AmbiguousNumber:
    """The error for the ambiguous ``text`` (matched by ``m``: one to three digits, a mark, three digits)."""
    whole, frac = m["int"], m["frac"]
    sign = "-" if sign in ("-", "−") else ""
    tail = f" {multiplier}" if multiplier else ""
    decimals = frac.rstrip("0")
    if len(decimals) == 3:
        decimals += "0"  # 10,0050: four decimals are never a group of thousands
    fields = {
        "text": text,
        "thousands": f"{sign}{_grouped(whole + frac)}{tail}",
        "plain": f"{sign}{whole}{frac}{tail}",
        "decimal": f"{sign}{whole}{',' + decimals if decimals else ''}{tail}",
        "words": f"{sign}{whole}{',' + frac.rstrip('0') if frac.rstrip('0') else ''} tys.",
    }
    if money and not multiplier:
        msg = _("{text!r} is ambiguous: {thousands} or {decimal}? Write {thousands}, {plain} or {words} for the "
                "first, {decimal} for the second")
    else:
        msg = _("{text!r} is ambiguous: {thousands} or {decimal}? Write {thousands} or {plain} for the first, "
                "{decimal} for the second")
    return AmbiguousNumber(msg.format(**fields))


def parse_amount(text: str) -> Decimal:
    """An amount of PLN written as text, exactly (the rules are those of the module docstring).

    Raises :class:`AmbiguousNumber` (a ValueError whose message says how to write it) for ``86,000`` or
    ``86.000``, and a plain ValueError for text that is not an amount at all."""
    original = text
    t = str(text).strip()
    if not t or len(t) > MAX_AMOUNT_CHARS:
        raise ValueError
    t = " ".join(t.casefold().translate(_GROUPING).split())
    t = _CURRENCY_BEFORE.sub("", t)
    t = _CURRENCY_AFTER.sub("", t)
    power, word = 0, ""
    for pattern, p in _MULTIPLIERS:
        found = pattern.search(t)
        if found:
            power, word, t = p, found.group().strip(), t[:found.start()]
            break
    sign = ""
    found = _SIGN.match(t)
    if found:
        sign, t = found.group(1), t[found.end():]
    if re.fullmatch(r"[.,]\d+", t):
        t = "0" + t  # ,5 and .5: a half
    m = _AMBIGUOUS.fullmatch(t)
    if m:
        raise ambiguity(original, sign, m, money=True, multiplier=word)
    exponent = 0
    for form in _FORMS:
        m = form.fullmatch(t)
        if m:
            break
    else:
        m = _SCIENTIFIC.fullmatch(t)
        if m is None:
            raise ValueError
        exponent = int(m["exp"])
    digits = re.sub(r"\D", "", m["int"])
    try:
        parts = m.groupdict()
        frac = parts.get("frac") or parts.get("dfrac") or "0"
        value = Decimal(f"{digits}.{frac}").scaleb(exponent + power)
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        raise ValueError from None
    if not math.isfinite(float(value)):  # 1e999: no amount
        raise ValueError
    return -value if sign in ("-", "−") else value


def _plain_number(text: str, decimal_comma: bool) -> float:
    """A number written as text (not an amount): ``3``, ``3,5``, ``1 200 000``, ``1.234,5`` (with
    ``decimal_comma``). Where the comma is the decimal mark (``decimal_comma``: a Polish CSV, a workbook),
    ``1,250`` is 1.25, as Polish Excel exports it, but ``1.250`` (1 250 the Polish way, or 1.25?) is refused
    (:class:`AmbiguousNumber`)."""
    t = text.strip().translate(THOUSANDS_SEPARATORS)
    if "_" in t:
        raise ValueError
    if decimal_comma:
        body = t.lstrip("-−+")
        m = _AMBIGUOUS.fullmatch(body)
        if m and m["mark"] == ".":
            raise ambiguity(text.strip(), t[: len(t) - len(body)][:1], m, money=False)
        if "," in t:
            if "." in t:
                if t.rfind(",") < t.rfind("."):
                    raise ValueError
                t = t.replace(".", "")  # 1.234,5: dots group the thousands
            t = t.replace(",", ".")
    return float(t.replace("−", "-"))


def cell_number(value: Any, decimal_comma: bool = True, money: bool = False) -> float:
    """A finite number from a cell: int/float, or text such as "3", "3,5", "1 200 000", "1.234,5"
    (with ``decimal_comma``); with ``money``, text is an amount of PLN read by :func:`parse_amount`
    ("38 500 000 zł", "38,5 mln"). Raises ValueError otherwise, :class:`AmbiguousNumber` (a ValueError
    whose message says how to write it) for "86,000" or "86.000" as money, for "86.000" with ``decimal_comma``."""
    if isinstance(value, (bool, _dt.date, _dt.time, _dt.timedelta)):
        raise ValueError
    if isinstance(value, (int, float)):
        x = float(value)
    elif isinstance(value, str):
        x = float(parse_amount(value)) if money else _plain_number(value, decimal_comma)
    else:
        raise ValueError
    if not math.isfinite(x):
        raise ValueError
    return x


def not_a_number(exc: Exception, message: str) -> str:
    """``message`` (the reader's own: '"x" is not a number (PLN)'), or the ambiguity's own when ``exc`` is one."""
    return str(exc) if isinstance(exc, AmbiguousNumber) else message


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
            raise CellValueError(_("the cell holds a formula whose value was never computed; type the value "
                                   "itself (or open and save the workbook in a spreadsheet program)"))
    if cell.data_type == "e" or (isinstance(v, str) and v.strip() in EXCEL_ERRORS):
        raise CellValueError(_("the cell shows the error {error}").format(error=str(v).strip()))
    return v


# --------------------------------------------------------------------------- the command line

def amount_or_error(text: str, param: str | None, *, negative: bool = False) -> Decimal:
    """:func:`parse_amount`, its failure an :class:`InputError` of ``param`` naming the text and how to write it;
    a negative amount is refused unless ``negative``."""
    try:
        value = parse_amount(text)
    except AmbiguousNumber as exc:
        raise InputError(str(exc), param=param) from None
    except ValueError:
        raise InputError(_("{text!r} is not an amount of PLN (write e.g. 25000000, 25 000 000, 25 000 000,00 zł "
                           "or 25 mln)").format(text=text), param=param) from None
    if value < 0 and not negative:
        raise InputError(_("the amount must not be negative, got {text!r}").format(text=text), param=param)
    return value


def parse_budget(text: str, param: str = "budget") -> float:
    """A budget typed on the command line: ``25000000``, ``25 000 000``, ``25 000 000,00 zł``, ``25 mln``,
    ``3 914 733,32`` (the rules of the module docstring; ``25,000`` is refused as ambiguous).

    Rounded to the grosz (:func:`~appraisal.portfolio.to_grosze`, exact from the digits written) and returned
    as ``grosze / 100``, which :func:`~appraisal.portfolio.portfolio` turns back into the same grosze."""
    value = amount_or_error(text, param, negative=True)
    if value <= 0 or _to_the_grosz(value, text, param) <= 0:
        raise InputError(_("the budget must be more than 0 PLN, got {text!r}").format(text=text), param=param)
    return _to_the_grosz(value, text, param)


def _to_the_grosz(value: Decimal, text: str, param: str | None) -> float:
    """``value`` rounded to the grosz as ``grosze / 100`` (the portfolio's own rounding, half a grosz up)."""
    from ..portfolio import from_grosze, to_grosze

    try:
        return from_grosze(to_grosze(value))
    except (ValueError, OverflowError):  # 1e300 PLN: more grosze than a float holds
        raise InputError(_("{text!r} is too large an amount of PLN").format(text=text), param=param) from None


def parse_amounts(text: str, param: str | None = None) -> list[float]:
    """Amounts separated by ``;`` (or line breaks), as a Polish spreadsheet lists them (``,`` is the decimal
    comma): ``"25 mln; 3 914 733,32 zł"`` → ``[25000000.0, 3914733.32]``, each rounded to the grosz
    (``grosze / 100``, as :func:`parse_budget`). Empty items are skipped; a negative amount is refused."""
    items = [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]
    if not items:
        raise InputError(_("no amounts in {text!r} (separate them with ';')").format(text=text), param=param)
    return [_to_the_grosz(amount_or_error(p, param), p, param) for p in items]


def parse_named_amounts(text: str, param: str | None = None) -> dict[str, float]:
    """``name=amount`` (or ``name: amount``) pairs separated by ``;``: ``"KPO=5 mln; FEDS 2021-2027: 20 000 000"``
    → ``{"KPO": 5000000.0, "FEDS 2021-2027": 20000000.0}``, each amount ≥ 0 rounded to the grosz (as
    :func:`parse_amounts`). A name given twice (spaces and case aside) or without its amount is refused."""
    out: dict[str, float] = {}
    seen: dict[str, str] = {}
    items = [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]
    if not items:
        raise InputError(_("nothing in {text!r}: write name=amount pairs separated by ';', e.g. "
                           "'KPO=5 mln; FEDS=20 000 000'").format(text=text), param=param)
    for item in items:
        name, mark, value = item.partition("=") if "=" in item else item.rpartition(":")
        name = name.strip()
        if not mark or not name or not value.strip():
            raise InputError(_("{item!r} is not name=amount (e.g. 'KPO=5 mln'; pairs separated by ';')")
                             .format(item=item), param=param)
        key = " ".join(name.split()).casefold()
        if key in seen:
            raise InputError(_("{name!r} given twice (also as {first!r})").format(name=name, first=seen[key]),
                             param=param)
        seen[key] = name
        out[name] = _to_the_grosz(amount_or_error(value.strip(), param), value.strip(), param)
    return out


def split_numbers(text: str, param: str | None = None) -> list[float]:
    """Numbers typed as a list on the command line (weights): separated by ``;`` with decimal commas, the
    Polish way (``0,5; 0,3; 0,2``), or by ``,`` with decimal points (``0.5,0.3,0.2``, ``3,2,1``). A list
    that reads both ways, a ``0`` followed by more digits after a comma (``0,5,0,3``: 0, 5, 0, 3 or
    0,5 and 0,3?), is refused; so is ``1.250`` in a ``;`` list (:class:`AmbiguousNumber`)."""
    if ";" in text:
        parts, decimal_comma = text.split(";"), True
    else:
        if reads_both_ways(text):
            raise InputError(_("{text!r} is ambiguous: decimal commas or a list? Separate the numbers with ';' "
                               "(0,5; 0,3; 0,2) or write the decimals with a dot (0.5,0.3,0.2)").format(text=text),
                             param=param)
        parts, decimal_comma = text.split(","), False
    parts = [p.strip() for p in parts]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()  # "0,5; 0,3;": a closing separator
    out = []
    for i, p in enumerate(parts):
        try:
            out.append(cell_number(p, decimal_comma=decimal_comma))
        except AmbiguousNumber as exc:
            raise InputError(str(exc), param=param) from None
        except (ValueError, OverflowError):
            raise InputError(_("item {n} is {value!r}, not a number (separate the numbers with ';' and write "
                               "decimals with a comma: 0,5; 0,3; 0,2)").format(n=i + 1, value=p),
                             param=param) from None
    return out


def expected_value(crit) -> str:
    """What a score of ``crit`` must be: ``a level of scale 0–5``, ``a number (PLN)``, ``a number``."""
    if crit is not None and crit.scale is not None:
        return _("a level of scale {scale}").format(scale=crit.scale.describe())
    if crit is not None and crit.unit:
        return _("a number ({unit})").format(unit=crit.unit)
    return _("a number")
