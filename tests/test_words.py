"""The words a user reads come from the gettext catalogs (tests/test_i18n.py checks that every message has its
Polish). Where a module still keeps a table keyed by language (``{"en": ..., "pl": ...}``: the sheet names a
reader must recognise in either language, a locale per language), both languages must have the same entries
with the same {placeholders}: a word missing in one language fails here, not in front of a user.

The modules are found by walking the ``appraisal`` package, so a table that moves or disappears needs no
change here. That the command line's own output holds no English word by default is checked by
tests/test_cli_conventions.py.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
import types

import appraisal


def _modules():
    for info in pkgutil.walk_packages(appraisal.__path__, "appraisal."):
        yield importlib.import_module(info.name)


def catalogues(modules) -> dict[str, dict]:
    """Every module-level dict keyed by exactly the two languages, by ``module.NAME``."""
    out = {}
    for module in modules:
        for attr, value in vars(module).items():
            if isinstance(value, dict) and set(value) == {"en", "pl"}:
                out[f"{module.__name__}.{attr}"] = value
    return out


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def shape(value, path: str = ""):
    """(path, placeholders) of every leaf text; the keys of every level."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from shape(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        yield (f"{path}#len", len(value))
        for k, v in enumerate(value):
            yield from shape(v, f"{path}[{k}]")
    elif isinstance(value, str):
        yield (path, frozenset(_fields(value)))
    else:
        yield (path, type(value).__name__)


def differences(table: dict) -> list[str]:
    pl, en = dict(shape(table["pl"])), dict(shape(table["en"]))
    out = [f"only in pl: {k}" for k in sorted(set(pl) - set(en))]
    out += [f"only in en: {k}" for k in sorted(set(en) - set(pl))]
    out += [f"placeholders differ at {k}: {pl[k]} vs {en[k]}" for k in sorted(set(pl) & set(en)) if pl[k] != en[k]]
    return out


def test_the_walk_finds_the_modules_and_their_tables():
    modules = list(_modules())
    names = {m.__name__ for m in modules}
    assert {"appraisal.io.text", "appraisal.commands.common", "appraisal.numfmt"} <= names
    fake = types.ModuleType("fake")
    fake.WORDS = {"pl": {"a": "ą {n}"}, "en": {"a": "a {n}"}}
    fake.OTHER = {"pl": 1, "de": 2}
    assert list(catalogues([fake])) == ["fake.WORDS"]


def test_a_word_missing_in_one_language_or_a_lost_placeholder_is_found():
    assert differences({"pl": {"a": "x {n}", "b": "y"}, "en": {"a": "x"}}) == [
        "only in pl: .b", "placeholders differ at .a: frozenset({'n'}) vs frozenset()"]
    assert differences({"pl": {"a": ["x", "y"]}, "en": {"a": ["x", "y"]}}) == []


def test_every_table_keyed_by_language_has_the_same_entries_and_placeholders_in_both():
    wrong = {name: diff for name, table in catalogues(_modules()).items() if (diff := differences(table))}
    assert not wrong, wrong


def test_the_command_line_keeps_no_table_of_words_by_language():
    """The command line's words are gettext messages (criteria/locale/pl/LC_MESSAGES/cli.po)."""
    import appraisal.commands
    import appraisal.io.text

    mine = [appraisal.io.text, *(importlib.import_module(f"appraisal.commands.{m.name}")
                                  for m in pkgutil.iter_modules(appraisal.commands.__path__))]
    assert len(mine) >= 12
    assert catalogues(mine) == {}
