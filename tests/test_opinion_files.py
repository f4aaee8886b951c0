"""appraise opinions: the DOCX (read back with python-docx), Markdown and JSON files, Polish letters,
the advisor's edits surviving regeneration with a "what changed" block, safe names, determinism.

The tests run with English messages (tests/conftest.py); those that read the documents' Polish pass
``--lang pl``, the round trips of the advisor's text run in either language."""

from __future__ import annotations

import hashlib
import json
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.table import Table
from jsonschema import Draft202012Validator

from appraisal import numfmt
from appraisal import opinions as op
from appraisal.console.cli import main
from appraisal.criteria import i18n
from appraisal.io.docx import read_advisor_sections
from appraisal.io.opinion_layout import words_in
from builders import cwd_package_doc

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pakiet_dolina_baryczy.json"
DIACRITICS = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
HEADINGS_PL = ["1. Informacje o projekcie", "2. Ocena ogólna i rekomendacja", "3. Ocena według kryteriów",
               "4. Mocne strony", "5. Słabe strony i ryzyka", "6. Odporność oceny", "7. Warunki i zalecenia",
               "7.1. Warunki wynikające z reguł oceny", "7.2. Zalecenia doradcy", "8. Uwagi doradcy"]


def plain(text: str) -> str:
    return text.replace(numfmt.NBSP, " ")


def title(key: str, number: str, lang: str) -> str:
    """A generated heading in ``lang``: ``title("s8", "8.", "en")`` → "8. Advisor's notes"."""
    return f"{number} {words_in(lang)[key]}"


def said(lang: str, message: str, **fields) -> str:
    """What the command says in ``lang`` for the message ``message`` (its English msgid)."""
    with i18n.use(lang):
        return i18n._(message).format(**fields)


def criterion_rows(table: Table) -> list[list[str]]:
    """The rows of the section-3 table that are criteria (a group's row is one cell across the table)."""
    return [[c.text for c in r.cells] for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]


def group_rows(table: Table) -> list[str]:
    return [r.cells[0].text for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) == 1]


def hand_values(ranking, pid: str) -> dict[str, float]:
    """A project's value on each criterion (0 … 1) from the criteria set alone (docs/design.md#reference-levels): a
    scale by its own range, reversed for a cost; a quantity linear between its reference points."""
    cs = ranking.package.criteria_set
    p = next(p for p in ranking.package.projects if p.id == pid)
    out = {}
    for info in ranking.criteria:
        crit, x = cs.criterion(info.id), p.scores[info.id]
        if crit.scale is not None:
            lo, hi = min(crit.scale.values), max(crit.scale.values)
            up = (x - lo) / (hi - lo)
            out[info.id] = up if crit.direction == "benefit" else 1.0 - up
            continue
        ref = crit.reference
        pts = sorted([(ref.neutral, 0.0), *((b.at, b.value) for b in ref.breakpoints), (ref.good, 1.0)])
        x = min(max(x, pts[0][0]), pts[-1][0])
        out[info.id] = next(y0 + (y1 - y0) * (x - x0) / (x1 - x0)
                            for (x0, y0), (x1, y1) in pairwise(pts) if x0 <= x <= x1)
    return out


def hand_attainment(ranking, pid: str) -> float:
    v = hand_values(ranking, pid)
    return sum(c.weight * v[c.id] for c in ranking.criteria)


def run(*args) -> int:
    return main([str(a) for a in args])


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def kv(table: Table) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def table_after(document, heading: str) -> Table:
    seen = False
    for item in document.iter_inner_content():
        if not isinstance(item, Table) and item.text == heading:
            seen = True
        elif seen and isinstance(item, Table):
            return item
    raise AssertionError(f"no table after {heading!r}")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("opinie")
    assert run("opinions", SAMPLE, "-o", out, "--samples", "2000", "--seed", "3", "--lang", "pl") == 0
    return out


def test_one_file_per_project_plus_the_bundle(generated, capsys):
    names = sorted(p.name for p in generated.iterdir() if p.name != ".appraise.lock")  # the run's lock file
    ids = ["p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08"]
    assert names == sorted([f"{i}.{ext}" for i in ids for ext in ("docx", "md", "json")]
                           + ["pakiet.docx", "pakiet.json", "pakiet.md"])


