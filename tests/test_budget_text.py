"""Amounts of PLN as people type them (issue 13, part 5): ``86 mln``, ``86 000 000``, ``86000000`` and
``86 000 000,00 zł`` are read exactly; ``86,000`` and ``86.000`` are refused as ambiguous, with a message that
names the text and says how to write it; lists use ``;``. The rules are those of :mod:`appraisal.io.cells`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import numfmt
from appraisal.console.cli import main
from appraisal.criteria import InputError, i18n
from appraisal.io.cells import (
    AmbiguousNumber,
    cell_number,
    parse_amount,
    parse_amounts,
    parse_budget,
    parse_named_amounts,
    split_numbers,
)
from appraisal.io.limits import read_source_limits, source_limits
from appraisal.io.long_table import read_long_table
from appraisal.portfolio import from_grosze, to_grosze

ROOT = Path(__file__).resolve().parent.parent
DOLINA = ROOT / "samples" / "pakiet_dolina_baryczy.json"
NBSP, NNBSP = "\u00a0", "\u202f"

MLN, MLD, TYS = Decimal(10) ** 6, Decimal(10) ** 9, Decimal(10) ** 3

ACCEPTED = [
    ("86000000", Decimal(86) * MLN),
    ("86 000 000", Decimal(86) * MLN),
    (f"86{NBSP}000{NBSP}000", Decimal(86) * MLN),
    (f"86{NNBSP}000{NNBSP}000", Decimal(86) * MLN),
    ("86 000 000,00 zł", Decimal(86) * MLN),
    (f"86{NBSP}000{NBSP}000,00{NBSP}zł", Decimal(86) * MLN),
    ("86 000 000 PLN", Decimal(86) * MLN),
    ("PLN 86 000 000", Decimal(86) * MLN),
    ("86 000 000 złotych", Decimal(86) * MLN),
    ("86 000 000 ZŁ", Decimal(86) * MLN),
    ("86 mln", Decimal(86) * MLN),
    ("86 mln zł", Decimal(86) * MLN),
    ("86 mln. zł", Decimal(86) * MLN),
    ("86 milionów", Decimal(86) * MLN),
    ("86,5 mln", Decimal("86.5") * MLN),
    ("1,2 mld", Decimal("1.2") * MLD),
    ("1,25 mld zł", Decimal("1.25") * MLD),
    ("86 tys.", Decimal(86) * TYS),
    ("86 tys. zł", Decimal(86) * TYS),
    ("86 tysięcy", Decimal(86) * TYS),
    ("86 000,50", Decimal("86000.50")),
    ("86 000,5", Decimal("86000.5")),
    ("0,5", Decimal("0.5")),
    ("0,125", Decimal("0.125")),  # a 0 before the comma: no group of thousands
    ("86000000.00", Decimal(86) * MLN),  # a dot with two digits: decimal
    ("3914733.32", Decimal("3914733.32")),
    ("12.5", Decimal("12.5")),
    ("86.000.000", Decimal(86) * MLN),  # two dots: they group the thousands
    ("1.234.567,89", Decimal("1234567.89")),
    ("86,000,000", Decimal(86) * MLN),  # two commas: they group the thousands
    ("1,234,567.89", Decimal("1234567.89")),
    ("86.000,00", Decimal(86000)),  # a dot and then the decimal comma
    ("86_000_000", Decimal(86) * MLN),
    ("86'000'000", Decimal(86) * MLN),
    ("1234,567", Decimal("1234.567")),  # four digits before the comma: no group of thousands
    ("10,0049", Decimal("10.0049")),
    ("1.5e7", Decimal("1.5e7")),
    ("  86 mln  ", Decimal(86) * MLN),
]

AMBIGUOUS = [
    # text, what the message must offer
    ("86,000", ["86 000", "86000", "86 tys.", " 86 "]),
    ("86.000", ["86 000", "86000", "86 tys."]),
    ("86,000 zł", ["86 000", "86000", "86 tys."]),
    ("1,250", ["1 250", "1250", "1,25 tys.", "1,25 "]),
    ("1.250 mln", ["1 250 mln", "1250 mln", "1,25 mln"]),
    ("999,999", ["999 999", "999999"]),
    ("-86,000", ["-86 000", "-86000"]),
]

NOT_AMOUNTS = ["", "   ", "abc", "zł", "mln", "86 00 000", "8 6000", "1.2.3", "1,2,3", "86 000.000", "1234.567",
               "1,234.567", "25 mln mln", "nan", "inf", "-inf", "1e999", "86,", "86.", "86 000,00,00", "1/2",
               "0x10", "9" * 200]


@pytest.mark.parametrize("text,amount", ACCEPTED)
def test_accepted_forms_give_the_exact_amount(text, amount):
    assert parse_amount(text) == amount
    budget = parse_budget(text)
    assert to_grosze(budget) == int((amount * 100).to_integral_value(rounding="ROUND_HALF_UP"))
    assert from_grosze(to_grosze(budget)) == budget  # already to the grosz: a second rounding changes nothing
    assert cell_number(text, money=True) == float(amount)


@pytest.mark.parametrize("text,offers", AMBIGUOUS)
def test_ambiguous_forms_are_refused_saying_how_to_write_them(text, offers):
    with pytest.raises(AmbiguousNumber) as exc:
        parse_amount(text)
    message = str(exc.value)
    assert repr(text) in message and "ambiguous" in message and "\n" not in message
    for offer in offers:
        assert offer in message, (offer, message)
    for suggestion in offers[:2]:  # what the message suggests is read, and as thousands
        if suggestion.strip() == suggestion:
            assert parse_amount(suggestion) == parse_amount(offers[1])
    with pytest.raises(InputError, match=r"^budget: '.*' is ambiguous"):
        parse_budget(text)


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_text_that_is_no_amount_is_refused_naming_it(text):
    with pytest.raises(ValueError):
        parse_amount(text)
    with pytest.raises(InputError) as exc:
        parse_budget(text)
    assert str(exc.value).startswith("budget: ") and repr(text) in str(exc.value)


@pytest.mark.parametrize("text", ["0", "0,00 zł", "-5", "-86 mln", "0,004"])
def test_a_budget_must_be_more_than_nothing(text):
    with pytest.raises(InputError, match=r"^budget: the budget must be more than 0 PLN, got "):
        parse_budget(text)


def test_the_message_is_polish_in_polish():
    with i18n.use("pl"), pytest.raises(AmbiguousNumber) as exc:
        parse_amount("86,000")
    assert "'86,000' jest niejednoznaczne" in str(exc.value) and "86 tys." in str(exc.value)
    with i18n.use("pl"), pytest.raises(InputError) as exc:
        parse_budget("dużo")
    assert "nie jest kwotą w złotych" in str(exc.value)


# --- the property: the Polish way of writing an amount reads back exactly ----------------------------------

def polish(grosze: int, space: str, always_grosze: bool, suffix: str) -> str:
    """``grosze`` written the Polish way: groups of three separated by ``space``, a decimal comma, a suffix."""
    zl, gr = divmod(grosze, 100)
    digits = str(zl)
    head = len(digits) % 3 or 3
    text = space.join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])
    if gr or always_grosze:
        text += f",{gr:02d}"
    return text + suffix


AMOUNTS = st.integers(min_value=0, max_value=10 ** 15)  # grosze: up to ten trillion złoty


@given(grosze=AMOUNTS, space=st.sampled_from([" ", NBSP, NNBSP, "\u2009"]), always=st.booleans(),
       suffix=st.sampled_from(["", " zł", f"{NBSP}zł", "zł", " PLN", " złotych"]))
@settings(max_examples=400, deadline=None)
def test_written_the_polish_way_an_amount_reads_back_exactly(grosze, space, always, suffix):
    text = polish(grosze, space, always, suffix)
    assert parse_amount(text) == Decimal(grosze) / 100
    if grosze > 0:
        assert to_grosze(parse_budget(text)) == grosze


@given(grosze=st.integers(min_value=1, max_value=10 ** 15))
@settings(max_examples=200, deadline=None)
def test_what_the_program_writes_it_reads_back(grosze):
    """The terminal's and the documents' own money format (numfmt, through Babel) and Babel's currency format."""
    from babel.numbers import format_currency

    shown = numfmt.money(from_grosze(grosze), lang="pl")  # grosze shown whenever there are any
    assert to_grosze(parse_budget(shown)) == grosze
    babel = format_currency(Decimal(grosze) / 100, "PLN", locale="pl_PL")
    assert parse_amount(babel) == Decimal(grosze) / 100


