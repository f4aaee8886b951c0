"""What every Excel reader and writer here shares: safe loading, safe text, atomic saving, styles.

- :func:`open_workbook` reads only a regular file (a named pipe or a device is refused without waiting), at
  most :data:`MAX_WORKBOOK_BYTES` of it, into memory; then, before openpyxl parses anything, it opens the
  archive itself and refuses, with one clear line, anything over the limits below: a part that unpacks to
  more than :data:`MAX_PART_BYTES`, all parts together over :data:`MAX_UNCOMPRESSED_BYTES` (each part is
  unpacked with a cap, so a zip directory that understates a size changes nothing), more than
  :data:`MAX_CELLS` cells (every cell of a merged or hyperlinked range counts, as openpyxl makes an object
  for each), :data:`MAX_SHARED_STRINGS` shared strings, :data:`MAX_STYLES` style records or
  :data:`MAX_XML_ELEMENTS` XML elements. openpyxl then parses the same bytes through defusedxml (installed
  as a dependency); macros are never loaded (``keep_vba=False``), and formulas are read as written. The
  readers look cells up at random (``ws._cells``), so openpyxl's read-only mode does not fit them: the
  limits bound the full load instead (about 130 MB and 3 s at :data:`MAX_CELLS`).
- :func:`put` writes a value; text that starts with ``= + - @`` is stored as text, never a formula.
- :func:`save_atomic` writes to a temporary file and renames, so a failure leaves no half-written book.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from ..criteria.documents import read_limited
from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..filenames import WORKBOOK_SUFFIXES
from .files import atomic_write

_MB = 1024 * 1024
#: the largest workbook file read
MAX_WORKBOOK_BYTES = 20 * _MB
#: the unpacked size of one part of the archive (a sheet's XML, the shared strings, the styles, ...)
MAX_PART_BYTES = 50 * _MB
#: the unpacked size of all parts together (zip bombs): a real package workbook is a few MB at most
MAX_UNCOMPRESSED_BYTES = 200 * _MB
#: parts (files) in the archive
MAX_PARTS = 10_000
#: cells over all sheets: ``<c>`` elements, comments, and every cell of a merged or hyperlinked range. A
#: package of 500 projects writes about 100,000 (the appraisal workbook with its result sheets included)
MAX_CELLS = 300_000
#: entries of the shared-strings table
MAX_SHARED_STRINGS = 300_000
#: style records: cell formats, fonts, fills, borders, number formats, differential formats, named styles
#: (Excel itself allows 64,000 cell formats)
MAX_STYLES = 65_000
#: XML elements over all parts (openpyxl makes an object of nearly every one)
MAX_XML_ELEMENTS = 1_500_000
FORMULA_STARTS = ("=", "+", "-", "@")

_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"
_COUNTED = re.compile(rb"<" + _PREFIX + rb"(c|comment|si|xf|font|fill|border|numFmt|dxf|cellStyle|mergeCell|hyperlink)"
                      rb"(?=[\s/>])")
_RANGE_TAG = re.compile(rb"<" + _PREFIX + rb"(?:mergeCell|hyperlink)(?=[\s/>])([^<]*)")
_REF = re.compile(rb"(?:^|\s)ref\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_STYLE_TAGS = (b"xf", b"font", b"fill", b"border", b"numFmt", b"dxf", b"cellStyle")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
               zlib.error, ValueError)


def _size(n: int) -> str:
    return _("{n} MB").format(n=n // _MB) if n >= _MB and n % _MB == 0 else _("{n} bytes").format(n=_count(n))


def _count(n: int) -> str:
    """A count with its thousands grouped, as the reader writes numbers (``300 000`` in Polish)."""
    from ..numfmt import number

    return number(n, 0)


def _range_cells(ref: str) -> int:
    """How many cells ``ref`` (``A1``, ``A1:B2``, ``A:A``, ``1:3``, or several separated by spaces) spans."""
    from openpyxl.utils.cell import range_boundaries

    n = 0
    for part in ref.split():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(part)
        except (ValueError, TypeError):
            continue  # openpyxl cannot read it either
        n += ((max_col or 16_384) - (min_col or 1) + 1) * ((max_row or 1_048_576) - (min_row or 1) + 1)
    return n


def check_archive(data: bytes, src: str) -> None:
    """Refuse (:class:`InputError`) a workbook archive over any of the limits above, before openpyxl sees it."""

    def refuse(msg: str) -> InputError:
        return InputError(_("{problem}; refusing to read it").format(problem=msg), source=src)

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise InputError(_("not an Excel .xlsx workbook (the file is not a valid zip archive)"), source=src) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise refuse(_("the workbook has {n} parts, more than {max}").format(n=_count(len(infos)),
                                                                                max=_count(MAX_PARTS)))
        for info in infos:  # what the zip directory says, before unpacking anything
            if info.file_size > MAX_PART_BYTES:
                raise refuse(_("part {part!r} of the workbook unpacks to more than {size}").format(
                    part=info.filename, size=_size(MAX_PART_BYTES)))
        if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
            raise refuse(_("workbook unpacks to more than {size}").format(size=_size(MAX_UNCOMPRESSED_BYTES)))
        total = elements = cells = 0
        counts: Counter[bytes] = Counter()
        for info in infos:
            if info.is_dir():
                continue
            try:
                with zf.open(info) as f:
                    part = f.read(MAX_PART_BYTES + 1)  # a cap: the size in the zip directory may lie
            except _ZIP_ERRORS as exc:
                raise InputError(_("not a readable Excel workbook: part {part!r} is damaged ({error})").format(
                    part=info.filename, error=type(exc).__name__), source=src) from None
            if len(part) > MAX_PART_BYTES:
                raise refuse(_("part {part!r} of the workbook unpacks to more than {size}").format(
                    part=info.filename, size=_size(MAX_PART_BYTES)))
            total += len(part)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise refuse(_("workbook unpacks to more than {size}").format(size=_size(MAX_UNCOMPRESSED_BYTES)))
            elements += part.count(b"<") - part.count(b"</") - part.count(b"<?") - part.count(b"<!")
            found = Counter(_COUNTED.findall(part))
            counts.update(found)
            if found[b"mergeCell"] or found[b"hyperlink"]:
                for m in _RANGE_TAG.finditer(part):
                    ref = _REF.search(m.group(1))
                    if ref is not None:
                        cells += max(_range_cells((ref.group(1) or ref.group(2) or b"").decode("latin-1")) - 1, 0)
            del part
            if cells + counts[b"c"] + counts[b"comment"] > MAX_CELLS:
                raise refuse(_("the workbook holds more than {max} cells (every cell of a merged or hyperlinked "
                               "range counted), far more than a package needs").format(max=_count(MAX_CELLS)))
            if counts[b"si"] > MAX_SHARED_STRINGS:
                raise refuse(_("the workbook holds more than {max} shared strings").format(
                    max=_count(MAX_SHARED_STRINGS)))
            if sum(counts[t] for t in _STYLE_TAGS) > MAX_STYLES:
                raise refuse(_("the workbook defines more than {max} styles (cell formats, fonts, fills, "
                               "borders)").format(max=_count(MAX_STYLES)))
            if elements > MAX_XML_ELEMENTS:
                raise refuse(_("the workbook holds more than {max} XML elements").format(max=_count(MAX_XML_ELEMENTS)))


def open_workbook(path: str | Path, data_only: bool = False):
    """Load an untrusted .xlsx/.xlsm workbook, or raise :class:`InputError` saying why not."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    path = Path(path)
    src = str(path)
    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise InputError(_("refusing to read workbooks without defusedxml installed"), source=src)
    data = read_limited(path, MAX_WORKBOOK_BYTES, _("workbook"))
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise InputError(_("unsupported workbook type {suffix!r}; expected .xlsx (or .xlsm, macros ignored)").format(
            suffix=path.suffix), source=src)
    check_archive(data, src)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_vba=False, keep_links=False)
    except InputError:
        raise
    except MemoryError:
        raise InputError(_("the workbook does not fit in memory"), source=src) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise InputError(_("cannot read the workbook ({error})").format(
            error=f"{type(exc).__name__}: {str(exc)[:120]}"), source=src) from None


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
            failure = _("the disk is full or the file too large ({error})").format(error=exc)
        gc.collect()  # the failed writers (no longer referenced by the exception) are finalised now
    finally:
        sys.unraisablehook = previous
    if failure is not None:
        raise InputError(_("cannot write: {error}").format(error=failure), source=None if path is None else str(path))
    return buf.getvalue()


def save_atomic(wb, path: str | Path) -> Path:
    """Save a workbook completely or not at all."""
    data = workbook_bytes(wb, path)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
