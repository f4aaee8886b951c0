"""What every Excel reader and writer here shares: safe loading, safe text, atomic saving, styles.

- :func:`open_workbook` refuses files over a size limit, non-xlsx content and broken archives with
  one clear line; openpyxl parses through defusedxml (installed as a dependency), macros are never
  loaded (``keep_vba=False``), and formulas are read as written.
- :func:`put` writes a value; text that starts with ``= + - @`` is stored as text, never a formula.
- :func:`save_atomic` writes to a temporary file and renames, so a failure leaves no half-written book.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import Any

from ..criteria import InputError
from .files import atomic_write

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: uncompressed size limit (zip bombs): a real package workbook is a few MB at most
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@")


def open_workbook(path: str | Path, data_only: bool = False):
    """Load an untrusted .xlsx/.xlsm workbook, or raise :class:`InputError` saying why not."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    path = Path(path)
    src = str(path)
    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise InputError("refusing to read workbooks without defusedxml installed", source=src)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", source=src) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=src) from None
    if path.is_dir():
        raise InputError("is a directory, expected a workbook", source=src)
    if size > MAX_WORKBOOK_BYTES:
        raise InputError(f"workbook is {size / 1e6:.1f} MB, over the {MAX_WORKBOOK_BYTES // (1024 * 1024)} MB "
                         f"limit for a package workbook", source=src)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"unsupported workbook type {path.suffix!r}; expected .xlsx (or .xlsm, macros ignored)",
                         source=src)
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputError("not an Excel .xlsx workbook (the file is not a valid zip archive)", source=src) from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError("workbook unpacks to more than 200 MB; refusing to read it", source=src)
    try:
        return openpyxl.load_workbook(path, data_only=data_only, keep_vba=False, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise InputError(f"cannot read the workbook ({type(exc).__name__}: {str(exc)[:120]})", source=src) from None


def put(ws, row: int, col: int, value: Any, style: dict[str, Any] | None = None):
    """Write ``value`` into a cell; strings are always text (``=cmd|...`` never becomes a formula),
    without the control characters a workbook cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot carry
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel shows and keeps it as text even after editing
    else:
        cell.value = value
    if style:
        for k, v in style.items():
            setattr(cell, k, v)
    return cell


def formula(ws, row: int, col: int, text: str, style: dict[str, Any] | None = None):
    """Write a formula we built ourselves (never user text)."""
    assert text.startswith("=")
    cell = ws.cell(row=row, column=col)
    cell.value = text
    if style:
        for k, v in style.items():
            setattr(cell, k, v)
    return cell


def workbook_bytes(wb, path: str | Path | None = None) -> bytes:
    """The workbook's file, made in memory (``path``: the file it is for, named in an error).

    openpyxl still writes each sheet to a temporary file first, and when the disk fills up there it
    fails with an OSError or lxml's ``SerialisationError`` (IO_ENOSPC) — and its half-closed writers and
    zip archive then fail again in their finalisers, printing "Exception ignored … Traceback" after any
    message. So: the archive is in memory (nothing half-written on disk), the first error becomes one
    line (:class:`InputError`), and the finalisers' echoes of it are collected here and dropped."""
    import gc
    import io

    buf = io.BytesIO()
    echoes: list = []
    previous = sys.unraisablehook
    sys.unraisablehook = echoes.append
    failure = None
    try:
        try:
            wb.save(buf)
        except OSError as exc:
            failure = exc.strerror or str(exc)
        except Exception as exc:
            if type(exc).__name__ != "SerialisationError":  # lxml's, for a failed write of a temporary file
                raise
            failure = f"the disk is full or the file too large ({exc})"
        gc.collect()  # the failed writers (no longer referenced by the exception) are finalised now
    finally:
        sys.unraisablehook = previous
    if failure is not None:
        raise InputError(f"cannot write: {failure}", source=None if path is None else str(path))
    return buf.getvalue()


def save_atomic(wb, path: str | Path) -> Path:
    """Save a workbook completely or not at all."""
    data = workbook_bytes(wb, path)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def cell_ref(ws_title: str, row: int, col: int, absolute: bool = True) -> str:
    from openpyxl.utils import get_column_letter, quote_sheetname

    letter = get_column_letter(col)
    ref = f"${letter}${row}" if absolute else f"{letter}{row}"
    return f"{quote_sheetname(ws_title)}!{ref}"
