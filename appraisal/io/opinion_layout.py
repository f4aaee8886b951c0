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
from ..criteria import i18n
from ..criteria.i18n import _, pgettext
from ..opinions import Opinion, OpinionBundle


def words() -> dict[str, str]:
    """The words of an opinion document (headings, labels, notes) in the current language.

    Short labels are translated in the context ``document`` (the same English word may read otherwise in a
    workbook or on the terminal); sentences are plain messages."""
    return {
        "title": pgettext("document", "Advisory opinion — Component II"),
        "bundle_title": pgettext("document", "Advisory opinions — Component II"),
        "bundle_sub": pgettext("document", "The partnership's package of key projects"),
        "package": pgettext("document", "Package of key projects"),
        "partnership": pgettext("document", "Partnership"),
        "voivodeship": pgettext("document", "Voivodeship"),
        "project": pgettext("document", "Project"),
        "advisor": pgettext("document", "Partnership advisor"),
        "date": pgettext("document", "Date of the opinion"),
        "recommendation": pgettext("document", "Recommendation"),
        "changes": pgettext("document", "Changes since the previous version"),
        "item": pgettext("document", "Item"),
        "before": pgettext("document", "Before"),
        "now": pgettext("document", "Now"),
        "score": pgettext("document", "Overall score"),
        "rank": pgettext("document", "Rank in the package"),
        "s1": pgettext("document", "Project information"),
        "s2": pgettext("document", "Overall assessment and recommendation"),
        "s3": pgettext("document", "Assessment by criterion"),
        "s4": pgettext("document", "Strengths"),
        "s5": pgettext("document", "Weaknesses and risks"),
        "s6": pgettext("document", "Robustness of the assessment"),
        "s7": pgettext("document", "Conditions and recommendations"),
        "s71": pgettext("document", "Conditions from the appraisal rules"),
        "s72": pgettext("document", "Advisor's recommendations"),
        "s8": pgettext("document", "Advisor's notes"),
        "id": pgettext("document", "Identifier"),
        "name": pgettext("document", "Project title"),
        "lead": pgettext("document", "Lead (JST)"),
        "partners": pgettext("document", "Partners"),
        "cost": pgettext("document", "Total cost"),
        "funding": pgettext("document", "Funding sources"),
        "status": pgettext("document", "Preparation status"),
        "description": pgettext("document", "Description"),
        "attainment": pgettext("document", "Attainment of the criteria"),
        "card": pgettext("document", "Selection card"),
        "points": pgettext("document", "pts"),
        "passed": pgettext("document", "passes"),
        "failed": pgettext("document", "fails"),
        "rule": pgettext("document", "Deciding rule"),
        "rules_applied": pgettext("document", "Rules applied"),
        "gates": pgettext("document", "Admissibility gates"),
        "gates_failed": pgettext("document", "not met"),
        "group": pgettext("document", "Group"),
        "weight": pgettext("document", "Weight"),
        "contribution": pgettext("document", "Contribution (value)"),
        "group_contribution": pgettext("document", "Contribution"),
        "group_pct": pgettext("document", "% of group weight"),
        "minimum": pgettext("document", "Minimum"),
        "criterion": pgettext("document", "Criterion"),
        "assessment": pgettext("document", "Assessment"),
        "level": pgettext("document", "Level descriptor"),
        "comment": pgettext("document", "Advisor's comment"),
        "number": pgettext("document", "No."),
        "project_id": pgettext("document", "ID"),
        "s3_note": _("A criterion's value (0–100 %) is read on the criterion's own yardstick from the criteria set "
                     "(its scale's level, or its reference levels: neutral = 0 %, good = 100 %), whatever the other "
                     "projects of the package. Contribution = global weight × value; the contributions sum to the "
                     "attainment."),
        "no_strengths": _("No criterion reaches half of its scale."),
        "no_weaknesses": _("No criterion is below half of its scale."),
        "not_scored": _("Not applicable — the project fails an admissibility gate and was not scored or ranked."),
        "not_ranked": _("Not applicable — the only project of the package that passes the gates; without other projects "
                        "to compare with it has no rank."),
        "n_a": pgettext("document", "not applicable"),
        "no_robustness": _("No robustness analysis was run."),
        "none": pgettext("document", "None."),
        "ph_recs": _("[Space for the advisor's conditions and recommendations. Text written in this section is kept "
                     "when the opinion is generated again.]"),
        "ph_notes": _("[Space for the advisor's notes. Text written in this section is kept when the opinion is "
                      "generated again.]"),
        "place_date": pgettext("document", "Place, date"),
        "signature": pgettext("document", "Signature of the partnership advisor"),
        "provenance": pgettext("document", "Document record"),
        "engine": pgettext("document", "Engine version"),
        "hash": pgettext("document", "Input hash"),
        "method": pgettext("document", "Appraisal method"),
        "summary": pgettext("document", "Summary of recommendations"),
        "bundle_note": _("A collection for reading; advisors write their notes in each project's own opinion file (only "
                         "those are read back when the opinions are generated again)."),
    }


