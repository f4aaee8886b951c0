"""Reading JSON and TOML documents into plain data, with one-line errors that say where.

Anything that is not a readable JSON/TOML object ends in :class:`InputError`: undecodable
bytes, syntax errors (with line and column), nesting too deep, files too large, and a key given
twice in one object (JSON would keep the last silently; TOML refuses it, and so do we for JSON,
naming the key, its line and column and the object it is in).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from .errors import InputError
from .i18n import _, ngettext

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _reject_constant(name: str) -> float:
    raise ValueError(_("{name} is not a number JSON allows").format(name=name))


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: the object as a dict, or :class:`_DuplicateKey` when a key repeats."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def _find_duplicate(text: str) -> tuple[str, str, int] | None:
    """(key, path of its object, offset) of the first key repeated in an object of ``text``, found by a
    walk over its tokens (only after the parser's hook has seen a duplicate: the hook knows no place)."""
    stack: list[list[Any]] = []  # [kind, keys seen or index, current key, expecting a key]
    path: list[str | int] = []

    def begin_value() -> None:
        if stack and stack[-1][0] == "[":
            stack[-1][1] += 1
            path.append(stack[-1][1])
        elif stack:
            path.append(stack[-1][2])

    def end_value() -> None:
        if stack and path:
            path.pop()

    for m in _TOKEN.finditer(text):
        tok = m.group()
        top = stack[-1] if stack else None
        if top is not None and top[0] == "{" and top[3] and tok.startswith('"'):
            try:
                key = json.loads(tok)
            except ValueError:
                return None
            if key in top[1]:
                return key, _path_text(path), m.start()
            top[1].add(key)
            top[2], top[3] = key, False
        elif tok in "{[":
            begin_value()
            stack.append(["{", set(), None, True] if tok == "{" else ["[", -1, None, False])
        elif tok in "}]":
            if not stack:
                return None
            stack.pop()
            end_value()
        elif tok == ",":
            if top is not None and top[0] == "{":
                top[3] = True
        elif tok == ":":
            pass
        else:  # a scalar value
            begin_value()
            end_value()
    return None


def _path_text(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def parse_document(data: bytes, suffix: str, source: str) -> dict[str, Any]:
    """Parse ``data`` as JSON (``.json``) or TOML (``.toml``) and return its top-level object."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(_("file is larger than {size}").format(size=_size(MAX_DOCUMENT_BYTES)), source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(_("not UTF-8 text (byte {byte})").format(byte=exc.start), source=source) from None
    suffix = suffix.lower()
    try:
        if suffix == ".json":
            doc = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
        elif suffix == ".toml":
            doc = tomllib.loads(text)
        else:
            raise InputError(_("unknown file type {suffix!r}; expected .json or .toml").format(
                suffix=suffix or _("(none)")), source=source)
    except json.JSONDecodeError as exc:
        raise InputError(_("line {line}, column {column}: invalid JSON: {reason}").format(
            line=exc.lineno, column=exc.colno, reason=exc.msg), source=source) from None
    except _DuplicateKey as exc:
        raise _duplicate_error(text, exc.key, source) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_("invalid TOML: {reason}").format(reason=exc), source=source) from None
    except RecursionError:
        raise InputError(_("nested too deeply"), source=source) from None
    except ValueError as exc:  # parse_constant, huge integers
        raise InputError(_("invalid number: {reason}").format(reason=exc), source=source) from None
    if not isinstance(doc, dict):
        raise InputError(_("expected an object at the top level, got {type}").format(type=type(doc).__name__),
                         source=source)
    return doc


def _duplicate_error(text: str, key: str, source: str) -> InputError:
    found = None
    try:
        found = _find_duplicate(text)
    except RecursionError:  # pragma: no cover - the walk keeps its own stack
        pass
    if found is None:  # pragma: no cover - the walk finds what the parser found
        return InputError(_("key {key!r} given twice in one object; each key may appear only once").format(key=key),
                          source=source)
    key, path, offset = found
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    where = path or _("the top-level object")
    return InputError(_("line {line}, column {column}: key {key!r} given twice in {where}; each key may appear "
                        "only once in an object").format(line=line, column=column, key=key, where=where),
                      source=source)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def read_limited(path: str | Path, limit: int, what: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else one :class:`InputError`.

    Only regular files are read: a named pipe would block, a device (the zero or random device, also
    through a link) reports size 0 and never ends. The file is opened without blocking and checked on
    the open descriptor (no race with a file swapped after a check), then read to ``limit`` + 1 bytes at
    most, so a file that grows while it is read is refused as well. ``what``: the file's kind in a
    message, in the current language (default: "file")."""
    source = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(_("no such file"), source=source) from None
    except IsADirectoryError:
        raise InputError(_("is a directory, expected a file"), source=source) from None
    except OSError as exc:
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc), source=source) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(_("is {kind}, not a regular file; only regular files are read").format(kind=_kind(mode)),
                             source=source)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc), source=source) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(_("{what} is larger than {size}").format(what=what or _("file"), size=_size(limit)),
                         source=source)
    return data


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB" if n >= 1024 else ngettext("{n} byte", "{n} bytes", n).format(n=n)


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a JSON or TOML file (see :func:`parse_document`)."""
    path = Path(path)
    data = read_limited(path, MAX_DOCUMENT_BYTES)
    return parse_document(data, path.suffix, str(path))
