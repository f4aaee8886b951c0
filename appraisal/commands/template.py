"""``appraise template``: an Excel workbook for an advisor to fill in."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from appraisal.commands import common
from appraisal.commands.clickwords import Command
from appraisal.commands.common import input_format_option, lang_option
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _


@click.command(cls=Command, help=N_(
    "Write an Excel workbook for an advisor to fill in: package, projects, scores, gates, weights.\n"
    "\n"
    "An existing workbook with data in it (or any file that is not an empty template) is not overwritten unless "
    "--force is given."))
@click.option("--criteria", "criteria_ref", default="cwd", show_default=True,
              help=N_("A built-in criteria set or a .toml/.json criteria file."))
@lang_option
@click.option("--rows", type=click.IntRange(1, 500), default=30, show_default=True,
              help=N_("How many project rows to prepare."))
@click.option("--from", "from_package", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("Fill the template with an existing package (JSON/TOML/XLSX; - reads standard input)."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=N_("The workbook to write (.xlsx; - writes it to standard output)."))
@click.option("--force", is_flag=True,
              help=N_("Overwrite -o even when it holds a filled workbook or is the --from file."))
@input_format_option
def template(criteria_ref, lang, rows, from_package, output, force, input_format) -> None:
    """``appraise template`` (its help is the ``help=`` above, in the user's language)."""
    from appraisal.io.package_workbook import write_template

    to_stdout = common.is_dash(output)
    if not to_stdout and output.suffix.lower() != ".xlsx":
        raise InputError(_("the template must be written as .xlsx"), source=str(output))
    common.refuse_overwriting_inputs(output, [from_package], force)
    if not to_stdout and not force:
        refuse_overwriting_data(output)
    if to_stdout:
        common.check_stdout_for_binary()
    package = None
    if from_package is not None:
        package = common.load_package_input(from_package, input_format,
                                            _("--from needs a package (.json, .toml or .xlsx)"))
        cs = package.criteria_set
    else:
        from appraisal.criteria import load_criteria

        cs = load_criteria(criteria_ref)
    ref = criteria_ref if package is None else None
    if to_stdout:
        with tempfile.TemporaryDirectory(prefix="appraise-out-") as folder:
            path = Path(folder) / "template.xlsx"
            write_template(path, cs, lang=lang, package=package, rows=rows, criteria_ref=ref)
            common.copy_to_stdout(path)
        return
    write_template(output, cs, lang=lang, package=package, rows=rows, criteria_ref=ref)
    click.echo(_("written: {path}").format(path=output))


def refuse_overwriting_data(output: Path) -> None:
    """An existing ``output`` is overwritten only when it is an empty template (no package data typed in)."""
    if not output.exists():
        return
    if output.is_dir():
        return  # the writer says it is a folder
    filled = filled_cells(output)
    if filled is None:
        raise InputError(_("the file exists and is not an empty appraise template: writing the template would "
                           "destroy it; choose another file, or add {force} to overwrite it").format(force="--force"),
                         source=str(output))
    if filled:
        raise InputError(_("the workbook holds the data of a package ({cells}): writing the template would erase "
                           "them; choose another file, or add {force} to overwrite it").format(
            cells=", ".join(filled[:3]) + (", …" if len(filled) > 3 else ""), force="--force"), source=str(output))


#: the rows of the package sheet that the template fills itself (the criteria set it was written for)
TEMPLATE_KEYS = ("criteria", "criteria_label")


def filled_cells(path: Path) -> list[str] | None:
    """The cells of a package workbook that hold typed data (not the template's own formulas and labels):
    the package sheet's value column and the rows of projects, scores, gates and comments. None when
    ``path`` is not a package workbook at all."""
    import warnings

    from appraisal.io.package_workbook.layout import FIRST_ROW, GRID_COL, SHEETS
    from appraisal.io.xlsx import open_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = open_workbook(path)
    except (InputError, OSError, ValueError, KeyError):
        return None
    try:
        names = {key: next((t[key] for t in SHEETS.values() if t[key] in wb.sheetnames), None)
                 for key in ("package", "projects", "scores", "gates", "comments")}
        if names["package"] is None or names["projects"] is None:
            return None
        out = []
        for key, name in names.items():
            if name is None:
                continue
            ws = wb[name]
            first_row, first_col = (1, GRID_COL) if key == "package" else (FIRST_ROW, 1)
            for (r, c), cell in sorted(ws._cells.items()):
                if r < first_row or c < first_col:
                    continue
                if key == "package" and ws.cell(r, 1).value in TEMPLATE_KEYS:
                    continue
                value = cell.value
                if value is None or (isinstance(value, str) and (not value.strip() or value.startswith("="))):
                    continue
                out.append(f"{name}!{cell.coordinate}")
        return out
    finally:
        wb.close()
