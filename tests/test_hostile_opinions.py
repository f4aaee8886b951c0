"""`appraise opinions` under hostile conditions (issue 11: items 1, 2, 5, 6, 7, 11, 12, 13).

The advisor's text is never lost: text in content controls, field results, smart tags and custom XML is
read; tracked changes still pending in the advisor's sections stop the run (exit 2, one line, nothing
written); a DOCX that is not the one last written is kept as ``<id>.prev.docx``. File names do not
depend on the order of the projects, and a record naming another project is never taken for this
one's. Line ends and control characters never look like edits, Markdown never carries HTML from the
inputs, and earlier files that are too big, too deep or of the wrong shape end in one line, exit 2.
DOCX files are made by python-docx (with WordprocessingML put in by hand) and by LibreOffice Writer.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from appraisal.console.cli import main
from appraisal.io.docx import read_advisor_docx, read_advisor_sections
from appraisal.io.opinion_output import file_stems
from builders import cwd_package_doc
from conftest import soffice_or_skip

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pakiet_dolina_baryczy.json"
LOCK = ".appraise.lock"
W = nsdecls("w")
CHANGE = 'w:id="{}" w:author="Anna Kowalczyk" w:date="2026-10-16T10:00:00Z"'


def run(*args) -> int:
    return main([str(a) for a in args])


def one_line(capsys) -> str:
    err = [x for x in capsys.readouterr().err.strip().splitlines() if not x.startswith("note:")]
    assert len(err) == 1, err
    assert "Traceback" not in err[0] and "internal error" not in err[0]
    return err[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder but the run's lock file (its content is the last run's process id)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != LOCK}


def write_pkg(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def fresh(tmp_path, fmt="docx", src=SAMPLE) -> Path:
    out = tmp_path / "o"
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", fmt) == 0
    return out


def index_of(d, number: str) -> int:
    """The index of the opinion's heading ``number`` ("8.", "7.2.") among the paragraphs: found by its number,
    so in either language of the opinion."""
    return next(i for i, p in enumerate(d.paragraphs)
                if p.style.name.startswith("Heading") and p.text.startswith(f"{number} "))


def replace_paragraph(p, xml: str) -> None:
    """Put the WordprocessingML ``xml`` (one element) in place of the paragraph ``p``."""
    el = parse_xml(xml)
    p._p.addprevious(el)
    p._p.getparent().remove(p._p)


#: the readiness criterion of the cwd criteria set (the sample's and the builder's), in either language
READINESS = ("Gotowość do realizacji", "Readiness")


def comment_cell(d, labels: tuple[str, ...] = READINESS):
    """(criterion cell text, comment cell) of the section-3 row of the criterion labelled one of ``labels``:
    the comment column is the table's last, the criterion its second (in either language of the opinion)."""
    row = next(r for t in d.tables for r in t.rows if len(r.cells) > 2 and r.cells[1].text in labels)
    return row.cells[1].text, row.cells[-1]


def rewrite_zip(path: Path, parts: dict[str, bytes]) -> None:
    """The DOCX at ``path`` with some of its parts replaced or added."""
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        names = set()
        for info, data in items:
            names.add(info.filename)
            zout.writestr(info.filename, parts.get(info.filename, data))
        for name, data in parts.items():
            if name not in names:
                zout.writestr(name, data)
    path.write_bytes(buf.getvalue())


# --- 1. text in content controls, fields, tracked changes; the DOCX last written ------------------------------

