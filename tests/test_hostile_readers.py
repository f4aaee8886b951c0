"""Hostile input to the readers (issue 11, items 9, 10, 16 and 18): each case ends in one line and exit
code 2, in bounded time and memory, naming the file and the place.

- 9: only regular files are read, always with a bounded read: a named pipe (FIFO) or a link to the zero
  device given as a CSV matrix, pairwise file, source limits or workbook is refused at once.
- 10: a workbook is checked before openpyxl parses it: the unpacked size of each part and of all parts,
  the cells (merged and hyperlinked ranges counted cell by cell), the XML elements, shared strings and
  styles; a zip bomb is refused in well under a second.
- 16: a key given twice in a JSON object is refused (naming the key, its line and the object), as TOML does.
- 18: a text too long for a workbook cell names the input file and field (or row and column of a table),
  and a CSV cell over 128 K characters names its row and column.

Subprocesses run with a limit on their address space, so that a reader that does not bound its read
fails the test instead of exhausting the machine's memory, and with a timeout, so that a hang fails.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from appraisal.criteria import InputError, parse_document
from appraisal.io import csv as csv_mod
from appraisal.io import xlsx as xlsx_mod
from appraisal.io.csv import read_matrix, read_pairwise, read_table
from appraisal.io.excel_report import write_appraisal_workbook
from appraisal.io.formats import load_package
from appraisal.io.limits import read_source_limits
from appraisal.io.long_table import read_long_table
from appraisal.io.package_workbook import read_workbook, write_template
from builders import CWD_GATES, CWD_SCORES, cwd_package_doc

HANG = 30  # seconds: a run that takes longer hangs
QUICK = 5.0  # seconds: a refusal must come at least this quickly (in practice well under a second)
MEMORY = 3 * 1024 ** 3  # address-space limit of a subprocess: an unbounded read dies instead of the machine

MAX_CELL_CHARS = getattr(csv_mod, "MAX_CELL_CHARS", 128 * 1024)
MAX_CELLS = getattr(xlsx_mod, "MAX_CELLS", 300_000)

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
needs_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no zero device")


def _appraise_cmd() -> list[str]:
    exe = shutil.which("appraise")
    return [exe] if exe else [sys.executable, "-c", "from appraisal.console.cli import run; run()"]


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args, timeout: float = HANG) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.perf_counter()
    try:
        p = subprocess.run([*_appraise_cmd(), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                           preexec_fn=_limit_memory if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"appraise {' '.join(map(str, args))} did not finish within {timeout} s (it hangs)")
    return p, time.perf_counter() - t0


def error_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("warning:")]


def assert_one_line(p: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2, no traceback, and one line (on stderr, or for validate on stdout) holding every fragment."""
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr[-2000:]
    assert p.returncode == 2, (p.returncode, p.stdout[-500:], p.stderr[-2000:])
    lines = error_lines(p.stderr)
    assert len(lines) == 1, lines
    line = lines[0]
    if "problem" in line and "found" in line:  # validate: the problems on stdout, the count on stderr
        problems = error_lines(p.stdout)
        assert len(problems) == 1, problems
        line = problems[0]
    missing = [f for f in fragments if f.lower() not in line.lower()]
    assert not missing, f"{line!r} lacks {missing!r}"
    return line


