"""The national workbook: every partnership's package across the voivodeships, in Polish order, in the
user's language, printed on A4 landscape one page wide with the tables' headers on every page."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from appraisal import methods
from appraisal.criteria import i18n
from appraisal.io.batch_output import NATIONAL_WORKBOOK, national_workbook_name
from appraisal.io.excel_national import (
    C_SOURCES,
    PRINTED_SOURCES,
    polish_key,
    sheet_title,
    sheet_titles,
    words,
    write_national_workbook,
)


def in_lang(lang: str):
    """(sheet titles, words) of the workbook in ``lang``."""
    with i18n.use(lang):
        return sheet_titles(), words()


TITLES = {lang: in_lang(lang)[0] for lang in ("pl", "en")}
WORDS = {lang: in_lang(lang)[1] for lang in ("pl", "en")}


def built(summary, league, lang="pl"):
    """The workbook as written (openpyxl write-only mode) and read back."""
    with tempfile.TemporaryDirectory() as d:
        return openpyxl.load_workbook(write_national_workbook(summary, league, Path(d) / "kraj.xlsx", lang))


EVIL = '=HYPERLINK("http://example.invalid","x")'
SLASHED = "Śląsk Cieszyński/..Beskidy"


def fake_batch():
    """A small summary + league as appraisal/batch.py produces them: 3 voivodeships, 4 packages."""
    partnerships = [
        {"key": "slaskie/tarnogorskie", "file": "pakiety/śląskie/tarnogorskie.json", "voivodeship": "śląskie",
         "partnership": "Tarnogórskie Partnerstwo", "method": "topsis", "normalization": "vector",
         "projects": 2, "eligible": 1, "recommended": 1, "total_cost": 300_000.0,
         "cost_by_source": {"KPO": 300_000.0}, "top_project": {"id": "T1", "title": "Ścieżki rowerowe",
                                                               "score": 0.55},
         "median_score": 0.55, "input_hash": "sha256:c"},
        {"key": "mazowieckie/minsk", "file": "pakiety/mazowieckie/minsk.json", "voivodeship": "mazowieckie",
         "partnership": "Partnerstwo Mińskie", "method": "points", "normalization": None,
         "projects": 2, "eligible": 2, "recommended": 2, "total_cost": 800_000.0,
         "cost_by_source": {"EFRR": 600_000.0, "nieokreślone": 200_000.0},
         "top_project": {"id": "M1", "title": "Szkoła", "score": 0.9}, "median_score": 0.65,
         "input_hash": "sha256:b"},
        {"key": "lodzkie/evil", "file": "pakiety/łódzkie/evil.xlsx", "voivodeship": "łódzkie",
         "partnership": EVIL, "method": "topsis", "normalization": "vector",
         "projects": 3, "eligible": 2, "recommended": 1, "total_cost": 1_500_000.0,
         "cost_by_source": {"EFRR": 1_000_000.0, "budżet JST": 500_000.0},
         "top_project": {"id": "+P1", "title": "-minus na początku", "score": 0.71234}, "median_score": 0.5,
         "input_hash": "sha256:a"},
        {"key": "slaskie/cieszyn", "file": "pakiety/śląskie/cieszyn.toml", "voivodeship": "śląskie",
         "partnership": SLASHED, "method": "wsm", "normalization": "minmax",
         "projects": 1, "eligible": 1, "recommended": 0, "total_cost": 250_000.5,
         "cost_by_source": {"EFRR": 250_000.5, "KPO": 0.0},
         "top_project": {"id": "S1", "title": "Transport", "score": 0.65}, "median_score": 0.65,
         "input_hash": "sha256:d"},
    ]
    league = [
        {"voivodeship": "łódzkie", "partnership": EVIL, "key": "lodzkie/evil", "id": "+P1",
         "title": "-minus na początku", "score": 0.71234, "rank": 1, "eligible": True, "failed_gates": [],
         "cost": 900_000.0, "funding": "EFRR", "recommendation": "recommended"},
        {"voivodeship": "łódzkie", "partnership": EVIL, "key": "lodzkie/evil", "id": "P3", "title": "Hala",
         "score": None, "rank": None, "eligible": False, "failed_gates": ["G1 zgodność ze strategią", "G2 gotowość"],
         "cost": None, "funding": "", "recommendation": "not_recommended"},
        {"voivodeship": "łódzkie", "partnership": EVIL, "key": "lodzkie/evil", "id": "P2", "title": "@at tytuł",
         "score": 0.4, "rank": 2, "eligible": True, "failed_gates": [], "cost": 600_000.0,
         "funding": "EFRR; budżet JST"},
        {"voivodeship": "mazowieckie", "partnership": "Partnerstwo Mińskie", "key": "mazowieckie/minsk",
         "id": "M2", "title": "Droga", "score": 0.4, "rank": 2, "eligible": True, "failed_gates": [],
         "cost": 200_000.0, "funding": "nieokreślone"},
        {"voivodeship": "mazowieckie", "partnership": "Partnerstwo Mińskie", "key": "mazowieckie/minsk",
         "id": "M1", "title": "Szkoła", "score": 0.9, "rank": 1, "eligible": True, "failed_gates": [],
         "cost": 600_000.0, "funding": "EFRR"},
        {"voivodeship": "śląskie", "partnership": "Tarnogórskie Partnerstwo", "key": "slaskie/tarnogorskie",
         "id": "T2", "title": "Basen", "score": None, "rank": None, "eligible": False, "failed_gates": ["G3"],
         "cost": 100_000.0, "funding": "KPO"},
        {"voivodeship": "śląskie", "partnership": "Tarnogórskie Partnerstwo", "key": "slaskie/tarnogorskie",
         "id": "T1", "title": "Ścieżki rowerowe", "score": 0.55, "rank": 1, "eligible": True,
         "failed_gates": [], "cost": 200_000.0, "funding": "KPO"},
        {"voivodeship": "śląskie", "partnership": SLASHED, "key": "slaskie/cieszyn", "id": "S1",
         "title": "Transport", "score": 0.65, "rank": 1, "eligible": True, "failed_gates": [],
         "cost": 250_000.5, "funding": "EFRR"},
    ]
    summary = {
        "partnerships": partnerships,
        "errors": [{"key": "opolskie/zepsuty", "file": "pakiety/opolskie/zepsuty.xlsx",
                    "reason": '"abc" is not a level of scale 0–5', "where": "Oceny!D7"}],
        "skipped": [{"file": "pakiety/notatki.txt", "reason": "not a package (.txt)"}],
        "counts": {"found": 5, "scored": 4, "failed": 1, "skipped": 1},
        "engine": "appraise 0.1.0",
        "source": "pakiety/",
        "recommend_rule": "projekty kwalifikowalne z wynikiem co najmniej 0,5",
    }
    return summary, league


def header_row(ws, first_text: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first_text:
            return row[0].row
    raise AssertionError(f"no header {first_text!r} on {ws.title}")


def table(ws, first_text: str) -> tuple[list, list[list]]:
    """(header, rows) of the table whose header starts with ``first_text`` (rows until a blank first cell)."""
    hr = header_row(ws, first_text)
    head = [c.value for c in ws[hr]]
    rows, r = [], hr + 1
    while ws.cell(r, 1).value not in (None, ""):
        rows.append([ws.cell(r, j).value for j in range(1, len(head) + 1)])
        r += 1
    return head, rows


@pytest.fixture
def batch():
    return fake_batch()


@pytest.fixture
def saved(batch, tmp_path):
    summary, league = batch
    path = write_national_workbook(summary, league, tmp_path / "kraj.xlsx", "pl")
    return path


def test_sheets_and_titles(batch):
    wb = built(*batch)
    assert wb.sheetnames == ["Kraj", "łódzkie", "mazowieckie", "śląskie", "Ranking krajowy", "Błędy"]
    assert wb.active.title == "Kraj"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in ("9", 9)  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight == 0  # one page wide, as long as it takes


def test_the_tables_print_with_their_header_on_every_page(batch):
    """The national sheet, the league and each voivodeship's project list repeat their header row on
    every printed page; the columns printed end before the package's file."""
    wb = built(*batch)
    ws = wb["Kraj"]
    hr = header_row(ws, "Województwo")
    assert ws.print_title_rows == f"${hr}:${hr}"
    # four funding sources: printed with the table, up to its last source (the file is not printed)
    assert ws.cell(hr, C_SOURCES + 4).value == "Plik"
    assert ws.print_area == f"'Kraj'!$A$1:${get_column_letter(C_SOURCES + 3)}${hr + 5}"
    league = wb["Ranking krajowy"]
    lr = header_row(league, "Województwo")
    assert league.print_title_rows == f"${lr}:${lr}"
    for v in ("łódzkie", "mazowieckie", "śląskie"):
        vv = wb[v]
        projects = max(r for r in range(1, vv.max_row + 1) if vv.cell(r, 1).value == "Partnerstwo")
        assert vv.print_title_rows == f"${projects}:${projects}"
        assert vv.cell(projects, 2).value == "Projekt"


