"""Plain-text tables for the terminal, in the current language.

Every word goes through the catalogs (:mod:`appraisal.criteria.i18n`; the Polish is in
``criteria/locale/pl/LC_MESSAGES/cli.po``) and every number through :mod:`appraisal.numfmt` (``0,6130``,
``86 000 000 zł`` in Polish). A renderer's ``lang`` (None: the current language) is the language of the
whole text. The short words of the tables carry the context ``table`` (:func:`_w`), so that the same
English word elsewhere may be translated otherwise.
"""

from __future__ import annotations

from .. import methods, numfmt
from ..ahp import GCI_TABLE_NAME, RI_TABLE_NAME, AHPResult
from ..criteria.i18n import _, ngettext, pgettext, use


def _words() -> dict[str, str]:
    """The words of the tables, in the current language."""
    return {
        "rank": pgettext("table", "Rank"), "id": pgettext("table", "ID"), "project": pgettext("table", "Project"),
        "score": pgettext("table", "Score"), "criterion": pgettext("table", "Criterion"),
        "weight": pgettext("table", "Weight"), "group": pgettext("table", "Group"),
        "direction": pgettext("table", "Dir"), "benefit": pgettext("table", "benefit"),
        "cost": pgettext("table", "cost"), "consistent": pgettext("table", "consistent"),
        "inconsistent": pgettext("table", "INCONSISTENT"),
        "ineligible": pgettext("table", "Not ranked (failed gates)"),
        "revisit": _("Judgments to revisit (given → consistent value, nearest on Saaty's scale, CR with that one "
                     "change):"),
        "panel": pgettext("table", "Experts"), "expert": pgettext("table", "Expert"),
        "points": pgettext("table", "Points"), "bonus": pgettext("table", "Bonus"),
        "total": pgettext("table", "Total"), "passed": pgettext("table", "Passed"),
        "yes": pgettext("table", "yes"), "no": pgettext("table", "NO"), "reasons": pgettext("table", "Why not"),
        "threshold": pgettext("table", "threshold"), "weights": pgettext("table", "Weights"),
        "criteria": pgettext("table", "Criteria (global weights)"), "method": pgettext("table", "Method"),
        "normalization": pgettext("table", "normalization"), "gates": pgettext("table", "Gates"),
        "equal": pgettext("table", "equal weights"), "direct": pgettext("table", "direct weights"),
        "pairwise": pgettext("table", "pairwise"),
        "card": pgettext("table", "Selection card"), "lower_better": pgettext("table", "lower is better"),
        "reference_levels": pgettext("table", "reference levels"), "neutral": pgettext("table", "neutral"),
        "good": pgettext("table", "good"),
    }


def _w(lang: str | None, key: str) -> str:
    with use(lang):
        return _words()[key]


def _normalization(name: str | None) -> str:
    """A TOPSIS normalization's name as shown (vector, minmax, reference)."""
    names = {"vector": pgettext("normalization", "vector"), "minmax": pgettext("normalization", "minmax"),
             "reference": pgettext("normalization", "reference")}
    return names.get(name or "", name or "")


def _ahp_method(name: str) -> str:
    """An AHP prioritisation method's name as shown."""
    names = {"eigenvector": pgettext("ahp method", "eigenvector"), "geometric": pgettext("ahp method", "geometric")}
    return names.get(name, name)


def _n(x: float | None, digits: int = 4) -> str:
    return numfmt.number(x, digits)


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


def _gci_text(gci: float, threshold: float | None, source: bool = True) -> str:
    """``GCI = 0.1234 (consistent; GCI ≤ 0.37, Aguarón & Moreno-Jiménez (2003))``."""
    w = _words()
    ok = threshold is None or gci <= threshold
    flag = w["consistent"] if ok else w["inconsistent"]
    limit = "" if threshold is None else f"; GCI ≤ {_n(threshold, 2)}"
    src = f", {GCI_TABLE_NAME}" if source else ""
    return f"GCI = {_n(gci)} ({flag}{limit}{src})"


def render_ahp(res: AHPResult, lang: str | None = None, title: str | None = None) -> str:
    """One pairwise matrix's (or a panel's) weights, consistency and the judgments to revisit."""
    with use(lang):
        return _render_ahp(res, title)


