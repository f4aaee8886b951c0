"""``appraise weights``: AHP weights and consistency of one pairwise matrix, or of a panel."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands.common import LANGS, echo_json, split, warn
from appraisal.criteria.errors import InputError


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--method", type=click.Choice(["eigenvector", "geometric"]), default="eigenvector",
              show_default=True, help="Principal eigenvector, or normalised row geometric means.")
@click.option("--expert-weights", default=None, metavar="2,1,1",
              help="Weights of the experts when several files are given (default: equal).")
@click.option("--aggregation", type=click.Choice(["aij", "aip"]), default="aij", show_default=True,
              help="Panel: aggregate individual judgments (weighted geometric mean) or priorities.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--lang", type=LANGS, default="en", show_default=True)
def weights(files, method, expert_weights, aggregation, as_json, lang) -> None:
    """AHP weights and consistency of one pairwise matrix (CSV), or of a panel of experts' matrices.

    A CSV has an empty first cell, then the criterion names; each next row a name and its
    judgments (numbers or fractions such as 1/3); cells below the diagonal may be blank.
    """
    from appraisal import ahp
    from appraisal.io.csv import read_pairwise
    from appraisal.io.text import render_ahp

    mats = [read_pairwise(f) for f in files]
    for m in mats:
        for w in m.warnings:
            warn(w)
    if len(mats) == 1:
        if expert_weights:
            raise InputError("{param:expert_weights} needs several pairwise files (a panel)")
        res = ahp.analyse(mats[0].matrix, mats[0].names, method)
    else:
        aligned, names = ahp.align_panel([m.matrix for m in mats], [m.names for m in mats],
                                         [m.source for m in mats])
        ew = None
        if expert_weights:
            try:
                ew = [float(x) for x in split(expert_weights)]
            except ValueError:
                raise InputError(f"{expert_weights!r} is not a list of numbers", param="expert_weights") from None
        res = ahp.analyse_panel(aligned, names, [m.source for m in mats], ew, method, aggregation)
    if as_json:
        echo_json(res.to_dict())
    else:
        click.echo(render_ahp(res, lang))
