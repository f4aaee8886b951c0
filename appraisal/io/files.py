"""Writing files safely: to a temporary file beside the target, then an atomic rename.

A failure never leaves a half-written file, and an existing file is replaced only by a complete one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..filenames import LOCK_NAME  # the lock file a run holds in its output folder (batch, opinions)


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` to produce the file, then move it over ``path`` in one step."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(_("the folder to write into does not exist"), source=str(path))
    if path.is_dir():
        raise InputError(_("is a folder; give a file name to write"), source=str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(_("cannot write here: {error}").format(error=exc.strerror or exc), source=str(path)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:  # disk full, permissions, a folder put in its place meanwhile: one line
        tmp_path.unlink(missing_ok=True)
        raise InputError(_("cannot write: {error}").format(error=exc.strerror or exc), source=str(path)) from None
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




@contextlib.contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` (``folder/.appraise.lock``, ``fcntl.flock``) while the block
    runs: a second run writing into the same folder gets one line instead of mixing its results with
    this one's. The lock goes with the process (also when it is killed); the file is left in place
    (removing it could let a third run lock a new file while the second still holds the old one).
    Where ``fcntl`` is missing (Windows) no lock is taken."""
    folder = Path(folder)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield folder / LOCK_NAME
        return
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise InputError(_("cannot lock the output folder: {error}").format(error=exc.strerror or exc), source=str(path)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(_("another appraise run is writing into this folder; wait for it to finish or "
                               "choose another output folder"), source=str(folder)) from None
        except OSError as exc:
            raise InputError(_("cannot lock the output folder: {error}").format(error=exc.strerror or exc), source=str(path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        os.close(fd)  # releases the lock
