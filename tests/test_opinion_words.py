"""The opinion's words: gettext messages in English in the code, Polish from the catalogs (opinions.po).

An opinion made in the default language (no ``APPRAISE_LANG``, no ``lang=``) is Polish through and
through: its category, rules, reasons, strengths and weaknesses, card reasons and robustness sentence,
in the JSON record and in the Markdown document, hold none of the English sentences of the opinion code
and name the criteria by their Polish labels, never by their ids. (That every message has its Polish at
all is tests/test_i18n.py.)
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract

from appraisal import opinions as op
from appraisal.criteria import InputError, i18n
from appraisal.criteria.models import RECOMMENDATIONS
from appraisal.io.formats import load_package
from appraisal.io.markdown import write_opinion_markdown
from appraisal.opinions import words

OPINIONS = Path(words.__file__).parent
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "pakiet_dolina_baryczy.json"
KARTA = ROOT / "samples" / "pakiet_karta.json"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}

#: the categories as the glossary (docs/design.md#glossary) names them in Polish
POLISH_CATEGORIES = {"recommended": "rekomendowany", "recommended_with_conditions": "rekomendowany warunkowo",
                     "needs_rework": "do przeformułowania", "not_recommended": "nierekomendowany"}


def english_phrases() -> set[str]:
    """The English phrases of the opinion code's messages: each message cut at its ``{placeholders}`` and
    punctuation, the pieces of two words or more (one word, "rank", may be part of a Polish one)."""
    out = set()
    for path in sorted(OPINIONS.glob("*.py")):
        with open(path, "rb") as fh:
            for _, message, _, _ in extract("python", fh, keywords=KEYWORDS):
                for text in message if isinstance(message, tuple) else (message,):
                    for literal, _, _, _ in string.Formatter().parse(text):
                        for piece in re.split(r"[{}();:,.⇒→<≥\"—]+", literal):
                            piece = piece.strip()
                            if len(piece.split()) >= 2:
                                out.add(piece)
    return out


def texts(opinion) -> list[str]:
    """Every human-readable text of an opinion's JSON record (its keys and ids are the machine's)."""
    doc = opinion.model_dump(mode="json")
    out = [doc["recommendation_label"], doc["decision_text"], doc["score_label"]]
    out += [r["text"] for r in [doc["decided_by"], *doc["rules_applied"]]]
    out += [p["text"] for p in doc["strengths"] + doc["weaknesses"] + doc["failed_gates"]]
    out += doc["conditions"] + ((doc["card"] or {}).get("reasons") or [])
    out += [doc["robustness"]["text"]] if doc["robustness"] else []
    out += [doc["changes"]["text"]] if doc["changes"] else []
    out += [c["label"] for c in doc["criteria"]] + [c["value_text"] for c in doc["criteria"]]
    return out


def found(phrases: set[str], text: str) -> list[str]:
    return sorted(p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))


@pytest.fixture
def default_language(monkeypatch):
    """No language chosen anywhere: the product's default."""
    monkeypatch.delenv("APPRAISE_LANG", raising=False)
    i18n.set_language(None)
    assert i18n.current() == "pl"


def opinions_of(path: Path, lang: str | None = None, samples: int = 200):
    rk = op.ranking_for_opinions(load_package(path))
    run = op.robustness(rk, samples, 0) if samples else None
    return rk, op.build_opinions(rk, robustness=run, lang=lang)


def test_the_categories_have_their_labels_in_both_languages():
    assert op.category_labels("pl") == POLISH_CATEGORIES
    assert op.category_labels("en") == {c: c.replace("_", " ") for c in RECOMMENDATIONS}
    for r in op.Recommendation:
        assert r.label("pl") == POLISH_CATEGORIES[r.value] and r.label("en") == r.value.replace("_", " ")


def test_the_current_language_decides_where_none_is_given(monkeypatch):
    monkeypatch.setenv("APPRAISE_LANG", "en")
    assert op.Recommendation.NEEDS_REWORK.label() == "needs rework" and op.quote("x") == '"x"'
    with i18n.use("pl"):
        assert op.Recommendation.NEEDS_REWORK.label() == "do przeformułowania" and op.quote("x") == "„x”"
    with pytest.raises(InputError, match="'de'"):
        op.language("de")


