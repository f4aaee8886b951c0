"""Pairwise judgments as typed: numbers or fractions, their bounds and the reciprocity tolerance.

Plain Python (no pydantic): the AHP kernel and the CSV reader use it as well as the models.
"""

from __future__ import annotations

import math
import re

from .i18n import _

#: characters dropped from numbers: spaces (also non-breaking and thin) and apostrophes as thousands separators
THOUSANDS_SEPARATORS = str.maketrans("", "", " \u00a0\u202f\u2009'")

#: a ``0`` and more digits after a comma in a ``,`` list: ``0,5,0,3`` is 0, 5, 0, 3 or 0,5 and 0,3
_ZERO_COMMA_DIGIT = re.compile(r"(?:^|,)\s*[-+]?0\s*,\s*\d")


def reads_both_ways(text: str) -> bool:
    """Whether a list of numbers typed with ``,`` between them could also be decimal commas (``0,5,0,3``);
    a list of zeros (``0,0,0``) reads the same either way."""
    if all(t.strip() in {"0", ""} for t in text.split(",")):
        return False
    return _ZERO_COMMA_DIGIT.search(text) is not None


#: judgments beyond these bounds are refused (Saaty's scale is 1/9 … 9; a little beyond it is allowed
#: with a warning, but 1e-320 or 1e300 can only be a typing error and would break the arithmetic)
JUDGMENT_BOUNDS = (1e-6, 1e6)


def _plain_number(text: str) -> float:
    number = float(text)  # never Fraction: "1e999999999" must not build a huge integer
    if not math.isfinite(number):
        raise ValueError
    return number


def parse_judgment(value: float | str, decimal_comma: bool = False) -> float:
    """A pairwise judgment: a number or a fraction such as ``"1/3"``; positive, finite, within bounds."""
    if isinstance(value, bool):
        raise ValueError(_("a judgment must be a number, not true/false"))
    if isinstance(value, str):
        text = value.strip().translate(THOUSANDS_SEPARATORS)
        if decimal_comma or "." not in text:
            text = text.replace(",", ".")
        if not text:
            raise ValueError(_("empty judgment"))
        try:
            if text.count("/") == 1:
                num, den = (_plain_number(t) for t in text.split("/"))
                number = num / den
            else:
                number = _plain_number(text)
        except (ValueError, ZeroDivisionError, OverflowError):
            raise ValueError(_("judgment {value!r} is not a number or a fraction such as 1/3").format(value=value)) from None
    else:
        number = float(value)
    if not math.isfinite(number):
        raise ValueError(_("judgment {value!r} is not a finite number").format(value=value))
    if number <= 0:
        raise ValueError(_("judgment {value!r} must be positive (1/9 … 9)").format(value=value))
    lo, hi = JUDGMENT_BOUNDS
    if not lo <= number <= hi:
        raise ValueError(_("judgment {value!r} is far outside Saaty's scale 1/9 … 9 (refused beyond {low} … {high})").format(
            value=value, low=f"{lo:g}", high=f"{hi:g}"))
    return number


def judgment_text(value: float | str) -> int | str:
    """How a judgment is written (a workbook's or a CSV's cell, a form's value): an integer as a number, a
    reciprocal as ``"1/k"``, anything else as text that :func:`parse_judgment` reads back to the same number."""
    x = parse_judgment(value)
    if x.is_integer():
        return int(x)
    if isinstance(value, str):
        text = value.strip()
        if parse_judgment(text) == x:
            return text
    k = round(1.0 / x)
    if k >= 2 and abs(1.0 / k - x) <= 1e-12 * max(1.0, x):
        return f"1/{k}"
    return repr(x)


# a_ij * a_ji may differ from 1 by this much (so 0.33 is accepted for 1/3; the engine then uses
# the exact reciprocal of the upper triangle).
RECIPROCITY_TOLERANCE = 0.02
