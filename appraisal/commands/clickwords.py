"""Click's own messages (``No such option``, ``Missing argument``, ``Invalid value for …``, ``'x' is not one
of …``) in the user's language.

Click translates its messages with the standard library's ``gettext.gettext``/``ngettext``, bound in each of
its modules at import (``from gettext import gettext as _``), in the ``messages`` domain and the language of
the environment (``LANGUAGE``, ``LANG``). :func:`install` binds those names to functions that look the
message up in appraise's own catalogs, in appraise's current language (``--lang``, ``APPRAISE_LANG``):
one switch for the whole command line. A message click has and the catalogs do not stays in English.

The messages below are click's msgids, word for word (click 8.1 to 8.5), marked for the catalogs; the
Polish is in ``criteria/locale/pl/LC_MESSAGES/cli.po``. Only the messages of errors are listed: the help
pages (``--help``) stay in English, like the options' help texts.
"""

from __future__ import annotations

import gettext
import importlib

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