def test_many_funding_sources_are_not_printed_and_a_note_says_so(batch):
    """A national run has a funding source per regional programme, too many columns for a page: the
    sources stay in the sheet, after the columns printed, and a note says they are not printed."""
    summary, league = copy.deepcopy(batch)
    extra = [f"Fundusze Europejskie dla Regionu {k} 2021-2027" for k in range(1, 4)]
    summary["partnerships"][0]["cost_by_source"].update({name: 1000.0 for name in extra})
    wb = built(summary, league)
    ws = wb["Kraj"]
    hr = header_row(ws, "Województwo")
    n = 4 + len(extra)
    assert n > PRINTED_SOURCES
    assert ws.print_area == f"'Kraj'!$A$1:${get_column_letter(C_SOURCES - 1)}${hr + 5}"
    assert [ws.cell(hr, c).value for c in range(C_SOURCES - 1, C_SOURCES + 1)] == ["Metoda", "budżet JST"]
    note = " ".join(str(ws.cell(r, 1).value) for r in range(1, hr))
    first, last = get_column_letter(C_SOURCES), get_column_letter(C_SOURCES + n - 1)
    assert (f"Nie drukuje się kosztów według źródeł finansowania (kolumny {first}–{last}): {n} źródeł nie mieści "
            "się na szerokości strony.") in note
    assert ws.freeze_panes == f"C{hr + 1}"
    vv = wb["łódzkie"]
    assert vv.cell(2, 1).value.startswith("Nie drukuje się kosztów")
    assert vv.print_area.endswith(f"!$A$1:${get_column_letter(max(C_SOURCES - 1, 10))}${vv.max_row}")


