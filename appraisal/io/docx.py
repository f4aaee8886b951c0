"""Advisory opinions as Word documents (python-docx), and the advisor's sections read back.

- :func:`write_opinion_docx`: one project's opinion — title block (Opinia doradcza — Komponent II;
  partnership, voivodeship, project, advisor, date), numbered sections with tables (see
  :mod:`appraisal.io.opinion_layout`), a signature block and the provenance (engine version, input
  hash) in the document and in the page footer. Language of the text set to pl-PL (or en-GB) so
  Word's proofing works.
- :func:`write_bundle_docx`: every opinion of the package after a summary table.
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
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..criteria.errors import InputError
from ..opinions import Opinion, OpinionBundle
from .files import atomic_write
from .opinion_layout import (
    ADVISOR_SECTIONS,
    WORDS,
    Block,
    bundle_blocks,
    clean_block,
    clean_text,
    footer_text,
    generated_titles,
    heading_titles,
    opinion_blocks,
    placeholders,
)

GREY = RGBColor(0x59, 0x59, 0x59)
HEAD_FILL = "1F4E79"
KEY_FILL = "DEEAF6"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")


def _new_document(lang: str, title: str, author: str | None, date: _dt.date | None, footer: str) -> Document:
    title, author, footer = clean_text(title), clean_text(author or ""), clean_text(footer)
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)  # A4
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), "pl-PL" if lang == "pl" else "en-GB")
    rpr.append(tag)
    when = _dt.datetime.combine(date or _dt.date(2000, 1, 1), _dt.time(0, 0), tzinfo=_dt.UTC)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, author or "", "appraise"
    cp.created = cp.modified = when
    cp.revision = 1
    cp.language = "pl-PL" if lang == "pl" else "en-GB"
    fp = sec.footer.paragraphs[0]
    run = fp.add_run(footer)
    run.font.size = Pt(7.5)
    run.font.color.rgb = GREY
    return doc


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _cell_text(cell, text: str, bold: bool = False, size: float = 9, color: RGBColor | None = None) -> None:
    lines = text.split("\n") if text else [""]
    p = cell.paragraphs[0]
    for k, line in enumerate(lines):
        if k:
            p = cell.add_paragraph()
        run = p.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color


def _widths(table, widths: list[float] | None, total_cm: float = 17.0) -> None:
    if not widths:
        return
    scale = total_cm / sum(widths)
    for row in table.rows:
        for cell, wd in zip(row.cells, widths):
            cell.width = Cm(wd * scale)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _render(doc: Document, blocks: list[Block]) -> None:
    for b in map(clean_block, blocks):  # line ends as LF, no character XML cannot carry
        if b.kind == "title":
            doc.add_heading(b.text, level=0)
        elif b.kind == "subtitle":
            p = doc.add_paragraph()
            run = p.add_run(b.text)
            run.bold, run.font.size = True, Pt(13)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=min(b.level, 9))
        elif b.kind == "para":
            p = doc.add_paragraph()
            p.add_run(b.text).bold = b.bold
        elif b.kind == "small":
            p = doc.add_paragraph()
            run = p.add_run(b.text)
            run.italic, run.font.size, run.font.color.rgb = True, Pt(8), GREY
        elif b.kind == "bullets":
            for item in b.items:
                doc.add_paragraph(item, style="List Bullet")
        elif b.kind == "advisor":
            if b.text.strip():
                for line in b.text.split("\n"):
                    doc.add_paragraph(line)
            else:
                run = doc.add_paragraph().add_run(b.placeholder)
                run.italic, run.font.color.rgb = True, GREY
        elif b.kind == "kv":
            t = doc.add_table(rows=0, cols=2)
            t.style = "Table Grid"
            for key, value in b.rows:
                cells = t.add_row().cells
                _cell_text(cells[0], key, bold=True, size=9.5)
                _shade(cells[0], KEY_FILL)
                _cell_text(cells[1], value, size=9.5)
            _widths(t, b.widths)
            doc.add_paragraph()
        elif b.kind == "table":
            t = doc.add_table(rows=1, cols=len(b.headers))
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, head in zip(t.rows[0].cells, b.headers):
                _cell_text(cell, head, bold=True, size=8.5, color=RGBColor(0xFF, 0xFF, 0xFF))
                _shade(cell, HEAD_FILL)
            _repeat_header(t.rows[0])
            for row in b.rows:
                cells = t.add_row().cells
                for cell, value in zip(cells, row):
                    _cell_text(cell, value, size=8.5)
            _widths(t, b.widths)
            doc.add_paragraph()
        elif b.kind == "signature":
            t = doc.add_table(rows=2, cols=2)
            for j, label in enumerate(b.headers):
                _cell_text(t.rows[0].cells[j], "\n\n" + "." * 48, size=9)
                t.rows[0].cells[j].paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                _cell_text(t.rows[1].cells[j], label, size=8.5, color=GREY)
                t.rows[1].cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.add_paragraph()
        elif b.kind == "pagebreak":
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


def write_opinion_docx(op: Opinion, path: str | Path) -> Path:
    idn = op.identification
    doc = _new_document(op.lang, f"{idn.project_id} — {idn.project_title}", idn.advisor, idn.date,
                        footer_text(idn.engine, idn.input_hash, op.lang))
    _render(doc, opinion_blocks(op))
    return _save(doc, Path(path))


def write_bundle_docx(bundle: OpinionBundle, path: str | Path) -> Path:
    doc = _new_document(bundle.lang, bundle.partnership, bundle.advisor, bundle.date,
                        footer_text(bundle.engine, bundle.input_hash, bundle.lang))
    _render(doc, bundle_blocks(bundle))
    return _save(doc, Path(path))


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
        return read_limited(path, MAX_DOCX_BYTES, "the earlier opinion document")
    except InputError as exc:
        raise InputError(f"{exc.message}; the advisor's text in it is not read — move or remove the file",
                         source=exc.source) from None


def docx_digest(data: bytes) -> str:
    """The digest of a DOCX file's bytes, as recorded in the opinion's JSON (``advisor.docx_digest``)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _unreadable(what: str, source: str) -> InputError:
    return InputError(f"cannot read the earlier opinion document ({what}); the advisor's text in it would be "
                      f"lost — repair or remove the file", source=source)


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
    if info.file_size > limit:
        raise InputError(f"the earlier opinion document's {name} unpacks to more than {limit // (1024 * 1024)} MB; "
                         f"the advisor's text in it is not read — move or remove the file", source=source)
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # the zip directory understated it
        raise InputError(f"the earlier opinion document's {name} unpacks to more than {limit // (1024 * 1024)} MB; "
                         f"the advisor's text in it is not read — move or remove the file", source=source)
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
        raise _unreadable(f"{name} declares a DOCTYPE, which an OOXML part never does", source)
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
                raise _unreadable(f"no {main} in it: not a Word document", source) from None
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
        raise _unreadable("no document body: not a Word document", source)
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


#: how a refusal names the advisor's sections
_SECTION_NAMES = {"recommendations": "section 7.2 (the advisor's recommendations)",
                  "notes": "section 8 (the advisor's notes)"}


def _pending(where: str, source: str) -> InputError:
    return InputError(f"{where} holds tracked changes not yet accepted or rejected; accept or reject them in Word "
                      f"(Review → Accept / Reject) and run again — the advisor's text is not guessed, and "
                      f"nothing was written", source=source)


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
    keys = {title: fieldname for key, fieldname, _ in ADVISOR_SECTIONS for title in heading_titles(key)}
    generated = generated_titles()
    criteria_titles = heading_titles("s3")
    comment_heads = {WORDS[lang]["comment"] for lang in WORDS}
    signature = {WORDS[lang][k] for lang in WORDS for k in ("place_date", "signature")}
    provenance = tuple(f"{WORDS[lang]['provenance']}:" for lang in WORDS)
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
                    raise _pending("the comment column of section 3 (Komentarz doradcy)", source)
                comments = [(r[1] if len(r) > 1 else "", r[-1]) for r in texts[1:] if r]
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
