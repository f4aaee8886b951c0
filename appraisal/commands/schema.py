"""``appraise schema``: the JSON Schema of a package, a criteria-set file or an opinion."""

from __future__ import annotations

import click

from appraisal.commands.clickwords import Command
from appraisal.commands.common import echo_json, lang_option
from appraisal.criteria.i18n import N_


@click.command(cls=Command, help=N_("Print the JSON Schema of a package, a criteria-set file or an opinion."))
@click.argument("kind", type=click.Choice(["package", "criteria", "opinion"]))
@lang_option
def schema(kind, lang) -> None:
    """``appraise schema KIND`` (--lang: its errors, like every command's, in the user's language)."""
    if kind == "opinion":
        from appraisal.opinions import opinion_schema

        echo_json(opinion_schema())
    elif kind == "package":
        from appraisal.package import package_schema

        echo_json(package_schema())
    else:
        from appraisal.criteria import criteria_schema

        echo_json(criteria_schema())
