"""Opinions assembled from a package's ranking: the public entry points.

:func:`ranking_for_opinions` ranks the package (or, when fewer than two projects pass the gates, lists
them unranked); :func:`build_opinions` makes one :class:`~appraisal.opinions.models.Opinion` per
project from the numbers (:mod:`~appraisal.opinions.numbers`), the rules
(:mod:`~appraisal.opinions.rules`) and the words (:mod:`~appraisal.opinions.words`), keeping the
advisor's text of the previous version (:class:`~appraisal.opinions.models.Previous`) and saying
what changed since; :func:`build_bundle` gathers them with a summary table. :func:`recommend` and
:func:`categories` give the categories alone (the batch summary), from the same numbers and rules, so
they always agree with the opinions.

A project that alone passes the gates has no rank or TOPSIS score (nothing to compare it with) but
is judged exactly like any other.
"""

from __future__ import annotations

import datetime as _dt
import hashlib

from .. import methods, numfmt
from ..criteria import OpinionRules, i18n
from ..criteria.i18n import _
from ..criteria.models import GroupMinimum
from ..provenance import input_hash
from .models import (
    AdvisorText,
    ChangeBlock,
    CriterionAssessment,
    FundingLine,
    GroupAssessment,
    Identification,
    Opinion,
    OpinionBundle,
    Point,
    Previous,
    Recommendation,
    RuleRef,
    SummaryRow,
    package_of,
)
from .numbers import (
    RobustnessRun,
    _card_passed,
    _card_summary,
    _evidence,
    _fmt_score,
    _group_percents,
    _numbers,
    _point_text,
    _robustness,
    _score_label,
    _value_text,
    split_points,
)
from .rules import RULE_TOLERANCE, _rule_conditions, _rule_ref, _Words, decide, rules_for
from .words import language, quote


def _unranked_ids(ranking) -> list[str]:
    """Projects that pass the gates but were not ranked (the one admissible project of a package): they
    have no rank or TOPSIS score, but are judged on the criteria set's yardstick like any other."""
    ranked = {r.id for r in ranking.results}
    return [pid for pid in ranking.alternatives if pid not in ranked]


def ranking_for_opinions(pkg, method: str = "topsis", normalization: str = "vector"):
    """The package's ranking, or — when fewer than two projects pass the gates — a ranking without
    results that still lists the ineligible projects (and the one admissible project, unranked), so
    that every project gets its opinion. ``len(result.results) == 0`` tells the two apart."""
    from ..ranking import Ranking, prepare_package, rank_package

    prep = prepare_package(pkg, method, normalization, min_eligible=0)
    if len(prep.ids) >= 2:
        return rank_package(pkg, method, normalization)
    norm = methods.get(method).normalization_label(normalization)
    return Ranking(input_hash=prep.input_hash, method=method, normalization=norm, partnership=pkg.partnership.name,
                   source=pkg.source, criteria=prep.criteria, results=[], ineligible=prep.ineligible,
                   weights=prep.weights, matrix=prep.x, alternatives=prep.ids, package=pkg)


def _rule_words(nums, lang: str, rules: OpinionRules) -> _Words:
    return _Words.of(lang, rules, nums.group_labels, nums.max_points)


def recommend(ranking, rules: OpinionRules | None = None,
              lang: str | None = None) -> dict[str, tuple[Recommendation, RuleRef]]:
    """Each project's recommendation and the rule that decided it (stated in ``lang``; None: the current
    language) — without building opinions."""
    lang = language(lang)
    rules = rules_for(ranking, rules)
    nums = _numbers(ranking, lang)
    words = _rule_words(nums, lang, rules)
    out: dict[str, tuple[Recommendation, RuleRef]] = {}
    percents = _group_percents(nums)
    for i, ident in enumerate(nums.ids):
        dec = decide(rules, nums.rule_scores[ident], False, percents[i], _card_passed(nums, ident))
        out[ident] = (dec.category, _rule_ref(dec.decided_by, words))
    for inel in ranking.ineligible:
        dec = decide(rules, failed_gates=True)
        out[inel.id] = (dec.category, _rule_ref(dec.decided_by, words))
    return out


def categories(ranking, rules: OpinionRules | None = None) -> dict[str, Recommendation]:
    """Each project's category only (what a batch summary counts): :func:`recommend` without the
    rule texts, ranked projects first in rank order, then any unranked one, then the ineligible ones."""
    rules = rules_for(ranking, rules)
    nums = _numbers(ranking)
    row = {ident: i for i, ident in enumerate(nums.ids)}
    percents = _group_percents(nums)
    order = [res.id for res in ranking.results] + _unranked_ids(ranking)
    out = {ident: decide(rules, nums.rule_scores[ident], False, percents[row[ident]],
                         _card_passed(nums, ident)).category for ident in order}
    gate = Recommendation(rules.gate.category)
    out.update((inel.id, gate) for inel in ranking.ineligible)
    return out