@given(value=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
       word=st.sampled_from([("mln", MLN), ("mld", MLD), ("tys.", TYS)]))
@settings(max_examples=200, deadline=None)
def test_a_multiplier_scales_a_decimal_comma_number(value, word):
    text = f"{str(value).replace('.', ',')} {word[0]}"
    assert parse_amount(text) == value * word[1]


def test_plain_numbers_keep_the_polish_decimal_comma():
    """Not an amount (a score, a quantity): where the comma is the decimal mark, 1,250 is 1.25 as Polish Excel
    exports it; 1.250 is refused there (1 250 written the Polish way, or 1.25?), and read as 1.25 elsewhere."""
    assert cell_number("1,250", decimal_comma=True) == 1.25
    assert cell_number("1 234,5", decimal_comma=True) == 1234.5
    with pytest.raises(AmbiguousNumber, match=r"'1\.250' is ambiguous: 1 250 or 1,25\?"):
        cell_number("1.250", decimal_comma=True)
    assert cell_number("1.250", decimal_comma=False) == 1.25
    assert cell_number("12.5", decimal_comma=True) == 12.5


# --- lists: ';' separates, since ',' is the decimal comma ----------------------------------------------------

def test_a_list_of_amounts_is_separated_by_semicolons():
    assert parse_amounts("25 mln; 3 914 733,32 zł;86000000.00") == [25e6, 3_914_733.32, 86e6]
    assert parse_amounts("1,5 mln;\n2 tys.;") == [1.5e6, 2000.0]
    with pytest.raises(InputError, match=r"'86,000' is ambiguous"):
        parse_amounts("25 mln; 86,000")
    with pytest.raises(InputError, match=r"'-5' must not|must not be negative, got '-5'"):
        parse_amounts("25 mln; -5")


