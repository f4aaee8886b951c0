"""The layout of an advisory opinion, shared by the DOCX and Markdown writers: the same headings,
tables and numbers in both, as a list of blocks each writer renders in its own way.

Sections (numbered as a Polish public-sector reader expects): title block; [changes since the
previous version]; 1. project information; 2. overall assessment and recommendation; 3. assessment
by criterion (table); 4. strengths; 5. weaknesses and risks; 6. robustness; 7. conditions and
recommendations (7.1 from the rules, 7.2 the advisor's); 8. advisor's notes; signature; provenance.
Sections 7.2 and 8 belong to the advisor: regeneration reads them back from the DOCX by heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .. import methods, numfmt
from ..opinions import Opinion, OpinionBundle

WORDS = {
    "pl": {
        "title": "Opinia doradcza — Komponent II",
        "bundle_title": "Opinie doradcze — Komponent II",
        "bundle_sub": "Pakiet projektów kluczowych partnerstwa",
        "partnership": "Partnerstwo", "voivodeship": "Województwo", "project": "Projekt",
        "advisor": "Doradca Partnerstwa", "date": "Data opinii", "recommendation": "Rekomendacja",
        "changes": "Zmiany względem poprzedniej wersji opinii", "item": "Pozycja", "before": "Poprzednio",
        "now": "Obecnie", "score": "Wynik ogólny", "rank": "Miejsce w pakiecie",
        "s1": "Informacje o projekcie", "s2": "Ocena ogólna i rekomendacja", "s3": "Ocena według kryteriów",
        "s4": "Mocne strony", "s5": "Słabe strony i ryzyka", "s6": "Odporność oceny",
        "s7": "Warunki i zalecenia", "s71": "Warunki wynikające z reguł oceny", "s72": "Zalecenia doradcy",
        "s8": "Uwagi doradcy",
        "id": "Identyfikator", "name": "Tytuł projektu", "lead": "Lider (JST)", "partners": "Partnerzy",
        "cost": "Koszt całkowity", "funding": "Źródła finansowania", "status": "Stan przygotowania",
        "description": "Opis", "of": "z", "ranked_projects": "ocenionych projektów",
        "attainment": "Stopień spełnienia kryteriów", "card": "Karta oceny", "points": "pkt", "passed": "spełnia wymogi",
        "failed": "nie spełnia wymogów", "rule": "Rozstrzygająca reguła", "rules_applied": "Zastosowane reguły",
        "gates": "Kryteria dostępowe", "gates_failed": "niespełnione",
        "group": "Grupa", "weight": "Waga", "contribution": "Wkład (wartość)", "group_contribution": "Wkład",
        "group_pct": "% wagi grupy",
        "minimum": "Minimum", "criterion": "Kryterium", "assessment": "Ocena", "level": "Opis poziomu",
        "comment": "Komentarz doradcy",
        "s3_note": "Wartość kryterium (0–100 %) odczytuje się na skali kryterium określonej w zestawie kryteriów "
                   "(poziom na skali lub poziomy odniesienia: neutralny = 0 %, dobry = 100 %), niezależnie od "
                   "innych projektów pakietu. Wkład = waga globalna × wartość; suma wkładów = stopień spełnienia "
                   "kryteriów.",
        "no_strengths": "Żadne kryterium nie osiąga co najmniej połowy swojej skali.",
        "no_weaknesses": "Brak kryteriów poniżej połowy swojej skali.",
        "not_scored": "Nie dotyczy — projekt nie spełnia kryteriów dostępowych, nie był oceniany ani szeregowany.",
        "not_ranked": "Nie dotyczy — jedyny projekt pakietu spełniający kryteria dostępowe; bez porównania "
                      "z innymi projektami nie ma miejsca w pakiecie.",
        "n_a": "nie dotyczy",
        "no_robustness": "Analizy odporności nie przeprowadzono.",
        "none": "Brak.",
        "ph_recs": "[Miejsce na warunki i zalecenia doradcy. Tekst wpisany w tej sekcji zostanie zachowany "
                   "przy ponownym wygenerowaniu opinii.]",
        "ph_notes": "[Miejsce na uwagi doradcy. Tekst wpisany w tej sekcji zostanie zachowany "
                    "przy ponownym wygenerowaniu opinii.]",
        "place_date": "Miejscowość, data", "signature": "Podpis Doradcy Partnerstwa",
        "provenance": "Metryka dokumentu", "engine": "Wersja silnika", "hash": "Skrót danych wejściowych",
        "method": "Metoda oceny", "footer": "Opinia wygenerowana przez {engine}; dane wejściowe {hash}. "
                                            "Sekcje 7.2 i 8 wypełnia doradca.",
        "summary": "Zestawienie rekomendacji", "top": "W pierwszej {k} (SMAA)",
        "bundle_note": "Zbiór opinii do wglądu; uwagi doradcy wpisuje się w plikach opinii poszczególnych "
                       "projektów (tylko z nich są odczytywane przy ponownym generowaniu).",
        "topk": {1: "na 1. miejscu", 2: "dwójce", 3: "trójce"},
    },
    "en": {
        "title": "Advisory opinion — Component II",
        "bundle_title": "Advisory opinions — Component II",
        "bundle_sub": "The partnership's package of key projects",
        "partnership": "Partnership", "voivodeship": "Voivodeship", "project": "Project",
        "advisor": "Partnership advisor", "date": "Date of the opinion", "recommendation": "Recommendation",
        "changes": "Changes since the previous version", "item": "Item", "before": "Before", "now": "Now",
        "score": "Overall score", "rank": "Rank in the package",
        "s1": "Project information", "s2": "Overall assessment and recommendation",
        "s3": "Assessment by criterion", "s4": "Strengths", "s5": "Weaknesses and risks",
        "s6": "Robustness of the assessment", "s7": "Conditions and recommendations",
        "s71": "Conditions from the appraisal rules", "s72": "Advisor's recommendations",
        "s8": "Advisor's notes",
        "id": "Identifier", "name": "Project title", "lead": "Lead (JST)", "partners": "Partners",
        "cost": "Total cost", "funding": "Funding sources", "status": "Preparation status",
        "description": "Description", "of": "of", "ranked_projects": "ranked projects",
        "attainment": "Attainment of the criteria", "card": "Selection card", "points": "pts", "passed": "passes",
        "failed": "fails", "rule": "Deciding rule", "rules_applied": "Rules applied",
        "gates": "Admissibility gates", "gates_failed": "not met",
        "group": "Group", "weight": "Weight", "contribution": "Contribution (value)",
        "group_contribution": "Contribution", "group_pct": "% of group weight",
        "minimum": "Minimum", "criterion": "Criterion", "assessment": "Assessment", "level": "Level descriptor",
        "comment": "Advisor's comment",
        "s3_note": "A criterion's value (0–100 %) is read on the criterion's own yardstick from the criteria set "
                   "(its scale's level, or its reference levels: neutral = 0 %, good = 100 %), whatever the other "
                   "projects of the package. Contribution = global weight × value; the contributions sum to the "
                   "attainment.",
        "no_strengths": "No criterion reaches half of its scale.",
        "no_weaknesses": "No criterion is below half of its scale.",
        "not_scored": "Not applicable — the project fails an admissibility gate and was not scored or ranked.",
        "not_ranked": "Not applicable — the only project of the package that passes the gates; without other "
                      "projects to compare with it has no rank.",
        "n_a": "not applicable",
        "no_robustness": "No robustness analysis was run.",
        "none": "None.",
        "ph_recs": "[Space for the advisor's conditions and recommendations. Text written in this section is "
                   "kept when the opinion is generated again.]",
        "ph_notes": "[Space for the advisor's notes. Text written in this section is kept when the opinion is "
                    "generated again.]",
        "place_date": "Place, date", "signature": "Signature of the partnership advisor",
        "provenance": "Document record", "engine": "Engine version", "hash": "Input hash",
        "method": "Appraisal method", "footer": "Opinion generated by {engine}; inputs {hash}. "
                                                "Sections 7.2 and 8 are the advisor's.",
        "summary": "Summary of recommendations", "top": "In the top {k} (SMAA)",
        "bundle_note": "A collection for reading; advisors write their notes in each project's own opinion "
                       "file (only those are read back when the opinions are generated again).",
        "topk": {1: "1", 2: "2", 3: "3"},
    },
}

#: the advisor's sections: (heading key, text field, placeholder key)
ADVISOR_SECTIONS = (("s72", "recommendations", "ph_recs"), ("s8", "notes", "ph_notes"))


def heading_titles(key: str) -> set[str]:
    """The heading text of a section in every language (numbers stripped), to find it in a document."""
    return {WORDS[lang][key] for lang in WORDS}


def generated_titles() -> set[str]:
    """Every heading title the generator writes (numbers stripped), in every language."""
    keys = ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s71", "s72", "s8", "changes", "summary")
    return {WORDS[lang][k] for lang in WORDS for k in keys}


def placeholders() -> set[str]:
    return {WORDS[lang][k] for lang in WORDS for k in ("ph_recs", "ph_notes")}


@dataclass
class Block:
    kind: str  # title, subtitle, heading, para, bullets, table, kv, advisor, signature, pagebreak, small
    text: str = ""
    level: int = 1
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    bold: bool = False
    widths: list[float] | None = None  # relative column widths for tables
    placeholder: str = ""


_LINE_ENDS = re.compile(r"\r\n?")
#: what XML 1.0 cannot carry: control characters other than tab and line feed (a carriage return is a
#: line end, see below), U+FFFE/U+FFFF and lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` as a document can hold it and give it back: line ends as LF (CRLF and CR → LF), the
    characters XML cannot carry dropped (as the workbook writer drops them); tab and LF are kept.
    Used on every text written into a DOCX or Markdown file and on both sides of every comparison
    with what was written, so that a CRLF or a stray control character is never taken for an edit."""
    if "\r" in text:
        text = _LINE_ENDS.sub("\n", text)
    return _NOT_XML.sub("", text)


