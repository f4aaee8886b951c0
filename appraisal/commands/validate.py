"""``appraise validate``: check a file and list every problem found (exit code 2 if any)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command
from appraisal.commands.common import echo_json, input_format_option, lang_option
from appraisal.criteria.i18n import N_, _, ngettext, pgettext


def _what(kind: str) -> str:
    """What the file was found to be, in the current language."""
    words = {"package": pgettext("file kind", "package"),
             "package workbook": pgettext("file kind", "package workbook"),
             "criteria set": pgettext("file kind", "criteria set"),
             "pairwise matrix": pgettext("file kind", "pairwise matrix"),
             "decision matrix": pgettext("file kind", "decision matrix"),
             "opinion": pgettext("file kind", "opinion"),
             "opinion bundle": pgettext("file kind", "opinion bundle"),
             "file": pgettext("file kind", "file")}
    return words.get(kind, kind)


@click.command(cls=Command, help=N_(
    "Check a package, criteria set, pairwise or matrix file; list every problem found.\n"
    "\n"
    "Exit code 2 when there is a problem. FILE - reads standard input."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help=N_("Print the result as JSON: the file, what it is, valid or not, every problem (file, "
                      "where, message) and warning."))
@input_format_option
@lang_option
def validate(file, as_json, input_format, lang) -> None:
    """``appraise validate`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal.io.validate import validate_file

    name = common.stdin_name() if common.is_dash(file) else str(file)
    with common.staged_input(file, input_format) as (path, relabel):
        problems, warnings, what = validate_file(path)
        problems = [common._relabel(p, str(path), name) if common.is_dash(file) else p for p in problems]
        warnings = [relabel(w) for w in warnings]
    if as_json:
        echo_json({"file": name, "kind": what, "valid": not problems,
                   "problems": [{"file": p.source, "where": p.where, "message": p.message, "line": str(p)}
                                for p in problems],
                   "warnings": warnings})
        for w in warnings:
            common.warn(w)
        if problems:
            sys.exit(2)
        return
    for w in warnings:
        common.warn(w)
    for p in problems:
        click.echo(str(p))
    if problems:
        click.echo(ngettext("{file}: {n} problem found", "{file}: {n} problems found", len(problems)).format(
            file=name, n=len(problems)), err=True)
        sys.exit(2)
    click.echo(_("{file}: valid {what}").format(file=name, what=_what(what)))
