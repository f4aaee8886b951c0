"""``appraise template``: an Excel workbook for an advisor to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands.common import LANGS
from appraisal.criteria.errors import InputError


@click.command()
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
    from appraisal.io.package_workbook import write_template

    if output.suffix.lower() != ".xlsx":
        raise InputError("the template must be written as .xlsx", source=str(output))
    package = None
    if from_package is not None:
        from appraisal.io.formats import load_package

        package = load_package(from_package)
        cs = package.criteria_set
    else:
        from appraisal.criteria import load_criteria

        cs = load_criteria(criteria_ref)
    write_template(output, cs, lang=lang, package=package, rows=rows,
                   criteria_ref=criteria_ref if package is None else None)
    click.echo(f"written: {output}")