def refused(fn, *args, **kwargs) -> InputError:
    """The InputError ``fn`` raises, within ``HANG`` seconds (run in a thread: a read of a named pipe that
    blocks fails the test, and the pipe is then opened for writing once so that the thread can end)."""
    box: dict[str, BaseException | None] = {}

    def call():
        try:
            fn(*args, **kwargs)
            box["exc"] = None
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["exc"] = exc

    t = threading.Thread(target=call, daemon=True)
    t.start()
    t.join(HANG)
    if t.is_alive():
        for a in args:
            if isinstance(a, Path) and a.is_fifo():
                with contextlib.suppress(OSError):
                    os.close(os.open(a, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"{getattr(fn, '__name__', fn)} did not return within {HANG} s (it hangs)")
    exc = box.get("exc")
    if not isinstance(exc, InputError):
        pytest.fail(f"expected an InputError, got {exc!r}")
    msg = str(exc)
    assert msg.strip() and "\n" not in msg, msg
    return exc


# --- 9: only regular files, always a bounded read -------------------------------------------------------

PAIRWISE = ",a,b\na,1,3\nb,1/3,1\n"
MATRIX = "id,x,y\nA,1,2\nB,2,1\n"


def _commands(f: Path) -> dict[str, list]:
    return {
        "rank": ["rank", f, "--directions", "+,+"] if f.suffix == ".csv" else ["rank", f],
        "weights": ["weights", f],
        "validate": ["validate", f],
    }


CASES = [("rank", ".csv"), ("weights", ".csv"), ("validate", ".csv"), ("rank", ".xlsx"), ("validate", ".xlsx"),
         ("rank", ".json"), ("validate", ".toml")]


@needs_fifo
@pytest.mark.parametrize("command, suffix", CASES)
def test_fifo_is_refused_at_once(tmp_path, command, suffix):
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    p, took = run(*_commands(fifo)[command])
    assert_one_line(p, str(fifo), "FIFO", "regular file")
    assert took < HANG / 2


@needs_zero
@pytest.mark.parametrize("command, suffix", CASES)
def test_link_to_the_zero_device_is_refused_at_once(tmp_path, command, suffix):
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    p, took = run(*_commands(link)[command])
    assert_one_line(p, str(link), "device", "regular file")
    assert took < HANG / 2


@needs_fifo
def test_fifo_as_source_limits_is_refused(tmp_path):
    pkg = tmp_path / "pakiet.json"
    pkg.write_text(json.dumps(cwd_package_doc(3)), encoding="utf-8")
    fifo = tmp_path / "limity.csv"
    os.mkfifo(fifo)
    p, _ = run("portfolio", pkg, "--budget", "1000000", "--by-source", fifo)
    assert_one_line(p, str(fifo), "FIFO")


@needs_fifo
def test_readers_refuse_special_files_in_process(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for fn in (read_table, read_matrix, read_pairwise, read_source_limits):
        exc = refused(fn, fifo)
        assert exc.source == str(fifo) and "regular file" in exc.message
    book = tmp_path / "pipe.xlsx"
    os.mkfifo(book)
    assert "regular file" in refused(xlsx_mod.open_workbook, book).message
    assert "regular file" in refused(read_workbook, book).message


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    assert refused(read_table, folder).message.startswith(("is a folder", "is a directory"))
    book = tmp_path / "dir.xlsx"
    book.mkdir()
    assert refused(xlsx_mod.open_workbook, book).message.startswith(("is a folder", "is a directory"))


def test_csv_over_the_size_limit_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_mod, "MAX_CSV_BYTES", 100)
    f = tmp_path / "m.csv"
    f.write_text(MATRIX * 20, encoding="utf-8")
    assert "larger than" in refused(read_matrix, f).message


# --- 10: workbooks: unpacked sizes, cells, elements and styles are limited before openpyxl parses --------

MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ' + MAIN_NS + b"><sheetData>"


def _parts() -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _rows(n: int, cols: int = 10) -> bytes:
    letters = [bytes([65 + c]) for c in range(cols)]
    return b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (letters[c], r, c)
                                                    for c in range(cols)) + b"</row>" for r in range(1, n + 1))


