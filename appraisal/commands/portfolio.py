"""``appraise portfolio``: the eligible projects with the largest total score that fit the budget."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command
from appraisal.commands.common import (
    FORCE_HELP,
    METHODS,
    NORMALIZATION_HELP,
    NORMALIZATIONS,
    echo_json,
    input_format_option,
    lang_option,
    split,
)
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _


@click.command(cls=Command, help=N_(
    "Choose the eligible projects with the largest total score whose cost fits the budget.\n"
    "\n"
    "An exact 0/1 programme (scipy.optimize.milp), with optional limits per funding source and projects that must "
    "or must not be in. Ties go to the set that spends less, then to the one with the better-ranked project. Also "
    "says the next project that more money would bring in. SOURCE - reads standard input."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--budget", "budget_text", default=None, metavar="PLN",
              help=N_("Money available: 86000000, '86 000 000', '86 000 000,00 zł' or '86 mln' (86,000 is "
                      "refused as ambiguous) [default: the package's budget]."))
@click.option("--by-source", "by_source", default=None, metavar="FILE|SOURCE=AMOUNT;...",
              help=N_("Limits per funding source: a file (CSV 'source;limit' rows, or a JSON/TOML mapping), or "
                      "the limits themselves, e.g. 'KPO=5 mln; FEDS=20 000 000'."))
@click.option("--must", multiple=True, metavar="ID",
              help=N_("A project that must be in (repeatable, or ID,ID / ID;ID)."))
@click.option("--exclude", multiple=True, metavar="ID",
              help=N_("A project to leave out (repeatable, or ID,ID / ID;ID)."))
@click.option("--method", type=METHODS, default="topsis", show_default=True,
              help=N_("The ranking whose scores are summed (points: the selection card's totals; a method "
                      "ranking lower scores first sums its registry's portfolio value)."))
@click.option("--normalization", type=NORMALIZATIONS, default="vector", show_default=True, help=NORMALIZATION_HELP)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the portfolio as JSON."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("Also write it: .json, or .xlsx (the appraisal workbook with a portfolio sheet); - writes "
                      "the workbook to standard output."))
@click.option("--force", is_flag=True, help=FORCE_HELP)
@input_format_option
@lang_option
def portfolio(source, budget_text, by_source, must, exclude, method, normalization, as_json, output, force,
              input_format, lang) -> None:
    """``appraise portfolio`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal.io.cells import parse_budget
    from appraisal.io.text import render_portfolio
    from appraisal.portfolio import portfolio as choose

    common.check_stdout_use(output, as_json)
    limits_file = None if by_source is None or _inline_limits(by_source) else Path(by_source)
    common.refuse_overwriting_inputs(output, [source, limits_file], force)
    pkg = common.load_package_input(source, input_format, _("a portfolio needs a package (.json, .toml or .xlsx) "
                                                            "with project costs"))
    if budget_text is not None:
        budget = parse_budget(budget_text)
    elif pkg.budget is not None:
        budget = pkg.budget
    else:
        raise InputError(_("no budget: give {param:budget} PLN (or a 'budget' in the package)"))
    limits = None
    if limits_file is not None:
        from appraisal.io.limits import read_source_limits

        limits = read_source_limits(limits_file)
    elif by_source is not None:
        from appraisal.io.cells import parse_named_amounts

        limits = parse_named_amounts(by_source, "by_source")
    ids = {flag: [i for text in values for i in split(text)] for flag, values in (("must", must),
                                                                                   ("exclude", exclude))}
    rk = pkg.rank(method, normalization)
    pf = choose(rk, budget, limits, ids["must"], ids["exclude"])
    if output is not None:
        common.write_result(pf, output, lang, ranking=rk)  # .json, or the appraisal workbook with its sheet
        if common.is_dash(output):
            return
    if as_json:
        echo_json(pf.to_json_dict())
    else:
        click.echo(render_portfolio(pf, lang))


def _inline_limits(text: str) -> bool:
    """Whether --by-source holds the limits themselves (``KPO=5 mln; FEDS=20 mln``) rather than a file's name."""
    return "=" in text and not Path(text).is_file()
