"""The opinion documents as a reader sees them: laid out by LibreOffice Writer (DOCX → PDF, read back with
pypdf) — one opinion on at most three A4 pages, the bundle's summary on its first page and each opinion
from a new page, "Strona X z Y" in the footer, no word of a table broken across lines — and the table
XML that makes Word and LibreOffice show the same widths (w:tblGrid, w:tcW, fixed layout).

The bound of three pages: an opinion holds a title block, the project card, the overall assessment,
the criteria table (a row per criterion with its level's descriptor and the advisor's comment), strengths,
weaknesses, robustness, conditions, two sections the advisor fills in and the signature; on the bundled
samples (twelve criteria, descriptors of up to 170 characters) that is two pages and a part of a third.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from appraisal import numfmt
from appraisal import opinions as op
from appraisal.io import docx as writer
from appraisal.io.formats import load_package
from conftest import soffice_or_skip

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pakiet_dolina_baryczy.json"
CARD = ROOT / "samples" / "pakiet_karta.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: the most pages one project's opinion may take
MAX_PAGES = 3


def opinions_of(source: Path, lang: str, method: str = "topsis", samples: int = 500):
    rk = op.ranking_for_opinions(load_package(source), method)
    run = op.robustness(rk, samples, 3) if samples else None
    ops = op.build_opinions(rk, robustness=run, lang=lang)
    return ops, op.build_bundle(rk, ops, lang, robustness=run)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The sample package's opinions and bundle in Polish, the selection-card package's opinions, and one
    opinion in English, written as DOCX."""
    out = tmp_path_factory.mktemp("docx")
    ops, bundle = opinions_of(SAMPLE, "pl")
    files = {o.identification.project_id: writer.write_opinion_docx(o, out / f"{o.identification.project_id}.docx")
             for o in ops}
    files["bundle"] = writer.write_bundle_docx(bundle, out / "bundle.docx")
    card, _ = opinions_of(CARD, "pl", "points", samples=0)
    for o in card:
        files[f"card-{o.identification.project_id}"] = writer.write_opinion_docx(
            o, out / f"card-{o.identification.project_id}.docx")
    english, _ = opinions_of(SAMPLE, "en", samples=0)
    files["en"] = writer.write_opinion_docx(english[0], out / "en.docx")
    return {"files": files, "opinions": ops, "bundle": bundle, "card": card, "english": english[0]}


@pytest.fixture(scope="module")
def pdf(made, tmp_path_factory):
    """Each document laid out by LibreOffice Writer: name → the text of each page (pypdf)."""
    from pypdf import PdfReader

    exe = soffice_or_skip()
    work = tmp_path_factory.mktemp("pdf")
    profile = work / f"lo-profile-{uuid.uuid4().hex[:8]}"
    run = subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(work), *map(str, made["files"].values())],
        capture_output=True, text=True, timeout=600, check=False)
    shutil.rmtree(profile, ignore_errors=True)
    out = {}
    for name, path in made["files"].items():
        target = work / (path.stem + ".pdf")
        assert run.returncode == 0 and target.exists(), f"LibreOffice failed: {run.stdout} {run.stderr}"
        out[name] = [page.extract_text() for page in PdfReader(target).pages]
    return out


# --- as laid out ---------------------------------------------------------------------------------------------

def test_one_opinion_fits_in_three_pages(made, pdf):
    opinions = [n for n in pdf if n != "bundle"]
    assert len(opinions) == len(made["opinions"]) + len(made["card"]) + 1
    pages = {n: len(pdf[n]) for n in opinions}
    assert all(1 <= p <= MAX_PAGES for p in pages.values()), pages


def test_footer_says_page_x_of_y(pdf):
    for name, pages in pdf.items():
        n = len(pages)
        word = "Page {} of {}" if name == "en" else "Strona {} z {}"
        for k, text in enumerate(pages, 1):
            assert text.rstrip().endswith(word.format(k, n)), (name, k, text[-80:])


def test_header_names_the_partnership_and_the_project(made, pdf):
    for o in made["opinions"]:
        idn = o.identification
        for text in pdf[idn.project_id]:
            first = text.splitlines()[0]
            assert first.startswith(f"{idn.partnership} · {idn.project_id} — "), first


