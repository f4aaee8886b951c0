"""Plain-text tables for the terminal (Polish or English headings)."""

from __future__ import annotations

from .. import methods
from ..ahp import GCI_TABLE_NAME, RI_TABLE_NAME, AHPResult

WORDS = {
    "en": {
        "rank": "Rank", "id": "ID", "project": "Project", "score": "Score", "criterion": "Criterion",
        "weight": "Weight", "group": "Group", "direction": "Dir", "benefit": "benefit", "cost": "cost",
        "consistent": "consistent", "inconsistent": "INCONSISTENT", "ineligible": "Not ranked (failed gates)",
        "revisit": "Judgments to revisit (given → consistent value, nearest on Saaty's scale, CR with that one change):",
        "panel": "Experts", "expert": "Expert", "points": "Points", "bonus": "Bonus", "total": "Total",
        "passed": "Passed", "yes": "yes", "no": "NO", "reasons": "Why not", "threshold": "threshold",
        "weights": "Weights", "criteria": "Criteria (global weights)", "method": "Method",
        "normalization": "normalization", "gates": "Gates", "equal": "equal weights", "direct": "direct weights",
        "scale": "Scale", "unit": "unit", "levels": "levels", "card": "Selection card",
        "lower_better": "lower is better", "reference_levels": "reference levels", "neutral": "neutral",
        "good": "good",
    },
    "pl": {
        "rank": "Miejsce", "id": "ID", "project": "Projekt", "score": "Wynik", "criterion": "Kryterium",
        "weight": "Waga", "group": "Grupa", "direction": "Kier.", "benefit": "korzyść", "cost": "koszt",
        "consistent": "spójna", "inconsistent": "NIESPÓJNA", "ineligible": "Nieocenione (niespełnione kryteria dostępowe)",
        "revisit": "Oceny do ponownego rozważenia (podana → spójna wartość, najbliższa na skali Saaty'ego, CR po tej jednej zmianie):",
        "panel": "Eksperci", "expert": "Ekspert", "points": "Punkty", "bonus": "Premia", "total": "Razem",
        "passed": "Spełnia", "yes": "tak", "no": "NIE", "reasons": "Powód", "threshold": "próg",
        "weights": "Wagi", "criteria": "Kryteria (wagi globalne)", "method": "Metoda",
        "normalization": "normalizacja", "gates": "Kryteria dostępowe", "equal": "wagi równe",
        "direct": "wagi bezpośrednie", "scale": "Skala", "unit": "jedn.", "levels": "poziomy",
        "card": "Karta oceny", "lower_better": "niższy = lepszy", "reference_levels": "poziomy odniesienia",
        "neutral": "neutralny", "good": "dobry",
    },
}


