"""Advisory opinions as Word documents (python-docx), and the advisor's sections read back.

- :func:`write_opinion_docx`: one project's opinion — title block (Opinia doradcza — Komponent II;
  partnership, voivodeship, project, advisor, date), numbered sections with tables (see
  :mod:`appraisal.io.opinion_layout`; the criteria under their group's row), a signature block and the
  provenance (engine version, input hash) in the document and in the page footer, with "Strona X z Y"
  (PAGE and NUMPAGES fields); the partnership and the project in the page header. Language of the text
  set to pl-PL (or en-GB) so Word's proofing works; every word in the opinion's language.
- :func:`write_bundle_docx`: every opinion of the package after a one-page summary table (project, rank,
  score, recommendation, the deciding rule), each opinion from a new page with its project in the header.

The page is A4 portrait with 2 cm margins; the font Arial (in LibreOffice its metric twin Liberation
Sans), 10 pt, tables 8–8.5 pt, tight spacing: an opinion takes two to three pages. Every table spans the
text width with its column widths set where Word and LibreOffice both read them (w:tblGrid, every cell's
w:tcW, w:tblW, fixed layout): chosen from the text by :func:`column_widths`, measured with the font's
widths, so that no column is narrower than its longest word and the table is as short as it can be.

- :func:`read_advisor_sections`: the text an advisor wrote under "7.2 Zalecenia doradcy" and
  "8. Uwagi doradcy" (found by heading text in either language, numbers ignored; the section runs to
  the next generated heading of the same or a higher level, or the signature block; the advisor's own
  sub-headings and tables in it are kept as text; the placeholder line is dropped);
  :func:`read_advisor_docx` also reads the comment column of the section-3 table. The text is read as
  Word shows it with the changes accepted (content controls, field results, smart tags, custom XML
  included; deleted text left out); a tracked change still pending in 7.2, 8 or the comment column
  stops the run (InputError). The file is read only when it is a regular file of at most 20 MB whose
  document.xml and styles.xml unpack to at most 20 MB each (checked on the zip directory before
  reading, and while reading); XML entities are never resolved and a DOCTYPE is refused; the read is
  linear in the size of the document.

Every text written is cleaned first (:func:`~appraisal.io.opinion_layout.clean_text`): line ends as
LF, control characters (but tab and line feed) and other characters XML cannot carry dropped.

Files are written atomically and byte-reproducibly: the same opinion gives the same bytes (document
dates taken from the opinion's date, fixed timestamps inside the zip).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import math
import posixpath
import re
import string
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import N_, _
from ..opinions import Opinion, OpinionBundle
from .files import atomic_write
from .opinion_layout import (
    ADVISOR_SECTIONS,
    Block,
    bundle_blocks,
    bundle_header_text,
    clean_block,
    clean_text,
    every_language,
    footer_text,
    generated_titles,
    header_text,
    heading_titles,
    opinion_blocks,
    page_text,
    placeholders,
)

GREY = RGBColor(0x59, 0x59, 0x59)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEAD_FILL = "1F4E79"
KEY_FILL = "DEEAF6"
GROUP_FILL = "EDEDED"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")

#: the documents' font: Arial in Word, Liberation Sans (the same widths, shipped with LibreOffice) elsewhere
FONT = "Arial"
#: A4 portrait and its margins, in twips (1/20 pt, the unit of w:tblGrid and w:tcW)
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 1134, 1134, 1134  # 2 cm
HEADER_DISTANCE, FOOTER_DISTANCE = 567, 454  # 1 cm, 0.8 cm
#: the text width: every table spans it
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
#: each cell's left and right margin (0.1 cm)
CELL_MARGIN = 57
#: font sizes (pt): body text, tables, two-column tables, notes, the page header and footer
BODY, TABLE, KV, SMALL, RUNNING = 10.0, 8.0, 8.5, 7.5, 7.5

# The advance widths (1/1000 em) of Liberation Sans, which has Arial's widths: a column's width is chosen from
# the width of its text, so that its longest word fits in Word and in LibreOffice alike. A character not listed
# counts as 1000 (wider than any listed).
_GLYPHS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
           "\u00a0ąćęłńóśźżĄĆĘŁŃÓŚŹŻ–—„”“‘’…×·≥≤→°§€−")
_REGULAR = (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
            556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
            500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
            556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
            278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 278, 556, 500, 556, 222, 556, 556, 500, 500, 500,
            667, 722, 667, 556, 722, 778, 667, 611, 611, 556, 1000, 333, 333, 333, 222, 222, 1000, 584, 333, 549, 549,
            1000, 400, 556, 556, 584)
_BOLD = (278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
         556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
         611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
         611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
         556, 556, 500, 389, 280, 389, 584, 278, 556, 556, 556, 278, 611, 611, 556, 500, 500, 722, 722, 667, 611, 722,
         778, 667, 611, 611, 556, 1000, 500, 500, 500, 278, 278, 1000, 584, 333, 549, 549, 1000, 400, 556, 556, 584)
_ADVANCE = {False: dict(zip(_GLYPHS, _REGULAR, strict=True)), True: dict(zip(_GLYPHS, _BOLD, strict=True))}
#: what a text's measured width is multiplied by, and added to, before it sets a column's width: room for a
#: font that renders a little wider (hinting, a substitute for a missing character)
_SAFETY, _SAFETY_TWIPS = 1.06, 40
#: where a line may break: spaces, tabs and line ends (a non-breaking space keeps ``86 000 zł`` together)
_BREAKS = re.compile(r"[ \t\n]+")


def text_width(text: str, size: float, bold: bool = False) -> int:
    """The width of ``text`` on one line in :data:`FONT` at ``size`` pt, in twips (rounded up)."""
    advance = _ADVANCE[bold]
    return math.ceil(sum(advance.get(c, 1000) for c in text) * size * 20 / 1000)


def words_of(text: str) -> list[str]:
    """The unbreakable pieces of ``text`` (a line breaks only at a space, tab or line end)."""
    return [w for w in _BREAKS.split(text) if w]


@dataclass
class Cell:
    """A table cell's text as it is set: its size and weight decide its width."""

    text: str
    size: float
    bold: bool = False


