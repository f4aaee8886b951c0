"""A whole batch run into an output folder, as ``appraise batch`` does it: find the packages (a tree of
package files, or one long table), hold the folder's lock, plan a retry of the packages that failed last
time, score, write every result and the summaries, and mark the run as running, then finished.

:func:`run_batch` returns a :class:`BatchReport`; it prints nothing. The scoring itself is
:func:`appraisal.batch.run`, the files :mod:`appraisal.io.batch_output`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..criteria.errors import InputError
from ..criteria.i18n import _
from ..filenames import TABLE_SUFFIXES

#: long tables: one row per project, many partnerships in one file

#: ``progress(total)``: a context manager giving an ``update(n)`` callable (or None) for ``total`` packages
Progress = Callable[[int], AbstractContextManager[Callable[[int], None] | None]]


@dataclass
class BatchReport:
    """What :func:`run_batch` did.

    - ``result``: the :class:`~appraisal.batch.BatchResult` (every package's outcome, and ``skipped``);
      None when a retry (``only_failed``) found nothing to retry;
    - ``skipped``: the files not read as packages, ``{"file", "reason"}`` (of the first run, on a retry);
    - ``timings``: seconds: ``wall_s`` (reading, scoring and writing the packages), ``read_and_validate_s``,
      ``score_s`` and ``write_s`` (summed over the ``workers`` processes), ``summary_s`` (the summaries);
    - ``nothing_to_retry``: ``only_failed`` and the last run into ``out_dir`` had no failures: nothing ran.
    """

    source: Path
    out_dir: Path
    dry_run: bool = False
    result: Any = None
    skipped: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    nothing_to_retry: bool = False

    @property
    def scored(self) -> list:
        return [] if self.result is None else self.result.scored

    @property
    def failed(self) -> list:
        return [] if self.result is None else self.result.failed


def run_batch(source: str | Path, out_dir: str | Path, *, criteria: str | None = None, method: str = "topsis",
              normalization: str = "vector", workers: int | None = None, workbooks: bool = False,
              only_failed: bool = False, dry_run: bool = False, sheet: str | None = None, lang: str | None = None,
              progress: Progress | None = None) -> BatchReport:
    """Score every package under the folder ``source`` (``<voivodeship>/<partnership>.json|toml|xlsx``), or
    every partnership of the long table ``source`` (.csv/.xlsx), into ``out_dir``.

    - ``criteria``: one criteria set for every package (a built-in name or a criteria file); a long table
      defaults to ``cwd``;
    - ``workers``: processes (default: the cores); ``workbooks``: also one appraisal workbook per package;
    - ``only_failed``: score again only the packages that failed in the last (finished) run into
      ``out_dir``, with the same method, normalization, criteria and source, and merge the results;
    - ``dry_run``: read, check and score everything, write nothing (and take no lock);
    - ``sheet``: the sheet of a long table in Excel (default the first);
    - ``lang``: the language of the workbooks and summaries (None: the current one).

    A package that cannot be read or scored is an outcome of the result, not an error: the others still
    run. Bad arguments, a folder with no packages or an output folder in use are :class:`InputError`.
    """
    from .. import batch as b
    from ..batch import shown
    from ..criteria import i18n
    from . import batch_output as bo
    from .formats import load_package

    lang = lang or i18n.current()
    source, out_dir = Path(source), Path(out_dir)
    criteria_ref = criteria
    criteria_set = None
    if criteria_ref is not None:
        from ..criteria import load_criteria

        criteria_set = load_criteria(criteria_ref)
    if source.is_dir():
        jobs, skipped = b.discover(source, exclude=[out_dir])  # the output folder is never read as packages
    elif source.suffix.lower() in TABLE_SUFFIXES:
        from ..criteria import load_criteria
        from .long_table import read_long_table

        table_criteria = criteria_set or load_criteria("cwd")
        jobs = [b.Job(key=tp.key, file=str(source), voivodeship=tp.voivodeship, package=tp.package,
                      error=tp.error) for tp in read_long_table(source, table_criteria, sheet)]
        skipped, criteria_set = [], None
    elif not source.exists():
        raise InputError(_("no such folder or file"), source=shown(str(source)))
    else:
        raise InputError(_("expected a folder of packages, or a long table (.csv/.xlsx)"), source=shown(str(source)))
    if not jobs and not only_failed:
        raise InputError(_("no packages found (.json, .toml or .xlsx files)"), source=shown(str(source)))
    report = BatchReport(source=source, out_dir=out_dir, dry_run=dry_run)
    found = jobs
    mode = "only-failed" if only_failed else "full"
    # one run at a time in an output folder (a dry run writes nothing: no lock)
    with nullcontext() if dry_run else bo.locked_output(out_dir):
        previous = None
        if only_failed:
            previous = bo.previous_run(out_dir)  # a finished run, its records validated
            bo.check_retry(previous, {"method": method, "normalization": normalization, "criteria": criteria_ref,
                                      "source": str(source)})
            failed = {e["key"] for e in previous.summary["errors"]}
            jobs = [j for j in jobs if j.key in failed]
            skipped = previous.summary.get("skipped", [])
            if not jobs:
                report.nothing_to_retry = True
                report.skipped = skipped
                return report
        writer = None
        if not dry_run:
            bo.mark_run(out_dir, "running", str(source), mode)
            writer = bo.PackageWriter(out_dir, lang, workbooks)
            writer.plan(found)  # over every package found, so a retry writes where the first run did
        with nullcontext() if progress is None else progress(len(jobs)) as update:
            result = b.run(jobs, criteria_set, method, normalization, workers, update, write=writer, read=load_package)
        result.skipped = skipped
        t0 = time.perf_counter()
        if not dry_run:
            bo.write_results(result, out_dir, str(source), method, lang, previous, normalization, criteria_ref)
            bo.mark_run(out_dir, "finished", str(source), mode)
        summary_s = time.perf_counter() - t0
    report.result, report.skipped = result, skipped
    report.timings = {**result.timing, "summary_s": summary_s}
    return report


__all__ = ["BatchReport", "run_batch"]