def clean_block(b: Block) -> Block:
    """A copy of ``b`` with every text in it cleaned (:func:`clean_text`)."""
    return replace(b, text=clean_text(b.text), items=[clean_text(t) for t in b.items],
                   headers=[clean_text(t) for t in b.headers],
                   rows=[[clean_text(t) for t in row] for row in b.rows], placeholder=clean_text(b.placeholder))


def _w(lang: str) -> dict:
    return WORDS[lang if lang in WORDS else "pl"]


def score_text(op: Opinion) -> str:
    lang = op.lang
    if op.score is None:
        return "—"
    if methods.get(op.identification.method).card:
        return f"{numfmt.amount(op.score, lang)} {_w(lang)['points']}"
    return f"{numfmt.number(op.score, 3, lang)} — {op.score_label}"


def rank_text(op: Opinion) -> str:
    w = _w(op.lang)
    if op.rank is None:
        return "—"
    return f"{op.rank} {w['of']} {op.ranked} {w['ranked_projects']}"


def _changes(op: Opinion) -> list[Block]:
    ch = op.changes
    if ch is None:
        return []
    w, lang = _w(op.lang), op.lang

    def s(v):
        if v is None:
            return "—"
        return numfmt.amount(v, lang) if methods.get(op.identification.method).card else numfmt.number(v, 3, lang)

    rows = [[w["score"], s(ch.score_old), s(ch.score_new)],
            [w["rank"], "—" if ch.rank_old is None else str(ch.rank_old), "—" if ch.rank_new is None else str(ch.rank_new)],
            [w["recommendation"], ch.recommendation_old.label(lang) if ch.recommendation_old else "—",
             ch.recommendation_new.label(lang)]]
    return [Block("heading", w["changes"], level=1), Block("para", ch.text),
            Block("table", headers=[w["item"], w["before"], w["now"]], rows=rows, widths=[2, 1.5, 1.5])]


