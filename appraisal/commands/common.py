"""What the commands share: option types, printing helpers, standard input and output (``-``), the
refusal to overwrite an input, and reading a ranking or a sensitivity problem from the file a command is
given.

Importing this module imports click and the method registry, nothing heavier (no numpy, no pydantic):
each command imports the library it calls inside its function.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from appraisal import methods as registry
from appraisal.criteria import i18n
from appraisal.criteria.errors import InputError
from appraisal.criteria.i18n import N_, _

LANGS = click.Choice(["en", "pl"])


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    parent = ctx.parent
    while value is None and parent is not None:  # not given to the command: the one given before it, if any
        value = parent.params.get("lang")          # (appraise --lang en rank ..., appraise criteria --lang en list)
        parent = parent.parent
    i18n.set_language(value)  # None: APPRAISE_LANG, else Polish
    return i18n.current()


#: --lang, the same on every command: the language of messages, tables and documents (one switch)
lang_option = click.option(
    "--lang", type=LANGS, default=None, callback=_set_language, is_eager=True,
    help=N_("Language of messages, tables and documents [default: pl, or APPRAISE_LANG]."))
#: --method: every method of the registry; sensitivity only those that read the weights
METHODS = click.Choice(registry.names())
WEIGHTED_METHODS = click.Choice(registry.weighted_names())
NORMALIZATIONS = click.Choice(["vector", "minmax", "reference"])
#: the --normalization help of the commands that rank a package
NORMALIZATION_HELP = N_("TOPSIS normalization (reference: R-TOPSIS on the criteria set's reference levels).")
SAMPLERS = click.Choice(["dirichlet", "uniform", "ahp", "panel"])
#: what the file name ``-`` stands for: standard input (an argument) or standard output (``-o``)
DASH = "-"
#: the formats standard input may hold (``--input-format``), as the suffix a file of that format has
INPUT_FORMATS = {"json": ".json", "toml": ".toml", "csv": ".csv", "xlsx": ".xlsx"}
#: --input-format: what ``-`` (standard input) holds when it should not be recognised from the content
input_format_option = click.option(
    "--input-format", type=click.Choice(list(INPUT_FORMATS)), default=None,
    help=N_("What standard input (-) holds: json, toml, csv or xlsx [default: recognised from the content]."))
#: --force on the commands that write a file given by -o
FORCE_HELP = N_("Write -o even over an input file (or, for template, over a filled workbook).")


def method_help(weighted_only: bool = False) -> str:
    """The --method help: the methods of the registry (only those that read the weights, for sensitivity), in
    the current language; made when the help page is shown (:class:`appraisal.commands.clickwords.Option`)."""
    words = [_(m.help) for m in registry.METHODS if m.weighted or not weighted_only]
    if len(words) == 1:
        return words[0] + "."
    return _("{methods}, or {last}.").format(methods=", ".join(words[:-1]), last=words[-1])


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def warn(msg: str) -> None:
    """A warning: on stderr, whatever stdout carries."""
    click.echo(_("warning: {message}").format(message=msg), err=True)


def note(msg: str) -> None:
    """A note (not a problem): on stderr."""
    click.echo(_("note: {message}").format(message=msg), err=True)


@contextmanager
def progress(length: int, label: str, worth_it: bool):
    """A progress bar on stderr (when it is a terminal and the run takes more than a moment), as
    an ``update(n)`` callable; None otherwise. ``label`` is shown as given (translate it first)."""
    if not (worth_it and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


# --- standard input and output -----------------------------------------------------------------------------

def is_dash(path: str | Path | None) -> bool:
    """Whether ``path`` is ``-`` (standard input, or standard output for ``-o``)."""
    return path is not None and str(path) == DASH


def stdin_name() -> str:
    """How standard input is named in messages."""
    return _("<standard input>")


def binary_stream(name: str):
    """Standard input or output (``name``: ``stdin``/``stdout``) as bytes."""
    stream = getattr(sys, name)
    return getattr(stream, "buffer", stream)


def read_stdin() -> bytes:
    """Everything on standard input; refused when it is a terminal (nothing was piped in)."""
    stream = binary_stream("stdin")
    if stream.isatty():
        raise InputError(_("'-' reads standard input, but nothing is piped in (e.g. appraise rank - < pakiet.json)"))
    return stream.read()


def sniff(data: bytes) -> str:
    """The suffix of what ``data`` holds: ``.xlsx`` (a ZIP), ``.json``, ``.toml``, else ``.csv``."""
    if data[:4] == b"PK\x03\x04":
        return ".xlsx"
    text = data.decode("utf-8-sig", errors="replace").lstrip()
    if text[:1] in ("{", "["):
        return ".json"
    import tomllib

    try:
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return ".csv"
    return ".toml" if doc else ".csv"


def stdin_suffix(data: bytes, input_format: str | None) -> str:
    """The suffix of standard input's format: ``--input-format`` when given, else recognised from ``data``."""
    return INPUT_FORMATS[input_format] if input_format else sniff(data)


