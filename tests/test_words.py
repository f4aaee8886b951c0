"""Every catalogue of words (a module-level dict keyed by language) has the same messages, with the same
{placeholders}, in Polish and in English: a word missing in one language fails here, not in front of a user."""

from __future__ import annotations

import importlib
import string

import pytest

MODULES = [
    "appraisal.io.text", "appraisal.io.excel_report", "appraisal.io.excel_sensitivity", "appraisal.io.excel_national",
    "appraisal.io.package_workbook.layout", "appraisal.io.opinion_layout", "appraisal.io.docx", "appraisal.io.markdown",
    "appraisal.io.batch_output", "appraisal.opinions.words", "appraisal.demo", "appraisal.commands.opinions",
]


def _catalogues():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, dict) and set(value) == {"en", "pl"}:
                yield f"{name}.{attr}", value


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _shape(value, path: str = ""):
    """(path, placeholders) of every leaf text; the keys of every level."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _shape(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        yield (f"{path}#len", len(value))
        for k, v in enumerate(value):
            yield from _shape(v, f"{path}[{k}]")
    elif isinstance(value, str):
        yield (path, frozenset(_fields(value)))
    else:
        yield (path, type(value).__name__)


CATALOGUES = dict(_catalogues())


def test_the_catalogues_are_found():
    assert len(CATALOGUES) >= 10, sorted(CATALOGUES)


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_polish_and_english_have_the_same_messages_and_placeholders(name):
    pl, en = dict(_shape(CATALOGUES[name]["pl"])), dict(_shape(CATALOGUES[name]["en"]))
    assert set(pl) == set(en), f"{name}: only in pl {sorted(set(pl) - set(en))}, only in en {sorted(set(en) - set(pl))}"
    different = {k: (pl[k], en[k]) for k in pl if pl[k] != en[k]}
    assert not different, f"{name}: placeholders differ {different}"