def test_docx_sections_and_numbers(generated):
    from appraisal.io.formats import load_package

    rk = load_package(SAMPLE).rank()
    top = rk.results[0]
    d = docx.Document(str(generated / f"{top.id.lower()}.docx"))
    assert d.paragraphs[0].text == "Opinia doradcza — Komponent II" and d.paragraphs[0].style.name == "Title"
    assert headings(d) == HEADINGS_PL
    title_block = kv(d.tables[0])
    assert title_block["Partnerstwo"] == rk.package.partnership.name
    assert title_block["Województwo"] == "dolnośląskie"
    assert title_block["Doradca Partnerstwa"] == "Anna Kowalczyk" and title_block["Data opinii"] == "2026-10-15"
    assert title_block["Projekt"].startswith(f"{top.id} — ")
    overall = kv(table_after(d, "2. Ocena ogólna i rekomendacja"))
    assert overall["Wynik ogólny"] == f"{top.score:.3f}".replace(".", ",") + " — TOPSIS (normalizacja wektorowa)"
    assert overall["Miejsce w pakiecie"] == f"1 z {len(rk.results)} ocenionych projektów"
    # the WSM row is gone: the attainment Σ weight × value on the set's yardstick is shown instead
    attained = hand_attainment(rk, top.id)
    assert "Suma wkładów (WSM)" not in overall
    assert overall["Stopień spełnienia kryteriów"] == numfmt.percent(attained, "pl")
    o = json.loads((generated / f"{top.id.lower()}.json").read_text("utf-8"))
    assert o["attainment"] == pytest.approx(attained, abs=1e-12)
    assert overall["Rekomendacja"] == o["recommendation_label"].upper()
    assert overall["Rozstrzygająca reguła"] == o["decided_by"]["text"]
    # the criteria table: one row per criterion; the contribution w·v with the value v in brackets
    crit = table_after(d, "3. Ocena według kryteriów")
    head = [c.text for c in crit.rows[0].cells]
    assert head == ["Lp.", "Kryterium", "Ocena", "Opis poziomu", "Waga", "Wkład (wartość)", "Komentarz doradcy"]
    rows = criterion_rows(crit)
    assert len(rows) == len(rk.criteria)
    # the criteria under their group's row, numbered within it ("2.3"), by their names in the set
    groups = list(dict.fromkeys(a["group"] for a in o["criteria"]))
    labels = {a["group"]: a["group_label"] for a in o["criteria"]}
    assert group_rows(crit) == [f"{n}. {labels[g]}" for n, g in enumerate(groups, 1)]
    assert [r[0] for r in rows] == [f"{groups.index(a['group']) + 1}."
                                    f"{[b['id'] for b in o['criteria'] if b['group'] == a['group']].index(a['id']) + 1}"
                                    for a in o["criteria"]]
    cs = rk.package.criteria_set
    v = hand_values(rk, top.id)
    for row, info, a in zip(rows, rk.criteria, o["criteria"]):
        assert a["id"] == info.id and row[1] == a["label"] == cs.criterion(info.id).label.get("pl") != info.id
        assert plain(row[2]) == plain(a["value_text"])
        assert row[4] == f"{info.weight:.3f}".replace(".", ",")
        contribution = f"{info.weight * v[info.id]:.3f}".replace(".", ",")
        assert row[5] == f"{contribution} ({numfmt.percent(v[info.id], 'pl')})"  # e.g. "0,053 (62 %)"
        assert row[6] == (a["comment"] or "")
    assert sum(float(r[5].split(" ")[0].replace(",", ".")) for r in rows) == pytest.approx(attained, abs=0.01)
    body = "\n".join(p.text for p in d.paragraphs)
    assert plain(o["robustness"]["text"]) in plain(body)
    assert "w pierwszej trójce" in body
    footer = d.sections[0].footer.paragraphs
    assert o["identification"]["engine"] in footer[0].text and o["identification"]["input_hash"] in footer[0].text
    assert footer[1].text == "Strona 1 z 1"  # the fields' text before a word processor lays the pages out
    fields = [el.text.strip() for el in footer[1]._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    header = d.sections[0].header.paragraphs[0].text
    assert header.startswith(f"{rk.package.partnership.name} · {top.id} — ")
    assert d.core_properties.language == "pl-PL"


def test_docx_of_an_ineligible_project(generated):
    d = docx.Document(str(generated / "p03.docx"))
    assert headings(d) == HEADINGS_PL
    overall = kv(table_after(d, "2. Ocena ogólna i rekomendacja"))
    assert overall["Wynik ogólny"] == "—" and overall["Miejsce w pakiecie"] == "—"
    assert overall["Rekomendacja"] == "NIEREKOMENDOWANY"
    assert "W projekcie uczestniczą co najmniej dwie JST" in overall["Kryteria dostępowe"]
    assert "Stopień spełnienia kryteriów" not in overall  # not scored: no attainment
    rows = criterion_rows(table_after(d, "3. Ocena według kryteriów"))
    assert rows and all(r[5] == "—" for r in rows)


def test_docx_of_the_lone_admissible_project(tmp_path):
    from appraisal import opinions as opinions_module
    from appraisal.package import package_from_document

    doc = cwd_package_doc(3)
    for p in doc["projects"][1:]:
        p["gates"] = {k: False for k in p["gates"]}
    src = tmp_path / "one.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "o"
    assert run("opinions", src, "-o", out, "--format", "docx", "--lang", "pl") == 0
    rk = opinions_module.ranking_for_opinions(package_from_document(doc))
    v = hand_values(rk, "P1")
    d = docx.Document(str(out / "p1.docx"))
    overall = kv(table_after(d, "2. Ocena ogólna i rekomendacja"))
    assert overall["Wynik ogólny"] == "—" and overall["Miejsce w pakiecie"] == "—"  # nothing to compare it with
    assert overall["Stopień spełnienia kryteriów"] == numfmt.percent(hand_attainment(rk, "P1"), "pl")  # but judged
    rows = criterion_rows(table_after(d, "3. Ocena według kryteriów"))
    for row, info in zip(rows, rk.criteria):
        assert row[5] == f"{numfmt.number(info.weight * v[info.id], 3, 'pl')} ({numfmt.percent(v[info.id], 'pl')})"
    body = [p.text for p in d.paragraphs]
    i6 = body.index("6. Odporność oceny")
    assert body[i6 + 1].startswith("Nie dotyczy")  # no robustness without a rank


def test_bundle_docx_md_json(generated):
    d = docx.Document(str(generated / "pakiet.docx"))
    summary = table_after(d, "Zestawienie rekomendacji")
    rows = [[c.text for c in r.cells] for r in summary.rows]
    assert rows[0][:7] == ["Lp.", "Miejsce w pakiecie", "ID", "Projekt", "Wynik ogólny", "Rekomendacja",
                           "Rozstrzygająca reguła"]
    assert rows[0][7] == "W pierwszej trójce (SMAA)"
    bundle = json.loads((generated / "pakiet.json").read_text("utf-8"))
    Draft202012Validator(op.bundle_schema()).validate(bundle)
    assert [r[2] for r in rows[1:]] == [s["project_id"] for s in bundle["summary"]]
    assert [r[5] for r in rows[1:]] == [s["recommendation_label"] for s in bundle["summary"]]
    rule = {o["identification"]["project_id"]: o["decided_by"]["text"] for o in bundle["opinions"]}
    assert [r[6] for r in rows[1:]] == [rule[s["project_id"]] for s in bundle["summary"]]
    assert [r[7] for r in rows[1:]] == ["—" if s["share_top_k"] is None else numfmt.percent(s["share_top_k"], "pl")
                                        for s in bundle["summary"]]
    assert len(bundle["opinions"]) == 8
    assert sum(1 for h in headings(d) if h == "8. Uwagi doradcy") == 8
    # each opinion on a page of its own (a section of its own), its project in the page header
    name = bundle["partnership"]
    assert d.sections[0].header.paragraphs[0].text == f"{name} · Pakiet projektów kluczowych"
    assert len(d.sections) == 1 + 8
    for s, o in zip(d.sections[1:], bundle["opinions"]):
        assert s.start_type == WD_SECTION.NEW_PAGE
        assert s.header.paragraphs[0].text.startswith(f"{name} · {o['identification']['project_id']} — ")
    md = (generated / "pakiet.md").read_text("utf-8")
    assert md.count("### 8. Uwagi doradcy") == 8 and "## Zestawienie rekomendacji" in md


def test_markdown_content(generated):
    o = json.loads((generated / "p05.json").read_text("utf-8"))
    md = (generated / "p05.md").read_text("utf-8")
    assert md.startswith("# Opinia doradcza — Komponent II\n")
    for h in HEADINGS_PL:
        assert (f"### {h}" if h.startswith(("7.1", "7.2")) else f"## {h}") in md
    assert f"| Rekomendacja | {o['recommendation_label'].upper()} |" in md
    score = f"{o['score']:.3f}".replace(".", ",")
    assert f"| Wynik ogólny | {score} — TOPSIS (normalizacja wektorowa) |" in md
    assert "| Lp. | Kryterium | Ocena | Opis poziomu | Waga | Wkład (wartość) | Komentarz doradcy |" in md
    first = o["criteria"][0]
    assert f"| **1. {first['group_label']}** |" + "   |" * 6 + f"\n| 1.1 | {first['label']} |" in md
    from appraisal.io.formats import load_package

    rk = load_package(SAMPLE).rank()
    assert f"| Stopień spełnienia kryteriów | {numfmt.percent(hand_attainment(rk, 'P05'), 'pl')} |" in md
    assert "WSM" not in md.split("## 3.")[0]  # section 2 no longer shows a WSM sum
    # the groups table: each group's attainment as a % of its weight, and its highest minimum
    v = hand_values(rk, "P05")
    for g in o["groups"]:
        cols = [c for c in rk.criteria if c.group == g["id"]]
        pct = sum(c.weight * v[c.id] for c in cols) / sum(c.weight for c in cols)
        minimum = "—" if g["minimum_percent"] is None else numfmt.percent(g["minimum_percent"] / 100, "pl")
        assert f"| {g['label']} | {numfmt.number(sum(c.weight for c in cols), 3, 'pl')} | " \
               f"{numfmt.number(sum(c.weight * v[c.id] for c in cols), 3, 'pl')} | {numfmt.percent(pct, 'pl')} " \
               f"| {minimum} |" in md
    assert o["robustness"]["text"] in md and o["identification"]["input_hash"] in md


def test_json_files_validate_against_the_schema(generated):
    validator = Draft202012Validator(op.opinion_schema())
    for f in generated.glob("p0*.json"):
        doc = json.loads(f.read_text("utf-8"))
        validator.validate(doc)
        assert doc["lang"] == "pl" and doc["kind"] == "opinion"


def test_polish_letters_intact_in_every_format(tmp_path):
    doc = cwd_package_doc(3)
    doc["partnership"] = {"name": f"Partnerstwo {DIACRITICS}", "voivodeship": "świętokrzyskie"}
    doc["advisor"] = "Małgorzata Źdźbło-Łęcka"
    doc["projects"][0]["title"] = f"Projekt {DIACRITICS}"
    doc["projects"][0]["comments"] = {"readiness": f"Komentarz {DIACRITICS}"}
    # P1 unprepared (feasibility 0 % < the 25 % minimum): at most "do przeformułowania"
    doc["projects"][0]["scores"].update(readiness=0, institutional_capacity=0, implementation_risk=5)
    src = tmp_path / "pakiet.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    assert run("opinions", src, "-o", out, "--samples", "0", "--lang", "pl") == 0
    from appraisal.package import package_from_document

    assert hand_attainment(package_from_document(doc).rank(), "P1") >= 0.30  # so not below every threshold
    assert json.loads((out / "p1.json").read_text("utf-8"))["recommendation"] == "needs_rework"
    d = docx.Document(str(out / "p1.docx"))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    data = (f"Projekt {DIACRITICS}", f"Komentarz {DIACRITICS}", f"Partnerstwo {DIACRITICS}",
            "Małgorzata Źdźbło-Łęcka", "świętokrzyskie", "do przeformułowania")
    for want in (*data, "Słabe strony i ryzyka", "Odporność oceny"):
        assert want in text
        for f in ("p1.md", "pakiet.md"):
            assert want in (out / f).read_text("utf-8")
    for want in data:
        for f in ("p1.json", "pakiet.json"):
            assert want in (out / f).read_text("utf-8")
    bundle = docx.Document(str(out / "pakiet.docx"))
    assert f"Projekt {DIACRITICS}" in "\n".join(c.text for t in bundle.tables for r in t.rows for c in r.cells)
    assert "\\u0" not in (out / "p1.json").read_text("utf-8")  # letters as they are, not escaped


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_advisor_edits_survive_regeneration_and_changes_are_shown(tmp_path, capsys, lang):
    pkg = json.loads(SAMPLE.read_text("utf-8"))
    src = tmp_path / "pakiet.json"
    src.write_text(json.dumps(pkg, ensure_ascii=False), "utf-8")
    out = tmp_path / "opinie"
    assert run("opinions", src, "-o", out, "--samples", "0", "--lang", lang) == 0
    before = json.loads((out / "p05.json").read_text("utf-8"))
    assert before["advisor"] == {"notes": "", "recommendations": "", "source": "new",
                                 "written_digest": op.advisor_digest("", ""), "comments": {},
                                 "docx_digest": "sha256:" + hashlib.sha256((out / "p05.docx").read_bytes()).hexdigest()}
    assert before["changes"] is None

    # the advisor edits the DOCX in Word: replaces the placeholder of section 8, writes two paragraphs
    # in 7.2 (after the placeholder, which stays)
    path = out / "p05.docx"
    d = docx.Document(str(path))
    paras = d.paragraphs
    i8 = next(i for i, p in enumerate(paras) if p.text == title("s8", "8.", lang))
    paras[i8 + 1].text = f"Uwaga doradcy: gminy potwierdziły wkład {DIACRITICS}."
    i72 = next(i for i, p in enumerate(paras) if p.text == title("s72", "7.2.", lang))
    paras[i72 + 1].insert_paragraph_before("Zalecenie 1: uzgodnić rozkład jazdy z przewoźnikiem.")
    d.save(str(path))
    notes = f"Uwaga doradcy: gminy potwierdziły wkład {DIACRITICS}."
    recs = "Zalecenie 1: uzgodnić rozkład jazdy z przewoźnikiem."
    assert read_advisor_sections(path) == {"notes": notes, "recommendations": recs}

    # a score changes in the package: P05's readiness drops from its level to 0
    p05 = next(p for p in pkg["projects"] if p["id"] == "P05")
    old_level = p05["scores"]["readiness"]
    assert old_level > 0
    p05["scores"]["readiness"] = 0
    src.write_text(json.dumps(pkg, ensure_ascii=False), "utf-8")
    capsys.readouterr()
    assert run("opinions", src, "-o", out, "--samples", "0", "--lang", lang) == 0
    err = capsys.readouterr().err
    assert said(lang, "{project}: advisor's text taken from {docx} (edited in Word)", project="P05",
                docx="p05.docx") in err

    after = json.loads((out / "p05.json").read_text("utf-8"))
    assert after["advisor"]["notes"] == notes and after["advisor"]["recommendations"] == recs
    assert after["advisor"]["source"] == "docx"
    assert read_advisor_sections(path) == {"notes": notes, "recommendations": recs}
    ch = after["changes"]
    assert ch["score_old"] == before["score"] and ch["score_new"] == after["score"] != before["score"]
    assert ch["rank_old"] == before["rank"] and ch["rank_new"] == after["rank"]
    assert ch["recommendation_old"] == before["recommendation"]
    assert ch["recommendation_new"] == after["recommendation"]
    assert ch["previous_input_hash"] == before["identification"]["input_hash"]
    old_s, new_s = (numfmt.number(v, 3, lang) for v in (before["score"], after["score"]))
    assert said(lang, "score {old} → {new}", old=old_s, new=new_s) in ch["text"]
    d = docx.Document(str(path))
    w = words_in(lang)
    assert headings(d)[0] == w["changes"] == {"pl": "Zmiany względem poprzedniej wersji opinii",
                                               "en": "Changes since the previous version"}[lang]
    change = [[c.text for c in r.cells] for r in table_after(d, w["changes"]).rows]
    assert change[0] == [w["item"], w["before"], w["now"]]
    assert change[1] == [w["score"], old_s, new_s]
    assert change[2] == [w["rank"], str(before["rank"]), str(after["rank"])]
    assert change[3] == [w["recommendation"], before["recommendation_label"], after["recommendation_label"]]
    assert ch["text"] in (out / "p05.md").read_text("utf-8")
    # another project's rank may have moved too; one whose numbers did not change has no block
    for f in out.glob("p0*.json"):
        o = json.loads(f.read_text("utf-8"))
        if o["identification"]["project_id"] != "P05" and o["changes"] is not None:
            assert (o["changes"]["rank_old"], o["changes"]["score_old"]) != (o["rank"], o["score"])

    # a third run with the same inputs: the text stays, and so does the change block (still the latest change)
    assert run("opinions", src, "-o", out, "--samples", "0", "--lang", lang) == 0
    third = json.loads((out / "p05.json").read_text("utf-8"))
    assert third["advisor"]["notes"] == notes and third["changes"] == ch
    assert third["advisor"]["source"] == "json"
    # new inputs where P05's numbers do not move: its block goes (nothing changed since)
    pkg["advisor"] = "Inny Doradca"
    src.write_text(json.dumps(pkg, ensure_ascii=False), "utf-8")
    assert run("opinions", src, "-o", out, "--samples", "0", "--lang", lang) == 0
    fourth = json.loads((out / "p05.json").read_text("utf-8"))
    assert fourth["identification"]["input_hash"] != third["identification"]["input_hash"]
    assert fourth["changes"] is None and fourth["advisor"]["notes"] == notes


def test_json_edit_wins_when_the_docx_is_untouched(tmp_path, capsys):
    out = tmp_path / "o"
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    f = out / "p01.json"
    o = json.loads(f.read_text("utf-8"))
    o["advisor"]["notes"] = "Wpisane w JSON."
    f.write_text(json.dumps(o, ensure_ascii=False), "utf-8")
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert "taken from p01.json" in capsys.readouterr().err
    assert json.loads(f.read_text("utf-8"))["advisor"]["notes"] == "Wpisane w JSON."
    assert read_advisor_sections(out / "p01.docx")["notes"] == "Wpisane w JSON."
    assert not (out / "p01.md").exists()  # only the formats asked for, plus the JSON record

    # both edited: the DOCX wins, and the run says so
    o = json.loads(f.read_text("utf-8"))
    o["advisor"]["notes"] = "Znowu w JSON."
    f.write_text(json.dumps(o, ensure_ascii=False), "utf-8")
    d = docx.Document(str(out / "p01.docx"))
    i8 = next(i for i, p in enumerate(d.paragraphs) if p.text == title("s8", "8.", "en"))
    d.paragraphs[i8 + 1].text = "W Wordzie."
    d.save(str(out / "p01.docx"))
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert "edited in both" in capsys.readouterr().err
    assert json.loads(f.read_text("utf-8"))["advisor"]["notes"] == "W Wordzie."


def test_unreadable_previous_opinion_stops_the_run(tmp_path, capsys):
    out = tmp_path / "o"
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "json") == 0
    (out / "p02.json").write_text("{ broken", "utf-8")
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "p02.json" in err[0] and "would be lost" in err[0]
    (out / "p02.json").unlink()
    (out / "p02.docx").write_bytes(b"not a zip")
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "p02.docx" in err[0] and "Traceback" not in err[0]


