"""The user's language: every message a user can see goes through :func:`_` (or :func:`ngettext`).

Messages are written in English in the code (the gettext msgid) and translated into Polish by the
catalogs under ``locale/pl/LC_MESSAGES/*.po`` (compiled to ``.mo`` beside them; ``python tools/i18n.py``
extracts, checks and compiles them with Babel). ``tests/test_i18n.py`` fails when a message has no Polish
translation or when a translation loses a ``{placeholder}``.

The language is one switch for the whole process: ``pl`` unless ``APPRAISE_LANG`` says otherwise; the
command line's ``--lang`` sets it (:func:`set_language`), and a library call that takes ``lang=`` renders
inside ``with use(lang):``. A message is translated when it is made, so make it inside that block.

Placeholders are ``str.format`` fields: ``_("row {row}: {value!r} is not a number").format(row=..., value=...)``.
A string kept in a table and translated later is marked with :func:`N_` so that Babel still finds it.

This module sits in the bottom layer (beside the errors) and uses the standard library only.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

#: the languages of the product; ``en`` is the language of the code (no catalog needed)
LANGUAGES = ("pl", "en")
DEFAULT = "pl"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _from_environment() -> str:
    value = os.environ.get("APPRAISE_LANG", "").strip().lower()[:2]
    return value if value in LANGUAGES else DEFAULT


_language: ContextVar[str | None] = ContextVar("appraise_language", default=None)


def current() -> str:
    """The language messages are made in now: ``pl`` or ``en``."""
    lang = _language.get()
    return lang if lang is not None else _from_environment()


def set_language(lang: str | None) -> None:
    """Make ``lang`` the language of this context (None: back to ``APPRAISE_LANG`` / ``pl``)."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    _language.set(lang)


@contextmanager
def use(lang: str | None):
    """Messages made inside the block are in ``lang`` (None: leave the language as it is)."""
    if lang is None:
        yield
        return
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    token = _language.set(lang)
    try:
        yield
    finally:
        _language.reset(token)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogs of ``lang``: every ``locale/<lang>/LC_MESSAGES/*.mo``, in name order, chained."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    chain: gettext.NullTranslations = gettext.NullTranslations()
    files = sorted(folder.glob("*.mo")) if lang != "en" else []
    if files:
        with open(files[0], "rb") as fh:
            chain = gettext.GNUTranslations(fh)
        for path in files[1:]:
            with open(path, "rb") as fh:
                chain.add_fallback(gettext.GNUTranslations(fh))
    return chain


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for the count ``n`` in the current language (Polish has three)."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, where the same English word needs another translation."""
    return translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now (translate it later with ``_``)."""
    return message


class InLanguage(Mapping):
    """One message by language, ``m["pl"]``, ``m["en"]``: the msgid translated in that language when asked
    (for the few names an API gives in every language at once, such as a file name or a method's label)."""

    def __init__(self, msgid: str):
        self.msgid = msgid

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        with use(lang):
            return _(self.msgid)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)
