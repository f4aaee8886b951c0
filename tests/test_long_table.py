"""Long tables: one row per project, many partnerships in one CSV or workbook, split into packages."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

from appraisal.criteria import InputError, load_criteria
from appraisal.io.formats import load_package
from appraisal.io.long_table import TablePackage, read_long_table
from appraisal.io.xlsx import put

CWD = load_criteria("cwd")
LEAVES = ["jst_count", "population_served", "partnership_scope", "strategy_objective", "territorial_challenges",
          "synergy", "readiness", "institutional_capacity", "implementation_risk", "funding_identified",
          "own_contribution", "cost_per_beneficiary"]
GATES = ["in_strategy", "min_two_jst", "eligible_costs"]

DOLINA = ("dolnośląskie", "Partnerstwo Doliny Baryczy")
ZLOTORYJA = ("dolnośląskie", "Związek Gmin Ziemi Złotoryjskiej")
SWIDER = ("mazowieckie", "Partnerstwo Doliny Świdra")

FIELDS = ["voivodeship", "partnership", "id", "title", "lead_jst", "partners", "cost", "funding_source",
          "funding_amount", "status", "advisor"]
EN_HEADER = [*FIELDS, *LEAVES, *GATES, "comment:readiness"]
PL_NAMES = {
    "voivodeship": "Województwo", "partnership": "Partnerstwo", "id": "ID projektu", "title": "Tytuł",
    "lead_jst": "JST wiodąca", "partners": "Partnerzy", "cost": "Koszt (PLN)",
    "funding_source": "Źródło finansowania", "funding_amount": "Kwota", "status": "Status",
    "advisor": "Doradca", "readiness": "READINESS", "comment:readiness": "Komentarz: readiness",
}
PL_HEADER = [PL_NAMES.get(h, h) for h in EN_HEADER]


def _project(part, pid, title, lead, partners, cost, k, gates=(True, True, True), advisor=None,
             comment=None, funding=("FE dla Dolnego Śląska 2021-2027", 800000.0)):
    scores = {
        "jst_count": 2 + k % 3, "population_served": 5234 + 1000 * k, "partnership_scope": (k + 2) % 6,
        "strategy_objective": (k * 2) % 6, "territorial_challenges": (3 + k) % 6, "synergy": k % 4,
        "readiness": (1 + 2 * k) % 6, "institutional_capacity": (4 + k) % 6, "implementation_risk": 1 + k % 5,
        "funding_identified": (5 - k) % 6, "own_contribution": (2 + 3 * k) % 6,
        "cost_per_beneficiary": 1200.5 + 137.25 * k,
    }
    return {
        "voivodeship": part[0], "partnership": part[1], "id": pid, "title": title, "lead_jst": lead,
        "partners": partners, "cost": cost, "funding_source": funding[0] if funding else None,
        "funding_amount": funding[1] if funding else None, "status": "koncepcja", "advisor": advisor,
        "scores": scores, "gates": dict(zip(GATES, gates)), "comment": comment,
    }


def table_rows() -> list[dict]:
    """Three partnerships in two voivodeships, rows interleaved (a table need not be sorted)."""
    return [
        _project(DOLINA, "DB1", "Ścieżka rowerowa wokół stawów milickich", "Gmina Milicz",
                 ["Gmina Krośnice", "Gmina Cieszków"], 12_500_000.5, 0, advisor="Anna Nowak",
                 comment="Pozwolenie na budowę w drodze"),
        _project(DOLINA, "DB2", '=HYPERLINK("http://example.invalid","kliknij")', "Gmina Krośnice",
                 ["Gmina Milicz"], 3_400_000, 1),
        _project(SWIDER, "P1", "Wspólne centrum usług społecznych", "Gmina Kołbiel", ["Gmina Celestynów"],
                 6_000_000, 2, advisor="Jan Kowalski", funding=("FE dla Mazowsza 2021-2027", 4_000_000)),
        _project(DOLINA, "DB3", "Dolina Baryczy — szlak kajakowy", "Gmina Milicz", ["Gmina Żmigród"],
                 2_100_000, 3, gates=(True, True, False)),
        _project(ZLOTORYJA, "P1", "Termomodernizacja szkół", "Gmina Złotoryja", ["Gmina Pielgrzymka"],
                 8_800_000, 4, advisor="Ewa Wiśniewska", funding=None),
        _project(ZLOTORYJA, "P2", "Transport na żądanie", "Gmina Świerzawa", ["Gmina Złotoryja", "Gmina Zagrodno"],
                 1_500_000, 5),
        _project(SWIDER, "P2", "Rewitalizacja rynku w Kołbieli", "Gmina Kołbiel", [], 2_750_000, 6,
                 funding=("KPO", None)),
        _project(SWIDER, "P3", "Sieć ciepłownicza", "Gmina Celestynów", ["Gmina Kołbiel", "Gmina Osieck"],
                 14_000_000, 7, gates=(True, False, True)),
    ]


def cells_of(row: dict, *, decimal_comma: bool = False, yes="tak", no="nie", excel: bool = False) -> list:
    """The row's cells in the order of EN_HEADER (text for CSV; numbers and booleans for a workbook)."""

    def num(x):
        if x is None:
            return None if excel else ""
        if excel:
            return x
        text = repr(x) if isinstance(x, float) and not x.is_integer() else str(int(x))
        return text.replace(".", ",") if decimal_comma else text

    def text(x):
        return x if x is not None else (None if excel else "")

    out = [text(row[f]) for f in ("voivodeship", "partnership", "id", "title", "lead_jst")]
    out.append("; ".join(row["partners"]))
    out += [num(row["cost"]), text(row["funding_source"]), num(row["funding_amount"]), text(row["status"]),
            text(row["advisor"])]
    out += [num(row["scores"][c]) for c in LEAVES]
    out += [(row["gates"][g] if excel else (yes if row["gates"][g] else no)) for g in GATES]
    out.append(text(row["comment"]))
    return out