def opinion_blocks(op: Opinion, level: int = 1, standalone: bool = True) -> list[Block]:
    """The blocks of one opinion; ``level`` is the heading level of its numbered sections."""
    lang = op.lang
    w = _w(lang)
    idn = op.identification
    out: list[Block] = []
    if standalone:
        out.append(Block("title", w["title"]))
        out.append(Block("subtitle", f"{idn.project_id} — {idn.project_title}", bold=True))
        out.append(Block("kv", rows=[
            [w["partnership"], idn.partnership], [w["voivodeship"], idn.voivodeship or "—"],
            [w["project"], f"{idn.project_id} — {idn.project_title}"], [w["advisor"], idn.advisor or "—"],
            [w["date"], idn.date.isoformat() if idn.date else "—"],
            [w["recommendation"], op.recommendation_label.upper()]], widths=[1.3, 3.7]))
    else:
        out.append(Block("heading", f"{idn.project_id} — {idn.project_title}", level=level - 1 if level > 1 else 1))
    for b in _changes(op):
        b.level = level
        out.append(b)

    def h(key: str, number: str, lvl: int = level) -> Block:
        return Block("heading", f"{number} {w[key]}", level=lvl)

    # 1. project information
    out.append(h("s1", "1."))
    funding = "; ".join(f"{f.source}" + (f": {numfmt.money(f.amount, lang)}" if f.amount is not None else "")
                        for f in idn.funding) or "—"
    out.append(Block("kv", rows=[
        [w["id"], idn.project_id], [w["name"], idn.project_title], [w["lead"], idn.lead_jst or "—"],
        [w["partners"], ", ".join(idn.partners) or "—"],
        [w["cost"], numfmt.money(idn.cost, lang) if idn.cost is not None else "—"],
        [w["funding"], funding], [w["status"], idn.status or "—"], [w["description"], idn.description or "—"]],
        widths=[1.3, 3.7]))

    # 2. overall assessment and recommendation
    out.append(h("s2", "2."))
    kv = [[w["score"], score_text(op)], [w["rank"], rank_text(op)]]
    if op.eligible and op.attainment is not None:
        kv.append([w["attainment"], numfmt.percent(op.attainment, lang)])
    elif not op.eligible:
        kv.append([w["gates"], f"{w['gates_failed']}: " + "; ".join(g.text for g in op.failed_gates)])
    if op.card is not None:
        c = op.card
        kv.append([w["card"], f"{numfmt.amount(c.points, lang)} / {numfmt.amount(c.max_points, lang)} {w['points']}"
                   f" ({w['passed'] if c.passed else w['failed']})"])
    kv += [[w["recommendation"], op.recommendation_label.upper()], [w["rule"], op.decided_by.text]]
    out.append(Block("kv", rows=kv, widths=[1.3, 3.7]))
    out.append(Block("para", op.decision_text))
    if len(op.rules_applied) > 1:
        out.append(Block("para", w["rules_applied"] + ":", bold=True))
        out.append(Block("bullets", items=[r.text for r in op.rules_applied]))
    if op.groups:
        rows = [[g.label, numfmt.number(g.weight, 3, lang), numfmt.number(g.contribution or 0, 3, lang),
                 w["n_a"] if g.percent is None else numfmt.percent(g.percent / 100, lang),
                 "—" if g.minimum_percent is None else numfmt.percent(g.minimum_percent / 100, lang)]
                for g in op.groups]
        out.append(Block("table", headers=[w["group"], w["weight"], w["group_contribution"], w["group_pct"], w["minimum"]],
                         rows=rows, widths=[2.4, 1, 1, 1.2, 1]))

    # 3. by criterion
    out.append(h("s3", "3."))
    if op.eligible:
        out.append(Block("small", w["s3_note"]))
    rows = [[a.group_label, a.label, a.value_text, a.descriptor or "—", numfmt.number(a.weight, 3, lang),
             "—" if a.contribution is None else
             f"{numfmt.number(a.contribution, 3, lang)} ({numfmt.percent(a.attainment or 0.0, lang)})",
             a.comment or ""]
            for a in op.criteria]
    out.append(Block("table", headers=[w["group"], w["criterion"], w["assessment"], w["level"], w["weight"],
                                       w["contribution"], w["comment"]], rows=rows,
                     widths=[1.1, 1.5, 1.1, 2.6, 0.7, 0.7, 2.2]))

    # 4, 5. strengths, weaknesses
    out.append(h("s4", "4."))
    if not op.eligible:
        out.append(Block("para", w["not_scored"]))
    else:
        out.append(Block("bullets", items=[p.text for p in op.strengths]) if op.strengths
                   else Block("para", w["no_strengths"]))
    out.append(h("s5", "5."))
    out.append(Block("bullets", items=[p.text for p in op.weaknesses]) if op.weaknesses
               else Block("para", w["no_weaknesses"]))

    # 6. robustness
    out.append(h("s6", "6."))
    if not op.eligible or op.rank is None:
        out.append(Block("para", w["not_scored" if not op.eligible else "not_ranked"]))
    else:
        out.append(Block("para", op.robustness.text if op.robustness else w["no_robustness"]))

    # 7. conditions, 8. notes
    out.append(h("s7", "7."))
    out.append(h("s71", "7.1.", level + 1))
    out.append(Block("bullets", items=list(op.conditions)) if op.conditions else Block("para", w["none"]))
    out.append(h("s72", "7.2.", level + 1))
    out.append(Block("advisor", op.advisor.recommendations, placeholder=w["ph_recs"]))
    out.append(h("s8", "8."))
    out.append(Block("advisor", op.advisor.notes, placeholder=w["ph_notes"]))
    if standalone:
        out.append(Block("signature", headers=[w["place_date"], w["signature"]]))
        out.append(Block("small", f"{w['provenance']}: {w['engine']} {idn.engine}; {w['hash']} {idn.input_hash}; "
                                  f"{w['method']}: {op.score_label}."))
    return out


