"""The ranking methods, one registry entry each: everything the engine, the writers and the CLI need to
know about a method lives here, so a new method is one kernel file and one entry (:data:`METHODS`).

An entry (:class:`Method`) gives
- ``name`` (the ``--method`` choice and the ``method`` field of every output) and ``title`` (the English
  gettext msgid of its label: :meth:`Method.label_in` gives it in the current language);
- ``kernel``: where the scoring function is, ``"module:function"``, imported on first use (so the CLI
  can read its choices from here without importing numpy); the function is
  ``f(x, w, directions, normalization, reference)`` → scores of shape (..., m) for matrices
  (m, n)/(B, m, n) and weights (n,)/(S, n), broadcast as in :mod:`appraisal.topsis` (None for the
  selection card, whose points come from the criteria set, not from weights);
- ``higher_is_better``: every rank is taken on the *oriented* score (:meth:`Method.oriented`:
  the score itself, or its negation for a lower-is-better method such as VIKOR's Q);
- ``normalizations``: the normalizations the user may choose (TOPSIS's); a method without a choice
  reports ``fixed_normalization`` as its normalization in the outputs (WSM: ``minmax``);
- ``cross_checks``: the other methods shown beside it, in this order;
- ``weighted``: the method reads the weights (sensitivity analysis varies them, so it refuses a
  method that does not);
- ``card``: the method ranks by the selection card (scores are card points, shown as amounts; ranks
  by :func:`appraisal.points.card_ranks`; needs a package with a criteria set);
- ``portfolio_value``: what the portfolio sums per project, higher better and ≥ 0 (default: the
  score itself, for a higher-is-better method; a lower-is-better method must give its own, or the
  portfolio refuses it rather than silently maximise a score that should be minimised);
- ``score_label`` (the English msgid; ``{norm}`` stands for the normalization's words) for opinions.

Every label a user reads is a gettext message (English in the code, Polish in the catalogs): the method's,
its score's (:meth:`Method.describe`) and those of the variants compared beside it (:func:`variant_label`:
``topsis_reference`` is "TOPSIS (reference levels)"), so no internal name reaches a user.

Importing this module imports no kernel and not numpy (the CLI reads its choices from here at start-up).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .criteria import i18n
from .criteria.errors import InputError
from .criteria.i18n import N_, _

#: TOPSIS normalizations; ``reference`` (R-TOPSIS) needs a criteria set's value functions
NORMALIZATIONS = ("vector", "minmax", "reference")

#: words for the TOPSIS normalizations in score labels (gettext msgids, translated when used)
NORMALIZATION_WORDS = {"vector": N_("vector"), "minmax": N_("min-max"), "reference": N_("reference, R-TOPSIS")}

#: the variants a ranking is compared with (:meth:`Method.key`), as a user reads them
VARIANT_LABELS = {"topsis_vector": N_("TOPSIS (vector normalization)"),
                  "topsis_minmax": N_("TOPSIS (min-max normalization)"),
                  "topsis_reference": N_("TOPSIS (reference levels)")}


def check_normalization(normalization: str, has_reference: bool = True, param: str = "normalization") -> None:
    """An unknown normalization, or ``reference`` without a criteria set's value functions, is an error."""
    if normalization not in NORMALIZATIONS:
        raise InputError(_("unknown normalization {normalization!r}; use {known}").format(
            normalization=normalization, known=", ".join(NORMALIZATIONS)), param=param)
    if normalization == "reference" and not has_reference:
        raise InputError(_("the reference normalization (R-TOPSIS) needs a package whose criteria set gives every "
                           "criterion its reference levels; a plain matrix has none"), param=param)