ACCEPTED = {
    "block content control": ('<w:sdt {W}><w:sdtPr><w:alias w:val="Uwagi"/></w:sdtPr><w:sdtContent>'
                              '<w:p><w:r><w:t>Pierwsza linia w kontrolce.</w:t></w:r></w:p>'
                              '<w:p><w:r><w:t>Druga linia w kontrolce.</w:t></w:r></w:p></w:sdtContent></w:sdt>',
                              "Pierwsza linia w kontrolce.\nDruga linia w kontrolce."),
    "inline content control": ('<w:p {W}><w:r><w:t xml:space="preserve">Przed kontrolką, </w:t></w:r><w:sdt><w:sdtPr/>'
                               '<w:sdtContent><w:r><w:t>w kontrolce</w:t></w:r></w:sdtContent></w:sdt>'
                               '<w:r><w:t>, po niej.</w:t></w:r></w:p>',
                               "Przed kontrolką, w kontrolce, po niej."),
    "field result": ('<w:p {W}><w:fldSimple w:instr=" FILLIN &quot;Uwagi&quot; "><w:r><w:t>Uwaga jako wynik pola.</w:t>'
                     '</w:r></w:fldSimple></w:p>', "Uwaga jako wynik pola."),
    "complex field result": ('<w:p {W}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> USERNAME '
                             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Anna '
                             'Kowalczyk</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
                             "Anna Kowalczyk"),
    "smart tag and custom XML": ('<w:p {W}><w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" '
                                 'w:element="place"><w:r><w:t xml:space="preserve">Milicz </w:t></w:r></w:smartTag>'
                                 '<w:customXml w:element="uwaga"><w:r><w:t>i Krośnice.</w:t></w:r></w:customXml></w:p>',
                                 "Milicz i Krośnice."),
    "content control still showing its placeholder": (
        '<w:sdt {W}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Kliknij lub naciśnij tutaj, '
        'aby wprowadzić tekst.</w:t></w:r></w:p></w:sdtContent></w:sdt>', ""),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_text_in_content_controls_and_fields_is_read_and_kept(tmp_path, capsys, case):
    xml, want = ACCEPTED[case]
    out = fresh(tmp_path)
    path = out / "p01.docx"
    d = docx.Document(str(path))
    replace_paragraph(d.paragraphs[index_of(d, "8.") + 1], xml.format(W=W))
    d.save(str(path))
    edited = path.read_bytes()
    assert read_advisor_sections(path)["notes"] == want
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert json.loads((out / "p01.json").read_text("utf-8"))["advisor"]["notes"] == want
    assert read_advisor_sections(path)["notes"] == want  # written back as plain paragraphs
    assert (out / "p01.prev.docx").read_bytes() == edited  # the advisor's file, kept before it was replaced


def test_comment_typed_in_a_content_control_in_the_criteria_table_is_kept(tmp_path):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    d = docx.Document(str(path))
    _, cell = comment_cell(d)
    replace_paragraph(cell.paragraphs[0], f'<w:p {W}><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>Pozwolenie wydane.</w:t>'
                                          '</w:r></w:sdtContent></w:sdt></w:p>')
    d.save(str(path))
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    o = json.loads((out / "p01.json").read_text("utf-8"))
    assert o["advisor"]["comments"] == {"readiness": "Pozwolenie wydane."}


def _ins(n: int, text: str) -> str:
    return f'<w:ins {CHANGE.format(n)}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'


def _del(n: int, text: str) -> str:
    return f'<w:del {CHANGE.format(n)}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def _pending_notes(d):
    replace_paragraph(d.paragraphs[index_of(d, "8.") + 1],
                      f'<w:p {W}>{_ins(1, "Uwaga wpisana przy włączonym śledzeniu zmian.")}</w:p>')


def _pending_recommendations(d):
    p = d.paragraphs[index_of(d, "7.2.") + 1]
    replace_paragraph(p, f'<w:p {W}>{_del(2, p.text)}{_ins(3, "Zalecenie.")}</w:p>')


def _pending_move(d):
    i8 = index_of(d, "8.")
    replace_paragraph(d.paragraphs[i8 + 1],
                      f'<w:p {W}><w:moveFrom {CHANGE.format(4)}><w:r><w:t>Przeniesione.</w:t></w:r></w:moveFrom>'
                      f'<w:r><w:t xml:space="preserve"> Zostaje. </w:t></w:r><w:moveTo {CHANGE.format(5)}><w:r>'
                      f'<w:t>Przeniesione.</w:t></w:r></w:moveTo></w:p>')


def _pending_paragraph_mark(d):  # Enter pressed with changes tracked: only the paragraph mark is inserted
    replace_paragraph(d.paragraphs[index_of(d, "8.") + 1],
                      f'<w:p {W}><w:pPr><w:rPr><w:ins {CHANGE.format(6)}/></w:rPr></w:pPr><w:r><w:t>Tekst.</w:t>'
                      f'</w:r></w:p>')


def _pending_in_a_content_control(d):
    replace_paragraph(d.paragraphs[index_of(d, "8.") + 1],
                      f'<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p>{_ins(7, "W kontrolce.")}</w:p></w:sdtContent>'
                      f'</w:sdt>')


def _pending_comment(d):
    _, cell = comment_cell(d)
    replace_paragraph(cell.paragraphs[0], f'<w:p {W}>{_ins(8, "Pozwolenie wydane.")}</w:p>')


PENDING = {"insertion in section 8": (_pending_notes, "section 8"),
           "deletion and insertion in 7.2": (_pending_recommendations, "section 7.2"),
           "move in section 8": (_pending_move, "section 8"),
           "inserted paragraph mark": (_pending_paragraph_mark, "section 8"),
           "insertion inside a content control": (_pending_in_a_content_control, "section 8"),
           "insertion in a comment cell": (_pending_comment, "comment column of section 3")}


@pytest.mark.parametrize("case", list(PENDING))
def test_pending_tracked_changes_in_the_advisors_sections_stop_the_run(tmp_path, capsys, case):
    edit, where = PENDING[case]
    out = fresh(tmp_path)
    path = out / "p01.docx"
    d = docx.Document(str(path))
    edit(d)
    d.save(str(path))
    before = snapshot(out)
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
    line = one_line(capsys)
    assert "p01.docx" in line and where in line and "tracked changes" in line and "accept or reject" in line
    assert snapshot(out) == before  # nothing written, nothing replaced


def test_a_tracked_change_outside_the_advisors_sections_is_not_refused(tmp_path):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    d = docx.Document(str(path))
    p = d.paragraphs[index_of(d, "6.") + 1]
    replace_paragraph(p, f'<w:p {W}>{_del(1, p.text)}{_ins(2, "Zmienione.")}</w:p>')
    d.save(str(path))
    edited = path.read_bytes()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0  # generated text: rewritten
    assert (out / "p01.prev.docx").read_bytes() == edited


def test_a_docx_not_as_last_written_is_kept_as_prev_docx(tmp_path, capsys):
    out = fresh(tmp_path)
    path, record = out / "p01.docx", out / "p01.json"
    digest = json.loads(record.read_text("utf-8"))["advisor"]["docx_digest"]
    assert digest == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    # an edit that is no text of the advisor's sections (a heading made red): still the advisor's file
    d = docx.Document(str(path))
    d.paragraphs[index_of(d, "4.")].runs[0].font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
    d.save(str(path))
    edited = path.read_bytes()
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert (out / "p01.prev.docx").read_bytes() == edited
    assert "p01.docx kept as p01.prev.docx" in capsys.readouterr().err
    assert not (out / "p02.prev.docx").exists()  # as written: no copy
    # a JSON-only run leaves the DOCX and its record as they were
    before = path.read_bytes()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "json") == 0
    assert path.read_bytes() == before
    assert json.loads(record.read_text("utf-8"))["advisor"]["docx_digest"] == \
        "sha256:" + hashlib.sha256(before).hexdigest()
    # a record from an earlier version (no digest): the DOCX is kept before it is replaced
    o = json.loads((out / "p02.json").read_text("utf-8"))
    del o["advisor"]["docx_digest"]
    (out / "p02.json").write_text(json.dumps(o, ensure_ascii=False), "utf-8")
    p02 = (out / "p02.docx").read_bytes()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert (out / "p02.prev.docx").read_bytes() == p02


