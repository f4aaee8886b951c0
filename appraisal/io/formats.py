"""The file formats in one place: :func:`load` a path and :func:`save` a result, by suffix.

Every reader and writer of the engine sits behind these two functions, so the command line
and a notebook choose a format the same way::

    from appraisal import load, save

    package = load("pakiet.xlsx")            # .json / .toml / .xlsx / .xlsm: a Package
    matrix = load("macierz.csv")             # .csv: a DecisionMatrix (ids, criteria, values)
    ranking = package.rank()
    save(ranking, "ocena.xlsx", lang="pl")   # the appraisal workbook, live formulas
    save(ranking, "ranking.json")            # the machine interface (docs/design.md#machine-interface)

A new format is one branch here (and its reader or writer module beside this one); nothing else
chooses by suffix. Writes are atomic (a temporary file renamed into place).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..criteria.errors import InputError
from ..criteria.i18n import _, pgettext
from ..filenames import MATRIX_SUFFIXES, PACKAGE_SUFFIXES, RESULT_SUFFIXES, WORKBOOK_SUFFIXES


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def load_package(path: str | Path):
    """Read and check a package file: ``.json``, ``.toml``, or an Excel workbook (``.xlsx``/``.xlsm``)."""
    from ..criteria.documents import read_document
    from ..package import package_from_document

    path = Path(path)
    if _suffix(path) in WORKBOOK_SUFFIXES:
        from .package_workbook import read_workbook

        return read_workbook(path)
    return package_from_document(read_document(path), str(path), path.parent)


def load(path: str | Path):
    """A package (``.json``/``.toml``/``.xlsx``/``.xlsm``) or a decision matrix (``.csv``) read from ``path``.

    Bad input is an :class:`~appraisal.criteria.errors.InputError` naming the file and the place."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix in MATRIX_SUFFIXES:
        from .csv import read_matrix

        return read_matrix(path)
    if suffix in PACKAGE_SUFFIXES:
        return load_package(path)
    raise InputError(_("unsupported file type {suffix!r}; expected {expected}").format(
        suffix=suffix or pgettext("reader", "(none)"), expected=", ".join(MATRIX_SUFFIXES + PACKAGE_SUFFIXES)), source=str(path))


def save(result: Any, path: str | Path, *, lang: str | None = None, ranking=None) -> Path:
    """Write ``result`` to ``path`` in the format its suffix names; returns the path written.

    - a :class:`~appraisal.ranking.Ranking`: ``.json`` (its JSON) or ``.xlsx`` (the appraisal workbook);
    - a :class:`~appraisal.portfolio.Portfolio`: ``.json``, or ``.xlsx`` (the appraisal workbook of
      ``ranking`` with the portfolio sheet; ``ranking`` is then required);
    - a :class:`~appraisal.sensitivity.SensitivityReport`: ``.json``, or ``.xlsx`` (the appraisal workbook
      of the ranking it was made from, with the sensitivity sheets).

    ``lang``: the language of a workbook (None: the current one, :func:`appraisal.criteria.i18n.current`).
    """
    from ..criteria import i18n
    from ..portfolio import Portfolio
    from ..ranking import Ranking
    from ..sensitivity import SensitivityReport
    from .files import atomic_write_json

    lang = lang or i18n.current()
    path = Path(path)
    suffix = _suffix(path)
    if not isinstance(result, (Ranking, Portfolio, SensitivityReport)):
        raise TypeError(f"save() writes a Ranking, a Portfolio or a SensitivityReport, not {type(result).__name__}")
    if suffix not in RESULT_SUFFIXES:
        raise InputError(_("cannot write {what}; use .json or .xlsx").format(
            what=path.suffix or _("a file without extension")), source=str(path))
    if suffix == ".json":
        return atomic_write_json(path, result.to_json_dict())
    from ..portfolio import budget_portfolio
    from .excel_report import build_appraisal_workbook, write_appraisal_workbook

    if isinstance(result, Ranking):
        return write_appraisal_workbook(result, path, lang, *budget_portfolio(result))
    if isinstance(result, Portfolio):
        if ranking is None:
            raise InputError(_("a portfolio workbook is the appraisal workbook of its ranking: pass the ranking"),
                             param="ranking")
        return write_appraisal_workbook(ranking, path, lang, portfolio=result)
    from .excel_sensitivity import add_sensitivity_sheets
    from .xlsx import save_atomic

    base = ranking if ranking is not None else result.ranking
    if base is None:
        raise InputError(_("a sensitivity workbook is the appraisal workbook of the ranking analysed: pass the "
                           "ranking"), param="ranking")
    wb = build_appraisal_workbook(base, lang, *budget_portfolio(base))
    add_sensitivity_sheets(wb, result, lang, ranking=base)
    return save_atomic(wb, path)


__all__ = ["MATRIX_SUFFIXES", "PACKAGE_SUFFIXES", "RESULT_SUFFIXES", "WORKBOOK_SUFFIXES", "load",
           "load_package", "save"]
