"""Numbers for readers, in the reader's language, through Babel (CLDR): Polish ``0,6130``,
``86 000 000 zł``, ``2 696 372,75 zł``, ``94%``; English ``0.6130``, ``86,000,000 PLN``, ``94%``.

One place for every number a user reads: terminal tables, sentences, documents. ``lang=None`` (the
default) is the current language (:func:`appraisal.criteria.i18n.current`: the command line's ``--lang``,
``APPRAISE_LANG``, else Polish). The engine's JSON keeps plain numbers.

Babel is imported inside the functions, when a number is first formatted: a command that prints JSON
does not pay for it (start-up time is part of every ``appraise sensitivity`` run, see benchmarks/).
Polish groups thousands with a non-breaking space (:data:`NBSP`), so a number never breaks across lines.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import cache

#: the non-breaking space Polish groups thousands with (and puts before ``zł``)
NBSP = "\u00a0"
#: the Babel locale of each language
LOCALES = {"pl": "pl_PL", "en": "en_GB"}
#: what is shown for a missing or infinite number
MISSING = "—"


def _lang(lang: str | None) -> str:
    if lang is None:
        from .criteria import i18n

        return i18n.current()
    return lang


@cache
def _locale(lang: str):
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, LOCALES["pl"]))


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def _decimal(x: float, digits: int, lang: str, optional: bool = False) -> str:
    """``x`` rounded to ``digits`` decimals (``optional``: trailing zeros dropped), grouped, no ``-0``."""
    from babel.numbers import format_decimal

    fraction = ("#" if optional else "0") * digits
    pattern = "#,##0" + (f".{fraction}" if digits else "")
    value = Decimal(float(x))  # the exact value of the float: rounded as Python's own format() rounds it
    if value.quantize(Decimal(1).scaleb(-digits)) == 0:
        value = abs(value)  # no "-0,000"
    return format_decimal(value, format=pattern, locale=_locale(lang))


def number(x: float | None, digits: int = 3, lang: str | None = None) -> str:
    """``x`` with ``digits`` decimals, thousands grouped: ``0,6130`` / ``1 234,500`` (pl), ``1,234.500`` (en)."""
    if _missing(x):
        return MISSING
    return _decimal(x, digits, _lang(lang))


def amount(x: float | None, lang: str | None = None) -> str:
    """A quantity as written in a table: no decimals when whole, else up to two (``12,5``; ``6 210``)."""
    if _missing(x):
        return MISSING
    return _decimal(x, 0 if float(x).is_integer() else 2, _lang(lang), optional=True)


def money(x: float | None, lang: str | None = None) -> str:
    """An amount of PLN: ``86 000 000 zł`` (pl), ``86,000,000 PLN`` (en); grosze only when there are any
    (``2 696 372,75 zł``)."""
    if _missing(x):
        return MISSING
    from babel.numbers import get_currency_symbol

    lang = _lang(lang)
    whole = round(float(x), 2).is_integer()
    return f"{_decimal(x, 0 if whole else 2, lang)}{NBSP}{get_currency_symbol('PLN', locale=_locale(lang))}"


def percent(share: float | None, lang: str | None = None) -> str:
    """A share (0 … 1) as a whole percent (``94%``); one decimal where rounding would say 0 or 100 but it is
    not (``0,4%``, ``99,9%``)."""
    if _missing(share):
        return MISSING
    from babel.numbers import format_percent

    p = round(100.0 * share, 9)  # 99.99999999997 (a sum of shares) is 100
    if 0 < p < 0.5:
        p, digits = math.ceil(p * 10) / 10, 1
    elif 99.5 <= p < 100:
        p, digits = math.floor(p * 10) / 10, 1
    else:
        digits = 0
    value = Decimal(repr(float(p))).quantize(Decimal(1).scaleb(-digits)) / 100
    if value == 0:
        value = abs(value)
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=_percent_pattern(_lang(lang), pattern), locale=_locale(_lang(lang)))


@cache
def _percent_pattern(lang: str, pattern: str) -> str:
    """``pattern`` (``#,##0%``) with the locale's own place of the percent sign (a space before it or not)."""
    own = _locale(lang).percent_formats[None].pattern
    body = pattern.removesuffix("%")
    if own.endswith("%"):
        return body + own[own.rindex("0") + 1:]
    if own.startswith("%"):
        return own[:own.index("#")] + body
    return pattern


__all__ = ["LOCALES", "MISSING", "NBSP", "amount", "money", "number", "percent"]