def write_csv(path: Path, rows: list[list], header=EN_HEADER, delimiter=",", encoding="utf-8") -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], header=EN_HEADER, title="Projekty", first_sheet: str | None = None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:
        ws.title = first_sheet
        put(ws, 1, 1, "notes, not the table")
        ws = wb.create_sheet(title)
    else:
        ws.title = title
    for c, name in enumerate(header, start=1):
        put(ws, 1, c, name)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                put(ws, r, c, value)
    wb.save(path)
    return path


def json_package(tmp_path: Path, part: tuple[str, str], rows: list[dict]) -> Path:
    """The JSON package that holds the same partnership's projects, criteria named "cwd"."""
    mine = [r for r in rows if (r["voivodeship"], r["partnership"]) == part]
    members = sorted({r["lead_jst"] for r in mine} | {p for r in mine for p in r["partners"]})
    doc = {
        "partnership": {"name": part[1], "voivodeship": part[0], "members": members},
        "criteria": "cwd",
        "projects": [],
    }
    advisor = next((r["advisor"] for r in mine if r["advisor"]), None)
    if advisor:
        doc["advisor"] = advisor
    for r in mine:
        p = {"id": r["id"], "title": r["title"], "lead_jst": r["lead_jst"], "partners": r["partners"],
             "cost": float(r["cost"]), "status": r["status"], "scores": {k: float(v) for k, v in r["scores"].items()},
             "gates": r["gates"], "funding": []}
        if r["funding_source"]:
            p["funding"] = [{"source": r["funding_source"],
                             **({"amount": float(r["funding_amount"])} if r["funding_amount"] is not None else {})}]
        if r["comment"]:
            p["comments"] = {"readiness": r["comment"]}
        doc["projects"].append(p)
    path = tmp_path / f"{part[1].replace(' ', '_')}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def ranking_view(ranking) -> tuple:
    return ([(r.id, r.rank, pytest.approx(r.score, abs=1e-12),
              {m: (s.rank, pytest.approx(s.score, abs=1e-12)) for m, s in r.cross_check.items()})
             for r in ranking.results],
            [(i.id, [g.id for g in i.failed_gates]) for i in ranking.ineligible])


def by_key(tps: list[TablePackage]) -> dict[str, TablePackage]:
    return {t.key: t for t in tps}


