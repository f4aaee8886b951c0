"""The engine over pandas: rank the rows of a DataFrame (alternatives × criteria)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .criteria.errors import InputError
from .criteria.i18n import _
from .ranking import rank_matrix


def _by_column(values: Any, columns: list[str], what: str) -> list[Any]:
    """``values`` in column order; ``what``: ``weights`` or ``directions`` (the parameter)."""
    if isinstance(values, Mapping):
        keys = list(values.keys())
        unknown = [k for k in keys if k not in columns]
        if unknown:
            text = (_("weights given for unknown column(s) {columns}") if what == "weights"
                    else _("directions given for unknown column(s) {columns}"))
            raise InputError(text.format(columns=unknown))
        missing = [c for c in columns if c not in keys]
        if missing:
            text = (_("no weight given for column(s) {columns}") if what == "weights"
                    else _("no direction given for column(s) {columns}"))
            raise InputError(text.format(columns=missing))
        return [values[c] for c in columns]
    if isinstance(values, str):
        return values.split(",")
    return list(values)


def _str_keys(values: Any) -> Any:
    """Mappings and Series keyed like the (stringified) column labels."""
    if isinstance(values, (Mapping, pd.Series)):
        return {str(k): v for k, v in values.items()}
    return values


def rank_frame(df: pd.DataFrame, weights: Any, directions: Any, method: str = "topsis",
               normalization: str = "vector") -> pd.DataFrame:
    """Score and rank the rows of ``df`` (index: alternatives; columns: criteria).

    ``weights`` and ``directions`` are sequences in column order or mappings by column name;
    directions are ``"+"``/``"-"`` (or ``"benefit"``/``"cost"``). Weights are normalised to sum 1.
    Returns a DataFrame with the same index and the columns ``score`` and ``rank`` (1 = best,
    ties share the smallest rank) and the cross-check method's score and rank, rows in the
    order of ``df``.
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(_("expected a pandas DataFrame of alternatives × criteria"))
    columns = [str(c) for c in df.columns]
    bad = [c for c, dt in zip(columns, df.dtypes) if not pd.api.types.is_numeric_dtype(dt)
           or pd.api.types.is_bool_dtype(dt)]
    if bad:
        raise InputError(_("column(s) {columns} are not numeric").format(columns=bad))
    renamed = df.set_axis(columns, axis=1)
    w = _by_column(_str_keys(weights), columns, "weights")
    d = _by_column(_str_keys(directions), columns, "directions")
    ids = [str(i) for i in df.index]
    ranking = rank_matrix(ids, columns, renamed.to_numpy(dtype=float), w, d, method, normalization)
    out = ranking.to_frame().drop(columns=["title"])
    out = out.loc[ids]
    out.index = df.index
    return out.astype({"rank": np.int64})


# --- a package from DataFrames ------------------------------------------------------------------------------

_PROJECT_FIELDS = ("title", "lead_jst", "partners", "cost", "status", "description")


