"""Big sheets quickly: the cells of a sheet written straight as OOXML, the rest by openpyxl.

openpyxl spends 6–14 µs on every cell it writes, even in write-only mode (a Cell object, its
style looked up, an lxml element per cell and per value); the national workbook of a 10,000-package
run has five million cells, so it took over a minute. Here openpyxl still makes the workbook —
its parts, relationships, styles, column widths, frozen panes, filters, conditional formats and
page setup — but the sheets are left empty (``<sheetData/>``) and their rows are written by
:class:`SheetRows` as text (about 1 µs a cell) into a temporary file, then put into place when
the saved package is copied, once, into its final file (:func:`save_with_rows`).

What a cell can hold: a number, a bool, text (always text: stored as an inline string, and text
that starts with ``= + - @`` also gets Excel's quote prefix so that it stays text after editing),
or a :class:`Formula` built by us. Styles are openpyxl style dicts (``{"font": Font(...),
"number_format": ...}``), registered in the workbook's own style table. Internal hyperlinks
(to a sheet) are written into the sheet's ``<hyperlinks>``. Characters that XML cannot carry
(control characters) are dropped from text.

Spreadsheets do not measure a cell's text when a file is opened: a column is as wide and a row as
tall as the file says. :func:`text_lines`, :func:`fit_columns` and :func:`fit_rows` measure the text
here so that columns are wide enough for their numbers and labels (no label cut off, no word broken)
and rows with wrapped text tall enough to show all of it.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter, quote_sheetname

from ..criteria.errors import InputError
from .files import atomic_write
from .xlsx import FORMULA_STARTS, workbook_bytes

_COLS = [get_column_letter(j) for j in range(1, 16385)]
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


#: the most characters a spreadsheet cell holds (Excel); longer texts are cut, ending in "…"
CELL_CHARS = 32_767


class Formula(str):
    """A formula we built (``=SUM(...)``), never user text."""


_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;",
           **{c: None for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}}
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(s: str) -> str:
    """Text as XML character data: ``& < >`` and carriage returns (which XML reads as line feeds)
    escaped, characters XML cannot carry dropped."""
    return s.translate(_ESCAPE) if _SPECIAL.search(s) else s


def _attr(s: str) -> str:
    return _text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


class _Quoted:
    """The quote-prefix style id for rows without styles, registered on first use."""

    def __init__(self, rows: SheetRows):
        self.rows = rows

    def __getitem__(self, j: int) -> int:
        return self.rows.style_id(None, quote=True)


class SheetRows:
    """The rows of one sheet of a write-only openpyxl workbook, written from the top as OOXML."""

    def __init__(self, ws):
        self.ws = ws
        self.r = 0
        self.max_col = 0
        self.links: list[tuple[str, str]] = []
        self._styles: dict[tuple[int, bool], int] = {}
        self._rows_styles: dict[tuple, tuple[list[int], list[int]]] = {}
        self._frozen = False  # in the process that writes rows for another: no new style may be registered
        self._busy = False  # in the process that handed its rows to another: no row may be written here
        self._keep: list[Any] = []  # the style dicts whose id() keys the cache stay alive
        fd, name = tempfile.mkstemp(prefix="appraise-rows-", suffix=".xml")
        self.path = Path(name)
        self._f = os.fdopen(fd, "w", encoding="utf-8")

    def style_id(self, style: dict[str, Any] | None, quote: bool = False) -> int:
        """The workbook's id of a style (0 = the default), registered once."""
        if style is None and not quote:
            return 0
        key = (id(style), quote)
        sid = self._styles.get(key)
        if sid is None:
            if self._frozen:
                raise RuntimeError(f"sheet {self.ws.title!r}: a style not registered before the rows were handed "
                                   f"to another process (SheetRows.register)")
            cell = WriteOnlyCell(self.ws)
            for k, v in (style or {}).items():
                setattr(cell, k, v)
            if quote:
                cell.quotePrefix = True
            sid = self._styles[key] = cell.style_id
            self._keep.append(style)
        return sid

    def _ids(self, styles: list[dict | None] | None, n: int) -> tuple[list[int], Any]:
        """The style ids of a row's styles, and the same with the quote prefix (text like ``=…``)."""
        if styles is None:  # the quoted variant (text like "=…") is registered when first needed
            return [0] * n, _Quoted(self)
        key = tuple(map(id, styles))
        hit = self._rows_styles.get(key)
        if hit is None:
            hit = self._rows_styles[key] = ([self.style_id(st) for st in styles],
                                            [self.style_id(st, quote=True) for st in styles])
            self._keep.append(styles)
        if len(hit[0]) < n:
            raise ValueError(f"{n} values but styles for {len(hit[0])}")
        return hit

    def register(self, *style_rows: list[dict | None]) -> None:
        """Register the styles of rows to come (before they are written in another process)."""
        for styles in style_rows:
            self._ids(styles, len(styles))

    def row(self, values: list[Any] = (), styles: list[dict | None] | None = None, height: float | None = None,
            links: dict[int, str] | None = None) -> int:
        """Append one row (``None`` or ``""`` = an empty cell); returns its number.

        ``styles``: one openpyxl style dict (or None) per value; ``links``: column index (0-based)
        → the title of the sheet that cell links to."""
        if self._busy:
            raise RuntimeError(f"sheet {self.ws.title!r}: its rows are being written by another process")
        self.r += 1
        r = str(self.r)
        sids, quoted = self._ids(styles, len(values))
        parts = []
        for j, v in enumerate(values):
            if v is None or v == "":
                continue
            t = type(v)
            if t is float or t is int:
                if t is float and not math.isfinite(v):
                    continue
                parts.append(f'<c r="{_COLS[j]}{r}" s="{sids[j]}" t="n"><v>{v!r}</v></c>')
            elif t is Formula:
                parts.append(f'<c r="{_COLS[j]}{r}" s="{sids[j]}"><f>{_text(v[1:])}</f></c>')
            elif isinstance(v, str):
                if len(v) > CELL_CHARS:  # what a cell holds; the full text stays in the JSON outputs
                    v = v[:CELL_CHARS - 1] + "…"
                text = _text(v)
                if not text:  # nothing left that XML can carry
                    continue
                sid = quoted[j] if v.startswith(FORMULA_STARTS) else sids[j]
                parts.append(f'<c r="{_COLS[j]}{r}" s="{sid}" t="inlineStr"><is><t xml:space="preserve">'
                             f'{text}</t></is></c>')
            elif isinstance(v, bool):
                parts.append(f'<c r="{_COLS[j]}{r}" s="{sids[j]}" t="b"><v>{int(v)}</v></c>')
            else:  # numpy and other numbers
                x = float(v)
                if math.isfinite(x):
                    parts.append(f'<c r="{_COLS[j]}{r}" s="{sids[j]}" t="n"><v>{x!r}</v></c>')
        if links:
            self.links.extend((f"{_COLS[j]}{r}", f"{quote_sheetname(title)}!A1") for j, title in links.items())
        self.max_col = max(self.max_col, len(values))
        head = f'<row r="{r}" ht="{height:g}" customHeight="1">' if height is not None else f'<row r="{r}">'
        self._f.write(head + "".join(parts) + "</row>")
        return self.r

    def blank(self, n: int = 1) -> None:
        self.r += n

    def close(self) -> None:
        if not self._f.closed:
            self._f.close()

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


