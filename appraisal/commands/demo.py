"""``appraise demo``: the whole pipeline on the bundled samples (:func:`appraisal.demo.run_demo`)."""

from __future__ import annotations

from pathlib import Path

import click

from appraisal.commands.clickwords import Command
from appraisal.commands.common import lang_option
from appraisal.criteria.i18n import N_, _


@click.command(cls=Command, help=N_(
    "Run the whole pipeline on the bundled samples and say where the files went.\n"
    "\n"
    "One partnership in full (AHP weights and their consistency, gates, the TOPSIS ranking with WSM beside it) "
    "and its appraisal workbook; a selection-card package; then a summary of all bundled partnerships."))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("appraise-demo"), show_default=True, help=N_("Folder for the files the demo writes."))
@lang_option
def demo(out_dir, lang) -> None:
    """``appraise demo`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal.demo import run_demo

    shown = []

    def show(section: str) -> None:  # as the demo goes, a blank line between two sections
        if shown:
            click.echo("")
        click.echo(section)
        shown.append(section)

    report = run_demo(out_dir, lang, on_section=show, on_note=lambda note: click.echo(note, err=True))
    click.echo("")
    click.echo(_("written:"))
    for path in report.written:
        click.echo(f"  {path}")
