"""Criteria sets: the models, the built-in sets (data files in ``sets/``) and their loading.

This package knows nothing of the engine that uses it. Its names are imported on first use
(``from appraisal.criteria import InputError`` does not load pydantic):

- ``errors``: :class:`InputError`, the one error type for bad input (plain Python);
- ``judgments``: pairwise judgments as typed (plain Python);
- ``documents``: reading JSON/TOML documents within limits;
- ``models``: the pydantic models of a set; ``problems``: validation errors as InputErrors;
- ``sets``: the built-in sets, loading a set file, its checks and JSON Schema.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "InputError": "errors", "one_line": "errors",
    "parse_judgment": "judgments", "RECIPROCITY_TOLERANCE": "judgments", "THOUSANDS_SEPARATORS": "judgments",
    "parse_document": "documents", "read_document": "documents",
    "validation_problems": "problems", "first_problem": "problems", "format_loc": "problems",
    "builtin_sets": "sets", "criteria_problems": "sets", "criteria_from_document": "sets",
    "load_criteria": "sets", "criteria_schema": "sets",
    **{name: "models" for name in (
        "Breakpoint", "CardRules", "CriteriaSet", "Criterion", "Gate", "Group", "Judgments", "Level",
        "OpinionRules", "Reference", "Scale", "Text", "Weighting", "weighting_problems")},
}

__all__ = sorted(_WHERE)  # noqa: PLE0605


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