# --- 1. LibreOffice Writer: changes recorded, and text in a content control and a field -------------------------

def soffice_convert(src: Path, fmt: str, outdir: Path, workdir: Path) -> Path:
    """``src`` converted by headless LibreOffice (a private profile in ``workdir``) into ``outdir``."""
    exe = soffice_or_skip()
    profile = workdir / f"lo-profile-{uuid.uuid4().hex[:8]}"
    proc = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                          capture_output=True, text=True, timeout=240, check=False)
    result = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    shutil.rmtree(profile, ignore_errors=True)
    assert proc.returncode == 0 and result.exists(), f"LibreOffice failed: {proc.stdout} {proc.stderr}"
    return result


@pytest.fixture(scope="module")
def writer_fodt(tmp_path_factory):
    """p01's opinion as generated, opened in LibreOffice Writer and saved as a flat ODT (XML)."""
    soffice_or_skip()
    work = tmp_path_factory.mktemp("lo")
    out = work / "o"
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    return soffice_convert(out / "p01.docx", "fodt", work / "fodt", work).read_text("utf-8")


def _writer_edit(fodt: str, paragraphs: str, tracked: str = "") -> str:
    """The flat ODT with the placeholder of section 8 replaced by ``paragraphs`` and the changes
    ``tracked`` (``<text:changed-region>`` elements) recorded."""
    if tracked:
        head = '<office:text text:use-soft-page-breaks="true">'
        assert head in fodt
        fodt = fodt.replace(head, f'{head}<text:tracked-changes text:track-changes="true">{tracked}'
                                  f'</text:tracked-changes>', 1)
    i = re.search(r">8\. [^<]*</text:h>", fodt).start()  # the heading of section 8, in either language
    j = fodt.index("<text:p ", i)
    end = fodt.index("</text:p>", j) + len("</text:p>")
    return fodt[:j] + paragraphs + fodt[end:]


