"""``appraise criteria list|show``: the built-in criteria sets."""

from __future__ import annotations

import click

from appraisal.commands.clickwords import Group
from appraisal.commands.common import echo_json, lang_option
from appraisal.criteria.i18n import N_, _, ngettext


@click.group(cls=Group, help=N_("Built-in criteria sets."))
@lang_option
def criteria(lang) -> None:
    """``appraise criteria list|show``."""


@criteria.command("list", help=N_("Names of the built-in criteria sets."))
@lang_option
def criteria_list(lang) -> None:
    """``appraise criteria list``."""
    from appraisal.criteria import builtin_sets, load_criteria

    for name in builtin_sets():
        cs = load_criteria(name)
        n, g = len(cs.leaves()), len(cs.gates)
        counts = _("{criteria}, {gates}").format(
            criteria=ngettext("{n} criterion", "{n} criteria", n).format(n=n),
            gates=ngettext("{n} gate", "{n} gates", g).format(n=g))
        click.echo(f"{name}: {cs.label.get(lang)} ({counts})")


@criteria.command("show", help=N_("Print a criteria set (a built-in name such as cwd, or a .toml/.json file) with "
                                   "its weights."))
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help=N_("Print the set as JSON."))
@lang_option
def criteria_show(name, as_json, lang) -> None:
    """``appraise criteria show NAME``."""
    from appraisal import ahp
    from appraisal.criteria import load_criteria
    from appraisal.io.text import render_criteria

    cs = load_criteria(name)
    if as_json:
        echo_json(cs.model_dump(mode="json", exclude_none=True))
        return
    from appraisal import numfmt
    from appraisal.criteria.i18n import pgettext

    click.echo(render_criteria(cs, lang))
    global_w, nodes = ahp.synthesize(cs)
    click.echo("")
    click.echo(_("global weights: {weights}").format(
        weights=", ".join(f"{k} {numfmt.number(v, 3)}" for k, v in global_w.items())))
    for nd in nodes:
        if nd.ahp is not None:
            flag = pgettext("table", "consistent") if nd.ahp.consistent else pgettext("table", "INCONSISTENT")
            click.echo(f"  {nd.group}: CR = {numfmt.number(nd.ahp.cr, 4)} ({flag})")
