"""The ``appraise`` command line: the group, a lazy table of its commands, and :func:`main`, which turns
every error into one line and an exit code. (Installed as appraisal.console.cli.)

Each command lives in its own module, ``appraisal.commands.<name>``, imported only when that command
runs: ``appraise sensitivity ...`` imports appraisal/commands/sensitivity.py and no other command.
``appraise --help`` lists the commands from the table below without importing any of them.

Exit codes: 0 ok; 2 bad input or usage (one line on stderr, no traceback unless --debug);
1 an internal error (a bug: please report it with the --debug traceback); 3 a batch with failed
packages; 4 ``weights --strict`` on inconsistent judgments (CR > 0.10); 130 interrupted (Ctrl-C).

Messages and help pages are in the language of ``--lang`` (given to any command; default ``APPRAISE_LANG``,
else Polish), click's own words too (:mod:`appraisal.commands.clickwords`). ``--debug`` may stand anywhere among the
options. A file argument ``-`` is standard input, ``-o -`` standard output (see each command's help).
"""

from __future__ import annotations

import errno
import importlib
import sys

import click

from appraisal import __version__
from appraisal.commands import clickwords
from appraisal.criteria import i18n
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _

#: every command: its name (the module ``appraisal.commands.<name>`` defines it under the same name) and the
#: first paragraph of its help, which ``appraise --help`` lists (tests/test_library_api.py keeps the two equal);
#: English msgids, translated when listed
COMMANDS = {
    "batch": N_("Score every package under a folder (DIR/<voivodeship>/<partnership>.xlsx|json|toml), or every "
                "partnership of one long table (.csv/.xlsx with voivodeship and partnership columns)."),
    "criteria": N_("Built-in criteria sets."),
    "demo": N_("Run the whole pipeline on the bundled samples and say where the files went."),
    "opinions": N_("Advisory opinions (opinia doradcza, Komponent II): one per project, plus the package bundle."),
    "portfolio": N_("Choose the eligible projects with the largest total score whose cost fits the budget."),
    "rank": N_("Rank a decision matrix (CSV) or a package of projects (JSON/TOML)."),
    "samples": N_("The sample packages, criteria sets and matrices installed with appraise."),
    "schema": N_("Print the JSON Schema of a package, a criteria-set file or an opinion."),
    "sensitivity": N_("How robust is the ranking, and what would change it?"),
    "template": N_("Write an Excel workbook for an advisor to fill in: package, projects, scores, gates, weights."),
    "validate": N_("Check a package, criteria set, pairwise or matrix file; list every problem found."),
    "weights": N_("AHP weights and consistency of one pairwise matrix (CSV), or of a panel of experts' matrices."),
    "workshop": N_("Stakeholders give their pairwise judgments on their phones; the panel's weights build themselves."),
}

_NO_SUCH_COMMAND = getattr(click.exceptions, "NoSuchCommand", None)  # click >= 8.4: suggests close names


class LazyGroup(clickwords.Group):
    """A group whose commands are imported on demand, from :data:`COMMANDS` (its help, like theirs, in the
    user's language: :class:`appraisal.commands.clickwords.Group`)."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:  # --help: the command's name and help, without importing it
            return click.Command(cmd_name, help=_(COMMANDS[cmd_name]))
        return getattr(importlib.import_module(f"appraisal.commands.{cmd_name}"), cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if _NO_SUCH_COMMAND is None or not isinstance(exc, _NO_SUCH_COMMAND):
                raise
            # the close names come from the table (the group itself holds no command objects)
            raise _NO_SUCH_COMMAND(exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``appraise --lang X``: the language from here on (not given: the one :func:`main` set stays)."""
    if value is not None:
        i18n.set_language(value)
    return value


#: the help of ``appraise --help`` (a msgid: shown in the user's language)
HELP = N_("appraise: AHP weights, TOPSIS/WSM rankings and selection cards for packages of key projects.\n"
          "\n"
          "Every command takes --lang pl|en (default: pl, or the APPRAISE_LANG environment variable) and --debug "
          "(a traceback instead of a one-line error). A file argument - reads standard input.\n"
          "\n"
          "\b\n"
          "Exit codes:\n"
          "  0    ok\n"
          "  1    internal error (a bug: rerun with --debug and report the traceback)\n"
          "  2    bad input or usage (one line on stderr)\n"
          "  3    batch: some packages failed\n"
          "  4    weights --strict: inconsistent judgments (CR > 0.10)\n"
          "  130  interrupted (Ctrl-C)")


