"""``appraise samples list|copy``: the sample files installed with appraise (the package ``appraisal.samples``),
listed or copied into a folder to try the commands on and to start from."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import click

from appraisal.commands.clickwords import Group
from appraisal.commands.common import lang_option
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _, ngettext

#: the kinds of files that are samples (the package also holds its __init__.py)
SAMPLE_SUFFIXES = (".json", ".toml", ".csv", ".xlsx", ".md")


def sample_files() -> list[tuple[PurePosixPath, object]]:
    """Every sample file installed: (its path inside the samples, the importlib.resources entry), sorted."""
    from importlib import resources

    out = []

    def walk(folder, rel: PurePosixPath) -> None:
        for entry in folder.iterdir():
            name = entry.name
            if name.startswith((".", "__", "~$")):
                continue
            if entry.is_dir():
                walk(entry, rel / name)
            elif PurePosixPath(name).suffix.lower() in SAMPLE_SUFFIXES:
                out.append((rel / name, entry))

    walk(resources.files("appraisal.samples"), PurePosixPath())
    return sorted(out, key=lambda item: str(item[0]))


@click.group(cls=Group, help=N_("The sample packages, criteria sets and matrices installed with appraise."))
@lang_option
def samples(lang) -> None:
    """``appraise samples list|copy``."""


@samples.command("list", help=N_("List the sample files (paths as 'appraise samples copy' writes them)."))
@lang_option
def samples_list(lang) -> None:
    """``appraise samples list``."""
    for rel, _entry in sample_files():
        click.echo(str(rel))


@samples.command("copy", help=N_(
    "Copy the sample files into FOLDER (made if needed), to run the README's examples on them.\n"
    "\n"
    "Files already there are not overwritten unless --force is given (then nothing is copied)."))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=N_("Overwrite files of the same names already in FOLDER."))
@lang_option
def samples_copy(folder, force, lang) -> None:
    """``appraise samples copy FOLDER``."""
    files = sample_files()
    if folder.exists() and not folder.is_dir():
        raise InputError(_("not a folder"), source=str(folder))
    targets = [(folder.joinpath(*rel.parts), entry) for rel, entry in files]
    existing = [str(t) for t, _entry in targets if t.exists()]
    if existing and not force:
        raise InputError(ngettext("{file} already exists; nothing copied (add {force} to overwrite it)",
                                  "{n} files already exist, such as {file}; nothing copied (add {force} to "
                                  "overwrite them)", len(existing)).format(
            file=existing[0], n=len(existing), force="--force"))
    for target, entry in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(entry.read_bytes())
    click.echo(ngettext("{n} sample file copied to {folder}", "{n} sample files copied to {folder}",
                        len(targets)).format(n=len(targets), folder=folder))
    example = folder / "pakiet_dolina_baryczy.json"
    if example.exists():
        click.echo(_("try: appraise rank {file}").format(file=example))