def test_the_bundle_starts_with_a_one_page_summary_then_each_opinion_on_its_own_pages(made, pdf):
    bundle, pages = made["bundle"], pdf["bundle"]
    first = pages[0]
    assert first.splitlines()[0] == f"{bundle.partnership} · Pakiet projektów kluczowych"
    assert "Zestawienie rekomendacji" in first and "Rozstrzygająca reguła" in first
    # a row per project: its id, title, score, category and the rule that decided it (the words of each
    # cell, as the laid-out lines of a table's cells interleave)
    on_page = Counter(_pieces(first))
    rules = {o.identification.project_id: o.decided_by.text for o in bundle.opinions}
    wanted = Counter()
    for s in bundle.summary:
        score = "—" if s.score is None else numfmt.number(s.score, 3, "pl")
        for cell in (s.project_id, s.title, score, s.recommendation_label, rules[s.project_id]):
            wanted.update(_pieces(cell))
    assert not wanted - on_page, wanted - on_page
    assert len(bundle.summary) == len(bundle.opinions) >= 2
    assert "1. Informacje o projekcie" not in first  # no opinion begins on the summary's page
    # each opinion: its pages follow one another, carry its name in the header, and the first begins with it
    owner = [None]
    for text in pages[1:]:
        head = text.splitlines()[0]
        owner.append(next(o.identification.project_id for o in bundle.opinions
                          if head.startswith(f"{bundle.partnership} · {o.identification.project_id} — ")))
    assert list(dict.fromkeys(owner[1:])) == [o.identification.project_id for o in bundle.opinions]
    for o in bundle.opinions:
        idn = o.identification
        start = owner.index(idn.project_id)
        body = " ".join(pages[start].splitlines()[1:3])
        assert " ".join(body.split()).startswith(f"{idn.project_id} — {' '.join(idn.project_title.split()[:3])}")
        assert sum(1 for x in owner if x == idn.project_id) <= MAX_PAGES


def _pieces(text: str) -> list[str]:
    """Where a line may break: at a space, and after a hyphen, a dash or a slash (as Word and LibreOffice do).
    A sign the document's font lacks (⇒) is left out: LibreOffice draws it in another font, which pypdf
    reads out of its place in the line."""
    text = "".join(c for c in text if c.isalnum() or c.isspace() or c in writer._GLYPHS)
    return [t for t in re.split(r"\s+|(?<=[-–—/])", text) if t]


def table_cells(path: Path) -> tuple:
    """The document and the text of each cell of its tables, once each (a cell across columns once)."""
    import docx
    from docx.table import _Cell

    d = docx.Document(str(path))
    return d, [_Cell(tc, table).text for table in d.tables for tr in table._tbl.tr_lst for tc in tr.tc_lst]


def test_no_word_of_a_table_is_broken_across_lines(made, pdf):
    """Every word of every table cell is found whole in the laid-out text at least as many times as the
    document holds it (a word broken across two lines of a narrow column comes out as two pieces)."""
    for name, path in made["files"].items():
        d, cells = table_cells(path)
        in_tables = Counter(t for text in cells for t in _pieces(text))
        everywhere = in_tables + Counter(t for p in d.paragraphs for t in _pieces(p.text))
        laid_out = Counter(t for page in pdf[name] for t in _pieces(page))
        broken = {t: (laid_out[t], everywhere[t]) for t in in_tables if laid_out[t] < everywhere[t]}
        assert not broken, (name, broken)


# --- the table XML -------------------------------------------------------------------------------------------

def _tables(path: Path) -> list:
    import zipfile

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.findall(f".//{W}tbl")


def _cell_runs(tc) -> list[tuple[str, float, bool]]:
    out = []
    for r in tc.iter(f"{W}r"):
        text = "".join(t.text or "" for t in r.iter(f"{W}t"))
        rpr = r.find(f"{W}rPr")
        sz = rpr.find(f"{W}sz") if rpr is not None else None
        size = int(sz.get(f"{W}val")) / 2 if sz is not None else writer.BODY
        out.append((text, size, rpr is not None and rpr.find(f"{W}b") is not None))
    return out