def check_all_fine(tmp_path: Path, tps: list[TablePackage], rows: list[dict]) -> None:
    assert [t.key for t in tps] == ["dolnośląskie/Partnerstwo Doliny Baryczy",
                                    "mazowieckie/Partnerstwo Doliny Świdra",
                                    "dolnośląskie/Związek Gmin Ziemi Złotoryjskiej"]
    for t in tps:
        assert t.error is None, str(t.error)
        part = (t.voivodeship, t.partnership)
        ref = load_package(json_package(tmp_path, part, rows))
        pkg = t.package
        assert pkg.criteria is CWD and pkg.criteria_set is CWD
        assert pkg.partnership == ref.partnership
        assert pkg.advisor == ref.advisor
        assert [p.model_dump() for p in pkg.projects] == [p.model_dump() for p in ref.projects]
        assert ranking_view(pkg.rank()) == ranking_view(ref.rank())


# --- reading good tables -------------------------------------------------------------------------------

def test_comma_csv_groups_partnerships_and_ranks_like_json(tmp_path):
    rows = table_rows()
    path = write_csv(tmp_path / "tabela.csv", [cells_of(r) for r in rows])
    tps = read_long_table(path, CWD)
    check_all_fine(tmp_path, tps, rows)
    t = by_key(tps)
    assert t["dolnośląskie/Partnerstwo Doliny Baryczy"].rows == [2, 3, 5]
    assert t["mazowieckie/Partnerstwo Doliny Świdra"].rows == [4, 8, 9]
    assert t["dolnośląskie/Związek Gmin Ziemi Złotoryjskiej"].rows == [6, 7]
    dolina = t["dolnośląskie/Partnerstwo Doliny Baryczy"].package
    assert dolina.partnership.members == ["Gmina Cieszków", "Gmina Krośnice", "Gmina Milicz", "Gmina Żmigród"]
    assert dolina.advisor == "Anna Nowak"
    assert dolina.projects[0].comments == {"readiness": "Pozwolenie na budowę w drodze"}
    # the same project ids in two partnerships are two projects
    assert [p.id for p in t["dolnośląskie/Związek Gmin Ziemi Złotoryjskiej"].package.projects] == ["P1", "P2"]


def test_semicolon_cp1250_decimal_comma_and_polish_headers(tmp_path):
    rows = table_rows()
    cells = [cells_of(r, decimal_comma=True, yes="TAK", no="Nie") for r in rows]
    for c in cells:  # thousands separated by spaces, as Polish Excel writes them
        c[EN_HEADER.index("population_served")] = c[EN_HEADER.index("population_served")][:-3] + " " + \
            c[EN_HEADER.index("population_served")][-3:]
    path = write_csv(tmp_path / "tabela_pl.csv", cells, header=PL_HEADER, delimiter=";", encoding="cp1250")
    assert b"\xb3" in path.read_bytes()  # "ł" in Windows-1250: really not UTF-8
    tps = read_long_table(path, CWD)
    check_all_fine(tmp_path, tps, rows)
    swider = by_key(tps)["mazowieckie/Partnerstwo Doliny Świdra"].package
    assert swider.projects[0].cost == 6_000_000
    assert swider.projects[1].funding[0].source == "KPO" and swider.projects[1].funding[0].amount is None


def test_xlsx_first_sheet_and_named_sheet(tmp_path):
    rows = table_rows()
    path = write_xlsx(tmp_path / "tabela.xlsx", [cells_of(r, excel=True) for r in rows])
    check_all_fine(tmp_path, read_long_table(path, CWD), rows)
    two = write_xlsx(tmp_path / "dwa.xlsx", [cells_of(r, excel=True) for r in rows], header=PL_HEADER,
                     title="Projekty", first_sheet="Notatki")
    with pytest.raises(InputError, match="missing required columns"):
        read_long_table(two, CWD)  # the first sheet holds notes
    check_all_fine(tmp_path, read_long_table(two, CWD, sheet="Projekty"), rows)
    with pytest.raises(InputError, match=r"no sheet 'Brak'.*Notatki, Projekty"):
        read_long_table(two, CWD, sheet="Brak")