def _unstaged(text: str, staged: Path, label: str) -> str:
    """``text`` with the staged copy of standard input named as standard input (and the files beside the copy,
    such as a criteria file a package names, by their names alone)."""
    return text.replace(str(staged), label).replace(str(staged.parent) + os.sep, "")


def _relabel(exc: InputError, staged: str, label: str) -> InputError:
    """``exc`` with the staged copy of standard input named as standard input."""
    source = label if exc.source == staged else exc.source
    return InputError(_unstaged(exc.message, Path(staged), label), source=source, where=exc.where,
                      param=exc.param)


@contextmanager
def staged_input(source: Path, input_format: str | None = None):
    """``source`` as a file to read: itself, or for ``-`` standard input copied into a temporary file of
    the right suffix (errors then name standard input, not the copy). Yields (path, relabel), where
    ``relabel(text)`` puts the name of standard input in place of the copy in a message."""
    if not is_dash(source):
        yield Path(source), (lambda text: text)
        return
    import tempfile

    data = read_stdin()
    label = stdin_name()
    with tempfile.TemporaryDirectory(prefix="appraise-stdin-") as folder:
        staged = Path(folder) / f"stdin{stdin_suffix(data, input_format)}"
        staged.write_bytes(data)
        try:
            yield staged, (lambda text: _unstaged(str(text), staged, label))
        except InputError as exc:
            raise _relabel(exc, str(staged), label) from None


def check_stdout_for_binary(what: str = ".xlsx") -> None:
    """``-o -`` writes a binary file: refused when standard output is a terminal."""
    if binary_stream("stdout").isatty():
        raise InputError(_("-o - writes the {what} file to standard output, which is a terminal: redirect it "
                           "(e.g. > ocena.xlsx)").format(what=what), param="output")


def write_result(result, output: Path, lang: str, ranking=None) -> None:
    """:func:`appraisal.io.formats.save` to ``output``; for ``-``, the appraisal workbook (.xlsx) on
    standard output (refused on a terminal)."""
    from appraisal.io.formats import save

    if not is_dash(output):
        save(result, output, lang=lang, ranking=ranking)
        return
    import tempfile

    check_stdout_for_binary()
    with tempfile.TemporaryDirectory(prefix="appraise-out-") as folder:
        path = Path(folder) / "out.xlsx"
        save(result, path, lang=lang, ranking=ranking)
        copy_to_stdout(path)


def copy_to_stdout(path: Path) -> None:
    """The bytes of ``path`` on standard output."""
    import shutil

    stream = binary_stream("stdout")
    sys.stdout.flush()
    with open(path, "rb") as fh:
        shutil.copyfileobj(fh, stream)
    stream.flush()


def check_stdout_use(output: Path | None, as_json: bool) -> None:
    """``-o -`` and ``--json`` would both write to standard output: refused."""
    if is_dash(output) and as_json:
        raise InputError(_("-o - and {json} both write to standard output: choose one").format(json="--json"),
                         param="output")


# --- never overwrite an input ------------------------------------------------------------------------------

def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are one file (the same path, a symbolic or a hard link)."""
    if is_dash(a) or is_dash(b):
        return False
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return Path(a).absolute() == Path(b).absolute()


def refuse_overwriting_inputs(output: Path | None, inputs, force: bool) -> None:
    """``-o`` naming one of the command's input files is refused (exit 2), unless ``--force``."""
    if output is None or force:
        return
    for source in inputs:
        if source is not None and same_file(output, source):
            raise InputError(_("{output} is the input file {source}: writing it would destroy the input; choose "
                               "another file, or add {force} to overwrite it").format(
                output=output, source=source, force="--force"), param="output")


def split(text: str) -> list[str]:
    """Items typed as a list: separated by ``,`` or by ``;`` (the Polish spreadsheet's list separator)."""
    if not text.strip():
        return []
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()] if ";" in text else \
        [t.strip() for t in text.split(",")]


def parse_numbers(text: str, param: str = "weights") -> list[float]:
    """Numbers typed as a list: ``0.5,0.3,0.2``, or ``0,5; 0,3; 0,2`` (``;`` between them, decimal commas, the
    Polish way). A ``,`` list that reads both ways (``0,5,0,3``) is refused; both are read by
    :func:`appraisal.io.cells.split_numbers`, the plain ``,`` list of decimal points here."""
    from appraisal.criteria.judgments import reads_both_ways

    if ";" in text or reads_both_ways(text):
        from appraisal.io.cells import split_numbers

        return split_numbers(text, param)
    out = []
    for i, t in enumerate(split(text)):
        try:
            out.append(float(t))
        except ValueError:
            raise InputError(_("weight {n} is {value!r}, not a number").format(n=i + 1, value=t),
                             param=param) from None
    return out