def _writer_docx(tmp_path, fodt_text: str) -> tuple[Path, bytes]:
    """Opinions written into ``tmp_path/o``, and p01.docx replaced by the Writer document saved as DOCX."""
    out = fresh(tmp_path)
    src = tmp_path / "p01.fodt"
    src.write_text(fodt_text, "utf-8")
    made = soffice_convert(src, "docx:MS Word 2007 XML", tmp_path / "lo-out", tmp_path)
    shutil.copyfile(made, out / "p01.docx")
    return out, made.read_bytes()


INFO = ('<office:change-info><dc:creator>Anna Kowalczyk</dc:creator><dc:date>2026-10-16T10:00:00</dc:date>'
        '</office:change-info>')


def test_writer_document_with_changes_recorded_is_refused(tmp_path, capsys, writer_fodt):
    tracked = f'<text:changed-region xml:id="ct1" text:id="ct1"><text:insertion>{INFO}</text:insertion></text:changed-region>'
    para = ('<text:p text:style-name="Standard"><text:change-start text:change-id="ct1"/>Uwaga wpisana w Writerze '
            'przy zapisywaniu zmian.<text:change-end text:change-id="ct1"/></text:p>')
    out, made = _writer_docx(tmp_path, _writer_edit(writer_fodt, para, tracked))
    assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(made)).read("word/document.xml")  # Writer wrote a w:ins
    before = snapshot(out)
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
    line = one_line(capsys)
    assert "p01.docx" in line and "section 8" in line and "tracked changes" in line
    assert snapshot(out) == before


def test_writer_document_with_a_content_control_and_fields_is_read(tmp_path, capsys, writer_fodt):
    paras = ('<text:p text:style-name="Standard"><loext:content-control>Uwaga w kontrolce zawartości.'
             '</loext:content-control></text:p>'
             '<text:p text:style-name="Standard"><text:text-input text:description="Uwaga">Uwaga w polu '
             'formularza.</text:text-input></text:p>'
             '<text:p text:style-name="Standard">Podpisała <text:author-name text:fixed="true">Anna Kowalczyk'
             '</text:author-name>.</text:p>')
    out, made = _writer_docx(tmp_path, _writer_edit(writer_fodt, paras))
    assert b"<w:sdt>" in zipfile.ZipFile(io.BytesIO(made)).read("word/document.xml")  # Writer wrote a w:sdt
    want = "Uwaga w kontrolce zawartości.\nUwaga w polu formularza.\nPodpisała Anna Kowalczyk."
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert json.loads((out / "p01.json").read_text("utf-8"))["advisor"]["notes"] == want
    assert read_advisor_sections(out / "p01.docx")["notes"] == want
    assert (out / "p01.prev.docx").read_bytes() == made


# --- 2. file names independent of the order; another project's record never adopted --------------------------