@contextmanager
def fill_elsewhere(sheets: list[SheetRows], fill: Callable[[], None]):
    """Run ``fill()``, which writes the rows of ``sheets`` (and may do other work that writes no rows
    elsewhere), in a forked process while the body writes the other sheets: two cores build one
    workbook. The styles ``fill`` uses must be registered first (:meth:`SheetRows.register`), since
    style ids belong to the workbook in this process; an unregistered one stops the child with an
    error. Afterwards ``sheets`` know their rows (count, columns, links) as if written here. Where
    processes cannot be forked, ``fill()`` runs here before the body. An error in ``fill`` is
    raised here after the body.

    Kept because the 10,000-package target (< 30 s) needs it: re-measured for issue 12, it saves
    ≈2 s of ≈29 s, and without it 3 of 6 runs missed the target (benchmarks/README.md, "The forked
    league writer, re-measured")."""
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        fill()
        yield
        return
    for sh in sheets:
        sh._f.flush()  # nothing of this process's buffer may be written after the child's rows
    reader, writer = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            for sh in sheets:
                sh._frozen = True
            fill()
            for sh in sheets:
                sh.close()
            writer.send(("ok", [(sh.r, sh.max_col, sh.links) for sh in sheets]))
        except InputError as exc:  # a file-system refusal: one line for the user, as here
            writer.send(("input", (exc.message, exc.source, exc.where)))
        except BaseException as exc:  # noqa: BLE001 - reported by the parent
            writer.send(("error", f"{type(exc).__name__}: {exc}"))

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    writer.close()
    for sh in sheets:
        sh._busy = True
    try:
        yield
    finally:
        try:
            status, payload = reader.recv()
        except EOFError:
            status, payload = "error", "the process writing them stopped"
        proc.join()
        reader.close()
        for sh in sheets:
            sh._busy = False
    if status == "input":
        message, source, where = payload
        raise InputError(message, source=source, where=where)
    if status != "ok":
        raise RuntimeError(f"sheets {', '.join(sh.ws.title for sh in sheets)}: {payload}")
    for sh, (r, max_col, links) in zip(sheets, payload):
        sh.r, sh.max_col, sh.links = r, max_col, links


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its part name in the package (``xl/worksheets/sheetN.xml``)."""
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
    out = {}
    for sh in wb.find("m:sheets", _NS).findall("m:sheet", _NS):
        t = target[sh.get(f"{{{_NS['r']}}}id")]
        out[sh.get("name")] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return out


_EMPTY_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_AFTER_LINKS = re.compile(rb"<printOptions|<pageMargins|<pageSetup|<headerFooter|<drawing|<legacyDrawing|<tableParts"
                          rb"|<extLst|</worksheet>")


def save_with_rows(wb, sheets: list[SheetRows], path: str | Path) -> Path:
    """Save ``wb`` (write-only, its ``sheets`` left without rows) with the rows of ``sheets``
    put into place; atomically, and the temporary row files removed whatever happens."""
    try:
        for sh in sheets:
            sh.close()
        with tempfile.TemporaryDirectory(prefix="appraise-book-") as tmp:
            plain = Path(tmp) / "book.xlsx"
            plain.write_bytes(workbook_bytes(wb, path))  # made in memory: see xlsx.workbook_bytes
            return atomic_write(path, lambda out: _splice(plain, sheets, out))
    finally:
        for sh in sheets:
            sh.discard()


def _splice(plain: Path, sheets: list[SheetRows], out: Path) -> None:
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        parts = _sheet_parts(src)
        rows = {parts[sh.ws.title]: sh for sh in sheets}
        for info in src.infolist():
            data = src.read(info.filename)
            sh = rows.get(info.filename)
            if sh is None:
                dst.writestr(info, data)
                continue
            m = _EMPTY_DATA.search(data)
            if m is None:
                raise ValueError(f"sheet {sh.ws.title!r} has rows of its own; write them all with SheetRows")
            head, tail = data[:m.start()], data[m.end():]
            if sh.r and sh.max_col:  # the used range, for readers that trust it (openpyxl's read-only mode)
                dim = f'<dimension ref="A1:{_COLS[sh.max_col - 1]}{sh.r}"/>'.encode()
                head, found = _DIMENSION.subn(dim, head, count=1)
                if not found:
                    at = head.find(b"<sheetViews")
                    head = head[:at] + dim + head[at:] if at >= 0 else head
            if sh.links:
                links = "<hyperlinks>" + "".join(f'<hyperlink ref="{ref}" location="{_attr(loc)}"/>'
                                                 for ref, loc in sh.links) + "</hyperlinks>"
                at = _AFTER_LINKS.search(tail)
                tail = tail[:at.start()] + links.encode() + tail[at.start():]
            with dst.open(info.filename, "w") as f:  # deflated, like the rest
                f.write(head + b"<sheetData>")
                with sh.path.open("rb") as rows_file:
                    shutil.copyfileobj(rows_file, f, 1 << 20)
                f.write(b"</sheetData>" + tail)


# --- measuring text: columns and rows that show what they hold ------------------------------------------

#: the width of a character of 11-point text in units of column width (a unit is the width of a digit):
#: measured on DejaVu Sans, which LibreOffice shows when Calibri is missing and which is wider than
#: Calibri, so that a text measured here is not cut in either (in Excel rows may be a little taller than
#: they need). Bold text is a fifth wider.
_NARROW = frozenset("il.,:;'|!()[]{}ıłIfjtr\"-–/")
_WIDE = frozenset("mwMW@%—…")
BOLD_FACTOR = 1.2
#: the widths below, measured on plain text, are a little short of LibreOffice's layout
SCALE = 1.06
#: the height of one line of 11-point text, in points
LINE_HEIGHT = 15.0
#: the width a column has when the file does not say (Excel's default)
DEFAULT_WIDTH = 8.43
#: a cell's padding, in units
PADDING = 1.0
#: where a line may break: ordinary spaces and tabs, not the no-break spaces of grouped numbers
_BREAKS = re.compile(r"[ \t]+")


def _units(text: str, bold: bool = False, size: float = 11.0) -> float:
    """The width of ``text`` on one line, in units of column width."""
    u = 0.0
    for ch in text:
        if ch.isdigit():
            u += 1.0
        elif ch in " \xa0\u202f":
            u += 0.5
        elif ch in _WIDE:
            u += 1.4
        elif ch in _NARROW:
            u += 0.5
        elif ch.isupper():
            u += 1.1
        else:
            u += 0.9
    return u * SCALE * (BOLD_FACTOR if bold else 1.0) * size / 11.0


def text_lines(text: str, width: float, bold: bool = False, size: float = 11.0) -> int:
    """The lines ``text`` takes in a wrapped cell ``width`` units wide: words wrap whole, as spreadsheets
    wrap them (a word longer than a line is broken), and each line break starts a new line."""
    room = max(1.0, width - PADDING)
    space = _units(" ", bold, size)
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in _BREAKS.split(para):  # a no-break space (as in "7 440 000 zł") holds its word together
            if not word:
                continue
            n = _units(word, bold, size)
            if used and used + space + n <= room:
                used += space + n
                continue
            if used:
                lines += 1
            while n > room:  # a word longer than a line takes more of them
                lines += 1
                n -= room
            used = n
        total += lines
    return total


def text_width(text: str, bold: bool = False, size: float = 11.0) -> float:
    """The column width that shows ``text`` on one line."""
    return _units(text, bold, size) + PADDING


def longest_word(text: str, bold: bool = False) -> str:
    """The widest word of ``text`` (a wrapped cell must be at least that wide, or the word is broken)."""
    return max(_BREAKS.split(str(text).replace("\n", " ")), key=lambda w: _units(w, bold), default="")


def _decimals(number_format: str) -> int | None:
    """The decimals a number format shows (``0.0000`` → 4, ``#,##0`` → 0); None for General."""
    m = re.search(r"0(?:\.(0+))?(?![\d.])", number_format or "")
    if m is None or number_format == "General":
        return None
    return len(m.group(1) or "")


def shown_text(cell) -> str | None:
    """What a cell shows, near enough to measure it: its text, a number in its number format, a formula's
    number as wide as its format makes it (its value is not known here); None for an empty cell."""
    v = cell.value
    if v is None or v == "":
        return None
    if isinstance(v, str) and cell.data_type != "f":
        return v
    if isinstance(v, bool):
        return "FALSE"
    d = _decimals(cell.number_format)
    grouped = "," in (cell.number_format or "")
    if isinstance(v, (int, float)):
        if d is None:
            return f"{v:g}" if isinstance(v, float) else str(v)
        return f"{v:,.{d}f}" if grouped else f"{v:.{d}f}"
    # a formula: as wide as a typical value in its format
    if d is None:
        return "0000"
    return "000 000 000" if grouped else "0." + "0" * d


def _merged_spans(ws) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """The merged ranges: top-left (row, col) → (first col, last col), and every cell they cover."""
    spans, covered = {}, set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.min_col, rng.max_col)
        covered.update((r, c) for r in range(rng.min_row, rng.max_row + 1)
                       for c in range(rng.min_col, rng.max_col + 1))
    return spans, covered


