"""The words an opinion's parts share: its language, the categories' labels, the quotation marks.

Every sentence of an opinion is a gettext message written in English where it is made
(``_("attainment {op} {share}").format(op=..., share=...)``) and translated into Polish by
``criteria/locale/pl/LC_MESSAGES/opinions.po`` (``tests/test_i18n.py`` fails on a message without its
Polish, or a translation that loses a ``{placeholder}``). An opinion is made in one language: the entry
points render inside ``with i18n.use(lang):`` (:func:`appraisal.criteria.i18n.use`), so the opinion code
never asks which language it writes.

The values filled in (the criteria set's labels in the opinion's language, numbers already formatted by
:mod:`appraisal.numfmt`) are inserted as they are; only the messages are translated. Plain Python: this
module imports nothing of the engine.
"""

from __future__ import annotations

from ..criteria import i18n
from ..criteria.errors import InputError
from ..criteria.i18n import _, pgettext
from ..criteria.models import RECOMMENDATIONS

#: the languages an opinion is written in
LANGS = i18n.LANGUAGES


def language(lang: str | None) -> str:
    """``lang`` checked (an :class:`InputError` for a language the opinions are not written in), or the
    current language (:func:`appraisal.criteria.i18n.current`) when None."""
    if lang is None:
        return i18n.current()
    if lang not in LANGS:
        raise InputError(_("opinions are written in {languages}, not in {lang!r}").format(
            languages=", ".join(LANGS), lang=lang), param="lang")
    return lang


def category_label(category: str) -> str:
    """The label of a category (one of :data:`~appraisal.criteria.models.RECOMMENDATIONS`) in the current
    language: ``needs_rework`` → "needs rework" / "do przeformułowania"."""
    labels = {
        "recommended": pgettext("recommendation", "recommended"),
        "recommended_with_conditions": pgettext("recommendation", "recommended with conditions"),
        "needs_rework": pgettext("recommendation", "needs rework"),
        "not_recommended": pgettext("recommendation", "not recommended"),
    }
    return labels[category]


def category_labels(lang: str | None = None) -> dict[str, str]:
    """Every category's label in ``lang`` (None: the current language), best first."""
    with i18n.use(language(lang)):
        return {c: category_label(c) for c in RECOMMENDATIONS}


def quote(text: str) -> str:
    """``text`` in the current language's quotation marks: "…" in English, „…” in Polish."""
    return pgettext("quotation marks", '"{text}"').format(text=text)