def test_xlsx_text_cells_with_decimal_comma_and_answers_of_every_kind(tmp_path):
    rows = table_rows()
    cells = [cells_of(r, excel=True) for r in rows]
    cpb = EN_HEADER.index("cost_per_beneficiary")
    for c in cells:
        c[cpb] = f"{c[cpb]:.2f}".replace(".", ",")  # text, decimal comma
    spellings = iter(["TAK", "yes", 1, "True", "tak", True, "Y", "prawda"])
    for c in cells:
        for g in GATES:
            i = EN_HEADER.index(g)
            if c[i] is True:
                c[i] = next(spellings, True)
            elif c[i] is False:
                c[i] = "NIE"
    path = write_xlsx(tmp_path / "tabela.xlsx", cells)
    check_all_fine(tmp_path, read_long_table(path, CWD), rows)


def test_text_starting_with_equals_stays_text(tmp_path):
    rows = table_rows()
    title = '=HYPERLINK("http://example.invalid","kliknij")'
    for path in (write_csv(tmp_path / "t.csv", [cells_of(r) for r in rows]),
                 write_xlsx(tmp_path / "t.xlsx", [cells_of(r, excel=True) for r in rows])):
        dolina = by_key(read_long_table(path, CWD))["dolnośląskie/Partnerstwo Doliny Baryczy"].package
        assert dolina.projects[1].title == title


def test_blank_rows_and_note_columns_are_skipped(tmp_path):
    rows = table_rows()
    cells = [cells_of(r) for r in rows]
    blank = [""] * len(EN_HEADER)
    only_partnership = [""] * len(EN_HEADER)
    only_partnership[:2] = list(SWIDER)
    body = [blank, cells[0], cells[1], blank, only_partnership, *cells[2:], blank]
    header = [*EN_HEADER, "#uwagi", ""]
    body = [[*row, "notatka", "x"] if row is not blank else row for row in body]
    path = write_csv(tmp_path / "t.csv", body, header=header)
    tps = read_long_table(path, CWD)
    check_all_fine(tmp_path, tps, rows)
    assert by_key(tps)["dolnośląskie/Partnerstwo Doliny Baryczy"].rows == [3, 4, 8]
    xpath = write_xlsx(tmp_path / "t.xlsx", [[None if v == "" else v for v in row] for row in body], header=header)
    assert by_key(read_long_table(xpath, CWD))["dolnośląskie/Partnerstwo Doliny Baryczy"].rows == [3, 4, 8]


def test_partnership_names_differing_only_in_case_or_spaces_are_one_partnership(tmp_path):
    rows = table_rows()
    cells = [cells_of(r) for r in rows]
    cells[1][0] = "Dolnośląskie"
    cells[1][1] = "Partnerstwo  doliny Baryczy "
    tps = read_long_table(write_csv(tmp_path / "t.csv", cells), CWD)
    assert len(tps) == 3
    assert by_key(tps)["dolnośląskie/Partnerstwo Doliny Baryczy"].rows == [2, 3, 5]


# --- problems of one partnership ------------------------------------------------------------------------

def _broken(tmp_path, change, kind="csv"):
    rows = table_rows()
    excel = kind == "xlsx"
    cells = [cells_of(r, excel=excel) for r in rows]
    change(cells)
    if excel:
        return read_long_table(write_xlsx(tmp_path / "t.xlsx", cells), CWD)
    return read_long_table(write_csv(tmp_path / "t.csv", cells), CWD)


def _only_swider_broken(tps) -> TablePackage:
    t = by_key(tps)
    for key in ("dolnośląskie/Partnerstwo Doliny Baryczy", "dolnośląskie/Związek Gmin Ziemi Złotoryjskiej"):
        assert t[key].error is None and t[key].package is not None
        t[key].package.rank()
    bad = t["mazowieckie/Partnerstwo Doliny Świdra"]
    assert bad.package is None and bad.error is not None
    assert bad.rows == [4, 8, 9]
    return bad


def col(name: str) -> int:
    return EN_HEADER.index(name)


def test_bad_score_marks_only_its_partnership_csv(tmp_path):
    def change(cells):
        cells[6][col("readiness")] = "abc"  # row 8: Świder's P2
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.source == str(tmp_path / "t.csv")
    assert bad.error.where == "row 8, column readiness"
    assert '"abc" is not a level of scale 0–5' in bad.error.message
    assert str(bad.error).startswith(f"{tmp_path / 't.csv'}: row 8, column readiness: ")
    assert "\n" not in str(bad.error)


