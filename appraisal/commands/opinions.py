"""``appraise opinions``: advisory opinions, one per project, plus the package bundle."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal import methods as registry
from appraisal.commands import common
from appraisal.commands.clickwords import Command, Option
from appraisal.commands.common import (
    METHODS,
    NORMALIZATION_HELP,
    NORMALIZATIONS,
    SAMPLERS,
    echo_json,
    input_format_option,
    lang_option,
    method_help,
)
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _, ngettext, pgettext


@click.command(cls=Command, help=N_(
    "Advisory opinions (opinia doradcza, Komponent II): one per project, plus the package bundle.\n"
    "\n"
    "Each opinion gives the score and rank, a recommendation (recommended / with conditions / needs rework / not "
    "recommended) with the rule that decided it, the assessment by criterion, strengths, weaknesses and risks, a "
    "robustness sentence, conditions, and sections for the advisor that survive regeneration (edit them in the "
    "DOCX); a regenerated opinion says what changed. SOURCE - reads standard input."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help=N_("Folder for the opinions (regenerating into it keeps the advisor's text)."))
@click.option("--format", "formats", default="docx,md,json", show_default=True,
              help=N_("Documents to write, comma-separated (each project's .json record is always written)."))
@lang_option
@click.option("--method", type=METHODS, default="topsis", show_default=True, cls=Option, make_help=method_help)
@click.option("--normalization", type=NORMALIZATIONS, default="vector", show_default=True, help=NORMALIZATION_HELP)
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("Recommendation rules (TOML/JSON) instead of the criteria set's [opinions] section."))
@click.option("--samples", type=click.IntRange(min=0), default=None,
              help=N_("SMAA weight samples for the robustness sentence; 0 = skip [default: 10000, 0 for "
                      "points]."))
@click.option("--seed", type=int, default=0, show_default=True, help=N_("Random seed (same seed, same opinions)."))
@click.option("--sampler", type=SAMPLERS, default="dirichlet",
              show_default=True, help=N_("How the weights are sampled (as in appraise sensitivity)."))
@click.option("--advisor", default=None, help=N_("The advisor's name [default: the package's]."))
@click.option("--date", "date_text", default=None, metavar="YYYY-MM-DD",
              help=N_("Date of the opinions [default: the package's]."))
@click.option("--json", "as_json", is_flag=True,
              help=N_("Print the result as JSON: every opinion (project, rank, recommendation, rule, files), "
                      "the bundle's files and the notes."))
@input_format_option
def opinions(source, out_dir, formats, lang, method, normalization, rules_file, samples, seed, sampler, advisor,
             date_text, as_json, input_format) -> None:
    """``appraise opinions`` (its help is the ``help=`` above, in the user's language)."""
    import datetime as dt

    from appraisal import opinions as op
    from appraisal.io.opinion_output import parse_formats, write_opinions

    fmts = parse_formats(formats)
    date = None
    if date_text is not None:
        try:
            date = dt.date.fromisoformat(date_text.strip())
        except ValueError:
            raise InputError(_("{value!r} is not a date such as 2026-10-15").format(value=date_text),
                             param="date") from None
    pkg = common.load_package_input(source, input_format, _("opinions need a package (.json, .toml or .xlsx) with "
                                                            "its criteria set"))
    rules = op.load_opinion_rules(rules_file, pkg.criteria_set) if rules_file is not None else None
    rk = op.ranking_for_opinions(pkg, method, normalization)
    if samples is None:
        samples = 10_000 if registry.get(method).weighted else 0
    notes = []
    if not rk.results:  # fewer than two projects pass the gates: opinions without a ranking
        samples = 0
        category = op.Recommendation(op.rules_for(rk, rules).gate.category).label(lang)
        text = _("only {n} project(s) pass the gates, at least two are needed to rank; the opinions are written "
                 "without ranks: failed gates ⇒ {category}").format(n=len(rk.alternatives), category=category)
        if rk.alternatives:
            text += _(", the one admissible project is judged by its attainment on the criteria set's scales (it "
                      "has no rank or TOPSIS score)")
        notes.append(text)
        common.note(text)
    run = op.robustness(rk, samples, seed, sampler) if samples > 0 else None
    written = write_opinions(rk, out_dir, fmts, lang, rules, run, advisor, date)
    for text in written.notes:
        notes.append(text)
        common.note(text)
    if as_json:
        echo_json({
            "output": str(out_dir), "formats": fmts,
            "opinions": [{"project": o.identification.project_id, "rank": o.rank,
                          "recommendation": str(getattr(o.recommendation, "value", o.recommendation)),
                          "recommendation_label": o.recommendation_label, "rule": o.decided_by.text,
                          "files": [str(p) for p in written.files[o.identification.project_id]]}
                         for o in written.opinions],
            "bundle": [str(p) for p in written.bundle_files], "notes": notes})
        return
    rows = [[str(o.rank) if o.rank is not None else "-", o.identification.project_id, o.recommendation_label,
             o.decided_by.text, ", ".join(p.name for p in written.files[o.identification.project_id])]
            for o in written.opinions]
    from appraisal.io.text import table

    heads = ["#", pgettext("table", "ID"), pgettext("table", "Recommendation"), pgettext("table", "Rule"),
             pgettext("table", "Files")]
    click.echo(table(heads, rows))
    if written.bundle_files:
        click.echo(_("bundle: {files}").format(files=", ".join(str(p) for p in written.bundle_files)))
    n = len(written.opinions)
    click.echo(ngettext("{n} opinion written to {folder}", "{n} opinions written to {folder}", n).format(
        n=n, folder=out_dir))