def test_same_seed_gives_identical_files(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, seed in ((a, 7), (b, 7), (c, 8)):
        assert run("opinions", SAMPLE, "-o", folder, "--samples", "1000", "--seed", seed) == 0
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n
    assert (a / "p02.json").read_bytes() != (c / "p02.json").read_bytes()


def test_english_opinions(tmp_path):
    out = tmp_path / "en"
    assert run("opinions", SAMPLE, "-o", out, "--lang", "en", "--samples", "500", "--format", "docx,md") == 0
    d = docx.Document(str(out / "p02.docx"))
    assert headings(d) == ["1. Project information", "2. Overall assessment and recommendation",
                           "3. Assessment by criterion", "4. Strengths", "5. Weaknesses and risks",
                           "6. Robustness of the assessment", "7. Conditions and recommendations",
                           "7.1. Conditions from the appraisal rules", "7.2. Advisor's recommendations",
                           "8. Advisor's notes"]
    o = json.loads((out / "p02.json").read_text("utf-8"))
    assert o["robustness"]["text"].startswith("In ") and "of weight scenarios the project" in o["robustness"]["text"]
    from appraisal.io.formats import load_package

    overall = kv(table_after(d, "2. Overall assessment and recommendation"))
    assert overall["Attainment of the criteria"] == numfmt.percent(hand_attainment(load_package(SAMPLE).rank(), "P02"), "en")
    assert plain(o["decided_by"]["text"]).startswith(("attainment ", "group "))
    cost = kv(table_after(d, "1. Project information"))["Total cost"]
    assert cost == "24,000,000\u00a0PLN"
    assert not (out / "pakiet.json").exists()


def test_safe_file_names_never_leave_the_folder(tmp_path):
    doc = cwd_package_doc(3)
    doc["projects"][0]["id"] = "a/../../ucieczka"
    doc["projects"][1]["id"] = "pakiet"
    src = tmp_path / "p.json"
    src.write_text(json.dumps(doc), "utf-8")
    out = tmp_path / "out"
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "json") == 0
    files = sorted(p.name for p in out.iterdir() if p.name != ".appraise.lock")
    # the id "pakiet" would take the bundle's name: it gets a suffix from the hash of the id
    own = f"pakiet-{hashlib.sha256(b'pakiet').hexdigest()[:8]}.json"
    assert files == sorted(["a-ucieczka.json", "p3.json", own, "pakiet.json"])
    assert not (tmp_path / "ucieczka.json").exists()
    assert json.loads((out / "pakiet.json").read_text("utf-8"))["kind"] == "opinion_bundle"
    assert json.loads((out / own).read_text("utf-8"))["identification"]["project_id"] == "pakiet"


