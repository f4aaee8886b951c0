"""``appraise rank``: rank a decision matrix (CSV) or a package of projects."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command, Option
from appraisal.commands.common import (
    FORCE_HELP,
    METHODS,
    NORMALIZATIONS,
    echo_json,
    input_format_option,
    lang_option,
    method_help,
)
from appraisal.criteria.i18n import N_


@click.command(cls=Command, help=N_(
    "Rank a decision matrix (CSV) or a package of projects (JSON/TOML).\n"
    "\n"
    "A package is appraised with its criteria set: gates first (failing projects are listed, not ranked), then "
    "the criteria tree's AHP weights, then the method; the other methods are shown as a cross-check. SOURCE - "
    "reads standard input."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--weights", "weights_", default=None, metavar="0.4,0.3,...",
              help=N_("CSV matrix: one weight per criterion (normalised to sum 1; default equal); also "
                      "'0,4; 0,3; …'."))
@click.option("--directions", default=None, metavar="+,-,...",
              help=N_("CSV matrix: + benefit, - cost, one per criterion (e.g. --directions=-,+)."))
@click.option("--method", type=METHODS, default="topsis", show_default=True, cls=Option, make_help=method_help)
@click.option("--normalization", type=NORMALIZATIONS, default="vector",
              show_default=True, help=N_("TOPSIS normalization: vector, min-max (both within the package), or "
                                         "reference (R-TOPSIS on the criteria set's reference levels: no rank "
                                         "reversal). WSM always uses oriented min-max."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the ranking as JSON."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("Also write the ranking: .json, or .xlsx (the appraisal workbook); - writes the workbook "
                      "to standard output."))
@click.option("--force", is_flag=True, help=FORCE_HELP)
@input_format_option
@lang_option
def rank(source, weights_, directions, method, normalization, as_json, output, force, input_format, lang) -> None:
    """``appraise rank`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal.io.text import render_ranking, render_weights_report

    common.check_stdout_use(output, as_json)
    common.refuse_overwriting_inputs(output, [source], force)
    rk = common.load_ranking(source, weights_, directions, method, normalization, input_format)
    if output is not None:
        # .json, or the appraisal workbook (.xlsx) with live formulas; -: the workbook on stdout
        common.write_result(rk, output, lang)
        if common.is_dash(output):
            return
    if as_json:
        echo_json(rk.to_json_dict())
        return
    if rk.weights:
        click.echo(render_weights_report(rk, lang))
        click.echo()
    click.echo(render_ranking(rk, lang))
