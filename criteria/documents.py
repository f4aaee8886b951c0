"""Reading JSON and TOML documents into plain data, with one-line errors that say where.

Anything that is not a readable JSON/TOML object ends in :class:`InputError`: undecodable
bytes, syntax errors (with line and column), nesting too deep, files too large.
"""

from __future__ import annotations

import json
import os
import stat
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
        raise InputError(f"file is larger than {_size(MAX_DOCUMENT_BYTES)}", source=source)
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


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else one :class:`InputError`.

    Only regular files are read: a named pipe would block, a device (the zero or random device, also
    through a link) reports size 0 and never ends. The file is opened without blocking and checked on
    the open descriptor (no race with a file swapped after a check), then read to ``limit`` + 1 bytes at
    most, so a file that grows while it is read is refused as well."""
    source = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"is {_kind(mode)}, not a regular file; only regular files are read", source=source)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(f"{what} is larger than {_size(limit)}", source=source)
    return data


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB" if n >= 1024 else f"{n} bytes"


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a JSON or TOML file (see :func:`parse_document`)."""
    path = Path(path)
    data = read_limited(path, MAX_DOCUMENT_BYTES)
    return parse_document(data, path.suffix, str(path))