def _w(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


def table(headers: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A simple aligned table; ``align`` is a string of 'l'/'r' per column."""
    cols = len(headers)
    align = align or "l" * cols
    widths = [len(h) for h in headers]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))

    def line(cells: list[str]) -> str:
        out = []
        for i, c in enumerate(cells):
            out.append(c.rjust(widths[i]) if align[i] == "r" else c.ljust(widths[i]))
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def clip(text: str | None, width: int = 48) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


_AHP_WORDS = {
    "en": {"aip": "λmax, CI, CR{gci} are those of the AIJ matrix (weighted geometric mean of the judgments); "
                  "the weights are the experts' averaged priorities (AIP)",
           "aij_short": "of the AIJ matrix"},
    "pl": {"aip": "λmax, CI, CR{gci} dotyczą macierzy AIJ (ważonej średniej geometrycznej ocen); "
                  "wagi to uśrednione priorytety ekspertów (AIP)",
           "aij_short": "macierzy AIJ"},
}


def _aw(lang: str, key: str) -> str:
    return _AHP_WORDS.get(lang, _AHP_WORDS["en"])[key]


def _gci_text(gci: float, threshold: float | None, lang: str, source: bool = True) -> str:
    """``GCI = 0.1234 (consistent; GCI ≤ 0.37, Aguarón & Moreno-Jiménez (2003))``."""
    ok = threshold is None or gci <= threshold
    flag = _w(lang, "consistent") if ok else _w(lang, "inconsistent")
    limit = "" if threshold is None else f"; GCI ≤ {threshold:.2f}"
    src = f", {GCI_TABLE_NAME}" if source else ""
    return f"GCI = {gci:.4f} ({flag}{limit}{src})"


def render_ahp(res: AHPResult, lang: str = "en", title: str | None = None) -> str:
    out = []
    if title:
        out.append(title)
    rows = [[name, f"{w:.4f}"] for name, w in zip(res.names, res.weights)]
    out.append(table([_w(lang, "criterion"), _w(lang, "weight")], rows, "lr"))
    flag = _w(lang, "consistent") if res.consistent else _w(lang, "inconsistent")
    agg = f" [{res.aggregation.upper()}]" if res.experts else ""
    out.append(f"{res.method}{agg}: λmax = {res.lambda_max:.4f}, CI = {res.ci:.4f}, CR = {res.cr:.4f} "
               f"({flag}; CR ≤ 0.10; RI: {RI_TABLE_NAME})")
    if res.gci is not None:
        out.append(_gci_text(res.gci, res.gci_threshold, lang))
    if res.experts and res.aggregation == "aip":
        out.append(_aw(lang, "aip").format(gci=", GCI" if res.gci is not None else ""))
    if res.diagnostics:
        out.append(_w(lang, "revisit"))
        for d in res.diagnostics:
            out.append(f"  {d.row} vs {d.column}: {_num(d.given)} → {d.consistent:.2f} (≈ {_num(d.nearest_saaty)}; "
                       f"CR {d.cr_if_changed:.3f})")
    if res.experts:
        out.append(_w(lang, "panel") + ":")
        with_gci = res.gci is not None
        rows = [[e.name, f"{e.weight:.3f}", f"{e.result.cr:.4f}",
                 _w(lang, "consistent") if e.result.consistent else _w(lang, "inconsistent"),
                 *([f"{e.result.gci:.4f}"] if with_gci else []),
                 " ".join(f"{w:.3f}" for w in e.result.weights)] for e in res.experts]
        heads = [_w(lang, "expert"), _w(lang, "weight"), "CR", "", *(["GCI"] if with_gci else []),
                 _w(lang, "weights")]
        out.append(table(heads, rows, "lrrl" + ("r" if with_gci else "") + "l"))
    return "\n".join(out)


def _num(v: float) -> str:
    if v >= 1:
        return f"{v:g}" if abs(v - round(v)) < 1e-9 else f"{v:.3g}"
    inv = 1 / v
    return f"1/{round(inv)}" if abs(inv - round(inv)) < 1e-6 else f"{v:.3g}"


def render_ranking(rk, lang: str = "en") -> str:
    """The ranking table, then the ineligible projects (and the card, when there is one)."""
    out = []
    method = rk.method.upper() + (f" ({_w(lang, 'normalization')}: {rk.normalization})" if rk.normalization else "")
    head = f"{rk.partnership} — " if rk.partnership else ""
    out.append(f"{head}{_w(lang, 'method')}: {method}")
    cross = list(rk.results[0].cross_check) if rk.results else []
    headers = [_w(lang, "rank"), _w(lang, "id")]
    align = "rl"
    has_titles = any(r.title for r in rk.results)
    if has_titles:
        headers.append(_w(lang, "project"))
        align += "l"
    entry = methods.get(rk.method)
    card = entry.card
    score_head = _w(lang, "score") + ("" if entry.higher_is_better else f" ({_w(lang, 'lower_better')})")
    headers.append(_w(lang, "points") if card else score_head)
    align += "r"
    if card:
        headers.append(_w(lang, "passed"))
        align += "l"
    for c in cross:
        headers += [c, "#"]
        align += "rr"
    rows = []
    for r in rk.results:
        row = [str(r.rank), r.id]
        if has_titles:
            row.append(clip(r.title))
        row.append(f"{r.score:g}" if card else f"{r.score:.4f}")
        if card and r.card is not None:
            row.append(_w(lang, "yes") if r.card.passed else _w(lang, "no"))
        for c in cross:
            row += [f"{r.cross_check[c].score:.4f}", str(r.cross_check[c].rank)]
        rows.append(row)
    out.append(table(headers, rows, align))
    if rk.card is not None and any(r.card for r in rk.results):
        info = rk.card
        thr = "—" if info.get("threshold") is None else f"{info['threshold']:g}"
        out.append("")
        out.append(f"{_w(lang, 'card')}: max {info['max_points']:g} + {_w(lang, 'bonus').lower()} "
                   f"{info['max_bonus']:g}; {_w(lang, 'threshold')} {thr}")
        crows = [[r.id, f"{r.card.base:g}",
                  f"{r.card.bonus:g}" if r.card.total == r.card.base + r.card.bonus else f"({r.card.bonus:g})",
                  f"{r.card.total:g}",
                  _w(lang, "yes") if r.card.passed else _w(lang, "no"), "; ".join(r.card.reasons)]
                 for r in rk.results if r.card is not None]
        out.append(table([_w(lang, "id"), _w(lang, "points"), _w(lang, "bonus"), _w(lang, "total"),
                          _w(lang, "passed"), _w(lang, "reasons")], crows, "lrrrll"))
    if rk.ineligible:
        out.append("")
        out.append(_w(lang, "ineligible") + ":")
        for i in rk.ineligible:
            gates = "; ".join(f"{g.id} ({g.label})" for g in i.failed_gates)
            out.append(f"  {i.id} {clip(i.title, 40)}: {gates}")
    return "\n".join(out)


def render_weights_report(rk, lang: str = "en") -> str:
    """Each group's local weights with their consistency, then the leaves' global weights."""
    out = []
    for g in rk.weights:
        how = g.how if g.how == "pairwise" else _w(lang, g.how)
        line = f"{g.group} ({clip(g.label, 40)}) — {how}"
        if g.how == "pairwise":
            flag = _w(lang, "consistent") if g.consistent else _w(lang, "inconsistent")
            panel = f", {len(g.experts)} experts {g.aggregation.upper()}" if g.experts else ""
            line += f"{panel}: λmax = {g.lambda_max:.4f}, CI = {g.ci:.4f}, CR = {g.cr:.4f} ({flag})"
            if g.gci is not None:
                line += ", " + _gci_text(g.gci, g.gci_threshold, lang, source=False)
            if g.experts and g.aggregation == "aip":
                line += f" — {_aw(lang, 'aij_short')}"
        out.append(line)
        out.append("   " + ", ".join(f"{k} {v:.3f}" for k, v in g.weights.items()))
        for e in g.experts:
            flag = _w(lang, "consistent") if e.consistent else _w(lang, "inconsistent")
            out.append(f"   · {e.file}: CR = {e.cr:.4f} ({flag})")
        for d in g.revisit:
            out.append(f"   ! {d.row} vs {d.column}: {_num(d.given)} → {d.consistent_value:.2f} "
                       f"(≈ {_num(d.nearest_saaty)}; CR {d.cr_if_changed:.3f})")
    out.append("")
    out.append(_w(lang, "criteria") + ":")
    rows = [[c.id, clip(c.label, 44), c.group or "", _w(lang, c.direction), f"{c.weight:.4f}"] for c in rk.criteria]
    out.append(table([_w(lang, "criterion"), "", _w(lang, "group"), _w(lang, "direction"), _w(lang, "weight")],
                     rows, "lllll"[:4] + "r"))
    return "\n".join(out)


def render_criteria(cs, lang: str = "en") -> str:
    """A criteria set as an indented tree with scales and level descriptors, then the gates."""
    out = [f"{cs.id}: {cs.label.get(lang)} (version {cs.version})"]
    if cs.description:
        out.append(cs.description.get(lang))

    def weighting(g) -> str:
        if g.pairwise:
            n = len(g.pairwise)
            return f"AHP pairwise ({n} expert{'s' if n > 1 else ''}, {g.method})"
        if g.weights is not None:
            return "weights " + ", ".join(f"{k}={v:g}" for k, v in g.weights.items())
        return _w(lang, "equal")

    def leaf(c, pad: str) -> None:
        unit = f", {c.unit}" if c.unit else ""
        extra = f", min {c.minimum:g}" if c.minimum is not None else ""
        out.append(f"{pad}{c.id}: {c.label.get(lang)} ({_w(lang, c.direction)}, {c.kind}{unit}{extra})")
        if c.scale:
            for lv in reversed(c.scale.levels):
                share = "" if lv.attainment is None else f" [{100 * lv.attainment:g} %]"
                out.append(f"{pad}    {lv.value:g}{share} — {clip(lv.descriptor.get(lang), 100)}")
        if c.reference is not None:
            ref = c.reference
            words = (_w(lang, "reference_levels"), _w(lang, "neutral"), _w(lang, "good"))
            steps = "".join(f", {b.at:g} → {100 * b.value:g} %" for b in ref.breakpoints)
            out.append(f"{pad}    {words[0]}: {words[1]} {ref.neutral:g} → 0 %{steps}, {words[2]} {ref.good:g} → 100 %")

    def walk(g, depth: int) -> None:
        pad = "  " * depth
        out.append(f"{pad}[{g.id}] {g.label.get(lang)} — {weighting(g)}")
        for sub in g.groups:
            walk(sub, depth + 1)
        for c in g.criteria:
            leaf(c, pad + "  ")

    for g in cs.groups:
        walk(g, 0)
    for c in cs.criteria:
        leaf(c, "  ")
    out.append(f"top level — {weighting(cs)}")
    if cs.bonus:
        out.append(_w(lang, "bonus") + ":")
        for c in cs.bonus:
            leaf(c, "  ")
    if cs.gates:
        out.append(_w(lang, "gates") + ":")
        for gate in cs.gates:
            out.append(f"  {gate.id}: {gate.label.get(lang)}")
    if cs.card is not None:
        thr = (f"{cs.card.threshold_points:g} pts" if cs.card.threshold_points is not None
               else f"{cs.card.threshold_percent:g} %" if cs.card.threshold_percent is not None else "—")
        out.append(f"{_w(lang, 'card')}: {_w(lang, 'threshold')} {thr}")
    return "\n".join(out)


def _interval_text(iv: list) -> str:
    return f"[{iv[0]:.4f}, {iv[1]:.4f}]"


SENSITIVITY_WORDS = {
    "en": {
        "acceptability": "Rank acceptability (SMAA-2):",
        "stability": "Weight stability intervals (top-k = {k}):",
        "no_critical": "No change of a single weight gives another top project.",
        "relative": " ({pct:.1f} % of the weight)",
        "critical": "Critical change: {criterion} {frm:.4f} → {to:.4f}, |Δ| = {absolute:.4f}{rel}, the other weights "
                    "rescaled proportionally, and another project comes first.",
        "ts": "Triantaphyllou & Sánchez (1997) — the weight changed alone, then all renormalised: "
              "δ = {delta:+.4f}, {pct:.1f} % of the weight.",
        "percent_top": "Most critical criterion by that % (percent-top): {criterion}, {frm:.4f} → {to:.4f}, "
                       "{pct:.1f} % of its weight.",
        "methods": "Methods compared at the base weights:",
    },
    "pl": {
        "acceptability": "Akceptowalność miejsc (SMAA-2):",
        "stability": "Przedziały stabilności wag (top-k = {k}):",
        "no_critical": "Żadna zmiana jednej wagi nie zmienia zwycięzcy.",
        "relative": " ({pct:.1f} % wagi)",
        "critical": "Zmiana krytyczna: {criterion} {frm:.4f} → {to:.4f}, |Δ| = {absolute:.4f}{rel}, pozostałe wagi "
                    "przeskalowane proporcjonalnie — zmienia się zwycięzca.",
        "ts": "Triantaphyllou i Sánchez (1997) — zmiana samej wagi, potem normalizacja wszystkich: "
              "δ = {delta:+.4f}, {pct:.1f} % wagi.",
        "percent_top": "Kryterium najbardziej krytyczne wg tej miary (percent-top): {criterion}, {frm:.4f} → "
                       "{to:.4f}, {pct:.1f} % jego wagi.",
        "methods": "Porównanie metod przy wagach bazowych:",
    },
}


def render_sensitivity(rep, lang: str = "en") -> str:
    """The sensitivity report (a SensitivityReport or its JSON) as compact tables."""
    if hasattr(rep, "to_json_dict"):
        rep = rep.to_json_dict()
    w = SENSITIVITY_WORDS.get(lang, SENSITIVITY_WORDS["en"])
    out = []
    norm = f" ({rep['normalization']})" if methods.get(rep["method"]).normalizations else ""
    sampler = rep["sampler"] + (f", concentration {rep['concentration']:g}" if rep.get("concentration") else "") + (
        f", judgment change {rep['judgment_change']:g}" if rep.get("judgment_change") is not None else "")
    unc = ""
    if rep["score_change"] or rep["quantity_change"]:
        unc = f"; scores ±1 level p={rep['score_change']:g}, quantities ±{100 * rep['quantity_change']:g} %"
    out.append(f"{rep['method'].upper()}{norm} · {rep['samples']:,} samples, seed {rep['seed']} · weights: "
               f"{sampler}{unc}")
    ids = list(rep["rank_acceptability"])
    m = len(ids)
    show = min(m, 5)
    out.append("")
    out.append(w["acceptability"])
    head = ["ID", *[f"#{r + 1}" for r in range(show)], "E[rank]", "5–95 %", "conf."]
    rows = []
    order = sorted(ids, key=lambda i: rep["expected_rank"][i])
    for i in order:
        acc = rep["rank_acceptability"][i]
        lo, hi = rep["rank_interval_5_95"][i]
        conf = rep["confidence"][i]
        rows.append([i, *[f"{acc[r]:.3f}" for r in range(show)], f"{rep['expected_rank'][i]:.2f}",
                     f"{lo}–{hi}", "—" if conf is None else f"{conf:.2f}"])
    out.append(table(head, rows, "l" + "r" * (show + 3)))
    top, second = order[0], order[1] if m > 1 else None
    if second:
        p = rep["pairwise_winning"][top][second]
        out.append(f"P({top} above {second}) = {p:.3f}")
    out.append("")
    out.append(w["stability"].format(k=rep["top_k"]))
    rows = [[name, e["kind"], f"{e['base']:.4f}", _interval_text(e["ranking"]), _interval_text(e["top"]),
             _interval_text(e["top_k"])] for name, e in rep["stability"].items()]
    out.append(table(["Criterion", "", "Base", "Ranking", "Top project", "Top-k set"], rows, "llrlll"))
    cc = rep["critical_change"]
    out.append("")
    if cc is None:
        out.append(w["no_critical"])
    else:
        rel = "" if cc["relative"] is None else w["relative"].format(pct=100 * cc["relative"])
        out.append(w["critical"].format(criterion=cc["criterion"], frm=cc["from"], to=cc["to"],
                                        absolute=cc["absolute"], rel=rel))
        if cc.get("ts_percent") is not None:
            out.append(w["ts"].format(delta=cc["ts_delta"], pct=cc["ts_percent"]))
        ts = rep.get("critical_change_relative")
        if ts is not None:
            out.append(w["percent_top"].format(criterion=ts["criterion"], frm=ts["from"], to=ts["to"],
                                               pct=ts["ts_percent"]))
    out.append("")
    out.append(w["methods"])
    rows = [[f"{r['a']} vs {r['b']}", "—" if r["spearman"] is None else f"{r['spearman']:.3f}",
             "—" if r["kendall"] is None else f"{r['kendall']:.3f}",
             "yes" if r["same_top"] else "NO"] for r in rep["method_robustness"]]
    out.append(table(["Methods", "Spearman ρ", "Kendall τ", "Same top"], rows, "lrrl"))
    return "\n".join(out)


PORTFOLIO_WORDS = {
    "en": {
        "title": "Portfolio under a budget", "budget": "Budget", "chosen": "Chosen", "not_chosen": "Not chosen",
        "ineligible": "Not eligible for funding", "cost": "Cost (PLN)", "rank": "Rank", "reason": "Why not",
        "total": "Total", "left": "Money left", "sources": "Funding source limits", "limit": "Limit",
        "spent": "Spent", "next": "Next with more money", "none_next": "no project can enter with more money",
        "enter": "enter", "leave": "leave", "extra": "more", "score": "Score", "must": "must be in",
        "exclude": "left out by request", "nothing": "(none)", "source": "Source",
        "why": {"does_not_fit": "does not fit", "excluded": "left out (--exclude)", "failed_gates": "failed gates",
                "failed_card": "does not pass the selection card"},
    },
    "pl": {
        "title": "Portfel projektów w ramach budżetu", "budget": "Budżet", "chosen": "Wybrane",
        "not_chosen": "Niewybrane", "ineligible": "Niekwalifikujące się do finansowania", "cost": "Koszt (PLN)",
        "rank": "Miejsce", "reason": "Powód", "total": "Razem", "left": "Pozostaje", "sources": "Limity źródeł "
        "finansowania", "limit": "Limit", "spent": "Wydane", "next": "Następny przy większym budżecie",
        "none_next": "żaden projekt nie wejdzie przy większym budżecie", "enter": "wchodzą", "leave": "wypadają",
        "extra": "więcej", "score": "Wynik", "must": "obowiązkowo", "exclude": "wyłączone na życzenie",
        "nothing": "(brak)", "source": "Źródło",
        "why": {"does_not_fit": "nie mieści się", "excluded": "wyłączony (--exclude)",
                "failed_gates": "niespełnione kryteria dostępowe", "failed_card": "nie spełnia karty oceny"},
    },
}


def pln(v: float | None) -> str:
    """An amount of PLN with spaces grouping thousands (grosze only when there are any)."""
    if v is None:
        return "—"
    text = f"{v:,.2f}".replace(",", " ")
    return text.removesuffix(".00")


def portfolio_reason(item, lang: str = "en") -> str:
    """Why a project is not in the portfolio, in ``lang`` (the details as given: gate labels, card reasons)."""
    if item.why is None:
        return item.reason or ""
    text = PORTFOLIO_WORDS.get(lang, PORTFOLIO_WORDS["en"])["why"][item.why]
    return text + (f": {'; '.join(item.details)}" if item.details else "")


def render_portfolio(pf, lang: str = "en") -> str:
    """The chosen projects with totals, the left-out and ineligible ones, source limits, the next step."""
    w = PORTFOLIO_WORDS.get(lang, PORTFOLIO_WORDS["en"])
    points = methods.get(pf.method).card
    method = pf.method.upper() + (f" ({_w(lang, 'normalization')}: {pf.normalization})" if pf.normalization else "")
    head = f"{pf.partnership} — " if pf.partnership else ""
    out = [f"{head}{w['title']}: {w['budget'].lower()} {pln(pf.budget)} PLN; {_w(lang, 'method')}: {method}"]
    if pf.must:
        out.append(f"{w['must']}: {', '.join(pf.must)}")
    if pf.exclude:
        out.append(f"{w['exclude']}: {', '.join(pf.exclude)}")

    def fmt(v):
        return "—" if v is None else (f"{v:g}" if points else f"{v:.4f}")

    def rows_of(items, reason: bool):
        return [[str(i.rank) if i.rank is not None else "—", i.id, clip(i.title, 44), pln(i.cost), fmt(i.score)]
                + ([portfolio_reason(i, lang)] if reason else []) for i in items]

    heads = [w["rank"], _w(lang, "id"), _w(lang, "project"), w["cost"], w["score"]]
    out.append("")
    out.append(f"{w['chosen']}:")
    rows = rows_of(pf.chosen, False)
    rows.append(["", w["total"], "", pln(pf.total_cost), fmt(pf.total_score)])
    out.append(table(heads, rows, "rllrr"))
    out.append(f"{w['left']}: {pln(pf.money_left)} PLN")
    if pf.sources:
        out.append("")
        out.append(f"{w['sources']}:")
        out.append(table([w["source"], w["limit"], w["spent"], w["left"]],
                         [[clip(s.source, 60), pln(s.limit), pln(s.spent), pln(s.left)] for s in pf.sources],
                         "lrrr"))
    out.append("")
    out.append(f"{w['not_chosen']}:")
    out.append(table(heads + [w["reason"]], rows_of(pf.not_chosen, True), "rllrrl") if pf.not_chosen
               else f"  {w['nothing']}")
    if pf.ineligible:
        out.append("")
        out.append(f"{w['ineligible']}:")
        for i in pf.ineligible:
            out.append(f"  {i.id} {clip(i.title, 40)}: {portfolio_reason(i, lang)}")
    out.append("")
    if pf.next is None:
        out.append(f"{w['next']}: {w['none_next']}")
    else:
        n = pf.next
        moves = f"{w['enter']} {', '.join(n.enter)}" + (f"; {w['leave']} {', '.join(n.leave)}" if n.leave else "")
        out.append(f"{w['next']}: {w['budget'].lower()} {pln(n.budget)} PLN (+{pln(n.extra)} PLN {w['extra']}): "
                   f"{moves}; {w['score'].lower()} {fmt(n.total_score)}")
    return "\n".join(out)
