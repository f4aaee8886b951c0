"""Advisory opinions (opinia doradcza, Komponent II): one per project, built from a package's ranking.

An :class:`Opinion` identifies the project (partnership, voivodeship, advisor, date, engine version,
input hash), gives its score and rank, a :class:`Recommendation` with the rule that decided it, a
per-criterion assessment, strengths, weaknesses and risks, a robustness sentence (when the SMAA is
run), conditions, and the advisor's own text. Files are written by :mod:`appraisal.io.opinion_output`
(DOCX through :mod:`appraisal.io.docx`, Markdown through :mod:`appraisal.io.markdown`, JSON).

The package, one seam a module (each imports only those before it; ``words`` by whoever writes text):

- ``words``: the opinion's language and the words its parts share (the categories' labels, quotation
  marks); every sentence is a gettext message, in English in the code and Polish in
  ``criteria/locale/pl/LC_MESSAGES/opinions.po``;
- ``models``: the schema of an opinion and of a package's bundle (pydantic);
- ``numbers``: what an opinion prints — values, contributions, attainment, group percentages, the
  selection card, strengths and weaknesses, the robustness run (definitions in its docstring);
- ``rules``: the recommendation rules — which category, and which rule says so;
- ``build``: opinions and the bundle assembled from a ranking (the entry points).

Every name is importable from here, as it was from the one module this package replaced.
"""

from __future__ import annotations

from .build import (
    advisor_digest,
    build_bundle,
    build_opinions,
    categories,
    opinions_input_hash,
    ranking_for_opinions,
    recommend,
)
from .models import (
    SCHEMA_VERSION,
    AdvisorText,
    CardSummary,
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
    Robustness,
    RuleRef,
    SummaryRow,
    bundle_schema,
    opinion_schema,
)
from .numbers import HALF_TOLERANCE, TOP_STRENGTHS, RobustnessRun, robustness, split_points
from .rules import RULE_TOLERANCE, Decision, decide, load_opinion_rules, rules_for
from .rules import _rule_ref as _rule_ref  # the rule texts, tested on their own
from .rules import _Words as _Words
from .words import LANGS, category_label, category_labels, language, quote

__all__ = [
    "HALF_TOLERANCE", "LANGS", "RULE_TOLERANCE", "SCHEMA_VERSION", "TOP_STRENGTHS",
    "AdvisorText", "CardSummary", "ChangeBlock", "CriterionAssessment", "Decision", "FundingLine",
    "GroupAssessment", "Identification", "Opinion", "OpinionBundle", "Point", "Previous", "Recommendation",
    "Robustness", "RobustnessRun", "RuleRef", "SummaryRow", "advisor_digest", "build_bundle", "build_opinions",
    "bundle_schema", "categories", "category_label", "category_labels", "decide", "language",
    "load_opinion_rules", "opinion_schema", "opinions_input_hash", "quote", "ranking_for_opinions", "recommend",
    "robustness", "rules_for", "split_points",
]
