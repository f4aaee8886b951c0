"""Every problem of a document at once: pydantic's validation errors as located :class:`InputError` s."""

from __future__ import annotations

from .errors import InputError


def format_loc(loc: tuple) -> str:
    """Turn a pydantic error location into ``projects[3].scores.jst_count``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def validation_problems(exc, source: str | None = None) -> list[InputError]:
    """Every problem of a pydantic ``ValidationError`` as located :class:`InputError` s."""
    problems = []
    for err in exc.errors(include_url=False):
        msg = err.get("msg", "invalid value")
        inp = err.get("input")
        if err.get("type") not in ("missing",) and isinstance(inp, (str, int, float, bool)):
            shown = repr(inp)
            if len(shown) > 40:
                shown = shown[:37] + "..."
            msg = f"{msg} (got {shown})"
        problems.append(InputError(msg, source=source, where=format_loc(tuple(err.get("loc", ())))))
    return problems


def first_problem(problems: list[InputError]) -> InputError:
    """The first problem, saying how many more there are (``appraise validate`` lists them all)."""
    first = problems[0]
    if len(problems) > 1:
        more = len(problems) - 1
        return InputError(f"{first.message} (and {more} more problem{'s' if more > 1 else ''}; "
                          f"'appraise validate' lists them all)", source=first.source, where=first.where)
    return first