def test_bad_score_marks_only_its_partnership_xlsx(tmp_path):
    def change(cells):
        cells[6][col("readiness")] = "abc"
    bad = _only_swider_broken(_broken(tmp_path, change, "xlsx"))
    letter = openpyxl.utils.get_column_letter(col("readiness") + 1)
    assert bad.error.where == f"Projekty!{letter}8"
    assert '"abc"' in bad.error.message


def test_missing_score(tmp_path):
    def change(cells):
        cells[7][col("synergy")] = ""
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.where == "row 9, column synergy"
    assert "missing score for criterion 'synergy'" in bad.error.message


def test_non_level_score(tmp_path):
    def change(cells):
        cells[2][col("implementation_risk")] = "0"  # the risk scale is 1–5
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.where == "row 4, column implementation_risk"
    assert "0 is not a level of scale 1–5" in bad.error.message


def test_duplicate_ids_name_the_second_row(tmp_path):
    def change(cells):
        cells[7][col("id")] = "P1"
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.where == "row 9, column id"
    assert "duplicate project id 'P1' (also row 4)" in bad.error.message


def test_the_first_problem_is_the_one_highest_in_the_table_and_the_others_are_counted(tmp_path):
    def change(cells):
        cells[7][col("id")] = "P 3"  # not an identifier (pydantic refuses it)
        cells[6][col("readiness")] = "9"
        cells[6][col("in_strategy")] = "może"
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.where == "row 8, column readiness"
    assert "(and 2 more problems in this partnership's rows)" in bad.error.message


@pytest.mark.parametrize("name, value, fragment", [
    ("in_strategy", "może", '"może" is not an answer to gate in_strategy'),
    ("in_strategy", "", "no answer for gate 'in_strategy'"),
    ("cost", "dużo", 'cost "dużo" is not a number'),
    ("cost", "-5", "greater than or equal to 0"),
    ("id", "P 2", "should match pattern"),
    ("title", "", "project P2 has no title"),
    ("population_served", "1,5", '"1,5" is not a number'),  # no decimal comma in a comma-separated file
])
def test_row_problems_are_located(tmp_path, name, value, fragment):
    def change(cells):
        cells[6][col(name)] = value
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.where == f"row 8, column {name}"
    assert fragment in bad.error.message


def test_row_without_id_or_partnership(tmp_path):
    def change(cells):
        cells[6][col("id")] = ""
    bad = _only_swider_broken(_broken(tmp_path, change))
    assert bad.error.where == "row 8, column id"

    def change2(cells):
        cells[6][col("partnership")] = ""
    tps = _broken(tmp_path, change2)
    lost = by_key(tps)["mazowieckie/"]
    assert lost.package is None and lost.rows == [8]
    assert lost.error.where == "row 8, column partnership" and "has no partnership" in lost.error.message
    assert by_key(tps)["mazowieckie/Partnerstwo Doliny Świdra"].package is not None  # two projects left


def test_a_partnership_with_one_project_cannot_be_ranked(tmp_path):
    def change(cells):
        del cells[6:8]
    tps = _broken(tmp_path, change)
    bad = by_key(tps)["mazowieckie/Partnerstwo Doliny Świdra"]
    assert bad.rows == [4]
    assert bad.error.where == "row 4, column partnership"
    assert "at least two projects" in bad.error.message


def test_xlsx_formula_without_a_value_and_error_cells(tmp_path):
    rows = table_rows()
    cells = [cells_of(r, excel=True) for r in rows]
    path = write_xlsx(tmp_path / "t.xlsx", cells)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(8, col("synergy") + 1).value = "=1+1"  # a real formula, never calculated
    ws.cell(9, col("in_strategy") + 1).value = "#N/A"  # an error value
    assert ws.cell(9, col("in_strategy") + 1).data_type == "e"
    wb.save(path)
    bad = _only_swider_broken(read_long_table(path, CWD))
    letter = openpyxl.utils.get_column_letter(col("synergy") + 1)
    assert bad.error.where == f"Projekty!{letter}8"
    assert "never computed" in bad.error.message
    assert "(and 1 more problem in this partnership's rows)" in bad.error.message

    wb = openpyxl.load_workbook(path)
    wb.active.cell(8, col("synergy") + 1).value = 2
    wb.save(path)
    bad = _only_swider_broken(read_long_table(path, CWD))
    assert bad.error.where == f"Projekty!{openpyxl.utils.get_column_letter(col('in_strategy') + 1)}9"
    assert bad.error.message == "the cell shows the error #N/A"