@pytest.mark.parametrize(("args", "expect"), [
    (["--format", "docx,pdf"], "--format: unknown format 'pdf'"),
    (["--date", "15.10.2026"], "--date: '15.10.2026' is not a date"),
    (["--method", "points", "--samples", "10"], "--samples"),
])
def test_bad_options_one_line(tmp_path, capsys, args, expect):
    src = SAMPLE if "points" not in args else ROOT / "samples" / "pakiet_karta.json"
    assert run("opinions", src, "-o", tmp_path / "o", *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expect in err[0]


def test_options_advisor_date_and_points(tmp_path):
    out = tmp_path / "k"
    src = ROOT / "samples" / "pakiet_karta.json"
    assert run("opinions", src, "-o", out, "--method", "points", "--advisor", "Ewa Żak", "--date", "2027-01-05",
               "--format", "json") == 0
    o = json.loads((out / "k01.json").read_text("utf-8"))
    assert o["identification"]["advisor"] == "Ewa Żak" and o["identification"]["date"] == "2027-01-05"
    assert o["robustness"] is None and o["identification"]["method"] == "points"


def test_demo_writes_the_sample_opinions(tmp_path, capsys):
    assert run("demo", "-o", tmp_path / "demo", "--lang", "pl") == 0
    out = capsys.readouterr().out
    folder = tmp_path / "demo" / "opinie"
    assert (folder / "pakiet.docx").exists() and (folder / "p02.docx").exists()
    bundle = json.loads((folder / "pakiet.json").read_text("utf-8"))
    assert said("pl", "== Advisory opinions: {opinions}", opinions="") in out
    assert docx.Document(str(folder / "p02.docx")).paragraphs[0].text == "Opinia doradcza — Komponent II"
    for s in bundle["summary"]:
        assert f"{s['project_id']} {s['recommendation_label']}" in out


# --- review fixes: advisor text in sub-headings and tables, Word comments, backups, other packages, ----------
# --- change block carried over, target paths, non-opinion JSON -------------------------------------------

def _docx_fresh(tmp_path, fmt="docx", lang="en"):
    out = tmp_path / "o"
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", fmt, "--lang", lang) == 0
    return out


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_advisor_sub_heading_and_paragraphs_after_it_survive(tmp_path, capsys, lang):
    out = _docx_fresh(tmp_path, lang=lang)
    path = out / "p01.docx"
    d = docx.Document(str(path))
    paras = d.paragraphs
    i8 = next(i for i, p in enumerate(paras) if p.text == title("s8", "8.", lang))
    placeholder = paras[i8 + 1]
    placeholder.text = "Wstęp doradcy."
    h = placeholder.insert_paragraph_before("", style="Heading 3")
    placeholder._p.addnext(h._p)  # the heading after the first paragraph
    h.add_run("Ryzyka")
    after = d.add_paragraph("Ryzyko przesunięcia terminów — źródło: RDOŚ.")
    h._p.addnext(after._p)
    # the same in 7.2: a sub-heading and a paragraph under it, before "8."
    i72 = next(i for i, p in enumerate(d.paragraphs) if p.text == title("s72", "7.2.", lang))
    ph72 = d.paragraphs[i72 + 1]
    ph72.text = "Zalecenie ogólne."
    h2 = d.add_paragraph("Harmonogram", style="Heading 4")
    ph72._p.addnext(h2._p)
    tail = d.add_paragraph("Uzgodnić z RDOŚ do marca.")
    h2._p.addnext(tail._p)
    d.save(str(path))
    got = read_advisor_sections(path)
    assert got["notes"] == "Wstęp doradcy.\nRyzyka\nRyzyko przesunięcia terminów — źródło: RDOŚ."
    assert got["recommendations"] == "Zalecenie ogólne.\nHarmonogram\nUzgodnić z RDOŚ do marca."
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx", "--lang", lang) == 0
    again = json.loads((out / "p01.json").read_text("utf-8"))["advisor"]
    assert again["notes"] == got["notes"] and again["recommendations"] == got["recommendations"]
    assert read_advisor_sections(path) == got  # written back as lines, read back the same


def test_advisor_table_in_section_8_is_kept_as_text(tmp_path):
    out = _docx_fresh(tmp_path, lang="pl")
    path = out / "p02.docx"
    d = docx.Document(str(path))
    paras = d.paragraphs
    i8 = next(i for i, p in enumerate(paras) if p.text == "8. Uwagi doradcy")
    placeholder = paras[i8 + 1]
    placeholder.text = "Tabela ryzyk:"
    t = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Ryzyko", (0, 1): "Działanie", (1, 0): "Natura 2000", (1, 1): "Wcześnie do RDOŚ"}.items():
        t.cell(r, c).text = text
    placeholder._p.addnext(t._tbl)
    last = d.add_paragraph("Po tabeli: zdanie końcowe.")
    t._tbl.addnext(last._p)
    d.save(str(path))
    assert read_advisor_sections(path)["notes"] == ("Tabela ryzyk:\nRyzyko | Działanie\nNatura 2000 | Wcześnie do RDOŚ\n"
                                                    "Po tabeli: zdanie końcowe.")


def test_comment_typed_in_the_criteria_table_is_kept_and_wins(tmp_path, capsys):
    out = _docx_fresh(tmp_path)
    path = out / "p01.docx"
    d = docx.Document(str(path))
    table = table_after(d, title("s3", "3.", "en"))
    assert table.rows[0].cells[-1].text == "Advisor's comment"
    readiness = next(a["label"] for a in json.loads((out / "p01.json").read_text("utf-8"))["criteria"]
                     if a["id"] == "readiness")
    row = next(r for r in table.rows if r.cells[1].text == readiness)
    label = row.cells[1].text
    row.cells[-1].text = "Pozwolenie na budowę wydane w listopadzie."
    d.save(str(path))
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert "(edited in Word)" in capsys.readouterr().err
    o = json.loads((out / "p01.json").read_text("utf-8"))
    crit = next(a for a in o["criteria"] if a["label"] == label)
    assert crit["comment"] == "Pozwolenie na budowę wydane w listopadzie."
    assert o["advisor"]["comments"] == {crit["id"]: "Pozwolenie na budowę wydane w listopadzie."}
    # untouched comments still come from the package
    pkg = json.loads(SAMPLE.read_text("utf-8"))
    p01 = next(p for p in pkg["projects"] if p["id"] == "P01")
    other = next(a for a in o["criteria"] if a["id"] == "implementation_risk")
    assert other["comment"] == p01["comments"]["implementation_risk"]
    # and the Word comment survives a further run (the DOCX is now as written)
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    o = json.loads((out / "p01.json").read_text("utf-8"))
    assert next(a for a in o["criteria"] if a["id"] == crit["id"])["comment"] == crit["comment"]
    d = docx.Document(str(path))
    assert any(r.cells[-1].text == crit["comment"] for r in table_after(d, title("s3", "3.", "en")).rows)


def test_edited_docx_is_kept_as_prev_docx(tmp_path, capsys):
    out = _docx_fresh(tmp_path)
    assert not (out / "p01.prev.docx").exists()
    path = out / "p01.docx"
    d = docx.Document(str(path))
    i8 = next(i for i, p in enumerate(d.paragraphs) if p.text == title("s8", "8.", "en"))
    d.paragraphs[i8 + 1].text = "Moja uwaga."
    d.save(str(path))
    edited = path.read_bytes()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0", "--format", "docx") == 0
    assert (out / "p01.prev.docx").read_bytes() == edited
    assert "p01.prev.docx" in capsys.readouterr().err
    assert not (out / "p02.prev.docx").exists()  # not edited: no copy
    assert read_advisor_sections(path)["notes"] == "Moja uwaga."


def test_another_packages_folder_stops_the_run(tmp_path, capsys):
    out = _docx_fresh(tmp_path, "json")
    other = json.loads(SAMPLE.read_text("utf-8"))
    other["partnership"]["name"] = "Partnerstwo Doliny Nysy"
    src = tmp_path / "other.json"
    src.write_text(json.dumps(other, ensure_ascii=False), "utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert run("opinions", src, "-o", out, "--samples", "0") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"{out} holds the opinions of another package" in err[0] and "use another -o folder" in err[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written
    # same partnership name, but every project title different: another package too
    other = json.loads(SAMPLE.read_text("utf-8"))
    for p in other["projects"]:
        p["title"] = "Inny " + p["title"]
    src.write_text(json.dumps(other, ensure_ascii=False), "utf-8")
    assert run("opinions", src, "-o", out, "--samples", "0") == 2
    assert "holds the opinions of another package" in capsys.readouterr().err
    # no project id in common, but the bundle is another partnership's
    other = json.loads(SAMPLE.read_text("utf-8"))
    other["partnership"]["name"] = "Partnerstwo Doliny Nysy"
    for p in other["projects"]:
        p["id"] = "N" + p["id"]
    src.write_text(json.dumps(other, ensure_ascii=False), "utf-8")
    assert run("opinions", src, "-o", out, "--samples", "0") == 2
    assert "holds the opinions of another package (Partnerstwo" in capsys.readouterr().err
    # one title edited: a note, the run goes on
    other = json.loads(SAMPLE.read_text("utf-8"))
    other["projects"][0]["title"] += " (etap I)"
    src.write_text(json.dumps(other, ensure_ascii=False), "utf-8")
    assert run("opinions", src, "-o", out, "--samples", "0") == 0
    assert "project title changed" in capsys.readouterr().err


def test_change_block_carried_over_on_a_rerun_with_the_same_inputs(tmp_path):
    pkg = json.loads(SAMPLE.read_text("utf-8"))
    src = tmp_path / "p.json"
    src.write_text(json.dumps(pkg, ensure_ascii=False), "utf-8")
    out = tmp_path / "o"
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "json", "--lang", "pl") == 0
    next(p for p in pkg["projects"] if p["id"] == "P05")["scores"]["readiness"] = 0
    src.write_text(json.dumps(pkg, ensure_ascii=False), "utf-8")
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "json", "--lang", "pl") == 0
    ch = json.loads((out / "p05.json").read_text("utf-8"))["changes"]
    assert ch is not None
    assert run("opinions", src, "-o", out, "--samples", "0", "--format", "docx,json", "--lang", "pl") == 0  # the DOCX
    assert json.loads((out / "p05.json").read_text("utf-8"))["changes"] == ch
    d = docx.Document(str(out / "p05.docx"))
    assert headings(d)[0] == "Zmiany względem poprzedniej wersji opinii"


