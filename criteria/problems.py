"""Every problem of a document at once: pydantic's validation errors as located :class:`InputError` s.

pydantic words its errors in English; the common ones are translated here by their ``type`` (the
English stays pydantic's own text), and our own validators' messages are translated where they are
raised (``ValueError(_("..."))`` in :mod:`.models`).
"""

from __future__ import annotations

from typing import Any

from .errors import InputError
from .i18n import N_, _, ngettext, pgettext

#: pydantic's error types, by the English template pydantic words them with (its ``ctx`` fills the fields)
MESSAGES = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "float_type": N_("Input should be a valid number"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_type": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "finite_number": N_("Input should be a finite number"),
    "literal_error": N_("Input should be {expected}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "string_type": N_("Input should be a valid string"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "list_type": N_("Input should be a valid list"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "value_error": N_("Value error, {error}"),
}


def _field_type(word: Any) -> str:
    """pydantic's name of a container (``List``, ``Dictionary`` …) in the current language."""
    names = {"List": pgettext("pydantic", "List"), "Dictionary": pgettext("pydantic", "Dictionary"),
             "Tuple": pgettext("pydantic", "Tuple"), "Set": pgettext("pydantic", "Set"),
             "Value": pgettext("pydantic", "Value"), "Data": pgettext("pydantic", "Data")}
    return names.get(str(word), str(word))


def _counted(kind: str, ctx: dict[str, Any]) -> str | None:
    """The length errors, whose wording depends on a number (None for another type)."""
    if kind == "too_short":
        return ngettext("{field_type} should have at least {min_length} item after validation, not {actual_length}",
                        "{field_type} should have at least {min_length} items after validation, not {actual_length}",
                        int(ctx["min_length"]))
    if kind == "too_long":
        return ngettext("{field_type} should have at most {max_length} item after validation, not {actual_length}",
                        "{field_type} should have at most {max_length} items after validation, not {actual_length}",
                        int(ctx["max_length"]))
    if kind == "string_too_short":
        return ngettext("String should have at least {min_length} character",
                        "String should have at least {min_length} characters", int(ctx["min_length"]))
    if kind == "string_too_long":
        return ngettext("String should have at most {max_length} character",
                        "String should have at most {max_length} characters", int(ctx["max_length"]))
    return None


#: how the English length templates above begin (untranslated: pydantic's own text is shown)
_ENGLISH_LENGTH = ("{field_type} should have", "String should have")


def _shown(value: Any) -> Any:
    """A context value as pydantic shows it (``0.0`` as ``0``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def error_message(err: dict[str, Any]) -> str:
    """The message of one pydantic error (``exc.errors()`` item) in the current language: pydantic's own
    English text, or its translation (by the error's type, with pydantic's context filled in)."""
    english = err.get("msg") or _("invalid value")
    kind = err.get("type")
    ctx = dict(err.get("ctx") or {})
    try:
        counted = _counted(str(kind), ctx)
        if counted is not None:
            if counted.startswith(_ENGLISH_LENGTH):
                return english  # not translated: pydantic's own words
            ctx["field_type"] = _field_type(ctx.get("field_type", ""))
            return counted.format(**{k: _shown(v) for k, v in ctx.items()})
        template = MESSAGES.get(str(kind))
        if template is None:
            return english
        text = _(template)
        if text == template:
            return english
        if kind == "literal_error":
            ctx["expected"] = str(ctx.get("expected", "")).replace("' or '", "' " + pgettext("pydantic", "or") + " '")
        if kind == "value_error":
            ctx["error"] = str(ctx.get("error", "")).removeprefix("Value error, ")
        return text.format(**{k: _shown(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError, TypeError):
        return english


def format_loc(loc: tuple) -> str:
    """Turn a pydantic error location into ``projects[3].scores.jst_count``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or _("(top level)")


def validation_problems(exc, source: str | None = None) -> list[InputError]:
    """Every problem of a pydantic ``ValidationError`` as located :class:`InputError` s."""
    problems = []
    for err in exc.errors(include_url=False):
        msg = error_message(err)
        inp = err.get("input")
        if err.get("type") not in ("missing",) and isinstance(inp, (str, int, float, bool)):
            shown = repr(inp)
            if len(shown) > 40:
                shown = shown[:37] + "..."
            msg = _("{message} (got {value})").format(message=msg, value=shown)
        problems.append(InputError(msg, source=source, where=format_loc(tuple(err.get("loc", ())))))
    return problems


def first_problem(problems: list[InputError]) -> InputError:
    """The first problem, saying how many more there are (``appraise validate`` lists them all)."""
    first = problems[0]
    if len(problems) > 1:
        more = len(problems) - 1
        return InputError(ngettext("{message} (and {n} more problem; 'appraise validate' lists them all)",
                                   "{message} (and {n} more problems; 'appraise validate' lists them all)",
                                   more).format(message=first.message, n=more),
                          source=first.source, where=first.where)
    return first