def test_named_amounts_for_the_funding_sources():
    assert parse_named_amounts("KPO=5 mln; FEDS 2021-2027: 20 000 000,50 zł") == {"KPO": 5e6,
                                                                                 "FEDS 2021-2027": 20_000_000.5}
    for bad, message in [("KPO 5 mln", "is not name=amount"), ("KPO=5 mln; kpo =6", "'kpo' given twice"),
                         ("KPO=40,000", "'40,000' is ambiguous"), ("KPO=", "is not name=amount"),
                         (" ; ", "nothing in"), ("KPO=-1", "must not be negative")]:
        with pytest.raises(InputError, match=message) as exc:
            parse_named_amounts(bad, "by_source")
        assert str(exc.value).startswith("by_source: ")


def test_source_limits_are_a_file_or_the_pairs_themselves(tmp_path, monkeypatch):
    path = tmp_path / "limity.csv"
    path.write_text("źródło;limit\nKPO;5 mln\nFEDS;20 000 000,00 zł\n", encoding="utf-8")
    assert read_source_limits(path) == source_limits(str(path)) == {"KPO": 5e6, "FEDS": 20e6}
    assert source_limits("KPO=5 mln; FEDS=20 000 000") == {"KPO": 5e6, "FEDS": 20e6}
    monkeypatch.chdir(tmp_path)
    assert source_limits("limity.csv") == {"KPO": 5e6, "FEDS": 20e6}
    with pytest.raises(InputError, match="no such file"):
        source_limits("brak.csv")