def advisor_digest(notes: str, recommendations: str) -> str:
    """The digest of the advisor's text as written (``AdvisorText.written_digest``)."""
    text = f"{notes}\x1f{recommendations}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _changes(prev: Previous | None, score: float | None, rank: int | None, category: Recommendation,
             ranking, lang: str, h: str | None = None) -> ChangeBlock | None:
    with i18n.use(lang):
        return _changed(prev, score, rank, category, ranking, lang, h)


def _changed(prev: Previous | None, score: float | None, rank: int | None, category: Recommendation,
             ranking, lang: str, h: str | None = None) -> ChangeBlock | None:
    """The "what changed" block against the previous opinion. When the previous opinion came from the same
    inputs (its input hash is ``h``: a re-run, e.g. to add a format), its own block is carried over — the
    numbers it compares are still the latest change (its text in the current language)."""
    if prev is None or not prev.known:
        return None
    old_score, old_rank, old_rec, old_hash = prev.score, prev.rank, prev.recommendation, prev.input_hash
    if h is not None and prev.input_hash == h:
        if prev.changes is None:
            return None
        ch = prev.changes
        old_score, old_rank, old_rec, old_hash = ch.score_old, ch.rank_old, ch.recommendation_old, ch.previous_input_hash
    score_changed = (old_score is None) != (score is None) or (
        score is not None and old_score is not None and abs(score - old_score) > 1e-9)
    rank_changed = old_rank != rank
    cat_changed = old_rec != category
    if not (score_changed or rank_changed or cat_changed):
        return None
    parts = []
    if score_changed:
        parts.append(_("score {old} → {new}").format(old=_fmt_score(ranking, old_score, lang),
                                                     new=_fmt_score(ranking, score, lang)))
    if rank_changed:
        parts.append(_("rank {old} → {new}").format(old=old_rank or "—", new=rank or "—"))
    if cat_changed:
        old_c = old_rec.label(lang) if old_rec else "—"
        parts.append(_("recommendation {old} → {new}").format(old=quote(old_c), new=quote(category.label(lang))))
    return ChangeBlock(score_old=old_score, score_new=score, rank_old=old_rank, rank_new=rank,
                       recommendation_old=old_rec, recommendation_new=category, previous_input_hash=old_hash,
                       text=_("Changes since the previous version: {changes}.").format(changes="; ".join(parts)))


def opinions_input_hash(ranking, rules: OpinionRules, run: RobustnessRun | None) -> str:
    """The hash of an opinion's inputs: the ranking's, the rules and the robustness run's settings."""
    return input_hash({"ranking": ranking.input_hash, "rules": rules.model_dump(mode="json"),
                       "robustness": None if run is None else run.settings()})


def build_opinions(ranking, rules: OpinionRules | None = None, previous: dict[str, Previous] | None = None,
                   robustness: RobustnessRun | None = None, lang: str | None = None, advisor: str | None = None,
                   date: _dt.date | None = None) -> list[Opinion]:
    """One opinion per project of the ranked package: ranked projects by rank, then the ineligible ones.
    Written in ``lang`` (None: the current language); the criteria, groups and gates by their labels in
    that language."""
    lang = language(lang)
    with i18n.use(lang):
        return _build_opinions(ranking, rules, previous, robustness, lang, advisor, date)


