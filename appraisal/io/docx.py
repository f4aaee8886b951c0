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
  :func:`read_advisor_docx` also reads the comment column of the section-3 table.

Files are written atomically and byte-reproducibly: the same opinion gives the same bytes (document
dates taken from the opinion's date, fixed timestamps inside the zip).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..criteria import InputError
from ..opinions import Opinion, OpinionBundle
from .files import atomic_write
from .opinion_layout import (
    ADVISOR_SECTIONS,
    WORDS,
    Block,
    bundle_blocks,
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
    for b in blocks:
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


def _heading(p: Paragraph) -> tuple[int, str] | None:
    """(level, text without its number) of a heading paragraph (Title = level 0), or None."""
    name = p.style.name if p.style is not None else ""
    if name == "Title":
        return 0, _NUMBER.sub("", p.text).strip()
    m = re.fullmatch(r"Heading\s*(\d+)", name)
    if m is None:
        return None
    return int(m.group(1)), _NUMBER.sub("", p.text).strip()


def _heading_title(p: Paragraph) -> str | None:
    """The text of a heading paragraph without its number, or None if ``p`` is not a heading."""
    h = _heading(p)
    return None if h is None else h[1]


def _row_texts(row) -> list[str]:
    """The texts of a table row's cells, a merged cell once."""
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append(cell.text.strip())
    return out


def _open(path: Path):
    try:
        return Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        # a damaged or foreign file (lxml's XMLSyntaxError is a SyntaxError)
        raise InputError(f"cannot read the earlier opinion document ({type(exc).__name__}: {exc}); the advisor's "
                         f"text in it would be lost — repair or remove the file", source=str(path)) from None


@dataclass
class AdvisorDocx:
    """What the advisor may have written in an opinion document."""

    sections: dict[str, str]  # "recommendations" / "notes" → text (only sections whose heading is found)
    comments: list[tuple[str, str]]  # section 3's rows: (criterion label, advisor's comment cell)


def read_advisor_docx(path: str | Path) -> AdvisorDocx:
    """The advisor's sections (see :func:`read_advisor_sections`) and the comment column of the
    section-3 table ("Komentarz doradcy"), row by row."""
    path = Path(path)
    doc = _open(path)
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
    for item in doc.iter_inner_content():
        if isinstance(item, Table):
            rows = [_row_texts(r) for r in item.rows]
            if in_criteria and rows and rows[0] and rows[0][-1] in comment_heads:
                comments = [(r[1] if len(r) > 1 else "", r[-1]) for r in rows[1:]]
                in_criteria = False
                continue
            if current is not None and any(t in signature for r in rows for t in r):
                current = None  # the generated signature block ends the last section
                continue
            if current is not None:  # a table the advisor added: its cells, row by row
                found[current].extend(" | ".join(t for t in r) for r in rows if any(r))
            continue
        h = _heading(item)
        if h is not None:
            lvl, title = h
            if title in generated or lvl == 0:
                if current is not None and lvl > level:  # a generated sub-heading of the advisor's section
                    found[current].append(item.text.rstrip())
                    continue
                in_criteria = title in criteria_titles
                current = keys.get(title)
                level = lvl
                if current is not None and current not in found:
                    found[current] = []
                elif current is not None:  # the same section twice: read the first only
                    current = None
                continue
            if current is not None:  # the advisor's own heading: kept as a line of text
                found[current].append(item.text.rstrip())
            continue
        if current is not None and item.text.strip().startswith(provenance):
            current = None  # the generated provenance line ends the document
            continue
        if current is not None and item.text.strip() not in skip:
            found[current].append(item.text.rstrip())
    return AdvisorDocx({k: "\n".join(lines).strip("\n") for k, lines in found.items()}, comments)


def read_advisor_sections(path: str | Path) -> dict[str, str]:
    """The advisor's sections of an opinion document: {"recommendations": …, "notes": …}, each only
    when its heading is found (an empty string when the section is there but empty).

    A section runs to the next generated heading of the same or a higher level (or the generated
    signature block / provenance line). Inside it, the advisor's own headings are kept as lines of
    text and the advisor's tables as their cells joined by " | ", one line per row, so nothing the
    advisor typed there is lost; the placeholder line is dropped."""
    return read_advisor_docx(path).sections