def column_width(ws, col: int) -> float:
    """A column's width as the file gives it (the default when it gives none)."""
    dim = ws.column_dimensions.get(get_column_letter(col))
    return dim.width if dim is not None and dim.customWidth and dim.width else DEFAULT_WIDTH


def fit_columns(ws, first_row: int = 1, last_row: int | None = None, heads: tuple[int, ...] = (),
                lo: float = 6.0, hi: float = 50.0, columns: list[int] | None = None,
                fixed: dict[int, float] | None = None) -> None:
    """Make each column as wide as what it holds in rows ``first_row`` … ``last_row`` needs, between ``lo``
    and ``hi``: its numbers and unwrapped texts on one line, its wrapped texts on one line up to ``hi``
    (beyond, they wrap: :func:`fit_rows`), the wrapped texts of the header rows ``heads`` only as wide as
    their longest word. Cells of merged ranges, hidden rows and hidden columns are left out; ``fixed`` gives
    some columns their width."""
    last = last_row or ws.max_row
    _spans, covered = _merged_spans(ws)
    hidden_cols = {c for c in range(1, ws.max_column + 1)
                   if (d := ws.column_dimensions.get(get_column_letter(c))) is not None and d.hidden}
    need: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row, max_row=last):
        dim = ws.row_dimensions.get(row[0].row) if row else None
        if dim is not None and dim.hidden:
            continue
        for cell in row:
            if ((cell.row, cell.column) in covered or cell.column in hidden_cols
                    or (columns is not None and cell.column not in columns)):
                continue
            text = shown_text(cell)
            if text is None:
                continue
            bold, size = bool(cell.font.b), float(cell.font.sz or 11.0)
            if not isinstance(cell.value, str) or cell.data_type == "f":  # a number: a unit a digit
                width = len(text) * size / 11.0 + 1.5
            elif cell.alignment.wrap_text:
                word = text_width(longest_word(text, bold), bold, size)
                width = word if cell.row in heads else max(word, min(text_width(text, bold, size), hi))
            else:
                width = text_width(text, bold, size)
            need[cell.column] = max(need.get(cell.column, 0.0), width)
    for col, width in need.items():
        ws.column_dimensions[get_column_letter(col)].width = math.ceil(min(max(width, lo), hi) * 10) / 10
    for col, width in (fixed or {}).items():
        ws.column_dimensions[get_column_letter(col)].width = width