def one_line(text: str, size: float, width: int) -> str:
    """``text`` cut at a word (and ``…`` added) so that it holds on one line ``width`` twips wide."""
    text = " ".join(text.split())
    if _room(text_width(text, size)) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and _room(text_width(" ".join(words) + " …", size)) > width:
        words.pop()
    return " ".join(words).rstrip(",;:·—–- ") + " …"


def _room(width: int) -> int:
    """The column width that holds a text ``width`` twips wide: the cell's margins and a little safety."""
    return math.ceil(width * _SAFETY) + _SAFETY_TWIPS + 2 * CELL_MARGIN


def _inside(width: int) -> float:
    """The width of text a column ``width`` twips wide holds (the inverse of :func:`_room`)."""
    return (width - _SAFETY_TWIPS - 2 * CELL_MARGIN) / _SAFETY


class _Measured:
    """A cell's text measured once: the width of each word of each of its lines, and of a space."""

    def __init__(self, c: Cell):
        self.paragraphs = [[text_width(w, c.size, c.bold) for w in words_of(line)] for line in c.text.split("\n")]
        self.space = text_width(" ", c.size, c.bold)

    def lines(self, width: int) -> int:
        """How many lines the cell takes in a column ``width`` twips wide (words set greedily, as Word and
        LibreOffice set them; a word longer than the line takes a line of its own)."""
        room, n = _inside(width), 0
        for words in self.paragraphs:
            n += 1
            line = -1
            for w in words:
                if line < 0:
                    line = w
                elif line + self.space + w <= room:
                    line += self.space + w
                else:
                    n += 1
                    line = w
        return n


#: how much a line fewer in any cell counts against a line fewer in the table's height: the columns widen
#: first where the table gets shorter, then where their cells do
_CELL_LINES = 0.05


def column_widths(columns: list[list[Cell]], total: int = TEXT_WIDTH,
                  least: list[int | None] | None = None) -> list[int]:
    """The widths (twips) of a table's columns, summing to ``total``, chosen by their content:

    - every column is at least as wide as its longest word (and as ``least`` asks), so that no word is
      broken, and at most as wide as its longest line;
    - the width left is given, a step at a time, where it makes the table shortest: each step widens the
      column whose next line saved (in the table's height, then in its cells) costs the least width —
      the lines counted as Word and LibreOffice set them, from the font's widths;
    - what is then left goes to the columns of running text in proportion to how much text each holds, and
      when every line fits, the columns widen in proportion to their width, to fill ``total``.

    Only when the longest words alone do not fit in ``total`` are the columns narrowed in proportion (a word
    longer than a column then breaks; nothing else can hold it)."""
    n = len(columns)
    lo, hi, area = [], [], []
    for k, cells in enumerate(columns):
        floor = (least[k] if least and k < len(least) else None) or 0
        words = [text_width(w, c.size, c.bold) for c in cells for w in words_of(c.text)]
        lines = [text_width(line, c.size, c.bold) for c in cells for line in c.text.split("\n")]
        lo.append(max(_room(max(words, default=0)), floor))
        hi.append(max(_room(max(lines, default=0)), lo[-1]))
        area.append(max(sum(lines), 1))
    if sum(lo) >= total:
        return _whole([x * total / sum(lo) for x in lo], total)
    if sum(hi) <= total:
        return _whole([x * total / sum(hi) for x in hi], total)
    measured = [[_Measured(c) for c in cells] for cells in columns]
    rows = max(len(cells) for cells in columns)
    width = list(lo)
    lines = [[m.lines(width[k]) for m in measured[k]] + [0] * (rows - len(measured[k])) for k in range(n)]

    def cost(table: list[list[int]]) -> float:
        return sum(max(col[r] for col in table) for r in range(rows)) + _CELL_LINES * sum(map(sum, table))

    left = total - sum(width)
    now = cost(lines)
    while left > 0:
        best = None
        for k in range(n):
            step = _next_step(measured[k], lines[k], width[k], min(hi[k], width[k] + left))
            if step is None:
                continue
            trial = lines[:k] + [[m.lines(step) for m in measured[k]] + lines[k][len(measured[k]):]] + lines[k + 1:]
            gain = (now - cost(trial)) / (step - width[k])
            if gain > 0 and (best is None or gain > best[0]):
                best = (gain, k, step, trial)
        if best is None:
            break
        _gain, k, step, lines = best
        left -= step - width[k]
        width[k] = step
        now = cost(lines)
    growing = [k for k in range(n) if hi[k] > width[k]]
    while growing and left > 0:  # no line to save: to the running text, by how much of it there is
        share = sum(area[k] for k in growing)
        full = [k for k in growing if width[k] + left * area[k] / share >= hi[k]]
        if not full:
            for k in growing:
                width[k] += left * area[k] / share
            left = 0
            break
        for k in full:
            left -= hi[k] - width[k]
            width[k] = hi[k]
            growing.remove(k)
    if left > 0:
        width = [x * total / sum(width) for x in width]
    return _whole(width, total)