def footer_text(engine: str, hash_: str, lang: str) -> str:
    return _w(lang)["footer"].format(engine=engine, hash=hash_)


def bundle_blocks(bundle: OpinionBundle) -> list[Block]:
    lang = bundle.lang
    w = _w(lang)
    out = [Block("title", w["bundle_title"]), Block("subtitle", f"{w['bundle_sub']}: {bundle.partnership}", bold=True),
           Block("kv", rows=[[w["partnership"], bundle.partnership], [w["voivodeship"], bundle.voivodeship or "—"],
                             [w["advisor"], bundle.advisor or "—"],
                             [w["date"], bundle.date.isoformat() if bundle.date else "—"]], widths=[1.3, 3.7]),
           Block("small", w["bundle_note"]),
           Block("heading", w["summary"], level=1)]
    headers = ["Lp.", w["rank"], "ID", w["project"], w["score"], w["recommendation"]]
    if bundle.top_k:
        headers.append(w["top"].format(k=w["topk"][bundle.top_k]))
    rows = []
    for n, s in enumerate(bundle.summary, 1):
        score = "—" if s.score is None else (numfmt.amount(s.score, lang) if methods.get(bundle.method).card
                                              else numfmt.number(s.score, 3, lang))
        row = [str(n), "—" if s.rank is None else str(s.rank), s.project_id, s.title, score, s.recommendation_label]
        if bundle.top_k:
            row.append("—" if s.share_top_k is None else numfmt.percent(s.share_top_k, lang))
        rows.append(row)
    out.append(Block("table", headers=headers, rows=rows,
                     widths=[0.4, 0.7, 0.6, 3.2, 0.8, 1.4] + ([0.9] if bundle.top_k else [])))
    for op in bundle.opinions:
        out.append(Block("pagebreak"))
        out.extend(opinion_blocks(op, level=2, standalone=False))
    out.append(Block("small", f"{w['provenance']}: {w['engine']} {bundle.engine}; {w['hash']} {bundle.input_hash}."))
    return out