def _render_ahp(res: AHPResult, title: str | None) -> str:
    w = _words()
    out = []
    if title:
        out.append(title)
    rows = [[name, _n(x)] for name, x in zip(res.names, res.weights)]
    out.append(table([w["criterion"], w["weight"]], rows, "lr"))
    flag = w["consistent"] if res.consistent else w["inconsistent"]
    agg = f" [{res.aggregation.upper()}]" if res.experts else ""
    out.append(f"{_ahp_method(res.method)}{agg}: λmax = {_n(res.lambda_max)}, CI = {_n(res.ci)}, CR = {_n(res.cr)} "
               f"({flag}; CR ≤ {_n(0.10, 2)}; RI: {RI_TABLE_NAME})")
    if res.gci is not None:
        out.append(_gci_text(res.gci, res.gci_threshold))
    if res.experts and res.aggregation == "aip":
        text = _("λmax, CI, CR, GCI are those of the AIJ matrix (weighted geometric mean of the judgments); "
                 "the weights are the experts' averaged priorities (AIP)") if res.gci is not None else \
            _("λmax, CI, CR are those of the AIJ matrix (weighted geometric mean of the judgments); the weights "
              "are the experts' averaged priorities (AIP)")
        out.append(text)
    if res.diagnostics:
        out.append(w["revisit"])
        for d in res.diagnostics:
            out.append(f"  {_vs(d.row, d.column)}: {_num(d.given)} → {_n(d.consistent, 2)} "
                       f"(≈ {_num(d.nearest_saaty)}; CR {_n(d.cr_if_changed, 3)})")
    if res.experts:
        out.append(w["panel"] + ":")
        with_gci = res.gci is not None
        rows = [[e.name, _n(e.weight, 3), _n(e.result.cr),
                 w["consistent"] if e.result.consistent else w["inconsistent"],
                 *([_n(e.result.gci)] if with_gci else []),
                 " ".join(_n(x, 3) for x in e.result.weights)] for e in res.experts]
        heads = [w["expert"], w["weight"], "CR", "", *(["GCI"] if with_gci else []), w["weights"]]
        out.append(table(heads, rows, "lrrl" + ("r" if with_gci else "") + "l"))
    return "\n".join(out)


def _vs(a: str, b: str) -> str:
    return _("{a} vs {b}").format(a=a, b=b)


def _num(v: float) -> str:
    """A judgment as on Saaty's scale: ``3``, ``1/3``, else the number (three significant digits)."""
    if v >= 1:
        return numfmt.amount(v) if abs(v - round(v)) < 1e-9 else numfmt.amount(float(f"{v:.3g}"))
    inv = 1 / v
    return f"1/{round(inv)}" if abs(inv - round(inv)) < 1e-6 else numfmt.number(float(f"{v:.3g}"), 3)


def render_ranking(rk, lang: str | None = None) -> str:
    """The ranking table, then the ineligible projects (and the card, when there is one)."""
    with use(lang):
        return _render_ranking(rk)


def _method_line(method: str, normalization: str | None) -> str:
    w = _words()
    if methods.get(method).card:
        return pgettext("method", "selection card points")
    return method.upper() + (f" ({w['normalization']}: {_normalization(normalization)})" if normalization else "")