def _next_step(cells: list[_Measured], lines: list[int], width: int, most: int) -> int | None:
    """The least width above ``width`` (at most ``most``) at which a cell of the column takes a line fewer."""
    best = None
    for m, now in zip(cells, lines):
        if now <= len(m.paragraphs) or m.lines(most) >= now:
            continue
        a, b = width, most  # m.lines(a) == now > m.lines(b)
        while b - a > 1:
            mid = (a + b) // 2
            if m.lines(mid) < now:
                b = mid
            else:
                a = mid
        best = b if best is None else min(best, b)
    return best


def _whole(width: list[float], total: int) -> list[int]:
    """``width`` as whole twips summing exactly to ``total`` (the rest to the widest column)."""
    out = [math.floor(x) for x in width]
    out[max(range(len(out)), key=lambda k: width[k])] += total - sum(out)
    return out


# --- the document ------------------------------------------------------------------------------------------


def _fonts(rpr) -> None:
    """Set :data:`FONT` on a run or style's properties, for every script, without theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith(("Theme", "theme")):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _style(doc: Document, name: str, size: float, *, bold: bool | None = None, color: str | None = None,
           before: float = 0, after: float = 0) -> None:
    style = doc.styles[name]
    rpr = style.element.get_or_add_rPr()
    _fonts(rpr)
    for old in rpr.findall(qn("w:color")):
        rpr.remove(old)  # a theme colour would win over the colour set
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if color is not None:
        style.font.color.rgb = RGBColor.from_string(color)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), 1.0


def _new_document(lang: str, title: str, author: str | None, date: _dt.date | None) -> Document:
    title, author = clean_text(title), clean_text(author or "")
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)  # A4 portrait
    sec.left_margin = sec.right_margin = Twips(MARGIN_SIDE)
    sec.top_margin, sec.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    sec.header_distance, sec.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    # the document's defaults: the font, its size, the language (Word's proofing), tight paragraphs
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    for tag, value in (("w:sz", str(round(BODY * 2))), ("w:szCs", str(round(BODY * 2)))):
        rpr.find(qn(tag)).set(qn("w:val"), value)
    rpr.find(qn("w:lang")).set(qn("w:val"), "pl-PL" if lang == "pl" else "en-GB")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "80")
    spacing.set(qn("w:line"), "240")
    _style(doc, "Normal", BODY, after=4)
    _style(doc, "Title", 16, bold=True, color=HEAD_FILL, after=6)
    _style(doc, "Heading 1", 12, bold=True, color=HEAD_FILL, before=10, after=3)
    _style(doc, "Heading 2", 10.5, bold=True, color=HEAD_FILL, before=8, after=2)
    _style(doc, "Heading 3", BODY, bold=True, color=HEAD_FILL, before=6, after=2)
    _style(doc, "List Bullet", BODY, after=1)
    when = _dt.datetime.combine(date or _dt.date(2000, 1, 1), _dt.time(0, 0), tzinfo=_dt.UTC)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, author or "", "appraise"
    cp.created = cp.modified = when
    cp.revision = 1
    cp.language = "pl-PL" if lang == "pl" else "en-GB"
    return doc


def _border(paragraph, side: str) -> None:
    """A thin grey rule above or below ``paragraph`` (set before its other properties, in schema order)."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for attr, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "A6A6A6")):
        line.set(qn(attr), value)
    bdr.append(line)
    ppr.append(bdr)