def _book(path: Path, sheet: bytes | None = None, **extra: bytes) -> Path:
    parts = _parts()
    if sheet is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet
    parts.update(extra)
    return _zip(path, parts)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 2.5 MB workbook whose one sheet unpacks to ~25 MB: 900,000 cells of repeated rows."""
    sheet = SHEET_HEAD + _rows(90_000) + b"</sheetData></worksheet>"
    assert len(sheet) > 25_000_000
    return _book(tmp_path_factory.mktemp("bomb") / "pakiet.xlsx", sheet)


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail when openpyxl is asked to load a workbook: the limits must refuse it before."""

    def boom(*a, **k):
        raise AssertionError("openpyxl.load_workbook was called on a workbook over the limits")

    monkeypatch.setattr(openpyxl, "load_workbook", boom)


@pytest.mark.parametrize("command", ["rank", "validate"])
def test_sheet_bomb_is_refused_quickly(bomb, command):
    p, took = run(command, bomb)
    assert_one_line(p, str(bomb), "cells", f"{MAX_CELLS:,}")
    assert took < QUICK, f"refusing the bomb took {took:.1f} s"


def test_sheet_bomb_is_refused_before_openpyxl_parses_it(bomb, no_openpyxl):
    t0 = time.perf_counter()
    exc = refused(xlsx_mod.open_workbook, bomb)
    assert exc.source == str(bomb) and "cells" in exc.message
    assert time.perf_counter() - t0 < QUICK
    assert "cells" in refused(read_workbook, bomb).message
    assert "cells" in refused(read_long_table, bomb, load_package_cs()).message


def load_package_cs():
    from appraisal.criteria import load_criteria

    return load_criteria("cwd")


@pytest.mark.parametrize("tag", [
    b'<mergeCells count="1"><mergeCell ref="A1:Z100000"/></mergeCells>',
    b'<mergeCells count="1"><x:mergeCell xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"\n'
    b'   ref = "A1:XFD1048576" /></mergeCells>',
    b'<hyperlinks><hyperlink ref="A1:Z100000" display="x"/></hyperlinks>',
], ids=["merged", "merged-prefixed", "hyperlink"])
def test_a_small_range_that_openpyxl_expands_cell_by_cell_is_refused(tmp_path, tag, no_openpyxl):
    # 100 bytes that openpyxl would turn into 2.6 million cell objects (26 s and 800 MB)
    sheet = SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData>' + tag + b"</worksheet>"
    book = _book(tmp_path / "merged.xlsx", sheet)
    exc = refused(xlsx_mod.open_workbook, book)
    assert "cells" in exc.message and exc.source == str(book)


def test_styles_bomb_is_refused(tmp_path, no_openpyxl):
    parts = _parts()
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b'<cellXfs count="1">',
                                                            b'<cellXfs count="160001">' + xf * 160_000)
    book = _zip(tmp_path / "styles.xlsx", parts)
    exc = refused(xlsx_mod.open_workbook, book)
    assert "styles" in exc.message


def test_part_that_unpacks_over_the_part_limit(tmp_path, monkeypatch, no_openpyxl):
    monkeypatch.setattr(xlsx_mod, "MAX_PART_BYTES", 1_000_000, raising=False)
    book = _book(tmp_path / "big.xlsx", **{"xl/media/padding.xml": b"<a>" + b" " * 1_500_000 + b"</a>"})
    exc = refused(xlsx_mod.open_workbook, book)
    assert "xl/media/padding.xml" in exc.message and "unpacks to more than" in exc.message


def test_part_whose_header_understates_its_size(tmp_path, no_openpyxl):
    # the zip directory says 10 bytes, the data unpacks to 2 MB: read with a cap, never trusted
    book = _book(tmp_path / "liar.xlsx", **{"xl/liar.xml": b"<a>" + b"x" * 2_000_000 + b"</a>"})
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/liar.xml")
    size = info.file_size.to_bytes(4, "little")
    assert data.count(size) >= 2
    data = data.replace(size, (10).to_bytes(4, "little"))
    book.write_bytes(bytes(data))
    exc = refused(xlsx_mod.open_workbook, book)
    assert exc.source == str(book)