def _cell(value: Any) -> Any:
    """A DataFrame cell as the package model takes it: numpy scalars as Python, NaN/NA as missing."""
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _rows(df: Any, name: str) -> dict[str, dict[str, Any]]:
    """``{project id: {column: value}}`` of a frame indexed by project id, missing cells left out."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(_("expected a pandas DataFrame indexed by project id, got {type}").format(type=type(df).__name__),
                         param=name)
    if not df.index.is_unique:
        dup = df.index[df.index.duplicated()][0]
        raise InputError(_("project {id!r} has more than one row").format(id=dup), param=name)
    out = {}
    for pid, row in df.iterrows():
        out[str(pid)] = {str(c): v for c, v in ((c, _cell(v)) for c, v in row.items()) if v is not None}
    return out


def package_from_frames(projects: pd.DataFrame, scores: pd.DataFrame, *, partnership: str | Mapping[str, Any],
                        criteria: Any = "cwd", gates: pd.DataFrame | None = None,
                        funding: pd.DataFrame | None = None, comments: pd.DataFrame | None = None,
                        weights: Mapping[str, Any] | None = None, budget: float | None = None,
                        advisor: str | None = None, date: Any = None):
    """A checked :class:`~appraisal.package.Package` from DataFrames, as a notebook holds a package.

    - ``projects``: indexed by project id, rows in package order; a ``title`` column, optional
      ``lead_jst``, ``partners`` (a list or ``;``-separated text), ``cost`` (PLN), ``status``, ``description``;
    - ``scores``: indexed by project id, one column per leaf (and bonus) criterion id of the set;
    - ``gates``: indexed by project id, one boolean column per gate id (omitted: every gate met);
    - ``funding``: long, one row per source: columns ``project``, ``source``, ``amount`` (PLN, optional);
    - ``comments``: indexed by project id, a column per criterion id, the advisor's text;
    - ``partnership``: its name, or ``{"name", "voivodeship", "members"}``; ``criteria``: a built-in set
      name, a set file, or a :class:`~appraisal.criteria.CriteriaSet`; ``weights``: overrides by group id.

    Every problem is an :class:`InputError` naming the frame (``param``) and the project and column.
    """
    from .package import package_from_document

    head = _rows(projects, "projects")
    marks = _rows(scores, "scores")
    unknown = [pid for pid in marks if pid not in head]
    if unknown:
        raise InputError(_("scores for project {id!r}, which is not in projects").format(id=unknown[0]), param="scores")
    answers = _rows(gates, "gates") if gates is not None else {}
    notes = _rows(comments, "comments") if comments is not None else {}
    for frame_name, table in (("gates", answers), ("comments", notes)):
        stray = [pid for pid in table if pid not in head]
        if stray:
            raise InputError(_("a row for project {id!r}, which is not in projects").format(id=stray[0]), param=frame_name)
    money: dict[str, list[dict[str, Any]]] = {}
    if funding is not None:
        if not isinstance(funding, pd.DataFrame) or not {"project", "source"} <= {str(c) for c in funding.columns}:
            raise InputError(_("expected a DataFrame with the columns project, source (and amount)"), param="funding")
        for k, row in enumerate(funding.to_dict("records")):
            pid = str(row["project"])
            if pid not in head:
                raise InputError(_("row {row}: project {id!r} is not in projects").format(row=k + 1, id=pid), param="funding")
            line = {"source": _cell(row["source"])}
            if _cell(row.get("amount")) is not None:
                line["amount"] = _cell(row["amount"])
            money.setdefault(pid, []).append(line)
    extra = [c for c in (str(c) for c in projects.columns) if c not in _PROJECT_FIELDS]
    if extra:
        raise InputError(_("unknown column(s) {columns}; projects takes {fields}").format(
            columns=extra, fields=", ".join(_PROJECT_FIELDS)), param="projects")
    docs = []
    for pid, fields in head.items():
        if isinstance(fields.get("partners"), str):
            fields["partners"] = [p.strip() for p in fields["partners"].split(";") if p.strip()]
        docs.append({"id": pid, **fields, "scores": marks.get(pid, {}), "gates": answers.get(pid, {}),
                     "comments": notes.get(pid, {}), "funding": money.get(pid, [])})
    doc: dict[str, Any] = {
        "partnership": {"name": partnership} if isinstance(partnership, str) else dict(partnership),
        "criteria": criteria, "projects": docs,
        **({"weights": dict(weights)} if weights else {}),
        **({"budget": budget} if budget is not None else {}),
        **({"advisor": advisor} if advisor is not None else {}),
        **({"date": date} if date is not None else {}),
    }
    if gates is None:  # every gate of the set met
        from .criteria.sets import load_criteria

        cs = load_criteria(criteria) if isinstance(criteria, str) else criteria
        for d in docs:
            d["gates"] = dict.fromkeys((g.id for g in cs.gates), True)
    return package_from_document(doc, source=_("DataFrames"))