def test_long_texts_wrap_in_taller_rows(batch):
    """Titles longer than their column wrap, the row made tall enough (spreadsheets do not all grow it),
    every cell of the row at the top."""
    summary, league = copy.deepcopy(batch)
    long_title = "Budowa " + "bardzo długiej ścieżki rowerowej łączącej gminy partnerstwa " * 3
    summary["partnerships"][1]["top_project"]["title"] = long_title
    wb = built(summary, league)
    ws = wb["Kraj"]
    hr = header_row(ws, "Województwo")
    row = next(r for r in range(hr + 1, hr + 5) if ws.cell(r, 8).value == long_title)
    assert ws.row_dimensions[row].height >= 15 * 4
    assert ws.cell(row, 8).alignment.wrap_text and ws.cell(row, 8).alignment.vertical == "top"
    assert ws.cell(row, 3).alignment.vertical == "top" and ws.cell(row, 6).alignment.vertical == "top"
    short = next(r for r in range(hr + 1, hr + 5) if ws.cell(r, 8).value == "Transport")
    assert ws.row_dimensions[short].height is None or ws.row_dimensions[short].height <= 30


def test_polish_order():
    voivodeships = ["zachodniopomorskie", "śląskie", "łódzkie", "świętokrzyskie", "lubuskie", "lubelskie",
                    "małopolskie", "mazowieckie", "dolnośląskie", "Żory", "Źródła", "zielone", "ćma", "cyna"]
    assert sorted(voivodeships, key=polish_key) == [
        "cyna", "ćma", "dolnośląskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie", "mazowieckie",
        "śląskie", "świętokrzyskie", "zachodniopomorskie", "zielone", "Źródła", "Żory"]