def test_file_names_do_not_depend_on_the_order_of_the_projects(tmp_path):
    ids = ["P01", "p01", "a/b", "a-b", "pakiet", "x.prev", "P02"]
    stems = {pid: p.name for pid, p in file_stems(tmp_path, ids).items()}
    assert stems == {pid: p.name for pid, p in file_stems(tmp_path, list(reversed(ids))).items()}
    assert len(set(stems.values())) == len(ids)
    for pid in ("P01", "p01", "a/b", "a-b", "pakiet", "x.prev"):  # each shared name: every id gets its hash
        assert stems[pid].endswith("-" + hashlib.sha256(pid.encode()).hexdigest()[:8]), (pid, stems[pid])
    assert stems["P02"] == "p02"
    assert all(not s.startswith(".") for s in stems.values())  # never the lock file, never hidden


def _two_p01(tmp_path, order) -> Path:
    doc = cwd_package_doc(3)
    doc["projects"][0]["id"], doc["projects"][1]["id"] = "P01", "p01"
    doc["projects"] = [next(p for p in doc["projects"] if p["id"] == pid) for pid in order]
    return write_pkg(tmp_path / "pkg.json", doc)


def _docx_of(out: Path, pid: str) -> Path:
    for f in out.glob("*.json"):
        o = json.loads(f.read_text("utf-8"))
        if o.get("kind") == "opinion" and o["identification"]["project_id"] == pid:
            return f.with_suffix(".docx")
    raise AssertionError(pid)


def _note(path: Path, text: str) -> None:
    d = docx.Document(str(path))
    d.paragraphs[index_of(d, "8.") + 1].text = text
    d.save(str(path))


def _notes(out: Path, pid: str) -> str:
    return json.loads(_docx_of(out, pid).with_suffix(".json").read_text("utf-8"))["advisor"]["notes"]


def test_reordered_projects_keep_their_own_notes(tmp_path):
    out = tmp_path / "o"
    src = _two_p01(tmp_path, ["P01", "p01", "P3"])
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    _note(_docx_of(out, "P01"), "Uwaga o projekcie P01.")
    src = _two_p01(tmp_path, ["p01", "P01", "P3"])  # the same package, projects reordered
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert _notes(out, "P01") == "Uwaga o projekcie P01."
    assert _notes(out, "p01") == ""


def test_files_left_under_the_plain_name_go_to_their_own_project(tmp_path, capsys):
    out = tmp_path / "o"
    doc = cwd_package_doc(3)
    doc["projects"][0]["id"] = "P01"
    src = write_pkg(tmp_path / "pkg.json", doc)
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    _note(out / "p01.docx", "Uwaga o projekcie P01.")
    # a project p01 joins the package, first: both now carry a hash; P01's earlier files are found
    doc["projects"].insert(0, {**doc["projects"][1], "id": "p01", "title": "Inny projekt"})
    write_pkg(src, doc)
    capsys.readouterr()
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert "P01: earlier opinion p01.* read and moved to p01-" in capsys.readouterr().err
    assert _notes(out, "P01") == "Uwaga o projekcie P01." and _notes(out, "p01") == ""
    assert not (out / "p01.json").exists() and not (out / "p01.docx").exists()  # no stale copy to edit
    own = _docx_of(out, "P01")
    assert read_advisor_sections(own.with_suffix(".prev.docx"))["notes"] == "Uwaga o projekcie P01."
    assert read_advisor_sections(own)["notes"] == "Uwaga o projekcie P01."


def test_a_record_naming_another_project_is_refused(tmp_path, capsys):
    out = fresh(tmp_path)
    _note(out / "p02.docx", "Uwaga o P02.")
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    for ext in ("json", "docx"):  # P02's files put under P01's name
        shutil.copyfile(out / f"p02.{ext}", out / f"p01.{ext}")
    before = snapshot(out)
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
    line = one_line(capsys)
    assert "p01.json" in line and "opinion of project 'P02', not of 'P01'" in line
    assert snapshot(out) == before


# --- 5. one run at a time in a folder ---------------------------------------------------------------------------