def _build_opinions(ranking, rules: OpinionRules | None, previous: dict[str, Previous] | None,
                    robustness: RobustnessRun | None, lang: str, advisor: str | None,
                    date: _dt.date | None) -> list[Opinion]:
    pkg = package_of(ranking)
    cs = pkg.criteria_set
    rules = rules_for(ranking, rules)
    nums = _numbers(ranking, lang)
    previous = previous or {}
    projects = {p.id: p for p in pkg.projects}
    group_of = {leaf.id: path[-1] for path, leaf in cs.leaf_paths()}
    leaves = {c.id: c for c in cs.leaves()}
    h = opinions_input_hash(ranking, rules, robustness)
    minima: dict[str, float] = {}  # a group's highest minimum (the first to bind)
    for gm in rules.group_minimum:
        minima[gm.group] = max(gm.min_percent, minima.get(gm.group, 0.0))
    gate_labels = {g.id: g.label.get(lang) for g in cs.gates}
    inner_groups = [g for g in cs.iter_groups() if g is not cs]

    def ident(p) -> Identification:
        return Identification(
            project_id=p.id, project_title=p.title, partnership=pkg.partnership.name,
            voivodeship=pkg.partnership.voivodeship, advisor=advisor or pkg.advisor, date=date or pkg.date,
            input_hash=h, ranking_hash=ranking.input_hash,
            criteria_set=pkg.criteria if isinstance(pkg.criteria, str) else cs.id,
            method=ranking.method, normalization=ranking.normalization, lead_jst=p.lead_jst,
            partners=list(p.partners), cost=p.cost,
            funding=[FundingLine(source=f.source, amount=f.amount) for f in p.funding],
            status=p.status, description=p.description)

    def assessments(p, i: int | None) -> list[CriterionAssessment]:
        out = []
        for j, info in enumerate(ranking.criteria):
            crit = leaves[info.id]
            g = group_of[info.id]
            value = p.scores.get(info.id)
            vt, lvl, desc = _value_text(crit, value, lang) if value is not None else ("—", None, None)
            att = contrib = None
            if i is not None:
                contrib = float(nums.contributions[i, j])
                att = float(nums.v[i, j])
            out.append(CriterionAssessment(
                id=info.id, label=crit.label.get(lang), group=g.id, group_label=g.label.get(lang),
                kind=crit.kind, direction=crit.direction, value=value, value_text=vt, level_label=lvl,
                descriptor=desc, unit=crit.unit, weight=float(info.weight), attainment=att,
                contribution=contrib, comment=comment_of(p, info.id)))
        return out

    def comment_of(p, cid: str) -> str | None:
        prev = previous.get(p.id)
        if prev is not None and cid in prev.comments:  # typed in Word: wins over the package's comment
            return prev.comments[cid] or None
        return p.comments.get(cid) or None

    def advisor_text(pid: str) -> AdvisorText:
        prev = previous.get(pid)
        notes = prev.notes if prev else ""
        recs = prev.recommendations if prev else ""
        return AdvisorText(notes=notes, recommendations=recs, source=prev.source if prev else "new",
                           written_digest=advisor_digest(notes, recs),
                           comments=dict(sorted(prev.comments.items())) if prev else {})

    ranked = len(ranking.results)
    percents = _group_percents(nums)
    words = _rule_words(nums, lang, rules)
    results = {res.id: res for res in ranking.results}
    out: list[Opinion] = []
    for pid in [res.id for res in ranking.results] + _unranked_ids(ranking):
        res = results.get(pid)  # None: the one project that passes the gates, not ranked
        p = projects[pid]
        i = nums.ids.index(pid)
        crits = assessments(p, i)
        gp = percents[i]
        card = None
        if pid in nums.cards:
            card = _card_summary(nums, nums.cards[pid], cs, lang)
        attained = float(nums.contributions[i].sum())
        rule_score = nums.rule_scores[pid]
        dec = decide(rules, rule_score, False, gp, _card_passed(nums, pid))
        category = dec.category
        groups = [GroupAssessment(
            id=g.id, label=g.label.get(lang), weight=float(nums.w[nums.group_cols[g.id]].sum()),
            contribution=float(nums.contributions[i, nums.group_cols[g.id]].sum()), percent=gp[g.id],
            minimum_percent=minima.get(g.id),
            below_minimum=g.id in minima and gp[g.id] < minima[g.id] - 100 * RULE_TOLERANCE)
            for g in inner_groups]
        strong, weak = split_points(crits)
        on_card = nums.max_points is not None
        strengths = [Point(kind="criterion", id=a.id, text=_point_text(a, lang, leaves[a.id], on_card))
                     for a in strong]
        weaknesses = [Point(kind="criterion", id=a.id, text=_point_text(a, lang, leaves[a.id], on_card))
                      for a in weak]
        for g in groups:
            if g.below_minimum:  # cite the strictest minimum the group falls below (21 %: below 25 %)
                breached = min(gm.min_percent for gm in rules.group_minimum
                               if gm.group == g.id and g.percent < gm.min_percent - 100 * RULE_TOLERANCE)
                weaknesses.append(Point(kind="group", id=g.id, text=_(
                    "Group {group}: {percent} of the group's weight, below the minimum of {minimum}").format(
                    group=quote(g.label), percent=numfmt.percent(g.percent / 100, lang),
                    minimum=numfmt.percent(breached / 100, lang))))
        if card is not None and not card.passed:
            weaknesses.append(Point(kind="card", id="card", text=_("Fails the selection card: {reasons}").format(
                reasons="; ".join(card.reasons))))
        refs = [_rule_ref(r, words) for r in dec.applied]
        decided = _rule_ref(dec.decided_by, words)
        conditions = _dedup([*_rule_conditions(dec.decided_by, lang),
                             *(c for r in dec.applied[1:] for c in _rule_conditions(r, lang))])
        evidence = [_evidence(nums, pid, rule_score, card, lang)]
        if isinstance(dec.decided_by, GroupMinimum):
            g = dec.decided_by.group
            evidence.insert(0, _("{group}: {percent} of the group's weight").format(
                group=quote(nums.group_labels.get(g, g)), percent=numfmt.percent(gp[g] / 100, lang)))
        decision_text = _("The recommendation {category} follows from the rule: {rule} ({evidence}).").format(
            category=quote(category.label(lang)), rule=decided.text, evidence="; ".join(evidence))
        if res is None:
            decision_text += " " + _("The project is the only one of the package that passes the gates: with "
                                     "nothing to compare it with it has no rank or TOPSIS score; its attainment "
                                     "decides.")
        rob = None if (robustness is None or res is None) else _robustness(robustness, pid, res.rank, lang)
        score = None if res is None else float(res.score)
        rank = None if res is None else res.rank
        out.append(Opinion(
            lang=lang, identification=ident(p), eligible=True, score=score,
            score_label=_score_label(ranking, lang), rule_score=rule_score, attainment=attained, wsm_score=attained,
            rank=rank, ranked=ranked, card=card, recommendation=category,
            recommendation_label=category.label(lang), decided_by=decided, decision_text=decision_text,
            rules_applied=refs, criteria=crits, groups=groups, strengths=strengths, weaknesses=weaknesses,
            robustness=rob, conditions=conditions, advisor=advisor_text(pid),
            changes=_changes(previous.get(pid), score, rank, category, ranking, lang, h)))
    for inel in ranking.ineligible:
        p = projects[inel.id]
        dec = decide(rules, failed_gates=True)
        decided = _rule_ref(dec.decided_by, words)
        failed = [Point(kind="gate", id=g.id, text=gate_labels.get(g.id, g.label)) for g in inel.failed_gates]
        decision_text = _("The recommendation {category} follows from the rule: {rule}. Not met: {gates}. The "
                          "project was not scored or ranked.").format(
            category=quote(dec.category.label(lang)), rule=decided.text, gates="; ".join(f.text for f in failed))
        gate_conds = [_("Meet the admissibility gate: {gate}.").format(gate=f.text) for f in failed]
        out.append(Opinion(
            lang=lang, identification=ident(p), eligible=False, failed_gates=failed,
            score_label=_score_label(ranking, lang), ranked=ranked, recommendation=dec.category,
            recommendation_label=dec.category.label(lang), decided_by=decided, decision_text=decision_text,
            rules_applied=[decided], criteria=assessments(p, None), groups=[], strengths=[],
            weaknesses=[Point(kind="gate", id=f.id, text=_("Admissibility gate not met: {gate}").format(gate=f.text))
                        for f in failed],
            conditions=_dedup([*gate_conds, *_rule_conditions(dec.decided_by, lang)]),
            advisor=advisor_text(inel.id),
            changes=_changes(previous.get(inel.id), None, None, dec.category, ranking, lang, h)))
    return out