def test_sheet_title_sanitised_and_unique():
    taken = {"kraj", "ranking krajowy", "błędy"}
    assert sheet_title("a[b]:c*d?e/f\\g", taken) == "a-b--c-d-e-f-g"
    assert sheet_title("KRAJ", taken) == "KRAJ (2)"
    long = "Województwo o bardzo długiej nazwie A"
    first = sheet_title(long, taken)
    second = sheet_title(long[:-1] + "B", taken)
    assert first == long[:31] and len(second) <= 31 and second.endswith("(2)")
    assert sheet_title("'cytat'", taken) == "cytat"
    assert sheet_title("Gmina O'Brien", set()) == "Gmina O’Brien"  # LibreOffice drops titles with '
    assert sheet_title("  ", taken, fallback="bez województwa") == "bez województwa"
    assert sheet_title("History", taken) == "History (2)"
    assert len(taken) == 3 + 7


def test_weird_voivodeship_titles_in_workbook(batch):
    summary, league = copy.deepcopy(batch)
    weird = ["Województwo [test]: a/b\\c*?", "Region o bardzo, bardzo długiej nazwie 1",
             "Region o bardzo, bardzo długiej nazwie 2", "kraj"]
    for p, v in zip(summary["partnerships"], weird):
        p["voivodeship"] = v
        for x in league:
            if x["key"] == p["key"]:
                x["voivodeship"] = v
    wb = built(summary, league)
    titles = wb.sheetnames
    assert len({t.casefold() for t in titles}) == len(titles) == 7
    for t in titles:
        assert len(t) <= 31 and not any(ch in t for ch in "[]:*?/\\")
    assert "kraj (2)" in titles and "Kraj" in titles
    # the national rows link to the sanitised sheets
    ws = wb["Kraj"]
    hr = header_row(ws, "Województwo")
    links = {ws.cell(r, 1).value: ws.cell(r, 1).hyperlink.location for r in range(hr + 1, hr + 5)}
    for v, loc in links.items():
        sheet = loc.rsplit("!", 1)[0].strip("'")
        assert sheet in titles and wb[sheet].cell(1, 1).value == v


def test_national_rows(batch):
    wb = built(*batch)
    ws = wb["Kraj"]
    head, rows = table(ws, "Województwo")
    assert head[:6] == ["Województwo", "Partnerstwo", "Projekty", "Kwalifikowalne", "Rekomendowane",
                        "Koszt łącznie (zł)"]
    assert head[6:11] == ["Najlepszy projekt (ID)", "Najlepszy projekt", "Wynik najlepszego", "Mediana wyników",
                          "Metoda"]
    assert C_SOURCES == 12 and head[11:15] == ["budżet JST", "EFRR", "KPO", "nieokreślone"]  # "unspecified" last
    assert head[15:] == ["Plik"]
    data, total = rows[:-1], rows[-1]
    # Polish order: ł before m, ś before t (a code-point sort gets both wrong)
    assert [(r[0], r[1]) for r in data] == [("łódzkie", EVIL), ("mazowieckie", "Partnerstwo Mińskie"),
                                            ("śląskie", SLASHED), ("śląskie", "Tarnogórskie Partnerstwo")]
    with i18n.use("pl"):
        topsis, points, wsm = (methods.variant_label("topsis_vector"), methods.variant_label("points"),
                               methods.variant_label("wsm"))
    assert (topsis, wsm) == ("TOPSIS (normalizacja wektorowa)", "WSM (suma ważona)")
    assert data[0][2:] == [3, 2, 1, 1_500_000.0, "+P1", "-minus na początku", 0.71234, 0.5, topsis,
                           500_000.0, 1_000_000.0, None, None, "pakiety/łódzkie/evil.xlsx"]
    assert data[1][11:15] == [None, 600_000.0, None, 200_000.0]
    assert data[1][10] == points and points not in ("points", "")
    assert data[2][11:15] == [None, 250_000.5, None, None]  # KPO 0 → blank
    assert data[2][10] == wsm
    assert total[0] == "RAZEM"
    hr = header_row(ws, "Województwo")
    total_row = hr + 5
    assert ws.cell(total_row, 3).value == f"=SUM(C{hr + 1}:C{hr + 4})"
    assert ws.cell(total_row, 6).value == f"=SUM(F{hr + 1}:F{hr + 4})"
    assert ws.cell(total_row, 13).value == f"=SUM(M{hr + 1}:M{hr + 4})"
    assert ws.cell(total_row, 7).value is None  # the top project is not summed
    assert ws.cell(total_row, 9).value is None and ws.cell(total_row, 16).value is None
    # formats, frozen header, autofilter, the note
    assert ws.cell(hr + 1, 6).number_format == "#,##0"
    assert ws.cell(hr + 1, 12).number_format == "#,##0"
    assert ws.cell(hr + 1, 9).number_format == "0.0000"
    assert ws.cell(hr + 1, 10).number_format == "0.0000"
    assert ws.freeze_panes == f"C{hr + 1}"
    assert ws.auto_filter.ref == f"A{hr}:P{hr + 4}"
    note = " ".join(str(ws.cell(r, 1).value) for r in range(1, hr))
    assert "reguł opinii doradczej" in note and "appraise 0.1.0" in note and "pakiety/" in note
    assert "znalezione 5" in note and "ocenione 4" in note and "z błędami 1" in note and "pominięte pliki 1" in note
    assert "Błędy" in note  # points to the errors sheet