def words_in(lang: str | None) -> dict[str, str]:
    """:func:`words` in ``lang`` (None: the current language)."""
    with i18n.use(lang):
        return words()


#: the advisor's sections: (heading key, text field, placeholder key)
ADVISOR_SECTIONS = (("s72", "recommendations", "ph_recs"), ("s8", "notes", "ph_notes"))


def heading_titles(key: str) -> set[str]:
    """The heading text of a section in every language (numbers stripped), to find it in a document."""
    return {words_in(lang)[key] for lang in i18n.LANGUAGES}


def generated_titles() -> set[str]:
    """Every heading title the generator writes (numbers stripped), in every language."""
    keys = ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s71", "s72", "s8", "changes", "summary")
    return {words_in(lang)[k] for lang in i18n.LANGUAGES for k in keys}


def placeholders() -> set[str]:
    return {words_in(lang)[k] for lang in i18n.LANGUAGES for k in ("ph_recs", "ph_notes")}


def every_language(key: str) -> set[str]:
    """The word ``key`` of :func:`words` in every language (to recognise it in a document)."""
    return {words_in(lang)[key] for lang in i18n.LANGUAGES}


@dataclass
class Block:
    kind: str  # title, subtitle, heading, para, bullets, table, kv, advisor, signature, pagebreak, small
    text: str = ""
    level: int = 1
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    bold: bool = False
    #: the least width of each column in cm (None: by its content alone); a table's widths are chosen by
    #: its content (every column at least as wide as its longest word) and fill the text width
    min_widths: list[float | None] | None = None
    placeholder: str = ""
    #: a table's group rows: (index of the row they come before, the group's title), one cell across the table
    groups: list[tuple[int, str]] = field(default_factory=list)
    #: the text of the page header from this block on (a ``pagebreak`` starting a project's opinion)
    header: str = ""


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
                   rows=[[clean_text(t) for t in row] for row in b.rows], placeholder=clean_text(b.placeholder),
                   groups=[(k, clean_text(t)) for k, t in b.groups], header=clean_text(b.header))


def _card(op: Opinion) -> bool:
    return methods.get(op.identification.method).card


def score_text(op: Opinion) -> str:
    """The overall score as the opinion states it: ``0,482 — TOPSIS (…)``, or ``61 pkt`` for a card."""
    with i18n.use(op.lang):
        if op.score is None:
            return "—"
        if _card(op):
            return f"{numfmt.amount(op.score)} {words()['points']}"
        return f"{numfmt.number(op.score, 3)} — {op.score_label}"


def rank_text(op: Opinion) -> str:
    """``2 of 7 ranked projects`` (``2 z 7 ocenionych projektów``), or a dash for a project without a rank."""
    with i18n.use(op.lang):
        if op.rank is None:
            return "—"
        return _("{rank} of {ranked} ranked projects").format(rank=op.rank, ranked=op.ranked)


def _changes(op: Opinion) -> list[Block]:
    ch = op.changes
    if ch is None:
        return []
    w = words()

    def s(v):
        if v is None:
            return "—"
        return numfmt.amount(v) if _card(op) else numfmt.number(v, 3)

    rows = [[w["score"], s(ch.score_old), s(ch.score_new)],
            [w["rank"], "—" if ch.rank_old is None else str(ch.rank_old), "—" if ch.rank_new is None else str(ch.rank_new)],
            [w["recommendation"], ch.recommendation_old.label(op.lang) if ch.recommendation_old else "—",
             ch.recommendation_new.label(op.lang)]]
    return [Block("heading", w["changes"], level=1), Block("para", ch.text),
            Block("table", headers=[w["item"], w["before"], w["now"]], rows=rows)]