def test_total_unpacked_size(tmp_path, monkeypatch, no_openpyxl):
    monkeypatch.setattr(xlsx_mod, "MAX_UNCOMPRESSED_BYTES", 2_000_000)
    pad = {f"xl/media/pad{i}.xml": b"<a>" + b" " * 800_000 + b"</a>" for i in range(3)}
    exc = refused(xlsx_mod.open_workbook, _book(tmp_path / "total.xlsx", **pad))
    assert "unpacks to more than" in exc.message


def test_a_real_package_workbook_is_still_read(tmp_path):
    from appraisal.package import package_from_document

    doc = cwd_package_doc(300)  # hundreds of projects
    for p in doc["projects"]:
        p["comments"] = {"readiness": "komentarz doradcy " * 20}
    pkg = package_from_document(doc, str(tmp_path / "p.json"))
    book = write_template(tmp_path / "duzy.xlsx", pkg.criteria_set, package=pkg)
    back = read_workbook(book)
    assert len(back.projects) == 300


def test_limits_are_stated(tmp_path):
    assert getattr(xlsx_mod, "MAX_PART_BYTES", None) == 50 * 1024 * 1024
    assert xlsx_mod.MAX_UNCOMPRESSED_BYTES == 200 * 1024 * 1024
    assert 100_000 <= getattr(xlsx_mod, "MAX_CELLS", 0) < 900_000
    assert getattr(csv_mod, "MAX_CELL_CHARS", None) == 128 * 1024


# --- 16: duplicate keys in JSON --------------------------------------------------------------------------

def test_duplicate_top_level_key_is_refused_with_its_line():
    text = '{\n  "partnership": {"name": "a"},\n  "criteria": "cwd",\n  "criteria": "other"\n}\n'
    exc = refused(parse_document, text.encode(), ".json", "pakiet.json")
    assert "'criteria'" in exc.message and "line 4" in exc.message and "twice" in exc.message
    assert exc.source == "pakiet.json"


def test_duplicate_nested_key_names_the_object():
    doc = cwd_package_doc(3)
    text = json.dumps(doc, indent=2)
    # the third project's title given twice
    marker = '"title": "Projekt 3"'
    assert text.count(marker) == 1
    text = text.replace(marker, marker + ',\n      "title": "Projekt trzeci"')
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if '"Projekt trzeci"' in ln)
    exc = refused(parse_document, text.encode(), ".json", "pakiet.json")
    assert "'title'" in exc.message and f"line {line}" in exc.message and "projects[2]" in exc.message


def test_duplicate_key_in_scores_through_the_cli(tmp_path):
    text = json.dumps(cwd_package_doc(3), indent=1).replace('"readiness": 2,', '"readiness": 2, "readiness": 5,', 1)
    f = tmp_path / "pakiet.json"
    f.write_text(text, encoding="utf-8")
    for command in ("rank", "validate"):
        p, _ = run(command, f)
        assert_one_line(p, "pakiet.json", "'readiness'", "projects[0].scores", "twice")


def test_keys_that_differ_are_fine_and_escapes_are_compared_decoded():
    assert parse_document(b'{"a": {"b": 1, "c": 2}, "b": [{"a": 1}, {"a": 2}]}', ".json", "x") == \
        {"a": {"b": 1, "c": 2}, "b": [{"a": 1}, {"a": 2}]}
    exc = refused(parse_document, b'{"\\u00f3": 1, "\xc3\xb3": 2}', ".json", "x.json")
    assert "'ó'" in exc.message and "line 1" in exc.message


def test_duplicate_key_in_toml_is_still_refused():
    exc = refused(parse_document, b'a = 1\nb = 2\na = 3\n', ".toml", "p.toml")
    assert "line 3" in exc.message


# --- 18: texts too long for a cell; CSV cells too long ----------------------------------------------------

def _long_title_package(tmp_path: Path) -> Path:
    doc = cwd_package_doc(3)
    doc["projects"][2]["title"] = "x" * 40_000
    f = tmp_path / "pakiet.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    return f