def _render_ranking(rk) -> str:
    w = _words()
    out = []
    head = f"{rk.partnership} — " if rk.partnership else ""
    out.append(f"{head}{w['method']}: {_method_line(rk.method, rk.normalization)}")
    cross = list(rk.results[0].cross_check) if rk.results else []
    headers = [w["rank"], w["id"]]
    align = "rl"
    has_titles = any(r.title for r in rk.results)
    if has_titles:
        headers.append(w["project"])
        align += "l"
    entry = methods.get(rk.method)
    card = entry.card
    score_head = w["score"] + ("" if entry.higher_is_better else f" ({w['lower_better']})")
    headers.append(w["points"] if card else score_head)
    align += "r"
    if card:
        headers.append(w["passed"])
        align += "l"
    for c in cross:  # the cross-check's method by name (TOPSIS, WSM), not its key (topsis_vector)
        headers += [methods.variant_label(c).split(" (")[0], "#"]
        align += "rr"
    rows = []
    for r in rk.results:
        row = [str(r.rank), r.id]
        if has_titles:
            row.append(clip(r.title))
        row.append(numfmt.amount(r.score) if card else _n(r.score))
        if card and r.card is not None:
            row.append(w["yes"] if r.card.passed else w["no"])
        for c in cross:
            row += [_n(r.cross_check[c].score), str(r.cross_check[c].rank)]
        rows.append(row)
    out.append(table(headers, rows, align))
    if rk.card is not None and any(r.card for r in rk.results):
        info = rk.card
        thr = "—" if info.get("threshold") is None else numfmt.amount(info["threshold"])
        out.append("")
        out.append(_("{card}: max {max_points} + {bonus} {max_bonus}; {threshold} {value}").format(
            card=w["card"], max_points=numfmt.amount(info["max_points"]), bonus=w["bonus"].lower(),
            max_bonus=numfmt.amount(info["max_bonus"]), threshold=w["threshold"], value=thr))
        crows = [[r.id, numfmt.amount(r.card.base),
                  numfmt.amount(r.card.bonus) if r.card.total == r.card.base + r.card.bonus
                  else f"({numfmt.amount(r.card.bonus)})",
                  numfmt.amount(r.card.total),
                  w["yes"] if r.card.passed else w["no"], "; ".join(r.card.reasons)]
                 for r in rk.results if r.card is not None]
        out.append(table([w["id"], w["points"], w["bonus"], w["total"], w["passed"], w["reasons"]], crows,
                         "lrrrll"))
    if rk.ineligible:
        out.append("")
        out.append(w["ineligible"] + ":")
        for i in rk.ineligible:
            gates = "; ".join(g.label or g.id for g in i.failed_gates)
            out.append(f"  {i.id} {clip(i.title, 40)}: {gates}")
    return "\n".join(out)


def render_weights_report(rk, lang: str | None = None) -> str:
    """Each group's local weights with their consistency, then the leaves' global weights."""
    with use(lang):
        return _render_weights_report(rk)


def _render_weights_report(rk) -> str:
    w = _words()
    out = []
    # criteria and groups by their names (the criteria set's labels), not their ids
    names = {g.group: g.label for g in rk.weights if g.label}
    names.update({c.id: c.label for c in rk.criteria if c.label})
    for g in rk.weights:
        line = f"{clip(g.label or g.group, 60)} — {w[g.how]}"
        if g.how == "pairwise":
            flag = w["consistent"] if g.consistent else w["inconsistent"]
            panel = ""
            if g.experts:
                panel = ", " + ngettext("{n} expert {aggregation}", "{n} experts {aggregation}",
                                        len(g.experts)).format(n=len(g.experts), aggregation=g.aggregation.upper())
            line += f"{panel}: λmax = {_n(g.lambda_max)}, CI = {_n(g.ci)}, CR = {_n(g.cr)} ({flag})"
            if g.gci is not None:
                line += ", " + _gci_text(g.gci, g.gci_threshold, source=False)
            if g.experts and g.aggregation == "aip":
                line += " — " + _("of the AIJ matrix")
        out.append(line)
        out.append("   " + ", ".join(f"{clip(names.get(k, k), 40)} {_n(v, 3)}" for k, v in g.weights.items()))
        for e in g.experts:
            flag = w["consistent"] if e.consistent else w["inconsistent"]
            out.append(f"   · {e.file}: CR = {_n(e.cr)} ({flag})")
        for d in g.revisit:
            out.append(f"   ! {_vs(d.row, d.column)}: {_num(d.given)} → {_n(d.consistent_value, 2)} "
                       f"(≈ {_num(d.nearest_saaty)}; CR {_n(d.cr_if_changed, 3)})")
    out.append("")
    out.append(w["criteria"] + ":")
    rows = [[c.id, clip(c.label, 44), clip(names.get(c.group, c.group or ""), 28), w[c.direction], _n(c.weight)]
            for c in rk.criteria]
    out.append(table([w["id"], w["criterion"], w["group"], w["direction"], w["weight"]], rows, "llllr"))
    return "\n".join(out)


def render_criteria(cs, lang: str | None = None) -> str:
    """A criteria set as an indented tree with scales and level descriptors, then the gates."""
    with use(lang):
        return _render_criteria(cs)


