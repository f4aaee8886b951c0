"""Writing files safely: to a temporary file beside the target, then an atomic rename.

A failure never leaves a half-written file, and an existing file is replaced only by a complete one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..criteria import InputError


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` to produce the file, then move it over ``path`` in one step."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the folder to write into does not exist", source=str(path))
    if path.is_dir():
        raise InputError("is a folder; give a file name to write", source=str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", source=str(path)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:  # disk full, permissions, a folder put in its place meanwhile: one line
        tmp_path.unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def atomic_write_json(path: str | Path, obj) -> Path:
    """``obj`` as indented UTF-8 JSON (Polish letters as they are), written atomically."""
    import json

    return atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