def test_long_title_names_the_input_file_and_field(tmp_path):
    f = _long_title_package(tmp_path)
    p, _ = run("rank", f, "-o", tmp_path / "wynik.xlsx")
    line = assert_one_line(p, "pakiet.json", "projects[2].title", "40,000", "32,767")
    assert "!" not in line  # not a cell of the workbook being written
    assert not (tmp_path / "wynik.xlsx").exists()


def test_long_comment_and_members_name_their_fields(tmp_path):
    from appraisal.package import package_from_document

    doc = cwd_package_doc(2)
    doc["projects"][1]["comments"] = {"readiness": "k" * 33_000}
    pkg = package_from_document(doc, "pakiet.json")
    exc = refused(write_appraisal_workbook, pkg.rank(), tmp_path / "w.xlsx")
    assert exc.source == "pakiet.json" and exc.where == "projects[1].comments.readiness"
    doc = cwd_package_doc(2)
    doc["partnership"]["members"] = [f"Gmina {i:05d} " + "m" * 20 for i in range(1500)]
    pkg = package_from_document(doc, "pakiet.json")
    exc = refused(write_appraisal_workbook, pkg.rank(), tmp_path / "w.xlsx")
    assert exc.where == "partnership.members"


def _table(rows: list[dict[str, str]]) -> str:
    head = ["voivodeship", "partnership", "id", "title", *CWD_SCORES, *CWD_GATES]
    lines = [";".join(head)]
    for r in rows:
        vals = {**{k: str(v) for k, v in CWD_SCORES.items()}, **{k: "tak" for k in CWD_GATES}, **r}
        lines.append(";".join(vals.get(h, "") for h in head))
    return "\n".join(lines) + "\n"


def test_long_title_in_a_table_names_its_row_and_column(tmp_path):
    rows = [{"voivodeship": "mazowieckie", "partnership": "A", "id": f"P{i}", "title": f"T{i}",
             "readiness": str(i + 2), "population_served": str(5000 + 1000 * i)} for i in range(3)]
    rows[2]["title"] = "y" * 40_000
    f = tmp_path / "tabela.csv"
    f.write_text(_table(rows), encoding="utf-8")
    (tp,) = read_long_table(f, load_package_cs())
    assert tp.package is not None
    exc = refused(write_appraisal_workbook, tp.package.rank(), tmp_path / "w.xlsx")
    assert exc.source == str(f) and exc.where == "row 4, column title", str(exc)


@pytest.mark.parametrize("reader", [read_matrix, read_table])
def test_csv_cell_over_128k_names_row_and_column(tmp_path, reader):
    f = tmp_path / "m.csv"
    f.write_text(f"id,x,y\nA,1,2\nB,{'9' * (MAX_CELL_CHARS + 10)},1\n", encoding="utf-8")
    exc = refused(reader, f)
    assert exc.source == str(f) and "row 3, column 2" in exc.message and "131,082" in exc.message


def test_csv_unclosed_quote_names_where_the_cell_starts(tmp_path):
    f = tmp_path / "pw.csv"
    f.write_text(",a,b\na,1,\"3\nb,1/3,1\n" + ("x" * 100 + "\n") * 2000, encoding="utf-8")
    exc = refused(read_pairwise, f)
    assert "row 2, column 3" in exc.message and "quote" in exc.message


def test_csv_cell_over_128k_through_the_cli(tmp_path):
    f = tmp_path / "pw.csv"
    f.write_text(f",a,b\na,1,{'3' * 200_000}\nb,1/3,1\n", encoding="utf-8")
    p, _ = run("weights", f)
    assert_one_line(p, "pw.csv", "row 2, column 3", "200,000")


def test_loading_a_package_still_works(tmp_path):
    f = tmp_path / "pakiet.json"
    f.write_text(json.dumps(cwd_package_doc(3)), encoding="utf-8")
    assert len(load_package(f).projects) == 3