def _run(paragraph, text: str, size: float, *, bold: bool = False, italic: bool = False,
         color: RGBColor | None = None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if color is not None:
        run.font.color.rgb = color
    return run


def _field(paragraph, instruction: str, shown: str, size: float) -> None:
    """A field (``PAGE``, ``NUMPAGES``) Word and LibreOffice compute when the page is laid out; ``shown`` is
    what a reader that does not compute fields shows."""
    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        _run(paragraph, "", size, color=GREY)._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run(paragraph, "", size, color=GREY)._r.append(instr)
    char("separate")
    _run(paragraph, shown, size, color=GREY)
    char("end")


def _header(section, text: str) -> None:
    """The page header of ``section`` (and of those after it): the partnership and the project or package."""
    section.header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    _border(p, "bottom")
    p.paragraph_format.space_after = Pt(0)
    _run(p, one_line(clean_text(text), RUNNING, TEXT_WIDTH), RUNNING, color=GREY)


def _footer(section, provenance: str, page: str) -> None:
    """The page footer: the provenance line, then "Strona X z Y" at the right (X, Y: fields)."""
    p = section.footer.paragraphs[0]
    _border(p, "top")
    p.paragraph_format.space_after = Pt(0)
    _run(p, clean_text(provenance), SMALL - 0.5, color=GREY)
    p = section.footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.space_after = Pt(0)
    fields = {"page": ("PAGE", "1"), "pages": ("NUMPAGES", "1")}
    for literal, name, _spec, _conv in string.Formatter().parse(page):
        if literal:
            _run(p, literal, RUNNING + 0.5, color=GREY)
        if name in fields:
            _field(p, *fields[name], RUNNING + 0.5)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _tight(paragraph, align=None) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    if align is not None:
        paragraph.alignment = align


def _cell_text(cell, c: Cell, *, color: RGBColor | None = None, italic: bool = False, align=None) -> None:
    lines = c.text.split("\n") if c.text else [""]
    p = cell.paragraphs[0]
    for k, line in enumerate(lines):
        if k:
            p = cell.add_paragraph()
        _tight(p, align)
        _run(p, line, c.size, bold=c.bold, italic=italic, color=color)


def _grid(table, widths: list[int]) -> None:
    """The table's column widths set where Word and LibreOffice both read them: the grid (w:tblGrid), every
    cell's w:tcW (a cell across columns: their sum), the table's width, fixed layout (no autofit), and
    narrow cell margins."""
    tbl = table._tbl
    table.autofit = False  # w:tblLayout w:type="fixed"
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:  # pragma: no cover - python-docx always writes one
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(w))
        grid.append(col)
    for tr in tbl.tr_lst:
        k = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Twips(sum(widths[k:k + span]))
            k += span


_NUMERIC = re.compile(r"^[\d\s\u00a0,.%()—–+\-/]*\d[\d\s\u00a0,.%()—–+\-/]*$")


def _numeric(texts: list[str]) -> bool:
    """Whether a column holds numbers only (dashes allowed): set flush right."""
    return any(_NUMERIC.match(t) for t in texts) and all(_NUMERIC.match(t) or t in ("", "—") for t in texts)


def _table(doc: Document, b: Block) -> None:
    head = [Cell(h, TABLE, True) for h in b.headers]
    body = [[Cell(v, TABLE) for v in row] for row in b.rows]
    n = len(head)
    columns = [[head[k], *(row[k] for row in body if k < len(row))] for k in range(n)]
    least = [None if w is None else round(w * 567) for w in (b.min_widths or [])]
    widths = column_widths(columns, least=least)
    t = doc.add_table(rows=1, cols=n)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, c in zip(t.rows[0].cells, head):
        _cell_text(cell, c, color=WHITE)
        _shade(cell, HEAD_FILL)
        cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
    _repeat_header(t.rows[0])
    right = [_numeric([row[k] for row in b.rows if k < len(row)]) for k in range(n)]
    groups = dict(b.groups)
    for i, row in enumerate(body):
        if i in groups:
            cells = t.add_row().cells
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, Cell(groups[i], TABLE, True))
            _shade(merged, GROUP_FILL)
        cells = t.add_row().cells
        for k, (cell, c) in enumerate(zip(cells, row)):
            _cell_text(cell, c, align=WD_ALIGN_PARAGRAPH.RIGHT if right[k] else None)
    _grid(t, widths)
    _spacer(doc)


def _kv(doc: Document, b: Block, key_width: int) -> None:
    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for key, value in b.rows:
        cells = t.add_row().cells
        _cell_text(cells[0], Cell(key, KV, True))
        _shade(cells[0], KEY_FILL)
        _cell_text(cells[1], Cell(value, KV))
    _grid(t, [key_width, TEXT_WIDTH - key_width])
    _spacer(doc)