def _numbered_criteria(op: Opinion) -> tuple[list[str], list[tuple[int, str]]]:
    """Each criterion's number (``2.3``: the third criterion of the second group) and the group rows."""
    numbers, groups, order = [], [], {}
    count: dict[str, int] = {}
    for k, a in enumerate(op.criteria):
        if a.group not in order:
            order[a.group] = len(order) + 1
            groups.append((k, f"{order[a.group]}. {a.group_label}"))
        count[a.group] = count.get(a.group, 0) + 1
        numbers.append(f"{order[a.group]}.{count[a.group]}")
    return numbers, groups


def opinion_blocks(op: Opinion, level: int = 1, standalone: bool = True) -> list[Block]:
    """The blocks of one opinion, in the opinion's language; ``level`` is the heading level of its
    numbered sections."""
    with i18n.use(op.lang):
        return _opinion_blocks(op, level, standalone)


def _opinion_blocks(op: Opinion, level: int, standalone: bool) -> list[Block]:
    w = words()
    idn = op.identification
    out: list[Block] = []
    if standalone:
        out.append(Block("title", w["title"]))
        out.append(Block("subtitle", f"{idn.project_id} — {idn.project_title}", bold=True))
        out.append(Block("kv", rows=[
            [w["partnership"], idn.partnership], [w["voivodeship"], idn.voivodeship or "—"],
            [w["project"], f"{idn.project_id} — {idn.project_title}"], [w["advisor"], idn.advisor or "—"],
            [w["date"], idn.date.isoformat() if idn.date else "—"],
            [w["recommendation"], op.recommendation_label.upper()]]))
    else:
        out.append(Block("heading", f"{idn.project_id} — {idn.project_title}", level=level - 1 if level > 1 else 1))
    for b in _changes(op):
        b.level = level
        out.append(b)

    def h(key: str, number: str, lvl: int = level) -> Block:
        return Block("heading", f"{number} {w[key]}", level=lvl)

    # 1. project information
    out.append(h("s1", "1."))
    funding = "; ".join(f"{f.source}" + (f": {numfmt.money(f.amount)}" if f.amount is not None else "")
                        for f in idn.funding) or "—"
    out.append(Block("kv", rows=[
        [w["id"], idn.project_id], [w["name"], idn.project_title], [w["lead"], idn.lead_jst or "—"],
        [w["partners"], ", ".join(idn.partners) or "—"],
        [w["cost"], numfmt.money(idn.cost) if idn.cost is not None else "—"],
        [w["funding"], funding], [w["status"], idn.status or "—"], [w["description"], idn.description or "—"]]))

    # 2. overall assessment and recommendation
    out.append(h("s2", "2."))
    kv = [[w["score"], score_text(op)], [w["rank"], rank_text(op)]]
    if op.eligible and op.attainment is not None:
        kv.append([w["attainment"], numfmt.percent(op.attainment)])
    elif not op.eligible:
        kv.append([w["gates"], f"{w['gates_failed']}: " + "; ".join(g.text for g in op.failed_gates)])
    if op.card is not None:
        c = op.card
        kv.append([w["card"], f"{numfmt.amount(c.points)} / {numfmt.amount(c.max_points)} {w['points']}"
                   f" ({w['passed'] if c.passed else w['failed']})"])
    kv += [[w["recommendation"], op.recommendation_label.upper()], [w["rule"], op.decided_by.text]]
    out.append(Block("kv", rows=kv))
    out.append(Block("para", op.decision_text))
    if len(op.rules_applied) > 1:
        out.append(Block("para", w["rules_applied"] + ":", bold=True))
        out.append(Block("bullets", items=[r.text for r in op.rules_applied]))
    if op.groups:
        rows = [[g.label, numfmt.number(g.weight, 3), numfmt.number(g.contribution or 0, 3),
                 w["n_a"] if g.percent is None else numfmt.percent(g.percent / 100),
                 "—" if g.minimum_percent is None else numfmt.percent(g.minimum_percent / 100)]
                for g in op.groups]
        out.append(Block("table", headers=[w["group"], w["weight"], w["group_contribution"], w["group_pct"],
                                           w["minimum"]], rows=rows))

    # 3. by criterion: a row per criterion under its group's row
    out.append(h("s3", "3."))
    if op.eligible:
        out.append(Block("small", w["s3_note"]))
    numbers, groups = _numbered_criteria(op)
    rows = [[n, a.label, a.value_text, a.descriptor or "—", numfmt.number(a.weight, 3),
             "—" if a.contribution is None else
             f"{numfmt.number(a.contribution, 3)} ({numfmt.percent(a.attainment or 0.0)})",
             a.comment or ""]
            for n, a in zip(numbers, op.criteria)]
    out.append(Block("table", headers=[w["number"], w["criterion"], w["assessment"], w["level"], w["weight"],
                                       w["contribution"], w["comment"]], rows=rows, groups=groups,
                     min_widths=[None, None, None, None, None, None, 2.8]))  # room for the advisor's comment

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