def test_output_under_a_file_is_one_line(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("x", "utf-8")
    assert run("opinions", SAMPLE, "-o", f / "sub", "--samples", "0") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot create the folder" in err[0] and "internal" not in err[0]


@pytest.mark.parametrize("name", ["pakiet.md", "p03.json", "p01.docx"])
def test_a_folder_in_place_of_a_target_stops_before_writing(tmp_path, capsys, name):
    out = tmp_path / "o"
    (out / name).mkdir(parents=True)
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0] and "is a folder" in err[0]
    assert [p.name for p in out.iterdir()] == [name]  # nothing written


@pytest.mark.parametrize("content", ["[]", '{"kind": "opinion_bundle"}', '"text"'])
def test_previous_json_that_is_not_an_opinion_stops_the_run(tmp_path, capsys, content):
    out = _docx_fresh(tmp_path, "json")
    (out / "p04.json").write_text(content, "utf-8")
    capsys.readouterr()
    assert run("opinions", SAMPLE, "-o", out, "--samples", "0") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "p04.json" in err[0] and "is not an opinion" in err[0]
    assert (out / "p04.json").read_text("utf-8") == content


def test_validate_recognises_opinions_and_bundles(generated, tmp_path, capsys):
    capsys.readouterr()
    assert run("validate", generated / "p01.json") == 0
    assert "valid opinion" in capsys.readouterr().out
    assert run("validate", generated / "pakiet.json") == 0
    assert "valid opinion bundle" in capsys.readouterr().out
    bad = json.loads((generated / "p01.json").read_text("utf-8"))
    bad["recommendation"] = "maybe"
    del bad["ranked"]
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
    assert run("validate", f) == 2
    out = capsys.readouterr()
    lines = out.out.strip().splitlines()
    assert len(lines) == 2 and any("recommendation" in x for x in lines) and any("ranked" in x for x in lines)
    assert "2 problems found" in out.err
