"""Numbers for readers (appraisal/numfmt.py) against Babel's own formats (CLDR) and Python's rounding, and
the examples the issue publishes: Polish ``0,6130`` and ``86 000 000 zł`` (grosze only when present:
``2 696 372,75 zł``), English ``86,000,000 PLN``."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from babel.numbers import format_decimal, format_percent, get_currency_symbol
from hypothesis import given
from hypothesis import strategies as st

from appraisal import numfmt
from appraisal.criteria import i18n

NBSP = "\u00a0"
FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize("call,pl,en", [
    (lambda lang: numfmt.number(0.613, 4, lang), "0,6130", "0.6130"),
    (lambda lang: numfmt.money(86_000_000, lang), "86 000 000 zł", "86,000,000 PLN"),
    (lambda lang: numfmt.money(2_696_372.75, lang), "2 696 372,75 zł", "2,696,372.75 PLN"),
    (lambda lang: numfmt.money(2_696_372.5, lang), "2 696 372,50 zł", "2,696,372.50 PLN"),
    (lambda lang: numfmt.money(38_500_000.001, lang), "38 500 000 zł", "38,500,000 PLN"),  # below a grosz
    (lambda lang: numfmt.amount(6210, lang), "6 210", "6,210"),
    (lambda lang: numfmt.amount(12.5, lang), "12,5", "12.5"),
    (lambda lang: numfmt.percent(0.94, lang), "94%", "94%"),
    (lambda lang: numfmt.percent(0.001, lang), "0,1%", "0.1%"),  # not "0 %" for a share that is not 0
    (lambda lang: numfmt.percent(0.9996, lang), "99,9%", "99.9%"),  # not "100 %" for one that is not whole
    (lambda lang: numfmt.number(-0.00004, 3, lang), "0,000", "0.000"),  # never "-0,000"
])
def test_the_published_examples(call, pl, en):
    assert plain(call("pl")) == pl
    assert plain(call("en")) == en


def test_polish_groups_with_a_non_breaking_space():
    assert numfmt.money(86e6, "pl") == f"86{NBSP}000{NBSP}000{NBSP}zł"
    assert numfmt.NBSP == NBSP


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf])
def test_a_missing_number_is_a_dash(value):
    for f in (lambda v: numfmt.number(v, 2, "pl"), lambda v: numfmt.amount(v, "en"), lambda v: numfmt.money(v),
              lambda v: numfmt.percent(v)):
        assert f(value) == "—"


def test_the_default_language_is_the_current_one(monkeypatch):
    monkeypatch.delenv("APPRAISE_LANG")
    i18n.set_language(None)
    assert numfmt.money(1234.5) == numfmt.money(1234.5, "pl") != numfmt.money(1234.5, "en")
    with i18n.use("en"):
        assert numfmt.number(1234.5, 1) == "1,234.5"
    monkeypatch.setenv("APPRAISE_LANG", "en")
    assert numfmt.percent(0.5) == "50%"


@given(FINITE, st.integers(0, 6))
def test_number_is_babels_format_of_the_exact_value(x, digits):
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    exact = Decimal(x)
    if exact.quantize(Decimal(1).scaleb(-digits)) == 0:
        exact = abs(exact)
    assert numfmt.number(x, digits, "pl") == format_decimal(exact, format=pattern, locale="pl_PL")
    assert numfmt.number(x, digits, "en") == format_decimal(exact, format=pattern, locale="en_GB")


@given(FINITE, st.integers(0, 6))
def test_english_rounds_as_python_does_and_polish_only_swaps_the_separators(x, digits):
    en = numfmt.number(x, digits, "en")
    python = f"{x:,.{digits}f}"
    if float(python.replace(",", "")) == 0:
        python = python.lstrip("-")
    assert en == python
    assert numfmt.number(x, digits, "pl") == en.replace(",", NBSP).replace(".", ",")


@given(st.integers(0, 10**11).map(lambda grosze: grosze / 100))
def test_money_shows_grosze_only_when_there_are_any(x):
    pl, en = numfmt.money(x, "pl"), numfmt.money(x, "en")
    whole = round(x, 2).is_integer()
    assert pl.endswith(NBSP + get_currency_symbol("PLN", locale="pl_PL")) and pl.endswith(NBSP + "zł")
    assert en.endswith(NBSP + "PLN")
    assert ("," in pl) is (not whole) and ("." in en) is (not whole)
    digits = 0 if whole else 2
    assert pl == numfmt.number(x, digits, "pl") + NBSP + "zł"
    assert float(en.removesuffix(NBSP + "PLN").replace(",", "")) == pytest.approx(x, abs=0.005)


@given(st.floats(min_value=0, max_value=1))
def test_percent_is_babels_percent_and_says_0_or_100_only_when_it_is(share):
    pl = numfmt.percent(share, "pl")
    p = round(100 * share, 9)
    if p == 0:
        assert pl == format_percent(0, locale="pl_PL")
    if p == 100:
        assert pl == format_percent(1, locale="pl_PL")
    if 0 < p < 100:
        assert pl not in (format_percent(0, locale="pl_PL"), format_percent(1, locale="pl_PL"))
    shown = float(pl.removesuffix("%").replace(NBSP, "").replace(",", "."))
    assert abs(shown - p) <= (0.5 if 0.5 <= p < 99.5 or p in (0, 100) else 0.1) + 1e-9
    if 0.5 <= p < 99.5:
        assert pl == format_percent(Decimal(repr(round(p))) / 100, locale="pl_PL")