# --- problems of the whole table ------------------------------------------------------------------------

def _csv_with_header(tmp_path, header):
    rows = table_rows()
    cells = [cells_of(r) for r in rows]
    keep = [i for i, h in enumerate(EN_HEADER) if h in header]
    return write_csv(tmp_path / "t.csv", [[c[i] for i in keep] for c in cells],
                     header=[EN_HEADER[i] for i in keep])


def test_missing_partnership_column(tmp_path):
    path = _csv_with_header(tmp_path, [h for h in EN_HEADER if h != "partnership"])
    with pytest.raises(InputError) as exc:
        read_long_table(path, CWD)
    assert str(exc.value).startswith(str(path))
    assert "missing required column: partnership or partnerstwo" in str(exc.value)


def test_missing_criterion_or_gate_column(tmp_path):
    path = _csv_with_header(tmp_path, [h for h in EN_HEADER if h not in ("synergy", "min_two_jst")])
    with pytest.raises(InputError, match="no column for criterion synergy and gate min_two_jst"):
        read_long_table(path, CWD)


def test_unknown_column_is_named(tmp_path):
    rows = table_rows()
    header = ["readines" if h == "readiness" else h for h in EN_HEADER]
    path = write_csv(tmp_path / "t.csv", [cells_of(r) for r in rows], header=header)
    with pytest.raises(InputError) as exc:
        read_long_table(path, CWD)
    msg = str(exc.value)
    assert "unknown column 'readines' (did you mean 'readiness'?)" in msg
    assert exc.value.where == "row 1, column readines"
    xpath = write_xlsx(tmp_path / "t.xlsx", [cells_of(r, excel=True) for r in rows], header=header)
    with pytest.raises(InputError, match="readines") as exc:
        read_long_table(xpath, CWD)
    assert exc.value.where == f"Projekty!{openpyxl.utils.get_column_letter(col('readiness') + 1)}1"


def test_duplicate_and_bad_comment_columns(tmp_path):
    rows = table_rows()
    header = ["województwo" if h == "partners" else h for h in EN_HEADER]
    with pytest.raises(InputError, match="'voivodeship' and 'województwo' are both the column of voivodeship"):
        read_long_table(write_csv(tmp_path / "t.csv", [cells_of(r) for r in rows], header=header), CWD)
    header = ["komentarz:gotowosc" if h == "comment:readiness" else h for h in EN_HEADER]
    with pytest.raises(InputError, match="'komentarz:gotowosc': a comment on an unknown criterion"):
        read_long_table(write_csv(tmp_path / "t.csv", [cells_of(r) for r in rows], header=header), CWD)


@pytest.mark.parametrize("name, content, fragment", [
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\r\n , \r\n", "the file is empty"),
    ("junk.csv", os.urandom(64) + b"\x00\x01\x02", "binary data"),
    ("junk2.csv", bytes(range(0x80, 0x100)) * 4, "cannot decode"),
    ("corrupt.xlsx", b"PK\x03\x04 this is not a zip archive at all", "not a valid zip archive"),
    ("notzip.xlsx", b"voivodeship,partnership\n", "not a valid zip archive"),
    ("tabela.ods", b"whatever", "unsupported file type '.ods'"),
    ("header_only.csv", ",".join(EN_HEADER).encode(), "no projects below the header"),
])
def test_whole_table_errors(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_long_table(path, CWD)
    msg = str(exc.value)
    assert fragment in msg
    assert msg.startswith(str(path)) and "\n" not in msg


def test_missing_file_and_empty_sheet(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_long_table(tmp_path / "brak.csv", CWD)
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "pusty.xlsx")
    with pytest.raises(InputError, match="is empty"):
        read_long_table(tmp_path / "pusty.xlsx", CWD)
