"""Writing a batch's results: one JSON per package (and, with ``workbooks``, one appraisal workbook
per package) written by the worker processes as each package is scored; then summary.json,
errors.json, league.json and the national workbook. Every file is written atomically, under the
output folder only.

    writer = PackageWriter(out_dir, lang, workbooks)
    writer.plan(jobs)                  # each job's output path, unique and inside out_dir
    result = batch.run(jobs, ..., write=writer)
    write_results(result, out_dir, source, method, lang)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..batch import (
    LEAGUE_FIELDS,
    BatchResult,
    Job,
    iter_league,
    key_order,
    league_dict,
    no_gc,
    output_path,
    summary,
)
from ..criteria import InputError
from .files import atomic_write, atomic_write_json, atomic_write_text


@dataclass
class PackageWriter:
    """Writes one scored package's results; called in the worker that scored it (picklable)."""

    out_dir: Path
    lang: str = "pl"
    workbooks: bool = False

    def plan(self, jobs: list[Job]) -> None:
        """Give every job its output path (``packages/<voivodeship>/<partnership>``, transliterated,
        unique) and make the folders, once, before the workers start."""
        taken: set[str] = set()
        folders = set()
        for job in jobs:
            path = output_path(self.out_dir, "packages", job.key, ".json", taken)
            job.out = path.relative_to(self.out_dir / "packages").with_suffix("").as_posix()
            folders.add(path.parent)
            if self.workbooks:
                folders.add(self.out_dir / "workbooks" / Path(job.out).parent)
        for folder in sorted(folders):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"cannot make the output folder: {exc.strerror}", source=str(folder)) from None

    def __call__(self, job: Job, ranking) -> None:
        assert job.out is not None, "plan() gives every job its path first"
        if self.workbooks:  # the workbook first: it is the one that can refuse a text (a cell holds 32,767)
            from .excel_report import write_appraisal_workbook

            write_appraisal_workbook(ranking, self.out_dir / "workbooks" / f"{job.out}.xlsx", self.lang)
        atomic_write_text(self.out_dir / "packages" / f"{job.out}.json", package_json(job, ranking))

    def discard(self, job: Job) -> None:
        """Remove a failed package's results (of this run or an earlier one into the same folder)."""
        if job.out is None:
            return
        for path in (self.out_dir / "packages" / f"{job.out}.json", self.out_dir / "workbooks" / f"{job.out}.xlsx"):
            path.unlink(missing_ok=True)


def package_json(job: Job, ranking) -> str:
    """``{"file", "voivodeship", ...the ranking's JSON}``, indented, Polish letters as they are.

    The ranking is serialised by pydantic's own (compiled) serialiser: five times quicker than
    ``json.dumps`` of its dict, the same values."""
    body = ranking.model_dump_json(indent=2, exclude_none=True)
    head = (f'{{\n  "file": {json.dumps(job.file, ensure_ascii=False)},\n'
            f'  "voivodeship": {json.dumps(job.voivodeship, ensure_ascii=False)},\n')
    return head + body[2:] + "\n"


def write_results(result: BatchResult, out_dir: Path, source: str, method: str, lang: str = "pl",
                  previous: dict[str, Any] | None = None, normalization: str | None = None,
                  criteria: str | None = None) -> dict[str, Any]:
    """Write the summaries (the per-package files were written during the run); return the summary.

    ``previous`` (an earlier summary) keeps the packages that are not in this run (``--only-failed``).
    summary.json is written last: it marks a complete run, the one ``--only-failed`` builds on."""
    with no_gc():
        return _write(result, out_dir, source, method, lang, previous, normalization, criteria)


