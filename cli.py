"""The ``appraise`` command line: parse, call the engine, print. (Installed as appraisal.console.cli.)

Exit codes: 0 ok; 2 bad input or usage (one line on stderr, no traceback unless --debug);
1 an internal error (a bug: please report it with the --debug traceback).
"""

from __future__ import annotations

import errno
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from appraisal import __version__
from appraisal import methods as registry
from appraisal.criteria.errors import InputError

LANGS = click.Choice(["en", "pl"])
#: --method: every method of the registry; sensitivity only those that read the weights
METHODS = click.Choice(registry.names())
WEIGHTED_METHODS = click.Choice(registry.weighted_names())


def _echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _warn(msg: str) -> None:
    click.echo(f"warning: {msg}", err=True)


@contextmanager
def _progress(length: int, label: str, worth_it: bool):
    """A progress bar on stderr (when it is a terminal and the run takes more than a moment), as
    an ``update(n)`` callable; None otherwise."""
    if not (worth_it and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",")] if text.strip() else []


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="appraise")
@click.option("--debug", is_flag=True, help="Show the full traceback of any error.")
def cli(debug: bool) -> None:
    """appraise: AHP weights, TOPSIS/WSM rankings and selection cards for packages of key projects."""


# --- weights ---------------------------------------------------------------------------------------

@cli.command()
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
    import numpy as np

    from appraisal import ahp
    from appraisal.io.csv import read_pairwise
    from appraisal.io.text import render_ahp

    mats = [read_pairwise(f) for f in files]
    for m in mats:
        for w in m.warnings:
            _warn(w)
    if len(mats) == 1:
        if expert_weights:
            raise InputError("--expert-weights needs several pairwise files (a panel)")
        res = ahp.analyse(mats[0].matrix, mats[0].names, method)
    else:
        names = mats[0].names
        aligned = [mats[0].matrix]
        for m in mats[1:]:
            if sorted(m.names) != sorted(names):
                raise InputError(f"criteria {m.names} differ from {names} in {mats[0].source}", source=m.source,
                                 where="row 1")
            order = [m.names.index(n) for n in names]
            aligned.append(m.matrix[np.ix_(order, order)])
        ew = None
        if expert_weights:
            try:
                ew = [float(x) for x in _split(expert_weights)]
            except ValueError:
                raise InputError(f"--expert-weights: {expert_weights!r} is not a list of numbers") from None
        res = ahp.analyse_panel(aligned, names, [m.source for m in mats], ew, method, aggregation)
    if as_json:
        _echo_json(res.to_dict())
    else:
        click.echo(render_ahp(res, lang))


# --- rank ------------------------------------------------------------------------------------------

@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--weights", "weights_", default=None, metavar="0.4,0.3,...",
              help="CSV matrix: one weight per criterion (normalised to sum 1; default equal).")
@click.option("--directions", default=None, metavar="+,-,...",
              help="CSV matrix: + benefit, - cost, one per criterion (e.g. --directions=-,+).")
@click.option("--method", type=METHODS, default="topsis", show_default=True,
              help=", ".join(m.help for m in registry.METHODS[:-1]) + ", or " + registry.METHODS[-1].help + ".")
@click.option("--normalization", type=click.Choice(["vector", "minmax", "reference"]), default="vector",
              show_default=True, help="TOPSIS normalization: vector, min-max (both within the package), or "
              "reference (R-TOPSIS on the criteria set's reference levels: no rank reversal). WSM always uses "
              "oriented min-max.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the ranking to this file (.json).")
@click.option("--lang", type=LANGS, default="en", show_default=True)
def rank(source, weights_, directions, method, normalization, as_json, output, lang) -> None:
    """Rank a decision matrix (CSV) or a package of projects (JSON/TOML).

    A package is appraised with its criteria set: gates first (failing projects are listed, not
    ranked), then the criteria tree's AHP weights, then the method; the other methods are shown
    as a cross-check.
    """
    from appraisal.io.text import render_ranking, render_weights_report

    rk = _ranking(source, weights_, directions, method, normalization)
    if output is not None:
        _write_output(output, rk, lang)
    if as_json:
        _echo_json(rk.to_json_dict())
        return
    if rk.weights:
        click.echo(render_weights_report(rk, lang))
        click.echo()
    click.echo(render_ranking(rk, lang))


