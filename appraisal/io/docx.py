"""Advisory opinions as Word documents (python-docx), and the advisor's sections read back.

- :func:`write_opinion_docx`: one project's opinion — title block (Opinia doradcza — Komponent II;
  partnership, voivodeship, project, advisor, date), numbered sections with tables (see
  :mod:`appraisal.io.opinion_layout`), a signature block and the provenance (engine version, input
  hash) in the document and in the page footer. Language of the text set to pl-PL (or en-GB) so
  Word's proofing works.
- :func:`write_bundle_docx`: every opinion of the package after a summary table.
- :func:`read_advisor_sections`: the text an advisor wrote under "7.2 Zalecenia doradcy" and
  "8. Uwagi doradcy" (found by heading text in either language, numbers ignored; the section runs to
  the next heading or table; the placeholder line is dropped).

Files are written atomically and byte-reproducibly: the same opinion gives the same bytes (document
dates taken from the opinion's date, fixed timestamps inside the zip).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
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
    Block,
    bundle_blocks,
    footer_text,
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


def _heading_title(p: Paragraph) -> str | None:
    """The text of a heading paragraph without its number, or None if ``p`` is not a heading."""
    name = p.style.name if p.style is not None else ""
    if not (name.startswith("Heading") or name == "Title"):
        return None
    return _NUMBER.sub("", p.text).strip()


def read_advisor_sections(path: str | Path) -> dict[str, str]:
    """The advisor's sections of an opinion document: {"recommendations": …, "notes": …}, each only
    when its heading is found (an empty string when the section is there but empty)."""
    path = Path(path)
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        # a damaged or foreign file (lxml's XMLSyntaxError is a SyntaxError)
        raise InputError(f"cannot read the earlier opinion document ({type(exc).__name__}: {exc}); the advisor's "
                         f"text in it would be lost — repair or remove the file", source=str(path)) from None
    keys = {title: fieldname for key, fieldname, _ in ADVISOR_SECTIONS for title in heading_titles(key)}
    skip = placeholders()
    found: dict[str, list[str]] = {}
    current: str | None = None
    for item in doc.iter_inner_content():
        if isinstance(item, Table):
            current = None
            continue
        title = _heading_title(item)
        if title is not None:
            current = keys.get(title)
            if current is not None and current not in found:
                found[current] = []
            elif current is not None:  # the same section twice: read the first only
                current = None
            continue
        if current is not None and item.text.strip() not in skip:
            found[current].append(item.text.rstrip())
    return {k: "\n".join(lines).strip("\n") for k, lines in found.items()}
