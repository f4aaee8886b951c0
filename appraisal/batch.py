"""Batch scoring across voivodeships: every package found, one national picture, nothing lost.

1. **Discover** the packages under a folder (``DIR/<voivodeship>/<partnership>.xlsx|json|toml``, any
   depth) — or take the partnerships of one long table (:mod:`appraisal.io.long_table`).
2. **Prepare** each package in parallel (``workers`` processes): read, validate, apply the gates,
   synthesise the weights, build the matrix (:func:`appraisal.ranking.prepare_package`). A package
   that cannot be read or prepared becomes an error record (file, cell when known, reason); the
   others go on.
3. **Score** all prepared packages through the stacked (B, m, n) kernels, one call per shape.
4. **Summarise**: one line per partnership, a league of every project, the errors.

Results are returned in discovery order, so they are identical whatever the number of workers,
and each package's ranking is identical to ranking it alone.
"""

from __future__ import annotations

import gc
import math
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .criteria import InputError
from .ranking import Prepared, Ranking, finish_package, prepare_package
from .topsis import topsis
from .wsm import wsm

PACKAGE_SUFFIXES = (".json", ".toml", ".xlsx", ".xlsm")
#: a project "is recommended" in the summaries when it passes the gates (and the card, if any) and its
#: score is at least this (TOPSIS closeness ≥ 0.5: nearer the ideal than the anti-ideal)
RECOMMEND_THRESHOLD = 0.5
RECOMMEND_RULE = ("recommended = passes the gates (and the selection card, if any) with a score of at least "
                  f"{RECOMMEND_THRESHOLD} (TOPSIS: nearer the ideal than the anti-ideal)")


@dataclass
class Job:
    """One package to score: a file, or a partnership of a long table (``package`` given)."""

    key: str
    file: str
    voivodeship: str
    package: Any = None
    error: InputError | None = None