def footer_text(engine: str, hash_: str, lang: str | None = None) -> str:
    """The provenance line of every page's footer."""
    with i18n.use(lang):
        return _("Opinion generated by {engine}; inputs {hash}. Sections 7.2 and 8 are the advisor's.").format(
            engine=engine, hash=hash_)


def page_text(lang: str | None = None) -> str:
    """The page number line of the footer, with the fields ``{page}`` and ``{pages}``: ``Strona {page} z
    {pages}``."""
    with i18n.use(lang):
        return _("Page {page} of {pages}")


def header_text(op: Opinion) -> str:
    """The page header of an opinion: the partnership and the project."""
    idn = op.identification
    return f"{idn.partnership} · {idn.project_id} — {idn.project_title}"


def bundle_header_text(bundle: OpinionBundle) -> str:
    """The page header of the bundle's summary: the partnership and the package."""
    return f"{bundle.partnership} · {words_in(bundle.lang)['package']}"


def _top_k_header(k: int) -> str:
    if k == 1:
        return _("In first place (SMAA)")
    if k == 2:
        return _("In the top 2 (SMAA)")
    if k == 3:
        return _("In the top 3 (SMAA)")
    return _("In the top {k} (SMAA)").format(k=k)


def bundle_blocks(bundle: OpinionBundle) -> list[Block]:
    """The bundle: a summary page (the package's projects, their rank, score, recommendation and the rule
    that decided it), then each project's opinion from a new page."""
    with i18n.use(bundle.lang):
        return _bundle_blocks(bundle)


def _bundle_blocks(bundle: OpinionBundle) -> list[Block]:
    w = words()
    card = methods.get(bundle.method).card
    out = [Block("title", w["bundle_title"]), Block("subtitle", f"{w['bundle_sub']}: {bundle.partnership}", bold=True),
           Block("kv", rows=[[w["partnership"], bundle.partnership], [w["voivodeship"], bundle.voivodeship or "—"],
                             [w["advisor"], bundle.advisor or "—"],
                             [w["date"], bundle.date.isoformat() if bundle.date else "—"]]),
           Block("small", w["bundle_note"]),
           Block("heading", w["summary"], level=1)]
    headers = [w["number"], w["rank"], w["project_id"], w["project"], w["score"], w["recommendation"], w["rule"]]
    if bundle.top_k:
        headers.append(_top_k_header(bundle.top_k))
    rules = {o.identification.project_id: o.decided_by.text for o in bundle.opinions}
    rows = []
    for n, s in enumerate(bundle.summary, 1):
        score = "—" if s.score is None else (numfmt.amount(s.score) if card else numfmt.number(s.score, 3))
        row = [str(n), "—" if s.rank is None else str(s.rank), s.project_id, s.title, score, s.recommendation_label,
               rules.get(s.project_id, "—")]
        if bundle.top_k:
            row.append("—" if s.share_top_k is None else numfmt.percent(s.share_top_k))
        rows.append(row)
    out.append(Block("table", headers=headers, rows=rows))
    for op in bundle.opinions:
        out.append(Block("pagebreak", header=header_text(op)))
        out.extend(opinion_blocks(op, level=2, standalone=False))
    out.append(Block("small", f"{w['provenance']}: {w['engine']} {bundle.engine}; {w['hash']} {bundle.input_hash}."))
    return out