def test_a_second_run_into_a_locked_folder_is_one_line(tmp_path, capsys):
    out = fresh(tmp_path)
    before = snapshot(out)
    code = ("import sys\nfrom appraisal.io.files import folder_lock\nwith folder_lock(sys.argv[1]):\n"
            "    print('locked', flush=True)\n    sys.stdin.readline()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        capsys.readouterr()
        assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
        line = one_line(capsys)
        assert "another appraise run is writing into this folder" in line and str(out) in line
        assert snapshot(out) == before
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(30)
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0  # free again


def test_the_lock_file_is_never_an_opinion_file(tmp_path):
    doc = cwd_package_doc(3)
    doc["projects"][0]["id"], doc["projects"][1]["id"] = "appraise.lock", "x/../.appraise.lock"
    src = write_pkg(tmp_path / "pkg.json", doc)
    out = tmp_path / "o"
    for _ in range(2):
        assert run("opinions", src, "-o", out, "--samples", "0") == 0
    assert (out / LOCK).read_text().strip().isdigit()  # the lock file holds a process id, nothing else
    names = sorted(p.name for p in out.iterdir())
    assert [n for n in names if n.startswith(".")] == [LOCK]
    ids = {json.loads(f.read_text("utf-8"))["identification"]["project_id"]
           for f in out.glob("*.json") if f.name != "pakiet.json"}
    assert ids == {"appraise.lock", "x/../.appraise.lock", "P3"}


# --- 6, 12. line ends and control characters -------------------------------------------------------------------

def test_a_comment_with_crlf_is_not_taken_for_an_edit(tmp_path, capsys):
    doc = cwd_package_doc(3)
    doc["projects"][0]["comments"] = {"readiness": "Linia 1\r\nLinia 2\rLinia 3"}
    src = write_pkg(tmp_path / "pkg.json", doc)
    out = tmp_path / "o"
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    capsys.readouterr()
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    err = capsys.readouterr().err
    assert "edited in Word" not in err and not (out / "p1.prev.docx").exists()
    assert json.loads((out / "p1.json").read_text("utf-8"))["advisor"]["comments"] == {}
    _, cell = comment_cell(docx.Document(str(out / "p1.docx")))
    assert cell.text == "Linia 1\nLinia 2\nLinia 3"
    # not frozen: the package's next comment is shown
    doc["projects"][0]["comments"] = {"readiness": "Nowy komentarz"}
    write_pkg(src, doc)
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx") == 0
    crit = next(c for c in json.loads((out / "p1.json").read_text("utf-8"))["criteria"] if c["id"] == "readiness")
    assert crit["comment"] == "Nowy komentarz"


def test_advisor_text_with_crlf_in_the_json_is_not_taken_for_a_word_edit(tmp_path, capsys):
    out = fresh(tmp_path)
    f = out / "p01.json"
    o = json.loads(f.read_text("utf-8"))
    o["advisor"]["notes"] = "Uwaga 1\r\nUwaga 2"
    f.write_text(json.dumps(o, ensure_ascii=False), "utf-8")
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    err = capsys.readouterr().err
    assert "P01: advisor's text" not in err and "p01.prev.docx" not in err
    assert json.loads(f.read_text("utf-8"))["advisor"]["notes"] == "Uwaga 1\nUwaga 2"


CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\ufffe"


def test_control_characters_reach_no_document(tmp_path, capsys):
    doc = cwd_package_doc(3)
    doc["partnership"]["name"] = f"Partnerstwo{CONTROL} testowe"
    doc["projects"][0]["title"] = "Projekt\x07 z dzwonkiem\x1b[31m"
    doc["projects"][0]["comments"] = {"readiness": f"Kom{CONTROL}entarz\tz tabulatorem\nw dwóch liniach"}
    src = write_pkg(tmp_path / "pkg.json", doc)
    out = tmp_path / "o"
    assert run("opinions", src, "-o", out, "--samples", "0", "--advisor", "Anna\x07 Kowalczyk") == 0
    o = json.loads((out / "p1.json").read_text("utf-8"))
    o["advisor"]["notes"] = "Uwaga\x00 z\x0cznakami\tsterującymi"
    (out / "p1.json").write_text(json.dumps(o, ensure_ascii=False), "utf-8")
    capsys.readouterr()
    assert run("opinions", src, "-o", out, "--samples", "0", "--advisor", "Anna\x07 Kowalczyk") == 0
    assert "edited in Word" not in capsys.readouterr().err
    d = docx.Document(str(out / "p1.docx"))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert "Projekt z dzwonkiem[31m" in text and "Partnerstwo testowe" in text and "Anna Kowalczyk" in text
    assert "Komentarz\tz tabulatorem\nw dwóch liniach" in text
    assert not any(ch in text for ch in CONTROL)
    assert read_advisor_sections(out / "p1.docx")["notes"] == "Uwaga zznakami\tsterującymi"
    assert json.loads((out / "p1.json").read_text("utf-8"))["advisor"]["comments"] == {}
    for name in ("p1.md", "pakiet.md"):
        assert not any(ch in (out / name).read_text("utf-8") for ch in CONTROL)
    docx.Document(str(out / "pakiet.docx"))  # the bundle opens too


# --- 7. Markdown carries no HTML from the inputs -----------------------------------------------------------------

def test_markdown_escapes_html_from_the_inputs(tmp_path):
    doc = cwd_package_doc(3)
    doc["partnership"]["name"] = "Gminy A & B <i>razem</i>"
    doc["projects"][0]["title"] = "<script>alert(1)</script> Droga"
    doc["projects"][0]["comments"] = {"readiness": "<img src=x onerror=alert(1)> & więcej\nlinia 2"}
    doc["projects"][0]["description"] = "<a href=\"javascript:alert(1)\">opis</a>"
    src = write_pkg(tmp_path / "pkg.json", doc)
    out = tmp_path / "o"
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "md,json") == 0
    o = json.loads((out / "p1.json").read_text("utf-8"))
    o["advisor"]["notes"] = "<iframe src=//evil></iframe>"
    (out / "p1.json").write_text(json.dumps(o, ensure_ascii=False), "utf-8")
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "md,json") == 0
    for name in ("p1.md", "pakiet.md"):
        md = (out / name).read_text("utf-8")
        for raw in ("<script", "<img", "<iframe", "<i>", "<a href", "A & B"):
            assert raw not in md, (name, raw)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Droga" in md and "Gminy A &amp; B &lt;i&gt;razem&lt;/i&gt;" in md
        assert "&lt;img src=x onerror=alert(1)&gt; &amp; więcej<br>linia 2" in md  # a cell's line break stays
        assert "&lt;iframe src=//evil&gt;&lt;/iframe&gt;" in md
    assert (out / "p1.md").read_text("utf-8").rstrip().endswith("-->")  # the generated footer comment stays