@dataclass
class Outcome:
    key: str
    file: str
    voivodeship: str
    ranking: Ranking | None = None
    error: str | None = None
    where: str | None = None

    @property
    def ok(self) -> bool:
        return self.ranking is not None


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    skipped: list[dict[str, str]] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def scored(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


# --- discovery -------------------------------------------------------------------------------------------

def discover(root: str | Path) -> tuple[list[Job], list[dict[str, str]]]:
    """Package files under ``root`` (any depth; hidden files and Excel lock files ``~$…`` left out),
    and what was skipped (other files, empty folders), each with the reason."""
    root = Path(root)
    if not root.is_dir():
        raise InputError("no such folder", source=str(root))
    jobs, skipped = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        visible = sorted(f for f in filenames if not f.startswith("."))
        if not visible and not dirnames and here != root:
            skipped.append({"file": str(here), "reason": "empty folder"})
        for name in visible:
            path = here / name
            rel = path.relative_to(root)
            if name.startswith("~$"):
                skipped.append({"file": str(path), "reason": "Excel lock file"})
            elif path.suffix.lower() in PACKAGE_SUFFIXES:
                voiv = rel.parts[0] if len(rel.parts) > 1 else ""
                jobs.append(Job(key=rel.with_suffix("").as_posix(), file=str(path), voivodeship=voiv))
            else:
                skipped.append({"file": str(path), "reason": f"not a package file ({path.suffix or 'no extension'})"})
    _sort_polish(jobs)
    return jobs, skipped


_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_POS = {c: i for i, c in enumerate(_ALPHABET)}


def _char_key(c: str) -> tuple[int, int, int]:
    if c in _POS:
        return (2, _POS[c], 0)
    if c.isdigit():
        return (1, ord(c), 0)
    if c.isalpha():  # a letter outside the Polish alphabet (é, ü, ...): just after its base letter
        base = unicodedata.normalize("NFD", c)[0]
        if base in _POS:
            return (2, _POS[base], 1)
        return (3, ord(c), 0)
    return (0, ord(c), 0)  # spaces and punctuation before digits and letters


def polish_key(text: str | None) -> tuple:
    """A sort key in Polish alphabetical order: a ą b c ć … l ł … s ś … z ź ż, case-insensitive."""
    s = "" if text is None else str(text)
    return (tuple(_char_key(c) for c in s.casefold()), s)



def _sort_polish(jobs: list[Job]) -> None:
    jobs.sort(key=lambda j: [polish_key(p) for p in j.key.split("/")])


# --- preparing (in worker processes) and scoring (batched) ---------------------------------------------------

def _prepare(job: Job, criteria: Any, method: str, normalization: str) -> Prepared | tuple[str, str | None]:
    """Read and prepare one package; an error becomes (reason, where)."""
    from .package import load_package

    try:
        if job.error is not None:
            raise job.error
        pkg = job.package if job.package is not None else load_package(job.file)
        if criteria is not None:
            pkg = _with_criteria(pkg, criteria)
        return prepare_package(pkg, method, normalization)
    except InputError as exc:
        return str(exc.located(job.file)), exc.where
    except Exception as exc:  # noqa: BLE001 - one broken package must not stop the batch
        return f"{job.file}: internal error: {type(exc).__name__}: {exc}", None


def _with_criteria(pkg, criteria):
    """The package appraised on a shared criteria set instead of its own."""
    from .package import Package

    shared = Package.model_validate({**pkg.model_dump(exclude={"criteria"}), "criteria": criteria})
    shared._source = pkg.source
    return shared.check()


def _prepare_many(args: tuple[list[Job], Any, str, str]) -> list[Prepared | tuple[str, str | None]]:
    jobs, criteria, method, normalization = args
    return [_prepare(j, criteria, method, normalization) for j in jobs]


def score_prepared(preps: list[Prepared]) -> list[Ranking]:
    """Score prepared packages through the stacked kernels: packages sharing a shape, directions and
    normalization go through one TOPSIS and one WSM call of shape (B, m, n)."""
    groups: dict[tuple, list[int]] = {}
    for i, p in enumerate(preps):
        groups.setdefault((p.x.shape, tuple(p.d), p.normalization), []).append(i)
    out: list[Ranking | None] = [None] * len(preps)
    for (_shape, d, normalization), idx in groups.items():
        x = np.stack([preps[i].x for i in idx])
        w = np.stack([preps[i].w for i in idx])
        t = topsis(x, w, np.array(d), normalization)
        s = wsm(x, w, np.array(d))
        for k, i in enumerate(idx):
            out[i] = finish_package(preps[i], t[k], s[k])
    return out  # type: ignore[return-value]


def run(jobs: list[Job], criteria: Any = None, method: str = "topsis", normalization: str = "vector",
        workers: int | None = None, progress: Callable[[int], None] | None = None) -> BatchResult:
    """Prepare (in parallel), score (batched) and collect every job; nothing raises for one package."""
    workers = max(1, workers or os.cpu_count() or 1)
    with no_gc():
        return _run(jobs, criteria, method, normalization, workers, progress, time.perf_counter())


@contextmanager
def no_gc():
    """The cyclic garbage collector off: a batch builds a large heap of long-lived objects, and
    scanning it again and again costs a third of the time (measured in benchmarks/)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _run(jobs, criteria, method, normalization, workers, progress, t0) -> BatchResult:
    chunk = max(1, min(64, math.ceil(len(jobs) / (workers * 4)) if jobs else 1))
    parts = [jobs[i:i + chunk] for i in range(0, len(jobs), chunk)]
    prepared: list[Prepared | tuple[str, str | None]] = []
    if workers == 1 or len(parts) <= 1:
        for part in parts:
            prepared.extend(_prepare_many((part, criteria, method, normalization)))
            if progress:
                progress(len(part))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part, res in zip(parts, pool.map(_prepare_many, [(p, criteria, method, normalization)
                                                                 for p in parts])):
                prepared.extend(res)
                if progress:
                    progress(len(part))
    t1 = time.perf_counter()
    good = [i for i, p in enumerate(prepared) if isinstance(p, Prepared)]
    outcomes = [Outcome(j.key, j.file, j.voivodeship) for j in jobs]
    for i, p in enumerate(prepared):
        if not isinstance(p, Prepared):
            outcomes[i].error, outcomes[i].where = p
    from .sensitivity import one_blas_thread

    with one_blas_thread():
        rankings = _score_safely([prepared[i] for i in good])  # type: ignore[misc]
    for i, rk in zip(good, rankings):
        if isinstance(rk, Ranking):
            outcomes[i].ranking = rk
            if not outcomes[i].voivodeship and rk.package is not None:
                outcomes[i].voivodeship = rk.package.partnership.voivodeship or ""
        else:
            outcomes[i].error, outcomes[i].where = rk
    t2 = time.perf_counter()
    return BatchResult(outcomes, timing={"read_and_validate_s": t1 - t0, "score_s": t2 - t1})


def _score_safely(preps: list[Prepared]) -> list[Ranking | tuple[str, str | None]]:
    """Batched scoring; a package whose scores are undefined is scored alone to get its own error."""
    try:
        return score_prepared(preps)  # type: ignore[return-value]
    except InputError:
        out: list[Ranking | tuple[str, str | None]] = []
        for p in preps:
            try:
                out.append(score_prepared([p])[0])
            except InputError as exc:
                out.append((str(exc.located(p.pkg.source)), exc.where))
        return out


# --- summaries ------------------------------------------------------------------------------------------------

def _score_of(rk: Ranking) -> dict[str, float]:
    """Each ranked project's TOPSIS-or-main score (the ranking's own score)."""
    return {r.id: r.score for r in rk.results}


def partnership_line(o: Outcome) -> dict[str, Any]:
    """One line of the national summary for a scored package."""
    rk = o.ranking
    assert rk is not None and rk.package is not None
    pkg = rk.package
    recommended = sum(1 for r in rk.results if (r.card is None or r.card.passed) and
                      (rk.method == "points" or r.score >= RECOMMEND_THRESHOLD))
    by_source: dict[str, float] = {}
    for p in pkg.projects:
        assigned = 0.0
        for f in p.funding:
            if f.amount is not None:
                by_source[f.source] = by_source.get(f.source, 0.0) + f.amount
                assigned += f.amount
        if p.cost is not None and p.cost - assigned > 0.5:
            by_source["nieokreślone"] = by_source.get("nieokreślone", 0.0) + (p.cost - assigned)
    scores = [r.score for r in rk.results]
    top = rk.results[0]
    return {
        "key": o.key, "file": o.file, "voivodeship": o.voivodeship or (pkg.partnership.voivodeship or ""),
        "partnership": pkg.partnership.name, "method": rk.method, "normalization": rk.normalization,
        "projects": len(pkg.projects), "eligible": len(rk.results), "recommended": recommended,
        "total_cost": float(sum(p.cost or 0.0 for p in pkg.projects)),
        "cost_by_source": dict(sorted(by_source.items())),
        "top_project": {"id": top.id, "title": top.title, "score": top.score},
        "median_score": float(np.median(scores)), "input_hash": rk.input_hash,
    }


def league_rows(o: Outcome) -> list[dict[str, Any]]:
    """Every project of a scored package, with its rank within the package."""
    rk = o.ranking
    assert rk is not None and rk.package is not None
    ranked = {r.id: r for r in rk.results}
    failed = {i.id: [g.id for g in i.failed_gates] for i in rk.ineligible}
    rows = []
    for p in rk.package.projects:
        r = ranked.get(p.id)
        rows.append({
            "voivodeship": o.voivodeship, "partnership": rk.package.partnership.name, "key": o.key,
            "id": p.id, "title": p.title, "score": None if r is None else r.score,
            "rank": None if r is None else r.rank, "eligible": r is not None, "failed_gates": failed.get(p.id, []),
            "cost": p.cost, "funding": "; ".join(f.source for f in p.funding),
        })
    return rows


def summary(result: BatchResult, source: str, method: str) -> dict[str, Any]:
    from .provenance import ENGINE

    lines = [partnership_line(o) for o in result.scored]
    return {
        "engine": ENGINE, "source": source, "method": method, "recommend_rule": RECOMMEND_RULE,
        "counts": {"found": len(result.outcomes), "scored": len(lines), "failed": len(result.failed),
                   "skipped": len(result.skipped)},
        "partnerships": lines,
        "errors": [{"key": o.key, "file": o.file, "reason": o.error, "where": o.where} for o in result.failed],
        "skipped": result.skipped,
    }


# --- safe output paths ------------------------------------------------------------------------------------------

def safe_part(text: str, limit: int = 80) -> str:
    """One path component made from any text: ASCII letters, digits, '-', '_' and '.', never '.' or '..',
    never empty. Polish letters are transliterated (ł → l)."""
    text = text.replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return (text[:limit].rstrip("-._") or "_").lower()


def output_path(out_dir: Path, folder: str, key: str, suffix: str, taken: set[str]) -> Path:
    """``out_dir/folder/<sanitised key><suffix>``, unique among ``taken``, always inside ``out_dir``."""
    rel = "/".join(safe_part(p) for p in key.split("/") if p not in ("", ".", ".."))
    candidate, n = rel, 2
    while candidate in taken:
        candidate, n = f"{rel}-{n}", n + 1
    taken.add(candidate)
    path = (out_dir / folder / (candidate + suffix))
    root = out_dir.resolve()
    if root not in path.resolve().parents:
        raise InputError(f"refusing to write outside the output folder: {path}")
    return path


def iter_league(result: BatchResult) -> Iterable[dict[str, Any]]:
    for o in result.scored:
        yield from league_rows(o)