def fit_rows(ws, first_row: int = 1, last_row: int | None = None, most: float = 409.0) -> None:
    """Give each row with wrapped text the height its tallest cell needs (at most ``most`` points, a
    spreadsheet's limit), counting the widths of merged cells together; a row already taller stays."""
    last = last_row or ws.max_row
    spans, covered = _merged_spans(ws)
    widths: dict[int, float] = {}

    def width(c: int) -> float:
        if c not in widths:
            widths[c] = column_width(ws, c)
        return widths[c]

    for row in ws.iter_rows(min_row=first_row, max_row=last):
        height = 0.0
        for cell in row:
            text = cell.value
            if not isinstance(text, str) or cell.data_type == "f" or not cell.alignment.wrap_text:
                continue
            key = (cell.row, cell.column)
            if key in covered and key not in spans:
                continue
            c0, c1 = spans.get(key, (cell.column, cell.column))
            size = float(cell.font.sz or 11.0)
            lines = text_lines(text, sum(width(c) for c in range(c0, c1 + 1)), bool(cell.font.b), size)
            height = max(height, lines * LINE_HEIGHT * size / 11.0 + 2.0)
        if height > LINE_HEIGHT + 2.0:
            r = row[0].row
            current = ws.row_dimensions[r].height
            if current is None or current < height:
                ws.row_dimensions[r].height = min(height, most)