def test_every_table_has_its_widths_in_the_grid_and_in_every_cell(made):
    for name, path in made["files"].items():
        tables = _tables(path)
        assert len(tables) >= 3, name
        for tbl in tables:
            pr = tbl.find(f"{W}tblPr")
            assert pr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"  # no autofit
            grid = [int(c.get(f"{W}w")) for c in tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")]
            width = pr.find(f"{W}tblW")
            assert width.get(f"{W}type") == "dxa" and int(width.get(f"{W}w")) == sum(grid) == writer.TEXT_WIDTH
            for tr in tbl.findall(f"{W}tr"):
                k = 0
                for tc in tr.findall(f"{W}tc"):
                    tc_pr = tc.find(f"{W}tcPr")
                    span_el = tc_pr.find(f"{W}gridSpan")
                    span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                    tcw = tc_pr.find(f"{W}tcW")
                    assert tcw.get(f"{W}type") == "dxa" and int(tcw.get(f"{W}w")) == sum(grid[k:k + span]), name
                    if span == 1:  # the column holds the longest word of the cell (as the font measures it)
                        for text, size, bold in _cell_runs(tc):
                            for word in writer.words_of(text):
                                assert writer.text_width(word, size, bold) + 2 * writer.CELL_MARGIN <= grid[k], \
                                    (name, word, grid[k])
                    k += span
                assert k == len(grid)


def test_the_page_is_a4_portrait_with_the_text_width_of_the_tables(made):
    import docx

    for section in docx.Document(str(made["files"]["bundle"])).sections:
        assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
        assert section.page_width.twips - section.left_margin.twips - section.right_margin.twips == writer.TEXT_WIDTH


def test_the_criteria_are_named_as_in_the_criteria_set(made):
    import docx

    cs = load_package(SAMPLE).criteria_set
    d = docx.Document(str(made["files"]["P05"]))
    text = "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    for leaf in cs.leaves():
        assert leaf.label.get("pl") in text
        assert leaf.id not in text  # never the id (population_served)


# --- the widths, on their own --------------------------------------------------------------------------------

def test_short_columns_keep_to_one_line_and_the_text_columns_share_the_rest():
    c = writer.Cell
    long = "Projekt realizuje kierunek działań strategii i przyczynia się do jednego jej wskaźnika " * 2
    columns = [[c("Lp.", 8, True), c("1.1", 8), c("1.2", 8)],
               [c("Waga", 8, True), c("0,057", 8), c("0,104", 8)],
               [c("Opis poziomu", 8, True), c(long, 8), c(long[:60], 8)],
               [c("Komentarz", 8, True), c(long[:120], 8), c("", 8)]]
    widths = writer.column_widths(columns, total=9000)
    assert sum(widths) == 9000
    for k in (0, 1):  # the numbers on one line each
        assert all(writer._Measured(cell).lines(widths[k]) == 1 for cell in columns[k])
    assert widths[2] > widths[3] > widths[1]  # the longest text gets the most


def test_words_longer_than_the_table_narrow_every_column_in_proportion():
    c = writer.Cell
    words = ["x" * 80, "y" * 60]
    widths = writer.column_widths([[c(w, 10)] for w in words], total=5000)
    assert sum(widths) == 5000
    rooms = [writer._room(writer.text_width(w, 10)) for w in words]
    assert widths[0] / widths[1] == pytest.approx(rooms[0] / rooms[1], rel=1e-3)


text_cells = st.lists(st.text(alphabet="abcdeęłó ,.0123456789—", max_size=60), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(columns=st.lists(text_cells, min_size=1, max_size=7), total=st.integers(1500, 12000))
def test_widths_fill_the_table_and_hold_every_word_when_they_can(columns, total):
    cells = [[writer.Cell(t, 8) for t in col] for col in columns]
    widths = writer.column_widths(cells, total=total)
    assert sum(widths) == total and len(widths) == len(columns)
    least = [writer._room(max((writer.text_width(w, 8) for t in col for w in writer.words_of(t)), default=0))
             for col in columns]
    if sum(least) <= total:
        assert all(w >= lo - 1 for w, lo in zip(widths, least))


def test_a_long_header_line_is_cut_at_a_word():
    text = "Partnerstwo Gmin Doliny Baryczy · P05 — " + "bardzo długi tytuł projektu " * 10
    line = writer.one_line(text, writer.RUNNING, writer.TEXT_WIDTH)
    assert line.endswith(" …") and text.startswith(line[:-2])
    assert writer._room(writer.text_width(line, writer.RUNNING)) <= writer.TEXT_WIDTH
    assert writer.one_line("krótki", writer.RUNNING, writer.TEXT_WIDTH) == "krótki"