def _signature(doc: Document, b: Block) -> None:
    t = doc.add_table(rows=2, cols=len(b.headers))
    for j, label in enumerate(b.headers):
        _cell_text(t.rows[0].cells[j], Cell("\n\n" + "." * 48, 9), align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(t.rows[1].cells[j], Cell(label, TABLE), color=GREY, align=WD_ALIGN_PARAGRAPH.CENTER)
    n = len(b.headers)
    _grid(t, _whole([TEXT_WIDTH / n] * n, TEXT_WIDTH))
    _spacer(doc)


def _spacer(doc: Document) -> None:
    """A thin empty paragraph after a table (two tables in a row would otherwise merge into one)."""
    p = doc.add_paragraph()
    _tight(p)
    _run(p, "", 4).font.size = Pt(4)
    p.paragraph_format.line_spacing = Pt(5)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _key_width(blocks: list[Block]) -> int:
    """The key column of every two-column table of a document: its longest key on one line (at most 35 % of
    the text width), the same in every such table."""
    keys = [Cell(k, KV, True) for b in blocks if b.kind == "kv" for k, _v in b.rows]
    wide = max((_room(text_width(line, c.size, True)) for c in keys for line in c.text.split("\n")), default=0)
    return min(wide, round(0.35 * TEXT_WIDTH))


def _render(doc: Document, blocks: list[Block], footer: str, page: str, header: str) -> None:
    blocks = [clean_block(b) for b in blocks]  # line ends as LF, no character XML cannot carry
    key_width = _key_width(blocks)
    _header(doc.sections[0], header)
    _footer(doc.sections[0], footer, page)
    for b in blocks:
        if b.kind == "title":
            doc.add_heading(b.text, level=0)
        elif b.kind == "subtitle":
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(6)
            _run(p, b.text, 12, bold=True)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=min(b.level, 9))
        elif b.kind == "para":
            p = doc.add_paragraph()
            p.add_run(b.text).bold = b.bold
        elif b.kind == "small":
            p = doc.add_paragraph()
            _run(p, b.text, SMALL, italic=True, color=GREY)
        elif b.kind == "bullets":
            for item in b.items:
                doc.add_paragraph(item, style="List Bullet")
        elif b.kind == "advisor":
            if b.text.strip():
                for line in b.text.split("\n"):
                    doc.add_paragraph(line)
            else:
                _run(doc.add_paragraph(), b.placeholder, BODY, italic=True, color=GREY)
        elif b.kind == "kv":
            _kv(doc, b, key_width)
        elif b.kind == "table":
            _table(doc, b)
        elif b.kind == "signature":
            _signature(doc, b)
        elif b.kind == "pagebreak":
            if b.header:  # a project's opinion in the bundle: its own section, its own page header
                _header(doc.add_section(WD_SECTION.NEW_PAGE), b.header)
            else:
                doc.add_page_break()
        else:  # pragma: no cover - the layout makes only the kinds above
            raise ValueError(f"unknown block {b.kind!r}")


def _save(doc: Document, path: Path) -> Path:
    """Save atomically, with fixed zip timestamps so that the same document gives the same bytes."""
    buf = io.BytesIO()
    doc.save(buf)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zout.writestr(info, zin.read(item.filename))

    return atomic_write(path, write)


def opinion_document(op: Opinion) -> Document:
    """One project's opinion as a python-docx document (in the opinion's language)."""
    idn = op.identification
    with i18n.use(op.lang):
        doc = _new_document(op.lang, f"{idn.project_id} — {idn.project_title}", idn.advisor, idn.date)
        _render(doc, opinion_blocks(op), footer_text(idn.engine, idn.input_hash), page_text(), header_text(op))
    return doc


def bundle_document(bundle: OpinionBundle) -> Document:
    """Every opinion of a package after a one-page summary, each from a new page, as a python-docx document."""
    with i18n.use(bundle.lang):
        doc = _new_document(bundle.lang, bundle.partnership, bundle.advisor, bundle.date)
        _render(doc, bundle_blocks(bundle), footer_text(bundle.engine, bundle.input_hash), page_text(),
                bundle_header_text(bundle))
    return doc


def write_opinion_docx(op: Opinion, path: str | Path) -> Path:
    return _save(opinion_document(op), Path(path))


def write_bundle_docx(bundle: OpinionBundle, path: str | Path) -> Path:
    return _save(bundle_document(bundle), Path(path))


# --- reading the advisor's text back -------------------------------------------------------------------------
#
# The earlier document is read straight from its XML (lxml, entities never resolved, no DTD, no network),
# in one pass: each element is visited a fixed number of times and each paragraph's style is looked up in
# a table made once (python-docx scans every style of the document for every paragraph, and walks up a
# vertically merged cell row by row for every row below it: quadratic, ~10-20 s per MB of document.xml).

#: the largest earlier opinion document read back (the file), and the largest part of it unpacked
#: (document.xml, styles.xml): checked on the zip directory before a part is read, and again while reading
MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_DOCX_PART_BYTES = 20 * 1024 * 1024
_MAX_RELS_BYTES = 1024 * 1024
_WML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def read_docx_bytes(path: str | Path) -> bytes:
    """The bytes of an earlier opinion document: a regular file of at most :data:`MAX_DOCX_BYTES`."""
    from ..criteria.documents import read_limited

    try:
        return read_limited(path, MAX_DOCX_BYTES, _("the earlier opinion document"))
    except InputError as exc:
        raise InputError(_("{error}; the advisor's text in it is not read — move or remove the file").format(
            error=exc.message), source=exc.source) from None


