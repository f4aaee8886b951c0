"""Rows written straight as OOXML into an openpyxl workbook (appraisal/io/xlsx_rows.py)."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from appraisal.io.xlsx_rows import Formula, SheetRows, save_with_rows

MONEY = {"number_format": "#,##0"}
BOLD = {"font": Font(bold=True, color="9C0006")}


def book(tmp_path, fill, name="b.xlsx"):
    """A write-only workbook with sheets A and B filled by ``fill(a, b)``, saved and read back."""
    wb = Workbook(write_only=True)
    a, b = SheetRows(wb.create_sheet("Arkusz A")), SheetRows(wb.create_sheet("Łódź B"))
    fill(a, b)
    path = save_with_rows(wb, [a, b], tmp_path / name)
    return path, openpyxl.load_workbook(path)


def test_values_styles_links_and_heights(tmp_path):
    def fill(a, b):
        a.row(["Tytuł <&> zażółć", None, "", 7, 2.5, True, np.float64(0.125), math.nan], [BOLD] + [None] * 7,
              height=32)
        a.blank(2)
        a.row(["=HYPERLINK(\"http://x\")", "+48", "-minus", "@at", 1_234_567.0], [None, None, None, None, MONEY])
        a.row([Formula("=SUM(D1:E1)"), "do arkusza B"], links={1: "Łódź B"})
        b.row(["tekst\x01z\x0bznakami\x1fsterującymi", "tab\tlinia\nnowa"])

    path, wb = book(tmp_path, fill)
    ws = wb["Arkusz A"]
    assert [c.value for c in ws[1]][:7] == ["Tytuł <&> zażółć", None, None, 7, 2.5, True, 0.125]
    assert ws["H1"].value is None  # NaN is left empty
    assert ws["A1"].font.b and ws["A1"].font.color.rgb.endswith("9C0006")
    assert ws.row_dimensions[1].height == 32
    assert all(c.value is None for c in ws[2]) and all(c.value is None for c in ws[3])
    row4 = [c.value for c in ws[4]][:5]
    assert row4 == ['=HYPERLINK("http://x")', "+48", "-minus", "@at", 1_234_567.0]
    for cell in ws[4][:4]:
        assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    assert ws["E4"].number_format == "#,##0"
    assert ws["A5"].value == "=SUM(D1:E1)" and ws["A5"].data_type == "f"
    assert ws["B5"].hyperlink.location == "'Łódź B'!A1"
    other = wb["Łódź B"]
    assert other["A1"].value == "tekstzznakamisterującymi"
    assert other["B1"].value == "tab\tlinia\nnowa"
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert '<dimension ref="A1:H5"/>' in sheet


def test_formulas_recalculate_in_libreoffice(tmp_path, recalc):
    def fill(a, b):
        a.row([1.5, 2, 3.25])
        a.row([Formula("=SUM(A1:C1)"), Formula("=A1*B1"), "=A1+1"])
        b.row([Formula("='Arkusz A'!A2*2")])

    path, _ = book(tmp_path, fill)
    wb = openpyxl.load_workbook(recalc(path), data_only=True)
    assert wb["Arkusz A"]["A2"].value == pytest.approx(6.75)
    assert wb["Arkusz A"]["B2"].value == pytest.approx(3.0)
    assert wb["Arkusz A"]["C2"].value == "=A1+1"  # text stays text after LibreOffice saved it
    assert wb["Łódź B"]["A1"].value == pytest.approx(13.5)


def test_temporary_row_files_are_removed(tmp_path):
    made = []

    def fill(a, b):
        made.extend([a.path, b.path])
        a.row(["x"])

    path, _ = book(tmp_path, fill)
    assert path.exists() and made and not any(p.exists() for p in made)


def test_a_sheet_with_rows_of_its_own_is_refused_and_nothing_is_written(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("A")
    ws.append(["openpyxl's own row"])
    rows = SheetRows(ws)
    rows.row(["mine"])
    with pytest.raises(ValueError, match="rows of its own"):
        save_with_rows(wb, [rows], tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists() and not rows.path.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left either


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers(-10**12, 10**12),
                                   st.floats(allow_nan=False, allow_infinity=False, width=64), st.booleans()),
                         max_size=6), max_size=8))
def test_any_values_read_back_as_written(tmp_path_factory, table):
    tmp_path = tmp_path_factory.mktemp("rows")

    def fill(a, b):
        for values in table:
            a.row(values)

    _, wb = book(tmp_path, fill)
    ws = wb["Arkusz A"]
    for r, values in enumerate(table, start=1):
        for j, v in enumerate(values, start=1):
            got = ws.cell(r, j).value
            if v is None or v == "":
                assert got is None
            elif isinstance(v, str):
                kept = "".join(ch for ch in v if ch in "\t\n\r" or not (ord(ch) < 0x20 or ord(ch) in (0xFFFE, 0xFFFF)))
                assert got == (kept or None)
            else:
                assert got == v and type(got) is type(v) or (isinstance(v, float) and got == v)


def _filled(tmp_path, elsewhere: bool, name: str, styles=(None, MONEY)):
    """Sheet A written here, sheet B written by a forked process (or here too), same content."""
    from appraisal.io.xlsx_rows import fill_elsewhere

    wb = Workbook(write_only=True)
    a, b = SheetRows(wb.create_sheet("A")), SheetRows(wb.create_sheet("B"))
    rows_b = [["tytuł <1>", 1.5], ["=nie formuła", 2_000_000.0], [Formula("=SUM(B1:B2)"), "zażółć"]]

    def fill_b():
        for values in rows_b:
            b.row(values, list(styles))
        b.row(["do A"], links={0: "A"})

    b.register(list(styles))
    if elsewhere:
        with fill_elsewhere([b], fill_b):
            for k in range(50):
                a.row([f"wiersz {k}", k], [BOLD, None])
    else:
        fill_b()
        for k in range(50):
            a.row([f"wiersz {k}", k], [BOLD, None])
    return save_with_rows(wb, [a, b], tmp_path / name)


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[(c.value, c.number_format, c.font.b, c.quotePrefix,
                         c.hyperlink.location if c.hyperlink else None) for c in r] for r in ws.iter_rows()]
            for ws in wb.worksheets}


def test_rows_written_by_another_process_equal_rows_written_here(tmp_path):
    here = _cells(_filled(tmp_path, False, "here.xlsx"))
    there = _cells(_filled(tmp_path, True, "there.xlsx"))
    assert here == there
    assert there["B"][1][0][0] == "=nie formuła" and there["B"][1][0][3]  # text, with the quote prefix
    assert there["B"][3][0][4] == "'A'!A1" and len(there["A"]) == 50


def test_a_style_not_registered_before_the_fork_is_an_error(tmp_path):
    from appraisal.io.xlsx_rows import fill_elsewhere

    wb = Workbook(write_only=True)
    b = SheetRows(wb.create_sheet("B"))
    with pytest.raises(RuntimeError, match="not registered"), fill_elsewhere([b], lambda: b.row([1.0], [MONEY])):
        pass
    b.discard()


def test_no_row_is_written_here_while_another_process_writes_the_sheet(tmp_path):
    from appraisal.io.xlsx_rows import fill_elsewhere

    wb = Workbook(write_only=True)
    b = SheetRows(wb.create_sheet("B"))
    with fill_elsewhere([b], lambda: b.row(["tam"])), pytest.raises(RuntimeError, match="another process"):
        b.row(["tu"])
    assert b.r == 1  # the child's row
    b.discard()


def test_an_error_in_the_other_process_is_raised_here(tmp_path):
    from appraisal.io.xlsx_rows import fill_elsewhere

    wb = Workbook(write_only=True)
    b = SheetRows(wb.create_sheet("B"))

    def broken():
        raise OSError("dysk pełny")

    with pytest.raises(RuntimeError, match="dysk pełny"), fill_elsewhere([b], broken):
        pass
    b.discard()


def test_a_text_longer_than_a_cell_is_cut_with_a_mark(tmp_path):
    def fill(a, b):
        a.row(["Ż" * 40_000, "krótki"])

    _, wb = book(tmp_path, fill)
    cell = wb["Arkusz A"]["A1"].value
    assert len(cell) == 32_767 and cell.endswith("…") and cell[:-1] == "Ż" * 32_766
    assert wb["Arkusz A"]["B1"].value == "krótki"


# --- measuring text: columns wide enough, rows tall enough, tables kept on a page ---------------------------

def test_text_lines_wrap_whole_words_and_keep_grouped_numbers_together():
    from appraisal.io.xlsx_rows import text_lines, text_width

    word = "Komplementarność"
    assert text_lines(word, text_width(word)) == 1
    assert text_lines(f"{word} {word}", text_width(word)) == 2  # the second word goes to the next line
    assert text_lines(word * 3, text_width(word)) == 3  # a word longer than a line is broken
    assert text_lines("a\nb\n\nc", 30) == 4  # every line break starts a line, an empty one too
    amount = "wkład własny JST 1\xa0860\xa0000\xa0zł"
    width = text_width("wkład własny JST 1")  # room for the start of the amount, not for all of it
    assert text_lines(amount, width) == 2  # "1 860 000 zł" is not split at its no-break spaces
    assert text_width("W" * 10) > text_width("i" * 10) and text_width("abc", bold=True) > text_width("abc")


def test_fit_columns_and_rows_show_what_the_cells_hold():
    from openpyxl.styles import Alignment

    from appraisal.io.xlsx_rows import column_width, fit_columns, fit_rows, text_lines, text_width

    wb = Workbook()
    ws = wb.active
    wrap = Alignment(wrap_text=True, vertical="top")
    ws["A1"], ws["B1"], ws["C1"] = "Miejsce TOPSIS", "Tytuł", "Uwagi"
    for c in ("A1", "B1", "C1"):
        ws[c].alignment = wrap
    title = "Budowa kanalizacji sanitarnej i modernizacja oczyszczalni ścieków w aglomeracji Stawno–Karpiowo"
    ws["A2"], ws["B2"], ws["C2"] = 1, title, "krótko"
    ws["B2"].alignment = wrap
    ws["D2"] = 24_000_000.0
    ws["D2"].number_format = "#,##0"
    ws["E2"] = "ukryta kolumna z bardzo długim tekstem, którego nikt nie czyta"
    ws.column_dimensions["E"].hidden = True
    ws["A3"] = "x"
    ws.row_dimensions[3].hidden = True
    hidden_width = column_width(ws, 5)
    fit_columns(ws, heads=(1,), lo=5, hi=40)
    assert column_width(ws, 1) == pytest.approx(text_width("Miejsce"), abs=0.1)  # the header's widest word
    assert column_width(ws, 2) == 40  # a long wrapped title: as wide as allowed, then it wraps
    assert column_width(ws, 3) >= text_width("krótko")  # an unwrapped text on one line
    assert column_width(ws, 4) >= len("24,000,000")  # a number: a unit a digit
    assert column_width(ws, 5) == hidden_width  # hidden: left as it is
    fit_rows(ws)
    lines = text_lines(title, 40)
    assert lines >= 2 and ws.row_dimensions[2].height >= 15 * lines
    assert ws.row_dimensions[1].height >= 30  # "Miejsce TOPSIS" in a column as wide as "Miejsce": two lines
    ws.row_dimensions[2].height = 300
    fit_rows(ws)
    assert ws.row_dimensions[2].height == 300  # a taller row stays


def test_keep_together_breaks_before_a_block_that_would_straddle_a_page():
    from appraisal.io.xlsx_rows import keep_together, page_rows_height

    wb = Workbook()
    ws = wb.active
    for c in range(1, 6):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 20
    ws.cell(200, 1, "koniec")
    page = page_rows_height(ws)
    rows = int(page // 15)  # rows of the default height on a page
    blocks = [(1, rows - 10, 0.0), (rows - 8, rows + 5, 0.0), (rows + 7, rows + 9, 0.0)]
    assert keep_together(ws, blocks) == [rows - 8]  # the second block would straddle: it starts a page
    assert [b.id for b in ws.row_breaks.brk] == [rows - 9]
    ws2 = wb.create_sheet()
    ws2.cell(10, 1, "x")
    assert keep_together(ws2, [(1, 5, 0.0), (7, 9, 0.0)]) == []  # everything on one page: no break
    assert keep_together(ws2, [(1, 5, 0.0), (7, 7, page)]) == [7]  # a chart a page tall goes to the next page