def _ranking(source: Path, weights_: str | None, directions: str | None, method: str, normalization: str):
    """Rank a CSV matrix (with --weights/--directions) or a package file (with its criteria set)."""
    suffix = source.suffix.lower()
    if suffix == ".csv":
        from appraisal.io.csv import read_matrix
        from appraisal.ranking import rank_matrix

        if registry.get(method).card:
            raise InputError(f"--method {method} needs a package with a criteria set (JSON/TOML), not a CSV matrix")
        m = read_matrix(source)
        if directions is None:
            raise InputError(f"--directions is required for a CSV matrix: one + (benefit) or - (cost) for each "
                             f"of {', '.join(m.criteria)}")
        w = [1.0] * len(m.criteria) if weights_ is None else _parse_weights(weights_)
        return rank_matrix(m.ids, m.criteria, m.values, w, _split(directions), method, normalization, str(source))
    if suffix in (".json", ".toml", ".xlsx", ".xlsm"):
        from appraisal.package import load_package

        if weights_ is not None or directions is not None:
            raise InputError("--weights and --directions are for CSV matrices; a package takes its weights and "
                             "directions from its criteria set (override weights in its 'weights' section)")
        return load_package(source).rank(method, normalization)
    raise InputError(f"unsupported file type {suffix or '(none)'!r}; expected .csv, .json, .toml or .xlsx",
                     source=str(source))


def _parse_weights(text: str) -> list[float]:
    out = []
    for i, t in enumerate(_split(text)):
        try:
            out.append(float(t))
        except ValueError:
            raise InputError(f"weight {i + 1} is {t!r}, not a number", where="--weights") from None
    return out