def docx_digest(data: bytes) -> str:
    """The digest of a DOCX file's bytes, as recorded in the opinion's JSON (``advisor.docx_digest``)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _unreadable(what: str, source: str) -> InputError:
    return InputError(_("cannot read the earlier opinion document ({what}); the advisor's text in it would be "
                        "lost — repair or remove the file").format(what=what), source=source)


class _Tags:
    """The element and attribute names of one WordprocessingML namespace (transitional or strict)."""

    def __init__(self, ns: str):
        def q(name: str) -> str:
            return f"{{{ns}}}{name}"

        self.body, self.p, self.tbl, self.tr, self.tc, self.r = q("body"), q("p"), q("tbl"), q("tr"), q("tc"), q("r")
        self.t, self.tab, self.ptab, self.br, self.cr = q("t"), q("tab"), q("ptab"), q("br"), q("cr")
        self.nb_hyphen = q("noBreakHyphen")
        self.sdt, self.sdt_pr, self.sdt_content, self.placeholder = q("sdt"), q("sdtPr"), q("sdtContent"), \
            q("showingPlcHdr")
        self.ins, self.delete, self.move_from, self.move_to = q("ins"), q("del"), q("moveFrom"), q("moveTo")
        self.changes = (self.ins, self.delete, self.move_from, self.move_to, q("cellIns"), q("cellDel"))
        # what is looked through for text (a run, a hyperlink, an accepted field result, a smart tag, custom
        # XML, a tracked insertion or move's new place, bidirectional embedding); anything else — deleted text
        # (w:del, w:moveFrom, w:delText), field codes (w:instrText), properties, drawings — holds none
        self.inline = {self.r, q("hyperlink"), self.ins, self.move_to, q("fldSimple"), q("smartTag"),
                       q("customXml"), q("dir"), q("bdo")}
        self.custom_xml = q("customXml")
        self.ppr, self.pstyle, self.val, self.type = q("pPr"), q("pStyle"), q("val"), q("type")
        self.tcpr, self.grid_span, self.v_merge, self.trpr = q("tcPr"), q("gridSpan"), q("vMerge"), q("trPr")
        self.grid_before = q("gridBefore")
        self.style, self.style_id, self.name, self.default = q("style"), q("styleId"), q("name"), q("default")


def _part(zf: zipfile.ZipFile, name: str, limit: int, source: str) -> bytes:
    info = zf.getinfo(name)  # KeyError: the caller says what is missing
    too_large = InputError(_("the earlier opinion document's {name} unpacks to more than {mb} MB; the advisor's "
                             "text in it is not read — move or remove the file").format(name=name, mb=limit // (1024 * 1024)),
                           source=source)
    if info.file_size > limit:
        raise too_large
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # the zip directory understated it
        raise too_large
    return data


def _xml(data: bytes, name: str, source: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _unreadable(f"{name}: {exc}", source) from None
    if root.getroottree().docinfo.doctype:
        raise _unreadable(_("{name} declares a DOCTYPE, which an OOXML part never does").format(name=name), source)
    return root


def _target(zf: zipfile.ZipFile, rels: str, kind: str, base: str, default: str, source: str) -> str:
    """The part a relationship of ``kind`` (``officeDocument``, ``styles``) points to, or ``default``."""
    try:
        root = _xml(_part(zf, rels, _MAX_RELS_BYTES, source), rels, source)
    except KeyError:
        return default
    for rel in root.iter(_RELS):
        if rel.get("Type", "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(base, target))
    return default


def _heading_level(name: str | None) -> int | None:
    """Title → 0, "Heading N" / "heading N" → N, anything else None."""
    if not name:
        return None
    n = " ".join(name.lower().split())
    if n == "title":
        return 0
    m = re.fullmatch(r"heading ?(\d+)", n)
    return int(m.group(1)) if m else None


def _load(data: bytes, source: str):
    """(body, tags, heading level by paragraph style id, the default paragraph style's level)."""
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            main = _target(zf, "_rels/.rels", "officeDocument", "", "word/document.xml", source)
            try:
                root = _xml(_part(zf, main, MAX_DOCX_PART_BYTES, source), main, source)
            except KeyError:
                raise _unreadable(_("no {part} in it: not a Word document").format(part=main), source) from None
            folder = posixpath.dirname(main)
            rels = posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels")
            styles_name = _target(zf, rels, "styles", folder, posixpath.join(folder, "styles.xml"), source)
            try:
                styles = _xml(_part(zf, styles_name, MAX_DOCX_PART_BYTES, source), styles_name, source)
            except KeyError:
                styles = None
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError) as exc:
        # not a zip, damaged, encrypted, an unknown compression
        raise _unreadable(f"{type(exc).__name__}: {exc}", source) from None
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else _WML
    t = _Tags(ns)
    body = root.find(t.body)
    if body is None:
        raise _unreadable(_("no document body: not a Word document"), source)
    levels: dict[str, int | None] = {}
    default = None
    if styles is not None:
        for st in styles.iter(t.style):
            if st.get(t.type, "paragraph") != "paragraph":
                continue
            name_el = st.find(t.name)
            level = _heading_level(name_el.get(t.val) if name_el is not None else st.get(t.style_id))
            if st.get(t.style_id) is not None:
                levels[st.get(t.style_id)] = level
            if st.get(t.default) in ("1", "true", "on"):
                default = level
    return body, t, levels, default