def test_voivodeship_sheet(batch):
    wb = built(*batch)
    ws = wb["śląskie"]
    assert ws.cell(1, 1).value == "śląskie"
    _, rows = table(ws, "Województwo")
    assert [r[1] for r in rows] == [SLASHED, "Tarnogórskie Partnerstwo", None]
    assert rows[-1][0] == "RAZEM"
    head, projects = table(ws, "Partnerstwo")
    assert head[:9] == ["Partnerstwo", "Projekt", "ID", "Miejsce w pakiecie", "Wynik", "Koszt (zł)",
                        "Kwalifikowalny", "Niespełnione kryteria dostępowe", "Finansowanie"]
    assert [(r[0], r[2], r[3], r[6], r[7]) for r in projects] == [
        (SLASHED, "S1", 1, "tak", None),
        ("Tarnogórskie Partnerstwo", "T1", 1, "tak", None),
        ("Tarnogórskie Partnerstwo", "T2", None, "nie", "G3"),
    ]
    lodz = wb["łódzkie"]
    _, projects = table(lodz, "Partnerstwo")
    assert [r[2] for r in projects] == ["+P1", "P2", "P3"]
    assert projects[-1][7] == "G1 zgodność ze strategią; G2 gotowość"
    assert projects[0][4] == pytest.approx(0.71234) and projects[0][5] == 900_000.0
    assert projects[0][8] == "EFRR" and projects[0][1] == "-minus na początku"


