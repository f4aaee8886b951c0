"""``appraise criteria list|show``: the built-in criteria sets."""

from __future__ import annotations

import click

from appraisal.commands.common import LANGS, echo_json


@click.group()
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
        echo_json(cs.model_dump(mode="json", exclude_none=True))
        return
    click.echo(render_criteria(cs, lang))
    global_w, nodes = ahp.synthesize(cs)
    click.echo("")
    click.echo("global weights: " + ", ".join(f"{k} {v:.3f}" for k, v in global_w.items()))
    for nd in nodes:
        if nd.ahp is not None:
            flag = "consistent" if nd.ahp.consistent else "INCONSISTENT"
            click.echo(f"  {nd.group}: CR = {nd.ahp.cr:.4f} ({flag})")
