"""``appraise validate``: check a file and list every problem found (exit code 2 if any)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate(file) -> None:
    """Check a package, criteria set, pairwise or matrix file; list every problem found."""
    from appraisal.io.validate import validate_file

    problems, warnings, what = validate_file(file)
    for w in warnings:
        click.echo(f"warning: {w}")
    for p in problems:
        click.echo(str(p))
    if problems:
        click.echo(f"{file}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found", err=True)
        sys.exit(2)
    click.echo(f"{file}: valid {what}")
