"""The Polish catalogs: every message of the code (as Babel extracts it) has a Polish translation that
keeps its placeholders, the compiled .mo files are those of the .po files, and the language switch works.
"""

from __future__ import annotations

import importlib.util
import io
import re
import string
from pathlib import Path

import pytest

from appraisal.criteria import i18n

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


@pytest.fixture(scope="module")
def template():
    return tool.extract()


@pytest.fixture(scope="module")
def pos():
    return tool.catalogs()


def fields(text: str) -> set[str]:
    """The names of the ``str.format`` fields of ``text`` (``{row}``, ``{value!r}`` -> row, value)."""
    out = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            out.add(re.split(r"[.\[]", name)[0])
    return out


def test_the_code_has_messages(template):
    assert len(template) > 50, "Babel found almost no messages: is the extraction looking at the code?"


def test_every_message_has_a_polish_translation(template, pos):
    missing = tool.untranslated(template, pos)
    lines = [f"{m.id!r} at {', '.join(f'{f}:{n}' for f, n in m.locations[:2])}" for m in missing]
    assert not lines, f"{len(lines)} messages without Polish (python tools/i18n.py missing):\n" + "\n".join(lines)


def test_each_message_is_translated_once(pos):
    seen: dict = {}
    twice = []
    for path, catalog in pos.items():
        for m in catalog:
            if not m.id:
                continue
            key = (m.context, m.id if isinstance(m.id, str) else m.id[0])
            if key in seen:
                twice.append(f"{key[1]!r} in {seen[key].name} and {path.name}")
            seen[key] = path
    assert not twice, "\n".join(twice)


def test_no_translation_of_a_message_the_code_no_longer_has(template, pos):
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    stale = [f"{path.name}: {m.id!r}" for path, catalog in pos.items() for m in catalog
             if m.id and (m.context, m.id if isinstance(m.id, str) else m.id[0]) not in wanted]
    assert not stale, "obsolete entries (remove them):\n" + "\n".join(stale)


def test_translations_keep_the_placeholders(pos):
    wrong = []
    for path, catalog in pos.items():
        for m in catalog:
            if not m.id or not m.string:
                continue
            if isinstance(m.id, tuple):
                allowed = fields(m.id[0]) | fields(m.id[1])
                forms = list(m.string)
                if len(forms) != 3:
                    wrong.append(f"{path.name}: {m.id[0]!r} has {len(forms)} plural forms, Polish needs 3")
                for k, form in enumerate(forms):
                    got = fields(form)
                    if not got <= allowed or (k > 0 and fields(m.id[1]) - got):
                        wrong.append(f"{path.name}: {m.id[0]!r} form {k}: {sorted(got)} vs {sorted(allowed)}")
            elif fields(m.id) != fields(m.string):
                wrong.append(f"{path.name}: {m.id!r}: {sorted(fields(m.string))} vs {sorted(fields(m.id))}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogs_are_those_of_the_po_files():
    assert not tool.stale(), "run: python tools/i18n.py compile"


def test_the_polish_plural_rule(pos):
    for path, catalog in pos.items():
        assert catalog.num_plurals == 3, path.name
    buf = io.StringIO()
    print(i18n.translations("pl").plural(1), i18n.translations("pl").plural(3), i18n.translations("pl").plural(5),
          i18n.translations("pl").plural(22), i18n.translations("pl").plural(12), file=buf, end="")
    assert buf.getvalue() == "0 1 2 1 2"


def test_the_default_language_is_polish(monkeypatch, template):
    monkeypatch.delenv("APPRAISE_LANG")
    i18n.set_language(None)
    assert i18n.current() == "pl"
    message = next(m for m in template if m.id and isinstance(m.id, str) and not m.context)
    polish = i18n._(message.id)
    with i18n.use("en"):
        assert i18n._(message.id) == message.id
    assert polish != message.id or message.id.strip(string.punctuation + string.digits + " ") == ""


def test_the_environment_and_use_switch_the_language(monkeypatch):
    monkeypatch.setenv("APPRAISE_LANG", "pl")
    i18n.set_language(None)
    assert i18n.current() == "pl"
    with i18n.use("en"):
        assert i18n.current() == "en"
        with i18n.use("pl"):
            assert i18n.current() == "pl"
        assert i18n.current() == "en"
    assert i18n.current() == "pl"
    monkeypatch.setenv("APPRAISE_LANG", "xx")
    assert i18n.current() == "pl"
    with pytest.raises(ValueError):
        i18n.set_language("de")