@dataclass(frozen=True)
class Method:
    """One ranking method (see the module docstring for the fields)."""

    name: str
    title: str  # the label's English msgid (N_): label_in() translates it
    score_label: str  # the English msgid, {norm}: the normalization's words
    help: str  # the --method help (an English msgid, or a name)
    kernel: str | None
    higher_is_better: bool = True
    normalizations: tuple[str, ...] = ()
    fixed_normalization: str | None = None
    cross_checks: tuple[str, ...] = ()
    weighted: bool = True
    card: bool = False
    portfolio_value: Callable[[Any], Any] | None = None
    reference: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def label_in(self, lang: str | None = None) -> str:
        """The method's label in ``lang`` (None: the current language), e.g. "selection card"."""
        with i18n.use(lang):
            return _(self.title)

    @property
    def label(self) -> i18n.InLanguage:
        """The label by language, ``label["pl"]`` (kept for the writers; prefer :meth:`label_in`)."""
        return i18n.InLanguage(self.title)

    def normalization_label(self, normalization: str | None) -> str | None:
        """The normalization this method reports in its outputs, given the one asked for."""
        return normalization if self.normalizations else self.fixed_normalization

    def key(self, normalization: str | None) -> str:
        """The name of this method's scores as a cross-check (``topsis_vector``, ``wsm``, ...)."""
        return f"{self.name}_{normalization}" if self.normalizations else self.name

    @property
    def run(self) -> Callable[..., Any] | None:
        """The kernel function itself (imported on first use), None for the selection card."""
        return None if self.kernel is None else _load(self.kernel)

    def scores(self, x, w, directions, normalization: str = "vector", reference: Any = None):
        """The method's own scores (not oriented) for broadcastable (..., m, n) × (..., n)."""
        if self.kernel is None:
            raise InputError(_("method {method!r} does not score from weights (it needs a package's selection "
                               "card); weighted methods: {methods}").format(method=self.name,
                                                                          methods=", ".join(weighted_names())))
        if self.normalizations:
            check_normalization(normalization, reference is not None)
        return _load(self.kernel)(x, w, directions, normalization, reference)

    def oriented(self, scores):
        """Scores turned so that higher is better (negated for a lower-is-better method)."""
        import numpy as np

        s = np.asarray(scores, dtype=float)
        return s if self.higher_is_better else -s

    def values_for_portfolio(self, scores):
        """What the portfolio maximises the sum of (see ``portfolio_value``)."""
        import numpy as np

        s = np.asarray(scores, dtype=float)
        if self.portfolio_value is not None:
            return np.asarray(self.portfolio_value(s), dtype=float)
        if not self.higher_is_better:
            raise InputError(_("the portfolio sums scores where higher is better; method {method!r} ranks lower "
                               "scores first and gives no value to sum").format(method=self.name), param="method")
        return s

    def describe(self, normalization: str | None, lang: str | None = None) -> str:
        """The score's label in an opinion, e.g. "TOPSIS (vector normalization)", in ``lang`` (None: the
        current language)."""
        with i18n.use(lang):
            word = NORMALIZATION_WORDS.get(normalization or "")
            return _(self.score_label).format(norm=_(word) if word else normalization or "")


@cache
def _load(spec: str) -> Callable[..., Any]:
    module, _sep, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


METHODS: tuple[Method, ...] = (
    Method(name="topsis", title="TOPSIS",  # a name, the same in every language
           score_label=N_("TOPSIS ({norm} normalization)"),
           help="TOPSIS", kernel="appraisal.topsis:topsis", normalizations=NORMALIZATIONS, cross_checks=("wsm",),
           reference="Hwang & Yoon 1981"),
    Method(name="wsm", title=N_("WSM (weighted sum)"),
           score_label=N_("WSM (weighted sum, min-max)"),
           help=N_("weighted sum"), kernel="appraisal.wsm:kernel", fixed_normalization="minmax", cross_checks=("topsis",)),
    Method(name="points", title=N_("selection card"),
           score_label=N_("selection card points"),
           help=N_("the selection card's total points (packages)"), kernel=None, cross_checks=("topsis", "wsm"),
           weighted=False, card=True),
    Method(name="vikor", title="VIKOR",  # a name, the same in every language
           score_label=N_("VIKOR (Q, v = 0.5; lower is better)"),
           help=N_("VIKOR (Q, lower is better)"), kernel="appraisal.vikor:kernel", higher_is_better=False,
           fixed_normalization="minmax", cross_checks=("topsis", "wsm"), portfolio_value=lambda q: 1.0 - q,
           reference="Opricovic & Tzeng 2004"),
)

_BY_NAME = {m.name: m for m in METHODS}


def names() -> list[str]:
    """Every method's name, in registry order (the CLI's ``--method`` choices)."""
    return [m.name for m in METHODS]


def weighted_names() -> list[str]:
    """The methods that read the weights (sensitivity analysis, robustness)."""
    return [m.name for m in METHODS if m.weighted]


def get(name: str, param: str | None = "method") -> Method:
    """The registry entry of ``name``; an unknown name is an :class:`InputError` listing the known ones."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise InputError(_("unknown method {method!r}; known methods: {known}").format(
            method=name, known=", ".join(names())), param=param) from None


def variant_label(key: str, lang: str | None = None) -> str:
    """What a user reads for a method's scores by name or variant key (:meth:`Method.key`: ``wsm``,
    ``topsis_reference``, ...) in ``lang`` (None: the current language); an unknown key as it is."""
    with i18n.use(lang):
        if key in VARIANT_LABELS:
            return _(VARIANT_LABELS[key])
        if key in _BY_NAME:
            return _BY_NAME[key].label_in()
        return key


__all__ = ["METHODS", "Method", "check_normalization", "get", "names", "variant_label", "weighted_names"]