# --- 11. the previous DOCX: size limits, linear read -------------------------------------------------------------

def test_a_docx_over_20_mb_is_refused(tmp_path, capsys):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        z.writestr("word/media/image1.bin", os.urandom(20 * 1024 * 1024))
    before = snapshot(out)
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
    line = one_line(capsys)
    assert "p01.docx" in line and "larger than 20 MB" in line
    assert snapshot(out) == before


def test_a_document_xml_unpacking_beyond_the_limit_is_refused_before_it_is_read(tmp_path, capsys):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    body = zipfile.ZipFile(path).read("word/document.xml")
    rewrite_zip(path, {"word/document.xml": body + (b"<!--" + b" " * 1024 + b"-->") * (21 * 1024)})
    assert path.stat().st_size < 200_000  # small on disk
    before = snapshot(out)
    capsys.readouterr()
    t0 = time.perf_counter()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
    assert time.perf_counter() - t0 < 10
    line = one_line(capsys)
    assert "p01.docx" in line and "word/document.xml unpacks to more than 20 MB" in line
    assert snapshot(out) == before


def _insert_after_heading(path: Path, number: str, xml: str, styles_extra: str = "") -> None:
    d = docx.Document(str(path))
    heading = d.paragraphs[index_of(d, number)].text
    with zipfile.ZipFile(path) as z:
        body, styles = z.read("word/document.xml").decode("utf-8"), z.read("word/styles.xml").decode("utf-8")
    i = body.index(f">{heading}<")
    i = body.index("</w:p>", i) + len("</w:p>")
    body = body[:i] + xml + body[i:]
    if styles_extra:
        styles = styles.replace("</w:styles>", styles_extra + "</w:styles>")
    rewrite_zip(path, {"word/document.xml": body.encode("utf-8"), "word/styles.xml": styles.encode("utf-8")})


