"""The criteria sets: the built-in ones (data files in ``sets/``), a set file, their checks and schema."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .documents import parse_document, read_document
from .errors import InputError
from .i18n import _
from .models import CriteriaSet
from .problems import first_problem, validation_problems

_PACKAGE = __package__  # appraisal.criteria (installed) / criteria (a checkout's tests)


def builtin_sets() -> list[str]:
    """Names of the built-in criteria sets."""
    folder = resources.files(_PACKAGE) / "sets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def criteria_problems(doc: Any, source: str | None = None) -> tuple[CriteriaSet | None, list[InputError]]:
    """Validate a criteria document: the set (when it parses) and every problem found."""
    try:
        cs = CriteriaSet.model_validate(doc)
    except ValidationError as exc:
        return None, validation_problems(exc, source)
    return cs, [InputError(msg, source=source, where=where) for where, msg in cs.problems()]


def criteria_from_document(doc: Any, source: str | None = None) -> CriteriaSet:
    cs, problems = criteria_problems(doc, source)
    if problems:
        raise first_problem(problems)
    assert cs is not None
    return cs


def load_criteria(ref: str | Path, base: Path | None = None) -> CriteriaSet:
    """Load a criteria set: a built-in name (``cwd``) or a path to a ``.toml``/``.json`` file.

    A relative path is taken relative to ``base`` (the folder of the package that names it).
    Sets are parsed and checked once and then shared (a batch reads thousands of packages naming
    the same set): treat the returned set as read-only. A file is read again when it changes.
    """
    ref_s = str(ref)
    if ref_s in _builtin_names():
        return _builtin(ref_s)
    path = Path(ref_s)
    if not path.is_absolute() and base is not None:
        path = base / path
    if path.suffix.lower() not in (".toml", ".json"):
        raise InputError(_("unknown criteria set {name!r}: not a built-in set ({sets}) nor a .toml/.json file").format(
            name=ref_s, sets=", ".join(builtin_sets())))
    try:
        st = path.stat()
        stamp = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None  # read_document below says what is wrong
    if stamp is not None and stamp in _FILE_CACHE:
        return _FILE_CACHE[stamp]
    cs = criteria_from_document(read_document(path), str(path))
    if stamp is not None:
        if len(_FILE_CACHE) > 256:
            _FILE_CACHE.clear()
        _FILE_CACHE[stamp] = cs
    return cs


_FILE_CACHE: dict[tuple[str, int, int], CriteriaSet] = {}


@lru_cache(maxsize=1)
def _builtin_names() -> frozenset[str]:
    return frozenset(builtin_sets())


@cache
def _builtin(name: str) -> CriteriaSet:
    data = (resources.files(_PACKAGE) / "sets" / f"{name}.toml").read_bytes()
    source = _("built-in set {name}").format(name=name)
    return criteria_from_document(parse_document(data, ".toml", source), source)


def criteria_schema() -> dict[str, Any]:
    """JSON Schema of a criteria set file."""
    schema = CriteriaSet.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "appraise criteria set"
    return schema
