"""``appraise weights``: AHP weights and consistency of one pairwise matrix, or of a panel."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command
from appraisal.commands.common import echo_json, lang_option, split, warn
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _

#: the exit code of ``--strict`` when the judgments are inconsistent (documented in cli.py and in the help below)
EXIT_INCONSISTENT = 4


@click.command(cls=Command, help=N_(
    "AHP weights and consistency of one pairwise matrix (CSV), or of a panel of experts' matrices.\n"
    "\n"
    "A CSV has an empty first cell, then the criterion names; each next row a name and its judgments (numbers or "
    "fractions such as 1/3); cells below the diagonal may be blank. One of the files may be -, standard input. "
    "With --strict the exit code is 4 when the consistency ratio is above 0.10."))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--method", type=click.Choice(["eigenvector", "geometric"]), default="eigenvector",
              show_default=True, help=N_("Principal eigenvector, or normalised row geometric means."))
@click.option("--expert-weights", default=None, metavar="2,1,1",
              help=N_("Weights of the experts when several files are given (default: equal); also "
                      "'0,5; 0,25; 0,25'."))
@click.option("--aggregation", type=click.Choice(["aij", "aip"]), default="aij", show_default=True,
              help=N_("Panel: aggregate individual judgments (weighted geometric mean) or priorities."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))
@click.option("--strict", is_flag=True,
              help=N_("Exit with code 4 when the judgments are inconsistent (CR > 0.10; for a panel, its "
                      "aggregated judgments), after printing the result."))
@lang_option
def weights(files, method, expert_weights, aggregation, as_json, strict, lang) -> None:
    """``appraise weights`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal import ahp
    from appraisal.io.text import render_ahp

    if sum(common.is_dash(f) for f in files) > 1:
        raise InputError(_("standard input (-) can be read once only"))
    mats = [_read(f) for f in files]
    for m in mats:
        for w in m.warnings:
            warn(w)
    if len(mats) == 1:
        if expert_weights:
            raise InputError(_("{param:expert_weights} needs several pairwise files (a panel)"))
        res = ahp.analyse(mats[0].matrix, mats[0].names, method)
    else:
        aligned, names = ahp.align_panel([m.matrix for m in mats], [m.names for m in mats],
                                         [m.source for m in mats])
        ew = None
        if expert_weights and ";" in expert_weights:
            ew = common.parse_numbers(expert_weights, "expert_weights")  # 2; 1; 1 or 0,5; 0,25; 0,25
        elif expert_weights:
            try:
                ew = [float(x) for x in split(expert_weights)]
            except ValueError:
                raise InputError(_("{value!r} is not a list of numbers").format(value=expert_weights),
                                 param="expert_weights") from None
        res = ahp.analyse_panel(aligned, names, [m.source for m in mats], ew, method, aggregation)
    if as_json:
        echo_json(res.to_dict())
    else:
        click.echo(render_ahp(res, lang))
    if strict and not res.consistent:
        from appraisal import numfmt

        click.echo(_("inconsistent judgments: CR = {cr} > {limit} ({strict})").format(
            cr=numfmt.number(res.cr, 4), limit=numfmt.number(0.10, 2), strict="--strict"), err=True)
        sys.exit(EXIT_INCONSISTENT)


def _read(path: Path):
    from appraisal.io.csv import read_pairwise

    if common.is_dash(path):
        return read_pairwise(data=common.read_stdin(), source=common.stdin_name())
    return read_pairwise(path)