def _write(result: BatchResult, out_dir: Path, source: str, method: str, lang: str,
           previous: dict[str, Any] | None, normalization: str | None, criteria: str | None) -> dict[str, Any]:
    from .excel_national import write_national_workbook

    out_dir.mkdir(parents=True, exist_ok=True)
    summ = summary(result, source, method, normalization, criteria)
    league: list[Any] = list(iter_league(result))
    if previous is not None:
        summ, league = _merge(previous, summ, league, out_dir)
    atomic_write_json(out_dir / "errors.json", summ["errors"])
    # the league's sheet rows and league.json are written by a second process meanwhile (the other core)
    write_national_workbook(summ, league, out_dir / ("podsumowanie_krajowe.xlsx" if lang == "pl"
                                                     else "national_summary.xlsx"), lang,
                            alongside=lambda: write_league_json(out_dir / "league.json", league))
    atomic_write_json(out_dir / "summary.json", summ)
    return summ


SETTINGS = ("method", "normalization", "criteria", "source")


def check_retry(previous: dict[str, Any], now: dict[str, Any]) -> None:
    """``--only-failed`` builds on an earlier run: only with the same settings (method, normalization,
    shared criteria set, source), or the summary would mix scores of different kinds."""
    import os

    def same(key: str) -> bool:
        a, b = previous[key], now.get(key)
        if key == "source" and a is not None and b is not None:
            return os.path.realpath(a) == os.path.realpath(b)
        return a == b

    for key in SETTINGS:
        if key in previous and not same(key):
            raise InputError(f"--only-failed: the earlier run used {key} {previous[key]!r}, this one "
                             f"{now.get(key)!r}; retry with the same settings, or run the whole batch again")


def write_league_json(path: Path, league: list[Any]) -> Path:
    """The league as a JSON list of objects, one project a line, written row by row (a national
    run has a quarter of a million rows: never one huge string in memory)."""
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as f:
            f.write("[")
            for i, row in enumerate(league):
                f.write(",\n" if i else "\n")
                f.write(json.dumps(row if isinstance(row, dict) else league_dict(row), ensure_ascii=False))
            f.write("\n]\n" if league else "]\n")

    return atomic_write(path, write)


def _earlier_league(path: Path, previous: dict[str, Any]) -> list[dict[str, Any]]:
    """The earlier run's league, which must be there, readable, and cover its scored packages."""
    again = "; run the whole batch again (without --only-failed)"
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"the earlier run's league is missing{again}", source=str(path)) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"the earlier run's league cannot be read ({exc}){again}", source=str(path)) from None
    if not isinstance(old, list) or not all(isinstance(r, dict) and "key" in r for r in old):
        raise InputError(f"the earlier run's league is not a list of projects{again}", source=str(path))
    missing = {p["key"] for p in previous.get("partnerships", [])} - {r["key"] for r in old}
    if missing:
        raise InputError(f"the earlier run's league lacks {len(missing)} scored package(s), e.g. "
                         f"{min(missing)!r}{again}", source=str(path))
    return old


def _merge(previous: dict[str, Any], now: dict[str, Any], league: list[Any],
           out_dir: Path) -> tuple[dict[str, Any], list[Any]]:
    """Fold a retry of the failed packages into the earlier summary."""
    retried = {e["key"] for e in now["errors"]} | {p["key"] for p in now["partnerships"]}

    def order(rows: list[Any], key=lambda r: r["key"]) -> list[Any]:
        return sorted(rows, key=lambda r: key_order(key(r)))

    lines = order([p for p in previous["partnerships"] if p["key"] not in retried] + now["partnerships"])
    errors = order([e for e in previous["errors"] if e["key"] not in retried] + now["errors"])
    old = _earlier_league(out_dir / "league.json", previous)
    kept = [tuple(row.get(f) for f in LEAGUE_FIELDS) for row in old if row["key"] not in retried]
    league = order(kept + list(league), key=lambda r: r[2])
    merged = {**now, "partnerships": lines, "errors": errors, "skipped": previous.get("skipped", []),
              "counts": {"found": len(lines) + len(errors), "scored": len(lines), "failed": len(errors),
                         "skipped": len(previous.get("skipped", []))}}
    return merged, league