def _write_output(path: Path, rk, lang: str) -> None:
    """Write the ranking: JSON, or the appraisal workbook (.xlsx) with live formulas."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        from appraisal.io.files import atomic_write_json

        atomic_write_json(path, rk.to_json_dict())
    elif suffix == ".xlsx":
        from appraisal.io.excel_report import write_appraisal_workbook

        write_appraisal_workbook(rk, path, lang)
    else:
        raise InputError(f"cannot write {path.suffix or 'a file without extension'}; use .json or .xlsx",
                         source=str(path))


# --- sensitivity -----------------------------------------------------------------------------------

@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--weights", "weights_", default=None, metavar="0.4,0.3,...", help="CSV matrix: base weights.")
@click.option("--directions", default=None, metavar="+,-,...", help="CSV matrix: + benefit, - cost.")
@click.option("--method", type=WEIGHTED_METHODS, default="topsis", show_default=True)
@click.option("--normalization", type=click.Choice(["vector", "minmax", "reference"]), default="vector",
              show_default=True, help="TOPSIS normalization (reference: R-TOPSIS on the criteria set's reference levels).")
@click.option("--samples", type=int, default=10_000, show_default=True, help="Monte Carlo samples.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same output).")
@click.option("--sampler", type=click.Choice(["dirichlet", "uniform", "ahp", "panel"]), default="dirichlet",
              show_default=True, help="Weights: Dirichlet around the base weights, uniform on the simplex, "
              "perturbed AHP judgments, or the panel's individual experts.")
@click.option("--concentration", type=float, default=100.0, show_default=True,
              help="Dirichlet concentration (larger = closer to the base weights).")
@click.option("--judgment-change", type=float, default=0.5, show_default=True,
              help="AHP sampler: probability that a judgment moves one step on Saaty's scale.")
@click.option("--score-change", type=float, default=0.0, show_default=True,
              help="Probability that an ordinal score moves one level (score uncertainty).")
@click.option("--quantity-change", type=float, default=0.0, show_default=True,
              help="Quantities vary by up to this fraction (e.g. 0.1 = ±10 %).")
@click.option("--top-k", type=int, default=3, show_default=True, help="Size of the top set for stability.")
@click.option("--criterion", "criteria_names", multiple=True,
              help="Limit sweeps and stability to these criteria or groups (repeatable).")
@click.option("--force", is_flag=True, help=f"Allow more than {10_000_000:,} samples.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report: .json, or .xlsx (the appraisal workbook with sensitivity sheets).")
@click.option("--lang", type=LANGS, default="en", show_default=True)
def sensitivity(source, weights_, directions, method, normalization, samples, seed, sampler, concentration,
                judgment_change, score_change, quantity_change, top_k, criteria_names, force, as_json, output,
                lang) -> None:
    """How robust is the ranking, and what would change it?

    One-at-a-time weight sweeps, stability intervals of every weight, the critical change of the
    top project, Monte Carlo (SMAA-2) rank acceptabilities and winning probabilities, and the
    agreement of TOPSIS and WSM.
    """
    from appraisal import sensitivity as sens
    from appraisal.io.text import render_sensitivity

    rk = _ranking(source, weights_, directions, method, normalization)
    problem = sens.Problem.from_ranking(rk)
    with _progress(samples, "Monte Carlo", samples >= 50_000) as update:
        rep = sens.report(problem, samples=samples, seed=seed, sampler=sampler, concentration=concentration,
                          judgment_change=judgment_change, score_change=score_change,
                          quantity_change=quantity_change, top_k=top_k, names=list(criteria_names) or None,
                          force=force, progress=update)
    for msg in rep.get("warnings", []):
        _warn(msg)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix == ".json":
            from appraisal.io.files import atomic_write_json

            atomic_write_json(output, rep)
        elif suffix == ".xlsx":
            from appraisal.io.excel_report import build_appraisal_workbook
            from appraisal.io.excel_sensitivity import add_sensitivity_sheets
            from appraisal.io.xlsx import save_atomic

            wb = build_appraisal_workbook(rk, lang)
            add_sensitivity_sheets(wb, rep, lang)
            save_atomic(wb, output)
        else:
            raise InputError(f"cannot write {output.suffix or 'a file without extension'}; use .json or .xlsx",
                             source=str(output))
    if as_json:
        _echo_json(rep)
    else:
        click.echo(render_sensitivity(rep, lang))


# --- batch ------------------------------------------------------------------------------------------

@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("wyniki"),
              show_default=True, help="Folder for the results.")
@click.option("--criteria", "criteria_ref", default=None,
              help="One criteria set for every package (built-in name or file); a long table defaults to cwd.")
@click.option("--method", type=METHODS, default="topsis", show_default=True)
@click.option("--normalization", type=click.Choice(["vector", "minmax", "reference"]), default="vector",
              show_default=True, help="TOPSIS normalization (reference: R-TOPSIS on the criteria set's reference levels).")
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Parallel processes [default: cores].")
@click.option("--workbooks", is_flag=True, help="Also write one appraisal workbook per package.")
@click.option("--only-failed", is_flag=True, help="Retry only the packages that failed in the last run into -o.")
@click.option("--dry-run", is_flag=True, help="Validate and score everything, write nothing.")
@click.option("--sheet", default=None, help="Long table in Excel: the sheet to read (default the first).")
@click.option("--lang", type=LANGS, default="pl", show_default=True)
def batch(source, out_dir, criteria_ref, method, normalization, workers, workbooks, only_failed, dry_run, sheet,
          lang) -> None:
    """Score every package under a folder (DIR/<voivodeship>/<partnership>.xlsx|json|toml), or every
    partnership of one long table (.csv/.xlsx with voivodeship and partnership columns).

    A package that cannot be read or scored is reported (summary, errors.json) and the rest still
    run; then the exit code is 3 and the last line counts the successes and failures.
    """
    from contextlib import nullcontext

    from appraisal import batch as b
    from appraisal.batch import shown
    from appraisal.io import batch_output as bo

    criteria = None
    if criteria_ref is not None:
        from appraisal.criteria import load_criteria

        criteria = load_criteria(criteria_ref)
    if source.is_dir():
        jobs, skipped = b.discover(source, exclude=[out_dir])  # the output folder is never read as packages
    elif source.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
        from appraisal.criteria import load_criteria
        from appraisal.io.long_table import read_long_table

        table_criteria = criteria or load_criteria("cwd")
        jobs = [b.Job(key=tp.key, file=str(source), voivodeship=tp.voivodeship, package=tp.package,
                      error=tp.error) for tp in read_long_table(source, table_criteria, sheet)]
        skipped, criteria = [], None
    elif not source.exists():
        raise InputError("no such folder or file", source=shown(str(source)))
    else:
        raise InputError("expected a folder of packages, or a long table (.csv/.xlsx)", source=shown(str(source)))
    if not jobs and not only_failed:
        raise InputError("no packages found (.json, .toml or .xlsx files)", source=shown(str(source)))
    found = jobs
    # one run at a time in an output folder (a dry run writes nothing: no lock)
    with nullcontext() if dry_run else bo.locked_output(out_dir):
        previous = None
        if only_failed:
            previous = bo.previous_run(out_dir)  # a finished run, its records validated
            bo.check_retry(previous, {"method": method, "normalization": normalization, "criteria": criteria_ref,
                                      "source": str(source)})
            failed = {e["key"] for e in previous.summary["errors"]}
            jobs = [j for j in jobs if j.key in failed]
            skipped = previous.summary.get("skipped", [])
            if not jobs:
                click.echo(f"nothing to retry: no failed packages in {shown(str(out_dir / 'summary.json'))}",
                           err=True)
                return
        writer = None
        if not dry_run:
            bo.mark_run(out_dir, "running", str(source), "only-failed" if only_failed else "full")
            writer = bo.PackageWriter(out_dir, lang, workbooks)
            writer.plan(found)  # over every package found, so a retry writes where the first run did
        with _progress(len(jobs), "Packages", len(jobs) > 20) as update:
            result = b.run(jobs, criteria, method, normalization, workers, update, write=writer)
        result.skipped = skipped
        t0 = time.perf_counter()
        if not dry_run:
            bo.write_results(result, out_dir, str(source), method, lang, previous, normalization, criteria_ref)
            bo.mark_run(out_dir, "finished", str(source), "only-failed" if only_failed else "full")
        summary_s = time.perf_counter() - t0
    for o in result.failed:
        click.echo(f"failed: {o.error}", err=True)
    for sk in skipped:
        click.echo(f"skipped: {sk['file']}: {sk['reason']}", err=True)
    tm = result.timing
    click.echo(f"time: {tm['wall_s'] + summary_s:.2f} s in all: {tm['wall_s']:.2f} s reading, scoring and writing "
               f"the packages in {tm['workers']} process{'es' if tm['workers'] > 1 else ''} (of which, summed over "
               f"them: reading and validating {tm['read_and_validate_s']:.2f} s, scoring {tm['score_s']:.2f} s, "
               f"writing {tm['write_s']:.2f} s), then {summary_s:.2f} s for the summaries"
               + (" (dry run: nothing written)" if dry_run else f"; results in {shown(str(out_dir))}"), err=True)
    click.echo(f"{len(result.scored)} packages scored, {len(result.failed)} failed")
    if result.failed:
        sys.exit(3)


# --- template --------------------------------------------------------------------------------------

@cli.command()
@click.option("--criteria", "criteria_ref", default="cwd", show_default=True,
              help="A built-in criteria set or a .toml/.json criteria file.")
@click.option("--lang", type=LANGS, default="pl", show_default=True, help="Language of the sheets and labels.")
@click.option("--rows", type=click.IntRange(1, 500), default=30, show_default=True,
              help="How many project rows to prepare.")
@click.option("--from", "from_package", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fill the template with an existing package (JSON/TOML/XLSX).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The workbook to write (.xlsx).")
def template(criteria_ref, lang, rows, from_package, output) -> None:
    """Write an Excel workbook for an advisor to fill in: package, projects, scores, gates, weights."""
    from appraisal.io.excel_template import write_template

    if output.suffix.lower() != ".xlsx":
        raise InputError("the template must be written as .xlsx", source=str(output))
    package = None
    if from_package is not None:
        from appraisal.package import load_package

        package = load_package(from_package)
        cs = package.criteria_set
    else:
        from appraisal.criteria import load_criteria

        cs = load_criteria(criteria_ref)
    write_template(output, cs, lang=lang, package=package, rows=rows,
                   criteria_ref=criteria_ref if package is None else None)
    click.echo(f"written: {output}")


# --- opinions --------------------------------------------------------------------------------------

@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the opinions (regenerating into it keeps the advisor's text).")
@click.option("--format", "formats", default="docx,md,json", show_default=True,
              help="Documents to write, comma-separated (each project's .json record is always written).")
@click.option("--lang", type=LANGS, default="pl", show_default=True)
@click.option("--method", type=METHODS, default="topsis", show_default=True)
@click.option("--normalization", type=click.Choice(["vector", "minmax", "reference"]), default="vector",
              show_default=True, help="TOPSIS normalization (reference: R-TOPSIS on the criteria set's reference levels).")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Recommendation rules (TOML/JSON) instead of the criteria set's [opinions] section.")
@click.option("--samples", type=click.IntRange(min=0), default=None,
              help="SMAA weight samples for the robustness sentence; 0 = skip [default: 10000, 0 for points].")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same opinions).")
@click.option("--sampler", type=click.Choice(["dirichlet", "uniform", "ahp", "panel"]), default="dirichlet",
              show_default=True, help="How the weights are sampled (as in appraise sensitivity).")
@click.option("--advisor", default=None, help="The advisor's name [default: the package's].")
@click.option("--date", "date_text", default=None, metavar="YYYY-MM-DD", help="Date of the opinions [default: the package's].")
def opinions(source, out_dir, formats, lang, method, normalization, rules_file, samples, seed, sampler, advisor,
             date_text) -> None:
    """Advisory opinions (opinia doradcza, Komponent II): one per project, plus the package bundle.

    Each opinion gives the score and rank, a recommendation (recommended / with conditions / needs
    rework / not recommended) with the rule that decided it, the assessment by criterion, strengths,
    weaknesses and risks, a robustness sentence, conditions, and sections for the advisor that survive
    regeneration (edit them in the DOCX); a regenerated opinion says what changed.
    """
    import datetime as dt

    from appraisal import opinions as op
    from appraisal.io.opinion_output import parse_formats, write_opinions
    from appraisal.package import load_package

    fmts = parse_formats(formats)
    date = None
    if date_text is not None:
        try:
            date = dt.date.fromisoformat(date_text.strip())
        except ValueError:
            raise InputError(f"{date_text!r} is not a date such as 2026-10-15", where="--date") from None
    if source.suffix.lower() not in (".json", ".toml", ".xlsx", ".xlsm"):
        raise InputError("opinions need a package (.json, .toml or .xlsx) with its criteria set", source=str(source))
    pkg = load_package(source)
    rules = op.load_opinion_rules(rules_file, pkg.criteria_set) if rules_file is not None else None
    rk = op.ranking_for_opinions(pkg, method, normalization)
    if samples is None:
        samples = 10_000 if registry.get(method).weighted else 0
    if not rk.results:  # fewer than two projects pass the gates: opinions without a ranking
        samples = 0
        click.echo(f"note: only {len(rk.alternatives)} project(s) pass the gates, at least two are needed to rank; "
                   "the opinions are written without ranks: failed gates ⇒ "
                   f"{op.LABELS['en'][op.rules_for(rk, rules).gate.category]}"
                   + (", the one admissible project is judged by its attainment on the criteria set's scales "
                      "(it has no rank or TOPSIS score)" if rk.alternatives else ""), err=True)
    run = op.robustness(rk, samples, seed, sampler) if samples > 0 else None
    written = write_opinions(rk, out_dir, fmts, lang, rules, run, advisor, date)
    for note in written.notes:
        click.echo(f"note: {note}", err=True)
    rows = [[str(o.rank) if o.rank is not None else "-", o.identification.project_id, o.recommendation_label,
             o.decided_by.text, ", ".join(p.name for p in written.files[o.identification.project_id])]
            for o in written.opinions]
    from appraisal.io.text import table

    click.echo(table(["#", "ID", "Rekomendacja" if lang == "pl" else "Recommendation",
                      "Reguła" if lang == "pl" else "Rule", "Files"], rows))
    if written.bundle_files:
        click.echo(f"bundle: {', '.join(str(p) for p in written.bundle_files)}")
    click.echo(f"{len(written.opinions)} opinions written to {out_dir}")


# --- criteria, schema, validate --------------------------------------------------------------------

@cli.group()
def criteria() -> None:
    """Built-in criteria sets."""


@criteria.command("list")
def criteria_list() -> None:
    """Names of the built-in criteria sets."""
    from appraisal.criteria import builtin_sets, load_criteria

    for name in builtin_sets():
        cs = load_criteria(name)
        click.echo(f"{name}: {cs.label.get('pl')} / {cs.label.get('en')} ({len(cs.leaves())} criteria, "
                   f"{len(cs.gates)} gates)")


@criteria.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the set as JSON.")
@click.option("--lang", type=LANGS, default="en", show_default=True)
def criteria_show(name, as_json, lang) -> None:
    """Print a criteria set (a built-in name such as cwd, or a .toml/.json file) with its weights."""
    from appraisal import ahp
    from appraisal.criteria import load_criteria
    from appraisal.io.text import render_criteria

    cs = load_criteria(name)
    if as_json:
        _echo_json(cs.model_dump(mode="json", exclude_none=True))
        return
    click.echo(render_criteria(cs, lang))
    global_w, nodes = ahp.synthesize(cs)
    click.echo("")
    click.echo("global weights: " + ", ".join(f"{k} {v:.3f}" for k, v in global_w.items()))
    for nd in nodes:
        if nd.ahp is not None:
            flag = "consistent" if nd.ahp.consistent else "INCONSISTENT"
            click.echo(f"  {nd.group}: CR = {nd.ahp.cr:.4f} ({flag})")


@cli.command()
@click.argument("kind", type=click.Choice(["package", "criteria", "opinion"]))
def schema(kind) -> None:
    """Print the JSON Schema of a package, a criteria-set file or an opinion."""
    if kind == "opinion":
        from appraisal.opinions import opinion_schema

        _echo_json(opinion_schema())
    elif kind == "package":
        from appraisal.package import package_schema

        _echo_json(package_schema())
    else:
        from appraisal.criteria import criteria_schema

        _echo_json(criteria_schema())


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate(file) -> None:
    """Check a package, criteria set, pairwise or matrix file; list every problem found."""
    from appraisal.validation import validate_file

    problems, warnings, what = validate_file(file)
    for w in warnings:
        click.echo(f"warning: {w}")
    for p in problems:
        click.echo(str(p))
    if problems:
        click.echo(f"{file}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found", err=True)
        sys.exit(2)
    click.echo(f"{file}: valid {what}")


# --- portfolio -------------------------------------------------------------------------------------

@cli.command()
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
@click.option("--normalization", type=click.Choice(["vector", "minmax", "reference"]), default="vector",
              show_default=True, help="TOPSIS normalization (reference: R-TOPSIS on the criteria set's reference levels).")
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
    from appraisal.io.text import render_portfolio
    from appraisal.package import load_package
    from appraisal.portfolio import parse_budget
    from appraisal.portfolio import portfolio as choose

    if source.suffix.lower() not in (".json", ".toml", ".xlsx", ".xlsm"):
        raise InputError("a portfolio needs a package (.json, .toml or .xlsx) with project costs", source=str(source))
    pkg = load_package(source)
    if budget_text is not None:
        budget = parse_budget(budget_text)
    elif pkg.budget is not None:
        budget = pkg.budget
    else:
        raise InputError("no budget: give --budget PLN (or a 'budget' in the package)")
    limits = None
    if by_source is not None:
        from appraisal.io.limits import read_source_limits

        limits = read_source_limits(by_source)
    ids = {flag: [i for text in values for i in _split(text)] for flag, values in (("must", must),
                                                                                    ("exclude", exclude))}
    rk = pkg.rank(method, normalization)
    pf = choose(rk, budget, limits, ids["must"], ids["exclude"])
    if output is not None:
        suffix = output.suffix.lower()
        if suffix == ".json":
            from appraisal.io.files import atomic_write_json

            atomic_write_json(output, pf.to_json_dict())
        elif suffix == ".xlsx":
            from appraisal.io.excel_report import write_appraisal_workbook

            write_appraisal_workbook(rk, output, lang, portfolio=pf)
        else:
            raise InputError(f"cannot write {output.suffix or 'a file without extension'}; use .json or .xlsx",
                             source=str(output))
    if as_json:
        _echo_json(pf.to_json_dict())
    else:
        click.echo(render_portfolio(pf, lang))


# --- demo ------------------------------------------------------------------------------------------

@cli.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("appraise-demo"), show_default=True, help="Folder for the files the demo writes.")
@click.option("--lang", type=LANGS, default="pl", show_default=True)
def demo(out_dir, lang) -> None:
    """Run the whole pipeline on the bundled samples and say where the files went.

    One partnership in full (AHP weights and their consistency, gates, the TOPSIS ranking with
    WSM beside it) and its appraisal workbook; a selection-card package; then a summary of all
    bundled partnerships.
    """
    from appraisal.demo import bundled_partnerships, samples_dir
    from appraisal.io.excel_report import write_appraisal_workbook
    from appraisal.io.files import atomic_write_json
    from appraisal.io.text import clip, render_ranking, render_weights_report, table
    from appraisal.package import load_package

    samples = samples_dir()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the output folder: {exc.strerror or exc}", source=str(out_dir)) from None
    pkg = load_package(samples / "pakiet_dolina_baryczy.json")
    rk = pkg.rank()
    click.echo(f"== {pkg.partnership.name} ({pkg.partnership.voivodeship}), {len(pkg.projects)} projects, "
               f"criteria set {pkg.criteria if isinstance(pkg.criteria, str) else pkg.criteria.id}")
    click.echo("")
    click.echo(render_weights_report(rk, lang))
    click.echo("")
    click.echo(render_ranking(rk, lang))
    card = load_package(samples / "pakiet_karta.json").rank("points")
    click.echo("")
    click.echo(f"== {card.partnership}: selection card (karta oceny)")
    click.echo(render_ranking(card, lang))

    from appraisal.io.text import render_portfolio
    from appraisal.portfolio import portfolio as choose

    # a budget of about 60 % of what the eligible projects cost (whole millions of PLN)
    eligible_cost = sum(p.cost or 0 for p in pkg.projects if p.id in rk.scores())
    pf = choose(rk, float(int(0.6 * eligible_cost / 1e6) * 1e6))
    click.echo("")
    click.echo(f"== {pkg.partnership.name}: {'portfel w ramach budżetu' if lang == 'pl' else 'portfolio under a budget'}")
    click.echo(render_portfolio(pf, lang))

    written = [write_appraisal_workbook(rk, out_dir / "ocena_dolina_baryczy.xlsx", lang, portfolio=pf),
               write_appraisal_workbook(card, out_dir / "ocena_karta.xlsx", lang)]
    for name, r in (("ranking.json", rk), ("ranking_karta.json", card)):
        written.append(atomic_write_json(out_dir / name, r.to_json_dict()))
    written.append(atomic_write_json(out_dir / "portfel.json", pf.to_json_dict()))

    from appraisal.io.opinion_output import write_opinions
    from appraisal.opinions import robustness as opinion_robustness

    opinions_done = write_opinions(rk, out_dir / "opinie", ["docx", "md", "json"], lang,
                                   robustness=opinion_robustness(rk, 2000, 0))
    click.echo("")
    click.echo(f"== {'Opinie doradcze' if lang == 'pl' else 'Advisory opinions'}: "
               + "; ".join(f"{o.identification.project_id} {o.recommendation_label}" for o in opinions_done.opinions))
    written.extend(opinions_done.bundle_files)

    bundled = bundled_partnerships()
    if bundled.outcomes:
        lines = [o.line for o in bundled.scored]
        click.echo("")
        click.echo(f"== All bundled partnerships: {len(lines)} packages in {len({ln['voivodeship'] for ln in lines})} "
                   f"voivodeships, {sum(ln['projects'] for ln in lines)} projects")
        rows = [[ln["voivodeship"], clip(ln["partnership"], 46), str(ln["projects"]), str(ln["eligible"]),
                 ln["top_project"]["id"], clip(ln["top_project"]["title"], 40), f"{ln['top_project']['score']:.4f}"]
                for ln in lines]
        click.echo(table(["Voivodeship", "Partnership", "Projects", "Ranked", "Top", "Top project", "Score"],
                         rows, "llrrllr"))
        for o in bundled.failed:
            click.echo(f"not ranked: {o.error}", err=True)
        written.append(atomic_write_json(out_dir / "partnerships.json", {
            "partnerships": lines,
            "errors": [{"file": o.file, "reason": o.error} for o in bundled.failed]}))
    click.echo("")
    click.echo("written:")
    for path in written:
        click.echo(f"  {path}")


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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; bad input ends in one line on stderr and exit code 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="appraise", standalone_mode=False)
    except InputError as exc:
        if debug:
            raise
        click.echo(f"appraise: error: {exc.cli_line()}", err=True)
        return 2
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return 2
    except click.UsageError as exc:
        if debug:
            raise
        cmd = exc.ctx.command_path if exc.ctx else "appraise"
        click.echo(f"{cmd}: error: {exc.format_message()} (see '{cmd} --help')", err=True)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):  # Ctrl-C: 128 + SIGINT, as shells expect
        click.echo("aborted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        click.echo(f"appraise: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the file system said no (read-only, full, name too long, no permission): not a bug
        if debug:
            raise
        if exc.errno in FILE_SYSTEM_ERRORS:
            click.echo(f"appraise: error: {os_error_line(exc)}", err=True)
            return 2
        click.echo(f"appraise: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                   err=True)
        return 1
    except Exception as exc:
        if debug:
            raise
        click.echo(f"appraise: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                   err=True)
        return 1
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