# --- printing: tables and charts kept on one page ----------------------------------------------------------

#: the printable area of an A4 page in landscape with openpyxl's default margins (0.75" left and right,
#: 1" top and bottom), in points
A4_LANDSCAPE = (11.69 * 72 - 1.5 * 72, 8.27 * 72 - 2.0 * 72)


def _width_points(width: float) -> float:
    """A column's width in points (Excel: ``7·width + 5`` pixels of the default font, 0.75 pt a pixel)."""
    return (7.0 * width + 5.0) * 0.75


def page_rows_height(ws, page: tuple[float, float] = A4_LANDSCAPE) -> float:
    """How many points of rows a printed page holds when the sheet is fitted one page wide."""
    total = sum(_width_points(column_width(ws, c)) for c in range(1, ws.max_column + 1)
                if not ((d := ws.column_dimensions.get(get_column_letter(c))) is not None and d.hidden))
    scale = min(1.0, page[0] / total) if total else 1.0
    return page[1] / scale


def keep_together(ws, blocks: list[tuple[int, int, float]], repeated: float = 0.0,
                  page: tuple[float, float] = A4_LANDSCAPE) -> list[int]:
    """Put a page break before each block that would otherwise straddle two printed pages.

    ``blocks``: (first row, last row, points below the last row that belong to it, e.g. a chart), top to
    bottom; ``repeated``: the height of the rows printed at the top of every page. A block taller than a
    page starts a page and runs on. Returns the rows the breaks are before."""
    from openpyxl.worksheet.pagebreak import Break

    capacity = page_rows_height(ws, page)

    def height(r: int) -> float:
        dim = ws.row_dimensions.get(r)
        if dim is not None and dim.hidden:
            return 0.0
        return dim.height if dim is not None and dim.height else LINE_HEIGHT

    used, row, breaks = 0.0, 1, []
    for first, last, extra in blocks:
        used += sum(height(r) for r in range(row, first))
        size = sum(height(r) for r in range(first, last + 1)) + extra
        if used > repeated and used + size > capacity:
            ws.row_breaks.append(Break(id=first - 1))
            breaks.append(first)
            used = repeated
        used += size
        while used > capacity:  # a block taller than a page runs on
            used -= capacity - repeated
        row = last + 1
    return breaks
