"""``appraise batch``: score every package of a tree or of a long table (:func:`appraisal.io.batch_run.run_batch`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.common import LANGS, METHODS, NORMALIZATION_HELP, NORMALIZATIONS


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("wyniki"),
              show_default=True, help="Folder for the results.")
@click.option("--criteria", "criteria_ref", default=None,
              help="One criteria set for every package (built-in name or file); a long table defaults to cwd.")
@click.option("--method", type=METHODS, default="topsis", show_default=True)
@click.option("--normalization", type=NORMALIZATIONS, default="vector", show_default=True, help=NORMALIZATION_HELP)
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
    from appraisal.batch import shown
    from appraisal.io.batch_run import run_batch

    rep = run_batch(source, out_dir, criteria=criteria_ref, method=method, normalization=normalization,
                    workers=workers, workbooks=workbooks, only_failed=only_failed, dry_run=dry_run, sheet=sheet,
                    lang=lang, progress=lambda n: common.progress(n, "Packages", n > 20))
    if rep.nothing_to_retry:
        click.echo(f"nothing to retry: no failed packages in {shown(str(out_dir / 'summary.json'))}", err=True)
        return
    result = rep.result
    for o in result.failed:
        click.echo(f"failed: {o.error}", err=True)
    for sk in rep.skipped:
        click.echo(f"skipped: {sk['file']}: {sk['reason']}", err=True)
    tm = rep.timings
    click.echo(f"time: {tm['wall_s'] + tm['summary_s']:.2f} s in all: {tm['wall_s']:.2f} s reading, scoring and "
               f"writing the packages in {tm['workers']} process{'es' if tm['workers'] > 1 else ''} (of which, summed "
               f"over them: reading and validating {tm['read_and_validate_s']:.2f} s, scoring {tm['score_s']:.2f} s, "
               f"writing {tm['write_s']:.2f} s), then {tm['summary_s']:.2f} s for the summaries"
               + (" (dry run: nothing written)" if dry_run else f"; results in {shown(str(out_dir))}"), err=True)
    click.echo(f"{len(result.scored)} packages scored, {len(result.failed)} failed")
    if result.failed:
        sys.exit(3)
