"""appraise: multi-criteria appraisal of key-project packages (AHP, TOPSIS, WSM, selection cards).

From Python::

    import appraisal
    table = appraisal.rank_frame(df, weights=[0.4, 0.3, 0.3], directions="+,-,+")
    package = appraisal.load("samples/pakiet_dolina_baryczy.json")   # .json/.toml/.xlsx; .csv: a matrix
    ranking = package.rank()            # a Ranking: .results, .ineligible, .weights, .to_frame()
    appraisal.save(ranking, "ocena.xlsx", lang="pl")                  # .json or the appraisal workbook

The numeric kernels (``appraisal.ahp``, ``appraisal.topsis``, ``appraisal.wsm``,
``appraisal.points``, ``appraisal.ranking.ranks``) are plain numpy functions over stacked arrays.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "rank_frame": ("appraisal.frame", "rank_frame"),
    "load_package": ("appraisal.io.formats", "load_package"),
    "load": ("appraisal.io.formats", "load"),
    "save": ("appraisal.io.formats", "save"),
    "package_from_frames": ("appraisal.frame", "package_from_frames"),
    "SensitivityReport": ("appraisal.sensitivity", "SensitivityReport"),
    "Package": ("appraisal.package", "Package"),
    "Project": ("appraisal.package", "Project"),
    "Ranking": ("appraisal.ranking", "Ranking"),
    "rank_matrix": ("appraisal.ranking", "rank_matrix"),
    "load_criteria": ("appraisal.criteria", "load_criteria"),
    "InputError": ("appraisal.criteria", "InputError"),
}

__all__ = [  # noqa: RUF022 - grouped as in _LAZY
    "__version__", "rank_frame", "load_package", "load", "save", "package_from_frames", "SensitivityReport",
    "Package", "Project", "Ranking", "rank_matrix", "load_criteria", "InputError",
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'appraisal' has no attribute {name!r}")