def _render_criteria(cs) -> str:
    from ..criteria.i18n import current

    lang = current()
    w = _words()
    out = [_("{id}: {label} (version {version})").format(id=cs.id, label=cs.label.get(lang), version=cs.version)]
    if cs.description:
        out.append(cs.description.get(lang))

    def weighting(g) -> str:
        if g.pairwise:
            n = len(g.pairwise)
            experts = ngettext("{n} expert", "{n} experts", n).format(n=n)
            return _("AHP pairwise ({experts}, {method})").format(experts=experts, method=_ahp_method(g.method))
        if g.weights is not None:
            return _("weights {weights}").format(
                weights=", ".join(f"{k}={numfmt.amount(v)}" for k, v in g.weights.items()))
        return w["equal"]

    def kind(c) -> str:
        kinds = {"scale": pgettext("kind", "scale"), "quantity": pgettext("kind", "quantity")}
        return kinds.get(c.kind, c.kind)

    def leaf(c, pad: str) -> None:
        unit = f", {c.unit}" if c.unit else ""
        extra = f", min {numfmt.amount(c.minimum)}" if c.minimum is not None else ""
        out.append(f"{pad}{c.id}: {c.label.get(lang)} ({w[c.direction]}, {kind(c)}{unit}{extra})")
        if c.scale:
            for lv in reversed(c.scale.levels):
                share = "" if lv.attainment is None else f" [{numfmt.percent(lv.attainment)}]"
                out.append(f"{pad}    {numfmt.amount(lv.value)}{share} — {clip(lv.descriptor.get(lang), 100)}")
        if c.reference is not None:
            ref = c.reference
            steps = "".join(f", {numfmt.amount(b.at)} → {numfmt.percent(b.value)}" for b in ref.breakpoints)
            out.append(f"{pad}    {w['reference_levels']}: {w['neutral']} {numfmt.amount(ref.neutral)} → "
                       f"{numfmt.percent(0)}{steps}, {w['good']} {numfmt.amount(ref.good)} → {numfmt.percent(1)}")

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
    out.append(_("top level — {weighting}").format(weighting=weighting(cs)))
    if cs.bonus:
        out.append(w["bonus"] + ":")
        for c in cs.bonus:
            leaf(c, "  ")
    if cs.gates:
        out.append(w["gates"] + ":")
        for gate in cs.gates:
            out.append(f"  {gate.id}: {gate.label.get(lang)}")
    if cs.card is not None:
        thr = (_("{points} pts").format(points=numfmt.amount(cs.card.threshold_points))
               if cs.card.threshold_points is not None
               else numfmt.percent(cs.card.threshold_percent / 100) if cs.card.threshold_percent is not None
               else "—")
        out.append(f"{w['card']}: {w['threshold']} {thr}")
    return "\n".join(out)


def _interval_text(iv: list) -> str:
    return f"[{_n(iv[0])}; {_n(iv[1])}]" if _decimal_comma() else f"[{_n(iv[0])}, {_n(iv[1])}]"


def _decimal_comma() -> bool:
    return "," in numfmt.number(0.5, 1)


def _sampler(name: str) -> str:
    names = {"dirichlet": pgettext("sampler", "dirichlet"), "uniform": pgettext("sampler", "uniform"),
             "ahp": pgettext("sampler", "ahp"), "panel": pgettext("sampler", "panel")}
    return names.get(name, name)


def render_sensitivity(rep, lang: str | None = None) -> str:
    """The sensitivity report (a SensitivityReport or its JSON) as compact tables."""
    with use(lang):
        return _render_sensitivity(rep)