def _matrix_inputs(m, weights_: str | None, directions: str | None, method: str):
    """The weights and directions typed for a decision matrix (a CSV): (weights, directions)."""
    if registry.get(method).card:
        raise InputError(_("{{param:method}} {method} needs a package with a criteria set (JSON/TOML), not a CSV "
                           "matrix").format(method=method))
    if directions is None:
        raise InputError(_("{{param:directions}} is required for a CSV matrix: one + (benefit) or - (cost) for "
                           "each of {criteria}").format(criteria=", ".join(m.criteria)))
    w = [1.0] * len(m.criteria) if weights_ is None else parse_numbers(weights_)
    return w, split(directions)


def load_input(source: Path, input_format: str | None = None):
    """A package or a decision matrix from ``source`` (:func:`appraisal.io.formats.load`, by suffix), or
    from standard input for ``-`` (its format from ``--input-format`` or recognised; a package's relative
    references are then relative to the current folder)."""
    from appraisal.io.formats import load

    if not is_dash(source):
        return load(source)
    data = read_stdin()
    suffix = stdin_suffix(data, input_format)
    label = stdin_name()
    if suffix == ".csv":
        from appraisal.io.csv import read_matrix

        return read_matrix(data=data, source=label)
    if suffix in (".json", ".toml"):
        from appraisal.package import parse_package

        return parse_package(data, suffix, label, Path.cwd())
    return _staged_load(data, suffix, label)


def load_package_input(source: Path, input_format: str | None, not_a_package: str):
    """A package (not a matrix) from ``source`` or standard input (``-``); ``not_a_package`` is the
    message when it is something else."""
    from appraisal.filenames import PACKAGE_SUFFIXES
    from appraisal.io.csv import DecisionMatrix
    from appraisal.io.formats import load_package

    if not is_dash(source):
        if source.suffix.lower() not in PACKAGE_SUFFIXES:
            raise InputError(not_a_package, source=str(source))
        return load_package(source)
    data = load_input(source, input_format)
    if isinstance(data, DecisionMatrix):
        raise InputError(not_a_package, source=stdin_name())
    return data


def _staged_load(data: bytes, suffix: str, label: str):
    import tempfile

    from appraisal.io.formats import load

    with tempfile.TemporaryDirectory(prefix="appraise-stdin-") as folder:
        staged = Path(folder) / f"stdin{suffix}"
        staged.write_bytes(data)
        try:
            return load(staged)
        except InputError as exc:
            raise _relabel(exc, str(staged), label) from None


def _load(source: Path, weights_: str | None, directions: str | None, input_format: str | None = None):
    """A decision matrix or a package, read by :func:`load_input`."""
    from appraisal.io.csv import DecisionMatrix

    data = load_input(source, input_format)
    if not isinstance(data, DecisionMatrix) and (weights_ is not None or directions is not None):
        raise InputError(_("{param:weights} and {param:directions} are for CSV matrices; a package takes its "
                           "weights and directions from its criteria set (override weights in its 'weights' "
                           "section)"))
    return data, isinstance(data, DecisionMatrix)


def _source_name(source: Path) -> str:
    return stdin_name() if is_dash(source) else str(source)


def _rank(source: Path, data, matrix_inputs, method: str, normalization: str):
    """The ranking of what :func:`_load` read: a matrix with its typed weights and directions, or a package."""
    if matrix_inputs is None:
        return data.rank(method, normalization)
    from appraisal.ranking import rank_matrix

    w, d = matrix_inputs
    return rank_matrix(data.ids, data.criteria, data.values, w, d, method, normalization, _source_name(source))


def load_ranking(source: Path, weights_: str | None, directions: str | None, method: str, normalization: str,
                 input_format: str | None = None):
    """Rank a CSV matrix (with --weights/--directions) or a package file (with its criteria set)."""
    data, is_matrix = _load(source, weights_, directions, input_format)
    inputs = _matrix_inputs(data, weights_, directions, method) if is_matrix else None
    return _rank(source, data, inputs, method, normalization)


def load_problem(source: Path, weights_: str | None, directions: str | None, method: str, normalization: str,
                 with_ranking: bool, input_format: str | None = None):
    """The sensitivity problem of a CSV matrix or a package file, and its ranking when ``with_ranking`` (or
    when it is a package: None for a CSV matrix otherwise, which then needs numpy alone, not pydantic)."""
    from appraisal import sensitivity as sens

    data, is_matrix = _load(source, weights_, directions, input_format)
    inputs = _matrix_inputs(data, weights_, directions, method) if is_matrix else None
    if is_matrix and not with_ranking:
        w, d = inputs
        return sens.Problem.from_matrix(data.ids, data.criteria, data.values, w, d, method, normalization,
                                        _source_name(source)), None
    rk = _rank(source, data, inputs, method, normalization)
    return sens.Problem.from_ranking(rk), rk
