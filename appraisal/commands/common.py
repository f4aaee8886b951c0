"""What the commands share: option types, printing helpers, and reading a ranking or a sensitivity problem
from the file a command is given.

Importing this module imports click and the method registry, nothing heavier (no numpy, no pydantic):
each command imports the library it calls inside its function.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from appraisal import methods as registry
from appraisal.criteria.errors import InputError

LANGS = click.Choice(["en", "pl"])
#: --method: every method of the registry; sensitivity only those that read the weights
METHODS = click.Choice(registry.names())
WEIGHTED_METHODS = click.Choice(registry.weighted_names())
NORMALIZATIONS = click.Choice(["vector", "minmax", "reference"])
#: the --normalization help of the commands that rank a package
NORMALIZATION_HELP = "TOPSIS normalization (reference: R-TOPSIS on the criteria set's reference levels)."
SAMPLERS = click.Choice(["dirichlet", "uniform", "ahp", "panel"])


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def warn(msg: str) -> None:
    click.echo(f"warning: {msg}", err=True)


@contextmanager
def progress(length: int, label: str, worth_it: bool):
    """A progress bar on stderr (when it is a terminal and the run takes more than a moment), as
    an ``update(n)`` callable; None otherwise."""
    if not (worth_it and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",")] if text.strip() else []


def parse_weights(text: str) -> list[float]:
    out = []
    for i, t in enumerate(split(text)):
        try:
            out.append(float(t))
        except ValueError:
            raise InputError(f"weight {i + 1} is {t!r}, not a number", param="weights") from None
    return out


def _matrix_inputs(m, weights_: str | None, directions: str | None, method: str):
    """The weights and directions typed for a decision matrix (a CSV): (weights, directions)."""
    if registry.get(method).card:
        raise InputError(f"{{param:method}} {method} needs a package with a criteria set (JSON/TOML), not a CSV "
                         "matrix")
    if directions is None:
        raise InputError(f"{{param:directions}} is required for a CSV matrix: one + (benefit) or - (cost) for "
                         f"each of {', '.join(m.criteria)}")
    w = [1.0] * len(m.criteria) if weights_ is None else parse_weights(weights_)
    return w, split(directions)


def _load(source: Path, weights_: str | None, directions: str | None):
    """A decision matrix or a package, read by :func:`appraisal.io.formats.load` (which chooses by suffix)."""
    from appraisal.io.csv import DecisionMatrix
    from appraisal.io.formats import load

    data = load(source)
    if not isinstance(data, DecisionMatrix) and (weights_ is not None or directions is not None):
        raise InputError("{param:weights} and {param:directions} are for CSV matrices; a package takes its "
                         "weights and directions from its criteria set (override weights in its 'weights' "
                         "section)")
    return data, isinstance(data, DecisionMatrix)


def _rank(source: Path, data, matrix_inputs, method: str, normalization: str):
    """The ranking of what :func:`_load` read: a matrix with its typed weights and directions, or a package."""
    if matrix_inputs is None:
        return data.rank(method, normalization)
    from appraisal.ranking import rank_matrix

    w, d = matrix_inputs
    return rank_matrix(data.ids, data.criteria, data.values, w, d, method, normalization, str(source))


def load_ranking(source: Path, weights_: str | None, directions: str | None, method: str, normalization: str):
    """Rank a CSV matrix (with --weights/--directions) or a package file (with its criteria set)."""
    data, is_matrix = _load(source, weights_, directions)
    inputs = _matrix_inputs(data, weights_, directions, method) if is_matrix else None
    return _rank(source, data, inputs, method, normalization)


def load_problem(source: Path, weights_: str | None, directions: str | None, method: str, normalization: str,
                 with_ranking: bool):
    """The sensitivity problem of a CSV matrix or a package file, and its ranking when ``with_ranking`` (or
    when it is a package: None for a CSV matrix otherwise, which then needs numpy alone, not pydantic)."""
    from appraisal import sensitivity as sens

    data, is_matrix = _load(source, weights_, directions)
    inputs = _matrix_inputs(data, weights_, directions, method) if is_matrix else None
    if is_matrix and not with_ranking:
        w, d = inputs
        return sens.Problem.from_matrix(data.ids, data.criteria, data.values, w, d, method, normalization,
                                        str(source)), None
    rk = _rank(source, data, inputs, method, normalization)
    return sens.Problem.from_ranking(rk), rk