@click.group(cls=LazyGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="appraise", help=N_("Show the version and exit."))
@click.option("--debug", is_flag=True, help=N_("Show the full traceback of any error."))
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), default=None, is_eager=True, callback=_set_language,
              help=N_("Language of messages, tables and documents [default: pl, or APPRAISE_LANG]; also accepted "
                      "after the command."))
def cli(debug: bool, lang: str | None) -> None:
    """appraise: AHP weights, TOPSIS/WSM rankings and selection cards (the help is :data:`HELP`)."""


# --- entry point -----------------------------------------------------------------------------------

#: exit code after Ctrl-C (128 + SIGINT)
EXIT_INTERRUPTED = 130
#: errors of the file system that are the user's to fix (exit 2, one line), not the program's
FILE_SYSTEM_ERRORS = {getattr(errno, n) for n in (
    "EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "EFBIG", "ENAMETOOLONG", "ENOENT", "ENOTDIR", "EISDIR",
    "EEXIST", "ELOOP", "ENOTEMPTY", "EXDEV", "EBUSY", "ETXTBSY", "EMFILE", "ENFILE") if hasattr(errno, n)}


def os_error_line(exc: OSError) -> str:
    """One line for a file-system error: the file, then what the system said."""
    name = exc.filename if exc.filename is not None else ""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "backslashreplace")
    name = str(name).encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{name}: {exc.strerror or exc}" if name else f"{exc.strerror or exc}"


def _options_part(args: list[str]) -> int:
    """How many of ``args`` come before a ``--`` (after which nothing is an option)."""
    return args.index("--") if "--" in args else len(args)


def _take_debug(args: list[str]) -> tuple[list[str], bool]:
    """``--debug`` is accepted anywhere among the options (``appraise rank x.csv --debug`` too)."""
    end = _options_part(args)
    debug = "--debug" in args[:end]
    if not debug:
        return args, False
    return ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]], True


def _lang_of(args: list[str]) -> str | None:
    """The ``--lang`` given among ``args``, if it is one of the languages (else None: the default)."""
    head = args[:_options_part(args)]
    for i, arg in enumerate(head):
        value = head[i + 1] if arg == "--lang" and i + 1 < len(head) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if value in i18n.LANGUAGES:
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; bad input ends in one line on stderr and exit code 2."""
    clickwords.install()  # click's own messages in the language of --lang too
    args = list(sys.argv[1:] if argv is None else argv)
    args, debug = _take_debug(args)
    i18n.set_language(_lang_of(args))  # messages made before the command parses its --lang are in it too
    try:
        cli.main(args=args, prog_name="appraise", standalone_mode=False)
    except InputError as exc:
        if debug:
            raise
        _error(exc.cli_line())
        return 2
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return 2
    except click.UsageError as exc:
        if debug:
            raise
        cmd = exc.ctx.command_path if exc.ctx else "appraise"
        click.echo(_("{command}: error: {message} (see '{command} --help')").format(
            command=cmd, message=exc.format_message()), err=True)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):  # Ctrl-C: 128 + SIGINT, as shells expect
        click.echo(_("aborted"), err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        _error(exc.format_message())
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the file system said no (read-only, full, name too long, no permission): not a bug
        if debug:
            raise
        if exc.errno in FILE_SYSTEM_ERRORS:
            _error(os_error_line(exc))
            return 2
        _internal_error(exc)
        return 1
    except Exception as exc:
        if debug:
            raise
        _internal_error(exc)
        return 1
    return 0


def _error(line: str) -> None:
    click.echo(_("appraise: error: {message}").format(message=line), err=True)


def _internal_error(exc: BaseException) -> None:
    click.echo(_("appraise: internal error: {error} (rerun with --debug for the traceback)").format(
        error=f"{type(exc).__name__}: {exc}"), err=True)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