def test_league_order_and_colour_scale(batch):
    wb = built(*batch)
    ws = wb["Ranking krajowy"]
    head, rows = table(ws, "Województwo")
    assert head == ["Województwo", "Partnerstwo", "ID", "Projekt", "Wynik", "Miejsce w pakiecie", "Kwalifikowalny",
                    "Niespełnione kryteria dostępowe", "Koszt (zł)", "Finansowanie", "Rekomendacja"]
    assert [r[2] for r in rows] == ["M1", "+P1", "S1", "T1", "P2", "M2", "P3", "T2"]
    category = {r[2]: r[10] for r in rows}
    assert category["+P1"] == "rekomendowany" and category["P3"] == "nierekomendowany" and category["M1"] is None
    assert [r[6] for r in rows] == ["tak"] * 6 + ["nie"] * 2
    assert rows[-1][7] == "G3" and rows[-1][4] is None and rows[-1][5] is None
    assert rows[0][8] == 600_000.0 and rows[0][9] == "EFRR"
    hr = header_row(ws, "Województwo")
    assert ws.auto_filter.ref == f"A{hr}:K{hr + 8}"
    ranges = {str(cf.sqref): [r.type for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges == {f"E{hr + 1}:E{hr + 6}": ["colorScale"]}
    assert ws.cell(hr + 1, 5).number_format == "0.0000"


def test_errors_listed(batch):
    wb = built(*batch)
    ws = wb["Błędy"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert ["pakiety/opolskie/zepsuty.xlsx", "Oceny!D7", '"abc" is not a level of scale 0–5'] in values
    assert ["pakiety/notatki.txt", "not a package (.txt)", None] in values
    assert WORDS["pl"]["no_errors"] not in flat and WORDS["pl"]["no_skipped"] not in flat


def test_no_errors_says_so(batch):
    summary, league = copy.deepcopy(batch)
    summary["errors"], summary["skipped"] = [], []
    summary["counts"].update(failed=0, skipped=0)
    for lang in ("pl", "en"):
        wb = built(summary, league, lang=lang)
        ws = wb[TITLES[lang]["errors"]]
        flat = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
        assert WORDS[lang]["no_errors"] in flat and WORDS[lang]["no_skipped"] in flat
        note = " ".join(str(c.value) for c in wb[TITLES[lang]["national"]]["A"] if c.value)
        assert {"pl": "Uwaga:", "en": "Note:"}[lang] not in note


@pytest.mark.parametrize(("failed", "sentence"), [
    (1, "Uwaga: 1 pakietu nie udało się ocenić — zob. arkusz „Błędy”."),
    (3, "Uwaga: 3 pakietów nie udało się ocenić — zob. arkusz „Błędy”."),
])
def test_the_errors_note_and_the_counts_in_polish(batch, failed, sentence):
    """The note on the errors, in the Polish plural; the counts with the Polish thousands separator."""
    summary, league = copy.deepcopy(batch)
    summary["errors"] = [dict(summary["errors"][0], key=f"k{k}") for k in range(failed)]
    summary["counts"] = {"found": 12_345 + failed, "scored": 12_345, "failed": failed, "skipped": 1}
    ws = built(summary, league)["Kraj"]
    notes = [str(c.value) for c in ws["A"][:8] if c.value]
    assert sentence in notes
    assert ws.cell(notes.index(sentence) + 1, 1).hyperlink.location == "'Błędy'!A1"
    assert f"Pakiety: znalezione 12\u00a0{345 + failed}, ocenione 12\u00a0345, z błędami {failed}; pominięte pliki 1." \
        in notes


def test_the_workbook_file_is_named_in_the_language_of_its_sheets():
    assert NATIONAL_WORKBOOK["pl"] == "podsumowanie_krajowe.xlsx" and NATIONAL_WORKBOOK["en"] == "national_summary.xlsx"
    assert sorted(NATIONAL_WORKBOOK.values()) == ["national_summary.xlsx", "podsumowanie_krajowe.xlsx"]
    for lang in ("pl", "en"):
        with i18n.use(lang):
            assert national_workbook_name() == NATIONAL_WORKBOOK[lang]


def test_english(batch):
    wb = built(*batch, lang="en")
    assert wb.sheetnames == ["National", "łódzkie", "mazowieckie", "śląskie", "National league", "Errors"]
    head, rows = table(wb["National"], "Voivodeship")
    assert head[:3] == ["Voivodeship", "Partnership", "Projects"] and rows[-1][0] == "TOTAL"
    _, league = table(wb["National league"], "Voivodeship")
    assert [r[6] for r in league] == ["yes"] * 6 + ["no"] * 2
    with pytest.raises(ValueError):
        built(*batch, lang="de")


def test_formula_like_text_stays_text(saved):
    wb = openpyxl.load_workbook(saved)
    checks = [(wb["Kraj"], EVIL), (wb["Kraj"], "+P1"), (wb["Kraj"], "-minus na początku"),
              (wb["łódzkie"], EVIL), (wb["Ranking krajowy"], EVIL), (wb["Ranking krajowy"], "@at tytuł"),
              (wb["Ranking krajowy"], "+P1")]
    for ws, text in checks:
        cells = [c for row in ws.iter_rows() for c in row if c.value == text]
        assert cells, (ws.title, text)
        assert all(c.data_type == "s" for c in cells), (ws.title, text)
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(f.startswith("=SUM(") for f in formulas)


def test_totals_recalculated(saved, batch, recalc):
    summary, _ = batch
    wb = openpyxl.load_workbook(recalc(saved), data_only=True)
    ws = wb["Kraj"]
    head, rows = table(ws, "Województwo")
    total = rows[-1]
    ps = summary["partnerships"]
    assert total[2] == sum(p["projects"] for p in ps)
    assert total[3] == sum(p["eligible"] for p in ps)
    assert total[4] == sum(p["recommended"] for p in ps)
    assert total[5] == pytest.approx(sum(p["total_cost"] for p in ps), abs=1e-6)
    for j, source in enumerate(head[11:15], start=11):
        assert total[j] == pytest.approx(sum(p["cost_by_source"].get(source, 0.0) for p in ps), abs=1e-6), source
    _, srows = table(wb["śląskie"], "Województwo")
    assert srows[-1][2] == 3 and srows[-1][5] == pytest.approx(550_000.5)
    # formula-looking text survives a round trip through LibreOffice as text
    cell = next(c for row in ws.iter_rows() for c in row if c.value == EVIL)
    assert cell.data_type == "s"


def test_no_partnerships(tmp_path):
    summary = {"partnerships": [], "errors": [{"key": "x", "file": "x.json", "reason": "broken", "where": None}],
               "skipped": [], "counts": {"found": 1, "scored": 0, "failed": 1, "skipped": 0},
               "engine": "appraise", "source": ".", "recommend_rule": "—"}
    path = write_national_workbook(summary, [], tmp_path / "pusty.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["National", "National league", "Errors"]
    _, rows = table(wb["National"], "Voivodeship")
    assert rows == [["TOTAL", None, 0, 0, 0, 0, None, None, None, None, None, None]]  # no sources: file last
    assert ["x.json", None, "broken"] in [[c.value for c in row][:3] for row in wb["Errors"].iter_rows()]


def test_long_project_lists_go_on_in_continuation_sheets(batch, monkeypatch):
    """Nothing is lost past Excel's row limit: a list longer than a sheet goes on in further sheets,
    each with its heading (the limit is lowered here from 1,048,576 so that the test stays small)."""
    import appraisal.io.excel_national as national

    summary, league = batch
    monkeypatch.setattr(national, "MAX_ROWS", 9)
    wb = built(summary, league)
    t, w = TITLES["pl"], WORDS["pl"]
    league_sheets = [ws for ws in wb.worksheets if ws.title.startswith(t["league"])]
    assert len(league) == 8  # 5 on a sheet of 9 rows (4 for the title and heading): two sheets
    assert [ws.title for ws in league_sheets] == [t["league"], f"{t['league']} (2)"]
    seen = []
    for ws in league_sheets:
        assert ws.max_row <= 9
        _, rows = table(ws, w["voivodeship"])
        seen += [(r[1], r[2]) for r in rows]
    assert sorted(seen) == sorted((x["partnership"], x["id"]) for x in league)
    scores = [s for s in (_score(wb, ws) for ws in league_sheets) for s in s]
    assert scores == sorted(scores, reverse=True)  # one ranking across the sheets
    for v in {x["voivodeship"] for x in league}:
        pages = [ws for ws in wb.worksheets if ws.title == v or ws.title.startswith(f"{v} (")]
        got = []
        for ws in pages:
            assert ws.max_row <= 9
            _, rows = table(ws, w["partnership"]) if ws.title != v else _projects(ws, w)
            got += [(r[0], r[2]) for r in rows]
        assert sorted(got) == sorted((x["partnership"], x["id"]) for x in league if x["voivodeship"] == v)


def _score(wb, ws):
    _, rows = table(ws, WORDS["pl"]["voivodeship"])
    return [r[4] for r in rows if r[4] is not None]


def _projects(ws, w):
    """The project table of a voivodeship's first sheet (below its partnership table)."""
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    heads = [i for i, r in enumerate(rows) if r[0] == w["partnership"]]
    hr = heads[-1]
    out = []
    for r in rows[hr + 1:]:
        if r[0] in (None, ""):
            break
        out.append(r)
    return rows[hr], out
