"""The words of an opinion, as catalogues: one per language, keyed by message id.

``WORDS[lang][key]`` is a :meth:`str.format` template; :func:`word` fills it in. Both catalogues
have the same keys and, per key, the same ``{placeholders}`` (``tests/test_opinion_words.py``), so
a sentence added in one language and forgotten in the other is a test failure, not a mixed-language
opinion. The opinion code never asks which language it writes: it asks for a message id.

The values filled in (labels, numbers already formatted by :mod:`appraisal.numfmt`) are inserted as
they are; only the templates are parsed. Plain Python: this module imports nothing of the engine.
"""

from __future__ import annotations

#: the categories of an opinion, best first (as in :data:`appraisal.criteria.models.RECOMMENDATIONS`)
_CATEGORIES = ("recommended", "recommended_with_conditions", "needs_rework", "not_recommended")

WORDS: dict[str, dict[str, str]] = {
    "pl": {
        # the categories (Recommendation.label)
        "category.recommended": "rekomendowany",
        "category.recommended_with_conditions": "rekomendowany warunkowo",
        "category.needs_rework": "do przeformułowania",
        "category.not_recommended": "nierekomendowany",
        "quote": "„{text}”",
        # the rules as stated in an opinion (RuleRef.text)
        "rule.threshold": "stopień spełnienia kryteriów {op} {share}",
        "rule.threshold.card": "suma punktów {op} {points} z {max_points} ({share})",
        "rule.gate": "niespełnione kryterium dostępowe ⇒ {category}",
        "rule.group_minimum": "grupa {group} poniżej {percent} wagi grupy ⇒ {cap}",
        "rule.card": "niespełnione wymogi karty oceny (minimum kryterium lub próg punktowy) ⇒ {category}",
        "rule.at_most": "co najwyżej {category}",
        # the deciding rule and the number it read (Opinion.decision_text)
        "decision": "Rekomendacja {category} wynika z reguły: {rule} ({evidence}).",
        "decision.lone": ("Projekt jako jedyny w pakiecie spełnia kryteria dostępowe: nie ma go z czym porównać, "
                          "więc nie ma miejsca w pakiecie ani wyniku TOPSIS; ocenę wyznacza stopień spełnienia "
                          "kryteriów."),
        "decision.gate": ("Rekomendacja {category} wynika z reguły: {rule}. Niespełnione: {gates}. "
                          "Projekt nie był oceniany ani szeregowany."),
        "evidence.attainment": "stopień spełnienia kryteriów {share}",
        "evidence.card": "suma punktów {points} z {max_points} ({share})",
        "evidence.group": "{group}: {percent} wagi grupy",
        "condition.gate": "Spełnić kryterium dostępowe: {gate}.",
        # strengths and weaknesses (Point.text)
        "point.criterion": "{criterion}: {value} ({share} skali kryterium; wkład {contribution} z możliwych {weight})",
        "point.card": "{criterion}: {points} z {top} pkt{level} ({share} skali)",
        "point.group": "Grupa {group}: {percent} wagi grupy, poniżej minimum {minimum}",
        "point.card_failed": "Niespełnione wymogi karty oceny: {reasons}",
        "point.gate": "Niespełnione kryterium dostępowe: {gate}",
        # why a project fails the selection card (CardSummary.reasons)
        "card.below_minimum": "{criterion}: {points} < minimum {minimum}",
        "card.below_threshold": "suma punktów {points} < próg {threshold}",
        # the robustness sentence (Robustness.text)
        "robustness.top.1": "na pierwszym miejscu",
        "robustness.top.2": "w pierwszej dwójce",
        "robustness.top.3": "w pierwszej trójce",
        "robustness.stays": "pozostaje",
        "robustness.is": "znajduje się",
        "robustness.sampler.dirichlet": "z rozkładu Dirichleta wokół wag bazowych (koncentracja {concentration})",
        "robustness.sampler.uniform": "z rozkładu jednostajnego na sympleksie wag",
        "robustness.sampler.ahp": "z zaburzonych ocen porównań parami AHP",
        "robustness.sampler.panel": "spośród wag poszczególnych ekspertów panelu",
        "robustness.top_k": ("W {share} scenariuszy wag projekt {verb} {top} (na pierwszym miejscu w {first}; "
                             "oczekiwane miejsce {expected}). Analiza SMAA-2: {samples} losowań wag {sampler}, "
                             "ziarno {seed}."),
        "robustness.first": ("W {share} scenariuszy wag projekt {verb} {top} (oczekiwane miejsce {expected}). "
                             "Analiza SMAA-2: {samples} losowań wag {sampler}, ziarno {seed}."),
        # what changed since the previous version (ChangeBlock.text)
        "changes": "Zmiany względem poprzedniej wersji opinii: {changes}.",
        "changes.score": "wynik {old} → {new}",
        "changes.rank": "miejsce {old} → {new}",
        "changes.recommendation": "rekomendacja {old} → {new}",
    },
    "en": {
        "category.recommended": "recommended",
        "category.recommended_with_conditions": "recommended with conditions",
        "category.needs_rework": "needs rework",
        "category.not_recommended": "not recommended",
        "quote": "\"{text}\"",
        "rule.threshold": "attainment {op} {share}",
        "rule.threshold.card": "merit points {op} {points} of {max_points} ({share})",
        "rule.gate": "a failed admissibility gate ⇒ {category}",
        "rule.group_minimum": "group {group} below {percent} of the group's weight ⇒ {cap}",
        "rule.card": "failing the selection card (a criterion's minimum or the points threshold) ⇒ {category}",
        "rule.at_most": "at most {category}",
        "decision": "The recommendation {category} follows from the rule: {rule} ({evidence}).",
        "decision.lone": ("The project is the only one of the package that passes the gates: with nothing to "
                          "compare it with it has no rank or TOPSIS score; its attainment decides."),
        "decision.gate": ("The recommendation {category} follows from the rule: {rule}. Not met: {gates}. "
                          "The project was not scored or ranked."),
        "evidence.attainment": "attainment {share}",
        "evidence.card": "merit points {points} of {max_points} ({share})",
        "evidence.group": "{group}: {percent} of the group's weight",
        "condition.gate": "Meet the admissibility gate: {gate}.",
        "point.criterion": ("{criterion}: {value} ({share} of the criterion's scale; contribution {contribution} "
                            "of a possible {weight})"),
        "point.card": "{criterion}: {points} of {top} points{level} ({share} of the scale)",
        "point.group": "Group {group}: {percent} of the group's weight, below the minimum of {minimum}",
        "point.card_failed": "Fails the selection card: {reasons}",
        "point.gate": "Admissibility gate not met: {gate}",
        "card.below_minimum": "{criterion}: {points} < minimum {minimum}",
        "card.below_threshold": "total points {points} < threshold {threshold}",
        "robustness.top.1": "first",
        "robustness.top.2": "in the top 2",
        "robustness.top.3": "in the top 3",
        "robustness.stays": "stays",
        "robustness.is": "is",
        "robustness.sampler.dirichlet": "from a Dirichlet distribution around the base weights "
                                        "(concentration {concentration})",
        "robustness.sampler.uniform": "uniformly over the weight simplex",
        "robustness.sampler.ahp": "from perturbed AHP pairwise judgments",
        "robustness.sampler.panel": "from the individual weights of the panel's experts",
        "robustness.top_k": ("In {share} of weight scenarios the project {verb} {top} (first in {first}; "
                             "expected rank {expected}). SMAA-2: {samples} weight samples {sampler}, seed {seed}."),
        "robustness.first": ("In {share} of weight scenarios the project {verb} {top} (expected rank {expected}). "
                             "SMAA-2: {samples} weight samples {sampler}, seed {seed}."),
        "changes": "Changes since the previous version: {changes}.",
        "changes.score": "score {old} → {new}",
        "changes.rank": "rank {old} → {new}",
        "changes.recommendation": "recommendation {old} → {new}",
    },
}

#: the languages an opinion is written in
LANGS = tuple(WORDS)

#: the categories' labels by language (``LABELS["en"]["needs_rework"] == "needs rework"``)
LABELS: dict[str, dict[str, str]] = {
    lang: {c: words[f"category.{c}"] for c in _CATEGORIES} for lang, words in WORDS.items()}


def word(lang: str, key: str, **fmt) -> str:
    """The message ``key`` in ``lang``, its ``{placeholders}`` filled in from ``fmt``."""
    return WORDS[lang][key].format(**fmt)


def quote(text: str, lang: str) -> str:
    """``text`` in the language's quotation marks: „…” in Polish, "…" in English."""
    return word(lang, "quote", text=text)
