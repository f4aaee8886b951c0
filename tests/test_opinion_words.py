"""The opinion's word catalogues: every message in every language, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from appraisal.criteria.models import RECOMMENDATIONS
from appraisal.opinions import words
from appraisal.opinions.words import LABELS, WORDS, word

OPINIONS = Path(words.__file__).parent


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_languages():
    assert set(WORDS) == {"pl", "en"}


@pytest.mark.parametrize("lang", sorted(set(WORDS) - {"pl"}))
def test_every_language_has_the_same_messages(lang):
    missing = sorted(set(WORDS["pl"]) - set(WORDS[lang]))
    extra = sorted(set(WORDS[lang]) - set(WORDS["pl"]))
    assert not missing, f"{lang} lacks {missing}"
    assert not extra, f"{lang} has {extra}, which pl lacks"


@pytest.mark.parametrize("lang", sorted(set(WORDS) - {"pl"}))
def test_every_message_has_the_same_placeholders(lang):
    differ = {key: (placeholders(WORDS["pl"][key]), placeholders(WORDS[lang][key]))
              for key in WORDS["pl"].keys() & WORDS[lang].keys()
              if placeholders(WORDS["pl"][key]) != placeholders(WORDS[lang][key])}
    assert not differ, differ


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_every_message_formats(lang):
    for key, template in WORDS[lang].items():
        text = word(lang, key, **{name: f"<{name}>" for name in placeholders(template)})
        assert "{" not in text and "}" not in text, (lang, key, text)
        assert text == text.strip() and text, (lang, key)


def test_every_category_has_a_label():
    for lang in WORDS:
        assert list(LABELS[lang]) == list(RECOMMENDATIONS)
        assert all(LABELS[lang].values())


def test_word_fills_in_the_placeholders():
    assert word("en", "rule.at_most", category='"needs rework"') == 'at most "needs rework"'
    assert word("pl", "quote", text="Wykonalność") == "„Wykonalność”"


def test_the_opinion_code_never_asks_which_language():
    """The words come from the catalogues: no ``lang == "pl"`` branch in the opinion code."""
    branch = re.compile(r"""\blang\s*[!=]=\s*['"]""")
    found = [f"{path.name}:{i}" for path in sorted(OPINIONS.glob("*.py"))
             for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if branch.search(line)]
    assert not found, found