def _flatten(container, wanted: tuple[str, ...], t: _Tags) -> Iterator:
    """The ``wanted`` elements (paragraphs and tables, rows, or cells) of ``container`` in document order,
    looking through content controls (block, row or cell ``w:sdt``; one still showing its placeholder
    holds none), custom XML and tracked insertions and moves. Tracked changes met on the way
    (``w:ins``/``w:del``/``w:moveFrom``/``w:moveTo`` around whole blocks) are yielded too, so that the
    caller can refuse them; deleted content is not looked into."""
    stack = [iter(container)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag in wanted:
                yield el
            elif tag == t.sdt:
                pr, content = el.find(t.sdt_pr), el.find(t.sdt_content)
                if content is not None and (pr is None or pr.find(t.placeholder) is None):
                    stack.append(iter(content))
                    break
            elif tag == t.custom_xml:
                stack.append(iter(el))
                break
            elif tag in (t.ins, t.move_to):
                yield el
                stack.append(iter(el))
                break
            elif tag in (t.delete, t.move_from):
                yield el
        else:
            stack.pop()


def _para_text(p, t: _Tags) -> str:
    """A paragraph's text as Word shows it with the changes accepted: every ``w:t`` that is not deleted,
    through runs, hyperlinks, content controls, field results, smart tags, custom XML and tracked
    insertions; tabs as tab, line breaks as LF (a page or column break as nothing), as python-docx does."""
    out: list[str] = []
    stack = [iter(p)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == t.t:
                out.append(el.text or "")
            elif tag in t.inline:
                stack.append(iter(el))
                break
            elif tag == t.sdt:
                pr, content = el.find(t.sdt_pr), el.find(t.sdt_content)
                if content is not None and (pr is None or pr.find(t.placeholder) is None):
                    stack.append(iter(content))
                    break
            elif tag in (t.tab, t.ptab):
                out.append("\t")
            elif tag == t.br:
                out.append("" if el.get(t.type) in ("page", "column") else "\n")
            elif tag == t.cr:
                out.append("\n")
            elif tag == t.nb_hyphen:
                out.append("-")
        else:
            stack.pop()
    return "".join(out)


def _has_changes(el, t: _Tags) -> bool:
    """Whether ``el`` is or holds a tracked change not yet accepted or rejected."""
    return next(el.iter(*t.changes), None) is not None


@dataclass
class _Row:
    texts: list[str]  # each cell's text, stripped (a cell merged across columns once; a vertically
    #                   merged cell gives the text of the cell it continues)
    cells: list       # the w:tc elements
    changed: bool     # the row itself inserted or deleted with changes tracked


def _rows(tbl, t: _Tags) -> list[_Row]:
    out = []
    above: dict[int, str] = {}  # grid column → the text of the cell a vertical merge continues
    marked = False  # a tracked change around whole rows: the rows beside it count as changed
    for tr in _flatten(tbl, (t.tr,), t):
        if tr.tag != t.tr:
            if out:
                out[-1].changed = True
            marked = True
            continue
        trpr = tr.find(t.trpr)
        col = 0
        if trpr is not None and trpr.find(t.grid_before) is not None:
            col = _int(trpr.find(t.grid_before).get(t.val), 0)
        row = _Row([], [], marked or (trpr is not None and _has_changes(trpr, t)))
        marked = False
        for tc in _flatten(tr, (t.tc,), t):
            if tc.tag != t.tc:
                row.changed = True
                continue
            pr = tc.find(t.tcpr)
            span = _int(pr.find(t.grid_span).get(t.val), 1) if pr is not None and pr.find(t.grid_span) is not None else 1
            merge = pr.find(t.v_merge) if pr is not None else None
            if merge is not None and merge.get(t.val, "continue") == "continue":
                text = above.get(col, "")
            else:
                text = _cell_lines(tc, t).strip()
            above[col] = text
            row.texts.append(text)
            row.cells.append(tc)
            col += max(span, 1)
        out.append(row)
    return out


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _cell_lines(tc, t: _Tags) -> str:
    """A cell's text: its paragraphs one a line (a table inside it: a line per row, cells joined by " | ")."""
    lines = []
    for el in _flatten(tc, (t.p, t.tbl), t):
        if el.tag == t.p:
            lines.append(_para_text(el, t))
        elif el.tag == t.tbl:
            lines += [" | ".join(r.texts) for r in _rows(el, t) if any(r.texts)]
    return "\n".join(lines)


#: how a refusal names the advisor's sections (translated when the refusal is made)
_SECTION_NAMES = {"recommendations": N_("section 7.2 (the advisor's recommendations)"),
                  "notes": N_("section 8 (the advisor's notes)")}


def _pending(where: str, source: str) -> InputError:
    return InputError(_("{where} holds tracked changes not yet accepted or rejected; accept or reject them in Word "
                        "(Review → Accept / Reject) and run again — the advisor's text is not guessed, and nothing "
                        "was written").format(where=_(where)), source=source)


@dataclass
class AdvisorDocx:
    """What the advisor may have written in an opinion document."""

    sections: dict[str, str]  # "recommendations" / "notes" → text (only sections whose heading is found)
    comments: list[tuple[str, str]]  # section 3's rows: (criterion label, advisor's comment cell)


def read_advisor_docx(path: str | Path, data: bytes | None = None) -> AdvisorDocx:
    """The advisor's sections (see :func:`read_advisor_sections`) and the comment column of the
    section-3 table ("Komentarz doradcy"), row by row. ``data``: the file's bytes when already read.

    The text is what Word shows with every change accepted — text inside content controls, field results,
    smart tags and custom XML included, deleted text left out — but a tracked change not yet accepted or
    rejected inside section 7.2, section 8 or the comment column stops the run (:class:`InputError`): which
    version the advisor meant is not guessed. Bounded: the file at most :data:`MAX_DOCX_BYTES`, its
    document.xml and styles.xml at most :data:`MAX_DOCX_PART_BYTES` unpacked each; read in linear time."""
    path = Path(path)
    source = str(path)
    if data is None:
        data = read_docx_bytes(path)
    body, t, levels, default = _load(data, source)
    keys = {title: fieldname for key, fieldname, _ph in ADVISOR_SECTIONS for title in heading_titles(key)}
    generated = generated_titles()
    criteria_titles = heading_titles("s3")
    comment_heads = every_language("comment")
    signature = every_language("place_date") | every_language("signature")
    provenance = tuple(f"{word}:" for word in every_language("provenance"))
    skip = placeholders()
    found: dict[str, list[str]] = {}
    comments: list[tuple[str, str]] = []
    current: str | None = None
    level = 0
    in_criteria = False
    for item in _flatten(body, (t.p, t.tbl), t):
        if item.tag not in (t.p, t.tbl):  # a tracked change around whole blocks
            if current is not None:
                raise _pending(_SECTION_NAMES[current], source)
            continue
        if item.tag == t.tbl:
            rows = _rows(item, t)
            texts = [r.texts for r in rows]
            if in_criteria and texts and texts[0] and texts[0][-1] in comment_heads:
                if any(r.changed or (r.cells and _has_changes(r.cells[-1], t)) for r in rows[1:]):
                    raise _pending(N_("the comment column of section 3 (Komentarz doradcy)"), source)
                # (criterion, comment) from each criterion's row; a group's row (one cell across) has neither
                comments = [(r[1], r[-1]) for r in texts[1:] if len(r) > 1]
                in_criteria = False
                continue
            if current is not None and any(x in signature for r in texts for x in r):
                current = None  # the generated signature block ends the last section
                continue
            if current is not None:  # a table the advisor added: its cells, row by row
                if _has_changes(item, t):
                    raise _pending(_SECTION_NAMES[current], source)
                found[current].extend(" | ".join(r) for r in texts if any(r))
            continue
        text = _para_text(item, t)
        ppr = item.find(t.ppr)
        pstyle = ppr.find(t.pstyle) if ppr is not None else None
        sid = pstyle.get(t.val) if pstyle is not None else None
        lvl = levels.get(sid, default)
        if lvl is not None:
            title = _NUMBER.sub("", text).strip()
            if title in generated or lvl == 0:
                if current is not None and lvl > level:  # a generated sub-heading of the advisor's section
                    if _has_changes(item, t):
                        raise _pending(_SECTION_NAMES[current], source)
                    found[current].append(text.rstrip())
                    continue
                in_criteria = title in criteria_titles
                current = keys.get(title)
                level = lvl
                if current is not None and current not in found:
                    found[current] = []
                elif current is not None:  # the same section twice: read the first only
                    current = None
                continue
        if current is None:
            continue
        if lvl is None and text.strip().startswith(provenance):
            current = None  # the generated provenance line ends the document
            continue
        if _has_changes(item, t):
            raise _pending(_SECTION_NAMES[current], source)
        if lvl is not None or text.strip() not in skip:  # the advisor's own heading: kept as a line of text
            found[current].append(text.rstrip())
    return AdvisorDocx({k: "\n".join(lines).strip("\n") for k, lines in found.items()}, comments)


def read_advisor_sections(path: str | Path) -> dict[str, str]:
    """The advisor's sections of an opinion document: {"recommendations": …, "notes": …}, each only
    when its heading is found (an empty string when the section is there but empty).

    A section runs to the next generated heading of the same or a higher level (or the generated
    signature block / provenance line). Inside it, the advisor's own headings are kept as lines of
    text and the advisor's tables as their cells joined by " | ", one line per row, so nothing the
    advisor typed there is lost; the placeholder line is dropped."""
    return read_advisor_docx(path).sections
