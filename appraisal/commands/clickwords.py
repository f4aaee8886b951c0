"""Click's own messages (``No such option``, ``Missing argument``, ``Invalid value for …``, ``'x' is not one
of …``) in the user's language.

Click translates its messages with the standard library's ``gettext.gettext``/``ngettext``, bound in each of
its modules at import (``from gettext import gettext as _``), in the ``messages`` domain and the language of
the environment (``LANGUAGE``, ``LANG``). :func:`install` binds those names to functions that look the
message up in appraise's own catalogs, in appraise's current language (``--lang``, ``APPRAISE_LANG``):
one switch for the whole command line. A message click has and the catalogs do not stays in English.

The messages below are click's msgids, word for word (click 8.1 to 8.5), marked for the catalogs: its errors
(Polish in ``criteria/locale/pl/LC_MESSAGES/cli.po``) and the words of its help pages, ``Usage:``, ``Options``,
``[default: …]`` (Polish in ``help.po``).

The help pages (``--help``) are in the user's language too: appraise's commands are :class:`Command` and
:class:`Group`, whose help texts (their own and their options') are English msgids marked with ``N_`` and
translated when the page is shown, in the language of that moment, not when the command's module is imported.
"""

from __future__ import annotations

import gettext
import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click

from appraisal.criteria import i18n
from appraisal.criteria.i18n import N_, ngettext

#: click's messages a user meets when a command line is wrong (msgids exactly as click writes them)
MESSAGES = (
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"), N_("Missing command."),
    N_("No such option: {name}"), N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    # the names of the kinds of paths in those messages (set when a command's module is imported)
    N_("file"), N_("directory"), N_("path"),
    N_("Could not open file {filename!r}: {message}"), N_("unknown error"),
    N_("Value must be an iterable."),
)

#: the words of click's help pages (msgids exactly as click writes them: "[default: 10]", "[required]")
HELP_WORDS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("default: {default}"), N_("required"),
)
#: the help of the -h/--help option of every command (click's msgid; translated when the page is shown)
HELP_OPTION = N_("Show this message and exit.")

#: the click modules whose messages are translated
MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
           "click.types", "click.termui", "click.utils")


def _plural_messages() -> None:  # never called: marks click's plural messages for the catalogs (Babel)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1)
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 1)
    ngettext("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}.", 1)


def click_gettext(message: str) -> str:
    """``message`` of click in appraise's current language."""
    return i18n._(message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` of a plural message of click, in appraise's current language."""
    return i18n.ngettext(singular, plural, n)


def install() -> None:
    """Let click's messages follow appraise's language (once; later calls change nothing)."""
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = click_gettext
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = click_ngettext


# --- help pages in the user's language ----------------------------------------------------------------------

class Option(click.Option):
    """An option whose help is made when the page is shown, by ``make_help()`` (a text built of several
    messages, such as the list of the methods), instead of one msgid."""

    def __init__(self, *args, make_help: Callable[[], str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.make_help = make_help


@contextmanager
def _in_language(items: Iterable) -> Iterator[None]:
    """The help of ``items`` (a command, its parameters) in the current language while the block runs."""
    saved = []
    for item in items:
        make = getattr(item, "make_help", None)
        if make is None and not getattr(item, "help", None):
            continue
        saved.append((item, item.help))
        item.help = make() if make is not None else i18n._(item.help)
    try:
        yield
    finally:
        for item, text in saved:
            item.help = text


class _Translated:
    """What :class:`Command` and :class:`Group` add to click's: help texts kept as msgids, shown translated."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        new = getattr(self, "_help_option", None) is None
        option = super().get_help_option(ctx)
        if new and option is not None:
            option.help = HELP_OPTION  # click made it in the language of its first use: keep the msgid instead
        return option

    def get_help(self, ctx: click.Context) -> str:
        with _in_language([self, *self.get_params(ctx)]):
            return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _in_language([self]):
            return super().get_short_help_str(limit)


class Command(_Translated, click.Command):
    """A command of appraise: ``help=N_("...")`` for itself and its options, shown in the user's language."""


class Group(_Translated, click.Group):
    """A group of commands of appraise (its sub-commands are :class:`Command`), its help in the user's language."""

    command_class = Command