def test_a_large_section_8_with_many_styles_is_read_in_linear_time(tmp_path):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    n, extra = 5000, 3000
    paras = "".join(f'<w:p><w:pPr><w:pStyle w:val="Extra{k % extra}"/></w:pPr><w:r><w:t>Linia {k} uwag doradcy '
                    f'o projekcie.</w:t></w:r></w:p>' for k in range(n))
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="Extra{k}"><w:name w:val="Extra {k}"/></w:style>'
                     for k in range(extra))
    _insert_after_heading(path, "8.", paras, styles)
    t0 = time.perf_counter()
    notes = read_advisor_docx(path).sections["notes"]
    elapsed = time.perf_counter() - t0
    assert notes.split("\n") == [f"Linia {k} uwag doradcy o projekcie." for k in range(n)]
    assert elapsed < 3, elapsed  # python-docx looked every style up for every paragraph: over 10 s here


def test_a_tall_vertically_merged_table_is_read(tmp_path):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    rows = 3000
    first = ('<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Ryzyko</w:t></w:r></w:p></w:tc>'
             '<w:tc><w:p><w:r><w:t>Działanie 0</w:t></w:r></w:p></w:tc></w:tr>')
    rest = "".join(f'<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>Działanie {k}</w:t>'
                   f'</w:r></w:p></w:tc></w:tr>' for k in range(1, rows))
    table = f'<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{first}{rest}</w:tbl>'
    _insert_after_heading(path, "8.", table)
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    notes = json.loads((out / "p01.json").read_text("utf-8"))["advisor"]["notes"].split("\n")
    assert notes == [f"Ryzyko | Działanie {k}" for k in range(rows)]


def test_a_docx_with_a_doctype_is_refused(tmp_path, capsys):
    out = fresh(tmp_path)
    path = out / "p01.docx"
    body = zipfile.ZipFile(path).read("word/document.xml")
    head, rest = body.split(b"?>", 1)
    bomb = b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rewrite_zip(path, {"word/document.xml": head + b"?>" + bomb + rest})
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 2
    assert "DOCTYPE" in one_line(capsys)


# --- 13. earlier records of the wrong shape or too deep -----------------------------------------------------------

DEEP = '{"kind": "opinion", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize(("content", "expect"), [
    ('{"kind": "opinion", "identification": "P04"}', "is not a valid opinion"),
    ('{"kind": "opinion", "identification": {"project_id": "P04"}, "advisor": "tekst"}', "is not a valid opinion"),
    (DEEP, "nested too deeply"),
])
def test_an_earlier_opinion_of_the_wrong_shape_or_too_deep_is_one_line(tmp_path, capsys, content, expect):
    out = fresh(tmp_path, "json")
    (out / "p04.json").write_text(content, "utf-8")
    before = snapshot(out)
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    line = one_line(capsys)
    assert "p04.json" in line and expect in line
    assert snapshot(out) == before


@pytest.mark.parametrize(("content", "expect"), [
    ('{"kind": "opinion_bundle", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"kind": "opinion_bundle", "partnership": "Partnerstwo Doliny Baryczy", "opinions": 7}',
     "not a valid opinion bundle"),
    ("SAMPLE", "not an opinion bundle"),  # the package itself, saved as pakiet.json in the output folder
])
def test_an_earlier_bundle_of_the_wrong_shape_is_not_written_over(tmp_path, capsys, content, expect):
    out = fresh(tmp_path, "json")
    if content == "SAMPLE":
        content = SAMPLE.read_text("utf-8")
    (out / "pakiet.json").write_text(content, "utf-8")
    before = snapshot(out)
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    line = one_line(capsys)
    assert "pakiet.json" in line and expect in line and "written over" in line
    assert snapshot(out) == before
    # a run that does not write the bundle leaves the file alone
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert (out / "pakiet.json").read_text("utf-8") == content


def test_an_earlier_opinion_that_is_a_fifo_is_one_line(tmp_path, capsys):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    out = fresh(tmp_path, "json")
    (out / "p04.json").unlink()
    os.mkfifo(out / "p04.json")
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    line = one_line(capsys)
    assert "p04.json" in line and "not a regular file" in line
