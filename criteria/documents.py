"""Reading JSON and TOML documents into plain data, with one-line errors that say where.

Anything that is not a readable JSON/TOML object ends in :class:`InputError`: undecodable
bytes, syntax errors (with line and column), nesting too deep, files too large.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from .errors import InputError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_document(data: bytes, suffix: str, source: str) -> dict[str, Any]:
    """Parse ``data`` as JSON (``.json``) or TOML (``.toml``) and return its top-level object."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", source=source) from None
    suffix = suffix.lower()
    try:
        if suffix == ".json":
            doc = json.loads(text, parse_constant=_reject_constant)
        elif suffix == ".toml":
            doc = tomllib.loads(text)
        else:
            raise InputError(f"unknown file type {suffix or '(none)'!r}; expected .json or .toml", source=source)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}", source=source) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", source=source) from None
    except RecursionError:
        raise InputError("nested too deeply", source=source) from None
    except ValueError as exc:  # parse_constant, huge integers
        raise InputError(f"invalid number: {exc}", source=source) from None
    if not isinstance(doc, dict):
        raise InputError(f"expected an object at the top level, got {type(doc).__name__}", source=source)
    return doc


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a JSON or TOML file (see :func:`parse_document`)."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(f"file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", source=source)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=source) from None
    return parse_document(data, path.suffix, source)