def test_a_default_opinion_is_polish_in_its_record_and_its_document(default_language, tmp_path):
    english = english_phrases()
    assert len(english) > 20, english  # the messages were found
    for path in (SAMPLE, KARTA):
        rk, ops = opinions_of(path)
        ids = [c.id for c in rk.criteria] + [g.id for g in rk.package.criteria_set.gates]
        labels = {c.id: c.label.get("pl") for c in rk.package.criteria_set.leaves()}
        for o in ops:
            assert o.lang == "pl"
            assert o.recommendation_label == POLISH_CATEGORIES[o.recommendation.value]
            assert o.decision_text.startswith(f"Rekomendacja „{o.recommendation_label}” wynika z reguły: ")
            assert [c.label for c in o.criteria] == [labels[c.id] for c in o.criteria]
            md = write_opinion_markdown(o, tmp_path / f"{o.identification.project_id}.md").read_text("utf-8")
            for text in [*texts(o), md]:
                assert not found(english, text), (o.identification.project_id, found(english, text), text)
                # criteria and gates by their labels, never by their ids (ids with "_" cannot be Polish words)
                assert not [i for i in ids if "_" in i and re.search(rf"(?<!\w){re.escape(i)}(?!\w)", text)], text
        # the reasons of each kind are there to be checked
        assert any(o.strengths for o in ops) and any(o.weaknesses for o in ops)
        assert any(o.robustness for o in ops) and all(o.robustness.text.startswith("W ") for o in ops if o.robustness)
    # the selection card: a failed card says why, in Polish, by the criterion's Polish label
    rk, ops = opinions_of(KARTA, samples=0)
    failed = [o for o in ops if o.card is not None and not o.card.passed]
    assert failed, "the card sample has a project that fails the card"
    labels = [c.label.get("pl") for c in rk.package.criteria_set.leaves()]
    for o in failed:
        assert o.card.reasons
        for reason in o.card.reasons:
            assert reason.startswith("suma punktów ") or any(reason.startswith(f"{label}: ") for label in labels)
        assert any(p.kind == "card" and p.text.startswith("Niespełnione wymogi karty oceny: ") for p in o.weaknesses)


def test_the_same_opinion_in_english_holds_the_english_phrases(default_language):
    """The check above could fail: the English opinion of the same package does hold those phrases."""
    english = english_phrases()
    for path in (SAMPLE, KARTA):
        _, ops = opinions_of(path, "en")
        seen = set()
        for o in ops:
            assert o.lang == "en" and o.recommendation_label == o.recommendation.value.replace("_", " ")
            for text in texts(o):
                seen.update(found(english, text))
        assert len(seen) >= 5, seen
    assert i18n.current() == "pl"  # lang="en" changed the language of the opinions only


def test_the_opinion_json_keys_do_not_depend_on_the_language(default_language):
    def keys(value, path=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield f"{path}.{k}"
                yield from keys(v, f"{path}.{k}")
        elif isinstance(value, list):
            for v in value:
                yield from keys(v, f"{path}[]")

    for path in (SAMPLE, KARTA):
        _, pl = opinions_of(path, "pl", samples=100)
        _, en = opinions_of(path, "en", samples=100)
        for a, b in zip(pl, en, strict=True):
            da, db = json.loads(a.model_dump_json()), json.loads(b.model_dump_json())
            assert set(keys(da)) == set(keys(db))
            assert da["recommendation"] == db["recommendation"] and da["decided_by"]["id"] == db["decided_by"]["id"]
            assert da["score"] == db["score"] and da["rank"] == db["rank"]


def test_the_opinion_code_never_asks_which_language():
    """The words come from the catalogs: no ``lang == "pl"`` branch and no table keyed by language in the
    opinion code."""
    branch = re.compile(r"""\blang\s*[!=]=\s*['"]|["'](pl|en)["']\s*:\s*[{"']""")
    found_ = [f"{path.name}:{i}" for path in sorted(OPINIONS.glob("*.py"))
              for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if branch.search(line)]
    assert not found_, found_
