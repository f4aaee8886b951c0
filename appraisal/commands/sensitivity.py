"""``appraise sensitivity``: how robust is the ranking, and what would change it?

On a CSV matrix written to stdout this imports numpy and the analysis alone (no pydantic, pandas,
scipy or openpyxl): start-up is part of every run (benchmarks/bench_sensitivity.py)."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command, Option
from appraisal.commands.common import (
    NORMALIZATION_HELP,
    NORMALIZATIONS,
    SAMPLERS,
    WEIGHTED_METHODS,
    echo_json,
    input_format_option,
    lang_option,
    method_help,
    warn,
)
from appraisal.criteria.i18n import N_, _


@click.command(cls=Command, help=N_(
    "How robust is the ranking, and what would change it?\n"
    "\n"
    "One-at-a-time weight sweeps, stability intervals of every weight, the critical change of the top project, "
    "Monte Carlo (SMAA-2) rank acceptabilities and winning probabilities, and the agreement of TOPSIS and WSM. "
    "SOURCE - reads standard input."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--weights", "weights_", default=None, metavar="0.4,0.3,...",
              help=N_("CSV matrix: base weights (0.4,0.3,... or '0,4; 0,3; …')."))
@click.option("--directions", default=None, metavar="+,-,...", help=N_("CSV matrix: + benefit, - cost."))
@click.option("--method", type=WEIGHTED_METHODS, default="topsis", show_default=True, cls=Option,
              make_help=lambda: method_help(weighted_only=True))
@click.option("--normalization", type=NORMALIZATIONS, default="vector",
              show_default=True, help=NORMALIZATION_HELP)
@click.option("--samples", type=int, default=10_000, show_default=True, help=N_("Monte Carlo samples."))
@click.option("--seed", type=int, default=0, show_default=True, help=N_("Random seed (same seed, same output)."))
@click.option("--sampler", type=SAMPLERS, default="dirichlet",
              show_default=True, help=N_("Weights: Dirichlet around the base weights, uniform on the simplex, "
                                         "perturbed AHP judgments, or the panel's individual experts."))
@click.option("--concentration", type=float, default=100.0, show_default=True,
              help=N_("Dirichlet concentration (larger = closer to the base weights)."))
@click.option("--judgment-change", type=float, default=0.5, show_default=True,
              help=N_("AHP sampler: probability that a judgment moves one step on Saaty's scale."))
@click.option("--score-change", type=float, default=0.0, show_default=True,
              help=N_("Probability that an ordinal score moves one level (score uncertainty)."))
@click.option("--quantity-change", type=float, default=0.0, show_default=True,
              help=N_("Quantities vary by up to this fraction (e.g. 0.1 = ±10 %)."))
@click.option("--top-k", type=int, default=3, show_default=True, help=N_("Size of the top set for stability."))
@click.option("--criterion", "criteria_names", multiple=True,
              help=N_("Limit sweeps and stability to these criteria or groups (repeatable)."))
@click.option("--force", is_flag=True, help=N_("Allow more than 10,000,000 samples, and -o over an input file."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("Write the report: .json, or .xlsx (the appraisal workbook with sensitivity sheets); - "
                      "writes the workbook to standard output."))
@input_format_option
@lang_option
def sensitivity(source, weights_, directions, method, normalization, samples, seed, sampler, concentration,
                judgment_change, score_change, quantity_change, top_k, criteria_names, force, as_json, output,
                input_format, lang) -> None:
    """``appraise sensitivity`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal import sensitivity as sens

    common.check_stdout_use(output, as_json)
    common.refuse_overwriting_inputs(output, [source], force)
    # a CSV matrix needs no Ranking unless a workbook of it is written
    problem, rk = common.load_problem(source, weights_, directions, method, normalization,
                                      with_ranking=output is not None, input_format=input_format)
    with common.progress(samples, _("Monte Carlo"), samples >= 50_000) as update:
        rep = sens.report(problem, samples=samples, seed=seed, sampler=sampler, concentration=concentration,
                          judgment_change=judgment_change, score_change=score_change,
                          quantity_change=quantity_change, top_k=top_k, names=list(criteria_names) or None,
                          force=force, progress=update)
    for msg in rep.get("warnings", []):
        warn(msg)
    if output is not None:
        common.write_result(rep, output, lang, ranking=rk)  # .json, or the appraisal workbook with its sheets
        if common.is_dash(output):
            return
    if as_json:
        echo_json(rep.to_json_dict())
    else:
        from appraisal.io.text import render_sensitivity

        click.echo(render_sensitivity(rep, lang))
