"""``appraise schema``: the JSON Schema of a package, a criteria-set file or an opinion."""

from __future__ import annotations

import click

from appraisal.commands.common import echo_json


@click.command()
@click.argument("kind", type=click.Choice(["package", "criteria", "opinion"]))
def schema(kind) -> None:
    """Print the JSON Schema of a package, a criteria-set file or an opinion."""
    if kind == "opinion":
        from appraisal.opinions import opinion_schema

        echo_json(opinion_schema())
    elif kind == "package":
        from appraisal.package import package_schema

        echo_json(package_schema())
    else:
        from appraisal.criteria import criteria_schema

        echo_json(criteria_schema())