def _dedup(items) -> list[str]:
    """``items`` without the empty ones and without repeats, in order."""
    seen, out = set(), []
    for t in items:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def build_bundle(ranking, opinions: list[Opinion], lang: str | None = None, files: dict[str, str] | None = None,
                 robustness: RobustnessRun | None = None, rules: OpinionRules | None = None) -> OpinionBundle:
    """The package bundle: a summary row per opinion (ranked first, by rank) and every opinion. ``lang``
    (None: the opinions' language, else the current one) is the bundle's language."""
    lang = language(lang if lang is not None or not opinions else opinions[0].lang)
    pkg = package_of(ranking)
    rules = rules_for(ranking, rules)
    first = opinions[0].identification if opinions else None
    return OpinionBundle(
        lang=lang, partnership=pkg.partnership.name, voivodeship=pkg.partnership.voivodeship,
        advisor=first.advisor if first else pkg.advisor, date=first.date if first else pkg.date,
        input_hash=opinions_input_hash(ranking, rules, robustness), method=ranking.method,
        normalization=ranking.normalization, top_k=None if robustness is None else robustness.top_k,
        summary=[SummaryRow(project_id=o.identification.project_id, title=o.identification.project_title,
                            rank=o.rank, score=o.score, recommendation=o.recommendation,
                            recommendation_label=o.recommendation_label,
                            share_top_k=o.robustness.share_top_k if o.robustness else None,
                            file=(files or {}).get(o.identification.project_id)) for o in opinions],
        opinions=opinions)
