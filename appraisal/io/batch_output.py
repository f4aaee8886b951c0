"""Writing a batch's results: summary.json, errors.json, one JSON per package, the national
workbook, and (with ``workbooks``) one appraisal workbook per package. Every file is written
atomically, under the output folder only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..batch import BatchResult, iter_league, no_gc, output_path, polish_key, summary
from .files import atomic_write_json


def write_results(result: BatchResult, out_dir: Path, source: str, method: str, lang: str = "pl",
                  workbooks: bool = False, previous: dict[str, Any] | None = None,
                  workers: int = 1) -> dict[str, Any]:
    """Write everything; return the summary. ``previous`` (an earlier summary) keeps the packages
    that are not in this run (``--only-failed``). Per-package workbooks are written by ``workers``
    processes (each workbook is independent of the others)."""
    with no_gc():
        return _write(result, out_dir, source, method, lang, workbooks, previous, workers)


def _write_workbook(task: tuple[Any, Path, str]) -> None:
    from .excel_report import write_appraisal_workbook

    ranking, path, lang = task
    write_appraisal_workbook(ranking, path, lang)


def _write(result: BatchResult, out_dir: Path, source: str, method: str, lang: str, workbooks: bool,
           previous: dict[str, Any] | None, workers: int) -> dict[str, Any]:
    from .excel_national import write_national_workbook

    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    league = list(iter_league(result))
    tasks = []
    for o in result.scored:
        path = output_path(out_dir, "packages", o.key, ".json", taken)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(path, {"file": o.file, "voivodeship": o.voivodeship, **o.ranking.to_json_dict()})
        if workbooks:
            wb_path = out_dir / "workbooks" / path.relative_to(out_dir / "packages").with_suffix(".xlsx")
            wb_path.parent.mkdir(parents=True, exist_ok=True)
            tasks.append((o.ranking, wb_path, lang))
    if workers > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_write_workbook, tasks, chunksize=max(1, len(tasks) // (4 * workers))))
    else:
        for task in tasks:
            _write_workbook(task)
    summ = summary(result, source, method)
    if previous is not None:
        summ, league = _merge(previous, summ, league, out_dir)
    atomic_write_json(out_dir / "summary.json", summ)
    atomic_write_json(out_dir / "errors.json", summ["errors"])
    atomic_write_json(out_dir / "league.json", league)
    write_national_workbook(summ, league, out_dir / ("podsumowanie_krajowe.xlsx" if lang == "pl"
                                                     else "national_summary.xlsx"), lang)
    return summ


def _merge(previous: dict[str, Any], now: dict[str, Any], league: list[dict[str, Any]],
           out_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Fold a retry of the failed packages into the earlier summary."""
    retried = {e["key"] for e in now["errors"]} | {p["key"] for p in now["partnerships"]}
    def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: [polish_key(p) for p in r["key"].split("/")])

    lines = order([p for p in previous["partnerships"] if p["key"] not in retried] + now["partnerships"])
    errors = order([e for e in previous["errors"] if e["key"] not in retried] + now["errors"])
    old_league_path = out_dir / "league.json"
    old = json.loads(old_league_path.read_text(encoding="utf-8")) if old_league_path.exists() else []
    league = order([row for row in old if row["key"] not in retried] + league)
    merged = {**now, "partnerships": lines, "errors": errors, "skipped": previous.get("skipped", []),
              "counts": {"found": len(lines) + len(errors), "scored": len(lines), "failed": len(errors),
                         "skipped": len(previous.get("skipped", []))}}
    return merged, league
