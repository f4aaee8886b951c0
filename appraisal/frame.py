"""The engine over pandas: rank the rows of a DataFrame (alternatives × criteria)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .criteria.errors import InputError
from .ranking import rank_matrix


def _by_column(values: Any, columns: list[str], what: str) -> list[Any]:
    if isinstance(values, Mapping):
        keys = list(values.keys())
        unknown = [k for k in keys if k not in columns]
        if unknown:
            raise InputError(f"{what} given for unknown column(s) {unknown}")
        missing = [c for c in columns if c not in keys]
        if missing:
            raise InputError(f"no {what[:-1]} given for column(s) {missing}")
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
        raise InputError("expected a pandas DataFrame of alternatives × criteria")
    columns = [str(c) for c in df.columns]
    bad = [c for c, dt in zip(columns, df.dtypes) if not pd.api.types.is_numeric_dtype(dt)
           or pd.api.types.is_bool_dtype(dt)]
    if bad:
        raise InputError(f"column(s) {bad} are not numeric")
    renamed = df.set_axis(columns, axis=1)
    w = _by_column(_str_keys(weights), columns, "weights")
    d = _by_column(_str_keys(directions), columns, "directions")
    ids = [str(i) for i in df.index]
    ranking = rank_matrix(ids, columns, renamed.to_numpy(dtype=float), w, d, method, normalization)
    out = ranking.to_frame().drop(columns=["title"])
    out = out.loc[ids]
    out.index = df.index
    return out.astype({"rank": np.int64})