@pytest.mark.parametrize("text,where", [("KPO;40.000\n", "row 2, column 2"), ("KPO;40,000\n", "row 2, column 2")])
def test_an_ambiguous_limit_in_a_file_names_its_row(tmp_path, text, where):
    path = tmp_path / "limity.csv"
    path.write_text("źródło;limit\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_source_limits(path)
    assert str(exc.value).startswith(f"{path}: {where}: ") and "ambiguous" in str(exc.value)
    assert "40 000" in str(exc.value) and "40 tys." in str(exc.value)


def test_numbers_typed_as_a_list():
    assert split_numbers("0,5; 0,3; 0,2") == [0.5, 0.3, 0.2]
    assert split_numbers("0.5,0.3,0.2") == [0.5, 0.3, 0.2]
    assert split_numbers("3,2,1") == [3.0, 2.0, 1.0]
    assert split_numbers("1 200; 3,5;") == [1200.0, 3.5]
    assert split_numbers("1,250; 2") == [1.25, 2.0]  # with ';' the comma is the decimal mark
    for bad, message in [("0,5,0,3", "decimal commas or a list"), ("1.250; 2", "'1.250' is ambiguous"),
                         ("0,5; x", "item 2 is 'x', not a number")]:
        with pytest.raises(InputError, match=message):
            split_numbers(bad, "weights")


# --- where amounts are read: the command line, a long table, a workbook ------------------------------------

def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("text,amount", [("86 mln", 86e6), ("86 000 000,00 zł", 86e6), ("86000000", 86e6),
                                         ("86 000 000", 86e6), ("60,5 mln", 60.5e6)])
def test_the_cli_budget_accepts_the_polish_forms(capsys, text, amount):
    code, out, err = run(capsys, "portfolio", DOLINA, "--budget", text, "--json")
    assert code == 0, err
    assert json.loads(out)["budget"] == amount


@pytest.mark.parametrize("text", ["86,000", "86.000"])
def test_the_cli_refuses_an_ambiguous_budget_in_one_line(capsys, text):
    code, out, err = run(capsys, "portfolio", DOLINA, "--budget", text)
    assert code == 2 and out == ""
    line = err.strip()
    assert "\n" not in line and f"--budget: {text!r} is ambiguous" in line
    assert "86 000" in line and "86000" in line and "86 tys." in line


def _long_table(tmp_path, cost_text: str, suffix: str = ".csv") -> list:
    from test_long_table import CWD, EN_HEADER, cells_of, table_rows, write_csv, write_xlsx

    rows = table_rows()
    if suffix == ".csv":
        cells = [cells_of(r, decimal_comma=True) for r in rows]
        cells[0][EN_HEADER.index("cost")] = cost_text
        path = write_csv(tmp_path / "tabela.csv", cells, delimiter=";")
    else:
        cells = [cells_of(r, excel=True) for r in rows]
        cells[0][EN_HEADER.index("cost")] = cost_text
        path = write_xlsx(tmp_path / "tabela.xlsx", cells)
    return read_long_table(path, CWD)


@pytest.mark.parametrize("suffix,where", [(".csv", "row 2, column cost"), (".xlsx", "!G2")])
def test_an_ambiguous_cost_in_a_long_table_names_its_cell(tmp_path, suffix, where):
    first = _long_table(tmp_path, "12.500", suffix)[0]
    assert first.package is None
    line = str(first.error)
    assert where in line and "'12.500' is ambiguous" in line and "12 500" in line


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_polish_cost_in_a_long_table_is_read_exactly(tmp_path, suffix):
    first = _long_table(tmp_path, "12,5 mln zł", suffix)[0]
    assert first.error is None
    assert first.package.projects[0].cost == 12.5e6
    first = _long_table(tmp_path, f"12{NBSP}500{NBSP}000,50{NBSP}zł", suffix)[0]
    assert first.package.projects[0].cost == 12_500_000.5
