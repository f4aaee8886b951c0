"""``appraise portfolio``: the eligible projects with the largest total score that fit the budget."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands.common import (
    LANGS,
    METHODS,
    NORMALIZATION_HELP,
    NORMALIZATIONS,
    echo_json,
    split,
)
from appraisal.criteria.errors import InputError
from appraisal.filenames import PACKAGE_SUFFIXES


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--budget", "budget_text", default=None, metavar="PLN",
              help="Money available, e.g. 25000000 or '25 000 000' [default: the package's budget].")
@click.option("--by-source", "by_source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Limits per funding source: CSV 'source;limit' rows, or a JSON/TOML mapping.")
@click.option("--must", multiple=True, metavar="ID", help="A project that must be in (repeatable, or ID,ID).")
@click.option("--exclude", multiple=True, metavar="ID", help="A project to leave out (repeatable, or ID,ID).")
@click.option("--method", type=METHODS, default="topsis", show_default=True,
              help="The ranking whose scores are summed (points: the selection card's totals; a method ranking "
              "lower scores first sums its registry's portfolio value).")
@click.option("--normalization", type=NORMALIZATIONS, default="vector", show_default=True, help=NORMALIZATION_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the portfolio as JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write it: .json, or .xlsx (the appraisal workbook with a portfolio sheet).")
@click.option("--lang", type=LANGS, default="en", show_default=True)
def portfolio(source, budget_text, by_source, must, exclude, method, normalization, as_json, output, lang) -> None:
    """Choose the eligible projects with the largest total score whose cost fits the budget.

    An exact 0/1 programme (scipy.optimize.milp), with optional limits per funding source and
    projects that must or must not be in. Ties go to the set that spends less, then to the one
    with the better-ranked project. Also says the next project that more money would bring in.
    """
    from appraisal.io.cells import parse_budget
    from appraisal.io.formats import load_package
    from appraisal.io.text import render_portfolio
    from appraisal.portfolio import portfolio as choose

    if source.suffix.lower() not in PACKAGE_SUFFIXES:
        raise InputError("a portfolio needs a package (.json, .toml or .xlsx) with project costs", source=str(source))
    pkg = load_package(source)
    if budget_text is not None:
        budget = parse_budget(budget_text)
    elif pkg.budget is not None:
        budget = pkg.budget
    else:
        raise InputError("no budget: give {param:budget} PLN (or a 'budget' in the package)")
    limits = None
    if by_source is not None:
        from appraisal.io.limits import read_source_limits

        limits = read_source_limits(by_source)
    ids = {flag: [i for text in values for i in split(text)] for flag, values in (("must", must),
                                                                                   ("exclude", exclude))}
    rk = pkg.rank(method, normalization)
    pf = choose(rk, budget, limits, ids["must"], ids["exclude"])
    if output is not None:
        from appraisal.io.formats import save

        save(pf, output, lang=lang, ranking=rk)  # .json, or the appraisal workbook with the portfolio sheet
    if as_json:
        echo_json(pf.to_json_dict())
    else:
        click.echo(render_portfolio(pf, lang))