def _render_sensitivity(rep) -> str:
    if hasattr(rep, "to_json_dict"):
        rep = rep.to_json_dict()
    w = _words()
    out = []
    norm = f" ({_normalization(rep['normalization'])})" if methods.get(rep["method"]).normalizations else ""
    sampler = _sampler(rep["sampler"])
    if rep.get("concentration"):
        sampler += _(", concentration {value}").format(value=numfmt.amount(rep["concentration"]))
    if rep.get("judgment_change") is not None:
        sampler += _(", judgment change {value}").format(value=numfmt.amount(rep["judgment_change"]))
    unc = ""
    if rep["score_change"] or rep["quantity_change"]:
        unc = _("; scores ±1 level p={p}, quantities ±{percent} %").format(
            p=numfmt.amount(rep["score_change"]), percent=numfmt.amount(100 * rep["quantity_change"]))
    samples = ngettext("{n} sample", "{n} samples", rep["samples"]).format(n=numfmt.number(rep["samples"], 0))
    out.append(_("{method} · {samples}, seed {seed} · weights: {sampler}").format(
        method=f"{rep['method'].upper()}{norm}", samples=samples, seed=rep["seed"], sampler=sampler) + unc)
    ids = list(rep["rank_acceptability"])
    m = len(ids)
    show = min(m, 5)
    out.append("")
    out.append(_("Rank acceptability (SMAA-2):"))
    head = [w["id"], *[f"#{r + 1}" for r in range(show)], pgettext("table", "E[rank]"), "5–95 %",
            pgettext("table", "conf.")]
    rows = []
    order = sorted(ids, key=lambda i: rep["expected_rank"][i])
    for i in order:
        acc = rep["rank_acceptability"][i]
        lo, hi = rep["rank_interval_5_95"][i]
        conf = rep["confidence"][i]
        rows.append([i, *[_n(acc[r], 3) for r in range(show)], _n(rep["expected_rank"][i], 2),
                     f"{lo}–{hi}", "—" if conf is None else _n(conf, 2)])
    out.append(table(head, rows, "l" + "r" * (show + 3)))
    top, second = order[0], order[1] if m > 1 else None
    if second:
        p = rep["pairwise_winning"][top][second]
        out.append(_("P({top} above {second}) = {p}").format(top=top, second=second, p=_n(p, 3)))
    out.append("")
    out.append(_("Weight stability intervals (top-k = {k}):").format(k=rep["top_k"]))
    kinds = {"criterion": pgettext("kind", "criterion"), "group": pgettext("kind", "group")}
    rows = [[name, kinds.get(e["kind"], e["kind"]), _n(e["base"]), _interval_text(e["ranking"]),
             _interval_text(e["top"]), _interval_text(e["top_k"])] for name, e in rep["stability"].items()]
    out.append(table([w["criterion"], "", pgettext("table", "Base"), pgettext("table", "Ranking"),
                      pgettext("table", "Top project"), pgettext("table", "Top-k set")], rows, "llrlll"))
    cc = rep["critical_change"]
    out.append("")
    if cc is None:
        out.append(_("No change of a single weight gives another top project."))
    else:
        rel = "" if cc["relative"] is None else _(" ({percent} % of the weight)").format(
            percent=_n(100 * cc["relative"], 1))
        out.append(_("Critical change: {criterion} {frm} → {to}, |Δ| = {absolute}{rel}, the other weights rescaled "
                     "proportionally, and another project comes first.").format(
            criterion=cc["criterion"], frm=_n(cc["from"]), to=_n(cc["to"]), absolute=_n(cc["absolute"]), rel=rel))
        if cc.get("ts_percent") is not None:
            delta = ("+" if cc["ts_delta"] >= 0 else "") + _n(cc["ts_delta"])
            out.append(_("Triantaphyllou & Sánchez (1997) — the weight changed alone, then all renormalised: "
                         "δ = {delta}, {percent} % of the weight.").format(delta=delta,
                                                                           percent=_n(cc["ts_percent"], 1)))
        ts = rep.get("critical_change_relative")
        if ts is not None:
            out.append(_("Most critical criterion by that % (percent-top): {criterion}, {frm} → {to}, {percent} % "
                         "of its weight.").format(criterion=ts["criterion"], frm=_n(ts["from"]), to=_n(ts["to"]),
                                                  percent=_n(ts["ts_percent"], 1)))
    out.append("")
    out.append(_("Methods compared at the base weights:"))
    rows = [[_vs(r["a"], r["b"]), "—" if r["spearman"] is None else _n(r["spearman"], 3),
             "—" if r["kendall"] is None else _n(r["kendall"], 3),
             w["yes"] if r["same_top"] else w["no"]] for r in rep["method_robustness"]]
    out.append(table([pgettext("table", "Methods"), "Spearman ρ", "Kendall τ", pgettext("table", "Same top")],
                     rows, "lrrl"))
    return "\n".join(out)


