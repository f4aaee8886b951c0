"""The help pages (``--help``) in the user's language: Polish by default, English with ``--lang en`` or
``APPRAISE_LANG=en``; click's own words too (``Usage:``, ``Options:``, ``[default: …]``, ``[required]``).
The help texts are English msgids translated when the page is shown (criteria/locale/pl/LC_MESSAGES/help.po),
so one process may show a command's help in both languages, whichever it was imported in."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po

from appraisal.console import cli
from appraisal.console.cli import main
from appraisal.criteria import i18n

ROOT = Path(__file__).resolve().parent.parent
HELP_PO = ROOT / "criteria" / "locale" / "pl" / "LC_MESSAGES" / "help.po"

#: every help page: the group, each command, the sub-commands of the groups among them
PAGES = [(), *((name,) for name in sorted(cli.COMMANDS)),
         ("criteria", "list"), ("criteria", "show"), ("samples", "list"), ("samples", "copy")]


@pytest.fixture
def polish(monkeypatch):
    """The product's default: no APPRAISE_LANG, no --lang."""
    monkeypatch.delenv("APPRAISE_LANG")
    i18n.set_language(None)


def squeezed(text: str) -> str:
    """``text`` without its whitespace (and click's ``\\b`` marks): the same however the page wraps it."""
    return re.sub(r"\s+", "", text.replace("\b", ""))


def _catalog() -> list[tuple[str, str]]:
    with open(HELP_PO, "rb") as fh:
        catalog = read_po(fh, locale="pl")
    return [(m.id, m.string) for m in catalog if m.id and isinstance(m.id, str)]


def _pieces(texts: list[str], other: list[str]) -> list[str]:
    """The pieces of ``texts`` (cut at placeholders, sentences, clauses and list items) that are long enough
    to be words of that language and that no text of the ``other`` language contains."""
    others = squeezed(" ".join(other))
    out = set()
    for text in texts:
        for piece in re.split(r"\{[^}]*\}|[.;:()\[\]]\s|\n|, ", text.replace("\b", "")):
            piece = squeezed(piece.strip(" .;:,()[]"))
            if len(piece) >= 10 and re.search(r"[a-ząćęłńóśźż]{3}", piece) and piece not in others:
                out.add(piece)
    return sorted(out)


@pytest.fixture(scope="module")
def english_pieces() -> list[str]:
    catalog = _catalog()
    return _pieces([en for en, _pl in catalog], [pl for _en, pl in catalog])


@pytest.fixture(scope="module")
def polish_pieces() -> list[str]:
    catalog = _catalog()
    return _pieces([pl for _en, pl in catalog], [en for en, _pl in catalog])


def page(capsys, *args: str) -> str:
    code = main([*args, "--help"])
    out, err = capsys.readouterr()
    assert code == 0 and err == "", (args, code, err)
    return out


def test_the_catalog_has_the_help_of_every_command_and_the_checks_find_its_words(english_pieces, polish_pieces):
    ids = {en for en, _pl in _catalog()}
    assert {*cli.COMMANDS.values(), cli.HELP, "Usage:", "Options", "Show this message and exit."} <= ids
    assert len(english_pieces) > 100 and len(polish_pieces) > 100
    assert squeezed("Show this message and exit") in english_pieces
    assert squeezed("How robust is the ranking") in english_pieces


@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a) or "appraise")
def test_help_is_polish_by_default(polish, capsys, english_pieces, args):
    out = page(capsys, *args)
    assert out.startswith(f"Użycie: appraise {' '.join(args)}".rstrip() + " ")
    assert "\nOpcje:\n" in out and "Wyświetla tę pomoc i kończy działanie." in out
    if args in ((), ("criteria",), ("samples",)):
        assert "\nPolecenia:\n" in out
    text = squeezed(out)
    found = [piece for piece in english_pieces if piece in text]
    assert not found, found
    for word in ("Usage:", "Options:", "Commands:", "[default:", "[required]"):
        assert word not in out, word


@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a) or "appraise")
def test_help_is_english_with_lang_en(polish, capsys, polish_pieces, args):
    out = page(capsys, *args, "--lang", "en")
    assert out.startswith(f"Usage: appraise {' '.join(args)}".rstrip() + " ")
    assert "\nOptions:\n" in out and "Show this message and exit." in out
    text = squeezed(out)
    found = [piece for piece in polish_pieces if piece in text]
    assert not found, found
    command = cli.cli
    for name in args:
        command = command.get_command(None, name)
    assert squeezed(command.help) in text  # the whole English help of the page's command


def test_help_follows_appraise_lang_and_lang_before_the_command(capsys, monkeypatch):
    # the tests' environment: APPRAISE_LANG=en
    assert page(capsys, "rank").startswith("Usage: appraise rank ")
    assert page(capsys, "--lang", "pl", "rank").startswith("Użycie: appraise rank ")
    monkeypatch.setenv("APPRAISE_LANG", "pl")
    i18n.set_language(None)
    assert page(capsys, "rank").startswith("Użycie: appraise rank ")
    assert page(capsys, "--lang", "en", "rank").startswith("Usage: appraise rank ")


def test_one_process_shows_a_command_in_either_language(polish, capsys):
    """The help is translated when shown, not when the command's module is imported (nor click's help option
    made): Polish, English, Polish again from the same command objects."""
    first, english, again = page(capsys, "weights"), page(capsys, "weights", "--lang", "en"), page(capsys, "weights")
    assert first == again and first != english
    assert "Wyświetla tę pomoc" in first and "Show this message and exit." in english
    assert "kod wyjścia to 4" in first and "the exit code is 4" in " ".join(english.split())


def test_clicks_default_and_required_marks_are_polish(polish, capsys):
    out = " ".join(page(capsys, "template").split())
    assert "[domyślnie: cwd]" in out and "[wymagane]" in out and "[domyślnie: 30; 1<=x<=500]" in out
    english = " ".join(page(capsys, "template", "--lang", "en").split())
    assert "[default: cwd]" in english and "[required]" in english


def test_the_method_help_lists_the_registrys_methods_in_the_language(polish, capsys):
    from appraisal import methods as registry

    with i18n.use("pl"):
        words = [i18n._(m.help) for m in registry.METHODS]
    out = " ".join(page(capsys, "rank").split())
    assert all(word in out for word in words), words
    assert words[-1] in out.split("--normalization")[0]
    sensitivity = " ".join(page(capsys, "sensitivity").split()).split("--normalization")[0]
    for m, word in zip(registry.METHODS, words):
        assert (word in sensitivity) == m.weighted, m.name


def test_the_listing_is_the_first_paragraph_of_each_commands_help_in_polish(polish):
    """``appraise --help`` lists the table's summaries, translated: each is the first paragraph of the command's
    own Polish help (the English pair is kept by tests/test_library_api.py)."""
    for name, summary in cli.COMMANDS.items():
        real = cli.cli.get_command(None, name)
        polish = i18n._(summary)
        assert polish != summary, name
        assert " ".join(i18n._(real.help).partition("\n\n")[0].split()) == polish, name
        stub = click.Command(name, help=polish)
        for limit in (20, 45, 70, 200):
            assert stub.get_short_help_str(limit) == real.get_short_help_str(limit), (name, limit)
