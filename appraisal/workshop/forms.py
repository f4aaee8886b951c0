"""What a participant may send, checked on the server with pydantic (the models the JSON API and forms share).

A judgment names a judged group and two of its items; its value is read by the engine's own judgment parser
(:func:`appraisal.criteria.judgments.parse_judgment`, the one :class:`appraisal.criteria.models.Judgments`
uses: numbers or fractions such as ``1/3``) and must then be a value of Saaty's 1–9 scale. ``None`` skips
the pair. A batch is refused whole at its first problem, with a message naming it; nothing is stored.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..criteria.i18n import _
from ..criteria.judgments import parse_judgment
from .analysis import Node, check_value
from .store import Answer

MAX_TEXT = 120
MAX_JUDGMENTS = 500


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class JoinIn(_Model):
    name: str = Field(min_length=1, max_length=MAX_TEXT)
    role: str = Field(default="", max_length=MAX_TEXT)
    jst: str = Field(default="", max_length=MAX_TEXT)


class JudgmentIn(_Model):
    group: str = Field(min_length=1, max_length=MAX_TEXT)
    row: str = Field(min_length=1, max_length=MAX_TEXT)
    column: str = Field(min_length=1, max_length=MAX_TEXT)
    value: float | str | None

    @field_validator("value", mode="before")
    @classmethod
    def _scale(cls, value):
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "skip")):
            return None
        return check_value(parse_judgment(value))


class SubmissionIn(_Model):
    participant_id: str = Field(min_length=1, max_length=64)
    judgments: list[JudgmentIn] = Field(max_length=MAX_JUDGMENTS)


class WeightIn(_Model):
    weight: float = Field(ge=0, le=100, allow_inf_nan=False)


def first_error(exc: ValidationError) -> str:
    """The first problem of a pydantic error, in one line: where and what."""
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ()))
    msg = err.get("msg", "")
    msg = msg.removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def to_answers(judgments: list[JudgmentIn], nodes: list[Node]) -> list[Answer]:
    """The judgments as stored answers, each pair turned to the group's order (``row`` before ``column``);
    a ValueError naming the first judgment that does not fit the session's groups."""
    by_id = {n.id: n for n in nodes}
    out: list[Answer] = []
    seen: set[tuple[str, str, str]] = set()
    for k, j in enumerate(judgments, start=1):
        node = by_id.get(j.group)
        where = _("judgment {k}").format(k=k)
        if node is None:
            raise ValueError(_("{where}: group {group!r} is not judged in this session").format(where=where,
                                                                                              group=j.group))
        ids = node.ids
        for item in (j.row, j.column):
            if item not in ids:
                raise ValueError(_("{where}: {item!r} is not compared in group {group!r}").format(
                    where=where, item=item, group=j.group))
        if j.row == j.column:
            raise ValueError(_("{where}: a pair needs two different items, got {item!r} twice").format(
                where=where, item=j.row))
        row, column, value = j.row, j.column, j.value
        if ids.index(row) > ids.index(column):
            row, column = column, row
            value = None if value is None else check_value(1.0 / value)
        key = (node.id, row, column)
        if key in seen:
            raise ValueError(_("{where}: the pair {row} – {column} is given twice").format(
                where=where, row=row, column=column))
        seen.add(key)
        out.append(Answer(node.id, row, column, value))
    return out