def _portfolio_words() -> dict[str, str]:
    return {
        "title": _("Portfolio under a budget"),
        "chosen": pgettext("portfolio", "Chosen"), "not_chosen": pgettext("portfolio", "Not chosen"),
        "ineligible": _("Not eligible for funding"), "cost": pgettext("portfolio", "Cost (PLN)"),
        "rank": pgettext("table", "Rank"), "reason": pgettext("table", "Why not"),
        "total": pgettext("table", "Total"), "left": pgettext("portfolio", "Money left"),
        "sources": _("Funding source limits"), "limit": pgettext("portfolio", "Limit"),
        "spent": pgettext("portfolio", "Spent"), "next": _("Next with more money"),
        "none_next": _("no project can enter with more money"), "score": pgettext("table", "Score"),
        "must": _("must be in"), "exclude": _("left out by request"), "nothing": pgettext("portfolio", "(none)"),
        "source": pgettext("portfolio", "Source"),
    }


def _why() -> dict[str, str]:
    return {"does_not_fit": _("does not fit"), "excluded": _("left out (--exclude)"),
            "failed_gates": _("failed gates"), "failed_card": _("does not pass the selection card")}


def pln(v: float | None, lang: str | None = None) -> str:
    """An amount of PLN as a table shows it, without the currency: thousands grouped, grosze only when
    there are any (``38 500 000``; ``2 696 372,75``)."""
    if v is None:
        return "—"
    whole = round(float(v), 2).is_integer()
    return numfmt.number(v, 0 if whole else 2, lang)


def portfolio_reason(item, lang: str | None = None) -> str:
    """Why a project is not in the portfolio, in ``lang`` (the details as given: gate labels, card reasons)."""
    if item.why is None:
        return item.reason or ""
    with use(lang):
        text = _why()[item.why]
    return text + (f": {'; '.join(item.details)}" if item.details else "")


def render_portfolio(pf, lang: str | None = None) -> str:
    """The chosen projects with totals, the left-out and ineligible ones, source limits, the next step."""
    with use(lang):
        return _render_portfolio(pf)


def _render_portfolio(pf) -> str:
    w, tw = _portfolio_words(), _words()
    points = methods.get(pf.method).card
    head = f"{pf.partnership} — " if pf.partnership else ""
    out = [_("{title}: budget {budget}; Method: {method}").format(
        title=f"{head}{w['title']}", budget=numfmt.money(pf.budget),
        method=_method_line(pf.method, pf.normalization))]
    if pf.must:
        out.append(f"{w['must']}: {', '.join(pf.must)}")
    if pf.exclude:
        out.append(f"{w['exclude']}: {', '.join(pf.exclude)}")

    def fmt(v):
        return "—" if v is None else (numfmt.amount(v) if points else _n(v))

    def rows_of(items, reason: bool):
        return [[str(i.rank) if i.rank is not None else "—", i.id, clip(i.title, 44), pln(i.cost), fmt(i.score)]
                + ([portfolio_reason(i)] if reason else []) for i in items]

    heads = [w["rank"], tw["id"], tw["project"], w["cost"], w["score"]]
    out.append("")
    out.append(f"{w['chosen']}:")
    rows = rows_of(pf.chosen, False)
    rows.append(["", w["total"], "", pln(pf.total_cost), fmt(pf.total_score)])
    out.append(table(heads, rows, "rllrr"))
    out.append(f"{w['left']}: {numfmt.money(pf.money_left)}")
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
            out.append(f"  {i.id} {clip(i.title, 40)}: {portfolio_reason(i)}")
    out.append("")
    if pf.next is None:
        out.append(f"{w['next']}: {w['none_next']}")
    else:
        n = pf.next
        moves = _("enter {ids}").format(ids=", ".join(n.enter))
        if n.leave:
            moves += "; " + _("leave {ids}").format(ids=", ".join(n.leave))
        out.append(_("{next}: budget {budget} (+{extra} more): {moves}; score {score}").format(
            next=w["next"], budget=numfmt.money(n.budget), extra=numfmt.money(n.extra), moves=moves,
            score=fmt(n.total_score)))
    return "\n".join(out)
