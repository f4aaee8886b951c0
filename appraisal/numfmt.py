"""Numbers for readers: Polish style (decimal comma, thousands grouped by a non-breaking space,
``38 500 000 PLN``, ``94 %``) or English style (``38,500,000 PLN``, ``94%``).

Used where results become sentences and documents (opinions and their writers); the engine's JSON
keeps plain numbers.
"""

from __future__ import annotations

import math

NBSP = "\u00a0"


def number(x: float, digits: int = 3, lang: str = "pl") -> str:
    """``x`` with ``digits`` decimals; thousands grouped (pl: non-breaking space, en: comma)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    text = f"{x:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,000"
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def amount(x: float, lang: str = "pl") -> str:
    """A quantity as written in a table: no decimals when whole, else up to two."""
    if float(x).is_integer():
        return number(x, 0, lang)
    return number(x, 2, lang).rstrip("0").rstrip(",.") if abs(x) < 1e15 else number(x, 2, lang)


def money(x: float, lang: str = "pl") -> str:
    """An amount in PLN: ``38 500 000 PLN`` (pl), ``38,500,000 PLN`` (en); grosze only when present."""
    return f"{number(x, 0 if float(x).is_integer() else 2, lang)}{NBSP}PLN"


def percent(share: float, lang: str = "pl") -> str:
    """A share (0 … 1) as a whole percent; one decimal where rounding would say 0 or 100 but it is not."""
    p = round(100.0 * share, 9)  # 99.99999999997 (a sum of shares) is 100
    if 0 < p < 0.5:
        text = number(math.ceil(p * 10) / 10, 1, lang)
    elif 99.5 <= p < 100:
        text = number(math.floor(p * 10) / 10, 1, lang)
    else:
        text = number(p, 0, lang)
    return f"{text}{NBSP}%" if lang == "pl" else f"{text}%"
