"""``appraise batch``: score every package of a tree or of a long table (:func:`appraisal.io.batch_run.run_batch`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command, Option
from appraisal.commands.common import (
    METHODS,
    NORMALIZATION_HELP,
    NORMALIZATIONS,
    echo_json,
    lang_option,
    method_help,
)
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _, ngettext

#: the exit code of a batch with failed packages
EXIT_FAILED = 3


@click.command(cls=Command, help=N_(
    "Score every package under a folder (DIR/<voivodeship>/<partnership>.xlsx|json|toml), or every partnership "
    "of one long table (.csv/.xlsx with voivodeship and partnership columns).\n"
    "\n"
    "A package that cannot be read or scored is reported (summary, errors.json) and the rest still run; then the "
    "exit code is 3 and the last line counts the successes and failures."))
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("wyniki"),
              show_default=True, help=N_("Folder for the results."))
@click.option("--criteria", "criteria_ref", default=None,
              help=N_("One criteria set for every package (built-in name or file); a long table defaults to "
                      "cwd."))
@click.option("--method", type=METHODS, default="topsis", show_default=True, cls=Option, make_help=method_help)
@click.option("--normalization", type=NORMALIZATIONS, default="vector", show_default=True, help=NORMALIZATION_HELP)
@click.option("--workers", type=click.IntRange(1, 256), default=None, help=N_("Parallel processes [default: cores]."))
@click.option("--workbooks", is_flag=True, help=N_("Also write one appraisal workbook per package."))
@click.option("--only-failed", is_flag=True, help=N_("Retry only the packages that failed in the last run into -o."))
@click.option("--dry-run", is_flag=True, help=N_("Validate and score everything, write nothing."))
@click.option("--sheet", default=None, help=N_("Long table in Excel: the sheet to read (default the first)."))
@click.option("--json", "as_json", is_flag=True,
              help=N_("Print the result as JSON: what was scored and written, every failure (file, where, "
                      "message), the files skipped; exit codes unchanged."))
@lang_option
def batch(source, out_dir, criteria_ref, method, normalization, workers, workbooks, only_failed, dry_run, sheet,
          as_json, lang) -> None:
    """``appraise batch`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal.batch import shown
    from appraisal.io.batch_run import run_batch

    if common.is_dash(source):
        raise InputError(_("batch reads a folder of packages or a long table file, not standard input (-)"))
    rep = run_batch(source, out_dir, criteria=criteria_ref, method=method, normalization=normalization,
                    workers=workers, workbooks=workbooks, only_failed=only_failed, dry_run=dry_run, sheet=sheet,
                    lang=lang, progress=lambda n: common.progress(n, _("Packages"), n > 20))
    summary = shown(str(out_dir / "summary.json"))
    if rep.nothing_to_retry:
        message = _("nothing to retry: no failed packages in {file}").format(file=summary)
        if as_json:
            echo_json({"source": shown(str(source)), "output": shown(str(out_dir)), "dry_run": dry_run,
                       "nothing_to_retry": True, "scored": [], "failed": [], "skipped": rep.skipped})
        click.echo(message, err=True)
        return
    result = rep.result
    for o in result.failed:
        click.echo(_("failed: {error}").format(error=o.error), err=True)
    for sk in rep.skipped:
        click.echo(_("skipped: {file}: {reason}").format(file=sk["file"], reason=sk["reason"]), err=True)
    tm = rep.timings
    click.echo(_timing_line(tm, dry_run, shown(str(out_dir))), err=True)
    if as_json:
        echo_json(_json_result(rep, source, out_dir, dry_run))
    else:
        click.echo(_("{scored} packages scored, {failed} failed").format(scored=len(result.scored),
                                                                         failed=len(result.failed)))
    if result.failed:
        sys.exit(EXIT_FAILED)


def _timing_line(tm: dict, dry_run: bool, out_dir: str) -> str:
    from appraisal import numfmt

    def s(key: str) -> str:
        return numfmt.number(tm[key], 2)

    processes = ngettext("{n} process", "{n} processes", tm["workers"]).format(n=tm["workers"])
    line = _("time: {total} s in all: {wall} s reading, scoring and writing the packages in {processes} (of which, "
             "summed over them: reading and validating {read} s, scoring {score} s, writing {write} s), then "
             "{summary} s for the summaries").format(
        total=numfmt.number(tm["wall_s"] + tm["summary_s"], 2), wall=s("wall_s"), processes=processes,
        read=s("read_and_validate_s"), score=s("score_s"), write=s("write_s"), summary=s("summary_s"))
    return line + (_(" (dry run: nothing written)") if dry_run else _("; results in {folder}").format(folder=out_dir))


def _json_result(rep, source, out_dir, dry_run: bool) -> dict:
    """The machine-readable result of a batch: what was scored (and where its files are), what failed, what
    was skipped."""
    from appraisal.batch import shown

    result = rep.result
    scored = []
    for o in result.scored:
        line = dict(o.line or {})
        scored.append({"key": o.key, "file": shown(o.file), "voivodeship": o.voivodeship,
                       "partnership": line.get("partnership"), "projects": line.get("projects"),
                       "eligible": line.get("eligible"), "top_project": line.get("top_project")})
    written = [] if dry_run else sorted(shown(str(p)) for p in Path(out_dir).rglob("*") if p.is_file()
                                        and not p.name.startswith("."))
    return {"source": shown(str(source)), "output": shown(str(out_dir)), "dry_run": dry_run,
            "scored": scored,
            "failed": [{"key": o.key, "file": shown(o.file), "where": o.where, "message": o.error}
                       for o in result.failed],
            "skipped": rep.skipped, "written": written, "timings": rep.timings}
